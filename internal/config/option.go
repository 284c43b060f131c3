package config

import "fmt"

// OptionError reports an option of a Go API (a field of an Options struct)
// that is missing or wrong. It carries the field's name, so the command
// line can say the same thing in terms of its flag (WithName) instead of
// leaking Go field names.
type OptionError struct {
	Op     string // operation prefix, e.g. "importer"
	Option string // the Options field, e.g. "Truncate"
	Err    error  // an underlying sentinel for errors.Is, or nil

	// msg phrases the problem around the option's name.
	msg  func(name string) string
	name string
}

// NewOptionError builds an OptionError; msg phrases the problem around the
// option's name (the Go field, or the flag the command line maps it to),
// without the operation prefix.
func NewOptionError(op, option string, err error, msg func(name string) string) *OptionError {
	return &OptionError{Op: op, Option: option, Err: err, msg: msg}
}

func (e *OptionError) Error() string {
	name := e.name
	if name == "" {
		name = e.Option
	}
	return fmt.Sprintf("%s: %s", e.Op, e.msg(name))
}

func (e *OptionError) Unwrap() error { return e.Err }

// WithName returns a copy that names the option as name (a flag such as
// "--truncate") in its message.
func (e *OptionError) WithName(name string) *OptionError {
	c := *e
	c.name = name
	return &c
}
