package importer

import "math/bits"

// keySet is a set of 128-bit key hashes (keyHash): open addressing with
// linear probing in one slice of pairs, which the garbage collector need
// not scan. It takes 16 bytes per slot and is sized for the table's rows
// up front (keySetLoad), where a map[[2]uint64]struct{} took about 40 bytes
// per key at the import's sizes, and doubled the heap on each growth.
type keySet struct {
	slots []uint64 // slot i is slots[2i], slots[2i+1]; {0, 0} is empty
	n     int
}

// keySetLoad is the most keys per slot before the set grows.
const keySetLoad = 0.8

// newKeySet makes a set with room for about n keys.
func newKeySet(n int64) *keySet {
	s := &keySet{}
	s.alloc(int(float64(max(n, 16)) / keySetLoad))
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
	h = norm(h)
	nslots := len(s.slots) / 2
	for i := s.slot(h); ; i++ {
		if i == nslots {
			i = 0
		}
		a, b := s.slots[2*i], s.slots[2*i+1]
		if a == h[0] && b == h[1] {
			return true
		}
		if a == 0 && b == 0 {
			return false
		}
	}
}

// add inserts h (a no-op when it is there).
func (s *keySet) add(h [2]uint64) {
	if float64(s.n+1) > keySetLoad*float64(len(s.slots)/2) {
		old := s.slots
		s.alloc(len(old)) // twice the slots
		s.n = 0
		for i := 0; i < len(old); i += 2 {
			if old[i] != 0 || old[i+1] != 0 {
				s.insert([2]uint64{old[i], old[i+1]})
			}
		}
	}
	s.insert(norm(h))
}

func (s *keySet) insert(h [2]uint64) {
	nslots := len(s.slots) / 2
	for i := s.slot(h); ; i++ {
		if i == nslots {
			i = 0
		}
		a, b := s.slots[2*i], s.slots[2*i+1]
		if a == h[0] && b == h[1] {
			return
		}
		if a == 0 && b == 0 {
			s.slots[2*i], s.slots[2*i+1] = h[0], h[1]
			s.n++
			return
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
