package importer

import "math/bits"

// keySet is a set of 128-bit key hashes (keyHash): open addressing with
// linear probing in one slice of pairs, which the garbage collector need
// not scan. It takes 16 bytes per slot and is sized for the table's rows
// up front (at most keySetLoad keys per slot: 20 bytes per key), where a
// map[[2]uint64]struct{} holds 37 to 56 bytes per key (Go 1.26, 1M-8M
// keys) and allocates twice that while it grows.
type keySet struct {
	slots []uint64 // slot i is slots[2i], slots[2i+1]; {0, 0} is empty
	n     int
}

// keySetLoad is the most keys per slot before the set grows.
const keySetLoad = 0.8

// newKeySet makes a set with room for about n keys.
func newKeySet(n int64) *keySet {
	s := &keySet{}
	s.alloc(int(float64(max(n, 16))/keySetLoad) + 1)
	return s
}

func (s *keySet) alloc(slots int) { s.slots = make([]uint64, 2*slots) }

// slot is where probing for h starts: h[0] scaled to the number of slots,
// so any number of slots works (no power of two needed).
func (s *keySet) slot(h [2]uint64) int {
	hi, _ := bits.Mul64(h[0], uint64(len(s.slots)/2))
	return int(hi)
}

// norm maps the hash {0, 0}, which marks an empty slot, to {0, 1}: one more
// 128-bit value that collides with it, which changes nothing of the odds
// keyHash argues for.
func norm(h [2]uint64) [2]uint64 {
	if h == [2]uint64{} {
		h[1] = 1
	}
	return h
}

// has reports whether h is in the set.
func (s *keySet) has(h [2]uint64) bool {
	if s == nil || s.n == 0 {
		return false
	}
	_, found := s.find(norm(h))
	return found
}

// add inserts h (a no-op when it is there).
func (s *keySet) add(h [2]uint64) {
	h = norm(h)
	i, found := s.find(h)
	if found {
		return
	}
	if float64(s.n+1) > keySetLoad*float64(len(s.slots)/2) {
		old := s.slots
		s.alloc(len(old)) // twice the slots
		for j := 0; j < len(old); j += 2 {
			if old[j] != 0 || old[j+1] != 0 {
				k, _ := s.find([2]uint64{old[j], old[j+1]})
				s.slots[2*k], s.slots[2*k+1] = old[j], old[j+1]
			}
		}
		i, _ = s.find(h)
	}
	s.slots[2*i], s.slots[2*i+1] = h[0], h[1]
	s.n++
}

// find returns the slot that holds h, or else the empty slot where
// probing for it ended.
func (s *keySet) find(h [2]uint64) (slot int, found bool) {
	nslots := len(s.slots) / 2
	for i := s.slot(h); ; i++ {
		if i == nslots {
			i = 0
		}
		a, b := s.slots[2*i], s.slots[2*i+1]
		if a == h[0] && b == h[1] {
			return i, true
		}
		if a == 0 && b == 0 {
			return i, false
		}
	}
}

// bytes is the memory the set holds.
func (s *keySet) bytes() int64 {
	if s == nil {
		return 0
	}
	return int64(len(s.slots)) * 8
}
