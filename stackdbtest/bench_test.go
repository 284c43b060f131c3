package stackdbtest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/atlasmig"
	"github.com/deploystack/stackdb/schema"
)

// BenchmarkReceiveDatabase measures what a test waits for on its critical
// path under Main: receiving a migrated database that the background filler
// cloned ahead. Each iteration then does what a short test does — connect,
// query, disconnect — and hands the database back to be dropped in the
// background, so the filler competes with real work as it does in a run.
func BenchmarkReceiveDatabase(b *testing.B) {
	s := server(b)
	require.NotNil(b, s.clones, "the test binary runs under Main, which prefetches")
	ctx := context.Background()
	var waits []time.Duration
	for b.Loop() {
		start := time.Now()
		name, err := s.clone(ctx)
		waits = append(waits, time.Since(start))
		require.NoError(b, err)
		conn, err := pgx.Connect(ctx, s.urlFor(name))
		require.NoError(b, err)
		var n int
		require.NoError(b, conn.QueryRow(ctx, "SELECT count(*) FROM pg_class").Scan(&n))
		require.NoError(b, conn.Close(ctx))
		s.background.Add(1)
		go func() { defer s.background.Done(); _ = s.dropDB(ctx, name) }()
	}
	reportMedian(b, waits)
}

// BenchmarkCloneDatabase measures what one clone costs the server: cloning
// the template and dropping the clone, as the filler does for every test.
func BenchmarkCloneDatabase(b *testing.B) {
	s := server(b)
	measure(b, func(ctx context.Context) error {
		name, err := s.createDB(ctx, s.tplName)
		if err != nil {
			return err
		}
		return s.dropDB(ctx, name)
	})
}

// BenchmarkMigrateFromScratch measures the alternative the template avoids:
// creating an empty database, applying every migration, dropping it.
func BenchmarkMigrateFromScratch(b *testing.B) {
	s := server(b)
	dir, err := schema.Dir()
	require.NoError(b, err)
	measure(b, func(ctx context.Context) error {
		name, err := s.createDB(ctx, "")
		if err != nil {
			return err
		}
		if _, err := atlasmig.Apply(ctx, s.urlFor(name), dir, atlasmig.ApplyOptions{}); err != nil {
			return err
		}
		return s.dropDB(ctx, name)
	})
}

// measure reports the median besides the mean: timings on small shared
// machines are noisy and skewed by the odd checkpoint.
func measure(b *testing.B, op func(context.Context) error) {
	ctx := context.Background()
	var durations []time.Duration
	for b.Loop() {
		start := time.Now()
		require.NoError(b, op(ctx))
		durations = append(durations, time.Since(start))
	}
	reportMedian(b, durations)
}

func reportMedian(b *testing.B, durations []time.Duration) {
	slices.Sort(durations)
	b.ReportMetric(float64(durations[len(durations)/2].Microseconds())/1000, "ms-median/op")
	b.ReportMetric(float64(durations[len(durations)*9/10].Microseconds())/1000, "ms-p90/op")
}
