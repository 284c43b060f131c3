package stackdb_test

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/gen/dbsqlc"
)

// TestHeartbeatIngester: heartbeats through the ingester are written as
// SatelliteUpdateHeartbeat writes them, an unknown satellite is
// ErrNotFound for its heartbeat alone, and a closed ingester refuses more.
// internal/ingest's tests compare the batched writes with the sequence.
func TestHeartbeatIngester(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	ing, err := stackdb.NewHeartbeatIngester(pool, stackdb.HeartbeatIngesterOptions{Linger: 5 * time.Millisecond})
	require.NoError(t, err)

	sats := make([]string, 8)
	for i := range sats {
		sats[i], _ = createSatellite(t, pool)
	}
	errs := make([]error, len(sats)+1)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() {
			p := dbsqlc.SatelliteUpdateHeartbeatParams{
				SatelliteID: "sat_missing", ID: fmt.Sprintf("hb_%d", i), Status: dbsqlc.HeartbeatStatusActive,
				SystemMetrics: json.RawMessage(`{}`), Processes: fiveProcesses(fmt.Sprintf("p_%d_a", i), fmt.Sprintf("p_%d_b", i)),
			}
			if i < len(sats) {
				p.SatelliteID = sats[i]
			}
			errs[i] = ing.Heartbeat(ctx, p)
		})
	}
	wg.Wait()
	ing.Close()
	require.ErrorIs(t, errs[len(sats)], stackdb.ErrNotFound)
	for i, sat := range sats {
		require.NoError(t, errs[i])
		got, err := q.SatelliteHeartbeatGetLatestBySatellite(ctx, sat)
		require.NoError(t, err)
		require.Equal(t, fmt.Sprintf("hb_%d", i), got.ID)
		require.EqualValues(t, 2, got.ProcessCount)
		require.EqualValues(t, 1, got.HealthyProcessCount)
		s, err := q.SatelliteGetByID(ctx, sat)
		require.NoError(t, err)
		require.Equal(t, dbsqlc.SatelliteStatusActive, s.Status)
		require.Equal(t, &got.Timestamp, s.LastHeartbeat)
		procs, err := q.SatelliteProcessListBySatellite(ctx, dbsqlc.SatelliteProcessListBySatelliteParams{SatelliteID: sat})
		require.NoError(t, err)
		require.Len(t, procs, 2)
	}
	require.Equal(t, len(sats), countRows(t, pool, "satellite_heartbeats", "true"))
	st := ing.Stats()
	require.EqualValues(t, len(errs), st.Heartbeats)
	require.Positive(t, st.Statements)
	require.LessOrEqual(t, st.Statements, st.Heartbeats)

	require.ErrorIs(t, ing.Heartbeat(ctx, dbsqlc.SatelliteUpdateHeartbeatParams{SatelliteID: sats[0]}), stackdb.ErrIngesterClosed)
}

func TestNewHeartbeatIngesterRefuses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		opts stackdb.HeartbeatIngesterOptions
		want string
	}{
		{stackdb.HeartbeatIngesterOptions{Linger: 10 * time.Millisecond}, "stackdb: ingest: heartbeat ingester: linger 10ms: want 0 to 5ms"},
		{stackdb.HeartbeatIngesterOptions{MaxBatch: -3}, "max batch -3: want 1 to 1000"},
		{stackdb.HeartbeatIngesterOptions{Flushers: 100}, "flushers 100: want 1 to 64"},
	} {
		_, err := stackdb.NewHeartbeatIngester(nil, tc.opts)
		require.ErrorContains(t, err, tc.want)
	}
}
