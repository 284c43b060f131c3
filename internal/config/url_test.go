package config

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCheckURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, url, wantErr string
	}{
		{name: "complete", url: "postgres://app:pw@db.internal:6432/stack?sslmode=require"},
		{name: "postgresql scheme", url: "postgresql://app@db/stack"},
		{name: "no port", url: "postgres://app:pw@db/stack"},
		{name: "ipv6 host", url: "postgres://app:pw@[::1]:5432/stack"},
		{name: "several hosts", url: "postgres://app:pw@a:5432,b:5433/stack"},
		{name: "encoded reserved characters in the password", url: "postgres://app:p%2Fw%23d@db/stack"},
		{name: "unescaped @ in the password is what pgx accepts too", url: "postgres://app:p@ss@db/stack"},
		{name: "keyword/value form is left to pgx", url: "host=db user=app password=secret dbname=stack"},
		{name: "empty", url: "", wantErr: "empty database URL"},
		{name: "blank", url: "  ", wantErr: "empty database URL"},
		{name: "not a URL", url: "db.internal:5432", wantErr: "invalid database URL: want postgres://user:password@host:port/database"},
		{name: "wrong scheme", url: "mysql://app:secret@db/stack", wantErr: `invalid database URL: scheme "mysql": want postgres or postgresql`},
		{name: "port not a number", url: "postgres://app:secret@db:5x32/stack", wantErr: `invalid database URL: invalid port ":5x32" after host`},
		{name: "port out of range", url: "postgres://app:secret@db:99999/stack", wantErr: `invalid database URL: port "99999": want a number from 1 to 65535`},
		{name: "port zero", url: "postgres://app:secret@db:0/stack", wantErr: `invalid database URL: port "0": want a number from 1 to 65535`},
		{name: "slash in the password", url: "postgres://app:se/cret@db/stack", wantErr: "invalid database URL: user information: a '/', '?' or '#' in the user name or password must be percent-encoded"},
		{name: "hash in the password", url: "postgres://app:se#cret@db/stack", wantErr: "invalid database URL: user information: a '/', '?' or '#' in the user name or password must be percent-encoded"},
		{name: "question mark in the password", url: "postgres://app:se?cret@db/stack", wantErr: "invalid database URL: user information: a '/', '?' or '#' in the user name or password must be percent-encoded"},
		{name: "bad escape in the password", url: "postgres://app:secret%zz@db/stack", wantErr: "invalid database URL: invalid percent-encoding ('%' must be followed by two hex digits)"},
		{name: "space in the host", url: "postgres://app:secret@d b/stack", wantErr: "invalid database URL: user information or host contains white space"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := CheckURL(tt.url)
			if tt.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.EqualError(t, err, tt.wantErr)
			require.NotContains(t, err.Error(), "secret", "the password is never echoed")
			require.NotContains(t, err.Error(), "cret")
		})
	}
}
