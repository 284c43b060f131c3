package importer

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// rebuild is what deferChecks dropped, as the statements that restore it.
type rebuild struct {
	tables map[string][]string // by "schema.table": its primary key, then its indexes
	fks    []string
}

// deferChecks drops the foreign keys and secondary indexes of the tables the
// import loads and returns the statements that put them back.
//
// Loaded row by row, every row costs a trigger call per foreign key and an
// insertion per index; mcp_tool_executions alone spent half its load time
// on them. Rebuilt after the load, Postgres checks each foreign key once
// with one join and builds each index once, sorted: "constraints checked
// once after loading". The importer has already checked keys and references
// in Go, and the rebuilt unique indexes and foreign keys check them again.
// A table's primary key and indexes are rebuilt as soon as it is loaded
// (while the next tables are converted), the foreign keys once every table
// is. It all happens in the import's transaction, so an error, a cancel or
// a kill leaves the schema exactly as it was.
func deferChecks(ctx context.Context, tx pgx.Tx, plans []*tablePlan) (*rebuild, error) {
	bySchema := map[string][]string{}
	for _, tp := range plans {
		if tp.pluginID == "" {
			bySchema[tp.schema] = append(bySchema[tp.schema], tp.target)
		}
	}
	rb := &rebuild{tables: map[string][]string{}}
	var drops []string
	for schema, tables := range bySchema {
		// Foreign keys first: one may depend on a unique index or primary key
		// dropped after it.
		fks, err := constraintStatements(ctx, tx, schema, tables, "f")
		if err != nil {
			return nil, err
		}
		pkeys, err := constraintStatements(ctx, tx, schema, tables, "p")
		if err != nil {
			return nil, err
		}
		rows, err := tx.Query(ctx, `
SELECT c.relname, format('DROP INDEX %I.%I', n.nspname, ic.relname),
       -- a partitioned table's index reads ON ONLY: rebuilt so, it would
       -- stay invalid, with no index on the partitions
       CASE WHEN c.relkind = 'p' THEN regexp_replace(pg_get_indexdef(i.indexrelid), ' ON ONLY ', ' ON ')
            ELSE pg_get_indexdef(i.indexrelid) END
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relname = ANY($2) AND NOT i.indisprimary
  AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid)
  AND NOT EXISTS (`+referencedFromOutside+` AND f.conindid = i.indexrelid)
ORDER BY c.relname, ic.relname`, schema, tables)
		if err != nil {
			return nil, fmt.Errorf("importer: read indexes: %w", err)
		}
		indexes, err := collectStatements(rows)
		if err != nil {
			return nil, fmt.Errorf("importer: read indexes: %w", err)
		}
		for _, st := range fks {
			drops, rb.fks = append(drops, st.drop), append(rb.fks, st.add)
		}
		for _, st := range append(pkeys, indexes...) {
			key := schema + "." + st.table
			drops, rb.tables[key] = append(drops, st.drop), append(rb.tables[key], st.add)
		}
	}
	for _, stmt := range drops {
		if _, err := tx.Exec(ctx, stmt); err != nil {
			return nil, fmt.Errorf("importer: %s: %w", stmt, err)
		}
	}
	return rb, nil
}

// restore runs statements deferChecks returned.
//
// The tables are not analyzed: building the primary key already records
// each table's size in pg_class, which is what the foreign-key checks and
// the verification plan with, and ANALYZE would add a tenth to the
// import's time. Autovacuum analyzes them after the commit (an import is
// far past its threshold), as after pg_restore.
func restore(ctx context.Context, tx pgx.Tx, stmts []string) error {
	for _, stmt := range stmts {
		if _, err := tx.Exec(ctx, stmt); err != nil {
			return fmt.Errorf("importer: after loading: %s: %w", stmt, err)
		}
	}
	return nil
}

// referencedFromOutside selects the foreign keys of tables outside the
// import ($1: its schema, $2: its tables); a key or index they rely on
// cannot be dropped, so it stays in place during the load.
const referencedFromOutside = `SELECT 1 FROM pg_constraint f
  JOIN pg_class fc ON fc.oid = f.conrelid
  JOIN pg_namespace fn ON fn.oid = fc.relnamespace
  WHERE f.contype = 'f' AND NOT (fn.nspname = $1 AND fc.relname = ANY($2))`

// statement is how to drop and restore a constraint or index of a table.
type statement struct{ table, drop, add string }

// constraintStatements returns, for the constraints of type contype ("f"
// foreign key, "p" primary key) of the tables, the statements that drop
// them and those that add them back.
func constraintStatements(ctx context.Context, tx pgx.Tx, schema string, tables []string, contype string) ([]statement, error) {
	rows, err := tx.Query(ctx, `
SELECT c.relname,
       format('ALTER TABLE %I.%I DROP CONSTRAINT %I', n.nspname, c.relname, con.conname),
       format('ALTER TABLE %I.%I ADD CONSTRAINT %I %s', n.nspname, c.relname, con.conname, pg_get_constraintdef(con.oid))
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE con.contype = $3::"char" AND n.nspname = $1 AND c.relname = ANY($2)
  AND NOT (con.contype = 'p' AND EXISTS (`+referencedFromOutside+` AND f.conindid = con.conindid))
ORDER BY c.relname, con.conname`, schema, tables, contype)
	if err != nil {
		return nil, fmt.Errorf("importer: read constraints: %w", err)
	}
	sts, err := collectStatements(rows)
	if err != nil {
		return nil, fmt.Errorf("importer: read constraints: %w", err)
	}
	return sts, nil
}

func collectStatements(rows pgx.Rows) ([]statement, error) {
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (statement, error) {
		var st statement
		err := row.Scan(&st.table, &st.drop, &st.add)
		return st, err
	})
}
