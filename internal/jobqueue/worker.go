// Package jobqueue works DeployStack's job queue (queue_jobs) in-process, in
// the way River works its own: one claim (JobClaim, FOR UPDATE SKIP LOCKED)
// takes as many due jobs as there are free workers, each job runs on its own
// goroutine, and completions are gathered and written by JobCompleteMany,
// one statement (one commit) for every job that finished while the last one
// ran. Per job that is two row updates and a fraction of two statements,
// where claiming and completing one at a time costs two round trips and
// two commits.
//
// The semantics are DeployStack's (services/jobProcessorService.ts):
// a claim counts an attempt; a job that returns an error is retried after
// 2^attempts seconds until max_attempts, then fails (JobFail); a job of a
// batch is counted in its batch by the statement that finishes it. The
// attempts value of the claim fences every write, so a job taken back by
// JobRetryStuck and claimed again is never finished by its first worker.
// A worker that dies leaves its jobs processing (a completion not yet
// flushed is lost with it): the rescue (RescueStuckJobsAfter) puts them
// back, so a job runs at least once.
package jobqueue

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/deploystack/stackdb/gen/dbsqlc"
)

// Worker claims and runs jobs until it is stopped. Any number of workers,
// in one process or many, may work the same queue.
type Worker struct {
	q   dbsqlc.Querier
	cfg *Config

	completer *completer
	active    atomic.Int64  // jobs claimed and not yet returned by their WorkFunc
	freed     chan struct{} // a job returned: room for the next claim

	stats struct{ claims, claimed, failed atomic.Int64 }

	mu       sync.Mutex
	started  bool
	stopping chan struct{} // closed by Stop: claim no more
	cancel   context.CancelFunc
	fetching sync.WaitGroup // the claim and rescue loops
	jobs     sync.WaitGroup // running jobs
	stopped  chan struct{}  // closed once everything has returned and been flushed
}

// Stats are a worker's counts since it was made.
type Stats struct {
	Claims    int64 `json:"claims"`    // JobClaim statements run
	Claimed   int64 `json:"claimed"`   // jobs they returned
	Completed int64 `json:"completed"` // jobs completed (written)
	Fenced    int64 `json:"fenced"`    // completions refused: the job was no longer this attempt's
	Failed    int64 `json:"failed"`    // attempts that returned an error (written by JobFail)
	Flushes   int64 `json:"flushes"`   // JobCompleteMany statements run
}

// New returns a worker running its queries on q, which must be safe for
// concurrent use (a pool's): claims, flushes and failures run at once.
func New(q dbsqlc.Querier, cfg *Config) (*Worker, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	w := &Worker{q: q, cfg: c, freed: make(chan struct{}, 1)}
	w.completer = newCompleter(q, c.CompleteBatchMax, c.Logger)
	return w, nil
}

// Stats returns the worker's counts so far.
func (w *Worker) Stats() Stats {
	done, fenced, flushes := w.completer.counts()
	return Stats{
		Claims: w.stats.claims.Load(), Claimed: w.stats.claimed.Load(), Completed: done, Fenced: fenced,
		Failed: w.stats.failed.Load(), Flushes: flushes,
	}
}

// Start starts claiming jobs. Cancelling ctx stops the worker at once,
// cancelling the running jobs' contexts; Stop is the graceful way.
func (w *Worker) Start(ctx context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.started {
		return errors.New("jobqueue: worker already started")
	}
	w.started = true
	ctx, w.cancel = context.WithCancel(ctx)
	w.stopping = make(chan struct{})
	w.stopped = make(chan struct{})
	go w.completer.run()
	w.fetching.Add(1)
	go w.claimLoop(ctx)
	if w.cfg.RescueStuckJobsAfter > 0 {
		w.fetching.Add(1)
		go w.rescueLoop(ctx)
	}
	go func() {
		<-ctx.Done()
		w.stop()
	}()
	go func() {
		w.fetching.Wait()
		w.jobs.Wait()
		w.completer.close()
		close(w.stopped)
	}()
	return nil
}

func (w *Worker) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	select {
	case <-w.stopping:
	default:
		close(w.stopping)
	}
}

// Stop stops claiming, waits for the running jobs to return and their
// completions to be written. If ctx ends first, it cancels the jobs'
// contexts and returns ctx's error; what they return is still written.
func (w *Worker) Stop(ctx context.Context) error {
	w.mu.Lock()
	started := w.started
	w.mu.Unlock()
	if !started {
		return errors.New("jobqueue: worker not started")
	}
	w.stop()
	select {
	case <-w.stopped:
		w.cancel()
		return nil
	case <-ctx.Done():
		w.cancel()
		return fmt.Errorf("jobqueue: stop: %w", ctx.Err())
	}
}

// claimLoop claims as many jobs as there are free workers, at most once a
// FetchCooldown, and waits FetchPollInterval after a claim that found fewer
// than it asked for.
func (w *Worker) claimLoop(ctx context.Context) {
	defer w.fetching.Done()
	var last time.Time
	for {
		for w.active.Load() >= int64(w.cfg.MaxWorkers) {
			if !w.wait(w.freed, 0) {
				return
			}
		}
		if d := w.cfg.FetchCooldown - time.Since(last); d > 0 && !w.wait(nil, d) {
			return
		}
		limit := w.cfg.MaxWorkers - int(w.active.Load())
		last = time.Now()
		// Not cancelled by Stop: a claim lost in flight would leave its jobs
		// processing until the rescue.
		jobs, err := w.q.JobClaim(context.WithoutCancel(ctx), int32(limit))
		w.stats.claims.Add(1)
		if err != nil {
			w.cfg.Logger.Error("jobqueue: claim", slog.Any("err", err))
			if !w.wait(nil, w.cfg.FetchPollInterval) {
				return
			}
			continue
		}
		w.stats.claimed.Add(int64(len(jobs)))
		w.active.Add(int64(len(jobs)))
		w.jobs.Add(len(jobs))
		for i := range jobs {
			go w.work(ctx, &jobs[i])
		}
		if len(jobs) < limit && !w.wait(nil, w.cfg.FetchPollInterval) {
			return
		}
	}
}

// wait waits for ch (nil: none) or d (0: none); false when stopping.
func (w *Worker) wait(ch <-chan struct{}, d time.Duration) bool {
	var timer <-chan time.Time
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timer = t.C
	}
	select {
	case <-w.stopping:
		return false
	case <-ch:
	case <-timer:
	}
	return true
}

// work runs one job and hands its outcome on: a completion to the
// completer, a failure to JobFail.
func (w *Worker) work(ctx context.Context, job *Job) {
	defer func() {
		w.active.Add(-1)
		select {
		case w.freed <- struct{}{}:
		default:
		}
		w.jobs.Done()
	}()
	result, err := w.call(ctx, job)
	if err == nil {
		w.completer.add(job.ID, job.Attempts, result)
		return
	}
	w.stats.failed.Add(1)
	if _, ferr := w.q.JobFail(context.WithoutCancel(ctx), dbsqlc.JobFailParams{
		Error: err.Error(), ID: job.ID, Attempts: job.Attempts,
	}); ferr != nil {
		w.cfg.Logger.Error("jobqueue: record failure", slog.String("job_id", job.ID), slog.Any("err", ferr))
	}
}

// call runs the job's WorkFunc; a panic is the attempt's error.
func (w *Worker) call(ctx context.Context, job *Job) (result []byte, err error) {
	fn := w.cfg.Workers[job.Type]
	if fn == nil {
		return nil, fmt.Errorf("no worker registered for job type: %s", job.Type)
	}
	defer func() {
		if r := recover(); r != nil {
			result, err = nil, fmt.Errorf("panic: %v", r)
		}
	}()
	return fn(ctx, job)
}

// rescueLoop takes back jobs processing for longer than
// RescueStuckJobsAfter, every tenth of it (at most every minute).
func (w *Worker) rescueLoop(ctx context.Context) {
	defer w.fetching.Done()
	every := min(w.cfg.RescueStuckJobsAfter/10, time.Minute)
	for w.wait(nil, every) {
		n, err := w.q.JobRetryStuck(ctx, w.cfg.RescueStuckJobsAfter.Seconds())
		switch {
		case err != nil && ctx.Err() == nil:
			w.cfg.Logger.Error("jobqueue: rescue stuck jobs", slog.Any("err", err))
		case n > 0:
			w.cfg.Logger.Warn("jobqueue: took back stuck jobs", slog.Int64("jobs", n))
		}
	}
}
