-- TeamMetricIncrement adds to the counters of a (team, satellite,
-- bucket_start) bucket, creating it on first use, atomically: concurrent
-- increments of one bucket all count. bucket_minutes is set by the increment
-- that creates the bucket; later increments leave it unchanged. Returns the
-- bucket's totals after the increment.
-- name: TeamMetricIncrement :one
INSERT INTO team_metrics (team_id, satellite_id, bucket_start, bucket_minutes, tool_calls, errors, total_duration_ms)
VALUES (@team_id, @satellite_id, @bucket_start, @bucket_minutes, @tool_calls, @errors, @total_duration_ms)
ON CONFLICT (team_id, satellite_id, bucket_start) DO UPDATE
SET tool_calls        = team_metrics.tool_calls + excluded.tool_calls,
    errors            = team_metrics.errors + excluded.errors,
    total_duration_ms = team_metrics.total_duration_ms + excluded.total_duration_ms
RETURNING *;

-- TeamMetricListByTeam returns a team's buckets (all satellites) starting
-- in [since, until), oldest first.
-- name: TeamMetricListByTeam :many
SELECT *
FROM team_metrics
WHERE team_id = @team_id
  AND bucket_start >= @since
  AND bucket_start < @until
ORDER BY bucket_start, satellite_id;
