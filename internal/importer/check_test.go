package importer_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/importer"
	"github.com/deploystack/stackdb/stackdbtest"
)

func TestCheckEvaluation(t *testing.T) {
	t.Parallel()
	type row = map[string]any
	const (
		set      = `CHECK ((role = ANY (ARRAY['team_admin'::text, 'team_user'::text])))`
		nullSet  = `CHECK (((health_status IS NULL) OR (health_status = ANY (ARRAY['healthy'::text, 'it''s'::text]))))`
		one      = `CHECK ((role = 'team_admin'::text))`
		shape    = `CHECK ((jsonb_typeof(tags) = 'array'::text))`
		optShape = `CHECK (((m IS NULL) OR (jsonb_typeof(m) = 'object'::text)))`
	)
	cases := []struct {
		def  string
		row  row
		want bool
	}{
		{set, row{"role": "team_user"}, true},
		{set, row{"role": "Team_user"}, false},
		{set, row{"role": "team_user "}, false},
		{set, row{"role": ""}, false},
		{set, row{"role": nil}, true}, // NULL passes a CHECK
		{set + " NOT VALID", row{"role": "owner"}, false},
		{nullSet, row{"health_status": "it's"}, true},
		{nullSet, row{"health_status": "healthy"}, true},
		{nullSet, row{"health_status": "unknown"}, false},
		{nullSet, row{"health_status": nil}, true},
		{one, row{"role": "team_admin"}, true},
		{one, row{"role": "team_user"}, false},
		{`CHECK (("Role ""x""" = 'a'::text))`, row{`Role "x"`: "a"}, true},
		{shape, row{"tags": importer.JSONValue(`[1]`)}, true},
		{shape, row{"tags": importer.JSONValue(` [] `)}, true},
		{shape, row{"tags": importer.JSONValue(`null`)}, false}, // a JSON null is not SQL NULL
		{shape, row{"tags": importer.JSONValue(`{"a":[]}`)}, false},
		{optShape, row{"m": importer.JSONValue(`{"a":[]}`)}, true},
		{optShape, row{"m": importer.JSONValue(`"x"`)}, false},
		{`CHECK ((jsonb_typeof(v) = 'number'::text))`, row{"v": importer.JSONValue(`-1.5e3`)}, true},
	}
	for _, tc := range cases {
		got, err := importer.EvalCheck(tc.def, tc.row)
		require.NoError(t, err, tc.def)
		require.Equal(t, tc.want, got, "%s on %v", tc.def, tc.row)
	}

	// Anything else is refused, so the import stops at the start instead
	// of guessing, with a reason.
	refused := []struct{ def, reason string }{
		{`CHECK ((length(name) > 0))`, "not a form of CHECK the importer knows"},
		{`CHECK ((duration_ms >= 0))`, "not a form of CHECK the importer knows"},
		{`CHECK ((name <> ''::text))`, "not a form of CHECK the importer knows"},
		{`CHECK ((name > 'a'::text))`, "not a form of CHECK the importer knows"},
		{`CHECK ((x ~ '^a'::text))`, "not a form of CHECK the importer knows"},
		{`CHECK ((NOT (name = 'a'::text)))`, "not a form of CHECK the importer knows"},
		{`CHECK (((name = 'a'::text) AND (x = 'b'::text)))`, "not a form of CHECK the importer knows"},
		{`CHECK (((name = 'a'::text) OR (x = 'b'::text)))`, "not a form of CHECK the importer knows"},
		{`CHECK (((name IS NULL) OR (x = 'b'::text)))`, `tests "name" for NULL, then "x"`},
		{`CHECK ((name IS NOT NULL))`, "not a form of CHECK the importer knows"},
		{`CHECK ((status = 'a'::job_status))`, "not a form of CHECK the importer knows"}, // enum order and casts
		{`CHECK (((name)::text = ANY ((ARRAY['a'::character varying])::text[])))`, "not a form of CHECK the importer knows"},
		{`CHECK ((name = ANY (ARRAY['a'::text, NULL::text])))`, "not a form of CHECK the importer knows"},
		{`CHECK ((name = ANY (ARRAY['a'::text, 'b'::text])) AND (x = 'c'::text))`, "not a form of CHECK the importer knows"},
		{`CHECK ((name = 'a\b'::text))`, "backslash"},
		{`CHECK ((name = E'a\\b'::text))`, "not a form of CHECK the importer knows"},
		{`CHECK ((name = 'a::text))`, "unterminated string"},
		{`CHECK ((jsonb_typeof(j) = 'list'::text))`, `never returns "list"`},
		{`CHECK ((jsonb_typeof(name) = 'array'::text))`, `column "name" is not jsonb`},
		{`CHECK ((j = 'a'::text))`, `column "j" is not text`},
		{`CHECK ((missing = 'a'::text))`, `column "missing" is not imported`},
		{`UNIQUE (name)`, "not a CHECK"},
	}
	for _, tc := range refused {
		_, err := importer.EvalCheck(tc.def, row{"name": "x", "status": "a", "x": "y", "j": importer.JSONValue(`[]`)})
		require.ErrorContains(t, err, tc.reason, tc.def)
	}
}

// TestEveryCheckOfTheSchemaIsUnderstood reads the CHECK constraints of the
// migrated schema as an import does: the evaluator must recognise every
// one of them. When this fails, the schema has gained a form of CHECK the
// importer cannot evaluate before loading: teach it to check.go, or the
// import refuses to start. A form it does not know is refused, from what
// Postgres prints of it.
func TestEveryCheckOfTheSchemaIsUnderstood(t *testing.T) {
	t.Parallel()
	pool := stackdbtest.Pool(t)
	ctx := context.Background()
	checks, err := importer.SchemaChecks(ctx, pool)
	require.NoError(t, err)
	require.NotEmpty(t, checks)
	for _, c := range checks {
		require.NoError(t, c.Err, "%s: CHECK %s %s", c.Table, c.Name, c.Def)
		require.Len(t, c.Cols, 1, c.Name)
	}

	_, err = pool.Exec(ctx, `CREATE TABLE check_forms (
	n int4 CONSTRAINT n_positive CHECK (n > 0),
	name text CONSTRAINT name_len CHECK (length(name) < 10),
	v varchar CONSTRAINT v_set CHECK (v IN ('a', 'b')),
	e job_status CONSTRAINT e_set CHECK (e IN ('pending')),
	s text CONSTRAINT s_not_set CHECK (s NOT IN ('a', 'b')),
	j jsonb CONSTRAINT j_shapes CHECK (jsonb_typeof(j) IN ('array', 'object')),
	t text CONSTRAINT t_two CHECK (t IN ('a', 'b') AND t IS NOT NULL),
	r text CONSTRAINT r_null_last CHECK (r IN ('a', 'b') OR r IS NULL))`)
	require.NoError(t, err)
	again, err := importer.SchemaChecks(ctx, pool)
	require.NoError(t, err)
	var refused []string
	for _, c := range again {
		if c.Table == "public.check_forms" {
			require.ErrorContains(t, c.Err, "not a form of CHECK the importer knows", c.Def)
			refused = append(refused, c.Name)
		}
	}
	require.ElementsMatch(t, []string{"n_positive", "name_len", "v_set", "e_set", "s_not_set", "j_shapes", "t_two", "r_null_last"}, refused)
}

// TestCheckVerdictsMatchPostgres gives every CHECK the evaluator
// recognises — those of the schema and the other forms it accepts — values
// around its edges and compares the verdict with Postgres's on the same
// expression: a false pass would fail the COPY, a false violation drop a
// valid row.
func TestCheckVerdictsMatchPostgres(t *testing.T) {
	t.Parallel()
	pool := stackdbtest.Pool(t)
	ctx := context.Background()
	_, err := pool.Exec(ctx, `CREATE TABLE check_forms (
	"Odd ""col""" text CONSTRAINT odd CHECK ("Odd ""col""" IN ('it''s', 'Ünï', '')),
	one text CONSTRAINT one CHECK (one IN ('solo')),
	m jsonb CONSTRAINT m_object CHECK (m IS NULL OR jsonb_typeof(m) = 'object'),
	s jsonb CONSTRAINT s_string CHECK (jsonb_typeof(s) = 'string'),
	nn text CONSTRAINT nn_set CHECK (nn = ANY (ARRAY['a', 'b'])))`)
	require.NoError(t, err)
	checks, err := importer.SchemaChecks(ctx, pool)
	require.NoError(t, err)

	// Text values: every literal of every check, and near misses of each.
	var texts []string
	for _, c := range checks {
		for _, lit := range stringLiterals(c.Def) {
			texts = append(texts, lit, strings.ToUpper(lit), lit+" ", " "+lit, lit+"\u0301", lit+"x")
			if r := []rune(lit); len(r) > 0 {
				texts = append(texts, string(r[1:]), string(r[:len(r)-1]))
			}
		}
	}
	texts = append(texts, "", "'", `"`, "ü", "NULL", "null")
	docs := []string{`{}`, `{"a":[1]}`, `[]`, ` [ {} ] `, `"s"`, `""`, `1`, `-0.5e3`, `true`, `false`, `null`}

	n := 0
	for _, c := range checks {
		require.NoError(t, c.Err, c.Def)
		values := texts
		if c.Types[0] == "jsonb" {
			values = docs
		}
		col := pgx.Identifier{c.Cols[0]}.Sanitize()
		// NULL passes a CHECK: coalesce turns the expression's value into
		// the constraint's verdict.
		query := "SELECT coalesce((" + strings.TrimPrefix(c.Def, "CHECK ") + "), true) FROM (SELECT $1::" + c.Types[0] + " AS " + col + ") AS r"
		vs := append([]*string{nil}, ptrs(values)...)
		var b pgx.Batch
		for _, v := range vs {
			b.Queue(query, v)
		}
		// All answers are read before any assertion: a batch left half
		// read would hold its connection, and the pool's Close wait for it.
		res := pool.SendBatch(ctx, &b)
		want := make([]bool, len(vs))
		var err error
		for i := range vs {
			if err = res.QueryRow().Scan(&want[i]); err != nil {
				break
			}
		}
		require.NoError(t, errors.Join(err, res.Close()), query)
		for i, v := range vs {
			got, err := c.Holds(v)
			require.NoError(t, err)
			require.Equal(t, want[i], got, "%s on %s", c.Def, show(v))
			n++
		}
	}
	require.Greater(t, n, 500)
}

// stringLiterals returns the '…' literals of a constraint definition.
func stringLiterals(def string) []string {
	var out []string
	for rest := def; ; {
		i := strings.IndexByte(rest, '\'')
		if i < 0 {
			return out
		}
		rest = rest[i+1:]
		var b strings.Builder
		for {
			j := strings.IndexByte(rest, '\'')
			b.WriteString(rest[:j])
			rest = rest[j+1:]
			if !strings.HasPrefix(rest, "'") {
				break
			}
			b.WriteByte('\'')
			rest = rest[1:]
		}
		out = append(out, b.String())
	}
}

func ptrs(ss []string) []*string {
	out := make([]*string, len(ss))
	for i := range ss {
		out[i] = &ss[i]
	}
	return out
}

func show(v *string) string {
	if v == nil {
		return "NULL"
	}
	return "'" + *v + "'"
}
