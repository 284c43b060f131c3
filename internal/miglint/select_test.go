package miglint_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/atlasmig"
	"github.com/deploystack/stackdb/internal/miglint"
)

const (
	f1 = "20250101000000_a.sql"
	f2 = "20250102000000_b.sql"
	f3 = "20250103000000_c.sql"
)

// gitRepo makes a repository whose main branch has f1 and whose current
// branch adds f2 (committed) and f3 (not committed), and returns the path
// of its migration directory.
func gitRepo(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	path := filepath.Join(root, "schema", "migrations")
	require.NoError(t, os.MkdirAll(path, 0o755))
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com"}, args...)...)
		cmd.Dir = root
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, string(out))
	}
	write := func(name string) {
		t.Helper()
		require.NoError(t, os.WriteFile(filepath.Join(path, name), []byte("SELECT 1;\n"), 0o644))
	}
	git("init", "-q", "-b", "main")
	write(f1)
	git("add", ".")
	git("commit", "-qm", "one")
	git("checkout", "-qb", "feature")
	write(f2)
	git("add", ".")
	git("commit", "-qm", "two")
	write(f3)
	return path
}

func TestSelect(t *testing.T) {
	t.Parallel()
	path := gitRepo(t)
	dir, err := atlasmig.OpenDir(path)
	require.NoError(t, err)

	news, base, err := miglint.GitNew(context.Background(), dir, path, "main")
	require.NoError(t, err)
	require.Equal(t, []string{f2, f3}, news, "committed and uncommitted files of the branch")
	require.Len(t, base, 40)

	_, _, err = miglint.GitNew(context.Background(), dir, path, "origin/main")
	require.ErrorIs(t, err, miglint.ErrNoGitBase)
	_, _, err = miglint.GitNew(context.Background(), dir, t.TempDir(), "main")
	require.ErrorIs(t, err, miglint.ErrNoGitBase, "outside a repository")

	latest, err := miglint.Latest(dir, 2)
	require.NoError(t, err)
	require.Equal(t, []string{f2, f3}, latest)
	latest, err = miglint.Latest(dir, 10)
	require.NoError(t, err)
	require.Equal(t, []string{f1, f2, f3}, latest)

	after, err := miglint.After(dir, "20250101000000")
	require.NoError(t, err)
	require.Equal(t, []string{f2, f3}, after)
	_, err = miglint.After(dir, "1")
	require.ErrorContains(t, err, "no migration file has that version")
}
