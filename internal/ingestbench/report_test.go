package ingestbench

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"
)

// A step below its baseline is followed by where its time went; one at or
// above it is not.
func TestWriteTableExplainsStepsBelowBaseline(t *testing.T) {
	t.Parallel()
	slow := Result{Path: "heartbeat", Clients: 8, Unit: "tx/s", Baseline: "pgbench", Ratio: 0.8,
		Stackdb: Side{Rate: 800, ClientCPUus: 90, Waits: map[string]float64{"Client": 0.5, "CPU": 0.3, "LWLock:BufferContent": 0.2},
			Profile: &ClientProfile{CPU: map[string]float64{"scheduler": 0.4, "socket I/O": 0.6}, Top: []string{"runtime.futex 20.0%"},
				AllocsPerOp: 43, BytesPerOp: 6900, GCShare: 0.05, SwitchesPerOp: 4.1, SchedP99us: 250}},
		Base: Side{Rate: 1000, ClientCPUus: 30, Waits: map[string]float64{"CPU": 0.7, "Client": 0.3}}}
	fast := Result{Path: "usage-log", Clients: 8, Unit: "tx/s", Baseline: "pgbench", Ratio: 1.1,
		Stackdb: Side{Rate: 1100}, Base: Side{Rate: 1000}}
	var out bytes.Buffer
	require.NoError(t, (&Report{Results: []Result{slow, fast}}).WriteTable(&out))
	text := out.String()
	require.Contains(t, text, "heartbeat, 8 clients (0.80x): client CPU 90.0 us/op (baseline 30.0); 43 allocs, 6900 B/op; GC 5%; "+
		"4.1 context switches/op; scheduler p99 250 us\n")
	require.Contains(t, text, "  client CPU: socket I/O 60%, scheduler 40%\n  top: runtime.futex 20.0%\n")
	require.Contains(t, text, "  backends, stackdb: Client 50%, CPU 30%, LWLock:BufferContent 20%\n  backends, pgbench: CPU 70%, Client 30%\n")
	require.NotContains(t, text, "usage-log, 8 clients (")
}
