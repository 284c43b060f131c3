-- Clients registered through RFC 7591 dynamic client registration
-- (DeployStack: routes/oauth2/register.ts; client ids 'dyn_...'). A client
-- with an expires_at in the past is gone for every lookup, and the sweep
-- deletes it.

-- name: DynamicOAuthClientInsert :one
INSERT INTO dynamic_oauth_clients (client_id, client_name, redirect_uris, grant_types, response_types, scope,
                                   token_endpoint_auth_method, client_id_issued_at, expires_at)
VALUES (@client_id, @client_name, @redirect_uris, @grant_types, @response_types, @scope,
        @token_endpoint_auth_method, coalesce(sqlc.narg('client_id_issued_at')::timestamptz, now()),
        sqlc.narg('expires_at'))
RETURNING *;

-- DynamicOAuthClientGetByIDValid returns the client only while it has not
-- expired (expires_at NULL: never expires).
-- name: DynamicOAuthClientGetByIDValid :one
SELECT * FROM dynamic_oauth_clients
WHERE client_id = @client_id AND (expires_at IS NULL OR expires_at > now());

-- name: DynamicOAuthClientDelete :execrows
DELETE FROM dynamic_oauth_clients WHERE client_id = @client_id;

-- name: DynamicOAuthClientDeleteExpired :execrows
DELETE FROM dynamic_oauth_clients WHERE expires_at <= now();
