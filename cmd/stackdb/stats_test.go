package main

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/dbinfo"
	"github.com/deploystack/stackdb/stackdbtest"
)

func TestStatsCommand(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := stackdbtest.URL(t)
	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	for _, sql := range []string{
		`CREATE TABLE probe (id int PRIMARY KEY, v int)`,
		`CREATE INDEX probe_v_idx ON probe (v)`,
		`INSERT INTO probe SELECT i, i FROM generate_series(1, 20) i`,
		`DELETE FROM probe WHERE id > 15`,
		`SELECT pg_stat_force_next_flush()`,
	} {
		_, err := conn.Exec(ctx, sql)
		require.NoError(t, err, sql)
	}
	require.NoError(t, conn.Close(ctx))

	out, err := run(t, "", "stats", "--json", "--url", url)
	require.NoError(t, err, out)
	var st dbinfo.Stats
	require.NoError(t, json.Unmarshal([]byte(out), &st), out)
	var probe *dbinfo.TableStats
	for i := range st.Tables {
		if st.Tables[i].TableName == "probe" {
			probe = &st.Tables[i]
		}
	}
	require.NotNil(t, probe)
	require.EqualValues(t, 15, probe.LiveTuples)
	require.EqualValues(t, 5, probe.DeadTuples)
	unused := map[string]bool{}
	for _, x := range st.Indexes {
		unused[x.IndexName] = x.Unused
	}
	require.Contains(t, unused, "probe_pkey")
	require.False(t, unused["probe_pkey"], "a primary key is never unused")
	require.True(t, unused["probe_v_idx"], "never scanned")

	out, err = run(t, "", "stats", "--url", url)
	require.NoError(t, err)
	require.Regexp(t, `(?m)^probe\s+\d+ (bytes|kB)\s+.*\s15\s+5\s+`, out)
	require.Regexp(t, `(?m)^probe_v_idx\s+probe\s+.*\sunused$`, out)
	require.Regexp(t, `(?m)^probe_pkey\s+probe\s+.*primary key\s*$`, out)
	require.NotContains(t, out, "atlas_schema_revisions")

	out, err = run(t, "", "stats", "--all-schemas", "--url", url)
	require.NoError(t, err)
	require.Contains(t, out, "atlas_schema_revisions.atlas_schema_revisions")
}
