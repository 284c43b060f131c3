-- Registration tokens pair a new satellite with the backend. token_hash is
-- the argon2 hash of the whole token, token_prefix its fixed scope prefix
-- ("deploystack_satellite_global_" / "deploystack_satellite_team_").

-- name: SatelliteRegistrationTokenInsert :one
INSERT INTO satellite_registration_tokens (id, token_type, team_id, token_hash, token_prefix, created_by,
                                           permissions, expires_at, created_at)
VALUES (@id, @token_type, sqlc.narg('team_id'), @token_hash, @token_prefix, @created_by, @permissions,
        @expires_at, now())
RETURNING *;

-- SatelliteRegistrationTokenListValidByPrefix is DeployStack's lookup:
-- the unused, unexpired tokens of a prefix, to verify the presented token
-- against (argon2 hashes are salted, so the hash cannot be looked up).
-- name: SatelliteRegistrationTokenListValidByPrefix :many
SELECT * FROM satellite_registration_tokens
WHERE token_prefix = @token_prefix AND NOT used AND expires_at > now()
ORDER BY created_at, id;

-- SatelliteRegistrationTokenGetValidByHash is the lookup for an
-- application that stores a deterministic hash (e.g. SHA-256) of the
-- token: one probe of the unique token_hash index; used or expired tokens
-- are ErrNotFound.
-- name: SatelliteRegistrationTokenGetValidByHash :one
SELECT * FROM satellite_registration_tokens
WHERE token_hash = @token_hash AND NOT used AND expires_at > now();

-- SatelliteRegistrationTokenClaim marks a token used by the satellite it
-- registered, atomically: only an unused, unexpired token is claimed, so
-- two registrations racing for one token cannot both succeed (the loser
-- gets ErrNotFound).
-- name: SatelliteRegistrationTokenClaim :one
UPDATE satellite_registration_tokens
SET used = true, used_at = now(), used_by_satellite_id = @satellite_id::text
WHERE id = @id AND NOT used AND expires_at > now()
RETURNING *;

-- SatelliteRegistrationTokenRevoke deletes an unused token, as DeployStack
-- does; a used one stays as the record of its registration.
-- name: SatelliteRegistrationTokenRevoke :execrows
DELETE FROM satellite_registration_tokens WHERE id = @id AND NOT used;

-- SatelliteRegistrationTokenList lists tokens, newest first, all or of one
-- type and/or team (getActiveTokens).
-- name: SatelliteRegistrationTokenList :many
SELECT * FROM satellite_registration_tokens
WHERE (sqlc.narg('token_type')::satellite_type IS NULL OR token_type = sqlc.narg('token_type')::satellite_type)
  AND (sqlc.narg('team_id')::text IS NULL OR team_id = sqlc.narg('team_id')::text)
ORDER BY created_at DESC, id DESC;

-- SatelliteRegistrationTokenDeleteExpired is the cleanup sweep.
-- name: SatelliteRegistrationTokenDeleteExpired :execrows
DELETE FROM satellite_registration_tokens WHERE expires_at < @before;
