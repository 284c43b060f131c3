// Package legacy describes the databases that stackdb replaces: the last
// SQLite layout of DeployStack and its Drizzle-era Postgres layout (both
// embedded, so stackdb needs nothing outside its module; checked against
// testdata/deploystack), and how a SQLite file is opened.
package legacy

import (
	"database/sql"
	_ "embed"
	"fmt"
	"net/url"

	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver
)

// Schema is DeployStack's last SQLite schema (CREATE TABLE/INDEX
// statements, with the units of its points in time in comments).
//
//go:embed schema.sqlite.sql
var Schema string

// Open opens the SQLite file at path read-only.
func Open(path string) (*sql.DB, error) {
	if err := CheckDriver(); err != nil {
		return nil, fmt.Errorf("legacy: open %s: %w", path, err)
	}
	db, err := sql.Open("sqlite3", "file:"+url.PathEscape(path)+"?mode=ro&_query_only=1")
	if err != nil {
		return nil, fmt.Errorf("legacy: open %s: %w", path, err)
	}
	return db, nil
}
