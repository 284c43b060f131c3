// Package config resolves where stackdb's databases are and where its schema
// lives: the database settings from the environment, and the schema and
// migration paths from the Atlas project file.
package config

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
)

// Database says how to reach Postgres. DATABASE_URL wins; otherwise the
// POSTGRES_* variables build the URL. When neither is set the URL is empty:
// nobody named a database, and commands that write refuse to guess one.
type Database struct {
	URL      string // DATABASE_URL: a complete postgres:// URL
	Host     string // POSTGRES_HOST
	Port     int    // POSTGRES_PORT (default 5432)
	Database string // POSTGRES_DATABASE (default "postgres")
	User     string // POSTGRES_USER (default "postgres")
	Password string // POSTGRES_PASSWORD; never printed
	SSL      string // POSTGRES_SSL: true/false or a libpq sslmode (default "disable")
}

// DatabaseFromEnv reads the Database settings from the process environment.
func DatabaseFromEnv() (Database, error) {
	return databaseFrom(os.Getenv)
}

// postgresVars are the POSTGRES_* variables that only mean something with
// POSTGRES_HOST.
var postgresVars = []string{"POSTGRES_PORT", "POSTGRES_DATABASE", "POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_SSL"}

func databaseFrom(getenv func(string) string) (Database, error) {
	d := Database{
		URL:      getenv("DATABASE_URL"),
		Host:     getenv("POSTGRES_HOST"),
		Port:     5432,
		Database: withDefault(getenv("POSTGRES_DATABASE"), "postgres"),
		User:     withDefault(getenv("POSTGRES_USER"), "postgres"),
		Password: getenv("POSTGRES_PASSWORD"),
		SSL:      withDefault(getenv("POSTGRES_SSL"), "disable"),
	}
	if d.URL == "" && d.Host == "" {
		// A half-configured environment (a password without a host, say)
		// is a mistake, not a request for the defaults.
		var set []string
		for _, k := range postgresVars {
			if getenv(k) != "" {
				set = append(set, k)
			}
		}
		if len(set) > 0 {
			return d, fmt.Errorf("config: %s set but POSTGRES_HOST is not: set POSTGRES_HOST too, or DATABASE_URL", strings.Join(set, ", "))
		}
	}
	if p := getenv("POSTGRES_PORT"); p != "" {
		port, err := strconv.Atoi(p)
		if err != nil {
			return d, fmt.Errorf("config: POSTGRES_PORT=%q is not a number", p)
		}
		d.Port = port
	}
	return d, d.Validate()
}

// Validate reports settings that cannot form a connection URL.
func (d Database) Validate() error {
	if d.URL != "" {
		if err := CheckURL(d.URL); err != nil {
			return fmt.Errorf("config: DATABASE_URL: %w", err)
		}
		return nil
	}
	if d.Host == "" {
		return nil
	}
	if d.Port < 1 || d.Port > 65535 {
		return fmt.Errorf("config: POSTGRES_PORT=%d is out of range", d.Port)
	}
	if _, err := d.sslMode(); err != nil {
		return err
	}
	return nil
}

// ConnString returns the connection URL, or "" when nothing is configured.
func (d Database) ConnString() string {
	if d.URL != "" {
		return d.URL
	}
	if d.Host == "" {
		return ""
	}
	mode, _ := d.sslMode()
	u := url.URL{
		Scheme:   "postgres",
		User:     url.UserPassword(d.User, d.Password),
		Host:     net.JoinHostPort(d.Host, strconv.Itoa(d.Port)),
		Path:     "/" + d.Database,
		RawQuery: url.Values{"sslmode": {mode}}.Encode(),
	}
	if d.Password == "" {
		u.User = url.User(d.User)
	}
	return u.String()
}

// Source names where the URL came from, for messages: "DATABASE_URL",
// "POSTGRES_*", or "" when nothing is configured.
func (d Database) Source() string {
	switch {
	case d.URL != "":
		return "DATABASE_URL"
	case d.Host != "":
		return "POSTGRES_*"
	}
	return ""
}

// String describes the target without its password.
func (d Database) String() string {
	return Redact(d.ConnString())
}

// Redact hides the password of a connection URL, for logs and errors.
func Redact(connString string) string {
	u, err := url.Parse(connString)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

func (d Database) sslMode() (string, error) {
	switch s := strings.ToLower(d.SSL); s {
	case "true", "1", "on":
		return "require", nil
	case "false", "0", "off", "":
		return "disable", nil
	case "disable", "allow", "prefer", "require", "verify-ca", "verify-full":
		return s, nil
	default:
		return "", fmt.Errorf("config: POSTGRES_SSL=%q: want true, false or a libpq sslmode", d.SSL)
	}
}

func withDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
