-- OAuth access and refresh tokens. Only a hash of each token is stored and
-- looked up; the plaintext never reaches the database.
--
-- Expired tokens are revoked (revoked = true), not deleted: deleting an
-- access token would cascade to the refresh token issued with it
-- (oauth_refresh_tokens_access_token_id_fkey), which usually outlives it.

-- name: OAuthAccessTokenCreate :one
INSERT INTO oauth_access_tokens (id, token_hash, client_id, user_id, scope, expires_at)
VALUES (@id, @token_hash, @client_id, @user_id, @scope, @expires_at)
RETURNING *;

-- OAuthAccessTokenGetValid returns the token with this hash only while it
-- is neither revoked nor expired.
-- name: OAuthAccessTokenGetValid :one
SELECT * FROM oauth_access_tokens
WHERE token_hash = @token_hash AND NOT revoked AND expires_at > now();

-- OAuthAccessTokenRevoke counts only a token this call revoked: 0 when the
-- id is unknown or the token was already revoked.
-- name: OAuthAccessTokenRevoke :execrows
UPDATE oauth_access_tokens SET revoked = true WHERE id = @id AND NOT revoked;

-- name: OAuthAccessTokenRevokeAllByUser :execrows
UPDATE oauth_access_tokens SET revoked = true WHERE user_id = @user_id AND NOT revoked;

-- OAuthAccessTokenRevokeExpired revokes the expired tokens not yet revoked
-- and counts them (oauth_access_tokens_expires_at_idx covers exactly these).
-- name: OAuthAccessTokenRevokeExpired :execrows
UPDATE oauth_access_tokens SET revoked = true WHERE NOT revoked AND expires_at <= now();

-- name: OAuthRefreshTokenCreate :one
INSERT INTO oauth_refresh_tokens (id, token_hash, access_token_id, client_id, user_id, expires_at)
VALUES (@id, @token_hash, sqlc.narg('access_token_id'), @client_id, @user_id, @expires_at)
RETURNING *;

-- OAuthRefreshTokenGetValid returns the token with this hash only while it
-- is neither revoked nor expired.
-- name: OAuthRefreshTokenGetValid :one
SELECT * FROM oauth_refresh_tokens
WHERE token_hash = @token_hash AND NOT revoked AND expires_at > now();

-- OAuthRefreshTokenRevoke counts only a token this call revoked.
-- name: OAuthRefreshTokenRevoke :execrows
UPDATE oauth_refresh_tokens SET revoked = true WHERE id = @id AND NOT revoked;

-- name: OAuthRefreshTokenRevokeAllByUser :execrows
UPDATE oauth_refresh_tokens SET revoked = true WHERE user_id = @user_id AND NOT revoked;

-- name: OAuthRefreshTokenRevokeExpired :execrows
UPDATE oauth_refresh_tokens SET revoked = true WHERE NOT revoked AND expires_at <= now();

-- OAuthRefreshTokenRotate exchanges a refresh token for a new access and
-- refresh token pair in one statement: it revokes the presented token (found
-- by hash, and only if it is valid and was issued to client_id) and inserts
-- the new pair for the same client and user. A token that is unknown,
-- revoked, expired or another client's inserts nothing and returns no row
-- (ErrNotFound). Concurrent rotations of one token: the row lock lets exactly
-- one through; the others re-check revoked and find nothing. The new access
-- token's scope is scope when given, else that of the access token the old
-- refresh token was issued with, else the client's.
-- name: OAuthRefreshTokenRotate :one
WITH old AS (
    UPDATE oauth_refresh_tokens AS r
    SET revoked = true
    WHERE r.token_hash = @old_token_hash AND r.client_id = @client_id
      AND NOT r.revoked AND r.expires_at > now()
    RETURNING r.access_token_id, r.client_id, r.user_id
), new_access AS (
    INSERT INTO oauth_access_tokens (id, token_hash, client_id, user_id, scope, expires_at)
    SELECT @access_token_id, @access_token_hash, old.client_id, old.user_id,
           coalesce(sqlc.narg('scope')::text, prev.scope, c.scope), @access_expires_at
    FROM old
    JOIN oauth_clients AS c ON c.client_id = old.client_id
    LEFT JOIN oauth_access_tokens AS prev ON prev.id = old.access_token_id
    RETURNING id, client_id, user_id, scope, expires_at
), new_refresh AS (
    INSERT INTO oauth_refresh_tokens (id, token_hash, access_token_id, client_id, user_id, expires_at)
    SELECT @refresh_token_id, @refresh_token_hash, new_access.id, new_access.client_id, new_access.user_id,
           @refresh_expires_at
    FROM new_access
    RETURNING id, expires_at
)
SELECT new_access.id AS access_token_id, new_access.client_id, new_access.user_id, new_access.scope,
       new_access.expires_at AS access_expires_at,
       new_refresh.id AS refresh_token_id, new_refresh.expires_at AS refresh_expires_at
FROM new_access, new_refresh;
