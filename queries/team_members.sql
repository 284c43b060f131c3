-- team_members has no unique key in DeployStack and real data holds the same
-- user twice in a team. Every query here treats (team_id, user_id) as one
-- membership whatever the number of rows: the effective role is team_admin
-- if any row says so, the join time the earliest. Updates and deletes by
-- (team_id, user_id) touch every row of the pair.

-- TeamMemberInsert adds a user to a team unless they already are a member,
-- in one statement; rows affected: 1 added, 0 already a member. Check
-- member_limit with TeamMemberCountByTeam in the same transaction.
-- name: TeamMemberInsert :execrows
INSERT INTO team_members (id, team_id, user_id, role)
SELECT @id::text, @team_id::text, @user_id::text, @role::text
WHERE NOT EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = @team_id::text AND m.user_id = @user_id::text);

-- TeamMemberGetByTeamAndUser is the user's membership of the team, for
-- permission checks: the team_admin row if there is one, else the oldest.
-- name: TeamMemberGetByTeamAndUser :one
SELECT * FROM team_members
WHERE team_id = @team_id AND user_id = @user_id
ORDER BY role = 'team_admin' DESC, joined_at, id
LIMIT 1;

-- TeamMemberListByTeam is a team's members with the user fields a member
-- list shows, in one query, each user once, by join time.
-- name: TeamMemberListByTeam :many
SELECT m.id, m.team_id, m.user_id, m.role, m.joined_at,
       u.username, u.email, u.first_name, u.last_name
FROM (
    SELECT DISTINCT ON (user_id) id, team_id, user_id, role, joined_at
    FROM team_members
    WHERE team_id = @team_id
    ORDER BY user_id, role = 'team_admin' DESC, joined_at, id
) m
JOIN users u ON u.id = m.user_id
ORDER BY m.joined_at, m.user_id;

-- TeamMemberCountByTeam counts a team's distinct members (member_limit).
-- name: TeamMemberCountByTeam :one
SELECT count(DISTINCT user_id) FROM team_members WHERE team_id = @team_id;

-- TeamMemberCountByUser counts the distinct teams a user belongs to.
-- name: TeamMemberCountByUser :one
SELECT count(DISTINCT team_id) FROM team_members WHERE user_id = @user_id;

-- TeamMemberUpdateRole sets the user's role in the team on every row of the
-- membership; rows affected 0: not a member.
-- name: TeamMemberUpdateRole :execrows
UPDATE team_members SET role = @role WHERE team_id = @team_id AND user_id = @user_id;

-- TeamMemberDeleteByTeamAndUser removes the user from the team (every row
-- of the membership).
-- name: TeamMemberDeleteByTeamAndUser :execrows
DELETE FROM team_members WHERE team_id = @team_id AND user_id = @user_id;
