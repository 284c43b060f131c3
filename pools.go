package stackdb

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/deploystack/stackdb/internal/dbpool"
)

// Pools are the connection pools of a primary and its streaming read
// replicas. Writes, and reads that must see them at once, go to Primary;
// reads that may lag by the replication delay (lists, dashboards, counts)
// go to Reader(). stackdb does not route by itself: the caller knows which
// of its reads tolerate lag.
//
// To read one's own write on a replica, take the primary's WAL position
// after the write commits and wait for the replica to replay it:
//
//	lsn, err := pools.WriteLSN(ctx) // after the write's commit
//	replica := pools.Reader()
//	err = pools.WaitForReplay(ctx, replica, lsn)
//	rows, err := stackdb.New(replica).…
//
// or, simpler when the wait would be rare, read from Primary for a few
// seconds after the write.
type Pools struct {
	Primary  *pgxpool.Pool
	Replicas []*pgxpool.Pool

	next atomic.Uint64 // round robin over Replicas
}

// OpenPools opens a pool to the primary and one to each replica (as OpenPool
// does), checking that each can connect. With no replica, Reader
// returns the primary.
func OpenPools(ctx context.Context, primaryURL string, replicaURLs ...string) (*Pools, error) {
	primary, err := dbpool.Open(ctx, primaryURL)
	if err != nil {
		return nil, fmt.Errorf("stackdb: open pools: primary: %w", err)
	}
	p := &Pools{Primary: primary}
	for i, u := range replicaURLs {
		replica, err := dbpool.Open(ctx, u)
		if err != nil {
			p.Close()
			return nil, fmt.Errorf("stackdb: open pools: replica %d: %w", i+1, err)
		}
		p.Replicas = append(p.Replicas, replica)
	}
	return p, nil
}

// Reader returns the pool for reads that tolerate replication lag: the
// replicas in turn, or the primary when there is none.
func (p *Pools) Reader() *pgxpool.Pool {
	if len(p.Replicas) == 0 {
		return p.Primary
	}
	return p.Replicas[(p.next.Add(1)-1)%uint64(len(p.Replicas))]
}

// Close closes every pool.
func (p *Pools) Close() {
	p.Primary.Close()
	for _, r := range p.Replicas {
		r.Close()
	}
}

// LSN is a position in the write-ahead log, as PostgreSQL prints a pg_lsn
// ("0/3000148").
type LSN string

// WriteLSN returns the primary's current WAL insert position: every
// transaction committed before the call lies before it. It is the insert
// position, not the write position (pg_current_wal_lsn), because with
// synchronous_commit=off a commit record may not be written yet.
func (p *Pools) WriteLSN(ctx context.Context) (LSN, error) {
	var lsn LSN
	if err := p.Primary.QueryRow(ctx, "SELECT pg_current_wal_insert_lsn()::text").Scan(&lsn); err != nil {
		return "", fmt.Errorf("stackdb: read the primary's WAL position: %w", err)
	}
	return lsn, nil
}

// ReplayTimeout bounds WaitForReplay when ctx has no deadline.
const ReplayTimeout = 10 * time.Second

// WaitForReplay waits until replica has replayed the WAL up to lsn, so that
// it shows every transaction the primary had committed when WriteLSN
// returned lsn. It polls pg_last_wal_replay_lsn (from 1 ms, backing off to
// 50 ms) until ctx ends, or ReplayTimeout when ctx has no deadline. A
// server that is not in recovery (a primary, e.g. Reader without replicas)
// has nothing to wait for.
func (p *Pools) WaitForReplay(ctx context.Context, replica *pgxpool.Pool, lsn LSN) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, ReplayTimeout)
		defer cancel()
	}
	delay := time.Millisecond
	at := "nothing" // the last position the replica reported, for the timeout's message
	for {
		var done bool
		var replayed *string
		err := replica.QueryRow(ctx,
			"SELECT NOT pg_is_in_recovery() OR pg_last_wal_replay_lsn() >= $1::text::pg_lsn, pg_last_wal_replay_lsn()::text",
			string(lsn)).Scan(&done, &replayed)
		switch {
		case err != nil && ctx.Err() == nil:
			return fmt.Errorf("stackdb: wait for replay of %s: %w", lsn, err)
		case err == nil && done:
			return nil
		}
		if err == nil && replayed != nil {
			at = *replayed
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("stackdb: wait for replay of %s: the replica replayed %s: %w", lsn, at, ctx.Err())
		case <-time.After(delay):
		}
		delay = min(2*delay, 50*time.Millisecond)
	}
}
