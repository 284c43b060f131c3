package jobqueue

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/deploystack/stackdb/gen/dbsqlc"
)

// Job is a claimed job, as JobClaim returns it: Attempts already counts
// this attempt.
type Job = dbsqlc.JobClaimRow

// WorkFunc does one job. A nil error completes the job with result (nil
// stores NULL); an error fails this attempt: the job is retried after
// 2^attempts seconds while attempts < max_attempts, else it fails for good
// (JobFail). ctx is cancelled when Stop gives up waiting.
type WorkFunc func(ctx context.Context, job *Job) (result json.RawMessage, err error)

// Defaults and limits of Config, after River's.
const (
	MaxWorkersDefault        = 100
	MaxWorkersMax            = 10_000
	FetchCooldownDefault     = 100 * time.Millisecond
	FetchCooldownMin         = time.Millisecond
	FetchPollIntervalDefault = time.Second
	FetchPollIntervalMin     = time.Millisecond
	// CompleteBatchMaxDefault bounds one JobCompleteMany statement; a larger
	// backlog is completed in several.
	CompleteBatchMaxDefault = 5_000
	// RescueStuckJobsAfterDefault is how long a job may be processing before
	// JobRetryStuck takes it back (its worker is presumed dead).
	RescueStuckJobsAfterDefault = time.Hour
)

// Config configures a Worker. The zero value of every field but Workers
// takes its default.
type Config struct {
	// Workers maps a job type to the function doing it. A claimed job whose
	// type has none fails this attempt with "no worker registered for job
	// type: <type>", so an instance that has the worker may take it on
	// retry.
	Workers map[string]WorkFunc

	// MaxWorkers is how many jobs run at once (MaxWorkersDefault). It is
	// also the most one claim takes.
	MaxWorkers int

	// FetchCooldown is the least time between two claims
	// (FetchCooldownDefault, at least FetchCooldownMin): under load, jobs
	// are claimed in batches of what finished during it.
	FetchCooldown time.Duration

	// FetchPollInterval is how long the worker waits before claiming again
	// after a claim found fewer jobs than it asked for
	// (FetchPollIntervalDefault, at least FetchCooldown).
	FetchPollInterval time.Duration

	// CompleteBatchMax is the most jobs one JobCompleteMany statement
	// completes (CompleteBatchMaxDefault). Completions are flushed as soon
	// as the previous flush returns, so the batch grows with the load.
	CompleteBatchMax int

	// RescueStuckJobsAfter is how long a job may be processing before the
	// worker takes it back with JobRetryStuck (RescueStuckJobsAfterDefault),
	// checked every tenth of it, at most every minute; a negative value
	// disables the rescue.
	RescueStuckJobsAfter time.Duration

	// Logger receives errors that have no caller to return to: a failed
	// flush or claim. Nil: slog.Default().
	Logger *slog.Logger
}

// withDefaults returns a copy of c with its defaults filled in, or an error
// naming the first invalid field.
func (c *Config) withDefaults() (*Config, error) {
	if c == nil {
		return nil, errors.New("jobqueue: nil config")
	}
	out := &Config{
		Workers:              c.Workers,
		MaxWorkers:           cmp.Or(c.MaxWorkers, MaxWorkersDefault),
		FetchCooldown:        cmp.Or(c.FetchCooldown, FetchCooldownDefault),
		FetchPollInterval:    cmp.Or(c.FetchPollInterval, FetchPollIntervalDefault),
		CompleteBatchMax:     cmp.Or(c.CompleteBatchMax, CompleteBatchMaxDefault),
		RescueStuckJobsAfter: cmp.Or(c.RescueStuckJobsAfter, RescueStuckJobsAfterDefault),
		Logger:               cmp.Or(c.Logger, slog.Default()),
	}
	switch {
	case len(out.Workers) == 0:
		return nil, errors.New("jobqueue: Workers is empty: register a WorkFunc for at least one job type")
	case out.MaxWorkers < 1 || out.MaxWorkers > MaxWorkersMax:
		return nil, fmt.Errorf("jobqueue: MaxWorkers %d: want 1 to %d", out.MaxWorkers, MaxWorkersMax)
	case out.FetchCooldown < FetchCooldownMin:
		return nil, fmt.Errorf("jobqueue: FetchCooldown %s: want at least %s", out.FetchCooldown, FetchCooldownMin)
	case out.FetchPollInterval < FetchPollIntervalMin:
		return nil, fmt.Errorf("jobqueue: FetchPollInterval %s: want at least %s", out.FetchPollInterval, FetchPollIntervalMin)
	case out.FetchPollInterval < out.FetchCooldown:
		return nil, fmt.Errorf("jobqueue: FetchPollInterval %s is shorter than FetchCooldown %s", out.FetchPollInterval, out.FetchCooldown)
	case out.CompleteBatchMax < 1:
		return nil, fmt.Errorf("jobqueue: CompleteBatchMax %d: want at least 1", out.CompleteBatchMax)
	}
	for typ, fn := range out.Workers {
		if fn == nil {
			return nil, fmt.Errorf("jobqueue: Workers[%q] is nil", typ)
		}
	}
	return out, nil
}
