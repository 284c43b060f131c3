package pgcluster

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
)

// StartReplica starts a hot standby of c: a base backup taken over c's
// private unix socket (pg_basebackup -R, which trusts there and writes the
// standby's primary_conninfo) into a new directory beside c's, served by a
// second postgres on a free loopback port. It streams c's WAL from then on
// and accepts read-only connections with c's password. The default
// settings of a throwaway cluster (wal_level=replica, max_wal_senders=10,
// the replication lines initdb writes into pg_hba.conf) already allow it.
// The caller must Stop the replica, before or after c.
func (c *Cluster) StartReplica(ctx context.Context) (*Cluster, error) {
	cred, runAs, err := credential()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(filepath.Dir(c.dir), dirPrefix)
	if err != nil {
		return nil, fmt.Errorf("pgcluster: create replica directory: %w", err)
	}
	r := &Cluster{dir: dir, bin: c.bin, runAs: runAs, password: c.password, exit: make(chan error, 1)}
	fail := func(err error) (*Cluster, error) {
		_ = r.Stop()
		return nil, err
	}
	if err := writeOwner(dir); err != nil {
		return fail(err)
	}
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			return fail(fmt.Errorf("pgcluster: hand %s to uid %d: %w", dir, cred.Uid, err))
		}
	}
	data := filepath.Join(dir, "data")
	// --checkpoint=fast: the primary is idle, a spread checkpoint would
	// make the backup wait for minutes.
	tool, err := c.clientTool("pg_basebackup")
	if err != nil {
		return fail(err)
	}
	backup := exec.CommandContext(ctx, tool,
		"--pgdata", data, "--write-recovery-conf", "--wal-method=stream", "--checkpoint=fast", "--no-sync",
		"--host", c.dir, "--port", fmt.Sprint(c.port), "--username", Superuser)
	backup.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := backup.CombinedOutput(); err != nil {
		return fail(fmt.Errorf("pgcluster: pg_basebackup: %w: %s", err, strings.TrimSpace(string(out))))
	}
	if r.port, err = freePort(); err != nil {
		return fail(err)
	}
	// The copied postgresql.conf names the primary's port and socket
	// directory; configure appends the replica's, and the last line wins.
	if err := r.configure(data); err != nil {
		return fail(err)
	}
	if err := r.launch(ctx, data, cred); err != nil {
		return fail(err)
	}
	return r, nil
}

// clientTool finds one of the server's client programs: beside postgres,
// or beside the file a symlinked postgres points to (Debian installs them
// all in /usr/lib/postgresql/N/bin, while PATH may link initdb and postgres
// only).
func (c *Cluster) clientTool(name string) (string, error) {
	dirs := []string{c.bin}
	if real, err := filepath.EvalSymlinks(filepath.Join(c.bin, "postgres")); err == nil {
		dirs = append(dirs, filepath.Dir(real))
	}
	for _, dir := range dirs {
		if p := filepath.Join(dir, name); isExecutable(p) {
			return p, nil
		}
	}
	return "", fmt.Errorf("pgcluster: no %s beside postgres in %s", name, strings.Join(dirs, " or "))
}
