package importer_test

import (
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/importer"
	"github.com/deploystack/stackdb/internal/legacygen"
	"github.com/deploystack/stackdb/stackdbtest"
)

// TestLargeImport imports a large generated file in the real layout
// (legacygen: the time-series tables dominate) and requires it to arrive
// exactly: every row, every table verified. It runs only when
// STACKDB_IMPORT_LARGE_ROWS is set to the number of rows to generate (e.g.
// 2000000).
func TestLargeImport(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("STACKDB_IMPORT_LARGE_ROWS"))
	if n <= 0 {
		t.Skip("set STACKDB_IMPORT_LARGE_ROWS to run")
	}
	start := time.Now()
	path, st := generatedFile(t, legacygen.Options{Rows: n, Seed: 1})
	fi, err := os.Stat(path)
	require.NoError(t, err)
	t.Logf("generated %d rows in %s (%d MB)", st.Total, time.Since(start).Round(time.Millisecond), fi.Size()>>20)
	url := stackdbtest.URL(t)
	var peak uint64
	began := time.Now()
	last := began
	rep, err := runImport(t, path, url, func(o *importer.Options) {
		o.BatchSize = 100_000
		o.Progress = func(e importer.ProgressEvent) {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
			if e.Done == 0 && e.Total > 1000 {
				t.Logf("  %s: %s before its start", e.Table, time.Since(last).Round(time.Millisecond))
				last = time.Now()
			}
			if e.Done == e.Total && e.Total > 1000 {
				t.Logf("  %s: %d rows in %s", e.Table, e.Total, time.Since(last).Round(time.Millisecond))
				last = time.Now()
			}
		}
	})
	t.Logf("  peak Go heap seen at progress events: %d MB", peak>>20)
	t.Logf("  after the last table (verification, commit): %s", time.Since(last).Round(time.Millisecond))
	require.NoError(t, err)
	require.Empty(t, rep.Defects)
	var total int64
	for _, tr := range rep.Tables {
		require.True(t, tr.ChecksumOK, tr.Legacy)
		require.Equal(t, st.Tables[tr.Legacy], tr.Imported, tr.Legacy)
		total += tr.Imported
	}
	t.Logf("imported %d rows in %s (%.0f rows/s)", total, rep.Duration.Round(time.Millisecond), float64(total)/rep.Duration.Seconds())
}
