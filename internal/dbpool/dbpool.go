// Package dbpool opens connection pools: the one way stackdb, its test
// databases and its commands connect with a pool. It refuses an empty URL
// (pgx would otherwise fall back to whatever libpq's defaults find) and never
// echoes a password in its errors.
package dbpool

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/deploystack/stackdb/internal/config"
)

// Open parses url (an empty one is config.ErrEmptyURL), opens a pool and checks that it can connect.
// Its connections scan json and jsonb into json.RawMessage by copying the
// bytes (rawJSON), not through json.Unmarshal.
func Open(ctx context.Context, url string) (*pgxpool.Pool, error) {
	if err := config.CheckURL(url); err != nil {
		return nil, err
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx redacts the password in parse errors.
		return nil, err
	}
	after := cfg.AfterConnect
	cfg.AfterConnect = func(ctx context.Context, conn *pgx.Conn) error {
		if after != nil {
			if err := after(ctx, conn); err != nil {
				return err
			}
		}
		return registerRawJSON(ctx, conn)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to %s: %w", config.Redact(url), ConnectErr(err))
	}
	return pool, nil
}
