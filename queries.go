package stackdb

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/deploystack/stackdb/gen/dbsqlc"
)

// DB is what the queries run on: a *pgxpool.Pool, a *pgx.Conn or a pgx.Tx.
type DB interface {
	dbsqlc.DBTX
	CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, src pgx.CopyFromSource) (int64, error)
}

// New returns the typed queries running on db, with errors interpreted:
// no row is ErrNotFound, constraint violations are *ConstraintError.
func New(db DB) dbsqlc.Querier {
	return dbsqlc.New(interpreting{db})
}

// interpreting wraps a DB so every error a query returns passes through
// interpretError; generated code stays untouched.
type interpreting struct{ db DB }

func (i interpreting) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	tag, err := i.db.Exec(ctx, sql, args...)
	return tag, interpretError(err)
}

func (i interpreting) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	rows, err := i.db.Query(ctx, sql, args...)
	if err != nil {
		return nil, interpretError(err)
	}
	return interpretingRows{rows}, nil
}

func (i interpreting) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return interpretingRow{i.db.QueryRow(ctx, sql, args...)}
}

func (i interpreting) CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, src pgx.CopyFromSource) (int64, error) {
	n, err := i.db.CopyFrom(ctx, table, columns, src)
	return n, interpretError(err)
}

type interpretingRow struct{ pgx.Row }

func (r interpretingRow) Scan(dest ...any) error { return interpretError(r.Row.Scan(dest...)) }

type interpretingRows struct{ pgx.Rows }

func (r interpretingRows) Err() error { return interpretError(r.Rows.Err()) }
