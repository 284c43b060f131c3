-- auth_keys is the legacy Lucia key table: DeployStack no longer reads or
-- writes it, so stackdb only keeps its rows reachable.

-- name: AuthKeyInsert :one
INSERT INTO auth_keys (id, user_id, primary_key, hashed_password, expires)
VALUES (@id, @user_id, @primary_key, sqlc.narg('hashed_password'), sqlc.narg('expires'))
RETURNING *;

-- name: AuthKeyGetByID :one
SELECT * FROM auth_keys WHERE id = @id;

-- name: AuthKeyDelete :execrows
DELETE FROM auth_keys WHERE id = @id;
