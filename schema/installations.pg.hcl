// A team's installations of catalog servers (legacy mcpServerInstallations).

enum "installation_type" {
  schema = schema.public
  values = ["local", "cloud"]
}

table "mcp_server_installations" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "team_id" {
    type = text
  }
  column "server_id" {
    type = text
  }
  column "created_by" {
    type = text
  }
  column "installation_name" {
    type = text
  }
  column "installation_type" {
    type    = enum.installation_type
    default = "local"
  }
  // The team's values for the server's environment variables (name -> value).
  column "user_environment_variables" {
    type = jsonb
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
  column "last_used_at" {
    type = timestamptz
    null = true
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "mcp_server_installations_team_id_fkey" {
    columns     = [column.team_id]
    ref_columns = [table.teams.column.id]
    on_delete   = CASCADE
  }
  foreign_key "mcp_server_installations_server_id_fkey" {
    columns     = [column.server_id]
    ref_columns = [table.mcp_servers.column.id]
    on_delete   = CASCADE
  }
  foreign_key "mcp_server_installations_created_by_fkey" {
    columns     = [column.created_by]
    ref_columns = [table.users.column.id]
    on_delete   = NO_ACTION
  }
  // A team's installations, and "is this server installed in this team".
  index "mcp_server_installations_team_id_server_id_idx" {
    columns = [column.team_id, column.server_id]
  }
  index "mcp_server_installations_server_id_idx" {
    columns = [column.server_id]
  }
  check "mcp_server_installations_user_env_is_object" {
    expr = "user_environment_variables IS NULL OR jsonb_typeof(user_environment_variables) = 'object'"
  }
}
