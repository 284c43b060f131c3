-- A setting's value is text; when is_encrypted it is the application's
-- ciphertext, which stackdb stores and returns untouched.

-- name: GlobalSettingInsert :one
INSERT INTO global_settings (key, name, value, type, description, is_encrypted, group_id)
VALUES (@key, sqlc.narg('name'), @value, @type, sqlc.narg('description'), @is_encrypted, sqlc.narg('group_id'))
RETURNING *;

-- GlobalSettingUpsert sets a setting, creating it if it is missing.
-- name: GlobalSettingUpsert :one
INSERT INTO global_settings (key, name, value, type, description, is_encrypted, group_id)
VALUES (@key, sqlc.narg('name'), @value, @type, sqlc.narg('description'), @is_encrypted, sqlc.narg('group_id'))
ON CONFLICT (key) DO UPDATE
SET name         = excluded.name,
    value        = excluded.value,
    type         = excluded.type,
    description  = excluded.description,
    is_encrypted = excluded.is_encrypted,
    group_id     = excluded.group_id,
    updated_at   = now()
RETURNING *;

-- GlobalSettingGetByKey looks a setting up by its primary key.
-- name: GlobalSettingGetByKey :one
SELECT * FROM global_settings WHERE key = @key;

-- name: GlobalSettingList :many
SELECT * FROM global_settings ORDER BY key;

-- name: GlobalSettingListByGroup :many
SELECT * FROM global_settings WHERE group_id = @group_id::text ORDER BY key;

-- GlobalSettingListGrouped is every setting that belongs to a group, in the
-- groups' order (sort_order, name), then by key: with GlobalSettingGroupList
-- it is the settings page in two round trips (DeployStack: one query per
-- group).
-- name: GlobalSettingListGrouped :many
SELECT global_settings.*
FROM global_settings
JOIN global_setting_groups g ON g.id = global_settings.group_id
ORDER BY g.sort_order, g.name, g.id, global_settings.key;

-- GlobalSettingUpdate changes the fields given (nil keeps the value) and
-- returns the setting. A new value comes with its is_encrypted.
-- name: GlobalSettingUpdate :one
UPDATE global_settings
SET name         = coalesce(sqlc.narg('name'), name),
    value        = coalesce(sqlc.narg('value'), value),
    is_encrypted = coalesce(sqlc.narg('is_encrypted'), is_encrypted),
    type         = coalesce(sqlc.narg('type'), type),
    description  = coalesce(sqlc.narg('description'), description),
    group_id     = coalesce(sqlc.narg('group_id'), group_id),
    updated_at   = now()
WHERE key = @key
RETURNING *;

-- GlobalSettingUpdateValue changes a value only, as the settings page does.
-- name: GlobalSettingUpdateValue :execrows
UPDATE global_settings SET value = @value, updated_at = now() WHERE key = @key;

-- name: GlobalSettingDelete :execrows
DELETE FROM global_settings WHERE key = @key;

-- GlobalSettingInsertManyIfMissing is the start-up initialisation of the
-- defaults, in one statement: element i of every array is one setting. Keys
-- that already exist are skipped, never overwritten (an administrator's
-- value survives restarts); rows affected counts the settings inserted. An
-- empty name, description or group id is NULL. All arrays must have the
-- same length: ROWS FROM pads a shorter one with NULLs, and a NULL key,
-- value, type or is_encrypted fails the insert with a not-null error.
-- name: GlobalSettingInsertManyIfMissing :execrows
INSERT INTO global_settings (key, name, value, type, description, is_encrypted, group_id)
SELECT d.key, nullif(d.name, ''), d.value, d.type, nullif(d.description, ''), d.is_encrypted, nullif(d.group_id, '')
FROM ROWS FROM (unnest(@keys::text[]), unnest(@names::text[]), unnest(@values::text[]), unnest(@types::text[]),
                unnest(@descriptions::text[]), unnest(@is_encrypted::boolean[]), unnest(@group_ids::text[]))
     AS d(key, name, value, type, description, is_encrypted, group_id)
ON CONFLICT (key) DO NOTHING;
