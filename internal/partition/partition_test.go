package partition_test

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/partition"
	"github.com/deploystack/stackdb/stackdbtest"
)

func TestMain(m *testing.M) { stackdbtest.Main(m) }

var now = time.Date(2026, 3, 10, 15, 4, 5, 0, time.UTC)

func day(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, time.UTC) }

// partitionsOf lists the partitions of table, sorted.
func partitionsOf(t *testing.T, pool *pgxpool.Pool, table string) []string {
	t.Helper()
	rows, err := pool.Query(context.Background(), `SELECT c.relname::text FROM pg_inherits i
		JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass ORDER BY 1`, table)
	require.NoError(t, err)
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	return names
}

// names are the partitions of table (of partition.Tables, else daily)
// holding days of March 2026, once each.
func names(table string, days ...int) []string {
	tb := partition.Table{Name: table}
	if i := slices.IndexFunc(partition.Tables, func(t partition.Table) bool { return t.Name == table }); i >= 0 {
		tb = partition.Tables[i]
	}
	out := []string{}
	for _, d := range days {
		if n := tb.Partition(day(d)); !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// created is how many partitions of partition.Tables days of March 2026
// make.
func created(days ...int) int {
	n := 0
	for _, tb := range partition.Tables {
		n += len(names(tb.Name, days...))
	}
	return n
}

// satellite inserts the global satellite s1.
func satellite(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	ctx := context.Background()
	_, err := pool.Exec(ctx, `INSERT INTO roles (id, name, permissions) VALUES ('r1', 'r1', '[]')`)
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `INSERT INTO users (id, username, email, auth_type, role_id)
		VALUES ('u1', 'u1', 'u1@example.com', 'email_signup', 'r1')`)
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `INSERT INTO satellites (id, name, satellite_type, capabilities, api_key_hash, created_by)
		VALUES ('s1', 's1', 'global', '[]', 'h', 'u1')`)
	require.NoError(t, err)

}

func heartbeat(t *testing.T, pool *pgxpool.Pool, id string, ts time.Time) {
	t.Helper()
	_, err := pool.Exec(context.Background(), `INSERT INTO satellite_heartbeats (id, satellite_id, status, system_metrics, "timestamp")
		VALUES ($1, 's1', 'active', '{}', $2)`, id, ts)
	require.NoError(t, err)
}

// where says which partition of table holds the row id.
func where(t *testing.T, pool *pgxpool.Pool, table string, id any) string {
	t.Helper()
	var rel string
	require.NoError(t, pool.QueryRow(context.Background(),
		`SELECT tableoid::regclass::text FROM `+pgx.Identifier{table}.Sanitize()+` WHERE id = $1`, id).Scan(&rel))
	return rel
}

func TestEveryPartitionedTableIsMaintained(t *testing.T) {
	t.Parallel()
	pool := stackdbtest.Pool(t)
	rows, err := pool.Query(context.Background(), `SELECT c.relname::text, a.attname::text FROM pg_partitioned_table p
		JOIN pg_class c ON c.oid = p.partrelid JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
		WHERE p.partstrat = 'r' ORDER BY 1`)
	require.NoError(t, err)
	got, err := pgx.CollectRows(rows, pgx.RowToStructByPos[struct{ Name, Column string }])
	require.NoError(t, err)
	want := []struct{ Name, Column string }{}
	for _, tb := range partition.Tables {
		want = append(want, struct{ Name, Column string }{tb.Name, tb.Column})
		// The migrations create the DEFAULT partition; nothing else.
		require.Equal(t, []string{tb.Name + "_default"}, partitionsOf(t, pool, tb.Name), tb.Name)
	}
	require.ElementsMatch(t, want, got, "the range-partitioned tables of the schema and partition.Tables")
}

func TestMaintainCreatesAhead(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		ahead int
		want  []int
	}{
		{"default week", 0, []int{10, 11, 12, 13, 14, 15, 16, 17}},
		{"today and tomorrow", 1, []int{10, 11}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			pool := stackdbtest.Pool(t)
			ctx := context.Background()
			rep, err := partition.Maintain(ctx, pool, partition.Options{Now: now, Ahead: tc.ahead})
			require.NoError(t, err)
			for _, tb := range partition.Tables {
				want := append(names(tb.Name, tc.want...), tb.Name+"_default")
				require.ElementsMatch(t, want, partitionsOf(t, pool, tb.Name))
			}
			require.Len(t, rep.Created, created(tc.want...))
			require.Empty(t, rep.Dropped)

			// A second run finds nothing to do.
			rep, err = partition.Maintain(ctx, pool, partition.Options{Now: now, Ahead: tc.ahead})
			require.NoError(t, err)
			require.Empty(t, rep.Created)
			require.Empty(t, rep.Dropped)
		})
	}
}

func TestMaintainMovesRowsOutOfDefault(t *testing.T) {
	t.Parallel()
	pool := stackdbtest.Pool(t)
	ctx := context.Background()
	satellite(t, pool)
	heartbeat(t, pool, "today", now)
	heartbeat(t, pool, "past", day(1))
	require.Equal(t, "satellite_heartbeats_default", where(t, pool, "satellite_heartbeats", "today"))

	rep, err := partition.Maintain(ctx, pool, partition.Options{Now: now, Ahead: 1,
		Tables: []partition.Table{{Name: "satellite_heartbeats", Column: "timestamp"}}})
	require.NoError(t, err)
	require.Equal(t, int64(1), rep.Moved)
	require.Equal(t, "satellite_heartbeats_p20260310", where(t, pool, "satellite_heartbeats", "today"))
	require.Equal(t, "satellite_heartbeats_default", where(t, pool, "satellite_heartbeats", "past"), "no partition for its day: stays")

	// New rows of a maintained day go straight to its partition.
	heartbeat(t, pool, "later", now.Add(time.Hour))
	require.Equal(t, "satellite_heartbeats_p20260310", where(t, pool, "satellite_heartbeats", "later"))
}

func TestMaintainDropsPastRetention(t *testing.T) {
	t.Parallel()
	pool := stackdbtest.Pool(t)
	ctx := context.Background()
	satellite(t, pool)
	hb := []partition.Table{{Name: "satellite_heartbeats", Column: "timestamp", Retention: 3 * partition.Day}}
	// Earlier runs made 1–10 March.
	for d := 1; d <= 10; d++ {
		_, err := partition.Maintain(ctx, pool, partition.Options{Now: day(d), Ahead: 1, Tables: []partition.Table{{Name: "satellite_heartbeats", Column: "timestamp"}}})
		require.NoError(t, err)
	}
	heartbeat(t, pool, "old", day(6).Add(23*time.Hour))
	heartbeat(t, pool, "kept", day(7))
	_, err := pool.Exec(ctx, `ALTER TABLE satellite_heartbeats DETACH PARTITION satellite_heartbeats_p20260301`)
	require.NoError(t, err)
	heartbeat(t, pool, "old-default", day(1)) // no partition for its day now: in the DEFAULT one
	_, err = pool.Exec(ctx, `ALTER TABLE satellite_heartbeats ATTACH PARTITION satellite_heartbeats_p20260301
		FOR VALUES FROM ('2026-03-01 00:00:00+00') TO ('2026-03-02 00:00:00+00')`)
	require.Error(t, err, "the DEFAULT partition holds a row of that day")

	// 10 March 15:04 minus 3 days: the 7th is partly inside, the 6th not.
	rep, err := partition.Maintain(ctx, pool, partition.Options{Now: now, Ahead: 1, Tables: hb})
	require.NoError(t, err)
	require.Equal(t, names("satellite_heartbeats", 2, 3, 4, 5, 6), rep.Dropped)
	require.Equal(t, int64(1), rep.Deleted)
	require.ElementsMatch(t, append(names("satellite_heartbeats", 7, 8, 9, 10, 11), "satellite_heartbeats_default"),
		partitionsOf(t, pool, "satellite_heartbeats"))
	var left []string
	rows, err := pool.Query(ctx, `SELECT id FROM satellite_heartbeats ORDER BY id`)
	require.NoError(t, err)
	left, err = pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	require.Equal(t, []string{"kept"}, left)
}

func TestMaintainConcurrently(t *testing.T) {
	t.Parallel()
	pool := stackdbtest.Pool(t)
	ctx := context.Background()
	const n = 8
	var wg sync.WaitGroup
	reports := make([]*partition.Report, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reports[i], errs[i] = partition.Maintain(ctx, pool, partition.Options{Now: now})
		}()
	}
	wg.Wait()
	total := 0
	for i := range n {
		require.NoError(t, errs[i])
		total += len(reports[i].Created)
	}
	require.Equal(t, created(10, 11, 12, 13, 14, 15, 16, 17), total, "each partition created exactly once")
	for _, tb := range partition.Tables {
		require.ElementsMatch(t, append(names(tb.Name, 10, 11, 12, 13, 14, 15, 16, 17), tb.Name+"_default"),
			partitionsOf(t, pool, tb.Name))
	}
}

func TestSplitDefault(t *testing.T) {
	t.Parallel()
	pool := stackdbtest.Pool(t)
	ctx := context.Background()
	satellite(t, pool)
	heartbeat(t, pool, "a", day(1).Add(time.Hour))
	heartbeat(t, pool, "b", day(1).Add(2*time.Hour))
	heartbeat(t, pool, "c", day(3))
	rep, err := partition.SplitDefault(ctx, pool, partition.Tables[0])
	require.NoError(t, err)
	require.Equal(t, names("satellite_heartbeats", 1, 3), rep.Created)
	require.Equal(t, int64(3), rep.Moved)
	require.Equal(t, "satellite_heartbeats_p20260301", where(t, pool, "satellite_heartbeats", "b"))
	require.Equal(t, "satellite_heartbeats_p20260303", where(t, pool, "satellite_heartbeats", "c"))
}

// TestWindowPrunes: a query on a time window scans only the partitions of
// its days.
func TestWindowPrunes(t *testing.T) {
	t.Parallel()
	pool := stackdbtest.Pool(t)
	ctx := context.Background()
	_, err := partition.Maintain(ctx, pool, partition.Options{Now: day(1), Ahead: 9})
	require.NoError(t, err)
	tests := []struct {
		name         string
		since, until time.Time
		want         []string
	}{
		{"one day", day(3).Add(time.Hour), day(3).Add(2 * time.Hour), []string{"satellite_usage_logs_p20260303"}},
		{"two days", day(4).Add(20 * time.Hour), day(5).Add(time.Hour), []string{"satellite_usage_logs_p20260304", "satellite_usage_logs_p20260305"}},
		{"outside the maintained days", day(20), day(21), []string{"satellite_usage_logs_default"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, plan := scanned(t, pool, `SELECT * FROM satellite_usage_logs
				WHERE team_id = $1 AND "timestamp" >= $2 AND "timestamp" < $3`, "t1", tc.since, tc.until)
			require.ElementsMatch(t, tc.want, got, "%s", plan)
		})
	}
}

// scanned runs query under EXPLAIN ANALYZE with a generic plan (its
// parameters unknown at planning, as the application's prepared statements
// run it) and returns the relations it read and the plan.
func scanned(t *testing.T, pool *pgxpool.Pool, query string, args ...any) ([]string, string) {
	t.Helper()
	ctx := context.Background()
	var raw []byte
	require.NoError(t, pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SET LOCAL plan_cache_mode = force_generic_plan"); err != nil {
			return err
		}
		return tx.QueryRow(ctx, "EXPLAIN (ANALYZE, FORMAT JSON) "+query, args...).Scan(&raw)
	}))
	var plan []map[string]any
	require.NoError(t, json.Unmarshal(raw, &plan))
	return relations(plan[0]["Plan"]), string(raw)
}

// relations are the "Relation Name"s the plan's nodes that ran read.
func relations(node any) []string {
	out := []string{}
	var walk func(any)
	walk = func(n any) {
		switch v := n.(type) {
		case map[string]any:
			if r, ok := v["Relation Name"].(string); ok && v["Actual Loops"] != float64(0) {
				out = append(out, r)
			}
			for _, c := range v {
				walk(c)
			}
		case []any:
			for _, c := range v {
				walk(c)
			}
		}
	}
	walk(node)
	return out
}

func TestMaintainRejectsNegativeAhead(t *testing.T) {
	t.Parallel()
	_, err := partition.Maintain(context.Background(), stackdbtest.Pool(t), partition.Options{Ahead: -1})
	require.ErrorContains(t, err, fmt.Sprintf("ahead is %d days", -1))
}

func TestOwned(t *testing.T) {
	t.Parallel()
	tests := []struct {
		child  string
		want   bool
		parent string // "": satellite_heartbeats
	}{
		{"satellite_heartbeats_default", true, ""},
		{"satellite_heartbeats_p20260310", true, ""},
		{"satellite_heartbeats_p2026031", false, ""},
		{"satellite_heartbeats_p20261340", false, ""},
		{"satellite_heartbeats_old", false, ""},
		{"satellite_usage_logs_p20260310", false, ""},
		{"audit_logs_p202603", true, "audit_logs"},
		{"audit_logs_p20260310", false, "audit_logs"},
		{"audit_logs_p202613", false, "audit_logs"},
		{"audit_logs_default", true, "audit_logs"},
	}
	for _, tc := range tests {
		parent := cmp.Or(tc.parent, "satellite_heartbeats")
		require.Equal(t, tc.want, partition.Owned(parent, tc.child), tc.child)
	}
}

var audit = []partition.Table{{Name: "audit_logs", Column: "created_at", Span: partition.Monthly, Retention: 365 * partition.Day}}

// auditEntry inserts an audit entry at ts and returns its id.
func auditEntry(t *testing.T, pool *pgxpool.Pool, ts time.Time) int64 {
	t.Helper()
	var id int64
	require.NoError(t, pool.QueryRow(context.Background(),
		`INSERT INTO audit_logs (action, created_at) VALUES ('user.login', $1) RETURNING id`, ts).Scan(&id))
	return id
}

// The audit log's partitions are months: maintenance creates the months of
// today and the days ahead, moves their rows out of the DEFAULT partition,
// and drops a month once its last day is past retention.
func TestMaintainAuditMonths(t *testing.T) {
	t.Parallel()
	pool := stackdbtest.Pool(t)
	ctx := context.Background()
	early := auditEntry(t, pool, time.Date(2025, 12, 31, 23, 0, 0, 0, time.UTC))
	jan := auditEntry(t, pool, time.Date(2026, 1, 20, 0, 0, 0, 0, time.UTC))
	require.Equal(t, "audit_logs_default", where(t, pool, "audit_logs", jan))

	// 28 January and 7 days ahead: January and February.
	rep, err := partition.Maintain(ctx, pool, partition.Options{Now: time.Date(2026, 1, 28, 9, 0, 0, 0, time.UTC), Tables: audit})
	require.NoError(t, err)
	require.Equal(t, []string{"audit_logs_p202601", "audit_logs_p202602"}, rep.Created)
	require.Equal(t, int64(1), rep.Moved)
	require.Equal(t, "audit_logs_p202601", where(t, pool, "audit_logs", jan))
	require.Equal(t, "audit_logs_default", where(t, pool, "audit_logs", early), "no partition for its month: stays")
	feb := auditEntry(t, pool, time.Date(2026, 2, 28, 23, 59, 59, 0, time.UTC))
	require.Equal(t, "audit_logs_p202602", where(t, pool, "audit_logs", feb))

	// A year later: January 2026 ended more than 365 days before 10 February
	// 2027, February did not; December 2025's row in the DEFAULT partition
	// is older than the month holding the cutoff.
	rep, err = partition.Maintain(ctx, pool, partition.Options{Now: time.Date(2027, 2, 10, 0, 0, 0, 0, time.UTC), Ahead: 1, Tables: audit})
	require.NoError(t, err)
	require.Equal(t, []string{"audit_logs_p202702"}, rep.Created)
	require.Equal(t, []string{"audit_logs_p202601"}, rep.Dropped)
	require.Equal(t, int64(1), rep.Deleted)
	require.ElementsMatch(t, []string{"audit_logs_default", "audit_logs_p202602", "audit_logs_p202702"}, partitionsOf(t, pool, "audit_logs"))
	var left []int64
	rows, err := pool.Query(ctx, `SELECT id FROM audit_logs ORDER BY id`)
	require.NoError(t, err)
	left, err = pgx.CollectRows(rows, pgx.RowTo[int64])
	require.NoError(t, err)
	require.Equal(t, []int64{feb}, left)
}

// TestAuditWindowPrunes: a team's page of audit entries in a time window
// (AuditLogListByTeamPage's condition) scans only its months' partitions.
func TestAuditWindowPrunes(t *testing.T) {
	t.Parallel()
	pool := stackdbtest.Pool(t)
	ctx := context.Background()
	for _, m := range []time.Month{1, 2, 3} {
		_, err := partition.Maintain(ctx, pool, partition.Options{Now: time.Date(2026, m, 2, 0, 0, 0, 0, time.UTC), Ahead: 1, Tables: audit})
		require.NoError(t, err)
	}
	tests := []struct {
		name         string
		since, until time.Time
		want         []string
	}{
		{"one month", time.Date(2026, 2, 10, 0, 0, 0, 0, time.UTC), time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC), []string{"audit_logs_p202602"}},
		{"across a month's end", time.Date(2026, 1, 30, 0, 0, 0, 0, time.UTC), time.Date(2026, 2, 2, 0, 0, 0, 0, time.UTC), []string{"audit_logs_p202601", "audit_logs_p202602"}},
		{"outside the maintained months", time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 6, 8, 0, 0, 0, 0, time.UTC), []string{"audit_logs_default"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, plan := scanned(t, pool, `SELECT * FROM audit_logs
				WHERE team_id = $1 AND created_at >= $2 AND created_at < $3
				ORDER BY created_at DESC, id DESC LIMIT 50`, "t1", tc.since, tc.until)
			require.ElementsMatch(t, tc.want, got, "%s", plan)
		})
	}
}
