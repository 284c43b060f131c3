// MCP client activity and its 15m/1h metric buckets (mcp-activity.ts).
// Generated once from DeployStack's real model; edit by hand from here on.

enum "activity_auth_type" {
  schema = schema.public
  values = ["oauth", "api_key", "instance_token"]
}

enum "bucket_interval" {
  schema = schema.public
  values = ["15m", "1h"]
}

// DeployStack: mcpClientActivity.
table "mcp_client_activity" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "user_id" {
    type = text
  }
  column "team_id" {
    type = text
  }
  column "satellite_id" {
    type = text
  }
  column "auth_type" {
    type = enum.activity_auth_type
  }
  column "oauth_client_id" {
    type = text
    null = true
  }
  column "api_key_id" {
    type = text
    null = true
  }
  column "auth_identifier" {
    type = text
  }
  column "client_name" {
    type = text
    null = true
  }
  column "user_agent" {
    type = text
    null = true
  }
  column "ip_address" {
    type = text
    null = true
  }
  column "current_session_id" {
    type = text
    null = true
  }
  column "first_seen_at" {
    type    = timestamptz
    default = sql("now()")
  }
  column "last_activity_at" {
    type    = timestamptz
    default = sql("now()")
  }
  column "total_requests" {
    type    = integer
    default = 0
  }
  column "total_tool_calls" {
    type    = integer
    default = 0
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
  foreign_key "mcp_client_activity_user_id_fkey" {
    columns     = [column.user_id]
    ref_columns = [table.users.column.id]
    on_delete   = CASCADE
  }
  foreign_key "mcp_client_activity_team_id_fkey" {
    columns     = [column.team_id]
    ref_columns = [table.teams.column.id]
    on_delete   = CASCADE
  }
  foreign_key "mcp_client_activity_satellite_id_fkey" {
    columns     = [column.satellite_id]
    ref_columns = [table.satellites.column.id]
    on_delete   = CASCADE
  }
  index "mcp_activity_user_team_satellite_idx" {
    columns = [column.user_id, column.team_id, column.satellite_id]
  }
  index "mcp_activity_last_activity_idx" {
    columns = [column.last_activity_at]
  }
  index "mcp_activity_team_activity_idx" {
    columns = [column.team_id, column.last_activity_at]
  }
  index "mcp_activity_oauth_client_idx" {
    columns = [column.oauth_client_id]
  }
  index "mcp_activity_api_key_idx" {
    columns = [column.api_key_id]
  }
  index "mcp_activity_auth_type_idx" {
    columns = [column.auth_type]
  }
  index "mcp_activity_auth_identifier_idx" {
    columns = [column.auth_identifier]
  }
  index "mcp_activity_session_idx" {
    columns = [column.current_session_id]
  }
  // Unique in stackdb (not in DeployStack, which reads then writes): the
  // key McpClientActivityUpsert increments on. The importer reports
  // duplicates of it.
  index "mcp_activity_unique_user_team_auth_satellite" {
    unique  = true
    columns = [column.user_id, column.team_id, column.auth_identifier, column.satellite_id]
  }
}

// DeployStack: mcpClientActivityMetrics.
table "mcp_client_activity_metrics" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "user_id" {
    type = text
  }
  column "team_id" {
    type = text
  }
  column "satellite_id" {
    type = text
  }
  column "auth_identifier" {
    type = text
  }
  // DeployStack stores integer epoch SECONDS (Math.floor(ms/1000) in McpClientActivityMetricsService).
  column "bucket_timestamp" {
    type = timestamptz
  }
  column "bucket_interval" {
    type = enum.bucket_interval
  }
  column "request_count" {
    type    = integer
    default = 0
  }
  column "tool_call_count" {
    type    = integer
    default = 0
  }
  column "active_client_count" {
    type    = integer
    default = 0
  }
  column "created_at" {
    type    = timestamptz
    default = sql("now()")
  }
  // stackdb: partitioned by day of "bucket_timestamp" (internal/partition keeps the
  // partitions); the primary key must hold the partition key: DeployStack's
  // is (id). See deploystack.Partitioned.
  primary_key {
    columns = [column.id, column.bucket_timestamp]
  }
  partition {
    type    = RANGE
    columns = [column.bucket_timestamp]
  }
  foreign_key "mcp_client_activity_metrics_user_id_fkey" {
    columns     = [column.user_id]
    ref_columns = [table.users.column.id]
    on_delete   = CASCADE
  }
  foreign_key "mcp_client_activity_metrics_team_id_fkey" {
    columns     = [column.team_id]
    ref_columns = [table.teams.column.id]
    on_delete   = CASCADE
  }
  foreign_key "mcp_client_activity_metrics_satellite_id_fkey" {
    columns     = [column.satellite_id]
    ref_columns = [table.satellites.column.id]
    on_delete   = CASCADE
  }
  index "mcp_activity_metrics_unique_bucket" {
    unique  = true
    columns = [column.user_id, column.team_id, column.satellite_id, column.auth_identifier, column.bucket_timestamp, column.bucket_interval]
  }
  index "mcp_activity_metrics_lookup_idx" {
    columns = [column.user_id, column.team_id, column.bucket_timestamp, column.bucket_interval]
  }
  index "mcp_activity_metrics_time_idx" {
    columns = [column.bucket_timestamp]
  }
  // stackdb: McpClientActivityMetricListSeriesByTeam.
  index "mcp_activity_metrics_team_idx" {
    columns = [column.team_id, column.bucket_interval, column.bucket_timestamp]
  }
  index "mcp_activity_metrics_satellite_idx" {
    columns = [column.satellite_id, column.bucket_timestamp]
  }
}
