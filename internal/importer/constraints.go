package importer

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// deferChecks drops the foreign keys and secondary indexes of the tables the
// import loads and returns the statements that put them back.
//
// Loaded row by row, every row costs a trigger call per foreign key and an
// insertion per index; mcp_tool_executions alone spent half its load time
// on them. Rebuilt after the load, Postgres checks each foreign key once
// with one join and builds each index once, sorted: "constraints checked
// once after loading". The importer has already checked keys and references
// in Go, and the rebuilt unique indexes and foreign keys check them again.
// It all happens in the import's transaction, so an error, a cancel or a
// kill leaves the schema exactly as it was. Primary keys are rebuilt first,
// as the foreign keys need them.
func deferChecks(ctx context.Context, tx pgx.Tx, plans []*tablePlan) (restore []string, err error) {
	bySchema := map[string][]string{}
	for _, tp := range plans {
		if tp.pluginID == "" {
			bySchema[tp.schema] = append(bySchema[tp.schema], tp.target)
		}
	}
	var drops, fks, pkeys, indexes []string
	for schema, tables := range bySchema {
		// Foreign keys first: one may depend on a unique index or primary key
		// dropped after it.
		d, r, err := constraintStatements(ctx, tx, schema, tables, "f")
		if err != nil {
			return nil, err
		}
		drops, fks = append(drops, d...), append(fks, r...)
		if d, r, err = constraintStatements(ctx, tx, schema, tables, "p"); err != nil {
			return nil, err
		}
		drops, pkeys = append(drops, d...), append(pkeys, r...)

		rows, err := tx.Query(ctx, `
SELECT format('DROP INDEX %I.%I', n.nspname, ic.relname), pg_get_indexdef(i.indexrelid)
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relname = ANY($2) AND NOT i.indisprimary
  AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid)
ORDER BY c.relname, ic.relname`, schema, tables)
		if err != nil {
			return nil, fmt.Errorf("importer: read indexes: %w", err)
		}
		d, r, err = collectPairs(rows)
		if err != nil {
			return nil, fmt.Errorf("importer: read indexes: %w", err)
		}
		drops, indexes = append(drops, d...), append(indexes, r...)
	}
	for _, stmt := range drops {
		if _, err := tx.Exec(ctx, stmt); err != nil {
			return nil, fmt.Errorf("importer: %s: %w", stmt, err)
		}
	}
	return append(append(pkeys, indexes...), fks...), nil
}

// restoreChecks rebuilds what deferChecks dropped: primary keys and
// indexes, then the foreign keys that rely on them.
//
// The tables are not analyzed here: building the primary key already
// records each table's size in pg_class, which is what the foreign-key
// checks and the verification plan with, and ANALYZE would add a tenth to
// the import's time. Autovacuum analyzes them after the commit (an import
// is far past its threshold), as after pg_restore.
func restoreChecks(ctx context.Context, tx pgx.Tx, restore []string) error {
	if _, err := tx.Exec(ctx, "SET LOCAL maintenance_work_mem = '256MB'"); err != nil {
		return fmt.Errorf("importer: %w", err)
	}
	for _, stmt := range restore {
		if _, err := tx.Exec(ctx, stmt); err != nil {
			return fmt.Errorf("importer: after loading: %s: %w", stmt, err)
		}
	}
	return nil
}

// constraintStatements returns, for the constraints of type contype ("f"
// foreign key, "p" primary key) of the tables, the statements that drop
// them and those that add them back.
func constraintStatements(ctx context.Context, tx pgx.Tx, schema string, tables []string, contype string) (drop, add []string, err error) {
	rows, err := tx.Query(ctx, `
SELECT format('ALTER TABLE %I.%I DROP CONSTRAINT %I', n.nspname, c.relname, con.conname),
       format('ALTER TABLE %I.%I ADD CONSTRAINT %I %s', n.nspname, c.relname, con.conname, pg_get_constraintdef(con.oid))
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE con.contype = $3::"char" AND n.nspname = $1 AND c.relname = ANY($2)
ORDER BY c.relname, con.conname`, schema, tables, contype)
	if err != nil {
		return nil, nil, fmt.Errorf("importer: read constraints: %w", err)
	}
	if drop, add, err = collectPairs(rows); err != nil {
		return nil, nil, fmt.Errorf("importer: read constraints: %w", err)
	}
	return drop, add, nil
}

func collectPairs(rows pgx.Rows) (first, second []string, err error) {
	var a, b string
	_, err = pgx.ForEachRow(rows, []any{&a, &b}, func() error {
		first, second = append(first, a), append(second, b)
		return nil
	})
	return first, second, err
}
