package pgcluster_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/pgcluster"
)

func TestChooseBaseDir(t *testing.T) {
	t.Parallel()
	const tmp = "/var/tmp/x"
	wd, err := os.Getwd()
	require.NoError(t, err)
	freeIs := func(n uint64) func(string) (uint64, error) {
		return func(dir string) (uint64, error) {
			require.Equal(t, pgcluster.ShmDir, dir)
			return n, nil
		}
	}
	statfsFails := func(string) (uint64, error) { return 0, errors.New("statfs: boom") }
	usable := func(string) error { return nil }
	only := func(ok string) func(string) error {
		return func(dir string) error {
			if dir == ok {
				return nil
			}
			return errors.New("not writable")
		}
	}
	for _, tc := range []struct {
		name     string
		explicit string
		free     func(string) (uint64, error)
		usable   func(string) error
		want     string
		wantErr  string
	}{
		{name: "shm with room", free: freeIs(pgcluster.MinShmFree), usable: usable, want: pgcluster.ShmDir},
		{name: "docker's 64 MB shm", free: freeIs(64 << 20), usable: usable, want: tmp},
		{name: "shm just short", free: freeIs(pgcluster.MinShmFree - 1), usable: usable, want: tmp},
		{name: "statfs fails", free: statfsFails, usable: usable, want: tmp},
		{name: "shm not writable", free: freeIs(1 << 40), usable: only(tmp), want: tmp},
		{name: "variable wins over shm", explicit: "/srv/pg", free: freeIs(1 << 40), usable: usable, want: "/srv/pg"},
		{name: "variable made absolute", explicit: "rel", free: freeIs(1 << 40), usable: usable, want: filepath.Join(wd, "rel")},
		{name: "variable unusable", explicit: "/srv/pg", free: freeIs(1 << 40), usable: only(pgcluster.ShmDir),
			wantErr: "pgcluster: STACKDB_TMPDIR=/srv/pg: not writable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := pgcluster.ChooseBaseDir(tc.explicit, tmp, tc.free, tc.usable)
			if tc.wantErr != "" {
				require.EqualError(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestWritableDir(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	for _, tc := range []struct {
		name, path, wantErr string
	}{
		{"directory", dir, ""},
		{"missing", filepath.Join(dir, "missing"), "no such directory"},
		{"file", file, "not a directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := pgcluster.WritableDir(tc.path)
			if tc.wantErr == "" {
				require.NoError(t, err)
			} else {
				require.EqualError(t, err, tc.wantErr)
			}
		})
	}
}

func TestCheckTraversable(t *testing.T) {
	t.Parallel()
	// Someone else: neither the owner nor the group of the directories
	// this test makes.
	uid, gid := uint32(os.Geteuid()+54321), uint32(os.Getegid()+54321)
	for _, tc := range []struct {
		name string
		mode os.FileMode
		ok   bool
	}{
		{"private", 0o700, false},
		{"others may pass", 0o711, true},
		{"others may read but not pass", 0o744, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := traversableTempDir(t)
			inner := filepath.Join(dir, "inner")
			require.NoError(t, os.Mkdir(inner, tc.mode))
			require.NoError(t, os.Chmod(inner, tc.mode)) // regardless of umask
			err := pgcluster.CheckTraversable(inner, uid, gid)
			if tc.ok {
				require.NoError(t, err)
			} else {
				require.ErrorContains(t, err, fmt.Sprintf("%s (mode %04o) does not let uid %d", inner, tc.mode, uid))
			}
		})
	}
}

// TestStartInVariableDir starts a cluster under STACKDB_TMPDIR. It cannot
// run in parallel: it sets a variable of the process.
func TestStartInVariableDir(t *testing.T) {
	base := traversableTempDir(t)
	t.Setenv(pgcluster.EnvBaseDir, base)
	ctx := context.Background()
	c, err := pgcluster.Start(ctx)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Stop() })
	require.Equal(t, base, filepath.Dir(c.Dir()))

	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	require.NoError(t, err)
	var dataDir string
	require.NoError(t, conn.QueryRow(ctx, "SELECT current_setting('data_directory')").Scan(&dataDir))
	require.NoError(t, conn.Close(ctx))
	require.Equal(t, filepath.Join(c.Dir(), "data"), dataDir)

	t.Setenv(pgcluster.EnvBaseDir, filepath.Join(base, "missing"))
	_, err = pgcluster.Start(ctx)
	require.EqualError(t, err, "pgcluster: STACKDB_TMPDIR="+filepath.Join(base, "missing")+": no such directory")
}

// traversableTempDir is a t.TempDir the server's user can pass through when
// the tests run as root: t.TempDir makes its directories 0700, so they are
// opened to others (o+x, no listing).
func traversableTempDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, d := range []string{dir, filepath.Dir(dir)} {
		require.NoError(t, os.Chmod(d, 0o711))
	}
	return dir
}

func TestStartRefusesTooLongBaseDir(t *testing.T) {
	t.Parallel()
	base := filepath.Join(traversableTempDir(t), strings.Repeat("d", 100))
	require.NoError(t, os.Mkdir(base, 0o711))
	require.NoError(t, os.Chmod(base, 0o711))
	_, err := pgcluster.StartIn(context.Background(), base)
	require.ErrorContains(t, err, "too long to hold the server's unix socket")
	require.ErrorContains(t, err, "set STACKDB_TMPDIR to a shorter directory")
	entries, err := os.ReadDir(base)
	require.NoError(t, err)
	require.Empty(t, entries, "nothing left behind")
}
