-- Tokens are stored as a hash of their secret (DeployStack: argon2, salted,
-- so no lookup by hash). The link the user receives must carry the token's
-- id next to the secret: the application fetches the token by id, verifies
-- the secret against token_hash, then consumes it with UserUpdatePasswordByResetToken
-- (one statement, once). DeployStack instead loads every valid token and
-- verifies each hash until one matches.

-- PasswordResetTokenInsert issues a token and, in the same statement, deletes the
-- user's earlier ones: a user holds at most one.
-- name: PasswordResetTokenInsert :one
WITH replaced AS (
    DELETE FROM password_reset_tokens WHERE password_reset_tokens.user_id = @user_id
)
INSERT INTO password_reset_tokens (id, user_id, token_hash, expires_at)
VALUES (@id, @user_id, @token_hash, @expires_at)
RETURNING *;

-- PasswordResetTokenGetValidByID returns the token if it has not expired.
-- name: PasswordResetTokenGetValidByID :one
SELECT * FROM password_reset_tokens WHERE id = @id AND expires_at > now();

-- name: PasswordResetTokenDeleteByUser :execrows
DELETE FROM password_reset_tokens WHERE user_id = @user_id;

-- PasswordResetTokenDeleteExpired is the sweep.
-- name: PasswordResetTokenDeleteExpired :execrows
DELETE FROM password_reset_tokens WHERE expires_at <= now();
