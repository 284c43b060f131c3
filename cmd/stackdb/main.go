// Command stackdb manages DeployStack's Postgres schema: it writes migrations
// from the declarative schema, applies them (compatible with the Atlas CLI)
// and runs a throwaway Postgres for development.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/deploystack/stackdb/internal/config"
)

func main() {
	// Ctrl-C, SIGTERM, SIGHUP (a closed terminal) and SIGPIPE (a closed
	// pipe: `stackdb dev | head -1`; notified, a write returns EPIPE instead
	// of killing the process) cancel the context; deferred Stop calls then
	// remove any throwaway cluster before the process exits.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGPIPE)
	err := execute(ctx, newRootCmd())
	stop()
	os.Exit(exitCode(os.Stderr, err))
}

// app holds the flags shared by every command.
type app struct {
	projectFile string
	envName     string
}

func newRootCmd() *cobra.Command {
	a := &app{}
	root := &cobra.Command{
		Use:           "stackdb",
		Short:         "DeployStack's Postgres data layer: migrations, throwaway databases, imports",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&a.projectFile, "config", config.DefaultProjectFile,
		"Atlas project file (without one, migrate apply/status and dev use the migrations embedded in this binary)")
	root.PersistentFlags().StringVar(&a.envName, "env", "local", "env of the project file to use")
	root.AddCommand(a.migrateCmd(), a.devCmd(), a.genLegacyCmd(), a.importSQLiteCmd(), a.importPostgresCmd(), a.dbStatusCmd(), a.statsCmd(), a.benchCmd(), a.partitionsCmd())
	return root
}
