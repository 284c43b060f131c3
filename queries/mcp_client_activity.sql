-- McpClientActivityUpsert records an mcp.client.activity event: the first
-- event of a (user, team, auth_identifier, satellite) inserts the row, later
-- ones add to its counters atomically (ON CONFLICT on the unique
-- mcp_activity_unique_user_team_auth_satellite), where DeployStack reads the
-- counters and writes them back. last_activity_at only moves forward; nil
-- session, user agent and address keep the old values. inserted says which
-- happened.
-- name: McpClientActivityUpsert :one
INSERT INTO mcp_client_activity AS a (id, user_id, team_id, satellite_id, auth_type, oauth_client_id, api_key_id,
                                      auth_identifier, client_name, user_agent, ip_address, current_session_id,
                                      first_seen_at, last_activity_at, total_requests, total_tool_calls)
VALUES (@id, @user_id, @team_id, @satellite_id, @auth_type, sqlc.narg('oauth_client_id'), sqlc.narg('api_key_id'),
        @auth_identifier, sqlc.narg('client_name'), sqlc.narg('user_agent'), sqlc.narg('ip_address'),
        sqlc.narg('current_session_id'), @activity_at, @activity_at, @request_count, @tool_call_count)
ON CONFLICT (user_id, team_id, auth_identifier, satellite_id) DO UPDATE
SET last_activity_at   = greatest(a.last_activity_at, EXCLUDED.last_activity_at),
    total_requests     = a.total_requests + EXCLUDED.total_requests,
    total_tool_calls   = a.total_tool_calls + EXCLUDED.total_tool_calls,
    current_session_id = coalesce(EXCLUDED.current_session_id, a.current_session_id),
    user_agent         = coalesce(EXCLUDED.user_agent, a.user_agent),
    ip_address         = coalesce(EXCLUDED.ip_address, a.ip_address),
    updated_at         = now()
RETURNING a.*, (a.xmax = 0)::boolean AS inserted;

-- McpClientActivityListByTeam lists a team's clients active since since,
-- most recent first, on mcp_activity_team_activity_idx.
-- name: McpClientActivityListByTeam :many
SELECT * FROM mcp_client_activity
WHERE team_id = @team_id AND last_activity_at >= @since
ORDER BY last_activity_at DESC, id DESC
LIMIT @max_rows;

-- McpClientActivityListByUser lists a user's clients in a team, most
-- recent first.
-- name: McpClientActivityListByUser :many
SELECT * FROM mcp_client_activity
WHERE user_id = @user_id AND team_id = @team_id
ORDER BY last_activity_at DESC, id DESC;

-- McpClientActivityDeleteByUser removes a user's activity (user deletion).
-- name: McpClientActivityDeleteByUser :execrows
DELETE FROM mcp_client_activity WHERE user_id = @user_id;
