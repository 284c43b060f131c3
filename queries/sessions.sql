-- name: SessionCreate :one
INSERT INTO sessions (id, user_id, expires_at) VALUES (@id, @user_id, @expires_at)
RETURNING *;

-- SessionGetValid returns the session only while it has not expired.
-- name: SessionGetValid :one
SELECT * FROM sessions WHERE id = @id AND expires_at > now();

-- name: SessionListByUser :many
SELECT * FROM sessions WHERE user_id = @user_id ORDER BY expires_at DESC;

-- name: SessionExtend :execrows
UPDATE sessions SET expires_at = @expires_at WHERE id = @id;

-- name: SessionDelete :execrows
DELETE FROM sessions WHERE id = @id;

-- name: SessionDeleteExpired :execrows
DELETE FROM sessions WHERE expires_at <= now();
