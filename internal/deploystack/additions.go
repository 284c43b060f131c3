package deploystack

// Addition is a column stackdb has that DeployStack's table does not, and
// why. The importers leave it to its default or its generation expression.
type Addition struct {
	Table, Column, Reason string
}

// Additions is the one reviewable list of stackdb-only columns of real
// tables, append-only, one line each.
var Additions = []Addition{
	{Table: "mcp_servers", Column: "search", Reason: "generated tsvector (name A, description B, tags C) for ranked full-text search through a GIN index; derived, nothing to import"},
}
