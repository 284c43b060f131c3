package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/deploystack/stackdb/internal/atlasmig"
)

func (a *app) driftCmd() *cobra.Command {
	var (
		url, devURL, format string
		opts                atlasmig.DriftOptions
	)
	cmd := &cobra.Command{
		Use:   "drift",
		Short: "Report where the live schema differs from what its applied migrations produce (read-only)",
		Long: `Drift replays the applied migration files on a clean dev database and compares the result
with the live database, printing the statements that would reconcile them; it changes nothing.
It also names an applied file whose content changed after it was applied. Schemas stackdb
creates at run time (plugin_*) and the daily partitions of stackdb partitions (<table>_pYYYYMMDD)
are left out unless --include-runtime. It exits non-zero on drift.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "text" && format != "json" {
				return fmt.Errorf("drift: --format %q: want text or json", format)
			}
			// JSON output stays alone on the terminal.
			ws, err := a.resolve(cmd, request{migrations: true, db: namedDatabase, url: url, urlFlag: "--url", quiet: format == "json"})
			if err != nil {
				return err
			}
			defer ws.stop()
			dev, err := a.resolve(cmd, request{db: devDatabase, url: devURL, urlFlag: "--dev-url"})
			if err != nil {
				return err
			}
			defer dev.stop()
			opts.DevURL = dev.url
			report, err := atlasmig.Drift(cmd.Context(), ws.url, ws.dir, opts)
			if err != nil {
				return err
			}
			if err := writeDrift(cmd.OutOrStdout(), report, format); err != nil {
				return err
			}
			if report.Drifted() {
				return atlasmig.ErrDrift
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&url, "url", "", "database to check (default: DATABASE_URL or POSTGRES_*)")
	cmd.Flags().StringVar(&devURL, "dev-url", "", "clean database to replay on (default: the env's dev URL, or a throwaway Postgres)")
	cmd.Flags().BoolVar(&opts.IncludeRuntime, "include-runtime", false, "also compare the schemas (plugin_*) and partitions stackdb creates at run time")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

func writeDrift(w io.Writer, r *atlasmig.DriftReport, format string) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			*atlasmig.DriftReport
			Drifted bool `json:"drifted"`
		}{r, r.Drifted()})
	}
	fmt.Fprintf(w, "Database at version %s; %d pending file(s).\n", orNone(r.Current), len(r.Pending))
	for _, e := range r.Edited {
		if e.File == "" {
			fmt.Fprintf(w, "Applied version %s has no file any more.\n", e.Version)
			continue
		}
		fmt.Fprintf(w, "Edited after it was applied: %s (hash applied %s, now %s).\n", e.File, e.Applied, e.Current)
	}
	if len(r.Ignored) > 0 {
		fmt.Fprintf(w, "Not compared (made at run time by stackdb; --include-runtime compares them): %s.\n", strings.Join(r.Ignored, ", "))
	}
	if len(r.Statements) == 0 {
		if len(r.Edited) == 0 {
			fmt.Fprintln(w, "No drift: the schema matches its applied migrations.")
		}
		return nil
	}
	fmt.Fprintf(w, "Drift: %d statement(s) would make the schema match its applied migrations:\n", len(r.Statements))
	for _, s := range r.Statements {
		fmt.Fprintf(w, "  %s\n", s)
	}
	return nil
}
