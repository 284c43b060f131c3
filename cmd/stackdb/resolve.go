package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"ariga.io/atlas/sql/migrate"
	"github.com/spf13/cobra"

	"github.com/deploystack/stackdb/internal/atlasmig"
	"github.com/deploystack/stackdb/internal/config"
	"github.com/deploystack/stackdb/internal/pgcluster"
	"github.com/deploystack/stackdb/schema"
)

// errNoTarget is returned when a command that writes (or describes) a real
// database finds none named.
var errNoTarget = errors.New("no target database")

// dbNeed says which database a command works on.
type dbNeed int

const (
	noDatabase dbNeed = iota
	// namedDatabase is the URL flag, DATABASE_URL, POSTGRES_* or the env's
	// url, and never a throwaway: a misspelt variable in a deploy job must
	// fail, not migrate a database that vanishes afterwards.
	namedDatabase
	// devDatabase is the dev URL flag, else the env's dev URL, else a
	// throwaway (the env's dev URL names a container, or nothing).
	devDatabase
	// throwawayDatabase is always a throwaway cluster.
	throwawayDatabase
)

// request says what a command needs resolved before it runs.
type request struct {
	// project: the command works on the project files (diff, hash,
	// validate), so atlas.hcl must exist.
	project bool
	// migrations: the command needs a migration directory: atlas.hcl's, or
	// when there is none the one embedded in this binary.
	migrations bool
	db         dbNeed
	url        string // the value of the command's URL flag
	urlFlag    string // its name, for messages ("--url")
	hint       string // appended to the "no target database" message
	// quiet: the command names its migration directory in its own output.
	quiet bool
}

// workspace is what a command runs on.
type workspace struct {
	env *config.Env // nil when there is no atlas.hcl
	dir migrate.Dir // nil unless migrations or project was requested
	url string      // "" for noDatabase

	stop func() // stops a throwaway cluster; always safe to call
}

// embeddedDir names the migrations compiled into the binary in messages.
const embeddedDir = "the migrations embedded in this binary"

// dirName names the workspace's migration directory in messages.
func (ws *workspace) dirName() string {
	if ws.env == nil {
		return embeddedDir
	}
	return ws.env.Dir
}

// resolve is the one place a command finds its env (atlas.hcl), its
// migration directory and its database, in that order. Call ws.stop when
// done, also on error paths after a successful resolve.
func (a *app) resolve(cmd *cobra.Command, req request) (*workspace, error) {
	ws := &workspace{stop: func() {}}
	name := strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
	stderr := cmd.ErrOrStderr()

	env, loadErr := config.LoadEnv(a.projectFile, a.envName)
	switch {
	case loadErr == nil:
		ws.env = env
	case !errors.Is(loadErr, fs.ErrNotExist):
		return nil, loadErr
	case req.project:
		return nil, fmt.Errorf("%s needs the project files: %s not found; run it in the stackdb checkout or pass --config", name, a.projectFile)
	case cmd.Flags().Changed("config") || cmd.Flags().Changed("env"):
		return nil, loadErr // the user named a project file or env: do not fall back
	}

	var err error
	var using string // which migrations, said once the database is known too
	if req.migrations || req.project {
		if ws.env != nil {
			if ws.dir, err = atlasmig.OpenDir(ws.env.Dir); err != nil {
				return nil, err
			}
			using = fmt.Sprintf("the migrations in %s (%s, env %q)", ws.env.Dir, a.projectFile, ws.env.Name)
		} else {
			if ws.dir, err = schema.Dir(); err != nil {
				return nil, err
			}
			using = fmt.Sprintf("%s (no %s here)", embeddedDir, a.projectFile)
		}
	}

	switch req.db {
	case namedDatabase:
		ws.url, err = namedURL(req, ws.env, stderr)
	case devDatabase:
		ws.url, err = devURL(req, ws.env)
	}
	if err != nil {
		return nil, err
	}
	if ws.url == "" && (req.db == devDatabase || req.db == throwawayDatabase) {
		c, err := pgcluster.Start(cmd.Context())
		if err != nil {
			return nil, err
		}
		ws.url, ws.stop = c.URL("postgres"), func() { _ = c.Stop() }
	}
	if using != "" && !req.project && !req.quiet {
		fmt.Fprintf(stderr, "stackdb: using %s\n", using)
	}
	return ws, nil
}

// namedURL is the target a user named: the flag, DATABASE_URL or
// POSTGRES_*, or the env's url (for an env whose url is a literal or reads
// another variable). Without one it is an error.
func namedURL(req request, env *config.Env, stderr io.Writer) (string, error) {
	if req.url != "" {
		if err := config.CheckURL(req.url); err != nil {
			return "", fmt.Errorf("%s: %w", req.urlFlag, err)
		}
		return req.url, nil
	}
	db, err := config.DatabaseFromEnv()
	if err != nil {
		return "", err
	}
	if u := db.ConnString(); u != "" {
		fmt.Fprintf(stderr, "stackdb: target database from %s: %s\n", db.Source(), db)
		return u, nil
	}
	if env != nil && env.URL != "" {
		if err := config.CheckURL(env.URL); err != nil {
			return "", fmt.Errorf("env %q: url: %w", env.Name, err)
		}
		fmt.Fprintf(stderr, "stackdb: target database from env %q: %s\n", env.Name, config.Redact(env.URL))
		return env.URL, nil
	}
	return "", fmt.Errorf("%w: set DATABASE_URL or pass %s%s", errNoTarget, req.urlFlag, req.hint)
}

// devURL is a clean database to plan or replay on: the flag, else the env's
// dev URL, else "" for a throwaway.
func devURL(req request, env *config.Env) (string, error) {
	switch {
	case req.url != "":
		if err := config.CheckURL(req.url); err != nil {
			return "", fmt.Errorf("%s: %w", req.urlFlag, err)
		}
		return req.url, nil
	case env == nil:
		return "", nil
	}
	if err := env.DevErr(); err != nil {
		return "", fmt.Errorf("%w; set it, or pass %s", err, req.urlFlag)
	}
	if env.UsesThrowawayDev() {
		return "", nil
	}
	if err := config.CheckURL(env.DevURL); err != nil {
		return "", fmt.Errorf("env %q: dev: %w", env.Name, err)
	}
	return env.DevURL, nil
}
