package main

import (
	"context"
	"encoding/json"
	"net/url"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/legacygen"
	"github.com/deploystack/stackdb/stackdbtest"
)

// pgSourceURL generates a small DeployStack installation in its Postgres
// layout and returns its URL and password.
func pgSourceURL(t *testing.T) (string, string) {
	t.Helper()
	src := stackdbtest.EmptyURL(t)
	_, err := legacygen.GeneratePostgres(context.Background(), src, legacygen.Options{Rows: legacygen.MinRows, Seed: 3})
	require.NoError(t, err)
	u, err := url.Parse(src)
	require.NoError(t, err)
	pw, ok := u.User.Password()
	require.True(t, ok && pw != "", "the test server's URL has a password")
	return src, pw
}

func TestImportPostgres(t *testing.T) {
	t.Parallel()
	from, pw := pgSourceURL(t)
	t.Run("json summary", func(t *testing.T) {
		t.Parallel()
		to := stackdbtest.URL(t)
		out, err := run(t, "", "import-postgres", "--from", from, "--to", to, "--json")
		require.NoError(t, err)
		require.NotContains(t, out, pw)
		var rep jsonReport
		require.NoError(t, json.Unmarshal([]byte(out), &rep))
		require.True(t, rep.Committed)
		require.Positive(t, rep.ImportedRows)
		require.Equal(t, rep.SourceRows, rep.ImportedRows)
		require.Len(t, rep.Tables, 43)
		for _, tbl := range rep.Tables {
			require.True(t, tbl.ChecksumOK, tbl.Legacy)
		}
		require.Positive(t, countUsers(t, to))

		// Into the same target again: refused, nothing changed.
		out, err = run(t, "", "import-postgres", "--from", from, "--to", to)
		require.ErrorContains(t, err, "already holds application data")
		require.NotContains(t, err.Error(), pw)
		require.NotContains(t, out, pw)
	})
	t.Run("text report and skip mode", func(t *testing.T) {
		t.Parallel()
		rejected := filepath.Join(t.TempDir(), "rejected.jsonl")
		out, err := run(t, "", "import-postgres", "--from", from, "--to", stackdbtest.URL(t), "--on-error=skip", "--rejected", rejected)
		require.NoError(t, err)
		require.Contains(t, out, "committed in")
		require.Contains(t, out, "authUser")
		require.NotContains(t, out, pw)
	})
	t.Run("dry run", func(t *testing.T) {
		t.Parallel()
		out, err := run(t, "", "import-postgres", "--from", from, "--dry-run")
		require.NoError(t, err)
		require.NotContains(t, out, pw)
		require.Contains(t, out, "dry run: the import would succeed")
	})
	t.Run("unreachable source", func(t *testing.T) {
		t.Parallel()
		out, err := run(t, "", "import-postgres", "--from", "postgres://u:pw-n0t-shown@127.0.0.1:1/x?connect_timeout=2", "--dry-run")
		require.ErrorContains(t, err, "unusable legacy source")
		require.NotContains(t, err.Error()+out, "pw-n0t-shown")
	})
}
