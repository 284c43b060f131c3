package legacy

import "errors"

// ErrNoCgo is returned when this binary was built with CGO_ENABLED=0: the
// SQLite driver (mattn/go-sqlite3) is C code, and without cgo it registers
// a stub that fails only when the first query runs, deep inside an import.
var ErrNoCgo = errors.New("this stackdb was built without cgo; the SQLite driver needs it: rebuild with CGO_ENABLED=1 and a C compiler")

// CheckDriver reports ErrNoCgo when the SQLite driver cannot work, so
// commands fail before they start anything.
func CheckDriver() error { return driverErr(cgoEnabled) }

func driverErr(cgo bool) error {
	if !cgo {
		return ErrNoCgo
	}
	return nil
}
