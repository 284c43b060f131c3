package stackdb

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/deploystack/stackdb/gen/dbsqlc"
)

// TxStarter begins transactions: a *pgxpool.Pool, a *pgx.Conn or a pgx.Tx
// (which nests with a savepoint).
type TxStarter interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}

// InTx runs fn in a transaction: committed when fn returns nil, rolled back
// when it returns an error or panics. The queries given to fn run in the
// transaction; pass tx to your own statements to join them. fn's error is
// returned as it is, so the caller's own wrapping survives.
func InTx(ctx context.Context, db TxStarter, fn func(tx pgx.Tx, q dbsqlc.Querier) error) error {
	tx, err := db.Begin(ctx)
	if err != nil {
		return fmt.Errorf("stackdb: begin: %w", interpretError(err))
	}
	// A no-op after Commit; on error or panic it undoes fn's work (pgx
	// closes the connection if the rollback itself fails).
	defer tx.Rollback(ctx) //nolint:errcheck
	if err := fn(tx, New(tx)); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("stackdb: commit: %w", interpretError(err))
	}
	return nil
}
