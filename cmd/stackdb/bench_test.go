package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/stackdbtest"
)

func TestBenchRefusesBadFlags(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--duration", "1500ms"}, "bench: step duration 1.5s: want whole seconds, at least 1s (pgbench -T)"},
		{[]string{"--clients", "0"}, "bench: 0 clients: want 1 to 256"},
		{[]string{"--paths", "nope"}, `bench: unknown path "nope"`},
		{[]string{"--pgbouncer-pool-size", "3"}, "bench: pgbouncer pool size 3: want at least 1, and only with pgbouncer"},
		{[]string{"--url", "mysql://x"}, `bench: --url: invalid database URL: scheme "mysql": want postgres or postgresql`},
	} {
		_, err := run(t, "", append([]string{"bench"}, tc.args...)...)
		require.ErrorContains(t, err, tc.want, "%v", tc.args)
	}
}

// With --url, bench works in a scratch database of its own, which it
// drops, and leaves the named database alone.
func TestBenchOnNamedServer(t *testing.T) {
	t.Parallel()
	url := stackdbtest.URL(t)
	dir := t.TempDir()
	js, svg := filepath.Join(dir, "b.json"), filepath.Join(dir, "b.svg")
	out, err := run(t, "", "bench", "--url", url, "--paths", "usage-log", "--clients", "1", "--duration", "1s",
		"--json", js, "--plot", svg)
	require.NoError(t, err, out)
	require.Contains(t, out, "usage-log")

	var rep struct {
		Results []struct {
			Path  string  `json:"path"`
			Ratio float64 `json:"ratio"`
		} `json:"results"`
	}
	data, err := os.ReadFile(js)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &rep))
	require.Len(t, rep.Results, 1)
	require.Positive(t, rep.Results[0].Ratio)
	plot, err := os.ReadFile(svg)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(string(plot), "<svg"))

	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	defer conn.Close(ctx)
	var logs, scratch int
	require.NoError(t, conn.QueryRow(ctx, "SELECT count(*) FROM satellite_usage_logs").Scan(&logs))
	require.Zero(t, logs, "the named database is untouched")
	require.NoError(t, conn.QueryRow(ctx, "SELECT count(*) FROM pg_database WHERE datname LIKE 'stackdb_bench_%'").Scan(&scratch))
	require.Zero(t, scratch, "the scratch database is dropped")
}
