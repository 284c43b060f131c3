// The audit log (legacy auditLogs): append-only.
//
// Partitioned by month of created_at (internal/partition keeps the
// partitions): the log is written at the rate of users' security events
// (sign-ins, role and key changes: thousands a day, not the heartbeats'
// millions) and kept for a year or more, so daily partitions would be
// hundreds of tiny tables that every team or actor page spanning months
// plans and probes; a month is a dozen partitions a year, a [from, to)
// window of days or weeks prunes to one or two, and retention drops a
// month with a DROP TABLE instead of a DELETE.

table "audit_logs" {
  schema = schema.public
  column "id" {
    type = bigint
    identity {
      generated = BY_DEFAULT
    }
  }
  column "actor_user_id" {
    type = text
    null = true
  }
  column "team_id" {
    type = text
    null = true
  }
  column "action" {
    type = text
  }
  column "target_type" {
    type = text
    null = true
  }
  column "target_id" {
    type = text
    null = true
  }
  column "ip_address" {
    type = text
    null = true
  }
  column "user_agent" {
    type = text
    null = true
  }
  column "metadata" {
    type = jsonb
    null = true
  }
  column "created_at" {
    type    = timestamptz
    default = sql("now()")
  }
  // A partitioned table's primary key must hold its partition key: the
  // identity keeps id unique in practice. No foreign key points here.
  primary_key {
    columns = [column.id, column.created_at]
  }
  partition {
    type    = RANGE
    columns = [column.created_at]
  }
  foreign_key "audit_logs_actor_user_id_fkey" {
    columns     = [column.actor_user_id]
    ref_columns = [table.users.column.id]
    on_delete   = SET_NULL
  }
  foreign_key "audit_logs_team_id_fkey" {
    columns     = [column.team_id]
    ref_columns = [table.teams.column.id]
    on_delete   = SET_NULL
  }
  // Keyset pages of a team's or an actor's entries, newest first.
  index "audit_logs_team_id_created_at_idx" {
    on {
      column = column.team_id
    }
    on {
      column = column.created_at
      desc   = true
    }
    on {
      column = column.id
      desc   = true
    }
  }
  index "audit_logs_actor_user_id_created_at_idx" {
    on {
      column = column.actor_user_id
    }
    on {
      column = column.created_at
      desc   = true
    }
    on {
      column = column.id
      desc   = true
    }
  }
  index "audit_logs_created_at_brin" {
    type    = BRIN
    columns = [column.created_at]
  }
}
