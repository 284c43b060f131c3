// Package schema holds stackdb's declarative schema (*.pg.hcl, Atlas HCL) and
// the versioned migration directory generated from it, embedded so that
// applications can apply it at start-up without files on disk.
package schema

import "embed"

// Migrations is the migration directory (Atlas format: timestamped .sql files
// and atlas.sum) under MigrationsRoot.
//
//go:embed migrations/*.sql migrations/atlas.sum
var Migrations embed.FS

// MigrationsRoot is the directory inside Migrations.
const MigrationsRoot = "migrations"
