package ingestbench_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/ingestbench"
)

// TestRunThroughPgBouncer runs the batched heartbeat (pgx batches on the
// stackdb side, pgbench's single statements on the other) and the COPY
// path through a transaction-mode PgBouncer, briefly, at 1 and 4 clients:
// both sides must do work without an error with unnamed statements, and
// the report must name the pooler.
func TestRunThroughPgBouncer(t *testing.T) {
	t.Parallel()
	paths := []string{"heartbeat-batched", "usage-log-copy"}
	var progress bytes.Buffer
	rep, err := ingestbench.Run(context.Background(), ingestbench.Config{
		Clients:           []int{1, 4},
		Duration:          time.Second,
		Paths:             paths,
		CopyRows:          4000,
		PgBouncer:         true,
		PgBouncerPoolSize: 2, // fewer server connections than clients: they are shared
		Progress:          &progress,
	})
	require.NoError(t, err)
	t.Log("\n" + progress.String())
	require.Regexp(t, `^PgBouncer \d+\.\d+.*, transaction mode, 2 server connections$`, rep.PgBouncer)
	require.Len(t, rep.Results, 2*len(paths))
	for _, r := range rep.Results {
		require.Contains(t, paths, r.Path)
		require.Empty(t, r.Stackdb.Error, "%s, %d clients: stackdb", r.Path, r.Clients)
		require.Empty(t, r.Base.Error, "%s, %d clients: %s", r.Path, r.Clients, r.Baseline)
		require.Positive(t, r.Stackdb.Ops, "%s, %d clients: stackdb", r.Path, r.Clients)
		require.Positive(t, r.Base.Ops, "%s, %d clients: %s", r.Path, r.Clients, r.Baseline)
		require.Positive(t, r.Ratio, "%s, %d clients", r.Path, r.Clients)
	}
	var table bytes.Buffer
	require.NoError(t, rep.WriteTable(&table))
	require.Contains(t, table.String(), "Both sides through PgBouncer")
}

func TestRunRefusesAPoolSizeWithoutPgBouncer(t *testing.T) {
	t.Parallel()
	for _, cfg := range []ingestbench.Config{
		{PgBouncerPoolSize: 5},
		{PgBouncer: true, PgBouncerPoolSize: -1},
	} {
		cfg.Clients, cfg.Duration, cfg.CopyRows = []int{1}, time.Second, 1
		_, err := ingestbench.Run(t.Context(), cfg)
		require.ErrorContains(t, err, "bench: pgbouncer pool size", "%+v", cfg)
	}
}
