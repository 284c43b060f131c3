// Satellites: registration tokens, commands, processes, usage logs, heartbeats (satellites.ts).
// Generated once from DeployStack's real model; edit by hand from here on.

enum "satellite_type" {
  schema = schema.public
  values = ["global", "team"]
}

enum "satellite_status" {
  schema = schema.public
  values = ["active", "inactive", "maintenance", "error"]
}

enum "command_type" {
  schema = schema.public
  values = ["spawn", "kill", "restart", "configure", "health_check", "invalidate_user_token_cache"]
}

enum "command_priority" {
  schema = schema.public
  values = ["immediate", "high", "normal", "low"]
}

enum "command_status" {
  schema = schema.public
  values = ["pending", "acknowledged", "executing", "completed", "failed"]
}

enum "process_status" {
  schema = schema.public
  values = ["pending", "starting", "running", "stopping", "stopped", "failed"]
}

enum "process_health_status" {
  schema = schema.public
  values = ["healthy", "unhealthy", "unknown"]
}

enum "heartbeat_status" {
  schema = schema.public
  values = ["active", "degraded", "error"]
}

table "satellites" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "name" {
    type = text
  }
  column "satellite_type" {
    type = enum.satellite_type
  }
  column "team_id" {
    type = text
    null = true
  }
  column "status" {
    type    = enum.satellite_status
    default = "active"
  }
  column "capabilities" {
    type = jsonb
  }
  column "api_key_hash" {
    type = text
  }
  // stackdb addition: the public part of the API key (the key up to its
  // last "."), stored at registration beside the argon2 hash so that
  // authentication is one index probe instead of verifying every hash.
  // NULL for satellites registered before the application stored it.
  column "api_key_prefix" {
    type = text
    null = true
  }
  column "last_heartbeat" {
    type = timestamptz
    null = true
  }
  column "system_info" {
    type = jsonb
    null = true
  }
  column "satellite_url" {
    type    = text
    default = "http://127.0.0.1:3001"
  }
  column "region" {
    type = text
    null = true
  }
  column "mcp_status" {
    type = jsonb
    null = true
  }
  column "config" {
    type = jsonb
    null = true
  }
  column "created_by" {
    type = text
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
  foreign_key "satellites_team_id_fkey" {
    columns     = [column.team_id]
    ref_columns = [table.teams.column.id]
    on_delete   = CASCADE
  }
  foreign_key "satellites_created_by_fkey" {
    columns     = [column.created_by]
    ref_columns = [table.users.column.id]
    on_delete   = NO_ACTION
  }
  index "satellites_type_idx" {
    columns = [column.satellite_type]
  }
  index "satellites_team_idx" {
    columns = [column.team_id]
  }
  index "satellites_status_idx" {
    columns = [column.status]
  }
  index "satellites_last_heartbeat_idx" {
    columns = [column.last_heartbeat]
  }
  index "satellites_unique_team_name" {
    columns = [column.team_id, column.name]
  }
  // stackdb: SatelliteGetByAPIKeyPrefix.
  index "satellites_api_key_prefix_key" {
    unique  = true
    columns = [column.api_key_prefix]
  }
}

// DeployStack: satelliteRegistrationTokens.
table "satellite_registration_tokens" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "token_type" {
    type = enum.satellite_type
  }
  column "team_id" {
    type = text
    null = true
  }
  column "token_hash" {
    type = text
  }
  column "token_prefix" {
    type = text
  }
  column "created_by" {
    type = text
  }
  column "permissions" {
    type = jsonb
  }
  column "used" {
    type    = boolean
    default = false
  }
  // DeployStack stores text ISO-8601 string.
  column "used_at" {
    type = timestamptz
    null = true
  }
  column "used_by_satellite_id" {
    type = text
    null = true
  }
  // DeployStack stores text ISO-8601 string.
  column "expires_at" {
    type = timestamptz
  }
  // DeployStack stores text ISO-8601 string (app default new Date().toISOString()).
  column "created_at" {
    type = timestamptz
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "satellite_registration_tokens_team_id_fkey" {
    columns     = [column.team_id]
    ref_columns = [table.teams.column.id]
    on_delete   = CASCADE
  }
  foreign_key "satellite_registration_tokens_created_by_fkey" {
    columns     = [column.created_by]
    ref_columns = [table.users.column.id]
    on_delete   = NO_ACTION
  }
  foreign_key "satellite_registration_tokens_used_by_satellite_id_fkey" {
    columns     = [column.used_by_satellite_id]
    ref_columns = [table.satellites.column.id]
    on_delete   = NO_ACTION
  }
  index "satellite_registration_tokens_token_hash_key" {
    unique  = true
    columns = [column.token_hash]
  }
  index "satelliteRegistrationTokens_token_hash_idx" {
    columns = [column.token_hash]
  }
  index "satelliteRegistrationTokens_team_scope_idx" {
    columns = [column.team_id, column.token_type]
  }
  index "satelliteRegistrationTokens_expiration_idx" {
    columns = [column.expires_at]
  }
  index "satelliteRegistrationTokens_creator_idx" {
    columns = [column.created_by]
  }
  index "satelliteRegistrationTokens_usage_idx" {
    columns = [column.used, column.used_at]
  }
  check "satellite_registration_tokens_permissions_is_array" {
    expr = "jsonb_typeof(permissions) = 'array'"
  }
}

// DeployStack: satelliteCommands.
table "satellite_commands" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "satellite_id" {
    type = text
  }
  column "command_type" {
    type = enum.command_type
  }
  column "priority" {
    type    = enum.command_priority
    default = "normal"
  }
  column "payload" {
    type = jsonb
  }
  column "status" {
    type    = enum.command_status
    default = "pending"
  }
  column "target_team_id" {
    type = text
    null = true
  }
  column "correlation_id" {
    type = text
    null = true
  }
  column "retry_count" {
    type    = integer
    default = 0
  }
  column "max_retries" {
    type    = integer
    default = 3
  }
  column "error_message" {
    type = text
    null = true
  }
  column "result" {
    type = jsonb
    null = true
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
  primary_key {
    columns = [column.id]
  }
  foreign_key "satellite_commands_satellite_id_fkey" {
    columns     = [column.satellite_id]
    ref_columns = [table.satellites.column.id]
    on_delete   = CASCADE
  }
  foreign_key "satellite_commands_target_team_id_fkey" {
    columns     = [column.target_team_id]
    ref_columns = [table.teams.column.id]
    on_delete   = NO_ACTION
  }
  foreign_key "satellite_commands_created_by_fkey" {
    columns     = [column.created_by]
    ref_columns = [table.users.column.id]
    on_delete   = NO_ACTION
  }
  index "satellite_commands_satellite_status_idx" {
    columns = [column.satellite_id, column.status]
  }
  index "satellite_commands_priority_status_idx" {
    columns = [column.priority, column.status]
  }
  index "satellite_commands_correlation_idx" {
    columns = [column.correlation_id]
  }
  index "satellite_commands_target_team_idx" {
    columns = [column.target_team_id]
  }
  // stackdb: SatelliteCommandClaim reads a satellite's pending commands in
  // priority order (the enum's order: immediate first) without a sort.
  index "satellite_commands_pending_idx" {
    columns = [column.satellite_id, column.priority, column.created_at, column.id]
    where   = "(status = 'pending'::command_status)"
  }
}

// DeployStack: satelliteProcesses.
table "satellite_processes" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "satellite_id" {
    type = text
  }
  column "installation_id" {
    type = text
    null = true
  }
  column "server_name" {
    type = text
  }
  column "process_pid" {
    type = integer
    null = true
  }
  column "local_port" {
    type = integer
    null = true
  }
  column "status" {
    type    = enum.process_status
    default = "pending"
  }
  column "health_status" {
    type    = enum.process_health_status
    default = "unknown"
  }
  column "performance_metrics" {
    type = jsonb
    null = true
  }
  column "team_id" {
    type = text
  }
  column "error_message" {
    type = text
    null = true
  }
  column "started_at" {
    type = timestamptz
    null = true
  }
  column "stopped_at" {
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
  foreign_key "satellite_processes_satellite_id_fkey" {
    columns     = [column.satellite_id]
    ref_columns = [table.satellites.column.id]
    on_delete   = CASCADE
  }
  foreign_key "satellite_processes_installation_id_fkey" {
    columns     = [column.installation_id]
    ref_columns = [table.mcp_server_installations.column.id]
    on_delete   = CASCADE
  }
  foreign_key "satellite_processes_team_id_fkey" {
    columns     = [column.team_id]
    ref_columns = [table.teams.column.id]
    on_delete   = NO_ACTION
  }
  index "satellite_processes_satellite_status_idx" {
    columns = [column.satellite_id, column.status]
  }
  index "satellite_processes_team_status_idx" {
    columns = [column.team_id, column.status]
  }
  index "satellite_processes_health_status_idx" {
    columns = [column.health_status]
  }
  index "satellite_processes_installation_idx" {
    columns = [column.installation_id]
  }
}

// DeployStack: satelliteUsageLogs.
table "satellite_usage_logs" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "satellite_id" {
    type = text
  }
  column "user_id" {
    type = text
    null = true
  }
  column "team_id" {
    type = text
  }
  column "process_id" {
    type = text
    null = true
  }
  column "request_method" {
    type = text
  }
  column "request_path" {
    type = text
  }
  column "tool_name" {
    type = text
    null = true
  }
  column "duration_ms" {
    type = integer
    null = true
  }
  column "status_code" {
    type = integer
    null = true
  }
  column "error_message" {
    type = text
    null = true
  }
  column "request_size_bytes" {
    type = integer
    null = true
  }
  column "response_size_bytes" {
    type = integer
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
  column "timestamp" {
    type    = timestamptz
    default = sql("now()")
  }
  // DeployStack stores the UTC day of "timestamp" as text ('YYYY-MM-DD'); here it is derived from it.
  column "date_partition" {
    type = date
    as {
      expr = "((\"timestamp\" AT TIME ZONE 'UTC'::text))::date"
      type = STORED
    }
  }
  // stackdb: partitioned by day of "timestamp" (internal/partition keeps the
  // partitions), and a partitioned table's primary key must hold its
  // partition key: DeployStack's key is (id). See deploystack.Partitioned.
  primary_key {
    columns = [column.id, column.timestamp]
  }
  partition {
    type    = RANGE
    columns = [column.timestamp]
  }
  foreign_key "satellite_usage_logs_satellite_id_fkey" {
    columns     = [column.satellite_id]
    ref_columns = [table.satellites.column.id]
    on_delete   = CASCADE
  }
  foreign_key "satellite_usage_logs_user_id_fkey" {
    columns     = [column.user_id]
    ref_columns = [table.users.column.id]
    on_delete   = NO_ACTION
  }
  foreign_key "satellite_usage_logs_team_id_fkey" {
    columns     = [column.team_id]
    ref_columns = [table.teams.column.id]
    on_delete   = NO_ACTION
  }
  foreign_key "satellite_usage_logs_process_id_fkey" {
    columns     = [column.process_id]
    ref_columns = [table.satellite_processes.column.id]
    on_delete   = NO_ACTION
  }
  index "satellite_usage_logs_satellite_timestamp_idx" {
    columns = [column.satellite_id, column.timestamp]
  }
  index "satellite_usage_logs_team_timestamp_idx" {
    columns = [column.team_id, column.timestamp]
  }
  index "satellite_usage_logs_user_timestamp_idx" {
    columns = [column.user_id, column.timestamp]
  }
  index "satellite_usage_logs_date_partition_idx" {
    columns = [column.date_partition]
  }
  index "satellite_usage_logs_tool_name_idx" {
    columns = [column.tool_name]
  }
}

// DeployStack: satelliteHeartbeats.
table "satellite_heartbeats" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "satellite_id" {
    type = text
  }
  column "status" {
    type = enum.heartbeat_status
  }
  column "system_metrics" {
    type = jsonb
  }
  column "process_count" {
    type    = integer
    default = 0
  }
  column "healthy_process_count" {
    type    = integer
    default = 0
  }
  column "error_count" {
    type    = integer
    default = 0
  }
  column "response_time_ms" {
    type = integer
    null = true
  }
  column "uptime_seconds" {
    type = integer
    null = true
  }
  column "version" {
    type = text
    null = true
  }
  column "timestamp" {
    type    = timestamptz
    default = sql("now()")
  }
  // stackdb: partitioned by day of "timestamp" (internal/partition keeps the
  // partitions), and a partitioned table's primary key must hold its
  // partition key: DeployStack's key is (id). See deploystack.Partitioned.
  primary_key {
    columns = [column.id, column.timestamp]
  }
  partition {
    type    = RANGE
    columns = [column.timestamp]
  }
  foreign_key "satellite_heartbeats_satellite_id_fkey" {
    columns     = [column.satellite_id]
    ref_columns = [table.satellites.column.id]
    on_delete   = CASCADE
  }
  index "satellite_heartbeats_satellite_timestamp_idx" {
    columns = [column.satellite_id, column.timestamp]
  }
  index "satellite_heartbeats_status_idx" {
    columns = [column.status]
  }
  index "satellite_heartbeats_timestamp_idx" {
    columns = [column.timestamp]
  }
}
