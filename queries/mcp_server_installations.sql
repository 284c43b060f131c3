-- name: McpServerInstallationInsert :one
INSERT INTO mcp_server_installations (
    id, team_id, server_id, created_by, installation_name, installation_type,
    team_args, team_env, team_headers, team_url_query_params, settings, satellite_id
) VALUES (
    @id, @team_id, @server_id, @created_by, @installation_name, @installation_type,
    sqlc.narg('team_args'), sqlc.narg('team_env'), sqlc.narg('team_headers'), sqlc.narg('team_url_query_params'),
    coalesce(sqlc.narg('settings')::jsonb, '{}'::jsonb), sqlc.narg('satellite_id')
)
RETURNING *;

-- McpServerInstallationGetByID returns a team's installation with its
-- catalog server, in one round trip (DeployStack reads the installation,
-- then the server). An installation of another team is not found.
-- name: McpServerInstallationGetByID :one
SELECT sqlc.embed(i), sqlc.embed(s)
FROM mcp_server_installations i
JOIN mcp_servers s ON s.id = i.server_id
WHERE i.id = @id AND i.team_id = @team_id;

-- McpServerInstallationListByTeam returns a team's installations with their
-- servers, by name, in one query (mcp_installations_team_name_idx).
-- name: McpServerInstallationListByTeam :many
SELECT sqlc.embed(i), sqlc.embed(s)
FROM mcp_server_installations i
JOIN mcp_servers s ON s.id = i.server_id
WHERE i.team_id = @team_id
ORDER BY i.installation_name, i.id;

-- McpServerInstallationListByTeamServer returns a team's installations of
-- one server (is it installed already?), mcp_installations_team_server_idx.
-- name: McpServerInstallationListByTeamServer :many
SELECT * FROM mcp_server_installations
WHERE team_id = @team_id AND server_id = @server_id
ORDER BY created_at, id;

-- McpServerInstallationUpdate changes the given fields of a team's
-- installation and bumps updated_at; a nil (NULL) field keeps its value.
-- name: McpServerInstallationUpdate :one
UPDATE mcp_server_installations SET
    installation_name = coalesce(sqlc.narg('installation_name')::text, installation_name),
    team_args = coalesce(sqlc.narg('team_args')::jsonb, team_args),
    team_env = coalesce(sqlc.narg('team_env')::jsonb, team_env),
    team_headers = coalesce(sqlc.narg('team_headers')::jsonb, team_headers),
    team_url_query_params = coalesce(sqlc.narg('team_url_query_params')::jsonb, team_url_query_params),
    settings = coalesce(sqlc.narg('settings')::jsonb, settings),
    satellite_id = coalesce(sqlc.narg('satellite_id')::text, satellite_id),
    updated_at = now()
WHERE id = @id AND team_id = @team_id
RETURNING *;

-- McpServerInstallationUpdateLastUsed stamps the installation as used now.
-- name: McpServerInstallationUpdateLastUsed :execrows
UPDATE mcp_server_installations SET last_used_at = now() WHERE id = @id;

-- McpServerInstallationDelete removes a team's installation and, by ON
-- DELETE CASCADE, its user configurations, tools, tokens, logs and
-- instances.
-- name: McpServerInstallationDelete :execrows
DELETE FROM mcp_server_installations WHERE id = @id AND team_id = @team_id;
