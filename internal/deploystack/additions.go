package deploystack

// Addition is a stackdb column that no real column maps to, and why
// stackdb has it. The importers fill it (or leave it to its default or its
// generation expression); the application may use it.
type Addition struct {
	Table, Column, Reason string
}

// Additions is the one reviewable list of stackdb-only columns on the
// tables of Tables, one line each, append-only.
// TestEveryStackdbColumnIsRealOrAnAddition fails on a column that is
// neither a real column's home nor listed here.
var Additions = []Addition{
	{Table: "mcp_servers", Column: "search", Reason: "generated tsvector (name A, description B, tags C) for ranked full-text search through a GIN index; derived, nothing to import"},
	{Table: "satellites", Column: "api_key_prefix", Reason: "public part of the satellite API key, unique and indexed, so that authentication is one index probe (SatelliteGetByAPIKeyPrefix) instead of argon2-verifying every satellite's hash; NULL until the satellite re-registers"},
}

// OwnTable is a stackdb table that holds no DeployStack table, and why it
// exists.
type OwnTable struct {
	Name, Reason string
}

// OwnTables lists stackdb's own tables. Their columns are all stackdb's and
// are not listed in Additions.
var OwnTables = []OwnTable{
	{Name: "audit_logs", Reason: "stackdb's append-only log of security events (logins, role and key changes), " +
		"one of the write streams DeployStack's changelog names; DeployStack has no such table, so nothing is imported into it"},
}
