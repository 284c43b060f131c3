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
	scheme, _, ok := strings.Cut(raw, "://")
	if !ok {
		if strings.Contains(raw, "=") {
			return nil // keyword/value form
		}
		return errors.New("invalid database URL: want postgres://user:password@host:port/database")
	}
	if scheme != "postgres" && scheme != "postgresql" {
		return fmt.Errorf("invalid database URL: scheme %q: want postgres or postgresql", scheme)
	}
	u, err := url.Parse(raw)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			// The inner error names the part without the whole URL.
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
