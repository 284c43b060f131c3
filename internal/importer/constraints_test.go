package importer_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/importer"
	"github.com/deploystack/stackdb/stackdbtest"
)

// schemaSnapshot lists every constraint and index definition of the public
// schema, but the partitions': an import adds the daily partitions its rows
// need (a partitioned table's index is valid only when every partition has
// its own).
func schemaSnapshot(t *testing.T, url string) []string {
	t.Helper()
	pool := openPool(t, url)
	rows, err := pool.Query(context.Background(), `
SELECT c.relname || ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid) || ' valid=' || con.convalidated
FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND NOT c.relispartition
UNION ALL
SELECT pg_get_indexdef(i.indexrelid) || ' valid=' || i.indisvalid
FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND NOT c.relispartition
ORDER BY 1`)
	require.NoError(t, err)
	defer rows.Close() // a failed assertion must not leave the connection busy
	var out []string
	for rows.Next() {
		var s string
		require.NoError(t, rows.Scan(&s))
		out = append(out, s)
	}
	require.NoError(t, rows.Err())
	return out
}

// The load drops foreign keys, primary keys and indexes and rebuilds them in
// the same transaction: after a commit, and after a failed run, the schema
// must be exactly the migrated one.
func TestImportRebuildsConstraintsAndIndexes(t *testing.T) {
	t.Parallel()
	path := legacyFile(t, manyHeartbeats)

	url := stackdbtest.URL(t)
	before := schemaSnapshot(t, url)
	require.NotEmpty(t, before)

	rep, err := runImport(t, path, url)
	require.NoError(t, err)
	require.True(t, rep.Committed)
	require.Equal(t, before, schemaSnapshot(t, url), "every key and index is back, validated")

	_, err = runImport(t, path, url, func(o *importer.Options) { o.Truncate = true })
	require.NoError(t, err, "a re-import with Truncate works on the rebuilt schema")
	require.Equal(t, before, schemaSnapshot(t, url))
}
