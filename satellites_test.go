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

// ---------------------------------------------------------------------------
// Heartbeat (queries/heartbeat.sql)

// fiveProcesses is a heartbeat's "processes" array with five processes, two
// of them unhealthy.
func fiveProcesses(ids ...string) json.RawMessage {
	procs := make([]map[string]any, len(ids))
	for i, id := range ids {
		health := "healthy"
		if i%2 == 1 {
			health = "unhealthy"
		}
		procs[i] = map[string]any{"id": id, "server_name": "srv-" + id, "status": "running", "health_status": health,
			"performance_metrics": map[string]any{"total_requests": i}}
	}
	b, _ := json.Marshal(procs)
	return b
}

func TestSatelliteUpdateHeartbeat(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	satID, teamID := createSatellite(t, pool)
	setSatelliteStatus(t, pool, satID, "inactive")
	known := createSatelliteProcess(t, pool, satID, teamID)
	otherSat, otherTeam := createSatellite(t, pool)
	foreign := createSatelliteProcess(t, pool, otherSat, otherTeam)

	hb, err := q.SatelliteUpdateHeartbeat(ctx, dbsqlc.SatelliteUpdateHeartbeatParams{
		SatelliteID:   satID,
		ID:            "hb_1",
		Status:        dbsqlc.HeartbeatStatusDegraded,
		SystemMetrics: json.RawMessage(`{"cpu_usage_percent": 12, "memory_usage_mb": 512}`),
		Processes:     fiveProcesses(known, foreign, "p_new1", "p_new2", "p_new3"),
		ErrorCount:    2,
		UptimeSeconds: new(int32(3600)),
		Version:       new("1.4.0"),
		SatelliteUrl:  new("https://sat.example.com"),
		McpStatus:     json.RawMessage(`{"servers": 3}`),
	})
	require.NoError(t, err)
	require.Equal(t, "hb_1", hb.ID)
	require.Equal(t, dbsqlc.HeartbeatStatusDegraded, hb.Status)
	require.EqualValues(t, 5, hb.ProcessCount)
	require.EqualValues(t, 3, hb.HealthyProcessCount)
	require.EqualValues(t, 2, hb.ErrorCount)
	require.Equal(t, new(int32(3600)), hb.UptimeSeconds)
	require.Equal(t, new("1.4.0"), hb.Version)
	require.Nil(t, hb.ResponseTimeMs)
	require.EqualValues(t, 4, hb.ProcessesUpserted, "the other satellite's process is not taken over")

	sat, err := q.SatelliteGetByID(ctx, satID)
	require.NoError(t, err)
	require.Equal(t, dbsqlc.SatelliteStatusActive, sat.Status, "a heartbeat activates the satellite")
	require.NotNil(t, sat.LastHeartbeat)
	require.Equal(t, hb.Timestamp, *sat.LastHeartbeat)
	require.Equal(t, "https://sat.example.com", sat.SatelliteUrl)
	require.JSONEq(t, `{"servers": 3}`, string(sat.McpStatus))

	p, err := q.SatelliteProcessGetByID(ctx, known)
	require.NoError(t, err)
	require.Equal(t, dbsqlc.ProcessStatusRunning, p.Status)
	require.Equal(t, dbsqlc.ProcessHealthStatusHealthy, p.HealthStatus)
	require.JSONEq(t, `{"total_requests": 0}`, string(p.PerformanceMetrics))
	require.Equal(t, hb.Timestamp, p.UpdatedAt)

	p, err = q.SatelliteProcessGetByID(ctx, foreign)
	require.NoError(t, err)
	require.Equal(t, otherSat, p.SatelliteID)
	require.Equal(t, dbsqlc.ProcessStatusPending, p.Status, "a process of another satellite is left alone")

	p, err = q.SatelliteProcessGetByID(ctx, "p_new2")
	require.NoError(t, err)
	require.Equal(t, satID, p.SatelliteID)
	require.Equal(t, teamID, p.TeamID, "a new process takes the satellite's team")
	require.Equal(t, "srv-p_new2", p.ServerName)
	require.Equal(t, dbsqlc.ProcessHealthStatusUnhealthy, p.HealthStatus)

	// A second heartbeat without processes and without url/mcp status keeps them.
	hb2, err := q.SatelliteUpdateHeartbeat(ctx, dbsqlc.SatelliteUpdateHeartbeatParams{
		SatelliteID: satID, ID: "hb_2", Status: dbsqlc.HeartbeatStatusActive, SystemMetrics: json.RawMessage(`{}`),
	})
	require.NoError(t, err)
	require.EqualValues(t, 0, hb2.ProcessCount)
	require.EqualValues(t, 0, hb2.ProcessesUpserted)
	sat, err = q.SatelliteGetByID(ctx, satID)
	require.NoError(t, err)
	require.Equal(t, "https://sat.example.com", sat.SatelliteUrl)
	require.JSONEq(t, `{"servers": 3}`, string(sat.McpStatus))
	require.Equal(t, 2, countRows(t, pool, "satellite_heartbeats", "satellite_id = $1", satID))
}

func TestSatelliteUpdateHeartbeatRejects(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		satellite func(t *testing.T, db stackdb.DB) string
		processes string
		wantErr   error
		wantProcs int64
	}{
		{name: "unknown satellite", satellite: func(*testing.T, stackdb.DB) string { return "sat_missing" },
			processes: `[{"id":"p1","server_name":"s","status":"running","health_status":"healthy"}]`, wantErr: stackdb.ErrNotFound},
		{name: "unknown process status", satellite: func(t *testing.T, db stackdb.DB) string { s, _ := createSatellite(t, db); return s },
			processes: `[{"id":"p1","server_name":"s","status":"crashed","health_status":"healthy"}]`},
		{name: "process without server name", satellite: func(t *testing.T, db stackdb.DB) string { s, _ := createSatellite(t, db); return s },
			processes: `[{"id":"p1","status":"running","health_status":"healthy"}]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx, pool, q := setup(t)
			satID := tc.satellite(t, pool)
			before := countRows(t, pool, "satellites", "last_heartbeat IS NOT NULL")
			_, err := q.SatelliteUpdateHeartbeat(ctx, dbsqlc.SatelliteUpdateHeartbeatParams{
				SatelliteID: satID, ID: "hb_x", Status: dbsqlc.HeartbeatStatusActive,
				SystemMetrics: json.RawMessage(`{}`), Processes: json.RawMessage(tc.processes),
			})
			require.Error(t, err)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
			}
			require.Equal(t, before, countRows(t, pool, "satellites", "last_heartbeat IS NOT NULL"), "nothing written")
			require.Zero(t, countRows(t, pool, "satellite_heartbeats", "true"))
			require.Zero(t, countRows(t, pool, "satellite_processes", "true"))
		})
	}
}

func TestSatelliteUpdateHeartbeatGlobalSatellite(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	satID := createGlobalSatellite(t, pool)
	teamID, _ := createTeam(t, pool)
	spawned := createSatelliteProcess(t, pool, satID, teamID)

	hb, err := q.SatelliteUpdateHeartbeat(ctx, dbsqlc.SatelliteUpdateHeartbeatParams{
		SatelliteID: satID, ID: newID("hb"), Status: dbsqlc.HeartbeatStatusActive, SystemMetrics: json.RawMessage(`{}`),
		Processes: fiveProcesses(spawned, "p_unknown", spawned),
	})
	require.NoError(t, err)
	require.EqualValues(t, 2, hb.ProcessCount, "a process reported twice counts once")
	require.EqualValues(t, 1, hb.ProcessesUpserted, "a new process of a global satellite has no team and is skipped")
	p, err := q.SatelliteProcessGetByID(ctx, spawned)
	require.NoError(t, err)
	require.Equal(t, teamID, p.TeamID)
	require.Equal(t, dbsqlc.ProcessHealthStatusHealthy, p.HealthStatus, "the last report of a duplicate wins")
	_, err = q.SatelliteProcessGetByID(ctx, "p_unknown")
	require.ErrorIs(t, err, stackdb.ErrNotFound)
}

// TestSatelliteUpdateHeartbeatOneRoundTrip counts the network round trips
// of a heartbeat with five processes: one statement, one round trip once
// pgx has prepared it (the first call also prepares: two).
func TestSatelliteUpdateHeartbeatOneRoundTrip(t *testing.T) {
	t.Parallel()
	conn, counter := roundTripCountingConn(t)
	ctx := t.Context()
	satID, _ := createSatellite(t, conn)
	counter.Trips()

	rec := &stmtRecorder{DB: conn}
	q := stackdb.New(rec)
	for i, wantTrips := range []int{2, 1, 1} {
		ids := make([]string, 5)
		for j := range ids {
			ids[j] = fmt.Sprintf("p_%d", j)
		}
		hb, err := q.SatelliteUpdateHeartbeat(ctx, dbsqlc.SatelliteUpdateHeartbeatParams{
			SatelliteID: satID, ID: fmt.Sprintf("hb_%d", i), Status: dbsqlc.HeartbeatStatusActive,
			SystemMetrics: json.RawMessage(`{"cpu_usage_percent": 5}`), Processes: fiveProcesses(ids...),
		})
		require.NoError(t, err)
		require.EqualValues(t, 5, hb.ProcessesUpserted)
		require.Equal(t, i+1, rec.calls, "one statement per heartbeat")
		require.Equal(t, wantTrips, counter.Trips(), "heartbeat %d", i)
	}
	require.Equal(t, 5, countRows(t, conn, "satellite_processes", "satellite_id = $1", satID))
	require.Equal(t, 3, countRows(t, conn, "satellite_heartbeats", "satellite_id = $1", satID))
}

// ---------------------------------------------------------------------------
// satellites

func TestSatelliteInsertGetUpdateDelete(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	teamID, userID := createTeam(t, pool)

	created, err := q.SatelliteInsert(ctx, dbsqlc.SatelliteInsertParams{
		ID: "sat_a", Name: "team-satellite-a", SatelliteType: dbsqlc.SatelliteTypeTeam, TeamID: &teamID,
		Capabilities: json.RawMessage(`["stdio","http"]`), ApiKeyHash: "$argon2id$a", ApiKeyPrefix: new("deploystack_satellite_api_team_k1"),
		SystemInfo: json.RawMessage(`{"os":"linux"}`), CreatedBy: userID,
	})
	require.NoError(t, err)
	require.Equal(t, dbsqlc.SatelliteStatusInactive, created.Status, "a new satellite waits for an admin")
	require.Equal(t, "http://127.0.0.1:3001", created.SatelliteUrl)
	require.JSONEq(t, `{}`, string(created.Config))
	require.Nil(t, created.LastHeartbeat)

	for _, tc := range []struct {
		name string
		get  func() (dbsqlc.Satellite, error)
	}{
		{"by id", func() (dbsqlc.Satellite, error) { return q.SatelliteGetByID(ctx, "sat_a") }},
		{"by name", func() (dbsqlc.Satellite, error) { return q.SatelliteGetByName(ctx, "team-satellite-a") }},
		{"by key prefix", func() (dbsqlc.Satellite, error) {
			return q.SatelliteGetByAPIKeyPrefix(ctx, "deploystack_satellite_api_team_k1")
		}},
	} {
		got, err := tc.get()
		require.NoError(t, err, tc.name)
		require.Equal(t, created, got, tc.name)
	}
	for _, tc := range []struct {
		name string
		get  func() (dbsqlc.Satellite, error)
	}{
		{"by id", func() (dbsqlc.Satellite, error) { return q.SatelliteGetByID(ctx, "sat_missing") }},
		{"by name", func() (dbsqlc.Satellite, error) { return q.SatelliteGetByName(ctx, "missing") }},
		{"by key prefix", func() (dbsqlc.Satellite, error) { return q.SatelliteGetByAPIKeyPrefix(ctx, "nope") }},
		{"update", func() (dbsqlc.Satellite, error) {
			return q.SatelliteUpdate(ctx, dbsqlc.SatelliteUpdateParams{ID: "sat_missing"})
		}},
		{"update status", func() (dbsqlc.Satellite, error) {
			return q.SatelliteUpdateStatus(ctx, dbsqlc.SatelliteUpdateStatusParams{ID: "sat_missing", Status: dbsqlc.SatelliteStatusActive})
		}},
		{"update registration", func() (dbsqlc.Satellite, error) {
			return q.SatelliteUpdateRegistration(ctx, dbsqlc.SatelliteUpdateRegistrationParams{ID: "sat_missing",
				SatelliteType: dbsqlc.SatelliteTypeGlobal, Capabilities: json.RawMessage(`[]`), ApiKeyHash: "h"})
		}},
	} {
		_, err := tc.get()
		require.ErrorIs(t, err, stackdb.ErrNotFound, tc.name)
	}

	// A duplicate key prefix is refused.
	_, err = q.SatelliteInsert(ctx, dbsqlc.SatelliteInsertParams{
		ID: "sat_b", Name: "b", SatelliteType: dbsqlc.SatelliteTypeGlobal, Capabilities: json.RawMessage(`[]`),
		ApiKeyHash: "h", ApiKeyPrefix: new("deploystack_satellite_api_team_k1"), CreatedBy: userID,
	})
	var ce *stackdb.ConstraintError
	require.ErrorAs(t, err, &ce)

	updated, err := q.SatelliteUpdate(ctx, dbsqlc.SatelliteUpdateParams{ID: "sat_a", Region: new("eu-west-1"),
		Config: json.RawMessage(`{"max":3}`)})
	require.NoError(t, err)
	require.Equal(t, new("eu-west-1"), updated.Region)
	require.JSONEq(t, `{"max":3}`, string(updated.Config))
	require.Equal(t, "team-satellite-a", updated.Name, "nil keeps the name")

	active, err := q.SatelliteUpdateStatus(ctx, dbsqlc.SatelliteUpdateStatusParams{ID: "sat_a", Status: dbsqlc.SatelliteStatusActive})
	require.NoError(t, err)
	require.Equal(t, dbsqlc.SatelliteStatusActive, active.Status)

	rereg, err := q.SatelliteUpdateRegistration(ctx, dbsqlc.SatelliteUpdateRegistrationParams{
		ID: "sat_a", SatelliteType: dbsqlc.SatelliteTypeGlobal, Capabilities: json.RawMessage(`["sse"]`),
		ApiKeyHash: "$argon2id$b", ApiKeyPrefix: new("deploystack_satellite_api_global_k2"),
	})
	require.NoError(t, err)
	require.Equal(t, dbsqlc.SatelliteStatusInactive, rereg.Status, "re-registration needs activation again")
	require.Nil(t, rereg.TeamID)
	require.Equal(t, "$argon2id$b", rereg.ApiKeyHash)
	require.Nil(t, rereg.SystemInfo)
	_, err = q.SatelliteGetByAPIKeyPrefix(ctx, "deploystack_satellite_api_team_k1")
	require.ErrorIs(t, err, stackdb.ErrNotFound, "the old key no longer authenticates")

	n, err := q.SatelliteDelete(ctx, "sat_a")
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	n, err = q.SatelliteDelete(ctx, "sat_a")
	require.NoError(t, err)
	require.Zero(t, n)
}

func TestSatelliteListWithoutAPIKeyPrefix(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	old, _ := createSatellite(t, pool)
	withPrefix, _ := createSatellite(t, pool)
	execSQL(t, pool, `UPDATE satellites SET api_key_prefix = 'k_' || id WHERE id = $1`, withPrefix)

	rows, err := q.SatelliteListWithoutAPIKeyPrefix(ctx)
	require.NoError(t, err)
	require.Len(t, rows, 1)
	require.Equal(t, old, rows[0].ID)
	require.Equal(t, "argon2-hash", rows[0].ApiKeyHash)
}

func TestSatelliteList(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	global := createGlobalSatellite(t, pool)
	teamSat, teamID := createSatellite(t, pool)
	createSatellite(t, pool)

	for _, tc := range []struct {
		name string
		list func() ([]dbsqlc.Satellite, error)
		want []string
	}{
		{"global", func() ([]dbsqlc.Satellite, error) { return q.SatelliteListGlobal(ctx) }, []string{global}},
		{"by team", func() ([]dbsqlc.Satellite, error) { return q.SatelliteListByTeam(ctx, teamID) }, []string{teamSat}},
		{"by unknown team", func() ([]dbsqlc.Satellite, error) { return q.SatelliteListByTeam(ctx, "team_missing") }, []string{}},
	} {
		got, err := tc.list()
		require.NoError(t, err, tc.name)
		ids := []string{}
		for _, s := range got {
			ids = append(ids, s.ID)
		}
		require.Equal(t, tc.want, ids, tc.name)
	}
}

func TestSatelliteGetByIDWithStatus(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	satID, teamID := createSatellite(t, pool)
	healthy := createSatelliteProcess(t, pool, satID, teamID)
	createSatelliteProcess(t, pool, satID, teamID)
	execSQL(t, pool, `UPDATE satellite_processes SET health_status = 'healthy' WHERE id = $1`, healthy)
	createSatelliteHeartbeat(t, pool, satID, time.Now().Add(-time.Hour))
	newest := createSatelliteHeartbeat(t, pool, satID, time.Now())
	execSQL(t, pool, `UPDATE satellite_heartbeats SET system_metrics = '{"cpu_usage_percent": 99}' WHERE id = $1`, newest)

	st, err := q.SatelliteGetByIDWithStatus(ctx, satID)
	require.NoError(t, err)
	require.EqualValues(t, 2, st.ProcessCount)
	require.EqualValues(t, 1, st.HealthyProcessCount)
	require.JSONEq(t, `{"cpu_usage_percent": 99}`, string(st.SystemMetrics))

	bare, _ := createSatellite(t, pool)
	st, err = q.SatelliteGetByIDWithStatus(ctx, bare)
	require.NoError(t, err)
	require.Zero(t, st.ProcessCount)
	require.Nil(t, st.SystemMetrics)

	_, err = q.SatelliteGetByIDWithStatus(ctx, "sat_missing")
	require.ErrorIs(t, err, stackdb.ErrNotFound)
}

func TestSatelliteGetByAPIKeyPrefixUsesIndex(t *testing.T) {
	t.Parallel()
	_, pool, _ := setup(t)
	tx := noSeqscanTx(t, pool)
	plan := explainQuery(t, tx, func(q dbsqlc.Querier) error {
		_, err := q.SatelliteGetByAPIKeyPrefix(t.Context(), "k")
		require.ErrorIs(t, err, stackdb.ErrNotFound)
		return nil
	})
	require.Contains(t, plan.Indexes(), "satellites_api_key_prefix_key", plan.Text())
}

// ---------------------------------------------------------------------------
// satellite_registration_tokens

func TestSatelliteRegistrationToken(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	teamID, userID := createTeam(t, pool)
	satID, _ := createSatellite(t, pool)

	tok, err := q.SatelliteRegistrationTokenInsert(ctx, dbsqlc.SatelliteRegistrationTokenInsertParams{
		ID: "tok_team", TokenType: dbsqlc.SatelliteTypeTeam, TeamID: &teamID, TokenHash: "sha256-team",
		TokenPrefix: "deploystack_satellite_team_", CreatedBy: userID,
		Permissions: json.RawMessage(`["register_team_satellite"]`), ExpiresAt: time.Now().Add(24 * time.Hour),
	})
	require.NoError(t, err)
	require.False(t, tok.Used)
	require.Nil(t, tok.UsedAt)
	expired := createSatelliteRegistrationToken(t, pool, "sha256-expired", -time.Minute)
	global := createSatelliteRegistrationToken(t, pool, "sha256-global", time.Hour)

	got, err := q.SatelliteRegistrationTokenGetValidByHash(ctx, "sha256-team")
	require.NoError(t, err)
	require.Equal(t, tok, got)
	_, err = q.SatelliteRegistrationTokenGetValidByHash(ctx, "sha256-expired")
	require.ErrorIs(t, err, stackdb.ErrNotFound, "expired")

	valid, err := q.SatelliteRegistrationTokenListValidByPrefix(ctx, "deploystack_satellite_global_")
	require.NoError(t, err)
	require.Len(t, valid, 1)
	require.Equal(t, global, valid[0].ID, "the expired token is no candidate")

	// Two registrations race for one token: exactly one claims it.
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			_, errs[i] = q.SatelliteRegistrationTokenClaim(ctx, dbsqlc.SatelliteRegistrationTokenClaimParams{ID: "tok_team", SatelliteID: satID})
		})
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
		} else {
			require.ErrorIs(t, err, stackdb.ErrNotFound)
		}
	}
	require.Equal(t, 1, won)
	used, err := q.SatelliteRegistrationTokenList(ctx, dbsqlc.SatelliteRegistrationTokenListParams{TeamID: &teamID})
	require.NoError(t, err)
	require.Len(t, used, 1)
	require.True(t, used[0].Used)
	require.NotNil(t, used[0].UsedAt)
	require.Equal(t, &satID, used[0].UsedBySatelliteID)
	_, err = q.SatelliteRegistrationTokenGetValidByHash(ctx, "sha256-team")
	require.ErrorIs(t, err, stackdb.ErrNotFound, "used")
	_, err = q.SatelliteRegistrationTokenClaim(ctx, dbsqlc.SatelliteRegistrationTokenClaimParams{ID: expired, SatelliteID: satID})
	require.ErrorIs(t, err, stackdb.ErrNotFound, "an expired token cannot be claimed")

	for _, tc := range []struct {
		name   string
		params dbsqlc.SatelliteRegistrationTokenListParams
		want   int
	}{
		{"all", dbsqlc.SatelliteRegistrationTokenListParams{}, 3},
		{"global", dbsqlc.SatelliteRegistrationTokenListParams{TokenType: new(dbsqlc.SatelliteTypeGlobal)}, 2},
		{"team", dbsqlc.SatelliteRegistrationTokenListParams{TokenType: new(dbsqlc.SatelliteTypeTeam), TeamID: &teamID}, 1},
	} {
		got, err := q.SatelliteRegistrationTokenList(ctx, tc.params)
		require.NoError(t, err, tc.name)
		require.Len(t, got, tc.want, tc.name)
	}

	for _, tc := range []struct {
		id   string
		want int64
	}{{"tok_team", 0}, {global, 1}, {global, 0}} {
		n, err := q.SatelliteRegistrationTokenRevoke(ctx, tc.id)
		require.NoError(t, err)
		require.Equal(t, tc.want, n, "revoke %s: a used token stays", tc.id)
	}

	n, err := q.SatelliteRegistrationTokenDeleteExpired(ctx, time.Now())
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	require.Equal(t, 1, countRows(t, pool, "satellite_registration_tokens", "true"))
}

// ---------------------------------------------------------------------------
// satellite_commands

func TestSatelliteCommandClaimOrder(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	satID, _ := createSatellite(t, pool)
	otherSat, _ := createSatellite(t, pool)
	lowOld := createSatelliteCommand(t, pool, satID, "low", time.Hour)
	normal := createSatelliteCommand(t, pool, satID, "normal", time.Minute)
	immediateNew := createSatelliteCommand(t, pool, satID, "immediate", time.Second)
	immediateOld := createSatelliteCommand(t, pool, satID, "immediate", time.Minute)
	high := createSatelliteCommand(t, pool, satID, "high", 0)
	createSatelliteCommand(t, pool, otherSat, "immediate", time.Hour)

	claimed, err := q.SatelliteCommandClaim(ctx, dbsqlc.SatelliteCommandClaimParams{SatelliteID: satID, MaxCommands: 4})
	require.NoError(t, err)
	ids := []string{}
	for _, c := range claimed {
		ids = append(ids, c.ID)
		require.Equal(t, dbsqlc.CommandStatusAcknowledged, c.Status)
	}
	require.Equal(t, []string{immediateOld, immediateNew, high, normal}, ids)

	claimed, err = q.SatelliteCommandClaim(ctx, dbsqlc.SatelliteCommandClaimParams{SatelliteID: satID, MaxCommands: 4})
	require.NoError(t, err)
	require.Len(t, claimed, 1, "claimed commands are not handed out again")
	require.Equal(t, lowOld, claimed[0].ID)

	// An inactive satellite gets nothing.
	setSatelliteStatus(t, pool, otherSat, "inactive")
	claimed, err = q.SatelliteCommandClaim(ctx, dbsqlc.SatelliteCommandClaimParams{SatelliteID: otherSat, MaxCommands: 4})
	require.NoError(t, err)
	require.Empty(t, claimed)
	require.Equal(t, 1, countRows(t, pool, "satellite_commands", "satellite_id = $1 AND status = 'pending'", otherSat))
}

// TestSatelliteCommandClaimConcurrent has pollers race for one satellite's
// commands: every command is claimed exactly once.
func TestSatelliteCommandClaimConcurrent(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	satID, _ := createSatellite(t, pool)
	const commands, pollers = 40, 4
	for i := range commands {
		createSatelliteCommand(t, pool, satID, []string{"immediate", "high", "normal", "low"}[i%4], time.Duration(i)*time.Second)
	}
	var (
		mu   sync.Mutex
		seen = map[string]int{}
		wg   sync.WaitGroup
	)
	for range pollers {
		wg.Go(func() {
			for {
				claimed, err := q.SatelliteCommandClaim(ctx, dbsqlc.SatelliteCommandClaimParams{SatelliteID: satID, MaxCommands: 3})
				if !(err == nil) || len(claimed) == 0 {
					require.NoError(t, err)
					return
				}
				mu.Lock()
				for _, c := range claimed {
					seen[c.ID]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	require.Len(t, seen, commands)
	for id, n := range seen {
		require.Equal(t, 1, n, id)
	}
}

func TestSatelliteCommandClaimUsesIndex(t *testing.T) {
	t.Parallel()
	_, pool, _ := setup(t)
	tx := noSeqscanTx(t, pool)
	plan := explainQuery(t, tx, func(q dbsqlc.Querier) error {
		_, err := q.SatelliteCommandClaim(t.Context(), dbsqlc.SatelliteCommandClaimParams{SatelliteID: "sat", MaxCommands: 10})
		return err
	})
	require.Contains(t, plan.Indexes(), "satellite_commands_pending_idx", plan.Text())
	claimable := plan.Node("Subplan Name", "CTE claimable")
	require.NotNil(t, claimable, plan.Text())
	require.NotContains(t, planValues(claimable, "Node Type"), "Sort",
		"the pending commands come in priority order from the index\n%s", plan.Text())
	require.Contains(t, plan.Text(), "LockRows")

	// pgx prepares the poll, so Postgres may settle on its generic plan:
	// that one uses the index too.
	rec := &stmtRecorder{DB: tx}
	_, err := stackdb.New(rec).SatelliteCommandClaim(t.Context(), dbsqlc.SatelliteCommandClaimParams{SatelliteID: "sat", MaxCommands: 10})
	require.NoError(t, err)
	generic := explainGeneric(t, tx, rec)
	require.Contains(t, generic.Indexes(), "satellite_commands_pending_idx", generic.Text())
}

func TestSatelliteCommandResults(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	satID, _ := createSatellite(t, pool)
	otherSat, _ := createSatellite(t, pool)

	type step struct {
		name    string
		run     func(id, sat string) (dbsqlc.SatelliteCommand, error)
		want    dbsqlc.CommandStatus
		wantErr bool
	}
	ack := func(id, sat string) (dbsqlc.SatelliteCommand, error) {
		return q.SatelliteCommandAck(ctx, dbsqlc.SatelliteCommandAckParams{ID: id, SatelliteID: sat})
	}
	executing := func(id, sat string) (dbsqlc.SatelliteCommand, error) {
		return q.SatelliteCommandUpdateExecuting(ctx, dbsqlc.SatelliteCommandUpdateExecutingParams{ID: id, SatelliteID: sat})
	}
	complete := func(id, sat string) (dbsqlc.SatelliteCommand, error) {
		return q.SatelliteCommandComplete(ctx, dbsqlc.SatelliteCommandCompleteParams{ID: id, SatelliteID: sat, Result: json.RawMessage(`{"ok":true}`)})
	}
	fail := func(id, sat string) (dbsqlc.SatelliteCommand, error) {
		return q.SatelliteCommandFail(ctx, dbsqlc.SatelliteCommandFailParams{ID: id, SatelliteID: sat, ErrorMessage: new("boom")})
	}
	for _, tc := range []struct {
		name  string
		steps []step
	}{
		{"ack, execute, complete", []step{
			{"ack", ack, dbsqlc.CommandStatusAcknowledged, false},
			{"ack again", ack, dbsqlc.CommandStatusAcknowledged, false},
			{"executing", executing, dbsqlc.CommandStatusExecuting, false},
			{"ack after executing", ack, "", true},
			{"complete", complete, dbsqlc.CommandStatusCompleted, false},
			{"fail after complete", fail, "", true},
			{"complete again", complete, "", true},
		}},
		{"fail", []step{
			{"fail", fail, dbsqlc.CommandStatusFailed, false},
			{"executing after fail", executing, "", true},
		}},
	} {
		id := createSatelliteCommand(t, pool, satID, "normal", 0)
		_, err := complete(id, otherSat)
		require.ErrorIs(t, err, stackdb.ErrNotFound, "%s: another satellite's command", tc.name)
		for _, s := range tc.steps {
			c, err := s.run(id, satID)
			if s.wantErr {
				require.ErrorIs(t, err, stackdb.ErrNotFound, "%s: %s", tc.name, s.name)
				continue
			}
			require.NoError(t, err, "%s: %s", tc.name, s.name)
			require.Equal(t, s.want, c.Status, "%s: %s", tc.name, s.name)
		}
	}

	done, err := q.SatelliteCommandListBySatellitePage(ctx, dbsqlc.SatelliteCommandListBySatellitePageParams{SatelliteID: satID, MaxRows: 10})
	require.NoError(t, err)
	require.Len(t, done, 2)
	for _, c := range done {
		switch c.Status {
		case dbsqlc.CommandStatusCompleted:
			require.JSONEq(t, `{"ok":true}`, string(c.Result))
			require.Nil(t, c.ErrorMessage)
		case dbsqlc.CommandStatusFailed:
			require.Equal(t, new("boom"), c.ErrorMessage)
			require.Nil(t, c.Result)
		default:
			t.Fatalf("unexpected status %s", c.Status)
		}
	}
}

func TestSatelliteCommandRetryStale(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	satID, _ := createSatellite(t, pool)
	retry := createSatelliteCommand(t, pool, satID, "normal", time.Hour)
	exhausted := createSatelliteCommand(t, pool, satID, "normal", time.Hour)
	fresh := createSatelliteCommand(t, pool, satID, "normal", 0)
	pending := createSatelliteCommand(t, pool, satID, "normal", time.Hour)
	execSQL(t, pool, `UPDATE satellite_commands SET status = 'executing' WHERE id = ANY($1)`, []string{retry, exhausted})
	execSQL(t, pool, `UPDATE satellite_commands SET status = 'acknowledged' WHERE id = $1`, fresh)
	execSQL(t, pool, `UPDATE satellite_commands SET retry_count = 3 WHERE id = $1`, exhausted)

	changed, err := q.SatelliteCommandRetryStale(ctx, time.Now().Add(-10*time.Minute))
	require.NoError(t, err)
	require.Len(t, changed, 2)
	for _, tc := range []struct {
		id        string
		status    dbsqlc.CommandStatus
		retries   int32
		withError bool
	}{
		{retry, dbsqlc.CommandStatusPending, 1, false},
		{exhausted, dbsqlc.CommandStatusFailed, 3, true},
		{fresh, dbsqlc.CommandStatusAcknowledged, 0, false},
		{pending, dbsqlc.CommandStatusPending, 0, false},
	} {
		c, err := q.SatelliteCommandGetByID(ctx, tc.id)
		require.NoError(t, err)
		require.Equal(t, tc.status, c.Status, tc.id)
		require.Equal(t, tc.retries, c.RetryCount, tc.id)
		require.Equal(t, tc.withError, c.ErrorMessage != nil, tc.id)
	}
	_, err = q.SatelliteCommandGetByID(ctx, "cmd_missing")
	require.ErrorIs(t, err, stackdb.ErrNotFound)
}

func TestSatelliteCommandInsert(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	g1, g2 := createGlobalSatellite(t, pool), createGlobalSatellite(t, pool)
	setSatelliteStatus(t, pool, createGlobalSatellite(t, pool), "inactive")
	teamSat, teamID := createSatellite(t, pool)

	c, err := q.SatelliteCommandInsert(ctx, dbsqlc.SatelliteCommandInsertParams{
		ID: "cmd_1", SatelliteID: teamSat, CommandType: dbsqlc.CommandTypeSpawn, Priority: dbsqlc.CommandPriorityHigh,
		Payload: json.RawMessage(`{"installation_id":"i"}`), TargetTeamID: &teamID, CorrelationID: new("corr_1"),
	})
	require.NoError(t, err)
	require.Equal(t, dbsqlc.CommandStatusPending, c.Status)
	require.EqualValues(t, 0, c.RetryCount)
	require.EqualValues(t, 3, c.MaxRetries)

	fan, err := q.SatelliteCommandInsertManyGlobal(ctx, dbsqlc.SatelliteCommandInsertManyGlobalParams{
		CommandType: dbsqlc.CommandTypeConfigure, Priority: dbsqlc.CommandPriorityImmediate,
		Payload: json.RawMessage(`{"event":"mcp_installation_created"}`), CorrelationID: new("corr_g"),
	})
	require.NoError(t, err)
	got := []string{}
	for _, c := range fan {
		got = append(got, c.SatelliteID)
	}
	require.ElementsMatch(t, []string{g1, g2}, got, "active global satellites only")
	byCorr, err := q.SatelliteCommandListByCorrelation(ctx, "corr_g")
	require.NoError(t, err)
	require.Len(t, byCorr, 2)

	team, err := q.SatelliteCommandInsertManyByTeam(ctx, dbsqlc.SatelliteCommandInsertManyByTeamParams{
		TeamID: teamID, CommandType: dbsqlc.CommandTypeRestart, Priority: dbsqlc.CommandPriorityNormal, Payload: json.RawMessage(`{}`),
	})
	require.NoError(t, err)
	require.Len(t, team, 1)
	require.Equal(t, teamSat, team[0].SatelliteID)
	require.Equal(t, &teamID, team[0].TargetTeamID)

	n, err := q.SatelliteCommandCountBySatellite(ctx, teamSat)
	require.NoError(t, err)
	require.EqualValues(t, 2, n)
	page, err := q.SatelliteCommandListBySatellitePage(ctx, dbsqlc.SatelliteCommandListBySatellitePageParams{SatelliteID: teamSat, MaxRows: 1, SkipRows: 1})
	require.NoError(t, err)
	require.Len(t, page, 1)
}

// ---------------------------------------------------------------------------
// satellite_processes

func TestSatelliteProcessTransitions(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	satID, teamID := createSatellite(t, pool)
	otherSat, _ := createSatellite(t, pool)
	instID, _ := createInstallation(t, pool)

	p, err := q.SatelliteProcessInsert(ctx, dbsqlc.SatelliteProcessInsertParams{ID: "proc_1", SatelliteID: satID,
		InstallationID: &instID, ServerName: "github", TeamID: teamID, Status: dbsqlc.ProcessStatusStarting})
	require.NoError(t, err)
	require.Equal(t, dbsqlc.ProcessHealthStatusUnknown, p.HealthStatus)

	at := time.Now().Add(-time.Minute).Truncate(time.Microsecond)
	for _, tc := range []struct {
		name       string
		run        func(sat string) (dbsqlc.SatelliteProcess, error)
		wantStatus dbsqlc.ProcessStatus
		wantHealth dbsqlc.ProcessHealthStatus
		wantError  *string
	}{
		{"crashed", func(sat string) (dbsqlc.SatelliteProcess, error) {
			return q.SatelliteProcessFail(ctx, dbsqlc.SatelliteProcessFailParams{ID: "proc_1", SatelliteID: sat, ErrorMessage: new("exit 1"), StoppedAt: new(at)})
		}, dbsqlc.ProcessStatusFailed, dbsqlc.ProcessHealthStatusUnhealthy, new("exit 1")},
		{"restarted", func(sat string) (dbsqlc.SatelliteProcess, error) {
			return q.SatelliteProcessUpdateRunning(ctx, dbsqlc.SatelliteProcessUpdateRunningParams{ID: "proc_1", SatelliteID: sat, ProcessPid: new(int32(42)), StartedAt: new(at)})
		}, dbsqlc.ProcessStatusRunning, dbsqlc.ProcessHealthStatusHealthy, nil},
		{"dormant", func(sat string) (dbsqlc.SatelliteProcess, error) {
			return q.SatelliteProcessUpdateStopped(ctx, dbsqlc.SatelliteProcessUpdateStoppedParams{ID: "proc_1", SatelliteID: sat, StoppedAt: new(at)})
		}, dbsqlc.ProcessStatusStopped, dbsqlc.ProcessHealthStatusUnknown, nil},
	} {
		_, err := tc.run(otherSat)
		require.ErrorIs(t, err, stackdb.ErrNotFound, "%s reported by another satellite", tc.name)
		p, err := tc.run(satID)
		require.NoError(t, err, tc.name)
		require.Equal(t, tc.wantStatus, p.Status, tc.name)
		require.Equal(t, tc.wantHealth, p.HealthStatus, tc.name)
		require.Equal(t, tc.wantError, p.ErrorMessage, tc.name)
	}
	p, err = q.SatelliteProcessGetByID(ctx, "proc_1")
	require.NoError(t, err)
	require.Equal(t, new(int32(42)), p.ProcessPid)
	require.Equal(t, at, p.StartedAt.Truncate(time.Microsecond))
	require.Equal(t, at, p.StoppedAt.Truncate(time.Microsecond))
	_, err = q.SatelliteProcessGetByID(ctx, "proc_missing")
	require.ErrorIs(t, err, stackdb.ErrNotFound)
}

func TestSatelliteProcessList(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	satID, teamID := createSatellite(t, pool)
	running := createSatelliteProcess(t, pool, satID, teamID)
	pending := createSatelliteProcess(t, pool, satID, teamID)
	execSQL(t, pool, `UPDATE satellite_processes SET status = 'running' WHERE id = $1`, running)
	otherSat, otherTeam := createSatellite(t, pool)
	createSatelliteProcess(t, pool, otherSat, otherTeam)

	for _, tc := range []struct {
		name string
		list func() ([]dbsqlc.SatelliteProcess, error)
		want []string
	}{
		{"satellite", func() ([]dbsqlc.SatelliteProcess, error) {
			return q.SatelliteProcessListBySatellite(ctx, dbsqlc.SatelliteProcessListBySatelliteParams{SatelliteID: satID})
		}, []string{running, pending}},
		{"satellite running", func() ([]dbsqlc.SatelliteProcess, error) {
			return q.SatelliteProcessListBySatellite(ctx, dbsqlc.SatelliteProcessListBySatelliteParams{SatelliteID: satID, Status: new(dbsqlc.ProcessStatusRunning)})
		}, []string{running}},
		{"team", func() ([]dbsqlc.SatelliteProcess, error) {
			return q.SatelliteProcessListByTeam(ctx, dbsqlc.SatelliteProcessListByTeamParams{TeamID: teamID})
		}, []string{running, pending}},
		{"team pending", func() ([]dbsqlc.SatelliteProcess, error) {
			return q.SatelliteProcessListByTeam(ctx, dbsqlc.SatelliteProcessListByTeamParams{TeamID: teamID, Status: new(dbsqlc.ProcessStatusPending)})
		}, []string{pending}},
	} {
		got, err := tc.list()
		require.NoError(t, err, tc.name)
		ids := []string{}
		for _, p := range got {
			ids = append(ids, p.ID)
		}
		require.ElementsMatch(t, tc.want, ids, tc.name)
	}

	n, err := q.SatelliteProcessDeleteByTeam(ctx, teamID)
	require.NoError(t, err)
	require.EqualValues(t, 2, n)
	require.Equal(t, 1, countRows(t, pool, "satellite_processes", "true"))
}

// ---------------------------------------------------------------------------
// satellite_heartbeats

func TestSatelliteHeartbeatReads(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	satID, _ := createSatellite(t, pool)
	otherSat, _ := createSatellite(t, pool)
	createSatelliteHeartbeat(t, pool, satID, time.Now().Add(-2*time.Minute))
	newest := createSatelliteHeartbeat(t, pool, satID, time.Now())
	middle := createSatelliteHeartbeat(t, pool, satID, time.Now().Add(-time.Minute))
	otherNewest := createSatelliteHeartbeat(t, pool, otherSat, time.Now())
	silent, _ := createSatellite(t, pool)

	hb, err := q.SatelliteHeartbeatGetLatestBySatellite(ctx, satID)
	require.NoError(t, err)
	require.Equal(t, newest, hb.ID)
	_, err = q.SatelliteHeartbeatGetLatestBySatellite(ctx, silent)
	require.ErrorIs(t, err, stackdb.ErrNotFound)

	latest, err := q.SatelliteHeartbeatListLatest(ctx)
	require.NoError(t, err)
	ids := []string{}
	for _, h := range latest {
		ids = append(ids, h.ID)
	}
	require.ElementsMatch(t, []string{newest, otherNewest}, ids)

	page, err := q.SatelliteHeartbeatListBySatellitePage(ctx, dbsqlc.SatelliteHeartbeatListBySatellitePageParams{SatelliteID: satID, MaxRows: 1, SkipRows: 1})
	require.NoError(t, err)
	require.Len(t, page, 1)
	require.Equal(t, middle, page[0].ID)
	n, err := q.SatelliteHeartbeatCountBySatellite(ctx, satID)
	require.NoError(t, err)
	require.EqualValues(t, 3, n)
}

func TestSatelliteHeartbeatDeleteBeyondLimit(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	global := createGlobalSatellite(t, pool)
	team, _ := createSatellite(t, pool)
	now := time.Now()
	var globalHB, teamHB []string // newest first
	for i := range 5 {
		globalHB = append(globalHB, createSatelliteHeartbeat(t, pool, global, now.Add(-time.Duration(i)*time.Minute)))
		teamHB = append(teamHB, createSatelliteHeartbeat(t, pool, team, now.Add(-time.Duration(i)*time.Minute)))
	}
	// Two heartbeats at the same instant: the id breaks the tie.
	tie := createSatelliteHeartbeat(t, pool, team, now.Add(-time.Minute))

	n, err := q.SatelliteHeartbeatDeleteBeyondLimit(ctx, dbsqlc.SatelliteHeartbeatDeleteBeyondLimitParams{GlobalKeep: 3, TeamKeep: 2})
	require.NoError(t, err)
	require.EqualValues(t, 2+4, n)
	require.Equal(t, 3, countRows(t, pool, "satellite_heartbeats", "satellite_id = $1", global))
	require.Equal(t, 0, countRows(t, pool, "satellite_heartbeats", "id = ANY($1)", globalHB[3:]))
	require.Equal(t, 2, countRows(t, pool, "satellite_heartbeats", "id = ANY($1)", []string{teamHB[0], tie}),
		"the newest two: the tie's id sorts after its twin's")

	n, err = q.SatelliteHeartbeatDeleteBeyondLimit(ctx, dbsqlc.SatelliteHeartbeatDeleteBeyondLimitParams{GlobalKeep: 3, TeamKeep: 2})
	require.NoError(t, err)
	require.Zero(t, n, "nothing beyond the limit any more")

	_, err = q.SatelliteHeartbeatDeleteBeyondLimit(ctx, dbsqlc.SatelliteHeartbeatDeleteBeyondLimitParams{GlobalKeep: 0, TeamKeep: 2})
	require.Error(t, err, "a limit below 1 is refused")
	require.Equal(t, 5, countRows(t, pool, "satellite_heartbeats", "true"))
}

func TestSatelliteHeartbeatUsesIndex(t *testing.T) {
	t.Parallel()
	_, pool, _ := setup(t)
	tx := noSeqscanTx(t, pool) // one transaction: each would hold a connection until the test ends
	for _, tc := range []struct {
		name   string
		sorted bool // the index gives the order
		query  func(q dbsqlc.Querier) error
	}{
		{"latest", true, func(q dbsqlc.Querier) error {
			_, err := q.SatelliteHeartbeatGetLatestBySatellite(t.Context(), "sat")
			require.ErrorIs(t, err, stackdb.ErrNotFound)
			return nil
		}},
		{"page", false, func(q dbsqlc.Querier) error {
			_, err := q.SatelliteHeartbeatListBySatellitePage(t.Context(), dbsqlc.SatelliteHeartbeatListBySatellitePageParams{SatelliteID: "sat", MaxRows: 10})
			return err
		}},
		{"retention", false, func(q dbsqlc.Querier) error {
			_, err := q.SatelliteHeartbeatDeleteBeyondLimit(t.Context(), dbsqlc.SatelliteHeartbeatDeleteBeyondLimitParams{GlobalKeep: 3, TeamKeep: 2})
			return err
		}},
	} {
		plan := explainQuery(t, tx, tc.query)
		require.Contains(t, rootIndexes(t, tx, plan), "satellite_heartbeats_satellite_timestamp_idx", "%s\n%s", tc.name, plan.Text())
		if tc.sorted {
			require.NotContains(t, plan.Values("Node Type"), "Sort", "%s\n%s", tc.name, plan.Text())
		}
	}
}

// ---------------------------------------------------------------------------
// satellite_usage_logs

func TestSatelliteUsageLogInsertManyAndList(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	satID, teamID := createSatellite(t, pool)
	userID := createUser(t, pool)
	base := time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC)
	rows := make([]dbsqlc.SatelliteUsageLogInsertManyParams, 6)
	for i := range rows {
		rows[i] = dbsqlc.SatelliteUsageLogInsertManyParams{
			ID: fmt.Sprintf("use_%d", i), SatelliteID: satID, TeamID: teamID, RequestMethod: "POST",
			RequestPath: "/mcp/tool/read_file", ToolName: new("read_file"), DurationMs: new(int32(10 * i)),
			StatusCode: new(int32(200)), Timestamp: base.Add(time.Duration(i) * 15 * time.Minute),
		}
		if i%2 == 0 {
			rows[i].UserID = &userID
		}
	}
	n, err := q.SatelliteUsageLogInsertMany(ctx, rows)
	require.NoError(t, err)
	require.EqualValues(t, 6, n)
	require.Equal(t, 2, countRows(t, pool, "satellite_usage_logs", "date_partition = '2026-03-01'"),
		"date_partition is the UTC day of the timestamp")

	since, until := base.Add(15*time.Minute), base.Add(75*time.Minute)
	for _, tc := range []struct {
		name string
		list func() ([]dbsqlc.SatelliteUsageLog, error)
		want []string
	}{
		{"satellite", func() ([]dbsqlc.SatelliteUsageLog, error) {
			return q.SatelliteUsageLogListBySatellite(ctx, dbsqlc.SatelliteUsageLogListBySatelliteParams{SatelliteID: satID, Since: since, Until: until, MaxRows: 10})
		}, []string{"use_4", "use_3", "use_2", "use_1"}},
		{"satellite, limited", func() ([]dbsqlc.SatelliteUsageLog, error) {
			return q.SatelliteUsageLogListBySatellite(ctx, dbsqlc.SatelliteUsageLogListBySatelliteParams{SatelliteID: satID, Since: since, Until: until, MaxRows: 2})
		}, []string{"use_4", "use_3"}},
		{"team", func() ([]dbsqlc.SatelliteUsageLog, error) {
			return q.SatelliteUsageLogListByTeam(ctx, dbsqlc.SatelliteUsageLogListByTeamParams{TeamID: teamID, Since: since, Until: until, MaxRows: 10})
		}, []string{"use_4", "use_3", "use_2", "use_1"}},
		{"user", func() ([]dbsqlc.SatelliteUsageLog, error) {
			return q.SatelliteUsageLogListByUser(ctx, dbsqlc.SatelliteUsageLogListByUserParams{UserID: &userID, Since: since, Until: until, MaxRows: 10})
		}, []string{"use_4", "use_2"}},
	} {
		got, err := tc.list()
		require.NoError(t, err, tc.name)
		ids := []string{}
		for _, l := range got {
			ids = append(ids, l.ID)
		}
		require.Equal(t, tc.want, ids, tc.name)
	}
}

func TestSatelliteUsageLogDelete(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	satA, teamA := createSatellite(t, pool)
	satB, teamB := createSatellite(t, pool)
	now := time.Now()
	var a []string // newest first
	for i := range 4 {
		a = append(a, createSatelliteUsageLog(t, pool, satA, teamA, nil, now.Add(-time.Duration(i)*time.Second)))
		createSatelliteUsageLog(t, pool, satB, teamB, nil, now.Add(-time.Duration(i)*time.Second))
	}

	n, err := q.SatelliteUsageLogDeleteBeyondLimit(ctx, 3)
	require.NoError(t, err)
	require.EqualValues(t, 2, n, "one per satellite")
	require.Equal(t, 3, countRows(t, pool, "satellite_usage_logs", "id = ANY($1)", a[:3]), "the newest three stay")

	n, err = q.SatelliteUsageLogDeleteByTeam(ctx, teamB)
	require.NoError(t, err)
	require.EqualValues(t, 3, n)
	require.Equal(t, 3, countRows(t, pool, "satellite_usage_logs", "true"))
}

func TestSatelliteUsageLogUsesIndex(t *testing.T) {
	t.Parallel()
	_, pool, _ := setup(t)
	now := time.Now()
	tx := noSeqscanTx(t, pool) // one transaction: each would hold a connection until the test ends
	for _, tc := range []struct {
		name, index string
		query       func(q dbsqlc.Querier) error
	}{
		{"by satellite", "satellite_usage_logs_satellite_timestamp_idx", func(q dbsqlc.Querier) error {
			_, err := q.SatelliteUsageLogListBySatellite(t.Context(), dbsqlc.SatelliteUsageLogListBySatelliteParams{SatelliteID: "s", Since: now.Add(-time.Hour), Until: now, MaxRows: 10})
			return err
		}},
		{"by team", "satellite_usage_logs_team_timestamp_idx", func(q dbsqlc.Querier) error {
			_, err := q.SatelliteUsageLogListByTeam(t.Context(), dbsqlc.SatelliteUsageLogListByTeamParams{TeamID: "t", Since: now.Add(-time.Hour), Until: now, MaxRows: 10})
			return err
		}},
		{"by user", "satellite_usage_logs_user_timestamp_idx", func(q dbsqlc.Querier) error {
			_, err := q.SatelliteUsageLogListByUser(t.Context(), dbsqlc.SatelliteUsageLogListByUserParams{UserID: new("u"), Since: now.Add(-time.Hour), Until: now, MaxRows: 10})
			return err
		}},
		{"retention", "satellite_usage_logs_satellite_timestamp_idx", func(q dbsqlc.Querier) error {
			_, err := q.SatelliteUsageLogDeleteBeyondLimit(t.Context(), 100)
			return err
		}},
	} {
		plan := explainQuery(t, tx, tc.query)
		require.Contains(t, rootIndexes(t, tx, plan), tc.index, "%s\n%s", tc.name, plan.Text())
	}
}
