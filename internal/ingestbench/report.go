package ingestbench

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
)

// WriteTable prints the results side by side, a line per path and client
// count.
func (r *Report) WriteTable(out io.Writer) error {
	fmt.Fprintf(out, "PostgreSQL %s, %d s per step and side; ratio = stackdb / baseline;\n"+
		"IDLE%% = share of the side's backends found idle, waiting for their client (pg_stat_activity);\n"+
		"CPU us = the client's CPU time per operation (or row), user + system.\n", r.Server, r.StepSeconds)
	if r.PgBouncer != "" {
		fmt.Fprintf(out, "Both sides through %s (unnamed statements: pgx exec mode, pgbench -M extended).\n", r.PgBouncer)
	}
	fmt.Fprintln(out)
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "PATH\tCLIENTS\tSTACKDB\tP50 ms\tP99 ms\tIDLE%\tCPU us\tBASELINE\tRATE\tP50 ms\tP99 ms\tIDLE%\tCPU us\tRATIO\t")
	for _, x := range r.Results {
		fmt.Fprintf(w, "%s\t%d\t%s\t%.2f\t%.2f\t%.0f\t%.1f\t%s\t%s\t%.2f\t%.2f\t%.0f\t%.1f\t%s\t\n", x.Path, x.Clients,
			rate(x.Stackdb, x.Unit), x.Stackdb.P50Ms, x.Stackdb.P99Ms, 100*x.Stackdb.Waits["Client"], x.Stackdb.ClientCPUus, x.Baseline,
			rate(x.Base, x.Unit), x.Base.P50Ms, x.Base.P99Ms, 100*x.Base.Waits["Client"], x.Base.ClientCPUus, ratio(x))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	for _, x := range r.Results {
		for _, s := range []struct {
			who  string
			side Side
		}{{"stackdb", x.Stackdb}, {x.Baseline, x.Base}} {
			if s.side.Error != "" {
				fmt.Fprintf(out, "%s, %d clients, %s: %s\n", x.Path, x.Clients, s.who, s.side.Error)
			}
		}
	}
	return nil
}

func rate(s Side, unit string) string {
	if s.Error != "" {
		return "error"
	}
	return fmt.Sprintf("%.0f %s", s.Rate, unit)
}

func ratio(x Result) string {
	if x.Ratio == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2fx", x.Ratio)
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(out io.Writer) error {
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
