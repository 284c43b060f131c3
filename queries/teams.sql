-- name: TeamCreate :one
INSERT INTO teams (id, name, slug, description, owner_id, is_default)
VALUES (@id, @name, @slug, sqlc.narg('description'), @owner_id, @is_default)
RETURNING *;

-- name: TeamGetByID :one
SELECT * FROM teams WHERE id = @id;

-- name: TeamGetBySlug :one
SELECT * FROM teams WHERE slug = @slug;

-- name: TeamList :many
SELECT * FROM teams ORDER BY name, id LIMIT @max_rows OFFSET @skip_rows;

-- TeamListByUser returns the teams a user is a member of, with the role.
-- name: TeamListByUser :many
SELECT sqlc.embed(teams), team_members.role
FROM team_members
JOIN teams ON teams.id = team_members.team_id
WHERE team_members.user_id = @user_id
ORDER BY teams.name, teams.id;

-- name: TeamUpdate :execrows
UPDATE teams
SET name        = coalesce(sqlc.narg('name'), name),
    slug        = coalesce(sqlc.narg('slug'), slug),
    description = coalesce(sqlc.narg('description'), description),
    owner_id    = coalesce(sqlc.narg('owner_id'), owner_id),
    is_default  = coalesce(sqlc.narg('is_default'), is_default),
    updated_at  = now()
WHERE id = @id;

-- name: TeamDelete :execrows
DELETE FROM teams WHERE id = @id;
