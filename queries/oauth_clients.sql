-- Registered OAuth clients of DeployStack's own OAuth server. Dynamically
-- registered (RFC 7591) clients live in dynamic_oauth_clients.

-- name: OAuthClientInsert :one
INSERT INTO oauth_clients (id, client_id, client_secret_hash, client_name, redirect_uris, scope, team_id, created_by_user_id)
VALUES (@id, @client_id, sqlc.narg('client_secret_hash'), @client_name, @redirect_uris, @scope,
        sqlc.narg('team_id'), sqlc.narg('created_by_user_id'))
RETURNING *;

-- OAuthClientGetByClientIDActive returns the client with this client_id
-- only while it is active: a deactivated client is not found, so no flow
-- can start or finish for it.
-- name: OAuthClientGetByClientIDActive :one
SELECT * FROM oauth_clients WHERE client_id = @client_id AND is_active;

-- name: OAuthClientListByTeam :many
SELECT * FROM oauth_clients WHERE team_id = @team_id ORDER BY client_name, id;

-- OAuthClientUpdateActive activates or deactivates a client; it counts the
-- clients changed (0: unknown client_id).
-- name: OAuthClientUpdateActive :execrows
UPDATE oauth_clients SET is_active = @is_active, updated_at = now() WHERE client_id = @client_id;

-- name: OAuthClientDelete :execrows
DELETE FROM oauth_clients WHERE client_id = @client_id;
