package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/deploystack/stackdb/internal/config"
	"github.com/deploystack/stackdb/internal/dbinfo"
)

// notReady is the error that makes `stackdb status` exit non-zero after its
// report: the first thing that stands in the way.
func notReady(st *dbinfo.Status) error {
	switch {
	case !st.Configured:
		return errors.New("status: no database: set DATABASE_URL or POSTGRES_HOST, or pass --url")
	case !st.Reachable:
		return errors.New("status: the database is unreachable")
	case st.Error != "":
		return errors.New("status: the migration state could not be read")
	case st.LastError != nil:
		return fmt.Errorf("status: migration %s failed", st.LastError.Version)
	case st.NotClean != "":
		return errors.New("status: the database has objects but no revisions")
	default:
		return fmt.Errorf("status: %d migration(s) pending", st.Pending)
	}
}

func (a *app) dbStatusCmd() *cobra.Command {
	var (
		url     string
		asJSON  bool
		timeout time.Duration
	)
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Report whether the database is configured, reachable and migrated",
		Long: `Report whether the database is configured, reachable and fully migrated:
its current version, pending migrations and the last failed migration. It is the
data-layer side of DeployStack's GET /api/db/status, and changes nothing.

The database is --url, else DATABASE_URL, else POSTGRES_HOST and the other
POSTGRES_* variables; status never starts a throwaway Postgres. Migrations are
compared with the directory of atlas.hcl's env when the project file exists,
else with the migrations embedded in the binary.

Exit status: 0 when the database is configured, reachable and fully migrated;
1 otherwise (not configured, unreachable, pending or failed migrations), and
for a command error.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// No database named is a report (configured: no), not an error.
			ws, err := a.resolve(cmd, request{migrations: true, db: namedDatabase, url: url, urlFlag: "--url", quiet: true})
			if errors.Is(err, errNoTarget) {
				ws, err = a.resolve(cmd, request{migrations: true, quiet: true})
			}
			if err != nil {
				return err
			}
			defer ws.stop()
			target, dir, dirName := ws.url, ws.dir, ws.dirName()
			ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
			defer cancel()
			st, err := dbinfo.CheckStatus(ctx, target, dir)
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				if err := enc.Encode(st); err != nil {
					return err
				}
			} else if err := printStatus(cmd.OutOrStdout(), st, target, dirName); err != nil {
				return err
			}
			if !st.Ready() {
				return notReady(st)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&url, "url", "", "database to inspect (default: DATABASE_URL or POSTGRES_*)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	cmd.Flags().DurationVar(&timeout, "timeout", 10*time.Second, "give up connecting after this long")
	return cmd
}

func printStatus(out io.Writer, st *dbinfo.Status, target, dirName string) error {
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	if !st.Configured {
		fmt.Fprintf(w, "Configured:\tno (set DATABASE_URL or POSTGRES_HOST, or pass --url)\n")
		return w.Flush()
	}
	fmt.Fprintf(w, "Database:\t%s\n", config.Redact(target))
	fmt.Fprintf(w, "Migrations:\t%s\n", dirName)
	fmt.Fprintf(w, "Reachable:\t%s\n", yesNo(st.Reachable))
	if st.Reachable && st.Error == "" {
		fmt.Fprintf(w, "Migrated:\t%s\n", yesNo(st.Migrated))
		fmt.Fprintf(w, "Current version:\t%s\n", orNone(st.CurrentVersion))
		fmt.Fprintf(w, "Applied:\t%d\n", st.Applied)
		fmt.Fprintf(w, "Pending:\t%d\n", st.Pending)
		for _, p := range st.PendingFiles {
			fmt.Fprintf(w, "\t%s\n", p)
		}
	}
	if st.NotClean != "" {
		fmt.Fprintf(w, "Not clean:\t%s (apply needs --baseline)\n", st.NotClean)
	}
	if e := st.LastError; e != nil {
		fmt.Fprintf(w, "Last error:\tversion %s: %s\n\tstatement: %s\n", e.Version, e.Error, e.Statement)
	}
	if st.Error != "" {
		fmt.Fprintf(w, "Error:\t%s\n", st.Error)
	}
	return w.Flush()
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
