package dbpool

import "github.com/jackc/pgx/v5/pgconn"

// ConnectErr makes a failed connection lead with the server's answer. With
// sslmode=prefer (pgx's default) pgx tries TLS first and reports every
// attempt in order, so a wrong password reads "server refused TLS
// connection" before the authentication failure that is the real cause.
// When the chain holds a *pgconn.PgError, the last one (the attempt that got
// furthest) becomes the message; the original error stays reachable with
// errors.Is and errors.As. Other errors are returned unchanged.
func ConnectErr(err error) error {
	if err == nil {
		return nil
	}
	cause := lastPgError(err)
	if cause == nil {
		return err
	}
	return &connectError{cause: cause, err: err}
}

type connectError struct {
	cause *pgconn.PgError
	err   error
}

func (e *connectError) Error() string   { return e.cause.Error() }
func (e *connectError) Unwrap() []error { return []error{e.cause, e.err} }

// lastPgError walks err's tree depth first and returns the last
// *pgconn.PgError in it.
func lastPgError(err error) *pgconn.PgError {
	var last *pgconn.PgError
	var walk func(error)
	walk = func(err error) {
		if pg, ok := err.(*pgconn.PgError); ok {
			last = pg
			return
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			if next := u.Unwrap(); next != nil {
				walk(next)
			}
		case interface{ Unwrap() []error }:
			for _, next := range u.Unwrap() {
				walk(next)
			}
		}
	}
	walk(err)
	return last
}
