package stackdb_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/gen/dbsqlc"
	"github.com/deploystack/stackdb/internal/atlasmig"
	"github.com/deploystack/stackdb/schema"
	"github.com/deploystack/stackdb/stackdbtest"
)

// rootIndexes is the plan's indexes named as their partitioned table's
// index: on a partitioned table the plan names the partitions' own.
func rootIndexes(t *testing.T, tx pgx.Tx, plan queryPlan) []string {
	t.Helper()
	rows, err := tx.Query(t.Context(), `SELECT coalesce(r.relname, c.relname)::text
		FROM unnest($1::text[]) AS n JOIN pg_class c ON c.relname = n AND c.relkind IN ('i', 'I')
		LEFT JOIN pg_class r ON r.oid = pg_partition_root(c.oid)`, plan.Indexes())
	require.NoError(t, err)
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	return names
}

func TestMaintainPartitions(t *testing.T) {
	t.Parallel()
	_, pool, _ := setup(t)
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	rep, err := stackdb.MaintainPartitions(t.Context(), pool, stackdb.PartitionOptions{Now: now, Ahead: 2})
	require.NoError(t, err)
	want := []string{}
	for _, tb := range stackdb.PartitionTables {
		for d := range 3 {
			if p := tb.Partition(now.AddDate(0, 0, d)); !slices.Contains(want, p) {
				want = append(want, p) // audit_logs: one month
			}
		}
	}
	require.ElementsMatch(t, want, rep.Created)
	// A heartbeat through the one-round-trip query lands in today's partition.
	rep, err = stackdb.MaintainPartitions(t.Context(), pool, stackdb.PartitionOptions{Ahead: 1})
	require.NoError(t, err)
	satID, _ := createSatellite(t, pool)
	hb, err := stackdb.New(pool).SatelliteUpdateHeartbeat(t.Context(), dbsqlc.SatelliteUpdateHeartbeatParams{
		SatelliteID: satID, ID: "hb_p", Status: dbsqlc.HeartbeatStatusActive, SystemMetrics: json.RawMessage(`{}`),
	})
	require.NoError(t, err)
	var rel string
	require.NoError(t, pool.QueryRow(t.Context(), `SELECT tableoid::regclass::text FROM satellite_heartbeats WHERE id = $1`, hb.ID).Scan(&rel))
	require.Equal(t, "satellite_heartbeats_p"+time.Now().UTC().Format("20060102"), rel, "created: %v", rep.Created)
}

// TestAuditPartitionMigrationKeepsRows applies the migrations up to the one
// before audit_logs is partitioned, writes entries, and applies the rest:
// every entry is kept with its id, in its month's partition, and the
// identity goes on after the highest id.
func TestAuditPartitionMigrationKeepsRows(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	url := stackdbtest.EmptyURL(t)
	dir, err := schema.Dir()
	require.NoError(t, err)
	_, err = atlasmig.Apply(ctx, url, dir, atlasmig.ApplyOptions{To: "20261201095906"})
	require.NoError(t, err)
	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	defer conn.Close(ctx)
	type entry struct {
		ID        int64
		Action    string
		CreatedAt time.Time
		Partition string
	}
	var want []entry
	for _, e := range []entry{
		{Action: "a", CreatedAt: time.Date(2026, 1, 31, 23, 59, 59, 0, time.UTC), Partition: "audit_logs_p202601"},
		{Action: "b", CreatedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Partition: "audit_logs_p202601"},
		{Action: "c", CreatedAt: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Partition: "audit_logs_p202603"},
	} {
		require.NoError(t, conn.QueryRow(ctx, `INSERT INTO audit_logs (action, created_at) VALUES ($1, $2) RETURNING id`,
			e.Action, e.CreatedAt).Scan(&e.ID))
		want = append(want, e)
	}
	_, err = conn.Exec(ctx, `DELETE FROM audit_logs WHERE action = 'c'`) // the identity is past the highest id left
	require.NoError(t, err)
	want = want[:2]

	_, err = atlasmig.Apply(ctx, url, dir, atlasmig.ApplyOptions{})
	require.NoError(t, err)
	rows, err := conn.Query(ctx, `SELECT id, action, created_at, tableoid::regclass::text FROM audit_logs ORDER BY id`)
	require.NoError(t, err)
	got, err := pgx.CollectRows(rows, pgx.RowToStructByPos[entry])
	require.NoError(t, err)
	for i := range got {
		got[i].CreatedAt = got[i].CreatedAt.UTC()
	}
	require.Equal(t, want, got)
	var kind string
	var old *string
	require.NoError(t, conn.QueryRow(ctx, `SELECT c.relkind::text, to_regclass('audit_logs_unpartitioned')::text
		FROM pg_class c WHERE c.oid = 'audit_logs'::regclass`).Scan(&kind, &old))
	require.Equal(t, "p", kind, "audit_logs is partitioned")
	require.Nil(t, old, "the old table is dropped")
	var next int64
	require.NoError(t, conn.QueryRow(ctx, `INSERT INTO audit_logs (action) VALUES ('d') RETURNING id`).Scan(&next))
	require.Equal(t, want[1].ID+2, next, "the identity goes on where it was (c's id is not reused)")
}
