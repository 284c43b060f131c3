// Package pgbouncer starts a throwaway PgBouncer in transaction pooling mode
// in front of a PostgreSQL server, so that tests prove stackdb's queries
// work the way production runs them behind one: every transaction may get a
// different server connection, and nothing of a session survives it.
//
// It is for tests only. The pooler listens on a free loopback port, serves
// every database of the server under its own name, and logs in to the
// server with the URL's user and password, which it keeps in an auth file
// in a private directory removed by Stop. As root it runs as the user the
// throwaway cluster runs as (pgbouncer refuses root).
package pgbouncer

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/deploystack/stackdb/internal/pgcluster"
)

// ErrNoBinary is returned by Start when pgbouncer is not installed.
var ErrNoBinary = errors.New("pgbouncer: no pgbouncer binary in PATH or /usr/sbin; install it (Debian/Ubuntu: `apt-get install pgbouncer`)")

// Bouncer is a running pgbouncer.
type Bouncer struct {
	dir    string // private (0700): configuration, auth file, log
	port   int
	pool   int      // server connections per database and user
	server *url.URL // the server's URL, whose user and password clients use
	cmd    *exec.Cmd
	exit   chan error

	stopOnce sync.Once
	stopErr  error
}

// PoolSize is the default number of server connections per database and
// user: small, so that concurrent clients share them and a leak of session
// state between transactions would show.
const PoolSize = 4

// Options configure StartWith.
type Options struct {
	// PoolSize is default_pool_size, the server connections per database
	// and user; 0: PoolSize. The ingest benchmark sets a production-like
	// one, so that what it measures is the pooler and not a queue for 4
	// connections.
	PoolSize int
}

// Start starts pgbouncer in front of the server serverURL points at
// (postgres://user:password@host:port/…; the database is ignored) with
// the default Options. The caller must call Stop.
func Start(ctx context.Context, serverURL string) (*Bouncer, error) {
	return StartWith(ctx, serverURL, Options{})
}

// StartWith is Start with opts.
func StartWith(ctx context.Context, serverURL string, opts Options) (*Bouncer, error) {
	if opts.PoolSize < 0 {
		return nil, fmt.Errorf("pgbouncer: pool size %d: want at least 1 (0: %d)", opts.PoolSize, PoolSize)
	}
	if opts.PoolSize == 0 {
		opts.PoolSize = PoolSize
	}
	bin, err := findBinary()
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(serverURL)
	if err != nil || u.User == nil || serverHost(u) == "" {
		return nil, errors.New("pgbouncer: want a server URL postgres://user:password@host:port/database")
	}
	cred, err := pgcluster.Credential()
	if err != nil {
		return nil, fmt.Errorf("pgbouncer: %w", err)
	}
	dir, err := os.MkdirTemp("", "stackdb-pgbouncer-") // mode 0700: it holds the password
	if err != nil {
		return nil, fmt.Errorf("pgbouncer: create directory: %w", err)
	}
	b := &Bouncer{dir: dir, pool: opts.PoolSize, server: u, exit: make(chan error, 1)}
	if err := b.start(ctx, bin, cred); err != nil {
		_ = b.Stop()
		return nil, err
	}
	return b, nil
}

// Version is the installed pgbouncer's version line ("PgBouncer 1.18.0"):
// before 1.21 it keeps no prepared statement across transactions, so
// clients must use unnamed ones (see URL).
func Version(ctx context.Context) (string, error) {
	bin, err := findBinary()
	if err != nil {
		return "", err
	}
	out, err := exec.CommandContext(ctx, bin, "--version").Output()
	if err != nil {
		return "", fmt.Errorf("pgbouncer: %s --version: %w", bin, err)
	}
	line, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return line, nil
}

func findBinary() (string, error) {
	if p, err := exec.LookPath("pgbouncer"); err == nil {
		return p, nil
	}
	if fi, err := os.Stat("/usr/sbin/pgbouncer"); err == nil && fi.Mode()&0o111 != 0 {
		return "/usr/sbin/pgbouncer", nil
	}
	return "", ErrNoBinary
}

func (b *Bouncer) start(ctx context.Context, bin string, cred *syscall.Credential) error {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("pgbouncer: find a free port: %w", err)
	}
	b.port = l.Addr().(*net.TCPAddr).Port
	l.Close()

	password, _ := b.server.User.Password()
	files := map[string]string{
		"userlist.txt":  quote(b.server.User.Username()) + " " + quote(password) + "\n",
		"pgbouncer.ini": b.config(),
		"pgbouncer.log": "",
	}
	for name, content := range files {
		path := filepath.Join(b.dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			return fmt.Errorf("pgbouncer: write %s: %w", name, err)
		}
		if cred != nil {
			if err := os.Chown(path, int(cred.Uid), int(cred.Gid)); err != nil {
				return fmt.Errorf("pgbouncer: hand %s to uid %d: %w", path, cred.Uid, err)
			}
		}
	}
	if cred != nil {
		if err := os.Chown(b.dir, int(cred.Uid), int(cred.Gid)); err != nil {
			return fmt.Errorf("pgbouncer: hand %s to uid %d: %w", b.dir, cred.Uid, err)
		}
	}
	// Not bound to ctx: the pooler outlives the start-up context. Pdeathsig
	// stops it if this process dies without calling Stop.
	b.cmd = exec.Command(bin, filepath.Join(b.dir, "pgbouncer.ini"))
	b.cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGTERM, Setpgid: true}
	if err := b.cmd.Start(); err != nil {
		return fmt.Errorf("pgbouncer: start: %w", err)
	}
	go func() { b.exit <- b.cmd.Wait() }()
	return b.waitReady(ctx)
}

// config is pgbouncer.ini: one wildcard database entry, so every database of
// the server is reachable under its own name, and transaction pooling.
// PgBouncer before 1.21 has no max_prepared_statements: clients must not
// rely on named prepared statements (see URL).
func (b *Bouncer) config() string {
	host, port := serverHost(b.server), b.server.Port()
	if port == "" {
		port = b.server.Query().Get("port")
	}
	if port == "" {
		port = "5432"
	}
	var s strings.Builder
	fmt.Fprintf(&s, "[databases]\n* = host=%s port=%s\n\n[pgbouncer]\n", host, port)
	for _, kv := range [][2]string{
		{"listen_addr", "127.0.0.1"},
		{"listen_port", strconv.Itoa(b.port)},
		{"unix_socket_dir", ""},
		{"pool_mode", "transaction"},
		{"auth_type", b.authType()},
		{"auth_file", filepath.Join(b.dir, "userlist.txt")},
		{"default_pool_size", strconv.Itoa(b.pool)},
		{"max_client_conn", "500"},
		{"server_tls_sslmode", "prefer"},
		// A server it cannot reach fails a test in seconds, not a minute.
		{"server_connect_timeout", "5"},
		{"server_login_retry", "1"},
		{"client_login_timeout", "10"},
		{"ignore_startup_parameters", "extra_float_digits"},
		{"logfile", filepath.Join(b.dir, "pgbouncer.log")},
		{"log_connections", "0"},
		{"log_disconnections", "0"},
	} {
		fmt.Fprintf(&s, "%s = %s\n", kv[0], kv[1])
	}
	return s.String()
}

// serverHost is the URL's host, or its host parameter (a unix socket
// directory: postgres://user@/db?host=/var/run/postgresql&port=5432).
func serverHost(u *url.URL) string {
	if h := u.Hostname(); h != "" {
		return h
	}
	return u.Query().Get("host")
}

// authType is how clients log in to the pooler: with the server's
// password, or, when the URL has none (a server that trusts its local
// users), without one, as with the server.
func (b *Bouncer) authType() string {
	if _, ok := b.server.User.Password(); ok {
		return "scram-sha-256"
	}
	return "trust"
}

// quote writes a userlist.txt field: double quotes, inner ones doubled.
func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// waitReady polls until pgbouncer listens, it exits, or ctx ends.
func (b *Bouncer) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(b.port))
	for {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			return conn.Close()
		}
		select {
		case werr := <-b.exit:
			b.exit <- werr
			return fmt.Errorf("pgbouncer: exited during start-up (%v): %s", werr, b.log())
		case <-ctx.Done():
			return fmt.Errorf("pgbouncer: waiting for it to listen on %s: %w (last error: %v)", addr, ctx.Err(), err)
		case <-time.After(5 * time.Millisecond):
		}
	}
}

func (b *Bouncer) log() string {
	out, _ := os.ReadFile(filepath.Join(b.dir, "pgbouncer.log"))
	return strings.TrimSpace(string(out))
}

// URL returns the server URL for database with pgbouncer's address in
// place of the server's: same user, password and options. Since PgBouncer
// before 1.21 cannot keep a prepared statement across transactions, pgx
// clients add default_query_exec_mode=exec (or simple_protocol).
func (b *Bouncer) URL(database string) string {
	u := *b.server
	u.Host = net.JoinHostPort("127.0.0.1", strconv.Itoa(b.port))
	u.Path = "/" + database
	q := u.Query()
	q.Del("host")
	q.Del("port")
	q.Set("sslmode", "disable")
	u.RawQuery = q.Encode()
	return u.String()
}

// Stop shuts pgbouncer down at once, closing its connections, and removes
// its directory. It is safe to call more than once.
func (b *Bouncer) Stop() error {
	b.stopOnce.Do(func() {
		if b.cmd != nil && b.cmd.Process != nil {
			_ = b.cmd.Process.Signal(syscall.SIGTERM) // immediate shutdown
			select {
			case <-b.exit:
			case <-time.After(5 * time.Second):
				_ = b.cmd.Process.Kill()
				<-b.exit
			}
		}
		if err := os.RemoveAll(b.dir); err != nil {
			b.stopErr = fmt.Errorf("pgbouncer: remove %s: %w", b.dir, err)
		}
	})
	return b.stopErr
}

// ConfigFile returns the path of pgbouncer.ini, in the pooler's private
// directory beside its log (pgbouncer.log) and auth file.
func (b *Bouncer) ConfigFile() string { return filepath.Join(b.dir, "pgbouncer.ini") }
