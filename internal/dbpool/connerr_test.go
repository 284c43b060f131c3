package dbpool_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/config"
	"github.com/deploystack/stackdb/internal/dbpool"
	"github.com/deploystack/stackdb/stackdbtest"
)

func TestMain(m *testing.M) { stackdbtest.Main(m) }

// TestOpenLeadsWithTheServersAnswer connects with a wrong password and
// sslmode=prefer: pgx's own error starts with the refused TLS attempt;
// Open's names the server's FATAL right after the target. (The throwaway
// cluster requires its password on 127.0.0.1.)
func TestOpenLeadsWithTheServersAnswer(t *testing.T) {
	t.Parallel()
	u, err := url.Parse(stackdbtest.EmptyURL(t))
	require.NoError(t, err)
	u.User = url.UserPassword(u.User.Username(), "s3cret-pw")
	u.RawQuery = "sslmode=prefer"

	_, rawErr := pgconn.Connect(context.Background(), u.String())
	require.ErrorContains(t, rawErr, "server refused TLS connection", "pgx reports the TLS attempt first")

	_, err = dbpool.Open(context.Background(), u.String())
	want := fmt.Sprintf(`connect to %s: FATAL: password authentication failed for user %q (SQLSTATE 28P01)`, config.Redact(u.String()), u.User.Username())
	require.EqualError(t, err, want)
	require.NotContains(t, err.Error(), "s3cret-pw")
	var pgErr *pgconn.PgError
	require.ErrorAs(t, err, &pgErr)
	require.Equal(t, "28P01", pgErr.Code)
}

func TestConnectErr(t *testing.T) {
	t.Parallel()
	auth := &pgconn.PgError{Severity: "FATAL", Code: "28P01", Message: `password authentication failed for user "app"`}
	first := &pgconn.PgError{Severity: "FATAL", Code: "57P03", Message: "the database system is starting up"}
	refused := errors.New("127.0.0.1:5432 (db): tls error: server refused TLS connection")
	tests := []struct {
		name string
		err  error
		want string
	}{
		{name: "nil", err: nil, want: ""},
		{name: "no server answer stays as it is", err: refused, want: refused.Error()},
		{
			name: "TLS line first, then the auth failure",
			err:  fmt.Errorf("failed to connect: %w", errors.Join(refused, fmt.Errorf("127.0.0.1:5432 (db): failed SASL auth: %w", auth))),
			want: `FATAL: password authentication failed for user "app" (SQLSTATE 28P01)`,
		},
		{
			name: "the last server answer wins",
			err:  errors.Join(fmt.Errorf("a: %w", first), fmt.Errorf("b: %w", auth)),
			want: `FATAL: password authentication failed for user "app" (SQLSTATE 28P01)`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := dbpool.ConnectErr(tt.err)
			if tt.err == nil {
				require.NoError(t, got)
				return
			}
			require.EqualError(t, got, tt.want)
			require.False(t, strings.HasPrefix(got.Error(), "tls"))
			require.ErrorIs(t, got, tt.err, "the original chain stays reachable")
		})
	}
}
