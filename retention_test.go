package stackdb_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/gen/dbsqlc"
)

// The append-only tables are swept by age. Each sweep must delete exactly
// the rows older than the cut-off and find them through the table's BRIN
// index on created_at.
func TestRetentionSweeps(t *testing.T) {
	t.Parallel()
	e := satSetup(t)
	ctx, pool, q := e.ctx, e.pool, e.q
	sat := satRegister(t, e)
	now := time.Now()
	cutoff := now.Add(-30 * 24 * time.Hour)
	ages := []time.Duration{-90 * 24 * time.Hour, -31 * 24 * time.Hour, -29 * 24 * time.Hour, -time.Hour} // two older than the cut-off

	for _, age := range ages {
		hb := satHeartbeat(t, e, sat.ID, dbsqlc.SatelliteStatusActive)
		satSetHeartbeatAt(t, e, hb.ID, age)
		at := now.Add(age)
		_, err := q.ToolExecutionCreate(ctx, dbsqlc.ToolExecutionCreateParams{
			SatelliteID: sat.ID, TeamID: e.team.ID, ServerSlug: "github", ToolName: "search", Success: true, CreatedAt: &at,
		})
		require.NoError(t, err)
		_, err = q.AuditLogAppend(ctx, dbsqlc.AuditLogAppendParams{TeamID: &e.team.ID, Action: "team.update", CreatedAt: &at})
		require.NoError(t, err)
	}

	sweeps := []struct {
		table string
		index string
		sweep func(q dbsqlc.Querier) (int64, error)
	}{
		{"satellite_heartbeats", "satellite_heartbeats_created_at_brin", func(q dbsqlc.Querier) (int64, error) {
			return q.SatelliteHeartbeatDeleteOlderThan(ctx, cutoff)
		}},
		{"mcp_tool_executions", "mcp_tool_executions_created_at_brin", func(q dbsqlc.Querier) (int64, error) {
			return q.ToolExecutionDeleteOlderThan(ctx, cutoff)
		}},
		{"audit_logs", "audit_logs_created_at_brin", func(q dbsqlc.Querier) (int64, error) {
			return q.AuditLogDeleteOlderThan(ctx, cutoff)
		}},
	}
	for _, s := range sweeps {
		t.Run(s.table, func(t *testing.T) {
			n, err := s.sweep(q)
			require.NoError(t, err)
			require.EqualValues(t, 2, n, "exactly the rows older than the cut-off")
			require.Equal(t, 2, countRows(t, pool, s.table, "true"))
			require.Zero(t, countRows(t, pool, s.table, "created_at < $1", cutoff))

			n, err = s.sweep(q)
			require.NoError(t, err)
			require.Zero(t, n, "a second sweep finds nothing")
		})
	}
}

// TestRetentionSweepsUseBRIN loads a realistic volume — 100 days of rows in
// time order, as these append-only tables grow — and checks that a sweep of
// the oldest days reads the BRIN index on created_at, not the whole table:
// the reason those indexes exist.
func TestRetentionSweepsUseBRIN(t *testing.T) {
	t.Parallel()
	e := satSetup(t)
	ctx, pool := e.ctx, e.pool
	sat := satRegister(t, e)
	const rows = 20000
	gen := `SELECT g, now() - interval '100 days' + g * (interval '100 days' / $1) FROM generate_series(1, $1) AS g`
	execSQL(t, pool, `INSERT INTO satellite_heartbeats (id, satellite_id, status, system_metrics, created_at)
		SELECT 'hb' || g, $2, 'active', '{}', at FROM (`+gen+`) AS s(g, at)`, rows, sat.ID)
	execSQL(t, pool, `INSERT INTO mcp_tool_executions (satellite_id, team_id, server_slug, tool_name, duration_ms, success, created_at)
		SELECT $2, $3, 'github', 'search', 10, true, at FROM (`+gen+`) AS s(g, at)`, rows, sat.ID, e.team.ID)
	execSQL(t, pool, `INSERT INTO audit_logs (team_id, action, created_at)
		SELECT $2, 'team.update', at FROM (`+gen+`) AS s(g, at)`, rows, e.team.ID)
	execSQL(t, pool, "ANALYZE satellite_heartbeats, mcp_tool_executions, audit_logs")

	cutoff := time.Now().Add(-95 * 24 * time.Hour) // the oldest 5 days: about 1,000 rows per table
	for _, s := range []struct {
		index string
		sweep func(q dbsqlc.Querier) error
	}{
		{"satellite_heartbeats_created_at_brin", func(q dbsqlc.Querier) error {
			_, err := q.SatelliteHeartbeatDeleteOlderThan(ctx, cutoff)
			return err
		}},
		{"mcp_tool_executions_created_at_brin", func(q dbsqlc.Querier) error {
			_, err := q.ToolExecutionDeleteOlderThan(ctx, cutoff)
			return err
		}},
		{"audit_logs_created_at_brin", func(q dbsqlc.Querier) error {
			_, err := q.AuditLogDeleteOlderThan(ctx, cutoff)
			return err
		}},
	} {
		tx, err := pool.Begin(ctx)
		require.NoError(t, err)
		plan := explainQuery(t, tx, s.sweep) // the planner's own choice: nothing disabled
		require.NoError(t, tx.Rollback(ctx))
		require.Equal(t, []string{s.index}, plan.Indexes(), plan.Text())
	}
}
