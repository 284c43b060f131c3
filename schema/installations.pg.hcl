// MCP server installations and what hangs off them: OAuth providers and pending flows, user configurations, tool metadata, OAuth tokens, server and request logs (mcp-installations.ts).
// Generated once from DeployStack's real model; edit by hand from here on.

// DeployStack: mcpOauthProviders.
table "mcp_oauth_providers" {
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
  column "icon_url" {
    type = text
    null = true
  }
  column "auth_server_patterns" {
    type = jsonb
  }
  column "client_id" {
    type = text
  }
  column "client_secret" {
    type = text
    null = true
  }
  column "authorization_endpoint" {
    type = text
  }
  column "token_endpoint" {
    type = text
  }
  column "default_scopes" {
    type = jsonb
    null = true
  }
  column "pkce_required" {
    type    = boolean
    default = true
  }
  column "token_endpoint_auth_method" {
    type    = text
    default = "client_secret_post"
  }
  column "enabled" {
    type    = boolean
    default = true
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
  index "mcp_oauth_providers_slug_idx" {
    unique  = true
    columns = [column.slug]
  }
  index "mcp_oauth_providers_enabled_idx" {
    columns = [column.enabled]
  }
  // stackdb: DeployStack parses the patterns as a JSON array of regular
  // expressions and skips a provider whose value is not one;
  // McpOAuthProviderGetByAuthServerURL reads them in SQL.
  check "mcp_oauth_providers_auth_server_patterns_is_array" {
    expr = "jsonb_typeof(auth_server_patterns) = 'array'"
  }
  // The values DeployStack documents for token_endpoint_auth_method.
  check "mcp_oauth_providers_token_endpoint_auth_method_check" {
    expr = "token_endpoint_auth_method IN ('client_secret_post', 'client_secret_basic', 'none')"
  }
}

// DeployStack: oauthPendingFlows.
table "oauth_pending_flows" {
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
  column "installation_id" {
    type = text
    null = true
  }
  column "oauth_state" {
    type = text
  }
  column "oauth_code_verifier" {
    type = text
  }
  column "oauth_client_id" {
    type = text
  }
  column "oauth_client_secret" {
    type = text
    null = true
  }
  column "oauth_provider_id" {
    type = text
    null = true
  }
  column "oauth_token_endpoint" {
    type = text
  }
  column "oauth_token_endpoint_auth_method" {
    type = text
  }
  column "satellite_id" {
    type = text
    null = true
  }
  column "installation_name" {
    type = text
  }
  column "installation_type" {
    type    = text
    default = "global"
  }
  column "team_config" {
    type = jsonb
    null = true
  }
  column "expires_at" {
    type = timestamptz
  }
  column "created_at" {
    type    = timestamptz
    default = sql("now()")
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "oauth_pending_flows_team_id_fkey" {
    columns     = [column.team_id]
    ref_columns = [table.teams.column.id]
    on_delete   = CASCADE
  }
  foreign_key "oauth_pending_flows_server_id_fkey" {
    columns     = [column.server_id]
    ref_columns = [table.mcp_servers.column.id]
    on_delete   = CASCADE
  }
  foreign_key "oauth_pending_flows_created_by_fkey" {
    columns     = [column.created_by]
    ref_columns = [table.users.column.id]
    on_delete   = CASCADE
  }
  foreign_key "oauth_pending_flows_installation_id_fkey" {
    columns     = [column.installation_id]
    ref_columns = [table.mcp_server_installations.column.id]
    on_delete   = CASCADE
  }
  foreign_key "oauth_pending_flows_oauth_provider_id_fkey" {
    columns     = [column.oauth_provider_id]
    ref_columns = [table.mcp_oauth_providers.column.id]
    on_delete   = SET_NULL
  }
  foreign_key "oauth_pending_flows_satellite_id_fkey" {
    columns     = [column.satellite_id]
    ref_columns = [table.satellites.column.id]
    on_delete   = SET_NULL
  }
  index "oauth_pending_flows_state_idx" {
    columns = [column.oauth_state]
  }
  index "oauth_pending_flows_expires_at_idx" {
    columns = [column.expires_at]
  }
  index "oauth_pending_flows_team_server_idx" {
    columns = [column.team_id, column.server_id]
  }
  index "oauth_pending_flows_created_by_idx" {
    columns = [column.created_by]
  }
  index "oauth_pending_flows_installation_id_idx" {
    columns = [column.installation_id]
  }
  // The values DeployStack documents for installation_type.
  check "oauth_pending_flows_installation_type_check" {
    expr = "installation_type IN ('global', 'team')"
  }
}

// DeployStack: mcpServerInstallations.
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
    type    = text
    default = "global"
  }
  column "team_args" {
    type = jsonb
    null = true
  }
  column "team_env" {
    type = jsonb
    null = true
  }
  column "team_headers" {
    type = jsonb
    null = true
  }
  column "team_url_query_params" {
    type = jsonb
    null = true
  }
  column "oauth_state" {
    type = text
    null = true
  }
  column "oauth_code_verifier" {
    type = text
    null = true
  }
  column "oauth_pending" {
    type    = boolean
    default = false
  }
  column "oauth_pending_expires_at" {
    type = timestamptz
    null = true
  }
  column "oauth_client_id" {
    type = text
    null = true
  }
  column "oauth_client_secret" {
    type = text
    null = true
  }
  column "oauth_provider_id" {
    type = text
    null = true
  }
  column "oauth_token_endpoint" {
    type = text
    null = true
  }
  column "oauth_token_endpoint_auth_method" {
    type = text
    null = true
  }
  column "settings" {
    type    = jsonb
    null    = true
    default = sql("'{}'::jsonb")
  }
  column "satellite_id" {
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
  foreign_key "mcp_server_installations_oauth_provider_id_fkey" {
    columns     = [column.oauth_provider_id]
    ref_columns = [table.mcp_oauth_providers.column.id]
    on_delete   = SET_NULL
  }
  foreign_key "mcp_server_installations_satellite_id_fkey" {
    columns     = [column.satellite_id]
    ref_columns = [table.satellites.column.id]
    on_delete   = SET_NULL
  }
  index "mcp_installations_team_name_idx" {
    columns = [column.team_id, column.installation_name]
  }
  index "mcp_installations_team_server_idx" {
    columns = [column.team_id, column.server_id]
  }
  index "mcp_installations_created_by_idx" {
    columns = [column.created_by]
  }
  index "mcp_installations_satellite_idx" {
    columns = [column.satellite_id]
  }
  // The values DeployStack documents for installation_type.
  check "mcp_server_installations_installation_type_check" {
    expr = "installation_type IN ('global', 'team')"
  }
}

// DeployStack: mcpUserConfigurations.
table "mcp_user_configurations" {
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
  column "user_args" {
    type = jsonb
    null = true
  }
  column "user_env" {
    type = jsonb
    null = true
  }
  column "user_headers" {
    type = jsonb
    null = true
  }
  column "user_url_query_params" {
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
  foreign_key "mcp_user_configurations_installation_id_fkey" {
    columns     = [column.installation_id]
    ref_columns = [table.mcp_server_installations.column.id]
    on_delete   = CASCADE
  }
  foreign_key "mcp_user_configurations_user_id_fkey" {
    columns     = [column.user_id]
    ref_columns = [table.users.column.id]
    on_delete   = CASCADE
  }
  index "mcp_user_configs_installation_user_idx" {
    columns = [column.installation_id, column.user_id]
  }
  index "mcp_user_configs_user_idx" {
    columns = [column.user_id]
  }
  index "mcp_user_configs_installation_idx" {
    columns = [column.installation_id]
  }
  // stackdb: unique, as its name says (DeployStack's is not): one
  // configuration per user and installation, the conflict target of
  // McpUserConfigurationUpsert. The importer reports duplicates.
  index "mcp_user_configs_unique_user_installation" {
    unique  = true
    columns = [column.installation_id, column.user_id]
  }
}

// DeployStack: mcpToolMetadata.
table "mcp_tool_metadata" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "installation_id" {
    type = text
  }
  column "team_id" {
    type = text
  }
  column "tool_name" {
    type = text
  }
  column "description" {
    type    = text
    default = ""
  }
  column "input_schema" {
    type = jsonb
    null = true
  }
  column "token_count" {
    type    = integer
    default = 0
  }
  column "is_disabled" {
    type    = boolean
    default = false
  }
  column "discovered_at" {
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
  foreign_key "mcp_tool_metadata_installation_id_fkey" {
    columns     = [column.installation_id]
    ref_columns = [table.mcp_server_installations.column.id]
    on_delete   = CASCADE
  }
  foreign_key "mcp_tool_metadata_team_id_fkey" {
    columns     = [column.team_id]
    ref_columns = [table.teams.column.id]
    on_delete   = CASCADE
  }
  index "mcp_tool_metadata_installation_idx" {
    columns = [column.installation_id]
  }
  index "mcp_tool_metadata_team_idx" {
    columns = [column.team_id]
  }
  // stackdb: unique, as its name says (DeployStack's is not): one row per
  // tool of an installation, the conflict target of
  // McpToolMetadataUpsertMany. The importer reports duplicates.
  index "mcp_tool_metadata_unique_installation_tool" {
    unique  = true
    columns = [column.installation_id, column.tool_name]
  }
  index "mcp_tool_metadata_disabled_idx" {
    columns = [column.installation_id, column.is_disabled]
  }
}

// DeployStack: mcpOauthTokens.
table "mcp_oauth_tokens" {
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
  column "team_id" {
    type = text
  }
  column "access_token" {
    type = text
  }
  column "refresh_token" {
    type = text
    null = true
  }
  column "token_type" {
    type    = text
    default = "Bearer"
  }
  column "expires_at" {
    type = timestamptz
    null = true
  }
  column "scope" {
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
  primary_key {
    columns = [column.id]
  }
  foreign_key "mcp_oauth_tokens_installation_id_fkey" {
    columns     = [column.installation_id]
    ref_columns = [table.mcp_server_installations.column.id]
    on_delete   = CASCADE
  }
  foreign_key "mcp_oauth_tokens_user_id_fkey" {
    columns     = [column.user_id]
    ref_columns = [table.users.column.id]
    on_delete   = CASCADE
  }
  foreign_key "mcp_oauth_tokens_team_id_fkey" {
    columns     = [column.team_id]
    ref_columns = [table.teams.column.id]
    on_delete   = CASCADE
  }
  // stackdb: unique (DeployStack's is not): one token set per user and
  // installation, the conflict target of McpOAuthTokenUpsert. The importer
  // reports duplicates.
  index "mcp_oauth_tokens_installation_user_team_idx" {
    unique  = true
    columns = [column.installation_id, column.user_id, column.team_id]
  }
  // stackdb: the refresh worker's and the sweep's range scans.
  index "mcp_oauth_tokens_expires_at_idx" {
    columns = [column.expires_at]
  }
}

// DeployStack: mcpServerLogs.
table "mcp_server_logs" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "installation_id" {
    type = text
  }
  column "team_id" {
    type = text
  }
  column "log_type" {
    type    = text
    default = "mcp_server_log"
  }
  column "log_level" {
    type = text
  }
  column "message" {
    type = text
  }
  column "metadata" {
    type = jsonb
    null = true
  }
  column "created_at" {
    type    = timestamptz
    default = sql("now()")
  }
  // stackdb: partitioned by day of "created_at" (internal/partition keeps the
  // partitions); the primary key must hold the partition key: DeployStack's
  // is (id). See deploystack.Partitioned.
  primary_key {
    columns = [column.id, column.created_at]
  }
  partition {
    type    = RANGE
    columns = [column.created_at]
  }
  foreign_key "mcp_server_logs_installation_id_fkey" {
    columns     = [column.installation_id]
    ref_columns = [table.mcp_server_installations.column.id]
    on_delete   = CASCADE
  }
  foreign_key "mcp_server_logs_team_id_fkey" {
    columns     = [column.team_id]
    ref_columns = [table.teams.column.id]
    on_delete   = CASCADE
  }
  // stackdb: id added as the tie-breaker (DeployStack's index is
  // (installation_id, created_at)): keyset pages newest first and the
  // keep-newest-N sweep read it in order, without a sort.
  index "mcp_server_logs_installation_created_idx" {
    columns = [column.installation_id, column.created_at, column.id]
  }
  index "mcp_server_logs_team_idx" {
    columns = [column.team_id]
  }
  index "mcp_server_logs_created_at_idx" {
    columns = [column.created_at]
  }
  // The values DeployStack documents for log_level.
  check "mcp_server_logs_log_level_check" {
    expr = "log_level IN ('info', 'warn', 'error', 'debug')"
  }
}

// DeployStack: mcpRequestLogs.
table "mcp_request_logs" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "installation_id" {
    type = text
  }
  column "team_id" {
    type = text
  }
  column "user_id" {
    type = text
    null = true
  }
  column "tool_name" {
    type = text
  }
  column "tool_params" {
    type = jsonb
    null = true
  }
  column "tool_response" {
    type = jsonb
    null = true
  }
  column "response_time_ms" {
    type = integer
  }
  column "success" {
    type = boolean
  }
  column "error_message" {
    type = text
    null = true
  }
  column "created_at" {
    type    = timestamptz
    default = sql("now()")
  }
  // stackdb: partitioned by day of "created_at" (internal/partition keeps the
  // partitions); the primary key must hold the partition key: DeployStack's
  // is (id). See deploystack.Partitioned.
  primary_key {
    columns = [column.id, column.created_at]
  }
  partition {
    type    = RANGE
    columns = [column.created_at]
  }
  foreign_key "mcp_request_logs_installation_id_fkey" {
    columns     = [column.installation_id]
    ref_columns = [table.mcp_server_installations.column.id]
    on_delete   = CASCADE
  }
  foreign_key "mcp_request_logs_team_id_fkey" {
    columns     = [column.team_id]
    ref_columns = [table.teams.column.id]
    on_delete   = CASCADE
  }
  foreign_key "mcp_request_logs_user_id_fkey" {
    columns     = [column.user_id]
    ref_columns = [table.users.column.id]
    on_delete   = SET_NULL
  }
  // stackdb: id added as the tie-breaker (DeployStack's index is
  // (installation_id, created_at)): keyset pages newest first and the
  // keep-newest-N sweep read it in order, without a sort.
  index "mcp_request_logs_installation_created_idx" {
    columns = [column.installation_id, column.created_at, column.id]
  }
  index "mcp_request_logs_team_idx" {
    columns = [column.team_id]
  }
  index "mcp_request_logs_created_at_idx" {
    columns = [column.created_at]
  }
}
