// Satellites, their heartbeats and the MCP server processes they run
// (legacy satellites, satelliteHeartbeats, satelliteProcesses).

enum "satellite_type" {
  schema = schema.public
  values = ["global", "team"]
}

enum "satellite_status" {
  schema = schema.public
  values = ["active", "inactive", "maintenance", "error"]
}

// Process life cycle: starting -> running -> stopping -> stopped, and
// starting|running -> crashed; see queries/satellite_processes.sql.
enum "process_status" {
  schema = schema.public
  values = ["starting", "running", "stopping", "stopped", "crashed"]
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
    default = "inactive"
  }
  column "satellite_url" {
    type = text
  }
  column "region" {
    type = text
    null = true
  }
  column "version" {
    type = text
    null = true
  }
  column "system_info" {
    type = jsonb
    null = true
  }
  column "last_heartbeat" {
    type = timestamptz
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
  // Active satellites, by last heartbeat: the liveness sweep and listings.
  index "satellites_active_idx" {
    columns = [column.last_heartbeat]
    where   = "status = 'active'::satellite_status"
  }
  index "satellites_team_id_idx" {
    columns = [column.team_id]
  }
}

table "satellite_heartbeats" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "satellite_id" {
    type = text
  }
  column "status" {
    type = enum.satellite_status
  }
  column "system_metrics" {
    type = jsonb
  }
  column "process_count" {
    type    = integer
    default = 0
  }
  column "error_count" {
    type    = integer
    default = 0
  }
  column "version" {
    type = text
    null = true
  }
  column "created_at" {
    type    = timestamptz
    default = sql("now()")
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "satellite_heartbeats_satellite_id_fkey" {
    columns     = [column.satellite_id]
    ref_columns = [table.satellites.column.id]
    on_delete   = CASCADE
  }
  // Latest heartbeats of a satellite.
  index "satellite_heartbeats_satellite_id_created_at_idx" {
    on {
      column = column.satellite_id
    }
    on {
      column = column.created_at
      desc   = true
    }
  }
  // Append-only and time-ordered: BRIN keeps range scans cheap at a tiny size.
  index "satellite_heartbeats_created_at_brin" {
    type    = BRIN
    columns = [column.created_at]
  }
}

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
  }
  column "team_id" {
    type = text
  }
  column "process_id" {
    type = text
  }
  column "status" {
    type = enum.process_status
  }
  column "health_status" {
    type = text
    null = true
  }
  column "started_at" {
    type = timestamptz
  }
  column "stopped_at" {
    type = timestamptz
    null = true
  }
  column "error_message" {
    type = text
    null = true
  }
  column "restart_count" {
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
    on_delete   = CASCADE
  }
  index "satellite_processes_satellite_id_status_idx" {
    columns = [column.satellite_id, column.status]
  }
  index "satellite_processes_installation_id_idx" {
    columns = [column.installation_id]
  }
  index "satellite_processes_team_id_idx" {
    columns = [column.team_id]
  }
  check "satellite_processes_health_status" {
    expr = "health_status IS NULL OR health_status IN ('healthy', 'unhealthy', 'unknown')"
  }
  check "satellite_processes_restart_count_nonnegative" {
    expr = "restart_count >= 0"
  }
}
