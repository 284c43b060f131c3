-- name: McpCategoryCreate :one
INSERT INTO mcp_categories (id, name, description, icon, sort_order)
VALUES (@id, @name, sqlc.narg('description'), sqlc.narg('icon'), @sort_order)
RETURNING *;

-- name: McpCategoryGetByID :one
SELECT * FROM mcp_categories WHERE id = @id;

-- name: McpCategoryList :many
SELECT * FROM mcp_categories ORDER BY sort_order, name;

-- name: McpCategoryUpdate :execrows
UPDATE mcp_categories
SET name        = coalesce(sqlc.narg('name'), name),
    description = coalesce(sqlc.narg('description'), description),
    icon        = coalesce(sqlc.narg('icon'), icon),
    sort_order  = coalesce(sqlc.narg('sort_order'), sort_order)
WHERE id = @id;

-- McpCategoryDelete fails with a foreign key violation while servers are
-- still in the category.
-- name: McpCategoryDelete :execrows
DELETE FROM mcp_categories WHERE id = @id;
