package dbpool_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/stackdbtest"
)

// A pool's connections scan json and jsonb, in binary (the extended
// protocol's default) and in text (the simple protocol), into
// json.RawMessage as the server sends them: what json.Unmarshal would
// give, NULL as nil.
func TestOpenScansJSONIntoRawMessage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := stackdbtest.Pool(t)
	for _, tc := range []struct {
		sql  string
		want json.RawMessage
	}{
		{`SELECT '{"b": [1, 2], "a": "x"}'::jsonb`, json.RawMessage(`{"a": "x", "b": [1, 2]}`)},
		{`SELECT '{"b": [1,2],  "a":"x"}'::json`, json.RawMessage(`{"b": [1,2],  "a":"x"}`)},
		{`SELECT '"é"'::jsonb`, json.RawMessage(`"é"`)},
		{`SELECT NULL::jsonb`, nil},
		{`SELECT NULL::json`, nil},
	} {
		for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeCacheStatement, pgx.QueryExecModeSimpleProtocol} {
			var got json.RawMessage
			require.NoError(t, pool.QueryRow(ctx, tc.sql, mode).Scan(&got), "%s (%s)", tc.sql, mode)
			require.Equal(t, tc.want, got, "%s (%s)", tc.sql, mode)
			var unmarshalled json.RawMessage
			if tc.want != nil {
				require.NoError(t, json.Unmarshal(tc.want, &unmarshalled))
				require.Equal(t, unmarshalled, got, "%s (%s): as json.Unmarshal gives it", tc.sql, mode)
			}
		}
	}

	// Other destinations keep pgx's codec: a map is unmarshalled.
	var m map[string]any
	require.NoError(t, pool.QueryRow(ctx, `SELECT '{"a": 1}'::jsonb`).Scan(&m))
	require.Equal(t, map[string]any{"a": float64(1)}, m)
	// The scanned bytes are the caller's: a second row does not change them.
	rows, err := pool.Query(ctx, `SELECT v::jsonb FROM (VALUES ('[1]'), ('[2]')) t(v)`)
	require.NoError(t, err)
	var all []json.RawMessage
	for rows.Next() {
		var v json.RawMessage
		require.NoError(t, rows.Scan(&v))
		all = append(all, v)
	}
	require.NoError(t, rows.Err())
	require.Equal(t, []json.RawMessage{json.RawMessage(`[1]`), json.RawMessage(`[2]`)}, all)
}
