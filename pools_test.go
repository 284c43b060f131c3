package stackdb_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/gen/dbsqlc"
	"github.com/deploystack/stackdb/internal/pgcluster"
	"github.com/deploystack/stackdb/stackdbtest"
)

// A primary with a real streaming replica (pg_basebackup -R, a second
// postgres): a write on the primary is read on the replica once it has
// replayed the primary's WAL position, and a write on the replica is refused.
// It needs the local server binaries, even with TEST_DATABASE_URL set.
func TestPoolsReadYourWritesOnAStreamingReplica(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	primary, err := pgcluster.Start(ctx)
	if errors.Is(err, pgcluster.ErrNoBinaries) {
		t.Skip("a replica needs the local PostgreSQL server binaries:", err)
	}
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, primary.Stop()) })
	require.NoError(t, stackdb.Migrate(ctx, primary.URL("postgres")))
	replica, err := primary.StartReplica(ctx)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, replica.Stop()) })

	pools, err := stackdb.OpenPools(ctx, primary.URL("postgres"), replica.URL("postgres"))
	require.NoError(t, err)
	t.Cleanup(pools.Close)
	require.Same(t, pools.Replicas[0], pools.Reader())
	require.Same(t, pools.Replicas[0], pools.Reader(), "one replica: always it")

	// Written on the primary after the backup: it reaches the replica by
	// streaming only.
	userID := createUser(t, pools.Primary)
	expires := time.Now().Add(time.Hour).UTC().Truncate(time.Microsecond)
	_, err = stackdb.New(pools.Primary).SessionInsert(ctx, dbsqlc.SessionInsertParams{ID: "sess_replicated", UserID: userID, ExpiresAt: expires})
	require.NoError(t, err)
	lsn, err := pools.WriteLSN(ctx)
	require.NoError(t, err)
	require.NoError(t, pools.WaitForReplay(ctx, pools.Reader(), lsn))
	got, err := stackdb.New(pools.Reader()).SessionGetValidByID(ctx, "sess_replicated")
	require.NoError(t, err)
	require.Equal(t, userID, got.User.ID)
	require.True(t, expires.Equal(got.Session.ExpiresAt))

	// The replica refuses writes: a clear error, SQLSTATE 25006.
	_, err = stackdb.New(pools.Reader()).SessionInsert(ctx, dbsqlc.SessionInsertParams{ID: "sess_on_replica", UserID: userID, ExpiresAt: expires})
	var pgErr *pgconn.PgError
	require.ErrorAs(t, err, &pgErr)
	require.Equal(t, pgerrcode.ReadOnlySQLTransaction, pgErr.Code)
	require.Contains(t, pgErr.Message, "read-only transaction")

	// The primary has nothing to wait for; a position the replica never
	// reaches ends with the context, saying where the replica is.
	require.NoError(t, pools.WaitForReplay(ctx, pools.Primary, lsn))
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond) // long enough for one answer on a busy machine
	defer cancel()
	err = pools.WaitForReplay(short, pools.Reader(), "FF/0")
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.ErrorContains(t, err, "the replica replayed 0/")
}

// With no replica, reads go to the primary; a replica that cannot be opened
// fails the whole call, naming which one.
func TestOpenPools(t *testing.T) {
	t.Parallel()
	ctx, url := t.Context(), stackdbtest.URL(t)
	pools, err := stackdb.OpenPools(ctx, url)
	require.NoError(t, err)
	t.Cleanup(pools.Close)
	require.Same(t, pools.Primary, pools.Reader())

	two, err := stackdb.OpenPools(ctx, url, url, url)
	require.NoError(t, err)
	t.Cleanup(two.Close)
	require.NotSame(t, two.Reader(), two.Reader(), "round robin")

	for _, tc := range []struct {
		name     string
		primary  string
		replicas []string
		want     string
	}{
		{"empty primary", "", nil, "stackdb: open pools: primary: "},
		{"empty second replica", url, []string{url, ""}, "stackdb: open pools: replica 2: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := stackdb.OpenPools(ctx, tc.primary, tc.replicas...)
			require.ErrorContains(t, err, tc.want)
		})
	}
}
