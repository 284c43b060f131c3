package importer

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
)

// A spool carries one table's COPY data from the conversion to the COPY:
// an unlinked temporary file that one goroutine appends to while another
// reads it from the start, waiting at the end for more until the writer
// finishes. It lets the conversion run ahead of Postgres: while Postgres
// builds one table's keys and indexes (minutes of a large import, during
// which it reads nothing), the next tables are converted into their
// spools, and their COPY then runs at Postgres's own speed. Memory stays
// bounded; the backlog sits in the file (the page cache, in practice).
type spool struct {
	f *os.File

	mu      sync.Mutex
	changed *sync.Cond
	size    int64 // bytes written so far
	done    bool  // the writer has finished; err says how
	err     error
}

// newSpool creates the spool's file in dir (os.TempDir when "") and unlinks
// it at once, so nothing is left behind however the process ends.
func newSpool(dir string) (*spool, error) {
	f, err := createUnlinked(dir, "stackdb-import-*.copy")
	if err != nil {
		return nil, err
	}
	s := &spool{f: f}
	s.changed = sync.NewCond(&s.mu)
	return s, nil
}

// createUnlinked creates a temporary file in dir (os.TempDir when "") and
// unlinks it at once: it takes space only while it is open.
func createUnlinked(dir, pattern string) (*os.File, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, fmt.Errorf("importer: create a spool file: %w", err)
	}
	if err := os.Remove(f.Name()); err != nil {
		f.Close()
		return nil, fmt.Errorf("importer: unlink the spool file: %w", err)
	}
	return f, nil
}

// write appends p; it is not safe to call from two goroutines.
func (s *spool) write(p []byte) error {
	n, err := s.f.Write(p)
	s.mu.Lock()
	s.size += int64(n)
	s.changed.Broadcast()
	s.mu.Unlock()
	if err != nil {
		return fmt.Errorf("importer: write the spool file: %w", err)
	}
	return nil
}

// finish ends the writing: a reader gets io.EOF at the end, or err.
func (s *spool) finish(err error) {
	s.mu.Lock()
	s.done, s.err = true, err
	s.changed.Broadcast()
	s.mu.Unlock()
}

// reader returns a reader of the spool from its start.
func (s *spool) reader() io.Reader { return &spoolReader{s: s} }

// close releases the file; the readers must be done.
func (s *spool) close() { s.f.Close() }

type spoolReader struct {
	s   *spool
	off int64
}

func (r *spoolReader) Read(p []byte) (int, error) {
	s := r.s
	s.mu.Lock()
	for r.off == s.size && !s.done {
		s.changed.Wait()
	}
	size, err := s.size, s.err
	s.mu.Unlock()
	if r.off == size {
		if err != nil {
			return 0, err
		}
		return 0, io.EOF
	}
	n, rerr := s.f.ReadAt(p[:min(int64(len(p)), size-r.off)], r.off)
	r.off += int64(n)
	if errors.Is(rerr, io.EOF) && n > 0 {
		rerr = nil
	}
	return n, rerr
}
