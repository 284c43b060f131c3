package deploystack

// Constraint kinds of a Stricter entry.
const (
	KindUnique     = "unique"      // a unique index or constraint on Columns
	KindCheck      = "check"       // a CHECK constraint, by Name
	KindForeignKey = "foreign key" // a foreign key from Columns
)

// Stricter is a constraint stackdb enforces on a table of Tables that
// DeployStack does not: real data may violate it, so the importer must
// report each violation as a defect instead of failing on the constraint.
// The real value sets (enums and documented_values CHECKs) are not listed:
// they follow from the facts, and the importer checks every value against
// them anyway.
type Stricter struct {
	Table   string   // stackdb table
	Kind    string   // KindUnique, KindCheck or KindForeignKey
	Columns []string // unique, foreign key: stackdb columns, in key order
	Name    string   // check: the constraint's name
	Reason  string
}

// StricterThanDeployStack is the one reviewable list of such constraints,
// one entry each, append-only. TestNoConstraintTheFactsLack fails on a
// unique index, CHECK or foreign key of a mapped table that neither the
// facts imply nor this list names.
var StricterThanDeployStack = []Stricter{
	{Table: "roles", Kind: KindCheck, Name: "roles_permissions_is_array",
		Reason: "permissions is a JSON array of permission names (auth.ts); the application reads it as string[]"},
	{Table: "satellite_registration_tokens", Kind: KindCheck, Name: "satellite_registration_tokens_permissions_is_array",
		Reason: "permissions is jsonb typed string[] in satellites.ts ($type<string[]>)"},
	{Table: "mcp_user_configurations", Kind: KindUnique, Columns: []string{"installation_id", "user_id"},
		Reason: "one configuration per user and installation, as the index name mcp_user_configs_unique_user_installation says; the target of McpUserConfigurationUpsert"},
	{Table: "mcp_tool_metadata", Kind: KindUnique, Columns: []string{"installation_id", "tool_name"},
		Reason: "one row per tool of an installation, as the index name says; the target of McpToolMetadataUpsertMany"},
	{Table: "mcp_oauth_tokens", Kind: KindUnique, Columns: []string{"installation_id", "user_id", "team_id"},
		Reason: "one token per installation, user and team; the target of McpOAuthTokenUpsert"},
	{Table: "mcp_oauth_providers", Kind: KindCheck, Name: "mcp_oauth_providers_auth_server_patterns_is_array",
		Reason: "auth_server_patterns is a JSON array of URL patterns, which McpOAuthProviderGetByAuthServerURL unnests"},
	{Table: "satellites", Kind: KindUnique, Columns: []string{"api_key_prefix"},
		Reason: "stackdb's own column (Additions): one satellite per key prefix, the authentication lookup; NULL for imported rows"},
	{Table: "mcp_client_activity", Kind: KindUnique, Columns: []string{"user_id", "team_id", "auth_identifier", "satellite_id"},
		Reason: "one activity row per client, as the index name mcp_activity_unique_user_team_auth_satellite says; the target of McpClientActivityUpsert"},
}
