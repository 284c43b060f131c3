package ingestbench

import (
	"os"
	"path/filepath"
	"runtime/pprof"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestCPUClass(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		stack []string
		want  string
	}{
		{[]string{"internal/runtime/syscall/linux.Syscall6", "syscall.write", "internal/poll.(*FD).Write", "net.(*conn).Write",
			"github.com/jackc/pgx/v5/pgproto3.(*Frontend).Flush"}, "socket I/O"},
		{[]string{"runtime.futex", "runtime.notesleep", "runtime.stopm", "runtime.findRunnable", "runtime.schedule"}, "scheduler"},
		{[]string{"runtime.memclrNoHeapPointers", "runtime.mallocgc", "github.com/jackc/pgx/v5.(*Conn).getRows"}, "alloc"},
		{[]string{"runtime.scanobject", "runtime.gcDrain", "runtime.gcBgMarkWorker"}, "gc"},
		{[]string{"github.com/jackc/pgx/v5/pgtype.(*Map).Encode", "github.com/jackc/pgx/v5.(*ExtendedQueryBuilder).Build"}, "pgx encode"},
		{[]string{"encoding/json.Unmarshal", "github.com/jackc/pgx/v5.(*baseRows).Scan"}, "pgx decode"},
		{[]string{"github.com/jackc/puddle/v2.(*Pool[...]).Acquire", "github.com/jackc/pgx/v5/pgxpool.(*Pool).Acquire"}, "pool"},
		{[]string{"strconv.FormatInt", "github.com/deploystack/stackdb/internal/ingestbench.randomID"}, "harness"},
		{[]string{"internal/poll.(*FD).Read", "github.com/deploystack/stackdb/internal/pgwaits.Sample.func1"}, "wait sampler"},
		{[]string{"main.main"}, "other"},
	} {
		require.Equal(t, tc.want, cpuClass(tc.stack), "%v", tc.stack)
	}
}

// TestProfileSumsUpAStep profiles a busy loop that allocates: the profile
// must find the allocations, count them per operation and name the loop
// among the top functions.
func TestProfileSumsUpAStep(t *testing.T) {
	// Not parallel: one CPU profile at a time per process.
	p := startProfile()
	require.True(t, p.running)
	var keep [][]byte
	var sink int
	const ops = 2000
	deadline := time.Now().Add(300 * time.Millisecond)
	for i := 0; time.Now().Before(deadline) || i < ops; i++ {
		keep = append(keep[:0], make([]byte, 1024))
		sink += spin(200)
	}
	cp := p.stop(ops)
	require.GreaterOrEqual(t, cp.AllocsPerOp, 1.0)
	require.GreaterOrEqual(t, cp.BytesPerOp, 1024.0)
	require.NotEmpty(t, cp.CPU)
	var sum float64
	for _, v := range cp.CPU {
		sum += v
	}
	require.InDelta(t, 1, sum, 0.01)
	require.NotEmpty(t, cp.Top)
	require.Len(t, keep, 1)
	t.Logf("spin: %d", sink) // keeps the loop's work

	// With the process already profiled, the step's profile has no CPU
	// section but still its counters.
	f, err := os.Create(filepath.Join(t.TempDir(), "cpu.out"))
	require.NoError(t, err)
	require.NoError(t, pprof.StartCPUProfile(f))
	defer pprof.StopCPUProfile()
	p = startProfile()
	require.False(t, p.running)
	cp = p.stop(1)
	require.Empty(t, cp.CPU)
}

//go:noinline
func spin(n int) int {
	s := 0
	for i := range n * 1000 {
		s += i ^ (s >> 3)
	}
	return s
}
