-- name: McpServerInstallationCreate :one
INSERT INTO mcp_server_installations (id, team_id, server_id, created_by, installation_name, installation_type,
                                      user_environment_variables)
VALUES (@id, @team_id, @server_id, @created_by, @installation_name, @installation_type,
        sqlc.narg('user_environment_variables')::jsonb)
RETURNING *;

-- name: McpServerInstallationGetByID :one
SELECT * FROM mcp_server_installations WHERE id = @id;

-- McpServerInstallationListWithServers returns a team's installations, each
-- with its catalog server, in one query, by installation name.
-- name: McpServerInstallationListWithServers :many
SELECT sqlc.embed(mcp_server_installations), sqlc.embed(mcp_servers)
FROM mcp_server_installations
JOIN mcp_servers ON mcp_servers.id = mcp_server_installations.server_id
WHERE mcp_server_installations.team_id = @team_id
ORDER BY mcp_server_installations.installation_name, mcp_server_installations.id;

-- McpServerInstallationSetEnv replaces the whole environment document (a
-- JSON object of name -> value; nil stores NULL).
-- name: McpServerInstallationSetEnv :execrows
UPDATE mcp_server_installations
SET user_environment_variables = sqlc.narg('user_environment_variables')::jsonb,
    updated_at                 = now()
WHERE id = @id;

-- McpServerInstallationMergeEnv merges a JSON object into the environment
-- document, JSON merge patch style at the top level: keys of patch overwrite,
-- a null value removes its key, other keys stay. A nil patch changes nothing
-- but a NULL document becomes {}.
-- name: McpServerInstallationMergeEnv :execrows
UPDATE mcp_server_installations
SET user_environment_variables = jsonb_strip_nulls(coalesce(user_environment_variables, '{}'::jsonb)
                                                   || coalesce(sqlc.narg('patch')::jsonb, '{}'::jsonb)),
    updated_at                 = now()
WHERE id = @id;

-- McpServerInstallationTouchLastUsed records use; it is not a change of the
-- installation, so updated_at stays.
-- name: McpServerInstallationTouchLastUsed :execrows
UPDATE mcp_server_installations SET last_used_at = now() WHERE id = @id;

-- name: McpServerInstallationDelete :execrows
DELETE FROM mcp_server_installations WHERE id = @id;
