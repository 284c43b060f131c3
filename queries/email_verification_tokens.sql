-- Tokens are stored as a hash of their secret (DeployStack: argon2, salted,
-- so no lookup by hash). The link the user receives must carry the token's
-- id next to the secret: the application fetches the token by id, verifies
-- the secret against token_hash, then consumes it with UserUpdateEmailVerifiedByToken
-- (one statement, once). DeployStack instead loads every valid token and
-- verifies each hash until one matches.

-- EmailVerificationTokenInsert issues a token and, in the same statement, deletes the
-- user's earlier ones: a user holds at most one.
-- name: EmailVerificationTokenInsert :one
WITH replaced AS (
    DELETE FROM email_verification_tokens WHERE email_verification_tokens.user_id = @user_id
)
INSERT INTO email_verification_tokens (id, user_id, token_hash, expires_at)
VALUES (@id, @user_id, @token_hash, @expires_at)
RETURNING *;

-- EmailVerificationTokenGetValidByID returns the token if it has not expired.
-- name: EmailVerificationTokenGetValidByID :one
SELECT * FROM email_verification_tokens WHERE id = @id AND expires_at > now();

-- name: EmailVerificationTokenDeleteByUser :execrows
DELETE FROM email_verification_tokens WHERE user_id = @user_id;

-- EmailVerificationTokenDeleteExpired is the sweep.
-- name: EmailVerificationTokenDeleteExpired :execrows
DELETE FROM email_verification_tokens WHERE expires_at <= now();
