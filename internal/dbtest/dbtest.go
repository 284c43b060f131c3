// Package dbtest gives each test its own fresh Postgres database.
//
// The server is TEST_DATABASE_URL when set, else a throwaway cluster started
// once per test binary (stop it with Main). The migrations are applied once
// into a template database whose name carries the hash of the migration
// directory, so concurrent test binaries share it and a changed directory
// gets a new one; every test then clones the template with
// CREATE DATABASE … TEMPLATE, which takes milliseconds. A test's database is
// dropped when the test passes and kept, with its URL logged, when it fails.
package dbtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/internal/config"
	"github.com/deploystack/stackdb/internal/migrate"
	"github.com/deploystack/stackdb/internal/pgcluster"
	"github.com/deploystack/stackdb/schema"
)

// EnvURL names the variable that points tests at an existing server. Its
// user must be allowed to create databases.
const EnvURL = "TEST_DATABASE_URL"

// Main runs a package's tests and then stops the throwaway cluster, if one
// was started. Call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	if shared.cluster != nil {
		_ = shared.cluster.Stop()
	}
	os.Exit(code)
}

// Pool returns a pool on a fresh, migrated database, closed when the test ends.
func Pool(tb testing.TB) *pgxpool.Pool {
	tb.Helper()
	pool, err := stackdb.OpenPool(context.Background(), URL(tb))
	if err != nil {
		tb.Fatalf("dbtest: %v", err)
	}
	tb.Cleanup(pool.Close)
	return pool
}

// URL returns the URL of a fresh, migrated database.
func URL(tb testing.TB) string {
	tb.Helper()
	s := server(tb)
	tpl, err := s.template()
	if err != nil {
		tb.Fatalf("dbtest: %v", err)
	}
	return s.create(tb, tpl)
}

// EmptyURL returns the URL of a fresh database with no migrations applied,
// for tests of the migration engine itself.
func EmptyURL(tb testing.TB) string {
	tb.Helper()
	return server(tb).create(tb, "")
}

type testServer struct {
	admin    *pgxpool.Pool
	adminURL *url.URL
	cluster  *pgcluster.Cluster
	strategy string // CREATE DATABASE strategy clause, where supported

	tplOnce sync.Once
	tplName string
	tplErr  error
}

var (
	shared     testServer
	serverOnce sync.Once
	serverErr  error
)

func server(tb testing.TB) *testServer {
	tb.Helper()
	s, err := startServer()
	if err != nil {
		tb.Fatalf("dbtest: %v", err)
	}
	return s
}

// startServer starts the shared server once per test binary.
func startServer() (*testServer, error) {
	serverOnce.Do(func() { serverErr = shared.start(context.Background()) })
	return &shared, serverErr
}

// NewEmptyDatabase is EmptyURL for code that has no testing.TB, such as
// Examples: it returns the URL of a fresh database with no migrations
// applied and a drop function that removes it, ending any connections still
// open. As with the other helpers, Main stops the server afterwards.
func NewEmptyDatabase(ctx context.Context) (url string, drop func() error, err error) {
	s, err := startServer()
	if err != nil {
		return "", nil, fmt.Errorf("dbtest: %w", err)
	}
	name, url, err := s.createDB(ctx, "")
	if err != nil {
		return "", nil, fmt.Errorf("dbtest: %w", err)
	}
	return url, func() error { return s.dropDB(context.Background(), name) }, nil
}

func (s *testServer) start(ctx context.Context) error {
	raw := os.Getenv(EnvURL)
	if raw == "" {
		c, err := pgcluster.Start(ctx)
		if err != nil {
			return err
		}
		s.cluster, raw = c, c.URL("postgres")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%s is not a URL", EnvURL)
	}
	s.adminURL = u
	if s.admin, err = stackdb.OpenPool(ctx, raw); err != nil {
		return err
	}
	var version int
	if err := s.admin.QueryRow(ctx, "SELECT current_setting('server_version_num')::int").Scan(&version); err != nil {
		return fmt.Errorf("read server version: %w", err)
	}
	if version >= 150000 {
		// FILE_COPY copies the template's few files instead of WAL-logging
		// every block: the faster choice for small databases.
		s.strategy = " STRATEGY FILE_COPY"
	}
	return nil
}

func (s *testServer) urlFor(database string) string {
	u := *s.adminURL
	u.Path = "/" + database
	return u.String()
}

// template returns the migrated template database, creating it once per
// migration-directory hash. An advisory lock serialises test binaries that
// start together; the template is marked IS_TEMPLATE only once fully
// migrated, so a half-built one left by a crash is rebuilt.
func (s *testServer) template() (string, error) {
	s.tplOnce.Do(func() { s.tplName, s.tplErr = s.buildTemplate(context.Background()) })
	return s.tplName, s.tplErr
}

func (s *testServer) buildTemplate(ctx context.Context) (string, error) {
	dir, err := migrate.FromFS(schema.Migrations, schema.MigrationsRoot)
	if err != nil {
		return "", err
	}
	hash, err := migrate.DirHash(dir)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(hash))
	name := "stackdb_tpl_" + hex.EncodeToString(sum[:8])

	conn, err := s.admin.Acquire(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock(hashtext($1))", name); err != nil {
		return "", fmt.Errorf("lock template: %w", err)
	}
	defer conn.Exec(ctx, "SELECT pg_advisory_unlock(hashtext($1))", name) //nolint:errcheck // released with the session anyway

	var ready bool
	err = conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate)", name).Scan(&ready)
	if err != nil || ready {
		return name, err
	}
	ident := pgx.Identifier{name}.Sanitize()
	for _, stmt := range []string{"DROP DATABASE IF EXISTS " + ident + " WITH (FORCE)", "CREATE DATABASE " + ident} {
		if _, err := conn.Exec(ctx, stmt); err != nil {
			return "", fmt.Errorf("create template: %w", err)
		}
	}
	if _, err := migrate.Apply(ctx, s.urlFor(name), dir, migrate.ApplyOptions{}); err != nil {
		return "", fmt.Errorf("migrate template: %w", err)
	}
	if _, err := conn.Exec(ctx, "ALTER DATABASE "+ident+" WITH IS_TEMPLATE true"); err != nil {
		return "", fmt.Errorf("mark template: %w", err)
	}
	return name, nil
}

// create makes a database for a test (see createDB) and drops it when the
// test passes.
func (s *testServer) create(tb testing.TB, template string) string {
	tb.Helper()
	name, url, err := s.createDB(context.Background(), template)
	if err != nil {
		tb.Fatalf("dbtest: %v", err)
	}
	tb.Cleanup(func() {
		if tb.Failed() {
			url := config.Redact(url) // TEST_DATABASE_URL may carry a password
			if s.cluster != nil {
				tb.Logf("dbtest: kept the database of this failed test: %s (the throwaway server stops with the test binary; set %s to keep it)", url, EnvURL)
			} else {
				tb.Logf("dbtest: kept the database of this failed test: %s", url)
			}
			return
		}
		if err := s.dropDB(context.Background(), name); err != nil {
			tb.Errorf("dbtest: %v", err)
		}
	})
	return url
}

// createDB makes a uniquely named database, a copy of template or empty when
// template is "", and returns its name and URL.
func (s *testServer) createDB(ctx context.Context, template string) (name, url string, err error) {
	var b [8]byte
	_, _ = rand.Read(b[:])
	name = "stackdb_test_" + hex.EncodeToString(b[:])
	stmt := "CREATE DATABASE " + pgx.Identifier{name}.Sanitize()
	if template != "" {
		stmt += " TEMPLATE " + pgx.Identifier{template}.Sanitize() + s.strategy
	}
	if _, err := s.admin.Exec(ctx, stmt); err != nil {
		return "", "", fmt.Errorf("create database: %w", err)
	}
	return name, s.urlFor(name), nil
}

func (s *testServer) dropDB(ctx context.Context, name string) error {
	if _, err := s.admin.Exec(ctx, "DROP DATABASE "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop database %s: %w", name, err)
	}
	return nil
}
