// Per-user MCP server instances (mcp-instances.ts).
// Generated once from DeployStack's real model; edit by hand from here on.

// DeployStack: mcpServerInstances.
table "mcp_server_instances" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "installation_id" {
    type = text
  }
  column "user_id" {
    type = text
  }
  column "instance_path" {
    type = text
    null = true
  }
  column "instance_token" {
    type = text
    null = true
  }
  column "status" {
    type    = text
    default = "provisioning"
  }
  column "status_message" {
    type = text
    null = true
  }
  column "status_updated_at" {
    type = timestamptz
    null = true
  }
  column "last_health_check_at" {
    type = timestamptz
    null = true
  }
  column "last_credential_check_at" {
    type = timestamptz
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
  primary_key {
    columns = [column.id]
  }
  foreign_key "mcp_server_instances_installation_id_fkey" {
    columns     = [column.installation_id]
    ref_columns = [table.mcp_server_installations.column.id]
    on_delete   = CASCADE
  }
  foreign_key "mcp_server_instances_user_id_fkey" {
    columns     = [column.user_id]
    ref_columns = [table.users.column.id]
    on_delete   = CASCADE
  }
  index "mcp_instances_installation_user_idx" {
    unique  = true
    columns = [column.installation_id, column.user_id]
  }
  index "mcp_instances_user_idx" {
    columns = [column.user_id]
  }
  index "mcp_instances_status_idx" {
    columns = [column.status]
  }
  index "mcp_instances_instance_path_idx" {
    unique  = true
    columns = [column.instance_path]
  }
  // The values DeployStack documents for status.
  check "mcp_server_instances_status_check" {
    expr = "status IN ('provisioning', 'command_received', 'connecting', 'discovering_tools', 'syncing_tools', 'online', 'restarting', 'offline', 'error', 'requires_reauth', 'permanently_failed', 'awaiting_user_config')"
  }
}
