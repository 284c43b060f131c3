package main

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"time"

	"github.com/spf13/cobra"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/gen/dbsqlc"
	"github.com/deploystack/stackdb/internal/config"
	"github.com/deploystack/stackdb/internal/ingestbench"
)

func (a *app) benchCmd() *cobra.Command {
	var (
		cfg                  ingestbench.Config
		jsonFile, plotFile   string
		cpuProfile, urlValue string
	)
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Benchmark the satellite write paths against pgbench and psql \\copy running the same SQL",
		Long: `Benchmark DeployStack's satellite write paths through the generated queries
(stackdb.New over gen/dbsqlc, pgx) against pgbench -M prepared running the very
same statements with the same parameters, on the same database in the same run,
alternating per step; bulk usage logs go through COPY against psql's \copy of
the same rows. Paths: ` + fmt.Sprint(ingestbench.PathNames()) + `.

Each path runs for --duration per client count and side, and prints its rate,
p50/p99 latency and the ratio stackdb / baseline; --json and --plot write the
same as JSON and as an SVG chart.

It runs on a throwaway cluster, or with --url on that server, in a scratch
database it creates and drops (it never writes to --url's database; the user
needs CREATEDB). pgbench and psql must be installed.

--pgbouncer runs both sides through a transaction-mode PgBouncer started on
loopback in front of the scratch database (pgbouncer must be installed), with
--pgbouncer-pool-size server connections (default 20, PgBouncer's own). Before
PgBouncer 1.21 (Debian bookworm has 1.18) a prepared statement does not
survive its transaction, so both sides then use unnamed statements instead:
pgx's exec mode and pgbench -M extended. Compare a run with and without it
for the pooler's cost.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if urlValue != "" {
				if err := config.CheckURL(urlValue); err != nil {
					return fmt.Errorf("bench: --url: %w", err)
				}
			}
			cfg.URL = urlValue
			cfg.Queries = func(db ingestbench.DB) dbsqlc.Querier { return stackdb.New(db) }
			cfg.Progress = cmd.ErrOrStderr()
			if cpuProfile != "" {
				f, err := os.Create(cpuProfile)
				if err != nil {
					return fmt.Errorf("bench: %w", err)
				}
				defer f.Close()
				if err := pprof.StartCPUProfile(f); err != nil {
					return fmt.Errorf("bench: cpu profile: %w", err)
				}
				defer pprof.StopCPUProfile()
			}
			rep, runErr := ingestbench.Run(cmd.Context(), cfg)
			if rep == nil || len(rep.Results) == 0 {
				return runErr
			}
			// An interrupted run still shows and writes the steps it did.
			if err := rep.WriteTable(cmd.OutOrStdout()); err != nil {
				return err
			}
			if jsonFile != "" {
				if err := writeFile(jsonFile, rep.WriteJSON); err != nil {
					return fmt.Errorf("bench: --json: %w", err)
				}
			}
			if plotFile != "" {
				if err := writeFile(plotFile, rep.WriteSVG); err != nil {
					return fmt.Errorf("bench: --plot: %w", err)
				}
			}
			return runErr
		},
	}
	f := cmd.Flags()
	f.StringVar(&urlValue, "url", "", "server to run on, in a scratch database of its own (default: a throwaway cluster)")
	f.IntSliceVar(&cfg.Clients, "clients", []int{1, 8, 32}, "numbers of concurrent clients, a step each")
	f.DurationVar(&cfg.Duration, "duration", 10*time.Second, "time per step and side (whole seconds)")
	f.StringSliceVar(&cfg.Paths, "paths", nil, "paths to run (default: all)")
	f.IntVar(&cfg.CopyRows, "copy-rows", 200000, "rows each COPY step loads per side")
	f.StringVar(&jsonFile, "json", "", "write the results as JSON to `FILE`")
	f.StringVar(&plotFile, "plot", "", "write an SVG chart of throughput and p99 against clients to `FILE`")
	f.BoolVar(&cfg.PgBouncer, "pgbouncer", false, "run both sides through a transaction-mode PgBouncer in front of the database")
	f.IntVar(&cfg.PgBouncerPoolSize, "pgbouncer-pool-size", 0, "the PgBouncer's server connections (default 20; only with --pgbouncer)")
	f.StringVar(&cfg.Pgbench, "pgbench", "pgbench", "pgbench binary")
	f.StringVar(&cfg.Psql, "psql", "psql", "psql binary")
	f.StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the stackdb side to `FILE` (go tool pprof)")
	return cmd
}

// writeFile writes a report with write to name.
func writeFile(name string, write func(io.Writer) error) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}
