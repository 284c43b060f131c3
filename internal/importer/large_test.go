package importer_test

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/importer"
	"github.com/deploystack/stackdb/stackdbtest"
)

// TestLargeImport measures a large import. It runs only when
// STACKDB_IMPORT_LARGE_ROWS is set to the number of log rows to generate
// (e.g. 2000000), split over the four append-heavy tables.
func TestLargeImport(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("STACKDB_IMPORT_LARGE_ROWS"))
	if n <= 0 {
		t.Skip("set STACKDB_IMPORT_LARGE_ROWS to run")
	}
	gen := func(table string, rows int, values string) string {
		return fmt.Sprintf(`WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < %d)
			INSERT INTO %s SELECT %s FROM n`, rows+1, table, values)
	}
	start := time.Now()
	path := legacyFile(t,
		gen("mcpToolExecutions", n/2, `i, 'sat1', 't1', CASE WHEN i % 3 = 0 THEN NULL ELSE 'u1' END, 'server', 'tool-' || (i % 17), i % 1000, i % 2,
			CASE WHEN i % 2 = 0 THEN 'error ' || i END, '{"q":"' || i || '","n":' || i || ',"tags":["a","b"]}', 1700000000000 + i * 7`),
		gen("teamMetrics", n/5, `i, 't1', 'sat1', 1700000000 + i * 300, 5, i % 50, i % 3, i * 11`),
		gen("auditLogs", n/5, `i, 'u1', 't1', 'action.' || (i % 9), 'team', 't1', '10.0.0.' || (i % 250), 'agent/1.0', '{"i":' || i || '}', 1700000000 + i`),
		gen("satelliteHeartbeats", n/10, `'hb-' || i, 'sat1', 'active', '{"cpu":' || (i % 100) || '.5,"mem":[1,2,3]}', i % 7, 0, '1.2.3', 1700000000 + i * 30`),
	)
	fi, err := os.Stat(path)
	require.NoError(t, err)
	t.Logf("generated %d rows in %s (%d MB)", n, time.Since(start).Round(time.Millisecond), fi.Size()>>20)
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
	t.Logf("  after the last table (identities, verification, commit): %s", time.Since(last).Round(time.Millisecond))
	require.NoError(t, err)
	var total int64
	for _, tr := range rep.Tables {
		total += tr.Imported
	}
	t.Logf("imported %d rows in %s (%.0f rows/s)", total, rep.Duration.Round(time.Millisecond), float64(total)/rep.Duration.Seconds())
}
