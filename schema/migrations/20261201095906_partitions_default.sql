-- The time-partitioned tables' DEFAULT partitions (written by hand: Atlas
-- declares a partitioned table's key, not its partitions). A row whose day
-- has no partition yet lands here instead of failing; stackdb's partition
-- maintenance (stackdb partitions) creates the daily partitions ahead and
-- moves such rows into them. In a DO block so that sqlc, which reads these
-- files, makes no models of the partitions: queries name the parent.
DO $$
BEGIN
  CREATE TABLE "satellite_heartbeats_default" PARTITION OF "satellite_heartbeats" DEFAULT;
  CREATE TABLE "satellite_usage_logs_default" PARTITION OF "satellite_usage_logs" DEFAULT;
  CREATE TABLE "mcp_client_activity_metrics_default" PARTITION OF "mcp_client_activity_metrics" DEFAULT;
  CREATE TABLE "mcp_server_logs_default" PARTITION OF "mcp_server_logs" DEFAULT;
  CREATE TABLE "mcp_request_logs_default" PARTITION OF "mcp_request_logs" DEFAULT;
END
$$;
