-- McpServerCreate: nil tags store an empty array.
-- name: McpServerCreate :one
INSERT INTO mcp_servers (id, name, slug, description, long_description, github_url, language, runtime, status,
                         visibility, owner_team_id, category_id, tags, environment_variables, metadata, featured,
                         created_by)
VALUES (@id, @name, @slug, @description, sqlc.narg('long_description'), sqlc.narg('github_url'), @language, @runtime,
        @status, @visibility, sqlc.narg('owner_team_id'), sqlc.narg('category_id'),
        coalesce(sqlc.narg('tags')::jsonb, '[]'::jsonb), sqlc.narg('environment_variables')::jsonb,
        sqlc.narg('metadata')::jsonb, @featured, sqlc.narg('created_by'))
RETURNING *;

-- name: McpServerGetByID :one
SELECT * FROM mcp_servers WHERE id = @id;

-- name: McpServerGetBySlug :one
SELECT * FROM mcp_servers WHERE slug = @slug;

-- McpServerListFeatured returns the featured servers by name (partial index
-- mcp_servers_featured_idx).
-- name: McpServerListFeatured :many
SELECT * FROM mcp_servers WHERE featured ORDER BY name, id;

-- McpServerSearch is the catalog search, one page at a time.
--
-- query is web-search syntax (websearch_to_tsquery: words, "quoted phrase",
-- or, -word) matched against the generated column search (GIN index
-- mcp_servers_search_idx): name (weight A), description (B), tags (C).
--
-- Rank is ts_rank, not ts_rank_cd: for each word ts_rank counts the
-- best-weighted occurrence fully and further ones with quickly diminishing
-- weight, so a name match outranks any number of description-only mentions,
-- which outrank tag-only matches (ts_rank_cd adds occurrences up: four
-- mentions in a description beat one in the name).
--
-- An empty query, or one of stop words only ("the"), has no lexemes: it
-- matches every server with rank 0, so the page lists the catalog by name.
--
-- Filters, each ignored when nil: category_id; status; tags, a JSON array
-- the server's tags must all contain (`@>`, index mcp_servers_tags_idx).
--
-- Order: rank DESC, name, id. Keyset pagination: the first page passes nil
-- after_rank, after_name and after_id; each next page passes the rank, name
-- and id of the previous page's last row. Every page ranks all matches
-- again; the keyset keeps pages consistent while the catalog changes.
-- name: McpServerSearch :many
SELECT sqlc.embed(mcp_servers), ranked.rank::real AS rank
FROM mcp_servers
CROSS JOIN LATERAL (
    SELECT CASE
               WHEN numnode(websearch_to_tsquery('english', @query::text)) = 0 THEN 0::real
               ELSE ts_rank(mcp_servers.search, websearch_to_tsquery('english', @query::text))
           END AS rank
) AS ranked
WHERE (numnode(websearch_to_tsquery('english', @query::text)) = 0
       OR search @@ websearch_to_tsquery('english', @query::text))
  AND (sqlc.narg('category_id')::text IS NULL OR category_id = sqlc.narg('category_id')::text)
  AND (sqlc.narg('status')::mcp_server_status IS NULL OR status = sqlc.narg('status')::mcp_server_status)
  AND (sqlc.narg('tags')::jsonb IS NULL OR tags @> sqlc.narg('tags')::jsonb)
  AND (sqlc.narg('after_id')::text IS NULL
       OR ranked.rank < sqlc.narg('after_rank')::real
       OR (ranked.rank = sqlc.narg('after_rank')::real
           AND (name, id) > (sqlc.narg('after_name')::text, sqlc.narg('after_id')::text)))
ORDER BY ranked.rank DESC, name, id
LIMIT @max_rows::int;

-- McpServerUpdate changes the non-nil fields and bumps updated_at. Nullable
-- columns cannot be cleared through it (nil means unchanged).
-- name: McpServerUpdate :execrows
UPDATE mcp_servers
SET name                  = coalesce(sqlc.narg('name'), name),
    slug                  = coalesce(sqlc.narg('slug'), slug),
    description           = coalesce(sqlc.narg('description'), description),
    long_description      = coalesce(sqlc.narg('long_description'), long_description),
    github_url            = coalesce(sqlc.narg('github_url'), github_url),
    language              = coalesce(sqlc.narg('language'), language),
    runtime               = coalesce(sqlc.narg('runtime'), runtime),
    status                = coalesce(sqlc.narg('status')::mcp_server_status, status),
    visibility            = coalesce(sqlc.narg('visibility')::mcp_server_visibility, visibility),
    owner_team_id         = coalesce(sqlc.narg('owner_team_id'), owner_team_id),
    category_id           = coalesce(sqlc.narg('category_id'), category_id),
    tags                  = coalesce(sqlc.narg('tags')::jsonb, tags),
    environment_variables = coalesce(sqlc.narg('environment_variables')::jsonb, environment_variables),
    metadata              = coalesce(sqlc.narg('metadata')::jsonb, metadata),
    featured              = coalesce(sqlc.narg('featured'), featured),
    updated_at            = now()
WHERE id = @id;

-- McpServerDelete also deletes the server's installations (cascade).
-- name: McpServerDelete :execrows
DELETE FROM mcp_servers WHERE id = @id;
