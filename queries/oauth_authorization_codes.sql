-- Authorization requests and codes (DeployStack:
-- services/oauth/authorizationService.ts). A row is first an authorization
-- request waiting for the user's consent, holding a placeholder code
-- 'pending_<random>' (DeployStack's convention, which keeps code unique);
-- on approval the real code replaces the placeholder; the token endpoint
-- then claims the code exactly once, checking PKCE in the same statement.

-- OAuthAuthorizationCodeInsert stores an authorization request and, in the
-- same statement, deletes the user's expired requests for the client (as
-- DeployStack does, in two round trips).
-- name: OAuthAuthorizationCodeInsert :one
WITH swept AS (
    DELETE FROM oauth_authorization_codes
    WHERE user_id = @user_id AND client_id = @client_id AND expires_at < now()
)
INSERT INTO oauth_authorization_codes (id, user_id, team_id, client_id, redirect_uri, scope, state,
                                       code_challenge, code_challenge_method, code, resource, expires_at)
VALUES (@id, @user_id, @team_id, @client_id, @redirect_uri, @scope, @state,
        @code_challenge, @code_challenge_method, @code, sqlc.narg('resource'), @expires_at)
RETURNING *;

-- OAuthAuthorizationCodeGetByIDValid returns an authorization request
-- (for the consent page) only while it is unused and unexpired.
-- name: OAuthAuthorizationCodeGetByIDValid :one
SELECT * FROM oauth_authorization_codes
WHERE id = @id AND NOT used AND expires_at > now();

-- OAuthAuthorizationCodeUpdateTeam sets the team the user chose for a
-- request that is still valid; it counts the requests changed.
-- name: OAuthAuthorizationCodeUpdateTeam :execrows
UPDATE oauth_authorization_codes SET team_id = @team_id
WHERE id = @id AND NOT used AND expires_at > now();

-- OAuthAuthorizationCodeUpdateCode issues the code of an approved request:
-- it replaces the placeholder, only once (a request whose code was issued
-- already is not found) and only while the request is valid. ErrNotFound
-- otherwise.
-- name: OAuthAuthorizationCodeUpdateCode :one
UPDATE oauth_authorization_codes SET code = @code
WHERE id = @id AND NOT used AND expires_at > now() AND starts_with(code, 'pending_')
RETURNING *;

-- OAuthAuthorizationCodeClaim exchanges a code at the token endpoint: in
-- one statement it checks the code is issued (no placeholder), unused,
-- unexpired, of this client and redirect_uri, and that code_verifier
-- matches the stored PKCE challenge (S256: base64url(sha256(verifier))
-- without padding; plain: the verifier itself; any other method never
-- matches), then marks it used and returns it. Two concurrent claims of
-- one code: the row lock lets one through, the other re-checks used and
-- finds nothing. ErrNotFound for every failure, and then nothing changes
-- (as in DeployStack, a wrong verifier does not burn the code).
-- name: OAuthAuthorizationCodeClaim :one
UPDATE oauth_authorization_codes SET used = true
WHERE code = @code AND client_id = @client_id AND redirect_uri = @redirect_uri
  AND NOT used AND expires_at > now() AND NOT starts_with(code, 'pending_')
  AND code_challenge = CASE code_challenge_method
      WHEN 'S256' THEN rtrim(translate(encode(sha256(convert_to(@code_verifier::text, 'UTF8')), 'base64'), '+/', '-_'), '=')
      WHEN 'plain' THEN @code_verifier::text
  END
RETURNING *;

-- OAuthAuthorizationCodeDeleteExpired is the expiry sweep (DeployStack's
-- cleanupExpiredAuthorizationCodes); it counts the rows deleted.
-- name: OAuthAuthorizationCodeDeleteExpired :execrows
DELETE FROM oauth_authorization_codes WHERE expires_at < now();
