package importer

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// This file validates legacy JSON text the way Postgres's jsonb input does
// and renders it the way jsonb prints it (jsonb::text), so the Go side of
// the checksum (verify.go) can hash what Postgres will store without asking
// Postgres. The rules, each checked against a running server by
// FuzzJSONCanonical (its seeds run in every `go test`):
//
//   - syntax is RFC 8259: no trailing commas, no leading zeros, no NaN, no
//     raw control characters in strings; whitespace is space, tab, CR, LF;
//   - \u0000 is refused (jsonb cannot hold it), as are lone surrogates;
//   - objects: keys sorted by byte length, then bytewise; a duplicate key
//     keeps its last value;
//   - separators are ", " and ": "; empty containers are [] and {};
//   - strings: '"', '\' and \b \f \n \r \t are escaped with a backslash,
//     other characters below U+0020 as \u00xx (lower-case hex), everything
//     else (including '/', DEL and non-ASCII) is written as UTF-8;
//   - numbers become Postgres numerics: exact decimal notation without an
//     exponent, keeping as many fractional digits as the input implies
//     (1.50 → 1.50, 1e2 → 100, 1.5e-3 → 0.0015, 100e-2 → 1.00), no leading
//     zeros and no minus sign on zero.
//
// Numbers beyond Postgres's numeric range — more than 131072 digits before
// the decimal point, a display scale above 16383, an exponent of 2^30 or
// more — are refused as Postgres refuses them. They are reported, never
// rounded.
//
// Nesting deeper than maxJSONDepth levels is refused too, a limit of the
// importer's own (jsonError.depth): Postgres's is its stack depth, which
// max_stack_depth sets (some 10000 levels at the default 2MB), so no fixed
// depth matches it, and one beyond it would fail the COPY.

const (
	maxJSONDepth      = 1000
	maxNumberDigits   = 131072    // digits before the point
	maxNumberScale    = 16383     // digits after the point
	maxNumberExponent = 1<<30 - 1 // |exponent| must stay below this (INT_MAX/2)
)

// jsonKind is the top-level type of a document, as jsonb_typeof names it.
type jsonKind uint8

const (
	jsonInvalid jsonKind = iota
	jsonObject
	jsonArray
	jsonString
	jsonNumber
	jsonBoolean
	jsonNull
)

func (k jsonKind) String() string {
	switch k {
	case jsonObject:
		return "object"
	case jsonArray:
		return "array"
	case jsonString:
		return "string"
	case jsonNumber:
		return "number"
	case jsonBoolean:
		return "boolean"
	case jsonNull:
		return "null"
	}
	return "invalid"
}

// jsonError explains why a document was refused. nul marks the \u0000 case,
// a defect class of its own; depth marks the importer's own nesting limit,
// the one refusal Postgres need not share (its limit is its stack depth).
type jsonError struct {
	nul   bool
	depth bool
	pos   int
	msg   string
}

func (e *jsonError) Error() string { return fmt.Sprintf("%s at byte %d", e.msg, e.pos) }

type jsonParser struct {
	src     string
	pos     int
	depth   int
	members []jsonMember // the members of the objects being read, innermost last
}

// canonical appends to dst the jsonb text form of the document src (valid
// UTF-8 without NUL bytes, checked by the caller) and returns its kind.
//
// It runs for every jsonb value of an import, so the common case allocates
// nothing: strings without escapes and plain numbers are copied as they
// are, object members are rendered into dst and reordered in place, and
// the parser, with its member list, is kept across documents (a parser in
// a local variable would be moved to the heap for every document, because
// the descent is recursive).
func (p *jsonParser) canonical(dst []byte, src string) ([]byte, jsonKind, error) {
	*p = jsonParser{src: src, members: p.members[:0]}
	p.skipSpace()
	start := len(dst)
	dst, kind, err := p.value(dst)
	if err != nil {
		return dst[:start], jsonInvalid, err
	}
	p.skipSpace()
	if p.pos != len(src) {
		return dst[:start], jsonInvalid, p.fail("unexpected data after the document")
	}
	return dst, kind, nil
}

func (p *jsonParser) fail(msg string) error { return &jsonError{pos: p.pos, msg: msg} }

func (p *jsonParser) skipSpace() {
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *jsonParser) value(dst []byte) ([]byte, jsonKind, error) {
	if p.pos >= len(p.src) {
		return dst, jsonInvalid, p.fail("unexpected end of document")
	}
	switch c := p.src[p.pos]; {
	case c == '{':
		return p.object(dst)
	case c == '[':
		return p.array(dst)
	case c == '"':
		start := p.pos
		s, escaped, err := p.str()
		if err != nil {
			return dst, jsonInvalid, err
		}
		if !escaped { // nothing to escape either: print it as it came
			return append(dst, p.src[start:p.pos]...), jsonString, nil
		}
		return appendJSONString(dst, s), jsonString, nil
	case c == '-' || (c >= '0' && c <= '9'):
		dst, err := p.number(dst)
		return dst, jsonNumber, err
	default:
		for _, lit := range [...]struct {
			word string
			kind jsonKind
		}{{"true", jsonBoolean}, {"false", jsonBoolean}, {"null", jsonNull}} {
			if strings.HasPrefix(p.src[p.pos:], lit.word) {
				p.pos += len(lit.word)
				return append(dst, lit.word...), lit.kind, nil
			}
		}
		return dst, jsonInvalid, p.fail(fmt.Sprintf("unexpected character %q", rune(c)))
	}
}

func (p *jsonParser) enter() error {
	p.depth++
	if p.depth > maxJSONDepth {
		return &jsonError{depth: true, pos: p.pos, msg: fmt.Sprintf("nested deeper than %d levels", maxJSONDepth)}
	}
	return nil
}

func (p *jsonParser) array(dst []byte) ([]byte, jsonKind, error) {
	if err := p.enter(); err != nil {
		return dst, jsonInvalid, err
	}
	// No defers on the way out: an error abandons the document, and the
	// next one starts from a reset parser.
	p.pos++ // [
	dst = append(dst, '[')
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == ']' {
		p.pos++
		p.depth--
		return append(dst, ']'), jsonArray, nil
	}
	for first := true; ; first = false {
		if !first {
			dst = append(dst, ", "...)
		}
		p.skipSpace()
		var err error
		if dst, _, err = p.value(dst); err != nil {
			return dst, jsonInvalid, err
		}
		p.skipSpace()
		if p.pos >= len(p.src) {
			return dst, jsonInvalid, p.fail("unterminated array")
		}
		switch p.src[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			p.depth--
			return append(dst, ']'), jsonArray, nil
		default:
			return dst, jsonInvalid, p.fail("expected ',' or ']' in array")
		}
	}
}

// jsonMember is an object member being read: its decoded key (plain when
// the key held no escapes), and where its rendered value lies in the output.
type jsonMember struct {
	key      string
	plain    bool
	from, to int
}

func (p *jsonParser) object(dst []byte) ([]byte, jsonKind, error) {
	if err := p.enter(); err != nil {
		return dst, jsonInvalid, err
	}
	p.pos++ // {
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == '}' {
		p.pos++
		p.depth--
		return append(dst, "{}"...), jsonObject, nil
	}
	// The values are rendered after start in input order, then the
	// members are written over them in jsonb's order.
	start, base := len(dst), len(p.members)
	for {
		p.skipSpace()
		if p.pos >= len(p.src) || p.src[p.pos] != '"' {
			return dst, jsonInvalid, p.fail("expected a string key in object")
		}
		key, escaped, err := p.str()
		if err != nil {
			return dst, jsonInvalid, err
		}
		p.skipSpace()
		if p.pos >= len(p.src) || p.src[p.pos] != ':' {
			return dst, jsonInvalid, p.fail("expected ':' after object key")
		}
		p.pos++
		p.skipSpace()
		from := len(dst)
		if dst, _, err = p.value(dst); err != nil {
			return dst, jsonInvalid, err
		}
		p.members = append(p.members, jsonMember{key: key, plain: !escaped, from: from, to: len(dst)})
		p.skipSpace()
		if p.pos >= len(p.src) {
			return dst, jsonInvalid, p.fail("unterminated object")
		}
		if p.src[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.src[p.pos] != '}' {
			return dst, jsonInvalid, p.fail("expected ',' or '}' in object")
		}
		p.pos++
		break
	}
	// jsonb keeps the last value of a duplicate key: a stable sort keeps
	// input order among equal keys, then the last of each run wins.
	members := p.members[base:]
	slices.SortStableFunc(members, func(a, b jsonMember) int {
		if len(a.key) != len(b.key) {
			return len(a.key) - len(b.key)
		}
		return strings.Compare(a.key, b.key)
	})
	end := len(dst)
	dst = append(dst, '{')
	n := 0
	for i, m := range members {
		if i+1 < len(members) && m.key == members[i+1].key {
			continue
		}
		if n > 0 {
			dst = append(dst, ", "...)
		}
		n++
		if m.plain { // nothing to escape: printed as it came
			dst = append(dst, '"')
			dst = append(dst, m.key...)
			dst = append(dst, `": `...)
		} else {
			dst = appendJSONString(dst, m.key)
			dst = append(dst, ": "...)
		}
		dst = append(dst, dst[m.from:m.to]...)
	}
	dst = append(dst, '}')
	p.members = p.members[:base]
	p.depth--
	return append(dst[:start], dst[end:]...), jsonObject, nil
}

// str reads a string token and returns its decoded text; escaped reports
// whether it held escapes (without any, the text is the token's inside).
func (p *jsonParser) str() (s string, escaped bool, err error) {
	p.pos++ // opening quote
	begin := p.pos
	var buf []byte
	for {
		if p.pos >= len(p.src) {
			return "", false, p.fail("unterminated string")
		}
		c := p.src[p.pos]
		switch {
		case c == '"':
			p.pos++
			if buf == nil {
				return p.src[begin : p.pos-1], false, nil
			}
			return string(buf), true, nil
		case c < 0x20:
			return "", false, p.fail(fmt.Sprintf("raw control character %q in string", rune(c)))
		case c == '\\':
			if buf == nil {
				buf = append(make([]byte, 0, 2*(p.pos-begin)+16), p.src[begin:p.pos]...)
			}
			if p.pos+1 >= len(p.src) {
				return "", false, p.fail("unterminated escape")
			}
			e := p.src[p.pos+1]
			if r := simpleEscape[e]; r != 0 {
				buf = append(buf, r)
				p.pos += 2
				continue
			}
			if e != 'u' {
				return "", false, p.fail(fmt.Sprintf("invalid escape \\%c", e))
			}
			r, err := p.hex4(p.pos + 2)
			if err != nil {
				return "", false, err
			}
			at := p.pos
			p.pos += 6
			switch {
			case r == 0:
				return "", false, &jsonError{nul: true, pos: at, msg: `\u0000 in a string (Postgres jsonb cannot store it)`}
			case utf16.IsSurrogate(r) && r < 0xdc00:
				if p.pos+1 < len(p.src) && p.src[p.pos] == '\\' && p.src[p.pos+1] == 'u' {
					r2, err := p.hex4(p.pos + 2)
					if err != nil {
						return "", false, err
					}
					if r2 >= 0xdc00 && r2 <= 0xdfff {
						p.pos += 6
						buf = utf8.AppendRune(buf, utf16.DecodeRune(r, r2))
						continue
					}
				}
				return "", false, &jsonError{pos: at, msg: "high surrogate not followed by a low surrogate"}
			case utf16.IsSurrogate(r):
				return "", false, &jsonError{pos: at, msg: "low surrogate without a high surrogate"}
			}
			buf = utf8.AppendRune(buf, r)
		default:
			// A run of ordinary bytes; the text is valid UTF-8.
			end := p.pos + 1
			for end < len(p.src) && jsonPlain[p.src[end]] {
				end++
			}
			if buf != nil {
				buf = append(buf, p.src[p.pos:end]...)
			}
			p.pos = end
		}
	}
}

// jsonPlain marks the bytes that stand for themselves inside a JSON string
// and in jsonb's rendering of one: not '"', '\\' or a control character.
var jsonPlain = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// simpleEscape decodes the one-letter escapes; 0 means not one of them.
var simpleEscape = [256]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

func (p *jsonParser) hex4(at int) (rune, error) {
	if at+4 > len(p.src) {
		return 0, &jsonError{pos: at, msg: "truncated \\u escape"}
	}
	v, err := strconv.ParseUint(string(p.src[at:at+4]), 16, 32)
	if err != nil {
		return 0, &jsonError{pos: at, msg: "invalid \\u escape"}
	}
	return rune(v), nil
}

// appendJSONString writes s quoted and escaped as jsonb prints strings.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ { // bytewise: UTF-8 sequences are plain bytes
		c := s[i]
		if jsonPlain[c] {
			continue
		}
		var esc string
		switch c {
		case '"':
			esc = `\"`
		case '\\':
			esc = `\\`
		case '\b':
			esc = `\b`
		case '\f':
			esc = `\f`
		case '\n':
			esc = `\n`
		case '\r':
			esc = `\r`
		case '\t':
			esc = `\t`
		default:
			esc = fmt.Sprintf(`\u%04x`, c)
		}
		dst = append(dst, s[start:i]...)
		dst = append(dst, esc...)
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// number reads a JSON number and appends it as Postgres's numeric prints it.
func (p *jsonParser) number(dst []byte) ([]byte, error) {
	src, start := p.src, p.pos
	i := p.pos
	neg := false
	if src[i] == '-' {
		neg = true
		i++
	}
	digits := func() int {
		j := i
		for i < len(src) && src[i] >= '0' && src[i] <= '9' {
			i++
		}
		return i - j
	}
	intStart := i
	if n := digits(); n == 0 {
		p.pos = i
		return dst, p.fail("invalid number: expected a digit")
	} else if n > 1 && src[intStart] == '0' {
		p.pos = intStart
		return dst, p.fail("invalid number: leading zero")
	}
	intDigits := string(src[intStart:i])
	fracDigits := ""
	if i < len(src) && src[i] == '.' {
		i++
		fs := i
		if digits() == 0 {
			p.pos = i
			return dst, p.fail("invalid number: expected a digit after '.'")
		}
		fracDigits = string(src[fs:i])
	}
	exp := 0
	hasExp := i < len(src) && (src[i] == 'e' || src[i] == 'E')
	if hasExp {
		i++
		expNeg := false
		if i < len(src) && (src[i] == '+' || src[i] == '-') {
			expNeg = src[i] == '-'
			i++
		}
		es := i
		n := digits()
		if n == 0 {
			p.pos = i
			return dst, p.fail("invalid number: expected a digit in the exponent")
		}
		e := string(src[es:i])
		for len(e) > 1 && e[0] == '0' {
			e = e[1:]
		}
		if len(e) > 10 {
			p.pos = start
			return dst, p.fail("number out of range")
		}
		exp, _ = strconv.Atoi(e)
		if exp >= maxNumberExponent {
			p.pos = start
			return dst, p.fail("number out of range")
		}
		if expNeg {
			exp = -exp
		}
	}
	p.pos = i
	if !hasExp && i-start <= 1000 {
		// Short and without exponent (the usual case): in range, and
		// printed as written, but for the sign of a zero.
		if neg && strings.Trim(src[start+1:i], "0.") == "" {
			start++
		}
		return append(dst, src[start:i]...), nil
	}
	// Value = 0.(intDigits fracDigits) shifted: the decimal point sits after
	// point digits of all (may be negative or beyond the end).
	all := intDigits + fracDigits
	point := len(intDigits) + exp
	scale := max(0, len(fracDigits)-exp) // Postgres's display scale
	first := -1
	for k := 0; k < len(all); k++ {
		if all[k] != '0' {
			first = k
			break
		}
	}
	if scale > maxNumberScale || (first >= 0 && point-first > maxNumberDigits) {
		p.pos = start
		return dst, p.fail("number out of range for Postgres numeric")
	}
	if first < 0 { // zero: no sign, scale zeros
		dst = append(dst, '0')
		if scale > 0 {
			dst = append(dst, '.')
			dst = append(dst, bytes.Repeat([]byte{'0'}, scale)...)
		}
		return dst, nil
	}
	if neg {
		dst = append(dst, '-')
	}
	// Integer part: digits first..point (padded with zeros past the end).
	if point <= first {
		dst = append(dst, '0')
	} else {
		for k := first; k < point; k++ {
			if k < len(all) {
				dst = append(dst, all[k])
			} else {
				dst = append(dst, '0')
			}
		}
	}
	if scale > 0 {
		dst = append(dst, '.')
		for k := point; k < point+scale; k++ {
			if k >= 0 && k < len(all) {
				dst = append(dst, all[k])
			} else {
				dst = append(dst, '0')
			}
		}
	}
	return dst, nil
}
