package main

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/partition"
	"github.com/deploystack/stackdb/stackdbtest"
)

func TestPartitionsCommand(t *testing.T) {
	t.Parallel()
	url := stackdbtest.URL(t)
	out, err := run(t, "", "partitions", "--json", "--ahead", "2", "--retention-days", "satellite_usage_logs=30", "--url", url)
	require.NoError(t, err, out)
	var rep partition.Report
	require.NoError(t, json.Unmarshal([]byte(out), &rep), out)
	want := 0
	for _, tb := range partition.Tables {
		months := map[string]bool{}
		for d := range 3 {
			months[tb.Partition(time.Now().AddDate(0, 0, d))] = true
		}
		want += len(months)
	}
	require.Len(t, rep.Created, want, "today and 2 days ahead, per table (audit_logs: their months)")

	out, err = run(t, "", "partitions", "--ahead", "2", "--url", url)
	require.NoError(t, err, out)
	require.Equal(t, "Partitions: 0 created, 0 dropped; 0 rows moved out of and 0 deleted from DEFAULT partitions.\n", out)
}

func TestPartitionsCommandRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown table", []string{"--retention-days", "users=3"}, "partitions: --retention-days: users is not a partitioned table"},
		{"negative retention", []string{"--retention-days", "satellite_heartbeats=-1"}, "satellite_heartbeats=-1, want 0"},
		{"no days ahead", []string{"--ahead", "0"}, "partitions: --ahead is 0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out, err := run(t, "", append([]string{"partitions"}, tc.args...)...)
			require.Error(t, err, out)
			require.ErrorContains(t, err, tc.want)
		})
	}
}
