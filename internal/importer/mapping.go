package importer

// This file is the one place that says where each legacy table and column
// goes. Conversions are not written here: they follow from the type of the
// target column as the live Postgres schema reports it (see convert.go);
// the mapping only adds what the target type cannot tell — the unit of an
// epoch timestamp and the documented replacement of a legacy NULL.
//
// At the start of every run the mapping is checked against the legacy file
// and the live target schema, before any row moves (plan.go):
//   - every mapped legacy table and column exists in the SQLite file, and
//     every column of a mapped legacy table is mapped;
//   - every mapped target table and column exists, and is not generated;
//   - every target NOT NULL column without a default (and not an identity
//     or generated column) is mapped;
//   - a timestamptz target has a Unit, and only a timestamptz target has one;
//   - NullAs is only used on jsonb targets and is itself valid JSON.

// TimeUnit is the unit of a legacy epoch timestamp.
type TimeUnit int

// The units of legacy timestamps: *_at columns hold seconds, except the
// columns marked "-- ms" in the legacy schema, which hold milliseconds.
const (
	NoUnit  TimeUnit = iota // not a timestamp
	Seconds                 // Unix epoch seconds
	Millis                  // Unix epoch milliseconds
)

func (u TimeUnit) String() string {
	switch u {
	case Seconds:
		return "seconds"
	case Millis:
		return "milliseconds"
	}
	return "none"
}

// ColumnMapping moves one legacy column into one target column.
type ColumnMapping struct {
	Legacy string   // column in the legacy table
	Target string   // column in the target table
	Unit   TimeUnit // for timestamptz targets: the unit of the legacy epoch value
	// NullAs, when set, is the JSON document a legacy NULL becomes (a
	// documented rule, for a target that is NOT NULL where legacy was
	// nullable). Empty: NULL stays NULL, or is a defect when the target is
	// NOT NULL.
	NullAs string
}

// TableMapping moves one legacy table into one target table (in the
// target's current schema, normally public).
type TableMapping struct {
	Legacy  string
	Target  string
	Columns []ColumnMapping
}

// SkippedTables are legacy tables that are deliberately not imported, with
// the reason reported for each.
var skippedTables = map[string]string{
	"__drizzle_migrations": "the legacy ORM's migration bookkeeping, not application data",
	"sqlite_sequence":      "SQLite's AUTOINCREMENT bookkeeping; identities are reset from the imported ids",
	"sqlite_stat1":         "SQLite's planner statistics",
	"sqlite_stat4":         "SQLite's planner statistics",
}

// col maps a column to the column of the same name (every legacy column
// keeps its name); sec and ms do the same for epoch timestamps.
func col(name string) ColumnMapping { return ColumnMapping{Legacy: name, Target: name} }
func sec(name string) ColumnMapping { return ColumnMapping{Legacy: name, Target: name, Unit: Seconds} }
func ms(name string) ColumnMapping  { return ColumnMapping{Legacy: name, Target: name, Unit: Millis} }

// mapping lists every legacy application table. Order does not matter: the
// load order comes from the target's foreign keys.
var mapping = []TableMapping{
	{Legacy: "roles", Target: "roles", Columns: []ColumnMapping{
		col("id"), col("name"), col("description"), col("permissions"), col("is_system_role"),
		sec("created_at"), sec("updated_at"),
	}},
	{Legacy: "authUser", Target: "users", Columns: []ColumnMapping{
		col("id"), col("username"), col("email"), col("auth_type"), col("first_name"), col("last_name"),
		col("github_id"), col("hashed_password"), col("email_verified"), col("role_id"),
		sec("created_at"), sec("updated_at"),
	}},
	{Legacy: "authSession", Target: "sessions", Columns: []ColumnMapping{
		col("id"), col("user_id"), ms("expires_at"),
	}},
	{Legacy: "teams", Target: "teams", Columns: []ColumnMapping{
		col("id"), col("name"), col("slug"), col("description"), col("owner_id"), col("is_default"),
		sec("created_at"), sec("updated_at"),
	}},
	{Legacy: "teamMemberships", Target: "team_members", Columns: []ColumnMapping{
		col("id"), col("team_id"), col("user_id"), col("role"), sec("joined_at"),
	}},
	{Legacy: "mcpCategories", Target: "mcp_categories", Columns: []ColumnMapping{
		col("id"), col("name"), col("description"), col("icon"), col("sort_order"), sec("created_at"),
	}},
	{Legacy: "mcpServers", Target: "mcp_servers", Columns: []ColumnMapping{
		col("id"), col("name"), col("slug"), col("description"), col("long_description"), col("github_url"),
		col("language"), col("runtime"), col("status"), col("visibility"), col("owner_team_id"), col("category_id"),
		// Nullable in legacy, NOT NULL DEFAULT '[]' in the target: a server
		// without tags has the empty list.
		{Legacy: "tags", Target: "tags", NullAs: "[]"},
		col("environment_variables"), col("metadata"), col("featured"), col("created_by"),
		sec("created_at"), sec("updated_at"),
		// mcp_servers.search is generated by Postgres and not imported.
	}},
	{Legacy: "mcpServerInstallations", Target: "mcp_server_installations", Columns: []ColumnMapping{
		col("id"), col("team_id"), col("server_id"), col("created_by"), col("installation_name"),
		col("installation_type"), col("user_environment_variables"),
		sec("created_at"), sec("updated_at"), sec("last_used_at"),
	}},
	{Legacy: "satellites", Target: "satellites", Columns: []ColumnMapping{
		col("id"), col("name"), col("satellite_type"), col("team_id"), col("status"), col("satellite_url"),
		col("region"), col("version"), col("system_info"), sec("last_heartbeat"), col("created_by"),
		sec("created_at"), sec("updated_at"),
	}},
	{Legacy: "satelliteHeartbeats", Target: "satellite_heartbeats", Columns: []ColumnMapping{
		col("id"), col("satellite_id"), col("status"), col("system_metrics"), col("process_count"),
		col("error_count"), col("version"), sec("created_at"),
	}},
	{Legacy: "satelliteProcesses", Target: "satellite_processes", Columns: []ColumnMapping{
		col("id"), col("satellite_id"), col("installation_id"), col("team_id"), col("process_id"), col("status"),
		col("health_status"), sec("started_at"), sec("stopped_at"), col("error_message"), col("restart_count"),
		sec("created_at"), sec("updated_at"),
	}},
	{Legacy: "mcpToolExecutions", Target: "mcp_tool_executions", Columns: []ColumnMapping{
		col("id"), col("satellite_id"), col("team_id"), col("user_id"), col("server_slug"), col("tool_name"),
		col("duration_ms"), col("success"), col("error"), col("arguments"), ms("created_at"),
	}},
	{Legacy: "teamMetrics", Target: "team_metrics", Columns: []ColumnMapping{
		col("id"), col("team_id"), col("satellite_id"), sec("bucket_start"), col("bucket_minutes"),
		col("tool_calls"), col("errors"), col("total_duration_ms"),
	}},
	{Legacy: "queueJobBatches", Target: "queue_job_batches", Columns: []ColumnMapping{
		col("id"), col("type"), col("total_jobs"), col("completed_jobs"), col("failed_jobs"), col("status"),
		col("metadata"), sec("created_at"), sec("updated_at"),
	}},
	{Legacy: "queueJobs", Target: "queue_jobs", Columns: []ColumnMapping{
		col("id"), col("type"), col("payload"), col("status"), col("priority"), col("attempts"), col("max_attempts"),
		sec("scheduled_for"), sec("started_at"), sec("completed_at"), col("error"), col("result"), col("batch_id"),
		sec("created_at"), sec("updated_at"),
	}},
	{Legacy: "auditLogs", Target: "audit_logs", Columns: []ColumnMapping{
		col("id"), col("actor_user_id"), col("team_id"), col("action"), col("target_type"), col("target_id"),
		col("ip_address"), col("user_agent"), col("metadata"), sec("created_at"),
	}},
	{Legacy: "oauthClients", Target: "oauth_clients", Columns: []ColumnMapping{
		col("client_id"), col("client_name"), col("redirect_uris"), col("grant_types"), col("scope"), sec("created_at"),
	}},
	{Legacy: "oauthAccessTokens", Target: "oauth_access_tokens", Columns: []ColumnMapping{
		col("id"), col("token_hash"), col("client_id"), col("user_id"), col("scope"), ms("expires_at"),
		col("revoked"), sec("created_at"),
	}},
	{Legacy: "oauthRefreshTokens", Target: "oauth_refresh_tokens", Columns: []ColumnMapping{
		col("id"), col("token_hash"), col("access_token_id"), col("client_id"), col("user_id"), ms("expires_at"),
		col("revoked"), sec("created_at"),
	}},
	{Legacy: "globalSettingGroups", Target: "global_setting_groups", Columns: []ColumnMapping{
		col("id"), col("name"), col("description"), col("icon"), col("sort_order"),
		sec("created_at"), sec("updated_at"),
	}},
	{Legacy: "globalSettings", Target: "global_settings", Columns: []ColumnMapping{
		col("key"), col("value"), col("type"), col("description"), col("is_encrypted"), col("group_id"),
		sec("created_at"), sec("updated_at"),
	}},
}

// Mapping returns a copy of the table and column mapping, for display and
// review (`stackdb import-sqlite --show-mapping`, docs).
func Mapping() []TableMapping {
	out := make([]TableMapping, len(mapping))
	for i, t := range mapping {
		out[i] = t
		out[i].Columns = append([]ColumnMapping(nil), t.Columns...)
	}
	return out
}

// SkippedTables returns the legacy tables that are never imported, with why.
func SkippedTables() map[string]string {
	out := make(map[string]string, len(skippedTables))
	for k, v := range skippedTables {
		out[k] = v
	}
	return out
}
