-- Modify "mcp_oauth_providers" table
ALTER TABLE "mcp_oauth_providers" ADD CONSTRAINT "mcp_oauth_providers_auth_server_patterns_is_array" CHECK (jsonb_typeof(auth_server_patterns) = 'array'::text);
-- Drop index "mcp_oauth_tokens_installation_user_team_idx" from table: "mcp_oauth_tokens"
DROP INDEX "mcp_oauth_tokens_installation_user_team_idx";
-- Create index "mcp_oauth_tokens_installation_user_team_idx" to table: "mcp_oauth_tokens"
CREATE UNIQUE INDEX "mcp_oauth_tokens_installation_user_team_idx" ON "mcp_oauth_tokens" ("installation_id", "user_id", "team_id");
-- Create index "mcp_oauth_tokens_expires_at_idx" to table: "mcp_oauth_tokens"
CREATE INDEX "mcp_oauth_tokens_expires_at_idx" ON "mcp_oauth_tokens" ("expires_at");
-- Drop index "mcp_request_logs_installation_created_idx" from table: "mcp_request_logs"
DROP INDEX "mcp_request_logs_installation_created_idx";
-- Create index "mcp_request_logs_installation_created_idx" to table: "mcp_request_logs"
CREATE INDEX "mcp_request_logs_installation_created_idx" ON "mcp_request_logs" ("installation_id", "created_at", "id");
-- Drop index "mcp_server_logs_installation_created_idx" from table: "mcp_server_logs"
DROP INDEX "mcp_server_logs_installation_created_idx";
-- Create index "mcp_server_logs_installation_created_idx" to table: "mcp_server_logs"
CREATE INDEX "mcp_server_logs_installation_created_idx" ON "mcp_server_logs" ("installation_id", "created_at", "id");
-- Modify "mcp_servers" table
ALTER TABLE "mcp_servers" ADD COLUMN "search" tsvector NOT NULL GENERATED ALWAYS AS ((setweight(to_tsvector('english'::regconfig, name), 'A'::"char") || setweight(to_tsvector('english'::regconfig, description), 'B'::"char")) || setweight(jsonb_to_tsvector('english'::regconfig, COALESCE(tags, '[]'::jsonb), '["string"]'::jsonb), 'C'::"char")) STORED;
-- Create index "mcp_servers_listing_idx" to table: "mcp_servers"
CREATE INDEX "mcp_servers_listing_idx" ON "mcp_servers" (((NOT featured)), "name", "id");
-- Create index "mcp_servers_search_idx" to table: "mcp_servers"
CREATE INDEX "mcp_servers_search_idx" ON "mcp_servers" USING gin ("search");
-- Drop index "mcp_tool_metadata_unique_installation_tool" from table: "mcp_tool_metadata"
DROP INDEX "mcp_tool_metadata_unique_installation_tool";
-- Create index "mcp_tool_metadata_unique_installation_tool" to table: "mcp_tool_metadata"
CREATE UNIQUE INDEX "mcp_tool_metadata_unique_installation_tool" ON "mcp_tool_metadata" ("installation_id", "tool_name");
-- Drop index "mcp_user_configs_unique_user_installation" from table: "mcp_user_configurations"
DROP INDEX "mcp_user_configs_unique_user_installation";
-- Create index "mcp_user_configs_unique_user_installation" to table: "mcp_user_configurations"
CREATE UNIQUE INDEX "mcp_user_configs_unique_user_installation" ON "mcp_user_configurations" ("installation_id", "user_id");
