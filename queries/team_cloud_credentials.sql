-- A team's cloud provider credentials. credentials is the application's
-- ciphertext (encrypted JSON), stored and returned untouched. Every query
-- but the insert takes the team too, so one team never reaches another's
-- credentials by id.

-- TeamCloudCredentialInsert adds a credential unless the team already has
-- one of that provider with that name, in one statement (DeployStack: a
-- check, then the insert); rows affected: 1 added, 0 name taken. There is no
-- unique key: real data may hold such duplicates. credentials is selected
-- bare (no cast) so that sqlc ties it to its column and it keeps json:"-".
-- name: TeamCloudCredentialInsert :execrows
WITH candidate (id, team_id, provider_id, name, comment, created_by) AS (
    VALUES (@id::text, @team_id::text, @provider_id::text, @name::text, sqlc.narg('comment')::text, @created_by::text)
)
INSERT INTO team_cloud_credentials (id, team_id, provider_id, name, comment, credentials, created_by)
SELECT id, team_id, provider_id, name, comment, @credentials, created_by FROM candidate
WHERE NOT EXISTS (
    SELECT 1 FROM team_cloud_credentials c
    WHERE c.team_id = candidate.team_id AND c.provider_id = candidate.provider_id AND c.name = candidate.name
);

-- name: TeamCloudCredentialGetByID :one
SELECT * FROM team_cloud_credentials WHERE id = @id AND team_id = @team_id;

-- TeamCloudCredentialListByTeam is a team's credentials with their
-- creator's username and email (the foreign key keeps the creator), newest
-- first, in one query (team_cloud_credentials_team_id_idx).
-- name: TeamCloudCredentialListByTeam :many
SELECT sqlc.embed(team_cloud_credentials), users.username AS creator_username, users.email AS creator_email
FROM team_cloud_credentials
JOIN users ON users.id = team_cloud_credentials.created_by
WHERE team_cloud_credentials.team_id = @team_id
ORDER BY team_cloud_credentials.created_at DESC, team_cloud_credentials.id;

-- TeamCloudCredentialListByTeamSearch is the credentials of a team whose
-- name or comment contains query, case-insensitively (as the SQLite-era
-- LIKE was), at most max_rows, by name. query is literal text: % and _ match
-- themselves.
-- name: TeamCloudCredentialListByTeamSearch :many
SELECT * FROM team_cloud_credentials
WHERE team_id = @team_id
  AND (name ILIKE '%' || replace(replace(replace(@query::text, '\', '\\'), '%', '\%'), '_', '\_') || '%'
       OR comment ILIKE '%' || replace(replace(replace(@query::text, '\', '\\'), '%', '\%'), '_', '\_') || '%')
ORDER BY name, id
LIMIT @max_rows;

-- TeamCloudCredentialUpdate changes the fields given (nil keeps the value).
-- name: TeamCloudCredentialUpdate :execrows
UPDATE team_cloud_credentials
SET name        = coalesce(sqlc.narg('name'), name),
    comment     = coalesce(sqlc.narg('comment'), comment),
    credentials = coalesce(sqlc.narg('credentials'), credentials),
    updated_at  = now()
WHERE id = @id AND team_id = @team_id;

-- name: TeamCloudCredentialDelete :execrows
DELETE FROM team_cloud_credentials WHERE id = @id AND team_id = @team_id;
