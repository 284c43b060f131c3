package stackdb_test

import (
	"encoding/json"
	"net"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/schema"
	"github.com/deploystack/stackdb/stackdbtest"
)

func TestStatus(t *testing.T) {
	t.Parallel()
	dir, err := schema.Dir()
	require.NoError(t, err)
	files, err := dir.Files()
	require.NoError(t, err)
	last := files[len(files)-1].Version()

	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := "postgres://app:hunter2hunter2@" + l.Addr().String() + "/app?sslmode=disable"
	require.NoError(t, l.Close())

	tests := []struct {
		name                            string
		url                             func(testing.TB) string
		configured, reachable, migrated bool
		current                         string
		pending                         int
	}{
		{name: "migrated", url: stackdbtest.URL, configured: true, reachable: true, migrated: true, current: last},
		{name: "empty", url: stackdbtest.EmptyURL, configured: true, reachable: true, pending: len(files)},
		{name: "unreachable", url: func(testing.TB) string { return closed }, configured: true},
		{name: "not configured", url: func(testing.TB) string { return "" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			st, err := stackdb.Status(t.Context(), tc.url(t))
			require.NoError(t, err, "every state of the database is a report")
			require.Equal(t, tc.configured, st.Configured)
			require.Equal(t, tc.reachable, st.Reachable)
			require.Equal(t, tc.migrated, st.Migrated)
			require.Equal(t, tc.migrated, st.Ready())
			require.Equal(t, tc.current, st.CurrentVersion)
			require.Equal(t, tc.pending, st.Pending)
			require.Len(t, st.PendingFiles, tc.pending)
			require.Nil(t, st.LastError)
			require.Equal(t, tc.configured && !tc.reachable, st.Error != "", "Error: %s", st.Error)
			b, err := json.Marshal(st)
			require.NoError(t, err)
			require.NotContains(t, string(b), "hunter2")
		})
	}
}
