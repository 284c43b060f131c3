package atlasmig

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlclient"
	"github.com/hashicorp/hcl/v2/hclparse"
)

// ErrOutOfSync is returned by Diff in check mode when the schema files and
// the migration directory differ.
var ErrOutOfSync = errors.New("migrate: the migration directory is not in sync with the schema files; run `make generate`")

// DiffOptions configure Diff.
type DiffOptions struct {
	// DevURL is a clean database used to replay the directory and normalise
	// the desired schema. It is bound to the public schema, as migration
	// files carry no schema qualifier.
	DevURL string
	// SchemaDir holds the declarative schema (*.hcl files).
	SchemaDir string
	// Dir is the migration directory new files are written to.
	Dir migrate.Dir
	// Name describes the change; it becomes the file name's suffix.
	Name string
	// Check reports ErrOutOfSync instead of writing a file.
	Check bool
}

var validName = regexp.MustCompile(`^[a-z0-9_]+$`)

// Diff compares the declarative schema with the state the migration
// directory produces and, when they differ, writes one new migration file
// and the updated atlas.sum. It returns the name of the written file, or ""
// when the directory was already in sync.
func Diff(ctx context.Context, opts DiffOptions) (string, error) {
	if !validName.MatchString(opts.Name) {
		return "", fmt.Errorf("migrate: migration name %q: use lower-case letters, digits and underscores", opts.Name)
	}
	if err := VerifySum(opts.Dir); err != nil {
		return "", err
	}
	desired, err := LoadSchema(opts.SchemaDir)
	if err != nil {
		return "", err
	}
	dev, err := openDev(ctx, opts.DevURL)
	if err != nil {
		return "", err
	}
	defer dev.Close()
	normal, err := dev.Driver.(schema.Normalizer).NormalizeSchema(ctx, desired)
	if err != nil {
		return "", fmt.Errorf("migrate: the schema files do not load into Postgres: %w", err)
	}
	planner := migrate.NewPlanner(dev.Driver, opts.Dir,
		migrate.PlanFormat(migrate.DefaultFormatter), migrate.PlanWithSchemaQualifier(""))
	plan, err := planner.PlanSchema(ctx, opts.Name, migrate.Realm(schema.NewRealm(normal)))
	switch {
	case errors.Is(err, migrate.ErrNoPlan):
		return "", nil
	case err != nil:
		return "", fmt.Errorf("migrate: plan: %w", err)
	case opts.Check:
		return "", ErrOutOfSync
	}
	if err := versionAfterLast(opts.Dir, plan); err != nil {
		return "", err
	}
	files, err := migrate.DefaultFormatter.Format(plan)
	if err != nil || len(files) != 1 {
		return "", fmt.Errorf("migrate: format plan: %d files, %w", len(files), err)
	}
	if err := planner.WritePlan(plan); err != nil {
		return "", fmt.Errorf("migrate: write %s: %w", files[0].Name(), err)
	}
	return files[0].Name(), nil
}

// versionAfterLast fixes the plan's version: the current second, or one past
// the directory's last file when that does not sort after it. Two diffs
// within the same second would otherwise share a version, and a file written
// by a clock that ran ahead would be followed by one that sorts before it.
// Fixed once, the name Diff returns is the name WritePlan writes (left empty,
// each formatting reads the clock again).
func versionAfterLast(dir migrate.Dir, plan *migrate.Plan) error {
	files, err := dir.Files()
	if err != nil {
		return fmt.Errorf("migrate: list migration files: %w", err)
	}
	if plan.Version == "" {
		plan.Version = migrate.NewVersion()
	}
	if len(files) == 0 || plan.Version > files[len(files)-1].Version() {
		return nil
	}
	const layout = "20060102150405" // Atlas's version format (migrate.NewVersion)
	last, err := time.Parse(layout, files[len(files)-1].Version())
	if err != nil {
		return nil // not a timestamp version; nothing to count on from here
	}
	plan.Version = last.Add(time.Second).Format(layout)
	return nil
}

// Validate checks atlas.sum and replays the whole directory on a clean dev
// database, so a file that does not execute is found before it ships.
func Validate(ctx context.Context, devURL string, dir migrate.Dir) error {
	if err := VerifySum(dir); err != nil {
		return err
	}
	dev, err := openDev(ctx, devURL)
	if err != nil {
		return err
	}
	defer dev.Close()
	ex, err := migrate.NewExecutor(dev.Driver, dir, migrate.NopRevisionReadWriter{})
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if _, err := ex.Replay(ctx, migrate.SchemaConn(dev.Driver, "", nil)); err != nil {
		var stmtErr *migrate.StmtExecError
		if errors.As(err, &stmtErr) {
			return fmt.Errorf("migrate: replay: version %s: %w\n\tstatement: %s", stmtErr.Version, stmtErr.Err, stmtErr.Stmt.Text)
		}
		return fmt.Errorf("migrate: replay: %w", err)
	}
	return nil
}

// LoadSchema evaluates the Atlas HCL files (*.hcl) of dir into the one
// schema they must declare.
func LoadSchema(dir string) (*schema.Schema, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.hcl"))
	if err != nil {
		return nil, fmt.Errorf("migrate: list schema files: %w", err)
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("migrate: no *.hcl schema files in %s", dir)
	}
	p := hclparse.NewParser()
	for _, path := range paths {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("migrate: read schema file: %w", err)
		}
		if _, diags := p.ParseHCL(b, path); diags.HasErrors() {
			return nil, fmt.Errorf("migrate: parse %s: %w", path, diags)
		}
	}
	var realm schema.Realm
	if err := postgres.EvalHCL.Eval(p, &realm, nil); err != nil {
		return nil, fmt.Errorf("migrate: evaluate schema files in %s: %w", dir, err)
	}
	if len(realm.Schemas) != 1 {
		return nil, fmt.Errorf("migrate: schema files in %s declare %d schemas; want exactly one (public)", dir, len(realm.Schemas))
	}
	return realm.Schemas[0], nil
}

// openDev opens the dev database bound to the public schema.
func openDev(ctx context.Context, devURL string) (*sqlclient.Client, error) {
	u, err := url.Parse(devURL)
	if err != nil {
		return nil, errors.New("migrate: invalid dev database URL")
	}
	q := u.Query()
	if q.Get("search_path") == "" {
		q.Set("search_path", "public")
		u.RawQuery = q.Encode()
	}
	return open(ctx, u.String())
}
