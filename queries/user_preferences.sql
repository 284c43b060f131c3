-- user_preferences has no unique key in DeployStack (its
-- user_preferences_unique_user_key index is not unique), so real data may
-- hold a key twice for a user. Reads take the newest row of a key; writes
-- touch every row of it. Values are text, as DeployStack stores them.

-- UserPreferenceInsertMany stores a new user's defaults in one statement:
-- element i of each array is one preference.
-- name: UserPreferenceInsertMany :execrows
INSERT INTO user_preferences (id, user_id, preference_key, preference_value)
SELECT p.id, @user_id, p.preference_key, p.preference_value
FROM ROWS FROM (unnest(@ids::text[]), unnest(@preference_keys::text[]), unnest(@preference_values::text[]))
     AS p(id, preference_key, preference_value);

-- name: UserPreferenceGetByUserAndKey :one
SELECT * FROM user_preferences
WHERE user_id = @user_id AND preference_key = @preference_key
ORDER BY updated_at DESC, id DESC
LIMIT 1;

-- UserPreferenceListByUser is every preference of the user, each key once
-- (the newest row), by key.
-- name: UserPreferenceListByUser :many
SELECT DISTINCT ON (preference_key) *
FROM user_preferences
WHERE user_id = @user_id
ORDER BY preference_key, updated_at DESC, id DESC;

-- UserPreferenceUpsert sets a preference in one statement: it updates every
-- row of the key, or inserts one (with id) when there is none, and returns
-- the row. With no unique key there is no ON CONFLICT: two first writes of
-- the same key racing may both insert, as in DeployStack; reads then take
-- the newest.
-- name: UserPreferenceUpsert :one
WITH updated AS (
    UPDATE user_preferences
    SET preference_value = @preference_value, updated_at = now()
    WHERE user_preferences.user_id = @user_id AND user_preferences.preference_key = @preference_key
    RETURNING *
), inserted AS (
    INSERT INTO user_preferences (id, user_id, preference_key, preference_value)
    SELECT @id::text, @user_id::text, @preference_key::text, @preference_value::text
    WHERE NOT EXISTS (SELECT 1 FROM updated)
    RETURNING *
)
SELECT * FROM inserted
UNION ALL
(SELECT * FROM updated ORDER BY id LIMIT 1);

-- name: UserPreferenceDeleteByUserAndKey :execrows
DELETE FROM user_preferences WHERE user_id = @user_id AND preference_key = @preference_key;
