package stackdb

import (
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/deploystack/stackdb/internal/jobqueue"
)

// Job is a claimed job handed to a JobWorkFunc; Attempts counts this
// attempt.
type Job = jobqueue.Job

// JobWorkFunc does one job: nil error completes it with the result (nil
// stores NULL), an error fails the attempt (retried after 2^attempts s up
// to max_attempts).
type JobWorkFunc = jobqueue.WorkFunc

// JobWorkerConfig configures a JobWorker: the WorkFunc of each job type and
// how many jobs run at once, how often it claims, how large a completion
// batch may grow and when stuck jobs are taken back. Zero fields take
// River-like defaults (jobqueue.MaxWorkersDefault, …).
type JobWorkerConfig = jobqueue.Config

// JobWorker works the job queue in-process: it claims as many due jobs as
// it has free workers in one statement and completes the finished ones in
// one statement per flush (JobClaim, JobCompleteMany), failures through
// JobFail. Start it once per instance; any number may run.
type JobWorker = jobqueue.Worker

// JobWorkerStats are a JobWorker's counts (claims, jobs completed, …).
type JobWorkerStats = jobqueue.Stats

// NewJobWorker returns a worker on pool, with errors interpreted as New's.
// Call Start, and Stop at shutdown.
func NewJobWorker(pool *pgxpool.Pool, cfg *JobWorkerConfig) (*JobWorker, error) {
	return jobqueue.New(New(pool), cfg)
}
