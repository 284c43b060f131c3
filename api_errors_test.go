package stackdb_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/internal/config"
	"github.com/deploystack/stackdb/stackdbtest"
)

// The application API's errors say what is wrong with the URL, once
// prefixed, and never echo the password.
func TestAPIURLErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name, url, want string
	}{
		{name: "empty", url: "", want: "empty database URL"},
		{name: "scheme", url: "mysql://app:s3cret@db/app", want: `invalid database URL: scheme "mysql": want postgres or postgresql`},
		{name: "port", url: "postgres://app:s3cret@db:99999/app", want: `invalid database URL: port "99999": want a number from 1 to 65535`},
		{name: "user information", url: "postgres://app:s3/cret@db/app", want: "invalid database URL: user information: a '/', '?' or '#' in the user name or password must be percent-encoded"},
		{name: "percent-encoding", url: "postgres://app:s3cret%zz@db/app", want: "invalid database URL: invalid percent-encoding ('%' must be followed by two hex digits)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pool, err := stackdb.OpenPool(ctx, tt.url)
			require.Nil(t, pool)
			require.EqualError(t, err, "stackdb: open pool: "+tt.want)
			requireCleanMessage(t, err)

			err = stackdb.Migrate(ctx, tt.url)
			require.EqualError(t, err, "stackdb: migrate: "+tt.want)
			requireCleanMessage(t, err)
		})
	}
	_, err := stackdb.OpenPool(ctx, "")
	require.ErrorIs(t, err, config.ErrEmptyURL)
	require.ErrorIs(t, stackdb.Migrate(ctx, ""), config.ErrEmptyURL)
}

// A connection the server refuses leads with the server's answer, not with
// pgx's TLS attempt (sslmode=prefer tries TLS first). The throwaway server
// trusts loopback, so a role it does not know stands in for a wrong
// password: both fail at authentication.
func TestAPIConnectErrorLeadsWithCause(t *testing.T) {
	t.Parallel()
	u, err := url.Parse(stackdbtest.EmptyURL(t))
	require.NoError(t, err)
	u.User = url.UserPassword(u.User.Username(), "s3cret") // the throwaway requires its own password
	u.RawQuery = "sslmode=prefer"
	redacted := config.Redact(u.String())
	cause := fmt.Sprintf(`FATAL: password authentication failed for user %q (SQLSTATE 28P01)`, u.User.Username())

	_, err = stackdb.OpenPool(context.Background(), u.String())
	require.EqualError(t, err, fmt.Sprintf("stackdb: open pool: connect to %s: %s", redacted, cause))
	requireCleanMessage(t, err)
	var pgErr *pgconn.PgError
	require.ErrorAs(t, err, &pgErr)
	require.Equal(t, "28P01", pgErr.Code)

	err = stackdb.Migrate(context.Background(), u.String())
	require.EqualError(t, err, fmt.Sprintf("stackdb: migrate: connect to %s: %s", redacted, cause))
	requireCleanMessage(t, err)
}

func requireCleanMessage(t *testing.T, err error) {
	t.Helper()
	msg := err.Error()
	require.NotContains(t, msg, "s3cret", "the password is never echoed")
	require.NotContains(t, msg, "cret")
	require.NotContains(t, msg, "tls error", "the TLS attempt does not lead")
	for _, p := range []string{"stackdb: ", "migrate: ", "open pool: "} {
		require.LessOrEqual(t, strings.Count(msg, p), 1, "prefix %q appears once: %s", p, msg)
	}
}
