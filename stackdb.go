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

	"github.com/deploystack/stackdb/internal/migrate"
	"github.com/deploystack/stackdb/schema"
)

// Migrate applies the migrations embedded in this module to the database at
// url. It is safe to call from every instance of an application at start-up:
// it holds the same advisory lock and writes the same revisions table as
// `stackdb migrate apply` and `atlas migrate apply`, so each file is applied
// exactly once.
func Migrate(ctx context.Context, url string) error {
	dir, err := migrate.FromFS(schema.Migrations, schema.MigrationsRoot)
	if err != nil {
		return err
	}
	if _, err := migrate.Apply(ctx, url, dir, migrate.ApplyOptions{}); err != nil {
		return fmt.Errorf("stackdb: migrate: %w", err)
	}
	return nil
}

// OpenPool opens a connection pool to url and checks that it can connect.
func OpenPool(ctx context.Context, url string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx redacts the password in parse errors.
		return nil, fmt.Errorf("stackdb: open pool: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("stackdb: open pool: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("stackdb: open pool: %w", err)
	}
	return pool, nil
}
