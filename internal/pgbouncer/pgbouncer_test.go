package pgbouncer_test

import (
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/pgbouncer"
	"github.com/deploystack/stackdb/internal/pgcluster"
	"github.com/deploystack/stackdb/stackdbtest"
)

func TestMain(m *testing.M) { stackdbtest.Main(m) }

// start puts a pgbouncer in front of a fresh empty database and returns the
// database's URL through it.
func start(t *testing.T) (direct, pooled string) {
	t.Helper()
	direct = stackdbtest.EmptyURL(t)
	b, err := pgbouncer.Start(t.Context(), direct)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, b.Stop()) })
	u, err := pgx.ParseConfig(direct)
	require.NoError(t, err)
	return direct, b.URL(u.Database)
}

func TestStartServesTheDatabaseInTransactionMode(t *testing.T) {
	t.Parallel()
	direct, pooled := start(t)
	ctx := t.Context()
	conn, err := pgx.Connect(ctx, pooled+"&default_query_exec_mode=exec")
	require.NoError(t, err)
	defer conn.Close(ctx)

	var db, wantDB string
	require.NoError(t, conn.QueryRow(ctx, "SELECT current_database()").Scan(&db))
	dconn, err := pgx.Connect(ctx, direct)
	require.NoError(t, err)
	defer dconn.Close(ctx)
	require.NoError(t, dconn.QueryRow(ctx, "SELECT current_database()").Scan(&wantDB))
	require.Equal(t, wantDB, db)

	// The process id in the pooler's BackendKeyData is its own, not the
	// server's: what atlasmig uses to tell a pooler from a direct connection.
	var pid uint32
	require.NoError(t, conn.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&pid))
	require.NotEqual(t, conn.PgConn().PID(), pid)
	require.NoError(t, dconn.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&pid))
	require.Equal(t, dconn.PgConn().PID(), pid)
}

// While one client holds a transaction open, another client's transaction
// runs on another server connection: the pooler multiplexes transactions,
// not sessions.
func TestTransactionsOfOneClientMayChangeServerConnection(t *testing.T) {
	t.Parallel()
	_, pooled := start(t)
	ctx := t.Context()
	connect := func() *pgx.Conn {
		c, err := pgx.Connect(ctx, pooled+"&default_query_exec_mode=exec")
		require.NoError(t, err)
		t.Cleanup(func() { c.Close(ctx) })
		return c
	}
	a, b := connect(), connect()
	var pidA1, pidB, pidA2 uint32
	require.NoError(t, a.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&pidA1))
	// b takes the server connection a just used, and keeps it.
	tx, err := b.Begin(ctx)
	require.NoError(t, err)
	require.NoError(t, tx.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&pidB))
	require.NoError(t, a.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&pidA2))
	require.NoError(t, tx.Rollback(ctx))
	require.Equal(t, pidA1, pidB, "the idle server connection is reused")
	require.NotEqual(t, pidB, pidA2, "a's next transaction runs elsewhere")
}

func TestStopRemovesTheDirectoryAndIsIdempotent(t *testing.T) {
	t.Parallel()
	b, err := pgbouncer.Start(t.Context(), stackdbtest.EmptyURL(t))
	require.NoError(t, err)
	dir := filepath.Dir(b.ConfigFile())
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() { defer wg.Done(); require.NoError(t, b.Stop()) }()
	}
	wg.Wait()
	_, err = os.Stat(dir)
	require.ErrorIs(t, err, os.ErrNotExist)
}

// A server reached over its unix socket without a password (as a
// TEST_DATABASE_URL may be): the pooler trusts its clients as the server
// trusts it.
func TestStartWithASocketURLWithoutPassword(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	c, err := pgcluster.Start(ctx)
	if errors.Is(err, pgcluster.ErrNoBinaries) {
		t.Skip(err)
	}
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, c.Stop()) })
	tcp, err := url.Parse(c.URL("postgres"))
	require.NoError(t, err)
	b, err := pgbouncer.Start(ctx, "postgres://postgres@/postgres?host="+url.QueryEscape(c.Dir())+"&port="+tcp.Port())
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, b.Stop()) })
	require.NotContains(t, b.URL("postgres"), "host=")
	require.NotContains(t, b.URL("postgres"), "port=")
	conn, err := pgx.Connect(ctx, b.URL("postgres")+"&default_query_exec_mode=exec")
	require.NoError(t, err)
	defer conn.Close(ctx)
	var one int
	require.NoError(t, conn.QueryRow(ctx, "SELECT 1").Scan(&one))
	require.Equal(t, 1, one)
}

func TestStartRefusesAURLWithoutUserOrHost(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"postgres://127.0.0.1:5432/db", "postgres://u:p@/db", "::"} {
		_, err := pgbouncer.Start(t.Context(), u)
		require.ErrorContains(t, err, "pgbouncer: want a server URL", u)
	}
}

func TestStartWithAPoolSize(t *testing.T) {
	t.Parallel()
	b, err := pgbouncer.StartWith(t.Context(), stackdbtest.EmptyURL(t), pgbouncer.Options{PoolSize: 12})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, b.Stop()) })
	ini, err := os.ReadFile(b.ConfigFile())
	require.NoError(t, err)
	require.Contains(t, string(ini), "\ndefault_pool_size = 12\n")

	_, err = pgbouncer.StartWith(t.Context(), "postgres://u:p@127.0.0.1:1/db", pgbouncer.Options{PoolSize: -1})
	require.ErrorContains(t, err, "pgbouncer: pool size -1")
}

func TestVersion(t *testing.T) {
	t.Parallel()
	v, err := pgbouncer.Version(t.Context())
	require.NoError(t, err)
	require.Regexp(t, `^PgBouncer \d+\.\d+`, v)
}
