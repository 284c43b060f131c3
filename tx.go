package stackdb

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/deploystack/stackdb/gen/dbsqlc"
)

// InTx runs fn in a transaction (pgx.BeginFunc, the module's one way to run
// one): committed when fn returns nil, rolled back when it returns an error
// or panics. db is a *pgxpool.Pool, a *pgx.Conn or a pgx.Tx (which nests
// with a savepoint). The queries given to fn run in the transaction; pass tx
// to your own statements to join them. fn's error is returned as it is, so
// the caller's own wrapping survives.
func InTx(ctx context.Context, db TxStarter, fn func(tx pgx.Tx, q dbsqlc.Querier) error) error {
	var fnErr error
	err := pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		fnErr = fn(tx, New(tx))
		return fnErr
	})
	switch {
	case fnErr != nil:
		return fnErr
	case err != nil:
		return fmt.Errorf("stackdb: transaction: %w", interpretError(err))
	}
	return nil
}

// TxStarter begins transactions: a *pgxpool.Pool, a *pgx.Conn or a pgx.Tx.
type TxStarter interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}
