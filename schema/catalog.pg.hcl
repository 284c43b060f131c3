// The MCP server catalog and its categories (legacy mcpCategories, mcpServers).

enum "mcp_server_status" {
  schema = schema.public
  values = ["active", "deprecated", "maintenance"]
}

enum "mcp_server_visibility" {
  schema = schema.public
  values = ["global", "team"]
}

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

table "mcp_servers" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "name" {
    type = text
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
  column "github_url" {
    type = text
    null = true
  }
  column "language" {
    type = text
  }
  column "runtime" {
    type = text
  }
  column "status" {
    type    = enum.mcp_server_status
    default = "active"
  }
  column "visibility" {
    type    = enum.mcp_server_visibility
    default = "global"
  }
  column "owner_team_id" {
    type = text
    null = true
  }
  column "category_id" {
    type = text
    null = true
  }
  // A JSON array of tag strings.
  column "tags" {
    type    = jsonb
    default = sql("'[]'::jsonb")
  }
  // A JSON array of the environment variables the server needs.
  column "environment_variables" {
    type = jsonb
    null = true
  }
  column "metadata" {
    type = jsonb
    null = true
  }
  column "featured" {
    type    = boolean
    default = false
  }
  column "created_by" {
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
  // Full-text search document, kept by Postgres: name (weight A),
  // description (B), tags (C). Stored, so ranking reads it instead of
  // recomputing it per row; Go sees it as pgtype.TSVector.
  column "search" {
    type = tsvector
    as {
      expr = "setweight(to_tsvector('english'::regconfig, name), 'A') || setweight(to_tsvector('english'::regconfig, description), 'B') || setweight(jsonb_to_tsvector('english'::regconfig, tags, '[\"string\"]'::jsonb), 'C')"
      type = STORED
    }
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "mcp_servers_owner_team_id_fkey" {
    columns     = [column.owner_team_id]
    ref_columns = [table.teams.column.id]
    on_delete   = NO_ACTION
  }
  foreign_key "mcp_servers_category_id_fkey" {
    columns     = [column.category_id]
    ref_columns = [table.mcp_categories.column.id]
    on_delete   = NO_ACTION
  }
  foreign_key "mcp_servers_created_by_fkey" {
    columns     = [column.created_by]
    ref_columns = [table.users.column.id]
    on_delete   = NO_ACTION
  }
  index "mcp_servers_slug_key" {
    unique  = true
    columns = [column.slug]
  }
  index "mcp_servers_search_idx" {
    type    = GIN
    columns = [column.search]
  }
  index "mcp_servers_tags_idx" {
    type = GIN
    on {
      column = column.tags
      ops    = jsonb_path_ops
    }
  }
  index "mcp_servers_category_id_idx" {
    columns = [column.category_id]
  }
  index "mcp_servers_owner_team_id_idx" {
    columns = [column.owner_team_id]
  }
  index "mcp_servers_featured_idx" {
    columns = [column.name]
    where   = "featured"
  }
  check "mcp_servers_tags_is_array" {
    expr = "jsonb_typeof(tags) = 'array'"
  }
  check "mcp_servers_environment_variables_is_array" {
    expr = "environment_variables IS NULL OR jsonb_typeof(environment_variables) = 'array'"
  }
  check "mcp_servers_metadata_is_object" {
    expr = "metadata IS NULL OR jsonb_typeof(metadata) = 'object'"
  }
}
