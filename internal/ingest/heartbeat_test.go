package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/gen/dbsqlc"
	"github.com/deploystack/stackdb/stackdbtest"
)

func TestMain(m *testing.M) { stackdbtest.Main(m) }

// The fixture: two teams, team satellites s1, s2 (team t1) and s3 (t2), a
// global satellite g1, and processes p1 (of s1), p2 (of s2) and pg (of g1,
// in t1). seeded returns a fresh database holding it.
func seeded(t *testing.T) *pgxpool.Pool {
	t.Helper()
	pool := stackdbtest.Pool(t)
	seed(t, pool)
	return pool
}

// seed writes the fixture.
func seed(tb testing.TB, pool *pgxpool.Pool) {
	tb.Helper()
	for _, q := range []string{
		`INSERT INTO roles (id, name, permissions) VALUES ('r', 'r', '[]')`,
		`INSERT INTO users (id, username, email, auth_type, role_id) VALUES ('u', 'u', 'u@example.com', 'email_signup', 'r')`,
		`INSERT INTO teams (id, name, slug, owner_id) VALUES ('t1', 't1', 't1', 'u'), ('t2', 't2', 't2', 'u')`,
		`INSERT INTO satellites (id, name, satellite_type, team_id, status, capabilities, api_key_hash, created_by)
		 VALUES ('s1', 's1', 'team', 't1', 'inactive', '[]', 'h', 'u'), ('s2', 's2', 'team', 't1', 'active', '[]', 'h', 'u'),
		        ('s3', 's3', 'team', 't2', 'active', '[]', 'h', 'u'), ('g1', 'g1', 'global', NULL, 'active', '[]', 'h', 'u')`,
		`INSERT INTO satellite_processes (id, satellite_id, server_name, team_id)
		 VALUES ('p1', 's1', 'srv-p1', 't1'), ('p2', 's2', 'srv-p2', 't1'), ('pg', 'g1', 'srv-pg', 't1')`,
	} {
		_, err := pool.Exec(tb.Context(), q)
		require.NoError(tb, err, q)
	}
}

// dump is the three tables a heartbeat writes, each row as JSON, in key
// order. A time is "seed" (before the heartbeats) or "now" (written by
// one): heartbeats run alone each have their own now().
func dump(t *testing.T, pool *pgxpool.Pool, since time.Time) map[string][]string {
	t.Helper()
	stamp := func(col string) string {
		return fmt.Sprintf(`CASE WHEN %[1]s IS NULL THEN NULL WHEN %[1]s < $1 THEN 'seed' ELSE 'now' END`, col)
	}
	out := map[string][]string{}
	for table, q := range map[string]string{
		"satellites": `SELECT (to_jsonb(t) - 'last_heartbeat' - 'created_at' - 'updated_at'
		    || jsonb_build_object('last_heartbeat', ` + stamp("last_heartbeat") + `, 'updated_at', ` + stamp("updated_at") + `))::text
		    FROM satellites t ORDER BY id`,
		"satellite_heartbeats": `SELECT (to_jsonb(t) - 'timestamp' || jsonb_build_object('timestamp', ` + stamp(`"timestamp"`) + `))::text
		    FROM satellite_heartbeats t ORDER BY id, satellite_id`,
		"satellite_processes": `SELECT (to_jsonb(t) - 'created_at' - 'updated_at'
		    || jsonb_build_object('created_at', ` + stamp("created_at") + `, 'updated_at', ` + stamp("updated_at") + `))::text
		    FROM satellite_processes t ORDER BY id`,
	} {
		rows, err := pool.Query(t.Context(), q, since)
		require.NoError(t, err)
		out[table], err = pgx.CollectRows(rows, pgx.RowTo[string])
		require.NoError(t, err)
	}
	return out
}

func hb(sat, id string, procs ...string) dbsqlc.SatelliteUpdateHeartbeatParams {
	p := dbsqlc.SatelliteUpdateHeartbeatParams{
		SatelliteID: sat, ID: id, Status: dbsqlc.HeartbeatStatusActive, ErrorCount: 1,
		SystemMetrics: json.RawMessage(`{"cpu_usage_percent": 12.5}`),
		UptimeSeconds: new(int32(60)), Version: new("1.4.0"),
		SatelliteUrl: new("http://" + sat + ":3001"), McpStatus: json.RawMessage(`{"from":"` + id + `"}`),
	}
	if len(procs) > 0 {
		p.Processes = json.RawMessage("[" + strings.Join(procs, ",") + "]")
	}
	return p
}

// proc is a reported process: health "healthy" or "unhealthy".
func proc(id, server, health string) string {
	return fmt.Sprintf(`{"id":%q,"server_name":%q,"status":"running","health_status":%q,"performance_metrics":{"of":%q}}`,
		id, server, health, server)
}

// request is a heartbeat as Heartbeat queues it.
func newRequest(ctx context.Context, p dbsqlc.SatelliteUpdateHeartbeatParams) *request {
	return &request{ctx: ctx, p: p, done: make(chan error, 1)}
}

// TestWriteIsTheSequence writes each case's heartbeats as one batch on one
// database and one at a time with SatelliteUpdateHeartbeat on another:
// the tables and each heartbeat's answer must be the same.
func TestWriteIsTheSequence(t *testing.T) {
	t.Parallel()
	bare := hb("s2", "h_bare")
	bare.SatelliteUrl, bare.McpStatus, bare.UptimeSeconds, bare.Version = nil, nil, nil, nil
	nullMetrics := hb("s3", "h_null")
	nullMetrics.SystemMetrics = json.RawMessage(`null`)
	for _, tc := range []struct {
		name       string
		heartbeats []dbsqlc.SatelliteUpdateHeartbeatParams
		statements int64 // the batch's statements
	}{
		{name: "distinct satellites", statements: 1, heartbeats: []dbsqlc.SatelliteUpdateHeartbeatParams{
			hb("s1", "h1", proc("p1", "x", "healthy"), proc("n1", "srv-n1", "unhealthy")),
			hb("s2", "h2", proc("p2", "y", "unhealthy")),
			hb("s3", "h3", proc("n3", "srv-n3", "healthy"), proc("n4", "srv-n4", "healthy")),
		}},
		{name: "a satellite twice: its last values win", statements: 1, heartbeats: []dbsqlc.SatelliteUpdateHeartbeatParams{
			hb("s1", "h1", proc("p1", "x", "unhealthy"), proc("n1", "first", "unhealthy")),
			hb("s2", "h2"),
			hb("s1", "h3", proc("p1", "x", "healthy"), proc("n1", "second", "healthy")),
			bare, // keeps h2's url and mcp status
		}},
		{name: "a process in one report twice: the last wins", statements: 1, heartbeats: []dbsqlc.SatelliteUpdateHeartbeatParams{
			hb("s1", "h1", proc("n1", "a", "unhealthy"), proc("n1", "b", "healthy"), proc("p1", "x", "healthy")),
			hb("s3", "h2", proc("n1", "c", "unhealthy")),
		}},
		{name: "processes of other satellites", statements: 1, heartbeats: []dbsqlc.SatelliteUpdateHeartbeatParams{
			hb("s2", "h1", proc("p1", "x", "unhealthy"), proc("n1", "by-s2", "unhealthy")),
			hb("s3", "h2", proc("n1", "by-s3", "healthy"), proc("p2", "y", "healthy")),
			hb("s1", "h3", proc("p1", "x", "healthy"), proc("n1", "by-s1", "healthy")),
			hb("s2", "h4", proc("n1", "by-s2-again", "healthy")),
		}},
		{name: "a global satellite", statements: 1, heartbeats: []dbsqlc.SatelliteUpdateHeartbeatParams{
			hb("g1", "h1", proc("pg", "x", "unhealthy"), proc("n1", "by-g1", "healthy"), proc("p1", "x", "healthy")),
			hb("s1", "h2", proc("n1", "by-s1", "unhealthy")),
			hb("g1", "h3", proc("n1", "by-g1-again", "healthy"), proc("pg", "x", "healthy")),
		}},
		{name: "unknown satellites write nothing", statements: 1, heartbeats: []dbsqlc.SatelliteUpdateHeartbeatParams{
			hb("s1", "h1", proc("p1", "x", "healthy")),
			hb("nope", "h2", proc("n1", "srv", "healthy")),
			hb("s2", "h3"),
			hb("nope2", "h4"),
		}},
		{name: "nothing known", statements: 1, heartbeats: []dbsqlc.SatelliteUpdateHeartbeatParams{
			hb("nope", "h1"), hb("nope2", "h2"),
		}},
		{name: "JSON null system metrics", statements: 1, heartbeats: []dbsqlc.SatelliteUpdateHeartbeatParams{
			nullMetrics, hb("s1", "h2"),
		}},
		{name: "an invalid process status: run alone", statements: 1 + 3, heartbeats: []dbsqlc.SatelliteUpdateHeartbeatParams{
			hb("s1", "h1", proc("p1", "x", "healthy")),
			hb("s2", "h2", `{"id":"n1","server_name":"s","status":"exploded","health_status":"healthy"}`),
			hb("s3", "h3", proc("n3", "srv-n3", "healthy")),
		}},
		{name: "a heartbeat id twice: run alone", statements: 1 + 2, heartbeats: []dbsqlc.SatelliteUpdateHeartbeatParams{
			hb("s1", "h1"), hb("s2", "h1"),
		}},
		{name: "one heartbeat", statements: 1, heartbeats: []dbsqlc.SatelliteUpdateHeartbeatParams{
			hb("s1", "h1", proc("p1", "x", "healthy")),
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			alone, batched := seeded(t), seeded(t)
			since := time.Now()

			var want []error
			q := dbsqlc.New(alone)
			for _, p := range tc.heartbeats {
				_, err := q.SatelliteUpdateHeartbeat(ctx, p)
				want = append(want, err)
			}

			h := &Heartbeats{q: dbsqlc.New(batched)}
			batch := make([]*request, len(tc.heartbeats))
			for i, p := range tc.heartbeats {
				batch[i] = newRequest(ctx, p)
			}
			h.write(batch, &bytes.Buffer{})
			for i, r := range batch {
				got := <-r.done
				if want[i] == nil {
					require.NoError(t, got, "heartbeat %d", i)
					continue
				}
				require.Error(t, got, "heartbeat %d: alone: %v", i, want[i])
				require.Equal(t, errors.Is(want[i], pgx.ErrNoRows), errors.Is(got, pgx.ErrNoRows), "heartbeat %d: %v", i, got)
			}
			require.Equal(t, dump(t, alone, since), dump(t, batched, since))
			st := h.Stats()
			require.Equal(t, tc.statements, st.Statements)
			require.Equal(t, int64(len(tc.heartbeats)), st.Heartbeats)
		})
	}
}

// TestWriteRunsAloneWhatTheDocumentCannotCarry: a string JSON would
// coerce, an empty document pgx would send as one.
func TestWriteRunsAloneWhatTheDocumentCannotCarry(t *testing.T) {
	t.Parallel()
	badUTF8 := hb("s1", "h\xff")
	empty := hb("s2", "h2")
	empty.McpStatus = json.RawMessage{}
	invalid := hb("s3", "h3")
	invalid.SystemMetrics = json.RawMessage(`{"unterminated`)
	pool := seeded(t)
	h := &Heartbeats{q: dbsqlc.New(pool)}
	batch := []*request{newRequest(t.Context(), badUTF8), newRequest(t.Context(), empty),
		newRequest(t.Context(), invalid), newRequest(t.Context(), hb("s1", "ok1")), newRequest(t.Context(), hb("s2", "ok2"))}
	h.write(batch, &bytes.Buffer{})
	for i, r := range batch[:3] {
		require.Error(t, <-r.done, "heartbeat %d is refused as it is alone", i)
	}
	for _, r := range batch[3:] {
		require.NoError(t, <-r.done)
	}
	require.Equal(t, Stats{Heartbeats: 5, Statements: 4}, h.Stats(), "three alone, two in one statement")
	var ids []string
	rows, err := pool.Query(t.Context(), `SELECT id FROM satellite_heartbeats ORDER BY id`)
	require.NoError(t, err)
	ids, err = pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	require.Equal(t, []string{"ok1", "ok2"}, ids)
}

// TestHeartbeatConcurrent sends heartbeats from many goroutines at once
// through the ingester, and the same heartbeats one at a time on another
// database: the same tables, in fewer statements than heartbeats. Each
// goroutine has a satellite of its own, so the order in which they meet
// does not change the result.
func TestHeartbeatConcurrent(t *testing.T) {
	t.Parallel()
	const clients, each = 24, 6
	seed := func(t *testing.T) *pgxpool.Pool {
		pool := seeded(t)
		_, err := pool.Exec(t.Context(), `INSERT INTO satellites (id, name, satellite_type, team_id, capabilities, api_key_hash, created_by)
			SELECT 'c' || g, 'c' || g, 'team', 't' || (g % 2 + 1), '[]', 'h', 'u' FROM generate_series(1, $1) g`, clients)
		require.NoError(t, err)
		return pool
	}
	heartbeat := func(c, k int) dbsqlc.SatelliteUpdateHeartbeatParams {
		sat := fmt.Sprintf("c%d", c+1)
		procs := make([]string, 5)
		for i := range procs {
			procs[i] = proc(fmt.Sprintf("%s_p%d", sat, i), "srv", []string{"healthy", "unhealthy"}[(i+k)%2])
		}
		p := hb(sat, fmt.Sprintf("%s_h%d", sat, k), procs...)
		if c == 0 && k == 2 {
			p.SatelliteID = "unknown"
		}
		return p
	}
	alone, batched := seed(t), seed(t)
	since := time.Now()
	ctx := t.Context()
	q := dbsqlc.New(alone)
	for c := range clients {
		for k := range each {
			_, err := q.SatelliteUpdateHeartbeat(ctx, heartbeat(c, k))
			if c == 0 && k == 2 {
				require.ErrorIs(t, err, pgx.ErrNoRows)
				continue
			}
			require.NoError(t, err)
		}
	}

	h, err := NewHeartbeats(dbsqlc.New(batched), Config{Linger: MaxLinger})
	require.NoError(t, err)
	errs := make([][]error, clients)
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for k := range each {
				errs[c] = append(errs[c], h.Heartbeat(ctx, heartbeat(c, k)))
			}
		})
	}
	wg.Wait()
	h.Close()
	for c := range clients {
		for k, err := range errs[c] {
			if c == 0 && k == 2 {
				require.ErrorIs(t, err, pgx.ErrNoRows)
				require.ErrorContains(t, err, `satellite "unknown"`)
				continue
			}
			require.NoError(t, err, "client %d, heartbeat %d", c, k)
		}
	}
	require.Equal(t, dump(t, alone, since), dump(t, batched, since))
	st := h.Stats()
	require.Equal(t, int64(clients*each), st.Heartbeats)
	require.Less(t, st.Statements, st.Heartbeats, "heartbeats shared statements")
	require.Zero(t, st.Refused)
}

// TestHeartbeatLinger: a lone heartbeat waits for company at most Linger,
// then is written alone; a generous bound, not a timing benchmark.
func TestHeartbeatLinger(t *testing.T) {
	t.Parallel()
	h, err := NewHeartbeats(dbsqlc.New(seeded(t)), Config{Linger: MaxLinger, Flushers: 1})
	require.NoError(t, err)
	t.Cleanup(h.Close)
	require.NoError(t, h.Heartbeat(t.Context(), hb("s1", "warm-up"))) // pgx prepares the statement
	start := time.Now()
	require.NoError(t, h.Heartbeat(t.Context(), hb("s1", "h1")))
	require.Less(t, time.Since(start), MaxLinger+time.Second, "linger plus one round trip")
	require.Equal(t, Stats{Heartbeats: 2, Statements: 2}, h.Stats())
}

// TestClose: Close writes every heartbeat given before it, and refuses
// those after; none is lost or written twice.
func TestClose(t *testing.T) {
	t.Parallel()
	pool := seeded(t)
	h, err := NewHeartbeats(dbsqlc.New(pool), Config{Linger: MaxLinger, Flushers: 1, MaxBatch: 4})
	require.NoError(t, err)
	const n = 40
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = h.Heartbeat(context.Background(), hb("s1", fmt.Sprintf("h%02d", i))) })
	}
	h.Close()
	wg.Wait()
	var written []string
	for i, err := range errs {
		if err == nil {
			written = append(written, fmt.Sprintf("h%02d", i))
			continue
		}
		require.ErrorIs(t, err, ErrClosed)
	}
	rows, err := pool.Query(t.Context(), `SELECT id FROM satellite_heartbeats ORDER BY id`)
	require.NoError(t, err)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	require.Equal(t, written, append([]string(nil), ids...))
	require.ErrorIs(t, h.Heartbeat(t.Context(), hb("s1", "late")), ErrClosed)
	h.Close() // a second Close is harmless
}

// TestHeartbeatContext: a heartbeat whose context ends while it waits for a
// flusher returns the context's error and is not written.
func TestHeartbeatContext(t *testing.T) {
	t.Parallel()
	pool := seeded(t)
	h, err := NewHeartbeats(dbsqlc.New(pool), Config{Flushers: 1})
	require.NoError(t, err)
	t.Cleanup(h.Close)

	done, cancel := context.WithCancel(t.Context())
	cancel()
	require.ErrorIs(t, h.Heartbeat(done, hb("s1", "cancelled-before")), context.Canceled)

	// Hold the flusher: its heartbeat of s1 waits on the row's lock.
	tx, err := pool.Begin(t.Context())
	require.NoError(t, err)
	_, err = tx.Exec(t.Context(), `SELECT 1 FROM satellites WHERE id = 's1' FOR UPDATE`)
	require.NoError(t, err)
	held := make(chan error, 1)
	go func() { held <- h.Heartbeat(context.Background(), hb("s1", "held")) }()
	require.Eventually(t, func() bool {
		var waiting bool
		err := pool.QueryRow(t.Context(), `SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock')`).Scan(&waiting)
		return err == nil && waiting
	}, 30*time.Second, 10*time.Millisecond)

	ctx, cancel := context.WithCancel(t.Context())
	queued := make(chan error, 1)
	go func() { queued <- h.Heartbeat(ctx, hb("s2", "cancelled-queued")) }()
	require.Eventually(t, func() bool { return len(h.reqs) == 1 }, 30*time.Second, time.Millisecond)
	cancel()
	require.ErrorIs(t, <-queued, context.Canceled)

	require.NoError(t, tx.Commit(t.Context()))
	require.NoError(t, <-held)
	h.Close()
	rows, err := pool.Query(t.Context(), `SELECT id FROM satellite_heartbeats ORDER BY id`)
	require.NoError(t, err)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	require.Equal(t, []string{"held"}, ids)
	require.Equal(t, Stats{Heartbeats: 1, Statements: 1}, h.Stats(), "the cancelled heartbeats were not sent")
}

func TestConfig(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		in      Config
		want    Config
		wantErr string
	}{
		{name: "defaults", want: Config{MaxBatch: DefaultMaxBatch, Flushers: DefaultFlushers, Linger: DefaultLinger}},
		{name: "set", in: Config{MaxBatch: 7, Flushers: 3, Linger: time.Millisecond}, want: Config{MaxBatch: 7, Flushers: 3, Linger: time.Millisecond}},
		{name: "no linger", in: Config{Linger: NoLinger}, want: Config{MaxBatch: DefaultMaxBatch, Flushers: DefaultFlushers}},
		{name: "linger too long", in: Config{Linger: MaxLinger + 1}, wantErr: "ingest: heartbeat ingester: linger 5.000001ms: want 0 to 5ms, or NoLinger"},
		{name: "negative linger", in: Config{Linger: -2}, wantErr: "linger -2ns"},
		{name: "negative batch", in: Config{MaxBatch: -1}, wantErr: "max batch -1: want 1 to 1000"},
		{name: "batch too large", in: Config{MaxBatch: MaxBatchLimit + 1}, wantErr: "max batch 1001"},
		{name: "too many flushers", in: Config{Flushers: MaxFlushersLimit + 1}, wantErr: "flushers 65: want 1 to 64"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := tc.in.withDefaults()
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				_, err := NewHeartbeats(nil, tc.in)
				require.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}
