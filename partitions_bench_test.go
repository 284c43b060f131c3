package stackdb_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/gen/dbsqlc"
	"github.com/deploystack/stackdb/stackdbtest"
)

// BenchmarkHeartbeatPartitioning runs the heartbeat statement
// (SatelliteUpdateHeartbeat, no processes) from 8 clients against the
// partitioned satellite_heartbeats (today's partition made by maintenance)
// and against a plain table of the same columns, keys and indexes, on the
// same server:
//
//	go test -run '^$' -bench HeartbeatPartitioning -benchtime 5s .
func BenchmarkHeartbeatPartitioning(b *testing.B) {
	for _, layout := range []string{"unpartitioned", "partitioned"} {
		b.Run(layout, func(b *testing.B) {
			ctx := context.Background()
			pool := stackdbtest.Pool(b)
			if layout == "partitioned" {
				_, err := stackdb.MaintainPartitions(ctx, pool, stackdb.PartitionOptions{Ahead: 1})
				require.NoError(b, err)
			} else {
				for _, sql := range []string{
					`ALTER TABLE satellite_heartbeats RENAME TO satellite_heartbeats_partitioned`,
					`CREATE TABLE satellite_heartbeats (LIKE satellite_heartbeats_partitioned INCLUDING DEFAULTS, PRIMARY KEY (id),
						FOREIGN KEY (satellite_id) REFERENCES satellites (id) ON DELETE CASCADE)`,
					`CREATE INDEX ON satellite_heartbeats (satellite_id, "timestamp")`,
					`CREATE INDEX ON satellite_heartbeats (status)`,
					`CREATE INDEX ON satellite_heartbeats ("timestamp")`,
				} {
					_, err := pool.Exec(ctx, sql)
					require.NoError(b, err, sql)
				}
			}
			sats := benchSatellites(b, pool, 100)
			q := stackdb.New(pool)
			var n atomic.Int64
			b.SetParallelism(4) // 8 clients on 2 cores
			b.ResetTimer()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := n.Add(1)
					_, err := q.SatelliteUpdateHeartbeat(ctx, dbsqlc.SatelliteUpdateHeartbeatParams{
						SatelliteID: sats[i%int64(len(sats))], ID: fmt.Sprintf("hb_%d", i),
						Status: dbsqlc.HeartbeatStatusActive, SystemMetrics: json.RawMessage(`{"cpu_usage_percent": 3}`),
					})
					if err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "tps")
		})
	}
}

// BenchmarkRetentionDropVersusDelete removes one day of heartbeats (rows
// per day below) by dropping its partition and by deleting its rows:
//
//	go test -run '^$' -bench RetentionDropVersusDelete -benchtime 3x -count 2 .
func BenchmarkRetentionDropVersusDelete(b *testing.B) {
	const rows = 200_000
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	// delete+vacuum: the DELETE only marks the rows; the space and the
	// index entries come back with the VACUUM that must follow.
	for _, how := range []string{"delete", "delete+vacuum", "drop"} {
		b.Run(how, func(b *testing.B) {
			ctx := context.Background()
			pool := stackdbtest.Pool(b)
			sats := benchSatellites(b, pool, 100)
			_, err := stackdb.MaintainPartitions(ctx, pool, stackdb.PartitionOptions{Now: day, Ahead: 1,
				Tables: []stackdb.PartitionTable{{Name: "satellite_heartbeats", Column: "timestamp"}}})
			require.NoError(b, err)
			b.ResetTimer()
			for i := range b.N {
				b.StopTimer()
				// A day of heartbeats, and the next day's, which stays.
				for _, d := range []time.Time{day, day.Add(24 * time.Hour)} {
					_, err := pool.Exec(ctx, `INSERT INTO satellite_heartbeats (id, satellite_id, status, system_metrics, "timestamp")
						SELECT $1 || g, ($2::text[])[1 + g % 100], 'active', '{"cpu_usage_percent": 3}', $3::timestamptz + g * interval '400 ms'
						FROM generate_series(0, $4 - 1) g`, fmt.Sprintf("hb%d_%d_", i, d.Day()), sats, d, rows)
					require.NoError(b, err)
				}
				_, err := pool.Exec(ctx, `VACUUM ANALYZE satellite_heartbeats`)
				require.NoError(b, err)
				b.StartTimer()
				if how == "drop" {
					_, err = pool.Exec(ctx, `DROP TABLE satellite_heartbeats_p20260301`)
				} else {
					_, err = pool.Exec(ctx, `DELETE FROM satellite_heartbeats WHERE "timestamp" >= $1 AND "timestamp" < $2`, day, day.Add(24*time.Hour))
				}
				require.NoError(b, err)
				if how == "delete+vacuum" {
					_, err = pool.Exec(ctx, `VACUUM satellite_heartbeats`)
					require.NoError(b, err)
				}
				b.StopTimer()
				// Back to the start: the day's partition empty, the next day's gone.
				if how == "drop" {
					_, err = pool.Exec(ctx, `CREATE TABLE satellite_heartbeats_p20260301 PARTITION OF satellite_heartbeats
						FOR VALUES FROM ('2026-03-01 00:00:00+00') TO ('2026-03-02 00:00:00+00')`)
					require.NoError(b, err)
				}
				_, err = pool.Exec(ctx, `TRUNCATE satellite_heartbeats`)
				require.NoError(b, err)
				b.StartTimer()
			}
		})
	}
}

// benchSatellites inserts n global satellites and returns their ids.
func benchSatellites(b *testing.B, pool *pgxpool.Pool, n int) []string {
	b.Helper()
	ctx := context.Background()
	for _, sql := range []string{
		`INSERT INTO roles (id, name, permissions) VALUES ('bench_role', 'bench_role', '[]')`,
		`INSERT INTO users (id, username, email, auth_type, role_id) VALUES ('bench_user', 'bench_user', 'bench@example.com', 'email_signup', 'bench_role')`,
	} {
		_, err := pool.Exec(ctx, sql)
		require.NoError(b, err, sql)
	}
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("bench_sat_%d", i)
	}
	_, err := pool.Exec(ctx, `INSERT INTO satellites (id, name, satellite_type, capabilities, api_key_hash, created_by)
		SELECT id, id, 'global', '[]', 'h', 'bench_user' FROM unnest($1::text[]) id`, ids)
	require.NoError(b, err)
	return ids
}
