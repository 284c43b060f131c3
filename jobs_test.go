package stackdb_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
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

// jobIn is a time d from now, by the test's clock, to the microsecond
// Postgres keeps.
func jobIn(d time.Duration) time.Time { return time.Now().Add(d).Truncate(time.Microsecond) }

// createJob inserts a job; empty fields get defaults (a fresh id, type
// "email", payload {}, max_attempts 3; scheduled_for nil is now()).
func createJob(t *testing.T, q dbsqlc.Querier, p dbsqlc.JobInsertParams) dbsqlc.QueueJob {
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
	job, err := q.JobInsert(t.Context(), p)
	require.NoError(t, err)
	return job
}

// createJobs inserts n jobs with max_attempts into batch (nil = none), due
// at scheduledFor (nil = now()), and returns their ids.
func createJobs(t *testing.T, q dbsqlc.Querier, n int, maxAttempts int32, batchID *string, scheduledFor *time.Time) []string {
	t.Helper()
	p := dbsqlc.JobInsertManyParams{MaxAttempts: maxAttempts, BatchID: batchID, ScheduledFor: scheduledFor}
	for range n {
		p.Ids = append(p.Ids, newID("job"))
		p.Types = append(p.Types, "email")
		p.Payloads = append(p.Payloads, json.RawMessage(`{}`))
	}
	added, err := q.JobInsertMany(t.Context(), p)
	require.NoError(t, err)
	require.EqualValues(t, n, added)
	return p.Ids
}

func createJobBatch(t *testing.T, q dbsqlc.Querier, total int32) dbsqlc.QueueJobBatch {
	t.Helper()
	b, err := q.JobBatchInsert(t.Context(), dbsqlc.JobBatchInsertParams{ID: newID("batch"), Type: "import", TotalJobs: total})
	require.NoError(t, err)
	return b
}

// claimJobs claims up to n jobs and returns their ids in the order returned.
func claimJobs(t *testing.T, q dbsqlc.Querier, n int32) []string {
	t.Helper()
	rows, err := q.JobClaim(t.Context(), n)
	require.NoError(t, err)
	return jobClaimIDs(rows)
}

func jobClaimIDs(rows []dbsqlc.JobClaimRow) []string {
	ids := []string{}
	for _, r := range rows {
		ids = append(ids, r.ID)
	}
	return ids
}

func getJob(t *testing.T, q dbsqlc.Querier, id string) dbsqlc.QueueJob {
	t.Helper()
	job, err := q.JobGetByID(t.Context(), id)
	require.NoError(t, err)
	return job
}

func getJobBatch(t *testing.T, q dbsqlc.Querier, id string) dbsqlc.QueueJobBatch {
	t.Helper()
	b, err := q.JobBatchGetByID(t.Context(), id)
	require.NoError(t, err)
	return b
}

// makeJobDue lets time pass for a job waiting on its backoff.
func makeJobDue(t *testing.T, db stackdb.DB, id string) {
	t.Helper()
	require.EqualValues(t, 1, execSQL(t, db, `UPDATE queue_jobs SET scheduled_for = now() - interval '1 second' WHERE id = $1`, id))
}

// dbNow is the database's now(): in a transaction, the time every now() of
// the transaction's statements returns.
func dbNow(t *testing.T, db stackdb.DB) time.Time {
	t.Helper()
	var now time.Time
	require.NoError(t, db.QueryRow(t.Context(), "SELECT now()").Scan(&now))
	return now
}

// requireJobTime asserts a database timestamp equals want up to rounding.
func requireJobTime(t *testing.T, want time.Time, got *time.Time, msgAndArgs ...any) {
	t.Helper()
	require.NotNil(t, got, msgAndArgs...)
	require.WithinDuration(t, want, *got, time.Millisecond, msgAndArgs...)
}

// requireJobConstraint asserts err is a *stackdb.ConstraintError of kind on
// table naming constraint.
func requireJobConstraint(t *testing.T, err error, kind stackdb.ConstraintKind, table, constraint string) {
	t.Helper()
	var cerr *stackdb.ConstraintError
	require.ErrorAs(t, err, &cerr)
	require.Equal(t, kind, cerr.Kind)
	require.Equal(t, table, cerr.Table)
	require.Equal(t, constraint, cerr.Constraint)
}

// ---------------------------------------------------------------------------
// insert

func TestJobInsert(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	batch := createJobBatch(t, q, 1)

	tx, err := pool.Begin(ctx)
	require.NoError(t, err)
	defer tx.Rollback(ctx) //nolint:errcheck
	now := dbNow(t, tx)
	job, err := stackdb.New(tx).JobInsert(ctx, dbsqlc.JobInsertParams{
		ID:          "job_a",
		Type:        "email.send",
		Payload:     json.RawMessage(`{"to":"a@example.com"}`),
		MaxAttempts: 5,
		BatchID:     &batch.ID,
	})
	require.NoError(t, err)
	require.NoError(t, tx.Commit(ctx))

	require.Equal(t, dbsqlc.QueueJob{
		ID: "job_a", Type: "email.send", Payload: job.Payload, Status: dbsqlc.JobStatusPending,
		ScheduledFor: job.ScheduledFor, Attempts: 0, MaxAttempts: 5, BatchID: &batch.ID,
		CreatedAt: job.CreatedAt, UpdatedAt: job.UpdatedAt,
	}, job)
	require.JSONEq(t, `{"to":"a@example.com"}`, string(job.Payload))
	requireJobTime(t, now, &job.ScheduledFor, "scheduled_for nil is now()")
	require.Equal(t, job, getJob(t, q, "job_a"))

	at := jobIn(time.Hour)
	later := createJob(t, q, dbsqlc.JobInsertParams{ScheduledFor: &at})
	require.True(t, at.Equal(later.ScheduledFor), "an explicit scheduled_for is kept")
	require.Nil(t, later.BatchID)

	_, err = q.JobGetByID(ctx, "job_missing")
	require.ErrorIs(t, err, stackdb.ErrNotFound)

	tests := []struct {
		name       string
		p          dbsqlc.JobInsertParams
		kind       stackdb.ConstraintKind
		constraint string
	}{
		{"unknown batch", dbsqlc.JobInsertParams{ID: newID("job"), Type: "x", Payload: json.RawMessage(`{}`), MaxAttempts: 3, BatchID: new("batch_missing")},
			stackdb.ForeignKey, "queue_jobs_batch_id_fkey"},
		{"duplicate id", dbsqlc.JobInsertParams{ID: "job_a", Type: "x", Payload: json.RawMessage(`{}`), MaxAttempts: 3},
			stackdb.Unique, "queue_jobs_pkey"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := q.JobInsert(ctx, tt.p)
			requireJobConstraint(t, err, tt.kind, "queue_jobs", tt.constraint)
		})
	}
	require.Equal(t, 2, countRows(t, pool, "queue_jobs", "true"), "refused inserts add nothing")
}

func TestJobInsertMany(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	batch := createJobBatch(t, q, 3)
	at := jobIn(time.Minute)

	rec := &stmtRecorder{DB: pool}
	n, err := stackdb.New(rec).JobInsertMany(ctx, dbsqlc.JobInsertManyParams{
		Ids:          []string{"job_1", "job_2", "job_3"},
		Types:        []string{"email", "webhook", "email"},
		Payloads:     []json.RawMessage{json.RawMessage(`{"n":1}`), json.RawMessage(`{"n":2}`), json.RawMessage(`[3]`)},
		MaxAttempts:  4,
		ScheduledFor: &at,
		BatchID:      &batch.ID,
	})
	require.NoError(t, err)
	require.EqualValues(t, 3, n)
	require.Equal(t, 1, rec.calls, "one round trip for all jobs")
	for i, want := range []struct{ typ, payload string }{{"email", `{"n":1}`}, {"webhook", `{"n":2}`}, {"email", `[3]`}} {
		job := getJob(t, q, fmt.Sprintf("job_%d", i+1))
		require.Equal(t, want.typ, job.Type)
		require.JSONEq(t, want.payload, string(job.Payload))
		require.EqualValues(t, 4, job.MaxAttempts)
		require.True(t, at.Equal(job.ScheduledFor))
		require.Equal(t, &batch.ID, job.BatchID)
		require.Equal(t, dbsqlc.JobStatusPending, job.Status)
	}

	t.Run("scheduled_for nil is now()", func(t *testing.T) {
		tx, err := pool.Begin(ctx)
		require.NoError(t, err)
		defer tx.Rollback(ctx) //nolint:errcheck
		ids := createJobs(t, stackdb.New(tx), 2, 3, nil, nil)
		now := dbNow(t, tx)
		for _, id := range ids {
			job := getJob(t, stackdb.New(tx), id)
			requireJobTime(t, now, &job.ScheduledFor)
			require.Nil(t, job.BatchID)
		}
	})

	t.Run("empty arrays add nothing", func(t *testing.T) {
		n, err := q.JobInsertMany(ctx, dbsqlc.JobInsertManyParams{MaxAttempts: 3})
		require.NoError(t, err)
		require.EqualValues(t, 0, n)
	})

	t.Run("arrays of different lengths are refused whole", func(t *testing.T) {
		_, err := q.JobInsertMany(ctx, dbsqlc.JobInsertManyParams{
			Ids:         []string{"job_x", "job_y"},
			Types:       []string{"email", "email"},
			Payloads:    []json.RawMessage{json.RawMessage(`{}`)},
			MaxAttempts: 3,
		})
		var cerr *stackdb.ConstraintError
		require.ErrorAs(t, err, &cerr)
		require.Equal(t, stackdb.NotNull, cerr.Kind)
		require.Equal(t, "payload", cerr.Column)
		_, err = q.JobGetByID(ctx, "job_x")
		require.ErrorIs(t, err, stackdb.ErrNotFound, "not even the complete first element is added")
	})
}

// The queries run on whatever they are given: inserted in the caller's
// transaction (stackdb.InTx), a job commits or rolls back with the caller's
// work, and no worker can claim it before the commit.
func TestJobInsertInCallersTransaction(t *testing.T) {
	t.Parallel()
	errAbort := errors.New("abort")

	for _, commit := range []bool{true, false} {
		t.Run(fmt.Sprintf("commit=%v", commit), func(t *testing.T) {
			t.Parallel()
			ctx, pool, q := setup(t)
			var roleID string
			var jobIDs []string
			err := stackdb.InTx(ctx, pool, func(tx pgx.Tx, txq dbsqlc.Querier) error {
				roleID = createRole(t, tx) // the caller's own work
				batch := createJobBatch(t, txq, 3)
				job := createJob(t, txq, dbsqlc.JobInsertParams{Payload: json.RawMessage(fmt.Sprintf(`{"role":%q}`, roleID)), BatchID: &batch.ID})
				jobIDs = append([]string{job.ID}, createJobs(t, txq, 2, 3, &batch.ID, nil)...)

				require.Empty(t, claimJobs(t, q, 10), "a worker outside cannot see the uncommitted jobs")
				_, err := q.JobGetByID(ctx, job.ID)
				require.ErrorIs(t, err, stackdb.ErrNotFound)
				if !commit {
					return errAbort
				}
				return nil
			})
			if !commit {
				require.ErrorIs(t, err, errAbort)
				require.Zero(t, countRows(t, pool, "roles", "id = $1", roleID), "the caller's work is rolled back")
				require.Zero(t, countRows(t, pool, "queue_jobs", "true"), "and so are the jobs")
				require.Zero(t, countRows(t, pool, "queue_job_batches", "true"), "and the batch")
				require.Empty(t, claimJobs(t, q, 10))
				return
			}
			require.NoError(t, err)
			require.Equal(t, 1, countRows(t, pool, "roles", "id = $1", roleID))
			claimed := claimJobs(t, q, 10)
			slices.Sort(claimed)
			slices.Sort(jobIDs)
			require.Equal(t, jobIDs, claimed, "committed jobs are claimable")
		})
	}
}

// ---------------------------------------------------------------------------
// claim

func TestJobClaimOrder(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)

	at := func(d time.Duration) *time.Time { return new(jobIn(d)) }
	tie := jobIn(-30 * time.Minute)
	// The claim order is DeployStack's: the longest due first; then id.
	jobs := []struct {
		id string
		at *time.Time
	}{
		{"job_d", at(-time.Minute)},
		{"job_a", at(-5 * time.Hour)},
		{"job_tie2", &tie},
		{"job_c", at(-time.Hour)},
		{"job_b", at(-2 * time.Hour)},
		{"job_tie1", &tie},
		{"job_future", at(time.Hour)},
	}
	want := []string{"job_a", "job_b", "job_c", "job_tie1", "job_tie2", "job_d"}
	for _, j := range jobs {
		createJob(t, q, dbsqlc.JobInsertParams{ID: j.id, ScheduledFor: j.at})
	}

	t.Run("one at a time", func(t *testing.T) {
		tx, err := pool.Begin(ctx)
		require.NoError(t, err)
		defer tx.Rollback(ctx) //nolint:errcheck
		var got []string
		for range len(want) + 1 {
			got = append(got, claimJobs(t, stackdb.New(tx), 1)...)
		}
		require.Equal(t, want, got)
	})

	t.Run("many at once, returned in claim order", func(t *testing.T) {
		tx, err := pool.Begin(ctx)
		require.NoError(t, err)
		defer tx.Rollback(ctx) //nolint:errcheck
		require.Equal(t, want[:3], claimJobs(t, stackdb.New(tx), 3), "the limit takes the first in order")
		require.Equal(t, want[3:], claimJobs(t, stackdb.New(tx), 100))
	})

	t.Run("claiming marks processing, stamps updated_at, counts the attempt", func(t *testing.T) {
		tx, err := pool.Begin(ctx)
		require.NoError(t, err)
		defer tx.Rollback(ctx) //nolint:errcheck
		now := dbNow(t, tx)
		rows, err := stackdb.New(tx).JobClaim(ctx, 100)
		require.NoError(t, err)
		require.Len(t, rows, len(want))
		for _, r := range rows {
			require.Equal(t, dbsqlc.JobStatusProcessing, r.Status)
			require.EqualValues(t, 1, r.Attempts)
			requireJobTime(t, now, &r.UpdatedAt)
			require.Equal(t, dbsqlc.QueueJob(r), getJob(t, stackdb.New(tx), r.ID), "the returned row is the stored row")
		}
		require.Empty(t, claimJobs(t, stackdb.New(tx), 100), "processing jobs are not claimed again")
	})

	t.Run("future jobs are not claimed", func(t *testing.T) {
		// The transactions above rolled back: everything is pending again.
		require.Equal(t, want, claimJobs(t, q, 100))
		future := getJob(t, q, "job_future")
		require.Equal(t, dbsqlc.JobStatusPending, future.Status)
		require.EqualValues(t, 0, future.Attempts)

		makeJobDue(t, pool, "job_future")
		require.Equal(t, []string{"job_future"}, claimJobs(t, q, 100), "once due it is claimed")
	})

	t.Run("attempts count every claim", func(t *testing.T) {
		for attempt := int32(2); attempt <= 3; attempt++ {
			job, err := q.JobFail(ctx, dbsqlc.JobFailParams{ID: "job_a", Attempts: attempt - 1, Error: "boom"})
			require.NoError(t, err)
			require.Equal(t, dbsqlc.JobStatusPending, job.Status)
			makeJobDue(t, pool, "job_a")
			rows, err := q.JobClaim(ctx, 10)
			require.NoError(t, err)
			require.Len(t, rows, 1)
			require.Equal(t, "job_a", rows[0].ID)
			require.Equal(t, attempt, rows[0].Attempts)
		}
	})
}

// N workers, each on its own connection and holding its transaction open
// while claiming, never receive the same job and together receive every due
// job and nothing else.
func TestJobClaimConcurrentClaimers(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	// claimers * perClaimer < due: every claimer gets its full share. Each
	// claimer holds a connection of the pool (at least 4) until all claimed.
	const due, perClaimer, claimers = 30, 6, 4

	// create adds due jobs and some future ones; it returns the due ones.
	create := func(t *testing.T) []string {
		ids := createJobs(t, q, due, 3, nil, nil)
		createJobs(t, q, 3, 3, nil, new(jobIn(time.Hour)))
		return ids
	}
	begin := func(t *testing.T) pgx.Tx {
		tx, err := pool.Begin(ctx)
		require.NoError(t, err)
		t.Cleanup(func() { tx.Rollback(context.Background()) }) //nolint:errcheck
		// A claimer that waited for the others' locks instead of skipping
		// them would stall the test; fail fast instead.
		execSQL(t, tx, "SET LOCAL lock_timeout = '3s'")
		return tx
	}

	t.Run("second claims while the first holds its jobs", func(t *testing.T) {
		ids := create(t)
		txA, txB := begin(t), begin(t)
		a := claimJobs(t, stackdb.New(txA), due-5)
		b := claimJobs(t, stackdb.New(txB), 100)
		require.Len(t, a, due-5)
		require.Len(t, b, 5, "the second takes what the first left")
		for _, id := range a {
			require.NotContains(t, b, id, "job %s given to both claimers", id)
		}
		all := slices.Sorted(slices.Values(slices.Concat(a, b)))
		require.Equal(t, slices.Sorted(slices.Values(ids)), all, "together: every due job, no future one")
		require.NoError(t, txA.Commit(ctx))
		require.NoError(t, txB.Commit(ctx))
		require.Empty(t, claimJobs(t, q, 100), "nothing due is left")
		execSQL(t, pool, "DELETE FROM queue_jobs")
	})

	t.Run("racing goroutines", func(t *testing.T) {
		for round := range 5 {
			ids := create(t)
			txs := make([]pgx.Tx, claimers)
			for i := range txs {
				txs[i] = begin(t)
			}
			var (
				got     = make([][]string, claimers)
				errs    = make([]error, claimers)
				start   = make(chan struct{})
				claimed sync.WaitGroup
				done    sync.WaitGroup
			)
			claimed.Add(claimers)
			for i := range claimers {
				done.Go(func() {
					release := sync.OnceFunc(claimed.Done)
					defer release()
					<-start
					rows, err := stackdb.New(txs[i]).JobClaim(ctx, perClaimer)
					if err != nil {
						errs[i] = err
						return
					}
					got[i] = jobClaimIDs(rows)
					// Hold the transaction, and the claimed rows' locks,
					// until every other claimer has claimed too.
					release()
					claimed.Wait()
					errs[i] = txs[i].Commit(ctx)
				})
			}
			close(start)
			done.Wait()
			require.NoError(t, errors.Join(errs...), "round %d", round)

			seen := map[string]int{}
			for i, mine := range got {
				require.Len(t, mine, perClaimer, "round %d: claimer %d gets its full share", round, i)
				for _, id := range mine {
					seen[id]++
				}
			}
			for id, n := range seen {
				require.Equal(t, 1, n, "round %d: job %s given to %d claimers", round, id, n)
				require.Contains(t, ids, id, "round %d: only due jobs are claimed", round)
			}
			require.Len(t, seen, claimers*perClaimer)
			execSQL(t, pool, "DELETE FROM queue_jobs")
		}
	})
}

// ---------------------------------------------------------------------------
// complete and fail

func TestJobComplete(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)

	job := createJob(t, q, dbsqlc.JobInsertParams{})
	require.Equal(t, []string{job.ID}, claimJobs(t, q, 1))

	tx, err := pool.Begin(ctx)
	require.NoError(t, err)
	defer tx.Rollback(ctx) //nolint:errcheck
	now := dbNow(t, tx)
	done, err := stackdb.New(tx).JobComplete(ctx, dbsqlc.JobCompleteParams{ID: job.ID, Attempts: 1, Result: json.RawMessage(`{"sent":true}`)})
	require.NoError(t, err)
	require.NoError(t, tx.Commit(ctx))

	require.Equal(t, dbsqlc.QueueJob(done), getJob(t, q, job.ID), "the returned row is the stored row")
	require.Equal(t, dbsqlc.JobStatusCompleted, done.Status)
	requireJobTime(t, now, done.CompletedAt)
	requireJobTime(t, now, &done.UpdatedAt)
	require.JSONEq(t, `{"sent":true}`, string(done.Result))
	require.EqualValues(t, 1, done.Attempts)

	noResult := createJob(t, q, dbsqlc.JobInsertParams{})
	require.Equal(t, []string{noResult.ID}, claimJobs(t, q, 1))
	_, err = q.JobComplete(ctx, dbsqlc.JobCompleteParams{ID: noResult.ID, Attempts: 1})
	require.NoError(t, err)
	require.Nil(t, getJob(t, q, noResult.ID).Result, "a nil result is NULL")

	// Jobs that are not processing are left exactly as they are.
	pending := createJob(t, q, dbsqlc.JobInsertParams{ScheduledFor: new(jobIn(time.Hour))})
	failed := createJob(t, q, dbsqlc.JobInsertParams{MaxAttempts: 1, ScheduledFor: new(jobIn(-time.Second))})
	require.Equal(t, []string{failed.ID}, claimJobs(t, q, 1))
	_, err = q.JobFail(ctx, dbsqlc.JobFailParams{ID: failed.ID, Attempts: 1, Error: "boom"})
	require.NoError(t, err)

	for name, id := range map[string]string{
		"already completed": job.ID,
		"pending":           pending.ID,
		"failed":            failed.ID,
		"missing":           "job_missing",
	} {
		t.Run(name, func(t *testing.T) {
			// With the job's own attempts: only its status refuses.
			before, beforeErr := q.JobGetByID(ctx, id)
			_, err := q.JobComplete(ctx, dbsqlc.JobCompleteParams{ID: id, Attempts: before.Attempts, Result: json.RawMessage(`{"again":true}`)})
			require.ErrorIs(t, err, stackdb.ErrNotFound)
			_, err = q.JobFail(ctx, dbsqlc.JobFailParams{ID: id, Attempts: before.Attempts, Error: "late"})
			require.ErrorIs(t, err, stackdb.ErrNotFound, "failing a job that is not processing changes nothing either")
			after, afterErr := q.JobGetByID(ctx, id)
			require.Equal(t, beforeErr, afterErr)
			require.Equal(t, before, after, "unchanged")
		})
	}
}

// A worker whose job was taken back and claimed again by another can no
// longer finish it: the attempt number the claim returned fences it off.
func TestJobCompleteFencedByAttempt(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	job := createJob(t, q, dbsqlc.JobInsertParams{})

	rows, err := q.JobClaim(ctx, 1)
	require.NoError(t, err)
	require.Len(t, rows, 1)
	stale := rows[0]
	execSQL(t, pool, `UPDATE queue_jobs SET updated_at = now() - interval '1 hour' WHERE id = $1`, job.ID)
	n, err := q.JobRetryStuck(ctx, 60)
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	rows, err = q.JobClaim(ctx, 1)
	require.NoError(t, err)
	require.Len(t, rows, 1)
	current := rows[0]
	require.Equal(t, stale.Attempts+1, current.Attempts)

	_, err = q.JobComplete(ctx, dbsqlc.JobCompleteParams{ID: job.ID, Attempts: stale.Attempts, Result: json.RawMessage(`"stale"`)})
	require.ErrorIs(t, err, stackdb.ErrNotFound, "the stale worker cannot complete the job")
	_, err = q.JobFail(ctx, dbsqlc.JobFailParams{ID: job.ID, Attempts: stale.Attempts, Error: "stale"})
	require.ErrorIs(t, err, stackdb.ErrNotFound, "nor fail it")
	require.Equal(t, dbsqlc.QueueJob(current), getJob(t, q, job.ID), "the current claim is untouched")

	done, err := q.JobComplete(ctx, dbsqlc.JobCompleteParams{ID: job.ID, Attempts: current.Attempts, Result: json.RawMessage(`"current"`)})
	require.NoError(t, err)
	require.JSONEq(t, `"current"`, string(done.Result))
}

// JobCompleteMany completes many processing jobs in one statement, each
// under its own attempt, records each result and counts each batch once
// for all its jobs; jobs not processing under the given attempt are left
// as they are and not returned.
func TestJobCompleteMany(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)

	batch := createJobBatch(t, q, 3)
	other := createJobBatch(t, q, 2)
	inBatch := createJobs(t, q, 3, 3, &batch.ID, nil)
	inOther := createJobs(t, q, 1, 3, &other.ID, nil)
	loose := createJobs(t, q, 2, 3, nil, nil)
	stale := createJob(t, q, dbsqlc.JobInsertParams{})
	require.Len(t, claimJobs(t, q, 100), 7)
	// stale's claim is taken back and claimed again: attempt 1 is fenced off.
	execSQL(t, pool, `UPDATE queue_jobs SET updated_at = now() - interval '1 hour' WHERE id = $1`, stale.ID)
	_, err := q.JobRetryStuck(ctx, 60)
	require.NoError(t, err)
	require.Equal(t, []string{stale.ID}, claimJobs(t, q, 10))
	pending := createJob(t, q, dbsqlc.JobInsertParams{ScheduledFor: new(jobIn(time.Hour))})
	before := map[string]dbsqlc.QueueJob{stale.ID: getJob(t, q, stale.ID), pending.ID: getJob(t, q, pending.ID)}

	p := dbsqlc.JobCompleteManyParams{}
	add := func(id string, attempts int32, result string) {
		p.Ids = append(p.Ids, id)
		p.Attempts = append(p.Attempts, attempts)
		if result == "" {
			p.Results = append(p.Results, nil)
		} else {
			p.Results = append(p.Results, json.RawMessage(result))
		}
	}
	for i, id := range slices.Concat(inBatch, inOther, loose) {
		res := fmt.Sprintf(`{"n":%d}`, i)
		if i == 5 {
			res = "" // NULL
		}
		add(id, 1, res)
	}
	add(stale.ID, 1, `"stale"`)
	add(pending.ID, 0, `"pending"`)
	add("job_missing", 1, `"missing"`)

	tx, err := pool.Begin(ctx)
	require.NoError(t, err)
	defer tx.Rollback(ctx) //nolint:errcheck
	now := dbNow(t, tx)
	rec := &stmtRecorder{DB: tx}
	done, err := stackdb.New(rec).JobCompleteMany(ctx, p)
	require.NoError(t, err)
	require.Equal(t, 1, rec.calls, "jobs and batches in one round trip")
	require.NoError(t, tx.Commit(ctx))

	want := slices.Concat(inBatch, inOther, loose)
	require.ElementsMatch(t, want, done, "the processing jobs under their attempt, and only those")
	for i, id := range want {
		job := getJob(t, q, id)
		require.Equal(t, dbsqlc.JobStatusCompleted, job.Status, id)
		requireJobTime(t, now, job.CompletedAt, id)
		requireJobTime(t, now, &job.UpdatedAt, id)
		if i == 5 {
			require.Nil(t, job.Result, "a nil result is NULL")
		} else {
			require.JSONEq(t, fmt.Sprintf(`{"n":%d}`, i), string(job.Result), id)
		}
	}
	for id, b := range before {
		require.Equal(t, b, getJob(t, q, id), "%s unchanged", id)
	}
	b := getJobBatch(t, q, batch.ID)
	require.Equal(t, int32(3), b.CompletedJobs, "three jobs of one batch counted in one statement")
	require.Equal(t, dbsqlc.JobStatusCompleted, b.Status)
	require.NotNil(t, b.CompletedAt)
	o := getJobBatch(t, q, other.ID)
	require.Equal(t, int32(1), o.CompletedJobs)
	require.Equal(t, dbsqlc.JobStatusProcessing, o.Status, "one of two")
	require.Nil(t, o.CompletedAt)

	again, err := q.JobCompleteMany(ctx, p)
	require.NoError(t, err)
	require.Empty(t, again, "completing again completes nothing")
	require.Equal(t, int32(3), getJobBatch(t, q, batch.ID).CompletedJobs, "nor counts twice")

	t.Run("arrays of different lengths complete nothing", func(t *testing.T) {
		ids := createJobs(t, q, 2, 3, nil, nil)
		require.Len(t, claimJobs(t, q, 10), 2)
		for _, p := range []dbsqlc.JobCompleteManyParams{
			{Ids: ids, Attempts: []int32{1}, Results: []json.RawMessage{nil, nil}},
			{Ids: ids, Attempts: []int32{1, 1}, Results: []json.RawMessage{nil}},
			{Ids: ids[:1], Attempts: []int32{1, 1}, Results: []json.RawMessage{nil, nil}},
		} {
			done, err := q.JobCompleteMany(ctx, p)
			require.NoError(t, err)
			require.Empty(t, done)
		}
		for _, id := range ids {
			require.Equal(t, dbsqlc.JobStatusProcessing, getJob(t, q, id).Status)
		}
	})
}

// JobFail retries with DeployStack's backoff, 2^attempts seconds after the
// failed attempt, until max_attempts; the last failure is final.
func TestJobFailBackoff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		maxAttempts int32
		delays      []float64 // seconds after each failure that retries
	}{
		{name: "default three attempts", maxAttempts: 3, delays: []float64{2, 4}},
		{name: "five attempts", maxAttempts: 5, delays: []float64{2, 4, 8, 16}},
		{name: "single attempt", maxAttempts: 1, delays: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx, pool, q := setup(t)
			job := createJob(t, q, dbsqlc.JobInsertParams{MaxAttempts: tt.maxAttempts})
			fail := func(attempt int32) (dbsqlc.JobFailRow, time.Time) {
				t.Helper()
				rows, err := q.JobClaim(ctx, 10)
				require.NoError(t, err)
				require.Len(t, rows, 1)
				require.Equal(t, attempt, rows[0].Attempts)
				// now() is fixed within a transaction: the backoff is
				// measured from exactly the database's clock.
				tx, err := pool.Begin(ctx)
				require.NoError(t, err)
				defer tx.Rollback(ctx) //nolint:errcheck
				now := dbNow(t, tx)
				failed, err := stackdb.New(tx).JobFail(ctx, dbsqlc.JobFailParams{
					ID: job.ID, Attempts: attempt, Error: fmt.Sprintf("attempt %d failed", attempt),
				})
				require.NoError(t, err)
				require.NoError(t, tx.Commit(ctx))
				require.Equal(t, attempt, failed.Attempts)
				require.Equal(t, new(fmt.Sprintf("attempt %d failed", attempt)), failed.Error)
				require.Equal(t, dbsqlc.QueueJob(failed), getJob(t, q, job.ID), "the returned row is the stored row")
				return failed, now
			}

			for i, delay := range tt.delays {
				attempt := int32(i + 1)
				require.Equal(t, math.Pow(2, float64(attempt)), delay, "the table holds 2^attempts")
				failed, now := fail(attempt)
				require.Equal(t, dbsqlc.JobStatusPending, failed.Status, "attempt %d of %d retries", attempt, tt.maxAttempts)
				requireJobTime(t, now.Add(time.Duration(delay*float64(time.Second))), &failed.ScheduledFor,
					"attempt %d: backoff %vs", attempt, delay)
				require.Nil(t, failed.CompletedAt)
				require.Empty(t, claimJobs(t, q, 10), "not claimable during its backoff")
				makeJobDue(t, pool, job.ID)
			}

			last, now := fail(tt.maxAttempts)
			require.Equal(t, dbsqlc.JobStatusFailed, last.Status, "the last attempt fails for good")
			requireJobTime(t, now, last.CompletedAt)
			require.True(t, last.ScheduledFor.Before(now), "no further retry is scheduled")
			require.Empty(t, claimJobs(t, q, 10), "a failed job is never claimed again")
			_, err := q.JobFail(ctx, dbsqlc.JobFailParams{ID: job.ID, Attempts: tt.maxAttempts, Error: "again"})
			require.ErrorIs(t, err, stackdb.ErrNotFound)
			require.EqualValues(t, tt.maxAttempts, getJob(t, q, job.ID).Attempts)
		})
	}
}

// ---------------------------------------------------------------------------
// batches

func TestJobBatchInsertGet(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)

	b, err := q.JobBatchInsert(ctx, dbsqlc.JobBatchInsertParams{ID: "batch_a", Type: "import", TotalJobs: 5, Metadata: json.RawMessage(`{"source":"csv"}`)})
	require.NoError(t, err)
	require.Equal(t, dbsqlc.QueueJobBatch{
		ID: "batch_a", Type: "import", TotalJobs: 5, Status: dbsqlc.JobStatusPending,
		Metadata: b.Metadata, CreatedAt: b.CreatedAt,
	}, b)
	require.JSONEq(t, `{"source":"csv"}`, string(b.Metadata))
	require.Equal(t, b, getJobBatch(t, q, "batch_a"))

	require.Nil(t, createJobBatch(t, q, 0).Metadata, "nil metadata is NULL")

	_, err = q.JobBatchGetByID(ctx, "batch_missing")
	require.ErrorIs(t, err, stackdb.ErrNotFound)
	_, err = q.JobBatchInsert(ctx, dbsqlc.JobBatchInsertParams{ID: "batch_a", Type: "import", TotalJobs: 1})
	requireJobConstraint(t, err, stackdb.Unique, "queue_job_batches", "queue_job_batches_pkey")
}

// A batch counts each of its jobs once, when it completes or fails for
// good, in the statement that finishes the job; retries do not count, and
// the batch is done with its last job.
func TestJobBatchProgress(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)

	type progress struct {
		completed, failed int32
		status            dbsqlc.JobStatus
		done              bool // completed_at set
	}
	requireBatch := func(t *testing.T, id string, want progress, msg string) {
		t.Helper()
		b := getJobBatch(t, q, id)
		require.Equal(t, want, progress{b.CompletedJobs, b.FailedJobs, b.Status, b.CompletedAt != nil}, msg)
	}
	claim := func(t *testing.T, id string) {
		t.Helper()
		makeJobDue(t, pool, id)
		require.Equal(t, []string{id}, claimJobs(t, q, 10))
	}
	complete := func(t *testing.T, id string) {
		t.Helper()
		rec := &stmtRecorder{DB: pool}
		_, err := stackdb.New(rec).JobComplete(ctx, dbsqlc.JobCompleteParams{ID: id, Attempts: getJob(t, q, id).Attempts})
		require.NoError(t, err)
		require.Equal(t, 1, rec.calls, "the job and its batch in one round trip")
	}
	completeRefused := func(t *testing.T, id string) {
		t.Helper()
		_, err := q.JobComplete(ctx, dbsqlc.JobCompleteParams{ID: id, Attempts: getJob(t, q, id).Attempts})
		require.ErrorIs(t, err, stackdb.ErrNotFound)
	}
	fail := func(t *testing.T, id string, want dbsqlc.JobStatus) {
		t.Helper()
		job, err := q.JobFail(ctx, dbsqlc.JobFailParams{ID: id, Attempts: getJob(t, q, id).Attempts, Error: "boom"})
		require.NoError(t, err)
		require.Equal(t, want, job.Status)
	}

	t.Run("completions, retries, a final failure", func(t *testing.T) {
		batch := createJobBatch(t, q, 4)
		other := createJobBatch(t, q, 1) // must not be touched
		// Not yet due: claim makes each due when the test takes it.
		ids := createJobs(t, q, 4, 2, &batch.ID, new(jobIn(time.Hour)))
		a, b, c, d := ids[0], ids[1], ids[2], ids[3]
		otherJob := createJob(t, q, dbsqlc.JobInsertParams{BatchID: &other.ID, ScheduledFor: new(jobIn(time.Hour))})
		unbatched := createJob(t, q, dbsqlc.JobInsertParams{ScheduledFor: new(jobIn(time.Hour)), MaxAttempts: 1})
		requireBatch(t, batch.ID, progress{0, 0, dbsqlc.JobStatusPending, false}, "nothing finished yet")

		claim(t, a)
		complete(t, a)
		requireBatch(t, batch.ID, progress{1, 0, dbsqlc.JobStatusProcessing, false}, "a completed")
		completeRefused(t, a)
		requireBatch(t, batch.ID, progress{1, 0, dbsqlc.JobStatusProcessing, false}, "completing a again does not count twice")

		claim(t, b)
		fail(t, b, dbsqlc.JobStatusPending)
		requireBatch(t, batch.ID, progress{1, 0, dbsqlc.JobStatusProcessing, false}, "a retry does not count")
		claim(t, b)
		complete(t, b)
		requireBatch(t, batch.ID, progress{2, 0, dbsqlc.JobStatusProcessing, false}, "b completed on its second attempt")

		claim(t, c)
		fail(t, c, dbsqlc.JobStatusPending)
		claim(t, c)
		fail(t, c, dbsqlc.JobStatusFailed)
		requireBatch(t, batch.ID, progress{2, 1, dbsqlc.JobStatusProcessing, false}, "c failed for good")
		completeRefused(t, c)
		requireBatch(t, batch.ID, progress{2, 1, dbsqlc.JobStatusProcessing, false}, "a failed job cannot complete")

		claim(t, unbatched.ID)
		fail(t, unbatched.ID, dbsqlc.JobStatusFailed)
		requireBatch(t, batch.ID, progress{2, 1, dbsqlc.JobStatusProcessing, false}, "jobs of no batch count nowhere")

		claim(t, d)
		complete(t, d)
		requireBatch(t, batch.ID, progress{3, 1, dbsqlc.JobStatusFailed, true}, "the last job finishes the batch, failed since c failed")
		requireBatch(t, other.ID, progress{0, 0, dbsqlc.JobStatusPending, false}, "other batches untouched")

		claim(t, otherJob.ID)
		complete(t, otherJob.ID)
		requireBatch(t, other.ID, progress{1, 0, dbsqlc.JobStatusCompleted, true}, "all completed: the batch completes")
	})

	t.Run("the last job failing fails the batch", func(t *testing.T) {
		batch := createJobBatch(t, q, 2)
		ids := createJobs(t, q, 2, 1, &batch.ID, new(jobIn(time.Hour)))
		claim(t, ids[0])
		complete(t, ids[0])
		requireBatch(t, batch.ID, progress{1, 0, dbsqlc.JobStatusProcessing, false}, "one of two")
		claim(t, ids[1])
		fail(t, ids[1], dbsqlc.JobStatusFailed)
		requireBatch(t, batch.ID, progress{1, 1, dbsqlc.JobStatusFailed, true}, "done, one failed")
	})

	// Concurrent workers finishing jobs of the same batch: each statement
	// counts on the batch row as it is after the others' commits, so the
	// counters are exact.
	t.Run("concurrent finishes", func(t *testing.T) {
		const completing, failing = 24, 8
		batch := createJobBatch(t, q, completing+failing)
		ids := createJobs(t, q, completing+failing, 1, &batch.ID, nil)
		require.Len(t, claimJobs(t, q, 100), completing+failing)

		errs := make([]error, len(ids))
		var wg sync.WaitGroup
		for i, id := range ids {
			wg.Go(func() {
				if i < completing {
					_, errs[i] = q.JobComplete(ctx, dbsqlc.JobCompleteParams{ID: id, Attempts: 1})
					return
				}
				_, errs[i] = q.JobFail(ctx, dbsqlc.JobFailParams{ID: id, Attempts: 1, Error: "boom"})
			})
		}
		wg.Wait()
		require.NoError(t, errors.Join(errs...))
		requireBatch(t, batch.ID, progress{completing, failing, dbsqlc.JobStatusFailed, true}, "every job counted exactly once")
	})
}

// ---------------------------------------------------------------------------
// stuck jobs and clean-up

func TestJobRetryStuck(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	const timeout = 5 * 60.0 // seconds

	batch := createJobBatch(t, q, 3)
	ids := createJobs(t, q, 3, 2, &batch.ID, nil)
	retry, exhausted, recent := ids[0], ids[1], ids[2]
	locked := createJob(t, q, dbsqlc.JobInsertParams{ScheduledFor: new(jobIn(-time.Second))}).ID
	require.Len(t, claimJobs(t, q, 10), 4)
	// exhausted is on its last attempt.
	execSQL(t, pool, `UPDATE queue_jobs SET attempts = max_attempts WHERE id = $1`, exhausted)
	// Old jobs in other states are no concern of this query.
	pending := createJob(t, q, dbsqlc.JobInsertParams{ScheduledFor: new(jobIn(time.Hour))}).ID
	completed := createJob(t, q, dbsqlc.JobInsertParams{ScheduledFor: new(jobIn(time.Hour))}).ID
	execSQL(t, pool, `UPDATE queue_jobs SET status = 'completed', completed_at = now() WHERE id = $1`, completed)

	claimedAgo := func(id string, ago time.Duration) {
		execSQL(t, pool, `UPDATE queue_jobs SET updated_at = now() - $2::interval WHERE id = $1`, id, ago)
	}
	claimedAgo(retry, 10*time.Minute)
	claimedAgo(exhausted, 6*time.Minute)
	claimedAgo(recent, 4*time.Minute) // within the timeout
	claimedAgo(locked, time.Hour)
	claimedAgo(pending, time.Hour)
	claimedAgo(completed, time.Hour)
	before := map[string]dbsqlc.QueueJob{}
	for _, id := range []string{recent, pending, completed} {
		before[id] = getJob(t, q, id)
	}

	// locked is stuck too, but a worker is finishing it right now.
	worker, err := pool.Begin(ctx)
	require.NoError(t, err)
	defer worker.Rollback(ctx) //nolint:errcheck
	_, err = stackdb.New(worker).JobComplete(ctx, dbsqlc.JobCompleteParams{ID: locked, Attempts: 1})
	require.NoError(t, err)

	tx, err := pool.Begin(ctx)
	require.NoError(t, err)
	defer tx.Rollback(ctx)                          //nolint:errcheck
	execSQL(t, tx, "SET LOCAL lock_timeout = '3s'") // skipping, never waiting
	now := dbNow(t, tx)
	n, err := stackdb.New(tx).JobRetryStuck(ctx, timeout)
	require.NoError(t, err)
	require.EqualValues(t, 2, n, "exactly the jobs processing for longer than the timeout")
	require.NoError(t, tx.Commit(ctx))
	require.NoError(t, worker.Commit(ctx))

	r := getJob(t, q, retry)
	require.Equal(t, dbsqlc.JobStatusPending, r.Status, "attempts left: back to pending")
	require.Equal(t, new("processing timed out"), r.Error)
	require.Nil(t, r.CompletedAt)
	require.EqualValues(t, 1, r.Attempts)
	requireJobTime(t, now, &r.ScheduledFor, "due at once")

	e := getJob(t, q, exhausted)
	require.Equal(t, dbsqlc.JobStatusFailed, e.Status, "attempts exhausted: failed")
	require.Equal(t, new("processing timed out"), e.Error)
	requireJobTime(t, now, e.CompletedAt)

	b := getJobBatch(t, q, batch.ID)
	require.EqualValues(t, 1, b.FailedJobs, "the failed job counts in its batch")
	require.Zero(t, b.CompletedJobs)
	require.Equal(t, dbsqlc.JobStatusProcessing, b.Status)

	require.Equal(t, dbsqlc.JobStatusCompleted, getJob(t, q, locked).Status, "the worker's completion stands")
	for id, job := range before {
		require.Equal(t, job, getJob(t, q, id), "%s untouched", id)
	}

	require.Equal(t, []string{retry}, claimJobs(t, q, 10), "the job taken back is claimable again")
	n, err = q.JobRetryStuck(ctx, timeout)
	require.NoError(t, err)
	require.Zero(t, n, "nothing left to take back")

	// With a timeout of zero everything processing is stuck; the failures
	// finish the batch.
	execSQL(t, pool, `UPDATE queue_jobs SET attempts = max_attempts, updated_at = now() - interval '1 second' WHERE id = ANY($1)`, []string{retry, recent})
	n, err = q.JobRetryStuck(ctx, 0)
	require.NoError(t, err)
	require.EqualValues(t, 2, n)
	b = getJobBatch(t, q, batch.ID)
	require.EqualValues(t, 3, b.FailedJobs)
	require.Equal(t, dbsqlc.JobStatusFailed, b.Status)
	require.NotNil(t, b.CompletedAt)
}

func TestJobDeleteFinished(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)

	// finish inserts a job of batch (nil = none) and sets its status, last
	// updated ago.
	finish := func(batchID *string, status dbsqlc.JobStatus, ago time.Duration) string {
		id := createJob(t, q, dbsqlc.JobInsertParams{BatchID: batchID, ScheduledFor: new(jobIn(-30 * 24 * time.Hour))}).ID
		execSQL(t, pool, `UPDATE queue_jobs SET status = $2, updated_at = now() - $3::interval, created_at = now() - interval '30 days' WHERE id = $1`,
			id, status, ago)
		return id
	}
	gone := createJobBatch(t, q, 2)    // all its jobs are old: deleted with them
	partial := createJobBatch(t, q, 2) // one recent job: kept
	empty := createJobBatch(t, q, 0)   // never had jobs: kept
	deleted := []string{
		finish(nil, dbsqlc.JobStatusCompleted, 48*time.Hour),
		finish(nil, dbsqlc.JobStatusFailed, 25*time.Hour),
		finish(&gone.ID, dbsqlc.JobStatusCompleted, 48*time.Hour),
		finish(&gone.ID, dbsqlc.JobStatusFailed, 48*time.Hour),
		finish(&partial.ID, dbsqlc.JobStatusCompleted, 48*time.Hour),
	}
	kept := []string{
		finish(nil, dbsqlc.JobStatusCompleted, time.Hour),
		finish(nil, dbsqlc.JobStatusFailed, 23*time.Hour),
		finish(&partial.ID, dbsqlc.JobStatusCompleted, time.Hour),
		// Unfinished jobs stay however old they are.
		finish(nil, dbsqlc.JobStatusPending, 30*24*time.Hour),
		finish(nil, dbsqlc.JobStatusProcessing, 30*24*time.Hour),
	}

	rec := &stmtRecorder{DB: pool}
	got, err := stackdb.New(rec).JobDeleteFinished(ctx, (24 * time.Hour).Seconds())
	require.NoError(t, err)
	require.Equal(t, dbsqlc.JobDeleteFinishedRow{Jobs: int64(len(deleted)), Batches: 1}, got)
	require.Equal(t, 1, rec.calls)
	for _, id := range deleted {
		_, err := q.JobGetByID(ctx, id)
		require.ErrorIs(t, err, stackdb.ErrNotFound, "%s deleted", id)
	}
	for _, id := range kept {
		_, err := q.JobGetByID(ctx, id)
		require.NoError(t, err, "%s kept", id)
	}
	_, err = q.JobBatchGetByID(ctx, gone.ID)
	require.ErrorIs(t, err, stackdb.ErrNotFound, "the batch whose last jobs went")
	for _, id := range []string{partial.ID, empty.ID} {
		_, err := q.JobBatchGetByID(ctx, id)
		require.NoError(t, err, "batch %s kept", id)
	}

	got, err = q.JobDeleteFinished(ctx, (24 * time.Hour).Seconds())
	require.NoError(t, err)
	require.Zero(t, got, "a second sweep finds nothing")
}

// ---------------------------------------------------------------------------
// batch administration and statistics

func TestJobListByBatch(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	batch := createJobBatch(t, q, 3)
	ids := createJobs(t, q, 3, 3, &batch.ID, nil)
	createJobs(t, q, 2, 3, nil, nil)
	other := createJobBatch(t, q, 1)
	createJobs(t, q, 1, 3, &other.ID, nil)
	// created_at orders them, not the id.
	execSQL(t, pool, `UPDATE queue_jobs SET created_at = now() - interval '1 hour' WHERE id = $1`, ids[2])

	jobs, err := q.JobListByBatch(ctx, batch.ID)
	require.NoError(t, err)
	got := []string{}
	for _, j := range jobs {
		got = append(got, j.ID)
	}
	require.Equal(t, []string{ids[2], ids[0], ids[1]}, got)

	jobs, err = q.JobListByBatch(ctx, "batch_missing")
	require.NoError(t, err)
	require.Empty(t, jobs)
}

func TestJobCountByStatus(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)

	got, err := q.JobCountByStatus(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, dbsqlc.JobCountByStatusRow{}, got, "an empty queue")

	batch := createJobBatch(t, q, 4)
	set := func(ids []string, status string) {
		execSQL(t, pool, `UPDATE queue_jobs SET status = $2::job_status WHERE id = ANY($1)`, ids, status)
	}
	b := createJobs(t, q, 4, 3, &batch.ID, nil)
	set(b[:1], "processing")
	set(b[1:2], "failed")
	execSQL(t, pool, `UPDATE queue_jobs SET status = 'completed', created_at = now() - interval '3 seconds', completed_at = now() - interval '1 second' WHERE id = $1`, b[2])
	rest := createJobs(t, q, 3, 3, nil, nil)
	execSQL(t, pool, `UPDATE queue_jobs SET status = 'completed', created_at = now() - interval '5 seconds', completed_at = now() - interval '1 second' WHERE id = $1`, rest[0])
	// Completed but without completed_at (imported): counted, not timed.
	execSQL(t, pool, `UPDATE queue_jobs SET status = 'completed', completed_at = NULL WHERE id = $1`, rest[1])

	for _, tt := range []struct {
		name  string
		batch *string
		want  dbsqlc.JobCountByStatusRow
	}{
		{"all", nil, dbsqlc.JobCountByStatusRow{Pending: 2, Processing: 1, Completed: 3, Failed: 1, AvgDurationMs: 3000}},
		{"one batch", &batch.ID, dbsqlc.JobCountByStatusRow{Pending: 1, Processing: 1, Completed: 1, Failed: 1, AvgDurationMs: 2000}},
		{"unknown batch", new("batch_missing"), dbsqlc.JobCountByStatusRow{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := q.JobCountByStatus(ctx, tt.batch)
			require.NoError(t, err)
			require.InDelta(t, tt.want.AvgDurationMs, got.AvgDurationMs, 0.001)
			got.AvgDurationMs = tt.want.AvgDurationMs
			require.Equal(t, tt.want, got)
		})
	}
}

func TestJobCancelRetryByBatch(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)

	batch := createJobBatch(t, q, 4)
	ids := createJobs(t, q, 4, 1, &batch.ID, new(jobIn(-time.Minute)))
	otherBatch := createJobBatch(t, q, 1)
	otherJob := createJobs(t, q, 1, 1, &otherBatch.ID, nil)[0]
	// ids[0] completes, ids[1] is being processed, ids[2:] are pending.
	require.Equal(t, ids[:2], claimJobs(t, q, 2))
	_, err := q.JobComplete(ctx, dbsqlc.JobCompleteParams{ID: ids[0], Attempts: 1})
	require.NoError(t, err)

	n, err := q.JobCancelByBatch(ctx, batch.ID)
	require.NoError(t, err)
	require.EqualValues(t, 2, n, "the pending jobs")
	for _, id := range ids[2:] {
		job := getJob(t, q, id)
		require.Equal(t, dbsqlc.JobStatusFailed, job.Status)
		require.Equal(t, new("Cancelled by administrator"), job.Error)
	}
	require.Equal(t, dbsqlc.JobStatusProcessing, getJob(t, q, ids[1]).Status, "a running job runs on")
	require.Equal(t, dbsqlc.JobStatusPending, getJob(t, q, otherJob).Status, "other batches untouched")
	b := getJobBatch(t, q, batch.ID)
	require.Equal(t, [2]int32{1, 2}, [2]int32{b.CompletedJobs, b.FailedJobs}, "the cancelled jobs count as failed")
	require.Equal(t, dbsqlc.JobStatusProcessing, b.Status, "one job still runs")

	_, err = q.JobFail(ctx, dbsqlc.JobFailParams{ID: ids[1], Attempts: 1, Error: "boom"})
	require.NoError(t, err)
	b = getJobBatch(t, q, batch.ID)
	require.Equal(t, dbsqlc.JobStatusFailed, b.Status, "done, with failures")
	require.NotNil(t, b.CompletedAt)
	n, err = q.JobCancelByBatch(ctx, batch.ID)
	require.NoError(t, err)
	require.Zero(t, n, "nothing pending is left")
	require.Equal(t, b, getJobBatch(t, q, batch.ID), "and the batch is unchanged")

	n, err = q.JobRetryFailedByBatch(ctx, batch.ID)
	require.NoError(t, err)
	require.EqualValues(t, 3, n)
	for _, id := range ids[1:] {
		job := getJob(t, q, id)
		require.Equal(t, dbsqlc.JobStatusPending, job.Status)
		require.Zero(t, job.Attempts)
		require.Nil(t, job.Error)
		require.Nil(t, job.CompletedAt)
	}
	b = getJobBatch(t, q, batch.ID)
	require.Equal(t, [2]int32{1, 0}, [2]int32{b.CompletedJobs, b.FailedJobs})
	require.Equal(t, dbsqlc.JobStatusProcessing, b.Status)
	require.Nil(t, b.CompletedAt)

	claimed := claimJobs(t, q, 10)
	require.ElementsMatch(t, append(slices.Clone(ids[1:]), otherJob), claimed, "retried jobs are claimable at once")
	for _, id := range ids[1:] {
		_, err := q.JobComplete(ctx, dbsqlc.JobCompleteParams{ID: id, Attempts: 1})
		require.NoError(t, err)
	}
	b = getJobBatch(t, q, batch.ID)
	require.Equal(t, dbsqlc.JobStatusCompleted, b.Status, "all four completed in the end")
	require.EqualValues(t, 4, b.CompletedJobs)

	n, err = q.JobRetryFailedByBatch(ctx, batch.ID)
	require.NoError(t, err)
	require.Zero(t, n)
	require.Equal(t, b, getJobBatch(t, q, batch.ID), "nothing to retry leaves the batch as it is")
}

// ---------------------------------------------------------------------------
// plans

// seedJobsForPlans fills the queue as it looks at work, so the planner has
// statistics to go by: mostly finished jobs, some pending, a few processing
// of which half are stuck.
func seedJobsForPlans(t *testing.T, pool *pgxpool.Pool, q dbsqlc.Querier) {
	t.Helper()
	createJobs(t, q, 2000, 3, nil, nil)
	execSQL(t, pool, `UPDATE queue_jobs j SET
		status = CASE WHEN n < 85 THEN 'completed' WHEN n < 90 THEN 'failed' WHEN n < 98 THEN 'pending' ELSE 'processing' END::job_status,
		updated_at = CASE WHEN n < 99 THEN now() - interval '1 hour' ELSE now() - interval '10 seconds' END
		FROM (SELECT id, row_number() OVER (ORDER BY id) % 100 AS n FROM queue_jobs) x
		WHERE x.id = j.id`)
	execSQL(t, pool, `ANALYZE queue_jobs`)
}

func TestJobQueriesUseIndexes(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	seedJobsForPlans(t, pool, q)
	tx := noSeqscanTx(t, pool)

	t.Run("claim", func(t *testing.T) {
		plan := explainQuery(t, tx, func(q dbsqlc.Querier) error {
			_, err := q.JobClaim(ctx, 10)
			return err
		})
		scan := plan.Node("Index Name", "queue_jobs_claim_idx")
		require.NotNil(t, scan, "plan:\n%s", plan.Text())
		require.Contains(t, scan["Index Cond"], "scheduled_for <=", "the due time bounds the scan; plan:\n%s", plan.Text())
		// The index holds the whole ORDER BY, so the LIMIT reads just the
		// rows it claims: no sort below it. The one Sort orders the claimed
		// rows on the way out.
		sorts := 0
		for _, n := range plan.Values("Node Type") {
			require.NotEqual(t, "Incremental Sort", n, "plan:\n%s", plan.Text())
			if n == "Sort" {
				sorts++
			}
		}
		require.Equal(t, 1, sorts, "plan:\n%s", plan.Text())
		require.Equal(t, "Sort", plan.Root()["Node Type"], "plan:\n%s", plan.Text())
	})

	t.Run("retry stuck", func(t *testing.T) {
		plan := explainQuery(t, tx, func(q dbsqlc.Querier) error {
			_, err := q.JobRetryStuck(ctx, 600)
			return err
		})
		scan := plan.Node("Index Name", "queue_jobs_processing_idx")
		require.NotNil(t, scan, "plan:\n%s", plan.Text())
		// The timeout bounds the scan rather than filtering every processing job.
		require.Contains(t, scan["Index Cond"], "updated_at <", "plan:\n%s", plan.Text())
	})

	t.Run("a batch's jobs", func(t *testing.T) {
		for name, query := range map[string]func(q dbsqlc.Querier) error{
			"list": func(q dbsqlc.Querier) error {
				_, err := q.JobListByBatch(ctx, "batch_x")
				return err
			},
			"cancel": func(q dbsqlc.Querier) error {
				_, err := q.JobCancelByBatch(ctx, "batch_x")
				return err
			},
			"count": func(q dbsqlc.Querier) error {
				_, err := q.JobCountByStatus(ctx, new("batch_x"))
				return err
			},
		} {
			plan := explainQuery(t, tx, query)
			require.Contains(t, plan.Indexes(), "jobs_batch_id_idx", "%s; plan:\n%s", name, plan.Text())
		}
	})

	t.Run("batch progress touches the batch by key", func(t *testing.T) {
		plan := explainQuery(t, tx, func(q dbsqlc.Querier) error {
			_, err := q.JobComplete(ctx, dbsqlc.JobCompleteParams{ID: "job_missing", Attempts: 1})
			if errors.Is(err, stackdb.ErrNotFound) {
				return nil
			}
			return err
		})
		require.Contains(t, plan.Indexes(), "queue_jobs_pkey", "plan:\n%s", plan.Text())
		require.Contains(t, plan.Indexes(), "queue_job_batches_pkey", "plan:\n%s", plan.Text())
	})

	t.Run("complete many by key", func(t *testing.T) {
		plan := explainQuery(t, tx, func(q dbsqlc.Querier) error {
			_, err := q.JobCompleteMany(ctx, dbsqlc.JobCompleteManyParams{
				Ids: []string{"job_a", "job_b"}, Attempts: []int32{1, 1}, Results: []json.RawMessage{nil, nil}})
			return err
		})
		require.Contains(t, plan.Indexes(), "queue_jobs_pkey", "plan:\n%s", plan.Text())
		require.Contains(t, plan.Indexes(), "queue_job_batches_pkey", "plan:\n%s", plan.Text())
	})
}
