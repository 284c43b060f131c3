-- McpCategoryInsert adds a catalog category.
-- name: McpCategoryInsert :one
INSERT INTO mcp_categories (id, name, description, icon, sort_order)
VALUES (@id, @name, sqlc.narg('description'), sqlc.narg('icon'), @sort_order)
RETURNING *;

-- name: McpCategoryGetByID :one
SELECT * FROM mcp_categories WHERE id = @id;

-- McpCategoryList returns every category in the catalog's order: sort_order,
-- then name (unique) so the order is total.
-- name: McpCategoryList :many
SELECT * FROM mcp_categories ORDER BY sort_order, name;

-- McpCategoryUpdate replaces a category's fields.
-- name: McpCategoryUpdate :one
UPDATE mcp_categories
SET name = @name, description = sqlc.narg('description'), icon = sqlc.narg('icon'), sort_order = @sort_order
WHERE id = @id
RETURNING *;

-- McpCategoryDelete removes a category; a server still in it makes the
-- foreign key (ON DELETE NO ACTION) refuse, as in DeployStack.
-- name: McpCategoryDelete :execrows
DELETE FROM mcp_categories WHERE id = @id;
