// Package dbinfo reports on a live stackdb database for operators: whether
// the application can use it (status) and how its tables and indexes are
// doing (stats). The root package and `stackdb status`/`stackdb stats` share
// these types, so the command's --json output is what an application's
// status endpoint returns.
package dbinfo

import (
	"context"
	"fmt"
	"strings"

	"ariga.io/atlas/sql/migrate"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/deploystack/stackdb/internal/atlasmig"
	"github.com/deploystack/stackdb/internal/dbpool"
)

// Status says whether an application can use its database: the data-layer
// side of DeployStack's GET /api/db/status. Every problem of the database is
// a field here rather than an error, so a status endpoint can always answer.
type Status struct {
	// Configured is false when no database URL was given.
	Configured bool `json:"configured"`
	// Reachable is true when a connection succeeded; Error says why not.
	Reachable bool `json:"reachable"`
	// Migrated is true when every migration file is applied and none failed.
	Migrated bool `json:"migrated"`
	// CurrentVersion is the last fully applied migration version ("" when none).
	CurrentVersion string `json:"current_version"`
	// Applied counts the revisions recorded in the database.
	Applied int `json:"applied"`
	// Pending counts the migration files not applied yet, named in PendingFiles.
	Pending      int      `json:"pending"`
	PendingFiles []string `json:"pending_files"`
	// LastError is the last migration when it failed, nil otherwise.
	LastError *MigrationError `json:"last_error"`
	// NotClean explains why a database with objects but no revisions needs
	// `migrate apply --baseline`.
	NotClean string `json:"not_clean,omitempty"`
	// Error says why the database is unreachable or its migration state
	// unreadable. It never contains a password.
	Error string `json:"error,omitempty"`
}

// MigrationError is a migration file whose last apply failed; its
// transaction was rolled back.
type MigrationError struct {
	Version     string `json:"version"`
	Description string `json:"description"`
	Error       string `json:"error"`
	Statement   string `json:"statement"`
}

// Ready reports whether the application can use the database as it is.
func (s *Status) Ready() bool { return s.Configured && s.Reachable && s.Migrated }

// CheckStatus reports where the database at url stands against dir. An empty
// url is reported as not configured. The error is for a broken dir only
// (atlas.sum does not match): a fault of the program, not of the database.
func CheckStatus(ctx context.Context, url string, dir migrate.Dir) (*Status, error) {
	if err := atlasmig.VerifySum(dir); err != nil {
		return nil, fmt.Errorf("status: %w", err)
	}
	st := &Status{PendingFiles: []string{}}
	if strings.TrimSpace(url) == "" {
		return st, nil
	}
	st.Configured = true
	pool, err := dbpool.Open(ctx, url)
	if err != nil {
		st.Error = redact(err.Error(), url)
		return st, nil
	}
	pool.Close()
	st.Reachable = true
	report, err := atlasmig.Status(ctx, url, dir)
	if err != nil {
		st.Error = redact(err.Error(), url)
		return st, nil
	}
	st.CurrentVersion = report.Current
	st.Applied = len(report.Applied)
	st.Pending = len(report.Pending)
	st.PendingFiles = append(st.PendingFiles, report.Pending...)
	st.NotClean = report.NotClean
	if f := report.Failed; f != nil {
		st.LastError = &MigrationError{Version: f.Version, Description: f.Description, Error: f.Error, Statement: f.ErrorStmt}
	}
	st.Migrated = st.Pending == 0 && st.LastError == nil && st.NotClean == ""
	return st, nil
}

// redact removes url's password from msg. The errors of dbpool and atlasmig
// already leave it out; this keeps a status endpoint safe should a driver
// ever echo it.
func redact(msg, url string) string {
	cfg, err := pgconn.ParseConfig(url)
	if err != nil || cfg.Password == "" {
		return msg
	}
	return strings.ReplaceAll(msg, cfg.Password, "xxxxx")
}
