-- OAuth refresh tokens (DeployStack: services/oauth/tokenService.ts). A
-- refresh token is valid while unused and unexpired; refreshing marks it
-- used (kept, so a replayed token is recognised) and issues a new pair.
--
-- Lookups: DeployStack stores a salted argon2 hash and, on every refresh,
-- reads all unused tokens of the client and verifies each hash in turn
-- (OAuthRefreshTokenListByClientValid keeps that path working). Storing a
-- deterministic hash (SHA-256 of the random token) instead lets the
-- database find the token by hash through the unique index, and rotate it
-- in one statement (OAuthRefreshTokenRotate).

-- name: OAuthRefreshTokenInsert :one
INSERT INTO oauth_refresh_tokens (id, user_id, team_id, client_id, token_hash, expires_at)
VALUES (@id, @user_id, @team_id, @client_id, @token_hash, @expires_at)
RETURNING *;

-- OAuthRefreshTokenGetByTokenHashValid returns the token with this hash
-- only while it is unused and unexpired.
-- name: OAuthRefreshTokenGetByTokenHashValid :one
SELECT * FROM oauth_refresh_tokens
WHERE token_hash = @token_hash AND NOT used AND expires_at > now();

-- OAuthRefreshTokenListByClientValid is DeployStack's refresh lookup for
-- argon2 hashes: every unused, unexpired token of the client.
-- name: OAuthRefreshTokenListByClientValid :many
SELECT * FROM oauth_refresh_tokens
WHERE client_id = @client_id AND NOT used AND expires_at > now()
ORDER BY created_at DESC, id;

-- OAuthRefreshTokenRotate exchanges a refresh token for a new access and
-- refresh token pair in one statement: it marks the presented token used
-- (found by hash, and only while it is valid and was issued to client_id)
-- and inserts the new pair for the same user, team and client, the access
-- token with scope. A token that is unknown, used, expired or another
-- client's inserts nothing and returns no row (ErrNotFound). Concurrent
-- rotations of one token: the row lock lets exactly one through; the
-- others re-check used and find nothing. A failed insert (a duplicate id
-- or hash) fails the whole statement: the presented token stays valid.
-- name: OAuthRefreshTokenRotate :one
WITH old AS (
    UPDATE oauth_refresh_tokens AS r
    SET used = true
    WHERE r.token_hash = @old_token_hash AND r.client_id = @client_id
      AND NOT r.used AND r.expires_at > now()
    RETURNING r.user_id, r.team_id, r.client_id
), new_access AS (
    INSERT INTO oauth_access_tokens (id, user_id, team_id, client_id, scope, token_hash, expires_at)
    SELECT @access_token_id, old.user_id, old.team_id, old.client_id, @scope, @access_token_hash, @access_expires_at
    FROM old
    RETURNING id, user_id, team_id, client_id, scope, expires_at
), new_refresh AS (
    INSERT INTO oauth_refresh_tokens (id, user_id, team_id, client_id, token_hash, expires_at)
    SELECT @refresh_token_id, old.user_id, old.team_id, old.client_id, @refresh_token_hash, @refresh_expires_at
    FROM old
    RETURNING id, expires_at
)
SELECT new_access.id AS access_token_id, new_access.user_id, new_access.team_id, new_access.client_id,
       new_access.scope, new_access.expires_at AS access_expires_at,
       new_refresh.id AS refresh_token_id, new_refresh.expires_at AS refresh_expires_at
FROM new_access, new_refresh;

-- OAuthRefreshTokenRevoke marks one token used, only while it is valid;
-- it counts the tokens revoked (0: unknown, used or expired). It is the
-- "mark used" step of DeployStack's argon2 refresh path.
-- name: OAuthRefreshTokenRevoke :execrows
UPDATE oauth_refresh_tokens SET used = true WHERE id = @id AND NOT used AND expires_at > now();

-- OAuthRefreshTokenRevokeByUserClient deletes every refresh token the
-- client holds for the user, in every team.
-- name: OAuthRefreshTokenRevokeByUserClient :execrows
DELETE FROM oauth_refresh_tokens WHERE user_id = @user_id AND client_id = @client_id;

-- name: OAuthRefreshTokenDeleteExpired :execrows
DELETE FROM oauth_refresh_tokens WHERE expires_at <= now();
