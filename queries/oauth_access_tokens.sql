-- OAuth access tokens (DeployStack: services/oauth/tokenService.ts). The
-- table has no revoked flag: a token is valid while its row exists and has
-- not expired, and revoking deletes it, as DeployStack's revokeAccessToken
-- does.
--
-- Lookups: DeployStack stores a salted argon2 hash, so it finds a token by
-- the id embedded in the token (OAuthAccessTokenGetByIDValid) and verifies
-- the hash itself. An application that stores a deterministic hash
-- (SHA-256 of the 512-bit random token; a slow hash buys nothing for a
-- random secret) finds it by hash instead, through the unique index
-- (OAuthAccessTokenGetByTokenHashValid).

-- name: OAuthAccessTokenInsert :one
INSERT INTO oauth_access_tokens (id, user_id, team_id, client_id, scope, token_hash, expires_at)
VALUES (@id, @user_id, @team_id, @client_id, @scope, @token_hash, @expires_at)
RETURNING *;

-- OAuthAccessTokenGetByIDValid returns the token only while it has not
-- expired.
-- name: OAuthAccessTokenGetByIDValid :one
SELECT * FROM oauth_access_tokens WHERE id = @id AND expires_at > now();

-- OAuthAccessTokenGetByTokenHashValid returns the token with this hash
-- only while it has not expired.
-- name: OAuthAccessTokenGetByTokenHashValid :one
SELECT * FROM oauth_access_tokens WHERE token_hash = @token_hash AND expires_at > now();

-- OAuthAccessTokenRevoke deletes one token; it counts the tokens revoked
-- (0: unknown or already revoked).
-- name: OAuthAccessTokenRevoke :execrows
DELETE FROM oauth_access_tokens WHERE id = @id;

-- OAuthAccessTokenRevokeByUserClient deletes every token the client holds
-- for the user, in every team.
-- name: OAuthAccessTokenRevokeByUserClient :execrows
DELETE FROM oauth_access_tokens WHERE user_id = @user_id AND client_id = @client_id;

-- name: OAuthAccessTokenDeleteExpired :execrows
DELETE FROM oauth_access_tokens WHERE expires_at <= now();
