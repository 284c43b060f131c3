// Package pgcluster starts a throwaway PostgreSQL cluster from the server
// binaries installed on the machine.
//
// It is the embedded default of stackdb: whenever no database URL is given,
// commands and tests run against a cluster that lives in a temporary
// directory, listens on a free loopback port, is tuned for speed over
// durability (fsync off) and is removed when it stops. No Docker and no
// download are involved; when no binaries can be found the error says what to
// install.
package pgcluster

import (
	"context"
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

// Superuser is the name of the cluster's superuser; it authenticates with
// trust over loopback, so URLs carry no password.
const Superuser = "postgres"

// ErrNoBinaries is returned by Start when no PostgreSQL server binaries exist.
var ErrNoBinaries = errors.New("pgcluster: no PostgreSQL server binaries (initdb, postgres) found in PATH, " +
	"`pg_config --bindir` or /usr/lib/postgresql/*/bin; install them (Debian/Ubuntu: `apt-get install postgresql`) " +
	"or point stackdb at an existing server with a URL")

// Cluster is a running throwaway PostgreSQL cluster.
type Cluster struct {
	dir   string
	bin   string
	runAs string // the user the server runs as, when started by root
	port  int
	cmd   *exec.Cmd
	exit  chan error

	stopOnce sync.Once
	stopErr  error
}

// serverSettings favour speed over durability: the cluster's data is thrown
// away anyway. The data directory is on tmpfs where available (baseDir).
var serverSettings = []string{
	"listen_addresses=127.0.0.1",
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

// Start initialises a new cluster in a temporary directory and starts it.
// The caller must call Stop, which also removes the directory.
func Start(ctx context.Context) (*Cluster, error) {
	bin, err := FindBinDir()
	if err != nil {
		return nil, err
	}
	cred, runAs, err := credential()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(baseDir(), "stackdb-pg-")
	if err != nil {
		return nil, fmt.Errorf("pgcluster: create directory: %w", err)
	}
	c := &Cluster{dir: dir, bin: bin, runAs: runAs, exit: make(chan error, 1)}
	if err := c.start(ctx, bin, cred); err != nil {
		_ = c.Stop()
		return nil, err
	}
	return c, nil
}

func (c *Cluster) start(ctx context.Context, bin string, cred *syscall.Credential) error {
	if cred != nil {
		if err := os.Chown(c.dir, int(cred.Uid), int(cred.Gid)); err != nil {
			return fmt.Errorf("pgcluster: hand %s to uid %d: %w", c.dir, cred.Uid, err)
		}
	}
	data := filepath.Join(c.dir, "data")
	initdb := exec.CommandContext(ctx, filepath.Join(bin, "initdb"),
		"--pgdata", data, "--username", Superuser, "--auth", "trust",
		"--encoding", "UTF8", "--locale", "C", "--no-sync")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	initdb.Env = append(os.Environ(), "LC_ALL=C")
	if out, err := initdb.CombinedOutput(); err != nil {
		return fmt.Errorf("pgcluster: initdb: %w: %s", err, strings.TrimSpace(string(out)))
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	c.port = port
	args := []string{"-D", data, "-p", strconv.Itoa(port), "-k", c.dir}
	for _, s := range serverSettings {
		args = append(args, "-c", s)
	}
	logFile, err := os.Create(filepath.Join(c.dir, "postgres.log"))
	if err != nil {
		return fmt.Errorf("pgcluster: create log: %w", err)
	}
	defer logFile.Close()
	// The server is not bound to ctx: it must outlive the start-up context.
	// Pdeathsig stops it if this process dies without calling Stop.
	c.cmd = exec.Command(filepath.Join(bin, "postgres"), args...)
	c.cmd.Stdout, c.cmd.Stderr = logFile, logFile
	c.cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGQUIT, Setpgid: true}
	if err := c.cmd.Start(); err != nil {
		return fmt.Errorf("pgcluster: start postgres: %w", err)
	}
	go func() { c.exit <- c.cmd.Wait() }()
	return c.waitReady(ctx)
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

// URL returns a connection URL for the named database of the cluster.
func (c *Cluster) URL(database string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.User(Superuser),
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(c.port)),
		Path:     "/" + database,
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

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

// Keep shuts the server down cleanly but keeps its data directory, for
// looking at the databases of failed tests, and returns how to start it
// again. Stop must not be called afterwards.
func (c *Cluster) Keep() (string, error) {
	var err error
	c.stopOnce.Do(func() {
		if c.cmd != nil && c.cmd.Process != nil {
			_ = c.cmd.Process.Signal(syscall.SIGINT) // fast shutdown: consistent on disk
			select {
			case err = <-c.exit:
			case <-time.After(30 * time.Second):
				_ = c.cmd.Process.Kill()
				err = <-c.exit
			}
		}
	})
	if err != nil && !isSignalExit(err) {
		return "", fmt.Errorf("pgcluster: stop postgres: %w", err)
	}
	start := fmt.Sprintf("%s -D %s -p %d -k %s", filepath.Join(c.bin, "postgres"), filepath.Join(c.dir, "data"), c.port, c.dir)
	if os.Geteuid() == 0 {
		start = fmt.Sprintf("su %s -s /bin/sh -c '%s'", c.runAs, start)
	}
	return fmt.Sprintf("data directory %s; start it with: %s (then connect as %s on 127.0.0.1:%d; remove the directory when done)",
		c.dir, start, Superuser, c.port), nil
}

func isSignalExit(err error) bool {
	var exit *exec.ExitError
	return errors.As(err, &exit) && !exit.Exited()
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

// baseDir prefers /dev/shm: on tmpfs, creating a database (hundreds of
// files) takes a few milliseconds instead of hundreds on a virtual disk.
func baseDir() string {
	const shm = "/dev/shm"
	if fi, err := os.Stat(shm); err == nil && fi.IsDir() && syscall.Access(shm, 2 /* W_OK */) == nil {
		return shm
	}
	return os.TempDir()
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pgcluster: find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
