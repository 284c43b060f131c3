package pgcluster

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// A cluster's directory records its owner, the process that started it, in
// ownerFile, so that a later Start can remove the directories of owners that
// died without calling Stop (SIGKILL, a crash): nothing else ever would, and
// each one holds ~41 MB of /dev/shm. Keep replaces the owner with keptMark;
// kept directories are the user's to remove.
const (
	dirPrefix  = "stackdb-pg-"
	ownerFile  = "owner"
	keptMark   = "kept"
	staleGrace = time.Minute // a directory without an owner file may be a Start in progress
)

// ownerToken identifies process pid across PID reuse and reboots: its PID,
// its start time (clock ticks after boot, /proc/PID/stat field 22) and the
// boot id.
func ownerToken(pid int) (string, error) {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return "", err
	}
	// The command name (field 2) is in parentheses and may hold spaces.
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return "", fmt.Errorf("/proc/%d/stat: unexpected format", pid)
	}
	fields := strings.Fields(string(stat[i+1:])) // from field 3, the state
	if len(fields) < 20 {
		return "", fmt.Errorf("/proc/%d/stat: unexpected format", pid)
	}
	if fields[0] == "Z" {
		return "", fmt.Errorf("process %d is a zombie", pid)
	}
	boot, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d %s %s", pid, fields[19], strings.TrimSpace(string(boot))), nil
}

// writeOwner records this process as the owner of dir.
func writeOwner(dir string) error {
	token, err := ownerToken(os.Getpid())
	if err != nil {
		return fmt.Errorf("pgcluster: identify this process: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(token+"\n"), 0o644); err != nil {
		return fmt.Errorf("pgcluster: record the owner of %s: %w", dir, err)
	}
	return nil
}

// ownerAlive reports whether the process recorded in dir's owner file runs,
// and whether dir was kept.
func ownerAlive(dir string) (alive, kept bool, err error) {
	b, err := os.ReadFile(filepath.Join(dir, ownerFile))
	if err != nil {
		return false, false, err
	}
	token := strings.TrimSpace(string(b))
	if token == keptMark {
		return false, true, nil
	}
	f := strings.Fields(token)
	if len(f) != 3 {
		return false, false, nil // garbage: no owner can be alive
	}
	pid, err := strconv.Atoi(f[0])
	if err != nil || pid <= 0 {
		return false, false, nil
	}
	now, err := ownerToken(pid)
	return err == nil && now == token, false, nil
}

// sweep removes the cluster directories in base whose owner is gone, first
// stopping a postmaster left running in them. It is best effort: a directory
// it cannot judge or remove stays.
func sweep(base string) {
	dirs, _ := filepath.Glob(filepath.Join(base, dirPrefix+"*"))
	for _, dir := range dirs {
		if stale(dir) {
			stopOrphan(dir)
			_ = os.RemoveAll(dir)
		}
	}
}

// stale reports whether dir is a cluster directory nobody owns any more.
// Unprivileged, only this user's directories are considered.
func stale(dir string) bool {
	fi, err := os.Lstat(dir)
	if err != nil || !fi.IsDir() {
		return false
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && os.Geteuid() != 0 && int(st.Uid) != os.Geteuid() {
		return false
	}
	alive, kept, err := ownerAlive(dir)
	switch {
	case kept || alive:
		return false
	case errors.Is(err, os.ErrNotExist):
		// Written by an older stackdb, or a Start that has not recorded
		// its owner yet.
		return time.Since(fi.ModTime()) > staleGrace && postmasterPID(dir) == 0
	case err != nil:
		return false
	}
	return true
}

// postmasterPID returns the PID of the postmaster running on dir's data
// directory, or 0: the PID in postmaster.pid, if that process exists, is not
// a zombie and runs on this data directory.
func postmasterPID(dir string) int {
	data := filepath.Join(dir, "data")
	b, err := os.ReadFile(filepath.Join(data, "postmaster.pid"))
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0]))
	if err != nil || pid <= 0 {
		return 0
	}
	if _, err := ownerToken(pid); err != nil {
		return 0 // gone, or a zombie
	}
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil || !bytes.Contains(cmdline, []byte(data)) {
		return 0 // the PID was reused by another process
	}
	return pid
}

// stopOrphan ends the postmaster left running in dir, if any: an immediate
// shutdown, then SIGKILL.
func stopOrphan(dir string) {
	pid := postmasterPID(dir)
	if pid == 0 {
		return
	}
	_ = syscall.Kill(pid, syscall.SIGQUIT)
	for range 100 {
		if postmasterPID(dir) == 0 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	_ = syscall.Kill(pid, syscall.SIGKILL)
}
