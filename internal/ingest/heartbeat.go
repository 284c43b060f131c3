// Package ingest groups concurrent satellite heartbeats into one statement:
// a flusher takes the heartbeats waiting (up to a batch's size, lingering a
// bounded time for more) and writes them with SatelliteUpdateHeartbeatMany,
// one round trip and one commit for the lot, where SatelliteUpdateHeartbeat
// costs one of each per heartbeat. The Postgres work per statement (parse
// and bind, executor start-up, the commit), not the rows, is what bounds a
// busy server's heartbeat rate; a set-based statement pays it once.
//
// Each heartbeat still gets its own answer: an unknown satellite fails its
// heartbeat alone (the statement returns the heartbeats it wrote), and a
// batch the server refuses (an invalid process status, a duplicate id, a
// deadlock with another batch) is rerun one heartbeat at a time, so that
// each gets the error, or the write, it would have got alone.
package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/deploystack/stackdb/gen/dbsqlc"
)

// Bounds and defaults of Config.
const (
	// MaxLinger bounds how long a heartbeat waits for others to share its
	// statement: the delay batching may add to a heartbeat.
	MaxLinger = 5 * time.Millisecond
	// MaxBatchLimit bounds a batch: a statement's document and its locks
	// grow with it, and past a few hundred heartbeats the round trip saved
	// no longer shows.
	MaxBatchLimit = 1000
	// MaxFlushersLimit bounds the statements in flight, each on a
	// connection of its own.
	MaxFlushersLimit = 64

	// The defaults, tuned on the benchmark's 32 clients on 2 shared cores
	// (go run ./cmd/stackdb bench --paths heartbeat,heartbeat-batched):
	// 4 flushers lingering 1ms write batches of about 6 there, 1.5 to 1.8
	// times the heartbeats per second of one statement each. Fewer
	// flushers make larger batches but leave the server's CPU to the
	// machine's other work; no lingering halves the batches.
	DefaultMaxBatch = 128
	DefaultFlushers = 4
	DefaultLinger   = time.Millisecond
)

// NoLinger is Config.Linger for not lingering (0 is the default).
const NoLinger time.Duration = -1

// ErrClosed is a heartbeat given to the ingester after Close.
var ErrClosed = errors.New("ingest: heartbeat ingester closed")

// Config tunes the ingester. The zero Config is the defaults.
type Config struct {
	// MaxBatch is the most heartbeats one statement writes (default 128).
	MaxBatch int
	// Linger is how long a flusher holding fewer than MaxBatch heartbeats
	// waits for more, counted from when the first was given, at most
	// MaxLinger (default 1ms; NoLinger writes what is waiting at once, and
	// then only the heartbeats arriving while statements are out make a
	// batch).
	Linger time.Duration
	// Flushers is how many statements may be in flight at once, each on a
	// connection of the pool (default 4).
	Flushers int
}

// withDefaults checks c and fills in its zero fields.
func (c Config) withDefaults() (Config, error) {
	switch {
	case c.MaxBatch < 0 || c.MaxBatch > MaxBatchLimit:
		return c, fmt.Errorf("ingest: heartbeat ingester: max batch %d: want 1 to %d (0: %d)", c.MaxBatch, MaxBatchLimit, DefaultMaxBatch)
	case (c.Linger < 0 && c.Linger != NoLinger) || c.Linger > MaxLinger:
		return c, fmt.Errorf("ingest: heartbeat ingester: linger %s: want 0 to %s, or NoLinger", c.Linger, MaxLinger)
	case c.Flushers < 0 || c.Flushers > MaxFlushersLimit:
		return c, fmt.Errorf("ingest: heartbeat ingester: flushers %d: want 1 to %d (0: %d)", c.Flushers, MaxFlushersLimit, DefaultFlushers)
	}
	if c.MaxBatch == 0 {
		c.MaxBatch = DefaultMaxBatch
	}
	if c.Flushers == 0 {
		c.Flushers = DefaultFlushers
	}
	switch c.Linger {
	case 0:
		c.Linger = DefaultLinger
	case NoLinger:
		c.Linger = 0
	}
	return c, nil
}

// Stats count what an ingester did.
type Stats struct {
	// Heartbeats is the heartbeats written or refused by the server (not
	// those cancelled before they were sent).
	Heartbeats int64
	// Statements is the statements they took, one round trip each: a
	// batch, a heartbeat alone, or a heartbeat of a refused batch rerun.
	Statements int64
	// Refused is the batches the server refused and that were rerun one
	// heartbeat at a time.
	Refused int64
}

// Heartbeats is a heartbeat ingester. It is safe for concurrent use.
type Heartbeats struct {
	q   dbsqlc.Querier
	cfg Config

	reqs    chan *request
	mu      sync.RWMutex // held to send on reqs; Close takes it to stop the sends
	closed  bool
	closing chan struct{}
	wg      sync.WaitGroup

	heartbeats, statements, refused atomic.Int64
}

type request struct {
	ctx   context.Context
	p     dbsqlc.SatelliteUpdateHeartbeatParams
	given time.Time // when Heartbeat was called (zero without linger)
	done  chan error
}

// NewHeartbeats starts cfg.Flushers flushers writing heartbeats through q
// (which must run on a pool: the flushers' statements run at once).
func NewHeartbeats(q dbsqlc.Querier, cfg Config) (*Heartbeats, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	h := &Heartbeats{
		q: q, cfg: cfg,
		reqs:    make(chan *request, cfg.MaxBatch*cfg.Flushers),
		closing: make(chan struct{}),
	}
	h.wg.Add(cfg.Flushers)
	for range cfg.Flushers {
		go h.flush()
	}
	return h, nil
}

// Heartbeat writes one heartbeat, as SatelliteUpdateHeartbeat would, and
// returns once it is committed or refused: an unknown satellite is an error
// wrapping pgx.ErrNoRows, the server's refusal the error it returned. When
// ctx ends first, Heartbeat returns ctx.Err(); a heartbeat already sent may
// still be written.
func (h *Heartbeats) Heartbeat(ctx context.Context, p dbsqlc.SatelliteUpdateHeartbeatParams) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r := &request{ctx: ctx, p: p, done: make(chan error, 1)}
	if h.cfg.Linger > 0 {
		r.given = time.Now()
	}
	h.mu.RLock()
	if h.closed {
		h.mu.RUnlock()
		return ErrClosed
	}
	select {
	case h.reqs <- r:
		h.mu.RUnlock()
	case <-ctx.Done():
		h.mu.RUnlock()
		return ctx.Err()
	}
	select {
	case err := <-r.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close writes the heartbeats already given and stops the flushers; a
// Heartbeat after it is ErrClosed. It returns once every flusher is done.
func (h *Heartbeats) Close() {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		h.wg.Wait()
		return
	}
	h.closed = true
	close(h.closing)
	h.mu.Unlock()
	h.wg.Wait()
}

// Stats returns the counts so far.
func (h *Heartbeats) Stats() Stats {
	return Stats{Heartbeats: h.heartbeats.Load(), Statements: h.statements.Load(), Refused: h.refused.Load()}
}

// flush is a flusher: it takes the first heartbeat waiting, collects more
// and writes them, until Close; then it writes what is left.
func (h *Heartbeats) flush() {
	defer h.wg.Done()
	batch := make([]*request, 0, h.cfg.MaxBatch)
	linger := time.NewTimer(time.Hour)
	linger.Stop()
	var doc bytes.Buffer
	for {
		select {
		case r := <-h.reqs:
			batch = h.collect(append(batch[:0], r), linger)
			h.write(batch, &doc)
		case <-h.closing:
			// No Heartbeat sends any more: what is queued is all there is.
			for {
				batch = h.collect(batch[:0], nil)
				if len(batch) == 0 {
					return
				}
				h.write(batch, &doc)
			}
		}
	}
}

// collect adds the heartbeats waiting to batch, up to MaxBatch, and when
// linger is not nil waits for more until Linger has passed since the first
// was given: batching adds at most Linger to a heartbeat's wait.
func (h *Heartbeats) collect(batch []*request, linger *time.Timer) []*request {
	for len(batch) < h.cfg.MaxBatch {
		select {
		case r := <-h.reqs:
			batch = append(batch, r)
			continue
		default:
		}
		break
	}
	if linger == nil || len(batch) == 0 || len(batch) == h.cfg.MaxBatch {
		return batch
	}
	wait := time.Until(batch[0].given.Add(h.cfg.Linger))
	if wait <= 0 {
		return batch
	}
	linger.Reset(wait)
	defer linger.Stop()
	for len(batch) < h.cfg.MaxBatch {
		select {
		case r := <-h.reqs:
			batch = append(batch, r)
		case <-linger.C:
			return batch
		case <-h.closing:
			return batch
		}
	}
	return batch
}

// write writes a batch and answers each of its heartbeats.
func (h *Heartbeats) write(batch []*request, doc *bytes.Buffer) {
	sent := batch[:0:0]
	doc.Reset()
	doc.WriteByte('[')
	for _, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.done <- err // its Heartbeat has returned already
			continue
		}
		if !appendHeartbeat(doc, &r.p, len(sent) == 0) {
			h.alone(r) // the document cannot carry it as the statement would get it
			continue
		}
		sent = append(sent, r)
	}
	doc.WriteByte(']')
	switch len(sent) {
	case 0:
		return
	case 1:
		h.alone(sent[0])
		return
	}
	h.statements.Add(1)
	written, err := h.q.SatelliteUpdateHeartbeatMany(context.Background(), json.RawMessage(doc.Bytes()))
	if err != nil {
		// Nothing was written: each heartbeat gets its own answer.
		h.refused.Add(1)
		for _, r := range sent {
			h.alone(r)
		}
		return
	}
	h.heartbeats.Add(int64(len(sent)))
	next := 0
	for i, r := range sent {
		if next < len(written) && int(written[next]) == i+1 {
			next++
			r.done <- nil
			continue
		}
		r.done <- fmt.Errorf("ingest: heartbeat of satellite %q: %w", r.p.SatelliteID, pgx.ErrNoRows)
	}
}

// alone writes one heartbeat with SatelliteUpdateHeartbeat.
func (h *Heartbeats) alone(r *request) {
	h.heartbeats.Add(1)
	h.statements.Add(1)
	_, err := h.q.SatelliteUpdateHeartbeat(r.ctx, r.p)
	r.done <- err
}

// heartbeatDoc is a heartbeat in SatelliteUpdateHeartbeatMany's document:
// a nil value is an absent key, which the statement reads as NULL.
type heartbeatDoc struct {
	ID            string                 `json:"id"`
	SatelliteID   string                 `json:"satellite_id"`
	Status        dbsqlc.HeartbeatStatus `json:"status"`
	SystemMetrics json.RawMessage        `json:"system_metrics,omitempty"`
	ErrorCount    int32                  `json:"error_count"`
	UptimeSeconds *int32                 `json:"uptime_seconds,omitempty"`
	Version       *string                `json:"version,omitempty"`
	SatelliteURL  *string                `json:"satellite_url,omitempty"`
	McpStatus     json.RawMessage        `json:"mcp_status,omitempty"`
	Processes     json.RawMessage        `json:"processes,omitempty"`
}

// appendHeartbeat appends p to the document, or reports that it cannot
// carry p as SatelliteUpdateHeartbeat's parameters would reach the server:
// JSON would coerce invalid UTF-8 in a string, and an empty (not nil)
// json.RawMessage, which pgx sends as an empty document, would become NULL.
// Such a heartbeat, like one whose JSON is invalid, runs alone, for the
// error it gets there.
func appendHeartbeat(doc *bytes.Buffer, p *dbsqlc.SatelliteUpdateHeartbeatParams, first bool) bool {
	for _, s := range []*string{&p.ID, &p.SatelliteID, (*string)(&p.Status), p.Version, p.SatelliteUrl} {
		if s != nil && !utf8.ValidString(*s) {
			return false
		}
	}
	for _, m := range []json.RawMessage{p.SystemMetrics, p.McpStatus, p.Processes} {
		if m != nil && len(m) == 0 {
			return false
		}
	}
	b, err := json.Marshal(heartbeatDoc{
		ID: p.ID, SatelliteID: p.SatelliteID, Status: p.Status, SystemMetrics: p.SystemMetrics,
		ErrorCount: p.ErrorCount, UptimeSeconds: p.UptimeSeconds, Version: p.Version,
		SatelliteURL: p.SatelliteUrl, McpStatus: p.McpStatus, Processes: p.Processes,
	})
	if err != nil {
		return false
	}
	if !first {
		doc.WriteByte(',')
	}
	doc.Write(b)
	return true
}
