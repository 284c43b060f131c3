package jobqueue_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/gen/dbsqlc"
	"github.com/deploystack/stackdb/internal/jobqueue"
	"github.com/deploystack/stackdb/stackdbtest"
)

func TestMain(m *testing.M) { stackdbtest.Main(m) }

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// insertJobs adds n due jobs of type typ ("<prefix>-<i>") with maxAttempts.
func insertJobs(t *testing.T, q dbsqlc.Querier, prefix, typ string, n int, maxAttempts int32) []string {
	t.Helper()
	p := dbsqlc.JobInsertManyParams{MaxAttempts: maxAttempts}
	for i := range n {
		p.Ids = append(p.Ids, prefix+"-"+strconv.Itoa(i))
		p.Types = append(p.Types, typ)
		p.Payloads = append(p.Payloads, json.RawMessage(fmt.Sprintf(`{"i":%d}`, i)))
	}
	added, err := q.JobInsertMany(t.Context(), p)
	require.NoError(t, err)
	require.EqualValues(t, n, added)
	return p.Ids
}

// start starts a worker with cfg (quiet, fast claims unless set) and stops
// it at the end of the test.
func start(t *testing.T, pool *pgxpool.Pool, cfg jobqueue.Config) *jobqueue.Worker {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = quiet
	}
	if cfg.FetchCooldown == 0 {
		cfg.FetchCooldown = time.Millisecond
	}
	if cfg.FetchPollInterval == 0 {
		cfg.FetchPollInterval = 20 * time.Millisecond
	}
	w, err := jobqueue.New(dbsqlc.New(pool), &cfg)
	require.NoError(t, err)
	require.NoError(t, w.Start(t.Context()))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = w.Stop(ctx)
	})
	return w
}

// statusOf counts the jobs of each status.
func statusOf(t *testing.T, q dbsqlc.Querier) dbsqlc.JobCountByStatusRow {
	t.Helper()
	c, err := q.JobCountByStatus(t.Context(), nil)
	require.NoError(t, err)
	return c
}

// Several workers on one queue: every job runs exactly once and is
// completed with its own result, its batch counted once per job.
func TestWorkersRunEveryJobOnce(t *testing.T) {
	t.Parallel()
	pool := stackdbtest.Pool(t)
	q := dbsqlc.New(pool)
	const jobs, workers = 3000, 3

	batch, err := q.JobBatchInsert(t.Context(), dbsqlc.JobBatchInsertParams{ID: "batch-1", Type: "import", TotalJobs: 100})
	require.NoError(t, err)
	ids := insertJobs(t, q, "job", "echo", jobs-100, 3)
	p := dbsqlc.JobInsertManyParams{MaxAttempts: 3, BatchID: &batch.ID}
	for i := range 100 {
		p.Ids = append(p.Ids, "batched-"+strconv.Itoa(i))
		p.Types = append(p.Types, "echo")
		p.Payloads = append(p.Payloads, json.RawMessage(`{}`))
	}
	_, err = q.JobInsertMany(t.Context(), p)
	require.NoError(t, err)
	ids = append(ids, p.Ids...)

	var (
		mu   sync.Mutex
		runs = map[string]int{}
	)
	echo := func(_ context.Context, job *jobqueue.Job) (json.RawMessage, error) {
		mu.Lock()
		runs[job.ID]++
		mu.Unlock()
		return json.Marshal(map[string]any{"id": job.ID, "attempt": job.Attempts})
	}
	var ws []*jobqueue.Worker
	for range workers {
		ws = append(ws, start(t, pool, jobqueue.Config{
			Workers: map[string]jobqueue.WorkFunc{"echo": echo}, MaxWorkers: 40, CompleteBatchMax: 250,
		}))
	}
	require.Eventually(t, func() bool { return statusOf(t, q).Completed == jobs }, 30*time.Second, 20*time.Millisecond)
	for _, w := range ws {
		require.NoError(t, w.Stop(t.Context()))
	}

	mu.Lock()
	require.Len(t, runs, jobs)
	for _, id := range ids {
		require.Equal(t, 1, runs[id], "job %s ran %d times", id, runs[id])
	}
	mu.Unlock()
	var total jobqueue.Stats
	for _, w := range ws {
		s := w.Stats()
		total.Claimed += s.Claimed
		total.Completed += s.Completed
		total.Fenced += s.Fenced
		total.Claims += s.Claims
		total.Flushes += s.Flushes
		require.Greater(t, s.Claimed, int64(0), "every worker took a share")
	}
	require.EqualValues(t, jobs, total.Claimed)
	require.EqualValues(t, jobs, total.Completed)
	require.Zero(t, total.Fenced)
	// The point of the worker: many jobs per statement, both ways.
	require.LessOrEqual(t, 4*total.Claims, total.Claimed, "jobs are claimed several at a time")
	require.LessOrEqual(t, 4*total.Flushes, total.Completed, "and completed several per statement")
	for _, id := range []string{ids[0], ids[jobs-1]} {
		job, err := q.JobGetByID(t.Context(), id)
		require.NoError(t, err)
		require.JSONEq(t, fmt.Sprintf(`{"id":%q,"attempt":1}`, id), string(job.Result), "its own result")
		require.NotNil(t, job.CompletedAt)
	}
	b, err := q.JobBatchGetByID(t.Context(), batch.ID)
	require.NoError(t, err)
	require.EqualValues(t, 100, b.CompletedJobs)
	require.Equal(t, dbsqlc.JobStatusCompleted, b.Status)
}

// Failing attempts follow DeployStack's rules: retried after a backoff
// until max_attempts, then failed with the error; a panic and a type with
// no worker fail the attempt too.
func TestWorkerFailures(t *testing.T) {
	t.Parallel()
	pool := stackdbtest.Pool(t)
	q := dbsqlc.New(pool)

	flaky := insertJobs(t, q, "flaky", "flaky", 1, 3)[0]
	broken := insertJobs(t, q, "broken", "broken", 1, 1)[0]
	panics := insertJobs(t, q, "panics", "panics", 1, 1)[0]
	unknown := insertJobs(t, q, "unknown", "nobody-works-this", 1, 1)[0]
	w := start(t, pool, jobqueue.Config{Workers: map[string]jobqueue.WorkFunc{
		"flaky": func(_ context.Context, job *jobqueue.Job) (json.RawMessage, error) {
			if job.Attempts == 1 {
				return nil, errors.New("smtp timeout")
			}
			return json.RawMessage(`"sent"`), nil
		},
		"broken": func(context.Context, *jobqueue.Job) (json.RawMessage, error) { return nil, errors.New("bad address") },
		"panics": func(context.Context, *jobqueue.Job) (json.RawMessage, error) { panic("nil map") },
	}})

	get := func(id string) dbsqlc.QueueJob {
		job, err := q.JobGetByID(t.Context(), id)
		require.NoError(t, err)
		return job
	}
	require.Eventually(t, func() bool { return get(unknown).Status == dbsqlc.JobStatusFailed }, 10*time.Second, 10*time.Millisecond)
	for id, msg := range map[string]string{
		broken:  "bad address",
		panics:  "panic: nil map",
		unknown: "no worker registered for job type: nobody-works-this",
	} {
		require.Eventually(t, func() bool { return get(id).Status == dbsqlc.JobStatusFailed }, 10*time.Second, 10*time.Millisecond, id)
		job := get(id)
		require.Equal(t, &msg, job.Error, id)
		require.EqualValues(t, 1, job.Attempts, id)
		require.NotNil(t, job.CompletedAt, id)
	}

	require.Eventually(t, func() bool { return get(flaky).Attempts == 1 && get(flaky).Status == dbsqlc.JobStatusPending },
		10*time.Second, 10*time.Millisecond)
	retry := get(flaky)
	require.Equal(t, new("smtp timeout"), retry.Error)
	require.WithinDuration(t, retry.UpdatedAt.Add(2*time.Second), retry.ScheduledFor, 50*time.Millisecond,
		"due 2^1 s after the first attempt")
	// Not before it is due.
	time.Sleep(100 * time.Millisecond)
	require.Equal(t, dbsqlc.JobStatusPending, get(flaky).Status)
	_, err := pool.Exec(t.Context(), `UPDATE queue_jobs SET scheduled_for = now() WHERE id = $1`, flaky)
	require.NoError(t, err)
	require.Eventually(t, func() bool { return get(flaky).Status == dbsqlc.JobStatusCompleted }, 10*time.Second, 10*time.Millisecond)
	done := get(flaky)
	require.EqualValues(t, 2, done.Attempts)
	require.JSONEq(t, `"sent"`, string(done.Result))
	s := w.Stats()
	require.EqualValues(t, 4, s.Failed)
	require.EqualValues(t, 1, s.Completed)
}

// A job whose worker died while processing it (claimed, never finished) is
// taken back after RescueStuckJobsAfter and run again under a new attempt;
// the dead worker's late completion is refused.
func TestWorkerRescuesCrashedClaims(t *testing.T) {
	t.Parallel()
	pool := stackdbtest.Pool(t)
	q := dbsqlc.New(pool)

	id := insertJobs(t, q, "orphan", "echo", 1, 3)[0]
	crashed, err := q.JobClaim(t.Context(), 10) // the crashed worker's claim
	require.NoError(t, err)
	require.Len(t, crashed, 1)
	_, err = pool.Exec(t.Context(), `UPDATE queue_jobs SET updated_at = now() - interval '1 hour' WHERE id = $1`, id)
	require.NoError(t, err)

	ran := make(chan int32, 1)
	w := start(t, pool, jobqueue.Config{
		Workers: map[string]jobqueue.WorkFunc{"echo": func(_ context.Context, job *jobqueue.Job) (json.RawMessage, error) {
			ran <- job.Attempts
			return json.RawMessage(`"rescued"`), nil
		}},
		RescueStuckJobsAfter: 10 * time.Second, // checked every second: the claim is an hour old
	})
	select {
	case attempts := <-ran:
		require.EqualValues(t, 2, attempts, "the rescued job runs under a new attempt")
	case <-time.After(20 * time.Second):
		t.Fatal("the crashed claim was not rescued")
	}
	require.Eventually(t, func() bool { return w.Stats().Completed == 1 }, 10*time.Second, 10*time.Millisecond)
	job, err := q.JobGetByID(t.Context(), id)
	require.NoError(t, err)
	require.Equal(t, dbsqlc.JobStatusCompleted, job.Status)
	require.JSONEq(t, `"rescued"`, string(job.Result))

	late, err := q.JobCompleteMany(t.Context(), dbsqlc.JobCompleteManyParams{
		Ids: []string{id}, Attempts: []int32{crashed[0].Attempts}, Results: []json.RawMessage{json.RawMessage(`"late"`)}})
	require.NoError(t, err)
	require.Empty(t, late, "the crashed worker's attempt is fenced off")
}

// Stop waits for running jobs and writes their completions; a Stop whose
// context ends first cancels the jobs' contexts and says so.
func TestWorkerStop(t *testing.T) {
	t.Parallel()
	pool := stackdbtest.Pool(t)
	q := dbsqlc.New(pool)
	insertJobs(t, q, "slow", "slow", 2, 3)
	insertJobs(t, q, "stuck", "stuck", 1, 3)

	started := make(chan string, 3)
	release := make(chan struct{})
	cancelled := make(chan error, 1)
	w := start(t, pool, jobqueue.Config{MaxWorkers: 3, Workers: map[string]jobqueue.WorkFunc{
		"slow": func(_ context.Context, job *jobqueue.Job) (json.RawMessage, error) {
			started <- job.ID
			<-release
			return nil, nil
		},
		"stuck": func(ctx context.Context, job *jobqueue.Job) (json.RawMessage, error) {
			started <- job.ID
			<-ctx.Done()
			cancelled <- ctx.Err()
			return nil, ctx.Err()
		},
	}})
	for range 3 {
		<-started
	}
	close(release)
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	err := w.Stop(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.ErrorContains(t, err, "jobqueue: stop")
	require.ErrorIs(t, <-cancelled, context.Canceled, "the stuck job's context is cancelled")
	require.Eventually(t, func() bool {
		c := statusOf(t, q)
		return c.Completed == 2 && c.Pending == 1
	}, 10*time.Second, 10*time.Millisecond, "the slow jobs completed, the cancelled one is retried later")
}

func TestConfigIsValidated(t *testing.T) {
	t.Parallel()
	noop := func(context.Context, *jobqueue.Job) (json.RawMessage, error) { return nil, nil }
	workers := map[string]jobqueue.WorkFunc{"noop": noop}
	for _, tc := range []struct {
		name string
		cfg  *jobqueue.Config
		want string
	}{
		{"nil", nil, "jobqueue: nil config"},
		{"no workers", &jobqueue.Config{}, "Workers is empty"},
		{"nil work func", &jobqueue.Config{Workers: map[string]jobqueue.WorkFunc{"x": nil}}, `Workers["x"] is nil`},
		{"too many workers", &jobqueue.Config{Workers: workers, MaxWorkers: 10_001}, "MaxWorkers 10001: want 1 to 10000"},
		{"negative workers", &jobqueue.Config{Workers: workers, MaxWorkers: -1}, "MaxWorkers -1"},
		{"cooldown too short", &jobqueue.Config{Workers: workers, FetchCooldown: time.Microsecond}, "FetchCooldown 1µs: want at least 1ms"},
		{"poll shorter than cooldown", &jobqueue.Config{Workers: workers, FetchCooldown: time.Second, FetchPollInterval: 10 * time.Millisecond},
			"FetchPollInterval 10ms is shorter than FetchCooldown 1s"},
		{"negative batch", &jobqueue.Config{Workers: workers, CompleteBatchMax: -5}, "CompleteBatchMax -5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := jobqueue.New(nil, tc.cfg)
			require.ErrorContains(t, err, tc.want)
		})
	}
	w, err := jobqueue.New(nil, &jobqueue.Config{Workers: workers})
	require.NoError(t, err, "defaults fill the rest")
	require.Error(t, w.Stop(t.Context()), "stopping a worker never started")
}
