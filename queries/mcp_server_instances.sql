-- McpServerInstanceInsert creates a user's instance of an installation;
-- status defaults to provisioning.
-- name: McpServerInstanceInsert :one
INSERT INTO mcp_server_instances (id, installation_id, user_id, instance_path, instance_token, status, status_updated_at)
VALUES (@id, @installation_id, @user_id, sqlc.narg('instance_path'), sqlc.narg('instance_token'),
        coalesce(sqlc.narg('status')::text, 'provisioning'), now())
RETURNING *;

-- McpServerInstanceInsertMany creates the instances of an installation for
-- many users at once (a new installation, every team member), skipping the
-- users who have one already (mcp_instances_installation_user_idx). ids and
-- user_ids are parallel arrays.
-- name: McpServerInstanceInsertMany :execrows
INSERT INTO mcp_server_instances (id, installation_id, user_id, status, status_updated_at)
SELECT unnest(@ids::text[]), @installation_id::text, unnest(@user_ids::text[]), @status::text, now()
ON CONFLICT (installation_id, user_id) DO NOTHING;

-- name: McpServerInstanceGetByID :one
SELECT * FROM mcp_server_instances WHERE id = @id;

-- McpServerInstanceGetByInstallationUser is the satellite's lookup of a
-- user's instance (mcp_instances_installation_user_idx, unique).
-- name: McpServerInstanceGetByInstallationUser :one
SELECT * FROM mcp_server_instances WHERE installation_id = @installation_id AND user_id = @user_id;

-- McpServerInstanceGetByInstancePath resolves the path a satellite routes
-- by (mcp_instances_instance_path_idx, unique).
-- name: McpServerInstanceGetByInstancePath :one
SELECT * FROM mcp_server_instances WHERE instance_path = @instance_path::text;

-- name: McpServerInstanceListByInstallation :many
SELECT * FROM mcp_server_instances WHERE installation_id = @installation_id ORDER BY created_at, id;

-- name: McpServerInstanceListByUser :many
SELECT * FROM mcp_server_instances WHERE user_id = @user_id ORDER BY created_at, id;

-- McpServerInstanceListByStatus returns up to max_rows instances in one
-- status, longest in it first (mcp_instances_status_idx): the health and
-- re-authentication sweeps.
-- name: McpServerInstanceListByStatus :many
SELECT * FROM mcp_server_instances WHERE status = @status
ORDER BY status_updated_at NULLS FIRST, id
LIMIT @max_rows;

-- McpServerInstanceUpdateStatus moves a user's instance to status and
-- returns it with the status it left, in one statement: the caller decides
-- on side effects (DeployStack: an e-mail on requires_reauth) without a read
-- first. The status is checked against the real value set
-- (mcp_server_instances_status_check); a wrong one changes nothing.
-- name: McpServerInstanceUpdateStatus :one
UPDATE mcp_server_instances AS i
SET status = @status::text, status_message = sqlc.narg('status_message')::text,
    status_updated_at = now(), updated_at = now()
FROM (SELECT p.id, p.status FROM mcp_server_instances p
      WHERE p.installation_id = @installation_id::text AND p.user_id = @user_id::text
      FOR UPDATE) AS prev
WHERE i.id = prev.id
RETURNING i.id, i.installation_id, i.user_id, i.instance_path, i.instance_token, i.status, i.status_message,
          i.status_updated_at, i.last_health_check_at, i.last_credential_check_at, i.created_at, i.updated_at,
          prev.status AS previous_status;

-- McpServerInstanceUpdateStatusByInstallation moves every instance of an
-- installation to status (a restart, an uninstall in progress).
-- name: McpServerInstanceUpdateStatusByInstallation :execrows
UPDATE mcp_server_instances
SET status = @status, status_message = sqlc.narg('status_message'), status_updated_at = now(), updated_at = now()
WHERE installation_id = @installation_id;

-- McpServerInstanceUpdateHealthCheck stamps a health check and, when
-- credentials were checked too, the credential check.
-- name: McpServerInstanceUpdateHealthCheck :execrows
UPDATE mcp_server_instances
SET last_health_check_at = now(),
    last_credential_check_at = CASE WHEN @credentials_checked::boolean THEN now() ELSE last_credential_check_at END,
    updated_at = now()
WHERE installation_id = @installation_id AND user_id = @user_id;

-- name: McpServerInstanceDelete :execrows
DELETE FROM mcp_server_instances WHERE installation_id = @installation_id AND user_id = @user_id;
