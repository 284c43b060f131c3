package deploystack

// Partition is a table stackdb partitions by range of Key, whose primary
// key therefore is DeployStack's followed by Key: Postgres requires a
// partitioned table's unique keys to hold its partition key.
type Partition struct {
	Table, Key, Reason string
}

// Partitioned is the one reviewable list of partitioned tables and their
// primary-key deviation, one line each, append-only. TestRealKeys expects
// the real primary key plus Key on them; TestPartitionedListed fails on a
// partitioned table not listed here. Ids stay unique in practice (the
// application generates them), but Postgres no longer enforces it across
// days.
var Partitioned = []Partition{
	{Table: "satellite_heartbeats", Key: "timestamp", Reason: "the heartbeat stream, daily partitions: a day past retention is a DROP TABLE, not a DELETE; PK (id, timestamp)"},
	{Table: "satellite_usage_logs", Key: "timestamp", Reason: "a log row per tool call, read by [since, until) windows that prune to their days; PK (id, timestamp)"},
	{Table: "mcp_client_activity_metrics", Key: "bucket_timestamp", Reason: "15-minute activity buckets kept 3 days (DeployStack's cleanup cutoff): a day past it is a DROP TABLE; PK (id, bucket_timestamp)"},
	{Table: "mcp_server_logs", Key: "created_at", Reason: "an installation's server log stream, read newest first by installation; PK (id, created_at)"},
	{Table: "mcp_request_logs", Key: "created_at", Reason: "a row per tool request, read newest first by installation; PK (id, created_at)"},
	{Table: "audit_logs", Key: "created_at", Reason: "stackdb's own audit log, monthly partitions: written slowly, kept a year, a month past retention is a DROP TABLE; PK (id, created_at)"},
}
