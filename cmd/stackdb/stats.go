package main

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/deploystack/stackdb/internal/dbinfo"
	"github.com/deploystack/stackdb/internal/dbpool"
)

func (a *app) statsCmd() *cobra.Command {
	var (
		url    string
		asJSON bool
		opts   dbinfo.StatsOptions
	)
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Show table and index sizes, scans, dead tuples and unused indexes",
		Long: `Show, for each table of stackdb's schema (public), its size, index size, live
and dead tuples, sequential and index scans and last (auto)vacuum and analyze;
and for each index its size, scans and whether it is unused (never scanned and
enforcing no primary key, unique or exclusion constraint). The counters come
from Postgres's cumulative statistics views and run since the last statistics
reset; sizes are bytes in --json. It changes nothing.

The database is --url, else DATABASE_URL, else POSTGRES_HOST and the other
POSTGRES_* variables; stats never starts a throwaway Postgres.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ws, err := a.resolve(cmd, request{db: namedDatabase, url: url, urlFlag: "--url"})
			if err != nil {
				return fmt.Errorf("stats: %w", err)
			}
			defer ws.stop()
			target := ws.url
			pool, err := dbpool.Open(cmd.Context(), target)
			if err != nil {
				return fmt.Errorf("stats: %w", err)
			}
			defer pool.Close()
			st, err := dbinfo.CollectStats(cmd.Context(), pool, opts)
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(st)
			}
			return printStats(cmd.OutOrStdout(), st)
		},
	}
	cmd.Flags().StringVar(&url, "url", "", "database to inspect (default: DATABASE_URL or POSTGRES_*)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the statistics as JSON")
	cmd.Flags().BoolVar(&opts.AllSchemas, "all-schemas", false, "include atlas_schema_revisions and the plugin_* schemas")
	return cmd
}

func printStats(out io.Writer, st *dbinfo.Stats) error {
	since := "the database was created (never reset)"
	if st.StatsReset != nil {
		since = st.StatsReset.Format(time.DateTime)
	}
	fmt.Fprintf(out, "Counters since %s.\n\n", since)
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "TABLE\tTOTAL\tTABLE\tINDEXES\tLIVE\tDEAD\tSEQ SCANS\tIDX SCANS\tLAST VACUUM\tLAST ANALYZE")
	for _, t := range st.Tables {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%s\t%s\n",
			qualified(t.SchemaName, t.TableName), size(t.TotalBytes), size(t.TableBytes), size(t.IndexBytes),
			t.LiveTuples, t.DeadTuples, t.SeqScans, t.IndexScans,
			latest(t.LastVacuum, t.LastAutovacuum), latest(t.LastAnalyze, t.LastAutoanalyze))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(out)
	w = tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "INDEX\tTABLE\tSIZE\tSCANS\tENFORCES\tUNUSED")
	unused := 0
	for _, x := range st.Indexes {
		enforces := "-"
		switch {
		case x.IsPrimary:
			enforces = "primary key"
		case x.IsUnique:
			enforces = "unique"
		}
		mark := ""
		if x.Unused {
			mark = "unused"
			unused++
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%s\t%s\n", x.IndexName, qualified(x.SchemaName, x.TableName), size(x.IndexBytes), x.IndexScans, enforces, mark)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(out, "\n%d table(s), %d index(es), %d unused.\n", len(st.Tables), len(st.Indexes), unused)
	return nil
}

func qualified(schema, name string) string {
	if schema == "public" {
		return name
	}
	return schema + "." + name
}

// latest is the later of a manual and an automatic run, marked "(auto)"
// when automatic.
func latest(manual, auto *time.Time) string {
	switch {
	case manual == nil && auto == nil:
		return "never"
	case auto == nil || (manual != nil && manual.After(*auto)):
		return manual.Format(time.DateTime)
	default:
		return auto.Format(time.DateTime) + " (auto)"
	}
}

// size formats a size the way pg_size_pretty does.
func size(n int64) string {
	const unit = 1024
	if n < 10*unit {
		return fmt.Sprintf("%d bytes", n)
	}
	v := n
	for _, u := range []string{"kB", "MB", "GB", "TB"} {
		if v = (v + unit/2) / unit; v < 10*unit {
			return fmt.Sprintf("%d %s", v, u)
		}
	}
	return fmt.Sprintf("%d PB", (v+unit/2)/unit)
}
