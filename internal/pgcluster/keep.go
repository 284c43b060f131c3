package pgcluster

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Kept is a cluster stopped by Keep, its data directory left in place.
type Kept struct {
	// Dir is the cluster's directory; remove it when done. Start never
	// sweeps a kept directory.
	Dir string
	// Command starts the server again in the foreground (a /bin/sh command
	// line; as root it runs the server as the user it ran as before). The
	// port, the socket directory and the settings are in the data
	// directory's postgresql.conf.
	Command string
	// URLFile holds the cluster's URL, password included (mode 0600).
	URLFile string
	// Socket is a psql command that needs no password: the private unix
	// socket trusts whoever can reach it (this user, or root).
	Socket string
}

// String says where the cluster is and how to start and reach it. It
// does not hold the password.
func (k Kept) String() string {
	return fmt.Sprintf("data directory %s; start it with: %s; then connect with: psql \"$(cat %s)\" or %s; remove the directory when done",
		k.Dir, k.Command, shellQuote(k.URLFile), k.Socket)
}

// Keep shuts the server down cleanly but keeps its directory, for looking
// at the databases of failed tests, and returns how to start it again.
// Stop must not be called afterwards.
func (c *Cluster) Keep() (Kept, error) {
	var err error
	kept := false
	c.stopOnce.Do(func() {
		kept = true
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
	if !kept {
		return Kept{}, errors.New("pgcluster: keep: the cluster was already stopped")
	}
	if err != nil && !isSignalExit(err) {
		return Kept{}, fmt.Errorf("pgcluster: keep: stop postgres: %w", err)
	}
	k := Kept{Dir: c.dir, URLFile: filepath.Join(c.dir, "url")}
	if err := os.WriteFile(filepath.Join(c.dir, ownerFile), []byte(keptMark+"\n"), 0o644); err != nil {
		return Kept{}, fmt.Errorf("pgcluster: keep: mark %s kept: %w", c.dir, err)
	}
	if err := os.WriteFile(k.URLFile, []byte(c.URL("postgres")+"\n"), 0o600); err != nil {
		return Kept{}, fmt.Errorf("pgcluster: keep: write %s: %w", k.URLFile, err)
	}
	k.Command = shellQuote(filepath.Join(c.bin, "postgres")) + " -D " + shellQuote(filepath.Join(c.dir, "data"))
	if c.runAs != "" {
		k.Command = "su " + c.runAs + " -s /bin/sh -c " + shellQuote("exec "+k.Command)
	}
	k.Socket = fmt.Sprintf("psql -h %s -p %d -U %s postgres", shellQuote(c.dir), c.port, Superuser)
	return k, nil
}

func isSignalExit(err error) bool {
	var exit *exec.ExitError
	return errors.As(err, &exit) && !exit.Exited()
}

// shellQuote quotes s for /bin/sh when it holds anything but plain path
// characters.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-=:") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
