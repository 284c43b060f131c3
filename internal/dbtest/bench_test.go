package dbtest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/migrate"
	"github.com/deploystack/stackdb/schema"
)

// BenchmarkFreshDatabase measures what each test pays for its own migrated
// database: cloning the template, and dropping the clone afterwards.
func BenchmarkFreshDatabase(b *testing.B) {
	s := server(b)
	tpl, err := s.template() // built once, outside the measurement
	require.NoError(b, err)
	measure(b, func(ctx context.Context) error {
		name, _, err := s.createDB(ctx, tpl)
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
	dir, err := migrate.FromFS(schema.Migrations, schema.MigrationsRoot)
	require.NoError(b, err)
	measure(b, func(ctx context.Context) error {
		name, url, err := s.createDB(ctx, "")
		if err != nil {
			return err
		}
		if _, err := migrate.Apply(ctx, url, dir, migrate.ApplyOptions{}); err != nil {
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
	slices.Sort(durations)
	b.ReportMetric(float64(durations[len(durations)/2].Microseconds())/1000, "ms-median/op")
}
