package stackdbtest_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb"

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

	_, err := a.Exec(ctx, "INSERT INTO roles (id, name) VALUES ('r1', 'admin')")
	require.NoError(t, err)
	var n int
	require.NoError(t, b.QueryRow(ctx, "SELECT count(*) FROM roles").Scan(&n))
	require.Zero(t, n, "writes in one test database are invisible to another")

	var applied int
	require.NoError(t, a.QueryRow(ctx, "SELECT count(*) FROM atlas_schema_revisions.atlas_schema_revisions").Scan(&applied))
	require.Positive(t, applied, "the template carries the revisions of the applied migrations")
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
