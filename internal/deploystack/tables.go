// Package deploystack records DeployStack's real data model
// (deploystackio/deploystack, services/backend/src/db/schema-tables) and
// where each of its tables and columns lives in stackdb: the one place the
// real name → stackdb name mapping is written down. The importers read it.
// deploystack_test.go checks it against the facts in testdata/deploystack
// (every real table and column of both layouts has a home, and nothing
// else is mapped) and against the migrated schema (each home has the native
// type, nullability, default, value set and keys the facts imply; every
// stackdb column is a home or in Additions; every constraint DeployStack
// lacks is in StricterThanDeployStack).
package deploystack

// Table is one real table and its home.
type Table struct {
	Real    string   // DeployStack's name (authUser)
	Name    string   // stackdb's table (users)
	Columns []Column // every real column, in DeployStack's order
}

// Column is one real column and its home; Name is empty when the column
// keeps its real name.
type Column struct {
	Real string
	Name string
}

// Home returns the stackdb column name.
func (c Column) Home() string {
	if c.Name == "" {
		return c.Real
	}
	return c.Name
}

// Exclusion is a real column that has no column of its own in stackdb, and
// why nothing is lost.
type Exclusion struct {
	Table, Column, Reason string
}

// Excluded is the one reviewable list of real columns left out. It is empty:
// every real column has a home (satelliteUsageLogs.date_partition became a
// generated column derived from "timestamp", which the importers verify).
var Excluded = []Exclusion{}

// Lookup returns the table with the given real name.
func Lookup(real string) (Table, bool) {
	for _, t := range Tables {
		if t.Real == real {
			return t, true
		}
	}
	return Table{}, false
}

// Tables maps all 42 tables of DeployStack's Postgres model (the 35 of its
// last SQLite model are among them), in the order of the facts.
var Tables = []Table{
	{Real: "roles", Name: "roles", Columns: []Column{
		{Real: "id"}, {Real: "name"}, {Real: "description"}, {Real: "permissions"}, {Real: "is_system_role"},
		{Real: "created_at"}, {Real: "updated_at"},
	}},
	{Real: "authUser", Name: "users", Columns: []Column{
		{Real: "id"}, {Real: "username"}, {Real: "email"}, {Real: "auth_type"}, {Real: "first_name"},
		{Real: "last_name"}, {Real: "github_id"}, {Real: "hashed_password"}, {Real: "role_id"},
		{Real: "email_verified"},
	}},
	{Real: "authSession", Name: "sessions", Columns: []Column{
		{Real: "id"}, {Real: "user_id"}, {Real: "expires_at"},
	}},
	{Real: "authKey", Name: "auth_keys", Columns: []Column{
		{Real: "id"}, {Real: "user_id"}, {Real: "primary_key"}, {Real: "hashed_password"}, {Real: "expires"},
	}},
	{Real: "emailVerificationTokens", Name: "email_verification_tokens", Columns: []Column{
		{Real: "id"}, {Real: "user_id"}, {Real: "token_hash"}, {Real: "expires_at"}, {Real: "created_at"},
	}},
	{Real: "passwordResetTokens", Name: "password_reset_tokens", Columns: []Column{
		{Real: "id"}, {Real: "user_id"}, {Real: "token_hash"}, {Real: "expires_at"}, {Real: "created_at"},
	}},
	{Real: "queueJobBatches", Name: "queue_job_batches", Columns: []Column{
		{Real: "id"}, {Real: "type"}, {Real: "total_jobs"}, {Real: "completed_jobs"}, {Real: "failed_jobs"},
		{Real: "status"}, {Real: "metadata"}, {Real: "created_at"}, {Real: "completed_at"},
	}},
	{Real: "queueJobs", Name: "queue_jobs", Columns: []Column{
		{Real: "id"}, {Real: "type"}, {Real: "payload"}, {Real: "status"}, {Real: "scheduled_for"},
		{Real: "attempts"}, {Real: "max_attempts"}, {Real: "error"}, {Real: "result"}, {Real: "batch_id"},
		{Real: "created_at"}, {Real: "updated_at"}, {Real: "completed_at"},
	}},
	{Real: "mcpClientActivity", Name: "mcp_client_activity", Columns: []Column{
		{Real: "id"}, {Real: "user_id"}, {Real: "team_id"}, {Real: "satellite_id"}, {Real: "auth_type"},
		{Real: "oauth_client_id"}, {Real: "api_key_id"}, {Real: "auth_identifier"}, {Real: "client_name"},
		{Real: "user_agent"}, {Real: "ip_address"}, {Real: "current_session_id"}, {Real: "first_seen_at"},
		{Real: "last_activity_at"}, {Real: "total_requests"}, {Real: "total_tool_calls"}, {Real: "created_at"},
		{Real: "updated_at"},
	}},
	{Real: "mcpClientActivityMetrics", Name: "mcp_client_activity_metrics", Columns: []Column{
		{Real: "id"}, {Real: "user_id"}, {Real: "team_id"}, {Real: "satellite_id"}, {Real: "auth_identifier"},
		{Real: "bucket_timestamp"}, {Real: "bucket_interval"}, {Real: "request_count"}, {Real: "tool_call_count"},
		{Real: "active_client_count"}, {Real: "created_at"},
	}},
	{Real: "mcpCategories", Name: "mcp_categories", Columns: []Column{
		{Real: "id"}, {Real: "name"}, {Real: "description"}, {Real: "icon"}, {Real: "sort_order"},
		{Real: "created_at"},
	}},
	{Real: "mcpServers", Name: "mcp_servers", Columns: []Column{
		{Real: "id"}, {Real: "name"}, {Real: "official_name"}, {Real: "slug"}, {Real: "description"},
		{Real: "long_description"}, {Real: "version"}, {Real: "repository_url"}, {Real: "repository_source"},
		{Real: "repository_id"}, {Real: "repository_subfolder"}, {Real: "git_branch"}, {Real: "git_commit_sha"},
		{Real: "website_url"}, {Real: "icon_url"}, {Real: "language"}, {Real: "runtime"},
		{Real: "github_account_id"}, {Real: "github_readme_base64"}, {Real: "github_stars"}, {Real: "packages"},
		{Real: "remotes"}, {Real: "resources"}, {Real: "prompts"}, {Real: "visibility"}, {Real: "owner_team_id"},
		{Real: "created_by"}, {Real: "author_name"}, {Real: "author_contact"}, {Real: "organization"},
		{Real: "license"}, {Real: "transport_type"}, {Real: "template_args"}, {Real: "template_env"},
		{Real: "template_headers"}, {Real: "template_url_query_params"}, {Real: "team_args_schema"},
		{Real: "team_env_schema"}, {Real: "team_headers_schema"}, {Real: "team_url_query_params_schema"},
		{Real: "user_args_schema"}, {Real: "user_env_schema"}, {Real: "user_headers_schema"},
		{Real: "user_url_query_params_schema"}, {Real: "dependencies"}, {Real: "meta_extensions"},
		{Real: "category_id"}, {Real: "tags"}, {Real: "status"}, {Real: "featured"},
		{Real: "auto_install_new_default_team"}, {Real: "source"}, {Real: "deployment_source"},
		{Real: "synced_from_official_registry"}, {Real: "official_registry_server_id"},
		{Real: "official_registry_version_id"}, {Real: "official_registry_published_at"},
		{Real: "official_registry_updated_at"}, {Real: "requires_oauth"}, {Real: "skip_oauth_flow"},
		{Real: "health_status"}, {Real: "last_health_check_at"}, {Real: "health_check_error"},
		{Real: "created_at"}, {Real: "updated_at"}, {Real: "last_sync_at"},
	}},
	{Real: "mcpServerVersions", Name: "mcp_server_versions", Columns: []Column{
		{Real: "id"}, {Real: "server_id"}, {Real: "version"}, {Real: "git_commit"}, {Real: "changelog"},
		{Real: "is_latest"}, {Real: "is_stable"}, {Real: "created_at"},
	}},
	{Real: "mcpOauthProviders", Name: "mcp_oauth_providers", Columns: []Column{
		{Real: "id"}, {Real: "name"}, {Real: "slug"}, {Real: "icon_url"}, {Real: "auth_server_patterns"},
		{Real: "client_id"}, {Real: "client_secret"}, {Real: "authorization_endpoint"}, {Real: "token_endpoint"},
		{Real: "default_scopes"}, {Real: "pkce_required"}, {Real: "token_endpoint_auth_method"}, {Real: "enabled"},
		{Real: "created_at"}, {Real: "updated_at"},
	}},
	{Real: "oauthPendingFlows", Name: "oauth_pending_flows", Columns: []Column{
		{Real: "id"}, {Real: "team_id"}, {Real: "server_id"}, {Real: "created_by"}, {Real: "installation_id"},
		{Real: "oauth_state"}, {Real: "oauth_code_verifier"}, {Real: "oauth_client_id"},
		{Real: "oauth_client_secret"}, {Real: "oauth_provider_id"}, {Real: "oauth_token_endpoint"},
		{Real: "oauth_token_endpoint_auth_method"}, {Real: "satellite_id"}, {Real: "installation_name"},
		{Real: "installation_type"}, {Real: "team_config"}, {Real: "expires_at"}, {Real: "created_at"},
	}},
	{Real: "mcpServerInstallations", Name: "mcp_server_installations", Columns: []Column{
		{Real: "id"}, {Real: "team_id"}, {Real: "server_id"}, {Real: "created_by"}, {Real: "installation_name"},
		{Real: "installation_type"}, {Real: "team_args"}, {Real: "team_env"}, {Real: "team_headers"},
		{Real: "team_url_query_params"}, {Real: "oauth_state"}, {Real: "oauth_code_verifier"},
		{Real: "oauth_pending"}, {Real: "oauth_pending_expires_at"}, {Real: "oauth_client_id"},
		{Real: "oauth_client_secret"}, {Real: "oauth_provider_id"}, {Real: "oauth_token_endpoint"},
		{Real: "oauth_token_endpoint_auth_method"}, {Real: "settings"}, {Real: "satellite_id"},
		{Real: "created_at"}, {Real: "updated_at"}, {Real: "last_used_at"},
	}},
	{Real: "mcpUserConfigurations", Name: "mcp_user_configurations", Columns: []Column{
		{Real: "id"}, {Real: "installation_id"}, {Real: "user_id"}, {Real: "user_args"}, {Real: "user_env"},
		{Real: "user_headers"}, {Real: "user_url_query_params"}, {Real: "created_at"}, {Real: "updated_at"},
		{Real: "last_used_at"},
	}},
	{Real: "mcpToolMetadata", Name: "mcp_tool_metadata", Columns: []Column{
		{Real: "id"}, {Real: "installation_id"}, {Real: "team_id"}, {Real: "tool_name"}, {Real: "description"},
		{Real: "input_schema"}, {Real: "token_count"}, {Real: "is_disabled"}, {Real: "discovered_at"},
		{Real: "updated_at"},
	}},
	{Real: "mcpOauthTokens", Name: "mcp_oauth_tokens", Columns: []Column{
		{Real: "id"}, {Real: "installation_id"}, {Real: "user_id"}, {Real: "team_id"}, {Real: "access_token"},
		{Real: "refresh_token"}, {Real: "token_type"}, {Real: "expires_at"}, {Real: "scope"}, {Real: "created_at"},
		{Real: "updated_at"},
	}},
	{Real: "mcpServerLogs", Name: "mcp_server_logs", Columns: []Column{
		{Real: "id"}, {Real: "installation_id"}, {Real: "team_id"}, {Real: "log_type"}, {Real: "log_level"},
		{Real: "message"}, {Real: "metadata"}, {Real: "created_at"},
	}},
	{Real: "mcpRequestLogs", Name: "mcp_request_logs", Columns: []Column{
		{Real: "id"}, {Real: "installation_id"}, {Real: "team_id"}, {Real: "user_id"}, {Real: "tool_name"},
		{Real: "tool_params"}, {Real: "tool_response"}, {Real: "response_time_ms"}, {Real: "success"},
		{Real: "error_message"}, {Real: "created_at"},
	}},
	{Real: "mcpServerInstances", Name: "mcp_server_instances", Columns: []Column{
		{Real: "id"}, {Real: "installation_id"}, {Real: "user_id"}, {Real: "instance_path"},
		{Real: "instance_token"}, {Real: "status"}, {Real: "status_message"}, {Real: "status_updated_at"},
		{Real: "last_health_check_at"}, {Real: "last_credential_check_at"}, {Real: "created_at"},
		{Real: "updated_at"},
	}},
	{Real: "oauth_authorization_codes", Name: "oauth_authorization_codes", Columns: []Column{
		{Real: "id"}, {Real: "user_id"}, {Real: "team_id"}, {Real: "client_id"}, {Real: "redirect_uri"},
		{Real: "scope"}, {Real: "state"}, {Real: "code_challenge"}, {Real: "code_challenge_method"},
		{Real: "code"}, {Real: "resource"}, {Real: "used"}, {Real: "created_at"}, {Real: "expires_at"},
	}},
	{Real: "oauth_access_tokens", Name: "oauth_access_tokens", Columns: []Column{
		{Real: "id"}, {Real: "user_id"}, {Real: "team_id"}, {Real: "client_id"}, {Real: "scope"},
		{Real: "token_hash"}, {Real: "created_at"}, {Real: "expires_at"},
	}},
	{Real: "oauth_refresh_tokens", Name: "oauth_refresh_tokens", Columns: []Column{
		{Real: "id"}, {Real: "user_id"}, {Real: "team_id"}, {Real: "client_id"}, {Real: "token_hash"},
		{Real: "used"}, {Real: "created_at"}, {Real: "expires_at"},
	}},
	{Real: "oauth_clients", Name: "oauth_clients", Columns: []Column{
		{Real: "id"}, {Real: "client_id"}, {Real: "client_secret_hash"}, {Real: "client_name"},
		{Real: "redirect_uris"}, {Real: "scope"}, {Real: "team_id"}, {Real: "created_by_user_id"},
		{Real: "is_active"}, {Real: "created_at"}, {Real: "updated_at"},
	}},
	{Real: "oauth_team_consents", Name: "oauth_team_consents", Columns: []Column{
		{Real: "id"}, {Real: "user_id"}, {Real: "team_id"}, {Real: "client_id"}, {Real: "scope"},
		{Real: "granted_at"}, {Real: "last_used_at"}, {Real: "is_active"},
	}},
	{Real: "dynamic_oauth_clients", Name: "dynamic_oauth_clients", Columns: []Column{
		{Real: "client_id"}, {Real: "client_name"}, {Real: "redirect_uris"}, {Real: "grant_types"},
		{Real: "response_types"}, {Real: "scope"}, {Real: "token_endpoint_auth_method"},
		{Real: "client_id_issued_at"}, {Real: "expires_at"}, {Real: "created_at"}, {Real: "updated_at"},
	}},
	{Real: "satellites", Name: "satellites", Columns: []Column{
		{Real: "id"}, {Real: "name"}, {Real: "satellite_type"}, {Real: "team_id"}, {Real: "status"},
		{Real: "capabilities"}, {Real: "api_key_hash"}, {Real: "last_heartbeat"}, {Real: "system_info"},
		{Real: "satellite_url"}, {Real: "region"}, {Real: "mcp_status"}, {Real: "config"}, {Real: "created_by"},
		{Real: "created_at"}, {Real: "updated_at"},
	}},
	{Real: "satelliteRegistrationTokens", Name: "satellite_registration_tokens", Columns: []Column{
		{Real: "id"}, {Real: "token_type"}, {Real: "team_id"}, {Real: "token_hash"}, {Real: "token_prefix"},
		{Real: "created_by"}, {Real: "permissions"}, {Real: "used"}, {Real: "used_at"},
		{Real: "used_by_satellite_id"}, {Real: "expires_at"}, {Real: "created_at"},
	}},
	{Real: "satelliteCommands", Name: "satellite_commands", Columns: []Column{
		{Real: "id"}, {Real: "satellite_id"}, {Real: "command_type"}, {Real: "priority"}, {Real: "payload"},
		{Real: "status"}, {Real: "target_team_id"}, {Real: "correlation_id"}, {Real: "retry_count"},
		{Real: "max_retries"}, {Real: "error_message"}, {Real: "result"}, {Real: "created_by"},
		{Real: "created_at"}, {Real: "updated_at"},
	}},
	{Real: "satelliteProcesses", Name: "satellite_processes", Columns: []Column{
		{Real: "id"}, {Real: "satellite_id"}, {Real: "installation_id"}, {Real: "server_name"},
		{Real: "process_pid"}, {Real: "local_port"}, {Real: "status"}, {Real: "health_status"},
		{Real: "performance_metrics"}, {Real: "team_id"}, {Real: "error_message"}, {Real: "started_at"},
		{Real: "stopped_at"}, {Real: "created_at"}, {Real: "updated_at"},
	}},
	{Real: "satelliteUsageLogs", Name: "satellite_usage_logs", Columns: []Column{
		{Real: "id"}, {Real: "satellite_id"}, {Real: "user_id"}, {Real: "team_id"}, {Real: "process_id"},
		{Real: "request_method"}, {Real: "request_path"}, {Real: "tool_name"}, {Real: "duration_ms"},
		{Real: "status_code"}, {Real: "error_message"}, {Real: "request_size_bytes"},
		{Real: "response_size_bytes"}, {Real: "user_agent"}, {Real: "ip_address"}, {Real: "timestamp"},
		{Real: "date_partition"},
	}},
	{Real: "satelliteHeartbeats", Name: "satellite_heartbeats", Columns: []Column{
		{Real: "id"}, {Real: "satellite_id"}, {Real: "status"}, {Real: "system_metrics"}, {Real: "process_count"},
		{Real: "healthy_process_count"}, {Real: "error_count"}, {Real: "response_time_ms"},
		{Real: "uptime_seconds"}, {Real: "version"}, {Real: "timestamp"},
	}},
	{Real: "globalSettingGroups", Name: "global_setting_groups", Columns: []Column{
		{Real: "id"}, {Real: "name"}, {Real: "description"}, {Real: "icon"}, {Real: "sort_order"},
		{Real: "created_at"}, {Real: "updated_at"},
	}},
	{Real: "globalSettings", Name: "global_settings", Columns: []Column{
		{Real: "key"}, {Real: "name"}, {Real: "value"}, {Real: "type"}, {Real: "description"},
		{Real: "is_encrypted"}, {Real: "group_id"}, {Real: "created_at"}, {Real: "updated_at"},
	}},
	{Real: "teamCloudCredentials", Name: "team_cloud_credentials", Columns: []Column{
		{Real: "id"}, {Real: "team_id"}, {Real: "provider_id"}, {Real: "name"}, {Real: "comment"},
		{Real: "credentials"}, {Real: "created_by"}, {Real: "created_at"}, {Real: "updated_at"},
	}},
	{Real: "deploymentCredentials", Name: "deployment_credentials", Columns: []Column{
		{Real: "id"}, {Real: "team_id"}, {Real: "source"}, {Real: "auth_type"}, {Real: "access_token_encrypted"},
		{Real: "refresh_token_encrypted"}, {Real: "installation_id"}, {Real: "account_login"},
		{Real: "account_id"}, {Real: "scopes"}, {Real: "expires_at"}, {Real: "created_at"}, {Real: "updated_at"},
	}},
	{Real: "deploymentSettings", Name: "deployment_settings", Columns: []Column{
		{Real: "id"}, {Real: "server_id"}, {Real: "auto_deploy_enabled"}, {Real: "webhook_id"},
		{Real: "webhook_secret"}, {Real: "created_at"}, {Real: "updated_at"},
	}},
	{Real: "teams", Name: "teams", Columns: []Column{
		{Real: "id"}, {Real: "name"}, {Real: "slug"}, {Real: "description"}, {Real: "owner_id"},
		{Real: "is_default"}, {Real: "non_http_mcp_limit"}, {Real: "mcp_server_limit"}, {Real: "member_limit"},
		{Real: "allow_remote_mcp"}, {Real: "allow_github_mcp"}, {Real: "allow_private_github_repos"},
		{Real: "github_mcp_limit"}, {Real: "created_at"}, {Real: "updated_at"},
	}},
	{Real: "teamMemberships", Name: "team_members", Columns: []Column{
		{Real: "id"}, {Real: "team_id"}, {Real: "user_id"}, {Real: "role"}, {Real: "joined_at"},
	}},
	{Real: "userPreferences", Name: "user_preferences", Columns: []Column{
		{Real: "id"}, {Real: "user_id"}, {Real: "preference_key"}, {Real: "preference_value"},
		{Real: "created_at"}, {Real: "updated_at"},
	}},
}
