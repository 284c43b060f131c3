-- name: OAuthClientCreate :one
INSERT INTO oauth_clients (client_id, client_name, redirect_uris, grant_types, scope)
VALUES (@client_id, @client_name, @redirect_uris, @grant_types, @scope)
RETURNING *;

-- name: OAuthClientGet :one
SELECT * FROM oauth_clients WHERE client_id = @client_id;
