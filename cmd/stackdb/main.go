// Command stackdb manages DeployStack's Postgres schema: it writes migrations
// from the declarative schema, applies them (compatible with the Atlas CLI)
// and runs a throwaway Postgres for development.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/deploystack/stackdb/internal/config"
	"github.com/deploystack/stackdb/internal/pgcluster"
)

func main() {
	// Ctrl-C, SIGTERM, SIGHUP (a closed terminal) and SIGPIPE (a closed
	// pipe: `stackdb dev | head -1`; notified, a write returns EPIPE instead
	// of killing the process) cancel the context; deferred Stop calls then
	// remove any throwaway cluster before the process exits.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGPIPE)
	err := newRootCmd().ExecuteContext(ctx)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "stackdb:", err)
		os.Exit(1)
	}
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
	root.PersistentFlags().StringVar(&a.projectFile, "config", config.DefaultProjectFile, "Atlas project file")
	root.PersistentFlags().StringVar(&a.envName, "env", "local", "env of the project file to use")
	root.AddCommand(a.migrateCmd(), a.devCmd(), a.genLegacyCmd(), a.importSQLiteCmd(), a.dbStatusCmd(), a.statsCmd())
	return root
}

func (a *app) env() (*config.Env, error) {
	return config.LoadEnv(a.projectFile, a.envName)
}

// target returns the database to work on: the flag, else DATABASE_URL or
// POSTGRES_*, else a throwaway cluster (stopped by the returned func).
func target(ctx context.Context, flagURL string) (string, func(), error) {
	if flagURL != "" {
		return flagURL, func() {}, nil
	}
	db, err := config.DatabaseFromEnv()
	if err != nil {
		return "", nil, err
	}
	if u := db.ConnString(); u != "" {
		return u, func() {}, nil
	}
	c, err := pgcluster.Start(ctx)
	if err != nil {
		return "", nil, err
	}
	fmt.Fprintf(os.Stderr, "stackdb: no database URL given; using a throwaway Postgres at %s\n", config.Redact(c.URL("postgres")))
	return c.URL("postgres"), func() { _ = c.Stop() }, nil
}

// devDatabase returns a clean dev database: the flag, else the env's dev URL
// unless it names a container, else a throwaway cluster.
func devDatabase(ctx context.Context, flagURL string, env *config.Env) (string, func(), error) {
	switch {
	case flagURL != "":
		return flagURL, func() {}, nil
	case !env.UsesThrowawayDev():
		return env.DevURL, func() {}, nil
	}
	c, err := pgcluster.Start(ctx)
	if err != nil {
		return "", nil, err
	}
	return c.URL("postgres"), func() { _ = c.Stop() }, nil
}
