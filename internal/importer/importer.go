// Package importer moves one legacy SQLite database into the migrated
// Postgres schema, once, exactly: `stackdb import-sqlite --from legacy.db`;
// or a running DeployStack Postgres database (Options.Source Postgres,
// `stackdb import-postgres --from URL`: pgsource.go says how it is read and
// checked; everything below applies to it as well, with Postgres's
// catalog in place of SQLite's and no quick_check).
//
//	rep, err := importer.Run(ctx, importer.Options{From: "legacy.db", To: url})
//	defer rep.Close()
//	if errors.Is(err, importer.ErrDefects) { /* rep.EachDefect reads every one */ }
//
// # What happens
//
//  1. The legacy file is checked: an SQLite header, every table of the real
//     DeployStack SQLite layout (legacy.Schema, mapped through
//     internal/deploystack: mapping.go) present with exactly its columns,
//     every other table either skipped on purpose (__drizzle_migrations,
//     __plugin_migrations, SQLite's own sqlite_* tables, views — listed in
//     Report.Skipped) or a plugin table: one that __plugin_migrations lists
//     (plugin_id, table_name → "<plugin_id>_<table_name>"), with a valid
//     plugin id and table name (plugin.Ident) and valid column names. Any
//     other table is an error (ErrSource) before anything is written, also
//     when its name looks like a plugin's (teams_backup): an unknown table
//     may be data that would otherwise be lost silently, so it is refused
//     rather than skipped.
//  2. The target must be migrated to the latest embedded migration
//     (ErrNotMigrated).
//  3. One transaction does everything else, so a run that fails, is
//     cancelled or killed (kill -9) leaves the target as it was, and the
//     next run starts afresh. In it: the mapping (mapping.go) is checked
//     against the live schema read from pg_catalog (ErrSchema), and so are
//     the value mappings (Options.Map, valuemap.go); the application tables
//     are locked against writers; a target that already holds application
//     data — a row in a mapped table, in a real table the legacy layout
//     lacks, in audit_logs or in any plugin schema — is refused
//     (ErrNotEmpty) unless Options.Truncate, which truncates them all
//     (RESTART IDENTITY CASCADE) in the same transaction: the target then
//     holds exactly the legacy data.
//     Empty tables are truncated too (without CASCADE), so that COPY can
//     write their rows frozen.
//  4. Plugin tables are created with plugin.CreateTable in schema
//     plugin_<id>, their types derived from the legacy declared types (see
//     pluginType), or reused when they exist with exactly that definition.
//  5. Foreign keys, primary keys and indexes of the loaded tables are
//     dropped (constraints.go). Each table is converted, parents before
//     children (the target's foreign keys) and otherwise smallest first
//     (loadOrder), checking every value in Go (convert.go lists the
//     rules), into binary COPY data that one COPY loads; its primary key
//     and indexes are rebuilt right after, while the next tables are
//     converted (load.go). Legacy ids are kept. Once the conversion is
//     over, PRAGMA quick_check reads the whole legacy file.
//  6. The foreign keys are added back (Postgres checks each with one
//     join), the identity sequences are moved past the imported ids (in
//     a way a rollback undoes: identity.go), and every table is verified
//     (verify.go): row count and checksum of the converted values against
//     what Postgres holds. Then, if quick_check passed, the transaction
//     commits.
//
// # Defects
//
// Problems with the data are collected, never fatal one by one: a Defect
// names the table, primary key, column, an excerpt of the value and the
// reason. Beyond the conversion rules (a value outside a real value set is
// DefectInvalidEnum for an enum, DefectCheck for a CHECKed set), rows are
// checked before loading against the target's CHECK constraints (evaluated
// in Go, check.go), the legacy columns the target derives
// (satelliteUsageLogs.date_partition must be the UTC day of its timestamp,
// DefectDerived), its unique indexes (a later row repeating a key is the
// duplicate — also where stackdb is stricter than DeployStack) and its
// foreign keys (SQLite did not enforce them): a row whose parent is not
// imported — absent from the file, or itself rejected — is an orphan and is
// always reported, never dropped silently; that includes nullable
// references (ON DELETE SET NULL), which are not nulled behind the user's
// back. A rejected row claims no unique key and is no parent, so its
// children are reported as orphans of a rejected parent. Of two rows with
// the same unique key, the later one (in legacy rowid order) is the
// duplicate.
//
// With OnError Abort (the default) any defect rolls everything back and Run
// returns the full report with an error wrapping ErrDefects. With Skip the
// rows without defects are committed and the others (with their legacy
// values as JSON) go to Options.WriteRejected as JSON lines before the
// commit. Defects and rejected rows are spooled to temporary files, not
// held in memory: the Report keeps counts and the first few of each.
package importer

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/deploystack/stackdb/internal/atlasmig"
	"github.com/deploystack/stackdb/internal/config"
	"github.com/deploystack/stackdb/plugin"
	"github.com/deploystack/stackdb/schema"
)

// Errors Run returns, wrapped with details; test with errors.Is.
var (
	// ErrDefects: rows have defects and OnError is Abort; nothing was
	// imported and the Report counts every defect (EachDefect reads them).
	ErrDefects = errors.New("importer: the legacy data has defects")
	// ErrSource: the legacy file is missing, not SQLite, corrupt, lacks a
	// mapped table or column, or holds tables the importer does not know;
	// or the Postgres source cannot be read or is not in the layout.
	ErrSource = errors.New("importer: unusable legacy source")
	// ErrNotMigrated: the target is not at the latest migration.
	ErrNotMigrated = errors.New("importer: the target database is not migrated to the latest version")
	// ErrNotEmpty: the target already holds application data and
	// Options.Truncate is not set.
	ErrNotEmpty = errors.New("importer: the target database already holds application data")
	// ErrSchema: the mapping and the live target schema disagree, or the
	// target has constraints the importer cannot check.
	ErrSchema = errors.New("importer: the mapping does not match the target schema")
	// ErrBusy: another import into the same target database is running.
	ErrBusy = errors.New("importer: another import is running into the target database")
	// ErrVerify: after loading, Postgres does not hold exactly the rows
	// that were sent; nothing was committed.
	ErrVerify = errors.New("importer: verification failed")
)

// importLockKey is the transaction-level advisory lock an import holds in
// the target database ("stackdb import", as ASCII).
const importLockKey int64 = 0x737461636b696d70

// DefaultBatchSize is how many rows pass between two progress events when
// Options.BatchSize is 0.
const DefaultBatchSize = 10_000

// DefaultExamples is how many defects and rejected rows a Report keeps in
// memory when Options.Examples is 0.
const DefaultExamples = 1000

// SourceKind says what Options.From names.
type SourceKind int

const (
	// SQLiteFile: a DeployStack SQLite file (the default).
	SQLiteFile SourceKind = iota
	// Postgres: the URL of a running DeployStack Postgres database, in the
	// layout of its Drizzle migration 0028_typical_falcon (pgsource.go). It
	// is read in one read-only snapshot and never written.
	Postgres
)

// Options configure Run.
type Options struct {
	From     string     // legacy SQLite file, or a Postgres URL (Source)
	Source   SourceKind // what From is
	To       string     // target database URL (postgres://…)
	OnError  Mode       // Abort (default) or Skip
	Truncate bool       // empty the target's application tables first
	// BatchSize is the number of legacy rows between two Progress calls
	// (DefaultBatchSize when 0). Rows are streamed one by one either way,
	// so memory does not grow with it.
	BatchSize int
	// Progress, when set, is called as each table is converted: with Done
	// 0 at its start, every BatchSize rows, and with Done == Total at its
	// end. Calls never overlap; it must not block for long.
	Progress func(ProgressEvent)
	// TempDir holds the spool files that carry converted rows to the
	// COPY, and those of the defects and rejected rows (os.TempDir when
	// ""). They are unlinked when created, so they take space only while
	// the import runs (and the Report is open): at most about the size of
	// the converted data, when Postgres falls behind the conversion.
	TempDir string
	// Map replaces legacy values before they are converted and checked
	// (valuemap.go); Report.Mapped says how many each replaced.
	Map []ValueMap
	// WriteRejected, when set, is called in Skip mode with the rejected
	// rows (if any) once everything is verified, before the commit: an
	// error rolls the import back, so the record of what was left out is
	// never lost while the rest is committed. rows reads them as JSON
	// lines, one RejectedRow each in the order they were rejected, from a
	// temporary file: memory does not grow with them.
	WriteRejected func(rows io.Reader) error
	// Examples is how many defects and rejected rows the Report keeps in
	// memory (DefaultExamples when 0); it counts and spools them all.
	Examples int
}

// validate reports a missing or invalid option as a *config.OptionError,
// which the command line words in terms of its flags.
func (o Options) validate() error {
	required := func(name string) string { return name + " is required" }
	switch {
	case o.From == "":
		return config.NewOptionError("importer", "From", nil, required)
	case o.To == "":
		return config.NewOptionError("importer", "To", nil, required)
	case o.OnError != Abort && o.OnError != Skip:
		return config.NewOptionError("importer", "OnError", nil, func(name string) string {
			return fmt.Sprintf("%s is %v; want abort or skip", name, o.OnError)
		})
	}
	return nil
}

// Run imports the legacy file into the target. It returns the report also
// when it fails, with what was known by then.
func Run(ctx context.Context, opts Options) (rep *Report, err error) {
	start := time.Now()
	if opts.Examples <= 0 {
		opts.Examples = DefaultExamples
	}
	rep = &Report{Source: opts.From, Mode: opts.OnError, examples: opts.Examples, tempDir: opts.TempDir}
	if opts.Source == Postgres {
		rep.Source = config.Redact(opts.From)
	}
	defer func() {
		rep.Duration = time.Since(start)
		// Whatever failed once the run was cancelled (Ctrl-C) failed for
		// that; say so rather than name the operation it cut short.
		if err != nil && !rep.Committed && ctx.Err() != nil {
			err = fmt.Errorf("importer: interrupted (%w); nothing was committed, the target is unchanged", context.Cause(ctx))
		}
	}()
	if err := opts.validate(); err != nil {
		return rep, err
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
	}

	lg, lp, err := openSource(ctx, opts)
	if err != nil {
		return rep, err
	}
	defer lg.Close()
	rep.Skipped = lp.skipped

	if err := checkMigrated(ctx, opts.To); err != nil {
		return rep, err
	}
	conn, err := pgx.Connect(ctx, opts.To)
	if err != nil {
		return rep, fmt.Errorf("importer: connect to the target: %w", err)
	}
	defer conn.Close(context.Background())
	tx, err := conn.Begin(ctx)
	if err != nil {
		return rep, fmt.Errorf("importer: begin: %w", err)
	}
	defer tx.Rollback(context.Background()) //nolint:errcheck // a no-op after Commit
	// One import at a time: a second one would read the catalog while the
	// first has dropped and not yet restored the constraints, and fail on
	// what it finds there, or wait on the first one's table locks.
	var free bool
	if err := tx.QueryRow(ctx, "SELECT pg_try_advisory_xact_lock($1)", importLockKey).Scan(&free); err != nil {
		return rep, fmt.Errorf("importer: take the import lock: %w", err)
	}
	if !free {
		return rep, fmt.Errorf("%w; wait for it to finish and try again (nothing was changed)", ErrBusy)
	}
	// Index builds get room to sort in memory. JIT is off: each of the
	// import's queries runs once over a large table, and Postgres compiled
	// the verification queries in every parallel worker, for longer than
	// the compiled code saved.
	if _, err := tx.Exec(ctx, "SET LOCAL maintenance_work_mem = '256MB'; SET LOCAL jit = off"); err != nil {
		return rep, fmt.Errorf("importer: session settings: %w", err)
	}

	plans, err := prepareTarget(ctx, tx, lg, lp, opts, rep)
	if err != nil {
		return rep, err
	}
	rb, err := deferChecks(ctx, tx, plans)
	if err != nil {
		return rep, err
	}
	rep.Tables = make([]TableReport, len(plans))
	for i, tp := range plans {
		rep.Tables[i] = TableReport{Legacy: tp.legacy, Target: tp.displayTarget(), Plugin: tp.pluginID}
	}

	// One goroutine converts the tables into spools, this one loads them.
	lctx, cancel := context.WithCancel(ctx)
	ld := &loader{ctx: lctx, stop: cancel, opts: opts, legacy: lg, tx: tx, report: rep, sending: true, batch: opts.BatchSize,
		seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}}
	tables := make(chan *tableLoad, len(plans))
	converted := make(chan struct{})
	go func() {
		defer close(converted)
		ld.convertAll(plans, rep.Tables, tables)
	}()
	// Once the conversion is over, the legacy connection is free: check all
	// of the file (a core is idle while Postgres catches up with the COPY).
	// The commit waits for the verdict.
	checked, checkDone := make(chan error, 1), make(chan struct{})
	go func() {
		defer close(checkDone)
		<-converted
		checked <- lg.finalCheck(lctx)
	}()
	defer func() {
		cancel()
		for tl := range tables { // converted or being converted, not loaded
			<-tl.done
			if tl.spool != nil {
				tl.spool.close()
			}
		}
		<-converted
		<-checkDone
	}()
	loaded := 0
	for tl := range tables {
		if err := ld.load(tl, rb.tables[tl.tp.schema+"."+tl.tp.target]); err != nil {
			return rep, err
		}
		loaded++
	}
	if loaded != len(plans) {
		return rep, fmt.Errorf("importer: loaded %d of %d tables", loaded, len(plans)) // convertAll stops only on an error
	}

	err = finish(ctx, tx, plans, rb.fks, rep)
	if cerr := <-checked; cerr != nil {
		return rep, cerr
	}
	if err != nil {
		return rep, err
	}
	if opts.WriteRejected != nil && len(rep.Rejected) > 0 {
		rows, err := rep.rejectedRows()
		if err == nil {
			err = opts.WriteRejected(rows)
		}
		if err != nil {
			return rep, fmt.Errorf("importer: the rejected rows could not be written, so nothing was committed: %w", err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return rep, fmt.Errorf("importer: commit: %w", err)
	}
	rep.Committed = true
	for i, tp := range plans {
		rep.Tables[i].Imported = tp.accepted
	}
	return rep, nil
}

// finish completes the import transaction, short of the commit: with
// defects in Abort mode it stops; otherwise it adds the foreign keys back,
// moves the identities past the imported ids and verifies every table.
func finish(ctx context.Context, tx pgx.Tx, plans []*tablePlan, fks []string, rep *Report) error {
	if rep.DefectCount > 0 && rep.Mode == Abort {
		rows := 0
		for _, t := range rep.Tables {
			rows += int(t.Rejected)
		}
		if rep.KnockOnRows > 0 {
			return fmt.Errorf("%w: %d defects in %d rows, and %d more rows rejected only as descendants of those; nothing was imported",
				ErrDefects, rep.RootDefects(), int64(rows)-rep.KnockOnRows, rep.KnockOnRows)
		}
		return fmt.Errorf("%w: %d defects in %d rows; nothing was imported", ErrDefects, rep.DefectCount, rows)
	}
	if err := restore(ctx, tx, fks); err != nil {
		return err
	}
	if err := advanceIdentities(ctx, tx, plans); err != nil {
		return err
	}
	for i, tp := range plans {
		if err := verifyTable(ctx, tx, tp); err != nil {
			return err
		}
		rep.Tables[i].ChecksumOK = true
	}
	return warnEmailCase(ctx, tx, plans, rep)
}

// warnEmailCase reports users whose emails differ only in case
// (WarnEmailCase). DeployStack's unique key is on the email as written, so
// its files may hold them, and they import; but lookups by email match
// lower(email) and find the lowest id only, so the others cannot sign in
// with their email until the application merges or renames them.
func warnEmailCase(ctx context.Context, tx pgx.Tx, plans []*tablePlan, rep *Report) error {
	i := slices.IndexFunc(plans, func(tp *tablePlan) bool { return tp.pluginID == "" && tp.target == "users" })
	if i < 0 || plans[i].colIndex("email") < 0 {
		return nil
	}
	tp := plans[i]
	rows, err := tx.Query(ctx, `SELECT array_agg(id ORDER BY id), array_agg(email ORDER BY id)
FROM `+tp.ident.Sanitize()+` GROUP BY lower(email) HAVING count(*) > 1 ORDER BY lower(email)`)
	if err != nil {
		return fmt.Errorf("importer: look for emails that differ only in case: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ids, emails []string
		if err := rows.Scan(&ids, &emails); err != nil {
			return fmt.Errorf("importer: look for emails that differ only in case: %w", err)
		}
		for k := 1; k < len(ids); k++ {
			rep.Warnings = append(rep.Warnings, Defect{
				Table: tp.legacy, Target: tp.displayTarget(), PK: ids[k], Column: tp.cols[tp.colIndex("email")].legacy,
				Value: excerpt(emails[k]), Class: WarnEmailCase,
				Reason: fmt.Sprintf("differs only in case from the email of user %s (%s); lookups by email find only that user", ids[0], excerpt(emails[0])),
			})
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("importer: look for emails that differ only in case: %w", err)
	}
	return nil
}

// openSource opens and plans the source opts.From names.
func openSource(ctx context.Context, opts Options) (source, *legacyPlan, error) {
	if opts.Source == Postgres {
		pg, err := openPostgres(ctx, opts.From)
		if err != nil {
			return nil, nil, err
		}
		lp, err := planPostgres(pg)
		if err != nil {
			pg.Close()
			return nil, nil, err
		}
		return pg, lp, nil
	}
	lg, err := openLegacy(ctx, opts.From)
	if err != nil {
		return nil, nil, err
	}
	lp, err := planLegacy(lg)
	if err != nil {
		lg.Close()
		return nil, nil, err
	}
	return lg, lp, nil
}

// checkMigrated requires the target to be at the last embedded migration.
func checkMigrated(ctx context.Context, url string) error {
	dir, err := schema.Dir()
	if err != nil {
		return err
	}
	files, err := dir.Files()
	if err != nil || len(files) == 0 {
		return fmt.Errorf("importer: read the embedded migrations: %v", err)
	}
	latest := files[len(files)-1].Version()
	st, err := atlasmig.Status(ctx, url, dir)
	if err != nil {
		return fmt.Errorf("importer: read the migration status of the target: %w", err)
	}
	switch {
	case st.Failed != nil:
		return fmt.Errorf("%w: migration %s failed (%s); fix it and run `stackdb migrate apply`", ErrNotMigrated, st.Failed.Version, st.Failed.Error)
	case st.NotClean != "":
		return fmt.Errorf("%w: the target has no migration history (%s)", ErrNotMigrated, st.NotClean)
	case st.Current != latest || len(st.Pending) > 0:
		cur := st.Current
		if cur == "" {
			cur = "none"
		}
		return fmt.Errorf("%w: it is at version %s, the latest is %s (%d pending: %s); run `stackdb migrate apply` first",
			ErrNotMigrated, cur, latest, len(st.Pending), strings.Join(st.Pending, ", "))
	}
	return nil
}

// prepareTarget binds the plans to the live schema, checks the target is
// empty (or truncates it) and creates the plugin tables. It returns the
// plans in load order: core tables parents first and otherwise smallest
// first, then plugin tables.
func prepareTarget(ctx context.Context, tx pgx.Tx, lg source, lp *legacyPlan, opts Options, rep *Report) ([]*tablePlan, error) {
	var enc, cur *string
	if err := tx.QueryRow(ctx, "SELECT current_setting('server_encoding'), current_schema()").Scan(&enc, &cur); err != nil {
		return nil, fmt.Errorf("importer: read target settings: %w", err)
	}
	if enc == nil || *enc != "UTF8" {
		return nil, fmt.Errorf("%w: the target database's encoding is not UTF8", ErrSchema)
	}
	if cur == nil {
		return nil, fmt.Errorf("%w: the target connection has no current schema (search_path)", ErrSchema)
	}
	var names []string
	for _, tp := range lp.core {
		tp.schema, tp.ident = *cur, pgx.Identifier{*cur, tp.target}
		names = append(names, tp.target)
	}
	targets := map[string]*targetTable{}
	core, err := readTarget(ctx, tx, *cur, append(names, lp.unimported...))
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		if t := core[name]; t != nil {
			targets[*cur+"."+name] = t
		}
	}
	if err := bindTarget(ctx, tx, lg, lp.core, targets); err != nil {
		return nil, err
	}
	if err := bindValueMaps(lp.core, opts.Map, rep); err != nil {
		return nil, err
	}
	for _, tp := range slices.Concat(lp.core, lp.plugins) { // loadOrder orders the core tables by it
		if tp.total, err = lg.estimate(ctx, tp.legacy); err != nil {
			return nil, err
		}
		if tp.days, err = legacyDays(ctx, lg, tp); err != nil {
			return nil, err
		}
	}
	plans, err := loadOrder(lp.core)
	if err != nil {
		return nil, err
	}

	// Lock the application tables against writers, then look for data:
	// the imported ones, and the real tables the legacy layout lacks (the
	// newer Postgres model's), which an import leaves empty.
	var locked []string
	for _, tp := range plans {
		locked = append(locked, tp.ident.Sanitize())
	}
	for _, t := range lp.unimported {
		if _, ok := core[t]; ok {
			locked = append(locked, pgx.Identifier{*cur, t}.Sanitize())
		}
	}
	pluginIDs, err := plugin.Plugins(ctx, tx)
	if err != nil {
		return nil, err
	}
	for _, id := range pluginIDs {
		tables, err := plugin.Tables(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		s, _ := plugin.SchemaName(id)
		for _, t := range tables {
			locked = append(locked, pgx.Identifier{s, t}.Sanitize())
		}
	}
	if _, err := tx.Exec(ctx, "LOCK TABLE "+strings.Join(locked, ", ")+" IN EXCLUSIVE MODE"); err != nil {
		return nil, fmt.Errorf("importer: lock the target tables: %w", err)
	}
	var nonEmpty []string
	for _, t := range locked {
		var has bool
		if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM "+t+")").Scan(&has); err != nil {
			return nil, fmt.Errorf("importer: inspect %s: %w", t, err)
		}
		if has {
			nonEmpty = append(nonEmpty, t)
		}
	}
	if len(nonEmpty) > 0 {
		if !opts.Truncate {
			tables := strings.Join(nonEmpty, ", ")
			return nil, config.NewOptionError("importer", "Truncate", ErrNotEmpty, func(name string) string {
				return fmt.Sprintf("the target database already holds application data (rows in %s); import into an empty database, or use %s to replace them", tables, name)
			})
		}
	}
	// A table truncated (or created) in this transaction has a new, empty
	// file, and COPY may write its rows already frozen (COPY FREEZE): the
	// first reads after the commit need not set hint bits on every page,
	// and no anti-wraparound vacuum has to rewrite the imported data later.
	// Empty tables are truncated for that alone, without CASCADE, so a
	// table outside the import that references them is never touched: then
	// the TRUNCATE fails, is rolled back, and COPY does without FREEZE.
	fresh := false
	if opts.Truncate {
		if _, err := tx.Exec(ctx, "TRUNCATE "+strings.Join(locked, ", ")+" RESTART IDENTITY CASCADE"); err != nil {
			return nil, fmt.Errorf("importer: truncate the target: %w", err)
		}
		rep.Truncated, fresh = true, true
	} else if fresh, err = truncateEmpty(ctx, tx, locked); err != nil {
		return nil, err
	}
	for _, tp := range plans {
		tp.freeze = fresh
	}

	// Plugin tables: create, or reuse when identical.
	bySchema := map[string][]string{}
	for _, tp := range lp.plugins {
		bySchema[tp.schema] = append(bySchema[tp.schema], tp.target)
	}
	existing := map[string]*targetTable{}
	for s, tables := range bySchema {
		found, err := readTarget(ctx, tx, s, tables)
		if err != nil {
			return nil, err
		}
		for name, t := range found {
			existing[s+"."+name] = t
		}
	}
	for _, tp := range lp.plugins {
		key := tp.schema + "." + tp.target
		if t := existing[key]; t != nil {
			if why := samePluginTable(tp, t); why != "" {
				return nil, fmt.Errorf("%w: plugin table %s exists with a different definition than legacy %s: %s", ErrSchema, key, tp.legacy, why)
			}
			tp.freeze = fresh
			continue
		}
		if err := plugin.CreateTable(ctx, tx, tp.pluginID, tp.target, tp.pluginCols); err != nil {
			return nil, fmt.Errorf("importer: create plugin table for %s: %w", tp.legacy, err)
		}
		tp.freeze = true
	}
	for s, tables := range bySchema {
		found, err := readTarget(ctx, tx, s, tables)
		if err != nil {
			return nil, err
		}
		for name, t := range found {
			targets[s+"."+name] = t
		}
	}
	if err := bindTarget(ctx, tx, lg, lp.plugins, targets); err != nil {
		return nil, err
	}
	return append(plans, lp.plugins...), nil
}

// truncateEmpty truncates the (empty) tables in a savepoint and reports
// whether it could.
func truncateEmpty(ctx context.Context, tx pgx.Tx, tables []string) (bool, error) {
	sp, err := tx.Begin(ctx)
	if err != nil {
		return false, fmt.Errorf("importer: savepoint: %w", err)
	}
	if _, err := sp.Exec(ctx, "TRUNCATE "+strings.Join(tables, ", ")); err != nil {
		if rerr := sp.Rollback(ctx); rerr != nil {
			return false, fmt.Errorf("importer: roll back to the savepoint: %w", rerr)
		}
		return false, nil
	}
	if err := sp.Commit(ctx); err != nil {
		return false, fmt.Errorf("importer: release the savepoint: %w", err)
	}
	return true, nil
}

// pluginTypeSQL is how format_type() prints each plugin column type.
var pluginTypeSQL = map[plugin.Type]string{
	plugin.Text: "text", plugin.Integer: "integer", plugin.BigInt: "bigint",
	plugin.DoublePrecision: "double precision", plugin.Boolean: "boolean",
	plugin.Timestamptz: "timestamp with time zone", plugin.JSONB: "jsonb", plugin.Bytea: "bytea",
	plugin.UUID: "uuid", plugin.Identity: "bigint",
}

// samePluginTable explains how an existing plugin table differs from the
// one the import would create ("" when it does not).
func samePluginTable(tp *tablePlan, t *targetTable) string {
	if len(t.cols) != len(tp.pluginCols) {
		return fmt.Sprintf("%d columns instead of %d", len(t.cols), len(tp.pluginCols))
	}
	var pk []string
	for i, c := range tp.pluginCols {
		tc := t.cols[i]
		if tc.name != c.Name || tc.format != pluginTypeSQL[c.Type] || tc.identity != (c.Type == plugin.Identity) ||
			tc.notNull != (c.NotNull || c.PrimaryKey || c.Type == plugin.Identity) {
			return fmt.Sprintf("column %d is %s %s, the import needs %s %s", i+1, tc.name, tc.format, c.Name, c.Type)
		}
		if c.PrimaryKey {
			pk = append(pk, c.Name)
		}
	}
	var have []string
	for _, u := range t.uniques {
		if u.primary {
			have = u.cols
		}
	}
	if strings.Join(have, ",") != strings.Join(pk, ",") {
		return fmt.Sprintf("primary key (%s) instead of (%s)", strings.Join(have, ","), strings.Join(pk, ","))
	}
	return ""
}
