package ingestbench

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/deploystack/stackdb/gen/dbsqlc"
)

// maxLinger bounds how long a heartbeat waits for others to share its
// round trip.
const maxLinger = 5 * time.Millisecond

// heartbeatBatcher groups concurrent heartbeats into one round trip: each
// flusher takes the waiting heartbeats (up to maxBatch, lingering at most
// linger for more) and sends them as one pgx batch, which Postgres runs
// in one implicit transaction, so one commit for the lot. The statement
// and its arguments are SatelliteUpdateHeartbeat's, taken from the
// generated code. A batch that fails is retried one heartbeat at a time,
// so one bad heartbeat fails alone. Unlike a heartbeat run alone, one of
// an unknown satellite in a batch is not reported (ErrNotFound): the batch
// does not read the rows back.
type heartbeatBatcher struct {
	pool     *pgxpool.Pool
	q        dbsqlc.Querier // the generated queries, to run a heartbeat alone
	maxBatch int
	linger   time.Duration
	reqs     chan *heartbeatReq
	wg       sync.WaitGroup
	// roundTrips counts the batches sent (a batch of one included).
	roundTrips atomic.Int64
}

type heartbeatReq struct {
	p    dbsqlc.SatelliteUpdateHeartbeatParams
	call call
	done chan error
}

// newHeartbeatBatcher starts flushers goroutines sending batches on pool.
func newHeartbeatBatcher(pool *pgxpool.Pool, q dbsqlc.Querier, flushers, maxBatch int, linger time.Duration) (*heartbeatBatcher, error) {
	if flushers < 1 || maxBatch < 1 || linger < 0 || linger > maxLinger {
		return nil, fmt.Errorf("ingestbench: heartbeat batcher: want flushers, maxBatch >= 1 and linger in [0, %s]", maxLinger)
	}
	b := &heartbeatBatcher{pool: pool, q: q, maxBatch: maxBatch, linger: linger, reqs: make(chan *heartbeatReq, 4*maxBatch)}
	for range flushers {
		b.wg.Add(1)
		go b.flush()
	}
	return b, nil
}

// Heartbeat records one heartbeat and returns once it is committed (or
// failed).
func (b *heartbeatBatcher) Heartbeat(ctx context.Context, p dbsqlc.SatelliteUpdateHeartbeatParams) error {
	rec := &recorder{}
	_, _ = dbsqlc.New(rec).SatelliteUpdateHeartbeat(ctx, p)
	r := &heartbeatReq{p: p, call: rec.calls[0], done: make(chan error, 1)}
	select {
	case b.reqs <- r:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-r.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close stops the flushers once the queued heartbeats are sent; no
// Heartbeat may be called after it.
func (b *heartbeatBatcher) Close() {
	close(b.reqs)
	b.wg.Wait()
}

func (b *heartbeatBatcher) flush() {
	defer b.wg.Done()
	batch := make([]*heartbeatReq, 0, b.maxBatch)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for first := range b.reqs {
		batch = append(batch[:0], first)
	drain:
		for len(batch) < b.maxBatch {
			select {
			case r, ok := <-b.reqs:
				if !ok {
					break drain
				}
				batch = append(batch, r)
			default:
				if b.linger == 0 {
					break drain
				}
				timer.Reset(b.linger)
				select {
				case r, ok := <-b.reqs:
					timer.Stop()
					if !ok {
						break drain
					}
					batch = append(batch, r)
				case <-timer.C:
					break drain
				}
			}
		}
		b.send(batch)
	}
}

// send runs a batch and answers each heartbeat in it.
func (b *heartbeatBatcher) send(batch []*heartbeatReq) {
	b.roundTrips.Add(1)
	ctx := context.Background()
	if len(batch) == 1 {
		_, err := b.q.SatelliteUpdateHeartbeat(ctx, batch[0].p)
		batch[0].done <- err
		return
	}
	pb := &pgx.Batch{}
	for _, r := range batch {
		pb.Queue(r.call.sql, r.call.args...)
	}
	err := b.pool.SendBatch(ctx, pb).Close()
	if err == nil {
		for _, r := range batch {
			r.done <- nil
		}
		return
	}
	// The batch rolled back as a whole: run each alone for its own answer.
	for _, r := range batch {
		_, err := b.q.SatelliteUpdateHeartbeat(ctx, r.p)
		r.done <- err
	}
}
