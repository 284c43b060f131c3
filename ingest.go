package stackdb

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/deploystack/stackdb/gen/dbsqlc"
	"github.com/deploystack/stackdb/internal/ingest"
)

// HeartbeatIngester writes satellite heartbeats in batches: the heartbeats
// that arrive together (from concurrent requests) are written by one
// statement, SatelliteUpdateHeartbeatMany, in one round trip and one
// commit, where each would otherwise cost a statement and a commit of its
// own, which is what bounds a busy server. Each heartbeat is written as
// SatelliteUpdateHeartbeat would write it and gets its own answer.
//
//	ing, err := stackdb.NewHeartbeatIngester(pool, stackdb.HeartbeatIngesterOptions{})
//	defer ing.Close()
//	err = ing.Heartbeat(ctx, params) // errors.Is(err, stackdb.ErrNotFound): unknown satellite
type HeartbeatIngester struct{ h *ingest.Heartbeats }

// HeartbeatIngesterOptions tune a HeartbeatIngester; the zero value is the
// defaults.
type HeartbeatIngesterOptions struct {
	// MaxBatch is the most heartbeats one statement writes: 1 to 1000,
	// default 128.
	MaxBatch int
	// Linger is the longest a heartbeat waits for others to share its
	// statement: up to 5ms, default 1ms. NoLinger writes what is waiting
	// at once; batches then form only from the heartbeats arriving while
	// statements are out, about half as large under the benchmark's load.
	Linger time.Duration
	// Flushers is how many statements may be in flight at once, each
	// holding a connection of the pool: 1 to 64, default 4. Fewer make
	// larger batches; on a server whose CPU is shared, too few leave it
	// to the other work.
	Flushers int
}

// NoLinger is HeartbeatIngesterOptions.Linger for not lingering.
const NoLinger = ingest.NoLinger

// HeartbeatIngesterStats count what an ingester did.
type HeartbeatIngesterStats struct {
	// Heartbeats is the heartbeats the server wrote or refused.
	Heartbeats int64
	// Statements is the statements (round trips) they took:
	// Statements / Heartbeats is the round trips per heartbeat.
	Statements int64
	// Refused is the batches the server refused (an invalid process
	// status, a duplicate heartbeat id, a deadlock) and that were
	// rerun a heartbeat at a time, for each heartbeat's own answer.
	Refused int64
}

// ErrIngesterClosed is a heartbeat given to a HeartbeatIngester after
// Close.
var ErrIngesterClosed = ingest.ErrClosed

// NewHeartbeatIngester starts an ingester writing on pool; Close stops it.
func NewHeartbeatIngester(pool *pgxpool.Pool, opts HeartbeatIngesterOptions) (*HeartbeatIngester, error) {
	h, err := ingest.NewHeartbeats(New(pool), ingest.Config{MaxBatch: opts.MaxBatch, Linger: opts.Linger, Flushers: opts.Flushers})
	if err != nil {
		return nil, fmt.Errorf("stackdb: %w", err)
	}
	return &HeartbeatIngester{h: h}, nil
}

// Heartbeat writes one heartbeat, as SatelliteUpdateHeartbeat does, and
// returns once it is committed, with the error that statement would have
// returned: ErrNotFound for an unknown satellite, *ConstraintError, the
// server's error for an invalid process status. It returns ctx.Err() when
// ctx ends first; a heartbeat already sent may still be written.
func (i *HeartbeatIngester) Heartbeat(ctx context.Context, p dbsqlc.SatelliteUpdateHeartbeatParams) error {
	return interpretError(i.h.Heartbeat(ctx, p))
}

// Close writes the heartbeats already given, then stops; a Heartbeat after
// it is ErrIngesterClosed. Close the ingester before its pool.
func (i *HeartbeatIngester) Close() { i.h.Close() }

// Stats returns the counts so far.
func (i *HeartbeatIngester) Stats() HeartbeatIngesterStats {
	s := i.h.Stats()
	return HeartbeatIngesterStats{Heartbeats: s.Heartbeats, Statements: s.Statements, Refused: s.Refused}
}
