package dbinfo_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/dbinfo"
	"github.com/deploystack/stackdb/stackdbtest"
)

// churn gives a fresh migrated database a table with 10 live and 10 dead
// tuples, an index that was scanned and one that never was, and a table in a
// plugin schema; it flushes this backend's statistics so they are visible.
func churn(t *testing.T) *pgxpool.Pool {
	t.Helper()
	ctx := context.Background()
	pool := stackdbtest.Pool(t)
	conn, err := pool.Acquire(ctx)
	require.NoError(t, err)
	defer conn.Release()
	for _, sql := range []string{
		`CREATE TABLE probe (id int PRIMARY KEY, code text UNIQUE, v int, w int)`,
		`CREATE INDEX probe_v_idx ON probe (v)`,
		`CREATE INDEX probe_w_idx ON probe (w)`,
		`INSERT INTO probe SELECT i, 'c' || i, i, i FROM generate_series(1, 20) i`,
		`DELETE FROM probe WHERE id > 10`,
		`CREATE SCHEMA plugin_probe`,
		`CREATE TABLE plugin_probe.things (id int PRIMARY KEY)`,
	} {
		_, err := conn.Exec(ctx, sql)
		require.NoError(t, err, sql)
	}
	// One scan of probe_v_idx: the planner must use it with seqscan off.
	tx, err := conn.Begin(ctx)
	require.NoError(t, err)
	_, err = tx.Exec(ctx, `SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off`)
	require.NoError(t, err)
	var n int
	require.NoError(t, tx.QueryRow(ctx, `SELECT count(*) FROM probe WHERE v = 3`).Scan(&n))
	require.Equal(t, 1, n)
	require.NoError(t, tx.Commit(ctx))
	// Statistics reach shared memory when a backend goes idle, at most once a
	// second unless forced; forcing makes them visible before this returns.
	_, err = conn.Exec(ctx, `SELECT pg_stat_force_next_flush()`)
	require.NoError(t, err)
	return pool
}

func TestCollectStats(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := churn(t)

	st, err := dbinfo.CollectStats(ctx, pool, dbinfo.StatsOptions{})
	require.NoError(t, err)
	tables := map[string]dbinfo.TableStats{}
	for _, tb := range st.Tables {
		require.Equal(t, "public", tb.SchemaName, "only stackdb's schema by default")
		tables[tb.TableName] = tb
	}
	require.Contains(t, tables, "users", "the migrations' tables are listed")
	require.NotContains(t, tables, "atlas_schema_revisions")
	probe := tables["probe"]
	require.EqualValues(t, 10, probe.LiveTuples)
	require.EqualValues(t, 10, probe.DeadTuples)
	require.Positive(t, probe.TableBytes)
	require.Positive(t, probe.IndexBytes)
	require.Equal(t, probe.TableBytes+probe.IndexBytes, probe.TotalBytes)
	require.GreaterOrEqual(t, probe.IndexScans, int64(1))
	require.Nil(t, probe.LastVacuum)

	indexes := map[string]dbinfo.IndexStats{}
	for _, x := range st.Indexes {
		indexes[x.IndexName] = x
	}
	tests := []struct {
		index     string
		primary   bool
		unique    bool
		unused    bool
		scanned   bool
		unscanned bool
	}{
		{index: "probe_v_idx", scanned: true},
		{index: "probe_w_idx", unused: true, unscanned: true},
		{index: "probe_pkey", primary: true, unique: true},
		{index: "probe_code_key", unique: true, unscanned: true},
	}
	for _, tc := range tests {
		x, ok := indexes[tc.index]
		require.True(t, ok, tc.index)
		require.Equal(t, "probe", x.TableName, tc.index)
		require.Equal(t, tc.primary, x.IsPrimary, tc.index)
		require.Equal(t, tc.unique, x.IsUnique, tc.index)
		require.Equal(t, tc.unused, x.Unused, tc.index)
		require.Positive(t, x.IndexBytes, tc.index)
		if tc.scanned {
			require.Positive(t, x.IndexScans, tc.index)
		}
		if tc.unscanned {
			require.Zero(t, x.IndexScans, tc.index)
		}
	}
}

func TestCollectStatsAllSchemas(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := churn(t)
	tests := []struct {
		opts dbinfo.StatsOptions
		want bool
	}{
		{opts: dbinfo.StatsOptions{}, want: false},
		{opts: dbinfo.StatsOptions{AllSchemas: true}, want: true},
	}
	for _, tc := range tests {
		st, err := dbinfo.CollectStats(ctx, pool, tc.opts)
		require.NoError(t, err)
		seen := map[string]bool{}
		for _, tb := range st.Tables {
			seen[tb.SchemaName+"."+tb.TableName] = true
		}
		require.True(t, seen["public.probe"])
		require.Equal(t, tc.want, seen["plugin_probe.things"], "AllSchemas=%v", tc.opts.AllSchemas)
		require.Equal(t, tc.want, seen["atlas_schema_revisions.atlas_schema_revisions"], "AllSchemas=%v", tc.opts.AllSchemas)
	}
}

func TestStatsJSON(t *testing.T) {
	t.Parallel()
	st, err := dbinfo.CollectStats(context.Background(), churn(t), dbinfo.StatsOptions{})
	require.NoError(t, err)
	b, err := json.Marshal(st)
	require.NoError(t, err)
	var back dbinfo.Stats
	require.NoError(t, json.Unmarshal(b, &back))
	require.Equal(t, len(st.Tables), len(back.Tables))
	require.Equal(t, st.Indexes, back.Indexes)

	var raw struct {
		Tables  []map[string]any `json:"tables"`
		Indexes []map[string]any `json:"indexes"`
	}
	require.NoError(t, json.Unmarshal(b, &raw))
	require.NotEmpty(t, raw.Tables)
	for _, k := range []string{"schema_name", "table_name", "table_bytes", "index_bytes", "total_bytes", "live_tuples", "dead_tuples", "seq_scans", "index_scans", "last_vacuum", "last_autovacuum", "last_analyze", "last_autoanalyze"} {
		require.Contains(t, raw.Tables[0], k)
	}
	for _, k := range []string{"schema_name", "table_name", "index_name", "index_bytes", "index_scans", "is_primary", "is_unique", "unused"} {
		require.Contains(t, raw.Indexes[0], k)
	}
}
