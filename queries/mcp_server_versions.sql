-- name: McpServerVersionInsert :one
INSERT INTO mcp_server_versions (id, server_id, version, git_commit, changelog, is_latest, is_stable)
VALUES (@id, @server_id, @version, sqlc.narg('git_commit'), sqlc.narg('changelog'), @is_latest, @is_stable)
RETURNING *;

-- McpServerVersionListByServer returns a server's versions, newest first.
-- name: McpServerVersionListByServer :many
SELECT * FROM mcp_server_versions
WHERE server_id = @server_id
ORDER BY created_at DESC, id DESC;

-- McpServerVersionGetLatestByServer returns the version marked latest (the
-- newest one, should several be marked, as real data may have).
-- name: McpServerVersionGetLatestByServer :one
SELECT * FROM mcp_server_versions
WHERE server_id = @server_id AND is_latest
ORDER BY created_at DESC, id DESC
LIMIT 1;

-- McpServerVersionGetStableByServer returns the newest stable version.
-- name: McpServerVersionGetStableByServer :one
SELECT * FROM mcp_server_versions
WHERE server_id = @server_id AND is_stable
ORDER BY created_at DESC, id DESC
LIMIT 1;

-- McpServerVersionUpdateLatest marks version_id the latest version of its
-- server and clears the mark on the others, in one statement (rows: the
-- server's versions). A version_id that is not one of server_id's changes
-- nothing (0 rows).
-- name: McpServerVersionUpdateLatest :execrows
UPDATE mcp_server_versions AS t
SET is_latest = (t.id = @version_id::text)
WHERE t.server_id = @server_id::text
  AND EXISTS (SELECT 1 FROM mcp_server_versions v WHERE v.id = @version_id::text AND v.server_id = @server_id::text);

-- name: McpServerVersionDelete :execrows
DELETE FROM mcp_server_versions WHERE id = @id;
