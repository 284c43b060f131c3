package stackdb

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"ariga.io/atlas/sql/migrate"

	"github.com/deploystack/stackdb/internal/atlasmig"
)

// ErrDrift is matched (errors.Is) by the error Migrate returns when
// RefuseDrift is set and the database is not what its applied migrations
// made it.
var ErrDrift = errors.New("stackdb: the database schema has drifted from its applied migrations")

// A MigrateOption changes what Migrate does.
type MigrateOption func(*migrateOptions)

type migrateOptions struct {
	refuseDrift bool
	devURL      string
}

// RefuseDrift makes Migrate check, before it applies anything, that the
// database still is what its applied migrations produce: no change made by
// hand, no applied file edited since. On drift it applies nothing and
// returns an error matching ErrDrift; `stackdb migrate drift` prints the
// full report. Schemas stackdb makes at run time (plugin_*) are not drift.
//
// devURL is a clean database to replay the applied files on; with "" a
// scratch database is created on the same server for the check (the role
// needs CREATEDB) and dropped afterwards.
func RefuseDrift(devURL string) MigrateOption {
	return func(o *migrateOptions) { o.refuseDrift, o.devURL = true, devURL }
}

// checkDrift applies RefuseDrift.
func checkDrift(ctx context.Context, url string, dir migrate.Dir, opts []MigrateOption) error {
	var o migrateOptions
	for _, opt := range opts {
		opt(&o)
	}
	if !o.refuseDrift {
		return nil
	}
	r, err := atlasmig.Drift(ctx, url, dir, atlasmig.DriftOptions{DevURL: o.devURL})
	if err != nil {
		return fmt.Errorf("stackdb: drift check: %w", err)
	}
	if !r.Drifted() {
		return nil
	}
	var why []string
	for _, e := range r.Edited {
		why = append(why, fmt.Sprintf("applied file %s was edited", e.File))
	}
	if n := len(r.Statements); n > 0 {
		why = append(why, fmt.Sprintf("%d statement(s) would reconcile the schema, the first: %s", n, r.Statements[0]))
	}
	return fmt.Errorf("%w: %s; run `stackdb migrate drift` for the report", ErrDrift, strings.Join(why, "; "))
}
