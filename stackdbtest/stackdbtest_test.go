package stackdbtest_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/internal/atlasmig"
	"github.com/deploystack/stackdb/schema"
	"github.com/deploystack/stackdb/stackdbtest"
)

func TestMain(m *testing.M) { stackdbtest.Main(m) }

func TestPoolIsFreshAndMigrated(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, b := stackdbtest.Pool(t), stackdbtest.Pool(t)

	var dbA, dbB string
	require.NoError(t, a.QueryRow(ctx, "SELECT current_database()").Scan(&dbA))
	require.NoError(t, b.QueryRow(ctx, "SELECT current_database()").Scan(&dbB))
	require.NotEqual(t, dbA, dbB, "each call gets its own database")

	_, err := a.Exec(ctx, "INSERT INTO roles (id, name, permissions) VALUES ('r1', 'admin', '[]')")
	require.NoError(t, err)
	var n int
	require.NoError(t, b.QueryRow(ctx, "SELECT count(*) FROM roles").Scan(&n))
	require.Zero(t, n, "writes in one test database are invisible to another")

	var applied int
	require.NoError(t, a.QueryRow(ctx, "SELECT count(*) FROM atlas_schema_revisions.atlas_schema_revisions").Scan(&applied))
	require.Positive(t, applied, "the template carries the revisions of the applied migrations")
}

func TestURLIsDistinctMigratedDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir, err := schema.Dir()
	require.NoError(t, err)
	files, err := dir.Files()
	require.NoError(t, err)
	require.NotEmpty(t, files)
	last := files[len(files)-1].Version()

	const n = 3
	seen := map[string]bool{}
	for i := range n {
		url := stackdbtest.URL(t)
		require.NotContains(t, seen, url, "call %d", i)
		seen[url] = true

		status, err := atlasmig.Status(ctx, url, dir)
		require.NoError(t, err, "call %d", i)
		require.Equal(t, last, status.Current, "call %d: every migration is applied", i)
		require.Empty(t, status.Pending, "call %d", i)
		require.Nil(t, status.Failed, "call %d", i)

		pool := poolFor(t, url)
		var name string
		require.NoError(t, pool.QueryRow(ctx, "SELECT current_database()").Scan(&name))
		require.NotContains(t, seen, name, "call %d: a database of its own", i)
		seen[name] = true
		var roles int
		require.NoError(t, pool.QueryRow(ctx, "SELECT count(*) FROM roles WHERE id = 'r1'").Scan(&roles))
		require.Zero(t, roles, "call %d: nothing an earlier database was given", i)
		_, err = pool.Exec(ctx, "INSERT INTO roles (id, name, permissions) VALUES ('r1', 'admin', '[]')")
		require.NoError(t, err, "call %d", i)
	}
	require.Len(t, seen, 2*n)
}

func TestEmptyURLHasNoTables(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := poolFor(t, stackdbtest.EmptyURL(t))
	var n int
	require.NoError(t, pool.QueryRow(ctx, "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')").Scan(&n))
	require.Zero(t, n)
}

func poolFor(tb testing.TB, url string) *pgxpool.Pool {
	tb.Helper()
	pool, err := stackdb.OpenPool(context.Background(), url)
	require.NoError(tb, err)
	tb.Cleanup(pool.Close)
	return pool
}
