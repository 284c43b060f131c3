// Package stackdb is DeployStack's Postgres data layer, as applications use
// it: apply the embedded migrations at start-up, open a pool, and run the
// typed queries of gen/dbsqlc with errors mapped to this package's
// sentinels and types.
//
//	if err := stackdb.Migrate(ctx, url); err != nil { ... }
//	pool, err := stackdb.OpenPool(ctx, url)
//	q := stackdb.New(pool)
//	user, err := q.UserGetByID(ctx, id) // errors.Is(err, stackdb.ErrNotFound)
package stackdb

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/deploystack/stackdb/internal/atlasmig"
	"github.com/deploystack/stackdb/internal/config"
	"github.com/deploystack/stackdb/internal/dbpool"
	"github.com/deploystack/stackdb/schema"
)

// Migrate applies the migrations embedded in this module to the database at
// url. It is safe to call from every instance of an application at start-up:
// it holds the same advisory lock and writes the same revisions table as
// `stackdb migrate apply` and `atlas migrate apply`, so each file is applied
// exactly once. Options (RefuseDrift) add checks before anything is applied.
// That lock belongs to a session, so url must reach the server directly: a
// URL through a connection pooler such as PgBouncer is ErrPooled, and
// nothing is applied.
func Migrate(ctx context.Context, url string, opts ...MigrateOption) error {
	if err := config.CheckURL(url); err != nil {
		return fmt.Errorf("stackdb: migrate: %w", err)
	}
	dir, err := schema.Dir()
	if err != nil {
		return fmt.Errorf("stackdb: %w", err)
	}
	if err := checkDrift(ctx, url, dir, opts); err != nil {
		return err
	}
	if _, err := atlasmig.Apply(ctx, url, dir, atlasmig.ApplyOptions{}); err != nil {
		return fmt.Errorf("stackdb: %w", err) // atlasmig's errors start with "migrate:"
	}
	return nil
}

// ErrPooled is returned by Migrate when its URL reaches the server through
// a connection pooler, whose transaction pooling would leave the migration's
// advisory lock on a shared server connection. Migrate over the server's own
// address; applications' pools may use the pooler.
var ErrPooled = atlasmig.ErrPooled

// OpenPool opens a connection pool to url and checks that it can connect.
// An empty url is an error, not libpq's defaults. Its connections scan json
// and jsonb into json.RawMessage (every jsonb column of the queries) by
// copying the server's bytes, where pgx alone would run them through
// json.Unmarshal.
func OpenPool(ctx context.Context, url string) (*pgxpool.Pool, error) {
	pool, err := dbpool.Open(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("stackdb: open pool: %w", err)
	}
	return pool, nil
}
