-- RoleInsert adds a role; permissions default to none ([]).
-- name: RoleInsert :one
INSERT INTO roles (id, name, description, permissions, is_system_role)
VALUES (@id, @name, sqlc.narg('description'), coalesce(sqlc.narg('permissions')::jsonb, '[]'::jsonb), @is_system_role)
RETURNING *;

-- name: RoleGetByID :one
SELECT * FROM roles WHERE id = @id;

-- name: RoleList :many
SELECT * FROM roles ORDER BY name;

-- RoleUpdate changes the fields given (nil keeps the value).
-- name: RoleUpdate :execrows
UPDATE roles
SET name        = coalesce(sqlc.narg('name'), name),
    description = coalesce(sqlc.narg('description'), description),
    permissions = coalesce(sqlc.narg('permissions'), permissions),
    updated_at  = now()
WHERE id = @id;

-- RoleDelete fails with a foreign key error while users still hold the role.
-- name: RoleDelete :execrows
DELETE FROM roles WHERE id = @id;
