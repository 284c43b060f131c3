package atlasmig

import (
	"context"

	"ariga.io/atlas/sql/sqlclient"
)

// OpenDev connects Atlas's Postgres driver to a clean dev database, bound
// to its public schema as migration files carry no schema qualifier. It is
// for the engines that replay the directory themselves (lint, drift).
func OpenDev(ctx context.Context, devURL string) (*sqlclient.Client, error) {
	return openDev(ctx, devURL)
}
