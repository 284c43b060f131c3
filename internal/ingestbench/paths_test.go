package ingestbench

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/stackdbtest"
)

// The server builds, for pgbench, the very processes a Go worker sends.
func TestProcessesQueryBuildsProcessesJSON(t *testing.T) {
	t.Parallel()
	pool := stackdbtest.Pool(t)
	lines := strings.Split(processesQuery, "\n")
	require.Equal(t, `\if :procs_ready = 0`, lines[0])
	require.Equal(t, `\gset`, lines[3])
	sql := strings.ReplaceAll(lines[1]+"\n"+lines[2], ":sid", "$1::int")
	for _, sat := range []string{"1", "7", "32"} {
		var got string
		require.NoError(t, pool.QueryRow(context.Background(), sql, sat).Scan(&got), sat)
		require.Equal(t, string(processesJSON(sat)), got, sat)
	}
}
