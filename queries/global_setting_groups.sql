-- name: GlobalSettingGroupInsert :one
INSERT INTO global_setting_groups (id, name, description, icon, sort_order)
VALUES (@id, @name, sqlc.narg('description'), sqlc.narg('icon'), @sort_order)
RETURNING *;

-- GlobalSettingGroupUpsert creates a group or refreshes its name,
-- description, icon and order: DeployStack re-registers its groups at every
-- start.
-- name: GlobalSettingGroupUpsert :one
INSERT INTO global_setting_groups (id, name, description, icon, sort_order)
VALUES (@id, @name, sqlc.narg('description'), sqlc.narg('icon'), @sort_order)
ON CONFLICT (id) DO UPDATE
SET name        = excluded.name,
    description = excluded.description,
    icon        = excluded.icon,
    sort_order  = excluded.sort_order,
    updated_at  = now()
RETURNING *;

-- name: GlobalSettingGroupGetByID :one
SELECT * FROM global_setting_groups WHERE id = @id;

-- name: GlobalSettingGroupList :many
SELECT * FROM global_setting_groups ORDER BY sort_order, name, id;

-- GlobalSettingGroupUpdate changes the fields given (nil keeps the value).
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
