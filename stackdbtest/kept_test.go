package stackdbtest

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// helperEnv switches on TestHelperFailing in the child test binary that
// TestFailedTestKeepsDatabase runs.
const helperEnv = "STACKDBTEST_HELPER_FAILING"

// TestHelperFailing is a failing test for TestFailedTestKeepsDatabase to run
// in a child process; skipped otherwise.
func TestHelperFailing(t *testing.T) {
	if os.Getenv(helperEnv) != "1" {
		t.Skip("run by TestFailedTestKeepsDatabase")
	}
	_ = URL(t)
	t.Error("failing on purpose")
}

var (
	keptDatabase = regexp.MustCompile(`kept the database of this failed test: (\S+)`)
	keptCluster  = regexp.MustCompile(`kept the throwaway cluster of the failed tests; data directory (\S+);`)
)

// A failed test's database is kept and its URL logged: on TEST_DATABASE_URL's
// server, and in the throwaway cluster, whose data directory Main keeps.
func TestFailedTestKeepsDatabase(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		throwaway bool
	}{
		{"TEST_DATABASE_URL", false},
		{"throwaway cluster", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := server(t)
			env := append(withoutEnv(EnvURL, helperEnv), helperEnv+"=1")
			if !tc.throwaway {
				env = append(env, EnvURL+"="+s.adminURL.String())
			}
			cmd := exec.Command(os.Args[0], "-test.run=^TestHelperFailing$", "-test.count=1")
			cmd.Env = env
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			require.ErrorAs(t, err, &exit, "the child fails: %s", out)
			require.Equal(t, 1, exit.ExitCode(), "%s", out)

			m := keptDatabase.FindSubmatch(out)
			require.NotNil(t, m, "the URL is logged: %s", out)
			u, err := url.Parse(string(m[1]))
			require.NoError(t, err)
			name := strings.TrimPrefix(u.Path, "/")
			require.True(t, strings.HasPrefix(name, "stackdb_test_"), name)

			if tc.throwaway {
				m := keptCluster.FindSubmatch(out)
				require.NotNil(t, m, "Main says where the cluster is: %s", out)
				dir := string(m[1])
				t.Cleanup(func() { _ = os.RemoveAll(dir) })
				require.DirExists(t, filepath.Join(dir, "data", "base"), "the data directory is kept")
				return
			}
			t.Cleanup(func() { _ = s.dropDB(ctx, name) })
			var exists bool
			require.NoError(t, s.admin.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists))
			require.True(t, exists, "the database of the failed test is kept")
		})
	}
}
