package atlasmig_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/atlasmig"
	"github.com/deploystack/stackdb/internal/partition"
	"github.com/deploystack/stackdb/schema"
	"github.com/deploystack/stackdb/stackdbtest"
)

// TestDriftPartitions: the partitions partition maintenance makes are not
// drift (unless included); any other partition change is.
func TestDriftPartitions(t *testing.T) {
	t.Parallel()
	day := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	maintain := func(t *testing.T, pool *pgxpool.Pool) {
		_, err := partition.Maintain(context.Background(), pool, partition.Options{Now: day, Ahead: 1,
			Tables: []partition.Table{{Name: "satellite_heartbeats", Column: "timestamp"}}})
		require.NoError(t, err)
	}
	tests := []struct {
		name    string
		change  func(t *testing.T, pool *pgxpool.Pool)
		include bool
		want    []string
		ignored []string
	}{
		{name: "maintenance partitions", change: maintain,
			ignored: []string{"public.satellite_heartbeats_p20260310", "public.satellite_heartbeats_p20260311"}},
		{name: "maintenance partitions included", change: maintain, include: true,
			want: []string{`DROP TABLE "public"."satellite_heartbeats_p20260310";`, `DROP TABLE "public"."satellite_heartbeats_p20260311";`}},
		{name: "monthly maintenance partitions", change: func(t *testing.T, pool *pgxpool.Pool) {
			_, err := partition.Maintain(context.Background(), pool, partition.Options{Now: day, Ahead: 1,
				Tables: []partition.Table{{Name: "audit_logs", Column: "created_at", Span: partition.Monthly}}})
			require.NoError(t, err)
		}, ignored: []string{"public.audit_logs_p202603"}},
		{name: "daily-named partition of a monthly table", change: func(t *testing.T, pool *pgxpool.Pool) {
			_, err := pool.Exec(context.Background(), `CREATE TABLE audit_logs_p20200101 PARTITION OF audit_logs
				FOR VALUES FROM ('2020-01-01 00:00:00+00') TO ('2020-01-02 00:00:00+00')`)
			require.NoError(t, err)
		}, want: []string{`DROP TABLE "public"."audit_logs_p20200101";`}},
		{name: "partition made by hand", change: func(t *testing.T, pool *pgxpool.Pool) {
			_, err := pool.Exec(context.Background(), `CREATE TABLE satellite_heartbeats_old PARTITION OF satellite_heartbeats
				FOR VALUES FROM ('2020-01-01 00:00:00+00') TO ('2021-01-01 00:00:00+00')`)
			require.NoError(t, err)
		}, want: []string{`DROP TABLE "public"."satellite_heartbeats_old";`}},
		{name: "default partition dropped", change: func(t *testing.T, pool *pgxpool.Pool) {
			_, err := pool.Exec(context.Background(), `DROP TABLE satellite_usage_logs_default`)
			require.NoError(t, err)
		}, want: []string{`CREATE TABLE "public"."satellite_usage_logs_default" PARTITION OF "public"."satellite_usage_logs" DEFAULT;`}},
	}
	dir, err := schema.Dir()
	require.NoError(t, err)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			url := stackdbtest.URL(t)
			pool, err := pgxpool.New(context.Background(), url)
			require.NoError(t, err)
			defer pool.Close()
			tc.change(t, pool)
			r, err := atlasmig.Drift(context.Background(), url, dir, atlasmig.DriftOptions{DevURL: stackdbtest.EmptyURL(t), IncludeRuntime: tc.include})
			require.NoError(t, err)
			if tc.want == nil {
				tc.want = []string{}
			}
			if tc.ignored == nil {
				tc.ignored = []string{}
			}
			require.Equal(t, tc.want, r.Statements)
			require.Equal(t, tc.ignored, r.Ignored)
			require.Equal(t, len(tc.want) > 0, r.Drifted())
		})
	}
}
