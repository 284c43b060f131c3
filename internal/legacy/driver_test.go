package legacy

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDriverErr(t *testing.T) {
	t.Parallel()
	require.NoError(t, driverErr(true))
	err := driverErr(false)
	require.ErrorIs(t, err, ErrNoCgo)
	require.EqualError(t, err, "this stackdb was built without cgo; the SQLite driver needs it: rebuild with CGO_ENABLED=1 and a C compiler")
	require.Equal(t, driverErr(cgoEnabled), CheckDriver())
}

func TestOpenWithoutCgoSaysSo(t *testing.T) {
	t.Parallel()
	if cgoEnabled {
		t.Skip("built with cgo")
	}
	_, err := Open("x.db")
	require.ErrorIs(t, err, ErrNoCgo)
}
