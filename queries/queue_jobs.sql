-- The job queue (DeployStack: queueJobs; services/jobQueueService.ts and
-- jobProcessorService.ts). Every query runs on the DBTX it is given, so a
-- job inserted in the caller's transaction commits or rolls back with the
-- caller's work, and no worker sees it before the commit.
--
-- Lifecycle: pending -> (JobClaim) processing -> (JobComplete,
-- JobCompleteMany) completed, or (JobFail) pending again after a backoff of
-- 2^attempts seconds while attempts < max_attempts, else failed. A job of a
-- batch is counted in its batch (completed_jobs / failed_jobs) by the
-- statement that finishes it, so batch progress never reads the batch's
-- jobs.

-- JobInsert adds a pending job, due at scheduled_for (nil = now()).
-- name: JobInsert :one
INSERT INTO queue_jobs (id, type, payload, max_attempts, scheduled_for, batch_id)
VALUES (@id, @type, @payload, @max_attempts,
        coalesce(sqlc.narg('scheduled_for')::timestamptz, now()), sqlc.narg('batch_id'))
RETURNING *;

-- JobInsertMany adds one pending job per element of the parallel arrays
-- ids, types and payloads (of equal length; otherwise a NOT NULL violation
-- refuses them all), with the same max_attempts, due time (nil = now()) and
-- batch (nil = none). It returns the number of jobs added.
-- name: JobInsertMany :execrows
INSERT INTO queue_jobs (id, type, payload, max_attempts, scheduled_for, batch_id)
SELECT unnest(@ids::text[]), unnest(@types::text[]), unnest(@payloads::jsonb[]), @max_attempts,
       coalesce(sqlc.narg('scheduled_for')::timestamptz, now()), sqlc.narg('batch_id');

-- name: JobGetByID :one
SELECT * FROM queue_jobs WHERE id = @id;

-- JobClaim takes up to max_jobs due pending jobs, the longest due first (as
-- DeployStack's poller orders them, then by id), and marks them processing:
-- attempts + 1, updated_at = now() (the claim time JobRetryStuck goes by).
-- Jobs another claimer holds in its open transaction are skipped, so
-- concurrent workers never receive the same job. The jobs are returned in
-- claim order; attempts is the fence JobComplete and JobFail need.
-- name: JobClaim :many
WITH next AS (
    SELECT id FROM queue_jobs
    WHERE status = 'pending' AND scheduled_for <= now()
    ORDER BY scheduled_for, id
    LIMIT @max_jobs
    FOR UPDATE SKIP LOCKED
), claimed AS (
    UPDATE queue_jobs j
    SET status = 'processing', attempts = j.attempts + 1, updated_at = now()
    FROM next
    WHERE j.id = next.id
    RETURNING j.*
)
SELECT * FROM claimed ORDER BY scheduled_for, id;

-- JobComplete records a processing job's result (nil = NULL) and, in the
-- same statement, counts it in its batch: the batch is processing until
-- completed_jobs + failed_jobs reaches total_jobs, then completed, or failed
-- if any of its jobs failed (DeployStack's rule), with completed_at set.
-- attempts is the value JobClaim returned: it fences off a worker whose job
-- was taken back by JobRetryStuck and claimed again. ErrNotFound when the
-- job is not processing under this attempt; then nothing changes.
-- name: JobComplete :one
WITH done AS (
    UPDATE queue_jobs j
    SET status = 'completed', completed_at = now(), result = sqlc.narg('result'), updated_at = now()
    WHERE j.id = @id AND j.status = 'processing' AND j.attempts = @attempts
    RETURNING j.*
), batch AS (
    UPDATE queue_job_batches b
    SET completed_jobs = b.completed_jobs + 1,
        status = CASE
            WHEN b.completed_jobs + 1 + b.failed_jobs < b.total_jobs THEN 'processing'
            WHEN b.failed_jobs > 0 THEN 'failed'
            ELSE 'completed'
        END::job_status,
        completed_at = CASE
            WHEN b.completed_jobs + 1 + b.failed_jobs < b.total_jobs THEN b.completed_at
            ELSE now()
        END
    FROM done
    WHERE b.id = done.batch_id
)
SELECT * FROM done;

-- JobCompleteMany is JobComplete for many jobs in one statement: the
-- parallel arrays ids, attempts and results (nil result = NULL) name each
-- job, the attempts value its claim returned and its result; arrays of
-- different lengths complete nothing. Each job is completed only while it
-- is processing under that attempt, as in JobComplete, and each batch is
-- counted once for all its jobs completed here. It returns the ids of the jobs completed; the others (taken back by
-- JobRetryStuck, finished already) are left unchanged. Workers batch their
-- completions through it (internal/jobqueue): one statement and one commit
-- for thousands of jobs instead of one each.
-- name: JobCompleteMany :many
WITH input AS (
    SELECT unnest(@ids::text[]) AS id, unnest(@attempts::int[]) AS attempts, unnest(@results::jsonb[]) AS result
    WHERE cardinality(@ids::text[]) = cardinality(@attempts::int[])
      AND cardinality(@ids::text[]) = cardinality(@results::jsonb[])
), done AS (
    UPDATE queue_jobs j
    SET status = 'completed', completed_at = now(), result = input.result, updated_at = now()
    FROM input
    WHERE j.id = input.id AND j.status = 'processing' AND j.attempts = input.attempts
    RETURNING j.id, j.batch_id
), batch AS (
    UPDATE queue_job_batches b
    SET completed_jobs = b.completed_jobs + d.n,
        status = CASE
            WHEN b.completed_jobs + d.n + b.failed_jobs < b.total_jobs THEN 'processing'
            WHEN b.failed_jobs > 0 THEN 'failed'
            ELSE 'completed'
        END::job_status,
        completed_at = CASE
            WHEN b.completed_jobs + d.n + b.failed_jobs < b.total_jobs THEN b.completed_at
            ELSE now()
        END
    FROM (SELECT batch_id, count(*)::int AS n FROM done WHERE batch_id IS NOT NULL GROUP BY batch_id) d
    WHERE b.id = d.batch_id
)
SELECT id FROM done;

-- JobFail records a processing job's error; attempts fences as in
-- JobComplete. While attempts < max_attempts the job goes back to pending,
-- due 2^attempts seconds from now (DeployStack's backoff: 2 s after the
-- first attempt, 4 s after the second, ...). Otherwise it fails for good
-- (completed_at = now(): finished), and only then is it counted in its
-- batch's failed_jobs, in the same statement; the batch fails once all its
-- jobs are done. It returns the job as updated; ErrNotFound when it is not
-- processing under this attempt, and then nothing changes.
-- name: JobFail :one
WITH failed AS (
    UPDATE queue_jobs j
    SET status        = CASE WHEN j.attempts < j.max_attempts THEN 'pending' ELSE 'failed' END::job_status,
        scheduled_for = CASE
            WHEN j.attempts < j.max_attempts
                THEN now() + power(2, least(j.attempts, 40)) * interval '1 second'
            ELSE j.scheduled_for
        END,
        completed_at  = CASE WHEN j.attempts < j.max_attempts THEN NULL ELSE now() END,
        error         = @error::text,
        updated_at    = now()
    WHERE j.id = @id AND j.status = 'processing' AND j.attempts = @attempts
    RETURNING j.*
), batch AS (
    UPDATE queue_job_batches b
    SET failed_jobs = b.failed_jobs + 1,
        status = CASE
            WHEN b.completed_jobs + b.failed_jobs + 1 < b.total_jobs THEN 'processing'
            ELSE 'failed'
        END::job_status,
        completed_at = CASE
            WHEN b.completed_jobs + b.failed_jobs + 1 < b.total_jobs THEN b.completed_at
            ELSE now()
        END
    FROM failed
    WHERE b.id = failed.batch_id AND failed.status = 'failed'
)
SELECT * FROM failed;

-- JobRetryStuck takes back the jobs processing since before now() -
-- timeout_seconds (their worker is presumed dead): back to pending and due
-- at once while attempts < max_attempts, else failed, with error
-- 'processing timed out'; the failed ones are counted in their batches in
-- the same statement. Jobs locked by a transaction that is finishing them
-- are skipped. It returns the number of jobs taken back.
-- name: JobRetryStuck :one
WITH stuck AS (
    SELECT id FROM queue_jobs
    WHERE status = 'processing' AND updated_at < now() - interval '1 second' * @timeout_seconds::float8
    FOR UPDATE SKIP LOCKED
), retried AS (
    UPDATE queue_jobs j
    SET status        = CASE WHEN j.attempts < j.max_attempts THEN 'pending' ELSE 'failed' END::job_status,
        scheduled_for = CASE WHEN j.attempts < j.max_attempts THEN now() ELSE j.scheduled_for END,
        completed_at  = CASE WHEN j.attempts < j.max_attempts THEN NULL ELSE now() END,
        error         = 'processing timed out',
        updated_at    = now()
    FROM stuck
    WHERE j.id = stuck.id
    RETURNING j.batch_id, j.status
), batch AS (
    UPDATE queue_job_batches b
    SET failed_jobs = b.failed_jobs + f.n,
        status = CASE
            WHEN b.completed_jobs + b.failed_jobs + f.n < b.total_jobs THEN 'processing'
            ELSE 'failed'
        END::job_status,
        completed_at = CASE
            WHEN b.completed_jobs + b.failed_jobs + f.n < b.total_jobs THEN b.completed_at
            ELSE now()
        END
    FROM (SELECT batch_id, count(*)::int AS n FROM retried
          WHERE status = 'failed' AND batch_id IS NOT NULL GROUP BY batch_id) f
    WHERE b.id = f.batch_id
)
SELECT count(*) FROM retried;

-- JobDeleteFinished deletes the completed and failed jobs last updated (for
-- a finished job: when it finished) more than older_than_seconds ago, and,
-- in the same statement, the batches whose last jobs it deleted
-- (DeployStack's cleanupOldJobsWorker deletes by created_at whatever the
-- status, then every batch without jobs, in two statements). A batch that
-- has no jobs yet is left alone. It returns both counts.
-- name: JobDeleteFinished :one
WITH deleted AS (
    DELETE FROM queue_jobs
    WHERE status IN ('completed', 'failed')
      AND updated_at < now() - interval '1 second' * @older_than_seconds::float8
    RETURNING id, batch_id
), emptied AS (
    DELETE FROM queue_job_batches b
    WHERE b.id IN (SELECT batch_id FROM deleted)
      AND NOT EXISTS (
          SELECT 1 FROM queue_jobs j
          WHERE j.batch_id = b.id AND j.id NOT IN (SELECT id FROM deleted WHERE batch_id = b.id)
      )
    RETURNING b.id
)
SELECT (SELECT count(*) FROM deleted) AS jobs, (SELECT count(*) FROM emptied) AS batches;

-- JobListByBatch returns a batch's jobs in the order they were created
-- (DeployStack's getJobsByBatchId).
-- name: JobListByBatch :many
SELECT * FROM queue_jobs WHERE batch_id = @batch_id::text ORDER BY created_at, id;

-- JobCountByStatus counts the jobs of each status, of one batch or (nil)
-- of all, with the mean time from creation to completion of the completed
-- ones in milliseconds (0 when none): DeployStack's getJobStats and the
-- counts of getBatchProgress, in one statement instead of three.
-- name: JobCountByStatus :one
SELECT count(*) FILTER (WHERE status = 'pending')    AS pending,
       count(*) FILTER (WHERE status = 'processing') AS processing,
       count(*) FILTER (WHERE status = 'completed')  AS completed,
       count(*) FILTER (WHERE status = 'failed')     AS failed,
       coalesce(avg(extract(epoch FROM completed_at - created_at) * 1000)
                FILTER (WHERE status = 'completed' AND completed_at IS NOT NULL), 0)::float8 AS avg_duration_ms
FROM queue_jobs
WHERE sqlc.narg('batch_id')::text IS NULL OR batch_id = sqlc.narg('batch_id')::text;

-- JobCancelByBatch fails a batch's pending jobs with error 'Cancelled by
-- administrator' (DeployStack's cancelBatchJobs) and counts them in the
-- batch's failed_jobs in the same statement, which DeployStack does not,
-- so the batch still finishes. Processing jobs run on. It returns the
-- number of jobs cancelled.
-- name: JobCancelByBatch :one
WITH cancelled AS (
    UPDATE queue_jobs j
    SET status = 'failed', error = 'Cancelled by administrator', completed_at = now(), updated_at = now()
    WHERE j.batch_id = @batch_id::text AND j.status = 'pending'
    RETURNING j.id
), batch AS (
    UPDATE queue_job_batches b
    SET failed_jobs = b.failed_jobs + c.n,
        status = CASE
            WHEN b.completed_jobs + b.failed_jobs + c.n < b.total_jobs THEN 'processing'
            ELSE 'failed'
        END::job_status,
        completed_at = CASE
            WHEN b.completed_jobs + b.failed_jobs + c.n < b.total_jobs THEN b.completed_at
            ELSE now()
        END
    FROM (SELECT count(*)::int AS n FROM cancelled) c
    WHERE b.id = @batch_id::text AND c.n > 0
)
SELECT count(*) FROM cancelled;

-- JobRetryFailedByBatch puts a batch's failed jobs back to pending, due at
-- once, with attempts and error reset (DeployStack's retryFailedBatchJobs),
-- and takes them off the batch's failed_jobs in the same statement, so the
-- batch is processing again until they finish. It returns the number of
-- jobs retried.
-- name: JobRetryFailedByBatch :one
WITH retried AS (
    UPDATE queue_jobs j
    SET status = 'pending', scheduled_for = now(), attempts = 0, error = NULL, completed_at = NULL, updated_at = now()
    WHERE j.batch_id = @batch_id::text AND j.status = 'failed'
    RETURNING j.id
), batch AS (
    UPDATE queue_job_batches b
    SET failed_jobs = greatest(b.failed_jobs - r.n, 0), status = 'processing', completed_at = NULL
    FROM (SELECT count(*)::int AS n FROM retried) r
    WHERE b.id = @batch_id::text AND r.n > 0
)
SELECT count(*) FROM retried;
