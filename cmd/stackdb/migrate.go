package main

import (
	"errors"
	"fmt"
	"strings"
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
		Use:   "diff [NAME]",
		Short: "Write a migration for the difference between the schema files and the migration directory",
		Long: `Plans the difference between the schema files and the migration directory on a
clean dev database and writes it as NAME's migration file. With --check it
writes nothing (and needs no NAME) and fails when a migration would be written.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := "check" // with --check nothing is written: the name is never used
			switch {
			case len(args) == 1:
				name = args[0]
			case !check:
				return errors.New("migrate diff: NAME is required (the new file's name, e.g. add_user_nickname), unless --check")
			}
			ws, err := a.resolve(cmd, request{project: true, db: devDatabase, url: devURL, urlFlag: "--dev-url"})
			if err != nil {
				return err
			}
			defer ws.stop()
			file, err := atlasmig.Diff(cmd.Context(), atlasmig.DiffOptions{
				DevURL: ws.url, SchemaDir: ws.env.SchemaDir, Dir: ws.dir, Name: name, Check: check,
			})
			switch {
			case err != nil:
				return err
			case file == "":
				fmt.Fprintln(cmd.OutOrStdout(), "The migration directory is in sync with the schema files; no changes to be made.")
			default:
				fmt.Fprintf(cmd.OutOrStdout(), "Wrote %s/%s and updated atlas.sum.\n", ws.env.Dir, file)
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
			ws, err := a.resolve(cmd, request{migrations: true, db: namedDatabase, url: url, urlFlag: "--url"})
			if err != nil {
				return err
			}
			defer ws.stop()
			opts.Log = cmd.OutOrStdout()
			report, err := atlasmig.Apply(cmd.Context(), ws.url, ws.dir, opts)
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
	cmd.Flags().StringVar(&url, "url", "", "database to migrate (default: DATABASE_URL, else POSTGRES_*; one is required)")
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
			ws, err := a.resolve(cmd, request{migrations: true, db: namedDatabase, url: url, urlFlag: "--url"})
			if err != nil {
				return err
			}
			defer ws.stop()
			st, err := atlasmig.Status(cmd.Context(), ws.url, ws.dir)
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
			if f := st.Failed; f != nil {
				fmt.Fprintf(w, "Failed:\tversion %s (%d of %d statements applied): %s\n\tstatement: %s\n",
					f.Version, f.Applied, f.Total, f.Error, strings.TrimSpace(f.ErrorStmt))
			}
			return w.Flush()
		},
	}
	cmd.Flags().StringVar(&url, "url", "", "database to inspect (default: DATABASE_URL, else POSTGRES_*; one is required)")
	return cmd
}

func (a *app) validateCmd() *cobra.Command {
	var devURL string
	cmd := &cobra.Command{
		Use:   "validate",
		Short: "Check atlas.sum and replay the directory on a clean dev database",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ws, err := a.resolve(cmd, request{project: true, db: devDatabase, url: devURL, urlFlag: "--dev-url"})
			if err != nil {
				return err
			}
			defer ws.stop()
			start := time.Now()
			if err := atlasmig.Validate(cmd.Context(), ws.url, ws.dir); err != nil {
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
			ws, err := a.resolve(cmd, request{project: true, db: noDatabase})
			if err != nil {
				return err
			}
			if err := atlasmig.WriteSum(ws.dir); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Wrote %s/atlas.sum.\n", ws.env.Dir)
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
