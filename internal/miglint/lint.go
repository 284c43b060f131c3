// Package miglint lints new migration files before they ship: Atlas's
// open-source analyzers (destructive, data-dependent, dropped constraints,
// backward-incompatible changes), Postgres locking and rewrites on existing
// tables, and stackdb's own schema rules.
//
// Like `atlas migrate lint`, it replays the directory on a clean dev
// database and runs each new file statement by statement, so every check
// sees the schema changes a statement made and the schema it made them to.
package miglint

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/postgres"
	_ "ariga.io/atlas/sql/postgres/postgrescheck" // registers Atlas's Postgres analyzers
	"ariga.io/atlas/sql/sqlcheck"

	"github.com/deploystack/stackdb/internal/atlasmig"
)

// Options configure Lint.
type Options struct {
	// DevURL is a clean database the directory is replayed on. It is left
	// clean again afterwards.
	DevURL string
	// Dir is the migration directory.
	Dir migrate.Dir
	// New names the files to lint; the directory's other files are replayed
	// first, in order, as the state the new files start from.
	New []string
}

// Diagnostic is one finding, located at the statement that caused it.
type Diagnostic struct {
	File      string   `json:"file"`
	Line      int      `json:"line"`
	Code      string   `json:"code"`
	Analyzer  string   `json:"analyzer"`
	Severity  Severity `json:"severity"`
	Message   string   `json:"message"`
	Statement string   `json:"statement"`
}

// FileReport holds the diagnostics of one linted file.
type FileReport struct {
	Name        string       `json:"name"`
	Diagnostics []Diagnostic `json:"diagnostics"`
	// Suppressed counts the diagnostics silenced by `-- atlas:nolint`.
	Suppressed int `json:"suppressed"`
}

// Report is the outcome of Lint.
type Report struct {
	Files    []FileReport `json:"files"`
	Errors   int          `json:"errors"`
	Warnings int          `json:"warnings"`
}

// ErrFindings is returned (wrapped) by callers that fail on errors; Lint
// itself returns the report and lets the caller decide.
var ErrFindings = errors.New("lint: the new migrations have errors")

// Lint analyses the files of opts.New.
func Lint(ctx context.Context, opts Options) (*Report, error) {
	if err := atlasmig.VerifySum(opts.Dir); err != nil {
		return nil, err
	}
	all, err := opts.Dir.Files()
	if err != nil {
		return nil, fmt.Errorf("lint: read directory: %w", err)
	}
	var base, news []migrate.File
	for _, f := range all {
		if slices.Contains(opts.New, f.Name()) {
			news = append(news, f)
		} else {
			base = append(base, f)
		}
	}
	for _, name := range opts.New {
		if !slices.ContainsFunc(news, func(f migrate.File) bool { return f.Name() == name }) {
			return nil, fmt.Errorf("lint: %s is not a migration file of the directory", name)
		}
	}
	report := &Report{Files: []FileReport{}}
	if len(news) == 0 {
		return report, nil
	}
	dev, err := atlasmig.OpenDev(ctx, opts.DevURL)
	if err != nil {
		return nil, err
	}
	defer dev.Close()
	files, err := (&loader{dev: dev}).load(ctx, base, news)
	if err != nil {
		return nil, err
	}
	azs, err := sqlcheck.AnalyzerFor(postgres.DriverName, nil)
	if err != nil {
		return nil, fmt.Errorf("lint: load Atlas's analyzers: %w", err)
	}
	for _, f := range files {
		var diags []sqlcheck.Diagnostic
		for _, az := range azs {
			var found []sqlcheck.Diagnostic
			pass := &sqlcheck.Pass{File: f.File, Dev: dev, Reporter: sqlcheck.ReportWriterFunc(func(r sqlcheck.Report) {
				found = append(found, r.Diagnostics...)
			})}
			// An analyzer configured to fail returns an error after reporting;
			// the severity comes from Checks instead.
			if err := az.Analyze(ctx, pass); err != nil && len(found) == 0 {
				return nil, fmt.Errorf("lint: %s: analyzer %T: %w", f.Name(), az, err)
			}
			diags = append(diags, found...)
		}
		diags = append(diags, lockChecks(f)...)
		diags = append(diags, houseChecks(f)...)
		fr := describe(f, diags)
		for _, d := range fr.Diagnostics {
			if d.Severity == Error {
				report.Errors++
			} else {
				report.Warnings++
			}
		}
		report.Files = append(report.Files, fr)
	}
	return report, nil
}

// describe locates the diagnostics of f, drops the suppressed ones and
// orders the rest by line.
func describe(f *file, diags []sqlcheck.Diagnostic) FileReport {
	fr := FileReport{Name: f.Name(), Diagnostics: []Diagnostic{}}
	fileNolint := nolint(directiveArgs(fileDirectives(f.File.File, "nolint")))
	for _, d := range diags {
		c := check(d.Code)
		stmt := statementAt(f, d.Pos)
		if fileNolint(c) || (stmt != nil && nolint(directiveArgs(stmt.Directive("nolint")))(c)) {
			fr.Suppressed++
			continue
		}
		text := ""
		if stmt != nil {
			text = firstLine(stmt.Text)
		}
		fr.Diagnostics = append(fr.Diagnostics, Diagnostic{
			File: f.Name(), Line: lineOf(f.Bytes(), d.Pos), Code: c.Code, Analyzer: c.Analyzer,
			Severity: c.Severity, Message: d.Text, Statement: text,
		})
	}
	slices.SortStableFunc(fr.Diagnostics, func(a, b Diagnostic) int { return a.Line - b.Line })
	return fr
}

// statementAt returns the statement of f that starts at or last before pos.
func statementAt(f *file, pos int) *migrate.Stmt {
	var found *migrate.Stmt
	for _, c := range f.Changes {
		if c.Stmt.Pos <= pos {
			found = c.Stmt
		}
	}
	return found
}

// fileDirectives returns the arguments of f's file-level directives name
// (the comments at the top of the file, before a blank line).
func fileDirectives(f any, name string) []string {
	d, ok := f.(interface{ Directive(string) []string })
	if !ok {
		return nil
	}
	return d.Directive(name)
}

// directiveArgs flattens directive arguments; a directive without
// arguments is kept as "" (meaning "everything").
func directiveArgs(ds []string) []string {
	var args []string
	for _, d := range ds {
		fields := strings.Fields(d)
		if len(fields) == 0 {
			args = append(args, "")
		}
		args = append(args, fields...)
	}
	return args
}

// nolint returns whether args (of `-- atlas:nolint [CODE|ANALYZER…]`)
// silence check c; a bare directive silences every check, as in Atlas.
func nolint(args []string) func(Check) bool {
	return func(c Check) bool {
		return slices.ContainsFunc(args, func(a string) bool {
			return a == "" || strings.EqualFold(a, c.Code) || strings.EqualFold(a, c.Analyzer)
		})
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return strings.TrimSpace(s[:i]) + " …"
	}
	return s
}
