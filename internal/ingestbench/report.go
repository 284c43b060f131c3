package ingestbench

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
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
	return r.writeProfiles(out)
}

// writeProfiles prints, for each step below its baseline, where the
// client's time went and what both sides' backends waited on.
func (r *Report) writeProfiles(out io.Writer) error {
	first := true
	for _, x := range r.Results {
		p := x.Stackdb.Profile
		if p == nil {
			continue
		}
		if first {
			fmt.Fprintf(out, "\nWhere the time goes in the steps below their baseline (client CPU profile; backends' states):\n")
			first = false
		}
		fmt.Fprintf(out, "%s, %d clients (%s): client CPU %.1f us/op (baseline %.1f); %.0f allocs, %.0f B/op; GC %.0f%%; "+
			"%.1f context switches/op; scheduler p99 %.0f us\n", x.Path, x.Clients, ratio(x), x.Stackdb.ClientCPUus,
			x.Base.ClientCPUus, p.AllocsPerOp, p.BytesPerOp, 100*p.GCShare, p.SwitchesPerOp, p.SchedP99us)
		if len(p.CPU) > 0 {
			fmt.Fprintf(out, "  client CPU: %s\n  top: %s\n", shares(p.CPU, 0), strings.Join(p.Top, ", "))
		}
		fmt.Fprintf(out, "  backends, stackdb: %s\n  backends, %s: %s\n", shares(x.Stackdb.Waits, 5), x.Baseline, shares(x.Base.Waits, 5))
	}
	return nil
}

// shares lists m's shares, largest first (the first n when n > 0).
func shares(m map[string]float64, n int) string {
	keys := slices.SortedFunc(maps.Keys(m), func(a, b string) int { return cmp.Or(cmp.Compare(m[b], m[a]), strings.Compare(a, b)) })
	if n > 0 && len(keys) > n {
		keys = keys[:n]
	}
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %.0f%%", k, 100*m[k])
	}
	return strings.Join(parts, ", ")
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
