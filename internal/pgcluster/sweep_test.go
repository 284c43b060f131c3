package pgcluster_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/pgcluster"
)

func TestStartSweepsDirectoriesOfDeadOwners(t *testing.T) {
	t.Parallel()
	base := traversableTempDir(t)
	self, err := pgcluster.OwnerToken(os.Getpid())
	require.NoError(t, err)
	pid, start, boot := splitToken(t, self)
	dead := exec.Command("true")
	require.NoError(t, dead.Run())
	long := time.Now().Add(-2 * time.Hour)

	for _, tc := range []struct {
		name    string
		owner   string // owner file; "" for none
		old     bool   // mtime two hours ago
		removed bool
	}{
		{name: "stackdb-pg-live", owner: self},
		{name: "stackdb-pg-kept", owner: "kept", old: true},
		{name: "stackdb-pg-dead", owner: fmt.Sprintf("%d %s %s", dead.Process.Pid, start, boot), removed: true},
		{name: "stackdb-pg-reused-pid", owner: fmt.Sprintf("%s 1 %s", pid, boot), removed: true},
		{name: "stackdb-pg-before-reboot", owner: fmt.Sprintf("%s %s %s", pid, start, "00000000-0000-0000-0000-000000000000"), removed: true},
		{name: "stackdb-pg-garbage", owner: "not a token", removed: true},
		{name: "stackdb-pg-starting", owner: ""},
		{name: "stackdb-pg-ownerless-old", owner: "", old: true, removed: true},
		{name: "not-stackdb-dead", owner: fmt.Sprintf("%d %s %s", dead.Process.Pid, start, boot), old: true},
	} {
		dir := filepath.Join(base, tc.name)
		require.NoError(t, os.MkdirAll(filepath.Join(dir, "data"), 0o700))
		if tc.owner != "" {
			require.NoError(t, os.WriteFile(filepath.Join(dir, "owner"), []byte(tc.owner+"\n"), 0o644))
		}
		if tc.old {
			require.NoError(t, os.Chtimes(dir, long, long))
		}
	}

	c, err := pgcluster.StartIn(context.Background(), base)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Stop() })

	for _, name := range []string{"stackdb-pg-live", "stackdb-pg-kept", "stackdb-pg-starting", "not-stackdb-dead"} {
		require.DirExists(t, filepath.Join(base, name), "left alone")
	}
	for _, name := range []string{"stackdb-pg-dead", "stackdb-pg-reused-pid", "stackdb-pg-before-reboot", "stackdb-pg-garbage", "stackdb-pg-ownerless-old"} {
		require.NoDirExists(t, filepath.Join(base, name), "swept")
	}
	require.DirExists(t, c.Dir())
}

// TestStartStopsOrphanedServer: a cluster whose owner is gone but whose
// server still runs (its owner died without the server noticing) has the
// server stopped and its directory removed.
func TestStartStopsOrphanedServer(t *testing.T) {
	t.Parallel()
	base := traversableTempDir(t)
	ctx := context.Background()
	orphan, err := pgcluster.StartIn(ctx, base)
	require.NoError(t, err)
	t.Cleanup(func() { _ = orphan.Stop() })
	pid := postmasterPID(t, orphan.Dir())
	require.NoError(t, os.WriteFile(filepath.Join(orphan.Dir(), "owner"), []byte("999999999 1 gone\n"), 0o644))

	c, err := pgcluster.StartIn(ctx, base)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Stop() })
	require.NoDirExists(t, orphan.Dir())
	require.False(t, running(pid), "the orphaned server is stopped")
	require.NoError(t, orphan.Stop(), "Stop copes with a swept cluster")
}

// TestStartSweepsAfterSIGKILL kills a process that started a cluster and
// checks that the next Start removes what it left. The process is this
// test binary, run again as TestHelperProcess.
func TestStartSweepsAfterSIGKILL(t *testing.T) {
	t.Parallel()
	base := traversableTempDir(t)
	child := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	child.Env = append(os.Environ(), helperEnv+"="+base)
	child.Stderr = os.Stderr
	out, err := child.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, child.Start())
	t.Cleanup(func() { _ = child.Process.Kill(); _ = child.Wait() })

	var dir string
	lines := bufio.NewScanner(out)
	for dir == "" && lines.Scan() {
		dir, _ = strings.CutPrefix(lines.Text(), "cluster-dir=")
	}
	require.NoError(t, lines.Err())
	require.DirExists(t, dir, "the helper printed its cluster's directory")
	pid := postmasterPID(t, dir)

	require.NoError(t, child.Process.Signal(syscall.SIGKILL))
	_ = child.Wait()
	c, err := pgcluster.StartIn(context.Background(), base)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Stop() })
	require.NoDirExists(t, dir, "the killed process's cluster directory is swept")
	require.False(t, running(pid), "its server is gone")
}

const helperEnv = "PGCLUSTER_TEST_HELPER_BASE"

// TestHelperProcess is not a test: run by TestStartSweepsAfterSIGKILL, it
// starts a cluster, prints its directory and blocks until killed.
func TestHelperProcess(t *testing.T) {
	base := os.Getenv(helperEnv)
	if base == "" {
		t.Skip("helper for TestStartSweepsAfterSIGKILL")
	}
	c, err := pgcluster.StartIn(context.Background(), base)
	require.NoError(t, err)
	fmt.Printf("cluster-dir=%s\n", c.Dir())
	select {}
}

func splitToken(t *testing.T, token string) (pid, start, boot string) {
	t.Helper()
	f := strings.Fields(token)
	require.Len(t, f, 3, token)
	return f[0], f[1], f[2]
}

func postmasterPID(t *testing.T, dir string) int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "data", "postmaster.pid"))
	require.NoError(t, err)
	pid, err := strconv.Atoi(string(bytes.SplitN(b, []byte("\n"), 2)[0]))
	require.NoError(t, err)
	return pid
}

// running reports whether process pid exists and is not a zombie.
func running(pid int) bool {
	_, err := pgcluster.OwnerToken(pid)
	return err == nil
}
