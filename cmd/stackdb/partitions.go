package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/deploystack/stackdb/internal/dbpool"
	"github.com/deploystack/stackdb/internal/partition"
)

func (a *app) partitionsCmd() *cobra.Command {
	var (
		url       string
		asJSON    bool
		ahead     int
		retention map[string]int
	)
	cmd := &cobra.Command{
		Use:   "partitions",
		Short: "Create the coming days' partitions and drop those past retention",
		Long: `Keep the partitions of the time-partitioned tables (UTC days by their time
column: satellite_heartbeats, satellite_usage_logs, mcp_client_activity_metrics,
mcp_server_logs, mcp_request_logs; UTC months: audit_logs): create the
partitions of today and the next --ahead days, moving their rows out of the
table's DEFAULT partition, and drop the partitions whose whole day (month) is
older than the table's retention (and delete the DEFAULT partition's rows that
old). One transaction under an advisory lock: safe to run from every instance
at once, and a second run finds nothing to do. Run it daily (and after migrate
apply).

Default retention: satellite_heartbeats 7 days, mcp_client_activity_metrics 3,
audit_logs 365 (a month is dropped when its last day is a year old), the others
kept (0). --retention-days audit_logs=730 changes one; 0 keeps everything.

The database is --url, else DATABASE_URL, else POSTGRES_HOST and the other
POSTGRES_* variables; partitions never starts a throwaway Postgres.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			tables, err := withRetention(retention)
			if err != nil {
				return fmt.Errorf("partitions: %w", err)
			}
			if ahead < 1 {
				return fmt.Errorf("partitions: --ahead is %d, want at least 1 (days after today)", ahead)
			}
			ws, err := a.resolve(cmd, request{db: namedDatabase, url: url, urlFlag: "--url"})
			if err != nil {
				return fmt.Errorf("partitions: %w", err)
			}
			defer ws.stop()
			pool, err := dbpool.Open(cmd.Context(), ws.url)
			if err != nil {
				return fmt.Errorf("partitions: %w", err)
			}
			defer pool.Close()
			opts := partition.Options{Tables: tables, Ahead: ahead}
			if !asJSON {
				opts.Log = func(line string) { fmt.Fprintln(cmd.OutOrStdout(), line) }
			}
			rep, err := partition.Maintain(cmd.Context(), pool, opts)
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(rep)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Partitions: %d created, %d dropped; %d rows moved out of and %d deleted from DEFAULT partitions.\n",
				len(rep.Created), len(rep.Dropped), rep.Moved, rep.Deleted)
			return nil
		},
	}
	cmd.Flags().StringVar(&url, "url", "", "database to maintain (default: DATABASE_URL or POSTGRES_*)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print what changed as JSON")
	cmd.Flags().IntVar(&ahead, "ahead", partition.DefaultAhead, "days after today to create partitions for")
	cmd.Flags().StringToIntVar(&retention, "retention-days", nil, "TABLE=DAYS: keep TABLE's partitions DAYS days (0: keep all)")
	return cmd
}

// withRetention is partition.Tables with the retention days of flags.
func withRetention(days map[string]int) ([]partition.Table, error) {
	tables := slices.Clone(partition.Tables)
	for _, name := range slices.Sorted(maps.Keys(days)) {
		i := slices.IndexFunc(tables, func(t partition.Table) bool { return t.Name == name })
		switch {
		case i < 0:
			return nil, fmt.Errorf("--retention-days: %s is not a partitioned table (want one of %s)", name, tableNames(tables))
		case days[name] < 0:
			return nil, fmt.Errorf("--retention-days: %s=%d, want 0 (keep all) or more days", name, days[name])
		}
		tables[i].Retention = time.Duration(days[name]) * partition.Day
	}
	return tables, nil
}

func tableNames(tables []partition.Table) string {
	var s string
	for i, t := range tables {
		if i > 0 {
			s += ", "
		}
		s += t.Name
	}
	return s
}
