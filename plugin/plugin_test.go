package plugin_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/plugin"
	"github.com/deploystack/stackdb/stackdbtest"
)

func TestMain(m *testing.M) { stackdbtest.Main(m) }

// The three kinds of pgx handle are all a plugin.DB.
var (
	_ plugin.DB = (*pgxpool.Pool)(nil)
	_ plugin.DB = (*pgx.Conn)(nil)
	_ plugin.DB = pgx.Tx(nil)
)

// ---------------------------------------------------------------------------
// Fixtures

// catalog lists every schema and every relation with its columns, so two
// snapshots differ when anything was created, dropped or altered.
func catalog(t *testing.T, db plugin.DB) []string {
	t.Helper()
	rows, err := db.Query(t.Context(), `
SELECT 'schema ' || nspname FROM pg_namespace
UNION ALL
SELECT format('%s.%s (%s) %s', n.nspname, c.relname, c.relkind,
              (SELECT string_agg(format('%s %s %s', a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull), ', ' ORDER BY a.attnum)
               FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped))
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
ORDER BY 1`)
	require.NoError(t, err)
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	return out
}

// nonPlugin keeps the entries of a catalog snapshot outside plugin schemas.
func nonPlugin(snapshot []string) []string {
	var out []string
	for _, s := range snapshot {
		if !strings.HasPrefix(s, "plugin_") && !strings.HasPrefix(s, "schema plugin_") {
			out = append(out, s)
		}
	}
	return out
}

func schemaExists(t *testing.T, db plugin.DB, schema string) bool {
	t.Helper()
	var ok bool
	require.NoError(t, db.QueryRow(t.Context(),
		"SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = $1)", schema).Scan(&ok))
	return ok
}

var entityColumns = []plugin.Column{
	{Name: "id", Type: plugin.Identity, PrimaryKey: true},
	{Name: "name", Type: plugin.Text, NotNull: true},
	{Name: "description", Type: plugin.Text},
	{Name: "created_at", Type: plugin.BigInt, NotNull: true},
}

func requireValidationError(t *testing.T, err error, sentinel error, what, value, reason string) {
	t.Helper()
	require.ErrorIs(t, err, sentinel)
	var verr *plugin.ValidationError
	require.ErrorAs(t, err, &verr)
	require.Equal(t, what, verr.What)
	require.Equal(t, value, verr.Value)
	require.Contains(t, verr.Reason, reason)
	require.True(t, strings.HasPrefix(err.Error(), "plugin: invalid "+what+" "), err.Error())
}

// ---------------------------------------------------------------------------
// Plugin ids and schema names

func TestSchemaName(t *testing.T) {
	t.Parallel()
	longest := "a" + strings.Repeat("-b", 27) + "c"
	for id, want := range map[string]string{
		"example-plugin": "plugin_example_plugin",
		"a":              "plugin_a",
		"x1":             "plugin_x1",
		"a-b-c":          "plugin_a_b_c",
		"abc123-9z":      "plugin_abc123_9z",
		"public":         "plugin_public",
		"pg-catalog":     "plugin_pg_catalog",
		longest:          "plugin_" + strings.ReplaceAll(longest, "-", "_"),
	} {
		t.Run(id, func(t *testing.T) {
			t.Parallel()
			require.NoError(t, plugin.ValidateID(id))
			got, err := plugin.SchemaName(id)
			require.NoError(t, err)
			require.Equal(t, want, got)
			require.LessOrEqual(t, len(got), plugin.MaxIdentifierLen)

			ident, err := plugin.Ident(id, "things")
			require.NoError(t, err)
			require.Equal(t, pgx.Identifier{want, "things"}, ident)
		})
	}
	require.Len(t, longest, plugin.MaxIDLen)
	require.Equal(t, 56, plugin.MaxIDLen)
}

var invalidIDs = []struct {
	id, reason string
}{
	{"", "must not be empty"},
	{"Example", `contains 'E'`},
	{"example-Plugin", `contains 'P'`},
	{"a.b", `contains '.'`},
	{"a b", `contains ' '`},
	{`a"b`, `contains '"'`},
	{"a'b", `contains '\''`},
	{"a;drop-table", `contains ';'`},
	{`x"; DROP TABLE users; --`, `contains '"'`},
	{"a--b", "doubled '-'"},
	{"a-", "trailing"},
	{"-a", "must start with a lower-case letter"},
	{"1abc", "must start with a lower-case letter"},
	{"a_b", `contains '_'`},
	{"pg_catalog", `contains '_'`},
	{"plügin", `contains 'ü'`},
	{"a\x00b", `contains '\x00'`},
	{"a/b", `contains '/'`},
	{strings.Repeat("a", plugin.MaxIDLen+1), "is 57 bytes long; the limit is 56"},
}

func TestInvalidIDsAreRejectedAndCreateNothing(t *testing.T) {
	t.Parallel()
	pool := stackdbtest.Pool(t)
	ctx := t.Context()
	before := catalog(t, pool)

	for _, tc := range invalidIDs {
		t.Run(tc.id, func(t *testing.T) {
			_, err := plugin.SchemaName(tc.id)
			requireValidationError(t, err, plugin.ErrInvalidID, "plugin id", tc.id, tc.reason)
			require.True(t, strings.HasPrefix(err.Error(), fmt.Sprintf("plugin: invalid plugin id %q: ", tc.id)), err.Error())

			err = plugin.CreateTable(ctx, pool, tc.id, "things", entityColumns)
			require.ErrorIs(t, err, plugin.ErrInvalidID)
			_, err = plugin.Ident(tc.id, "things")
			require.ErrorIs(t, err, plugin.ErrInvalidID)
			_, err = plugin.Tables(ctx, pool, tc.id)
			require.ErrorIs(t, err, plugin.ErrInvalidID)
			_, err = plugin.Count(ctx, pool, tc.id, "things")
			require.ErrorIs(t, err, plugin.ErrInvalidID)
			_, err = plugin.List(ctx, pool, tc.id, "things", plugin.ListOptions{})
			require.ErrorIs(t, err, plugin.ErrInvalidID)
			_, err = plugin.CopyFrom(ctx, pool, tc.id, "things", []string{"name"}, pgx.CopyFromRows([][]any{{"x"}}))
			require.ErrorIs(t, err, plugin.ErrInvalidID)
		})
	}
	require.Equal(t, before, catalog(t, pool), "a rejected id created or changed something")
}

func TestLongIDIsTruncatedInMessage(t *testing.T) {
	t.Parallel()
	id := strings.Repeat("x", 10_000)
	err := plugin.ValidateID(id)
	require.ErrorIs(t, err, plugin.ErrInvalidID)
	require.Less(t, len(err.Error()), 300)
	var verr *plugin.ValidationError
	require.ErrorAs(t, err, &verr)
	require.Equal(t, id, verr.Value, "the error keeps the whole value")
}

// fromSchema inverts the documented mapping; that it recovers every
// accepted id proves no two ids share a schema.
func fromSchema(schema string) string {
	return strings.ReplaceAll(strings.TrimPrefix(schema, plugin.SchemaPrefix), "_", "-")
}

var schemaPattern = regexp.MustCompile(`^plugin_[a-z][a-z0-9_]*$`)

var reservedSchemas = []string{"public", "atlas_schema_revisions", "information_schema", "pg_catalog", "pg_toast"}

func checkSchemaName(t *testing.T, id string) {
	schema, err := plugin.SchemaName(id)
	if err != nil {
		require.ErrorIs(t, err, plugin.ErrInvalidID)
		require.True(t, strings.HasPrefix(err.Error(), "plugin: invalid plugin id "), err.Error())
		return
	}
	require.Regexp(t, schemaPattern, schema)
	require.LessOrEqual(t, len(schema), plugin.MaxIdentifierLen)
	require.NotContains(t, reservedSchemas, schema)
	require.False(t, strings.HasPrefix(schema, "pg_"))
	require.Equal(t, id, fromSchema(schema))
}

func TestDistinctIDsNeverShareASchema(t *testing.T) {
	t.Parallel()
	// Every string of up to 4 characters over an alphabet with the
	// troublesome characters.
	const alphabet = "ab1-_"
	ids := []string{""}
	for level := []string{""}; len(level[0]) < 4; {
		var next []string
		for _, s := range level {
			for _, c := range alphabet {
				next = append(next, s+string(c))
			}
		}
		ids = append(ids, next...)
		level = next
	}
	require.Len(t, ids, 1+5+25+125+625)
	owner := map[string]string{}
	accepted := 0
	for _, id := range ids {
		checkSchemaName(t, id)
		schema, err := plugin.SchemaName(id)
		if err != nil {
			continue
		}
		accepted++
		prev, taken := owner[schema]
		require.False(t, taken && prev != id, "%q and %q both map to %s", prev, id, schema)
		owner[schema] = id
	}
	require.Greater(t, accepted, 50)

	// The pair that would collide under a '-'→'_' mapping is resolved by
	// refusing '_' in ids.
	require.NoError(t, plugin.ValidateID("a-b"))
	require.ErrorIs(t, plugin.ValidateID("a_b"), plugin.ErrInvalidID)
}

func FuzzSchemaName(f *testing.F) {
	for _, tc := range invalidIDs {
		f.Add(tc.id)
	}
	for _, id := range []string{"example-plugin", "a", "a-b", "a1-2b", "public", "pg", "pg-toast", "information-schema", "atlas-schema-revisions"} {
		f.Add(id)
	}
	f.Fuzz(checkSchemaName)
}

// ---------------------------------------------------------------------------
// Creating tables

func TestCreateTableRoundTrip(t *testing.T) {
	t.Parallel()
	pool := stackdbtest.Pool(t)
	ctx := t.Context()
	const id = "round-trip"

	require.NoError(t, plugin.CreateTable(ctx, pool, id, "everything", []plugin.Column{
		{Name: "id", Type: plugin.Integer, PrimaryKey: true},
		{Name: "label", Type: plugin.Text, NotNull: true},
		{Name: "big", Type: plugin.BigInt},
		{Name: "ratio", Type: plugin.DoublePrecision},
		{Name: "flag", Type: plugin.Boolean},
		{Name: "at", Type: plugin.Timestamptz},
		{Name: "doc", Type: plugin.JSONB},
		{Name: "blob", Type: plugin.Bytea},
		{Name: "uid", Type: plugin.UUID},
		{Name: "user", Type: plugin.Text}, // a reserved word is a fine column name: it is quoted
	}))

	// The columns are what was asked for.
	rows, err := pool.Query(ctx, `SELECT column_name || ' ' || data_type || ' ' || is_nullable
FROM information_schema.columns WHERE table_schema = 'plugin_round_trip' AND table_name = 'everything'
ORDER BY ordinal_position`)
	require.NoError(t, err)
	cols, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	require.Equal(t, []string{
		"id integer NO",
		"label text NO",
		"big bigint YES",
		"ratio double precision YES",
		"flag boolean YES",
		"at timestamp with time zone YES",
		"doc jsonb YES",
		"blob bytea YES",
		"uid uuid YES",
		"user text YES",
	}, cols)

	at := time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.UTC)
	uid := [16]byte{0x12, 0x34, 0x56, 0x78, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	n, err := plugin.CopyFrom(ctx, pool, id, "everything",
		[]string{"id", "label", "big", "ratio", "flag", "at", "doc", "blob", "uid", "user"},
		pgx.CopyFromRows([][]any{
			{2, "two", int64(1) << 40, 0.5, true, at, map[string]any{"a": 1, "nested": []any{1, "x"}}, []byte{0, 1, 2}, uid, "bob"},
			{1, "one", nil, nil, false, nil, nil, nil, nil, nil},
		}))
	require.NoError(t, err)
	require.EqualValues(t, 2, n)

	count, err := plugin.Count(ctx, pool, id, "everything")
	require.NoError(t, err)
	require.EqualValues(t, 2, count)

	page, err := plugin.List(ctx, pool, id, "everything", plugin.ListOptions{})
	require.NoError(t, err)
	require.Len(t, page, 2)
	require.Equal(t, map[string]any{
		"id": int32(1), "label": "one", "big": nil, "ratio": nil, "flag": false,
		"at": nil, "doc": nil, "blob": nil, "uid": nil, "user": nil,
	}, page[0], "ordered by primary key, NULLs as nil")

	second := page[1]
	gotAt, ok := second["at"].(time.Time)
	require.True(t, ok, "at is %T", second["at"])
	require.True(t, at.Equal(gotAt), "at = %v", gotAt)
	delete(second, "at")
	require.Equal(t, map[string]any{
		"id": int32(2), "label": "two", "big": int64(1) << 40, "ratio": 0.5, "flag": true,
		"doc":  map[string]any{"a": float64(1), "nested": []any{float64(1), "x"}},
		"blob": []byte{0, 1, 2}, "uid": uid, "user": "bob",
	}, second)

	tables, err := plugin.Tables(ctx, pool, id)
	require.NoError(t, err)
	require.Equal(t, []string{"everything"}, tables)
}

func TestCreateTableLegacyExample(t *testing.T) {
	t.Parallel()
	pool := stackdbtest.Pool(t)
	ctx := t.Context()
	const id = "example-plugin"
	require.NoError(t, plugin.CreateTable(ctx, pool, id, "example_entities", entityColumns))

	// An importer copies legacy rows with their ids …
	n, err := plugin.CopyFrom(ctx, pool, id, "example_entities",
		[]string{"id", "name", "description", "created_at"},
		pgx.CopyFromRows([][]any{
			{5, "five", nil, 1700000500},
			{1, "one", "first", 1700000100},
			{2, "two", nil, 1700000200},
		}))
	require.NoError(t, err)
	require.EqualValues(t, 3, n)

	// … and rows inserted later are numbered after them.
	ident, err := plugin.Ident(id, "example_entities")
	require.NoError(t, err)
	var newID int64
	require.NoError(t, pool.QueryRow(ctx,
		"INSERT INTO "+ident.Sanitize()+" (name, created_at) VALUES ('six', 1700000600) RETURNING id").Scan(&newID))
	require.EqualValues(t, 6, newID)

	// Copying rows without ids numbers them too, and a second copy of
	// smaller ids does not move the counter back.
	_, err = plugin.CopyFrom(ctx, pool, id, "example_entities", []string{"name", "created_at"},
		pgx.CopyFromRows([][]any{{"seven", 1700000700}}))
	require.NoError(t, err)
	_, err = plugin.CopyFrom(ctx, pool, id, "example_entities", []string{"id", "name", "created_at"},
		pgx.CopyFromRows([][]any{{3, "three", 1700000300}}))
	require.NoError(t, err)
	require.NoError(t, pool.QueryRow(ctx,
		"INSERT INTO "+ident.Sanitize()+" (name, created_at) VALUES ('eight', 1700000800) RETURNING id").Scan(&newID))
	require.EqualValues(t, 8, newID)

	page, err := plugin.List(ctx, pool, id, "example_entities", plugin.ListOptions{Limit: 3, Offset: 2})
	require.NoError(t, err)
	var got []string
	for _, row := range page {
		got = append(got, fmt.Sprint(row["id"], " ", row["name"], " ", row["description"], " ", row["created_at"]))
	}
	require.Equal(t, []string{
		"3 three <nil> 1700000300",
		"5 five <nil> 1700000500",
		"6 six <nil> 1700000600",
	}, got)

	count, err := plugin.Count(ctx, pool, id, "example_entities")
	require.NoError(t, err)
	require.EqualValues(t, 7, count)
}

func TestCreateTableLeavesCoreSchemaAlone(t *testing.T) {
	t.Parallel()
	pool := stackdbtest.Pool(t)
	ctx := t.Context()
	before := catalog(t, pool)
	require.Contains(t, before, "schema public")
	require.NotEmpty(t, nonPlugin(before))

	// A plugin may well name a table like a core one.
	require.NoError(t, plugin.CreateTable(ctx, pool, "users", "users", []plugin.Column{
		{Name: "id", Type: plugin.Text, PrimaryKey: true},
	}))
	require.NoError(t, plugin.CreateTable(ctx, pool, "users", "teams", entityColumns))

	after := catalog(t, pool)
	require.Equal(t, nonPlugin(before), nonPlugin(after), "something outside the plugin schema changed")
	require.Contains(t, after, "schema plugin_users")
	require.Contains(t, after, "plugin_users.users (r) id text t")

	count, err := plugin.Count(ctx, pool, "users", "users")
	require.NoError(t, err)
	require.Zero(t, count)
}

func TestCreateTableRejectsBadColumnsAndCreatesNothing(t *testing.T) {
	t.Parallel()
	pool := stackdbtest.Pool(t)
	ctx := t.Context()
	before := catalog(t, pool)

	many := make([]plugin.Column, plugin.MaxColumns+1)
	for i := range many {
		many[i] = plugin.Column{Name: fmt.Sprintf("c%d", i), Type: plugin.Text}
	}
	id := plugin.Column{Name: "id", Type: plugin.Integer, PrimaryKey: true}
	for _, tc := range []struct {
		name     string
		cols     []plugin.Column
		sentinel error
		what     string
		value    string
		reason   string
	}{
		{"no columns", nil, plugin.ErrInvalidColumn, "table", "things", "no columns"},
		{"too many columns", many, plugin.ErrInvalidColumn, "table", "things", "has 1601 columns"},
		{"missing type", []plugin.Column{id, {Name: "x"}}, plugin.ErrInvalidColumn, "column", "x", "type plugin.Type(0) is not one of the Type constants"},
		{"unknown type", []plugin.Column{id, {Name: "x", Type: plugin.Type(99)}}, plugin.ErrInvalidColumn, "column", "x", "plugin.Type(99)"},
		{"duplicate name", []plugin.Column{id, {Name: "x", Type: plugin.Text}, {Name: "x", Type: plugin.BigInt}}, plugin.ErrInvalidColumn, "column", "x", "more than one column"},
		{"system column", []plugin.Column{id, {Name: "xmin", Type: plugin.Text}}, plugin.ErrInvalidColumn, "column", "xmin", "system column"},
		{"empty name", []plugin.Column{id, {Type: plugin.Text}}, plugin.ErrInvalidName, "column name", "", "must not be empty"},
		{"upper case", []plugin.Column{id, {Name: "createdAt", Type: plugin.Text}}, plugin.ErrInvalidName, "column name", "createdAt", "contains 'A'"},
		{"space", []plugin.Column{id, {Name: "a b", Type: plugin.Text}}, plugin.ErrInvalidName, "column name", "a b", "contains ' '"},
		{"injection", []plugin.Column{id, {Name: `x" text); DROP TABLE users; --`, Type: plugin.Text}}, plugin.ErrInvalidName, "column name", `x" text); DROP TABLE users; --`, `contains '"'`},
		{"dot", []plugin.Column{id, {Name: "users.id", Type: plugin.Text}}, plugin.ErrInvalidName, "column name", "users.id", "contains '.'"},
		{"leading digit", []plugin.Column{id, {Name: "1x", Type: plugin.Text}}, plugin.ErrInvalidName, "column name", "1x", "must start with"},
		{"too long", []plugin.Column{id, {Name: strings.Repeat("x", 64), Type: plugin.Text}}, plugin.ErrInvalidName, "column name", strings.Repeat("x", 64), "64 bytes long"},
		{"now on text", []plugin.Column{id, {Name: "x", Type: plugin.Text, Default: plugin.DefaultNow()}}, plugin.ErrInvalidColumn, "column", "x", "DefaultNow needs a timestamptz column"},
		{"text on integer", []plugin.Column{id, {Name: "x", Type: plugin.Integer, Default: plugin.DefaultValue("1); DROP TABLE users; --")}}, plugin.ErrInvalidColumn, "column", "x", "does not fit column type integer"},
		{"integer overflow", []plugin.Column{id, {Name: "x", Type: plugin.Integer, Default: plugin.DefaultValue(int64(math.MaxInt32) + 1)}}, plugin.ErrInvalidColumn, "column", "x", "out of range"},
		{"NaN", []plugin.Column{id, {Name: "x", Type: plugin.DoublePrecision, Default: plugin.DefaultValue(math.NaN())}}, plugin.ErrInvalidColumn, "column", "x", "not a finite number"},
		{"invalid JSON", []plugin.Column{id, {Name: "x", Type: plugin.JSONB, Default: plugin.DefaultValue(`{"a":`)}}, plugin.ErrInvalidColumn, "column", "x", "not valid JSON"},
		{"NUL in text", []plugin.Column{id, {Name: "x", Type: plugin.Text, Default: plugin.DefaultValue("a\x00b")}}, plugin.ErrInvalidColumn, "column", "x", "without NUL"},
		{"default on identity", []plugin.Column{{Name: "x", Type: plugin.Identity, Default: plugin.DefaultValue(1)}}, plugin.ErrInvalidColumn, "column", "x", "cannot have a default"},
		{"unsupported default type", []plugin.Column{id, {Name: "x", Type: plugin.Timestamptz, Default: plugin.DefaultValue(time.Now())}}, plugin.ErrInvalidColumn, "column", "x", "does not fit column type timestamptz"},
		{"nil default", []plugin.Column{id, {Name: "x", Type: plugin.Boolean, Default: plugin.DefaultValue(nil)}}, plugin.ErrInvalidColumn, "column", "x", "does not fit column type boolean"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := plugin.CreateTable(ctx, pool, "bad-columns", "things", tc.cols)
			requireValidationError(t, err, tc.sentinel, tc.what, tc.value, tc.reason)
		})
	}
	require.False(t, schemaExists(t, pool, "plugin_bad_columns"), "a refused definition created the schema")
	require.Equal(t, before, catalog(t, pool))
}

func TestInjectionLookingTableNamesAreRejected(t *testing.T) {
	t.Parallel()
	pool := stackdbtest.Pool(t)
	ctx := t.Context()
	before := catalog(t, pool)

	for _, table := range []string{
		`users; DROP TABLE users; --`,
		`users"`,
		`x" (id int); DROP TABLE public.users; --`,
		"public.users",
		"../users",
		"Users",
		"users--",
		"a\x00b",
		"",
		strings.Repeat("t", 64),
	} {
		t.Run(table, func(t *testing.T) {
			err := plugin.CreateTable(ctx, pool, "injection", table, entityColumns)
			require.ErrorIs(t, err, plugin.ErrInvalidName)
			require.Contains(t, err.Error(), fmt.Sprintf("plugin: invalid table name %q: ", table))
			_, err = plugin.Count(ctx, pool, "injection", table)
			require.ErrorIs(t, err, plugin.ErrInvalidName)
			_, err = plugin.List(ctx, pool, "injection", table, plugin.ListOptions{})
			require.ErrorIs(t, err, plugin.ErrInvalidName)
			_, err = plugin.CopyFrom(ctx, pool, "injection", table, []string{"name"}, pgx.CopyFromRows(nil))
			require.ErrorIs(t, err, plugin.ErrInvalidName)
		})
	}
	require.Equal(t, before, catalog(t, pool))
	var users int
	require.NoError(t, pool.QueryRow(ctx, "SELECT count(*) FROM public.users").Scan(&users))
}

func TestCreateTableThatExists(t *testing.T) {
	t.Parallel()
	pool := stackdbtest.Pool(t)
	ctx := t.Context()
	const id = "twice"
	require.NoError(t, plugin.CreateTable(ctx, pool, id, "things", entityColumns))
	_, err := plugin.CopyFrom(ctx, pool, id, "things", []string{"name", "created_at"}, pgx.CopyFromRows([][]any{{"kept", 1}}))
	require.NoError(t, err)
	before := catalog(t, pool)

	err = plugin.CreateTable(ctx, pool, id, "things", []plugin.Column{{Name: "other", Type: plugin.Text}})
	require.ErrorIs(t, err, plugin.ErrTableExists)
	require.EqualError(t, err, `plugin: table already exists: "plugin_twice"."things"`)

	require.Equal(t, before, catalog(t, pool), "the existing table was altered")
	count, err := plugin.Count(ctx, pool, id, "things")
	require.NoError(t, err)
	require.EqualValues(t, 1, count)
}

// failingDB fails the statements that start with failOn, in transactions
// begun from it: a database error after some statements succeeded.
type failingDB struct {
	plugin.DB
	failOn string
}

var errInjected = errors.New("injected failure")

func (f failingDB) Begin(ctx context.Context) (pgx.Tx, error) {
	tx, err := f.DB.Begin(ctx)
	if err != nil {
		return nil, err
	}
	return failingTx{tx, f.failOn}, nil
}

type failingTx struct {
	pgx.Tx
	failOn string
}

func (f failingTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	if strings.HasPrefix(sql, f.failOn) {
		return pgconn.CommandTag{}, errInjected
	}
	return f.Tx.Exec(ctx, sql, args...)
}

func TestFailuresLeaveNothingBehind(t *testing.T) {
	t.Parallel()
	pool := stackdbtest.Pool(t)
	ctx := t.Context()
	before := catalog(t, pool)

	// The schema is created, then the table fails: the schema goes too.
	err := plugin.CreateTable(ctx, failingDB{pool, "CREATE TABLE"}, "atomic", "things", entityColumns)
	require.ErrorIs(t, err, errInjected)
	require.Equal(t, `plugin: create table "plugin_atomic"."things": injected failure`, err.Error())
	require.False(t, schemaExists(t, pool, "plugin_atomic"))
	require.Equal(t, before, catalog(t, pool))

	// The rows are copied, then moving the identity counter fails: no row
	// stays.
	require.NoError(t, plugin.CreateTable(ctx, pool, "atomic", "things", entityColumns))
	_, err = plugin.CopyFrom(ctx, failingDB{pool, "SELECT setval"}, "atomic", "things",
		[]string{"id", "name", "created_at"}, pgx.CopyFromRows([][]any{{1, "a", 1}, {2, "b", 2}}))
	require.ErrorIs(t, err, errInjected)
	count, err := plugin.Count(ctx, pool, "atomic", "things")
	require.NoError(t, err)
	require.Zero(t, count)

	// A row the table refuses fails the whole copy.
	_, err = plugin.CopyFrom(ctx, pool, "atomic", "things", []string{"id", "name", "created_at"},
		pgx.CopyFromRows([][]any{{1, "a", 1}, {2, nil, 2}}))
	var pgErr *pgconn.PgError
	require.ErrorAs(t, err, &pgErr)
	require.Equal(t, "23502", pgErr.Code) // not_null_violation
	require.True(t, strings.HasPrefix(err.Error(), `plugin: copy into "plugin_atomic"."things": `), err.Error())
	count, err = plugin.Count(ctx, pool, "atomic", "things")
	require.NoError(t, err)
	require.Zero(t, count)
}

func TestInCallersTransaction(t *testing.T) {
	t.Parallel()
	pool := stackdbtest.Pool(t)
	ctx := t.Context()

	tx, err := pool.Begin(ctx)
	require.NoError(t, err)
	defer tx.Rollback(ctx) //nolint:errcheck
	require.NoError(t, plugin.CreateTable(ctx, tx, "in-tx", "things", entityColumns))
	_, err = plugin.CopyFrom(ctx, tx, "in-tx", "things", []string{"name", "created_at"}, pgx.CopyFromRows([][]any{{"a", 1}}))
	require.NoError(t, err)

	// A missing table is reported without aborting the caller's transaction.
	_, err = plugin.Count(ctx, tx, "in-tx", "missing")
	require.ErrorIs(t, err, plugin.ErrTableNotFound)
	// So is a table that exists: its error is confined to a savepoint.
	require.ErrorIs(t, plugin.CreateTable(ctx, tx, "in-tx", "things", entityColumns), plugin.ErrTableExists)
	count, err := plugin.Count(ctx, tx, "in-tx", "things")
	require.NoError(t, err, "the transaction is still usable")
	require.EqualValues(t, 1, count)

	// Until the caller commits, nobody else sees the schema; after a
	// rollback it is gone.
	ids, err := plugin.Plugins(ctx, pool)
	require.NoError(t, err)
	require.NotContains(t, ids, "in-tx")
	require.NoError(t, tx.Rollback(ctx))
	require.False(t, schemaExists(t, pool, "plugin_in_tx"))
}

func TestConcurrentCreateTable(t *testing.T) {
	t.Parallel()
	pool := stackdbtest.Pool(t)
	ctx := t.Context()
	const workers = 8

	run := func(table func(i int) string) []error {
		errs := make([]error, workers)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range workers {
			wg.Go(func() {
				<-start
				errs[i] = plugin.CreateTable(ctx, pool, "race", table(i), entityColumns)
			})
		}
		close(start)
		wg.Wait()
		return errs
	}

	// Tables of one new plugin at once: the schema is created once, every
	// table is created.
	errs := run(func(i int) string { return fmt.Sprintf("t%d", i) })
	for _, err := range errs {
		require.NoError(t, err)
	}
	tables, err := plugin.Tables(ctx, pool, "race")
	require.NoError(t, err)
	require.Len(t, tables, workers)

	// The same table at once: one creates it, the others are told it exists.
	errs = run(func(int) string { return "same" })
	created := 0
	for _, err := range errs {
		if err == nil {
			created++
			continue
		}
		require.ErrorIs(t, err, plugin.ErrTableExists)
	}
	require.Equal(t, 1, created)
}

// ---------------------------------------------------------------------------
// Reading and copying

func TestListOrder(t *testing.T) {
	t.Parallel()
	pool := stackdbtest.Pool(t)
	ctx := t.Context()
	const id = "order"

	// A composite primary key orders by its columns in definition order.
	require.NoError(t, plugin.CreateTable(ctx, pool, id, "pairs", []plugin.Column{
		{Name: "b", Type: plugin.Integer, PrimaryKey: true},
		{Name: "a", Type: plugin.Text, PrimaryKey: true},
		{Name: "note", Type: plugin.Text},
	}))
	_, err := plugin.CopyFrom(ctx, pool, id, "pairs", []string{"a", "b", "note"}, pgx.CopyFromRows([][]any{
		{"x", 2, "x2"}, {"y", 1, "y1"}, {"x", 1, "x1"}, {"a", 3, "a3"},
	}))
	require.NoError(t, err)
	page, err := plugin.List(ctx, pool, id, "pairs", plugin.ListOptions{})
	require.NoError(t, err)
	require.Equal(t, []string{"x1", "y1", "x2", "a3"}, notes(page))

	// Without a primary key, by every column in table order.
	require.NoError(t, plugin.CreateTable(ctx, pool, id, "loose", []plugin.Column{
		{Name: "k", Type: plugin.Text},
		{Name: "note", Type: plugin.Text},
	}))
	_, err = plugin.CopyFrom(ctx, pool, id, "loose", []string{"k", "note"}, pgx.CopyFromRows([][]any{
		{"b", "b2"}, {"a", "a9"}, {"b", "b1"}, {nil, "null"},
	}))
	require.NoError(t, err)
	page, err = plugin.List(ctx, pool, id, "loose", plugin.ListOptions{})
	require.NoError(t, err)
	require.Equal(t, []string{"a9", "b1", "b2", "null"}, notes(page))

	// Pages.
	page, err = plugin.List(ctx, pool, id, "loose", plugin.ListOptions{Limit: 2, Offset: 1})
	require.NoError(t, err)
	require.Equal(t, []string{"b1", "b2"}, notes(page))
	page, err = plugin.List(ctx, pool, id, "loose", plugin.ListOptions{Offset: 10})
	require.NoError(t, err)
	require.Empty(t, page)

	for _, opts := range []plugin.ListOptions{{Limit: -1}, {Limit: plugin.MaxListLimit + 1}, {Offset: -1}} {
		_, err = plugin.List(ctx, pool, id, "loose", opts)
		require.Error(t, err, "%+v", opts)
		require.True(t, strings.HasPrefix(err.Error(), `plugin: list "plugin_order"."loose": `), err.Error())
	}
}

func notes(page []map[string]any) []string {
	var out []string
	for _, row := range page {
		out = append(out, row["note"].(string))
	}
	return out
}

func TestDefaults(t *testing.T) {
	t.Parallel()
	pool := stackdbtest.Pool(t)
	ctx := t.Context()
	const id = "defaults"
	tricky := `it's a \ 'quoted' \' string'); DROP TABLE users; --`
	cols := []plugin.Column{
		{Name: "id", Type: plugin.Identity, PrimaryKey: true},
		{Name: "text", Type: plugin.Text, NotNull: true, Default: plugin.DefaultValue(tricky)},
		{Name: "doc", Type: plugin.JSONB, Default: plugin.DefaultValue(`{"k": ["v\\", 1]}`)},
		{Name: "flag", Type: plugin.Boolean, Default: plugin.DefaultValue(true)},
		{Name: "small", Type: plugin.Integer, Default: plugin.DefaultValue(math.MinInt32)},
		{Name: "big", Type: plugin.BigInt, Default: plugin.DefaultValue(int64(math.MinInt64))},
		{Name: "ratio", Type: plugin.DoublePrecision, Default: plugin.DefaultValue(-1.5e-7)},
		{Name: "whole", Type: plugin.DoublePrecision, Default: plugin.DefaultValue(int32(-3))},
		{Name: "at", Type: plugin.Timestamptz, NotNull: true, Default: plugin.DefaultNow()},
	}

	// Whatever standard_conforming_strings says when the table is created,
	// the default means the same.
	for _, setting := range []string{"on", "off"} {
		table := "things_" + setting
		func() {
			conn, err := pool.Acquire(ctx)
			require.NoError(t, err)
			defer conn.Release()
			_, err = conn.Exec(ctx, "SET standard_conforming_strings = "+setting)
			require.NoError(t, err)
			defer conn.Exec(ctx, "RESET standard_conforming_strings") //nolint:errcheck
			require.NoError(t, plugin.CreateTable(ctx, conn.Conn(), id, table, cols))
		}()
		ident, err := plugin.Ident(id, table)
		require.NoError(t, err)
		_, err = pool.Exec(ctx, "INSERT INTO "+ident.Sanitize()+" DEFAULT VALUES")
		require.NoError(t, err)

		var now time.Time
		require.NoError(t, pool.QueryRow(ctx, "SELECT now()").Scan(&now))
		page, err := plugin.List(ctx, pool, id, table, plugin.ListOptions{})
		require.NoError(t, err)
		require.Len(t, page, 1)
		row := page[0]
		at, ok := row["at"].(time.Time)
		require.True(t, ok, "at is %T", row["at"])
		require.False(t, at.After(now))
		require.WithinDuration(t, now, at, time.Minute)
		delete(row, "at")
		require.Equal(t, map[string]any{
			"id":    int64(1),
			"text":  tricky,
			"doc":   map[string]any{"k": []any{`v\`, float64(1)}},
			"flag":  true,
			"small": int32(math.MinInt32),
			"big":   int64(math.MinInt64),
			"ratio": -1.5e-7,
			"whole": float64(-3),
		}, row, "standard_conforming_strings = %s", setting)
	}
}

func TestMissingTablesAndColumns(t *testing.T) {
	t.Parallel()
	pool := stackdbtest.Pool(t)
	ctx := t.Context()

	// A plugin without a schema has no tables.
	tables, err := plugin.Tables(ctx, pool, "absent")
	require.NoError(t, err)
	require.Empty(t, tables)

	_, err = plugin.Count(ctx, pool, "absent", "things")
	require.ErrorIs(t, err, plugin.ErrTableNotFound)
	require.EqualError(t, err, `plugin: table not found: "plugin_absent"."things"`)
	_, err = plugin.List(ctx, pool, "absent", "things", plugin.ListOptions{})
	require.ErrorIs(t, err, plugin.ErrTableNotFound)
	_, err = plugin.CopyFrom(ctx, pool, "absent", "things", []string{"name"}, pgx.CopyFromRows([][]any{{"x"}}))
	require.ErrorIs(t, err, plugin.ErrTableNotFound)

	// Only tables count: a sequence in the schema is not one.
	require.NoError(t, plugin.CreateTable(ctx, pool, "present", "things", entityColumns))
	_, err = plugin.Count(ctx, pool, "present", "things_id_seq")
	require.ErrorIs(t, err, plugin.ErrTableNotFound)

	for _, tc := range []struct {
		columns []string
		reason  string
	}{
		{[]string{"name", "nope"}, `no such column in "plugin_present"."things"`},
		{[]string{"name", "name"}, "given more than once"},
		{[]string{"name", `name"; DROP TABLE users; --`}, `contains '"'`},
	} {
		_, err = plugin.CopyFrom(ctx, pool, "present", "things", tc.columns, pgx.CopyFromRows([][]any{{"x", "y"}}))
		requireValidationError(t, err, plugin.ErrInvalidName, "column name", tc.columns[1], tc.reason)
	}
	_, err = plugin.CopyFrom(ctx, pool, "present", "things", nil, pgx.CopyFromRows(nil))
	require.EqualError(t, err, `plugin: copy into "plugin_present"."things": no columns given`)
	count, err := plugin.Count(ctx, pool, "present", "things")
	require.NoError(t, err)
	require.Zero(t, count)
}

func TestPluginsAndTables(t *testing.T) {
	t.Parallel()
	pool := stackdbtest.Pool(t)
	ctx := t.Context()

	ids, err := plugin.Plugins(ctx, pool)
	require.NoError(t, err)
	require.Empty(t, ids)

	for _, id := range []string{"zeta", "a-b", "ab", "a"} {
		require.NoError(t, plugin.CreateTable(ctx, pool, id, "t_b", entityColumns))
		require.NoError(t, plugin.CreateTable(ctx, pool, id, "t_a", entityColumns))
	}
	// A schema that only looks like a plugin's is not listed, nor one
	// that SchemaName cannot produce ("plugin_c-d": ids map '-' to '_').
	_, err = pool.Exec(ctx, `CREATE SCHEMA "plugin_Not_A_Plugin"; CREATE SCHEMA plugin_x__y; CREATE SCHEMA plugins;
		CREATE SCHEMA "plugin_c-d"; CREATE SCHEMA "plugin_a-b"`)
	require.NoError(t, err)

	ids, err = plugin.Plugins(ctx, pool)
	require.NoError(t, err)
	require.Equal(t, []string{"a", "a-b", "ab", "zeta"}, ids)

	tables, err := plugin.Tables(ctx, pool, "a-b")
	require.NoError(t, err)
	require.Equal(t, []string{"t_a", "t_b"}, tables)
}

func TestOnAConn(t *testing.T) {
	t.Parallel()
	pool := stackdbtest.Pool(t)
	ctx := t.Context()
	conn, err := pool.Acquire(ctx)
	require.NoError(t, err)
	defer conn.Release()

	var db plugin.DB = conn.Conn()
	require.NoError(t, plugin.CreateTable(ctx, db, "on-conn", "things", entityColumns))
	n, err := plugin.CopyFrom(ctx, db, "on-conn", "things", []string{"name", "created_at"}, pgx.CopyFromRows([][]any{{"a", 1}, {"b", 2}}))
	require.NoError(t, err)
	require.EqualValues(t, 2, n)
	count, err := plugin.Count(ctx, db, "on-conn", "things")
	require.NoError(t, err)
	require.EqualValues(t, 2, count)
}

// Plugin schemas do not disturb the migrations of the core schema.
func TestMigrateWithPluginSchemas(t *testing.T) {
	t.Parallel()
	url := stackdbtest.URL(t)
	ctx := t.Context()
	pool, err := stackdb.OpenPool(ctx, url)
	require.NoError(t, err)
	defer pool.Close()

	require.NoError(t, plugin.CreateTable(ctx, pool, "example-plugin", "example_entities", entityColumns))
	require.NoError(t, stackdb.Migrate(ctx, url))
	tables, err := plugin.Tables(ctx, pool, "example-plugin")
	require.NoError(t, err)
	require.Equal(t, []string{"example_entities"}, tables)
}
