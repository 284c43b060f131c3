-- McpServerLogInsertMany writes a satellite's batch of server logs with COPY
-- (DeployStack: one multi-row INSERT per batch).
-- name: McpServerLogInsertMany :copyfrom
INSERT INTO mcp_server_logs (id, installation_id, team_id, log_type, log_level, message, metadata, created_at)
VALUES (@id, @installation_id, @team_id, @log_type, @log_level, @message, @metadata, @created_at);

-- McpServerLogListByInstallation returns one page of an installation's server
-- logs, newest first (created_at DESC, id DESC). The first page has a nil
-- cursor; the next passes the created_at and id of the previous page's last
-- row. The cursor is one row comparison on
-- mcp_server_logs_installation_created_idx, read backwards: no sort, and no
-- page rescans the rows before it.
-- name: McpServerLogListByInstallation :many
SELECT * FROM mcp_server_logs
WHERE installation_id = @installation_id
  AND (created_at, id) < (coalesce(sqlc.narg('cursor_created_at')::timestamptz, 'infinity'),
                          coalesce(sqlc.narg('cursor_id')::text, ''))
ORDER BY created_at DESC, id DESC
LIMIT @max_rows;

-- McpServerLogDeleteBeyondLimit keeps the newest keep_per_installation server
-- logs of every installation and deletes the rest, in one set-based statement.
-- DeployStack's cleanup worker counts per installation, then selects the ids to
-- keep and deletes the others, installation by installation.
-- name: McpServerLogDeleteBeyondLimit :execrows
DELETE FROM mcp_server_logs t
USING (
    SELECT ranked.id FROM (
        SELECT l.id, row_number() OVER (PARTITION BY l.installation_id ORDER BY l.created_at DESC, l.id DESC) AS n
        FROM mcp_server_logs l
    ) ranked
    WHERE ranked.n > @keep_per_installation::bigint
) doomed
WHERE t.id = doomed.id;
