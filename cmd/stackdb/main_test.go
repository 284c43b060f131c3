package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/stackdbtest"
)

func TestMain(m *testing.M) { stackdbtest.Main(m) }

// run executes the stackdb command line in-process against the repository's
// atlas.hcl (or project, when given).
func run(t *testing.T, project string, args ...string) (string, error) {
	t.Helper()
	if project == "" {
		project = filepath.Join("..", "..", "atlas.hcl")
	}
	cmd := newRootCmd()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(append([]string{"--config", project}, args...))
	err := execute(context.Background(), cmd)
	return out.String(), err
}

func TestMigrateApplyStatus(t *testing.T) {
	t.Parallel()
	url := stackdbtest.EmptyURL(t)

	out, err := run(t, "", "migrate", "status", "--url", url)
	require.NoError(t, err)
	require.Contains(t, out, "Current version:  (none)")

	out, err = run(t, "", "migrate", "apply", "--url", url, "--dry-run")
	require.NoError(t, err)
	require.Contains(t, out, "CREATE TABLE \"users\"")
	require.Contains(t, out, "nothing was changed")

	out, err = run(t, "", "migrate", "apply", "--url", url)
	require.NoError(t, err)
	require.Regexp(t, `Applied \d+ file\(s\); the database is at version \d{14}\.`, out)

	out, err = run(t, "", "migrate", "apply", "--url", url)
	require.NoError(t, err)
	require.Contains(t, out, "No pending migrations")

	out, err = run(t, "", "migrate", "status", "--url", url)
	require.NoError(t, err)
	require.Contains(t, out, "Pending:          0")
}

func TestMigrateApplyRefusesTamperedFile(t *testing.T) {
	t.Parallel()
	project := copyProject(t)
	files, err := filepath.Glob(filepath.Join(filepath.Dir(project), "schema", "migrations", "*.sql"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	f, err := os.OpenFile(files[0], os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString("DROP TABLE users;\n")
	require.NoError(t, err)
	require.NoError(t, f.Close())

	_, err = run(t, project, "migrate", "apply", "--url", stackdbtest.EmptyURL(t))
	require.ErrorContains(t, err, filepath.Base(files[0])+" was edited")

	_, err = run(t, project, "migrate", "hash")
	require.NoError(t, err)
	_, err = run(t, project, "migrate", "validate", "--dev-url", stackdbtest.EmptyURL(t))
	require.ErrorContains(t, err, "statement: DROP TABLE users", "after re-hashing, replay finds the broken statement")
}

func TestMigrateDiffInSync(t *testing.T) {
	t.Parallel()
	out, err := run(t, "", "migrate", "diff", "--check", "--dev-url", stackdbtest.EmptyURL(t))
	require.NoError(t, err, "--check needs no NAME")
	require.Contains(t, out, "in sync")

	_, err = run(t, "", "migrate", "diff", "--dev-url", stackdbtest.EmptyURL(t))
	require.EqualError(t, err, "migrate diff: NAME is required (the new file's name, e.g. add_user_nickname), unless --check")
}

func TestDevRunsCommandWithURL(t *testing.T) {
	t.Parallel()
	out, err := run(t, "", "dev", "--", "sh", "-c", `psql "$DATABASE_URL" -Atc "SELECT count(*) > 0 FROM atlas_schema_revisions.atlas_schema_revisions" || echo "$DATABASE_URL"`)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Equal(t, "t", lines[len(lines)-1], "the command sees a migrated database")

	for _, tc := range []struct {
		script string
		code   int
	}{
		{"exit 1", 1},
		{"exit 7", 7},
		{"kill -TERM $$", 128 + 15},
	} {
		_, err = run(t, "", "dev", "--empty", "--", "sh", "-c", tc.script)
		var exit *exitError
		require.ErrorAs(t, err, &exit, tc.script)
		require.Equal(t, tc.code, exit.code, "stackdb exits with the command's status: %s", tc.script)
		var stderr bytes.Buffer
		require.Equal(t, tc.code, exitCode(&stderr, err))
		require.Contains(t, stderr.String(), "stackdb: dev: sh: ")
	}
}

// copyProject copies atlas.hcl and schema/ into a temporary directory.
func copyProject(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	require.NoError(t, os.CopyFS(filepath.Join(dst, "schema"), os.DirFS(filepath.Join("..", "..", "schema"))))
	b, err := os.ReadFile(filepath.Join("..", "..", "atlas.hcl"))
	require.NoError(t, err)
	project := filepath.Join(dst, "atlas.hcl")
	require.NoError(t, os.WriteFile(project, b, 0o644))
	return project
}
