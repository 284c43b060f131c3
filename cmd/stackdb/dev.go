package main

import (
	"fmt"
	"os"
	"os/exec"

	"github.com/spf13/cobra"

	"github.com/deploystack/stackdb/internal/atlasmig"
	"github.com/deploystack/stackdb/internal/pgcluster"
)

func (a *app) devCmd() *cobra.Command {
	var empty bool
	cmd := &cobra.Command{
		Use:   "dev [-- COMMAND ARGS...]",
		Short: "Run a throwaway Postgres (migrated unless --empty) until Ctrl-C, or for the duration of COMMAND",
		Long: `Runs a throwaway Postgres, migrated unless --empty.

Without a command it prints the URL and waits for Ctrl-C. With one, it runs the
command with DATABASE_URL pointing at the database and stops Postgres when the
command ends, exiting with the command's status (make verify runs sqlc vet so).`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			env, err := a.env()
			if err != nil {
				return err
			}
			c, err := pgcluster.Start(cmd.Context())
			if err != nil {
				return err
			}
			defer c.Stop()
			url := c.URL("postgres")
			if !empty {
				dir, err := atlasmig.OpenDir(env.Dir)
				if err != nil {
					return err
				}
				if _, err := atlasmig.Apply(cmd.Context(), url, dir, atlasmig.ApplyOptions{}); err != nil {
					return err
				}
			}
			if len(args) > 0 {
				child := exec.CommandContext(cmd.Context(), args[0], args[1:]...)
				child.Env = append(os.Environ(), "DATABASE_URL="+url)
				child.Stdin, child.Stdout, child.Stderr = os.Stdin, cmd.OutOrStdout(), cmd.ErrOrStderr()
				if err := child.Run(); err != nil {
					return fmt.Errorf("%s: %w", args[0], err)
				}
				return nil
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Postgres is running; press Ctrl-C to stop and remove it.\nDATABASE_URL=%s\n", url)
			<-cmd.Context().Done()
			return nil
		},
	}
	cmd.Flags().BoolVar(&empty, "empty", false, "do not apply the migrations")
	return cmd
}
