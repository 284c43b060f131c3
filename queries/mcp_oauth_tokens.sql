-- McpOAuthTokenUpsert stores a user's tokens for an installation: inserted
-- after the first authorization, replaced on every refresh (conflict target
-- mcp_oauth_tokens_installation_user_team_idx). id is used only on insert.
-- The token values are ciphertext; stackdb never reads them.
-- name: McpOAuthTokenUpsert :one
INSERT INTO mcp_oauth_tokens (id, installation_id, user_id, team_id, access_token, refresh_token, token_type, expires_at, scope)
VALUES (@id, @installation_id, @user_id, @team_id, @access_token, sqlc.narg('refresh_token'), @token_type,
        sqlc.narg('expires_at'), sqlc.narg('scope'))
ON CONFLICT (installation_id, user_id, team_id) DO UPDATE SET
    access_token = excluded.access_token,
    refresh_token = excluded.refresh_token,
    token_type = excluded.token_type,
    expires_at = excluded.expires_at,
    scope = excluded.scope,
    updated_at = now()
RETURNING *;

-- name: McpOAuthTokenGetByInstallationUser :one
SELECT * FROM mcp_oauth_tokens WHERE installation_id = @installation_id AND user_id = @user_id;

-- McpOAuthTokenListExpiring returns the refreshable tokens expiring before
-- expires_before, soonest first, each with its installation and server: what
-- the refresh worker needs, in one query (mcp_oauth_tokens_expires_at_idx).
-- name: McpOAuthTokenListExpiring :many
SELECT sqlc.embed(t), sqlc.embed(i), sqlc.embed(s)
FROM mcp_oauth_tokens t
JOIN mcp_server_installations i ON i.id = t.installation_id
JOIN mcp_servers s ON s.id = i.server_id
WHERE t.expires_at < @expires_before::timestamptz AND t.refresh_token IS NOT NULL
ORDER BY t.expires_at, t.id
LIMIT @max_rows;

-- name: McpOAuthTokenDelete :execrows
DELETE FROM mcp_oauth_tokens WHERE installation_id = @installation_id AND user_id = @user_id;

-- McpOAuthTokenDeleteExpired sweeps the tokens that expired before
-- expired_before and cannot be refreshed (no refresh token): the user must
-- authorize again either way.
-- name: McpOAuthTokenDeleteExpired :execrows
DELETE FROM mcp_oauth_tokens WHERE expires_at < @expired_before::timestamptz AND refresh_token IS NULL;
