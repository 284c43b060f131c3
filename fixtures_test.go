package stackdb_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/gen/dbsqlc"
	"github.com/deploystack/stackdb/stackdbtest"
)

func TestMain(m *testing.M) { stackdbtest.Main(m) }

// The fixtures insert the smallest valid row with plain SQL, so that tests of
// one table do not depend on the queries of another. Each returns the new
// row's id.

var seq atomic.Int64

// newID returns an id unique within the test binary.
func newID(prefix string) string { return fmt.Sprintf("%s_%03d", prefix, seq.Add(1)) }

// setup gives the test its own freshly migrated database.
func setup(t *testing.T) (context.Context, *pgxpool.Pool, dbsqlc.Querier) {
	t.Helper()
	pool := stackdbtest.Pool(t)
	return t.Context(), pool, stackdb.New(pool)
}

func insert(t *testing.T, db stackdb.DB, sql string, args ...any) {
	t.Helper()
	_, err := db.Exec(t.Context(), sql, args...)
	require.NoError(t, err, sql)
}

func createRole(t *testing.T, db stackdb.DB) string {
	t.Helper()
	id := newID("role")
	insert(t, db, `INSERT INTO roles (id, name, permissions) VALUES ($1, $1, '["teams.read"]')`, id)
	return id
}

// createUser makes a user with a role of its own.
func createUser(t *testing.T, db stackdb.DB) string {
	t.Helper()
	id := newID("user")
	insert(t, db, `INSERT INTO users (id, username, email, auth_type, role_id) VALUES ($1, $1, $1 || '@example.com', 'email_signup', $2)`,
		id, createRole(t, db))
	return id
}

// createTeam makes a team owned by a new user.
func createTeam(t *testing.T, db stackdb.DB) (teamID, ownerID string) {
	t.Helper()
	teamID, ownerID = newID("team"), createUser(t, db)
	insert(t, db, `INSERT INTO teams (id, name, slug, owner_id) VALUES ($1, $1, $1, $2)`, teamID, ownerID)
	return teamID, ownerID
}

// createSatellite makes a team satellite of a new team.
func createSatellite(t *testing.T, db stackdb.DB) (satelliteID, teamID string) {
	t.Helper()
	satelliteID = newID("sat")
	teamID, ownerID := createTeam(t, db)
	insert(t, db, `INSERT INTO satellites (id, name, satellite_type, team_id, capabilities, api_key_hash, created_by)
		VALUES ($1, $1, 'team', $2, '[]', 'argon2-hash', $3)`, satelliteID, teamID, ownerID)
	return satelliteID, teamID
}

// createMcpServer makes a catalog server created by a new user.
func createMcpServer(t *testing.T, db stackdb.DB) string {
	t.Helper()
	id := newID("srv")
	insert(t, db, `INSERT INTO mcp_servers (id, name, slug, description, language, runtime, created_by)
		VALUES ($1, $1, $1, 'a server', 'typescript', 'node', $2)`, id, createUser(t, db))
	return id
}

// createInstallation installs a new server into a new team.
func createInstallation(t *testing.T, db stackdb.DB) (installationID, teamID string) {
	t.Helper()
	installationID = newID("inst")
	teamID, ownerID := createTeam(t, db)
	insert(t, db, `INSERT INTO mcp_server_installations (id, team_id, server_id, created_by, installation_name)
		VALUES ($1, $2, $3, $4, $1)`, installationID, teamID, createMcpServer(t, db), ownerID)
	return installationID, teamID
}
