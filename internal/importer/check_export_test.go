package importer

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// SchemaCheck is a CHECK constraint of a live table, bound as an import
// binds it (bindUniques), with every column of the table imported.
type SchemaCheck struct {
	Table, Name, Def string
	Cols             []string // the columns it reads (conkey)
	Types            []string // their types, as format_type prints them
	// Err is why the evaluator refuses the constraint; Holds is nil then.
	Err error
	// Holds converts v (a legacy TEXT value; nil is NULL) for the one
	// column the constraint reads, as an import does, and returns the
	// evaluator's verdict.
	Holds func(v *string) (bool, error)
}

// SchemaChecks returns the CHECK constraints of every table outside the
// system schemas, read with the importer's own catalog queries.
func SchemaChecks(ctx context.Context, pool *pgxpool.Pool) ([]SchemaCheck, error) {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // read only
	rows, err := tx.Query(ctx, `SELECT DISTINCT n.nspname, c.relname
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE con.contype = 'c' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
ORDER BY 1, 2`)
	if err != nil {
		return nil, err
	}
	type table struct{ Schema, Name string }
	tables, err := pgx.CollectRows(rows, pgx.RowToStructByPos[table])
	if err != nil {
		return nil, err
	}
	var out []SchemaCheck
	for _, tb := range tables {
		tts, err := readTarget(ctx, tx, tb.Schema, []string{tb.Name})
		if err != nil {
			return nil, err
		}
		tt := tts[tb.Name]
		if tt == nil {
			return nil, fmt.Errorf("%s.%s: not a table readTarget reads", tb.Schema, tb.Name)
		}
		tp := &tablePlan{}
		for _, c := range tt.cols {
			k, _ := kindOf(c) // 0 (ctOther) for types the importer does not write
			tp.cols = append(tp.cols, &colPlan{legacy: c.name, target: c.name, kind: k, typ: c.format})
		}
		resolve := func(name string) (int, checkType, bool) {
			i := tp.colIndex(name)
			if i < 0 {
				return 0, 0, false
			}
			return i, tp.cols[i].kind.checkType(), true
		}
		for _, ch := range tt.checks {
			sc := SchemaCheck{Table: tb.Schema + "." + tb.Name, Name: ch.name, Def: ch.def, Cols: ch.cols}
			for _, name := range ch.cols {
				sc.Types = append(sc.Types, tt.byName[name].format)
			}
			cc, err := parseCheck(ch.name, ch.def, resolve)
			if err != nil {
				sc.Err = err
			} else {
				sc.Holds = func(v *string) (bool, error) {
					r := newRowState(tp)
					col := cc.columns[0]
					var raw any
					if v != nil {
						raw = *v
					}
					if _, e := tp.cols[col].convert(raw, &r.vals[col], nil, &r.json); e != nil {
						return false, fmt.Errorf("%s: %s", e.class, e.reason)
					}
					return cc.holds(r), nil
				}
			}
			out = append(out, sc)
		}
	}
	return out, nil
}
