package stackdb_test

import (
	"context"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/stackdbtest"
)

// Fixtures of the satellite and activity tables (satellites_test.go,
// activity_test.go): plain SQL, so that tests of one query do not depend on
// another.

// createGlobalSatellite makes an active global satellite created by a new
// user.
func createGlobalSatellite(t *testing.T, db stackdb.DB) string {
	t.Helper()
	id := newID("gsat")
	insert(t, db, `INSERT INTO satellites (id, name, satellite_type, capabilities, api_key_hash, created_by)
		VALUES ($1, $1, 'global', '[]', 'argon2-hash', $2)`, id, createUser(t, db))
	return id
}

// setSatelliteStatus forces a satellite's status.
func setSatelliteStatus(t *testing.T, db stackdb.DB, satelliteID, status string) {
	t.Helper()
	require.EqualValues(t, 1, execSQL(t, db, `UPDATE satellites SET status = $2 WHERE id = $1`, satelliteID, status))
}

// createSatelliteCommand queues a command with the given priority, created
// age ago.
func createSatelliteCommand(t *testing.T, db stackdb.DB, satelliteID, priority string, age time.Duration) string {
	t.Helper()
	id := newID("cmd")
	insert(t, db, `INSERT INTO satellite_commands (id, satellite_id, command_type, priority, payload, created_at, updated_at)
		VALUES ($1, $2, 'configure', $3, '{}', now() - make_interval(secs => $4), now() - make_interval(secs => $4))`,
		id, satelliteID, priority, age.Seconds())
	return id
}

// createSatelliteProcess makes a pending process of the satellite in team.
func createSatelliteProcess(t *testing.T, db stackdb.DB, satelliteID, teamID string) string {
	t.Helper()
	id := newID("proc")
	insert(t, db, `INSERT INTO satellite_processes (id, satellite_id, server_name, team_id) VALUES ($1, $2, $1, $3)`,
		id, satelliteID, teamID)
	return id
}

// createSatelliteHeartbeat records a heartbeat of the satellite at at.
func createSatelliteHeartbeat(t *testing.T, db stackdb.DB, satelliteID string, at time.Time) string {
	t.Helper()
	id := newID("hb")
	insert(t, db, `INSERT INTO satellite_heartbeats (id, satellite_id, status, system_metrics, "timestamp")
		VALUES ($1, $2, 'active', '{"cpu_usage_percent": 1}', $3)`, id, satelliteID, at)
	return id
}

// createSatelliteUsageLog logs a tool call of the satellite in team at at.
func createSatelliteUsageLog(t *testing.T, db stackdb.DB, satelliteID, teamID string, userID *string, at time.Time) string {
	t.Helper()
	id := newID("use")
	insert(t, db, `INSERT INTO satellite_usage_logs (id, satellite_id, user_id, team_id, request_method, request_path, "timestamp")
		VALUES ($1, $2, $3, $4, 'POST', '/mcp/tool/x', $5)`, id, satelliteID, userID, teamID, at)
	return id
}

// createSatelliteRegistrationToken makes a global token expiring in
// expiresIn (negative: already expired).
func createSatelliteRegistrationToken(t *testing.T, db stackdb.DB, hash string, expiresIn time.Duration) string {
	t.Helper()
	id := newID("tok")
	insert(t, db, `INSERT INTO satellite_registration_tokens (id, token_type, token_hash, token_prefix, created_by, permissions, expires_at, created_at)
		VALUES ($1, 'global', $2, 'deploystack_satellite_global_', $3, '["register_global_satellite"]', now() + make_interval(secs => $4), now())`,
		id, hash, createUser(t, db), expiresIn.Seconds())
	return id
}

// roundTripConn counts the round trips made over a connection: each burst
// of writes after a read (or at the start) is one.
type roundTripConn struct {
	net.Conn
	mu      sync.Mutex
	writing bool
	trips   int
}

func (c *roundTripConn) Write(b []byte) (int, error) {
	c.mu.Lock()
	if !c.writing {
		c.writing, c.trips = true, c.trips+1
	}
	c.mu.Unlock()
	return c.Conn.Write(b)
}

func (c *roundTripConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if n > 0 {
		c.mu.Lock()
		c.writing = false
		c.mu.Unlock()
	}
	return n, err
}

// Trips returns the round trips since the last call.
func (c *roundTripConn) Trips() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.trips
	c.trips, c.writing = 0, false
	return n
}

// roundTripCountingConn opens a connection to a fresh migrated database
// whose round trips the returned counter counts.
func roundTripCountingConn(t *testing.T) (*pgx.Conn, *roundTripConn) {
	t.Helper()
	cfg, err := pgx.ParseConfig(stackdbtest.URL(t))
	require.NoError(t, err)
	counter := &roundTripConn{}
	dial := cfg.DialFunc
	cfg.DialFunc = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		counter.Conn = c
		return counter, nil
	}
	cfg.Fallbacks = nil
	conn, err := pgx.ConnectConfig(t.Context(), cfg)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	counter.Trips()
	return conn, counter
}
