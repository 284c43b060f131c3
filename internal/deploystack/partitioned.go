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
}
