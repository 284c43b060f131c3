package atlasmig

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sync"

	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/sqlclient"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/deploystack/stackdb/internal/config"
	"github.com/deploystack/stackdb/internal/dbpool"
)

// registerOnce makes pgx serve Atlas's postgres driver, which opens the
// database/sql driver named "postgres".
var registerOnce sync.Once

// open connects Atlas's Postgres driver to url. A search_path parameter
// binds the connection to that schema, as with the Atlas CLI.
func open(ctx context.Context, rawURL string) (*sqlclient.Client, error) {
	registerOnce.Do(func() {
		if !slices.Contains(sql.Drivers(), postgres.DriverName) {
			sql.Register(postgres.DriverName, stdlib.GetDefaultDriver())
		}
	})
	// Never echo the URL: it may carry a password.
	if err := config.CheckURL(rawURL); err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil, errors.New("migrate: invalid database URL: want postgres://user@host:port/database?options (keyword/value strings are not supported here)")
	}
	c, err := sqlclient.OpenURL(ctx, u)
	if err != nil {
		return nil, fmt.Errorf("migrate: connect to %s: %w", u.Redacted(), dbpool.ConnectErr(err))
	}
	return c, nil
}
