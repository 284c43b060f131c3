package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
	"golang.org/x/term"

	"github.com/deploystack/stackdb/internal/atlasmig"
	"github.com/deploystack/stackdb/internal/importer"
	"github.com/deploystack/stackdb/internal/legacy"
	"github.com/deploystack/stackdb/schema"
)

func (a *app) importSQLiteCmd() *cobra.Command {
	var f importFlags
	cmd := &cobra.Command{
		Use:   "import-sqlite --from legacy.db [--to URL | --dry-run]",
		Short: "Import a legacy DeployStack SQLite database into the migrated Postgres schema, verified, all or nothing",
		Long: `Moves a legacy SQLite database into the Postgres schema in one transaction:
every value converted by the rules of internal/importer, every table verified by
row count and checksum before the commit. On any defect nothing is committed and
the full report is printed, unless --on-error=skip, which imports everything
else and writes the rejected rows as JSON lines to --rejected, before the
commit (if they cannot be written, nothing is committed); an existing file is
replaced only with --force. One import runs at a time per target database.

The target is --to, else DATABASE_URL or POSTGRES_*; without one the command
fails. --dry-run imports into a throwaway Postgres (migrated first) that is
removed afterwards: it checks a file and touches no database.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := legacy.CheckDriver(); err != nil {
				return fmt.Errorf("import-sqlite: %w", err)
			}
			return a.runImport(cmd, &f, importer.SQLiteFile, importer.CheckFile, f.from+".rejected.jsonl",
				", or use --dry-run to try the file on a throwaway Postgres")
		},
	}
	f.register(cmd, "legacy SQLite database file (required)", "FROM.rejected.jsonl")
	return cmd
}

// importFlags are the flags of the import commands.
type importFlags struct {
	from, to, onError, rejectedPath string
	truncate, asJSON, dryRun, force bool
	maps                            []string
}

func (f *importFlags) register(cmd *cobra.Command, fromUsage, rejectedDefault string) {
	cmd.Flags().StringVar(&f.from, "from", "", fromUsage)
	cmd.Flags().StringVar(&f.to, "to", "", "target database URL (default: DATABASE_URL, else POSTGRES_*)")
	cmd.Flags().BoolVar(&f.dryRun, "dry-run", false, "import into a throwaway Postgres (migrated first) that is removed afterwards")
	cmd.Flags().StringVar(&f.onError, "on-error", "abort", "abort: import nothing on any defect; skip: import the rest, write rejected rows to --rejected")
	cmd.Flags().StringVar(&f.rejectedPath, "rejected", "", "with --on-error=skip: JSON-lines file for rejected rows (default: "+rejectedDefault+")")
	cmd.Flags().BoolVar(&f.force, "force", false, "with --on-error=skip: overwrite an existing --rejected file")
	cmd.Flags().BoolVar(&f.truncate, "truncate", false, "empty the target's application tables first (refused otherwise when they hold data)")
	cmd.Flags().BoolVar(&f.asJSON, "json", false, "print a machine-readable summary on stdout")
	cmd.Flags().StringArrayVar(&f.maps, "map", nil, "table.column=from:to: import the legacy value from as to, before checking it (repeatable)")
	_ = cmd.MarkFlagRequired("from")
	cmd.MarkFlagsMutuallyExclusive("to", "dry-run")
}

// runImport runs an import command: check is the source's cheap check,
// run before a throwaway Postgres is set up; rejectedDefault is --rejected's
// default.
func (a *app) runImport(cmd *cobra.Command, f *importFlags, kind importer.SourceKind, check func(string) error, rejectedDefault, hint string) error {
	mode, err := parseMode(f.onError)
	if err != nil {
		return err
	}
	var valueMaps []importer.ValueMap
	for _, s := range f.maps {
		m, err := importer.ParseValueMap(s)
		if err != nil {
			return fmt.Errorf("--map: %w", err)
		}
		valueMaps = append(valueMaps, m)
	}
	// Before a throwaway Postgres is set up, which takes seconds.
	if f.dryRun {
		if err := check(f.from); err != nil {
			return err
		}
	}
	rejectedPath := f.rejectedPath
	var rejected *rejectedFile
	if mode == importer.Skip {
		if rejectedPath == "" {
			rejectedPath = rejectedDefault
		}
		if rejected, err = createRejected(rejectedPath, f.force); err != nil {
			return err
		}
		defer rejected.discard()
	}
	ctx := cmd.Context()
	req := request{db: namedDatabase, url: f.to, urlFlag: "--to", hint: hint}
	if f.dryRun {
		req.db = throwawayDatabase
	}
	ws, err := a.resolve(cmd, req)
	if err != nil {
		return err
	}
	defer ws.stop()
	if f.dryRun {
		// The importer expects the schema this binary was built with.
		dir, err := schema.Dir()
		if err != nil {
			return err
		}
		if _, err := atlasmig.Apply(ctx, ws.url, dir, atlasmig.ApplyOptions{}); err != nil {
			return err
		}
		fmt.Fprintln(cmd.ErrOrStderr(), "stackdb: dry run: importing into a throwaway Postgres that is removed afterwards")
	}
	progress := newProgress(cmd.ErrOrStderr(), f.asJSON)
	opts := importer.Options{From: f.from, Source: kind, To: ws.url, OnError: mode, Truncate: f.truncate, Map: valueMaps}
	if !f.asJSON {
		// Exact progress totals cost a count of every table; --json prints no progress.
		opts.Progress = progress.event
	}
	if rejected != nil {
		opts.WriteRejected = rejected.write
	}
	report, runErr := importer.Run(ctx, opts)
	// A failed run returns its report too, with its spool files.
	defer func() { _ = report.Close() }()
	progress.wait()
	written := ""
	if rejected != nil && rejected.finish(report != nil && report.Committed) {
		written = rejectedPath
	}
	if report != nil {
		if f.asJSON {
			if err := writeJSONReport(cmd.OutOrStdout(), report, written, f.dryRun, runErr); err != nil {
				return err
			}
		} else if runErr == nil || reached(report) {
			writeTextReport(cmd.OutOrStdout(), report, written, f.dryRun)
		}
	}
	return runErr
}

func parseMode(s string) (importer.Mode, error) {
	switch s {
	case "abort":
		return importer.Abort, nil
	case "skip":
		return importer.Skip, nil
	}
	return 0, fmt.Errorf("--on-error=%q: want abort or skip", s)
}

// progress shows one bar per table on a terminal, plain lines otherwise, and
// nothing with --json (stderr stays free for errors).
type progress struct {
	out   io.Writer
	bars  *mpb.Progress
	mu    sync.Mutex
	bar   map[string]*mpb.Bar
	last  map[string]time.Time
	start map[string]time.Time
	quiet bool
}

func newProgress(out io.Writer, quiet bool) *progress {
	p := &progress{out: out, quiet: quiet, bar: map[string]*mpb.Bar{}, last: map[string]time.Time{}, start: map[string]time.Time{}}
	if f, ok := out.(*os.File); ok && !quiet && term.IsTerminal(int(f.Fd())) {
		p.bars = mpb.New(mpb.WithOutput(out), mpb.WithWidth(40))
	}
	return p
}

func (p *progress) event(e importer.ProgressEvent) {
	if p.quiet {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bars != nil {
		b, ok := p.bar[e.Table]
		if !ok {
			b = p.bars.AddBar(e.Total,
				mpb.PrependDecorators(decor.Name(e.Table, decor.WC{C: decor.DindentRight | decor.DextraSpace, W: 34}),
					decor.CountersNoUnit("%d / %d", decor.WCSyncWidth)),
				mpb.AppendDecorators(decor.AverageSpeed(0, "%.0f rows/s", decor.WCSyncSpace),
					decor.OnComplete(decor.AverageETA(decor.ET_STYLE_GO, decor.WCSyncSpace), "done")))
			p.bar[e.Table] = b
		}
		b.SetCurrent(e.Done)
		if e.Done >= e.Total {
			b.SetTotal(e.Total, true)
		}
		return
	}
	now := time.Now()
	if _, ok := p.start[e.Table]; !ok {
		p.start[e.Table] = now
	}
	if e.Done < e.Total && now.Sub(p.last[e.Table]) < 2*time.Second {
		return
	}
	p.last[e.Table] = now
	elapsed := now.Sub(p.start[e.Table]).Seconds()
	rate := 0.0
	if elapsed > 0 {
		rate = float64(e.Done) / elapsed
	}
	eta := "-"
	if rate > 0 && e.Done < e.Total {
		eta = (time.Duration(float64(e.Total-e.Done)/rate) * time.Second).Round(time.Second).String()
	}
	fmt.Fprintf(p.out, "import %s -> %s: %d/%d rows (%.0f rows/s, ETA %s)\n", e.Table, e.Target, e.Done, e.Total, rate, eta)
}

func (p *progress) wait() {
	if p.bars == nil {
		return
	}
	p.mu.Lock()
	for _, b := range p.bar {
		if !b.Completed() {
			b.Abort(false)
		}
	}
	p.mu.Unlock()
	p.bars.Wait()
}

// rejectedFile writes the rejected rows of a skip-mode run where the user
// asked, before the importer commits: the rows go to a temporary file in
// the same directory, created before the import starts (so an unwritable
// directory fails before the target is touched), and take the final name
// only once written and synced. An existing file is replaced only with
// --force; the check is repeated atomically when the name is taken.
type rejectedFile struct {
	path    string
	force   bool
	tmp     *os.File
	written bool // the rows are at path
}

func createRejected(path string, force bool) (*rejectedFile, error) {
	if _, err := os.Lstat(path); err == nil && !force {
		return nil, fmt.Errorf("--rejected: %s already exists; move it away, name another file, or use --force to overwrite it", path)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("--rejected: cannot write the rejected rows next to %s: %w", path, err)
	}
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return nil, fmt.Errorf("--rejected: %w", err)
	}
	return &rejectedFile{path: path, force: force, tmp: tmp}, nil
}

// write is importer.Options.WriteRejected: it copies the JSON lines.
func (r *rejectedFile) write(rows io.Reader) error {
	if _, err := io.Copy(r.tmp, rows); err != nil {
		return fmt.Errorf("write rejected rows to %s: %w", r.tmp.Name(), err)
	}
	if err := r.tmp.Sync(); err != nil {
		return fmt.Errorf("write rejected rows to %s: %w", r.tmp.Name(), err)
	}
	if r.force {
		if err := os.Rename(r.tmp.Name(), r.path); err != nil {
			return fmt.Errorf("write rejected rows: %w", err)
		}
	} else {
		if err := os.Link(r.tmp.Name(), r.path); err != nil {
			if errors.Is(err, fs.ErrExist) {
				return fmt.Errorf("write rejected rows: %s appeared during the import; use --force to overwrite it", r.path)
			}
			return fmt.Errorf("write rejected rows: %w", err)
		}
	}
	r.written = true
	return nil
}

// finish removes the temporary file, and the rows too when the import was
// not committed after all (they would describe an import that did not
// happen). It reports whether the rows are kept at path.
func (r *rejectedFile) finish(committed bool) bool {
	r.discard()
	if r.written && !committed {
		os.Remove(r.path)
		r.written = false
	}
	return r.written
}

func (r *rejectedFile) discard() {
	if r.tmp != nil {
		r.tmp.Close()
		os.Remove(r.tmp.Name())
		r.tmp = nil
	}
}

// reached reports whether a run got as far as reading rows: before that
// a report is an empty table, and the error says all there is to say.
func reached(r *importer.Report) bool {
	if r.Committed || r.DefectCount > 0 {
		return true
	}
	for _, t := range r.Tables {
		if t.SourceRows > 0 {
			return true
		}
	}
	return false
}

// thousands prints n with a comma between groups of three digits.
func thousands[N int | int64](n N) string {
	s := strconv.FormatInt(int64(n), 10)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// textExamples is how many defects the text report shows when it cannot
// show them all (more than importer.Options.Examples).
const textExamples = 20

func writeTextReport(out io.Writer, r *importer.Report, rejectedPath string, dryRun bool) {
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "legacy table\ttarget\tsource rows\timported\trejected\tchecksum\t")
	var src, imp, rej int64
	for _, t := range r.Tables {
		ok := "ok"
		if !t.ChecksumOK {
			ok = "-"
		}
		fmt.Fprintf(w, "%s\t%s\t%d\t%d\t%d\t%s\t\n", t.Legacy, t.Target, t.SourceRows, t.Imported, t.Rejected, ok)
		src, imp, rej = src+t.SourceRows, imp+t.Imported, rej+t.Rejected
	}
	fmt.Fprintf(w, "total\t\t%d\t%d\t%d\t\t\n", src, imp, rej)
	_ = w.Flush()
	for _, s := range r.Skipped {
		fmt.Fprintf(out, "skipped %s: %s\n", s.Table, s.Reason)
	}
	for _, m := range r.Mapped {
		fmt.Fprintf(out, "mapped %s: %d value(s)\n", m.Map, m.Count)
	}
	if len(r.Defects) > 0 {
		// Root causes first: a bad value in a user rejects everything
		// that hangs off that user, and that must not read as thousands
		// of problems.
		fmt.Fprintf(out, "\n%s bad value(s) in %s row(s)", thousands(r.RootDefects()), thousands(rej-r.KnockOnRows))
		if r.KnockOnRows > 0 {
			fmt.Fprintf(out, "; %s row(s) rejected as their descendants", thousands(r.KnockOnRows))
		}
		if r.DefectCount == int64(len(r.Defects)) {
			fmt.Fprintf(out, "\n%d defect(s):\n", len(r.Defects))
			for _, d := range r.Defects {
				fmt.Fprintf(out, "  %s\n", d)
			}
		} else {
			// Too many to read one by one: how many of each kind, and
			// the first few; --json lists them all.
			fmt.Fprintf(out, "\n%s defect(s) by table, column and class:\n", thousands(r.DefectCount))
			tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', tabwriter.AlignRight)
			for _, t := range r.Tally {
				knockOn := ""
				if t.KnockOn > 0 {
					knockOn = fmt.Sprintf(" (%s knock-on)", thousands(t.KnockOn))
				}
				fmt.Fprintf(tw, "  %s\t  %s.%s: %s%s\n", thousands(t.Count), t.Table, t.Column, t.Class, knockOn)
			}
			_ = tw.Flush()
			n := min(len(r.Defects), textExamples)
			fmt.Fprintf(out, "the first %d (--json lists all %s):\n", n, thousands(r.DefectCount))
			for _, d := range r.Defects[:n] {
				fmt.Fprintf(out, "  %s\n", d)
			}
		}
	}
	if len(r.Warnings) > 0 {
		fmt.Fprintf(out, "\n%d warning(s) (imported as they are):\n", len(r.Warnings))
		for _, d := range r.Warnings {
			fmt.Fprintf(out, "  %s\n", d)
		}
	}
	if rej > 0 && rejectedPath != "" {
		fmt.Fprintf(out, "\n%d rejected row(s) written to %s\n", rej, rejectedPath)
	}
	took := fmt.Sprintf("%s (%.0f rows/s)", r.Duration.Round(time.Millisecond), float64(src)/r.Duration.Seconds())
	switch {
	case dryRun && r.Committed:
		fmt.Fprintf(out, "dry run: the import would succeed; checked in %s, nothing was kept\n", took)
	case dryRun:
		fmt.Fprintf(out, "dry run: the import would fail; checked in %s, nothing was kept\n", took)
	case r.Committed:
		fmt.Fprintf(out, "committed in %s\n", took)
	default:
		fmt.Fprintf(out, "NOT committed: the target is unchanged (%s)\n", took)
	}
}

// jsonReport is the --json summary. It ends with the defects and the
// warnings, which writeJSONReport streams after it: there may be millions.
type jsonReport struct {
	Source       string        `json:"source"`
	Mode         string        `json:"mode"`
	DryRun       bool          `json:"dry_run"`
	Committed    bool          `json:"committed"`
	Error        string        `json:"error,omitempty"`
	Seconds      float64       `json:"seconds"`
	SourceRows   int64         `json:"source_rows"`
	ImportedRows int64         `json:"imported_rows"`
	RejectedRows int64         `json:"rejected_rows"`
	KnockOnRows  int64         `json:"knock_on_rows"` // rejected only as descendants of rejected rows
	RootDefects  int           `json:"root_defects"`  // defects that are not knock-on
	RejectedFile string        `json:"rejected_file,omitempty"`
	Tables       []jsonTable   `json:"tables"`
	Skipped      []jsonSkipped `json:"skipped"`
	Mapped       []jsonMapped  `json:"mapped"`
	// Then "defects" (every one) and "warnings" (imported as they are;
	// see importer.Report.Warnings), each a list of jsonDefect.
}

type jsonMapped struct {
	Map   string `json:"map"` // table.column=from:to
	Count int64  `json:"count"`
}

type jsonTable struct {
	Legacy     string `json:"legacy"`
	Target     string `json:"target"`
	Plugin     string `json:"plugin,omitempty"`
	SourceRows int64  `json:"source_rows"`
	Imported   int64  `json:"imported"`
	Rejected   int64  `json:"rejected"`
	ChecksumOK bool   `json:"checksum_ok"`
	Checksum   string `json:"checksum"`
}

type jsonSkipped struct {
	Table  string `json:"table"`
	Reason string `json:"reason"`
}

type jsonDefect struct {
	Table   string `json:"table"`
	Target  string `json:"target"`
	PK      string `json:"pk"`
	Column  string `json:"column"`
	Value   string `json:"value"`
	Class   string `json:"class"`
	Reason  string `json:"reason"`
	KnockOn bool   `json:"knock_on"`
}

func writeJSONReport(out io.Writer, r *importer.Report, rejectedPath string, dryRun bool, runErr error) error {
	j := jsonReport{
		Source: r.Source, Mode: r.Mode.String(), DryRun: dryRun, Committed: r.Committed, Seconds: r.Duration.Seconds(),
		KnockOnRows: r.KnockOnRows, RootDefects: r.RootDefects(),
		Tables: []jsonTable{}, Skipped: []jsonSkipped{}, Mapped: []jsonMapped{},
	}
	if runErr != nil {
		j.Error = runErr.Error()
	}
	if len(r.Rejected) > 0 {
		j.RejectedFile = rejectedPath // "" when they were not kept
	}
	for _, t := range r.Tables {
		j.Tables = append(j.Tables, jsonTable{t.Legacy, t.Target, t.Plugin, t.SourceRows, t.Imported, t.Rejected, t.ChecksumOK, t.Checksum})
		j.SourceRows += t.SourceRows
		j.ImportedRows += t.Imported
		j.RejectedRows += t.Rejected
	}
	for _, s := range r.Skipped {
		j.Skipped = append(j.Skipped, jsonSkipped{s.Table, s.Reason})
	}
	for _, m := range r.Mapped {
		j.Mapped = append(j.Mapped, jsonMapped{m.Map.String(), m.Count})
	}
	head, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return err
	}
	// The summary without its closing brace, then the two lists, element
	// by element, indented as json.MarshalIndent would.
	w := bufio.NewWriter(out)
	w.Write(bytes.TrimSuffix(head, []byte("\n}")))
	list := func(name string, each func(func(importer.Defect) error) error) error {
		fmt.Fprintf(w, ",\n  %q: [", name)
		n := 0
		err := each(func(d importer.Defect) error {
			b, err := json.MarshalIndent(jsonDefect{d.Table, d.Target, d.PK, d.Column, d.Value, string(d.Class), d.Reason, d.KnockOn}, "    ", "  ")
			if err != nil {
				return err
			}
			if n > 0 {
				w.WriteByte(',')
			}
			n++
			w.WriteString("\n    ")
			_, err = w.Write(b)
			return err
		})
		if n > 0 {
			w.WriteString("\n  ")
		}
		w.WriteByte(']')
		return err
	}
	if err := list("defects", r.EachDefect); err != nil {
		return err
	}
	if err := list("warnings", func(fn func(importer.Defect) error) error {
		for _, d := range r.Warnings {
			if err := fn(d); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	w.WriteString("\n}\n")
	return w.Flush()
}
