package main

import (
	"github.com/spf13/cobra"

	"github.com/deploystack/stackdb/internal/importer"
)

// importPostgresRejected is --rejected's default for import-postgres: a
// URL names no directory to put it next to.
const importPostgresRejected = "import-postgres.rejected.jsonl"

func (a *app) importPostgresCmd() *cobra.Command {
	var f importFlags
	cmd := &cobra.Command{
		Use:   "import-postgres --from SOURCE_URL [--to URL | --dry-run]",
		Short: "Move a running DeployStack Postgres database into the migrated stackdb schema, verified, all or nothing",
		Long: `Moves a DeployStack installation on Postgres (Drizzle migration
0028_typical_falcon; any other version is refused) into the stackdb schema in
one target transaction, by the same rules, report and verification as
import-sqlite. The source is read in one REPEATABLE READ READ ONLY transaction:
one consistent snapshot, and nothing is ever written to it; it may be another
database on the same server as the target, or another server, and its user
needs only to read it.

On any defect nothing is committed and the full report is printed, unless
--on-error=skip, which imports everything else and writes the rejected rows as
JSON lines to --rejected before the commit; an existing file is replaced only
with --force.

The target is --to, else DATABASE_URL or POSTGRES_*; without one the command
fails. --dry-run imports into a throwaway Postgres that is removed afterwards.
The source URL's password is never printed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runImport(cmd, &f, importer.Postgres, importer.CheckPostgresURL, importPostgresRejected,
				", or use --dry-run to try the import on a throwaway Postgres")
		},
	}
	f.register(cmd, "DeployStack's Postgres database URL (required)", importPostgresRejected)
	return cmd
}
