package stackdb

import (
	"context"
	"fmt"

	"github.com/deploystack/stackdb/internal/dbinfo"
	"github.com/deploystack/stackdb/schema"
)

// DBStatus says whether the application can use its database: configured,
// reachable, migrated (current version, pending files, the last failed
// migration). It marshals to the JSON of `stackdb status --json`, the
// data-layer side of DeployStack's GET /api/db/status.
type DBStatus = dbinfo.Status

// MigrationError is a migration whose last apply failed, in DBStatus.
type MigrationError = dbinfo.MigrationError

// Status reports where the database at url stands against the migrations
// embedded in this module, for health and status endpoints. It does not
// change the database. An empty url is reported as not configured, and an
// unreachable database as Reachable false with the reason in Error (never
// the password): every state of the database is a report, not an error, so
// the endpoint can always answer. DBStatus.Ready says whether all is well.
// Bound ctx: a host that drops packets holds the connection attempt until the
// context ends. The error is for a fault of stackdb itself (its embedded
// migration directory does not match atlas.sum).
func Status(ctx context.Context, url string) (*DBStatus, error) {
	dir, err := schema.Dir()
	if err != nil {
		return nil, fmt.Errorf("stackdb: %w", err)
	}
	st, err := dbinfo.CheckStatus(ctx, url, dir)
	if err != nil {
		return nil, fmt.Errorf("stackdb: %w", err)
	}
	return st, nil
}
