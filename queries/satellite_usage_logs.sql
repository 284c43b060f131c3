-- Usage logs are append-only (events mcp.tool.executed), and date_partition is
-- generated from "timestamp" and never written.

-- SatelliteUsageLogInsertMany writes a batch of usage logs with COPY.
-- name: SatelliteUsageLogInsertMany :copyfrom
INSERT INTO satellite_usage_logs (id, satellite_id, user_id, team_id, process_id, request_method, request_path,
                                  tool_name, duration_ms, status_code, error_message, request_size_bytes,
                                  response_size_bytes, user_agent, ip_address, "timestamp")
VALUES (@id, @satellite_id, @user_id, @team_id, @process_id, @request_method, @request_path, @tool_name,
        @duration_ms, @status_code, @error_message, @request_size_bytes, @response_size_bytes, @user_agent,
        @ip_address, @timestamp);

-- SatelliteUsageLogInsert writes one usage log (a satellite reporting a
-- single tool call); batches go through SatelliteUsageLogInsertMany.
-- name: SatelliteUsageLogInsert :execrows
INSERT INTO satellite_usage_logs (id, satellite_id, user_id, team_id, process_id, request_method, request_path,
                                  tool_name, duration_ms, status_code, error_message, request_size_bytes,
                                  response_size_bytes, user_agent, ip_address, "timestamp")
VALUES (@id, @satellite_id, @user_id, @team_id, @process_id, @request_method, @request_path, @tool_name,
        @duration_ms, @status_code, @error_message, @request_size_bytes, @response_size_bytes, @user_agent,
        @ip_address, @timestamp);

-- SatelliteUsageLogListBySatellite lists a satellite's logs in [since,
-- until), newest first, on satellite_usage_logs_satellite_timestamp_idx.
-- name: SatelliteUsageLogListBySatellite :many
SELECT * FROM satellite_usage_logs
WHERE satellite_id = @satellite_id AND "timestamp" >= @since AND "timestamp" < @until
ORDER BY "timestamp" DESC, id DESC
LIMIT @max_rows;

-- SatelliteUsageLogListByTeam lists a team's logs in [since, until),
-- newest first.
-- name: SatelliteUsageLogListByTeam :many
SELECT * FROM satellite_usage_logs
WHERE team_id = @team_id AND "timestamp" >= @since AND "timestamp" < @until
ORDER BY "timestamp" DESC, id DESC
LIMIT @max_rows;

-- SatelliteUsageLogListByUser lists a user's logs in [since, until),
-- newest first.
-- name: SatelliteUsageLogListByUser :many
SELECT * FROM satellite_usage_logs
WHERE user_id = @user_id AND "timestamp" >= @since AND "timestamp" < @until
ORDER BY "timestamp" DESC, id DESC
LIMIT @max_rows;

-- SatelliteUsageLogDeleteBeyondLimit keeps the newest keep logs of each
-- satellite, in one statement: per satellite one index probe finds the
-- oldest log to keep, and the index range below it is deleted.
-- name: SatelliteUsageLogDeleteBeyondLimit :execrows
DELETE FROM satellite_usage_logs u
USING satellites s
CROSS JOIN LATERAL (
    SELECT k."timestamp", k.id
    FROM satellite_usage_logs k
    WHERE k.satellite_id = s.id
    ORDER BY k."timestamp" DESC, k.id DESC
    OFFSET (sqlc.arg('keep')::int - 1)
    LIMIT 1
) oldest
WHERE u.satellite_id = s.id
  AND (u."timestamp" < oldest."timestamp" OR (u."timestamp" = oldest."timestamp" AND u.id < oldest.id));

-- SatelliteUsageLogDeleteByTeam removes a team's logs (user deletion).
-- name: SatelliteUsageLogDeleteByTeam :execrows
DELETE FROM satellite_usage_logs WHERE team_id = @team_id;
