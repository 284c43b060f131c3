package stackdb

import (
	"errors"
	"fmt"

	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// ErrNotFound is returned by queries that expect one row and find none.
var ErrNotFound = errors.New("stackdb: not found")

// ConstraintError reports a write that a constraint refused. It names the
// constraint and table but never the offending values, which may be secret
// (token hashes, emails).
type ConstraintError struct {
	Kind       ConstraintKind
	Table      string
	Constraint string // empty for NotNull
	Column     string // set for NotNull
	Err        *pgconn.PgError
}

// ConstraintKind says which kind of constraint refused a write.
type ConstraintKind string

// The constraint kinds ConstraintError reports.
const (
	Unique     ConstraintKind = "unique"
	ForeignKey ConstraintKind = "foreign key"
	Check      ConstraintKind = "check"
	NotNull    ConstraintKind = "not null"
)

func (e *ConstraintError) Error() string {
	if e.Kind == NotNull {
		return fmt.Sprintf("stackdb: column %q of table %q must not be null", e.Column, e.Table)
	}
	return fmt.Sprintf("stackdb: %s constraint %q on table %q violated", e.Kind, e.Constraint, e.Table)
}

func (e *ConstraintError) Unwrap() error { return e.Err }

// IsUniqueViolation reports whether err is a unique violation, optionally of
// the named constraint.
func IsUniqueViolation(err error, constraint ...string) bool {
	var cerr *ConstraintError
	if !errors.As(err, &cerr) || cerr.Kind != Unique {
		return false
	}
	return len(constraint) == 0 || cerr.Constraint == constraint[0]
}

var constraintKinds = map[string]ConstraintKind{
	pgerrcode.UniqueViolation:     Unique,
	pgerrcode.ForeignKeyViolation: ForeignKey,
	pgerrcode.CheckViolation:      Check,
	pgerrcode.NotNullViolation:    NotNull,
}

// interpretError is the one place database errors become stackdb errors.
func interpretError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		if kind, ok := constraintKinds[pgErr.Code]; ok {
			return &ConstraintError{Kind: kind, Table: pgErr.TableName, Constraint: pgErr.ConstraintName, Column: pgErr.ColumnName, Err: pgErr}
		}
	}
	return err
}
