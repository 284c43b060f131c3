// The job queue: jobs and batches (jobs.ts).
// Generated once from DeployStack's real model; edit by hand from here on.

enum "job_status" {
  schema = schema.public
  values = ["pending", "processing", "completed", "failed"]
}

// DeployStack: queueJobBatches.
table "queue_job_batches" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "type" {
    type = text
  }
  column "total_jobs" {
    type = integer
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
  column "completed_at" {
    type = timestamptz
    null = true
  }
  primary_key {
    columns = [column.id]
  }
  index "job_batches_status_idx" {
    columns = [column.status]
  }
  index "job_batches_created_at_idx" {
    columns = [column.created_at]
  }
}

// DeployStack: queueJobs.
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
  column "scheduled_for" {
    type    = timestamptz
    default = sql("now()")
  }
  column "attempts" {
    type    = integer
    default = 0
  }
  column "max_attempts" {
    type    = integer
    default = 3
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
  column "completed_at" {
    type = timestamptz
    null = true
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "queue_jobs_batch_id_fkey" {
    columns     = [column.batch_id]
    ref_columns = [table.queue_job_batches.column.id]
    on_delete   = CASCADE
  }
  index "jobs_status_scheduled_idx" {
    columns = [column.status, column.scheduled_for]
  }
  index "jobs_type_idx" {
    columns = [column.type]
  }
  index "jobs_created_at_idx" {
    columns = [column.created_at]
  }
  index "jobs_batch_id_idx" {
    columns = [column.batch_id]
  }
  // stackdb: JobClaim takes the due pending jobs in (scheduled_for, id)
  // order. Holding only the pending jobs, in exactly that order, the LIMIT
  // reads just the rows it claims, however many finished jobs the table
  // keeps.
  index "queue_jobs_claim_idx" {
    columns = [column.scheduled_for, column.id]
    where   = "status = 'pending'::job_status"
  }
  // stackdb: JobRetryStuck finds the jobs processing since before a cutoff;
  // a processing job's updated_at is the time it was claimed.
  index "queue_jobs_processing_idx" {
    columns = [column.updated_at]
    where   = "status = 'processing'::job_status"
  }
}
