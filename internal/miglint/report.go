package miglint

import (
	"fmt"
	"io"
)

// WriteText prints the report for people: the diagnostics grouped per
// file, then a summary line.
func (r *Report) WriteText(w io.Writer) error {
	for _, f := range r.Files {
		if len(f.Diagnostics) == 0 {
			fmt.Fprintf(w, "%s: ok", f.Name)
		} else {
			fmt.Fprintf(w, "%s:", f.Name)
		}
		if f.Suppressed > 0 {
			fmt.Fprintf(w, " (%d suppressed by atlas:nolint)", f.Suppressed)
		}
		fmt.Fprintln(w)
		for _, d := range f.Diagnostics {
			fmt.Fprintf(w, "  %s:%d: %s %s: %s\n", d.File, d.Line, d.Severity, d.Code, d.Message)
			fmt.Fprintf(w, "      %s\n", d.Statement)
		}
	}
	_, err := fmt.Fprintf(w, "%d file(s) linted: %d error(s), %d warning(s)\n", len(r.Files), r.Errors, r.Warnings)
	return err
}
