package legacygen

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/deploystack/stackdb/internal/config"
	"github.com/deploystack/stackdb/internal/dbpool"
	"github.com/deploystack/stackdb/internal/legacy"
)

// GeneratePostgres fills the empty database at url with a DeployStack
// database in the real Drizzle-era Postgres layout (legacy.PGSchema): the
// rows Generate writes, stored as that layout stores them (see
// pgOutput), plus the tables and columns only the Postgres layout has. It
// refuses a database that holds any table, view or sequence. Everything
// happens in one transaction: on error the database is left empty.
func GeneratePostgres(ctx context.Context, url string, opts Options) (Stats, error) {
	if opts.Rows < MinRows {
		return Stats{}, config.NewOptionError("legacygen", "Rows", nil, func(name string) string {
			return fmt.Sprintf("%s is %d; want at least %d", name, opts.Rows, MinRows)
		})
	}
	pool, err := dbpool.Open(ctx, url)
	if err != nil {
		return Stats{}, fmt.Errorf("legacygen: %w", err)
	}
	defer pool.Close()
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return Stats{}, fmt.Errorf("legacygen: %w", err)
	}
	defer conn.Release()
	tx, err := conn.Begin(ctx)
	if err != nil {
		return Stats{}, fmt.Errorf("legacygen: %w", err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()

	var db string
	var relations int
	if err := tx.QueryRow(ctx, `
		SELECT current_database(), count(c.oid)
		FROM pg_namespace n LEFT JOIN pg_class c ON c.relnamespace = n.oid
		WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'
		  AND n.nspname NOT LIKE 'pg\_temp\_%' AND c.relkind IS NOT NULL`).Scan(&db, &relations); err != nil {
		return Stats{}, fmt.Errorf("legacygen: %w", err)
	}
	if relations > 0 {
		return Stats{}, fmt.Errorf("legacygen: database %q is not empty (%d tables, views, indexes or sequences): refusing to write into it", db, relations)
	}
	// A fixed zone: timestamp without time zone (the migration runner's
	// applied_at) is stored as UTC wall time.
	if _, err := tx.Exec(ctx, "SET LOCAL TIME ZONE 'UTC'"); err != nil {
		return Stats{}, fmt.Errorf("legacygen: %w", err)
	}
	// Memory for building the indexes after the rows, in one sort each.
	if _, err := tx.Exec(ctx, "SET LOCAL maintenance_work_mem = '256MB'"); err != nil {
		return Stats{}, fmt.Errorf("legacygen: %w", err)
	}
	tables, foreignKeys, indexes := legacy.PGStatements()
	var keys []string // the primary keys and unique constraints, added after the rows too
	for _, s := range append(tables, pgPluginTableDDL) {
		s, k := withoutKeys(s)
		keys = append(keys, k...)
		if _, err := tx.Exec(ctx, s); err != nil {
			return Stats{}, fmt.Errorf("legacygen: create schema: %.60s: %w", s, err)
		}
	}
	g := newGen(ctx, newPGOutput(ctx, tx), opts, true)
	if err := g.run(opts.Defects); err != nil {
		return Stats{}, fmt.Errorf("legacygen: %w", err)
	}
	// The serial columns' sequences follow the ids written, as if the rows
	// had been inserted one by one.
	for _, t := range []string{"__drizzle_migrations", "__plugin_migrations"} {
		if _, err := tx.Exec(ctx, fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%[1]s', 'id'), max(id)) FROM %[1]s`, t)); err != nil {
			return Stats{}, fmt.Errorf("legacygen: %s: %w", t, err)
		}
	}
	for _, s := range slices.Concat(keys, indexes, foreignKeys) {
		if _, err := tx.Exec(ctx, s); err != nil {
			return Stats{}, fmt.Errorf("legacygen: %.60s: %w", s, err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return Stats{}, fmt.Errorf("legacygen: %w", err)
	}
	return g.stats(), nil
}

var (
	createTableName = regexp.MustCompile(`^CREATE TABLE (?:IF NOT EXISTS )?("[^"]+"|\w+) \(`)
	columnPK        = regexp.MustCompile(`(?m)^(\s+("[^"]+"|\w+) [^\n]*?) PRIMARY KEY`)
	tableKey        = regexp.MustCompile(`(?m),\n\s+((?:CONSTRAINT "[^"]+" )?UNIQUE ?\([^)]*\))`)
)

// withoutKeys splits a CREATE TABLE statement into the statement without
// its primary key and unique constraints, and the ALTER TABLE statements
// that add them with the same names (a primary key is "<table>_pkey"
// either way).
func withoutKeys(create string) (string, []string) {
	m := createTableName.FindStringSubmatch(create)
	if m == nil {
		return create, nil
	}
	alter := "ALTER TABLE " + m[1] + " ADD "
	var keys []string
	for _, k := range columnPK.FindAllStringSubmatch(create, -1) {
		keys = append(keys, alter+"PRIMARY KEY ("+k[2]+")")
	}
	create = columnPK.ReplaceAllString(create, "$1")
	for _, k := range tableKey.FindAllStringSubmatch(create, -1) {
		keys = append(keys, alter+k[1])
	}
	return tableKey.ReplaceAllString(create, ""), keys
}

// pgPluginTableDDL is the plugin table as the backend's plugin loader
// creates it in Postgres (plugin-migrations.ts: types by the column names'
// heuristics, then PRIMARY KEY, NOT NULL, DEFAULT).
const pgPluginTableDDL = `CREATE TABLE IF NOT EXISTS "` + pluginTable + `" (
  "id" INTEGER PRIMARY KEY NOT NULL,
  "name" TEXT NOT NULL,
  "description" TEXT,
  "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW()
)`

// ---------------------------------------------------------------------------
// Postgres: COPY, in one transaction. Each value the generator makes as
// SQLite stores it is converted to the Postgres column's storage:
// epoch seconds to timestamptz (or to timestamp, in UTC), 0/1 to boolean;
// integers, text, JSON text (text and jsonb columns) and text arrays as they
// are. Any other combination is a bug of the generator, reported as such.

type pgKind uint8

const (
	pgBool pgKind = iota
	pgTime
	pgInt
	pgText
	pgTextArray
)

type pgOutput struct {
	ctx   context.Context
	tx    pgx.Tx
	types map[string]map[string]string
	plans map[*table][]pgKind
	rows  [][]any
}

func newPGOutput(ctx context.Context, tx pgx.Tx) *pgOutput {
	types := legacy.PGColumnTypes()
	types[pluginTable] = map[string]string{"id": "integer", "name": "text", "description": "text", "created_at": "timestamp with time zone"}
	return &pgOutput{ctx: ctx, tx: tx, types: types, plans: map[*table][]pgKind{}}
}

func (o *pgOutput) rowsPerWrite(width int) int { return max(256, min(10_000, 250_000/width)) }

func (o *pgOutput) plan(t *table) ([]pgKind, []string, error) {
	cols := append(t.cols[:len(t.cols):len(t.cols)], t.extraCols...)
	if p, ok := o.plans[t]; ok {
		return p, cols, nil
	}
	types, ok := o.types[t.name]
	if !ok {
		return nil, nil, fmt.Errorf("no table %s in the Postgres layout", t.name)
	}
	p := make([]pgKind, len(cols))
	for i, c := range cols {
		switch types[c] {
		case "boolean":
			p[i] = pgBool
		case "timestamp with time zone", "timestamp without time zone":
			p[i] = pgTime
		case "integer", "bigint":
			p[i] = pgInt
		case "text", "jsonb":
			p[i] = pgText
		case "text[]":
			p[i] = pgTextArray
		case "":
			return nil, nil, fmt.Errorf("no column %s.%s in the Postgres layout", t.name, c)
		default:
			return nil, nil, fmt.Errorf("%s.%s: no conversion to %s", t.name, c, types[c])
		}
	}
	o.plans[t] = p
	return p, cols, nil
}

func (o *pgOutput) write(t *table, vals []any) error {
	plan, cols, err := o.plan(t)
	if err != nil {
		return err
	}
	n := len(vals) / t.width
	o.rows = o.rows[:0]
	for i := range n {
		row := vals[i*t.width : (i+1)*t.width]
		for j, v := range row {
			if v == nil {
				continue
			}
			if row[j], err = pgValue(plan[j], v); err != nil {
				return fmt.Errorf("%s.%s: %w", t.name, cols[j], err)
			}
		}
		o.rows = append(o.rows, row)
	}
	_, err = o.tx.CopyFrom(o.ctx, pgx.Identifier{t.name}, cols, pgx.CopyFromRows(o.rows))
	return err
}

func pgValue(k pgKind, v any) (any, error) {
	switch k {
	case pgBool:
		switch x := v.(type) {
		case bool:
			return x, nil
		case int64:
			if x == 0 || x == 1 {
				return x == 1, nil
			}
		}
	case pgTime:
		switch x := v.(type) {
		case time.Time:
			return x.UTC(), nil
		case int64:
			return time.Unix(x, 0).UTC(), nil
		}
	case pgInt:
		if x, ok := v.(int64); ok {
			return x, nil
		}
	case pgText:
		if x, ok := v.(string); ok {
			return x, nil
		}
	case pgTextArray:
		if x, ok := v.([]string); ok {
			return x, nil
		}
	}
	return nil, fmt.Errorf("legacygen bug: cannot store %T %v there", v, v)
}

func (o *pgOutput) finish() error { return nil }
