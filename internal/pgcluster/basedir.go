package pgcluster

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// EnvBaseDir names the variable that chooses the directory in which throwaway
// clusters create their data directories (stackdb-pg-*), instead of /dev/shm
// or the temporary directory.
const EnvBaseDir = "STACKDB_TMPDIR"

// shmDir is preferred: on tmpfs, creating a database (hundreds of files)
// takes a few milliseconds instead of hundreds on a virtual disk.
const shmDir = "/dev/shm"

// minShmFree is the free space /dev/shm must have to be used. A fresh cluster
// takes ~41 MB and every test database ~8 MB more; Docker's default 64 MB
// /dev/shm fills after a few tests, so below this the temporary directory is
// used instead.
const minShmFree = 512 << 20

// baseDirChoice holds what baseDir looks at, so tests can vary it.
type baseDirChoice struct {
	explicit string                           // EnvBaseDir's value
	tempDir  string                           // os.TempDir()
	free     func(dir string) (uint64, error) // bytes available to this user
	usable   func(dir string) error           // an existing, writable directory
}

// baseDir returns the directory to create a cluster's directory in: the one
// EnvBaseDir names, else /dev/shm when it has minShmFree bytes free, else
// os.TempDir().
func baseDir() (string, error) {
	return baseDirChoice{
		explicit: os.Getenv(EnvBaseDir),
		tempDir:  os.TempDir(),
		free:     freeBytes,
		usable:   writableDir,
	}.choose()
}

func (b baseDirChoice) choose() (string, error) {
	if b.explicit != "" {
		if err := b.usable(b.explicit); err != nil {
			return "", fmt.Errorf("pgcluster: %s=%s: %w", EnvBaseDir, b.explicit, err)
		}
		// Absolute, so the server's command line names its data directory
		// as sweep looks for it.
		return filepath.Abs(b.explicit)
	}
	if b.usable(shmDir) == nil {
		if free, err := b.free(shmDir); err == nil && free >= minShmFree {
			return shmDir, nil
		}
	}
	return filepath.Abs(b.tempDir)
}

func freeBytes(dir string) (uint64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, err
	}
	return st.Bavail * uint64(st.Bsize), nil
}

func writableDir(dir string) error {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return errors.New("no such directory")
	case err != nil:
		return err
	case !fi.IsDir():
		return errors.New("not a directory")
	}
	if err := syscall.Access(dir, 2 /* W_OK */); err != nil {
		return fmt.Errorf("not writable: %w", err)
	}
	return nil
}

// checkTraversable reports an error when the server's user (uid, gid) cannot
// reach dir: running as root, the cluster's directory is handed to that user,
// and every directory above it must let it pass (o+x, or g+x for its group).
func checkTraversable(dir string, uid, gid uint32) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	for d := abs; ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return err
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		if ok {
			perm := fi.Mode().Perm()
			var bit os.FileMode = 0o001
			switch {
			case st.Uid == uid:
				bit = 0o100
			case st.Gid == gid:
				bit = 0o010
			}
			if perm&bit == 0 {
				return fmt.Errorf("%s (mode %04o) does not let uid %d, which runs the server, pass: "+
					"chmod o+x it or set %s to a directory it can reach", d, perm, uid, EnvBaseDir)
			}
		}
		if d == filepath.Dir(d) {
			return nil
		}
	}
}
