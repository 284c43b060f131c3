-- A catalog server's deployment settings, one row per server
-- (deployment_settings_server_id_key). webhook_secret is secret.

-- name: DeploymentSettingInsert :one
INSERT INTO deployment_settings (id, server_id) VALUES (@id, @server_id) RETURNING *;

-- name: DeploymentSettingGetByServer :one
SELECT * FROM deployment_settings WHERE server_id = @server_id;

-- name: DeploymentSettingUpdateAutoDeploy :execrows
UPDATE deployment_settings SET auto_deploy_enabled = @auto_deploy_enabled, updated_at = now() WHERE server_id = @server_id;

-- DeploymentSettingUpdateWebhook stores the registered webhook (nil clears
-- it).
-- name: DeploymentSettingUpdateWebhook :execrows
UPDATE deployment_settings
SET webhook_id = sqlc.narg('webhook_id'), webhook_secret = sqlc.narg('webhook_secret'), updated_at = now()
WHERE server_id = @server_id;

-- name: DeploymentSettingDeleteByServer :execrows
DELETE FROM deployment_settings WHERE server_id = @server_id;
