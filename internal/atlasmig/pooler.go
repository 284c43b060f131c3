package atlasmig

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// ErrPooled is returned by Apply and the drift check when the URL reaches
// the server through a connection pooler rather than directly.
//
// A migration holds a session-level advisory lock from start to end, across
// many transactions. Behind a pooler in transaction mode (PgBouncer's
// pool_mode = transaction) those transactions run on whichever server
// connection is free: the lock is taken on one, may be "released" on
// another, and stays on a shared connection that other clients then use —
// so two instances could apply the same file at once. Migrations therefore
// refuse any pooler and need the server's own address.
var ErrPooled = errors.New("migrate: the URL reaches PostgreSQL through a connection pooler (such as PgBouncer), " +
	"whose transaction pooling cannot hold the migration's session-level advisory lock; " +
	"migrate over a direct connection to the server and route only the application's queries through the pooler")

// checkDirect tells a pooler from the server: a server reports its backend's
// process id in BackendKeyData at start-up, a pooler its own (PgBouncer: a
// random key), so the session's id and pg_backend_pid() differ. The query
// uses the simple protocol, which every pooler mode passes.
func checkDirect(ctx context.Context, db *sql.DB) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migrate: connect: %w", err)
	}
	defer conn.Close()
	var session, server uint32
	err = conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return nil // not pgx: nothing to compare
		}
		session = c.Conn().PgConn().PID()
		return c.Conn().QueryRow(ctx, "SELECT pg_backend_pid()", pgx.QueryExecModeSimpleProtocol).Scan(&server)
	})
	switch {
	case err != nil:
		return fmt.Errorf("migrate: read the backend's process id: %w", err)
	case session != server:
		return fmt.Errorf("%w (the session's process id %d is not the server's %d)", ErrPooled, session, server)
	}
	return nil
}
