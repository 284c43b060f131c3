-- name: McpServerGetByID :one
SELECT * FROM mcp_servers WHERE id = @id;

-- name: McpServerGetBySlug :one
SELECT * FROM mcp_servers WHERE slug = @slug;

-- McpServerListPage returns one page of the servers a user may see, in the
-- catalog's order (featured first, then name, then id), with the filters of
-- DeployStack's catalog API; a nil filter does not filter.
--
-- Visibility: see_all (global admins) sees everything; anyone else sees the
-- global servers and the team servers of team_ids. query is web-search
-- syntax matched against the search document (mcp_servers_search_idx);
-- DeployStack matches LIKE '%term%' on name, description and tags.
--
-- Keyset: the first page has a nil cursor; the next passes the featured,
-- name and id of the previous page's last row. (NOT featured, name, id) is
-- the key of mcp_servers_listing_idx, so the cursor is one index condition.
-- name: McpServerListPage :many
SELECT * FROM mcp_servers
WHERE (@see_all::boolean
       OR visibility = 'global'
       OR (visibility = 'team' AND owner_team_id = ANY(@team_ids::text[])))
  AND (sqlc.narg('visibility')::text IS NULL OR visibility = sqlc.narg('visibility')::text)
  AND (sqlc.narg('owner_team_id')::text IS NULL OR owner_team_id = sqlc.narg('owner_team_id')::text)
  AND (sqlc.narg('category_id')::text IS NULL OR category_id = sqlc.narg('category_id')::text)
  AND (sqlc.narg('status')::text IS NULL OR status = sqlc.narg('status')::text)
  AND (sqlc.narg('featured')::boolean IS NULL OR featured = sqlc.narg('featured')::boolean)
  AND (sqlc.narg('language')::text IS NULL OR language = sqlc.narg('language')::text)
  AND (sqlc.narg('runtime')::text IS NULL OR runtime = sqlc.narg('runtime')::text)
  AND (sqlc.narg('transport_type')::transport_type IS NULL OR transport_type = sqlc.narg('transport_type')::transport_type)
  AND (sqlc.narg('query')::text IS NULL OR search @@ websearch_to_tsquery('english', sqlc.narg('query')::text))
  AND ((NOT featured), name, id) > (NOT coalesce(sqlc.narg('cursor_featured')::boolean, true),
                                    coalesce(sqlc.narg('cursor_name')::text, ''),
                                    coalesce(sqlc.narg('cursor_id')::text, ''))
ORDER BY (NOT featured), name, id
LIMIT @max_rows;

-- McpServerListBySearch ranks the active servers a user may see (visibility as in
-- McpServerListPage) against query, in web-search syntax: best match first
-- (name weighs more than description, description more than tags), the
-- top max_rows of them, through mcp_servers_search_idx.
-- name: McpServerListBySearch :many
SELECT sqlc.embed(mcp_servers),
       ts_rank(search, websearch_to_tsquery('english', @query::text))::real AS rank
FROM mcp_servers
WHERE search @@ websearch_to_tsquery('english', @query::text)
  AND status = 'active'
  AND (@see_all::boolean
       OR visibility = 'global'
       OR (visibility = 'team' AND owner_team_id = ANY(@team_ids::text[])))
ORDER BY rank DESC, id
LIMIT @max_rows;

-- McpServerListAutoInstall returns the global servers installed into every
-- new default team (DeployStack: auto_install_new_default_team).
-- name: McpServerListAutoInstall :many
SELECT * FROM mcp_servers
WHERE auto_install_new_default_team AND visibility = 'global' AND status = 'active'
ORDER BY name, id;

-- McpServerInsert adds a catalog server (DeployStack: createServer, the
-- registry sync). The health columns and the times take their defaults.
-- name: McpServerInsert :one
INSERT INTO mcp_servers (
    id, name, official_name, slug, description, long_description, version, repository_url, repository_source,
    repository_id, repository_subfolder, git_branch, git_commit_sha, website_url, icon_url, language, runtime,
    github_account_id, github_readme_base64, github_stars, packages, remotes, resources, prompts, visibility,
    owner_team_id, created_by, author_name, author_contact, organization, license, transport_type, template_args,
    template_env, template_headers, template_url_query_params, team_args_schema, team_env_schema,
    team_headers_schema, team_url_query_params_schema, user_args_schema, user_env_schema, user_headers_schema,
    user_url_query_params_schema, dependencies, meta_extensions, category_id, tags, status, featured,
    auto_install_new_default_team, source, deployment_source, synced_from_official_registry,
    official_registry_server_id, official_registry_version_id, official_registry_published_at,
    official_registry_updated_at, requires_oauth, skip_oauth_flow, last_sync_at
) VALUES (
    @id::text,
    @name::text,
    sqlc.narg('official_name')::text,
    @slug::text,
    @description::text,
    sqlc.narg('long_description')::text,
    sqlc.narg('version')::text,
    sqlc.narg('repository_url')::text,
    sqlc.narg('repository_source')::text,
    sqlc.narg('repository_id')::text,
    sqlc.narg('repository_subfolder')::text,
    sqlc.narg('git_branch')::text,
    sqlc.narg('git_commit_sha')::text,
    sqlc.narg('website_url')::text,
    sqlc.narg('icon_url')::text,
    @language::text,
    @runtime::text,
    sqlc.narg('github_account_id')::text,
    sqlc.narg('github_readme_base64')::text,
    sqlc.narg('github_stars')::integer,
    sqlc.narg('packages')::jsonb,
    sqlc.narg('remotes')::jsonb,
    sqlc.narg('resources')::jsonb,
    sqlc.narg('prompts')::jsonb,
    @visibility::text,
    sqlc.narg('owner_team_id')::text,
    @created_by::text,
    sqlc.narg('author_name')::text,
    sqlc.narg('author_contact')::text,
    sqlc.narg('organization')::text,
    sqlc.narg('license')::text,
    @transport_type::transport_type,
    sqlc.narg('template_args')::jsonb,
    sqlc.narg('template_env')::jsonb,
    sqlc.narg('template_headers')::jsonb,
    sqlc.narg('template_url_query_params')::jsonb,
    sqlc.narg('team_args_schema')::jsonb,
    sqlc.narg('team_env_schema')::jsonb,
    sqlc.narg('team_headers_schema')::jsonb,
    sqlc.narg('team_url_query_params_schema')::jsonb,
    sqlc.narg('user_args_schema')::jsonb,
    sqlc.narg('user_env_schema')::jsonb,
    sqlc.narg('user_headers_schema')::jsonb,
    sqlc.narg('user_url_query_params_schema')::jsonb,
    sqlc.narg('dependencies')::jsonb,
    sqlc.narg('meta_extensions')::jsonb,
    sqlc.narg('category_id')::text,
    sqlc.narg('tags')::jsonb,
    @status::text,
    @featured::boolean,
    @auto_install_new_default_team::boolean,
    @source::mcp_server_source,
    sqlc.narg('deployment_source')::text,
    @synced_from_official_registry::boolean,
    sqlc.narg('official_registry_server_id')::text,
    sqlc.narg('official_registry_version_id')::text,
    sqlc.narg('official_registry_published_at')::timestamptz,
    sqlc.narg('official_registry_updated_at')::timestamptz,
    @requires_oauth::boolean,
    @skip_oauth_flow::boolean,
    sqlc.narg('last_sync_at')::timestamptz
)
RETURNING *;

-- McpServerUpdate changes the given fields of a server and bumps
-- updated_at; a nil (NULL) field keeps its value, so one statement serves
-- every partial edit DeployStack makes with a read and a write.
-- name: McpServerUpdate :one
UPDATE mcp_servers SET
    name = coalesce(sqlc.narg('name')::text, name),
    official_name = coalesce(sqlc.narg('official_name')::text, official_name),
    description = coalesce(sqlc.narg('description')::text, description),
    long_description = coalesce(sqlc.narg('long_description')::text, long_description),
    version = coalesce(sqlc.narg('version')::text, version),
    repository_url = coalesce(sqlc.narg('repository_url')::text, repository_url),
    repository_source = coalesce(sqlc.narg('repository_source')::text, repository_source),
    repository_id = coalesce(sqlc.narg('repository_id')::text, repository_id),
    repository_subfolder = coalesce(sqlc.narg('repository_subfolder')::text, repository_subfolder),
    git_branch = coalesce(sqlc.narg('git_branch')::text, git_branch),
    git_commit_sha = coalesce(sqlc.narg('git_commit_sha')::text, git_commit_sha),
    website_url = coalesce(sqlc.narg('website_url')::text, website_url),
    icon_url = coalesce(sqlc.narg('icon_url')::text, icon_url),
    language = coalesce(sqlc.narg('language')::text, language),
    runtime = coalesce(sqlc.narg('runtime')::text, runtime),
    github_account_id = coalesce(sqlc.narg('github_account_id')::text, github_account_id),
    github_readme_base64 = coalesce(sqlc.narg('github_readme_base64')::text, github_readme_base64),
    github_stars = coalesce(sqlc.narg('github_stars')::integer, github_stars),
    packages = coalesce(sqlc.narg('packages')::jsonb, packages),
    remotes = coalesce(sqlc.narg('remotes')::jsonb, remotes),
    resources = coalesce(sqlc.narg('resources')::jsonb, resources),
    prompts = coalesce(sqlc.narg('prompts')::jsonb, prompts),
    visibility = coalesce(sqlc.narg('visibility')::text, visibility),
    owner_team_id = coalesce(sqlc.narg('owner_team_id')::text, owner_team_id),
    author_name = coalesce(sqlc.narg('author_name')::text, author_name),
    author_contact = coalesce(sqlc.narg('author_contact')::text, author_contact),
    organization = coalesce(sqlc.narg('organization')::text, organization),
    license = coalesce(sqlc.narg('license')::text, license),
    transport_type = coalesce(sqlc.narg('transport_type')::transport_type, transport_type),
    template_args = coalesce(sqlc.narg('template_args')::jsonb, template_args),
    template_env = coalesce(sqlc.narg('template_env')::jsonb, template_env),
    template_headers = coalesce(sqlc.narg('template_headers')::jsonb, template_headers),
    template_url_query_params = coalesce(sqlc.narg('template_url_query_params')::jsonb, template_url_query_params),
    team_args_schema = coalesce(sqlc.narg('team_args_schema')::jsonb, team_args_schema),
    team_env_schema = coalesce(sqlc.narg('team_env_schema')::jsonb, team_env_schema),
    team_headers_schema = coalesce(sqlc.narg('team_headers_schema')::jsonb, team_headers_schema),
    team_url_query_params_schema = coalesce(sqlc.narg('team_url_query_params_schema')::jsonb, team_url_query_params_schema),
    user_args_schema = coalesce(sqlc.narg('user_args_schema')::jsonb, user_args_schema),
    user_env_schema = coalesce(sqlc.narg('user_env_schema')::jsonb, user_env_schema),
    user_headers_schema = coalesce(sqlc.narg('user_headers_schema')::jsonb, user_headers_schema),
    user_url_query_params_schema = coalesce(sqlc.narg('user_url_query_params_schema')::jsonb, user_url_query_params_schema),
    dependencies = coalesce(sqlc.narg('dependencies')::jsonb, dependencies),
    meta_extensions = coalesce(sqlc.narg('meta_extensions')::jsonb, meta_extensions),
    category_id = coalesce(sqlc.narg('category_id')::text, category_id),
    tags = coalesce(sqlc.narg('tags')::jsonb, tags),
    status = coalesce(sqlc.narg('status')::text, status),
    featured = coalesce(sqlc.narg('featured')::boolean, featured),
    auto_install_new_default_team = coalesce(sqlc.narg('auto_install_new_default_team')::boolean, auto_install_new_default_team),
    source = coalesce(sqlc.narg('source')::mcp_server_source, source),
    deployment_source = coalesce(sqlc.narg('deployment_source')::text, deployment_source),
    synced_from_official_registry = coalesce(sqlc.narg('synced_from_official_registry')::boolean, synced_from_official_registry),
    official_registry_server_id = coalesce(sqlc.narg('official_registry_server_id')::text, official_registry_server_id),
    official_registry_version_id = coalesce(sqlc.narg('official_registry_version_id')::text, official_registry_version_id),
    official_registry_published_at = coalesce(sqlc.narg('official_registry_published_at')::timestamptz, official_registry_published_at),
    official_registry_updated_at = coalesce(sqlc.narg('official_registry_updated_at')::timestamptz, official_registry_updated_at),
    requires_oauth = coalesce(sqlc.narg('requires_oauth')::boolean, requires_oauth),
    skip_oauth_flow = coalesce(sqlc.narg('skip_oauth_flow')::boolean, skip_oauth_flow),
    last_sync_at = coalesce(sqlc.narg('last_sync_at')::timestamptz, last_sync_at),
    updated_at = now()
WHERE id = @id
RETURNING *;

-- McpServerUpdateHealth records a health check of a remote server.
-- name: McpServerUpdateHealth :execrows
UPDATE mcp_servers
SET health_status = @health_status, health_check_error = sqlc.narg('health_check_error'),
    last_health_check_at = now(), updated_at = now()
WHERE id = @id;

-- McpServerDelete removes a server; its versions, installations and pending
-- flows go with it (ON DELETE CASCADE).
-- name: McpServerDelete :execrows
DELETE FROM mcp_servers WHERE id = @id;
