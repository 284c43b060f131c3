-- McpClientActivityMetricIncrement adds one activity event to its 15m and
-- its 1h bucket in one statement: both rows are inserted or incremented
-- (ON CONFLICT on the real unique bucket key), where DeployStack makes one
-- statement per bucket size. Bucket starts are activity_at floored to the
-- bucket size in UTC (DeployStack: floor(epoch s / size) * size).
-- active_client_count is 1, as DeployStack writes it. It reports 2.
-- name: McpClientActivityMetricIncrement :execrows
INSERT INTO mcp_client_activity_metrics AS m (id, user_id, team_id, satellite_id, auth_identifier, bucket_timestamp,
                                              bucket_interval, request_count, tool_call_count, active_client_count)
SELECT gen_random_uuid()::text, @user_id, @team_id, @satellite_id, @auth_identifier,
       date_bin(b.size, @activity_at::timestamptz, timestamptz 'epoch'), b.bucket_interval,
       @request_count::int, @tool_call_count::int, 1
FROM (VALUES ('15m'::bucket_interval, interval '15 minutes'), ('1h'::bucket_interval, interval '1 hour'))
    AS b(bucket_interval, size)
ON CONFLICT (user_id, team_id, satellite_id, auth_identifier, bucket_timestamp, bucket_interval) DO UPDATE
SET request_count   = m.request_count + EXCLUDED.request_count,
    tool_call_count = m.tool_call_count + EXCLUDED.tool_call_count;

-- McpClientActivityMetricListSeriesByUser is the dashboard series
-- (McpClientActivityMetricsService.queryBuckets): a user's buckets in a
-- team from since to until, summed over satellites and clients (or one
-- satellite / auth_identifier), oldest first, with the empty buckets
-- filled with zeros here rather than in the application. Reads
-- mcp_activity_metrics_lookup_idx.
-- name: McpClientActivityMetricListSeriesByUser :many
WITH sums AS (
    SELECT bucket_timestamp, sum(request_count) AS request_count, sum(tool_call_count) AS tool_call_count,
           sum(active_client_count) AS active_client_count
    FROM mcp_client_activity_metrics
    WHERE user_id = @user_id AND team_id = @team_id AND bucket_interval = @bucket_interval::bucket_interval
      AND bucket_timestamp >= @since AND bucket_timestamp <= @until
      AND (sqlc.narg('satellite_id')::text IS NULL OR satellite_id = sqlc.narg('satellite_id')::text)
      AND (sqlc.narg('auth_identifier')::text IS NULL OR auth_identifier = sqlc.narg('auth_identifier')::text)
    GROUP BY bucket_timestamp
)
SELECT g.bucket_timestamp::timestamptz AS bucket_timestamp,
       coalesce(s.request_count, 0)::bigint AS request_count,
       coalesce(s.tool_call_count, 0)::bigint AS tool_call_count,
       coalesce(s.active_client_count, 0)::bigint AS active_client_count
FROM generate_series(
         date_bin(CASE WHEN @bucket_interval::bucket_interval = '15m'::bucket_interval THEN interval '15 minutes' ELSE interval '1 hour' END,
                  @since::timestamptz, timestamptz 'epoch'),
         @until::timestamptz,
         CASE WHEN @bucket_interval::bucket_interval = '15m'::bucket_interval THEN interval '15 minutes' ELSE interval '1 hour' END
     ) AS g(bucket_timestamp)
LEFT JOIN sums s ON s.bucket_timestamp = g.bucket_timestamp
WHERE g.bucket_timestamp >= @since::timestamptz
ORDER BY g.bucket_timestamp;

-- McpClientActivityMetricListSeriesByTeam is the team's series (all users
-- and satellites), filled like McpClientActivityMetricListSeriesByUser, on
-- mcp_activity_metrics_team_idx.
-- name: McpClientActivityMetricListSeriesByTeam :many
WITH sums AS (
    SELECT bucket_timestamp, sum(request_count) AS request_count, sum(tool_call_count) AS tool_call_count,
           sum(active_client_count) AS active_client_count
    FROM mcp_client_activity_metrics
    WHERE team_id = @team_id AND bucket_interval = @bucket_interval::bucket_interval
      AND bucket_timestamp >= @since AND bucket_timestamp <= @until
    GROUP BY bucket_timestamp
)
SELECT g.bucket_timestamp::timestamptz AS bucket_timestamp,
       coalesce(s.request_count, 0)::bigint AS request_count,
       coalesce(s.tool_call_count, 0)::bigint AS tool_call_count,
       coalesce(s.active_client_count, 0)::bigint AS active_client_count
FROM generate_series(
         date_bin(CASE WHEN @bucket_interval::bucket_interval = '15m'::bucket_interval THEN interval '15 minutes' ELSE interval '1 hour' END,
                  @since::timestamptz, timestamptz 'epoch'),
         @until::timestamptz,
         CASE WHEN @bucket_interval::bucket_interval = '15m'::bucket_interval THEN interval '15 minutes' ELSE interval '1 hour' END
     ) AS g(bucket_timestamp)
LEFT JOIN sums s ON s.bucket_timestamp = g.bucket_timestamp
WHERE g.bucket_timestamp >= @since::timestamptz
ORDER BY g.bucket_timestamp;

-- McpClientActivityMetricListSeriesBySatellite is one satellite's series
-- (all users and teams), filled the same way, on
-- mcp_activity_metrics_satellite_idx.
-- name: McpClientActivityMetricListSeriesBySatellite :many
WITH sums AS (
    SELECT bucket_timestamp, sum(request_count) AS request_count, sum(tool_call_count) AS tool_call_count,
           sum(active_client_count) AS active_client_count
    FROM mcp_client_activity_metrics
    WHERE satellite_id = @satellite_id AND bucket_interval = @bucket_interval::bucket_interval
      AND bucket_timestamp >= @since AND bucket_timestamp <= @until
    GROUP BY bucket_timestamp
)
SELECT g.bucket_timestamp::timestamptz AS bucket_timestamp,
       coalesce(s.request_count, 0)::bigint AS request_count,
       coalesce(s.tool_call_count, 0)::bigint AS tool_call_count,
       coalesce(s.active_client_count, 0)::bigint AS active_client_count
FROM generate_series(
         date_bin(CASE WHEN @bucket_interval::bucket_interval = '15m'::bucket_interval THEN interval '15 minutes' ELSE interval '1 hour' END,
                  @since::timestamptz, timestamptz 'epoch'),
         @until::timestamptz,
         CASE WHEN @bucket_interval::bucket_interval = '15m'::bucket_interval THEN interval '15 minutes' ELSE interval '1 hour' END
     ) AS g(bucket_timestamp)
LEFT JOIN sums s ON s.bucket_timestamp = g.bucket_timestamp
WHERE g.bucket_timestamp >= @since::timestamptz
ORDER BY g.bucket_timestamp;

-- McpClientActivityMetricDeleteBefore is the retention sweep (buckets
-- starting before before), on mcp_activity_metrics_time_idx.
-- name: McpClientActivityMetricDeleteBefore :execrows
DELETE FROM mcp_client_activity_metrics WHERE bucket_timestamp < @before;

-- McpClientActivityMetricDeleteByUser removes a user's buckets (user
-- deletion).
-- name: McpClientActivityMetricDeleteByUser :execrows
DELETE FROM mcp_client_activity_metrics WHERE user_id = @user_id;
