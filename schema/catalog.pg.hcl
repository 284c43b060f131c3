// The MCP server catalog: categories, servers, versions (mcp-catalog.ts).
// Generated once from DeployStack's real model; edit by hand from here on.

enum "transport_type" {
  schema = schema.public
  values = ["stdio", "http", "sse"]
}

enum "mcp_server_source" {
  schema = schema.public
  values = ["official_registry", "manual", "github"]
}

// DeployStack: mcpCategories.
table "mcp_categories" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "name" {
    type = text
  }
  column "description" {
    type = text
    null = true
  }
  column "icon" {
    type = text
    null = true
  }
  column "sort_order" {
    type    = integer
    default = 0
  }
  column "created_at" {
    type    = timestamptz
    default = sql("now()")
  }
  primary_key {
    columns = [column.id]
  }
  index "mcp_categories_name_key" {
    unique  = true
    columns = [column.name]
  }
}

// DeployStack: mcpServers.
table "mcp_servers" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "name" {
    type = text
  }
  column "official_name" {
    type = text
    null = true
  }
  column "slug" {
    type = text
  }
  column "description" {
    type = text
  }
  column "long_description" {
    type = text
    null = true
  }
  column "version" {
    type = text
    null = true
  }
  column "repository_url" {
    type = text
    null = true
  }
  column "repository_source" {
    type = text
    null = true
  }
  column "repository_id" {
    type = text
    null = true
  }
  column "repository_subfolder" {
    type = text
    null = true
  }
  column "git_branch" {
    type = text
    null = true
  }
  column "git_commit_sha" {
    type = text
    null = true
  }
  column "website_url" {
    type = text
    null = true
  }
  column "icon_url" {
    type = text
    null = true
  }
  column "language" {
    type = text
  }
  column "runtime" {
    type = text
  }
  column "github_account_id" {
    type = text
    null = true
  }
  column "github_readme_base64" {
    type = text
    null = true
  }
  column "github_stars" {
    type = integer
    null = true
  }
  column "packages" {
    type = jsonb
    null = true
  }
  column "remotes" {
    type = jsonb
    null = true
  }
  column "resources" {
    type = jsonb
    null = true
  }
  column "prompts" {
    type = jsonb
    null = true
  }
  column "visibility" {
    type    = text
    default = "team"
  }
  column "owner_team_id" {
    type = text
    null = true
  }
  column "created_by" {
    type = text
  }
  column "author_name" {
    type = text
    null = true
  }
  column "author_contact" {
    type = text
    null = true
  }
  column "organization" {
    type = text
    null = true
  }
  column "license" {
    type = text
    null = true
  }
  column "transport_type" {
    type    = enum.transport_type
    default = "stdio"
  }
  column "template_args" {
    type = jsonb
    null = true
  }
  column "template_env" {
    type = jsonb
    null = true
  }
  column "template_headers" {
    type = jsonb
    null = true
  }
  column "template_url_query_params" {
    type = jsonb
    null = true
  }
  column "team_args_schema" {
    type = jsonb
    null = true
  }
  column "team_env_schema" {
    type = jsonb
    null = true
  }
  column "team_headers_schema" {
    type = jsonb
    null = true
  }
  column "team_url_query_params_schema" {
    type = jsonb
    null = true
  }
  column "user_args_schema" {
    type = jsonb
    null = true
  }
  column "user_env_schema" {
    type = jsonb
    null = true
  }
  column "user_headers_schema" {
    type = jsonb
    null = true
  }
  column "user_url_query_params_schema" {
    type = jsonb
    null = true
  }
  column "dependencies" {
    type = jsonb
    null = true
  }
  column "meta_extensions" {
    type = jsonb
    null = true
  }
  column "category_id" {
    type = text
    null = true
  }
  column "tags" {
    type = jsonb
    null = true
  }
  column "status" {
    type    = text
    default = "active"
  }
  column "featured" {
    type    = boolean
    default = false
  }
  column "auto_install_new_default_team" {
    type    = boolean
    default = false
  }
  column "source" {
    type    = enum.mcp_server_source
    default = "manual"
  }
  column "deployment_source" {
    type = text
    null = true
  }
  column "synced_from_official_registry" {
    type    = boolean
    default = false
  }
  column "official_registry_server_id" {
    type = text
    null = true
  }
  column "official_registry_version_id" {
    type = text
    null = true
  }
  column "official_registry_published_at" {
    type = timestamptz
    null = true
  }
  column "official_registry_updated_at" {
    type = timestamptz
    null = true
  }
  column "requires_oauth" {
    type    = boolean
    default = false
  }
  column "skip_oauth_flow" {
    type    = boolean
    default = false
  }
  column "health_status" {
    type    = text
    default = "unknown"
  }
  column "last_health_check_at" {
    type = timestamptz
    null = true
  }
  column "health_check_error" {
    type = text
    null = true
  }
  column "created_at" {
    type    = timestamptz
    default = sql("now()")
  }
  column "updated_at" {
    type    = timestamptz
    default = sql("now()")
  }
  column "last_sync_at" {
    type = timestamptz
    null = true
  }
  // stackdb: the full-text search document, kept by Postgres: name (weight
  // A), description (B), tags (C). Stored, so ranking reads it instead of
  // recomputing it per row; DeployStack searches with LIKE '%term%' instead.
  column "search" {
    type = tsvector
    as {
      expr = "setweight(to_tsvector('english'::regconfig, name), 'A') || setweight(to_tsvector('english'::regconfig, description), 'B') || setweight(jsonb_to_tsvector('english'::regconfig, COALESCE(tags, '[]'::jsonb), '[\"string\"]'::jsonb), 'C')"
      type = STORED
    }
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "mcp_servers_owner_team_id_fkey" {
    columns     = [column.owner_team_id]
    ref_columns = [table.teams.column.id]
    on_delete   = CASCADE
  }
  foreign_key "mcp_servers_created_by_fkey" {
    columns     = [column.created_by]
    ref_columns = [table.users.column.id]
    on_delete   = NO_ACTION
  }
  foreign_key "mcp_servers_category_id_fkey" {
    columns     = [column.category_id]
    ref_columns = [table.mcp_categories.column.id]
    on_delete   = NO_ACTION
  }
  index "mcp_servers_slug_key" {
    unique  = true
    columns = [column.slug]
  }
  index "mcp_servers_visibility_idx" {
    columns = [column.visibility]
  }
  index "mcp_servers_category_idx" {
    columns = [column.category_id]
  }
  index "mcp_servers_status_idx" {
    columns = [column.status]
  }
  index "mcp_servers_owner_team_idx" {
    columns = [column.owner_team_id]
  }
  index "mcp_servers_official_name_idx" {
    columns = [column.official_name]
  }
  index "mcp_servers_source_idx" {
    columns = [column.source]
  }
  index "mcp_servers_synced_flag_idx" {
    columns = [column.synced_from_official_registry]
  }
  index "mcp_servers_registry_server_id_idx" {
    columns = [column.official_registry_server_id]
  }
  index "mcp_servers_repository_url_idx" {
    columns = [column.repository_url]
  }
  // stackdb: ranked full-text search (McpServerSearch, McpServerListPage).
  index "mcp_servers_search_idx" {
    type    = GIN
    columns = [column.search]
  }
  // stackdb: keyset pages in the catalog's order, featured first, then by
  // name (McpServerListPage). NOT featured sorts featured first ascending,
  // so one row comparison walks the index.
  index "mcp_servers_listing_idx" {
    on {
      expr = "(NOT featured)"
    }
    on {
      column = column.name
    }
    on {
      column = column.id
    }
  }
  // The values DeployStack documents for visibility.
  check "mcp_servers_visibility_check" {
    expr = "visibility IN ('global', 'team')"
  }
  // The values DeployStack documents for status.
  check "mcp_servers_status_check" {
    expr = "status IN ('active', 'deprecated', 'maintenance', 'disabled')"
  }
  // The values DeployStack documents for deployment_source.
  check "mcp_servers_deployment_source_check" {
    expr = "deployment_source IS NULL OR deployment_source IN ('github_app', 'github_public')"
  }
  // The values DeployStack documents for health_status.
  check "mcp_servers_health_status_check" {
    expr = "health_status IN ('unknown', 'online', 'offline')"
  }
}

// DeployStack: mcpServerVersions.
table "mcp_server_versions" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "server_id" {
    type = text
  }
  column "version" {
    type = text
  }
  column "git_commit" {
    type = text
    null = true
  }
  column "changelog" {
    type = text
    null = true
  }
  column "is_latest" {
    type    = boolean
    default = false
  }
  column "is_stable" {
    type    = boolean
    default = true
  }
  column "created_at" {
    type    = timestamptz
    default = sql("now()")
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "mcp_server_versions_server_id_fkey" {
    columns     = [column.server_id]
    ref_columns = [table.mcp_servers.column.id]
    on_delete   = CASCADE
  }
  index "mcp_server_versions_server_idx" {
    columns = [column.server_id]
  }
  index "mcp_server_versions_latest_idx" {
    columns = [column.is_latest]
  }
}
