package stackdb_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/gen/dbsqlc"
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
		want = append(want, tb.Name+"_p20260310", tb.Name+"_p20260311", tb.Name+"_p20260312")
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
