-- name: McpOAuthProviderInsert :one
INSERT INTO mcp_oauth_providers (
    id, name, slug, icon_url, auth_server_patterns, client_id, client_secret, authorization_endpoint,
    token_endpoint, default_scopes, pkce_required, token_endpoint_auth_method, enabled
) VALUES (
    @id, @name, @slug, sqlc.narg('icon_url'), @auth_server_patterns, @client_id, sqlc.narg('client_secret'),
    @authorization_endpoint, @token_endpoint, sqlc.narg('default_scopes'), @pkce_required,
    @token_endpoint_auth_method, @enabled
)
RETURNING *;

-- name: McpOAuthProviderGetByID :one
SELECT * FROM mcp_oauth_providers WHERE id = @id;

-- name: McpOAuthProviderGetBySlug :one
SELECT * FROM mcp_oauth_providers WHERE slug = @slug;

-- name: McpOAuthProviderListEnabled :many
SELECT * FROM mcp_oauth_providers WHERE enabled ORDER BY name, id;

-- McpOAuthProviderGetByAuthServerURL returns the first enabled provider (by
-- name) one of whose auth_server_patterns, case-insensitive regular
-- expressions, matches url. DeployStack loads every enabled provider and
-- tests the patterns in JavaScript; here it is one query. The patterns are
-- Postgres regular expressions (ARE), which agree with JavaScript's on the
-- usual URL patterns.
-- name: McpOAuthProviderGetByAuthServerURL :one
SELECT * FROM mcp_oauth_providers p
WHERE p.enabled
  AND EXISTS (SELECT 1 FROM jsonb_array_elements_text(p.auth_server_patterns) AS pattern(re)
              WHERE @url::text ~* pattern.re)
ORDER BY p.name, p.id
LIMIT 1;

-- name: McpOAuthProviderDelete :execrows
DELETE FROM mcp_oauth_providers WHERE id = @id;
