package miglint

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path"
	"slices"
	"strings"

	"ariga.io/atlas/sql/migrate"
)

// Which files are new: like `atlas migrate lint`, the ones a branch adds
// (GitNew), the last N (Latest) or those after a version (After).

// Latest names the last n files of dir.
func Latest(dir migrate.Dir, n int) ([]string, error) {
	names, err := names(dir)
	if err != nil {
		return nil, err
	}
	if n < 0 {
		return nil, fmt.Errorf("lint: --latest %d: want a positive count", n)
	}
	return names[max(0, len(names)-n):], nil
}

// After names the files of dir whose version is greater than version,
// which must be a version of dir.
func After(dir migrate.Dir, version string) ([]string, error) {
	files, err := dir.Files()
	if err != nil {
		return nil, fmt.Errorf("lint: read directory: %w", err)
	}
	i := slices.IndexFunc(files, func(f migrate.File) bool { return f.Version() == version })
	if i < 0 {
		return nil, fmt.Errorf("lint: --base %s: no migration file has that version", version)
	}
	var out []string
	for _, f := range files[i+1:] {
		out = append(out, f.Name())
	}
	return out, nil
}

// ErrNoGitBase is returned by GitNew when the ref does not exist or the
// directory is not in a git repository.
var ErrNoGitBase = errors.New("lint: no git base to compare with")

// GitNew names the files of dir (found on disk at dirPath) that the commit
// where HEAD forked from ref does not have: the migrations this branch adds,
// committed or not. It also returns that merge-base commit.
func GitNew(ctx context.Context, dir migrate.Dir, dirPath, ref string) ([]string, string, error) {
	if _, err := git(ctx, dirPath, "rev-parse", "--verify", "--quiet", ref+"^{commit}"); err != nil {
		return nil, "", fmt.Errorf("%w: %s: %v", ErrNoGitBase, ref, err)
	}
	base, err := git(ctx, dirPath, "merge-base", "HEAD", ref)
	if err != nil {
		return nil, "", fmt.Errorf("lint: git merge-base HEAD %s: %w", ref, err)
	}
	listed, err := git(ctx, dirPath, "ls-tree", "-r", "--name-only", base, "--", ".")
	if err != nil {
		return nil, "", fmt.Errorf("lint: list %s at %s: %w", dirPath, base, err)
	}
	old := map[string]bool{}
	for _, p := range strings.Fields(listed) {
		old[path.Base(p)] = true
	}
	all, err := names(dir)
	if err != nil {
		return nil, "", err
	}
	var out []string
	for _, n := range all {
		if !old[n] {
			out = append(out, n)
		}
	}
	return out, base, nil
}

func names(dir migrate.Dir) ([]string, error) {
	files, err := dir.Files()
	if err != nil {
		return nil, fmt.Errorf("lint: read directory: %w", err)
	}
	var out []string
	for _, f := range files {
		out = append(out, f.Name())
	}
	return out, nil
}

// git runs git in dir, so paths are relative to it and a directory outside
// any repository fails like a missing ref.
func git(ctx context.Context, dir string, args ...string) (string, error) {
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return "", fmt.Errorf("%w: %s", err, msg)
		}
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}
