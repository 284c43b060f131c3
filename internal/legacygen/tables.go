package legacygen

// tables holds one INSERT target per table, with its columns in the real
// order of the legacy schema (a test checks that every column is written).
type tables struct {
	roles, authUser, authSession, authKey, emailVerificationTokens, passwordResetTokens, queueJobBatches, queueJobs, mcpClientActivity, mcpClientActivityMetrics, mcpCategories, mcpServers, mcpServerVersions, mcpServerInstallations, mcpUserConfigurations, mcpToolMetadata, mcpOauthTokens, oauthAuthorizationCodes, oauthAccessTokens, oauthRefreshTokens, oauthClients, oauthTeamConsents, dynamicOauthClients, satellites, satelliteRegistrationTokens, satelliteCommands, satelliteProcesses, satelliteUsageLogs, satelliteHeartbeats, globalSettingGroups, globalSettings, teamCloudCredentials, teams, teamMemberships, userPreferences *table
	// Only in the Postgres layout.
	mcpOauthProviders, oauthPendingFlows, mcpServerInstances, mcpRequestLogs, mcpServerLogs, deploymentCredentials, deploymentSettings *table
	drizzleMigrations, pluginMigrations, pluginEntities                                                                                *table
}

func (g *gen) prepare() {
	w, t := g.w, &g.t
	t.roles = w.table("roles", "id", "name", "description", "permissions", "is_system_role", "created_at", "updated_at")
	t.authUser = w.table("authUser", "id", "username", "email", "auth_type", "first_name", "last_name", "github_id", "hashed_password", "role_id", "email_verified")
	t.authSession = w.table("authSession", "id", "user_id", "expires_at")
	t.authKey = w.table("authKey", "id", "user_id", "primary_key", "hashed_password", "expires")
	t.emailVerificationTokens = w.table("emailVerificationTokens", "id", "user_id", "token_hash", "expires_at", "created_at")
	t.passwordResetTokens = w.table("passwordResetTokens", "id", "user_id", "token_hash", "expires_at", "created_at")
	t.queueJobBatches = w.table("queueJobBatches", "id", "type", "total_jobs", "completed_jobs", "failed_jobs", "status", "metadata", "created_at", "completed_at")
	t.queueJobs = w.table("queueJobs", "id", "type", "payload", "status", "scheduled_for", "attempts", "max_attempts", "error", "batch_id", "created_at", "updated_at", "completed_at")
	t.mcpClientActivity = w.table("mcpClientActivity", "id", "user_id", "team_id", "satellite_id", "auth_type", "oauth_client_id", "api_key_id", "auth_identifier", "client_name", "user_agent", "ip_address", "current_session_id", "first_seen_at", "last_activity_at", "total_requests", "total_tool_calls", "created_at", "updated_at")
	t.mcpClientActivityMetrics = w.table("mcpClientActivityMetrics", "id", "user_id", "team_id", "satellite_id", "auth_identifier", "bucket_timestamp", "bucket_interval", "request_count", "tool_call_count", "active_client_count", "created_at")
	t.mcpCategories = w.table("mcpCategories", "id", "name", "description", "icon", "sort_order", "created_at")
	t.mcpServers = w.table("mcpServers", "id", "name", "official_name", "slug", "description", "long_description", "version", "repository_url", "repository_source", "repository_id", "repository_subfolder", "git_branch", "website_url", "icon_url", "language", "runtime", "github_account_id", "github_readme_base64", "github_stars", "packages", "remotes", "resources", "prompts", "visibility", "owner_team_id", "created_by", "author_name", "author_contact", "organization", "license", "transport_type", "template_args", "template_env", "template_headers", "template_url_query_params", "team_args_schema", "team_env_schema", "team_headers_schema", "team_url_query_params_schema", "user_args_schema", "user_env_schema", "user_headers_schema", "user_url_query_params_schema", "dependencies", "meta_extensions", "category_id", "tags", "status", "featured", "auto_install_new_default_team", "source", "synced_from_official_registry", "official_registry_server_id", "official_registry_version_id", "official_registry_published_at", "official_registry_updated_at", "requires_oauth", "created_at", "updated_at", "last_sync_at")
	t.mcpServerVersions = w.table("mcpServerVersions", "id", "server_id", "version", "git_commit", "changelog", "is_latest", "is_stable", "created_at")
	t.mcpServerInstallations = w.table("mcpServerInstallations", "id", "team_id", "server_id", "created_by", "installation_name", "installation_type", "team_args", "team_env", "team_headers", "team_url_query_params", "oauth_state", "oauth_code_verifier", "oauth_pending", "oauth_pending_expires_at", "oauth_client_id", "oauth_client_secret", "created_at", "updated_at", "last_used_at")
	t.mcpUserConfigurations = w.table("mcpUserConfigurations", "id", "installation_id", "user_id", "user_args", "user_env", "user_headers", "user_url_query_params", "created_at", "updated_at", "last_used_at")
	t.mcpToolMetadata = w.table("mcpToolMetadata", "id", "installation_id", "team_id", "tool_name", "description", "input_schema", "token_count", "discovered_at", "updated_at")
	t.mcpOauthTokens = w.table("mcpOauthTokens", "id", "installation_id", "user_id", "team_id", "access_token", "refresh_token", "token_type", "expires_at", "scope", "created_at", "updated_at")
	t.oauthAuthorizationCodes = w.table("oauth_authorization_codes", "id", "user_id", "team_id", "client_id", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method", "code", "used", "created_at", "expires_at")
	t.oauthAccessTokens = w.table("oauth_access_tokens", "id", "user_id", "team_id", "client_id", "scope", "token_hash", "created_at", "expires_at")
	t.oauthRefreshTokens = w.table("oauth_refresh_tokens", "id", "user_id", "team_id", "client_id", "token_hash", "used", "created_at", "expires_at")
	t.oauthClients = w.table("oauth_clients", "id", "client_id", "client_secret_hash", "client_name", "redirect_uris", "scope", "team_id", "created_by_user_id", "is_active", "created_at", "updated_at")
	t.oauthTeamConsents = w.table("oauth_team_consents", "id", "user_id", "team_id", "client_id", "scope", "granted_at", "last_used_at", "is_active")
	t.dynamicOauthClients = w.table("dynamic_oauth_clients", "client_id", "client_name", "redirect_uris", "grant_types", "response_types", "scope", "token_endpoint_auth_method", "client_id_issued_at", "expires_at", "created_at", "updated_at")
	t.satellites = w.table("satellites", "id", "name", "satellite_type", "team_id", "status", "capabilities", "api_key_hash", "last_heartbeat", "system_info", "config", "created_by", "created_at", "updated_at")
	t.satelliteRegistrationTokens = w.table("satelliteRegistrationTokens", "id", "token_type", "team_id", "token_hash", "token_prefix", "created_by", "permissions", "used", "used_at", "used_by_satellite_id", "expires_at", "created_at")
	t.satelliteCommands = w.table("satelliteCommands", "id", "satellite_id", "command_type", "priority", "payload", "status", "target_team_id", "correlation_id", "retry_count", "max_retries", "error_message", "result", "created_by", "created_at", "updated_at")
	t.satelliteProcesses = w.table("satelliteProcesses", "id", "satellite_id", "installation_id", "server_name", "process_pid", "local_port", "status", "health_status", "performance_metrics", "team_id", "error_message", "started_at", "stopped_at", "created_at", "updated_at")
	t.satelliteUsageLogs = w.table("satelliteUsageLogs", "id", "satellite_id", "user_id", "team_id", "process_id", "request_method", "request_path", "tool_name", "duration_ms", "status_code", "error_message", "request_size_bytes", "response_size_bytes", "user_agent", "ip_address", "timestamp", "date_partition")
	t.satelliteHeartbeats = w.table("satelliteHeartbeats", "id", "satellite_id", "status", "system_metrics", "process_count", "healthy_process_count", "error_count", "response_time_ms", "uptime_seconds", "version", "timestamp")
	t.globalSettingGroups = w.table("globalSettingGroups", "id", "name", "description", "icon", "sort_order", "created_at", "updated_at")
	t.globalSettings = w.table("globalSettings", "key", "value", "type", "description", "is_encrypted", "group_id", "created_at", "updated_at")
	t.teamCloudCredentials = w.table("teamCloudCredentials", "id", "team_id", "provider_id", "name", "comment", "credentials", "created_by", "created_at", "updated_at")
	t.teams = w.table("teams", "id", "name", "slug", "description", "owner_id", "is_default", "non_http_mcp_limit", "created_at", "updated_at")
	t.teamMemberships = w.table("teamMemberships", "id", "team_id", "user_id", "role", "joined_at")
	t.userPreferences = w.table("userPreferences", "id", "user_id", "preference_key", "preference_value", "created_at", "updated_at")
	t.drizzleMigrations = w.table("__drizzle_migrations", "id", "migration_name", "applied_at")
	t.pluginMigrations = w.table("__plugin_migrations", "id", "plugin_id", "table_name", "schema_hash", "applied_at")
	t.pluginEntities = w.table(pluginTable, "id", "name", "description", "created_at")
	if g.pg {
		g.preparePG()
	}
}
