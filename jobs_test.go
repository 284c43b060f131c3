package stackdb_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/gen/dbsqlc"
)

// ---------------------------------------------------------------------------
// Fixtures

// jobEnqueue enqueues a job; empty fields get defaults (a fresh id, type
// "email", payload {}, max_attempts 3; scheduled_for nil is now()).
func jobEnqueue(t *testing.T, q dbsqlc.Querier, p dbsqlc.JobEnqueueParams) dbsqlc.QueueJob {
	t.Helper()
	if p.ID == "" {
		p.ID = newID("job")
	}
	if p.Type == "" {
		p.Type = "email"
	}
	if p.Payload == nil {
		p.Payload = json.RawMessage(`{}`)
	}
	if p.MaxAttempts == 0 {
		p.MaxAttempts = 3
	}
	job, err := q.JobEnqueue(t.Context(), p)
	require.NoError(t, err)
	return job
}

// jobEnqueueDue enqueues n due jobs with the given max_attempts into batch
// (nil = none) and returns their ids.
func jobEnqueueDue(t *testing.T, q dbsqlc.Querier, n int, maxAttempts int32, batchID *string) []string {
	t.Helper()
	return jobEnqueueMany(t, q, n, maxAttempts, batchID, nil)
}

// jobEnqueueMany enqueues n jobs due at scheduledFor (nil = now()).
func jobEnqueueMany(t *testing.T, q dbsqlc.Querier, n int, maxAttempts int32, batchID *string, scheduledFor *time.Time) []string {
	t.Helper()
	p := dbsqlc.JobEnqueueManyParams{MaxAttempts: maxAttempts, BatchID: batchID, ScheduledFor: scheduledFor}
	for range n {
		p.Ids = append(p.Ids, newID("job"))
		p.Types = append(p.Types, "email")
		p.Payloads = append(p.Payloads, json.RawMessage(`{}`))
		p.Priorities = append(p.Priorities, 0)
	}
	added, err := q.JobEnqueueMany(t.Context(), p)
	require.NoError(t, err)
	require.EqualValues(t, n, added)
	return p.Ids
}

func jobCreateBatch(t *testing.T, q dbsqlc.Querier, total int32) dbsqlc.QueueJobBatch {
	t.Helper()
	b, err := q.JobBatchCreate(t.Context(), dbsqlc.JobBatchCreateParams{ID: newID("batch"), Type: "import", TotalJobs: total})
	require.NoError(t, err)
	return b
}

// jobClaim claims up to n jobs and returns their ids in the order returned.
func jobClaim(t *testing.T, q dbsqlc.Querier, n int32) []string {
	t.Helper()
	rows, err := q.JobClaimNext(t.Context(), n)
	require.NoError(t, err)
	return jobRowIDs(rows)
}

func jobRowIDs(rows []dbsqlc.JobClaimNextRow) []string {
	ids := []string{}
	for _, r := range rows {
		ids = append(ids, r.ID)
	}
	return ids
}

func jobGet(t *testing.T, q dbsqlc.Querier, id string) dbsqlc.QueueJob {
	t.Helper()
	job, err := q.JobGet(t.Context(), id)
	require.NoError(t, err)
	return job
}

func jobBatch(t *testing.T, q dbsqlc.Querier, id string) dbsqlc.QueueJobBatch {
	t.Helper()
	b, err := q.JobBatchGet(t.Context(), id)
	require.NoError(t, err)
	return b
}

// jobMakeDue lets time pass for a job waiting on its backoff.
func jobMakeDue(t *testing.T, db stackdb.DB, id string) {
	t.Helper()
	require.EqualValues(t, 1, execSQL(t, db, `UPDATE queue_jobs SET scheduled_for = now() - interval '1 second' WHERE id = $1`, id))
}

// jobNow is the database's now(): in a transaction, the time every now() of
// the transaction's statements returns.
func jobNow(t *testing.T, db stackdb.DB) time.Time {
	t.Helper()
	var now time.Time
	require.NoError(t, db.QueryRow(t.Context(), "SELECT now()").Scan(&now))
	return now
}

// jobRequireTime asserts a database timestamp equals want up to rounding.
func jobRequireTime(t *testing.T, want time.Time, got *time.Time, msgAndArgs ...any) {
	t.Helper()
	require.NotNil(t, got, msgAndArgs...)
	require.WithinDuration(t, want, *got, time.Millisecond, msgAndArgs...)
}

// ---------------------------------------------------------------------------
// enqueue

func TestJobEnqueue(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	batch := jobCreateBatch(t, q, 1)

	tx, err := pool.Begin(ctx)
	require.NoError(t, err)
	defer tx.Rollback(ctx) //nolint:errcheck
	now := jobNow(t, tx)
	job, err := stackdb.New(tx).JobEnqueue(ctx, dbsqlc.JobEnqueueParams{
		ID:          "job_a",
		Type:        "email.send",
		Payload:     json.RawMessage(`{"to":"a@example.com"}`),
		Priority:    7,
		MaxAttempts: 5,
		BatchID:     &batch.ID,
	})
	require.NoError(t, err)
	require.NoError(t, tx.Commit(ctx))

	require.Equal(t, "job_a", job.ID)
	require.Equal(t, "email.send", job.Type)
	require.JSONEq(t, `{"to":"a@example.com"}`, string(job.Payload))
	require.Equal(t, dbsqlc.JobStatusPending, job.Status)
	require.EqualValues(t, 7, job.Priority)
	require.EqualValues(t, 0, job.Attempts)
	require.EqualValues(t, 5, job.MaxAttempts)
	jobRequireTime(t, now, &job.ScheduledFor, "scheduled_for nil is now()")
	require.Nil(t, job.StartedAt)
	require.Nil(t, job.CompletedAt)
	require.Nil(t, job.Error)
	require.Nil(t, job.Result)
	require.Equal(t, &batch.ID, job.BatchID)
	require.Equal(t, job, jobGet(t, q, "job_a"))

	at := in(time.Hour)
	later := jobEnqueue(t, q, dbsqlc.JobEnqueueParams{ScheduledFor: &at})
	require.True(t, at.Equal(later.ScheduledFor), "an explicit scheduled_for is kept")
	require.Nil(t, later.BatchID)

	_, err = q.JobGet(ctx, "job_missing")
	require.ErrorIs(t, err, stackdb.ErrNotFound)

	_, err = q.JobEnqueue(ctx, dbsqlc.JobEnqueueParams{ID: newID("job"), Type: "x", Payload: json.RawMessage(`{}`), MaxAttempts: 3, BatchID: new("batch_missing")})
	requireConstraintError(t, err, stackdb.ForeignKey, "queue_jobs", "queue_jobs_batch_id_fkey")
	_, err = q.JobEnqueue(ctx, dbsqlc.JobEnqueueParams{ID: newID("job"), Type: "x", Payload: json.RawMessage(`{}`), MaxAttempts: 0})
	requireConstraintError(t, err, stackdb.Check, "queue_jobs", "queue_jobs_attempts")
	_, err = q.JobEnqueue(ctx, dbsqlc.JobEnqueueParams{ID: "job_a", Type: "x", Payload: json.RawMessage(`{}`), MaxAttempts: 3})
	requireConstraintError(t, err, stackdb.Unique, "queue_jobs", "queue_jobs_pkey")
}

func TestJobEnqueueMany(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	batch := jobCreateBatch(t, q, 3)
	at := in(time.Minute)

	n, err := q.JobEnqueueMany(ctx, dbsqlc.JobEnqueueManyParams{
		Ids:          []string{"job_1", "job_2", "job_3"},
		Types:        []string{"email", "webhook", "email"},
		Payloads:     []json.RawMessage{json.RawMessage(`{"n":1}`), json.RawMessage(`{"n":2}`), json.RawMessage(`[3]`)},
		Priorities:   []int32{1, 2, 3},
		MaxAttempts:  4,
		ScheduledFor: &at,
		BatchID:      &batch.ID,
	})
	require.NoError(t, err)
	require.EqualValues(t, 3, n)
	for i, want := range []struct {
		typ, payload string
		priority     int32
	}{{"email", `{"n":1}`, 1}, {"webhook", `{"n":2}`, 2}, {"email", `[3]`, 3}} {
		job := jobGet(t, q, fmt.Sprintf("job_%d", i+1))
		require.Equal(t, want.typ, job.Type)
		require.JSONEq(t, want.payload, string(job.Payload))
		require.Equal(t, want.priority, job.Priority)
		require.EqualValues(t, 4, job.MaxAttempts)
		require.True(t, at.Equal(job.ScheduledFor))
		require.Equal(t, &batch.ID, job.BatchID)
		require.Equal(t, dbsqlc.JobStatusPending, job.Status)
	}

	t.Run("scheduled_for nil is now()", func(t *testing.T) {
		tx, err := pool.Begin(ctx)
		require.NoError(t, err)
		defer tx.Rollback(ctx) //nolint:errcheck
		ids := jobEnqueueDue(t, stackdb.New(tx), 2, 3, nil)
		now := jobNow(t, tx)
		for _, id := range ids {
			job := jobGet(t, stackdb.New(tx), id)
			jobRequireTime(t, now, &job.ScheduledFor)
			require.Nil(t, job.BatchID)
		}
	})

	t.Run("empty arrays add nothing", func(t *testing.T) {
		n, err := q.JobEnqueueMany(ctx, dbsqlc.JobEnqueueManyParams{MaxAttempts: 3})
		require.NoError(t, err)
		require.EqualValues(t, 0, n)
	})

	t.Run("arrays of different lengths are refused whole", func(t *testing.T) {
		_, err := q.JobEnqueueMany(ctx, dbsqlc.JobEnqueueManyParams{
			Ids:         []string{"job_x", "job_y"},
			Types:       []string{"email", "email"},
			Payloads:    []json.RawMessage{json.RawMessage(`{}`), json.RawMessage(`{}`)},
			Priorities:  []int32{0},
			MaxAttempts: 3,
		})
		var cerr *stackdb.ConstraintError
		require.ErrorAs(t, err, &cerr)
		require.Equal(t, stackdb.NotNull, cerr.Kind)
		require.Equal(t, "priority", cerr.Column)
		_, err = q.JobGet(ctx, "job_x")
		require.ErrorIs(t, err, stackdb.ErrNotFound, "not even the complete first element is added")
	})
}

// The queries run on whatever they are given: enqueued in the caller's
// transaction, a job commits or rolls back with the caller's work, and no
// worker can claim it before the commit.
func TestJobEnqueueInCallersTransaction(t *testing.T) {
	t.Parallel()
	errAbort := errors.New("abort")

	for _, commit := range []bool{true, false} {
		t.Run(fmt.Sprintf("commit=%v", commit), func(t *testing.T) {
			t.Parallel()
			ctx, pool, q := setup(t)
			var jobIDs []string
			err := stackdb.InTx(ctx, pool, func(tx pgx.Tx, txq dbsqlc.Querier) error {
				role := createRole(t, txq, "signup") // the caller's own work
				batch := jobCreateBatch(t, txq, 3)
				job := jobEnqueue(t, txq, dbsqlc.JobEnqueueParams{Payload: json.RawMessage(fmt.Sprintf(`{"role":%q}`, role.ID)), BatchID: &batch.ID})
				jobIDs = append([]string{job.ID}, jobEnqueueDue(t, txq, 2, 3, &batch.ID)...)

				require.Empty(t, jobClaim(t, q, 10), "a worker outside cannot see the uncommitted jobs")
				_, err := q.JobGet(ctx, job.ID)
				require.ErrorIs(t, err, stackdb.ErrNotFound)
				if !commit {
					return errAbort
				}
				return nil
			})
			roles, lerr := q.RoleList(ctx)
			require.NoError(t, lerr)
			if !commit {
				require.ErrorIs(t, err, errAbort)
				require.Empty(t, roles, "the caller's work is rolled back")
				for _, id := range jobIDs {
					_, err := q.JobGet(ctx, id)
					require.ErrorIs(t, err, stackdb.ErrNotFound, "and so are the jobs")
				}
				require.Empty(t, jobClaim(t, q, 10))
				return
			}
			require.NoError(t, err)
			require.Len(t, roles, 1)
			claimed := jobClaim(t, q, 10)
			slices.Sort(claimed)
			slices.Sort(jobIDs)
			require.Equal(t, jobIDs, claimed, "committed jobs are claimable")
		})
	}
}

// ---------------------------------------------------------------------------
// claim

func TestJobClaimNextOrder(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)

	at := func(d time.Duration) *time.Time { return new(in(d)) }
	tie := in(-30 * time.Minute)
	// want is the claim order: priority first, then the longest due, then id.
	jobs := []struct {
		id       string
		priority int32
		at       *time.Time
	}{
		{"job_d", 5, at(-time.Minute)},
		{"job_e", -1, at(-5 * time.Hour)},
		{"job_a", 10, at(-time.Hour)},
		{"job_tie2", 0, &tie},
		{"job_c", 0, at(-3 * time.Hour)},
		{"job_b", 10, at(-2 * time.Hour)},
		{"job_tie1", 0, &tie},
		{"job_future", 100, at(time.Hour)},
	}
	want := []string{"job_b", "job_a", "job_d", "job_c", "job_tie1", "job_tie2", "job_e"}
	for _, j := range jobs {
		jobEnqueue(t, q, dbsqlc.JobEnqueueParams{ID: j.id, Priority: j.priority, ScheduledFor: j.at})
	}

	t.Run("one at a time", func(t *testing.T) {
		tx, err := pool.Begin(ctx)
		require.NoError(t, err)
		defer tx.Rollback(ctx) //nolint:errcheck
		var got []string
		for range len(want) + 1 {
			got = append(got, jobClaim(t, stackdb.New(tx), 1)...)
		}
		require.Equal(t, want, got)
	})

	t.Run("all at once, returned in claim order", func(t *testing.T) {
		tx, err := pool.Begin(ctx)
		require.NoError(t, err)
		defer tx.Rollback(ctx) //nolint:errcheck
		require.Equal(t, want[:3], jobClaim(t, stackdb.New(tx), 3), "the limit takes the first in order")
		require.Equal(t, want[3:], jobClaim(t, stackdb.New(tx), 100))
	})

	t.Run("claiming marks processing, stamps started_at, counts the attempt", func(t *testing.T) {
		tx, err := pool.Begin(ctx)
		require.NoError(t, err)
		defer tx.Rollback(ctx) //nolint:errcheck
		now := jobNow(t, tx)
		rows, err := stackdb.New(tx).JobClaimNext(ctx, 100)
		require.NoError(t, err)
		require.Len(t, rows, len(want))
		for _, r := range rows {
			require.Equal(t, dbsqlc.JobStatusProcessing, r.Status)
			require.EqualValues(t, 1, r.Attempts)
			jobRequireTime(t, now, r.StartedAt)
			require.Equal(t, dbsqlc.QueueJob(r), jobGet(t, stackdb.New(tx), r.ID), "the returned row is the stored row")
		}
		require.Empty(t, jobClaim(t, stackdb.New(tx), 100), "processing jobs are not claimed again")
	})

	t.Run("future jobs are not claimed", func(t *testing.T) {
		// The transactions above rolled back: everything is pending again.
		claimed := jobClaim(t, q, 100)
		require.Equal(t, want, claimed)
		require.NotContains(t, claimed, "job_future")
		future := jobGet(t, q, "job_future")
		require.Equal(t, dbsqlc.JobStatusPending, future.Status)
		require.EqualValues(t, 0, future.Attempts)
		require.Nil(t, future.StartedAt)

		jobMakeDue(t, pool, "job_future")
		require.Equal(t, []string{"job_future"}, jobClaim(t, q, 100), "once due it is claimed")
	})

	t.Run("attempts count every claim", func(t *testing.T) {
		for attempt := int32(2); attempt <= 3; attempt++ {
			job, err := q.JobFail(ctx, dbsqlc.JobFailParams{ID: "job_a", Attempts: attempt - 1, BackoffBaseSeconds: 60, Error: "boom"})
			require.NoError(t, err)
			require.Equal(t, dbsqlc.JobStatusPending, job.Status)
			jobMakeDue(t, pool, "job_a")
			rows, err := q.JobClaimNext(ctx, 10)
			require.NoError(t, err)
			require.Len(t, rows, 1)
			require.Equal(t, "job_a", rows[0].ID)
			require.Equal(t, attempt, rows[0].Attempts)
		}
	})
}

// Two workers, each on its own connection and holding its transaction open
// while claiming, never receive the same job and together receive every due
// job and nothing else.
func TestJobClaimNextConcurrentClaimers(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	const due, perClaimer = 20, 12

	// enqueue adds due jobs of mixed priorities and some future ones; it
	// returns the ids of the due ones.
	enqueue := func(t *testing.T) []string {
		var ids []string
		for i := range due {
			ids = append(ids, jobEnqueue(t, q, dbsqlc.JobEnqueueParams{Priority: int32(i % 3)}).ID)
		}
		for range 3 {
			jobEnqueue(t, q, dbsqlc.JobEnqueueParams{ScheduledFor: new(in(time.Hour)), Priority: 9})
		}
		return ids
	}
	begin := func(t *testing.T) pgx.Tx {
		tx, err := pool.Begin(ctx)
		require.NoError(t, err)
		t.Cleanup(func() { tx.Rollback(context.Background()) }) //nolint:errcheck
		// A claimer that waited for the other's locks instead of skipping
		// them would stall the test; fail fast instead.
		execSQL(t, tx, "SET LOCAL lock_timeout = '3s'")
		return tx
	}
	requireSplit := func(t *testing.T, ids, a, b []string) {
		t.Helper()
		require.NotEmpty(t, a)
		require.NotEmpty(t, b)
		require.LessOrEqual(t, len(a), perClaimer)
		require.LessOrEqual(t, len(b), perClaimer)
		for _, id := range a {
			require.NotContains(t, b, id, "job %s given to both claimers", id)
		}
		all := slices.Concat(a, b)
		slices.Sort(all)
		ids = slices.Clone(ids)
		slices.Sort(ids)
		require.Equal(t, ids, all, "together the claimers receive every due job, and no future one")
	}

	t.Run("second claims while the first holds its jobs", func(t *testing.T) {
		ids := enqueue(t)
		txA, txB := begin(t), begin(t)
		a := jobClaim(t, stackdb.New(txA), perClaimer)
		b := jobClaim(t, stackdb.New(txB), perClaimer)
		require.Len(t, a, perClaimer)
		require.Len(t, b, due-perClaimer)
		requireSplit(t, ids, a, b)
		require.NoError(t, txA.Commit(ctx))
		require.NoError(t, txB.Commit(ctx))
		require.Empty(t, jobClaim(t, q, 100), "nothing due is left")
	})

	t.Run("racing goroutines", func(t *testing.T) {
		for round := range 10 {
			ids := enqueue(t)
			txs := [2]pgx.Tx{begin(t), begin(t)}
			var (
				got     [2][]string
				errs    [2]error
				start   = make(chan struct{})
				claimed sync.WaitGroup
				done    sync.WaitGroup
			)
			claimed.Add(2)
			for i := range 2 {
				done.Go(func() {
					release := sync.OnceFunc(claimed.Done)
					defer release()
					<-start
					rows, err := stackdb.New(txs[i]).JobClaimNext(ctx, perClaimer)
					if err != nil {
						errs[i] = err
						return
					}
					got[i] = jobRowIDs(rows)
					// Hold the transaction, and the claimed rows' locks,
					// until the other has claimed too.
					release()
					claimed.Wait()
					errs[i] = txs[i].Commit(ctx)
				})
			}
			close(start)
			done.Wait()
			require.NoError(t, errs[0], "round %d", round)
			require.NoError(t, errs[1], "round %d", round)
			requireSplit(t, ids, got[0], got[1])
		}
		require.Empty(t, jobClaim(t, q, 100), "nothing due is left")
	})
}

// ---------------------------------------------------------------------------
// complete and fail

func TestJobComplete(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)

	job := jobEnqueue(t, q, dbsqlc.JobEnqueueParams{})
	require.Equal(t, []string{job.ID}, jobClaim(t, q, 1))

	tx, err := pool.Begin(ctx)
	require.NoError(t, err)
	defer tx.Rollback(ctx) //nolint:errcheck
	now := jobNow(t, tx)
	n, err := stackdb.New(tx).JobComplete(ctx, dbsqlc.JobCompleteParams{ID: job.ID, Attempts: 1, Result: json.RawMessage(`{"sent":true}`)})
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	require.NoError(t, tx.Commit(ctx))

	done := jobGet(t, q, job.ID)
	require.Equal(t, dbsqlc.JobStatusCompleted, done.Status)
	jobRequireTime(t, now, done.CompletedAt)
	require.JSONEq(t, `{"sent":true}`, string(done.Result))
	require.EqualValues(t, 1, done.Attempts)

	noResult := jobEnqueue(t, q, dbsqlc.JobEnqueueParams{})
	require.Equal(t, []string{noResult.ID}, jobClaim(t, q, 1))
	n, err = q.JobComplete(ctx, dbsqlc.JobCompleteParams{ID: noResult.ID, Attempts: 1})
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	require.Nil(t, jobGet(t, q, noResult.ID).Result, "a nil result is NULL")

	// Jobs that are not processing are left exactly as they are.
	pending := jobEnqueue(t, q, dbsqlc.JobEnqueueParams{ScheduledFor: new(in(time.Hour))})
	failed := jobEnqueue(t, q, dbsqlc.JobEnqueueParams{MaxAttempts: 1, ScheduledFor: new(in(-time.Second))})
	require.Equal(t, []string{failed.ID}, jobClaim(t, q, 1))
	_, err = q.JobFail(ctx, dbsqlc.JobFailParams{ID: failed.ID, Attempts: 1, BackoffBaseSeconds: 1, Error: "boom"})
	require.NoError(t, err)

	for name, id := range map[string]string{
		"already completed": job.ID,
		"pending":           pending.ID,
		"failed":            failed.ID,
		"missing":           "job_missing",
	} {
		t.Run(name, func(t *testing.T) {
			// With the job's own attempts: only its status refuses.
			before, beforeErr := q.JobGet(ctx, id)
			n, err := q.JobComplete(ctx, dbsqlc.JobCompleteParams{ID: id, Attempts: before.Attempts, Result: json.RawMessage(`{"again":true}`)})
			require.NoError(t, err)
			require.EqualValues(t, 0, n)
			_, err = q.JobFail(ctx, dbsqlc.JobFailParams{ID: id, Attempts: before.Attempts, BackoffBaseSeconds: 1, Error: "late"})
			require.ErrorIs(t, err, stackdb.ErrNotFound, "failing a job that is not processing changes nothing either")
			after, afterErr := q.JobGet(ctx, id)
			require.Equal(t, beforeErr, afterErr)
			require.Equal(t, before, after, "unchanged")
		})
	}
}

// A worker whose job was reclaimed and claimed again by another can no
// longer finish it: the attempt number the claim returned fences it off.
func TestJobCompleteFencedByAttempt(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	job := jobEnqueue(t, q, dbsqlc.JobEnqueueParams{})

	rows, err := q.JobClaimNext(ctx, 1)
	require.NoError(t, err)
	require.Len(t, rows, 1)
	stale := rows[0]
	execSQL(t, pool, `UPDATE queue_jobs SET started_at = now() - interval '1 hour' WHERE id = $1`, job.ID)
	n, err := q.JobReclaimStuck(ctx, 60)
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	rows, err = q.JobClaimNext(ctx, 1)
	require.NoError(t, err)
	require.Len(t, rows, 1)
	current := rows[0]
	require.Equal(t, stale.Attempts+1, current.Attempts)

	n, err = q.JobComplete(ctx, dbsqlc.JobCompleteParams{ID: job.ID, Attempts: stale.Attempts, Result: json.RawMessage(`"stale"`)})
	require.NoError(t, err)
	require.Zero(t, n, "the stale worker cannot complete the job")
	_, err = q.JobFail(ctx, dbsqlc.JobFailParams{ID: job.ID, Attempts: stale.Attempts, BackoffBaseSeconds: 1, Error: "stale"})
	require.ErrorIs(t, err, stackdb.ErrNotFound, "nor fail it")
	require.Equal(t, dbsqlc.QueueJob(current), jobGet(t, q, job.ID), "the current claim is untouched")

	n, err = q.JobComplete(ctx, dbsqlc.JobCompleteParams{ID: job.ID, Attempts: current.Attempts, Result: json.RawMessage(`"current"`)})
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	require.JSONEq(t, `"current"`, string(jobGet(t, q, job.ID).Result))
}

func TestJobFailBackoff(t *testing.T) {
	t.Parallel()
	const base = 60.0
	tests := []struct {
		name        string
		maxAttempts int32
		maxSeconds  *float64
		delays      []float64 // seconds after each failure that retries
	}{
		{name: "doubling", maxAttempts: 4, delays: []float64{base, 2 * base, 4 * base}},
		{name: "capped", maxAttempts: 5, maxSeconds: new(3 * base), delays: []float64{base, 2 * base, 3 * base, 3 * base}},
		{name: "single attempt", maxAttempts: 1, delays: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx, pool, q := setup(t)
			job := jobEnqueue(t, q, dbsqlc.JobEnqueueParams{MaxAttempts: tt.maxAttempts})
			fail := func(attempt int32) (dbsqlc.JobFailRow, time.Time) {
				t.Helper()
				rows, err := q.JobClaimNext(ctx, 10)
				require.NoError(t, err)
				require.Len(t, rows, 1)
				require.Equal(t, attempt, rows[0].Attempts)
				// now() is fixed within a transaction: the backoff is
				// measured from exactly the database's clock.
				tx, err := pool.Begin(ctx)
				require.NoError(t, err)
				defer tx.Rollback(ctx) //nolint:errcheck
				now := jobNow(t, tx)
				failed, err := stackdb.New(tx).JobFail(ctx, dbsqlc.JobFailParams{
					ID:                 job.ID,
					Attempts:           attempt,
					BackoffBaseSeconds: base,
					BackoffMaxSeconds:  tt.maxSeconds,
					Error:              fmt.Sprintf("attempt %d failed", attempt),
				})
				require.NoError(t, err)
				require.NoError(t, tx.Commit(ctx))
				require.Equal(t, attempt, failed.Attempts)
				require.Equal(t, new(fmt.Sprintf("attempt %d failed", attempt)), failed.Error)
				require.Equal(t, dbsqlc.QueueJob(failed), jobGet(t, q, job.ID), "the returned row is the stored row")
				return failed, now
			}

			for i, delay := range tt.delays {
				attempt := int32(i + 1)
				failed, now := fail(attempt)
				require.Equal(t, dbsqlc.JobStatusPending, failed.Status, "attempt %d of %d retries", attempt, tt.maxAttempts)
				jobRequireTime(t, now.Add(time.Duration(delay*float64(time.Second))), &failed.ScheduledFor,
					"attempt %d: backoff %vs", attempt, delay)
				require.Nil(t, failed.CompletedAt)
				require.Empty(t, jobClaim(t, q, 10), "not claimable during its backoff")
				jobMakeDue(t, pool, job.ID)
			}

			last, now := fail(tt.maxAttempts)
			require.Equal(t, dbsqlc.JobStatusFailed, last.Status, "the last attempt fails for good")
			jobRequireTime(t, now, last.CompletedAt)
			require.True(t, last.ScheduledFor.Before(now), "no further retry is scheduled")
			require.Empty(t, jobClaim(t, q, 10), "a failed job is never claimed again")
			_, err := q.JobFail(ctx, dbsqlc.JobFailParams{ID: job.ID, Attempts: tt.maxAttempts, BackoffBaseSeconds: base, Error: "again"})
			require.ErrorIs(t, err, stackdb.ErrNotFound)
			require.EqualValues(t, tt.maxAttempts, jobGet(t, q, job.ID).Attempts)
		})
	}
}

// ---------------------------------------------------------------------------
// batches

func TestJobBatchCreateGet(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)

	b, err := q.JobBatchCreate(ctx, dbsqlc.JobBatchCreateParams{ID: "batch_a", Type: "import", TotalJobs: 5, Metadata: json.RawMessage(`{"source":"csv"}`)})
	require.NoError(t, err)
	require.Equal(t, "batch_a", b.ID)
	require.Equal(t, "import", b.Type)
	require.EqualValues(t, 5, b.TotalJobs)
	require.Zero(t, b.CompletedJobs)
	require.Zero(t, b.FailedJobs)
	require.Equal(t, dbsqlc.JobStatusPending, b.Status)
	require.JSONEq(t, `{"source":"csv"}`, string(b.Metadata))
	require.Equal(t, b, jobBatch(t, q, "batch_a"))

	noMeta := jobCreateBatch(t, q, 0)
	require.Nil(t, noMeta.Metadata)

	_, err = q.JobBatchGet(ctx, "batch_missing")
	require.ErrorIs(t, err, stackdb.ErrNotFound)
	_, err = q.JobBatchCreate(ctx, dbsqlc.JobBatchCreateParams{ID: newID("batch"), Type: "import", TotalJobs: -1})
	requireConstraintError(t, err, stackdb.Check, "queue_job_batches", "queue_job_batches_counters")
}

// A batch counts each of its jobs once, when it completes or fails for
// good; retries do not count, and the batch is done with its last job.
func TestJobBatchCounters(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)

	type counters struct {
		completed, failed int32
		status            dbsqlc.JobStatus
	}
	requireBatch := func(t *testing.T, id string, want counters, msg string) {
		t.Helper()
		b := jobBatch(t, q, id)
		require.Equal(t, want, counters{b.CompletedJobs, b.FailedJobs, b.Status}, msg)
	}
	claim := func(t *testing.T, id string) {
		t.Helper()
		jobMakeDue(t, pool, id)
		require.Equal(t, []string{id}, jobClaim(t, q, 10))
	}
	complete := func(t *testing.T, id string, want int64) {
		t.Helper()
		n, err := q.JobComplete(ctx, dbsqlc.JobCompleteParams{ID: id, Attempts: jobGet(t, q, id).Attempts})
		require.NoError(t, err)
		require.Equal(t, want, n)
	}
	fail := func(t *testing.T, id string, want dbsqlc.JobStatus) {
		t.Helper()
		job, err := q.JobFail(ctx, dbsqlc.JobFailParams{ID: id, Attempts: jobGet(t, q, id).Attempts, BackoffBaseSeconds: 60, Error: "boom"})
		require.NoError(t, err)
		require.Equal(t, want, job.Status)
	}

	t.Run("mixed: completions, retries, a final failure", func(t *testing.T) {
		batch := jobCreateBatch(t, q, 4)
		other := jobCreateBatch(t, q, 1) // must not be touched
		// Not yet due: claim makes each due when the test takes it.
		ids := jobEnqueueMany(t, q, 4, 2, &batch.ID, new(in(time.Hour)))
		a, b, c, d := ids[0], ids[1], ids[2], ids[3]
		otherJob := jobEnqueue(t, q, dbsqlc.JobEnqueueParams{BatchID: &other.ID, ScheduledFor: new(in(time.Hour))})
		unbatched := jobEnqueue(t, q, dbsqlc.JobEnqueueParams{ScheduledFor: new(in(time.Hour)), MaxAttempts: 1})

		claim(t, a)
		complete(t, a, 1)
		requireBatch(t, batch.ID, counters{1, 0, dbsqlc.JobStatusPending}, "a completed")
		complete(t, a, 0)
		requireBatch(t, batch.ID, counters{1, 0, dbsqlc.JobStatusPending}, "completing a again does not count twice")

		claim(t, b)
		fail(t, b, dbsqlc.JobStatusPending)
		requireBatch(t, batch.ID, counters{1, 0, dbsqlc.JobStatusPending}, "a retry does not count")
		claim(t, b)
		complete(t, b, 1)
		requireBatch(t, batch.ID, counters{2, 0, dbsqlc.JobStatusPending}, "b completed on its second attempt")

		claim(t, c)
		fail(t, c, dbsqlc.JobStatusPending)
		requireBatch(t, batch.ID, counters{2, 0, dbsqlc.JobStatusPending}, "c retries")
		claim(t, c)
		fail(t, c, dbsqlc.JobStatusFailed)
		requireBatch(t, batch.ID, counters{2, 1, dbsqlc.JobStatusPending}, "c failed for good")
		complete(t, c, 0)
		requireBatch(t, batch.ID, counters{2, 1, dbsqlc.JobStatusPending}, "a failed job cannot complete")

		claim(t, unbatched.ID)
		fail(t, unbatched.ID, dbsqlc.JobStatusFailed)
		requireBatch(t, batch.ID, counters{2, 1, dbsqlc.JobStatusPending}, "jobs of no batch count nowhere")

		claim(t, d)
		complete(t, d, 1)
		requireBatch(t, batch.ID, counters{3, 1, dbsqlc.JobStatusFailed}, "the last job finishes the batch, failed since c failed")
		requireBatch(t, other.ID, counters{0, 0, dbsqlc.JobStatusPending}, "other batches untouched")

		claim(t, otherJob.ID)
		complete(t, otherJob.ID, 1)
		requireBatch(t, other.ID, counters{1, 0, dbsqlc.JobStatusCompleted}, "all completed: the batch completes")
	})

	t.Run("the last job failing fails the batch", func(t *testing.T) {
		batch := jobCreateBatch(t, q, 2)
		ids := jobEnqueueMany(t, q, 2, 1, &batch.ID, new(in(time.Hour)))
		claim(t, ids[0])
		complete(t, ids[0], 1)
		requireBatch(t, batch.ID, counters{1, 0, dbsqlc.JobStatusPending}, "one of two")
		claim(t, ids[1])
		fail(t, ids[1], dbsqlc.JobStatusFailed)
		requireBatch(t, batch.ID, counters{1, 1, dbsqlc.JobStatusFailed}, "done, one failed")
	})

	// Concurrent workers finishing jobs of the same batch: each statement
	// counts on the batch row as it is after the others' commits, so the
	// counters are exact.
	t.Run("concurrent finishes", func(t *testing.T) {
		const completing, failing = 24, 8
		batch := jobCreateBatch(t, q, completing+failing)
		ids := jobEnqueueDue(t, q, completing+failing, 1, &batch.ID)
		require.Len(t, jobClaim(t, q, 100), completing+failing)

		errs := make([]error, len(ids))
		var wg sync.WaitGroup
		for i, id := range ids {
			wg.Go(func() {
				if i < completing {
					n, err := q.JobComplete(ctx, dbsqlc.JobCompleteParams{ID: id, Attempts: 1})
					if err == nil && n != 1 {
						err = fmt.Errorf("completed %d jobs", n)
					}
					errs[i] = err
					return
				}
				_, errs[i] = q.JobFail(ctx, dbsqlc.JobFailParams{ID: id, Attempts: 1, BackoffBaseSeconds: 1, Error: "boom"})
			})
		}
		wg.Wait()
		require.NoError(t, errors.Join(errs...))
		requireBatch(t, batch.ID, counters{completing, failing, dbsqlc.JobStatusFailed}, "every job counted exactly once")
	})
}

// ---------------------------------------------------------------------------
// reclaim and clean-up

func TestJobReclaimStuck(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	const timeout = 5 * 60.0 // seconds

	batch := jobCreateBatch(t, q, 3)
	ids := jobEnqueueDue(t, q, 3, 2, &batch.ID)
	retry, exhausted, recent := ids[0], ids[1], ids[2]
	locked := jobEnqueue(t, q, dbsqlc.JobEnqueueParams{ScheduledFor: new(in(-time.Second))}).ID
	require.Len(t, jobClaim(t, q, 10), 4)
	// exhausted is on its last attempt.
	execSQL(t, pool, `UPDATE queue_jobs SET attempts = max_attempts WHERE id = $1`, exhausted)
	// Old jobs in other states are no concern of reclaiming.
	pending := jobEnqueue(t, q, dbsqlc.JobEnqueueParams{ScheduledFor: new(in(time.Hour))}).ID
	completed := jobEnqueue(t, q, dbsqlc.JobEnqueueParams{ScheduledFor: new(in(time.Hour))}).ID
	execSQL(t, pool, `UPDATE queue_jobs SET status = 'completed', completed_at = now() WHERE id = $1`, completed)

	set := func(id string, ago time.Duration) {
		execSQL(t, pool, `UPDATE queue_jobs SET started_at = now() - $2::interval WHERE id = $1`, id, ago)
	}
	set(retry, 10*time.Minute)
	set(exhausted, 6*time.Minute)
	set(recent, 4*time.Minute) // within the timeout
	set(locked, time.Hour)
	set(pending, time.Hour)
	set(completed, time.Hour)
	before := map[string]dbsqlc.QueueJob{}
	for _, id := range []string{recent, pending, completed} {
		before[id] = jobGet(t, q, id)
	}

	// locked is stuck too, but a worker is finishing it right now.
	worker, err := pool.Begin(ctx)
	require.NoError(t, err)
	defer worker.Rollback(ctx) //nolint:errcheck
	n, err := stackdb.New(worker).JobComplete(ctx, dbsqlc.JobCompleteParams{ID: locked, Attempts: 1})
	require.NoError(t, err)
	require.EqualValues(t, 1, n)

	tx, err := pool.Begin(ctx)
	require.NoError(t, err)
	defer tx.Rollback(ctx)                          //nolint:errcheck
	execSQL(t, tx, "SET LOCAL lock_timeout = '3s'") // skipping, never waiting
	now := jobNow(t, tx)
	reclaimed, err := stackdb.New(tx).JobReclaimStuck(ctx, timeout)
	require.NoError(t, err)
	require.EqualValues(t, 2, reclaimed, "exactly the jobs processing for longer than the timeout")
	require.NoError(t, tx.Commit(ctx))
	require.NoError(t, worker.Commit(ctx))

	r := jobGet(t, q, retry)
	require.Equal(t, dbsqlc.JobStatusPending, r.Status, "attempts left: back to pending")
	require.Equal(t, new("processing timed out"), r.Error)
	require.Nil(t, r.CompletedAt)
	require.EqualValues(t, 1, r.Attempts)

	e := jobGet(t, q, exhausted)
	require.Equal(t, dbsqlc.JobStatusFailed, e.Status, "attempts exhausted: failed")
	require.Equal(t, new("processing timed out"), e.Error)
	jobRequireTime(t, now, e.CompletedAt)

	b := jobBatch(t, q, batch.ID)
	require.EqualValues(t, 1, b.FailedJobs, "the failed job counts in its batch")
	require.Zero(t, b.CompletedJobs)
	require.Equal(t, dbsqlc.JobStatusPending, b.Status)

	require.Equal(t, dbsqlc.JobStatusCompleted, jobGet(t, q, locked).Status, "the worker's completion stands")
	for id, job := range before {
		require.Equal(t, job, jobGet(t, q, id), "%s untouched", id)
	}

	require.Equal(t, []string{retry}, jobClaim(t, q, 10), "the reclaimed job is claimable again")
	n, err = q.JobReclaimStuck(ctx, timeout)
	require.NoError(t, err)
	require.Zero(t, n, "nothing left to reclaim")

	// With a timeout of zero everything processing is stuck; the failure
	// finishes the batch.
	execSQL(t, pool, `UPDATE queue_jobs SET attempts = max_attempts WHERE id = ANY($1)`, []string{retry, recent})
	n, err = q.JobReclaimStuck(ctx, 0)
	require.NoError(t, err)
	require.EqualValues(t, 2, n)
	b = jobBatch(t, q, batch.ID)
	require.EqualValues(t, 3, b.FailedJobs)
	require.Equal(t, dbsqlc.JobStatusFailed, b.Status)
}

func TestJobDeleteFinished(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)

	finish := func(status dbsqlc.JobStatus, ago time.Duration) string {
		id := jobEnqueue(t, q, dbsqlc.JobEnqueueParams{ScheduledFor: new(in(time.Hour))}).ID
		execSQL(t, pool, `UPDATE queue_jobs SET status = $2, completed_at = now() - $3::interval, created_at = now() - interval '30 days' WHERE id = $1`,
			id, status, ago)
		return id
	}
	oldCompleted := finish(dbsqlc.JobStatusCompleted, 48*time.Hour)
	oldFailed := finish(dbsqlc.JobStatusFailed, 25*time.Hour)
	keep := []string{
		finish(dbsqlc.JobStatusCompleted, time.Hour),
		finish(dbsqlc.JobStatusFailed, 23*time.Hour),
	}
	// Unfinished jobs stay however old they are.
	for _, status := range []dbsqlc.JobStatus{dbsqlc.JobStatusPending, dbsqlc.JobStatusProcessing} {
		id := jobEnqueue(t, q, dbsqlc.JobEnqueueParams{ScheduledFor: new(in(time.Hour))}).ID
		execSQL(t, pool, `UPDATE queue_jobs SET status = $2, started_at = now() - interval '30 days', created_at = now() - interval '30 days', scheduled_for = now() - interval '30 days' WHERE id = $1`, id, status)
		keep = append(keep, id)
	}

	n, err := q.JobDeleteFinished(ctx, (24 * time.Hour).Seconds())
	require.NoError(t, err)
	require.EqualValues(t, 2, n)
	for _, id := range []string{oldCompleted, oldFailed} {
		_, err := q.JobGet(ctx, id)
		require.ErrorIs(t, err, stackdb.ErrNotFound, "%s deleted", id)
	}
	for _, id := range keep {
		_, err := q.JobGet(ctx, id)
		require.NoError(t, err, "%s kept", id)
	}
	n, err = q.JobDeleteFinished(ctx, (24 * time.Hour).Seconds())
	require.NoError(t, err)
	require.Zero(t, n)
}

// ---------------------------------------------------------------------------
// plans

// jobSeedForPlans fills the queue as it looks at work, so the planner has
// statistics to go by: mostly finished jobs, some pending of several
// priorities, a few processing of which half are stuck.
func jobSeedForPlans(t *testing.T, pool *pgxpool.Pool, q dbsqlc.Querier) {
	t.Helper()
	jobEnqueueDue(t, q, 2000, 3, nil)
	execSQL(t, pool, `UPDATE queue_jobs j SET
		status = CASE WHEN n < 85 THEN 'completed' WHEN n < 90 THEN 'failed' WHEN n < 98 THEN 'pending' ELSE 'processing' END::job_status,
		priority = n % 5,
		started_at = CASE WHEN n < 99 THEN now() - interval '1 hour' ELSE now() - interval '10 seconds' END
		FROM (SELECT id, row_number() OVER (ORDER BY id) % 100 AS n FROM queue_jobs) x
		WHERE x.id = j.id`)
	execSQL(t, pool, `ANALYZE queue_jobs`)
}

func TestJobClaimNextUsesClaimIndex(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	jobSeedForPlans(t, pool, q)

	tx := noSeqscanTx(t, pool)
	plan := explainQuery(t, tx, func(q dbsqlc.Querier) error {
		_, err := q.JobClaimNext(ctx, 10)
		return err
	})
	require.Contains(t, plan.Indexes(), "queue_jobs_claim_idx", "plan:\n%s", plan.Text())
	// The index holds the whole ORDER BY, id included, so the LIMIT reads
	// just the rows it claims: no sort below it. The one Sort orders the
	// claimed rows on the way out.
	nodes := plan.Values("Node Type")
	require.NotContains(t, nodes, "Incremental Sort", "plan:\n%s", plan.Text())
	sorts := 0
	for _, n := range nodes {
		if n == "Sort" {
			sorts++
		}
	}
	require.Equal(t, 1, sorts, "plan:\n%s", plan.Text())
	require.Equal(t, "Sort", plan.Root()["Node Type"], "plan:\n%s", plan.Text())
}

func TestJobReclaimStuckUsesProcessingIndex(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	jobSeedForPlans(t, pool, q)

	tx := noSeqscanTx(t, pool)
	plan := explainQuery(t, tx, func(q dbsqlc.Querier) error {
		_, err := q.JobReclaimStuck(ctx, 600)
		return err
	})
	scan := plan.Node("Index Name", "queue_jobs_processing_idx")
	require.NotNil(t, scan, "plan:\n%s", plan.Text())
	// The timeout bounds the scan rather than filtering every processing job.
	require.Contains(t, scan["Index Cond"], "started_at <", "plan:\n%s", plan.Text())
}
