package ingestbench

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestOverlapRate(t *testing.T) {
	t.Parallel()
	at := func(ms int) time.Time { return time.Unix(1000, 0).Add(time.Duration(ms) * time.Millisecond) }
	tx := func(endMs, latMs int) pgbenchTx {
		return pgbenchTx{end: at(endMs), lat: time.Duration(latMs) * time.Millisecond}
	}
	for _, tc := range []struct {
		name string
		logs pgbenchLogs
		want float64
	}{
		{"one process", pgbenchLogs{"log": {tx(100, 100), tx(200, 100), tx(300, 100), tx(400, 100)}}, 10},
		// The second process starts at 200 ms: its first start and the
		// first process's last end bound the window (200..400 ms), in
		// which 5 transactions ended.
		{"staggered", pgbenchLogs{
			"log0": {tx(100, 100), tx(200, 100), tx(300, 100), tx(400, 100)},
			"log1": {tx(300, 100), tx(400, 100), tx(500, 100), tx(600, 100)},
		}, 5 / 0.2},
		{"apart", pgbenchLogs{"log0": {tx(100, 100)}, "log1": {tx(500, 100)}}, 0},
		{"one empty", pgbenchLogs{"log0": {tx(100, 100)}, "log1": nil}, 0},
	} {
		require.InDelta(t, tc.want, tc.logs.overlapRate(), 1e-9, tc.name)
	}
}

func TestReadPgbenchLogs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, text string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600))
	}
	write("log0.123", "0 0 1500 0 1700000000 500000\n0 1 2500 0 1700000000 600000\n")
	write("log0.123.1", "1 0 1000 0 1700000000 700000\n")
	write("log1.124", "0 0 failed 0 1700000001 0\n0 1 3000 0 1700000001 100000\n")
	logs, err := readPgbenchLogs(dir)
	require.NoError(t, err)
	require.Len(t, logs, 2)
	require.Len(t, logs["log0"], 3)
	require.Equal(t, pgbenchTx{end: time.Unix(1700000001, 100000000), lat: 3 * time.Millisecond}, logs["log1"][0])
	require.ElementsMatch(t, []time.Duration{1500 * time.Microsecond, 2500 * time.Microsecond, time.Millisecond, 3 * time.Millisecond},
		logs.latencies())

	write("log2.125", "0 0 1500 0 x 1\n")
	_, err = readPgbenchLogs(dir)
	require.ErrorContains(t, err, `bench: pgbench log log2.125: bad line "0 0 1500 0 x 1"`)
	require.True(t, strings.HasPrefix(err.Error(), "bench: "))
}
