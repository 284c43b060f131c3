package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/dbinfo"
	"github.com/deploystack/stackdb/schema"
	"github.com/deploystack/stackdb/stackdbtest"
)

// runNoConfig runs the command line without --config, from this package's
// directory, which has no atlas.hcl: as a built binary run elsewhere.
func runNoConfig(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := newRootCmd()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(context.Background())
	return out.String(), err
}

func TestStatusCommand(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := "postgres://app:hunter2hunter2@" + l.Addr().String() + "/app?sslmode=disable"
	require.NoError(t, l.Close())
	// An empty database has every migration pending, the first one among them.
	dir, err := schema.Dir()
	require.NoError(t, err)
	files, err := dir.Files()
	require.NoError(t, err)
	require.NotEmpty(t, files)
	first := files[0].Name()

	tests := []struct {
		name    string
		url     func(testing.TB) string
		wantErr string
		want    []string
	}{
		{name: "migrated", url: stackdbtest.URL, want: []string{"Reachable:        yes", "Migrated:         yes", "Pending:          0"}},
		{name: "empty", url: stackdbtest.EmptyURL, wantErr: "migration(s) pending", want: []string{"Migrated:         no", "Current version:  (none)", first}},
		{name: "unreachable", url: func(testing.TB) string { return closed }, wantErr: "unreachable", want: []string{"Reachable:   no", "connection refused", "app:xxxxx@"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			url := tc.url(t)
			out, err := run(t, "", "status", "--url", url)
			if tc.wantErr == "" {
				require.NoError(t, err, out)
			} else {
				require.ErrorContains(t, err, tc.wantErr)
			}
			require.Contains(t, out, "Migrations:")
			for _, w := range tc.want {
				require.Contains(t, out, w)
			}
			require.NotContains(t, out, "hunter2")

			out, jerr := run(t, "", "status", "--json", "--url", url)
			require.Equal(t, err == nil, jerr == nil, "--json exits as the text report does")
			var st dbinfo.Status
			require.NoError(t, json.Unmarshal([]byte(out), &st), out)
			require.True(t, st.Configured)
			require.Equal(t, tc.wantErr == "", st.Ready())
			require.NotContains(t, out, "hunter2")
		})
	}
}

func TestStatusCommandEmbeddedDir(t *testing.T) {
	t.Parallel()
	out, err := runNoConfig(t, "status", "--url", stackdbtest.URL(t))
	require.NoError(t, err, out)
	require.Contains(t, out, "Migrations:       the migrations embedded in this binary")

	_, err = runNoConfig(t, "--config", "missing.hcl", "status", "--url", stackdbtest.URL(t))
	require.ErrorContains(t, err, "read project file", "a --config that names a missing file is an error")
}

// Not parallel: it clears the database variables of the process.
func TestStatusCommandNotConfigured(t *testing.T) {
	for _, v := range []string{"DATABASE_URL", "POSTGRES_HOST"} {
		t.Setenv(v, "")
	}
	out, err := run(t, "", "status")
	require.ErrorContains(t, err, "no database")
	require.Contains(t, out, "Configured:  no")

	out, err = run(t, "", "status", "--json")
	require.Error(t, err)
	var st dbinfo.Status
	require.NoError(t, json.Unmarshal([]byte(out), &st), out)
	require.False(t, st.Configured)

	_, err = run(t, "", "stats")
	require.ErrorContains(t, err, "no target database", "stats never starts a throwaway Postgres")
}
