package importer_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/importer"
	"github.com/deploystack/stackdb/stackdbtest"
)

// TestCanonicalJSONMatchesPostgres checks the Go rendering of JSON against
// jsonb's own: both accept and refuse the same documents, and print
// accepted ones identically. The checksum relies on it.
func TestCanonicalJSONMatchesPostgres(t *testing.T) {
	t.Parallel()
	corpus := []string{
		`{"b":1,"a":2,"aa":3,"a":4}`, `{"a":1,"\u0061":2}`,
		`[1.0, 1e2, 1E+2, -0, -0.0, 0.10, 1.5e-3, 12.5e1, 1e-7, 0e5, 1.23e+1, 100e-2, -1.5E-2, 1E02, 0.000, -0e-3, 1E-00005, 123.456e-2]`,
		`123456789012345678901234567890`, `-123456789012345678901234567890.000001e-3`, `1e400`, `5e-300`,
		`"\u00e9\/\b\f\n\r\t\u001f\u007f\ud83d\ude00 \"q\" \\"`, "\"caf\u00e9 \u2028 \x7f\"",
		"  {\"x\" : [ ] , \"y\":{}}\r\n\t", `{"a":{"c":1,"b":2},"bb":[{"z":0,"y":1}], "": null}`,
		`""`, `null`, `true`, `false`, `[null,true,false]`, `[[[[[]]]]]`, `{"dup":{"x":1},"dup":{"y":2}}`,
		`{"é":1,"e":2,"ee":3,"z":4}`, `"\u0001\u001F"`,
		// Plain numbers and strings are copied as written; zero loses its sign.
		`[-0, -0.00, 0.0, -12.50, 7, -7, 3.14159, 0.001]`, `"a/b \u00e9"`, `{"k\u0041":"v","kA":"w","\"":1}`,
		// Objects inside objects: each is sorted in place.
		`{"b":{"d":1,"c":{"f":2,"e":3,"f":4}},"a":[{"z":1,"y":[{"q":1,"p":2}]}],"aa":{}}`,
		// Refused by both.
		`01`, `1.`, `.5`, `-`, `+1`, `1e`, `tru`, `True`, `NaN`, `Infinity`, `"\ud800"`, `"\ud800\u0041"`, `"\udc00"`,
		`[1,]`, `{"a":1,}`, "\"a\tb\"", `{"a" 1}`, `{1:2}`, `[1 2]`, `"\x"`, `"\u12"`, `"abc`, `[`, ``, ` `, `1 2`,
		`"\u0000"`, `{"a\u0000":1}`, `1e-99999`, `1e99999`, "\f1",
		// The edges of Postgres's numeric range.
		`1e131071`, `1e131072`, `-9.9e131071`, `1e-16383`, `1e-16384`, `10e-16384`, `0e-16383`, `0e-16384`, `0e200000`,
		`0e99999999`, `0e1073741822`, `0e1073741823`, `0e-2147483649`, `1e2147483648`, `0.5e-16382`,
	}
	pool := openPool(t, stackdbtest.URL(t))
	ctx := context.Background()
	render := importer.JSONRenderer()
	for _, doc := range corpus {
		var pg string
		pgErr := pool.QueryRow(ctx, "SELECT $1::text::jsonb::text", doc).Scan(&pg)
		got, _, err := render(doc)
		if pgErr != nil {
			require.Error(t, err, "Postgres refuses %q (%v), Go accepts it as %q", doc, pgErr, got)
			continue
		}
		require.NoError(t, err, "Postgres accepts %q", doc)
		require.Equal(t, pg, got, "rendering of %q", doc)
	}
	// Deep and long documents.
	deep := strings.Repeat("[", 500) + strings.Repeat("]", 500)
	got, kind, err := render(deep)
	require.NoError(t, err)
	require.Equal(t, "array", kind)
	require.Equal(t, deep, got)
}

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
