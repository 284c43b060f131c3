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

// BenchmarkInsertPartitioning runs an insert from 8 clients against a
// partitioned table (the current partitions made by maintenance) and
// against a plain table of the same columns, keys and indexes, on the same
// server: the heartbeat statement (SatelliteUpdateHeartbeat, no processes)
// on satellite_heartbeats, and AuditLogInsert on audit_logs:
//
//	go test -run '^$' -bench InsertPartitioning -benchtime 5s .
func BenchmarkInsertPartitioning(b *testing.B) {
	for _, tc := range []struct {
		name string
		// plain replaces the partitioned table with a plain one.
		plain []string
		op    func(ctx context.Context, q dbsqlc.Querier, sat string, i int64) error
	}{
		{"heartbeats", []string{
			`ALTER TABLE satellite_heartbeats RENAME TO satellite_heartbeats_partitioned`,
			`CREATE TABLE satellite_heartbeats (LIKE satellite_heartbeats_partitioned INCLUDING DEFAULTS, PRIMARY KEY (id),
				FOREIGN KEY (satellite_id) REFERENCES satellites (id) ON DELETE CASCADE)`,
			`CREATE INDEX ON satellite_heartbeats (satellite_id, "timestamp")`,
			`CREATE INDEX ON satellite_heartbeats (status)`,
			`CREATE INDEX ON satellite_heartbeats ("timestamp")`,
		}, func(ctx context.Context, q dbsqlc.Querier, sat string, i int64) error {
			_, err := q.SatelliteUpdateHeartbeat(ctx, dbsqlc.SatelliteUpdateHeartbeatParams{
				SatelliteID: sat, ID: fmt.Sprintf("hb_%d", i),
				Status: dbsqlc.HeartbeatStatusActive, SystemMetrics: json.RawMessage(`{"cpu_usage_percent": 3}`),
			})
			return err
		}},
		{"audit", []string{
			`ALTER TABLE audit_logs RENAME TO audit_logs_partitioned`,
			`CREATE TABLE audit_logs (LIKE audit_logs_partitioned INCLUDING DEFAULTS INCLUDING IDENTITY, PRIMARY KEY (id),
				FOREIGN KEY (actor_user_id) REFERENCES users (id) ON DELETE SET NULL,
				FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE SET NULL)`,
			`CREATE INDEX ON audit_logs (team_id, created_at DESC, id DESC)`,
			`CREATE INDEX ON audit_logs (actor_user_id, created_at DESC, id DESC)`,
			`CREATE INDEX ON audit_logs USING brin (created_at)`,
		}, func(ctx context.Context, q dbsqlc.Querier, sat string, i int64) error {
			_, err := q.AuditLogInsert(ctx, dbsqlc.AuditLogInsertParams{
				ActorUserID: new("bench_user"), Action: "satellite.registered", TargetType: new("satellite"),
				TargetID: &sat, IpAddress: new("10.0.0.1"), Metadata: json.RawMessage(`{"n": 1}`),
			})
			return err
		}},
	} {
		for _, layout := range []string{"unpartitioned", "partitioned"} {
			b.Run(tc.name+"/"+layout, func(b *testing.B) {
				ctx := context.Background()
				pool := stackdbtest.Pool(b)
				if layout == "partitioned" {
					_, err := stackdb.MaintainPartitions(ctx, pool, stackdb.PartitionOptions{Ahead: 1})
					require.NoError(b, err)
				} else {
					for _, sql := range tc.plain {
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
						if err := tc.op(ctx, q, sats[i%int64(len(sats))], i); err != nil {
							b.Error(err)
							return
						}
					}
				})
				b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "tps")
			})
		}
	}
}

// BenchmarkRetentionDropVersusDelete removes one span of rows past
// retention, the next span's rows staying: a day of heartbeats (rows
// spread over the day, 100 satellites) and a month of audit entries, by
// DELETE (and the VACUUM it needs) and by dropping the span's partition:
//
//	go test -run '^$' -bench RetentionDropVersusDelete -benchtime 3x -count 2 .
func BenchmarkRetentionDropVersusDelete(b *testing.B) {
	const rows = 200_000
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		table stackdb.PartitionTable
		span  time.Duration // the removed span: day to day + span
		next  time.Time     // the start of the span that stays
		fill  string        // inserts $4 rows from $3 on, ids prefixed $1, satellites $2
	}{
		{"heartbeats", stackdb.PartitionTable{Name: "satellite_heartbeats", Column: "timestamp"}, 24 * time.Hour, day.AddDate(0, 0, 1),
			`INSERT INTO satellite_heartbeats (id, satellite_id, status, system_metrics, "timestamp")
			 SELECT $1 || g, ($2::text[])[1 + g % 100], 'active', '{"cpu_usage_percent": 3}', $3::timestamptz + g * interval '400 ms'
			 FROM generate_series(0, $4 - 1) g`},
		{"audit", stackdb.PartitionTable{Name: "audit_logs", Column: "created_at", Span: stackdb.PartitionMonthly}, 31 * 24 * time.Hour, day.AddDate(0, 1, 0),
			`INSERT INTO audit_logs (actor_user_id, action, target_type, target_id, ip_address, metadata, created_at)
			 SELECT 'bench_user', 'team.member_added', 'team', $1 || g, '10.0.0.' || g % 250, jsonb_build_object('satellite', ($2::text[])[1 + g % 100]),
			        $3::timestamptz + g * interval '13 s'
			 FROM generate_series(0, $4 - 1) g`},
	} {
		name := tc.table.Partition(day)
		// delete+vacuum: the DELETE only marks the rows; the space and the
		// index entries come back with the VACUUM that must follow.
		for _, how := range []string{"delete", "delete+vacuum", "drop"} {
			b.Run(tc.name+"/"+how, func(b *testing.B) {
				ctx := context.Background()
				pool := stackdbtest.Pool(b)
				sats := benchSatellites(b, pool, 100)
				for _, now := range []time.Time{day, tc.next} {
					_, err := stackdb.MaintainPartitions(ctx, pool, stackdb.PartitionOptions{Now: now, Ahead: 1,
						Tables: []stackdb.PartitionTable{tc.table}})
					require.NoError(b, err)
				}
				b.ResetTimer()
				for i := range b.N {
					b.StopTimer()
					// The span's rows, and the next span's, which stay.
					for _, d := range []time.Time{day, tc.next} {
						_, err := pool.Exec(ctx, tc.fill, fmt.Sprintf("r%d_%d_", i, d.Unix()), sats, d, rows)
						require.NoError(b, err)
					}
					_, err := pool.Exec(ctx, `VACUUM ANALYZE `+tc.table.Name)
					require.NoError(b, err)
					b.StartTimer()
					if how == "drop" {
						_, err = pool.Exec(ctx, `DROP TABLE `+name)
					} else {
						_, err = pool.Exec(ctx, fmt.Sprintf(`DELETE FROM %s WHERE %q >= $1 AND %q < $2`, tc.table.Name, tc.table.Column, tc.table.Column),
							day, day.Add(tc.span))
					}
					require.NoError(b, err)
					if how == "delete+vacuum" {
						_, err = pool.Exec(ctx, `VACUUM `+tc.table.Name)
						require.NoError(b, err)
					}
					b.StopTimer()
					// Back to the start: the span's partition empty, the next one's too.
					if how == "drop" {
						_, err = stackdb.MaintainPartitions(ctx, pool, stackdb.PartitionOptions{Now: day, Ahead: 1,
							Tables: []stackdb.PartitionTable{tc.table}})
						require.NoError(b, err)
					}
					_, err = pool.Exec(ctx, `TRUNCATE `+tc.table.Name)
					require.NoError(b, err)
					b.StartTimer()
				}
			})
		}
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
