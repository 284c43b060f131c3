-- name: TeamMemberCreate :one
INSERT INTO team_members (id, team_id, user_id, role) VALUES (@id, @team_id, @user_id, @role)
RETURNING *;

-- name: TeamMemberGet :one
SELECT * FROM team_members WHERE team_id = @team_id AND user_id = @user_id;

-- TeamMemberListWithUsers returns a team's members joined with their users
-- in one query.
-- name: TeamMemberListWithUsers :many
SELECT sqlc.embed(team_members), sqlc.embed(users)
FROM team_members
JOIN users ON users.id = team_members.user_id
WHERE team_members.team_id = @team_id
ORDER BY team_members.joined_at, team_members.id;

-- name: TeamMemberUpdateRole :execrows
UPDATE team_members SET role = @role WHERE team_id = @team_id AND user_id = @user_id;

-- name: TeamMemberDelete :execrows
DELETE FROM team_members WHERE team_id = @team_id AND user_id = @user_id;
