package jobqueue

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/deploystack/stackdb/gen/dbsqlc"
)

// flushAttempts is how often a failing flush is tried before its
// completions are given up (their jobs stay processing until the rescue).
const flushAttempts = 5

// completer gathers completions and writes them with JobCompleteMany. A
// flush starts as soon as the previous one returns and takes everything
// gathered meanwhile (up to max), so under load one commit covers many
// jobs and at rest a completion is written at once. Adders wait while
// 2*max completions are waiting, so a slow database slows the claims.
type completer struct {
	q      dbsqlc.Querier
	max    int
	logger *slog.Logger

	mu      sync.Mutex
	room    *sync.Cond // signalled when a flush takes completions
	batch   dbsqlc.JobCompleteManyParams
	closing bool
	ready   chan struct{} // cap 1: something to flush
	done    chan struct{} // closed when run returns

	completed, fenced, flushes int64 // under mu
}

func newCompleter(q dbsqlc.Querier, max int, logger *slog.Logger) *completer {
	c := &completer{q: q, max: max, logger: logger, ready: make(chan struct{}, 1), done: make(chan struct{})}
	c.room = sync.NewCond(&c.mu)
	return c
}

// add queues a job's completion, waiting while the backlog is full.
func (c *completer) add(id string, attempts int32, result json.RawMessage) {
	c.mu.Lock()
	for len(c.batch.Ids) >= 2*c.max && !c.closing {
		c.room.Wait()
	}
	c.batch.Ids = append(c.batch.Ids, id)
	c.batch.Attempts = append(c.batch.Attempts, attempts)
	c.batch.Results = append(c.batch.Results, result)
	c.mu.Unlock()
	select {
	case c.ready <- struct{}{}:
	default:
	}
}

// close flushes what is left and waits for it; no add may follow.
func (c *completer) close() {
	c.mu.Lock()
	c.closing = true
	c.room.Broadcast()
	c.mu.Unlock()
	select {
	case c.ready <- struct{}{}:
	default:
	}
	<-c.done
}

func (c *completer) counts() (completed, fenced, flushes int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.completed, c.fenced, c.flushes
}

func (c *completer) run() {
	defer close(c.done)
	for range c.ready {
		for {
			p, closing := c.take()
			if len(p.Ids) == 0 {
				if closing {
					return
				}
				break
			}
			c.flush(p)
		}
	}
}

// take removes up to max completions from the backlog.
func (c *completer) take() (dbsqlc.JobCompleteManyParams, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := min(len(c.batch.Ids), c.max)
	p := dbsqlc.JobCompleteManyParams{Ids: c.batch.Ids[:n], Attempts: c.batch.Attempts[:n], Results: c.batch.Results[:n]}
	if n == len(c.batch.Ids) {
		c.batch = dbsqlc.JobCompleteManyParams{}
	} else {
		c.batch.Ids, c.batch.Attempts, c.batch.Results = c.batch.Ids[n:], c.batch.Attempts[n:], c.batch.Results[n:]
	}
	c.room.Broadcast()
	return p, c.closing
}

// flush writes one batch, trying again after an error (a deadlock with
// another worker's flush over the same batch rows, a dropped connection).
func (c *completer) flush(p dbsqlc.JobCompleteManyParams) {
	ctx := context.Background() // a completion is written even while stopping
	var err error
	for attempt := range flushAttempts {
		if attempt > 0 {
			time.Sleep(time.Duration(1<<attempt) * 10 * time.Millisecond)
		}
		var ids []string
		if ids, err = c.q.JobCompleteMany(ctx, p); err == nil {
			c.mu.Lock()
			c.completed += int64(len(ids))
			c.fenced += int64(len(p.Ids) - len(ids))
			c.flushes++
			c.mu.Unlock()
			return
		}
		if !retryable(err) {
			break
		}
	}
	c.logger.Error("jobqueue: complete jobs; they stay processing until the rescue takes them back",
		slog.Int("jobs", len(p.Ids)), slog.Any("err", err))
}

// retryable: errors after which the same statement may succeed.
func retryable(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == pgerrcode.DeadlockDetected || pgErr.Code == pgerrcode.SerializationFailure ||
			pgerrcode.IsConnectionException(pgErr.Code) || pgerrcode.IsOperatorIntervention(pgErr.Code)
	}
	return true // not from the server: the connection, most likely
}
