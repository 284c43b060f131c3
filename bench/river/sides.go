package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/gen/dbsqlc"
)

// insertBatch is how many jobs one insert statement adds, on both sides.
const insertBatch = 5000

// ---------------------------------------------------------------------------
// River

type riverSide struct {
	env    *env
	o      options
	logger *slog.Logger
}

type noopArgs struct {
	Num int `json:"num"`
}

func (noopArgs) Kind() string { return "noop" }

type noopWorker struct {
	river.WorkerDefaults[noopArgs]
}

func (noopWorker) Work(context.Context, *river.Job[noopArgs]) error { return nil }

func (s *riverSide) name() string { return "river" }

func (s *riverSide) fill(ctx context.Context, n int) error {
	if _, err := s.env.admin.Exec(ctx, "TRUNCATE river_job"); err != nil {
		return err
	}
	pool, err := s.env.poolFor(ctx, appName("river-fill"), s.o.conns)
	if err != nil {
		return err
	}
	defer pool.Close()
	client, err := river.NewClient(riverpgxv5.New(pool), &river.Config{Logger: s.logger})
	if err != nil {
		return err
	}
	params := make([]river.InsertManyParams, 0, insertBatch)
	for i := 0; i < n; i += insertBatch {
		params = params[:0]
		for k := i; k < min(i+insertBatch, n); k++ {
			params = append(params, river.InsertManyParams{Args: noopArgs{Num: k}})
		}
		if _, err := client.InsertManyFast(ctx, params); err != nil {
			return err
		}
	}
	return nil
}

func (s *riverSide) work(ctx context.Context, pool *pgxpool.Pool, n int, progress func(int64)) (map[string]float64, error) {
	workers := river.NewWorkers()
	river.AddWorker(workers, &noopWorker{})
	client, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
		FetchCooldown:     s.o.cooldown,
		FetchPollInterval: s.o.poll,
		Logger:            s.logger,
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: s.o.workers}},
		Workers:           workers,
	})
	if err != nil {
		return nil, err
	}
	// Completion events are sent once the completer's batch has committed:
	// counting them counts committed completions.
	events, cancelSub := client.SubscribeConfig(&river.SubscribeConfig{
		ChanSize: n, Kinds: []river.EventKind{river.EventKindJobCompleted, river.EventKindJobFailed},
	})
	defer cancelSub()
	if err := client.Start(ctx); err != nil {
		return nil, err
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		_ = client.Stop(sctx)
	}()
	var done int64
	for done < int64(n) {
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("%d of %d jobs after %s: %w", done, n, s.o.timeout, ctx.Err())
		case ev := <-events:
			if ev.Kind != river.EventKindJobCompleted {
				return nil, fmt.Errorf("job %d: %s", ev.Job.ID, ev.Kind)
			}
			done++
			progress(done)
		}
	}
	return nil, nil
}

func (s *riverSide) finished(ctx context.Context) (int64, error) {
	var n int64
	err := s.env.admin.QueryRow(ctx, "SELECT count(*) FROM river_job WHERE state = 'completed'").Scan(&n)
	return n, err
}

// ---------------------------------------------------------------------------
// stackdb

type stackdbSide struct {
	env    *env
	o      options
	logger *slog.Logger
}

func (s *stackdbSide) name() string { return "stackdb" }

func (s *stackdbSide) fill(ctx context.Context, n int) error {
	if _, err := s.env.admin.Exec(ctx, "TRUNCATE queue_jobs, queue_job_batches"); err != nil {
		return err
	}
	q := stackdb.New(s.env.admin)
	for i := 0; i < n; i += insertBatch {
		p := dbsqlc.JobInsertManyParams{MaxAttempts: 3}
		for k := i; k < min(i+insertBatch, n); k++ {
			p.Ids = append(p.Ids, "job-"+strconv.Itoa(k))
			p.Types = append(p.Types, "noop")
			p.Payloads = append(p.Payloads, json.RawMessage(`{"num":`+strconv.Itoa(k)+`}`))
		}
		if _, err := q.JobInsertMany(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

func (s *stackdbSide) work(ctx context.Context, pool *pgxpool.Pool, n int, progress func(int64)) (map[string]float64, error) {
	w, err := stackdb.NewJobWorker(pool, &stackdb.JobWorkerConfig{
		Workers: map[string]stackdb.JobWorkFunc{
			"noop": func(context.Context, *stackdb.Job) (json.RawMessage, error) { return nil, nil },
		},
		MaxWorkers:        s.o.workers,
		FetchCooldown:     s.o.cooldown,
		FetchPollInterval: s.o.poll,
		Logger:            s.logger,
	})
	if err != nil {
		return nil, err
	}
	if err := w.Start(ctx); err != nil {
		return nil, err
	}
	var stopped atomic.Bool
	defer func() {
		if !stopped.Load() {
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
			defer cancel()
			_ = w.Stop(sctx)
		}
	}()
	// Stats.Completed counts committed completions; poll it finely.
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for {
		st := w.Stats()
		progress(st.Completed)
		if st.Completed >= int64(n) {
			stopped.Store(true)
			if err := w.Stop(ctx); err != nil {
				return nil, err
			}
			return map[string]float64{
				"claims":          float64(st.Claims),
				"jobs_per_claim":  float64(st.Claimed) / float64(max(st.Claims, 1)),
				"flushes":         float64(st.Flushes),
				"jobs_per_flush":  float64(st.Completed) / float64(max(st.Flushes, 1)),
				"fenced":          float64(st.Fenced),
				"failed_attempts": float64(st.Failed),
			}, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("%d of %d jobs after %s: %w", st.Completed, n, s.o.timeout, ctx.Err())
		case <-tick.C:
		}
	}
}

func (s *stackdbSide) finished(ctx context.Context) (int64, error) {
	var n int64
	err := s.env.admin.QueryRow(ctx, "SELECT count(*) FROM queue_jobs WHERE status = 'completed'").Scan(&n)
	return n, err
}
