-- A team's cloud provider credentials. credentials is the application's
-- ciphertext (encrypted JSON), stored and returned untouched. Every query
-- but the insert takes the team too, so one team never reaches another's
-- credentials by id.

-- name: TeamCloudCredentialInsert :one
INSERT INTO team_cloud_credentials (id, team_id, provider_id, name, comment, credentials, created_by)
VALUES (@id, @team_id, @provider_id, @name, sqlc.narg('comment'), @credentials, @created_by)
RETURNING *;

-- name: TeamCloudCredentialGetByID :one
SELECT * FROM team_cloud_credentials WHERE id = @id AND team_id = @team_id;

-- TeamCloudCredentialListByTeam is a team's credentials, newest first
-- (team_cloud_credentials_team_id_idx).
-- name: TeamCloudCredentialListByTeam :many
SELECT * FROM team_cloud_credentials WHERE team_id = @team_id ORDER BY created_at DESC, id;

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
