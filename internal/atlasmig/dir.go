package atlasmig

import (
	"errors"
	"fmt"
	"io/fs"
	"path"

	"ariga.io/atlas/sql/migrate"
)

// OpenDir opens a migration directory on disk in Atlas's format
// (<version>_<name>.sql files and atlas.sum).
func OpenDir(path string) (*migrate.LocalDir, error) {
	dir, err := migrate.NewLocalDir(path)
	if err != nil {
		return nil, fmt.Errorf("migrate: open directory %s: %w", path, err)
	}
	return dir, nil
}

// FromFS loads a migration directory from an fs.FS (typically an embed.FS),
// so applications can ship their migrations inside the binary. root names
// the directory inside fsys.
func FromFS(fsys fs.FS, root string) (migrate.Dir, error) {
	entries, err := fs.ReadDir(fsys, root)
	if err != nil {
		return nil, fmt.Errorf("migrate: read embedded directory %s: %w", root, err)
	}
	dir := &migrate.MemDir{}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := fs.ReadFile(fsys, path.Join(root, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("migrate: read embedded file %s: %w", e.Name(), err)
		}
		if err := dir.WriteFile(e.Name(), b); err != nil {
			return nil, fmt.Errorf("migrate: load embedded file %s: %w", e.Name(), err)
		}
	}
	return dir, nil
}

// ChecksumError reports a migration directory whose files do not match its
// atlas.sum: a file was edited, added or removed without `migrate hash`.
type ChecksumError struct {
	File   string // the first file that does not match
	Reason string // "edited", "added" or "removed"
}

func (e *ChecksumError) Error() string {
	return fmt.Sprintf("migrate: %s was %s but atlas.sum was not updated; "+
		"if the change is intended run `stackdb migrate hash` (or `atlas migrate hash`)", e.File, e.Reason)
}

// Unwrap lets callers match Atlas's sentinel with errors.Is.
func (e *ChecksumError) Unwrap() error { return migrate.ErrChecksumMismatch }

// VerifySum checks the directory against its atlas.sum, naming the first
// file that was edited, added or removed.
func VerifySum(dir migrate.Dir) error {
	err := migrate.Validate(dir)
	var cerr *migrate.ChecksumError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &cerr):
		return &ChecksumError{File: cerr.File, Reason: cerr.Reason.String()}
	case errors.Is(err, migrate.ErrChecksumNotFound):
		return errors.New("migrate: atlas.sum is missing; run `stackdb migrate hash` to create it")
	case errors.Is(err, migrate.ErrChecksumMismatch):
		return fmt.Errorf("migrate: atlas.sum does not match its own entries (edited by hand?): %w", err)
	default:
		return fmt.Errorf("migrate: verify atlas.sum: %w", err)
	}
}

// WriteSum recomputes atlas.sum from the directory's files.
func WriteSum(dir migrate.Dir) error {
	sum, err := dir.Checksum()
	if err != nil {
		return fmt.Errorf("migrate: compute checksum: %w", err)
	}
	if err := migrate.WriteSumFile(dir, sum); err != nil {
		return fmt.Errorf("migrate: write atlas.sum: %w", err)
	}
	return nil
}

// DirHash returns the directory's overall checksum (the first line of
// atlas.sum, without its "h1:" prefix): a stable key for "this exact set of
// migrations".
func DirHash(dir migrate.Dir) (string, error) {
	sum, err := dir.Checksum()
	if err != nil {
		return "", fmt.Errorf("migrate: compute checksum: %w", err)
	}
	return sum.Sum(), nil
}
