package pgcluster_test

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/pgcluster"
)

func TestStartServeStop(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, err := pgcluster.Start(ctx)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Stop() })

	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	require.NoError(t, err)
	var fsync, dataDir string
	require.NoError(t, conn.QueryRow(ctx, "SELECT current_setting('fsync'), current_setting('data_directory')").Scan(&fsync, &dataDir))
	require.Equal(t, "off", fsync, "tuned for throwaway use")
	require.NoError(t, conn.Close(ctx))
	_, err = os.Stat(dataDir)
	require.NoError(t, err)

	require.NoError(t, c.Stop())
	_, err = os.Stat(filepath.Dir(dataDir))
	require.ErrorIs(t, err, os.ErrNotExist, "Stop removes the cluster's directory")
	_, err = pgx.Connect(ctx, c.URL("postgres"))
	require.Error(t, err, "the server is gone")
	require.NoError(t, c.Stop(), "Stop is idempotent")
}

func TestTwoClustersAreIndependent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, err := pgcluster.Start(ctx)
	require.NoError(t, err)
	t.Cleanup(func() { _ = a.Stop() })
	b, err := pgcluster.Start(ctx)
	require.NoError(t, err)
	t.Cleanup(func() { _ = b.Stop() })
	require.NotEqual(t, a.URL("postgres"), b.URL("postgres"))
}

func TestFindBinDir(t *testing.T) {
	t.Parallel()
	dir, err := pgcluster.FindBinDir()
	require.NoError(t, err)
	for _, bin := range []string{"initdb", "postgres"} {
		_, err := os.Stat(filepath.Join(dir, bin))
		require.NoError(t, err)
	}
	require.Contains(t, pgcluster.ErrNoBinaries.Error(), "apt-get install postgresql", "the error says what to install")
}

// TestOnlyThePasswordLetsIn: over 127.0.0.1 the cluster wants its password;
// without a password, only the unix socket in its private directory lets in.
func TestOnlyThePasswordLetsIn(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, err := pgcluster.Start(ctx)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Stop() })

	u, err := url.Parse(c.URL("postgres"))
	require.NoError(t, err)
	password, ok := u.User.Password()
	require.True(t, ok, "URL carries the password")
	require.Len(t, password, 32)

	for name, user := range map[string]*url.Userinfo{
		"no password":    url.User(pgcluster.Superuser),
		"wrong password": url.UserPassword(pgcluster.Superuser, "wrong"),
		"another user":   url.User("root"),
	} {
		v := *u
		v.User = user
		_, err := pgx.Connect(ctx, v.String())
		var pgErr *pgconn.PgError
		require.ErrorAs(t, err, &pgErr, name)
		require.Equal(t, "28P01", pgErr.Code, "%s: invalid_password", name)
	}

	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	require.NoError(t, err)
	defer conn.Close(ctx)
	var rules []string
	rows, err := conn.Query(ctx, "SELECT type || ' ' || auth_method FROM pg_hba_file_rules ORDER BY line_number")
	require.NoError(t, err)
	for rows.Next() {
		var r string
		require.NoError(t, rows.Scan(&r))
		rules = append(rules, r)
	}
	require.NoError(t, rows.Err())
	require.NotEmpty(t, rules)
	for _, r := range rules {
		require.Contains(t, []string{"local trust", "host scram-sha-256"}, r, "pg_hba.conf: only the socket trusts")
	}

	fi, err := os.Stat(c.Dir())
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o700), fi.Mode().Perm(), "only the server's user (and root) reach the socket")
	var sockets string
	require.NoError(t, conn.QueryRow(ctx, "SELECT current_setting('unix_socket_directories')").Scan(&sockets))
	require.Equal(t, c.Dir(), sockets)
	socket, err := pgx.Connect(ctx, fmt.Sprintf("host=%s port=%s user=%s dbname=postgres", c.Dir(), u.Port(), pgcluster.Superuser))
	require.NoError(t, err, "the private socket needs no password")
	require.NoError(t, socket.Close(ctx))

	for _, f := range []string{"postgres.log", "data/postgresql.conf", "data/pg_hba.conf"} {
		b, err := os.ReadFile(filepath.Join(c.Dir(), f))
		require.NoError(t, err)
		require.NotContains(t, string(b), password, f)
	}
	require.NoFileExists(t, filepath.Join(c.Dir(), "pwfile"), "initdb's password file is removed")
}

func TestKeep(t *testing.T) {
	t.Parallel()
	base := traversableTempDir(t)
	ctx := context.Background()
	c, err := pgcluster.StartIn(ctx, base)
	require.NoError(t, err)
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	require.NoError(t, err)
	_, err = conn.Exec(ctx, "CREATE TABLE evidence (id int); INSERT INTO evidence VALUES (42)")
	require.NoError(t, err)
	require.NoError(t, conn.Close(ctx))

	k, err := c.Keep()
	require.NoError(t, err)
	require.Equal(t, c.Dir(), k.Dir)
	u, _ := url.Parse(c.URL("postgres"))
	password, _ := u.User.Password()
	require.NotContains(t, k.String(), password, "the message holds no password")
	require.Contains(t, k.String(), k.Command)
	_, err = c.Keep()
	require.Error(t, err, "a cluster is kept once")
	require.NoError(t, c.Stop(), "Stop after Keep does nothing")
	require.DirExists(t, k.Dir)

	// A later Start does not sweep a kept directory, though its owner
	// (this process) stopped it.
	other, err := pgcluster.StartIn(ctx, base)
	require.NoError(t, err)
	require.NoError(t, other.Stop())
	require.DirExists(t, k.Dir)

	server := exec.Command("/bin/sh", "-c", k.Command)
	var out bytes.Buffer
	server.Stdout, server.Stderr = &out, &out
	require.NoError(t, server.Start())
	exited := make(chan error, 1)
	go func() { exited <- server.Wait() }()
	t.Cleanup(func() {
		if b, err := os.ReadFile(filepath.Join(k.Dir, "data", "postmaster.pid")); err == nil {
			if pid, err := strconv.Atoi(strings.SplitN(string(b), "\n", 2)[0]); err == nil {
				_ = syscall.Kill(pid, syscall.SIGQUIT)
			}
		}
		<-exited
		require.NoError(t, os.RemoveAll(k.Dir))
	})

	b, err := os.ReadFile(k.URLFile)
	require.NoError(t, err)
	kept := strings.TrimSpace(string(b))
	require.Equal(t, c.URL("postgres"), kept)
	var id int
	for {
		conn, err = pgx.Connect(ctx, kept)
		if err == nil {
			break
		}
		select {
		case werr := <-exited:
			exited <- werr
			t.Fatalf("the kept cluster did not start (%v): %s", werr, out.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	require.NoError(t, conn.QueryRow(ctx, "SELECT id FROM evidence").Scan(&id))
	require.NoError(t, conn.Close(ctx))
	require.Equal(t, 42, id, "the kept cluster holds the data")

	if _, err := exec.LookPath("psql"); err == nil {
		got, err := exec.Command("/bin/sh", "-c", k.Socket+" -Atc 'SELECT id FROM evidence'").CombinedOutput()
		require.NoError(t, err, string(got))
		require.Equal(t, "42", strings.TrimSpace(string(got)), "psql over the private socket")
	}
}
