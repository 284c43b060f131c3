package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/deploystack/stackdb/internal/migrate"
	"github.com/deploystack/stackdb/internal/pgcluster"
)

func (a *app) devCmd() *cobra.Command {
	var empty bool
	cmd := &cobra.Command{
		Use:   "dev",
		Short: "Run a throwaway Postgres in the foreground (migrated unless --empty) until Ctrl-C",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
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
				dir, err := migrate.OpenDir(env.Dir)
				if err != nil {
					return err
				}
				if _, err := migrate.Apply(cmd.Context(), url, dir, migrate.ApplyOptions{}); err != nil {
					return err
				}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Postgres is running; press Ctrl-C to stop and remove it.\nDATABASE_URL=%s\n", url)
			<-cmd.Context().Done()
			return nil
		},
	}
	cmd.Flags().BoolVar(&empty, "empty", false, "do not apply the migrations")
	return cmd
}
