-- A user's consent that a client acts for one of the user's teams.
-- DeployStack's index oauth_team_consents_unique_user_team_client is not
-- unique, and real data may hold several rows for one (user, team,
-- client): the queries treat them as one consent, so no ON CONFLICT.

-- OAuthTeamConsentUpsert grants (or re-grants, with the new scope) the
-- consent: it updates the rows of (user, team, client) or, when there are
-- none, inserts one, and returns it. Two first grants for one triple at the
-- same moment may both insert, as in DeployStack; the queries below cope.
-- name: OAuthTeamConsentUpsert :one
WITH updated AS (
    UPDATE oauth_team_consents AS c
    SET scope = @scope, is_active = true, granted_at = now()
    WHERE c.user_id = @user_id AND c.team_id = @team_id AND c.client_id = @client_id
    RETURNING c.*
), inserted AS (
    INSERT INTO oauth_team_consents (id, user_id, team_id, client_id, scope)
    SELECT @id, @user_id, @team_id, @client_id, @scope
    WHERE NOT EXISTS (SELECT 1 FROM updated)
    RETURNING *
)
SELECT * FROM updated
UNION ALL
SELECT * FROM inserted
ORDER BY id
LIMIT 1;

-- OAuthTeamConsentGetByUserTeamClientActive returns the active consent of
-- (user, team, client), the most recently granted if there are several.
-- name: OAuthTeamConsentGetByUserTeamClientActive :one
SELECT * FROM oauth_team_consents
WHERE user_id = @user_id AND team_id = @team_id AND client_id = @client_id AND is_active
ORDER BY granted_at DESC, id
LIMIT 1;

-- OAuthTeamConsentUpdateLastUsed stamps last_used_at on the active consent
-- of (user, team, client); it counts the rows stamped.
-- name: OAuthTeamConsentUpdateLastUsed :execrows
UPDATE oauth_team_consents SET last_used_at = now()
WHERE user_id = @user_id AND team_id = @team_id AND client_id = @client_id AND is_active;

-- OAuthTeamConsentRevoke withdraws the consent of (user, team, client) and,
-- in the same statement, deletes the access and refresh tokens the client
-- holds for the user in that team, so revoking takes effect at once. It
-- returns how many of each it revoked.
-- name: OAuthTeamConsentRevoke :one
WITH consents AS (
    UPDATE oauth_team_consents AS c SET is_active = false
    WHERE c.user_id = @user_id AND c.team_id = @team_id AND c.client_id = @client_id AND c.is_active
    RETURNING c.id
), access AS (
    DELETE FROM oauth_access_tokens AS a
    WHERE a.user_id = @user_id AND a.team_id = @team_id AND a.client_id = @client_id
    RETURNING a.id
), refresh AS (
    DELETE FROM oauth_refresh_tokens AS r
    WHERE r.user_id = @user_id AND r.team_id = @team_id AND r.client_id = @client_id
    RETURNING r.id
)
SELECT (SELECT count(*) FROM consents) AS consents,
       (SELECT count(*) FROM access) AS access_tokens,
       (SELECT count(*) FROM refresh) AS refresh_tokens;
