package pgcluster_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/pgcluster"
)

func TestStartServeStop(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, err := pgcluster.Start(ctx)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Stop() })

	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	require.NoError(t, err)
	var fsync, dataDir string
	require.NoError(t, conn.QueryRow(ctx, "SELECT current_setting('fsync'), current_setting('data_directory')").Scan(&fsync, &dataDir))
	require.Equal(t, "off", fsync, "tuned for throwaway use")
	require.NoError(t, conn.Close(ctx))
	_, err = os.Stat(dataDir)
	require.NoError(t, err)

	require.NoError(t, c.Stop())
	_, err = os.Stat(filepath.Dir(dataDir))
	require.ErrorIs(t, err, os.ErrNotExist, "Stop removes the cluster's directory")
	_, err = pgx.Connect(ctx, c.URL("postgres"))
	require.Error(t, err, "the server is gone")
	require.NoError(t, c.Stop(), "Stop is idempotent")
}

func TestTwoClustersAreIndependent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, err := pgcluster.Start(ctx)
	require.NoError(t, err)
	t.Cleanup(func() { _ = a.Stop() })
	b, err := pgcluster.Start(ctx)
	require.NoError(t, err)
	t.Cleanup(func() { _ = b.Stop() })
	require.NotEqual(t, a.URL("postgres"), b.URL("postgres"))
}

func TestFindBinDir(t *testing.T) {
	t.Parallel()
	dir, err := pgcluster.FindBinDir()
	require.NoError(t, err)
	for _, bin := range []string{"initdb", "postgres"} {
		_, err := os.Stat(filepath.Join(dir, bin))
		require.NoError(t, err)
	}
	require.Contains(t, pgcluster.ErrNoBinaries.Error(), "apt-get install postgresql", "the error says what to install")
}
