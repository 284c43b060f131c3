package stackdbtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// An application's module gets a migrated database in one call. The test
// writes such a module, requiring stackdb from this checkout, and runs its
// test against this test binary's server.
func TestOutsideModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs another module's test")
	}
	t.Parallel()
	goBin, err := exec.LookPath("go")
	require.NoError(t, err)
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	require.NoError(t, err)
	goVersion := regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(mod)
	require.NotNil(t, goVersion, "the go directive of go.mod")

	app := t.TempDir()
	write := func(name, content string) {
		require.NoError(t, os.WriteFile(filepath.Join(app, name), []byte(content), 0o644))
	}
	write("go.mod", "module example.com/app\n\ngo "+string(goVersion[1])+"\n\n"+
		"require github.com/deploystack/stackdb v0.0.0\n\n"+
		"replace github.com/deploystack/stackdb => "+root+"\n")
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	require.NoError(t, err)
	write("go.sum", string(sum))
	write("app_test.go", `package app_test

import (
	"context"
	"testing"

	"github.com/deploystack/stackdb/stackdbtest"
)

func TestUsers(t *testing.T) {
	pool := stackdbtest.Pool(t)
	var n int
	if err := pool.QueryRow(context.Background(), "SELECT count(*) FROM users").Scan(&n); err != nil {
		t.Fatal(err)
	}
	t.Logf("users: %d", n)
}
`)

	args := []string{"test", "-count=1", "-v"}
	if raceEnabled() {
		args = append(args, "-race") // reuses this binary's build cache
	}
	cmd := exec.Command(goBin, append(args, "./...")...)
	cmd.Dir = app
	cmd.Env = append(withoutEnv(EnvURL, "GOFLAGS", "GOWORK"),
		EnvURL+"="+server(t).adminURL.String(), "GOFLAGS=-mod=mod", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	require.Contains(t, string(out), "users: 0")
	require.Contains(t, string(out), "--- PASS: TestUsers")
}

func raceEnabled() bool {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range info.Settings {
		if s.Key == "-race" {
			return s.Value == "true"
		}
	}
	return false
}

// withoutEnv is the environment without the given variables.
func withoutEnv(names ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if !slices.Contains(names, name) {
			env = append(env, kv)
		}
	}
	return env
}
