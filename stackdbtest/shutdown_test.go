package stackdbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/dbpool"
)

// Under Main the fillers keep clones ready; at shutdown the ones no test
// received are dropped, with any a filler was still making. The test runs a
// second testServer on the shared server, connected as a role of its own, so
// the databases it made are told from the shared ones by their owner.
func TestShutdownDropsUnusedClones(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	shared := server(t)
	role, password := randomHex(), randomHex()
	ident := pgx.Identifier{"stackdbtest_" + role}.Sanitize()
	if _, err := shared.admin.Exec(ctx, "CREATE ROLE "+ident+" LOGIN CREATEDB PASSWORD '"+password+"'"); err != nil {
		t.Skipf("the test server's user cannot create a role: %v", err)
	}
	owned := func() []string {
		rows, err := shared.admin.Query(ctx, `SELECT datname FROM pg_database
WHERE datdba = (SELECT oid FROM pg_roles WHERE rolname = $1) ORDER BY datname`, "stackdbtest_"+role)
		require.NoError(t, err)
		names, err := pgx.CollectRows(rows, pgx.RowTo[string])
		require.NoError(t, err)
		return names
	}
	t.Cleanup(func() {
		for _, name := range owned() { // left only when the test failed
			_ = shared.dropDB(ctx, name)
		}
		_, err := shared.admin.Exec(ctx, "DROP ROLE "+ident)
		require.NoError(t, err)
	})

	u := *shared.adminURL
	u.User = url.UserPassword("stackdbtest_"+role, password)
	s := &testServer{prefetch: true, adminURL: &u, strategy: shared.strategy}
	s.startOnce.Do(func() {}) // started: the shared server, as the new role
	var err error
	s.admin, err = dbpool.Open(ctx, u.String())
	require.NoError(t, err)
	shutDown := false
	t.Cleanup(func() {
		if !shutDown {
			_ = s.shutdown(false)
		}
	})
	_, err = s.ready()
	require.NoError(t, err)
	require.NotNil(t, s.clones, "prefetching")

	require.Eventually(t, func() bool { return len(s.clones) == cap(s.clones) },
		time.Minute, 5*time.Millisecond, "the fillers fill the queue of ready clones")
	require.GreaterOrEqual(t, len(owned()), prefetchDepth, "the ready clones exist")

	shutDown = true
	require.NoError(t, s.shutdown(false))
	require.Empty(t, owned(), "no clone outlives the test binary's shutdown")
	_, err = s.clone(ctx)
	require.ErrorContains(t, err, "shutting down")
}

func randomHex() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
