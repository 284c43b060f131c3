package importer

import (
	"context"
	"database/sql/driver"
	_ "embed"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/deploystack/stackdb/internal/config"
	"github.com/deploystack/stackdb/internal/dbpool"
	"github.com/deploystack/stackdb/internal/deploystack"
	"github.com/deploystack/stackdb/plugin"
)

// The Postgres source: a running DeployStack installation on Postgres
// (`stackdb import-postgres --from URL`), in the layout Drizzle's migration
// 0028_typical_falcon leaves (pglayout.json, copied from
// testdata/deploystack/pg_tables.json; a test keeps them equal).
//
// Everything is read in one REPEATABLE READ READ ONLY transaction: one
// snapshot, so the old application may keep writing and the import still
// sees one consistent state, and nothing can write to the source. The
// values are handed to the conversion as SQLite storage classes, read in
// binary and exact:
//
//	text, varchar                TEXT
//	smallint, integer, bigint    INTEGER
//	boolean                      INTEGER 0 or 1 (the flag rule)
//	timestamp with time zone     TEXT in RFC 3339, UTC, to the microsecond
//	                             (the ISO-8601 rule; ±infinity stays TEXT
//	                             "infinity" and is a defect)
//	json, jsonb                  TEXT (Postgres's text output)
//	text[]                       TEXT: the array as a JSON array of strings
//	                             (array_to_json), or Postgres's own text
//	                             form for an array that is not
//	                             one-dimensional from 1, which is a defect
//
// so that every conversion rule, defect and check is the SQLite import's.
// Rows are read in primary key order (text keys bytewise, COLLATE "C"): of
// two rows with the same unique key the later one in that order is the
// duplicate.

// Drizzle's migration history of the supported layout: drizzle-orm's
// Postgres migrator records each applied migration in
// drizzle.__drizzle_migrations (id, hash, created_at = the journal's
// "when" of the migration).
const (
	drizzleSchema       = "drizzle"
	drizzleTable        = "__drizzle_migrations"
	supportedMigration  = "0028_typical_falcon"
	supportedMigratedAt = 1771275726880 // its journal "when": 2026-02-16T21:02:06.880Z
)

// pgSkipped are the tables of the application schema that are not
// imported, with why.
var pgSkipped = map[string]string{
	drizzleTable:          "the backend's migration bookkeeping, not application data; stackdb has its own migration history",
	"__plugin_migrations": "the plugin system's bookkeeping (plugin_id, table_name, schema_hash, applied_at); the plugin tables it lists are imported",
}

// ErrVersion: the Postgres source is not at the DeployStack version the
// importer supports.
var ErrVersion = errors.New("importer: unsupported DeployStack version")

//go:embed pglayout.json
var pgLayoutJSON []byte

type pgLayoutTable struct {
	Name    string           `json:"name"`
	Columns []pgLayoutColumn `json:"columns"`
}

// pgLayoutColumn is a column of the layout: its type as format_type()
// prints it, and for a point in time how it is stored (timestamptz; iso:
// ISO-8601 text; ms / s: epoch milliseconds / seconds; day: the derived
// 'YYYY-MM-DD' text of satelliteUsageLogs).
type pgLayoutColumn struct {
	Name string `json:"name"`
	Type string `json:"type"`
	Time string `json:"time,omitempty"`
}

var pgLayout = sync.OnceValue(func() []pgLayoutTable {
	var out []pgLayoutTable
	if err := json.Unmarshal(pgLayoutJSON, &out); err != nil {
		panic("importer: pglayout.json: " + err.Error()) // embedded: a build defect, caught by the tests
	}
	return out
})

// pgMapping maps every table of the Postgres layout through
// deploystack.Tables, the units following the layout's time marks.
var pgMapping = sync.OnceValue(func() []TableMapping {
	m, err := buildPGMapping(pgLayout())
	if err != nil {
		panic("importer: " + err.Error()) // the embedded layout and the real model disagree: a build defect, caught by the tests
	}
	return m
})

func buildPGMapping(layout []pgLayoutTable) ([]TableMapping, error) {
	var out []TableMapping
	var problems []string
	for _, lt := range layout {
		real, ok := deploystack.Lookup(lt.Name)
		if !ok {
			problems = append(problems, fmt.Sprintf("Postgres table %s has no home in deploystack.Tables", lt.Name))
			continue
		}
		tm := TableMapping{Legacy: lt.Name, Target: real.Name}
		for _, c := range lt.Columns {
			i := slices.IndexFunc(real.Columns, func(rc deploystack.Column) bool { return rc.Real == c.Name })
			if i < 0 {
				problems = append(problems, fmt.Sprintf("Postgres column %s.%s has no home in deploystack.Tables", lt.Name, c.Name))
				continue
			}
			cm := ColumnMapping{Legacy: c.Name, Target: real.Columns[i].Home()}
			switch c.Time {
			case "":
			case "timestamptz", "iso":
				cm.Unit = ISO8601
			case "ms":
				cm.Unit = Millis
			case "s":
				cm.Unit = Seconds
			case "day":
				d, ok := derivedColumns[lt.Name+"."+c.Name]
				if !ok {
					problems = append(problems, fmt.Sprintf("Postgres column %s.%s is a derived day, but derivedColumns lacks it", lt.Name, c.Name))
				}
				cm.DayOf = d.DayOf
			default:
				problems = append(problems, fmt.Sprintf("Postgres column %s.%s: unknown time mark %q", lt.Name, c.Name, c.Time))
			}
			tm.Columns = append(tm.Columns, cm)
		}
		out = append(out, tm)
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("the Postgres layout does not match the real model:\n  - %s", strings.Join(problems, "\n  - "))
	}
	return out, nil
}

// pgSource is a DeployStack Postgres database, read in one read-only
// snapshot.
type pgSource struct {
	url    string // redacted: no password
	conn   *pgx.Conn
	tx     pgx.Tx
	schema string // the application's schema (the connection's current schema)
	tables map[string]*legacyTable
	names  []string // tables of schema, sorted
	views  []string
	// migrations: the schema that holds __drizzle_migrations ("" when none).
	migrations string
	// pluginTables are the tables __plugin_migrations lists, by name
	// ("<plugin_id>_<table_name>").
	pluginTables map[string]pluginTable
}

// CheckPostgresURL checks, cheaply, that url is a usable connection URL
// (ErrSource otherwise), never echoing its password.
func CheckPostgresURL(url string) error {
	if err := config.CheckURL(url); err != nil {
		return fmt.Errorf("%w: the source URL: %v", ErrSource, err)
	}
	if _, err := pgx.ParseConfig(url); err != nil {
		return fmt.Errorf("%w: the source URL: %v", ErrSource, err) // pgx redacts the password in parse errors
	}
	return nil
}

// openPostgres connects to the source, starts the read-only snapshot and
// reads its catalog.
func openPostgres(ctx context.Context, url string) (*pgSource, error) {
	if err := CheckPostgresURL(url); err != nil {
		return nil, err
	}
	s := &pgSource{url: config.Redact(url), tables: map[string]*legacyTable{}}
	cfg, _ := pgx.ParseConfig(url)
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("%w: connect to %s: %w", ErrSource, s.url, dbpool.ConnectErr(err))
	}
	s.conn = conn
	if s.tx, err = conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}); err != nil {
		s.Close()
		return nil, s.readErr(fmt.Errorf("begin the read-only snapshot: %w", err))
	}
	// The source's own timeouts are for its application: a table read
	// takes as long as it takes, and the snapshot idles while Postgres
	// loads the target.
	// The sorts by primary key get room in memory.
	if _, err := s.tx.Exec(ctx, "SET LOCAL statement_timeout = 0; SET LOCAL idle_in_transaction_session_timeout = 0; SET LOCAL work_mem = '64MB'"); err != nil {
		s.Close()
		return nil, s.readErr(fmt.Errorf("session settings: %w", err))
	}
	if err := s.init(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *pgSource) Close() {
	if s.tx != nil {
		_ = s.tx.Rollback(context.Background())
	}
	if s.conn != nil {
		_ = s.conn.Close(context.Background())
	}
}

func (s *pgSource) readErr(err error) error {
	return fmt.Errorf("%w: %s: %w", ErrSource, s.url, err)
}

func (s *pgSource) init(ctx context.Context) error {
	var schema *string
	if err := s.tx.QueryRow(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		return s.readErr(err)
	}
	if schema == nil {
		return s.readErr(errors.New("the connection has no current schema (search_path)"))
	}
	s.schema = *schema
	rows, err := s.tx.Query(ctx, `SELECT c.relname, c.relkind IN ('v', 'm') FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition ORDER BY c.relname`, s.schema)
	if err != nil {
		return s.readErr(err)
	}
	for rows.Next() {
		var name string
		var view bool
		if err := rows.Scan(&name, &view); err != nil {
			return s.readErr(err)
		}
		if view {
			s.views = append(s.views, name)
			continue
		}
		s.names = append(s.names, name)
		s.tables[name] = &legacyTable{name: name, withoutRowid: true}
	}
	if err := rows.Err(); err != nil {
		return s.readErr(err)
	}
	rows, err = s.tx.Query(ctx, `SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
       coalesce(array_position(pk.indkey::int2[], a.attnum) - array_lower(pk.indkey::int2[], 1) + 1, 0)
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_catalog.pg_index pk ON pk.indrelid = c.oid AND pk.indisprimary
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition
ORDER BY c.relname, a.attnum`, s.schema)
	if err != nil {
		return s.readErr(err)
	}
	for rows.Next() {
		var table string
		var c legacyCol
		if err := rows.Scan(&table, &c.name, &c.declType, &c.notNull, &c.pk); err != nil {
			return s.readErr(err)
		}
		if t := s.tables[table]; t != nil {
			t.cols = append(t.cols, c)
		}
	}
	if err := rows.Err(); err != nil {
		return s.readErr(err)
	}
	// Unique keys Postgres enforces: unique indexes without a predicate,
	// their key columns (an expression matches no column).
	rows, err = s.tx.Query(ctx, `SELECT c.relname, array_agg(coalesce(a.attname, ' (expression)') ORDER BY k.ord)
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum AND k.attnum > 0
WHERE n.nspname = $1 AND i.indisunique AND i.indpred IS NULL AND k.ord <= i.indnkeyatts
GROUP BY c.relname, i.indexrelid ORDER BY c.relname, i.indexrelid`, s.schema)
	if err != nil {
		return s.readErr(err)
	}
	for rows.Next() {
		var table string
		var cols []string
		if err := rows.Scan(&table, &cols); err != nil {
			return s.readErr(err)
		}
		if t := s.tables[table]; t != nil {
			t.uniques = append(t.uniques, cols)
		}
	}
	if err := rows.Err(); err != nil {
		return s.readErr(err)
	}
	if err := s.checkVersion(ctx); err != nil {
		return err
	}
	return s.readPluginMigrations(ctx)
}

// readPluginMigrations reads which tables belong to plugins, as the
// backend's plugin loader records them in __plugin_migrations.
func (s *pgSource) readPluginMigrations(ctx context.Context) error {
	s.pluginTables = map[string]pluginTable{}
	if s.tables["__plugin_migrations"] == nil {
		return nil
	}
	rows, err := s.tx.Query(ctx, "SELECT plugin_id::text, table_name::text FROM "+s.ident("__plugin_migrations")+" ORDER BY id")
	if err != nil {
		return s.readErr(fmt.Errorf("read __plugin_migrations: %w", err))
	}
	defer rows.Close()
	for rows.Next() {
		var id, table *string
		if err := rows.Scan(&id, &table); err != nil {
			return s.readErr(err)
		}
		if id == nil || table == nil {
			return s.readErr(errors.New("__plugin_migrations has a row with a NULL plugin_id or table_name"))
		}
		s.pluginTables[*id+"_"+*table] = pluginTable{id: *id, table: *table}
	}
	if err := rows.Err(); err != nil {
		return s.readErr(err)
	}
	return nil
}

// pgPluginType is the plugin column type of a Postgres plugin column: the
// same type, or an identity for a single-column integer primary key (as
// the SQLite import makes of an INTEGER PRIMARY KEY). Other types are
// refused at the start.
func pgPluginType(t *legacyTable, c legacyCol) (plugin.Type, bool) {
	pk := 0
	for _, x := range t.cols {
		if x.pk > 0 {
			pk++
		}
	}
	switch c.declType {
	case "integer", "bigint":
		if pk == 1 && c.pk == 1 {
			return plugin.Identity, true
		}
		if c.declType == "integer" {
			return plugin.Integer, true
		}
		return plugin.BigInt, true
	case "text", "character varying":
		return plugin.Text, true
	case "boolean":
		return plugin.Boolean, true
	case "double precision":
		return plugin.DoublePrecision, true
	case "timestamp with time zone":
		return plugin.Timestamptz, true
	case "jsonb", "json":
		return plugin.JSONB, true
	case "bytea":
		return plugin.Bytea, true
	}
	return 0, false
}

// checkVersion requires the migration history to end at the supported
// migration. Two histories are known: the backend's own runner's
// (__drizzle_migrations in the application schema: id, migration_name = the
// file name, applied_at), and drizzle-orm's migrator's
// (drizzle.__drizzle_migrations: id, hash = sha256 of the file, created_at
// = the journal's "when"). The hash is not compared: the layout check that
// follows compares every table and column instead.
func (s *pgSource) checkVersion(ctx context.Context) error {
	supported := fmt.Sprintf("import-postgres supports DeployStack's Postgres schema at migration %s (Drizzle journal when %d, %s)",
		supportedMigration, int64(supportedMigratedAt), time.UnixMilli(supportedMigratedAt).UTC().Format(time.RFC3339))
	var found []struct{ schema, kind string }
	rows, err := s.tx.Query(ctx, `SELECT n.nspname, CASE
    WHEN bool_or(a.attname = 'migration_name') THEN 'runner' WHEN bool_or(a.attname = 'created_at') THEN 'drizzle' ELSE '' END
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.relname = $1 AND c.relkind IN ('r', 'p') AND n.nspname IN ($2, $3)
GROUP BY n.nspname ORDER BY n.nspname <> $2, n.nspname`, drizzleTable, s.schema, drizzleSchema)
	if err != nil {
		return s.readErr(err)
	}
	for rows.Next() {
		var f struct{ schema, kind string }
		if err := rows.Scan(&f.schema, &f.kind); err != nil {
			return s.readErr(err)
		}
		found = append(found, f)
	}
	if err := rows.Err(); err != nil {
		return s.readErr(err)
	}
	if len(found) == 0 {
		return fmt.Errorf("%w: %s has no migration history (no table %s in schema %s or %s): it is not a database DeployStack's backend migrated; %s",
			ErrVersion, s.url, drizzleTable, s.schema, drizzleSchema, supported)
	}
	s.migrations = found[0].schema
	hist := pgx.Identifier{s.migrations, drizzleTable}.Sanitize()
	var n int64
	var newest *string
	var q string
	switch found[0].kind {
	case "runner":
		q = `SELECT count(*) OVER (), migration_name::text FROM ` + hist + ` ORDER BY migration_name DESC LIMIT 1`
	case "drizzle":
		q = `SELECT count(*) OVER (), created_at::text FROM ` + hist + ` ORDER BY created_at DESC NULLS LAST, id DESC LIMIT 1`
	default:
		return fmt.Errorf("%w: %s: %s has neither migration_name (the backend's runner) nor created_at (drizzle-orm's migrator); %s", ErrVersion, s.url, hist, supported)
	}
	err = s.tx.QueryRow(ctx, q).Scan(&n, &newest)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return fmt.Errorf("%w: %s: the migration history %s is empty; %s", ErrVersion, s.url, hist, supported)
	case err != nil:
		return fmt.Errorf("%w: %s: read the migration history %s: %v; %s", ErrVersion, s.url, hist, err, supported)
	}
	want, got := supportedMigration+".sql", "NULL"
	if found[0].kind == "drizzle" {
		want = fmt.Sprint(supportedMigratedAt)
	}
	if newest != nil {
		got = *newest
	}
	if got == want {
		return nil
	}
	advice := "upgrade DeployStack to that version first, then import"
	// File names sort by their zero-padded number; created_at is a number.
	newer := newest != nil && got > want
	if found[0].kind == "drizzle" {
		g, err := strconv.ParseInt(got, 10, 64)
		newer = err == nil && g > supportedMigratedAt
	}
	if newer {
		advice = "this DeployStack is newer than this stackdb knows; use a stackdb that supports it"
	}
	what := "migration_name " + truncateRunes(got, 60)
	if found[0].kind == "drizzle" {
		what = "created_at " + got
	}
	return fmt.Errorf("%w: %s: the newest of the %d migrations in %s.%s has %s; %s: %s", ErrVersion, s.url, n, s.migrations, drizzleTable, what, supported, advice)
}

func (s *pgSource) table(name string) *legacyTable { return s.tables[name] }

func (s *pgSource) ident(table string) string { return pgx.Identifier{s.schema, table}.Sanitize() }

// colType is the source type of table.column as format_type() prints it.
func (s *pgSource) colType(table, column string) string {
	if t := s.tables[table]; t != nil {
		if c, ok := t.col(column); ok {
			return c.declType
		}
	}
	return ""
}

// planPostgres checks the source against the layout: every table of it,
// with exactly its columns and types; the Drizzle history and views are
// skipped, any other table is refused. All problems are reported together.
func planPostgres(s *pgSource) (*legacyPlan, error) {
	var problems []string
	p := &legacyPlan{unimported: stackdbTables}
	layout := map[string]pgLayoutTable{}
	for _, lt := range pgLayout() {
		layout[lt.Name] = lt
	}
	mapped := map[string]*TableMapping{}
	tables := pgMapping()
	for i := range tables {
		mapped[tables[i].Legacy] = &tables[i]
	}
	for _, lt := range pgLayout() {
		if s.tables[lt.Name] == nil {
			problems = append(problems, fmt.Sprintf("table %q is missing", lt.Name))
		}
	}
	for _, name := range s.names {
		t := s.tables[name]
		m, ok := mapped[name]
		if !ok {
			if reason, ok := pgSkipped[name]; ok {
				p.skipped = append(p.skipped, SkippedTable{Table: name, Reason: reason})
				continue
			}
			if pt, ok := s.pluginTables[name]; ok {
				if _, err := plugin.Ident(pt.id, pt.table); err != nil {
					problems = append(problems, fmt.Sprintf("plugin table %q (plugin %q, table %q in __plugin_migrations): %v", name, pt.id, pt.table, err))
					continue
				}
				tp, errs := planPluginLegacy(t, pt.id, pt.table, pgPluginType)
				problems = append(problems, errs...)
				if tp != nil {
					tp.pluginTimeUnit = ISO8601
					tp.selectSQL = s.selectSQL(t, tp.legacyCols)
					p.plugins = append(p.plugins, tp)
				}
				continue
			}
			problems = append(problems, fmt.Sprintf("unknown table %q: it is not a table of DeployStack's Postgres schema at %s", name, supportedMigration))
			continue
		}
		want := layout[name].Columns
		for _, c := range want {
			got, ok := t.col(c.Name)
			switch {
			case !ok:
				problems = append(problems, fmt.Sprintf("column %s.%s is missing", name, c.Name))
			case got.declType != c.Type:
				problems = append(problems, fmt.Sprintf("column %s.%s is %s, the supported schema has %s", name, c.Name, got.declType, c.Type))
			}
		}
		for _, c := range t.cols {
			if !slices.ContainsFunc(want, func(w pgLayoutColumn) bool { return w.Name == c.name }) {
				problems = append(problems, fmt.Sprintf("unknown column %s.%s (%s)", name, c.name, c.declType))
			}
		}
		if len(problems) > 0 {
			continue
		}
		tp, errs := planMappedLegacy(t, m)
		problems = append(problems, errs...)
		if tp != nil {
			tp.selectSQL = s.selectSQL(t, tp.legacyCols)
			p.core = append(p.core, tp)
		}
	}
	for _, v := range s.views {
		p.skipped = append(p.skipped, SkippedTable{Table: v, Reason: "a view: derived from other tables, nothing to import"})
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%w: %s does not have the layout of DeployStack's Postgres schema at %s:\n  - %s",
			ErrSource, s.url, supportedMigration, strings.Join(problems, "\n  - "))
	}
	slices.SortStableFunc(p.core, func(a, b *tablePlan) int {
		return slices.IndexFunc(tables, func(m TableMapping) bool { return m.Legacy == a.legacy }) -
			slices.IndexFunc(tables, func(m TableMapping) bool { return m.Legacy == b.legacy })
	})
	return p, nil
}

// selectSQL selects cols in the forms the cursor decodes, in primary key
// order.
func (s *pgSource) selectSQL(t *legacyTable, cols []string) string {
	exprs := make([]string, len(cols))
	for i, name := range cols {
		id := pgx.Identifier{name}.Sanitize()
		switch s.colType(t.name, name) {
		case "json", "jsonb":
			exprs[i] = id + "::text"
		case "text[]":
			exprs[i] = fmt.Sprintf("CASE WHEN array_ndims(%[1]s) IS NULL THEN array_to_json(%[1]s)::text "+
				"WHEN array_ndims(%[1]s) = 1 AND array_lower(%[1]s, 1) = 1 THEN array_to_json(%[1]s)::text ELSE %[1]s::text END", id)
		default:
			exprs[i] = id
		}
	}
	var pk []legacyCol
	for _, c := range t.cols {
		if c.pk > 0 {
			pk = append(pk, c)
		}
	}
	slices.SortFunc(pk, func(a, b legacyCol) int { return a.pk - b.pk })
	q := "SELECT " + strings.Join(exprs, ", ") + " FROM " + s.ident(t.name)
	if len(pk) > 0 {
		// Text keys sort bytewise: as deterministic as the collation's
		// order, and a sort by strcoll of a large table costs the source
		// several times more.
		order := make([]string, len(pk))
		for i, c := range pk {
			order[i] = pgx.Identifier{c.name}.Sanitize()
			if c.declType == "text" || c.declType == "character varying" {
				order[i] += ` COLLATE "C"`
			}
		}
		q += " ORDER BY " + strings.Join(order, ", ")
	}
	return q
}

func (s *pgSource) scan(ctx context.Context, query string, fn func(cursor) error) error {
	rows, err := s.tx.Query(ctx, query, pgx.QueryResultFormats{pgx.BinaryFormatCode})
	if err != nil {
		return err
	}
	defer rows.Close()
	if err := fn(&pgCursor{rows: rows}); err != nil {
		return err
	}
	rows.Close()
	return rows.Err()
}

func (s *pgSource) count(ctx context.Context, table string) (int64, error) {
	var n int64
	if err := s.tx.QueryRow(ctx, "SELECT count(*) FROM "+s.ident(table)).Scan(&n); err != nil {
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		return 0, s.readErr(err)
	}
	return n, nil
}

// estimate is the planner's row estimate (0 for a table never analysed):
// it only orders the load.
func (s *pgSource) estimate(ctx context.Context, table string) (int64, error) {
	var n float64
	if err := s.tx.QueryRow(ctx, "SELECT greatest(reltuples, 0)::float8 FROM pg_catalog.pg_class WHERE oid = $1::regclass", s.ident(table)).Scan(&n); err != nil {
		return 0, s.readErr(err)
	}
	return int64(n), nil
}

func (s *pgSource) days(ctx context.Context, table, column string, unit TimeUnit) ([]time.Time, error) {
	const first, last = -62135596800, 253402300799 // 0001-01-01, 9999-12-31T23:59:59Z in seconds
	id := pgx.Identifier{column}.Sanitize()
	var q string
	switch typ := s.colType(table, column); typ {
	case "timestamp with time zone":
		q = fmt.Sprintf("SELECT DISTINCT floor(extract(epoch FROM %[1]s) / 86400)::int8 FROM %[2]s WHERE %[1]s >= '0001-01-01 00:00:00+00' AND %[1]s < '10000-01-01 00:00:00+00' ORDER BY 1",
			id, s.ident(table))
	case "integer", "bigint", "smallint":
		day, ok := perDay(unit)
		if !ok {
			return nil, nil
		}
		q = fmt.Sprintf("SELECT DISTINCT %[1]s::int8 / %[2]d FROM %[3]s WHERE %[1]s BETWEEN %[4]d AND %[5]d ORDER BY 1",
			id, day, s.ident(table), int64(first)*(day/86400), int64(last)*(day/86400))
	default:
		return nil, nil // the DEFAULT partition takes the rows, SplitDefault splits them
	}
	rows, err := s.tx.Query(ctx, q)
	if err != nil {
		return nil, s.readErr(err)
	}
	defer rows.Close()
	var days []time.Time
	for rows.Next() {
		var d int64
		if err := rows.Scan(&d); err != nil {
			return nil, s.readErr(err)
		}
		days = append(days, time.Unix(d*86400, 0).UTC())
	}
	if err := rows.Err(); err != nil {
		return nil, s.readErr(err)
	}
	return days, nil
}

// finalCheck has nothing left to do: Postgres checked every page it read.
func (s *pgSource) finalCheck(context.Context) error { return nil }

// pgCursor decodes binary result rows into SQLite storage classes.
type pgCursor struct {
	rows pgx.Rows
	cols []string
}

func (c *pgCursor) Columns() []string {
	if c.cols == nil {
		for _, fd := range c.rows.FieldDescriptions() {
			c.cols = append(c.cols, fd.Name)
		}
	}
	return c.cols
}

func (c *pgCursor) Next(dest []driver.Value) error {
	if !c.rows.Next() {
		if err := c.rows.Err(); err != nil {
			return err
		}
		return io.EOF
	}
	fds := c.rows.FieldDescriptions()
	for i, raw := range c.rows.RawValues() {
		v, err := decodeBinary(fds[i].DataTypeOID, raw)
		if err != nil {
			return fmt.Errorf("column %s: %w", fds[i].Name, err)
		}
		dest[i] = v
	}
	return nil
}

// decodeBinary decodes one value of a binary result.
func decodeBinary(oid uint32, raw []byte) (driver.Value, error) {
	if raw == nil {
		return nil, nil
	}
	bad := func() error { return fmt.Errorf("a %d-byte binary value of type oid %d", len(raw), oid) }
	switch oid {
	case pgtype.TextOID, pgtype.VarcharOID, pgtype.NameOID, pgtype.BPCharOID:
		return string(raw), nil
	case pgtype.BoolOID:
		if len(raw) != 1 {
			return nil, bad()
		}
		return int64(raw[0]), nil
	case pgtype.Int2OID:
		if len(raw) != 2 {
			return nil, bad()
		}
		return int64(int16(binary.BigEndian.Uint16(raw))), nil
	case pgtype.Int4OID:
		if len(raw) != 4 {
			return nil, bad()
		}
		return int64(int32(binary.BigEndian.Uint32(raw))), nil
	case pgtype.Int8OID:
		if len(raw) != 8 {
			return nil, bad()
		}
		return int64(binary.BigEndian.Uint64(raw)), nil
	case pgtype.ByteaOID:
		return slices.Clone(raw), nil
	case pgtype.Float8OID:
		if len(raw) != 8 {
			return nil, bad()
		}
		return math.Float64frombits(binary.BigEndian.Uint64(raw)), nil
	case pgtype.TimestamptzOID:
		if len(raw) != 8 {
			return nil, bad()
		}
		return timestamptzText(int64(binary.BigEndian.Uint64(raw))), nil
	}
	return nil, fmt.Errorf("type oid %d is not one the Postgres source reads", oid)
}

// timestamptzText renders a timestamptz (µs since 2000-01-01) exactly, in
// the RFC 3339 form the ISO-8601 rule parses; infinity and values beyond
// what time.Time renders as RFC 3339 come out in forms the rule rejects.
func timestamptzText(us int64) string {
	switch {
	case us == math.MaxInt64:
		return "infinity"
	case us == math.MinInt64:
		return "-infinity"
	case us > math.MaxInt64-pgEpochMicros:
		return fmt.Sprintf("%d µs after 2000-01-01", us)
	}
	return time.UnixMicro(us + pgEpochMicros).UTC().Format("2006-01-02T15:04:05.999999Z07:00")
}
