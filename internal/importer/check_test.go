package importer_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/importer"
)

func TestCheckEvaluation(t *testing.T) {
	t.Parallel()
	type row = map[string]any
	cases := []struct {
		def  string
		row  row
		want bool
	}{
		{`CHECK ((duration_ms >= 0))`, row{"duration_ms": int64(0)}, true},
		{`CHECK ((duration_ms >= 0))`, row{"duration_ms": int64(-1)}, false},
		{`CHECK ((duration_ms >= 0))`, row{"duration_ms": (*int64)(nil)}, true}, // NULL passes a CHECK
		{`CHECK ((x > '-5'::integer))`, row{"x": int64(-4)}, true},
		{`CHECK ((x > '-5'::integer))`, row{"x": int64(-5)}, false},
		{`CHECK ((x <> 2.5))`, row{"x": int64(2)}, true},
		{`CHECK (((total_jobs >= 0) AND (completed_jobs >= 0) AND (failed_jobs >= 0)))`, row{"total_jobs": int64(1), "completed_jobs": int64(0), "failed_jobs": int64(-1)}, false},
		{`CHECK (((a >= 0) AND (b >= 0)))`, row{"a": int64(-1), "b": (*int64)(nil)}, false}, // false AND NULL is false
		{`CHECK (((a >= 0) OR (b >= 0)))`, row{"a": int64(-1), "b": (*int64)(nil)}, true},   // false OR NULL is NULL
		{`CHECK (((health_status IS NULL) OR (health_status = ANY (ARRAY['healthy'::text, 'unhealthy'::text, 'unknown'::text]))))`, row{"health_status": "unknown"}, true},
		{`CHECK (((health_status IS NULL) OR (health_status = ANY (ARRAY['healthy'::text, 'unhealthy'::text, 'unknown'::text]))))`, row{"health_status": "Healthy"}, false},
		{`CHECK (((health_status IS NULL) OR (health_status = ANY (ARRAY['healthy'::text]))))`, row{"health_status": nil}, true},
		{`CHECK (((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[])))`, row{"status": "b"}, true},
		{`CHECK ((jsonb_typeof(tags) = 'array'::text))`, row{"tags": importer.JSONValue(`[1]`)}, true},
		{`CHECK ((jsonb_typeof(tags) = 'array'::text))`, row{"tags": importer.JSONValue(`null`)}, false},
		{`CHECK (((m IS NULL) OR (jsonb_typeof(m) = 'object'::text)))`, row{"m": importer.JSONValue(`{"a":[]}`)}, true},
		{`CHECK (((m IS NULL) OR (jsonb_typeof(m) = 'object'::text)))`, row{"m": importer.JSONValue(`"x"`)}, false},
		{`CHECK ((NOT (flag AND (n < 1))))`, row{"flag": true, "n": int64(0)}, false},
		{`CHECK ((NOT (flag AND (n < 1))))`, row{"flag": false, "n": int64(0)}, true},
		{`CHECK ((name <> ''::text)) NOT VALID`, row{"name": ""}, false},
		{`CHECK (("Quoted" = 'it''s'::text))`, row{"Quoted": "it's"}, true},
	}
	for _, tc := range cases {
		got, err := importer.EvalCheck(tc.def, tc.row)
		require.NoError(t, err, tc.def)
		require.Equal(t, tc.want, got, "%s on %v", tc.def, tc.row)
	}

	// Outside the supported language: refused, so the import stops at the
	// start instead of guessing.
	for _, def := range []string{
		`CHECK ((length(name) > 0))`,
		`CHECK ((name > 'a'::text))`, // collation order
		`CHECK ((status < 'b'::job_status))`,
		`CHECK ((created_at > now()))`,
		`CHECK ((x ~ '^a'::text))`,
		`CHECK ((name = E'a\\b'::text))`,
		`CHECK ((missing > 0))`,
	} {
		_, err := importer.EvalCheck(def, row{"name": "x", "status": "a", "x": "y"})
		require.Error(t, err, def)
	}
}
