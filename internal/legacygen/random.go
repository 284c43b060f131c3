package legacygen

import (
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ---------------------------------------------------------------------------
// Random helpers.

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

// between returns a time in [a, b), or a when the range is empty.
func (g *gen) between(a, b int64) int64 {
	if b <= a {
		return a
	}
	return a + g.r.Int64N(b-a)
}

func pick[T any](g *gen, s []T) T { return s[g.r.IntN(len(s))] }

// growth maps i in [0, n) to a time in [from, to) with increasing density,
// like a product whose usage grows; times increase with i.
func (g *gen) growth(i, n int64, from, to int64) float64 {
	x := (float64(i) + g.r.Float64()) / float64(n)
	return float64(from) + float64(to-from)*math.Pow(x, 0.6)
}

func (g *gen) uuid() string {
	var b [16]byte
	u, v := g.r.Uint64(), g.r.Uint64()
	for i := range 8 {
		b[i], b[8+i] = byte(u>>(8*i)), byte(v>>(8*i))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:36], b[10:16])
	return string(out[:])
}

func (g *gen) hexStr(nbytes int) string {
	b := make([]byte, nbytes)
	for i := range b {
		b[i] = byte(g.r.Uint32())
	}
	return hex.EncodeToString(b)
}

func (g *gen) b64(nbytes int) string {
	const a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	b := make([]byte, (nbytes*4+2)/3)
	for i := range b {
		b[i] = a[g.r.IntN(64)]
	}
	return string(b)
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// orNil returns nil (SQL NULL) with probability p, else v.
func (g *gen) orNil(p float64, v any) any {
	if g.chance(p) {
		return nil
	}
	return v
}

// userBefore returns a user created at or before t (the first user if none).
func (g *gen) userBefore(t int64) int {
	k, _ := slices.BinarySearch(g.userCreate, t+1)
	return g.r.IntN(max(k, 1))
}

// ---------------------------------------------------------------------------
// JSON, built by hand (fast and in a fixed key order).

func appendJSONStr(b []byte, s string) []byte {
	const hexd = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\t':
			b = append(b, '\\', 't')
		case c == '\r':
			b = append(b, '\\', 'r')
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hexd[c>>4], hexd[c&15])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

type jsonObj struct{ b []byte }

// obj starts a JSON object. Each object has its own buffer, so objects
// may be built inside the arguments of another's methods.
func (g *gen) obj() *jsonObj { return &jsonObj{b: append(make([]byte, 0, 256), '{')} }

func (o *jsonObj) key(k string) {
	if len(o.b) > 1 {
		o.b = append(o.b, ',')
	}
	o.b = appendJSONStr(o.b, k)
	o.b = append(o.b, ':')
}

func (o *jsonObj) str(k, v string) *jsonObj { o.key(k); o.b = appendJSONStr(o.b, v); return o }
func (o *jsonObj) num(k string, v int64) *jsonObj {
	o.key(k)
	o.b = strconv.AppendInt(o.b, v, 10)
	return o
}
func (o *jsonObj) float(k string, v float64) *jsonObj {
	o.key(k)
	o.b = strconv.AppendFloat(o.b, v, 'f', -1, 64)
	return o
}
func (o *jsonObj) bool(k string, v bool) *jsonObj {
	o.key(k)
	o.b = strconv.AppendBool(o.b, v)
	return o
}
func (o *jsonObj) raw(k, v string) *jsonObj {
	o.key(k)
	o.b = append(o.b, v...)
	return o
}

func (g *gen) done(o *jsonObj) string {
	o.b = append(o.b, '}')
	return string(o.b)
}

func jsonStrings(s []string) string {
	b := []byte{'['}
	for i, v := range s {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONStr(b, v)
	}
	return string(append(b, ']'))
}

// round1 rounds to one decimal.
func round1(f float64) float64 { return math.Round(f*10) / 10 }

// ---------------------------------------------------------------------------
// Value sets.

// valueSet is a closed value set of the real schema. (*gen).value returns every
// value once, in order, before it picks by weight, so that every value
// appears even in the smallest file.
type valueSet struct {
	vals []string
	cum  []float64
	next int
}

// newSet returns a value set; weights (one per value, or none for equal
// weights) shape the picks after the first round.
func newSet(vals []string, weights ...float64) *valueSet {
	if len(weights) == 0 {
		weights = make([]float64, len(vals))
		for i := range weights {
			weights[i] = 1
		}
	}
	if len(weights) != len(vals) {
		panic("legacygen: newSet: one weight per value")
	}
	s := &valueSet{vals: vals, cum: make([]float64, len(vals))}
	var c float64
	for i, w := range weights {
		c += w
		s.cum[i] = c
	}
	return s
}

func (g *gen) value(s *valueSet) string {
	if s.next < len(s.vals) {
		s.next++
		return s.vals[s.next-1]
	}
	x := g.r.Float64() * s.cum[len(s.cum)-1]
	i, _ := slices.BinarySearch(s.cum, x)
	return s.vals[min(i, len(s.vals)-1)]
}

// ---------------------------------------------------------------------------
// Ids and times in the backend's formats.

const alnum = "abcdefghijklmnopqrstuvwxyz0123456789"

// alnumID is a lucia-style id: n lowercase alphanumerics.
func (g *gen) alnumID(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alnum[g.r.IntN(len(alnum))]
	}
	return string(b)
}

// nanoid is a 21-character nanoid (URL-safe alphabet).
func (g *gen) nanoid() string {
	const a = "useandom-26T198340PX75pxJACKVERYMINDBUSHWOLF_GQZbfghjklqvwyzrict"
	b := make([]byte, 21)
	for i := range b {
		b[i] = a[g.r.IntN(64)]
	}
	return string(b)
}

// sha256Hex is a random lowercase hex SHA-256 digest.
func (g *gen) sha256Hex() string { return g.hexStr(32) }

// argon2 is an argon2id hash in PHC format, as @node-rs/argon2 writes it.
func (g *gen) argon2() string {
	return "$argon2id$v=19$m=19456,t=2,p=1$" + g.b64(16) + "$" + g.b64(32)
}

// encrypted is a value of the backend's encryption helper: iv:tag:ciphertext, hex.
func (g *gen) encrypted(plainLen int) string {
	return g.hexStr(16) + ":" + g.hexStr(16) + ":" + g.hexStr(plainLen)
}

// isoTime formats epoch seconds (plus ms milliseconds) as
// new Date().toISOString() does.
func isoTime(sec, ms int64) string {
	return time.Unix(sec, ms*int64(time.Millisecond)).UTC().Format("2006-01-02T15:04:05.000Z")
}

// datePartition is the UTC day of epoch seconds, "YYYY-MM-DD".
func datePartition(sec int64) string { return time.Unix(sec, 0).UTC().Format(time.DateOnly) }

func (g *gen) ipv4() string {
	switch g.r.IntN(4) {
	case 0:
		return fmt.Sprintf("10.%d.%d.%d", g.r.IntN(256), g.r.IntN(256), 1+g.r.IntN(254))
	case 1:
		return fmt.Sprintf("2a02:8109:%x:%x::%x", g.r.IntN(65536), g.r.IntN(65536), 1+g.r.IntN(65535))
	default:
		return fmt.Sprintf("%d.%d.%d.%d", 1+g.r.IntN(223), g.r.IntN(256), g.r.IntN(256), 1+g.r.IntN(254))
	}
}

// jsonArray joins JSON documents into a JSON array.
func jsonArray(items ...string) string {
	return "[" + strings.Join(items, ",") + "]"
}
