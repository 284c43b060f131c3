package atlasmig

import (
	"context"
	"errors"
	"fmt"

	"ariga.io/atlas/sql/migrate"
)

// StatusReport describes where a database stands against a directory.
type StatusReport struct {
	// Current is the last fully applied version ("" when none).
	Current string
	// Applied are the revisions recorded as fully applied (baselines
	// included); a file that failed is not among them.
	Applied []*migrate.Revision
	// Pending are the files not applied yet, a failed file first.
	Pending []string
	// Failed is the revision of a file that failed (its Error and
	// ErrorStmt say how), or nil. Applied statements of a file run outside
	// a transaction stay in the database: Failed.Applied counts them.
	Failed *migrate.Revision
	// NotClean explains why a database without revisions needs --baseline.
	NotClean string
}

// Status reports the applied and pending migrations without changing the
// database.
func Status(ctx context.Context, url string, dir migrate.Dir) (*StatusReport, error) {
	if err := VerifySum(dir); err != nil {
		return nil, err
	}
	client, err := open(ctx, url)
	if err != nil {
		return nil, err
	}
	defer client.Close()
	rrw := &dryRevisions{revisions: &revisions{db: client.DB}}
	report := &StatusReport{}
	revs, err := rrw.ReadRevisions(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range revs {
		switch {
		case r.Error != "":
			report.Failed = r
		case r.Applied == r.Total:
			report.Applied = append(report.Applied, r)
		}
		// Otherwise the file is being applied right now (outside a
		// transaction): neither applied nor failed, and still pending.
	}
	if report.Current, err = currentVersion(ctx, rrw); err != nil {
		return nil, err
	}
	ex, err := migrate.NewExecutor(client.Driver, dir, rrw)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	pending, err := ex.Pending(ctx)
	var notClean *migrate.NotCleanError
	switch {
	case errors.Is(err, migrate.ErrNoPendingFiles):
	case errors.As(err, &notClean):
		report.NotClean = notClean.Reason
	case err != nil:
		return nil, fmt.Errorf("migrate: %w", err)
	}
	for _, f := range pending {
		report.Pending = append(report.Pending, f.Name())
	}
	return report, nil
}
