package legacy

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/stackdbtest"
)

func TestMain(m *testing.M) { stackdbtest.Main(m) }

// pgSchemaConn is a connection to a fresh database holding PGSchema,
// created statement by statement as a loader does.
func pgSchemaConn(t *testing.T) *pgx.Conn {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, stackdbtest.EmptyURL(t))
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	tables, fks, indexes := PGStatements()
	for _, s := range slices.Concat(tables, fks, indexes) {
		_, err := conn.Exec(ctx, s)
		require.NoError(t, err, s)
	}
	return conn
}

func pgQuery[T any](t *testing.T, conn *pgx.Conn, q string, args ...any) []T {
	t.Helper()
	rows, err := conn.Query(context.Background(), q, args...)
	require.NoError(t, err, q)
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[T])
	require.NoError(t, err, q)
	return out
}

// literalCast is the cast Postgres adds to a literal default ('x'::text).
var literalCast = regexp.MustCompile(`^('.*')::[a-z ]+(\[\])?$`)

// pgIdent is name as Postgres stores an identifier: at most 63 bytes.
func pgIdent(name string) string { return name[:min(len(name), 63)] }

func TestPGSchemaMatchesFacts(t *testing.T) {
	t.Parallel()
	f := loadFacts(t, "pg_tables.json")
	conn := pgSchemaConn(t)

	type name struct{ Name string }
	var tables []string
	for _, r := range pgQuery[name](t, conn, `SELECT relname::text FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' ORDER BY relname`) {
		tables = append(tables, r.Name)
	}
	want := []string{"__drizzle_migrations", "__plugin_migrations"}
	columns := 0
	for _, ft := range f.Tables {
		want = append(want, ft.Name)
		columns += len(ft.Columns)
	}
	slices.Sort(want)
	require.Equal(t, want, tables)
	require.Equal(t, f.ColumnCount, columns)

	type column struct {
		Name, Type string
		NotNull    bool
		Default    *string
	}
	type constraint struct {
		Name, Kind       string
		Columns          []string
		RefTable         *string
		RefColumns       []string
		OnDelete, OnUpdt string
	}
	type index struct {
		Name    string
		Unique  bool
		Method  string
		Columns []string
	}
	action := map[string]string{"a": "no action", "r": "restrict", "c": "cascade", "n": "set null", "d": "set default", " ": ""}
	for _, ft := range f.Tables {
		// One connection: the subtests run one after another.
		t.Run(ft.Name, func(t *testing.T) {
			got := pgQuery[column](t, conn, `
				SELECT a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid)
				FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
				WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`, `"`+ft.Name+`"`)
			require.Len(t, got, len(ft.Columns))
			for i, fc := range ft.Columns {
				g := got[i]
				require.Equal(t, fc.Name, g.Name, "column %d", i)
				require.Equal(t, fc.PGType, g.Type, fc.Name)
				require.Equal(t, fc.NotNull, g.NotNull, fc.Name)
				if fc.Default == nil {
					require.Nil(t, g.Default, "%s has a default", fc.Name)
				} else {
					require.NotNil(t, g.Default, "%s has no default", fc.Name)
					require.Equal(t, *fc.Default, literalCast.ReplaceAllString(*g.Default, "$1"), fc.Name)
				}
			}

			cons := pgQuery[constraint](t, conn, `
				SELECT c.conname::text, c.contype::text,
				       ARRAY(SELECT attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, o) JOIN pg_attribute ON attrelid = c.conrelid AND attnum = k.n ORDER BY k.o),
				       c.confrelid::regclass::text,
				       ARRAY(SELECT attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, o) JOIN pg_attribute ON attrelid = c.confrelid AND attnum = k.n ORDER BY k.o),
				       c.confdeltype::text, c.confupdtype::text
				FROM pg_constraint c WHERE c.conrelid = $1::regclass ORDER BY c.conname`, `"`+ft.Name+`"`)
			var pk []string
			var fks, wantFKs, uniques, wantUniques []constraint
			for _, c := range cons {
				switch c.Kind {
				case "p":
					require.Equal(t, ft.Name+"_pkey", c.Name)
					pk = c.Columns
				case "f":
					c.RefTable = new(strings.Trim(*c.RefTable, `"`))
					c.OnDelete, c.OnUpdt = action[c.OnDelete], action[c.OnUpdt]
					fks = append(fks, c)
				case "u":
					c.RefTable, c.RefColumns, c.OnDelete, c.OnUpdt = nil, nil, "", ""
					uniques = append(uniques, c)
				default:
					t.Fatalf("unexpected constraint %s (%s)", c.Name, c.Kind)
				}
			}
			require.Equal(t, ft.PrimaryKey, pk)
			for _, k := range ft.ForeignKeys {
				// drizzle-kit's name for an unnamed foreign key.
				n := pgIdent(ft.Name + "_" + k.Column + "_" + k.RefTable + "_" + k.RefColumn + "_fk")
				wantFKs = append(wantFKs, constraint{Name: n, Kind: "f", Columns: []string{k.Column}, RefTable: &k.RefTable, RefColumns: []string{k.RefColumn}, OnDelete: k.OnDelete, OnUpdt: k.OnUpdate})
			}
			require.ElementsMatch(t, wantFKs, fks)
			for _, u := range ft.UniqueConstraints {
				wantUniques = append(wantUniques, constraint{Name: u.Name, Kind: "u", Columns: u.Columns})
			}
			require.ElementsMatch(t, wantUniques, uniques)

			// The indexes created on their own, not those behind a constraint.
			got2 := pgQuery[index](t, conn, `
				SELECT c.relname::text, i.indisunique, am.amname::text,
				       ARRAY(SELECT attname::text FROM unnest(i.indkey) WITH ORDINALITY k(n, o) JOIN pg_attribute ON attrelid = i.indrelid AND attnum = k.n ORDER BY k.o)
				FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
				WHERE i.indrelid = $1::regclass AND NOT EXISTS (SELECT FROM pg_constraint WHERE conindid = i.indexrelid)`, `"`+ft.Name+`"`)
			var wantIx []index
			for _, ix := range ft.Indexes {
				wantIx = append(wantIx, index{Name: ix.Name, Unique: ix.Unique, Method: ix.Method, Columns: ix.Columns})
			}
			require.ElementsMatch(t, wantIx, got2)
		})
	}
}

func TestPGSchemaBookkeeping(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	conn := pgSchemaConn(t)

	// The backend's migration runner records each file by name, once, at
	// the time it ran (without a zone).
	for _, m := range PGMigrations {
		_, err := conn.Exec(ctx, `INSERT INTO __drizzle_migrations (migration_name) VALUES ($1)`, m)
		require.NoError(t, err)
	}
	var n, first int
	var typ string
	require.NoError(t, conn.QueryRow(ctx, `SELECT count(*), min(id), pg_typeof(min(applied_at))::text FROM __drizzle_migrations`).Scan(&n, &first, &typ))
	require.Equal(t, len(PGMigrations), n)
	require.Equal(t, 1, first)
	require.Equal(t, "timestamp without time zone", typ)
	_, err := conn.Exec(ctx, `INSERT INTO __drizzle_migrations (migration_name) VALUES ($1)`, PGMigrations[0])
	require.ErrorContains(t, err, "duplicate key")

	_, err = conn.Exec(ctx, `INSERT INTO __plugin_migrations (plugin_id, table_name, schema_hash) VALUES ('example-plugin', 'example_entities', 'abc')`)
	require.NoError(t, err)
	_, err = conn.Exec(ctx, `INSERT INTO __plugin_migrations (plugin_id, table_name, schema_hash) VALUES ('example-plugin', 'example_entities', 'def')`)
	require.ErrorContains(t, err, "duplicate key")
}

func TestPGMigrations(t *testing.T) {
	t.Parallel()
	// 0000 to 0028, one file each, in the order the runner sorts them.
	require.Len(t, PGMigrations, 29)
	require.True(t, slices.IsSorted(PGMigrations))
	for i, m := range PGMigrations {
		require.Regexp(t, `^\d{4}_[a-z_]+\.sql$`, m)
		require.Equal(t, i, atoi(t, m[:4]), m)
	}
	require.Equal(t, "0028_typical_falcon.sql", PGMigrations[28])
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

func TestPGColumnTypes(t *testing.T) {
	t.Parallel()
	conn := pgSchemaConn(t)
	type column struct{ Table, Name, Type string }
	want := map[string]map[string]string{}
	for _, c := range pgQuery[column](t, conn, `
		SELECT c.relname::text, a.attname::text, format_type(a.atttypid, a.atttypmod)
		FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
		WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped`) {
		if want[c.Table] == nil {
			want[c.Table] = map[string]string{}
		}
		want[c.Table][c.Name] = c.Type
	}
	require.Equal(t, want, PGColumnTypes())
}
