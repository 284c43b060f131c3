package legacygen

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/legacy"
	"github.com/deploystack/stackdb/stackdbtest"
)

// pgFacts is the part of testdata/deploystack/pg_tables.json (DeployStack's
// real Postgres layout) the tests check the generated databases against.
type pgFacts struct {
	Tables []struct {
		Name    string `json:"name"`
		Columns []struct {
			Name             string   `json:"name"`
			PGType           string   `json:"pg_type"`
			Enum             []string `json:"enum"`
			DocumentedValues []string `json:"documented_values"`
			JSON             string   `json:"json"`
			Time             string   `json:"time"`
		} `json:"columns"`
	} `json:"tables"`
}

func loadPGFacts(t *testing.T) pgFacts {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "deploystack", "pg_tables.json"))
	require.NoError(t, err)
	var f pgFacts
	require.NoError(t, json.Unmarshal(b, &f))
	require.Len(t, f.Tables, 42)
	return f
}

// generatePG fills a fresh empty database and returns a pool on it.
func generatePG(t *testing.T, opts Options) (*pgxpool.Pool, Stats) {
	t.Helper()
	url := stackdbtest.EmptyURL(t)
	st, err := GeneratePostgres(context.Background(), url, opts)
	require.NoError(t, err)
	pool, err := pgxpool.New(context.Background(), url)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	// valid_jsonb and valid_timestamptz say whether text is a value of the
	// type, as pg_input_is_valid does from Postgres 16 on.
	for _, typ := range []string{"jsonb", "timestamptz"} {
		_, err = pool.Exec(context.Background(), `CREATE FUNCTION valid_`+typ+`(s text) RETURNS boolean LANGUAGE plpgsql AS $$
			BEGIN PERFORM s::`+typ+`; RETURN true; EXCEPTION WHEN others THEN RETURN false; END $$`)
		require.NoError(t, err)
	}
	return pool, st
}

func pgScalar[T any](t *testing.T, pool *pgxpool.Pool, q string, args ...any) T {
	t.Helper()
	var v T
	require.NoError(t, pool.QueryRow(context.Background(), q, args...).Scan(&v), q)
	return v
}

func pgTableNames(t *testing.T, pool *pgxpool.Pool) []string {
	t.Helper()
	rows, err := pool.Query(context.Background(), `SELECT relname::text FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' ORDER BY 1`)
	require.NoError(t, err)
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	return names
}

// pgChecksums hashes every table's rows (as text, in order).
func pgChecksums(t *testing.T, pool *pgxpool.Pool) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, tbl := range pgTableNames(t, pool) {
		q := fmt.Sprintf(`SELECT coalesce(md5(string_agg(r::text, E'\n' ORDER BY r::text)), '') FROM %s r`, pgx.Identifier{tbl}.Sanitize())
		out[tbl] = pgScalar[string](t, pool, q)
	}
	return out
}

func pgDistinct(t *testing.T, pool *pgxpool.Pool, table, col string) []string {
	t.Helper()
	q := fmt.Sprintf(`SELECT DISTINCT %s FROM %s WHERE %[1]s IS NOT NULL ORDER BY 1`, pgx.Identifier{col}.Sanitize(), pgx.Identifier{table}.Sanitize())
	rows, err := pool.Query(context.Background(), q)
	require.NoError(t, err)
	got, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	return got
}

func TestPostgresDeterministic(t *testing.T) {
	t.Parallel()
	a, sa := generatePG(t, Options{Rows: 5000, Seed: 7})
	b, sb := generatePG(t, Options{Rows: 5000, Seed: 7})
	c, _ := generatePG(t, Options{Rows: 5000, Seed: 8})
	require.Equal(t, sa, sb)
	ca, cb, cc := pgChecksums(t, a), pgChecksums(t, b), pgChecksums(t, c)
	require.Equal(t, ca, cb)
	require.Len(t, ca, 45) // 42 tables, 2 bookkeeping tables, 1 plugin table
	for tbl, sum := range ca {
		if tbl == "__plugin_migrations" || tbl == "globalSettingGroups" {
			continue // no random values, or random only in its times
		}
		require.NotEqual(t, sum, cc[tbl], "table %s is the same with another seed", tbl)
	}
}

func TestPostgresTablesAndStats(t *testing.T) {
	t.Parallel()
	pool, st := generatePG(t, Options{Rows: 20_000, Seed: 42})
	names := pgTableNames(t, pool)
	want := []string{"__drizzle_migrations", "__plugin_migrations", pluginTable}
	for _, ft := range loadPGFacts(t).Tables {
		want = append(want, ft.Name)
	}
	slices.Sort(want)
	require.Equal(t, want, names)
	var total int64
	for _, tbl := range names {
		n := pgScalar[int64](t, pool, `SELECT count(*) FROM `+pgx.Identifier{tbl}.Sanitize())
		require.Positive(t, n, tbl)
		require.Equal(t, n, st.Tables[tbl], tbl)
		total += n
	}
	require.Equal(t, total, st.Total)
	require.InDelta(t, 20_000, float64(st.Total), 2_000)
	require.Empty(t, st.Defects)

	// The migration runner's bookkeeping: every file once, in order, and
	// the serial goes on after the last.
	rows, err := pool.Query(context.Background(), `SELECT migration_name FROM __drizzle_migrations ORDER BY id`)
	require.NoError(t, err)
	applied, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	require.Equal(t, legacy.PGMigrations, applied)
	require.Equal(t, int64(len(legacy.PGMigrations)+1), pgScalar[int64](t, pool, `SELECT nextval(pg_get_serial_sequence('__drizzle_migrations', 'id'))`))
	require.True(t, pgScalar[bool](t, pool, `SELECT bool_and(applied_at > '2025-11-25' AND applied_at < '2026-03-01') FROM __drizzle_migrations`))

	// The indexes and foreign keys are there (created after the rows).
	require.Equal(t, int64(strings.Count(legacy.PGSchema, "FOREIGN KEY")),
		pgScalar[int64](t, pool, `SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace`))
}

// TestPostgresValues: in clean databases, every value of every value set
// and no other; JSON text is JSON; text times parse; the times derived
// from others agree with them.
func TestPostgresValues(t *testing.T) {
	t.Parallel()
	f := loadPGFacts(t)
	pools := map[string]*pgxpool.Pool{}
	for seed := range int64(3) {
		pools[fmt.Sprintf("seed %d", seed)], _ = generatePG(t, Options{Rows: MinRows, Seed: seed})
	}
	pools["20k"], _ = generatePG(t, Options{Rows: 20_000, Seed: 42})
	sets, jsonText := 0, 0
	for _, ft := range f.Tables {
		for _, c := range ft.Columns {
			tbl, col := pgx.Identifier{ft.Name}.Sanitize(), pgx.Identifier{c.Name}.Sanitize()
			for name, pool := range pools {
				where := fmt.Sprintf("%s: %s.%s", name, ft.Name, c.Name)
				if set := slices.Concat(c.Enum, c.DocumentedValues); len(set) > 0 {
					slices.Sort(set)
					require.Equal(t, set, pgDistinct(t, pool, ft.Name, c.Name), where)
				}
				if c.PGType == "text" && strings.HasPrefix(c.JSON, "text") && !strings.Contains(c.JSON, "encrypted") {
					bad := pgScalar[int64](t, pool, fmt.Sprintf(`SELECT count(*) FROM %s WHERE NOT valid_jsonb(%s)`, tbl, col))
					require.Zero(t, bad, where)
				}
				if strings.Contains(c.Time, "ISO-8601") {
					bad := pgScalar[int64](t, pool, fmt.Sprintf(`SELECT count(*) FROM %s WHERE %s !~ '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$' OR NOT valid_timestamptz(%[2]s)`, tbl, col))
					require.Zero(t, bad, where)
				}
			}
			if len(c.Enum)+len(c.DocumentedValues) > 0 {
				sets++
			}
			if c.PGType == "text" && strings.HasPrefix(c.JSON, "text") && !strings.Contains(c.JSON, "encrypted") {
				jsonText++
			}
		}
	}
	require.Equal(t, 28, sets)     // enums and sets named in comments
	require.Equal(t, 46, jsonText) // the encrypted credentials excluded

	pool := pools["20k"]
	require.Zero(t, pgScalar[int64](t, pool, `SELECT count(*) FROM "satelliteUsageLogs" WHERE date_partition <> to_char("timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD')`))
	// authSession.expires_at is epoch milliseconds, 30 days after a login in the window.
	lo, hi := time.Unix(winStart, 0), time.Unix(winEnd, 0).Add(31*24*time.Hour)
	require.True(t, pgScalar[bool](t, pool, `SELECT bool_and(expires_at BETWEEN $1 AND $2) FROM "authSession"`, lo.UnixMilli(), hi.UnixMilli()))
	// Every timestamptz lies in the window (expiries up to 31 days later).
	for _, ft := range f.Tables {
		for _, c := range ft.Columns {
			if c.PGType == "timestamp with time zone" {
				q := fmt.Sprintf(`SELECT coalesce(bool_and(%s BETWEEN $1 AND $2), true) FROM %s`, pgx.Identifier{c.Name}.Sanitize(), pgx.Identifier{ft.Name}.Sanitize())
				require.True(t, pgScalar[bool](t, pool, q, lo, hi), "%s.%s", ft.Name, c.Name)
			}
		}
	}
	// No e-mail differs from another only in case.
	require.Zero(t, pgScalar[int64](t, pool, `SELECT count(*) FROM (SELECT FROM "authUser" GROUP BY lower(email) HAVING count(*) > 1) d`))
}

func TestPostgresDefects(t *testing.T) {
	t.Parallel()
	pool, st := generatePG(t, Options{Rows: MinRows, Seed: 3, Defects: true})
	_, clean := generatePG(t, Options{Rows: MinRows, Seed: 3})
	want := map[string]int{DefectOutsideValueSet: 5, DefectDuplicate: 4, DefectInvalidJSON: 1, DefectUnparsableTime: 1, DefectEmailCase: 1}
	require.Equal(t, want, st.Defects)
	n := 0
	for _, c := range st.Defects {
		n += c
	}
	// The defects are extra rows; two userPreferences rows make one duplicate.
	require.Equal(t, clean.Total+int64(n)+1, st.Total)

	// Where the Postgres layout has a foreign key, nothing dangles: the
	// keys were added after the rows, so Postgres checked every one.
	require.Zero(t, pgScalar[int64](t, pool, `SELECT count(*) FROM "satelliteProcesses" WHERE team_id NOT IN (SELECT id FROM teams)`))
	for tbl, v := range map[string][2]string{
		"satelliteProcesses":  {"status", "crashed"},
		"satelliteHeartbeats": {"status", "inactive"},
		"queueJobs":           {"status", "cancelled"},
		"mcpServerInstances":  {"status", "starting"},
		"mcpServerLogs":       {"log_level", "fatal"},
	} {
		require.Contains(t, pgDistinct(t, pool, tbl, v[0]), v[1], tbl)
	}
	require.Equal(t, int64(1), pgScalar[int64](t, pool, `SELECT count(*) FROM (SELECT FROM "authUser" GROUP BY username HAVING count(*) > 1) d`))
	require.Equal(t, int64(1), pgScalar[int64](t, pool, `SELECT count(*) FROM (SELECT FROM "authUser" GROUP BY lower(email) HAVING count(*) > 1) d`))
	require.Equal(t, int64(1), pgScalar[int64](t, pool, `SELECT count(*) FROM "satelliteCommands" WHERE NOT valid_jsonb(payload)`))
	require.Equal(t, int64(1), pgScalar[int64](t, pool, `SELECT count(*) FROM "satelliteRegistrationTokens" WHERE NOT valid_timestamptz(expires_at)`))
}

func TestPostgresRefusals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := stackdbtest.EmptyURL(t)
	_, err := GeneratePostgres(ctx, url, Options{Rows: 10})
	require.EqualError(t, err, "legacygen: Rows is 10; want at least 1000")

	// A database with anything in it is refused, and left as it was.
	pool, err := pgxpool.New(ctx, url)
	require.NoError(t, err)
	defer pool.Close()
	_, err = pool.Exec(ctx, `CREATE TABLE mine (id int)`)
	require.NoError(t, err)
	_, err = GeneratePostgres(ctx, url, Options{Rows: MinRows})
	require.ErrorContains(t, err, "is not empty")
	require.Equal(t, []string{"mine"}, pgTableNames(t, pool))

	// Cancelled half-way: nothing is left behind.
	url = stackdbtest.EmptyURL(t)
	cctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	_, err = GeneratePostgres(cctx, url, Options{Rows: 200_000})
	require.Error(t, err)
	pool2, err := pgxpool.New(ctx, url)
	require.NoError(t, err)
	defer pool2.Close()
	require.Empty(t, pgTableNames(t, pool2))
}

// TestPostgresCatalog: the generated database has the layout of
// legacy.PGSchema, created as it is written: the keys, indexes and foreign
// keys the generator adds after the rows have the same names and
// definitions.
func TestPostgresCatalog(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	generated, _ := generatePG(t, Options{Rows: MinRows, Seed: 1})
	url := stackdbtest.EmptyURL(t)
	plain, err := pgxpool.New(ctx, url)
	require.NoError(t, err)
	defer plain.Close()
	tables, fks, indexes := legacy.PGStatements()
	for _, s := range slices.Concat(tables, []string{pgPluginTableDDL}, fks, indexes) {
		_, err := plain.Exec(ctx, s)
		require.NoError(t, err, s)
	}
	catalog := func(pool *pgxpool.Pool) []string {
		rows, err := pool.Query(ctx, `
			SELECT format('%s %s %s', conrelid::regclass, conname, pg_get_constraintdef(oid)) FROM pg_constraint WHERE connamespace = 'public'::regnamespace
			UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'
			UNION ALL SELECT format('%s.%s %s %s %s', attrelid::regclass, attname, format_type(atttypid, atttypmod), attnotnull, pg_get_expr(adbin, adrelid))
			FROM pg_attribute LEFT JOIN pg_attrdef ON adrelid = attrelid AND adnum = attnum
			JOIN pg_class c ON c.oid = attrelid WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND attnum > 0 AND NOT attisdropped
			ORDER BY 1`)
		require.NoError(t, err)
		out, err := pgx.CollectRows(rows, pgx.RowTo[string])
		require.NoError(t, err)
		return out
	}
	want := catalog(plain)
	require.Greater(t, len(want), 600)
	require.Equal(t, want, catalog(generated))
}
