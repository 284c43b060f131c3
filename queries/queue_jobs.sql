-- Every query runs on the DBTX it is given, so enqueueing inside the
-- caller's transaction commits or rolls back with the caller's work.

-- JobEnqueue adds a pending job, due at scheduled_for (nil = now()).
-- name: JobEnqueue :one
INSERT INTO queue_jobs (id, type, payload, priority, max_attempts, scheduled_for, batch_id)
VALUES (@id, @type, @payload, @priority, @max_attempts,
        coalesce(sqlc.narg('scheduled_for')::timestamptz, now()), sqlc.narg('batch_id'))
RETURNING *;

-- JobEnqueueMany adds one pending job per element of the parallel arrays
-- ids, types, payloads and priorities (which must have the same length),
-- all with the same max_attempts, due time (nil = now()) and batch (nil =
-- none). It returns the number of jobs added.
-- name: JobEnqueueMany :execrows
INSERT INTO queue_jobs (id, type, payload, priority, max_attempts, scheduled_for, batch_id)
SELECT unnest(@ids::text[]), unnest(@types::text[]), unnest(@payloads::jsonb[]), unnest(@priorities::int[]),
       @max_attempts, coalesce(sqlc.narg('scheduled_for')::timestamptz, now()), sqlc.narg('batch_id');

-- name: JobGet :one
SELECT * FROM queue_jobs WHERE id = @id;

-- JobClaimNext takes up to max_jobs due pending jobs, highest priority
-- first, then the longest due, and marks them processing: started_at =
-- now(), attempts + 1. Jobs that another claimer holds in its open
-- transaction are skipped, so concurrent workers never receive the same
-- job. The jobs are returned in claim order.
-- name: JobClaimNext :many
WITH next AS (
    SELECT id FROM queue_jobs
    WHERE status = 'pending' AND scheduled_for <= now()
    ORDER BY priority DESC, scheduled_for, id
    LIMIT @max_jobs
    FOR UPDATE SKIP LOCKED
), claimed AS (
    UPDATE queue_jobs j
    SET status = 'processing', started_at = now(), attempts = j.attempts + 1, updated_at = now()
    FROM next
    WHERE j.id = next.id
    RETURNING j.*
)
SELECT * FROM claimed ORDER BY priority DESC, scheduled_for, id;

-- JobComplete records a processing job's result and counts it as completed
-- in its batch (in the same statement), completing the batch with its last
-- job, or failing it if any job failed. attempts is the value JobClaimNext
-- returned: it fences off a worker whose job was reclaimed and claimed again
-- meanwhile. It returns the number of jobs completed: 0 when the job is not
-- processing under this attempt (never claimed, already finished,
-- reclaimed), and then nothing changes.
-- name: JobComplete :one
WITH done AS (
    UPDATE queue_jobs j
    SET status = 'completed', completed_at = now(), result = sqlc.narg('result'), updated_at = now()
    WHERE j.id = @id AND j.status = 'processing' AND j.attempts = @attempts
    RETURNING j.batch_id
), batch AS (
    UPDATE queue_job_batches b
    SET completed_jobs = b.completed_jobs + 1,
        status = CASE
            WHEN b.completed_jobs + 1 + b.failed_jobs < b.total_jobs THEN b.status
            WHEN b.failed_jobs > 0 THEN 'failed'
            ELSE 'completed'
        END::job_status,
        updated_at = now()
    FROM done
    WHERE b.id = done.batch_id
)
SELECT count(*) FROM done;

-- JobFail records a processing job's error; attempts fences as in
-- JobComplete. While attempts < max_attempts
-- the job goes back to pending, due after an exponential backoff of
-- backoff_base_seconds * 2^(attempts-1), at most backoff_max_seconds (nil =
-- no cap; the exponent stops at 40 so power() cannot overflow). Otherwise
-- it fails for good, and only then is it counted in its batch's failed_jobs
-- (in the same statement), which fails the batch once all its jobs are
-- done. It returns the job as updated; ErrNotFound when it is not
-- processing under this attempt, and then nothing changes.
-- name: JobFail :one
WITH failed AS (
    UPDATE queue_jobs j
    SET status        = CASE WHEN attempts < max_attempts THEN 'pending' ELSE 'failed' END::job_status,
        scheduled_for = CASE
            WHEN attempts < max_attempts THEN now() + least(
                power(2, least(greatest(attempts - 1, 0), 40)) * @backoff_base_seconds::float8,
                sqlc.narg('backoff_max_seconds')::float8) * interval '1 second'
            ELSE scheduled_for
        END,
        completed_at  = CASE WHEN attempts < max_attempts THEN NULL ELSE now() END,
        error         = @error::text,
        updated_at    = now()
    WHERE j.id = @id AND j.status = 'processing' AND j.attempts = @attempts
    RETURNING j.*
), batch AS (
    UPDATE queue_job_batches b
    SET failed_jobs = b.failed_jobs + 1,
        status = CASE
            WHEN b.completed_jobs + b.failed_jobs + 1 < b.total_jobs THEN b.status
            ELSE 'failed'
        END::job_status,
        updated_at = now()
    FROM failed
    WHERE b.id = failed.batch_id AND failed.status = 'failed'
)
SELECT * FROM failed;

-- JobReclaimStuck returns the jobs processing since before now() - timeout
-- (their worker is presumed dead) to pending, or fails them when their
-- attempts are exhausted, counting those in their batches in the same
-- statement. Jobs locked by a transaction that is finishing them are
-- skipped. It returns the number of jobs reclaimed.
-- name: JobReclaimStuck :one
WITH stuck AS (
    SELECT id FROM queue_jobs
    WHERE status = 'processing' AND started_at < now() - interval '1 second' * @timeout_seconds::float8
    FOR UPDATE SKIP LOCKED
), reclaimed AS (
    UPDATE queue_jobs j
    SET status       = CASE WHEN j.attempts < j.max_attempts THEN 'pending' ELSE 'failed' END::job_status,
        completed_at = CASE WHEN j.attempts < j.max_attempts THEN NULL ELSE now() END,
        error        = 'processing timed out',
        updated_at   = now()
    FROM stuck
    WHERE j.id = stuck.id
    RETURNING j.batch_id, j.status
), batch AS (
    UPDATE queue_job_batches b
    SET failed_jobs = b.failed_jobs + f.n,
        status = CASE
            WHEN b.completed_jobs + b.failed_jobs + f.n < b.total_jobs THEN b.status
            ELSE 'failed'
        END::job_status,
        updated_at = now()
    FROM (SELECT batch_id, count(*)::int AS n FROM reclaimed
          WHERE status = 'failed' AND batch_id IS NOT NULL GROUP BY batch_id) f
    WHERE b.id = f.batch_id
)
SELECT count(*) FROM reclaimed;

-- JobDeleteFinished deletes the completed and failed jobs that finished
-- more than older_than_seconds ago.
-- name: JobDeleteFinished :execrows
DELETE FROM queue_jobs
WHERE status IN ('completed', 'failed')
  AND completed_at < now() - interval '1 second' * @older_than_seconds::float8;
