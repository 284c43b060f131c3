package stackdb_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/gen/dbsqlc"
)

// ---------------------------------------------------------------------------
// Fixtures for satellites, heartbeats and processes (satellites_test.go,
// processes_test.go). Names start with "sat" to stay clear of other areas'
// helpers.

// satEnv is a test's database with a user and a team to own satellites.
type satEnv struct {
	ctx  context.Context
	pool *pgxpool.Pool
	q    dbsqlc.Querier
	user dbsqlc.User
	team dbsqlc.Team
}

func satSetup(t *testing.T) satEnv {
	t.Helper()
	ctx, pool, q := setup(t)
	role := createRole(t, q, "member")
	user := createUser(t, q, role.ID, newID("sat")+"@example.com")
	team := createTeam(t, q, user.ID, "Satellites", newID("team-slug"))
	return satEnv{ctx: ctx, pool: pool, q: q, user: user, team: team}
}

// satRegister registers an inactive global satellite.
func satRegister(t *testing.T, e satEnv) dbsqlc.Satellite {
	t.Helper()
	id := newID("sat")
	s, err := e.q.SatelliteRegister(e.ctx, dbsqlc.SatelliteRegisterParams{
		ID:            id,
		Name:          "satellite " + id,
		SatelliteType: dbsqlc.SatelliteTypeGlobal,
		SatelliteUrl:  "https://" + id + ".example.com",
		CreatedBy:     e.user.ID,
	})
	require.NoError(t, err)
	return s
}

// satHeartbeat records a heartbeat with the given status.
func satHeartbeat(t *testing.T, e satEnv, satelliteID string, status dbsqlc.SatelliteStatus) dbsqlc.SatelliteHeartbeat {
	t.Helper()
	hb, err := e.q.SatelliteRecordHeartbeat(e.ctx, dbsqlc.SatelliteRecordHeartbeatParams{
		ID:            newID("hb"),
		SatelliteID:   satelliteID,
		Status:        status,
		SystemMetrics: json.RawMessage(`{"cpu":0.5}`),
	})
	require.NoError(t, err)
	return hb
}

// satSetHeartbeatAt back-dates a heartbeat row to now+d and returns the
// stored time.
func satSetHeartbeatAt(t *testing.T, e satEnv, heartbeatID string, d time.Duration) time.Time {
	t.Helper()
	var at time.Time
	require.NoError(t, e.pool.QueryRow(e.ctx,
		`UPDATE satellite_heartbeats SET created_at = now() + make_interval(secs => $2) WHERE id = $1 RETURNING created_at`,
		heartbeatID, d.Seconds()).Scan(&at))
	return at
}

// satInstall inserts an MCP server and an installation of it in the team
// (their queries belong to another area) and returns the installation id.
func satInstall(t *testing.T, e satEnv) string {
	t.Helper()
	server, inst := newID("server"), newID("inst")
	execSQL(t, e.pool, `INSERT INTO mcp_servers (id, name, slug, description, language, runtime)
		VALUES ($1, $1, $1, 'test server', 'typescript', 'node')`, server)
	execSQL(t, e.pool, `INSERT INTO mcp_server_installations (id, team_id, server_id, created_by, installation_name)
		VALUES ($1, $2, $3, $4, $1)`, inst, e.team.ID, server, e.user.ID)
	return inst
}

// satStartProcess starts a process of the installation on the satellite.
func satStartProcess(t *testing.T, e satEnv, satelliteID, installationID string) dbsqlc.SatelliteProcess {
	t.Helper()
	id := newID("proc")
	p, err := e.q.SatelliteProcessStart(e.ctx, dbsqlc.SatelliteProcessStartParams{
		ID:             id,
		SatelliteID:    satelliteID,
		InstallationID: installationID,
		TeamID:         e.team.ID,
		ProcessID:      "pid-" + id,
	})
	require.NoError(t, err)
	return p
}

// ---------------------------------------------------------------------------
// satellites

func TestSatelliteRegisterGetDelete(t *testing.T) {
	t.Parallel()
	e := satSetup(t)

	created, err := e.q.SatelliteRegister(e.ctx, dbsqlc.SatelliteRegisterParams{
		ID:            "sat_eu",
		Name:          "EU team satellite",
		SatelliteType: dbsqlc.SatelliteTypeTeam,
		TeamID:        &e.team.ID,
		SatelliteUrl:  "https://eu.example.com",
		Region:        new("eu-west-1"),
		Version:       new("1.2.3"),
		SystemInfo:    json.RawMessage(`{"os":"linux","cpus":4}`),
		CreatedBy:     e.user.ID,
	})
	require.NoError(t, err)
	require.Equal(t, dbsqlc.SatelliteStatusInactive, created.Status, "a new satellite is inactive until it reports")
	require.Nil(t, created.LastHeartbeat)
	require.Equal(t, "EU team satellite", created.Name)
	require.Equal(t, dbsqlc.SatelliteTypeTeam, created.SatelliteType)
	require.Equal(t, &e.team.ID, created.TeamID)
	require.Equal(t, "https://eu.example.com", created.SatelliteUrl)
	require.Equal(t, new("eu-west-1"), created.Region)
	require.Equal(t, new("1.2.3"), created.Version)
	require.JSONEq(t, `{"os":"linux","cpus":4}`, string(created.SystemInfo))
	require.Equal(t, e.user.ID, created.CreatedBy)
	require.WithinDuration(t, time.Now(), created.CreatedAt, time.Minute)
	require.Equal(t, created.CreatedAt, created.UpdatedAt)

	minimal := satRegister(t, e)
	require.Nil(t, minimal.TeamID, "nil pointers are NULL")
	require.Nil(t, minimal.Region)
	require.Nil(t, minimal.Version)
	require.Nil(t, minimal.SystemInfo, "nil json.RawMessage is NULL")

	got, err := e.q.SatelliteGetByID(e.ctx, "sat_eu")
	require.NoError(t, err)
	require.Equal(t, created, got)
	_, err = e.q.SatelliteGetByID(e.ctx, "sat_missing")
	require.ErrorIs(t, err, stackdb.ErrNotFound)

	n, err := e.q.SatelliteDelete(e.ctx, "sat_eu")
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	n, err = e.q.SatelliteDelete(e.ctx, "sat_eu")
	require.NoError(t, err)
	require.Zero(t, n, "deleting a missing id affects no row")
	_, err = e.q.SatelliteGetByID(e.ctx, "sat_eu")
	require.ErrorIs(t, err, stackdb.ErrNotFound)
	_, err = e.q.SatelliteGetByID(e.ctx, minimal.ID)
	require.NoError(t, err, "only the named satellite is deleted")
}

func TestSatelliteConstraints(t *testing.T) {
	t.Parallel()
	e := satSetup(t)
	s := satRegister(t, e)

	params := func(mod func(*dbsqlc.SatelliteRegisterParams)) dbsqlc.SatelliteRegisterParams {
		p := dbsqlc.SatelliteRegisterParams{ID: newID("sat"), Name: "x", SatelliteType: dbsqlc.SatelliteTypeGlobal, SatelliteUrl: "https://x", CreatedBy: e.user.ID}
		mod(&p)
		return p
	}
	tests := []struct {
		name       string
		params     dbsqlc.SatelliteRegisterParams
		kind       stackdb.ConstraintKind
		constraint string
	}{
		{"duplicate id", params(func(p *dbsqlc.SatelliteRegisterParams) { p.ID = s.ID }), stackdb.Unique, "satellites_pkey"},
		{"unknown creator", params(func(p *dbsqlc.SatelliteRegisterParams) { p.CreatedBy = "user_missing" }), stackdb.ForeignKey, "satellites_created_by_fkey"},
		{"unknown team", params(func(p *dbsqlc.SatelliteRegisterParams) { p.TeamID = new("team_missing") }), stackdb.ForeignKey, "satellites_team_id_fkey"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.q.SatelliteRegister(e.ctx, tt.params)
			requireConstraintError(t, err, tt.kind, "satellites", tt.constraint)
		})
	}
}

func TestSatelliteRecordHeartbeat(t *testing.T) {
	t.Parallel()
	e := satSetup(t)
	s := satRegister(t, e)
	other := satRegister(t, e)

	rec := &stmtRecorder{DB: e.pool}
	hb, err := stackdb.New(rec).SatelliteRecordHeartbeat(e.ctx, dbsqlc.SatelliteRecordHeartbeatParams{
		ID:            "hb_first",
		SatelliteID:   s.ID,
		Status:        dbsqlc.SatelliteStatusActive,
		SystemMetrics: json.RawMessage(`{"cpu":0.25,"mem":512}`),
		ProcessCount:  3,
		ErrorCount:    1,
		Version:       new("2.0.0"),
	})
	require.NoError(t, err)
	require.Equal(t, 1, rec.calls, "heartbeat and satellite update are one statement, one round trip")
	require.Equal(t, "hb_first", hb.ID)
	require.Equal(t, s.ID, hb.SatelliteID)
	require.Equal(t, dbsqlc.SatelliteStatusActive, hb.Status)
	require.JSONEq(t, `{"cpu":0.25,"mem":512}`, string(hb.SystemMetrics))
	require.EqualValues(t, 3, hb.ProcessCount)
	require.EqualValues(t, 1, hb.ErrorCount)
	require.Equal(t, new("2.0.0"), hb.Version)
	require.WithinDuration(t, time.Now(), hb.CreatedAt, time.Minute)

	stored, err := e.q.SatelliteHeartbeatListRecent(e.ctx, dbsqlc.SatelliteHeartbeatListRecentParams{SatelliteID: s.ID, MaxRows: 10})
	require.NoError(t, err)
	require.Equal(t, []dbsqlc.SatelliteHeartbeat{hb}, stored, "the heartbeat row is written as returned")

	got, err := e.q.SatelliteGetByID(e.ctx, s.ID)
	require.NoError(t, err)
	require.NotNil(t, got.LastHeartbeat)
	require.True(t, got.LastHeartbeat.Equal(hb.CreatedAt), "last_heartbeat %v = heartbeat created_at %v", got.LastHeartbeat, hb.CreatedAt)
	require.True(t, got.UpdatedAt.Equal(hb.CreatedAt), "updated_at moves with the heartbeat")
	require.Equal(t, dbsqlc.SatelliteStatusActive, got.Status)
	require.Equal(t, new("2.0.0"), got.Version)

	untouched, err := e.q.SatelliteGetByID(e.ctx, other.ID)
	require.NoError(t, err)
	require.Equal(t, other, untouched, "other satellites are not touched")

	t.Run("a heartbeat without version keeps the satellite's; status follows the heartbeat", func(t *testing.T) {
		hb2 := satHeartbeat(t, e, s.ID, dbsqlc.SatelliteStatusError)
		require.Nil(t, hb2.Version)
		got, err := e.q.SatelliteGetByID(e.ctx, s.ID)
		require.NoError(t, err)
		require.True(t, got.LastHeartbeat.Equal(hb2.CreatedAt))
		require.True(t, hb2.CreatedAt.After(hb.CreatedAt))
		require.Equal(t, dbsqlc.SatelliteStatusError, got.Status)
		require.Equal(t, new("2.0.0"), got.Version)
	})

	t.Run("unknown satellite: not found, nothing written", func(t *testing.T) {
		_, err := e.q.SatelliteRecordHeartbeat(e.ctx, dbsqlc.SatelliteRecordHeartbeatParams{
			ID: "hb_orphan", SatelliteID: "sat_missing", Status: dbsqlc.SatelliteStatusActive, SystemMetrics: json.RawMessage(`{}`),
		})
		require.ErrorIs(t, err, stackdb.ErrNotFound)
		require.Zero(t, countRows(t, e.pool, "satellite_heartbeats", "id = 'hb_orphan'"))
	})

	t.Run("a failing heartbeat insert undoes the satellite update", func(t *testing.T) {
		before, err := e.q.SatelliteGetByID(e.ctx, s.ID)
		require.NoError(t, err)
		// The satellite row is updated first in the statement; the
		// duplicate heartbeat id then fails the insert.
		_, err = e.q.SatelliteRecordHeartbeat(e.ctx, dbsqlc.SatelliteRecordHeartbeatParams{
			ID: "hb_first", SatelliteID: s.ID, Status: dbsqlc.SatelliteStatusMaintenance,
			SystemMetrics: json.RawMessage(`{}`), Version: new("9.9.9"),
		})
		requireConstraintError(t, err, stackdb.Unique, "satellite_heartbeats", "satellite_heartbeats_pkey")
		after, err := e.q.SatelliteGetByID(e.ctx, s.ID)
		require.NoError(t, err)
		require.Equal(t, before, after, "status, version, last_heartbeat and updated_at are unchanged")
	})

	t.Run("a failing satellite update writes no heartbeat", func(t *testing.T) {
		// A trigger in this test's own database makes the update fail.
		execSQL(t, e.pool, `CREATE FUNCTION sat_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$`)
		execSQL(t, e.pool, `CREATE TRIGGER sat_refuse BEFORE UPDATE ON satellites FOR EACH ROW EXECUTE FUNCTION sat_refuse()`)
		_, err := e.q.SatelliteRecordHeartbeat(e.ctx, dbsqlc.SatelliteRecordHeartbeatParams{
			ID: "hb_refused", SatelliteID: other.ID, Status: dbsqlc.SatelliteStatusActive, SystemMetrics: json.RawMessage(`{}`),
		})
		require.ErrorContains(t, err, "refused")
		require.Zero(t, countRows(t, e.pool, "satellite_heartbeats", "satellite_id = $1", other.ID))
	})
}

func TestSatelliteListActive(t *testing.T) {
	t.Parallel()
	e := satSetup(t)

	active, err := e.q.SatelliteListActive(e.ctx)
	require.NoError(t, err)
	require.NotNil(t, active, "an empty list is an empty slice, not nil")
	require.Empty(t, active)

	older, newer, inactive, maintenance := satRegister(t, e), satRegister(t, e), satRegister(t, e), satRegister(t, e)
	satHeartbeat(t, e, older.ID, dbsqlc.SatelliteStatusActive)
	satHeartbeat(t, e, newer.ID, dbsqlc.SatelliteStatusActive)
	satHeartbeat(t, e, maintenance.ID, dbsqlc.SatelliteStatusMaintenance)
	_ = inactive // registered, never reported

	active, err = e.q.SatelliteListActive(e.ctx)
	require.NoError(t, err)
	var ids []string
	for _, s := range active {
		require.Equal(t, dbsqlc.SatelliteStatusActive, s.Status)
		ids = append(ids, s.ID)
	}
	require.Equal(t, []string{newer.ID, older.ID}, ids, "only active satellites, most recent heartbeat first")
}

func TestSatelliteMarkStaleInactive(t *testing.T) {
	t.Parallel()
	e := satSetup(t)
	const staleAfter = 300 // seconds

	n, err := e.q.SatelliteMarkStaleInactive(e.ctx, staleAfter)
	require.NoError(t, err)
	require.Zero(t, n, "nothing to sweep")

	type sat struct {
		name   string
		status dbsqlc.SatelliteStatus
		age    time.Duration // of the last heartbeat; 0 = never
		stale  bool
	}
	sats := []sat{
		{"fresh", dbsqlc.SatelliteStatusActive, time.Second, false},
		{"almost stale", dbsqlc.SatelliteStatusActive, 290 * time.Second, false},
		{"stale", dbsqlc.SatelliteStatusActive, 10 * time.Minute, true},
		{"very stale", dbsqlc.SatelliteStatusActive, 48 * time.Hour, true},
		{"active, never reported", dbsqlc.SatelliteStatusActive, 0, true},
		{"maintenance, stale", dbsqlc.SatelliteStatusMaintenance, time.Hour, false},
		{"error, stale", dbsqlc.SatelliteStatusError, time.Hour, false},
		{"inactive, never reported", dbsqlc.SatelliteStatusInactive, 0, false},
	}
	ids := make([]string, len(sats))
	before := make([]dbsqlc.Satellite, len(sats))
	for i, s := range sats {
		ids[i] = satRegister(t, e).ID
		if s.age > 0 {
			satHeartbeat(t, e, ids[i], s.status)
			execSQL(t, e.pool, `UPDATE satellites SET last_heartbeat = now() - make_interval(secs => $2) WHERE id = $1`, ids[i], s.age.Seconds())
		} else {
			execSQL(t, e.pool, `UPDATE satellites SET status = $2 WHERE id = $1`, ids[i], s.status)
		}
		before[i], err = e.q.SatelliteGetByID(e.ctx, ids[i])
		require.NoError(t, err)
		require.Equal(t, s.status, before[i].Status)
	}

	n, err = e.q.SatelliteMarkStaleInactive(e.ctx, staleAfter)
	require.NoError(t, err)
	require.EqualValues(t, 3, n, "exactly the stale active satellites")

	for i, s := range sats {
		got, err := e.q.SatelliteGetByID(e.ctx, ids[i])
		require.NoError(t, err)
		if s.stale {
			require.Equal(t, dbsqlc.SatelliteStatusInactive, got.Status, s.name)
			require.True(t, got.UpdatedAt.After(before[i].UpdatedAt), s.name)
			require.Equal(t, before[i].LastHeartbeat, got.LastHeartbeat, "%s: last_heartbeat is kept", s.name)
		} else {
			require.Equal(t, before[i], got, "%s is untouched", s.name)
		}
	}

	n, err = e.q.SatelliteMarkStaleInactive(e.ctx, staleAfter)
	require.NoError(t, err)
	require.Zero(t, n, "a second sweep finds nothing")

	n, err = e.q.SatelliteMarkStaleInactive(e.ctx, 0)
	require.NoError(t, err)
	require.EqualValues(t, 2, n, "with no grace every active satellite is stale")
}

// ---------------------------------------------------------------------------
// satellite_heartbeats

func TestSatelliteHeartbeatListLatest(t *testing.T) {
	t.Parallel()
	e := satSetup(t)

	latest, err := e.q.SatelliteHeartbeatListLatest(e.ctx)
	require.NoError(t, err)
	require.NotNil(t, latest)
	require.Empty(t, latest)

	// Each satellite gets three heartbeats; the newest is the middle one
	// written, so neither insertion order nor id order picks it.
	offsets := []time.Duration{-2 * time.Minute, -time.Minute, -3 * time.Minute}
	want := map[string]dbsqlc.SatelliteHeartbeat{}
	var withHeartbeats []string
	for range 3 {
		s := satRegister(t, e)
		withHeartbeats = append(withHeartbeats, s.ID)
		for i, d := range offsets {
			hb := satHeartbeat(t, e, s.ID, dbsqlc.SatelliteStatusActive)
			hb.CreatedAt = satSetHeartbeatAt(t, e, hb.ID, d)
			if i == 1 {
				want[s.ID] = hb
			}
		}
	}
	silent := satRegister(t, e)

	latest, err = e.q.SatelliteHeartbeatListLatest(e.ctx)
	require.NoError(t, err)
	require.Len(t, latest, 3, "one row per satellite with heartbeats")
	var got []string
	for _, hb := range latest {
		got = append(got, hb.SatelliteID)
		require.Equal(t, want[hb.SatelliteID], hb, "the newest heartbeat of %s", hb.SatelliteID)
	}
	require.Equal(t, withHeartbeats, got, "ordered by satellite id; a satellite without heartbeats has no row")
	require.NotContains(t, got, silent.ID)
}

func TestSatelliteHeartbeatListRecent(t *testing.T) {
	t.Parallel()
	e := satSetup(t)
	s, other := satRegister(t, e), satRegister(t, e)

	var hbs []dbsqlc.SatelliteHeartbeat
	for _, d := range []time.Duration{-5 * time.Minute, -time.Minute, -4 * time.Minute, -2 * time.Minute, -3 * time.Minute} {
		hb := satHeartbeat(t, e, s.ID, dbsqlc.SatelliteStatusActive)
		hb.CreatedAt = satSetHeartbeatAt(t, e, hb.ID, d)
		hbs = append(hbs, hb)
	}
	satHeartbeat(t, e, other.ID, dbsqlc.SatelliteStatusActive)

	recent, err := e.q.SatelliteHeartbeatListRecent(e.ctx, dbsqlc.SatelliteHeartbeatListRecentParams{SatelliteID: s.ID, MaxRows: 3})
	require.NoError(t, err)
	require.Equal(t, []dbsqlc.SatelliteHeartbeat{hbs[1], hbs[3], hbs[4]}, recent, "the three newest of this satellite, newest first")

	all, err := e.q.SatelliteHeartbeatListRecent(e.ctx, dbsqlc.SatelliteHeartbeatListRecentParams{SatelliteID: s.ID, MaxRows: 100})
	require.NoError(t, err)
	require.Len(t, all, 5, "other satellites' heartbeats are not listed")

	none, err := e.q.SatelliteHeartbeatListRecent(e.ctx, dbsqlc.SatelliteHeartbeatListRecentParams{SatelliteID: "sat_missing", MaxRows: 3})
	require.NoError(t, err)
	require.NotNil(t, none)
	require.Empty(t, none)
}

// TestSatelliteQueriesUseIndexes EXPLAINs the access paths that have a
// planned index.
func TestSatelliteQueriesUseIndexes(t *testing.T) {
	t.Parallel()
	e := satSetup(t)
	inst := satInstall(t, e)
	var satID string
	for range 5 {
		s := satRegister(t, e)
		satID = s.ID
		satHeartbeat(t, e, s.ID, dbsqlc.SatelliteStatusActive)
		satHeartbeat(t, e, s.ID, dbsqlc.SatelliteStatusActive)
		satStartProcess(t, e, s.ID, inst)
	}
	execSQL(t, e.pool, `ANALYZE`)

	tests := []struct {
		name  string
		index string
		cond  string // an index condition must mention it ("" = none needed)
		query func(q dbsqlc.Querier) error
	}{
		{"SatelliteListActive", "satellites_active_idx", "", func(q dbsqlc.Querier) error {
			_, err := q.SatelliteListActive(e.ctx)
			return err
		}},
		{"SatelliteMarkStaleInactive", "satellites_active_idx", "", func(q dbsqlc.Querier) error {
			_, err := q.SatelliteMarkStaleInactive(e.ctx, 60)
			return err
		}},
		{"SatelliteHeartbeatListLatest", "satellite_heartbeats_satellite_id_created_at_idx", "satellite_id", func(q dbsqlc.Querier) error {
			_, err := q.SatelliteHeartbeatListLatest(e.ctx)
			return err
		}},
		{"SatelliteHeartbeatListRecent", "satellite_heartbeats_satellite_id_created_at_idx", "satellite_id", func(q dbsqlc.Querier) error {
			_, err := q.SatelliteHeartbeatListRecent(e.ctx, dbsqlc.SatelliteHeartbeatListRecentParams{SatelliteID: satID, MaxRows: 10})
			return err
		}},
		{"SatelliteProcessListRunningBySatellite", "satellite_processes_satellite_id_status_idx", "status", func(q dbsqlc.Querier) error {
			_, err := q.SatelliteProcessListRunningBySatellite(e.ctx, satID)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tx := noSeqscanTx(t, e.pool)
			rec := &stmtRecorder{DB: tx}
			require.NoError(t, tt.query(stackdb.New(rec)))
			require.Equal(t, 1, rec.calls)
			plan := explain(t, tx, rec)
			require.Contains(t, plan.Indexes(), tt.index, "plan:\n%s", plan)
			if tt.cond != "" {
				require.True(t, slices.ContainsFunc(plan.IndexConds(), func(c string) bool { return strings.Contains(c, tt.cond) }),
					"an index condition on %s; plan:\n%s", tt.cond, plan)
			}
		})
	}
}

func TestSatelliteDeleteCascades(t *testing.T) {
	t.Parallel()
	e := satSetup(t)
	inst := satInstall(t, e)
	doomed, kept := satRegister(t, e), satRegister(t, e)
	var doomedProcs, keptProcs []string
	for _, s := range []dbsqlc.Satellite{doomed, kept} {
		satHeartbeat(t, e, s.ID, dbsqlc.SatelliteStatusActive)
		satHeartbeat(t, e, s.ID, dbsqlc.SatelliteStatusActive)
		p1, p2 := satStartProcess(t, e, s.ID, inst), satStartProcess(t, e, s.ID, inst)
		if s.ID == doomed.ID {
			doomedProcs = append(doomedProcs, p1.ID, p2.ID)
		} else {
			keptProcs = append(keptProcs, p1.ID, p2.ID)
		}
	}

	count := func(table, satelliteID string) int {
		return countRows(t, e.pool, table, "satellite_id = $1", satelliteID)
	}
	require.Equal(t, 2, count("satellite_heartbeats", doomed.ID))
	require.Equal(t, 2, count("satellite_processes", doomed.ID))

	n, err := e.q.SatelliteDelete(e.ctx, doomed.ID)
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	require.Zero(t, count("satellite_heartbeats", doomed.ID), "heartbeats are deleted with their satellite")
	require.Zero(t, count("satellite_processes", doomed.ID), "processes are deleted with their satellite")
	for _, id := range doomedProcs {
		_, err := e.q.SatelliteProcessGetByID(e.ctx, id)
		require.ErrorIs(t, err, stackdb.ErrNotFound)
	}
	require.Equal(t, 2, count("satellite_heartbeats", kept.ID), "other satellites keep theirs")
	require.Equal(t, 2, count("satellite_processes", kept.ID))

	// Deleting the installation takes its processes too.
	execSQL(t, e.pool, `DELETE FROM mcp_server_installations WHERE id = $1`, inst)
	for _, id := range keptProcs {
		_, err := e.q.SatelliteProcessGetByID(e.ctx, id)
		require.ErrorIs(t, err, stackdb.ErrNotFound, "processes are deleted with their installation")
	}
	_, err = e.q.SatelliteGetByID(e.ctx, kept.ID)
	require.NoError(t, err, "the satellite stays")

	// Deleting a team takes its team satellites.
	teamSat, err := e.q.SatelliteRegister(e.ctx, dbsqlc.SatelliteRegisterParams{
		ID: newID("sat"), Name: "team", SatelliteType: dbsqlc.SatelliteTypeTeam, TeamID: &e.team.ID,
		SatelliteUrl: "https://team.example.com", CreatedBy: e.user.ID,
	})
	require.NoError(t, err)
	satHeartbeat(t, e, teamSat.ID, dbsqlc.SatelliteStatusActive)
	execSQL(t, e.pool, `DELETE FROM teams WHERE id = $1`, e.team.ID)
	_, err = e.q.SatelliteGetByID(e.ctx, teamSat.ID)
	require.ErrorIs(t, err, stackdb.ErrNotFound)
	require.Zero(t, count("satellite_heartbeats", teamSat.ID))
	_, err = e.q.SatelliteGetByID(e.ctx, kept.ID)
	require.NoError(t, err, "global satellites stay")
}
