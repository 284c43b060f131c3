-- TeamInsertWithOwner creates a team and makes its owner a team_admin, in
-- one statement (DeployStack: two inserts). The limits take their defaults.
-- The membership's foreign key is checked at the end of the statement, when
-- the team exists; if either insert fails, neither row stays.
-- name: TeamInsertWithOwner :one
WITH owner_membership AS (
    INSERT INTO team_members (id, team_id, user_id, role)
    VALUES (@membership_id, @id, @owner_id, 'team_admin')
)
INSERT INTO teams (id, name, slug, description, owner_id, is_default)
VALUES (@id, @name, @slug, sqlc.narg('description'), @owner_id, @is_default)
RETURNING *;

-- name: TeamGetByID :one
SELECT * FROM teams WHERE id = @id;

-- name: TeamGetBySlug :one
SELECT * FROM teams WHERE slug = @slug;

-- TeamGetDefaultByOwner is the user's default team, the one created at
-- registration (teams_owner_id_idx). Should there be several, the oldest.
-- name: TeamGetDefaultByOwner :one
SELECT * FROM teams WHERE owner_id = @owner_id AND is_default ORDER BY created_at, id LIMIT 1;

-- name: TeamList :many
SELECT * FROM teams ORDER BY created_at, id;

-- TeamListByUser is every team the user belongs to with their role in it,
-- in one query (DeployStack: the teams, then one membership per team). A
-- user listed twice in a team (real data has duplicate memberships) gets the
-- team once, as team_admin if any of the rows says so.
-- name: TeamListByUser :many
SELECT sqlc.embed(teams), m.role::text AS role, m.joined_at::timestamptz AS joined_at
FROM (
    SELECT team_id,
           CASE WHEN bool_or(role = 'team_admin') THEN 'team_admin' ELSE 'team_user' END AS role,
           min(joined_at) AS joined_at
    FROM team_members
    WHERE user_id = @user_id
    GROUP BY team_id
) m
JOIN teams ON teams.id = m.team_id
ORDER BY teams.created_at, teams.id;

-- TeamUpdate changes the fields given (nil keeps the value) and returns the
-- team.
-- name: TeamUpdate :one
UPDATE teams
SET name        = coalesce(sqlc.narg('name'), name),
    slug        = coalesce(sqlc.narg('slug'), slug),
    description = coalesce(sqlc.narg('description'), description),
    updated_at  = now()
WHERE id = @id
RETURNING *;

-- TeamUpdateLimits changes the quotas and feature flags given (nil keeps the
-- value), as the global administrator does.
-- name: TeamUpdateLimits :execrows
UPDATE teams
SET non_http_mcp_limit         = coalesce(sqlc.narg('non_http_mcp_limit'), non_http_mcp_limit),
    mcp_server_limit           = coalesce(sqlc.narg('mcp_server_limit'), mcp_server_limit),
    member_limit               = coalesce(sqlc.narg('member_limit'), member_limit),
    allow_remote_mcp           = coalesce(sqlc.narg('allow_remote_mcp'), allow_remote_mcp),
    allow_github_mcp           = coalesce(sqlc.narg('allow_github_mcp'), allow_github_mcp),
    allow_private_github_repos = coalesce(sqlc.narg('allow_private_github_repos'), allow_private_github_repos),
    github_mcp_limit           = coalesce(sqlc.narg('github_mcp_limit'), github_mcp_limit),
    updated_at                 = now()
WHERE id = @id;

-- TeamUpdateOwner transfers a team to one of its members and makes them
-- team_admin, in one statement. A default team is never transferred
-- (DeployStack's rule). ErrNotFound: no such team, a default team, or the
-- new owner is not a member. The previous owner keeps their membership and
-- role.
-- name: TeamUpdateOwner :one
WITH promoted AS (
    UPDATE team_members SET role = 'team_admin'
    WHERE team_members.team_id = @id AND team_members.user_id = @new_owner_id
      AND EXISTS (SELECT 1 FROM teams t WHERE t.id = @id AND NOT t.is_default)
)
UPDATE teams SET owner_id = @new_owner_id, updated_at = now()
WHERE teams.id = @id AND NOT teams.is_default
  AND EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = @id AND m.user_id = @new_owner_id)
RETURNING *;

-- TeamDelete removes the team with its memberships and everything else it
-- owns (ON DELETE CASCADE).
-- name: TeamDelete :execrows
DELETE FROM teams WHERE id = @id;
