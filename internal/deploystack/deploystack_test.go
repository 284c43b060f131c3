package deploystack_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/deploystack"
	"github.com/deploystack/stackdb/stackdbtest"
)

func TestMain(m *testing.M) { stackdbtest.Main(m) }

// ---------------------------------------------------------------------------
// The facts: DeployStack's two real layouts, as testdata/deploystack
// records them.

type layout struct {
	name   string      // "postgres" or "sqlite"
	Tables []factTable `json:"tables"`
}

type factTable struct {
	Name        string       `json:"name"`
	PrimaryKey  []string     `json:"primaryKey"`
	Columns     []factColumn `json:"columns"`
	ForeignKeys []struct {
		Column    string `json:"column"`
		RefTable  string `json:"refTable"`
		RefColumn string `json:"refColumn"`
		OnDelete  string `json:"onDelete"`
		OnUpdate  string `json:"onUpdate"`
	} `json:"foreignKeys"`
	UniqueConstraints []struct {
		Name    string   `json:"name"`
		Columns []string `json:"columns"`
	} `json:"uniqueConstraints"`
	Indexes []struct {
		Name    string   `json:"name"`
		Columns []string `json:"columns"`
		Unique  bool     `json:"unique"`
	} `json:"indexes"`
}

type factColumn struct {
	Name             string   `json:"name"`
	NotNull          bool     `json:"notNull"`
	PgType           string   `json:"pg_type"`     // postgres only
	SQLiteType       string   `json:"sqlite_type"` // sqlite only
	Mode             string   `json:"mode"`        // sqlite: boolean, timestamp, json
	Default          *string  `json:"default"`     // in the DDL (postgres: the real default)
	Time             string   `json:"time"`        // how a point in time is stored
	JSON             string   `json:"json"`        // how a JSON document is stored
	Enum             []string `json:"enum"`
	DocumentedValues []string `json:"documented_values"`
	Array            bool     `json:"array"`
}

func (l layout) table(name string) (factTable, bool) {
	i := slices.IndexFunc(l.Tables, func(t factTable) bool { return t.Name == name })
	if i < 0 {
		return factTable{}, false
	}
	return l.Tables[i], true
}

func (t factTable) column(name string) (factColumn, bool) {
	i := slices.IndexFunc(t.Columns, func(c factColumn) bool { return c.Name == name })
	if i < 0 {
		return factColumn{}, false
	}
	return t.Columns[i], true
}

// uniqueKeys is every real unique key of the table (unique constraints and
// unique indexes), as column lists.
func (t factTable) uniqueKeys() [][]string {
	var keys [][]string
	for _, u := range t.UniqueConstraints {
		keys = append(keys, u.Columns)
	}
	for _, ix := range t.Indexes {
		if ix.Unique {
			keys = append(keys, ix.Columns)
		}
	}
	return keys
}

func loadLayouts(t *testing.T) []layout {
	t.Helper()
	var layouts []layout
	for _, name := range []string{"postgres", "sqlite"} {
		file := map[string]string{"postgres": "pg_tables.json", "sqlite": "sqlite_tables.json"}[name]
		raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "deploystack", file))
		require.NoError(t, err)
		l := layout{name: name}
		require.NoError(t, json.Unmarshal(raw, &l), file)
		require.NotEmpty(t, l.Tables, file)
		layouts = append(layouts, l)
	}
	return layouts
}

// want is the stackdb type a real column's facts imply, as format_type
// prints it: every point in time is timestamptz (a 'YYYY-MM-DD' text is a
// generated date), JSON is jsonb unless it is ciphertext, flags are boolean.
// "enum" stands for a Postgres enum. An empty plain means any integer type
// (SQLite's INTEGER holds both).
type want struct {
	kind      string // "timestamptz", "date", "jsonb", "encrypted", "enum", "values", "boolean", "array", "plain"
	plain     []string
	generated bool
}

func (w want) types() []string {
	switch w.kind {
	case "timestamptz":
		return []string{"timestamp with time zone"}
	case "date":
		return []string{"date"}
	case "jsonb":
		return []string{"jsonb"}
	case "encrypted", "values":
		return []string{"text"}
	case "boolean":
		return []string{"boolean"}
	case "array":
		return []string{"text[]"}
	}
	return w.plain
}

func implied(l layout, c factColumn) want {
	switch {
	case strings.Contains(c.Time, "YYYY-MM-DD"):
		return want{kind: "date", generated: true}
	case c.Time != "":
		return want{kind: "timestamptz"}
	case c.JSON != "" && strings.Contains(c.JSON, "encrypted"):
		return want{kind: "encrypted"}
	case c.JSON != "":
		return want{kind: "jsonb"}
	case len(c.Enum) > 0:
		return want{kind: "enum"}
	case len(c.DocumentedValues) > 0:
		return want{kind: "values"}
	case c.PgType == "boolean" || c.Mode == "boolean":
		return want{kind: "boolean"}
	case c.PgType == "text[]" || c.Array:
		return want{kind: "array"}
	case l.name == "sqlite" && c.SQLiteType == "integer":
		return want{kind: "plain", plain: []string{"integer", "bigint"}}
	case l.name == "sqlite":
		return want{kind: "plain", plain: []string{c.SQLiteType}}
	}
	return want{kind: "plain", plain: []string{c.PgType}}
}

// ---------------------------------------------------------------------------
// The migrated schema, as the catalog describes it.

type dbColumn struct {
	typ, typtype, def, generated string
	notNull                      bool
}

type dbConstraint struct {
	name, kind         string // kind: p, f, c (pg_constraint.contype)
	columns            []string
	refTable           string
	refColumns         []string
	onDelete, onUpdate string
	def                string
}

type dbIndex struct {
	name             string
	columns          []string // expression keys as pg_get_indexdef prints them
	predicate        string
	nullsNotDistinct bool
}

// likeReal reports whether the index is unique as a real unique key is: on
// every row, NULLs distinct.
func (ix dbIndex) likeReal() bool { return ix.predicate == "" && !ix.nullsNotDistinct }

type dbTable struct {
	columns     map[string]dbColumn
	order       []string
	constraints []dbConstraint
	unique      []dbIndex // unique indexes other than the primary key's
}

type dbSchema struct {
	tables map[string]*dbTable
	enums  map[string][]string
}

func loadSchema(t *testing.T) dbSchema {
	t.Helper()
	ctx := t.Context()
	pool := stackdbtest.Pool(t)
	s := dbSchema{tables: map[string]*dbTable{}, enums: map[string][]string{}}
	const tables = `
		SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition`

	rows, err := pool.Query(ctx, `
		SELECT c.relname::text, a.attname::text, format_type(a.atttypid, a.atttypmod), t.typtype::text,
		       coalesce(pg_get_expr(d.adbin, d.adrelid), ''), a.attgenerated::text, a.attnotnull
		FROM pg_class c
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		JOIN pg_type t ON t.oid = a.atttypid
		LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
		WHERE c.oid IN (`+tables+`)
		ORDER BY c.relname, a.attnum`)
	require.NoError(t, err)
	var table, column string
	var col dbColumn
	_, err = pgx.ForEachRow(rows, []any{&table, &column, &col.typ, &col.typtype, &col.def, &col.generated, &col.notNull}, func() error {
		tb := s.tables[table]
		if tb == nil {
			tb = &dbTable{columns: map[string]dbColumn{}}
			s.tables[table] = tb
		}
		tb.columns[column] = col
		tb.order = append(tb.order, column)
		return nil
	})
	require.NoError(t, err)
	require.NotEmpty(t, s.tables)

	rows, err = pool.Query(ctx, `
		SELECT t.typname::text, array_agg(e.enumlabel::text ORDER BY e.enumsortorder)
		FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
		WHERE n.nspname = 'public' GROUP BY t.typname`)
	require.NoError(t, err)
	var enum string
	var labels []string
	_, err = pgx.ForEachRow(rows, []any{&enum, &labels}, func() error {
		s.enums[enum] = labels
		return nil
	})
	require.NoError(t, err)

	rows, err = pool.Query(ctx, `
		SELECT c.relname::text, k.conname::text, k.contype::text,
		       ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY AS u(n, i)
		             JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.i),
		       coalesce(f.relname::text, ''),
		       ARRAY(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY AS u(n, i)
		             JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.i),
		       k.confdeltype::text, k.confupdtype::text, pg_get_constraintdef(k.oid)
		FROM pg_constraint k
		JOIN pg_class c ON c.oid = k.conrelid
		LEFT JOIN pg_class f ON f.oid = k.confrelid
		WHERE k.conrelid IN (`+tables+`) AND k.contype IN ('p', 'f', 'c')
		ORDER BY c.relname, k.conname`)
	require.NoError(t, err)
	var con dbConstraint
	_, err = pgx.ForEachRow(rows, []any{&table, &con.name, &con.kind, &con.columns, &con.refTable, &con.refColumns,
		&con.onDelete, &con.onUpdate, &con.def}, func() error {
		s.tables[table].constraints = append(s.tables[table].constraints, con)
		return nil
	})
	require.NoError(t, err)

	rows, err = pool.Query(ctx, `
		SELECT c.relname::text, i.relname::text,
		       ARRAY(SELECT CASE WHEN u.n = 0 THEN pg_get_indexdef(x.indexrelid, u.i::int, true) ELSE a.attname::text END
		             FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS u(n, i)
		             LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = u.n
		             WHERE u.i <= x.indnkeyatts ORDER BY u.i),
		       coalesce(pg_get_expr(x.indpred, x.indrelid), ''), x.indnullsnotdistinct
		FROM pg_index x
		JOIN pg_class i ON i.oid = x.indexrelid
		JOIN pg_class c ON c.oid = x.indrelid
		WHERE x.indrelid IN (`+tables+`) AND x.indisunique AND NOT x.indisprimary
		ORDER BY c.relname, i.relname`)
	require.NoError(t, err)
	var ix dbIndex
	_, err = pgx.ForEachRow(rows, []any{&table, &ix.name, &ix.columns, &ix.predicate, &ix.nullsNotDistinct}, func() error {
		s.tables[table].unique = append(s.tables[table].unique, ix)
		return nil
	})
	require.NoError(t, err)
	return s
}

// ---------------------------------------------------------------------------
// The mapping against the facts.

func excluded(table, column string) (deploystack.Exclusion, bool) {
	i := slices.IndexFunc(deploystack.Excluded, func(e deploystack.Exclusion) bool {
		return e.Table == table && e.Column == column
	})
	if i < 0 {
		return deploystack.Exclusion{}, false
	}
	return deploystack.Excluded[i], true
}

func mappedColumn(t deploystack.Table, real string) (deploystack.Column, bool) {
	i := slices.IndexFunc(t.Columns, func(c deploystack.Column) bool { return c.Real == real })
	if i < 0 {
		return deploystack.Column{}, false
	}
	return t.Columns[i], true
}

// homes returns the stackdb table and columns of real ones, failing the
// test on a real name the mapping lacks.
func homes(t *testing.T, table string, columns []string) (string, []string) {
	t.Helper()
	m, ok := deploystack.Lookup(table)
	require.True(t, ok, "real table %s has no entry in deploystack.Tables", table)
	var out []string
	for _, c := range columns {
		mc, ok := mappedColumn(m, c)
		require.True(t, ok, "real column %s.%s has no entry in deploystack.Tables", table, c)
		out = append(out, mc.Home())
	}
	return m.Name, out
}

// TestEveryRealColumnHasAHome: every table and column of both real layouts
// has an entry in deploystack.Tables, or its column one in
// deploystack.Excluded, and never both.
func TestEveryRealColumnHasAHome(t *testing.T) {
	t.Parallel()
	for _, l := range loadLayouts(t) {
		t.Run(l.name, func(t *testing.T) {
			t.Parallel()
			for _, ft := range l.Tables {
				m, ok := deploystack.Lookup(ft.Name)
				require.True(t, ok, "%s table %s has no entry in deploystack.Tables", l.name, ft.Name)
				for _, fc := range ft.Columns {
					_, mapped := mappedColumn(m, fc.Name)
					e, isExcluded := excluded(ft.Name, fc.Name)
					require.True(t, mapped || isExcluded, "%s column %s.%s has no home: add it to table %s in "+
						"deploystack.Tables (or to deploystack.Excluded, with a reason)", l.name, ft.Name, fc.Name, m.Name)
					require.False(t, mapped && isExcluded, "%s.%s is both mapped and excluded (%s)", ft.Name, fc.Name, e.Reason)
				}
			}
		})
	}
}

// TestMappingHasNothingTheFactsLack: deploystack.Tables names only real
// tables and columns (of either layout), in the facts' order, each once, with
// distinct homes; the exclusions, additions, own tables and stricter
// constraints name what exists and give a reason.
func TestMappingHasNothingTheFactsLack(t *testing.T) {
	t.Parallel()
	layouts := loadLayouts(t)
	pg := layouts[0]
	realTable := func(name string) (factTable, bool) {
		for _, l := range layouts {
			if ft, ok := l.table(name); ok {
				return ft, true
			}
		}
		return factTable{}, false
	}
	realColumn := func(table, column string) bool {
		for _, l := range layouts {
			if ft, ok := l.table(table); ok {
				if _, ok := ft.column(column); ok {
					return true
				}
			}
		}
		return false
	}

	seenReal, seenName := map[string]bool{}, map[string]bool{}
	for _, m := range deploystack.Tables {
		require.NotEmpty(t, m.Name, "deploystack.Tables: %s has no stackdb name", m.Real)
		require.False(t, seenReal[m.Real], "deploystack.Tables lists %s twice", m.Real)
		require.False(t, seenName[m.Name], "deploystack.Tables: two real tables live in %s", m.Name)
		seenReal[m.Real], seenName[m.Name] = true, true
		_, ok := realTable(m.Real)
		require.True(t, ok, "deploystack.Tables: %s is no real table", m.Real)

		real, homes := map[string]bool{}, map[string]bool{}
		for _, c := range m.Columns {
			require.True(t, realColumn(m.Real, c.Real), "deploystack.Tables: %s.%s is no real column", m.Real, c.Real)
			require.False(t, real[c.Real], "deploystack.Tables: %s.%s is listed twice", m.Real, c.Real)
			require.False(t, homes[c.Home()], "deploystack.Tables: two columns of %s live in %s.%s", m.Real, m.Name, c.Home())
			require.NotEqual(t, c.Real, c.Name, "deploystack.Tables: %s.%s: leave Name empty when it keeps its name", m.Real, c.Real)
			real[c.Real], homes[c.Home()] = true, true
		}
		// The facts' order, so that a reader can compare the two side by side.
		if ft, ok := pg.table(m.Real); ok {
			var order []string
			for _, fc := range ft.Columns {
				if _, ok := mappedColumn(m, fc.Name); ok {
					order = append(order, fc.Name)
				}
			}
			var got []string
			for _, c := range m.Columns {
				got = append(got, c.Real)
			}
			require.Equal(t, order, got, "deploystack.Tables: the columns of %s are not in DeployStack's order", m.Real)
		}
	}

	for _, e := range deploystack.Excluded {
		require.True(t, realColumn(e.Table, e.Column), "deploystack.Excluded: %s.%s is no real column", e.Table, e.Column)
		require.NotEmpty(t, e.Reason, "deploystack.Excluded: %s.%s has no reason", e.Table, e.Column)
	}
	own := map[string]bool{}
	for _, o := range deploystack.OwnTables {
		require.False(t, seenName[o.Name], "deploystack.OwnTables: %s holds the real table of the same home", o.Name)
		require.False(t, own[o.Name], "deploystack.OwnTables lists %s twice", o.Name)
		require.NotEmpty(t, o.Reason, "deploystack.OwnTables: %s has no reason", o.Name)
		own[o.Name] = true
	}
	added := map[string]bool{}
	for _, a := range deploystack.Additions {
		key := a.Table + "." + a.Column
		m, ok := mappedTable(a.Table)
		require.True(t, ok, "deploystack.Additions: %s is no home of a real table (stackdb's own tables need no additions)", key)
		require.False(t, slices.ContainsFunc(m.Columns, func(c deploystack.Column) bool { return c.Home() == a.Column }),
			"deploystack.Additions: %s is the home of a real column", key)
		require.False(t, added[key], "deploystack.Additions lists %s twice", key)
		require.NotEmpty(t, a.Reason, "deploystack.Additions: %s has no reason", key)
		added[key] = true
	}
	for _, s := range deploystack.StricterThanDeployStack {
		_, ok := mappedTable(s.Table)
		require.True(t, ok, "deploystack.StricterThanDeployStack: %s is no home of a real table", s.Table)
		require.NotEmpty(t, s.Reason, "deploystack.StricterThanDeployStack: %s has no reason", stricterKey(s))
		switch s.Kind {
		case deploystack.KindUnique, deploystack.KindForeignKey:
			require.NotEmpty(t, s.Columns, "deploystack.StricterThanDeployStack: %s names no columns", stricterKey(s))
			require.Empty(t, s.Name, "deploystack.StricterThanDeployStack: %s: a %s is found by its columns", stricterKey(s), s.Kind)
		case deploystack.KindCheck:
			require.NotEmpty(t, s.Name, "deploystack.StricterThanDeployStack: %s names no constraint", stricterKey(s))
			require.Empty(t, s.Columns, "deploystack.StricterThanDeployStack: %s: a check is found by its name", stricterKey(s))
		default:
			require.Failf(t, "unknown kind", "deploystack.StricterThanDeployStack: %s: kind %q", stricterKey(s), s.Kind)
		}
	}
}

func mappedTable(name string) (deploystack.Table, bool) {
	i := slices.IndexFunc(deploystack.Tables, func(m deploystack.Table) bool { return m.Name == name })
	if i < 0 {
		return deploystack.Table{}, false
	}
	return deploystack.Tables[i], true
}

func stricterKey(s deploystack.Stricter) string {
	if s.Kind == deploystack.KindCheck {
		return fmt.Sprintf("%s check %s", s.Table, s.Name)
	}
	return fmt.Sprintf("%s %s (%s)", s.Table, s.Kind, strings.Join(s.Columns, ", "))
}

// ---------------------------------------------------------------------------
// The mapping against the migrated schema.

// castSuffix is the type cast Postgres prints after a default's literal.
var castSuffix = regexp.MustCompile(`::[a-z_ ]+(\[\])?$`)

// valuesCheck returns the CHECK constraints on column alone, by name, with
// their definitions.
func valuesCheck(tb *dbTable, column string) map[string]string {
	checks := map[string]string{}
	for _, k := range tb.constraints {
		if k.kind == "c" && slices.Equal(k.columns, []string{column}) {
			checks[k.name] = k.def
		}
	}
	return checks
}

// valuesCheckDefs returns the definitions, as pg_get_constraintdef prints
// them, of a CHECK that allows exactly values in column (IN (...) and
// = ANY (ARRAY[...]) print alike), with or without "IS NULL OR".
func valuesCheckDefs(column string, values []string) []string {
	var lits []string
	for _, v := range values {
		lits = append(lits, "'"+strings.ReplaceAll(v, "'", "''")+"'::text")
	}
	in := fmt.Sprintf("(%s = ANY (ARRAY[%s]))", column, strings.Join(lits, ", "))
	return []string{"CHECK (" + in + ")", fmt.Sprintf("CHECK (((%s IS NULL) OR %s))", column, in)}
}

// TestEveryRealColumnHasANativeHome: the home of every real column of both
// layouts exists with the native type its facts imply, NOT NULL as the facts
// say, the real default, and exactly the real value set.
func TestEveryRealColumnHasANativeHome(t *testing.T) {
	t.Parallel()
	layouts := loadLayouts(t)
	s := loadSchema(t)
	for _, l := range layouts {
		for _, ft := range l.Tables {
			t.Run(l.name+"/"+ft.Name, func(t *testing.T) {
				t.Parallel()
				m, ok := deploystack.Lookup(ft.Name)
				require.True(t, ok, "real table %s has no entry in deploystack.Tables", ft.Name)
				tb := s.tables[m.Name]
				require.NotNil(t, tb, "table %s (home of %s) is not in the migrated schema", m.Name, ft.Name)
				for _, fc := range ft.Columns {
					if _, ok := excluded(ft.Name, fc.Name); ok {
						continue
					}
					mc, ok := mappedColumn(m, fc.Name)
					require.True(t, ok, "real column %s.%s has no entry in deploystack.Tables", ft.Name, fc.Name)
					checkColumn(t, s, l, ft, fc, m.Name, mc.Home())
				}
			})
		}
	}
}

func checkColumn(t *testing.T, s dbSchema, l layout, ft factTable, fc factColumn, table, column string) {
	t.Helper()
	tb := s.tables[table]
	where := fmt.Sprintf("%s.%s (%s %s.%s)", table, column, l.name, ft.Name, fc.Name)
	col, ok := tb.columns[column]
	require.True(t, ok, "%s: the column is not in the migrated schema", where)

	w := implied(l, fc)
	if w.kind == "enum" {
		require.Equal(t, "e", col.typtype, "%s: type is %s, want a Postgres enum of %v", where, col.typ, fc.Enum)
		got := s.enums[col.typ]
		if l.name == "postgres" {
			require.Equal(t, fc.Enum, got, "%s: enum %s has values %v, want exactly the real ones in the real order", where, col.typ, got)
		} else {
			require.Subset(t, got, fc.Enum, "%s: enum %s (%v) lacks values of the SQLite layout", where, col.typ, got)
		}
	} else {
		require.Contains(t, w.types(), col.typ, "%s: type is %s, want %s (%s)", where, col.typ,
			strings.Join(w.types(), " or "), w.kind)
	}
	if w.generated {
		require.Equal(t, "s", col.generated, "%s: want a generated column, derived from the real time it stands beside", where)
		// The real text is the UTC day of a point in time of the same row.
		source := slices.ContainsFunc(tb.order, func(name string) bool {
			return tb.columns[name].typ == "timestamp with time zone" &&
				regexp.MustCompile(`(^|[^a-z_"])"?`+regexp.QuoteMeta(name)+`"?($|[^a-z_"])`).MatchString(col.def)
		})
		require.True(t, source && strings.Contains(col.def, "'UTC'"),
			"%s: generated as %s, want the UTC day of a timestamptz column of %s", where, col.def, table)
	} else {
		require.Empty(t, col.generated, "%s: a real column is stored, not generated", where)
	}

	if w.kind == "values" {
		checks := valuesCheck(tb, column)
		require.Len(t, checks, 1, "%s: want one CHECK on the column alone allowing the documented values %v, found %v",
			where, fc.DocumentedValues, checks)
		for name, def := range checks {
			if l.name == "postgres" {
				require.Contains(t, valuesCheckDefs(column, fc.DocumentedValues), def,
					"%s: CHECK %s is %s, want one allowing exactly the documented values %v, in order", where, name, def, fc.DocumentedValues)
			} else {
				for _, v := range fc.DocumentedValues {
					require.Contains(t, def, "'"+strings.ReplaceAll(v, "'", "''")+"'::text",
						"%s: CHECK %s (%s) lacks %q of the SQLite layout", where, name, def, v)
				}
			}
		}
	}

	require.Equal(t, fc.NotNull, col.notNull, "%s: NOT NULL is %v, the facts say %v", where, col.notNull, fc.NotNull)
	if l.name == "postgres" && fc.Default != nil {
		got := castSuffix.ReplaceAllString(col.def, "")
		require.Equal(t, *fc.Default, got, "%s: default is %q, want the real %q", where, col.def, *fc.Default)
	}
}

// TestRealKeys: the real primary keys, foreign keys (to the home of the
// referenced column, with the real ON DELETE and ON UPDATE) and unique keys
// of both layouts hold in the migrated schema.
func TestRealKeys(t *testing.T) {
	t.Parallel()
	layouts := loadLayouts(t)
	s := loadSchema(t)
	actions := map[string]string{"a": "no action", "r": "restrict", "c": "cascade", "n": "set null", "d": "set default"}
	for _, l := range layouts {
		for _, ft := range l.Tables {
			t.Run(l.name+"/"+ft.Name, func(t *testing.T) {
				t.Parallel()
				table, pk := homes(t, ft.Name, ft.PrimaryKey)
				tb := s.tables[table]
				require.NotNil(t, tb, "table %s (home of %s) is not in the migrated schema", table, ft.Name)

				i := slices.IndexFunc(tb.constraints, func(k dbConstraint) bool { return k.kind == "p" })
				require.GreaterOrEqual(t, i, 0, "%s (%s): no primary key, want (%s)", table, ft.Name, strings.Join(pk, ", "))
				if p, ok := partitionedKey(table); ok {
					pk = append(slices.Clone(pk), p.Key) // deploystack.Partitioned: the key must hold the partition key
				}
				require.Equal(t, pk, tb.constraints[i].columns, "%s (%s): the primary key", table, ft.Name)

				for _, fk := range ft.ForeignKeys {
					_, cols := homes(t, ft.Name, []string{fk.Column})
					refTable, refCols := homes(t, fk.RefTable, []string{fk.RefColumn})
					where := fmt.Sprintf("%s.%s (%s.%s → %s.%s)", table, cols[0], ft.Name, fk.Column, fk.RefTable, fk.RefColumn)
					i := slices.IndexFunc(tb.constraints, func(k dbConstraint) bool {
						return k.kind == "f" && slices.Equal(k.columns, cols) && k.refTable == refTable && slices.Equal(k.refColumns, refCols)
					})
					require.GreaterOrEqual(t, i, 0, "%s: no foreign key to %s.%s", where, refTable, refCols[0])
					k := tb.constraints[i]
					require.Equal(t, fk.OnDelete, actions[k.onDelete], "%s: %s is ON DELETE %s, want the real %s",
						where, k.name, actions[k.onDelete], fk.OnDelete)
					require.Equal(t, fk.OnUpdate, actions[k.onUpdate], "%s: %s is ON UPDATE %s, want the real %s",
						where, k.name, actions[k.onUpdate], fk.OnUpdate)
				}

				for _, key := range ft.uniqueKeys() {
					_, cols := homes(t, ft.Name, key)
					i := slices.IndexFunc(tb.unique, func(ix dbIndex) bool { return sameColumns(ix.columns, cols) })
					require.GreaterOrEqual(t, i, 0, "%s (%s): no unique index on (%s), the real unique key (%s)",
						table, ft.Name, strings.Join(cols, ", "), strings.Join(key, ", "))
					require.True(t, tb.unique[i].likeReal(), "%s: unique index %s is partial or NULLS NOT DISTINCT "+
						"(%q), the real key is neither", table, tb.unique[i].name, tb.unique[i].predicate)
				}
			})
		}
	}
}

// partitionedKey is table's entry in deploystack.Partitioned.
func partitionedKey(table string) (deploystack.Partition, bool) {
	i := slices.IndexFunc(deploystack.Partitioned, func(p deploystack.Partition) bool { return p.Table == table })
	if i < 0 {
		return deploystack.Partition{}, false
	}
	return deploystack.Partitioned[i], true
}

// TestPartitionedListed: deploystack.Partitioned names exactly the
// partitioned tables of the migrated schema, each with its key and a reason.
func TestPartitionedListed(t *testing.T) {
	t.Parallel()
	pool := stackdbtest.Pool(t)
	rows, err := pool.Query(t.Context(), `SELECT c.relname::text, a.attname::text FROM pg_partitioned_table p
		JOIN pg_class c ON c.oid = p.partrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
		WHERE n.nspname = 'public' ORDER BY 1`)
	require.NoError(t, err)
	got, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (deploystack.Partition, error) {
		var p deploystack.Partition
		return p, r.Scan(&p.Table, &p.Key)
	})
	require.NoError(t, err)
	want := []deploystack.Partition{}
	for _, p := range deploystack.Partitioned {
		require.NotEmpty(t, p.Reason, "deploystack.Partitioned: %s has no reason", p.Table)
		want = append(want, deploystack.Partition{Table: p.Table, Key: p.Key})
	}
	require.ElementsMatch(t, want, got, "deploystack.Partitioned and the partitioned tables of the schema")
}

func sameColumns(a, b []string) bool {
	return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
}

// TestNoConstraintTheFactsLack: on the home of a real table, every unique
// index, foreign key and CHECK is a real one (a documented value set for the
// CHECKs) or is listed in deploystack.StricterThanDeployStack, which the
// importer checks real data against; and every listed one exists.
func TestNoConstraintTheFactsLack(t *testing.T) {
	t.Parallel()
	layouts := loadLayouts(t)
	s := loadSchema(t)

	// What the facts of either layout imply, in stackdb's names.
	type key struct{ table, kind, cols string }
	real := map[key]bool{}
	for _, l := range layouts {
		for _, ft := range l.Tables {
			table, _ := homes(t, ft.Name, nil)
			for _, k := range ft.uniqueKeys() {
				_, cols := homes(t, ft.Name, k)
				real[key{table, deploystack.KindUnique, strings.Join(slices.Sorted(slices.Values(cols)), ",")}] = true
			}
			for _, fk := range ft.ForeignKeys {
				_, cols := homes(t, ft.Name, []string{fk.Column})
				refTable, refCols := homes(t, fk.RefTable, []string{fk.RefColumn})
				real[key{table, deploystack.KindForeignKey, cols[0] + "→" + refTable + "." + refCols[0]}] = true
			}
			for _, fc := range ft.Columns {
				if len(fc.DocumentedValues) > 0 {
					_, cols := homes(t, ft.Name, []string{fc.Name})
					real[key{table, deploystack.KindCheck, cols[0]}] = true
				}
			}
		}
	}
	listed := map[string]bool{}
	for _, st := range deploystack.StricterThanDeployStack {
		listed[stricterKey(st)] = true
	}
	found := map[string]bool{}
	need := func(table, kind, what string, cols []string, name string) {
		k := stricterKey(deploystack.Stricter{Table: table, Kind: kind, Columns: cols, Name: name})
		found[k] = true
		require.True(t, listed[k], "%s: %s is not in DeployStack's model, so real data may violate it: drop it, or add "+
			"it to deploystack.StricterThanDeployStack with a reason (the importer reports its violations)", k, what)
	}
	for _, m := range deploystack.Tables {
		tb := s.tables[m.Name]
		require.NotNil(t, tb, "table %s (home of %s) is not in the migrated schema", m.Name, m.Real)
		for _, ix := range tb.unique {
			if !real[key{m.Name, deploystack.KindUnique, strings.Join(slices.Sorted(slices.Values(ix.columns)), ",")}] || !ix.likeReal() {
				need(m.Name, deploystack.KindUnique, "unique index "+ix.name, ix.columns, "")
			}
		}
		for _, k := range tb.constraints {
			switch {
			case k.kind == "f" && !(len(k.columns) == 1 && len(k.refColumns) == 1 &&
				real[key{m.Name, deploystack.KindForeignKey, k.columns[0] + "→" + k.refTable + "." + k.refColumns[0]}]):
				need(m.Name, deploystack.KindForeignKey, "foreign key "+k.name, k.columns, "")
			case k.kind == "c" && !(len(k.columns) == 1 && real[key{m.Name, deploystack.KindCheck, k.columns[0]}]):
				need(m.Name, deploystack.KindCheck, k.def, nil, k.name)
			}
		}
	}
	for k := range listed {
		require.True(t, found[k], "deploystack.StricterThanDeployStack lists %s, which the migrated schema does not have: drop it", k)
	}
}

// TestEveryStackdbColumnIsRealOrAnAddition: every table of the migrated
// schema is the home of a real table or one of stackdb's own, and every
// column of a real table's home is a real column's home or an addition.
func TestEveryStackdbColumnIsRealOrAnAddition(t *testing.T) {
	t.Parallel()
	s := loadSchema(t)
	for name, tb := range s.tables {
		if slices.ContainsFunc(deploystack.OwnTables, func(o deploystack.OwnTable) bool { return o.Name == name }) {
			continue
		}
		m, ok := mappedTable(name)
		require.True(t, ok, "table %s is the home of no real table: map one to it in deploystack.Tables, or add it "+
			"to deploystack.OwnTables with a reason", name)
		for _, column := range tb.order {
			isHome := slices.ContainsFunc(m.Columns, func(c deploystack.Column) bool { return c.Home() == column })
			isAddition := slices.ContainsFunc(deploystack.Additions, func(a deploystack.Addition) bool {
				return a.Table == name && a.Column == column
			})
			require.True(t, isHome || isAddition, "column %s.%s is the home of no real column of %s: add it to "+
				"deploystack.Additions with a reason", name, column, m.Real)
		}
	}
	for _, o := range deploystack.OwnTables {
		require.Contains(t, s.tables, o.Name, "deploystack.OwnTables lists %s, which the migrated schema does not have", o.Name)
	}
	for _, a := range deploystack.Additions {
		tb := s.tables[a.Table]
		require.NotNil(t, tb, "deploystack.Additions: table %s is not in the migrated schema", a.Table)
		require.Contains(t, tb.columns, a.Column, "deploystack.Additions lists %s.%s, which the migrated schema does not have", a.Table, a.Column)
	}
}
