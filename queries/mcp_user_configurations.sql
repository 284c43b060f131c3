-- McpUserConfigurationUpsert writes a user's configuration of an
-- installation: inserted the first time, replaced after (conflict target
-- mcp_user_configs_unique_user_installation). id is used only on insert.
-- name: McpUserConfigurationUpsert :one
INSERT INTO mcp_user_configurations (id, installation_id, user_id, user_args, user_env, user_headers, user_url_query_params)
VALUES (@id, @installation_id, @user_id, sqlc.narg('user_args'), sqlc.narg('user_env'), sqlc.narg('user_headers'),
        sqlc.narg('user_url_query_params'))
ON CONFLICT (installation_id, user_id) DO UPDATE SET
    user_args = excluded.user_args,
    user_env = excluded.user_env,
    user_headers = excluded.user_headers,
    user_url_query_params = excluded.user_url_query_params,
    updated_at = now()
RETURNING *;

-- name: McpUserConfigurationGetByInstallationUser :one
SELECT * FROM mcp_user_configurations WHERE installation_id = @installation_id AND user_id = @user_id;

-- name: McpUserConfigurationListByInstallation :many
SELECT * FROM mcp_user_configurations WHERE installation_id = @installation_id ORDER BY created_at, id;

-- name: McpUserConfigurationListByUser :many
SELECT * FROM mcp_user_configurations WHERE user_id = @user_id ORDER BY created_at, id;

-- name: McpUserConfigurationUpdateLastUsed :execrows
UPDATE mcp_user_configurations SET last_used_at = now()
WHERE installation_id = @installation_id AND user_id = @user_id;

-- name: McpUserConfigurationDelete :execrows
DELETE FROM mcp_user_configurations WHERE installation_id = @installation_id AND user_id = @user_id;
