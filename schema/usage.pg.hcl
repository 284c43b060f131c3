// Tool-call log and per-bucket team metrics (legacy mcpToolExecutions,
// teamMetrics). Both are append-heavy; ids are identities that accept the
// legacy values on import (BY DEFAULT), see IdentitySequencesReset.

table "mcp_tool_executions" {
  schema = schema.public
  column "id" {
    type = bigint
    identity {
      generated = BY_DEFAULT
    }
  }
  column "satellite_id" {
    type = text
  }
  column "team_id" {
    type = text
  }
  column "user_id" {
    type = text
    null = true
  }
  column "server_slug" {
    type = text
  }
  column "tool_name" {
    type = text
  }
  column "duration_ms" {
    type = integer
  }
  column "success" {
    type = boolean
  }
  column "error" {
    type = text
    null = true
  }
  column "arguments" {
    type = jsonb
    null = true
  }
  column "created_at" {
    type    = timestamptz
    default = sql("now()")
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "mcp_tool_executions_satellite_id_fkey" {
    columns     = [column.satellite_id]
    ref_columns = [table.satellites.column.id]
    on_delete   = CASCADE
  }
  foreign_key "mcp_tool_executions_team_id_fkey" {
    columns     = [column.team_id]
    ref_columns = [table.teams.column.id]
    on_delete   = CASCADE
  }
  foreign_key "mcp_tool_executions_user_id_fkey" {
    columns     = [column.user_id]
    ref_columns = [table.users.column.id]
    on_delete   = SET_NULL
  }
  // A team's activity over a time window.
  index "mcp_tool_executions_team_id_created_at_idx" {
    columns = [column.team_id, column.created_at]
  }
  // Recent failures, a small slice of the table.
  index "mcp_tool_executions_failures_idx" {
    columns = [column.team_id, column.created_at]
    where   = "NOT success"
  }
  index "mcp_tool_executions_created_at_brin" {
    type    = BRIN
    columns = [column.created_at]
  }
  index "mcp_tool_executions_satellite_id_idx" {
    columns = [column.satellite_id]
  }
  index "mcp_tool_executions_user_id_idx" {
    columns = [column.user_id]
  }
  check "mcp_tool_executions_duration_nonnegative" {
    expr = "duration_ms >= 0"
  }
}

table "team_metrics" {
  schema = schema.public
  column "id" {
    type = bigint
    identity {
      generated = BY_DEFAULT
    }
  }
  column "team_id" {
    type = text
  }
  column "satellite_id" {
    type = text
  }
  column "bucket_start" {
    type = timestamptz
  }
  column "bucket_minutes" {
    type    = integer
    default = 5
  }
  column "tool_calls" {
    type    = bigint
    default = 0
  }
  column "errors" {
    type    = bigint
    default = 0
  }
  column "total_duration_ms" {
    type    = bigint
    default = 0
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "team_metrics_team_id_fkey" {
    columns     = [column.team_id]
    ref_columns = [table.teams.column.id]
    on_delete   = CASCADE
  }
  foreign_key "team_metrics_satellite_id_fkey" {
    columns     = [column.satellite_id]
    ref_columns = [table.satellites.column.id]
    on_delete   = CASCADE
  }
  // One bucket per (team, satellite, bucket_start): the conflict target of
  // TeamMetricIncrement. bucket_start comes second so a team's time window
  // (TeamMetricListByTeam) is one range of the index.
  index "team_metrics_team_id_bucket_start_satellite_id_key" {
    unique  = true
    columns = [column.team_id, column.bucket_start, column.satellite_id]
  }
  index "team_metrics_satellite_id_idx" {
    columns = [column.satellite_id]
  }
  check "team_metrics_bucket_minutes_positive" {
    expr = "bucket_minutes > 0"
  }
}
