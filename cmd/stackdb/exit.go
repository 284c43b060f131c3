package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/deploystack/stackdb/internal/config"
)

// execute runs the command line and returns its error in the command
// line's terms: an option of a Go API that the command has as a flag is
// named by its flag (Truncate becomes --truncate).
func execute(ctx context.Context, root *cobra.Command) error {
	cmd, err := root.ExecuteContextC(ctx)
	var oerr *config.OptionError
	if err != nil && cmd != nil && errors.As(err, &oerr) {
		if flag := flagName(oerr.Option); cmd.Flags().Lookup(flag) != nil {
			msg := strings.Replace(err.Error(), oerr.Error(), oerr.WithName("--"+flag).Error(), 1)
			return &renamedError{msg: msg, err: err}
		}
	}
	return err
}

// renamedError is err with its option named by a flag.
type renamedError struct {
	msg string
	err error
}

func (e *renamedError) Error() string { return e.msg }
func (e *renamedError) Unwrap() error { return e.err }

// flagName turns a Go field name into its flag's name: OnError, on-error.
func flagName(field string) string {
	var b strings.Builder
	for i, r := range field {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('-')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// exitError ends stackdb with a status of its own: `dev -- CMD` passes on
// CMD's.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// exitCode prints err (when there is one) and returns the process's exit
// status.
func exitCode(stderr io.Writer, err error) int {
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, "stackdb:", err)
	var exit *exitError
	if errors.As(err, &exit) {
		return exit.code
	}
	return 1
}
