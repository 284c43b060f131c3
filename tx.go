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
// transaction; pass tx to your own statements to join them.
func InTx(ctx context.Context, db TxStarter, fn func(tx pgx.Tx, q dbsqlc.Querier) error) error {
	err := pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		return fn(tx, New(tx))
	})
	if err != nil {
		return fmt.Errorf("stackdb: transaction: %w", interpretError(err))
	}
	return nil
}
