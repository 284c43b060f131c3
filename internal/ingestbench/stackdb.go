package ingestbench

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/deploystack/stackdb/internal/dbpool"
	"github.com/deploystack/stackdb/internal/ingest"
)

// latencyCap is each worker's preallocated room for latencies, so that
// recording one costs no allocation until a worker has done that many.
const latencyCap = 1 << 16

// batchConfig is the batched heartbeat's ingester: its defaults (see
// ingest.Config), what applications get.
var batchConfig = ingest.Config{}

// openPool opens a pool of exactly n connections (pgx's default exec mode,
// the statement cache) and opens them all before the clock starts, as
// pgbench connects before its -T starts.
func (s *scratch) openPool(ctx context.Context, n int) (*pgxpool.Pool, error) {
	u, _ := url.Parse(s.pgxURL)
	q := u.Query()
	q.Set("pool_max_conns", strconv.Itoa(n))
	q.Set("pool_min_conns", strconv.Itoa(n))
	q.Set("application_name", stackdbApp)
	u.RawQuery = q.Encode()
	pool, err := dbpool.Open(ctx, u.String())
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	conns := make([]*pgxpool.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			c.Release()
		}
	}()
	for range n {
		c, err := pool.Acquire(ctx)
		if err != nil {
			pool.Close()
			return nil, fmt.Errorf("bench: open connections: %w", err)
		}
		conns = append(conns, c)
	}
	return pool, nil
}

// stackdbStep runs a path through the query package with n workers, each
// calling its operation in a loop until the step's time is up.
func (s *scratch) stackdbStep(ctx context.Context, name string, n int, best float64) (Side, error) {
	if name == copyPath {
		return s.stackdbCopy(ctx, n)
	}
	p := findPath(name)
	if err := s.reset(ctx, p, best); err != nil {
		return Side{}, err
	}
	pool, err := s.openPool(ctx, n)
	if err != nil {
		return Side{}, err
	}
	defer pool.Close()
	q := s.cfg.Queries(pool)
	ops := make([]func(context.Context) error, n)
	for w := range ops {
		ops[w] = p.op(q, w, s.satellites, rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), uint64(w))))
	}
	if name == batchedPath {
		b, err := ingest.NewHeartbeats(q, batchConfig)
		if err != nil {
			return Side{}, fmt.Errorf("bench: %w", err)
		}
		defer func() {
			b.Close()
			if st := b.Stats(); s.cfg.Progress != nil && st.Heartbeats > 0 {
				fmt.Fprintf(s.cfg.Progress, "%-20s %3d clients: %.1f heartbeats per statement, %d batches refused\n",
					name, n, float64(st.Heartbeats)/float64(st.Statements), st.Refused)
			}
		}()
		for w := range ops {
			r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), uint64(w)))
			p := heartbeatParams(id(w+1), processesJSON(id(w+1)), "")
			ops[w] = func(ctx context.Context) error {
				p.ID = randomID(r)
				return b.Heartbeat(ctx, p)
			}
		}
	}
	stop := s.sampleWaits(ctx, stackdbApp)
	cpu := processCPU()
	prof := startProfile()
	side := runWorkers(n, time.Duration(s.secs)*time.Second, func(w int) error { return ops[w](ctx) })
	side.Profile = prof.stop(side.Ops)
	side.ClientCPUus = cpuPerOp(time.Duration(float64(processCPU()-cpu)*(1-side.Profile.CPU[samplerClass])), side.Ops)
	side.Waits = stop()
	return side, nil
}

// runWorkers runs op on n workers for d, each recording its own
// latencies, and sums them up. A worker stops at its first error.
func runWorkers(n int, d time.Duration, op func(w int) error) Side {
	lat := make([][]time.Duration, n)
	ends := make([]time.Time, n)
	errs := make([]error, n)
	var start, deadline time.Time
	gate := make(chan struct{})
	var wg sync.WaitGroup
	for w := range n {
		lat[w] = make([]time.Duration, 0, latencyCap)
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			for {
				t0 := time.Now()
				err := op(w)
				t1 := time.Now()
				if err != nil {
					errs[w], ends[w] = err, t1
					return
				}
				lat[w] = append(lat[w], t1.Sub(t0))
				if t1.After(deadline) {
					ends[w] = t1
					return
				}
			}
		}()
	}
	start = time.Now()
	deadline = start.Add(d)
	close(gate)
	wg.Wait()
	side := summarize(slices.Concat(lat...), slices.MaxFunc(ends, time.Time.Compare).Sub(start))
	if err := errors.Join(errs...); err != nil {
		side.Error = firstLine(err.Error())
	}
	return side
}

// summarize computes the rate and the percentiles of one side's
// latencies over elapsed.
func summarize(lat []time.Duration, elapsed time.Duration) Side {
	s := Side{Ops: int64(len(lat))}
	if len(lat) == 0 || elapsed <= 0 {
		return s
	}
	slices.Sort(lat)
	s.Rate = float64(len(lat)) / elapsed.Seconds()
	s.P50Ms = ms(percentile(lat, 0.50))
	s.P99Ms = ms(percentile(lat, 0.99))
	return s
}

// percentile of sorted latencies, nearest rank.
func percentile(sorted []time.Duration, p float64) time.Duration {
	i := int(float64(len(sorted))*p+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func firstLine(s string) string {
	for i, r := range s {
		if r == '\n' {
			return s[:i]
		}
	}
	return s
}
