-- Drop index "mcp_activity_unique_user_team_auth_satellite" from table: "mcp_client_activity"
DROP INDEX "mcp_activity_unique_user_team_auth_satellite";
-- Create index "mcp_activity_unique_user_team_auth_satellite" to table: "mcp_client_activity"
CREATE UNIQUE INDEX "mcp_activity_unique_user_team_auth_satellite" ON "mcp_client_activity" ("user_id", "team_id", "auth_identifier", "satellite_id");
-- Create index "mcp_activity_metrics_team_idx" to table: "mcp_client_activity_metrics"
CREATE INDEX "mcp_activity_metrics_team_idx" ON "mcp_client_activity_metrics" ("team_id", "bucket_interval", "bucket_timestamp");
-- Create index "satellite_commands_pending_idx" to table: "satellite_commands"
CREATE INDEX "satellite_commands_pending_idx" ON "satellite_commands" ("satellite_id", "priority", "created_at", "id") WHERE (status = 'pending'::command_status);
-- Modify "satellites" table
ALTER TABLE "satellites" ADD COLUMN "api_key_prefix" text NULL;
-- Create index "satellites_api_key_prefix_key" to table: "satellites"
CREATE UNIQUE INDEX "satellites_api_key_prefix_key" ON "satellites" ("api_key_prefix");
