package stackdb_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/gen/dbsqlc"
)

// activityKey is a satellite, a team and a user of it, the scope of an
// mcp.client.activity event.
type activityKey struct{ satelliteID, teamID, userID string }

func createActivityKey(t *testing.T, db stackdb.DB) activityKey {
	t.Helper()
	satID, teamID := createSatellite(t, db)
	return activityKey{satID, teamID, createUser(t, db)}
}

func activityEvent(k activityKey, client string, at time.Time, requests, toolCalls int32) dbsqlc.McpClientActivityUpsertParams {
	return dbsqlc.McpClientActivityUpsertParams{
		ID: newID("act"), UserID: k.userID, TeamID: k.teamID, SatelliteID: k.satelliteID,
		AuthType: dbsqlc.ActivityAuthTypeOauth, OauthClientID: &client, AuthIdentifier: "oauth:" + client,
		ClientName: new("VS Code"), ActivityAt: at, RequestCount: requests, ToolCallCount: toolCalls,
	}
}

func TestMcpClientActivityUpsert(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	k := createActivityKey(t, pool)
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

	first := activityEvent(k, "c1", t0, 3, 1)
	first.UserAgent, first.CurrentSessionID = new("vscode/1.0"), new("sess_1")
	a, err := q.McpClientActivityUpsert(ctx, first)
	require.NoError(t, err)
	require.True(t, a.Inserted)
	require.Equal(t, first.ID, a.ID)
	require.Equal(t, t0, a.FirstSeenAt.UTC())
	require.EqualValues(t, 3, a.TotalRequests)

	for _, tc := range []struct {
		name          string
		event         dbsqlc.McpClientActivityUpsertParams
		wantRequests  int32
		wantToolCalls int32
		wantLast      time.Time
		wantSession   *string
	}{
		{"adds to the counters", func() dbsqlc.McpClientActivityUpsertParams {
			e := activityEvent(k, "c1", t0.Add(time.Minute), 2, 5)
			e.CurrentSessionID = new("sess_2")
			return e
		}(), 5, 6, t0.Add(time.Minute), new("sess_2")},
		{"an older event does not move last_activity_at back", activityEvent(k, "c1", t0, 1, 0), 6, 6, t0.Add(time.Minute), new("sess_2")},
	} {
		a, err := q.McpClientActivityUpsert(ctx, tc.event)
		require.NoError(t, err, tc.name)
		require.False(t, a.Inserted, tc.name)
		require.Equal(t, first.ID, a.ID, "%s: the first row is kept", tc.name)
		require.Equal(t, tc.wantRequests, a.TotalRequests, tc.name)
		require.Equal(t, tc.wantToolCalls, a.TotalToolCalls, tc.name)
		require.Equal(t, tc.wantLast, a.LastActivityAt.UTC(), tc.name)
		require.Equal(t, tc.wantSession, a.CurrentSessionID, tc.name)
		require.Equal(t, new("vscode/1.0"), a.UserAgent, "%s: nil keeps the user agent", tc.name)
		require.Equal(t, t0, a.FirstSeenAt.UTC(), tc.name)
	}

	// Another client of the same user is another row.
	other, err := q.McpClientActivityUpsert(ctx, activityEvent(k, "c2", t0, 1, 1))
	require.NoError(t, err)
	require.True(t, other.Inserted)
	require.Equal(t, 2, countRows(t, pool, "mcp_client_activity", "true"))
}

// TestMcpClientActivityUpsertConcurrent sends events of one client from
// many goroutines: no increment is lost and there is one row.
func TestMcpClientActivityUpsertConcurrent(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	k := createActivityKey(t, pool)
	const events = 40
	var wg sync.WaitGroup
	for i := range events {
		wg.Go(func() {
			_, err := q.McpClientActivityUpsert(ctx, activityEvent(k, "c1", time.Now(), 1, int32(i%2)))
			require.NoError(t, err)
			_, err = q.McpClientActivityMetricIncrement(ctx, dbsqlc.McpClientActivityMetricIncrementParams{
				UserID: k.userID, TeamID: k.teamID, SatelliteID: k.satelliteID, AuthIdentifier: "oauth:c1",
				ActivityAt: time.Date(2026, 3, 1, 10, 5, 0, 0, time.UTC), RequestCount: 1, ToolCallCount: 1,
			})
			require.NoError(t, err)
		})
	}
	wg.Wait()
	var requests, toolCalls int
	require.NoError(t, pool.QueryRow(ctx, `SELECT total_requests, total_tool_calls FROM mcp_client_activity`).Scan(&requests, &toolCalls))
	require.Equal(t, events, requests)
	require.Equal(t, events/2, toolCalls)
	require.Equal(t, 2, countRows(t, pool, "mcp_client_activity_metrics", "request_count = $1", events), "both buckets got every event")
}

func TestMcpClientActivityListAndDelete(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	k := createActivityKey(t, pool)
	now := time.Now()
	recent, err := q.McpClientActivityUpsert(ctx, activityEvent(k, "c1", now, 1, 0))
	require.NoError(t, err)
	old, err := q.McpClientActivityUpsert(ctx, activityEvent(k, "c2", now.Add(-48*time.Hour), 1, 0))
	require.NoError(t, err)
	stranger := createUser(t, pool)
	_, err = q.McpClientActivityUpsert(ctx, activityEvent(activityKey{k.satelliteID, k.teamID, stranger}, "c3", now.Add(-time.Minute), 1, 0))
	require.NoError(t, err)

	for _, tc := range []struct {
		name string
		list func() ([]dbsqlc.McpClientActivity, error)
		want []string
	}{
		{"team, last day", func() ([]dbsqlc.McpClientActivity, error) {
			return q.McpClientActivityListByTeam(ctx, dbsqlc.McpClientActivityListByTeamParams{TeamID: k.teamID, Since: now.Add(-24 * time.Hour), MaxRows: 10})
		}, nil},
		{"user", func() ([]dbsqlc.McpClientActivity, error) {
			return q.McpClientActivityListByUser(ctx, dbsqlc.McpClientActivityListByUserParams{UserID: k.userID, TeamID: k.teamID})
		}, []string{recent.ID, old.ID}},
	} {
		got, err := tc.list()
		require.NoError(t, err, tc.name)
		if tc.want == nil {
			require.Len(t, got, 2, tc.name)
			require.Equal(t, recent.ID, got[0].ID, tc.name)
			continue
		}
		ids := []string{}
		for _, a := range got {
			ids = append(ids, a.ID)
		}
		require.Equal(t, tc.want, ids, tc.name)
	}

	n, err := q.McpClientActivityDeleteByUser(ctx, k.userID)
	require.NoError(t, err)
	require.EqualValues(t, 2, n)
	require.Equal(t, 1, countRows(t, pool, "mcp_client_activity", "true"))
}

func TestMcpClientActivityMetricIncrement(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	k := createActivityKey(t, pool)
	inc := func(at time.Time, requests, toolCalls int32) {
		t.Helper()
		n, err := q.McpClientActivityMetricIncrement(ctx, dbsqlc.McpClientActivityMetricIncrementParams{
			UserID: k.userID, TeamID: k.teamID, SatelliteID: k.satelliteID, AuthIdentifier: "oauth:c1",
			ActivityAt: at, RequestCount: requests, ToolCallCount: toolCalls,
		})
		require.NoError(t, err)
		require.EqualValues(t, 2, n, "one row per bucket size")
	}
	h10 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	inc(h10.Add(7*time.Minute), 2, 1)  // 10:00 (15m), 10:00 (1h)
	inc(h10.Add(14*time.Minute), 3, 0) // same buckets
	inc(h10.Add(16*time.Minute), 1, 1) // 10:15 (15m), 10:00 (1h)

	type bucket struct {
		interval            dbsqlc.BucketInterval
		start               time.Time
		requests, toolCalls int
	}
	rows, err := pool.Query(ctx, `SELECT bucket_interval, bucket_timestamp, request_count, tool_call_count
		FROM mcp_client_activity_metrics ORDER BY bucket_interval, bucket_timestamp`)
	require.NoError(t, err)
	var got []bucket
	for rows.Next() {
		var b bucket
		require.NoError(t, rows.Scan(&b.interval, &b.start, &b.requests, &b.toolCalls))
		b.start = b.start.UTC()
		got = append(got, b)
	}
	require.NoError(t, rows.Err())
	require.Equal(t, []bucket{
		{dbsqlc.BucketInterval15m, h10, 5, 1},
		{dbsqlc.BucketInterval15m, h10.Add(15 * time.Minute), 1, 1},
		{dbsqlc.BucketInterval1h, h10, 6, 2},
	}, got)
	require.Equal(t, 3, countRows(t, pool, "mcp_client_activity_metrics", "active_client_count = 1"))
}

func TestMcpClientActivityMetricListSeries(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	k := createActivityKey(t, pool)
	otherSat, _ := createSatellite(t, pool)
	otherUser := createUser(t, pool)
	h10 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	for _, e := range []struct {
		user, sat, client string
		at                time.Time
		requests          int32
	}{
		{k.userID, k.satelliteID, "c1", h10.Add(time.Minute), 1},
		{k.userID, k.satelliteID, "c2", h10.Add(2 * time.Minute), 2},
		{k.userID, otherSat, "c1", h10.Add(31 * time.Minute), 4},
		{otherUser, k.satelliteID, "c1", h10.Add(50 * time.Minute), 8},
	} {
		_, err := q.McpClientActivityMetricIncrement(ctx, dbsqlc.McpClientActivityMetricIncrementParams{
			UserID: e.user, TeamID: k.teamID, SatelliteID: e.sat, AuthIdentifier: "oauth:" + e.client,
			ActivityAt: e.at, RequestCount: e.requests, ToolCallCount: 0,
		})
		require.NoError(t, err)
	}
	since, until := h10.Add(-5*time.Minute), h10.Add(59*time.Minute)
	series := func(rows any) []int64 {
		var out []int64
		switch rs := rows.(type) {
		case []dbsqlc.McpClientActivityMetricListSeriesByUserRow:
			for _, r := range rs {
				out = append(out, r.RequestCount)
			}
		case []dbsqlc.McpClientActivityMetricListSeriesByTeamRow:
			for _, r := range rs {
				out = append(out, r.RequestCount)
			}
		case []dbsqlc.McpClientActivityMetricListSeriesBySatelliteRow:
			for _, r := range rs {
				out = append(out, r.RequestCount)
			}
		}
		return out
	}
	for _, tc := range []struct {
		name string
		list func() (any, error)
		want []int64 // buckets 10:00, 10:15, 10:30, 10:45 (15m) or 10:00 (1h)
	}{
		{"user", func() (any, error) {
			return q.McpClientActivityMetricListSeriesByUser(ctx, dbsqlc.McpClientActivityMetricListSeriesByUserParams{
				UserID: k.userID, TeamID: k.teamID, BucketInterval: dbsqlc.BucketInterval15m, Since: since, Until: until})
		}, []int64{3, 0, 4, 0}},
		{"user, one satellite", func() (any, error) {
			return q.McpClientActivityMetricListSeriesByUser(ctx, dbsqlc.McpClientActivityMetricListSeriesByUserParams{
				UserID: k.userID, TeamID: k.teamID, BucketInterval: dbsqlc.BucketInterval15m, Since: since, Until: until, SatelliteID: &k.satelliteID})
		}, []int64{3, 0, 0, 0}},
		{"user, one client", func() (any, error) {
			return q.McpClientActivityMetricListSeriesByUser(ctx, dbsqlc.McpClientActivityMetricListSeriesByUserParams{
				UserID: k.userID, TeamID: k.teamID, BucketInterval: dbsqlc.BucketInterval15m, Since: since, Until: until, AuthIdentifier: new("oauth:c2")})
		}, []int64{2, 0, 0, 0}},
		{"user, hourly", func() (any, error) {
			return q.McpClientActivityMetricListSeriesByUser(ctx, dbsqlc.McpClientActivityMetricListSeriesByUserParams{
				UserID: k.userID, TeamID: k.teamID, BucketInterval: dbsqlc.BucketInterval1h, Since: h10, Until: until})
		}, []int64{7}},
		{"team", func() (any, error) {
			return q.McpClientActivityMetricListSeriesByTeam(ctx, dbsqlc.McpClientActivityMetricListSeriesByTeamParams{
				TeamID: k.teamID, BucketInterval: dbsqlc.BucketInterval15m, Since: since, Until: until})
		}, []int64{3, 0, 4, 8}},
		{"satellite", func() (any, error) {
			return q.McpClientActivityMetricListSeriesBySatellite(ctx, dbsqlc.McpClientActivityMetricListSeriesBySatelliteParams{
				SatelliteID: k.satelliteID, BucketInterval: dbsqlc.BucketInterval15m, Since: since, Until: until})
		}, []int64{3, 0, 0, 8}},
	} {
		rows, err := tc.list()
		require.NoError(t, err, tc.name)
		require.Equal(t, tc.want, series(rows), tc.name)
	}

	// The series starts at the first bucket on or after since.
	rows, err := q.McpClientActivityMetricListSeriesByUser(ctx, dbsqlc.McpClientActivityMetricListSeriesByUserParams{
		UserID: k.userID, TeamID: k.teamID, BucketInterval: dbsqlc.BucketInterval15m, Since: since, Until: until})
	require.NoError(t, err)
	require.Equal(t, h10, rows[0].BucketTimestamp.UTC())
	require.Equal(t, h10.Add(45*time.Minute), rows[len(rows)-1].BucketTimestamp.UTC())
}

func TestMcpClientActivityMetricDelete(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	k := createActivityKey(t, pool)
	other := createActivityKey(t, pool)
	h10 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	for _, key := range []activityKey{k, other} {
		for _, at := range []time.Time{h10, h10.Add(-72 * time.Hour)} {
			_, err := q.McpClientActivityMetricIncrement(ctx, dbsqlc.McpClientActivityMetricIncrementParams{
				UserID: key.userID, TeamID: key.teamID, SatelliteID: key.satelliteID, AuthIdentifier: "oauth:c",
				ActivityAt: at, RequestCount: 1,
			})
			require.NoError(t, err)
		}
	}
	n, err := q.McpClientActivityMetricDeleteBefore(ctx, h10.Add(-24*time.Hour))
	require.NoError(t, err)
	require.EqualValues(t, 4, n, "both bucket sizes of both users' old event")
	n, err = q.McpClientActivityMetricDeleteByUser(ctx, k.userID)
	require.NoError(t, err)
	require.EqualValues(t, 2, n)
	require.Equal(t, 2, countRows(t, pool, "mcp_client_activity_metrics", "user_id = $1", other.userID))
}

func TestMcpClientActivityUsesIndex(t *testing.T) {
	t.Parallel()
	_, pool, _ := setup(t)
	now := time.Now()
	tx := noSeqscanTx(t, pool) // one transaction: each would hold a connection until the test ends
	for _, tc := range []struct {
		name, index string // index "a|b": either serves the query
		query       func(q dbsqlc.Querier) error
	}{
		// A user's series reads the real lookup index or, on an empty
		// table where the planner sees no difference, the team index: both
		// read just the time range.
		{"series by user", "mcp_activity_metrics_lookup_idx|mcp_activity_metrics_team_idx", func(q dbsqlc.Querier) error {
			_, err := q.McpClientActivityMetricListSeriesByUser(t.Context(), dbsqlc.McpClientActivityMetricListSeriesByUserParams{
				UserID: "u", TeamID: "t", BucketInterval: dbsqlc.BucketInterval15m, Since: now.Add(-time.Hour), Until: now})
			return err
		}},
		{"series by team", "mcp_activity_metrics_team_idx", func(q dbsqlc.Querier) error {
			_, err := q.McpClientActivityMetricListSeriesByTeam(t.Context(), dbsqlc.McpClientActivityMetricListSeriesByTeamParams{
				TeamID: "t", BucketInterval: dbsqlc.BucketInterval15m, Since: now.Add(-time.Hour), Until: now})
			return err
		}},
		{"series by satellite", "mcp_activity_metrics_satellite_idx", func(q dbsqlc.Querier) error {
			_, err := q.McpClientActivityMetricListSeriesBySatellite(t.Context(), dbsqlc.McpClientActivityMetricListSeriesBySatelliteParams{
				SatelliteID: "s", BucketInterval: dbsqlc.BucketInterval15m, Since: now.Add(-time.Hour), Until: now})
			return err
		}},
		{"metrics retention", "mcp_activity_metrics_time_idx", func(q dbsqlc.Querier) error {
			_, err := q.McpClientActivityMetricDeleteBefore(t.Context(), now)
			return err
		}},
		{"team's clients", "mcp_activity_team_activity_idx", func(q dbsqlc.Querier) error {
			_, err := q.McpClientActivityListByTeam(t.Context(), dbsqlc.McpClientActivityListByTeamParams{TeamID: "t", Since: now, MaxRows: 10})
			return err
		}},
	} {
		plan := explainQuery(t, tx, tc.query)
		require.Subset(t, strings.Split(tc.index, "|"), rootIndexes(t, tx, plan), "%s\n%s", tc.name, plan.Text())
		require.NotEmpty(t, plan.Indexes(), "%s\n%s", tc.name, plan.Text())
		if strings.Contains(tc.name, "series") {
			require.Contains(t, strings.Join(plan.IndexConds(), " "), "bucket_timestamp >=", "%s: a range read\n%s", tc.name, plan.Text())
		}
	}
}
