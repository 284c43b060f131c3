package stackdb_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/gen/dbsqlc"
)

// ---------------------------------------------------------------------------
// Fixtures (mcp_tool_executions, team_metrics)

// usageT0 is a fixed instant the usage tests build their time windows from.
var usageT0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// usageWorld is a user, two teams and a satellite, enough to log tool calls.
type usageWorld struct {
	user         dbsqlc.User
	team, other  dbsqlc.Team
	satellite    string
	satelliteTwo string
}

func newUsageWorld(t *testing.T, pool *pgxpool.Pool, q dbsqlc.Querier) usageWorld {
	t.Helper()
	role := createRole(t, q, "member")
	user := createUser(t, q, role.ID, newID("usage")+"@example.com")
	team := createTeam(t, q, user.ID, "Team", newID("team-slug"))
	other := createTeam(t, q, user.ID, "Other", newID("team-slug"))
	return usageWorld{
		user:         user,
		team:         team,
		other:        other,
		satellite:    insertUsageSatellite(t, pool, user.ID),
		satelliteTwo: insertUsageSatellite(t, pool, user.ID),
	}
}

// insertUsageSatellite inserts a global satellite with plain SQL (the
// satellite queries belong to another file) and returns its id.
func insertUsageSatellite(t *testing.T, pool *pgxpool.Pool, createdBy string) string {
	t.Helper()
	id := newID("sat")
	_, err := pool.Exec(t.Context(),
		`INSERT INTO satellites (id, name, satellite_type, satellite_url, created_by) VALUES ($1, $2, 'global', 'https://sat.example.com', $3)`,
		id, "satellite "+id, createdBy)
	require.NoError(t, err)
	return id
}

// toolCall builds a batch row; the call succeeds unless errMsg is set.
func toolCall(w usageWorld, teamID, server, tool string, durationMs int32, errMsg string, at time.Time) dbsqlc.ToolExecutionCreateBatchParams {
	p := dbsqlc.ToolExecutionCreateBatchParams{
		SatelliteID: w.satellite,
		TeamID:      teamID,
		ServerSlug:  server,
		ToolName:    tool,
		DurationMs:  durationMs,
		Success:     errMsg == "",
		CreatedAt:   at,
	}
	if errMsg != "" {
		p.Error = new(errMsg)
	}
	return p
}

// ---------------------------------------------------------------------------
// mcp_tool_executions

func TestToolExecutionCreateBatch(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	w := newUsageWorld(t, pool, q)

	n, err := q.ToolExecutionCreateBatch(ctx, nil)
	require.NoError(t, err)
	require.Zero(t, n)

	const rows = 250
	batch := make([]dbsqlc.ToolExecutionCreateBatchParams, rows)
	for i := range batch {
		batch[i] = toolCall(w, w.team.ID, "github", fmt.Sprintf("tool_%03d", i), int32(i), "", usageT0.Add(time.Duration(i)*time.Second))
	}
	batch[7].UserID = new(w.user.ID)
	batch[7].Success = false
	batch[7].Error = new("rate limited")
	batch[7].Arguments = json.RawMessage(`{"repo":"deploystack"}`)

	n, err = q.ToolExecutionCreateBatch(ctx, batch)
	require.NoError(t, err)
	require.EqualValues(t, rows, n)

	// Every row got its own id from the identity, in COPY order.
	var count, distinct, minID, maxID int64
	require.NoError(t, pool.QueryRow(ctx,
		`SELECT count(*), count(DISTINCT id), min(id), max(id) FROM mcp_tool_executions`).Scan(&count, &distinct, &minID, &maxID))
	require.EqualValues(t, rows, count)
	require.EqualValues(t, rows, distinct)
	require.EqualValues(t, 1, minID)
	require.EqualValues(t, rows, maxID)

	// Values round-trip, NULLs included.
	got, err := q.ToolExecutionListRecentFailures(ctx, dbsqlc.ToolExecutionListRecentFailuresParams{TeamID: w.team.ID, MaxRows: 10})
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.EqualValues(t, 8, got[0].ID, "ids follow the batch order")
	require.Equal(t, w.satellite, got[0].SatelliteID)
	require.Equal(t, new(w.user.ID), got[0].UserID)
	require.Equal(t, "github", got[0].ServerSlug)
	require.Equal(t, "tool_007", got[0].ToolName)
	require.EqualValues(t, 7, got[0].DurationMs)
	require.Equal(t, new("rate limited"), got[0].Error)
	require.JSONEq(t, `{"repo":"deploystack"}`, string(got[0].Arguments))
	require.True(t, usageT0.Add(7*time.Second).Equal(got[0].CreatedAt), "created_at %v", got[0].CreatedAt)

	var nullUser, nullError, nullArgs int64
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE user_id IS NULL), count(*) FILTER (WHERE error IS NULL),
		count(*) FILTER (WHERE arguments IS NULL) FROM mcp_tool_executions`).Scan(&nullUser, &nullError, &nullArgs))
	require.EqualValues(t, rows-1, nullUser)
	require.EqualValues(t, rows-1, nullError)
	require.EqualValues(t, rows-1, nullArgs, "a nil json.RawMessage is stored as NULL")
}

func TestToolExecutionCreateBatchFailsAsAWhole(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		spoil      func(p *dbsqlc.ToolExecutionCreateBatchParams)
		kind       stackdb.ConstraintKind
		constraint string
	}{
		{"unknown satellite", func(p *dbsqlc.ToolExecutionCreateBatchParams) { p.SatelliteID = "sat_missing" },
			stackdb.ForeignKey, "mcp_tool_executions_satellite_id_fkey"},
		{"unknown team", func(p *dbsqlc.ToolExecutionCreateBatchParams) { p.TeamID = "team_missing" },
			stackdb.ForeignKey, "mcp_tool_executions_team_id_fkey"},
		{"unknown user", func(p *dbsqlc.ToolExecutionCreateBatchParams) { p.UserID = new("user_missing") },
			stackdb.ForeignKey, "mcp_tool_executions_user_id_fkey"},
		{"negative duration", func(p *dbsqlc.ToolExecutionCreateBatchParams) { p.DurationMs = -1 },
			stackdb.Check, "mcp_tool_executions_duration_nonnegative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx, pool, q := setup(t)
			w := newUsageWorld(t, pool, q)

			batch := make([]dbsqlc.ToolExecutionCreateBatchParams, 100)
			for i := range batch {
				batch[i] = toolCall(w, w.team.ID, "github", "search", 10, "", usageT0)
			}
			tt.spoil(&batch[60]) // rows before it were already sent

			n, err := q.ToolExecutionCreateBatch(ctx, batch)
			requireConstraintError(t, err, tt.kind, "mcp_tool_executions", tt.constraint)
			require.Zero(t, n)
			require.Zero(t, countRows(t, pool, "mcp_tool_executions", "true"), "a failed COPY stores no row")

			// The same batch without the bad row goes in.
			n, err = q.ToolExecutionCreateBatch(ctx, slices.Delete(batch, 60, 61))
			require.NoError(t, err)
			require.EqualValues(t, 99, n)
			require.EqualValues(t, 99, countRows(t, pool, "mcp_tool_executions", "true"))
		})
	}
}

func TestToolExecutionCreate(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	w := newUsageWorld(t, pool, q)

	before := time.Now()
	first, err := q.ToolExecutionCreate(ctx, dbsqlc.ToolExecutionCreateParams{
		SatelliteID: w.satellite,
		TeamID:      w.team.ID,
		UserID:      new(w.user.ID),
		ServerSlug:  "github",
		ToolName:    "search",
		DurationMs:  42,
		Success:     true,
		Arguments:   json.RawMessage(`{"q":"x"}`),
	})
	require.NoError(t, err)
	require.EqualValues(t, 1, first.ID)
	require.Equal(t, new(w.user.ID), first.UserID)
	require.EqualValues(t, 42, first.DurationMs)
	require.True(t, first.Success)
	require.Nil(t, first.Error)
	require.JSONEq(t, `{"q":"x"}`, string(first.Arguments))
	require.WithinDuration(t, before, first.CreatedAt, 5*time.Second, "nil created_at means now()")

	second, err := q.ToolExecutionCreate(ctx, dbsqlc.ToolExecutionCreateParams{
		SatelliteID: w.satellite,
		TeamID:      w.team.ID,
		ServerSlug:  "github",
		ToolName:    "search",
		DurationMs:  0,
		Success:     false,
		Error:       new("boom"),
		CreatedAt:   new(usageT0),
	})
	require.NoError(t, err)
	require.EqualValues(t, 2, second.ID)
	require.Nil(t, second.UserID)
	require.Nil(t, second.Arguments)
	require.Equal(t, new("boom"), second.Error)
	require.True(t, usageT0.Equal(second.CreatedAt), "created_at %v", second.CreatedAt)

	_, err = q.ToolExecutionCreate(ctx, dbsqlc.ToolExecutionCreateParams{
		SatelliteID: "sat_missing", TeamID: w.team.ID, ServerSlug: "github", ToolName: "search", Success: true,
	})
	requireConstraintError(t, err, stackdb.ForeignKey, "mcp_tool_executions", "mcp_tool_executions_satellite_id_fkey")
}

// usageDataSet loads the hand-made data set of the usage tests and returns
// the window [since, until) it is built around. In the window, team w.team
// has 10 calls, 3 of them failed:
//
//	github/search        5, 10, 20 (failed), 60
//	github/create_issue  50, 80, 1000 (failed)
//	slack/post           30, 40, 200 (failed)
//
// Outside it (a microsecond before since, exactly at until) and for the
// other team inside it are failed calls of 100000 ms that would change every
// number if they were counted.
func usageDataSet(t *testing.T, q dbsqlc.Querier, w usageWorld) (since, until time.Time) {
	t.Helper()
	since, until = usageT0, usageT0.Add(time.Hour)
	at := func(m int) time.Time { return since.Add(time.Duration(m) * time.Minute) }
	batch := []dbsqlc.ToolExecutionCreateBatchParams{
		toolCall(w, w.team.ID, "github", "search", 5, "", since), // first instant of the window
		toolCall(w, w.team.ID, "github", "search", 10, "", at(3)),
		toolCall(w, w.team.ID, "github", "search", 20, "timeout", at(7)),
		toolCall(w, w.team.ID, "github", "search", 60, "", at(15)),
		toolCall(w, w.team.ID, "github", "create_issue", 50, "", at(20)),
		toolCall(w, w.team.ID, "github", "create_issue", 80, "", at(31)),
		toolCall(w, w.team.ID, "github", "create_issue", 1000, "forbidden", at(44)),
		toolCall(w, w.team.ID, "slack", "post", 30, "", at(50)),
		toolCall(w, w.team.ID, "slack", "post", 40, "", at(58)),
		toolCall(w, w.team.ID, "slack", "post", 200, "timeout", until.Add(-time.Microsecond)), // last instant

		toolCall(w, w.team.ID, "github", "search", 100000, "early", since.Add(-time.Microsecond)),
		toolCall(w, w.team.ID, "github", "search", 100000, "late", until),
		toolCall(w, w.other.ID, "github", "search", 100000, "other team", at(10)),
		toolCall(w, w.other.ID, "slack", "post", 100000, "other team", at(11)),
	}
	n, err := q.ToolExecutionCreateBatch(t.Context(), batch)
	require.NoError(t, err)
	require.EqualValues(t, len(batch), n)
	return since, until
}

func TestToolExecutionTeamUsage(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	w := newUsageWorld(t, pool, q)
	since, until := usageDataSet(t, q, w)

	got, err := q.ToolExecutionTeamUsage(ctx, dbsqlc.ToolExecutionTeamUsageParams{TeamID: w.team.ID, Since: since, Until: until})
	require.NoError(t, err)
	require.EqualValues(t, 10, got.Calls)
	require.EqualValues(t, 3, got.Errors)
	// Sorted: 5 10 20 30 40 50 60 80 200 1000 (n = 10, interpolated).
	// p50 at position 0.5·9 = 4.5: 40 + 0.5·(50−40) = 45.
	// p95 at position 0.95·9 = 8.55: 200 + 0.55·(1000−200) = 640.
	require.InDelta(t, 45, got.P50DurationMs, 1e-9)
	require.InDelta(t, 640, got.P95DurationMs, 1e-9)

	// A narrower window: minutes [20, 50) hold 50, 80, 1000 (failed).
	got, err = q.ToolExecutionTeamUsage(ctx, dbsqlc.ToolExecutionTeamUsageParams{
		TeamID: w.team.ID, Since: since.Add(20 * time.Minute), Until: since.Add(50 * time.Minute),
	})
	require.NoError(t, err)
	require.Equal(t, dbsqlc.ToolExecutionTeamUsageRow{Calls: 3, Errors: 1, P50DurationMs: 80, P95DurationMs: 908}, roundUsage(got))

	// The other team sees only its own two calls.
	got, err = q.ToolExecutionTeamUsage(ctx, dbsqlc.ToolExecutionTeamUsageParams{TeamID: w.other.ID, Since: since, Until: until})
	require.NoError(t, err)
	require.Equal(t, dbsqlc.ToolExecutionTeamUsageRow{Calls: 2, Errors: 2, P50DurationMs: 100000, P95DurationMs: 100000}, got)

	// No calls in the window: zeros, not an error.
	got, err = q.ToolExecutionTeamUsage(ctx, dbsqlc.ToolExecutionTeamUsageParams{TeamID: w.team.ID, Since: until.Add(time.Microsecond), Until: until.Add(time.Hour)})
	require.NoError(t, err)
	require.Equal(t, dbsqlc.ToolExecutionTeamUsageRow{}, got)
}

// roundUsage rounds the percentiles to 1e-6 ms, so interpolated values
// compare exactly.
func roundUsage(r dbsqlc.ToolExecutionTeamUsageRow) dbsqlc.ToolExecutionTeamUsageRow {
	round := func(f float64) float64 { return float64(int64(f*1e6+0.5)) / 1e6 }
	r.P50DurationMs, r.P95DurationMs = round(r.P50DurationMs), round(r.P95DurationMs)
	return r
}

func TestToolExecutionTeamUsageByTool(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	w := newUsageWorld(t, pool, q)
	since, until := usageDataSet(t, q, w)

	got, err := q.ToolExecutionTeamUsageByTool(ctx, dbsqlc.ToolExecutionTeamUsageByToolParams{TeamID: w.team.ID, Since: since, Until: until})
	require.NoError(t, err)
	type usage struct {
		tool          string
		calls, errors int64
		p50, p95      float64
	}
	want := []usage{
		// 5 10 20 60: p50 at 1.5 = 15; p95 at 2.85 = 20 + 0.85·40 = 54.
		{"github/search", 4, 1, 15, 54},
		// 50 80 1000: p50 = 80; p95 at 1.9 = 80 + 0.9·920 = 908.
		{"github/create_issue", 3, 1, 80, 908},
		// 30 40 200: p50 = 40; p95 at 1.9 = 40 + 0.9·160 = 184.
		{"slack/post", 3, 1, 40, 184},
	}
	require.Len(t, got, len(want))
	for i, row := range got {
		require.Equal(t, want[i].tool, row.ServerSlug+"/"+row.ToolName, "row %d: busiest first, then by server and tool", i)
		require.Equal(t, want[i].calls, row.Calls, want[i].tool)
		require.Equal(t, want[i].errors, row.Errors, want[i].tool)
		require.InDelta(t, want[i].p50, row.P50DurationMs, 1e-9, want[i].tool)
		require.InDelta(t, want[i].p95, row.P95DurationMs, 1e-9, want[i].tool)
	}

	got, err = q.ToolExecutionTeamUsageByTool(ctx, dbsqlc.ToolExecutionTeamUsageByToolParams{TeamID: w.team.ID, Since: until.Add(time.Microsecond), Until: until.Add(time.Hour)})
	require.NoError(t, err)
	require.Empty(t, got)
	require.NotNil(t, got, "an empty result is an empty slice")
}

func TestToolExecutionListRecentFailures(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	w := newUsageWorld(t, pool, q)

	at := func(m int) time.Time { return usageT0.Add(time.Duration(m) * time.Minute) }
	batch := []dbsqlc.ToolExecutionCreateBatchParams{
		toolCall(w, w.team.ID, "github", "search", 1, "f1", at(1)),
		toolCall(w, w.team.ID, "github", "search", 2, "f2", at(2)),
		toolCall(w, w.team.ID, "github", "search", 3, "f3 id 101", at(3)),
		toolCall(w, w.team.ID, "github", "search", 5, "f5", at(5)),
		// Newer successes and another team's newer failure must not show.
		toolCall(w, w.team.ID, "github", "search", 6, "", at(6)),
		toolCall(w, w.team.ID, "github", "search", 7, "", at(7)),
		toolCall(w, w.other.ID, "github", "search", 8, "other", at(8)),
		toolCall(w, w.team.ID, "github", "search", 4, "f4", at(4)), // inserted out of order
	}
	// The batch gets ids from 101 on.
	_, err := pool.Exec(ctx, `SELECT setval(pg_get_serial_sequence('mcp_tool_executions', 'id'), 100)`)
	require.NoError(t, err)
	_, err = q.ToolExecutionCreateBatch(ctx, batch)
	require.NoError(t, err)
	// A failure at the same instant as "f3 id 101", stored after it but with
	// a smaller id (as imported rows are): ties go by id, not by storage.
	_, err = pool.Exec(ctx, `INSERT INTO mcp_tool_executions (id, satellite_id, team_id, server_slug, tool_name, duration_ms, success, error, created_at)
		VALUES (50, $1, $2, 'github', 'search', 3, false, 'f3 id 50', $3)`, w.satellite, w.team.ID, at(3))
	require.NoError(t, err)

	errorsOf := func(rows []dbsqlc.McpToolExecution) []string {
		var out []string
		for _, r := range rows {
			require.False(t, r.Success)
			require.Equal(t, w.team.ID, r.TeamID)
			out = append(out, *r.Error)
		}
		return out
	}
	tests := []struct {
		max  int32
		want []string
	}{
		{max: 4, want: []string{"f5", "f4", "f3 id 101", "f3 id 50"}},
		{max: 100, want: []string{"f5", "f4", "f3 id 101", "f3 id 50", "f2", "f1"}},
		{max: 1, want: []string{"f5"}},
	}
	for _, tt := range tests {
		got, err := q.ToolExecutionListRecentFailures(ctx, dbsqlc.ToolExecutionListRecentFailuresParams{TeamID: w.team.ID, MaxRows: tt.max})
		require.NoError(t, err)
		require.Equal(t, tt.want, errorsOf(got), "limit %d", tt.max)
	}

	// A team with successes only has no failures.
	third := createTeam(t, q, w.user.ID, "Third", newID("team-slug"))
	_, err = q.ToolExecutionCreateBatch(ctx, []dbsqlc.ToolExecutionCreateBatchParams{toolCall(w, third.ID, "github", "search", 1, "", at(1))})
	require.NoError(t, err)
	got, err := q.ToolExecutionListRecentFailures(ctx, dbsqlc.ToolExecutionListRecentFailuresParams{TeamID: third.ID, MaxRows: 10})
	require.NoError(t, err)
	require.Empty(t, got)
}

func TestToolExecutionQueriesUseIndexes(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	w := newUsageWorld(t, pool, q)
	teams := []string{w.team.ID, w.other.ID}
	for range 3 {
		teams = append(teams, createTeam(t, q, w.user.ID, "More", newID("team-slug")).ID)
	}
	// A few days of calls for five teams, one in twenty failing.
	batch := make([]dbsqlc.ToolExecutionCreateBatchParams, 5000)
	for i := range batch {
		errMsg := ""
		if i%20 == 0 {
			errMsg = "failed"
		}
		batch[i] = toolCall(w, teams[i%len(teams)], "github", fmt.Sprintf("tool_%d", i%7), int32(i%500), errMsg, usageT0.Add(time.Duration(i)*time.Minute))
	}
	_, err := q.ToolExecutionCreateBatch(ctx, batch)
	require.NoError(t, err)
	_, err = pool.Exec(ctx, "ANALYZE mcp_tool_executions")
	require.NoError(t, err)

	window := dbsqlc.ToolExecutionTeamUsageParams{TeamID: w.team.ID, Since: usageT0.Add(24 * time.Hour), Until: usageT0.Add(25 * time.Hour)}
	tests := []struct {
		name  string
		query func(q dbsqlc.Querier) error
		index string
	}{
		{"team usage", func(q dbsqlc.Querier) error {
			_, err := q.ToolExecutionTeamUsage(ctx, window)
			return err
		}, "mcp_tool_executions_team_id_created_at_idx"},
		{"team usage by tool", func(q dbsqlc.Querier) error {
			_, err := q.ToolExecutionTeamUsageByTool(ctx, dbsqlc.ToolExecutionTeamUsageByToolParams(window))
			return err
		}, "mcp_tool_executions_team_id_created_at_idx"},
		{"recent failures", func(q dbsqlc.Querier) error {
			_, err := q.ToolExecutionListRecentFailures(ctx, dbsqlc.ToolExecutionListRecentFailuresParams{TeamID: w.team.ID, MaxRows: 20})
			return err
		}, "mcp_tool_executions_failures_idx"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Forbidding sequential scans shows which index the query can
			// use; it does not force one index over another.
			tx := noSeqscanTx(t, pool)

			plan := explainQuery(t, tx, tt.query)
			require.Equal(t, []string{tt.index}, plan.Indexes(), "plan:\n%s", plan)
			conds := strings.Join(plan.IndexConds(), " ")
			require.Contains(t, conds, "team_id =", "plan:\n%s", plan)
			if tt.index == "mcp_tool_executions_team_id_created_at_idx" {
				require.Contains(t, conds, "created_at >=", "the window is an index range, plan:\n%s", plan)
			}
		})
	}
}

// ---------------------------------------------------------------------------
// team_metrics

func TestTeamMetricIncrement(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	w := newUsageWorld(t, pool, q)

	inc := func(team, satellite string, bucket time.Time, minutes int32, calls, errs, ms int64) dbsqlc.TeamMetric {
		t.Helper()
		m, err := q.TeamMetricIncrement(ctx, dbsqlc.TeamMetricIncrementParams{
			TeamID: team, SatelliteID: satellite, BucketStart: bucket, BucketMinutes: minutes,
			ToolCalls: calls, Errors: errs, TotalDurationMs: ms,
		})
		require.NoError(t, err)
		return m
	}
	type counters struct{ minutes, calls, errs, ms int64 }
	countersOf := func(m dbsqlc.TeamMetric) counters {
		return counters{int64(m.BucketMinutes), m.ToolCalls, m.Errors, m.TotalDurationMs}
	}

	first := inc(w.team.ID, w.satellite, usageT0, 5, 3, 1, 120)
	require.Equal(t, w.team.ID, first.TeamID)
	require.Equal(t, w.satellite, first.SatelliteID)
	require.True(t, usageT0.Equal(first.BucketStart))
	require.Equal(t, counters{5, 3, 1, 120}, countersOf(first))

	// Same bucket: added up in the same row; bucket_minutes stays.
	second := inc(w.team.ID, w.satellite, usageT0, 15, 2, 0, 30)
	require.Equal(t, first.ID, second.ID)
	require.Equal(t, counters{5, 5, 1, 150}, countersOf(second))

	// A different bucket, satellite or team is a different row.
	for _, m := range []dbsqlc.TeamMetric{
		inc(w.team.ID, w.satellite, usageT0.Add(5*time.Minute), 5, 1, 1, 7),
		inc(w.team.ID, w.satelliteTwo, usageT0, 5, 1, 1, 7),
		inc(w.other.ID, w.satellite, usageT0, 5, 1, 1, 7),
	} {
		require.NotEqual(t, first.ID, m.ID)
		require.Equal(t, counters{5, 1, 1, 7}, countersOf(m))
	}
	require.EqualValues(t, 4, countRows(t, pool, "team_metrics", "true"))

	var calls, errs, ms int64
	require.NoError(t, pool.QueryRow(ctx, `SELECT tool_calls, errors, total_duration_ms FROM team_metrics WHERE id = $1`, first.ID).Scan(&calls, &errs, &ms))
	require.Equal(t, []int64{5, 1, 150}, []int64{calls, errs, ms})
}

func TestTeamMetricIncrementConstraints(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	w := newUsageWorld(t, pool, q)
	ok := dbsqlc.TeamMetricIncrementParams{TeamID: w.team.ID, SatelliteID: w.satellite, BucketStart: usageT0, BucketMinutes: 5, ToolCalls: 1}

	tests := []struct {
		name       string
		spoil      func(p *dbsqlc.TeamMetricIncrementParams)
		kind       stackdb.ConstraintKind
		constraint string
	}{
		{"unknown team", func(p *dbsqlc.TeamMetricIncrementParams) { p.TeamID = "team_missing" }, stackdb.ForeignKey, "team_metrics_team_id_fkey"},
		{"unknown satellite", func(p *dbsqlc.TeamMetricIncrementParams) { p.SatelliteID = "sat_missing" }, stackdb.ForeignKey, "team_metrics_satellite_id_fkey"},
		{"zero-minute bucket", func(p *dbsqlc.TeamMetricIncrementParams) { p.BucketMinutes = 0 }, stackdb.Check, "team_metrics_bucket_minutes_positive"},
	}
	for _, tt := range tests {
		p := ok
		tt.spoil(&p)
		_, err := q.TeamMetricIncrement(ctx, p)
		requireConstraintError(t, err, tt.kind, "team_metrics", tt.constraint)
	}
	require.Zero(t, countRows(t, pool, "team_metrics", "true"))
}

func TestTeamMetricIncrementConcurrent(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	w := newUsageWorld(t, pool, q)

	const workers, perWorker = 20, 25
	var (
		mu       sync.Mutex
		totals   []int64 // tool_calls each increment saw after itself
		failures []error
		wg       sync.WaitGroup
		start    = make(chan struct{})
	)
	var wantErrors, wantMs int64
	for g := range workers {
		for i := range perWorker {
			if (g+i)%4 == 0 {
				wantErrors++
			}
			wantMs += int64(g*100 + i)
		}
		wg.Go(func() {
			<-start
			for i := range perWorker {
				var errs int64
				if (g+i)%4 == 0 {
					errs = 1
				}
				m, err := q.TeamMetricIncrement(ctx, dbsqlc.TeamMetricIncrementParams{
					TeamID: w.team.ID, SatelliteID: w.satellite, BucketStart: usageT0, BucketMinutes: 5,
					ToolCalls: 1, Errors: errs, TotalDurationMs: int64(g*100 + i),
				})
				mu.Lock()
				if err != nil {
					failures = append(failures, err)
				} else {
					totals = append(totals, m.ToolCalls)
				}
				mu.Unlock()
			}
		})
	}
	close(start)
	wg.Wait()
	require.Empty(t, failures)

	buckets, err := q.TeamMetricListByTeam(ctx, dbsqlc.TeamMetricListByTeamParams{TeamID: w.team.ID, Since: usageT0, Until: usageT0.Add(time.Minute)})
	require.NoError(t, err)
	require.Len(t, buckets, 1, "one bucket however many writers raced to create it")
	require.EqualValues(t, workers*perWorker, buckets[0].ToolCalls)
	require.Equal(t, wantErrors, buckets[0].Errors)
	require.Equal(t, wantMs, buckets[0].TotalDurationMs)

	// Each increment saw its own total: the running totals are exactly
	// 1..n, so no two increments read the same old value.
	slices.Sort(totals)
	want := make([]int64, workers*perWorker)
	for i := range want {
		want[i] = int64(i + 1)
	}
	require.Equal(t, want, totals)
}

func TestTeamMetricListByTeam(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	w := newUsageWorld(t, pool, q)

	since, until := usageT0, usageT0.Add(time.Hour)
	bucket := func(team, satellite string, start time.Time, calls int64) {
		t.Helper()
		_, err := q.TeamMetricIncrement(ctx, dbsqlc.TeamMetricIncrementParams{
			TeamID: team, SatelliteID: satellite, BucketStart: start, BucketMinutes: 5, ToolCalls: calls,
		})
		require.NoError(t, err)
	}
	// Inserted out of order; calls identify the buckets.
	bucket(w.team.ID, w.satellite, since.Add(55*time.Minute), 4)
	bucket(w.team.ID, w.satelliteTwo, since, 2)
	bucket(w.team.ID, w.satellite, since, 1)
	bucket(w.team.ID, w.satellite, since.Add(30*time.Minute), 3)
	bucket(w.team.ID, w.satellite, since.Add(-5*time.Minute), 100) // before the window
	bucket(w.team.ID, w.satellite, until, 200)                     // starts at until: outside
	bucket(w.other.ID, w.satellite, since.Add(10*time.Minute), 300)

	got, err := q.TeamMetricListByTeam(ctx, dbsqlc.TeamMetricListByTeamParams{TeamID: w.team.ID, Since: since, Until: until})
	require.NoError(t, err)
	var calls []int64
	for _, m := range got {
		require.Equal(t, w.team.ID, m.TeamID)
		calls = append(calls, m.ToolCalls)
	}
	// Oldest first; within a bucket by satellite id (created in that order).
	require.Less(t, w.satellite, w.satelliteTwo)
	require.Equal(t, []int64{1, 2, 3, 4}, calls)

	got, err = q.TeamMetricListByTeam(ctx, dbsqlc.TeamMetricListByTeamParams{TeamID: w.team.ID, Since: until.Add(time.Hour), Until: until.Add(2 * time.Hour)})
	require.NoError(t, err)
	require.Empty(t, got)
	require.NotNil(t, got)
}

func TestTeamMetricListByTeamUsesIndexRange(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	w := newUsageWorld(t, pool, q)
	// Two days of 5-minute buckets on two satellites.
	_, err := pool.Exec(ctx, `INSERT INTO team_metrics (team_id, satellite_id, bucket_start, tool_calls)
		SELECT $1, s, $3::timestamptz + i * interval '5 minutes', 1
		FROM generate_series(0, 575) AS i, unnest(ARRAY[$2, $4]) AS s`, w.team.ID, w.satellite, usageT0, w.satelliteTwo)
	require.NoError(t, err)
	_, err = pool.Exec(ctx, "ANALYZE team_metrics")
	require.NoError(t, err)

	tx := noSeqscanTx(t, pool)
	plan := explainQuery(t, tx, func(q dbsqlc.Querier) error {
		got, err := q.TeamMetricListByTeam(ctx, dbsqlc.TeamMetricListByTeamParams{TeamID: w.team.ID, Since: usageT0.Add(time.Hour), Until: usageT0.Add(2 * time.Hour)})
		if err == nil && len(got) != 24 {
			err = fmt.Errorf("got %d buckets, want 24", len(got))
		}
		return err
	})
	require.Equal(t, []string{"team_metrics_team_id_bucket_start_satellite_id_key"}, plan.Indexes(), "plan:\n%s", plan)
	// The window is an index condition, not a filter on fetched rows; as
	// bucket_start directly follows team_id in this index, it bounds the
	// scan to the window instead of all of the team's buckets.
	conds := strings.Join(plan.IndexConds(), " ")
	require.Contains(t, conds, "bucket_start >=", "plan:\n%s", plan)
	require.Contains(t, conds, "bucket_start <", "plan:\n%s", plan)
}

// ---------------------------------------------------------------------------
// identity sequences

func TestIdentitySequencesReset(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	w := newUsageWorld(t, pool, q)

	// What the legacy importer does: rows with their old ids.
	_, err := pool.Exec(ctx, `INSERT INTO mcp_tool_executions (id, satellite_id, team_id, server_slug, tool_name, duration_ms, success)
		VALUES (1, $1, $2, 'github', 'search', 1, true), (2, $1, $2, 'github', 'search', 1, true), (1000, $1, $2, 'github', 'search', 1, true)`,
		w.satellite, w.team.ID)
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `INSERT INTO team_metrics (id, team_id, satellite_id, bucket_start)
		VALUES (1, $1, $2, $3), (1000, $1, $2, $3::timestamptz + interval '5 minutes')`, w.team.ID, w.satellite, usageT0)
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `INSERT INTO audit_logs (id, action) VALUES (1, 'legacy.one'), (1000, 'legacy.thousand')`)
	require.NoError(t, err)

	newExecution := func() (dbsqlc.McpToolExecution, error) {
		return q.ToolExecutionCreate(ctx, dbsqlc.ToolExecutionCreateParams{
			SatelliteID: w.satellite, TeamID: w.team.ID, ServerSlug: "github", ToolName: "search", DurationMs: 1, Success: true,
		})
	}
	newMetric := func(minutes int) (dbsqlc.TeamMetric, error) {
		return q.TeamMetricIncrement(ctx, dbsqlc.TeamMetricIncrementParams{
			TeamID: w.team.ID, SatelliteID: w.satellite, BucketStart: usageT0.Add(time.Duration(minutes) * time.Minute), BucketMinutes: 5, ToolCalls: 1,
		})
	}
	newAudit := func() (id int64, err error) {
		err = pool.QueryRow(ctx, `INSERT INTO audit_logs (action) VALUES ('new') RETURNING id`).Scan(&id)
		return id, err
	}

	// Before the reset every sequence still starts at 1: taken.
	_, err = newExecution()
	requireConstraintError(t, err, stackdb.Unique, "mcp_tool_executions", "mcp_tool_executions_pkey")
	_, err = newMetric(60)
	requireConstraintError(t, err, stackdb.Unique, "team_metrics", "team_metrics_pkey")
	_, err = newAudit()
	var pgErr *pgconn.PgError
	require.ErrorAs(t, err, &pgErr)
	require.Equal(t, pgerrcode.UniqueViolation, pgErr.Code)
	require.Equal(t, "audit_logs_pkey", pgErr.ConstraintName)

	next, err := q.IdentitySequencesReset(ctx)
	require.NoError(t, err)
	require.Equal(t, dbsqlc.IdentitySequencesResetRow{McpToolExecutionsNextID: 1001, TeamMetricsNextID: 1001, AuditLogsNextID: 1001}, next)

	exec, err := newExecution()
	require.NoError(t, err)
	require.EqualValues(t, 1001, exec.ID)
	metric, err := newMetric(60)
	require.NoError(t, err)
	require.EqualValues(t, 1001, metric.ID)
	auditID, err := newAudit()
	require.NoError(t, err)
	require.EqualValues(t, 1001, auditID)

	// Again: past the new rows; nothing else changes.
	next, err = q.IdentitySequencesReset(ctx)
	require.NoError(t, err)
	require.Equal(t, dbsqlc.IdentitySequencesResetRow{McpToolExecutionsNextID: 1002, TeamMetricsNextID: 1002, AuditLogsNextID: 1002}, next)
	next, err = q.IdentitySequencesReset(ctx)
	require.NoError(t, err)
	require.Equal(t, dbsqlc.IdentitySequencesResetRow{McpToolExecutionsNextID: 1002, TeamMetricsNextID: 1002, AuditLogsNextID: 1002}, next, "idempotent")
	exec, err = newExecution()
	require.NoError(t, err)
	require.EqualValues(t, 1002, exec.ID)
	require.EqualValues(t, 5, countRows(t, pool, "mcp_tool_executions", "true"))
}

func TestIdentitySequencesResetEmptyTables(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	w := newUsageWorld(t, pool, q)

	next, err := q.IdentitySequencesReset(ctx)
	require.NoError(t, err)
	require.Equal(t, dbsqlc.IdentitySequencesResetRow{McpToolExecutionsNextID: 1, TeamMetricsNextID: 1, AuditLogsNextID: 1}, next)
	exec, err := q.ToolExecutionCreate(ctx, dbsqlc.ToolExecutionCreateParams{
		SatelliteID: w.satellite, TeamID: w.team.ID, ServerSlug: "github", ToolName: "search", DurationMs: 1, Success: true,
	})
	require.NoError(t, err)
	require.EqualValues(t, 1, exec.ID, "on empty tables ids start at 1")
}

// An insert that has drawn its id but not committed is invisible to max(id);
// the reset must still not hand that id out again.
func TestIdentitySequencesResetSkipsInFlightIDs(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	w := newUsageWorld(t, pool, q)
	_, err := pool.Exec(ctx, `INSERT INTO mcp_tool_executions (id, satellite_id, team_id, server_slug, tool_name, duration_ms, success)
		VALUES (1000, $1, $2, 'github', 'search', 1, true)`, w.satellite, w.team.ID)
	require.NoError(t, err)
	_, err = q.IdentitySequencesReset(ctx)
	require.NoError(t, err)

	params := dbsqlc.ToolExecutionCreateParams{SatelliteID: w.satellite, TeamID: w.team.ID, ServerSlug: "github", ToolName: "search", DurationMs: 1, Success: true}
	tx, err := pool.Begin(ctx)
	require.NoError(t, err)
	defer tx.Rollback(ctx) //nolint:errcheck
	inFlight, err := stackdb.New(tx).ToolExecutionCreate(ctx, params)
	require.NoError(t, err)
	require.EqualValues(t, 1001, inFlight.ID)

	next, err := q.IdentitySequencesReset(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 1002, next.McpToolExecutionsNextID, "1001 is taken by the open transaction")
	require.NoError(t, tx.Commit(ctx))

	after, err := q.ToolExecutionCreate(ctx, params)
	require.NoError(t, err)
	require.EqualValues(t, 1002, after.ID)
}

// IdentitySequencesReset names its tables; a new identity (or serial) column
// must be added to it.
func TestIdentitySequencesResetCoversEveryIdentity(t *testing.T) {
	t.Parallel()
	ctx, pool, _ := setup(t)

	rows, err := pool.Query(ctx, `
		SELECT c.relname, a.attname
		FROM pg_attribute a
		JOIN pg_class c ON c.oid = a.attrelid
		WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
		  AND a.attnum > 0 AND NOT a.attisdropped
		  AND pg_get_serial_sequence(format('%I', c.relname), a.attname) IS NOT NULL
		ORDER BY 1, 2`)
	require.NoError(t, err)
	columns, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (string, error) {
		var table, column string
		err := row.Scan(&table, &column)
		return table + "." + column, err
	})
	require.NoError(t, err)
	require.Contains(t, columns, "mcp_tool_executions.id", "the catalog query finds identity columns")

	rec := &stmtRecorder{DB: pool}
	_, err = stackdb.New(rec).IdentitySequencesReset(ctx)
	require.NoError(t, err)
	for _, c := range columns {
		table, column, _ := strings.Cut(c, ".")
		call := fmt.Sprintf("pg_get_serial_sequence('%s', '%s')", table, column)
		require.Contains(t, rec.sql, call, "IdentitySequencesReset (queries/identity.sql) must reset %s", c)
		require.Contains(t, rec.sql, fmt.Sprintf("max(%s) FROM %s)", column, table), "IdentitySequencesReset must read max(%s) of %s", column, table)
	}
	require.Equal(t, len(columns), strings.Count(rec.sql, "setval("), "one setval per identity column: %v", columns)
}
