package config

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestOptionError(t *testing.T) {
	t.Parallel()
	sentinel := errors.New("importer: the target database already holds application data")
	err := error(NewOptionError("importer", "Truncate", sentinel, func(name string) string {
		return fmt.Sprintf("rows in users; use %s to replace them", name)
	}))
	require.EqualError(t, err, "importer: rows in users; use Truncate to replace them")
	require.ErrorIs(t, err, sentinel)

	var oerr *OptionError
	require.ErrorAs(t, fmt.Errorf("wrapped: %w", err), &oerr)
	require.Equal(t, "Truncate", oerr.Option)
	flag := oerr.WithName("--truncate")
	require.EqualError(t, flag, "importer: rows in users; use --truncate to replace them")
	require.ErrorIs(t, flag, sentinel)
	require.EqualError(t, err, "importer: rows in users; use Truncate to replace them", "WithName leaves the original alone")
}
