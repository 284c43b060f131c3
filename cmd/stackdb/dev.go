package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/deploystack/stackdb/internal/atlasmig"
)

// childStopDelay is how long a command gets to exit after SIGTERM when
// stackdb itself is stopped, before it is killed.
const childStopDelay = 10 * time.Second

func (a *app) devCmd() *cobra.Command {
	var empty bool
	cmd := &cobra.Command{
		Use:   "dev [-- COMMAND ARGS...]",
		Short: "Run a throwaway Postgres (migrated unless --empty) until Ctrl-C, or for the duration of COMMAND",
		Long: `Runs a throwaway Postgres, migrated unless --empty (with atlas.hcl's migration
directory, or without one the migrations embedded in this binary).

Without a command it prints the URL and waits for Ctrl-C. With one, it runs the
command with DATABASE_URL pointing at the database and stops Postgres when the
command ends, exiting with the command's status (make verify runs sqlc vet so).`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, err := a.resolve(cmd, request{migrations: !empty, db: throwawayDatabase})
			if err != nil {
				return err
			}
			defer ws.stop()
			if !empty {
				if _, err := atlasmig.Apply(cmd.Context(), ws.url, ws.dir, atlasmig.ApplyOptions{}); err != nil {
					return err
				}
			}
			if len(args) > 0 {
				return runChild(cmd, ws.url, args)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Postgres is running; press Ctrl-C to stop and remove it.\nDATABASE_URL=%s\n", ws.url)
			<-cmd.Context().Done()
			return nil
		},
	}
	cmd.Flags().BoolVar(&empty, "empty", false, "do not apply the migrations")
	return cmd
}

// runChild runs args with DATABASE_URL set and returns its exit status as
// an *exitError. A child killed by a signal gets the shell's 128+signal.
// Ctrl-C reaches the child from the terminal directly; when stackdb alone is
// stopped (SIGTERM), the child gets SIGTERM and childStopDelay to exit.
func runChild(cmd *cobra.Command, url string, args []string) error {
	child := exec.CommandContext(cmd.Context(), args[0], args[1:]...)
	child.Env = append(os.Environ(), "DATABASE_URL="+url)
	child.Stdin, child.Stdout, child.Stderr = os.Stdin, cmd.OutOrStdout(), cmd.ErrOrStderr()
	child.Cancel = func() error { return child.Process.Signal(syscall.SIGTERM) }
	child.WaitDelay = childStopDelay
	err := child.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		if err != nil {
			return fmt.Errorf("dev: %s: %w", args[0], err)
		}
		return nil
	}
	code := exit.ExitCode()
	if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		code = 128 + int(ws.Signal())
	}
	return &exitError{code: code, err: fmt.Errorf("dev: %s: %w", args[0], err)}
}
