package config

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// ErrEmptyURL is returned for an empty connection URL: pgx would otherwise
// connect to whatever libpq's defaults find.
var ErrEmptyURL = errors.New("empty database URL")

// CheckURL reports what is wrong with a postgres:// connection URL, naming
// the part (scheme, user information, host, port) and never echoing the
// password. Keyword/value strings ("host=... dbname=...") are left to pgx.
func CheckURL(raw string) error {
	if strings.TrimSpace(raw) == "" {
		return ErrEmptyURL
	}
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		if strings.Contains(raw, "=") {
			return nil // keyword/value form
		}
		return errors.New("invalid database URL: want postgres://user:password@host:port/database")
	}
	if scheme != "postgres" && scheme != "postgresql" {
		return fmt.Errorf("invalid database URL: scheme %q: want postgres or postgresql", scheme)
	}
	// A password with an unescaped '/', '?' or '#' ends the authority early:
	// url.Parse would then report a piece of the password as host or port.
	authority := rest
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		authority = rest[:i]
		if !strings.Contains(authority, "@") && strings.Contains(rest[i:], "@") {
			return errors.New("invalid database URL: user information: a '/', '?' or '#' in the user name or password must be percent-encoded")
		}
	}
	if strings.ContainsAny(authority, " \t\n") {
		return errors.New("invalid database URL: user information or host contains white space")
	}
	u, err := url.Parse(raw)
	if err != nil {
		var eerr url.EscapeError
		if errors.As(err, &eerr) {
			// The escape may sit in the password: name the rule, not the text.
			return errors.New("invalid database URL: invalid percent-encoding ('%' must be followed by two hex digits)")
		}
		var uerr *url.Error
		if errors.As(err, &uerr) {
			// The inner error names the part without the whole URL; what
			// reaches here (host and port syntax, user information) is no
			// password, since the authority was checked above.
			return fmt.Errorf("invalid database URL: %s", strings.TrimPrefix(uerr.Err.Error(), "net/url: "))
		}
		return errors.New("invalid database URL")
	}
	for _, host := range strings.Split(u.Host, ",") {
		if i := strings.LastIndex(host, ":"); i >= 0 && !strings.HasSuffix(host, "]") {
			port := host[i+1:]
			if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
				return fmt.Errorf("invalid database URL: port %q: want a number from 1 to 65535", port)
			}
		}
	}
	return nil
}
