package stackdb_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/gen/dbsqlc"
)

// ---------------------------------------------------------------------------
// Test plumbing shared by every area: recording the statements a generated
// query sends, EXPLAINing them, and raw SQL for arranging and counting rows.

// stmtRecorder counts the statements run through it and remembers the last
// one, whichever of Exec, Query or QueryRow ran it, so a test can count round
// trips and EXPLAIN exactly the SQL of a generated query.
type stmtRecorder struct {
	stackdb.DB
	calls int
	sql   string
	args  []any
}

func (r *stmtRecorder) record(sql string, args []any) { r.calls, r.sql, r.args = r.calls+1, sql, args }

func (r *stmtRecorder) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	r.record(sql, args)
	return r.DB.Exec(ctx, sql, args...)
}

func (r *stmtRecorder) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	r.record(sql, args)
	return r.DB.Query(ctx, sql, args...)
}

func (r *stmtRecorder) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	r.record(sql, args)
	return r.DB.QueryRow(ctx, sql, args...)
}

// noSeqscanTx begins a transaction, rolled back when the test ends, in which
// the planner may not choose a sequential scan: the tables are tiny, so only
// then does a plan show which index a query can use. It does not force one
// index over another.
func noSeqscanTx(t *testing.T, db stackdb.TxStarter) pgx.Tx {
	t.Helper()
	tx, err := db.Begin(t.Context())
	require.NoError(t, err)
	t.Cleanup(func() { _ = tx.Rollback(context.Background()) })
	execSQL(t, tx, "SET LOCAL enable_seqscan = off")
	return tx
}

// queryPlan is the plan EXPLAIN gives for a statement.
type queryPlan struct {
	json string // EXPLAIN (FORMAT JSON)
	text string // EXPLAIN, as psql shows it
	root any    // the decoded root node of json
}

// String returns the plan as JSON, for assertions on its text and for
// messages.
func (p queryPlan) String() string { return p.json }

// Text returns the plan in EXPLAIN's text format, for messages.
func (p queryPlan) Text() string { return p.text }

// Root returns the root node of the plan tree.
func (p queryPlan) Root() map[string]any { return p.root.(map[string]any) }

// Indexes returns the "Index Name" of every node of the plan.
func (p queryPlan) Indexes() []string { return p.Values("Index Name") }

// IndexConds returns the "Index Cond" and "Recheck Cond" of every node of
// the plan.
func (p queryPlan) IndexConds() []string {
	return append(p.Values("Index Cond"), p.Values("Recheck Cond")...)
}

// Values returns the string values of key ("Index Name", "Node Type", ...)
// in every node of the plan.
func (p queryPlan) Values(key string) []string { return planValues(p.root, key) }

// Node returns the first node of the plan whose key has value, or nil.
func (p queryPlan) Node(key, value string) map[string]any { return planNode(p.root, key, value) }

func planValues(node any, key string) []string {
	var values []string
	switch n := node.(type) {
	case map[string]any:
		if v, ok := n[key].(string); ok {
			values = append(values, v)
		}
		for _, v := range n {
			values = append(values, planValues(v, key)...)
		}
	case []any:
		for _, v := range n {
			values = append(values, planValues(v, key)...)
		}
	}
	return values
}

func planNode(node any, key, value string) map[string]any {
	switch n := node.(type) {
	case map[string]any:
		if n[key] == value {
			return n
		}
		for _, v := range n {
			if found := planNode(v, key, value); found != nil {
				return found
			}
		}
	case []any:
		for _, v := range n {
			if found := planNode(v, key, value); found != nil {
				return found
			}
		}
	}
	return nil
}

// explainSQL EXPLAINs stmt with args on tx.
func explainSQL(t *testing.T, tx pgx.Tx, stmt string, args ...any) queryPlan {
	t.Helper()
	ctx := t.Context()
	var p queryPlan
	require.NoError(t, tx.QueryRow(ctx, "EXPLAIN (FORMAT JSON)\n"+stmt, args...).Scan(&p.json))
	var nodes []map[string]any
	require.NoError(t, json.Unmarshal([]byte(p.json), &nodes))
	p.root = nodes[0]["Plan"]
	rows, err := tx.Query(ctx, "EXPLAIN\n"+stmt, args...)
	require.NoError(t, err)
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	p.text = strings.Join(lines, "\n")
	return p
}

// explain EXPLAINs the statement rec recorded last, with its arguments. It
// runs on tx, typically a noSeqscanTx.
func explain(t *testing.T, tx pgx.Tx, rec *stmtRecorder) queryPlan {
	t.Helper()
	require.NotEmpty(t, rec.sql, "no statement recorded")
	return explainSQL(t, tx, rec.sql, rec.args...)
}

// explainGeneric is explain for the generic plan of the statement: the plan
// Postgres may settle on for a prepared statement it runs often, which
// cannot simplify anything based on the parameters' values.
func explainGeneric(t *testing.T, tx pgx.Tx, rec *stmtRecorder) queryPlan {
	t.Helper()
	require.NotEmpty(t, rec.sql, "no statement recorded")
	execSQL(t, tx, "PREPARE generic_plan_probe AS\n"+rec.sql)
	defer func() { _, _ = tx.Exec(context.Background(), "DEALLOCATE generic_plan_probe") }()
	execSQL(t, tx, "SET LOCAL plan_cache_mode = force_generic_plan")
	defer func() { _, _ = tx.Exec(context.Background(), "SET LOCAL plan_cache_mode = auto") }()
	// EXECUTE takes no bind parameters: pass the values as literals. The
	// generic plan does not depend on them.
	literals := make([]string, len(rec.args))
	for i, arg := range rec.args {
		literals[i] = sqlLiteral(t, arg)
	}
	return explainSQL(t, tx, "EXECUTE generic_plan_probe("+strings.Join(literals, ", ")+")")
}

// explainQuery runs query through a recorder on tx, then EXPLAINs the
// statement it sent.
func explainQuery(t *testing.T, tx pgx.Tx, query func(q dbsqlc.Querier) error) queryPlan {
	t.Helper()
	rec := &stmtRecorder{DB: tx}
	require.NoError(t, query(stackdb.New(rec)))
	return explain(t, tx, rec)
}

// sqlLiteral renders a query argument as an SQL literal (for tests only).
func sqlLiteral(t *testing.T, arg any) string {
	t.Helper()
	v := reflect.ValueOf(arg)
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return "NULL"
		}
		v = v.Elem()
	}
	if !v.IsValid() {
		return "NULL"
	}
	switch x := v.Interface().(type) {
	case string:
		return "'" + strings.ReplaceAll(x, "'", "''") + "'"
	case time.Time:
		return "'" + x.Format(time.RFC3339Nano) + "'"
	case int, int32, int64, bool:
		return fmt.Sprint(x)
	}
	t.Fatalf("sqlLiteral: unsupported %T", arg)
	return ""
}

// execSQL runs a raw statement, to arrange states the queries do not produce
// on their own (time passing, forcing a state, settings), and returns the
// rows affected.
func execSQL(t *testing.T, db stackdb.DB, sql string, args ...any) int64 {
	t.Helper()
	tag, err := db.Exec(t.Context(), sql, args...)
	require.NoError(t, err)
	return tag.RowsAffected()
}

// countRows counts the rows of table matching where (SQL, trusted; "true"
// for all).
func countRows(t *testing.T, db stackdb.DB, table, where string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, db.QueryRow(t.Context(), "SELECT count(*) FROM "+pgx.Identifier{table}.Sanitize()+" WHERE "+where, args...).Scan(&n))
	return n
}
