package atlasmig

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlclient"

	"github.com/deploystack/stackdb/internal/config"
)

const (
	// LockName is the advisory lock the Atlas CLI takes while applying, so
	// stackdb and atlas exclude each other too.
	LockName = "atlas_migrate_execute"

	// OperatorVersion is recorded in the revisions table next to each file.
	OperatorVersion = "stackdb"

	// DefaultLockTimeout bounds the wait for another process's apply.
	DefaultLockTimeout = 5 * time.Minute
)

// ApplyOptions configure Apply. The zero value applies every pending file.
type ApplyOptions struct {
	// DryRun reports the pending files and their statements without
	// executing anything or writing revisions.
	DryRun bool
	// Baseline marks the given version as already applied on a database that
	// has objects but no revisions yet; later files are applied.
	Baseline string
	// To stops after the given version (inclusive).
	To string
	// LockTimeout bounds the wait for the advisory lock (DefaultLockTimeout
	// when zero).
	LockTimeout time.Duration
	// Log receives progress lines; nil discards them.
	Log io.Writer
}

// FileResult describes one applied (or, for a dry run, pending) file.
type FileResult struct {
	Name       string
	Version    string
	Statements int
	Duration   time.Duration
}

// Report is the outcome of Apply.
type Report struct {
	// Current is the version the database is at after the run.
	Current string
	// Applied lists the files executed by this run (pending ones on DryRun).
	Applied []FileResult
}

// ApplyError reports a migration file that failed: its transaction was
// rolled back and the revisions table records the error and statement.
type ApplyError struct {
	File string // file name, e.g. 20250101000000_init.sql
	Stmt string // the statement that failed
	Err  error  // the Postgres error
}

func (e *ApplyError) Error() string {
	return fmt.Sprintf("migrate: %s failed: %v\n\tstatement: %s", e.File, e.Err, e.Stmt)
}

func (e *ApplyError) Unwrap() error { return e.Err }

// Apply applies the pending files of dir to the database at url.
//
// atlas.sum is verified first. The whole run holds the Atlas CLI's advisory
// lock, so concurrent callers apply each file exactly once. Each file runs in
// its own transaction unless it starts with `-- atlas:txmode none`.
func Apply(ctx context.Context, url string, dir migrate.Dir, opts ApplyOptions) (*Report, error) {
	if err := VerifySum(dir); err != nil {
		return nil, err
	}
	log := opts.Log
	if log == nil {
		log = io.Discard
	}
	if err := checkVersion(dir, opts.To, "To"); err != nil {
		return nil, err
	}
	if err := checkVersion(dir, opts.Baseline, "Baseline"); err != nil {
		return nil, err
	}
	client, err := open(ctx, url)
	if err != nil {
		return nil, err
	}
	defer client.Close()

	unlock, err := lock(ctx, client, opts.LockTimeout)
	if err != nil {
		return nil, err
	}
	defer func() { _ = unlock() }()

	rrw := &revisions{db: client.DB}
	var exRRW migrate.RevisionReadWriter = rrw
	if opts.DryRun {
		exRRW = &dryRevisions{revisions: rrw}
	} else if err := initRevisions(ctx, client, dir, rrw, opts); err != nil {
		return nil, err
	}
	pending, err := pendingFiles(ctx, client, dir, exRRW, opts)
	if err != nil {
		return nil, err
	}
	report := &Report{}
	for _, f := range pending {
		res, err := applyFile(ctx, client, dir, rrw, f, opts.DryRun, log)
		if err != nil {
			return report, err
		}
		report.Applied = append(report.Applied, res)
	}
	if report.Current, err = currentVersion(ctx, exRRW); err != nil {
		return nil, err
	}
	return report, nil
}

// initRevisions creates the revisions table, but only once the run is sure
// to go ahead: a database without the table is first checked on a read-only
// view, so a refused apply (objects but no --baseline) leaves nothing behind.
func initRevisions(ctx context.Context, client *sqlclient.Client, dir migrate.Dir, rrw *revisions, opts ApplyOptions) error {
	ok, err := rrw.exists(ctx)
	if err != nil {
		return err
	}
	if !ok {
		if _, err := pendingFiles(ctx, client, dir, &dryRevisions{revisions: rrw}, opts); err != nil {
			return err
		}
	}
	return rrw.init(ctx)
}

func lock(ctx context.Context, client *sqlclient.Client, timeout time.Duration) (schema.UnlockFunc, error) {
	if timeout == 0 {
		timeout = DefaultLockTimeout
	}
	if err := checkDirect(ctx, client.DB); err != nil {
		return nil, err
	}
	locker, ok := client.Driver.(schema.Locker)
	if !ok {
		return nil, fmt.Errorf("migrate: driver %T cannot take advisory locks", client.Driver)
	}
	unlock, err := locker.Lock(ctx, LockName, timeout)
	if err != nil {
		if errors.Is(err, schema.ErrLocked) {
			return nil, fmt.Errorf("migrate: another migration held the %q lock for over %s", LockName, timeout)
		}
		return nil, fmt.Errorf("migrate: acquire lock: %w", err)
	}
	return unlock, nil
}

// pendingFiles lets Atlas's executor decide what is pending (baseline,
// partially applied files, non-linear history) and cuts the list at opts.To.
func pendingFiles(ctx context.Context, client *sqlclient.Client, dir migrate.Dir, rrw migrate.RevisionReadWriter, opts ApplyOptions) ([]migrate.File, error) {
	var exOpts []migrate.ExecutorOption
	if opts.Baseline != "" {
		exOpts = append(exOpts, migrate.WithBaselineVersion(opts.Baseline))
	}
	ex, err := migrate.NewExecutor(client.Driver, dir, rrw, append(exOpts, migrate.WithOperatorVersion(OperatorVersion))...)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	pending, err := ex.Pending(ctx)
	var notClean *migrate.NotCleanError
	switch {
	case errors.Is(err, migrate.ErrNoPendingFiles):
		pending = nil
	case errors.As(err, &notClean):
		return nil, config.NewOptionError("migrate", "Baseline", err, func(name string) string {
			return fmt.Sprintf("the database has objects but no revisions (%s); a baseline is needed: "+
				"name the last version it already has with %s", notClean.Reason, name)
		})
	case err != nil:
		return nil, fmt.Errorf("migrate: %w", err)
	}
	if opts.To == "" {
		return pending, nil
	}
	if i := slices.IndexFunc(pending, func(f migrate.File) bool { return f.Version() == opts.To }); i >= 0 {
		return pending[:i+1], nil
	}
	return nil, nil // checkVersion found it in the directory: already applied
}

// checkVersion refuses a version (of the option named) that no file of dir
// has, before anything touches the database.
func checkVersion(dir migrate.Dir, version, option string) error {
	if version == "" {
		return nil
	}
	files, err := dir.Files()
	if err != nil {
		return fmt.Errorf("migrate: read directory: %w", err)
	}
	if !slices.ContainsFunc(files, func(f migrate.File) bool { return f.Version() == version }) {
		return config.NewOptionError("migrate", option, nil, func(name string) string {
			return fmt.Sprintf("%s %s: no migration file has that version", name, version)
		})
	}
	return nil
}

// applyFile executes one file: in a transaction together with its revision
// rows, or directly when the file asks for `atlas:txmode none`.
func applyFile(ctx context.Context, client *sqlclient.Client, dir migrate.Dir, rrw *revisions, f migrate.File, dryRun bool, log io.Writer) (FileResult, error) {
	res := FileResult{Name: f.Name(), Version: f.Version()}
	stmts, err := f.StmtDecls()
	if err != nil {
		return res, fmt.Errorf("migrate: scan %s: %w", f.Name(), err)
	}
	res.Statements = len(stmts)
	if dryRun {
		fmt.Fprintf(log, "-- %s (%d statements, not applied: dry run)\n", f.Name(), len(stmts))
		for _, s := range stmts {
			fmt.Fprintf(log, "%s\n", s.Text)
		}
		return res, nil
	}
	mode, err := txMode(f)
	if err != nil {
		return res, err
	}
	fmt.Fprintf(log, "applying %s (%d statements)\n", f.Name(), len(stmts))
	start := time.Now()
	if mode == "none" {
		err = execute(ctx, client.Driver, dir, rrw, f)
	} else {
		err = executeInTx(ctx, client, dir, f)
	}
	res.Duration = time.Since(start)
	if err != nil {
		return res, failed(ctx, rrw, dir, f, len(stmts), err)
	}
	fmt.Fprintf(log, "applied  %s in %s\n", f.Name(), res.Duration.Round(time.Millisecond))
	return res, nil
}

func execute(ctx context.Context, drv migrate.Driver, dir migrate.Dir, rrw migrate.RevisionReadWriter, f migrate.File) error {
	hash, err := fileHash(dir, f)
	if err != nil {
		return err
	}
	ex, err := migrate.NewExecutor(drv, dir, currentHash{rrw, hash}, migrate.WithOperatorVersion(OperatorVersion))
	if err != nil {
		return err
	}
	return ex.Execute(ctx, f)
}

// currentHash gives the revision of a file retried after a failure the hash
// of the file as it is now: Atlas keeps the hash of the failed attempt, so a
// fixed file would otherwise be recorded with the broken content's hash.
type currentHash struct {
	migrate.RevisionReadWriter
	hash string
}

func (c currentHash) ReadRevision(ctx context.Context, version string) (*migrate.Revision, error) {
	rev, err := c.RevisionReadWriter.ReadRevision(ctx, version)
	if err == nil {
		rev.Hash = c.hash
	}
	return rev, err
}

func executeInTx(ctx context.Context, client *sqlclient.Client, dir migrate.Dir, f migrate.File) (err error) {
	tx, err := client.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	drv, err := postgres.Open(tx)
	if err != nil {
		return err
	}
	if err := execute(ctx, drv, dir, &revisions{db: tx}, f); err != nil {
		return err
	}
	return tx.Commit()
}

// failed records a failed file in the revisions table (its transaction, and
// the revision rows written in it, are gone) and builds the error.
func failed(ctx context.Context, rrw *revisions, dir migrate.Dir, f migrate.File, total int, err error) error {
	var stmtErr *migrate.StmtExecError
	if !errors.As(err, &stmtErr) {
		return fmt.Errorf("migrate: %s: %w", f.Name(), err)
	}
	aerr := &ApplyError{File: f.Name(), Stmt: stmtErr.Stmt.Text, Err: stmtErr.Err}
	rev, rerr := rrw.ReadRevision(ctx, f.Version())
	if errors.Is(rerr, migrate.ErrRevisionNotExist) {
		rev, rerr = &migrate.Revision{Version: f.Version(), Description: f.Desc(), Type: migrate.RevisionTypeExecute, Total: total}, nil
	}
	if rerr != nil {
		return errors.Join(aerr, rerr)
	}
	var herr error
	if rev.Hash, herr = fileHash(dir, f); herr != nil {
		return errors.Join(aerr, herr)
	}
	rev.ExecutedAt, rev.OperatorVersion = time.Now(), OperatorVersion
	rev.Error, rev.ErrorStmt = stmtErr.Err.Error(), stmtErr.Stmt.Text
	if werr := rrw.WriteRevision(ctx, rev); werr != nil {
		return errors.Join(aerr, werr)
	}
	return aerr
}

// fileHash is f's entry in the directory's atlas.sum.
func fileHash(dir migrate.Dir, f migrate.File) (string, error) {
	sum, err := dir.Checksum()
	if err != nil {
		return "", fmt.Errorf("migrate: compute checksum: %w", err)
	}
	return sum.SumByName(f.Name())
}

// txMode reads the file's `-- atlas:txmode` directive ("file" by default).
func txMode(f migrate.File) (string, error) {
	d, ok := f.(interface{ Directive(string) []string })
	if !ok {
		return "file", nil
	}
	switch modes := d.Directive("txmode"); {
	case len(modes) == 0:
		return "file", nil
	case len(modes) == 1 && (modes[0] == "none" || modes[0] == "file"):
		return modes[0], nil
	default:
		return "", fmt.Errorf("migrate: %s: unsupported atlas:txmode directive %q (want none or file)", f.Name(), modes)
	}
}

func currentVersion(ctx context.Context, rrw migrate.RevisionReadWriter) (string, error) {
	revs, err := rrw.ReadRevisions(ctx)
	if err != nil {
		return "", err
	}
	for i := len(revs) - 1; i >= 0; i-- {
		if revs[i].Applied == revs[i].Total && revs[i].Error == "" {
			return revs[i].Version, nil
		}
	}
	return "", nil
}

// dryRevisions reads the real table but keeps writes (a baseline, say) in
// memory, so a dry run changes nothing.
type dryRevisions struct {
	*revisions
	written []*migrate.Revision
}

func (d *dryRevisions) ReadRevisions(ctx context.Context) ([]*migrate.Revision, error) {
	revs, err := d.revisions.ReadRevisions(ctx)
	return append(revs, d.written...), err
}

func (d *dryRevisions) WriteRevision(_ context.Context, rev *migrate.Revision) error {
	d.written = append(d.written, rev)
	return nil
}

func (d *dryRevisions) DeleteRevision(context.Context, string) error { return nil }
