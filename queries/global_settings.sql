-- name: GlobalSettingGroupCreate :one
INSERT INTO global_setting_groups (id, name, description, icon, sort_order)
VALUES (@id, @name, sqlc.narg('description'), sqlc.narg('icon'), @sort_order)
RETURNING *;

-- name: GlobalSettingGroupGet :one
SELECT * FROM global_setting_groups WHERE id = @id;

-- name: GlobalSettingGroupList :many
SELECT * FROM global_setting_groups ORDER BY sort_order, name, id;

-- name: GlobalSettingGroupUpdate :execrows
UPDATE global_setting_groups
SET name        = coalesce(sqlc.narg('name'), name),
    description = coalesce(sqlc.narg('description'), description),
    icon        = coalesce(sqlc.narg('icon'), icon),
    sort_order  = coalesce(sqlc.narg('sort_order'), sort_order),
    updated_at  = now()
WHERE id = @id;

-- GlobalSettingGroupDelete fails with a foreign key error while settings
-- still belong to the group.
-- name: GlobalSettingGroupDelete :execrows
DELETE FROM global_setting_groups WHERE id = @id;

-- name: GlobalSettingCreate :one
INSERT INTO global_settings (key, value, type, description, is_encrypted, group_id)
VALUES (@key, @value, @type, sqlc.narg('description'), @is_encrypted, sqlc.narg('group_id'))
RETURNING *;

-- name: GlobalSettingGet :one
SELECT * FROM global_settings WHERE key = @key;

-- name: GlobalSettingList :many
SELECT * FROM global_settings ORDER BY key;

-- name: GlobalSettingListByGroup :many
SELECT * FROM global_settings WHERE group_id = @group_id::text ORDER BY key;

-- name: GlobalSettingUpdateValue :execrows
UPDATE global_settings SET value = @value, updated_at = now() WHERE key = @key;

-- name: GlobalSettingDelete :execrows
DELETE FROM global_settings WHERE key = @key;

-- GlobalSettingInitDefaults inserts a whole set of default settings in one
-- statement: element i of every array is one setting. Keys that already
-- exist are skipped, never overwritten; the result counts the settings
-- inserted. types holds setting_type names; an empty description or group id
-- is NULL. All arrays must have the same length (a short keys, values, types
-- or is_encrypted array fails with a not-null error). ROWS FROM (unnest(a),
-- unnest(b), ...) is unnest(a, b, ...) in a form sqlc's catalog knows; both
-- pad shorter arrays with NULLs.
-- name: GlobalSettingInitDefaults :execrows
INSERT INTO global_settings (key, value, type, description, is_encrypted, group_id)
SELECT d.key, d.value, d.type::setting_type, nullif(d.description, ''), d.is_encrypted, nullif(d.group_id, '')
FROM ROWS FROM (unnest(@keys::text[]), unnest(@values::text[]), unnest(@types::text[]),
                unnest(@descriptions::text[]), unnest(@is_encrypted::boolean[]), unnest(@group_ids::text[]))
     AS d(key, value, type, description, is_encrypted, group_id)
ON CONFLICT (key) DO NOTHING;
