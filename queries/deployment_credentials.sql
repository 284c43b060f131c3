-- A team holds at most one credential per source
-- (deployment_credentials_team_id_source_key): an OAuth token pair or an app
-- installation. Tokens are the application's ciphertext, stored untouched.
-- DeployStack reads the row, then updates or inserts; stackdb upserts in one
-- statement.

-- DeploymentCredentialUpsertOAuth stores a team's OAuth tokens for source:
-- a new credential is of auth_type oauth; an existing one gets the new
-- tokens, scopes and expiry and keeps its auth_type and installation.
-- name: DeploymentCredentialUpsertOAuth :one
INSERT INTO deployment_credentials (id, team_id, source, access_token_encrypted, refresh_token_encrypted, scopes, expires_at)
VALUES (@id, @team_id, @source, @access_token_encrypted, sqlc.narg('refresh_token_encrypted'), @scopes::text[], sqlc.narg('expires_at'))
ON CONFLICT (team_id, source) DO UPDATE
SET access_token_encrypted  = excluded.access_token_encrypted,
    refresh_token_encrypted = excluded.refresh_token_encrypted,
    scopes                  = excluded.scopes,
    expires_at              = excluded.expires_at,
    updated_at              = now()
RETURNING *;

-- DeploymentCredentialUpsertInstallation stores a team's app installation
-- for source: the credential becomes of auth_type installation; its tokens,
-- if any, stay.
-- name: DeploymentCredentialUpsertInstallation :one
INSERT INTO deployment_credentials (id, team_id, source, auth_type, installation_id, account_login, account_id)
VALUES (@id, @team_id, @source, 'installation', @installation_id::text, sqlc.narg('account_login'), sqlc.narg('account_id'))
ON CONFLICT (team_id, source) DO UPDATE
SET auth_type       = 'installation',
    installation_id = excluded.installation_id,
    account_login   = excluded.account_login,
    account_id      = excluded.account_id,
    updated_at      = now()
RETURNING *;

-- name: DeploymentCredentialGetByTeamAndSource :one
SELECT * FROM deployment_credentials WHERE team_id = @team_id AND source = @source;

-- DeploymentCredentialListByTeam uses the unique key's prefix.
-- name: DeploymentCredentialListByTeam :many
SELECT * FROM deployment_credentials WHERE team_id = @team_id ORDER BY source;

-- DeploymentCredentialDeleteByTeamAndSource removes the team's credential
-- for source; with auth_type set, only a credential of that type
-- (DeployStack's deleteInstallation).
-- name: DeploymentCredentialDeleteByTeamAndSource :execrows
DELETE FROM deployment_credentials
WHERE team_id = @team_id AND source = @source
  AND (sqlc.narg('auth_type')::text IS NULL OR auth_type = sqlc.narg('auth_type')::text);
