package importer

import (
	"context"
	"fmt"
	"math/big"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Verification compares, for every table and inside the import
// transaction, what the importer meant to write with what Postgres holds:
// the row count, and a checksum over the converted values.
//
// Canonical row encoding. Each loaded column contributes "N" when NULL and
// otherwise "<n>:<text>", where <text> is the value's canonical text and <n>
// its length in bytes (the length prefix makes the concatenation
// unambiguous); the row's encoding is the concatenation in column order.
// The canonical text of a value is the same on both sides by construction:
//
//	text, enum         the text itself                  c::text
//	smallint…bigint    decimal                          c::text
//	boolean            true / false                     c::text
//	timestamptz        16 hex digits of the int64 µs    encode(timestamptz_send(c), 'hex')
//	                   since 2000-01-01 (the binary
//	                   send format: exact, no time zone)
//	double precision   16 hex digits of the IEEE bits   encode(float8send(c), 'hex')
//	bytea              hex                              encode(c, 'hex')
//	jsonb              jsonb's own text output          c::text
//
// jsonb normalises what it stores (key order, duplicate keys, spacing,
// numbers), so comparing with the legacy text would always differ. The Go
// side therefore renders each document the way jsonb prints it (jsonb.go,
// checked against a live server by TestCanonicalJSONMatchesPostgres) and
// hashes that, while COPY sends the legacy text unchanged: a value Postgres
// stored differently from what its own parser makes of the legacy text, or
// a divergence between the two parsers, shows up as a mismatch (a false
// alarm at worst, never a silent difference).
//
// Row hash and table checksum. A row's hash is the first 8 bytes of the MD5
// of its encoding, read as a big-endian 64-bit integer; the table checksum
// is the sum of its rows' hashes modulo 2^64. Postgres computes the same
// with ('x' || substr(md5(row), 1, 16))::bit(64)::bigint, summed as numeric
// and reduced modulo 2^64 in Go. A sum is independent of row order (COPY
// and the scan need not agree on one) and, unlike XOR, does not cancel two
// equal rows. MD5 is used as a well-spread hash, not for security: the
// check guards against bugs and interference (triggers, rules, a concurrent
// writer), not against an adversary who controls both sides.

// canonicalSQL returns the SQL expression of a column's canonical text.
func canonicalSQL(c *colPlan) string {
	id := pgx.Identifier{c.target}.Sanitize()
	switch c.kind {
	case kTimestamptz:
		return "encode(timestamptz_send(" + id + "), 'hex')"
	case kFloat64:
		return "encode(float8send(" + id + "), 'hex')"
	case kBytea:
		return "encode(" + id + ", 'hex')"
	}
	return id + "::text"
}

// checksumSQL returns the query that counts and checksums a loaded table.
func checksumSQL(tp *tablePlan) string {
	parts := make([]string, len(tp.cols))
	for i, c := range tp.cols {
		e := canonicalSQL(c)
		parts[i] = fmt.Sprintf("coalesce(octet_length(%[1]s)::text || ':' || %[1]s, 'N')", e)
	}
	return "SELECT count(*), coalesce(sum(('x' || substr(md5(" + strings.Join(parts, " || ") +
		"), 1, 16))::bit(64)::bigint), 0)::text FROM " + tp.ident.Sanitize()
}

var two64 = new(big.Int).Lsh(big.NewInt(1), 64)

// verifyTable compares the table in Postgres with what was sent.
func verifyTable(ctx context.Context, tx pgx.Tx, tp *tablePlan) error {
	var count int64
	var sumText string
	if err := tx.QueryRow(ctx, checksumSQL(tp)).Scan(&count, &sumText); err != nil {
		return fmt.Errorf("importer: verify %s: %w", tp.displayTarget(), err)
	}
	sum, ok := new(big.Int).SetString(sumText, 10)
	if !ok {
		return fmt.Errorf("importer: verify %s: unexpected sum %q", tp.displayTarget(), sumText)
	}
	sum.Mod(sum, two64) // Euclidean: the result is in [0, 2^64)
	if count != tp.accepted {
		return fmt.Errorf("%w: %s holds %d rows after the load, %d were imported", ErrVerify, tp.displayTarget(), count, tp.accepted)
	}
	if sum.Uint64() != tp.sum {
		return fmt.Errorf("%w: the checksum of %s is %016x in Postgres, %016x for the converted legacy rows: a stored value differs from the value sent", ErrVerify, tp.displayTarget(), sum.Uint64(), tp.sum)
	}
	return nil
}
