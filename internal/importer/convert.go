package importer

import (
	"bytes"
	"database/sql/driver"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Conversions are chosen by the type of the TARGET column, read from the
// live schema; the legacy value may have any SQLite storage class (SQLite
// stores what it is given whatever the declared type). Every value either
// converts by one of the rules below or becomes a Defect; nothing is
// rounded, trimmed or guessed.
//
// text, enum targets
//   - TEXT: must be valid UTF-8 without NUL bytes (DefectInvalidUTF8,
//     DefectNULByte); for an enum it must also be one of the enum's labels,
//     read from pg_enum (DefectInvalidEnum), compared exactly (case matters).
//   - BLOB: the same checks on its bytes; a valid one becomes the text.
//   - INTEGER: its decimal form, as SQLite's own CAST(x AS TEXT) writes it.
//   - REAL: refused (DefectWrongType): its text form is not unambiguous.
//
// boolean targets (legacy flags)
//   - INTEGER 0 or 1 → false or true; any other integer is DefectInvalidFlag.
//   - REAL 0.0 or 1.0, TEXT '0' or '1' (the integer-as-text rule below) →
//     false or true. TEXT 'true'/'false' and anything else are
//     DefectInvalidFlag: the legacy ORM never wrote them, so they are
//     reported rather than interpreted.
//
// smallint, integer, bigint targets
//   - INTEGER: range-checked against the target type.
//   - REAL: accepted only when integral and in range (12.0 → 12); 12.5 is
//     DefectInvalidInteger.
//   - TEXT: accepted only when it is a canonical base-10 integer — an
//     optional '-', then 0 or digits without a leading zero, nothing else
//     ('12' → 12; ' 12', '+12', '012', '1e3', '0x1f' are
//     DefectInvalidInteger).
//   - BLOB: DefectInvalidInteger.
//
// double precision targets (plugin tables)
//   - REAL as is; INTEGER when exactly representable (|n| ≤ 2^53); others
//     DefectWrongType.
//
// timestamptz targets (the unit comes from the mapping: epoch seconds, or
// milliseconds for authSession.expires_at, or ISO-8601 text for the three
// satelliteRegistrationTokens times; plugin *_at columns are seconds)
//   - ISO-8601 text columns: only TEXT in RFC 3339 form, as JavaScript's
//     Date.toISOString() writes it ('2025-11-22T08:30:38.672Z'; other
//     offsets accepted), from 1970 on, at most µs precise; anything else
//     (an epoch number included) is DefectInvalidTimestamp.
//   - INTEGER, integral REAL, canonical integer TEXT: the epoch value in the
//     column's unit. Seconds must lie in [0, 253402300799] (1970-01-01 to
//     9999-12-31T23:59:59Z); a larger value is reported, and named a likely
//     milliseconds value when it would be in range divided by 1000.
//     Milliseconds must lie in [1e11, 253402300799999]: a smaller value
//     (before 1973-03-03 when read as milliseconds) is reported as a likely
//     seconds value, because no row of this application predates 1973.
//   - TEXT in SQLite's date-time format, 'YYYY-MM-DD HH:MM:SS' with an
//     optional 'T' instead of the space, optional fractional seconds (up to
//     6 digits) and an optional trailing 'Z': accepted as UTC — SQLite's
//     CURRENT_TIMESTAMP and datetime() write UTC in this form — within the
//     same range. Any other text (other time zones included) is
//     DefectInvalidTimestamp.
//   - BLOB, non-integral REAL: DefectInvalidTimestamp.
//
// jsonb targets
//   - TEXT or BLOB: valid UTF-8 without NUL bytes, then valid JSON as
//     Postgres's jsonb accepts it (DefectInvalidJSON), without \u0000
//     (DefectJSONNul); the shape CHECKs of the target (array/object) are
//     evaluated in Go (DefectJSONShape). The text is sent unchanged;
//     Postgres normalises it (see jsonb.go for the canonical form used by
//     the checksum).
//   - INTEGER, REAL: DefectInvalidJSON (the legacy ORM wrote JSON as text).
//
// bytea targets (plugin tables): BLOB only; others DefectWrongType.
//
// text[] targets (deployment_credentials.scopes; only the Postgres source
// has them): TEXT holding a JSON array of strings and nulls, the form the
// Postgres source reads a one-dimensional text[] in; anything else is
// DefectWrongType, and each element follows the TEXT rules.
//
// NULL: stays NULL where the target allows it. Where the target is NOT
// NULL, the mapping's NullAs replacement is used if it has one (only
// mcp_servers.tags: NULL → '[]'), otherwise it is DefectNull.

type kind int

const (
	kText kind = iota + 1
	kEnum
	kBool
	kInt16
	kInt32
	kInt64
	kFloat64
	kTimestamptz
	kJSONB
	kBytea
	kTextArray
)

func (k kind) checkType() checkType {
	switch k {
	case kText, kEnum:
		return ctText
	case kBool:
		return ctBool
	case kInt16, kInt32, kInt64:
		return ctInt
	case kFloat64:
		return ctFloat
	case kJSONB:
		return ctJSON
	}
	return ctOther
}

// kindOf classifies a target column type; ok is false for types the
// importer does not write.
func kindOf(c *targetCol) (kind, bool) {
	if c.typType == "e" {
		return kEnum, true
	}
	if c.typSchema != "pg_catalog" {
		return 0, false
	}
	switch c.typName {
	case "text":
		return kText, true
	case "varchar":
		return kText, c.format == "character varying" // no length limit
	case "bool":
		return kBool, true
	case "int2":
		return kInt16, true
	case "int4":
		return kInt32, true
	case "int8":
		return kInt64, true
	case "float8":
		return kFloat64, true
	case "timestamptz":
		return kTimestamptz, true
	case "jsonb":
		return kJSONB, true
	case "bytea":
		return kBytea, true
	case "_text":
		return kTextArray, true
	}
	return 0, false
}

// colPlan says how one legacy column becomes one target column.
type colPlan struct {
	legacy  string // legacy column
	target  string // target column
	kind    kind
	typ     string // the target type as Postgres names it, for messages
	unit    TimeUnit
	notNull bool
	nullAs  string                // JSON used for a legacy NULL; "" for none
	labels  map[string]bool       // enum labels
	enum    string                // enum type name
	values  map[string]*valueRule // the user's value mappings (valuemap.go), by legacy value
}

// convVal is a converted value.
type convVal struct {
	null bool
	i    int64 // integers; booleans 0/1; timestamps: µs since 1970; jsonb: its jsonKind
	f    float64
	s    string    // text, enum label, JSON text as sent
	b    []byte    // bytea
	arr  []*string // text[] elements, nil for a NULL element
}

// convErr is a conversion failure: its class and reason.
type convErr struct {
	class  DefectClass
	reason string
}

func defectf(class DefectClass, format string, args ...any) *convErr {
	return &convErr{class: class, reason: fmt.Sprintf(format, args...)}
}

// storageClass names the SQLite storage class of a raw value.
func storageClass(raw any) string {
	switch raw.(type) {
	case nil:
		return "NULL"
	case int64:
		return "INTEGER"
	case float64:
		return "REAL"
	case string:
		return "TEXT"
	case []byte:
		return "BLOB"
	}
	return fmt.Sprintf("%T", raw)
}

// textBytes checks that s is valid UTF-8 without NUL bytes.
func checkText(s string) *convErr {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return defectf(DefectNULByte, "contains a NUL byte at byte %d (Postgres text cannot hold it)", i)
	}
	if !utf8.ValidString(s) {
		i := 0
		for i < len(s) {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				break
			}
			i += n
		}
		return defectf(DefectInvalidUTF8, "invalid UTF-8 at byte %d", i)
	}
	return nil
}

// canonicalInt parses s when it is a canonical base-10 integer.
func canonicalInt(s string) (int64, bool) {
	if s == "" || s == "-" || s == "-0" {
		return 0, false
	}
	d := strings.TrimPrefix(s, "-")
	if d == "" || (d[0] == '0' && len(d) > 1) {
		return 0, false
	}
	for i := 0; i < len(d); i++ {
		if d[i] < '0' || d[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// integral returns f as an int64 when it is a whole number in int64's range.
func integral(f float64) (int64, bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) || f != math.Trunc(f) || f < -(1<<63) || f >= 1<<63 {
		return 0, false
	}
	return int64(f), true
}

// Timestamp bounds, in the legacy units.
const (
	maxEpochSeconds = 253402300799 // 9999-12-31T23:59:59Z
	maxEpochMillis  = maxEpochSeconds*1000 + 999
	minEpochMillis  = 100_000_000_000 // 1973-03-03T09:46:40Z
)

var sqliteTimeLayouts = []string{
	"2006-01-02 15:04:05.999999",
	"2006-01-02T15:04:05.999999",
}

// parseSQLiteTime accepts SQLite's date-time text, as UTC.
func parseSQLiteTime(s string) (time.Time, bool) {
	t := strings.TrimSuffix(s, "Z")
	if len(t) < 19 || len(t) > 26 {
		return time.Time{}, false
	}
	if len(t) > 19 && (t[19] != '.' || len(t) == 20) {
		return time.Time{}, false
	}
	for i := 20; i < len(t); i++ {
		if t[i] < '0' || t[i] > '9' {
			return time.Time{}, false
		}
	}
	for _, layout := range sqliteTimeLayouts {
		if v, err := time.ParseInLocation(layout, t, time.UTC); err == nil {
			return v, true
		}
	}
	return time.Time{}, false
}

// isoMicros converts an ISO-8601 text column (Date.toISOString():
// "2025-11-22T08:30:38.672Z"; any RFC 3339 offset is accepted) to µs since
// 1970. Anything else is a defect: such a column never held epoch numbers.
func isoMicros(raw any) (int64, *convErr) {
	s, ok := raw.(string)
	if !ok {
		return 0, defectf(DefectInvalidTimestamp, "%s value in an ISO-8601 text column", storageClass(raw))
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return 0, defectf(DefectInvalidTimestamp, "TEXT %q is not an ISO-8601 date-time ('YYYY-MM-DDTHH:MM:SS[.fff]Z')", truncateRunes(s, 32))
	}
	switch {
	case t.Year() < 1970:
		return 0, defectf(DefectInvalidTimestamp, "TEXT %q is before 1970", s)
	case t.Nanosecond()%1000 != 0:
		return 0, defectf(DefectInvalidTimestamp, "TEXT %q is more precise than a microsecond, which timestamptz cannot hold", truncateRunes(s, 32))
	}
	return t.UnixMicro(), nil
}

func (c *colPlan) epoch(v int64, from string) (int64, *convErr) {
	if c.unit == Millis {
		switch {
		case v < 0:
			return 0, defectf(DefectInvalidTimestamp, "%s %d is negative (before 1970) in a milliseconds column", from, v)
		case v < minEpochMillis:
			return 0, defectf(DefectInvalidTimestamp, "%s %d is before 1973-03-03 as milliseconds: looks like seconds in a milliseconds column", from, v)
		case v > maxEpochMillis:
			return 0, defectf(DefectInvalidTimestamp, "%s %d is after year 9999 as milliseconds", from, v)
		}
		return v * 1000, nil
	}
	switch {
	case v < 0:
		return 0, defectf(DefectInvalidTimestamp, "%s %d is negative (before 1970) in a seconds column", from, v)
	case v > maxEpochSeconds && v/1000 <= maxEpochSeconds:
		return 0, defectf(DefectInvalidTimestamp, "%s %d is after year 9999 as seconds: looks like milliseconds in a seconds column", from, v)
	case v > maxEpochSeconds:
		return 0, defectf(DefectInvalidTimestamp, "%s %d is after year 9999 as seconds", from, v)
	}
	return v * 1_000_000, nil
}

// convert converts raw into v. For non-NULL values it appends the canonical
// text of the value (see verify.go) to canon. jp renders jsonb values.
func (c *colPlan) convert(raw any, v *convVal, canon []byte, jp *jsonParser) ([]byte, *convErr) {
	*v = convVal{}
	if raw == nil {
		if !c.notNull {
			v.null = true
			return canon, nil
		}
		if c.nullAs == "" {
			return canon, defectf(DefectNull, "NULL in a column that is NOT NULL in the target")
		}
		raw = c.nullAs
	}
	switch c.kind {
	case kText, kEnum:
		var s string
		switch x := raw.(type) {
		case string:
			s = x
		case []byte:
			s = string(x)
		case int64:
			s = strconv.FormatInt(x, 10)
		default:
			return canon, defectf(DefectWrongType, "%s value in a %s column", storageClass(raw), c.typ)
		}
		if e := checkText(s); e != nil {
			return canon, e
		}
		if c.kind == kEnum && !c.labels[s] {
			return canon, defectf(DefectInvalidEnum, "%q is not a value of enum %s", s, c.enum)
		}
		v.s = s
		return append(canon, s...), nil

	case kBool:
		var n int64
		ok := false
		switch x := raw.(type) {
		case int64:
			n, ok = x, true
		case float64:
			n, ok = integral(x)
		case string:
			if n, ok = canonicalInt(x); !ok {
				return canon, defectf(DefectInvalidFlag, "flag stored as TEXT %q; expected 0 or 1", x)
			}
		}
		if !ok || (n != 0 && n != 1) {
			return canon, defectf(DefectInvalidFlag, "flag must be 0 or 1, got %s %s", storageClass(raw), excerpt(raw))
		}
		v.i = n
		if n == 1 {
			return append(canon, "true"...), nil
		}
		return append(canon, "false"...), nil

	case kInt16, kInt32, kInt64:
		var n int64
		switch x := raw.(type) {
		case int64:
			n = x
		case float64:
			var ok bool
			if n, ok = integral(x); !ok {
				return canon, defectf(DefectInvalidInteger, "REAL %v is not an integer", x)
			}
		case string:
			var ok bool
			if n, ok = canonicalInt(x); !ok {
				return canon, defectf(DefectInvalidInteger, "TEXT %q is not a canonical base-10 integer (or is out of range)", truncateRunes(x, 24))
			}
		default:
			return canon, defectf(DefectInvalidInteger, "%s value in an integer column", storageClass(raw))
		}
		lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
		switch c.kind {
		case kInt16:
			lo, hi = math.MinInt16, math.MaxInt16
		case kInt32:
			lo, hi = math.MinInt32, math.MaxInt32
		}
		if n < lo || n > hi {
			return canon, defectf(DefectInvalidInteger, "%d is out of range for %s", n, c.typ)
		}
		v.i = n
		return strconv.AppendInt(canon, n, 10), nil

	case kFloat64:
		switch x := raw.(type) {
		case float64:
			v.f = x
		case int64:
			if x > 1<<53 || x < -(1<<53) {
				return canon, defectf(DefectWrongType, "INTEGER %d cannot be represented exactly as double precision", x)
			}
			v.f = float64(x)
		default:
			return canon, defectf(DefectWrongType, "%s value in a double precision column", storageClass(raw))
		}
		return appendHex64(canon, math.Float64bits(v.f)), nil

	case kTimestamptz:
		var micros int64
		var e *convErr
		if c.unit == ISO8601 {
			micros, e = isoMicros(raw)
			if e != nil {
				return canon, e
			}
			v.i = micros
			return appendHex64(canon, uint64(micros-pgEpochMicros)), nil
		}
		switch x := raw.(type) {
		case int64:
			micros, e = c.epoch(x, "INTEGER")
		case float64:
			n, ok := integral(x)
			if !ok {
				return canon, defectf(DefectInvalidTimestamp, "REAL %v is not a whole number of %s", x, c.unit)
			}
			micros, e = c.epoch(n, "REAL")
		case string:
			if n, ok := canonicalInt(x); ok {
				micros, e = c.epoch(n, "TEXT")
				break
			}
			t, ok := parseSQLiteTime(x)
			if !ok {
				return canon, defectf(DefectInvalidTimestamp, "TEXT %q is neither an epoch integer nor 'YYYY-MM-DD HH:MM:SS[.ffffff][Z]' (UTC)", truncateRunes(x, 32))
			}
			if t.Year() < 1970 {
				return canon, defectf(DefectInvalidTimestamp, "TEXT %q is before 1970", x)
			}
			micros = t.UnixMicro()
		default:
			return canon, defectf(DefectInvalidTimestamp, "%s value in a timestamp column", storageClass(raw))
		}
		if e != nil {
			return canon, e
		}
		v.i = micros
		return appendHex64(canon, uint64(micros-pgEpochMicros)), nil

	case kJSONB:
		var s string
		switch x := raw.(type) {
		case string:
			s = x
		case []byte:
			s = string(x)
		default:
			return canon, defectf(DefectInvalidJSON, "%s value where JSON text was expected", storageClass(raw))
		}
		if e := checkText(s); e != nil {
			return canon, e
		}
		out, k, err := jp.canonical(canon, s)
		if err != nil {
			je := err.(*jsonError)
			if je.nul {
				return canon, defectf(DefectJSONNul, "%s", je.Error())
			}
			return canon, defectf(DefectInvalidJSON, "invalid JSON: %s", je.Error())
		}
		v.s, v.i = s, int64(k)
		return out, nil

	case kBytea:
		x, ok := raw.([]byte)
		if !ok {
			return canon, defectf(DefectWrongType, "%s value in a bytea column", storageClass(raw))
		}
		v.b = x
		return hex.AppendEncode(canon, x), nil

	case kTextArray:
		x, ok := raw.(string)
		if !ok {
			return canon, defectf(DefectWrongType, "%s value in a text[] column", storageClass(raw))
		}
		if e := checkText(x); e != nil {
			return canon, e
		}
		if err := json.Unmarshal([]byte(x), &v.arr); err != nil || v.arr == nil {
			return canon, defectf(DefectWrongType, "%s is not a one-dimensional text array (from 1)", excerpt(x))
		}
		for k, el := range v.arr {
			if el == nil {
				continue
			}
			if e := checkText(*el); e != nil {
				e.reason = fmt.Sprintf("element %d: %s", k+1, e.reason)
				return canon, e
			}
		}
		return appendArrayText(canon, v.arr), nil
	}
	return canon, defectf(DefectWrongType, "unsupported target type %s", c.typ)
}

// appendArrayText appends a text[] as Postgres's array_out prints it (the
// canonical text the checksum compares): an element is double-quoted, with
// '"' and '\\' escaped, when it is empty, is NULL in any case, or holds a
// brace, a comma, a quote, a backslash or white space.
func appendArrayText(dst []byte, elems []*string) []byte {
	dst = append(dst, '{')
	for i, el := range elems {
		if i > 0 {
			dst = append(dst, ',')
		}
		if el == nil {
			dst = append(dst, "NULL"...)
			continue
		}
		s := *el
		if s != "" && !strings.EqualFold(s, "NULL") && !strings.ContainsAny(s, "{},\"\\ \t\n\r\v\f") {
			dst = append(dst, s...)
			continue
		}
		dst = append(dst, '"')
		for k := 0; k < len(s); k++ {
			if s[k] == '"' || s[k] == '\\' {
				dst = append(dst, '\\')
			}
			dst = append(dst, s[k])
		}
		dst = append(dst, '"')
	}
	return append(dst, '}')
}

// appendArrayBinary appends a text[] field in array_recv's form: the
// dimensions (none when empty, else one from 1), a has-NULL flag, the
// element type (text), then each element.
func appendArrayBinary(buf []byte, elems []*string) []byte {
	const textOID = 25
	size, hasNull := 12, uint32(0)
	if len(elems) > 0 {
		size += 8
	}
	for _, el := range elems {
		size += 4
		if el == nil {
			hasNull = 1
		} else {
			size += len(*el)
		}
	}
	buf = binary.BigEndian.AppendUint32(buf, uint32(size))
	if len(elems) == 0 {
		buf = binary.BigEndian.AppendUint32(buf, 0)
	} else {
		buf = binary.BigEndian.AppendUint32(buf, 1)
	}
	buf = binary.BigEndian.AppendUint32(buf, hasNull)
	buf = binary.BigEndian.AppendUint32(buf, textOID)
	if len(elems) > 0 {
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(elems)))
		buf = binary.BigEndian.AppendUint32(buf, 1)
	}
	for _, el := range elems {
		if el == nil {
			buf = binary.BigEndian.AppendUint32(buf, math.MaxUint32)
			continue
		}
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(*el)))
		buf = append(buf, *el...)
	}
	return buf
}

// pgEpochMicros is 2000-01-01 (Postgres's epoch) in µs since 1970.
const pgEpochMicros = 946684800 * 1_000_000

func appendHex64(dst []byte, v uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], v)
	return hex.AppendEncode(dst, b[:])
}

// appendBinary appends v as a field of a binary COPY: its length (-1 for
// NULL), then the type's binary input form. Enum and jsonb fields are text
// (jsonb behind a version byte 1), so Postgres parses and checks them.
func (c *colPlan) appendBinary(buf []byte, v *convVal) []byte {
	if v.null {
		return binary.BigEndian.AppendUint32(buf, math.MaxUint32)
	}
	switch c.kind {
	case kText, kEnum:
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(v.s)))
		return append(buf, v.s...)
	case kJSONB:
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(v.s)+1))
		return append(append(buf, 1), v.s...)
	case kBool:
		return append(binary.BigEndian.AppendUint32(buf, 1), byte(v.i))
	case kInt16:
		return binary.BigEndian.AppendUint16(binary.BigEndian.AppendUint32(buf, 2), uint16(v.i))
	case kInt32:
		return binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(buf, 4), uint32(v.i))
	case kInt64:
		return binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint32(buf, 8), uint64(v.i))
	case kFloat64:
		return binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint32(buf, 8), math.Float64bits(v.f))
	case kTimestamptz:
		return binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint32(buf, 8), uint64(v.i-pgEpochMicros))
	case kBytea:
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(v.b)))
		return append(buf, v.b...)
	case kTextArray:
		return appendArrayBinary(buf, v.arr)
	}
	panic(fmt.Sprintf("importer: no binary encoding for %s", c.typ)) // kindOf admits no other kind
}

// checkValue returns v for CHECK evaluation (see check.go).
func (c *colPlan) checkValue(v *convVal) cval {
	if v.null {
		return cval{null: true}
	}
	switch c.kind {
	case kText, kEnum:
		return cval{s: v.s}
	case kBool:
		return cval{b: v.i == 1}
	case kFloat64:
		return cval{f: v.f}
	}
	return cval{i: v.i}
}

// truncateRunes shortens s to at most n runes, marking the cut with "…".
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for k := 0; k < n-1; k++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i] + "…"
}

// maxExcerpt is the longest excerpt of a value in a Defect, in characters.
const maxExcerpt = 40

// excerpt renders a legacy value for a report: printable, escaped where
// needed, at most maxExcerpt characters.
func excerpt(raw any) string {
	switch x := raw.(type) {
	case nil:
		return "NULL"
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return truncateRunes(strconv.FormatFloat(x, 'g', -1, 64), maxExcerpt)
	case []byte:
		n := min(len(x), (maxExcerpt-4)/2)
		s := "x'" + hex.EncodeToString(x[:n])
		if n < len(x) {
			return s + "…"
		}
		return s + "'"
	case string:
		return escapeExcerpt(x)
	}
	return truncateRunes(fmt.Sprint(raw), maxExcerpt)
}

// escapeExcerpt escapes non-printable characters and invalid bytes the way
// Go quotes strings (\x00, \n, \u200b) and cuts the result at maxExcerpt
// characters.
func escapeExcerpt(s string) string {
	var b strings.Builder
	count := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		var piece string
		switch {
		case r == utf8.RuneError && size == 1:
			piece = fmt.Sprintf(`\x%02x`, s[i])
		case strconv.IsPrint(r) && r != '\\':
			piece = s[i : i+size]
		default:
			q := strconv.QuoteRune(r)
			piece = q[1 : len(q)-1]
		}
		n := utf8.RuneCountInString(piece)
		if count+n > maxExcerpt-1 && i+size < len(s) || count+n > maxExcerpt {
			b.WriteString("…")
			return b.String()
		}
		b.WriteString(piece)
		count += n
		i += size
	}
	return b.String()
}

// legacyJSON renders a row's legacy values as a JSON object in column order:
// integers and reals as numbers, valid text as strings, text that is not
// valid UTF-8 as {"text_base64": …}, blobs as {"blob_base64": …}, NULL as
// null. Nothing is lost: the row can be rebuilt from it.
func legacyJSON(cols []string, raw []driver.Value) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, name := range cols {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(jsonQuote(name))
		b.WriteByte(':')
		switch x := raw[i].(type) {
		case nil:
			b.WriteString("null")
		case int64:
			b.WriteString(strconv.FormatInt(x, 10))
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				b.Write(jsonQuote(strconv.FormatFloat(x, 'g', -1, 64)))
			} else {
				b.WriteString(strconv.FormatFloat(x, 'g', -1, 64))
			}
		case string:
			if utf8.ValidString(x) {
				b.Write(jsonQuote(x))
			} else {
				b.WriteString(`{"text_base64":`)
				b.Write(jsonQuote(base64Std(x)))
				b.WriteByte('}')
			}
		case []byte:
			b.WriteString(`{"blob_base64":`)
			b.Write(jsonQuote(base64Std(string(x))))
			b.WriteByte('}')
		}
	}
	b.WriteByte('}')
	return b.Bytes()
}
