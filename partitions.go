package stackdb

import (
	"context"
	"fmt"

	"github.com/deploystack/stackdb/internal/partition"
)

// PartitionOptions configure MaintainPartitions: which tables (default
// PartitionTables), how many days ahead (default 7), and the clock.
type PartitionOptions = partition.Options

// PartitionReport says which partitions a MaintainPartitions run created
// and dropped, and how many rows it moved out of a DEFAULT partition.
type PartitionReport = partition.Report

// PartitionTable is a time-partitioned table and its retention.
type PartitionTable = partition.Table

// PartitionSpan is what one partition of a table holds: a UTC day
// (PartitionDaily, the zero value) or a UTC month (PartitionMonthly).
type PartitionSpan = partition.Span

// The partition spans.
const (
	PartitionDaily   = partition.Daily
	PartitionMonthly = partition.Monthly
)

// PartitionTables are the time-partitioned tables with their partition
// span and default retention: satellite_heartbeats (daily, 7 days),
// mcp_client_activity_metrics (daily, 3 days), satellite_usage_logs,
// mcp_server_logs and mcp_request_logs (daily, kept), audit_logs (monthly,
// 365 days).
var PartitionTables = partition.Tables

// MaintainPartitions creates today's and the coming days' partitions of the
// time-partitioned tables and drops those past retention (DROP TABLE rather
// than DELETE), in one transaction under an advisory lock: run it at
// start-up and daily from every instance; the runs serialise and the later
// ones find nothing to do. Rows of a day without a partition land in the
// table's DEFAULT partition and are moved into the day's partition when it
// is created. db is a pool or a connection (through PgBouncer too: the lock
// is the transaction's).
func MaintainPartitions(ctx context.Context, db TxStarter, opts PartitionOptions) (*PartitionReport, error) {
	rep, err := partition.Maintain(ctx, db, opts)
	if err != nil {
		return nil, fmt.Errorf("stackdb: %w", err) // partition's errors start with "partition:"
	}
	return rep, nil
}
