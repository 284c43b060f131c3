package importer

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// The live target schema, read from pg_catalog inside the import
// transaction: columns with their types, enum labels, unique indexes,
// foreign keys and CHECK constraints.

type targetCol struct {
	name       string
	notNull    bool
	hasDefault bool
	identity   bool
	generated  bool
	typOID     uint32
	typName    string // pg_type.typname ("int4", "timestamptz", an enum's name)
	typSchema  string
	typType    string // pg_type.typtype: "b" base, "e" enum, "d" domain, …
	format     string // format_type(): "integer", "timestamp with time zone", …
}

type targetUnique struct {
	name             string
	cols             []string
	nullsNotDistinct bool
	partial          bool // has a WHERE clause
	expression       bool // has an expression column
	primary          bool
}

type targetFK struct {
	name      string
	cols      []string
	refSchema string
	refTable  string
	refCols   []string
}

type targetCheck struct {
	name string
	def  string
	cols []string // the columns it reads (conkey)
}

type targetTable struct {
	schema  string
	name    string
	cols    []*targetCol
	byName  map[string]*targetCol
	uniques []targetUnique
	fks     []targetFK
	checks  []targetCheck
	// partitioned: a partitioned table (relkind p), which COPY FREEZE
	// refuses.
	partitioned bool
}

// readTarget reads the tables names of schema; tables that do not exist
// are absent from the result.
func readTarget(ctx context.Context, tx pgx.Tx, schema string, names []string) (map[string]*targetTable, error) {
	out := map[string]*targetTable{}
	rows, err := tx.Query(ctx, `SELECT c.relname, c.relkind = 'p', a.attname, a.attnotnull, a.atthasdef, a.attidentity <> '', a.attgenerated <> '',
       t.oid, t.typname, tn.nspname, t.typtype::text, format_type(a.atttypid, a.atttypmod)
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace
WHERE n.nspname = $1 AND c.relname = ANY($2) AND c.relkind IN ('r', 'p')
ORDER BY c.relname, a.attnum`, schema, names)
	if err != nil {
		return nil, fmt.Errorf("importer: read target columns: %w", err)
	}
	for rows.Next() {
		var table string
		var partitioned bool
		c := &targetCol{}
		if err := rows.Scan(&table, &partitioned, &c.name, &c.notNull, &c.hasDefault, &c.identity, &c.generated,
			&c.typOID, &c.typName, &c.typSchema, &c.typType, &c.format); err != nil {
			rows.Close()
			return nil, fmt.Errorf("importer: read target columns: %w", err)
		}
		t := out[table]
		if t == nil {
			t = &targetTable{schema: schema, name: table, byName: map[string]*targetCol{}, partitioned: partitioned}
			out[table] = t
		}
		t.cols = append(t.cols, c)
		t.byName[c.name] = c
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("importer: read target columns: %w", err)
	}

	// Unique indexes (primary keys and unique constraints are among them).
	// indnullsnotdistinct exists from Postgres 15 on; read through to_jsonb
	// so older servers answer too.
	rows, err = tx.Query(ctx, `SELECT c.relname, ic.relname, i.indisprimary, i.indpred IS NOT NULL,
       coalesce((to_jsonb(i) ->> 'indnullsnotdistinct')::boolean, false),
       array(SELECT coalesce(a.attname, '') FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(num, ord)
             LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.num
             WHERE k.ord <= i.indnkeyatts ORDER BY k.ord)
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relname = ANY($2) AND i.indisunique
ORDER BY c.relname, ic.relname`, schema, names)
	if err != nil {
		return nil, fmt.Errorf("importer: read target unique indexes: %w", err)
	}
	for rows.Next() {
		var table string
		var u targetUnique
		if err := rows.Scan(&table, &u.name, &u.primary, &u.partial, &u.nullsNotDistinct, &u.cols); err != nil {
			rows.Close()
			return nil, fmt.Errorf("importer: read target unique indexes: %w", err)
		}
		for _, c := range u.cols {
			if c == "" {
				u.expression = true
			}
		}
		if t := out[table]; t != nil {
			t.uniques = append(t.uniques, u)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("importer: read target unique indexes: %w", err)
	}

	rows, err = tx.Query(ctx, `SELECT c.relname, con.conname, con.contype::text, pg_get_constraintdef(con.oid),
       coalesce(rn.nspname, ''), coalesce(rc.relname, ''),
       array(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.ord),
       array(SELECT a.attname FROM unnest(coalesce(con.confkey, '{}')) WITH ORDINALITY k(num, ord)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord)
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid
LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
WHERE n.nspname = $1 AND c.relname = ANY($2) AND con.contype IN ('c', 'f', 'x', 't')
ORDER BY c.relname, con.conname`, schema, names)
	if err != nil {
		return nil, fmt.Errorf("importer: read target constraints: %w", err)
	}
	var unsupported []string
	for rows.Next() {
		var table, name, typ, def, refSchema, refTable string
		var cols, refCols []string
		if err := rows.Scan(&table, &name, &typ, &def, &refSchema, &refTable, &cols, &refCols); err != nil {
			rows.Close()
			return nil, fmt.Errorf("importer: read target constraints: %w", err)
		}
		t := out[table]
		if t == nil {
			continue
		}
		switch typ {
		case "c":
			t.checks = append(t.checks, targetCheck{name: name, def: def, cols: cols})
		case "f":
			t.fks = append(t.fks, targetFK{name: name, cols: cols, refSchema: refSchema, refTable: refTable, refCols: refCols})
		default:
			unsupported = append(unsupported, fmt.Sprintf("%s.%s (%s)", table, name, def))
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("importer: read target constraints: %w", err)
	}
	if len(unsupported) > 0 {
		return nil, fmt.Errorf("%w: the target has constraints the importer cannot check before loading: %v", ErrSchema, unsupported)
	}
	return out, nil
}

// enumLabels returns the labels of an enum type.
func enumLabels(ctx context.Context, tx pgx.Tx, oid uint32) ([]string, error) {
	rows, err := tx.Query(ctx, "SELECT enumlabel FROM pg_catalog.pg_enum WHERE enumtypid = $1 ORDER BY enumsortorder", oid)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}
