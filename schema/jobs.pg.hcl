// The job queue and job batches (legacy queueJobs, queueJobBatches).

enum "job_status" {
  schema = schema.public
  values = ["pending", "processing", "completed", "failed"]
}

table "queue_job_batches" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "type" {
    type = text
  }
  column "total_jobs" {
    type    = integer
    default = 0
  }
  column "completed_jobs" {
    type    = integer
    default = 0
  }
  column "failed_jobs" {
    type    = integer
    default = 0
  }
  column "status" {
    type    = enum.job_status
    default = "pending"
  }
  column "metadata" {
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
  primary_key {
    columns = [column.id]
  }
  check "queue_job_batches_counters" {
    expr = "total_jobs >= 0 AND completed_jobs >= 0 AND failed_jobs >= 0"
  }
}

table "queue_jobs" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "type" {
    type = text
  }
  column "payload" {
    type = jsonb
  }
  column "status" {
    type    = enum.job_status
    default = "pending"
  }
  column "priority" {
    type    = integer
    default = 0
  }
  column "attempts" {
    type    = integer
    default = 0
  }
  column "max_attempts" {
    type    = integer
    default = 3
  }
  column "scheduled_for" {
    type    = timestamptz
    default = sql("now()")
  }
  column "started_at" {
    type = timestamptz
    null = true
  }
  column "completed_at" {
    type = timestamptz
    null = true
  }
  column "error" {
    type = text
    null = true
  }
  column "result" {
    type = jsonb
    null = true
  }
  column "batch_id" {
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
  foreign_key "queue_jobs_batch_id_fkey" {
    columns     = [column.batch_id]
    ref_columns = [table.queue_job_batches.column.id]
    on_delete   = SET_NULL
  }
  // Claiming: the due pending jobs by priority, then age, then id: the
  // whole ORDER BY of JobClaimNext, so the LIMIT stops after N rows instead
  // of sorting every job of a bulk enqueue (same priority and scheduled_for)
  // by id first.
  index "queue_jobs_claim_idx" {
    on {
      column = column.priority
      desc   = true
    }
    on {
      column = column.scheduled_for
    }
    on {
      column = column.id
    }
    where = "status = 'pending'::job_status"
  }
  // Reclaiming stuck jobs.
  index "queue_jobs_processing_idx" {
    columns = [column.started_at]
    where   = "status = 'processing'::job_status"
  }
  index "queue_jobs_status_scheduled_for_idx" {
    columns = [column.status, column.scheduled_for]
  }
  index "queue_jobs_batch_id_idx" {
    columns = [column.batch_id]
  }
  check "queue_jobs_attempts" {
    expr = "attempts >= 0 AND max_attempts >= 1"
  }
}
