package dbinfo_test

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"testing"

	"ariga.io/atlas/sql/migrate"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/atlasmig"
	"github.com/deploystack/stackdb/internal/dbinfo"
	"github.com/deploystack/stackdb/schema"
	"github.com/deploystack/stackdb/stackdbtest"
)

func TestMain(m *testing.M) { stackdbtest.Main(m) }

// embedded is the migration directory stackdbtest's databases are built from.
func embedded(t *testing.T) migrate.Dir {
	t.Helper()
	dir, err := schema.Dir()
	require.NoError(t, err)
	return dir
}

func fileNames(t *testing.T, dir migrate.Dir) []string {
	t.Helper()
	files, err := dir.Files()
	require.NoError(t, err)
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = f.Name()
	}
	return names
}

// closedPortURL is a URL with a password whose port nothing listens on.
func closedPortURL(t *testing.T, password string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return "postgres://app:" + password + "@" + addr + "/app?sslmode=disable&connect_timeout=5"
}

// failingDir is a directory whose second file fails, applied to a fresh
// database: the first file is applied, the second recorded as failed.
func failingDir(t *testing.T) (url string, dir migrate.Dir) {
	t.Helper()
	path := t.TempDir()
	files := map[string]string{
		"20250101000000_create_a.sql": "CREATE TABLE a (id int PRIMARY KEY);\n",
		"20250102000000_broken.sql":   "CREATE TABLE b (id int);\nINSERT INTO missing VALUES (1);\n",
		"20250103000000_create_c.sql": "CREATE TABLE c (id int);\n",
	}
	for name, content := range files {
		require.NoError(t, os.WriteFile(filepath.Join(path, name), []byte(content), 0o644))
	}
	local, err := atlasmig.OpenDir(path)
	require.NoError(t, err)
	require.NoError(t, atlasmig.WriteSum(local))
	url = stackdbtest.EmptyURL(t)
	_, err = atlasmig.Apply(context.Background(), url, local, atlasmig.ApplyOptions{})
	var aerr *atlasmig.ApplyError
	require.ErrorAs(t, err, &aerr)
	return url, local
}

func TestCheckStatus(t *testing.T) {
	t.Parallel()
	const password = "s3cret-Pa55"
	pending := fileNames(t, embedded(t))
	require.NotEmpty(t, pending)

	tests := []struct {
		name  string
		setup func(t *testing.T) (string, migrate.Dir)
		want  dbinfo.Status
		check func(t *testing.T, st *dbinfo.Status)
	}{
		{
			name:  "migrated",
			setup: func(t *testing.T) (string, migrate.Dir) { return stackdbtest.URL(t), embedded(t) },
			want: dbinfo.Status{Configured: true, Reachable: true, Migrated: true,
				CurrentVersion: pending[len(pending)-1][:14], Applied: len(pending), PendingFiles: []string{}},
		},
		{
			name:  "empty database",
			setup: func(t *testing.T) (string, migrate.Dir) { return stackdbtest.EmptyURL(t), embedded(t) },
			want: dbinfo.Status{Configured: true, Reachable: true, Migrated: false,
				Pending: len(pending), PendingFiles: pending},
		},
		{
			name:  "not configured",
			setup: func(t *testing.T) (string, migrate.Dir) { return "", embedded(t) },
			want:  dbinfo.Status{PendingFiles: []string{}},
		},
		{
			name:  "unreachable",
			setup: func(t *testing.T) (string, migrate.Dir) { return closedPortURL(t, password), embedded(t) },
			check: func(t *testing.T, st *dbinfo.Status) {
				require.True(t, st.Configured)
				require.False(t, st.Reachable)
				require.False(t, st.Migrated)
				require.False(t, st.Ready())
				require.Contains(t, st.Error, "connection refused")
				b, err := json.Marshal(st)
				require.NoError(t, err)
				require.NotContains(t, string(b), password)
			},
		},
		{
			name: "malformed URL",
			setup: func(t *testing.T) (string, migrate.Dir) {
				return "postgres://app:" + password + "@host:99999/db", embedded(t)
			},
			check: func(t *testing.T, st *dbinfo.Status) {
				require.True(t, st.Configured)
				require.False(t, st.Reachable)
				require.Contains(t, st.Error, `port "99999"`)
				require.NotContains(t, st.Error, password)
			},
		},
		{
			name: "objects but no revisions",
			setup: func(t *testing.T) (string, migrate.Dir) {
				url := stackdbtest.EmptyURL(t)
				conn, err := pgx.Connect(context.Background(), url)
				require.NoError(t, err)
				defer conn.Close(context.Background())
				_, err = conn.Exec(context.Background(), "CREATE TABLE legacy (id int)")
				require.NoError(t, err)
				return url, embedded(t)
			},
			check: func(t *testing.T, st *dbinfo.Status) {
				require.True(t, st.Reachable)
				require.False(t, st.Migrated)
				require.NotEmpty(t, st.NotClean)
				require.Empty(t, st.Error)
			},
		},
		{
			name:  "failed migration",
			setup: failingDir,
			want: dbinfo.Status{Configured: true, Reachable: true, Migrated: false,
				CurrentVersion: "20250101000000", Applied: 1, Pending: 2, // the failed file is pending, not applied
				PendingFiles: []string{"20250102000000_broken.sql", "20250103000000_create_c.sql"},
				LastError: &dbinfo.MigrationError{Version: "20250102000000", Description: "broken",
					Error: `ERROR: relation "missing" does not exist (SQLSTATE 42P01)`, Statement: "INSERT INTO missing VALUES (1);"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			url, dir := tc.setup(t)
			st, err := dbinfo.CheckStatus(context.Background(), url, dir)
			require.NoError(t, err)
			if tc.check != nil {
				tc.check(t, st)
			}
			if tc.want.Configured || tc.check == nil {
				require.Equal(t, tc.want, *st)
				require.Equal(t, tc.want.Configured && tc.want.Reachable && tc.want.Migrated, st.Ready())
			}
		})
	}
}

func TestCheckStatusRefusesTamperedDir(t *testing.T) {
	t.Parallel()
	dir := &migrate.MemDir{}
	require.NoError(t, dir.WriteFile("20250101000000_a.sql", []byte("CREATE TABLE a (id int);\n")))
	require.NoError(t, atlasmig.WriteSum(dir))
	require.NoError(t, dir.WriteFile("20250101000000_a.sql", []byte("DROP TABLE a;\n")))

	_, err := dbinfo.CheckStatus(context.Background(), "", dir)
	var cerr *atlasmig.ChecksumError
	require.ErrorAs(t, err, &cerr, "a broken directory is the program's fault: an error, not a report")
}

func TestStatusJSON(t *testing.T) {
	t.Parallel()
	st, err := dbinfo.CheckStatus(context.Background(), stackdbtest.URL(t), embedded(t))
	require.NoError(t, err)
	b, err := json.Marshal(st)
	require.NoError(t, err)
	var fields map[string]any
	require.NoError(t, json.Unmarshal(b, &fields))
	for _, k := range []string{"configured", "reachable", "migrated", "current_version", "applied", "pending", "pending_files", "last_error"} {
		require.Contains(t, fields, k)
	}
	require.NotContains(t, fields, "error", "omitted when empty")
	var back dbinfo.Status
	require.NoError(t, json.Unmarshal(b, &back))
	require.Equal(t, *st, back)
}
