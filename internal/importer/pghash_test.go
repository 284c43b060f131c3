package importer_test

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/importer"
	"github.com/deploystack/stackdb/stackdbtest"
)

// TestPGHashMatchesPostgres checks the Go port of hashtextextended against
// the server for every tail length, long inputs, multi-byte text and seeds
// that are zero, negative or use either half. The checksum relies on it.
func TestPGHashMatchesPostgres(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	var texts []string
	for n := range 40 {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(1 + rng.IntN(255))
		}
		texts = append(texts, strings.ToValidUTF8(string(b), "é"))
	}
	texts = append(texts, "", "a", "héllo wörld ✓", strings.Repeat("0123456789", 100))
	seeds := []int64{0, 1, -1, 1 << 32, 0x7fffffff, -0x123456789abcdef}
	for range 6 {
		seeds = append(seeds, rng.Int64()-rng.Int64())
	}

	pool := openPool(t, stackdbtest.URL(t))
	ctx := context.Background()
	var ss []string
	var ns []int64
	for _, s := range texts {
		for _, seed := range seeds {
			ss, ns = append(ss, s), append(ns, seed)
		}
	}
	rows, err := pool.Query(ctx, `SELECT hashtextextended(s COLLATE "C", n) FROM unnest($1::text[], $2::int8[]) AS u(s, n)`, ss, ns)
	require.NoError(t, err)
	want, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	require.NoError(t, err)
	require.Len(t, want, len(ss))
	for i := range ss {
		require.Equal(t, want[i], importer.PGHashText(ss[i], ns[i]), "hashtextextended(%q, %d)", ss[i], ns[i])
	}
}
