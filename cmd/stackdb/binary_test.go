package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/stackdbtest"
)

// buildStackdb builds the command into dir, as a user would install it.
func buildStackdb(t *testing.T, dir string, env ...string) string {
	t.Helper()
	bin := filepath.Join(dir, "stackdb")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), env...)
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

// cleanEnv is the process environment without any database setting, so a
// test decides exactly which database the binary is told about.
func cleanEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if k == "DATABASE_URL" || k == "DEV_DATABASE_URL" || k == stackdbtest.EnvURL || strings.HasPrefix(k, "POSTGRES_") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, extra...)
}

// runBinary runs bin in dir and returns its stdout, stderr and exit code.
func runBinary(t *testing.T, bin, dir string, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir, cmd.Env = dir, env
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return out.String(), errOut.String(), exit.ExitCode()
	}
	require.NoError(t, err)
	return out.String(), errOut.String(), 0
}

func dirEntries(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestBinary runs a built stackdb from an empty directory: it works there
// on the migrations embedded in it, and it never migrates a database nobody
// named.
func TestBinary(t *testing.T) {
	t.Parallel()
	bin := buildStackdb(t, t.TempDir())
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)

	t.Run("apply and status from an empty directory", func(t *testing.T) {
		t.Parallel()
		cwd, url := t.TempDir(), stackdbtest.EmptyURL(t)
		out, errOut, code := runBinary(t, bin, cwd, cleanEnv(), "migrate", "apply", "--url", url)
		require.Zero(t, code, errOut)
		require.Contains(t, errOut, "stackdb: using the migrations embedded in this binary (no atlas.hcl here)")
		require.Regexp(t, `Applied \d+ file\(s\); the database is at version \d{14}\.`, out)

		out, errOut, code = runBinary(t, bin, cwd, cleanEnv("DATABASE_URL="+url), "migrate", "status")
		require.Zero(t, code, errOut)
		require.Contains(t, errOut, "stackdb: using the migrations embedded in this binary")
		require.Contains(t, errOut, "stackdb: target database from DATABASE_URL: ")
		require.Contains(t, out, "Pending:          0")
		require.Empty(t, dirEntries(t, cwd), "nothing is written to the working directory")
	})

	t.Run("no target database", func(t *testing.T) {
		t.Parallel()
		cwd := t.TempDir()
		for _, args := range [][]string{{"migrate", "apply"}, {"migrate", "status"}, {"migrate", "apply", "--dry-run"}} {
			out, errOut, code := runBinary(t, bin, cwd, cleanEnv(), args...)
			require.NotZero(t, code, "%v", args)
			require.Equal(t, "stackdb: no target database: set DATABASE_URL or pass --url\n", errOut, "%v", args)
			require.Empty(t, out)
		}
		out, errOut, code := runBinary(t, bin, cwd, cleanEnv(), "import-sqlite", "--from", "legacy.db")
		require.NotZero(t, code)
		require.Equal(t, "stackdb: no target database: set DATABASE_URL or pass --to, or use --dry-run to try the file on a throwaway Postgres\n", errOut)
		require.Empty(t, out)
		out, errOut, code = runBinary(t, bin, cwd, cleanEnv(), "import-postgres", "--from", "postgres://u:secret-pw@127.0.0.1:1/x")
		require.NotZero(t, code)
		require.Equal(t, "stackdb: no target database: set DATABASE_URL or pass --to, or use --dry-run to try the import on a throwaway Postgres\n", errOut)
		require.Empty(t, out)
		require.Empty(t, dirEntries(t, cwd), "nothing was created")
	})

	t.Run("bad database settings are named", func(t *testing.T) {
		t.Parallel()
		cwd := t.TempDir()
		for _, tc := range []struct {
			env  []string
			args []string
			want string
		}{
			{
				env:  []string{"POSTGRES_PASSWORD=s3cret", "POSTGRES_USER=app"},
				args: []string{"migrate", "apply"},
				want: "stackdb: config: POSTGRES_USER, POSTGRES_PASSWORD set but POSTGRES_HOST is not: set POSTGRES_HOST too, or DATABASE_URL\n",
			},
			{
				env:  []string{"DATABASE_URL=postgres://app:s3cret@db:5432x/app"},
				args: []string{"migrate", "status"},
				want: "stackdb: config: DATABASE_URL: invalid database URL: invalid port \":5432x\" after host\n",
			},
			{
				args: []string{"migrate", "apply", "--url", "postgres://app:s3/cret@db/app"},
				want: "stackdb: --url: invalid database URL: user information: a '/', '?' or '#' in the user name or password must be percent-encoded\n",
			},
		} {
			_, errOut, code := runBinary(t, bin, cwd, cleanEnv(tc.env...), tc.args...)
			require.NotZero(t, code)
			require.Equal(t, tc.want, errOut)
			require.NotContains(t, errOut, "s3cret")
		}
	})

	t.Run("project commands need the project files", func(t *testing.T) {
		t.Parallel()
		cwd := t.TempDir()
		for _, cmd := range []string{"diff", "hash", "validate"} {
			_, errOut, code := runBinary(t, bin, cwd, cleanEnv(), "migrate", cmd, "--check")
			if cmd != "diff" {
				_, errOut, code = runBinary(t, bin, cwd, cleanEnv(), "migrate", cmd)
			}
			require.NotZero(t, code)
			require.Equal(t, "stackdb: migrate "+cmd+" needs the project files: atlas.hcl not found; run it in the stackdb checkout or pass --config\n", errOut)
		}
	})

	t.Run("env ci without DEV_DATABASE_URL", func(t *testing.T) {
		t.Parallel()
		for _, cmd := range []string{"diff", "validate"} {
			args := []string{"--env", "ci", "migrate", cmd}
			if cmd == "diff" {
				args = append(args, "--check")
			}
			_, errOut, code := runBinary(t, bin, repo, cleanEnv(), args...)
			require.NotZero(t, code)
			require.Equal(t, `stackdb: config: env "ci": dev reads DEV_DATABASE_URL, which is not set; set it, or pass --dev-url`+"\n", errOut)
		}
	})

	t.Run("dev exits with the command's status", func(t *testing.T) {
		t.Parallel()
		_, errOut, code := runBinary(t, bin, t.TempDir(), cleanEnv(), "dev", "--empty", "--", "sh", "-c", "exit 7")
		require.Equal(t, 7, code, errOut)
		require.Equal(t, "stackdb: dev: sh: exit status 7\n", errOut)
	})
}

// A binary built without cgo says so before it starts anything, instead of
// failing at the first query with the SQLite driver's stub message.
func TestBinaryWithoutCgo(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the command without cgo (about 20 s with a cold cache)")
	}
	bin := buildStackdb(t, t.TempDir(), "CGO_ENABLED=0")
	cwd := t.TempDir()
	const want = "this stackdb was built without cgo; the SQLite driver needs it: rebuild with CGO_ENABLED=1 and a C compiler\n"
	for _, tc := range []struct {
		args   []string
		prefix string
	}{
		{[]string{"gen-legacy", "--out", "legacy.db"}, "stackdb: gen-legacy: "},
		{[]string{"import-sqlite", "--from", "legacy.db", "--dry-run"}, "stackdb: import-sqlite: "},
	} {
		_, errOut, code := runBinary(t, bin, cwd, cleanEnv(), tc.args...)
		require.NotZero(t, code)
		require.Equal(t, tc.prefix+want, errOut)
	}
	require.Empty(t, dirEntries(t, cwd), "no file was created")
}
