package main

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/deploystack/stackdb/internal/config"
	"github.com/deploystack/stackdb/internal/legacy"
	"github.com/deploystack/stackdb/internal/legacygen"
)

func (a *app) genLegacyCmd() *cobra.Command {
	var out, pgURL string
	opts := legacygen.Options{Rows: 100_000, Seed: 1}
	cmd := &cobra.Command{
		Use:   "gen-legacy (--out FILE | --postgres URL) [--rows N] [--seed S] [--defects] [--defect-rate R]",
		Short: "Write a synthetic DeployStack database, SQLite or Postgres (deterministic; for import tests and benchmarks)",
		Long: "Write a new SQLite file in DeployStack's real last SQLite layout (--out), or fill an empty\n" +
			"Postgres database in its Drizzle-era Postgres layout (--postgres; only the database that URL\n" +
			"names, never DATABASE_URL), every table filled with realistic, referentially consistent rows\n" +
			"and every value of every value set. The same --seed and --rows give the same rows.\n" +
			"--defects adds the defects real databases hold (dangling references where the layout has\n" +
			"no foreign key, values outside a value set, duplicates, invalid JSON, and in Postgres\n" +
			"unparsable ISO-8601 text and e-mails that differ only in case). --defect-rate spreads\n" +
			"such defects over that share of the large tables' rows of a SQLite file, for scale tests.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			start := time.Now()
			var st legacygen.Stats
			var err error
			dest := out
			if pgURL != "" {
				dest = "database " + config.Redact(pgURL)
				st, err = legacygen.GeneratePostgres(cmd.Context(), pgURL, opts)
			} else {
				if err := legacy.CheckDriver(); err != nil {
					return fmt.Errorf("gen-legacy: %w", err)
				}
				st, err = legacygen.Generate(cmd.Context(), out, opts)
			}
			if err != nil {
				return err
			}
			elapsed := time.Since(start)
			names := make([]string, 0, len(st.Tables))
			for n := range st.Tables {
				names = append(names, n)
			}
			slices.SortFunc(names, func(x, y string) int {
				return cmp.Or(cmp.Compare(st.Tables[y], st.Tables[x]), cmp.Compare(x, y))
			})
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintf(w, "Table\t%10s\t%6s\n", "Rows", "Share")
			for _, n := range names {
				fmt.Fprintf(w, "%s\t%10d\t%5.1f%%\n", n, st.Tables[n], 100*float64(st.Tables[n])/float64(st.Total))
			}
			if err := w.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Wrote %d rows to %s in %s (seed %d).\n", st.Total, dest, elapsed.Round(time.Millisecond), opts.Seed)
			if len(st.Defects) > 0 {
				kinds := slices.Sorted(maps.Keys(st.Defects))
				parts := make([]string, len(kinds))
				for i, k := range kinds {
					parts[i] = fmt.Sprintf("%s %d", k, st.Defects[k])
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Defects: %s.\n", strings.Join(parts, ", "))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "SQLite file to create (must not exist)")
	cmd.Flags().StringVar(&pgURL, "postgres", "", "URL of an empty Postgres database to fill in DeployStack's Postgres layout")
	cmd.Flags().IntVar(&opts.Rows, "rows", opts.Rows, fmt.Sprintf("approximate total number of rows (at least %d)", legacygen.MinRows))
	cmd.Flags().Int64Var(&opts.Seed, "seed", opts.Seed, "random seed")
	cmd.Flags().BoolVar(&opts.Defects, "defects", false, "add the defects real DeployStack files hold")
	cmd.Flags().Float64Var(&opts.DefectRate, "defect-rate", 0, "give this share of the large tables' rows (0.01: 1%) one bad value each")
	cmd.MarkFlagsOneRequired("out", "postgres")
	cmd.MarkFlagsMutuallyExclusive("out", "postgres")
	return cmd
}
