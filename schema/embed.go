// Package schema holds stackdb's declarative schema (*.pg.hcl, Atlas HCL) and
// the versioned migration directory generated from it, embedded so that
// applications can apply it at start-up without files on disk.
package schema

import (
	"embed"

	"ariga.io/atlas/sql/migrate"

	"github.com/deploystack/stackdb/internal/atlasmig"
)

// migrations is the migration directory (Atlas format: timestamped .sql files
// and atlas.sum) under migrationsRoot.
//
//go:embed migrations/*.sql migrations/atlas.sum
var migrations embed.FS

const migrationsRoot = "migrations"

// Dir returns the embedded migration directory: the one place it is opened,
// for Migrate, test databases, the importer and the binary run outside a
// checkout.
func Dir() (migrate.Dir, error) {
	return atlasmig.FromFS(migrations, migrationsRoot)
}
