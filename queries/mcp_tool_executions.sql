-- ToolExecutionCreateBatch bulk-loads tool calls with COPY (satellites report
-- them in batches; the legacy importer loads history). The id is assigned by
-- the identity. COPY is one statement: a row that violates a constraint
-- fails the whole batch and nothing is stored.
-- name: ToolExecutionCreateBatch :copyfrom
INSERT INTO mcp_tool_executions (satellite_id, team_id, user_id, server_slug, tool_name, duration_ms, success, error, arguments, created_at)
VALUES (@satellite_id, @team_id, sqlc.narg('user_id'), @server_slug, @tool_name, @duration_ms, @success, sqlc.narg('error'),
        sqlc.narg('arguments'), @created_at);

-- ToolExecutionCreate records one tool call; a nil created_at means now().
-- name: ToolExecutionCreate :one
INSERT INTO mcp_tool_executions (satellite_id, team_id, user_id, server_slug, tool_name, duration_ms, success, error, arguments, created_at)
VALUES (@satellite_id, @team_id, sqlc.narg('user_id'), @server_slug, @tool_name, @duration_ms, @success, sqlc.narg('error'),
        sqlc.narg('arguments'), coalesce(sqlc.narg('created_at')::timestamptz, now()))
RETURNING *;

-- ToolExecutionTeamUsage summarises a team's calls with created_at in
-- [since, until). Percentiles are percentile_cont: interpolated between the
-- two nearest durations, so the p50 of an even count is the mean of the
-- middle two. With no calls in the window every value is 0.
-- name: ToolExecutionTeamUsage :one
SELECT count(*)                                                                  AS calls,
       count(*) FILTER (WHERE NOT success)                                       AS errors,
       coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms), 0)::float8  AS p50_duration_ms,
       coalesce(percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms), 0)::float8 AS p95_duration_ms
FROM mcp_tool_executions
WHERE team_id = @team_id
  AND created_at >= @since
  AND created_at < @until;

-- ToolExecutionTeamUsageByTool is ToolExecutionTeamUsage per server and
-- tool, busiest first; tools without calls in the window are absent.
-- name: ToolExecutionTeamUsageByTool :many
SELECT server_slug,
       tool_name,
       count(*)                                                         AS calls,
       count(*) FILTER (WHERE NOT success)                              AS errors,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms)::float8  AS p50_duration_ms,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms)::float8 AS p95_duration_ms
FROM mcp_tool_executions
WHERE team_id = @team_id
  AND created_at >= @since
  AND created_at < @until
GROUP BY server_slug, tool_name
ORDER BY calls DESC, server_slug, tool_name;

-- ToolExecutionListRecentFailures returns a team's failed calls, newest
-- first; it reads the partial index mcp_tool_executions_failures_idx.
-- name: ToolExecutionListRecentFailures :many
SELECT *
FROM mcp_tool_executions
WHERE team_id = @team_id
  AND NOT success
ORDER BY created_at DESC, id DESC
LIMIT @max_rows;

-- ToolExecutionDeleteOlderThan is the retention sweep (BRIN index on
-- created_at).
-- name: ToolExecutionDeleteOlderThan :execrows
DELETE FROM mcp_tool_executions WHERE created_at < @before;
