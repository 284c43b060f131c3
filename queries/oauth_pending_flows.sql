-- name: OAuthPendingFlowInsert :one
INSERT INTO oauth_pending_flows (
    id, team_id, server_id, created_by, installation_id, oauth_state, oauth_code_verifier, oauth_client_id,
    oauth_client_secret, oauth_provider_id, oauth_token_endpoint, oauth_token_endpoint_auth_method,
    satellite_id, installation_name, installation_type, team_config, expires_at
) VALUES (
    @id, @team_id, @server_id, @created_by, sqlc.narg('installation_id'), @oauth_state, @oauth_code_verifier,
    @oauth_client_id, sqlc.narg('oauth_client_secret'), sqlc.narg('oauth_provider_id'), @oauth_token_endpoint,
    @oauth_token_endpoint_auth_method, sqlc.narg('satellite_id'), @installation_name, @installation_type,
    sqlc.narg('team_config'), @expires_at
)
RETURNING *;

-- OAuthPendingFlowGetByState returns the unexpired flow of an OAuth state
-- (oauth_pending_flows_state_idx), without consuming it.
-- name: OAuthPendingFlowGetByState :one
SELECT * FROM oauth_pending_flows
WHERE oauth_state = @oauth_state AND expires_at > now()
ORDER BY created_at DESC, id
LIMIT 1;

-- OAuthPendingFlowClaimByState consumes the unexpired flow of an OAuth
-- state: it deletes and returns it in one statement, so a callback replayed
-- or raced gets ErrNotFound instead of a second token exchange. SKIP LOCKED
-- lets a concurrent claimer fail at once rather than wait.
-- name: OAuthPendingFlowClaimByState :one
DELETE FROM oauth_pending_flows
WHERE id = (SELECT f.id FROM oauth_pending_flows f
            WHERE f.oauth_state = @oauth_state AND f.expires_at > now()
            ORDER BY f.created_at DESC, f.id
            LIMIT 1
            FOR UPDATE SKIP LOCKED)
RETURNING *;

-- name: OAuthPendingFlowDelete :execrows
DELETE FROM oauth_pending_flows WHERE id = @id;

-- OAuthPendingFlowDeleteExpired sweeps the flows that expired
-- (oauth_pending_flows_expires_at_idx).
-- name: OAuthPendingFlowDeleteExpired :execrows
DELETE FROM oauth_pending_flows WHERE expires_at <= now();
