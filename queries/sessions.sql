-- SessionInsert signs a user in until expires_at.
-- name: SessionInsert :one
INSERT INTO sessions (id, user_id, expires_at) VALUES (@id, @user_id, @expires_at) RETURNING *;

-- SessionGetValidByID is the check every authenticated request makes: the
-- session if it has not expired, with its user and the permissions of the
-- user's role (nil: no role), in one round trip on the primary keys.
-- ErrNotFound: unknown or expired (SessionDeleteExpired sweeps those).
-- name: SessionGetValidByID :one
SELECT sqlc.embed(sessions), sqlc.embed(users), roles.permissions AS role_permissions
FROM sessions
JOIN users ON users.id = sessions.user_id
LEFT JOIN roles ON roles.id = users.role_id
WHERE sessions.id = @id AND sessions.expires_at > now();

-- SessionUpdateExpiresAt extends (or shortens) a session that is still
-- valid; an expired one stays expired.
-- name: SessionUpdateExpiresAt :execrows
UPDATE sessions SET expires_at = @expires_at WHERE id = @id AND expires_at > now();

-- SessionDelete signs one session out.
-- name: SessionDelete :execrows
DELETE FROM sessions WHERE id = @id;

-- SessionDeleteByUser signs a user out everywhere (sessions_user_id_idx).
-- name: SessionDeleteByUser :execrows
DELETE FROM sessions WHERE user_id = @user_id;

-- SessionDeleteExpired is the sweep (sessions_expires_at_idx).
-- name: SessionDeleteExpired :execrows
DELETE FROM sessions WHERE expires_at <= now();
