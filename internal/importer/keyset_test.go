package importer

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestKeySet(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		sizedFor  int64
		keys      int
		wantBytes int64 // at most
	}{
		{"sized for its keys", 100_000, 100_000, 100_000*16/keySetLoad + 32},
		{"grows past its size", 10, 50_000, 2 * 50_000 * 16 / keySetLoad},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := rand.New(rand.NewPCG(1, 2))
			s := newKeySet(tc.sizedFor)
			in := make([][2]uint64, tc.keys)
			for i := range in {
				in[i] = [2]uint64{r.Uint64(), r.Uint64()}
				require.False(t, s.has(in[i]))
				s.add(in[i])
			}
			s.add(in[0]) // again: no-op
			require.Equal(t, tc.keys, s.n)
			for _, h := range in {
				require.True(t, s.has(h))
			}
			// Keys that differ in either half are other keys.
			for _, h := range in[:1000] {
				require.False(t, s.has([2]uint64{h[0], h[1] ^ 1}))
				require.False(t, s.has([2]uint64{h[0] ^ 1, h[1]}))
			}
			require.LessOrEqual(t, s.bytes(), tc.wantBytes)
		})
	}

	// The zero hash, which marks empty slots, is a key like the others.
	s := newKeySet(0)
	require.False(t, s.has([2]uint64{}))
	s.add([2]uint64{})
	require.True(t, s.has([2]uint64{}))
	var none *keySet // a table that tracks no keys
	require.False(t, none.has([2]uint64{1, 2}))
}
