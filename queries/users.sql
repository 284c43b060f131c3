-- DeployStack lowercases every email it writes and looks up; stackdb does the
-- same in SQL, so a caller cannot forget. Lookups match lower(email)
-- (users_lower_email_idx), so rows imported with other cases are found too.

-- name: UserInsert :one
INSERT INTO users (id, username, email, auth_type, first_name, last_name, github_id, hashed_password, role_id, email_verified)
VALUES (@id, @username, lower(@email), @auth_type, sqlc.narg('first_name'), sqlc.narg('last_name'),
        sqlc.narg('github_id'), sqlc.narg('hashed_password'), sqlc.narg('role_id'), @email_verified)
RETURNING *;

-- name: UserGetByID :one
SELECT * FROM users WHERE id = @id;

-- UserGetByEmail matches case-insensitively. Should two rows differ only in
-- case (possible in imported data: the real unique key is on email as
-- written), the oldest id wins.
-- name: UserGetByEmail :one
SELECT * FROM users WHERE lower(email) = lower(@email) ORDER BY id LIMIT 1;

-- UserGetByLogin is the email login: login is an email (any case) or a
-- username. An email match wins over a username match; usernames are not
-- unique, so among equals the oldest id wins.
-- name: UserGetByLogin :one
SELECT * FROM users
WHERE lower(email) = lower(@login) OR username = @login
ORDER BY lower(email) = lower(@login) DESC, id
LIMIT 1;

-- name: UserGetByGithubID :one
SELECT * FROM users WHERE github_id = @github_id::text;

-- UserList is the admin list: every user with their role's name (nil: no
-- role), by username.
-- name: UserList :many
SELECT sqlc.embed(users), roles.name AS role_name
FROM users LEFT JOIN roles ON roles.id = users.role_id
ORDER BY users.username, users.id;

-- name: UserListByRole :many
SELECT * FROM users WHERE role_id = @role_id::text ORDER BY username, id;

-- UserCount counts every user: the first to register becomes the global
-- administrator.
-- name: UserCount :one
SELECT count(*) FROM users;

-- UserCountByRole counts the users of each role (role_id nil: users without
-- one), e.g. to refuse removing the last global administrator.
-- name: UserCountByRole :many
SELECT role_id, count(*) AS users FROM users GROUP BY role_id ORDER BY role_id NULLS FIRST;

-- UserUpdateProfile changes the fields given (nil keeps the value) and
-- returns the user; the email is lowercased.
-- name: UserUpdateProfile :one
UPDATE users
SET username   = coalesce(sqlc.narg('username'), username),
    email      = coalesce(lower(sqlc.narg('email')), email),
    first_name = coalesce(sqlc.narg('first_name'), first_name),
    last_name  = coalesce(sqlc.narg('last_name'), last_name)
WHERE id = @id
RETURNING *;

-- UserUpdateRole assigns a role (nil: none).
-- name: UserUpdateRole :execrows
UPDATE users SET role_id = sqlc.narg('role_id') WHERE id = @id;

-- UserUpdatePassword stores a new password hash (the caller hashes).
-- name: UserUpdatePassword :execrows
UPDATE users SET hashed_password = @hashed_password WHERE id = @id;

-- name: UserUpdateEmailVerified :execrows
UPDATE users SET email_verified = @email_verified WHERE id = @id;

-- UserUpdateGithubID links a GitHub account to an existing user (sign-in
-- with GitHub under a known email).
-- name: UserUpdateGithubID :execrows
UPDATE users SET github_id = sqlc.narg('github_id') WHERE id = @id;

-- UserDelete removes the user with their sessions, keys, tokens, teams they
-- own and memberships (ON DELETE CASCADE); audit entries keep a NULL actor.
-- name: UserDelete :execrows
DELETE FROM users WHERE id = @id;

-- UserUpdateEmailVerifiedByToken consumes an email verification token and
-- marks its user verified, in one statement: the token is deleted only if it
-- has not expired, so it verifies once, whoever races for it. The caller
-- checks the secret against the token's hash first
-- (EmailVerificationTokenGetValidByID). ErrNotFound: no such valid token.
-- name: UserUpdateEmailVerifiedByToken :one
WITH token AS (
    DELETE FROM email_verification_tokens
    WHERE email_verification_tokens.id = @token_id AND email_verification_tokens.expires_at > now()
    RETURNING user_id
)
UPDATE users SET email_verified = true
FROM token
WHERE users.id = token.user_id
RETURNING users.*;

-- UserUpdatePasswordByResetToken consumes a password reset token, stores
-- the new hash and signs the user out everywhere, in one statement. Only an
-- unexpired token of an email_signup user is consumed (others stay, as in
-- DeployStack); it resets once, whoever races for it. The caller checks the
-- secret against the token's hash first (PasswordResetTokenGetValidByID).
-- ErrNotFound: no such valid token.
-- name: UserUpdatePasswordByResetToken :one
WITH token AS (
    DELETE FROM password_reset_tokens t
    WHERE t.id = @token_id AND t.expires_at > now()
      AND EXISTS (SELECT 1 FROM users u WHERE u.id = t.user_id AND u.auth_type = 'email_signup')
    RETURNING t.user_id
), signed_out AS (
    DELETE FROM sessions USING token WHERE sessions.user_id = token.user_id
)
UPDATE users SET hashed_password = @hashed_password
FROM token
WHERE users.id = token.user_id
RETURNING users.*;
