package importer_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/importer"
)

func TestExcerpt(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", 100)
	require.Equal(t, strings.Repeat("é", 39)+"…", importer.Excerpt(long))
	require.Equal(t, `a\x00b\n\xff`, importer.Excerpt("a\x00b\n\xff"))
	require.Equal(t, "NULL", importer.Excerpt(nil))
	require.Equal(t, "x'00ff'", importer.Excerpt([]byte{0, 0xff}))
	require.LessOrEqual(t, len([]rune(importer.Excerpt(make([]byte, 100)))), 40)
	require.LessOrEqual(t, len([]rune(importer.Excerpt(strings.Repeat("\x00", 100)))), 40)
}
