package deploystack

// Addition is a stackdb-only column: one DeployStack does not have, and why
// stackdb needs it.
type Addition struct {
	Table, Column, Reason string
}

// Additions is the one reviewable list of stackdb-only columns, append-only.
// The importers leave them at their defaults (NULL).
var Additions = []Addition{
	{Table: "satellites", Column: "api_key_prefix", Reason: "public part of the satellite API key, unique and indexed, so that authentication is one index probe (SatelliteGetByAPIKeyPrefix) instead of argon2-verifying every satellite's hash; NULL until the satellite re-registers"},
}
