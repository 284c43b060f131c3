package atlasmig

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/schema"

	"github.com/deploystack/stackdb/internal/partition"
)

// ErrDrift is returned (wrapped) by callers that refuse a drifted database.
var ErrDrift = errors.New("migrate: the database schema has drifted from its applied migrations")

// RuntimeSchemaPrefix starts the names of the schemas stackdb creates while
// an application runs (the plugin package's plugin_<id> schemas): they are
// not in any migration and so are not drift.
const RuntimeSchemaPrefix = "plugin_"

// DriftOptions configure Drift.
type DriftOptions struct {
	// DevURL is a clean database the applied files are replayed on. When
	// empty, a scratch database is created on the target's server (this
	// needs CREATEDB) and dropped afterwards.
	DevURL string
	// IncludeRuntime compares the runtime schemas (RuntimeSchemaPrefix) and
	// the partitions partition maintenance made too, so they are reported
	// as drift.
	IncludeRuntime bool
	// LockTimeout bounds the wait for a running apply (DefaultLockTimeout
	// when zero): the check holds the advisory lock apply takes.
	LockTimeout time.Duration
}

// EditedFile is an applied file whose content changed after it was applied.
type EditedFile struct {
	Version string `json:"version"`
	File    string `json:"file"`
	Applied string `json:"applied_hash"`
	Current string `json:"current_hash"` // "" when the file is gone
}

// DriftReport is the outcome of Drift.
type DriftReport struct {
	// Current is the last applied version ("" when none).
	Current string `json:"current"`
	// Pending are files not applied yet: the database being behind is not
	// drift.
	Pending []string `json:"pending"`
	// Edited names the first applied file whose atlas.sum hash differs from
	// the hash recorded when it was applied (the later ones differ with it).
	Edited []EditedFile `json:"edited"`
	// Statements would make the live schema what the applied files produce.
	Statements []string `json:"statements"`
	// Ignored are the runtime schemas and the partitions made by partition
	// maintenance (as public.<name>) left out of the comparison.
	Ignored []string `json:"ignored"`
}

// Drifted reports whether the database differs from its migrations.
func (r *DriftReport) Drifted() bool { return len(r.Edited) > 0 || len(r.Statements) > 0 }

// Drift compares the database at url with what its applied revisions say it
// should be: the directory's files up to the current version, replayed on a
// dev database. It only reads the database (and holds the advisory lock of
// apply while it does).
func Drift(ctx context.Context, url string, dir migrate.Dir, opts DriftOptions) (*DriftReport, error) {
	if err := VerifySum(dir); err != nil {
		return nil, err
	}
	client, err := open(ctx, url)
	if err != nil {
		return nil, err
	}
	defer client.Close()
	// Wait out a running apply, so the revisions and the schema read below
	// are the same moment's.
	unlock, err := lock(ctx, client, opts.LockTimeout)
	if err != nil {
		return nil, err
	}
	defer func() { _ = unlock() }()
	rrw := &dryRevisions{revisions: &revisions{db: client.DB}}
	revs, err := rrw.ReadRevisions(ctx)
	if err != nil {
		return nil, err
	}
	report := &DriftReport{Pending: []string{}, Edited: []EditedFile{}, Statements: []string{}, Ignored: []string{}}
	if report.Current, err = currentVersion(ctx, rrw); err != nil {
		return nil, err
	}
	files, err := dir.Files()
	if err != nil {
		return nil, fmt.Errorf("migrate: read directory: %w", err)
	}
	if report.Edited, err = editedFiles(dir, files, revs); err != nil {
		return nil, err
	}
	for _, f := range files {
		if f.Version() > report.Current && !slices.ContainsFunc(revs, func(r *migrate.Revision) bool { return r.Version == f.Version() }) {
			report.Pending = append(report.Pending, f.Name())
		}
	}

	devURL, drop := opts.DevURL, func() {}
	if devURL == "" {
		if devURL, drop, err = scratchDatabase(ctx, client.DB, url); err != nil {
			return nil, err
		}
	}
	defer drop()
	desired, desiredParts, err := replayed(ctx, devURL, dir, report.Current)
	if err != nil {
		return nil, err
	}
	// Inspect public bound to it, as the dev database is, so expressions
	// name its objects unqualified on both sides; the other schemas only
	// need their names.
	public, err := inspectPublic(ctx, url)
	if err != nil {
		return nil, err
	}
	changes, err := client.SchemaDiff(public, desired)
	if err != nil {
		return nil, fmt.Errorf("migrate: diff schema public: %w", err)
	}
	live, err := client.InspectRealm(ctx, &schema.InspectRealmOption{Mode: schema.InspectSchemas})
	if err != nil {
		return nil, fmt.Errorf("migrate: inspect the database: %w", err)
	}
	for _, s := range live.Schemas {
		switch {
		case s.Name == public.Name, s.Name == RevisionsSchema:
		case strings.HasPrefix(s.Name, RuntimeSchemaPrefix) && !opts.IncludeRuntime:
			report.Ignored = append(report.Ignored, s.Name)
		default:
			changes = append(changes, &schema.DropSchema{S: s})
		}
	}
	liveParts, err := partitions(ctx, client.DB)
	if err != nil {
		return nil, err
	}
	if len(changes) > 0 {
		plan, err := client.PlanChanges(ctx, "drift", changes)
		if err != nil {
			return nil, fmt.Errorf("migrate: plan the reconciling statements: %w", err)
		}
		for _, c := range plan.Changes {
			report.Statements = append(report.Statements, c.Cmd+";")
		}
	}
	comparePartitions(report, liveParts, desiredParts, opts.IncludeRuntime)
	return report, nil
}

// part is a partition of a table of schema public.
type part struct {
	parent, bound string // bound: pg_get_expr of its partition bound
}

// partitions lists the partitions of the tables of schema public, which
// Atlas does not inspect.
func partitions(ctx context.Context, db *sql.DB) (map[string]part, error) {
	rows, err := db.QueryContext(ctx, `SELECT c.relname, p.relname, pg_get_expr(c.relpartbound, c.oid)
		FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
		JOIN pg_namespace n ON n.oid = p.relnamespace
		WHERE n.nspname = 'public' AND c.relispartition AND c.relkind IN ('r', 'p')`)
	if err != nil {
		return nil, fmt.Errorf("migrate: list the partitions: %w", err)
	}
	defer rows.Close()
	parts := map[string]part{}
	for rows.Next() {
		var name string
		var p part
		if err := rows.Scan(&name, &p.parent, &p.bound); err != nil {
			return nil, fmt.Errorf("migrate: list the partitions: %w", err)
		}
		parts[name] = p
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("migrate: list the partitions: %w", err)
	}
	return parts, nil
}

// comparePartitions adds to r the partitions the applied files made that
// are gone or changed, and those made since: partition maintenance's
// (partition.Owned) are ignored unless includeRuntime, others are drift.
func comparePartitions(r *DriftReport, live, desired map[string]part, includeRuntime bool) {
	create := func(name string, p part) string {
		return fmt.Sprintf("CREATE TABLE %s PARTITION OF %s %s;", publicIdent(name), publicIdent(p.parent), p.bound)
	}
	drop := func(name string) string { return "DROP TABLE " + publicIdent(name) + ";" }
	for _, name := range slices.Sorted(maps.Keys(desired)) {
		want, p := desired[name], live[name]
		switch _, ok := live[name]; {
		case !ok:
			r.Statements = append(r.Statements, create(name, want))
		case p != want:
			r.Statements = append(r.Statements, drop(name), create(name, want))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(live)) {
		if _, ok := desired[name]; ok {
			continue
		}
		if partition.Owned(live[name].parent, name) && !includeRuntime {
			r.Ignored = append(r.Ignored, "public."+name)
			continue
		}
		r.Statements = append(r.Statements, drop(name))
	}
}

// inspectPublic reads the public schema of the database at url.
func inspectPublic(ctx context.Context, url string) (*schema.Schema, error) {
	c, err := openDev(ctx, url)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	s, err := c.InspectSchema(ctx, "", nil)
	if err != nil {
		return nil, fmt.Errorf("migrate: inspect the database: %w", err)
	}
	return s, nil
}

// editedFiles compares the hash each executed revision recorded with the
// file's atlas.sum hash now. atlas.sum chains each file's hash to the files
// before it, so every file after an edited one differs too: only the first
// is named, as the others cannot be told apart from it.
func editedFiles(dir migrate.Dir, files []migrate.File, revs []*migrate.Revision) ([]EditedFile, error) {
	sum, err := dir.Checksum()
	if err != nil {
		return nil, fmt.Errorf("migrate: compute checksum: %w", err)
	}
	edited := []EditedFile{}
	for _, rev := range revs {
		if !rev.Type.Has(migrate.RevisionTypeExecute) || rev.Hash == "" {
			continue // a baseline row records no file content
		}
		e := EditedFile{Version: rev.Version, Applied: rev.Hash}
		if i := slices.IndexFunc(files, func(f migrate.File) bool { return f.Version() == rev.Version }); i >= 0 {
			e.File = files[i].Name()
			if e.Current, err = sum.SumByName(e.File); err != nil {
				return nil, fmt.Errorf("migrate: hash of %s: %w", e.File, err)
			}
		}
		if e.Current != e.Applied {
			return append(edited, e), nil
		}
	}
	return edited, nil
}

// replayed returns the public schema, and its partitions, the files up to
// version produce on a clean dev database (an empty one for version "").
func replayed(ctx context.Context, devURL string, dir migrate.Dir, version string) (*schema.Schema, map[string]part, error) {
	dev, err := openDev(ctx, devURL)
	if err != nil {
		return nil, nil, err
	}
	defer dev.Close()
	if version == "" {
		s := schema.New("public")
		schema.NewRealm(s)
		return s, map[string]part{}, nil
	}
	ex, err := migrate.NewExecutor(dev.Driver, dir, migrate.NopRevisionReadWriter{})
	if err != nil {
		return nil, nil, fmt.Errorf("migrate: %w", err)
	}
	// Replay restores the dev database before it returns: read the
	// partitions, which Atlas does not inspect, with the schema.
	var parts map[string]part
	conn := migrate.SchemaConn(dev.Driver, "", nil)
	read := migrate.StateReaderFunc(func(ctx context.Context) (*schema.Realm, error) {
		realm, err := conn.ReadState(ctx)
		if err != nil {
			return nil, err
		}
		parts, err = partitions(ctx, dev.DB)
		return realm, err
	})
	realm, err := ex.Replay(ctx, read, migrate.ReplayToVersion(version))
	if err != nil {
		return nil, nil, fmt.Errorf("migrate: replay the applied files on the dev database: %w", err)
	}
	if len(realm.Schemas) != 1 {
		return nil, nil, fmt.Errorf("migrate: replay: %d schemas, want one", len(realm.Schemas))
	}
	return realm.Schemas[0], parts, nil
}

// scratchDatabase creates an empty database next to the one at rawURL and
// returns its URL and a func that drops it.
func scratchDatabase(ctx context.Context, db *sql.DB, rawURL string) (string, func(), error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", nil, fmt.Errorf("migrate: scratch database name: %w", err)
	}
	name := "stackdb_drift_" + hex.EncodeToString(b)
	if _, err := db.ExecContext(ctx, `CREATE DATABASE "`+name+`"`); err != nil {
		return "", nil, fmt.Errorf("migrate: create a scratch database to replay on (pass a dev URL, or grant CREATEDB): %w", err)
	}
	drop := func() {
		_, _ = db.ExecContext(context.WithoutCancel(ctx), `DROP DATABASE IF EXISTS "`+name+`" WITH (FORCE)`)
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		drop()
		return "", nil, errors.New("migrate: invalid database URL")
	}
	u.Path = "/" + name
	q := u.Query()
	q.Del("search_path")
	u.RawQuery = q.Encode()
	return u.String(), drop, nil
}

// publicIdent is name in schema public, quoted as Atlas quotes it.
func publicIdent(name string) string {
	return `"public"."` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
