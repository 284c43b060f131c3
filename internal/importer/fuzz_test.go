package importer

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/deploystack/stackdb/stackdbtest"
)

// The fuzz targets compare the Go ports with the Postgres functions they
// stand in for, Postgres being the oracle. `go test` runs their seeds (the
// f.Add cases and testdata/fuzz/<target>/) as regular tests; `make fuzz`
// runs each target for a few seconds. They are internal tests because they
// look at what the importer does with a refusal (jsonError), not only at
// whether it refuses.

// fuzzConn returns one connection for the whole fuzz run of a target: the
// target's body runs once per fuzzing process, its inputs one after the
// other, so no pool is needed.
func fuzzConn(f *testing.F) *pgx.Conn {
	f.Helper()
	conn, err := pgx.Connect(context.Background(), stackdbtest.URL(f))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// pgText makes s text Postgres can hold, replacing NUL bytes and invalid
// UTF-8 with U+FFFD: the importer refuses them (checkText) before it renders
// or hashes a value, and most random inputs hold one.
func pgText(s string) string {
	return strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", "\uFFFD"), "\uFFFD")
}

// jsonSeeds are documents whose rendering or refusal is easy to get wrong.
var jsonSeeds = []string{
	// Key order (length, then bytes), duplicates (the last wins), escapes in keys.
	`{"b":1,"a":2,"aa":3,"a":4}`, `{"a":1,"\u0061":2}`, `{"é":1,"e":2,"ee":3,"z":4}`,
	`{"k\u0041":"v","kA":"w","\"":1}`, `{"dup":{"x":1},"dup":{"y":2}}`, `{"\u00e9":1,"é":2}`,
	`{"b":{"d":1,"c":{"f":2,"e":3,"f":4}},"a":[{"z":1,"y":[{"q":1,"p":2}]}],"aa":{}}`,
	`{"a":{"c":1,"b":2},"bb":[{"z":0,"y":1}], "": null}`, `{"":1,"":2}`, `{"\ud83d\ude00":1,"\uffff":2}`,
	// Numbers: exponents, trailing zeros, signed zeros, the fast path's edges.
	`[1.0, 1e2, 1E+2, -0, -0.0, 0.10, 1.5e-3, 12.5e1, 1e-7, 0e5, 1.23e+1, 100e-2, -1.5E-2, 1E02, 0.000, -0e-3, 1E-00005, 123.456e-2]`,
	`[-0, -0.00, 0.0, -12.50, 7, -7, 3.14159, 0.001]`, `123456789012345678901234567890`,
	`-123456789012345678901234567890.000001e-3`, `1e400`, `5e-300`, `-0e0`, `0.0e-0`, `1E+0`, `9.99e-1`,
	"0." + strings.Repeat("0", 997) + "1", "-0." + strings.Repeat("0", 998), strings.Repeat("9", 1001),
	// The edges of Postgres's numeric range.
	`1e131071`, `1e131072`, `-9.9e131071`, `1e-16383`, `1e-16384`, `10e-16384`, `0e-16383`, `0e-16384`, `0e200000`,
	`0e99999999`, `0e1073741822`, `0e1073741823`, `0e-2147483649`, `1e2147483648`, `0.5e-16382`, `1e-1073741823`,
	`1e00000000001`, `1e+0000000000000000000000002`,
	// Strings: escapes, control characters, surrogates, non-ASCII.
	`"\u00e9\/\b\f\n\r\t\u001f\u007f\ud83d\ude00 \"q\" \\"`, "\"caf\u00e9 \u2028 \x7f\"", `"\u0001\u001F"`,
	`"a/b \u00e9"`, `"\uD83D\uDE00"`, `"\u00E9"`, `"\ufeff"`, "\"\ufeff\"", "\ufeff1",
	// Whitespace and scalars.
	"  {\"x\" : [ ] , \"y\":{}}\r\n\t", `""`, `null`, `true`, `false`, `[null,true,false]`, `[[[[[]]]]]`,
	// Refused.
	`01`, `-01`, `1.`, `.5`, `-`, `+1`, `1e`, `1e+`, `tru`, `True`, `nul`, `NaN`, `Infinity`, `-Infinity`, `0x10`,
	`"\ud800"`, `"\ud800\u0041"`, `"\udc00"`, `"\ud800\ud800"`, `"\ud800\n"`, `[1,]`, `{"a":1,}`, "\"a\tb\"",
	`{"a" 1}`, `{1:2}`, `[1 2]`, `"\x"`, `"\u12"`, `"\u12g4"`, `"abc`, `[`, `{`, ``, ` `, `1 2`, "\f1", "\v1", `[1]]`,
	"\u00a01", `trueX`, `nullnull`, `1true`, `"a"1`, `{"a":1}x`, `[1,,2]`, `{,}`, `{"a"}`,
	// \u0000: refused (jsonb cannot hold it), and where Postgres reads it.
	`"\u0000"`, `{"a\u0000":1}`, `1 "\u0000"`, `{"a" "\u0000"}`, `"\u0000`, `["\u0000", 01]`, `"\ud800\u0000"`,
	`1e-99999`, `1e99999`,
	// Nesting: Postgres's limit is its stack depth, the importer's 1000 levels.
	strings.Repeat("[", 1000) + strings.Repeat("]", 1000), strings.Repeat("[", 1001) + strings.Repeat("]", 1001),
	strings.Repeat(`{"a":`, 1000) + "1" + strings.Repeat("}", 1000),
}

// FuzzJSONCanonical checks the renderer against Postgres's
// $1::text::jsonb::text. What the importer promises: a document it accepts
// is accepted by Postgres (else the COPY fails instead of reporting the row),
// rendered byte for byte as jsonb prints it and of the kind jsonb_typeof
// names (else the checksum or a shape CHECK goes wrong); a document it
// refuses Postgres refuses too (else a valid value is reported as a
// defect), with a *jsonError, marked nul only when Postgres also blames
// \u0000. The one refusal of its own is nesting beyond maxJSONDepth, which
// Postgres bounds by its stack depth instead.
func FuzzJSONCanonical(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add(s)
	}
	conn := fuzzConn(f)
	var p jsonParser // reused, as in an import
	f.Fuzz(func(t *testing.T, doc string) {
		doc = pgText(doc)
		out, kind, err := p.canonical(nil, doc)
		var pgOut, pgKind string
		pgErr := conn.QueryRow(context.Background(), "SELECT j::text, jsonb_typeof(j) FROM (SELECT $1::text::jsonb AS j) AS d", doc).Scan(&pgOut, &pgKind)
		var pe *pgconn.PgError
		if pgErr != nil && (!errors.As(pgErr, &pe) || (!strings.HasPrefix(pe.Code, "22") && pe.Code != "54001")) {
			t.Fatalf("Postgres on %q: %v", doc, pgErr) // not a verdict on the document
		}
		var je *jsonError
		if err != nil && !errors.As(err, &je) {
			t.Fatalf("%q: error %T (%v), want a *jsonError", doc, err, err)
		}
		switch {
		case pgErr == nil && err == nil:
			if string(out) != pgOut {
				t.Fatalf("%q: Go renders %q, Postgres %q", doc, out, pgOut)
			}
			if kind.String() != pgKind {
				t.Fatalf("%q: Go says %s, jsonb_typeof %s", doc, kind, pgKind)
			}
		case pgErr == nil:
			if !je.depth {
				t.Fatalf("%q: Postgres accepts it as %q, Go refuses it: %v", doc, pgOut, err)
			}
		case err == nil:
			t.Fatalf("%q: Postgres refuses it (%s: %s), Go accepts it as %q", doc, pe.Code, pe.Message, out)
		case je.nul && pe.Code != "22P05":
			t.Fatalf("%q: Go blames \\u0000 (%v), Postgres %s: %s", doc, err, pe.Code, pe.Message)
		}
	})
}

// FuzzPGHash checks pgHashText against hashtextextended under the C
// collation, as the checksum query calls it (verify.go), on any text and
// seed.
func FuzzPGHash(f *testing.F) {
	for _, s := range []string{"", "a", "abc", "héllo wörld ✓", "0123456789a", "0123456789ab", "0123456789abc",
		strings.Repeat("é", 12), "\U0001F600\u2028\x7f", strings.Repeat("0123456789", 100)} {
		for _, seed := range []int64{0, 1, -1, 1 << 32, 0x7fffffff, -0x123456789abcdef} {
			f.Add(s, seed)
		}
	}
	conn := fuzzConn(f)
	f.Fuzz(func(t *testing.T, s string, seed int64) {
		s = pgText(s)
		var want int64
		if err := conn.QueryRow(context.Background(), `SELECT hashtextextended($1::text COLLATE "C", $2)`, s, seed).Scan(&want); err != nil {
			t.Fatal(err)
		}
		if got := int64(pgHashText([]byte(s), uint64(seed))); got != want {
			t.Fatalf("hashtextextended(%q, %d) = %d, the port %d", s, seed, want, got)
		}
	})
}
