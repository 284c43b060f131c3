// Package stackdbtest gives each test its own fresh, migrated stackdb
// database — for stackdb's own tests and for the tests of applications that
// depend on stackdb:
//
//	func TestMain(m *testing.M) { stackdbtest.Main(m) }
//
//	func TestSignup(t *testing.T) {
//		t.Parallel()
//		pool := stackdbtest.Pool(t) // fresh database, all migrations applied
//		...
//	}
//
// The server is TEST_DATABASE_URL when set, else a throwaway cluster started
// from the local PostgreSQL binaries once per test binary. The migrations are
// applied once into a template database whose name carries the hash of the
// migration directory, so concurrent test binaries share it and a changed
// directory gets a new one; tests get clones of it (CREATE DATABASE …
// TEMPLATE).
//
// Under Main, clones are made ahead of time in the background, so a test
// receives a ready database without waiting for CREATE DATABASE, and the
// databases of passed tests are dropped in the background too. A failed
// test's database is kept and its URL logged; with the throwaway cluster,
// Main then keeps the cluster's data directory and prints how to start it.
package stackdbtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/deploystack/stackdb/internal/atlasmig"
	"github.com/deploystack/stackdb/internal/config"
	"github.com/deploystack/stackdb/internal/dbpool"
	"github.com/deploystack/stackdb/internal/pgcluster"
	"github.com/deploystack/stackdb/schema"
)

// EnvURL names the variable that points tests at an existing server. Its
// user must be allowed to create databases.
const EnvURL = "TEST_DATABASE_URL"

// prefetchDepth is how many migrated clones Main keeps ready. A clone costs
// a CREATE DATABASE (10–20 ms); tests run GOMAXPROCS at a time, so a few
// ready ones absorb a burst of tests starting together.
const prefetchDepth = 4

// fillers is how many clones are made at once: two keep up with tests that
// take the databases as fast as they can connect (BenchmarkReceiveDatabase).
const fillers = 2

// Main runs a package's tests, then drops the databases it made ahead of
// time and stops the throwaway cluster, if one was started. Call it from
// TestMain. It starts the server and the template while the first tests are
// set up, and from then on keeps clones ready.
func Main(m *testing.M) { os.Exit(Run(m)) }

// Run is Main without the exit: it returns the exit code, for a TestMain
// that has more to clean up after the tests.
func Run(m *testing.M) int {
	shared.prefetch = true
	go func() { _, _ = shared.ready() }() // warm up; errors surface in the tests
	code := m.Run()
	if err := shared.shutdown(code != 0); err != nil {
		fmt.Fprintf(os.Stderr, "stackdbtest: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// Pool returns a pool on a fresh, migrated database, closed when the test ends.
func Pool(tb testing.TB) *pgxpool.Pool {
	tb.Helper()
	pool, err := dbpool.Open(context.Background(), URL(tb))
	if err != nil {
		tb.Fatalf("stackdbtest: %v", err)
	}
	tb.Cleanup(pool.Close)
	return pool
}

// URL returns the URL of a fresh, migrated database, dropped when the test
// passes and kept, with its URL logged, when it fails.
func URL(tb testing.TB) string {
	tb.Helper()
	s := server(tb)
	name, err := s.clone(context.Background())
	if err != nil {
		tb.Fatalf("stackdbtest: %v", err)
	}
	s.dropWhenPassed(tb, name)
	return s.urlFor(name)
}

// EmptyURL returns the URL of a fresh database with no migrations applied,
// for tests of migrations themselves.
func EmptyURL(tb testing.TB) string {
	tb.Helper()
	s := server(tb)
	name, err := s.createDB(context.Background(), "")
	if err != nil {
		tb.Fatalf("stackdbtest: %v", err)
	}
	s.dropWhenPassed(tb, name)
	return s.urlFor(name)
}

// NewDatabase is URL for code without a testing.TB, such as Examples: it
// returns the URL of a fresh, migrated database and a drop function that
// removes it, ending any connections still open.
func NewDatabase(ctx context.Context) (url string, drop func() error, err error) {
	s, err := shared.ready()
	if err != nil {
		return "", nil, err
	}
	name, err := s.clone(ctx)
	if err != nil {
		return "", nil, fmt.Errorf("stackdbtest: %w", err)
	}
	return s.urlFor(name), func() error { return s.dropDB(context.Background(), name) }, nil
}

// NewEmptyDatabase is EmptyURL for code without a testing.TB.
func NewEmptyDatabase(ctx context.Context) (url string, drop func() error, err error) {
	s, err := shared.started()
	if err != nil {
		return "", nil, err
	}
	name, err := s.createDB(ctx, "")
	if err != nil {
		return "", nil, fmt.Errorf("stackdbtest: %w", err)
	}
	return s.urlFor(name), func() error { return s.dropDB(context.Background(), name) }, nil
}

// testServer is the server of one test binary and its template.
type testServer struct {
	prefetch bool // set by Main before any test runs

	startOnce sync.Once
	startErr  error
	admin     *pgxpool.Pool
	adminURL  *url.URL
	cluster   *pgcluster.Cluster
	strategy  string // CREATE DATABASE strategy clause, where supported

	readyOnce sync.Once
	tplName   string
	tplErr    error

	// Under Main: clones made ahead (clones), stopped by closing quit;
	// background marks the fillers and the background drops.
	clones     chan clone
	quit       chan struct{}
	fillers    sync.WaitGroup
	background sync.WaitGroup
	kept       atomic.Bool // a failed test's database was kept
}

type clone struct {
	name string
	err  error
}

var shared testServer

func server(tb testing.TB) *testServer {
	tb.Helper()
	s, err := shared.ready()
	if err != nil {
		tb.Fatalf("stackdbtest: %v", err)
	}
	return s
}

// started starts the server once per test binary.
func (s *testServer) started() (*testServer, error) {
	s.startOnce.Do(func() { s.startErr = s.start(context.Background()) })
	return s, s.startErr
}

// ready starts the server, builds the template and, under Main, starts
// making clones ahead of the tests.
func (s *testServer) ready() (*testServer, error) {
	if _, err := s.started(); err != nil {
		return nil, err
	}
	s.readyOnce.Do(func() {
		s.tplName, s.tplErr = s.buildTemplate(context.Background())
		if s.tplErr == nil && s.prefetch {
			s.clones, s.quit = make(chan clone, prefetchDepth), make(chan struct{})
			s.fillers.Add(fillers)
			for range fillers {
				go s.fill()
			}
			go func() { s.fillers.Wait(); close(s.clones) }()
		}
	})
	return s, s.tplErr
}

func (s *testServer) start(ctx context.Context) error {
	raw := os.Getenv(EnvURL)
	if raw == "" {
		c, err := pgcluster.Start(ctx)
		if err != nil {
			return err
		}
		s.cluster, raw = c, c.URL("postgres")
	} else if err := config.CheckURL(raw); err != nil {
		return fmt.Errorf("%s: %w", EnvURL, err)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%s is not a URL", EnvURL)
	}
	s.adminURL = u
	if s.admin, err = dbpool.Open(ctx, raw); err != nil {
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

// buildTemplate returns the migrated template database, creating it once per
// migration-directory hash. An advisory lock serialises test binaries that
// start together; the template is marked IS_TEMPLATE only once fully
// migrated, so a half-built one left by a crash is rebuilt.
func (s *testServer) buildTemplate(ctx context.Context) (string, error) {
	dir, err := schema.Dir()
	if err != nil {
		return "", err
	}
	hash, err := atlasmig.DirHash(dir)
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
	if _, err := atlasmig.Apply(ctx, s.urlFor(name), dir, atlasmig.ApplyOptions{}); err != nil {
		return "", fmt.Errorf("migrate template: %w", err)
	}
	if _, err := conn.Exec(ctx, "ALTER DATABASE "+ident+" WITH IS_TEMPLATE true"); err != nil {
		return "", fmt.Errorf("mark template: %w", err)
	}
	return name, nil
}

// clone returns a fresh copy of the template: one made ahead under Main,
// else one made now.
func (s *testServer) clone(ctx context.Context) (string, error) {
	if s.clones == nil {
		return s.createDB(ctx, s.tplName)
	}
	select {
	case c, ok := <-s.clones:
		if !ok {
			return "", errors.New("the test binary is shutting down")
		}
		return c.name, c.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// fill keeps the clones channel full until quit is closed. A failed CREATE
// DATABASE is handed to the next test as its error rather than retried in a
// loop.
func (s *testServer) fill() {
	defer s.fillers.Done()
	for {
		select {
		case <-s.quit:
			return
		default:
		}
		name, err := s.createDB(context.Background(), s.tplName)
		if err != nil {
			err = fmt.Errorf("clone the template: %w", err)
		}
		select {
		case s.clones <- clone{name, err}:
			if err != nil {
				time.Sleep(100 * time.Millisecond) // do not spin on a broken server
			}
		case <-s.quit:
			if err == nil {
				_ = s.dropDB(context.Background(), name)
			}
			return
		}
	}
}

// dropWhenPassed drops the test's database when it passes (in the
// background under Main) and keeps it, logging its URL, when it fails.
func (s *testServer) dropWhenPassed(tb testing.TB, name string) {
	tb.Cleanup(func() {
		if tb.Failed() {
			s.kept.Store(true)
			url := config.Redact(s.urlFor(name)) // TEST_DATABASE_URL may carry a password
			if s.cluster != nil && s.prefetch {
				tb.Logf("stackdbtest: kept the database of this failed test: %s (the throwaway cluster's data directory is kept when the test binary ends; it prints how to start it)", url)
			} else if s.cluster != nil {
				tb.Logf("stackdbtest: kept the database of this failed test: %s (the throwaway cluster stops with the test binary; call stackdbtest.Main from TestMain to keep it, or set %s)", url, EnvURL)
			} else {
				tb.Logf("stackdbtest: kept the database of this failed test: %s", url)
			}
			return
		}
		if s.prefetch {
			s.background.Add(1)
			go func() {
				defer s.background.Done()
				_ = s.dropDB(context.Background(), name) // a leftover is dropped with the cluster
			}()
			return
		}
		if err := s.dropDB(context.Background(), name); err != nil {
			tb.Errorf("stackdbtest: %v", err)
		}
	})
}

// shutdown stops the fillers, waits for background drops, and stops the
// throwaway cluster — keeping its data directory when a test failed.
func (s *testServer) shutdown(testsFailed bool) error {
	if s.quit != nil {
		close(s.quit)
		for c := range s.clones { // closed once the fillers have stopped
			if c.err == nil {
				_ = s.dropDB(context.Background(), c.name)
			}
		}
	}
	s.background.Wait()
	if s.admin != nil {
		s.admin.Close()
	}
	if s.cluster == nil {
		return nil
	}
	if testsFailed && s.kept.Load() {
		how, err := s.cluster.Keep()
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "stackdbtest: kept the throwaway cluster of the failed tests; %s\n", how)
		return nil
	}
	return s.cluster.Stop()
}

// createDB makes a uniquely named database, a copy of template or empty when
// template is "".
func (s *testServer) createDB(ctx context.Context, template string) (string, error) {
	var b [8]byte
	_, _ = rand.Read(b[:])
	name := "stackdb_test_" + hex.EncodeToString(b[:])
	stmt := "CREATE DATABASE " + pgx.Identifier{name}.Sanitize()
	if template != "" {
		stmt += " TEMPLATE " + pgx.Identifier{template}.Sanitize() + s.strategy
	}
	if _, err := s.admin.Exec(ctx, stmt); err != nil {
		return "", fmt.Errorf("create database: %w", err)
	}
	return name, nil
}

func (s *testServer) dropDB(ctx context.Context, name string) error {
	if _, err := s.admin.Exec(ctx, "DROP DATABASE "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop database %s: %w", name, err)
	}
	return nil
}
