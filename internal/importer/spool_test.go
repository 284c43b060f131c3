package importer

import (
	"bytes"
	"errors"
	"io"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestSpoolReaderFollowsWriter(t *testing.T) {
	t.Parallel()
	s, err := newSpool(t.TempDir())
	require.NoError(t, err)
	defer s.close()
	_, err = os.Stat(s.f.Name())
	require.ErrorIs(t, err, os.ErrNotExist, "the spool file is unlinked at once")

	var want bytes.Buffer
	go func() {
		for i := range 50 {
			chunk := bytes.Repeat([]byte{byte(i)}, 1000+i)
			want.Write(chunk)
			if err := s.write(chunk); err != nil {
				s.finish(err)
				return
			}
			time.Sleep(time.Millisecond) // the reader catches up and waits
		}
		s.finish(nil)
	}()
	got, err := io.ReadAll(s.reader())
	require.NoError(t, err)
	require.Equal(t, want.Bytes(), got)
}

func TestSpoolReaderGetsWriterError(t *testing.T) {
	t.Parallel()
	s, err := newSpool(t.TempDir())
	require.NoError(t, err)
	defer s.close()
	boom := errors.New("legacy read failed")
	require.NoError(t, s.write([]byte("abc")))
	s.finish(boom)
	got, err := io.ReadAll(s.reader())
	require.ErrorIs(t, err, boom)
	require.Equal(t, "abc", string(got), "the data before the error is read first")
}
