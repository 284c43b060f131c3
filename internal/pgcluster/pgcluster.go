// Package pgcluster starts a throwaway PostgreSQL cluster from the server
// binaries installed on the machine.
//
// It is the embedded default of stackdb: whenever no database URL is given,
// commands and tests run against a cluster that lives in a temporary
// directory, listens on a free loopback port, is tuned for speed over
// durability (fsync off) and is removed when it stops. No Docker and no
// download are involved; when no binaries can be found the error says what to
// install.
//
// The directory is made under STACKDB_TMPDIR, else /dev/shm when it has
// 512 MB free, else the temporary directory ($TMPDIR). Other local users
// cannot get in: the superuser needs the cluster's random password over
// 127.0.0.1, and the unix socket, which trusts, lies in the cluster's 0700
// directory. A directory whose owner process died without stopping its
// cluster is removed by the next Start.
package pgcluster

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// Superuser is the name of the cluster's superuser. Over 127.0.0.1 it
// authenticates with the cluster's random password, which URL carries; over
// the unix socket in the cluster's private directory, with trust.
const Superuser = "postgres"

// ErrNoBinaries is returned by Start when no PostgreSQL server binaries exist.
var ErrNoBinaries = errors.New("pgcluster: no PostgreSQL server binaries (initdb, postgres) found in PATH, " +
	"`pg_config --bindir` or /usr/lib/postgresql/*/bin; install them (Debian/Ubuntu: `apt-get install postgresql`) " +
	"or point stackdb at an existing server with a URL")

// Cluster is a running throwaway PostgreSQL cluster.
type Cluster struct {
	dir      string // private (0700): data directory, unix socket, log
	bin      string
	runAs    string // the user the server runs as, when started by root
	port     int
	password string
	cmd      *exec.Cmd
	exit     chan error

	stopOnce sync.Once
	stopErr  error
}

// serverSettings favour speed over durability: the cluster's data is thrown
// away anyway. The data directory is on tmpfs where available (baseDir).
// They are written to the cluster's postgresql.conf, with its port and socket
// directory, so that a kept cluster starts again the same with only -D.
var serverSettings = []string{
	"listen_addresses='127.0.0.1'",
	"fsync=off",
	"synchronous_commit=off",
	"full_page_writes=off",
	"max_connections=300",
	"shared_buffers=128MB",
	"max_wal_size=1GB",
	"checkpoint_timeout=30min",
	"autovacuum=off",
	"log_min_messages=warning",
	"logging_collector=off",
}

// maxSocketPath is the longest unix socket path Linux accepts (sun_path
// holds 108 bytes with the terminating NUL).
const maxSocketPath = 107

// Start initialises a new cluster in a new directory under the base
// directory (EnvBaseDir, else /dev/shm when it has room, else the temporary
// directory) and starts it. It first removes the directories of clusters
// whose owner died without stopping them. The caller must call Stop, which
// also removes the directory, or Keep.
func Start(ctx context.Context) (*Cluster, error) {
	base, err := baseDir()
	if err != nil {
		return nil, err
	}
	return startIn(ctx, base)
}

func startIn(ctx context.Context, base string) (*Cluster, error) {
	bin, err := FindBinDir()
	if err != nil {
		return nil, err
	}
	cred, runAs, err := credential()
	if err != nil {
		return nil, err
	}
	if cred != nil {
		if err := checkTraversable(base, cred.Uid, cred.Gid); err != nil {
			return nil, fmt.Errorf("pgcluster: %w", err)
		}
	}
	sweep(base)
	dir, err := os.MkdirTemp(base, dirPrefix) // mode 0700: the socket's only guard
	if err != nil {
		return nil, fmt.Errorf("pgcluster: create directory: %w", err)
	}
	c := &Cluster{dir: dir, bin: bin, runAs: runAs, exit: make(chan error, 1)}
	if err := c.start(ctx, cred); err != nil {
		_ = c.Stop()
		return nil, err
	}
	return c, nil
}

func (c *Cluster) start(ctx context.Context, cred *syscall.Credential) error {
	if err := writeOwner(c.dir); err != nil {
		return err
	}
	if n := len(c.dir) + len("/.s.PGSQL.65535"); n > maxSocketPath {
		return fmt.Errorf("pgcluster: %s is too long to hold the server's unix socket (%d bytes, at most %d): set %s to a shorter directory",
			c.dir, n, maxSocketPath, EnvBaseDir)
	}
	if cred != nil {
		if err := os.Chown(c.dir, int(cred.Uid), int(cred.Gid)); err != nil {
			return fmt.Errorf("pgcluster: hand %s to uid %d: %w", c.dir, cred.Uid, err)
		}
	}
	var secret [16]byte
	if _, err := rand.Read(secret[:]); err != nil {
		return fmt.Errorf("pgcluster: make a password: %w", err)
	}
	c.password = hex.EncodeToString(secret[:])
	data := filepath.Join(c.dir, "data")
	if err := c.initdb(ctx, data, cred); err != nil {
		return err
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	c.port = port
	if err := c.configure(data); err != nil {
		return err
	}
	return c.launch(ctx, data, cred)
}

// launch starts the server on an initialised, configured data directory and
// waits until it accepts connections.
func (c *Cluster) launch(ctx context.Context, data string, cred *syscall.Credential) error {
	logFile, err := os.Create(filepath.Join(c.dir, "postgres.log"))
	if err != nil {
		return fmt.Errorf("pgcluster: create log: %w", err)
	}
	defer logFile.Close()
	// The server is not bound to ctx: it must outlive the start-up context.
	// Pdeathsig stops it if this process dies without calling Stop.
	c.cmd = exec.Command(filepath.Join(c.bin, "postgres"), "-D", data)
	c.cmd.Stdout, c.cmd.Stderr = logFile, logFile
	c.cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGQUIT, Setpgid: true}
	if err := c.cmd.Start(); err != nil {
		return fmt.Errorf("pgcluster: start postgres: %w", err)
	}
	go func() { c.exit <- c.cmd.Wait() }()
	return c.waitReady(ctx)
}

// initdb creates the data directory: password authentication over TCP,
// trust only over the private socket. The password reaches initdb in a file
// that is removed right after.
func (c *Cluster) initdb(ctx context.Context, data string, cred *syscall.Credential) error {
	pwfile := filepath.Join(c.dir, "pwfile")
	if err := os.WriteFile(pwfile, []byte(c.password+"\n"), 0o600); err != nil {
		return fmt.Errorf("pgcluster: write password file: %w", err)
	}
	defer os.Remove(pwfile)
	if cred != nil {
		if err := os.Chown(pwfile, int(cred.Uid), int(cred.Gid)); err != nil {
			return fmt.Errorf("pgcluster: hand %s to uid %d: %w", pwfile, cred.Uid, err)
		}
	}
	initdb := exec.CommandContext(ctx, filepath.Join(c.bin, "initdb"),
		"--pgdata", data, "--username", Superuser, "--pwfile", pwfile,
		"--auth-host", "scram-sha-256", "--auth-local", "trust",
		"--encoding", "UTF8", "--locale", "C", "--no-sync")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	initdb.Env = append(os.Environ(), "LC_ALL=C")
	if out, err := initdb.CombinedOutput(); err != nil {
		return fmt.Errorf("pgcluster: initdb: %w: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}

// configure appends serverSettings, the port and the socket directory to the
// data directory's postgresql.conf.
func (c *Cluster) configure(data string) error {
	var b strings.Builder
	b.WriteString("\n# stackdb throwaway cluster (internal/pgcluster)\n")
	for _, s := range serverSettings {
		b.WriteString(s + "\n")
	}
	fmt.Fprintf(&b, "port=%d\nunix_socket_directories='%s'\n", c.port, strings.ReplaceAll(c.dir, "'", "''"))
	f, err := os.OpenFile(filepath.Join(data, "postgresql.conf"), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return fmt.Errorf("pgcluster: configure: %w", err)
	}
	if _, err := f.WriteString(b.String()); err != nil {
		f.Close()
		return fmt.Errorf("pgcluster: configure: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("pgcluster: configure: %w", err)
	}
	return nil
}

// waitReady polls until the server accepts connections, it exits, or ctx ends.
func (c *Cluster) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	for {
		conn, err := pgx.Connect(ctx, c.URL("postgres"))
		if err == nil {
			return conn.Close(ctx)
		}
		select {
		case werr := <-c.exit:
			c.exit <- werr
			log, _ := os.ReadFile(filepath.Join(c.dir, "postgres.log"))
			return fmt.Errorf("pgcluster: postgres exited during start-up (%v): %s", werr, strings.TrimSpace(string(log)))
		case <-ctx.Done():
			return fmt.Errorf("pgcluster: waiting for postgres to accept connections: %w (last error: %v)", ctx.Err(), err)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// URL returns a connection URL for the named database of the cluster, over
// 127.0.0.1 with the cluster's password. Log it with config.Redact.
func (c *Cluster) URL(database string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.UserPassword(Superuser, c.password),
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(c.port)),
		Path:     "/" + database,
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

// Dir returns the cluster's directory: the data directory (data), the log
// (postgres.log) and the server's unix socket.
func (c *Cluster) Dir() string { return c.dir }

// Stop shuts the server down immediately and removes its directory. It is
// safe to call more than once.
func (c *Cluster) Stop() error {
	c.stopOnce.Do(func() {
		if c.cmd != nil && c.cmd.Process != nil {
			// SIGQUIT is an immediate shutdown: there is nothing to keep.
			_ = c.cmd.Process.Signal(syscall.SIGQUIT)
			select {
			case <-c.exit:
			case <-time.After(10 * time.Second):
				_ = c.cmd.Process.Kill()
				<-c.exit
			}
		}
		if err := os.RemoveAll(c.dir); err != nil {
			c.stopErr = fmt.Errorf("pgcluster: remove %s: %w", c.dir, err)
		}
	})
	return c.stopErr
}

// FindBinDir returns the directory holding initdb and postgres: the first of
// PATH, `pg_config --bindir` and the newest /usr/lib/postgresql/*/bin.
func FindBinDir() (string, error) {
	var candidates []string
	if p, err := exec.LookPath("initdb"); err == nil {
		candidates = append(candidates, filepath.Dir(p))
	}
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		candidates = append(candidates, strings.TrimSpace(string(out)))
	}
	versioned, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(versioned, func(i, j int) bool { return majorOf(versioned[i]) > majorOf(versioned[j]) })
	candidates = append(candidates, versioned...)
	for _, dir := range candidates {
		if isExecutable(filepath.Join(dir, "initdb")) && isExecutable(filepath.Join(dir, "postgres")) {
			return dir, nil
		}
	}
	return "", ErrNoBinaries
}

func majorOf(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// credential returns the unprivileged identity to run the server as when this
// process is root (initdb and postgres refuse to run as root), or nil.
func credential() (*syscall.Credential, string, error) {
	if os.Geteuid() != 0 {
		return nil, "", nil
	}
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, _ := strconv.ParseUint(u.Uid, 10, 32)
		gid, _ := strconv.ParseUint(u.Gid, 10, 32)
		return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), NoSetGroups: true}, name, nil
	}
	return nil, "", errors.New("pgcluster: running as root and neither a \"postgres\" nor a \"nobody\" user exists to run the server as")
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pgcluster: find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Credential returns the unprivileged identity that this package runs the
// server as when the process is root, or nil otherwise. Helpers that start
// other PostgreSQL tools which refuse root (pgbouncer) run them as it too.
func Credential() (*syscall.Credential, error) {
	cred, _, err := credential()
	return cred, err
}
