-- Job batches (DeployStack: queueJobBatches). A batch's counters, status and
-- completed_at are kept by the job queries (JobComplete, JobFail,
-- JobRetryStuck) in the statement that finishes each of its jobs: pending
-- until the first job finishes, processing until completed_jobs +
-- failed_jobs reaches total_jobs, then completed, or failed if any job
-- failed. total_jobs must be the number of jobs inserted with the batch's id.

-- name: JobBatchInsert :one
INSERT INTO queue_job_batches (id, type, total_jobs, metadata)
VALUES (@id, @type, @total_jobs, sqlc.narg('metadata'))
RETURNING *;

-- name: JobBatchGetByID :one
SELECT * FROM queue_job_batches WHERE id = @id;
