package main

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/deploystack/stackdb/internal/atlasmig"
)

func (a *app) migrateCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Write, check and apply versioned migrations (Atlas format)",
	}
	cmd.AddCommand(a.diffCmd(), a.applyCmd(), a.statusCmd(), a.validateCmd(), a.hashCmd(), a.lintCmd(), a.driftCmd())
	return cmd
}

func (a *app) diffCmd() *cobra.Command {
	var devURL string
	var check bool
	cmd := &cobra.Command{
		Use:   "diff NAME",
		Short: "Write a migration for the difference between the schema files and the migration directory",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			env, err := a.env()
			if err != nil {
				return err
			}
			dir, err := atlasmig.OpenDir(env.Dir)
			if err != nil {
				return err
			}
			dev, cleanup, err := devDatabase(cmd.Context(), devURL, env)
			if err != nil {
				return err
			}
			defer cleanup()
			name, err := atlasmig.Diff(cmd.Context(), atlasmig.DiffOptions{
				DevURL: dev, SchemaDir: env.SchemaDir, Dir: dir, Name: args[0], Check: check,
			})
			switch {
			case err != nil:
				return err
			case name == "":
				fmt.Fprintln(cmd.OutOrStdout(), "The migration directory is in sync with the schema files; no changes to be made.")
			default:
				fmt.Fprintf(cmd.OutOrStdout(), "Wrote %s/%s and updated atlas.sum.\n", env.Dir, name)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&devURL, "dev-url", "", "clean database to plan on (default: the env's dev URL, or a throwaway Postgres)")
	cmd.Flags().BoolVar(&check, "check", false, "write nothing; fail when a migration would be written")
	return cmd
}

func (a *app) applyCmd() *cobra.Command {
	var url string
	var opts atlasmig.ApplyOptions
	cmd := &cobra.Command{
		Use:   "apply",
		Short: "Apply pending migrations (verifies atlas.sum, holds the Atlas advisory lock)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			env, err := a.env()
			if err != nil {
				return err
			}
			dir, err := atlasmig.OpenDir(env.Dir)
			if err != nil {
				return err
			}
			target, cleanup, err := target(cmd.Context(), url)
			if err != nil {
				return err
			}
			defer cleanup()
			opts.Log = cmd.OutOrStdout()
			report, err := atlasmig.Apply(cmd.Context(), target, dir, opts)
			if err != nil {
				return err
			}
			switch {
			case opts.DryRun:
				fmt.Fprintf(cmd.OutOrStdout(), "Dry run: %d file(s) would be applied; nothing was changed.\n", len(report.Applied))
			case len(report.Applied) == 0:
				fmt.Fprintf(cmd.OutOrStdout(), "No pending migrations; the database is at version %s.\n", orNone(report.Current))
			default:
				fmt.Fprintf(cmd.OutOrStdout(), "Applied %d file(s); the database is at version %s.\n", len(report.Applied), orNone(report.Current))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&url, "url", "", "database to migrate (default: DATABASE_URL, POSTGRES_*, or a throwaway Postgres)")
	cmd.Flags().BoolVar(&opts.DryRun, "dry-run", false, "print the pending files and statements without executing them")
	cmd.Flags().StringVar(&opts.Baseline, "baseline", "", "on a database without revisions, treat files up to VERSION as applied")
	cmd.Flags().StringVar(&opts.To, "to", "", "apply up to and including VERSION")
	cmd.Flags().DurationVar(&opts.LockTimeout, "lock-timeout", atlasmig.DefaultLockTimeout, "how long to wait for a concurrent apply")
	return cmd
}

func (a *app) statusCmd() *cobra.Command {
	var url string
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show applied and pending migrations",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			env, err := a.env()
			if err != nil {
				return err
			}
			dir, err := atlasmig.OpenDir(env.Dir)
			if err != nil {
				return err
			}
			target, cleanup, err := target(cmd.Context(), url)
			if err != nil {
				return err
			}
			defer cleanup()
			st, err := atlasmig.Status(cmd.Context(), target, dir)
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintf(w, "Current version:\t%s\n", orNone(st.Current))
			fmt.Fprintf(w, "Applied:\t%d\n", len(st.Applied))
			fmt.Fprintf(w, "Pending:\t%d\n", len(st.Pending))
			for _, p := range st.Pending {
				fmt.Fprintf(w, "\t%s\n", p)
			}
			if st.NotClean != "" {
				fmt.Fprintf(w, "Not clean:\t%s (apply needs --baseline)\n", st.NotClean)
			}
			if st.Failed != nil {
				fmt.Fprintf(w, "Last error:\tversion %s: %s\n\tstatement: %s\n", st.Failed.Version, st.Failed.Error, st.Failed.ErrorStmt)
			}
			return w.Flush()
		},
	}
	cmd.Flags().StringVar(&url, "url", "", "database to inspect (default: DATABASE_URL, POSTGRES_*, or a throwaway Postgres)")
	return cmd
}

func (a *app) validateCmd() *cobra.Command {
	var devURL string
	cmd := &cobra.Command{
		Use:   "validate",
		Short: "Check atlas.sum and replay the directory on a clean dev database",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			env, err := a.env()
			if err != nil {
				return err
			}
			dir, err := atlasmig.OpenDir(env.Dir)
			if err != nil {
				return err
			}
			dev, cleanup, err := devDatabase(cmd.Context(), devURL, env)
			if err != nil {
				return err
			}
			defer cleanup()
			start := time.Now()
			if err := atlasmig.Validate(cmd.Context(), dev, dir); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "The migration directory is valid (atlas.sum matches; replayed in %s).\n", time.Since(start).Round(time.Millisecond))
			return nil
		},
	}
	cmd.Flags().StringVar(&devURL, "dev-url", "", "clean database to replay on (default: the env's dev URL, or a throwaway Postgres)")
	return cmd
}

func (a *app) hashCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "hash",
		Short: "Rewrite atlas.sum after a deliberate manual edit of a migration file",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			env, err := a.env()
			if err != nil {
				return err
			}
			dir, err := atlasmig.OpenDir(env.Dir)
			if err != nil {
				return err
			}
			if err := atlasmig.WriteSum(dir); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Wrote %s/atlas.sum.\n", env.Dir)
			return nil
		},
	}
}

func orNone(v string) string {
	if v == "" {
		return "(none)"
	}
	return v
}
