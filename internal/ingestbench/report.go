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
		"CLIENT%% = share of the side's backends found idle, waiting for their client (pg_stat_activity).\n\n", r.Server, r.StepSeconds)
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "PATH\tCLIENTS\tSTACKDB\tP50 ms\tP99 ms\tCLIENT%\tBASELINE\tRATE\tP50 ms\tP99 ms\tCLIENT%\tRATIO\t")
	for _, x := range r.Results {
		fmt.Fprintf(w, "%s\t%d\t%s\t%.2f\t%.2f\t%.0f\t%s\t%s\t%.2f\t%.2f\t%.0f\t%s\t\n", x.Path, x.Clients,
			rate(x.Stackdb, x.Unit), x.Stackdb.P50Ms, x.Stackdb.P99Ms, 100*x.Stackdb.Waits["Client"], x.Baseline,
			rate(x.Base, x.Unit), x.Base.P50Ms, x.Base.P99Ms, 100*x.Base.Waits["Client"], ratio(x))
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
