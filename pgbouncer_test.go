package stackdb_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/gen/dbsqlc"
	"github.com/deploystack/stackdb/internal/pgbouncer"
	"github.com/deploystack/stackdb/stackdbtest"
)

// The application's settings behind PgBouncer in transaction mode: PgBouncer
// before 1.21 (Debian bookworm has 1.18) cannot keep a prepared statement
// across transactions, so pgx sends every query with an unnamed one.
const pgbouncerExecMode = "default_query_exec_mode=exec"

// behindPgBouncer gives the test a fresh migrated database and a
// transaction-mode PgBouncer in front of it: the database's direct URL and
// its URL through the pooler (without an exec mode).
func behindPgBouncer(t *testing.T) (direct, pooled string) {
	t.Helper()
	direct = stackdbtest.URL(t)
	b, err := pgbouncer.Start(t.Context(), direct)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, b.Stop()) })
	cfg, err := pgx.ParseConfig(direct)
	require.NoError(t, err)
	return direct, b.URL(cfg.Database)
}

// The hot paths of the satellites and the backend, from more clients than
// the pooler has server connections, each client its own connection: every
// query works, every transaction is whole, and what one transaction sets is
// not seen by the next one on the same server connection.
func TestPgBouncerRunsTheHotPathsInTransactionMode(t *testing.T) {
	t.Parallel()
	direct, pooled := behindPgBouncer(t)
	ctx := t.Context()
	setupPool, err := stackdb.OpenPool(ctx, direct)
	require.NoError(t, err)
	t.Cleanup(setupPool.Close)

	const clients, rounds = 3 * pgbouncer.PoolSize, 4
	type worker struct{ satID, sessionID string }
	workers := make([]worker, clients)
	for i := range workers {
		satID, _ := createSatellite(t, setupPool)
		for range rounds {
			createSatelliteCommand(t, setupPool, satID, "normal", time.Minute)
		}
		sessionID := newID("sess")
		insert(t, setupPool, `INSERT INTO sessions (id, user_id, expires_at) VALUES ($1, $2, now() + interval '1 hour')`,
			sessionID, createUser(t, setupPool))
		workers[i] = worker{satID, sessionID}
	}
	q := stackdb.New(setupPool)
	for i := range clients * rounds {
		_, err := q.JobInsert(ctx, dbsqlc.JobInsertParams{ID: fmt.Sprintf("job_%03d", i), Type: "noop", Payload: json.RawMessage(`{}`), MaxAttempts: 3})
		require.NoError(t, err)
	}

	var (
		mu         sync.Mutex
		serverPIDs = map[uint32]bool{}
		completed  int
	)
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for w, wk := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- func() error {
				// One client connection per worker: more clients than
				// server connections.
				pool, err := stackdb.OpenPool(ctx, pooled+"&pool_max_conns=1&"+pgbouncerExecMode)
				if err != nil {
					return err
				}
				defer pool.Close()
				q := stackdb.New(pool)
				for r := range rounds {
					if _, err := q.SatelliteUpdateHeartbeat(ctx, dbsqlc.SatelliteUpdateHeartbeatParams{
						SatelliteID: wk.satID, ID: fmt.Sprintf("hb_%d_%d", w, r), Status: dbsqlc.HeartbeatStatusActive,
						SystemMetrics: json.RawMessage(`{"cpu_usage_percent": 1}`),
						Processes:     fiveProcesses(fmt.Sprintf("p_%d_%d", w, r)),
					}); err != nil {
						return fmt.Errorf("heartbeat: %w", err)
					}
					cmds, err := q.SatelliteCommandClaim(ctx, dbsqlc.SatelliteCommandClaimParams{SatelliteID: wk.satID, MaxCommands: 1})
					if err != nil || len(cmds) != 1 || cmds[0].SatelliteID != wk.satID {
						return fmt.Errorf("command claim: %d commands, %v", len(cmds), err)
					}
					sess, err := q.SessionGetValidByID(ctx, wk.sessionID)
					if err != nil || sess.Session.ID != wk.sessionID {
						return fmt.Errorf("session lookup: %v", err)
					}
					// A job claimed and completed in one transaction, which
					// also sets a transaction-local setting: no other
					// transaction, on any server connection, may see it.
					var pid uint32
					mine := fmt.Sprintf("worker-%d-%d", w, r)
					err = stackdb.InTx(ctx, pool, func(tx pgx.Tx, q dbsqlc.Querier) error {
						var before, after string
						if err := tx.QueryRow(ctx, `SELECT coalesce(current_setting('stackdb.worker', true), ''), pg_backend_pid()`).Scan(&before, &pid); err != nil {
							return err
						}
						if before != "" {
							return fmt.Errorf("a transaction sees %q, set by another one", before)
						}
						if err := tx.QueryRow(ctx, `SELECT set_config('stackdb.worker', $1, true)`, mine).Scan(&after); err != nil || after != mine {
							return fmt.Errorf("set_config: %q, %v", after, err)
						}
						jobs, err := q.JobClaim(ctx, 1)
						if err != nil || len(jobs) != 1 {
							return fmt.Errorf("job claim: %d jobs, %v", len(jobs), err)
						}
						if _, err := q.JobComplete(ctx, dbsqlc.JobCompleteParams{ID: jobs[0].ID, Attempts: jobs[0].Attempts, Result: json.RawMessage(`{}`)}); err != nil {
							return fmt.Errorf("job complete: %w", err)
						}
						return nil
					})
					if err != nil {
						return err
					}
					mu.Lock()
					serverPIDs[pid] = true
					completed++
					mu.Unlock()
				}
				return nil
			}()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	require.Equal(t, clients*rounds, completed)
	require.LessOrEqual(t, len(serverPIDs), pgbouncer.PoolSize, "%d clients shared at most %d server connections", clients, pgbouncer.PoolSize)
	require.Equal(t, clients*rounds, countRows(t, setupPool, "queue_jobs", "status = 'completed'"))
	require.Equal(t, clients*rounds, countRows(t, setupPool, "satellite_heartbeats", "true"))
	require.Equal(t, clients*rounds, countRows(t, setupPool, "satellite_commands", "status <> 'pending'"))
}

// pgx's default exec mode prepares a named statement on the server
// connection of one transaction and runs it later on whichever the pooler
// hands out: PgBouncer 1.18 does not carry it over, so it fails there. The
// modes that use an unnamed statement work.
func TestPgBouncerNeedsAnUnnamedStatementExecMode(t *testing.T) {
	t.Parallel()
	_, pooled := behindPgBouncer(t)
	for _, tc := range []struct {
		mode    string
		wantErr string // SQLSTATE; "" for success
	}{
		{"cache_statement", pgerrcode.InvalidSQLStatementName}, // pgx's default
		{"exec", ""},
		{"cache_describe", ""},
		{"simple_protocol", ""},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			ctx := t.Context()
			connect := func() *pgx.Conn {
				c, err := pgx.Connect(ctx, pooled+"&default_query_exec_mode="+tc.mode)
				require.NoError(t, err)
				t.Cleanup(func() { c.Close(ctx) })
				return c
			}
			a, b := connect(), connect()
			q := stackdb.New(a)
			_, err := q.SessionGetValidByID(ctx, "no-such-session")
			require.ErrorIs(t, err, stackdb.ErrNotFound)
			// b holds the server connection a just used; a's next
			// query runs on another one.
			tx, err := b.Begin(ctx)
			require.NoError(t, err)
			_, err = tx.Exec(ctx, "SELECT 1")
			require.NoError(t, err)
			defer tx.Rollback(ctx) //nolint:errcheck // the test's end
			_, err = q.SessionGetValidByID(ctx, "no-such-session")
			if tc.wantErr == "" {
				require.ErrorIs(t, err, stackdb.ErrNotFound)
				return
			}
			var pgErr *pgconn.PgError
			require.ErrorAs(t, err, &pgErr)
			require.Equal(t, tc.wantErr, pgErr.Code, pgErr.Message)
		})
	}
}

// Migrate refuses a URL through the pooler, before touching the database,
// and works on the same database's direct URL.
func TestPgBouncerMigrateRefusesThePooler(t *testing.T) {
	t.Parallel()
	direct := stackdbtest.EmptyURL(t)
	b, err := pgbouncer.Start(t.Context(), direct)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, b.Stop()) })
	cfg, err := pgx.ParseConfig(direct)
	require.NoError(t, err)
	ctx := t.Context()
	for _, mode := range []string{"", "&" + pgbouncerExecMode} {
		err := stackdb.Migrate(ctx, b.URL(cfg.Database)+mode)
		require.ErrorIs(t, err, stackdb.ErrPooled, "mode %q", mode)
		require.ErrorContains(t, err, "migrate over a direct connection")
	}
	conn, err := pgx.Connect(ctx, direct)
	require.NoError(t, err)
	defer conn.Close(ctx)
	var objects int
	require.NoError(t, conn.QueryRow(ctx,
		`SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')`).Scan(&objects))
	require.Zero(t, objects, "nothing applied")
	require.NoError(t, stackdb.Migrate(ctx, direct))
}

// sessionState names what in sql would outlive its transaction on a server
// connection — and so, behind a transaction-mode pooler, reach another
// client or be lost — or returns "".
func sessionState(sql string) string {
	var code []string
	for _, line := range strings.Split(sql, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "--") {
			code = append(code, line)
		}
	}
	stmt := strings.Join(strings.Fields(strings.ToLower(strings.Join(code, " "))), " ")
	for _, p := range []struct{ re, what string }{
		{`\bpg_(try_)?advisory_(un)?lock(_shared)?\s*\(`, "a session-level advisory lock"},
		{`\bset_config\s*\([^)]*,\s*false\s*\)`, "a session-level set_config"},
		{`^set\s+(session\s+)?[a-z_.]+\s*(=|to)\s`, "a session-level SET"},
		{`^(listen|unlisten|prepare|deallocate|discard)\b`, "a session command"},
		{`\bcreate\s+(temp|temporary)\s+table\b`, "a temporary table"},
		{`\bwith\s+hold\b`, "a holdable cursor"},
	} {
		if regexp.MustCompile(p.re).MatchString(stmt) {
			return p.what
		}
	}
	return ""
}

// Every query is safe behind a transaction-mode pooler: none keeps state in
// the session (advisory locks are transaction-scoped, settings SET LOCAL).
func TestQueriesKeepNoSessionState(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ sql, want string }{
		{"SELECT pg_advisory_lock(hashtext('x'))", "a session-level advisory lock"},
		{"select pg_try_advisory_lock(1)", "a session-level advisory lock"},
		{"SELECT pg_advisory_xact_lock(1)", ""},
		{"SELECT set_config('a.b', 'x', false)", "a session-level set_config"},
		{"SELECT set_config('a.b', 'x', true)", ""},
		{"-- comment\nSET search_path TO x", "a session-level SET"},
		{"SET LOCAL lock_timeout = '1s'", ""},
		{"UPDATE t\nSET status = 'done'", ""},
		{"LISTEN jobs", "a session command"},
		{"CREATE TEMP TABLE x (a int)", "a temporary table"},
	} {
		require.Equal(t, tc.want, sessionState(tc.sql), tc.sql)
	}
	files, err := filepath.Glob("queries/*.sql")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, stmt := range strings.Split(string(b), ";") {
			require.Empty(t, sessionState(stmt), "%s: %s", f, stmt)
		}
	}
}
