-- A batch's counters and status are kept by the job queries (JobComplete,
-- JobFail, JobReclaimStuck) in the statement that finishes each job: when
-- completed_jobs + failed_jobs reaches total_jobs the batch is completed,
-- or failed if any of its jobs failed. total_jobs must be the number of
-- jobs enqueued with the batch's id.
-- name: JobBatchCreate :one
INSERT INTO queue_job_batches (id, type, total_jobs, metadata)
VALUES (@id, @type, @total_jobs, sqlc.narg('metadata'))
RETURNING *;

-- name: JobBatchGet :one
SELECT * FROM queue_job_batches WHERE id = @id;
