package ingestbench

import (
	"context"
	"fmt"
	"net/url"

	"github.com/deploystack/stackdb/internal/pgbouncer"
)

// DefaultPgBouncerPoolSize is the pooler's server connections per database
// and user when Config.PgBouncerPoolSize is 0: PgBouncer's own default
// (default_pool_size = 20), what a deployment that sets nothing runs.
const DefaultPgBouncerPoolSize = 20

// Exec modes of a run. Direct, both sides use named prepared statements
// (pgx's statement cache, pgbench -M prepared). Through PgBouncer before
// 1.21, which keeps no prepared statement across transactions (Debian
// bookworm ships 1.18), both use the unnamed statement of the extended
// protocol instead: pgx's exec mode and pgbench -M extended, the same
// messages per statement (Parse, Bind, Execute, Sync), so that the ratio
// still compares like with like.
const (
	directPgbenchMode = "prepared"
	pooledPgbenchMode = "extended"
	pooledPgxMode     = "exec"
)

// behindPgBouncer starts a transaction-mode PgBouncer in front of server
// and points both sides' URLs at the scratch database through it; the
// admin connection (seeding, resets, the wait sampler) stays direct. It
// returns the pooler's version line and its stop.
func (s *scratch) behindPgBouncer(ctx context.Context, server string) (string, func(), error) {
	version, err := pgbouncer.Version(ctx)
	if err != nil {
		return "", nil, fmt.Errorf("bench: --pgbouncer: %w", err)
	}
	pool := s.cfg.PgBouncerPoolSize
	if pool == 0 {
		pool = DefaultPgBouncerPoolSize
	}
	b, err := pgbouncer.StartWith(ctx, server, pgbouncer.Options{PoolSize: pool})
	if err != nil {
		return "", nil, fmt.Errorf("bench: --pgbouncer: %w", err)
	}
	stop := func() { _ = b.Stop() }
	u, err := url.Parse(b.URL(s.name))
	if err != nil {
		stop()
		return "", nil, fmt.Errorf("bench: --pgbouncer: %w", err)
	}
	q := u.Query()
	q.Set("default_query_exec_mode", pooledPgxMode)
	u.RawQuery = q.Encode()
	s.pgxURL = u.String()
	q.Del("default_query_exec_mode") // a pgx setting libpq refuses
	u.RawQuery = q.Encode()
	u.User = url.User(u.User.Username()) // the password goes in PGPASSWORD
	s.libpqURL = u.String()
	s.pgbenchMode = pooledPgbenchMode
	return fmt.Sprintf("%s, transaction mode, %d server connections", version, pool), stop, nil
}
