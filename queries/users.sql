-- name: UserCreate :one
INSERT INTO users (id, username, email, auth_type, first_name, last_name, github_id, hashed_password, email_verified, role_id)
VALUES (@id, @username, @email, @auth_type, sqlc.narg('first_name'), sqlc.narg('last_name'), sqlc.narg('github_id'),
        sqlc.narg('hashed_password'), @email_verified, @role_id)
RETURNING *;

-- name: UserGetByID :one
SELECT * FROM users WHERE id = @id;

-- UserGetByEmail matches case-insensitively; lower(email) is indexed.
-- name: UserGetByEmail :one
SELECT * FROM users WHERE lower(email) = lower(@email) ORDER BY created_at, id LIMIT 1;

-- name: UserList :many
SELECT * FROM users ORDER BY created_at, id LIMIT @max_rows OFFSET @skip_rows;

-- name: UserUpdate :execrows
UPDATE users
SET username        = coalesce(sqlc.narg('username'), username),
    email           = coalesce(sqlc.narg('email'), email),
    first_name      = coalesce(sqlc.narg('first_name'), first_name),
    last_name       = coalesce(sqlc.narg('last_name'), last_name),
    hashed_password = coalesce(sqlc.narg('hashed_password'), hashed_password),
    email_verified  = coalesce(sqlc.narg('email_verified'), email_verified),
    role_id         = coalesce(sqlc.narg('role_id'), role_id),
    updated_at      = now()
WHERE id = @id;

-- name: UserDelete :execrows
DELETE FROM users WHERE id = @id;
