package ingestbench

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/gen/dbsqlc"
	"github.com/deploystack/stackdb/stackdbtest"
)

func TestMain(m *testing.M) { stackdbtest.Main(m) }

// seededBatcher returns a batcher on a fresh database seeded as the
// benchmark seeds its own.
func seededBatcher(t *testing.T, linger time.Duration) (*heartbeatBatcher, *scratch) {
	t.Helper()
	ctx := context.Background()
	pool := stackdbtest.Pool(t)
	conn, err := pool.Acquire(ctx)
	require.NoError(t, err)
	t.Cleanup(conn.Release)
	s := &scratch{satellites: minSatellites, admin: conn.Conn()}
	require.NoError(t, s.seed(ctx))
	b, err := newHeartbeatBatcher(pool, dbsqlc.New(pool), 2, 64, linger)
	require.NoError(t, err)
	t.Cleanup(b.Close)
	return b, s
}

func TestHeartbeatBatcherGroupsConcurrentHeartbeats(t *testing.T) {
	t.Parallel()
	b, s := seededBatcher(t, maxLinger)
	const clients, each = 32, 5
	var wg sync.WaitGroup
	errs := make([]error, clients)
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range each {
				p := heartbeatParams(id(c+1), processesJSON(id(c+1)), id(c*100+k))
				if err := b.Heartbeat(context.Background(), p); err != nil {
					errs[c] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	require.Less(t, b.roundTrips.Load(), int64(clients*each), "heartbeats shared round trips")

	ctx := context.Background()
	var heartbeats, satellites, processes int
	require.NoError(t, s.admin.QueryRow(ctx, `SELECT count(*) FROM satellite_heartbeats WHERE process_count = 5 AND healthy_process_count = 5`).Scan(&heartbeats))
	require.NoError(t, s.admin.QueryRow(ctx, `SELECT count(*) FROM satellites WHERE last_heartbeat IS NOT NULL`).Scan(&satellites))
	require.NoError(t, s.admin.QueryRow(ctx, `SELECT count(*) FROM satellite_processes WHERE performance_metrics IS NOT NULL`).Scan(&processes))
	require.Equal(t, clients*each, heartbeats)
	require.Equal(t, clients, satellites)
	require.Equal(t, clients*processesPerSat, processes)
}

func TestHeartbeatBatcherFailsABadHeartbeatAlone(t *testing.T) {
	t.Parallel()
	b, s := seededBatcher(t, maxLinger)
	bad := heartbeatParams(id(1), json.RawMessage(`[{"id":"10","server_name":"x","status":"exploded","health_status":"healthy"}]`), "bad")
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for c := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := heartbeatParams(id(c+2), processesJSON(id(c+2)), id(c+2))
			if c == 0 {
				p = bad
			}
			errs[c] = b.Heartbeat(context.Background(), p)
		}()
	}
	wg.Wait()
	require.Error(t, errs[0])
	for _, err := range errs[1:] {
		require.NoError(t, err)
	}
	var n int
	require.NoError(t, s.admin.QueryRow(context.Background(), `SELECT count(*) FROM satellite_heartbeats`).Scan(&n))
	require.Equal(t, len(errs)-1, n)
}

func TestNewHeartbeatBatcherRefusesLongLinger(t *testing.T) {
	t.Parallel()
	_, err := newHeartbeatBatcher(nil, nil, 1, 1, maxLinger+time.Millisecond)
	require.ErrorContains(t, err, "linger")
}
