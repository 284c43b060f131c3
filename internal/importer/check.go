package importer

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// CHECK constraints of the target are read from the live schema
// (pg_get_constraintdef) and evaluated in Go on every converted row before
// it is sent, so a violation is a reported defect with the row's key instead
// of a failed COPY. Rather than interpret SQL, the importer recognises the
// few forms the schema's CHECKs take, in the one way pg_get_constraintdef
// prints each:
//
//	value set    (c = ANY (ARRAY['a'::text, 'b'::text]))   c text
//	             (c = 'a'::text)                            (a set of one: IN ('a') prints so)
//	JSON shape   (jsonb_typeof(c) = 'array'::text)          c jsonb
//	nullable     ((c IS NULL) OR (<one of the above on c>))
//
// Any other constraint is refused with an error naming it, and the import
// stops before loading (bindUniques); it is never skipped nor guessed at.
// TestEveryCheckOfTheSchemaIsUnderstood fails when the schema gains a form
// the evaluator lacks, and TestCheckVerdictsMatchPostgres compares the
// verdicts with Postgres's.
//
// A value set compares bytes, as text equality does under a deterministic
// collation (the schema's columns have no other). SQL's three-valued logic
// reduces to one rule here: a CHECK fails only when it is false, and every
// form above is NULL, so passes, when c is NULL. The nullable form is
// therefore the same test as its inner one.

// checkType is the type of a column as the evaluator sees it.
type checkType int

const (
	ctOther checkType = iota // no CHECK form reads these
	ctText
	ctBool
	ctInt
	ctFloat
	ctJSON
)

// cval is a column's value as a CHECK reads it (colPlan.checkValue).
type cval struct {
	null bool
	b    bool
	i    int64 // integers; the jsonKind of a jsonb value
	f    float64
	s    string
}

// checkConstraint is a recognised CHECK constraint of a target table: it
// holds when column col is NULL, one of values (a value set) or a JSON
// document of kind shape (a JSON shape).
type checkConstraint struct {
	name    string
	def     string
	columns []int // the one column it reads, as an index into the table's column plans
	// shapeCol and shapeKind are set for a JSON shape: its violations are
	// reported as DefectJSONShape on that column. shapeCol is -1 otherwise.
	shapeCol  int
	shapeKind string
	values    []string
}

// holds reports whether the row passes (the check is true or NULL).
func (c *checkConstraint) holds(r *rowState) bool {
	v := r.checkValue(c.columns[0])
	if v.null {
		return true
	}
	if c.shapeCol >= 0 {
		return jsonKind(v.i).String() == c.shapeKind
	}
	return slices.Contains(c.values, v.s)
}

// parseCheck recognises the output of pg_get_constraintdef for a CHECK
// constraint. cols resolves a column name to its plan index and type; a
// column it does not know is not imported. The error says which form the
// definition misses, or that it has none of them.
func parseCheck(name, def string, cols func(string) (int, checkType, bool)) (*checkConstraint, error) {
	body, ok := strings.CutPrefix(def, "CHECK (")
	if !ok {
		return nil, fmt.Errorf("not a CHECK constraint: %s", def)
	}
	// NOT VALID skips existing rows only, NO INHERIT only child tables:
	// either way the rows the importer inserts are checked.
	body = strings.TrimSuffix(body, " NOT VALID")
	body = strings.TrimSuffix(body, " NO INHERIT")
	body, ok = strings.CutSuffix(body, ")")
	if !ok {
		return nil, fmt.Errorf("not a CHECK constraint: %s", def)
	}
	s := &checkScanner{src: body}
	c, col, err := s.form()
	if err == nil && s.pos != len(s.src) {
		err = s.unrecognised()
	}
	if err != nil {
		return nil, err
	}
	i, typ, ok := cols(col)
	if !ok {
		return nil, fmt.Errorf("column %q is not imported, so its value is unknown", col)
	}
	want, wantName := ctText, "text"
	if c.shapeKind != "" {
		want, wantName = ctJSON, "jsonb"
	}
	if typ != want {
		return nil, fmt.Errorf("column %q is not %s, the type this form of CHECK is known for", col, wantName)
	}
	c.name, c.def, c.columns = name, def, []int{i}
	if c.shapeKind != "" {
		c.shapeCol = i
	}
	return c, nil
}

// errCheckForm says a definition is none of the recognised forms.
var errCheckForm = errors.New("not a form of CHECK the importer knows (c = ANY (ARRAY['…'::text, …]), c = '…'::text, " +
	"jsonb_typeof(c) = '<kind>'::text, each alone or after (c IS NULL) OR); teach it to internal/importer/check.go")

// checkScanner reads a CHECK body exactly as pg_get_constraintdef prints it:
// every subexpression in parentheses, single spaces, literals with casts.
type checkScanner struct {
	src string
	pos int
}

func (s *checkScanner) unrecognised() error {
	return fmt.Errorf("%w; it departs from them at %q", errCheckForm, s.src[s.pos:])
}

// lit consumes text when it comes next.
func (s *checkScanner) lit(text string) bool {
	if strings.HasPrefix(s.src[s.pos:], text) {
		s.pos += len(text)
		return true
	}
	return false
}

// form reads one of the forms and returns it with the column it tests.
func (s *checkScanner) form() (*checkConstraint, string, error) {
	start := s.pos
	if s.lit("((") {
		if col, err := s.ident(); err == nil && s.lit(" IS NULL) OR ") {
			c, inner, err := s.base()
			if err != nil {
				return nil, "", err
			}
			if inner != col {
				return nil, "", fmt.Errorf("%w; it tests %q for NULL, then %q", errCheckForm, col, inner)
			}
			if !s.lit(")") {
				return nil, "", s.unrecognised()
			}
			return c, col, nil
		}
		s.pos = start
	}
	return s.base()
}

// base reads a value set or a JSON shape.
func (s *checkScanner) base() (*checkConstraint, string, error) {
	if s.lit("(jsonb_typeof(") {
		col, err := s.ident()
		if err != nil {
			return nil, "", err
		}
		if !s.lit(") = ") {
			return nil, "", s.unrecognised()
		}
		kind, err := s.text()
		if err != nil {
			return nil, "", err
		}
		if !slices.Contains([]string{"object", "array", "string", "number", "boolean", "null"}, kind) {
			return nil, "", fmt.Errorf("jsonb_typeof never returns %q", kind)
		}
		if !s.lit(")") {
			return nil, "", s.unrecognised()
		}
		return &checkConstraint{shapeCol: -1, shapeKind: kind}, col, nil
	}
	if !s.lit("(") {
		return nil, "", s.unrecognised()
	}
	col, err := s.ident()
	if err != nil {
		return nil, "", err
	}
	c := &checkConstraint{shapeCol: -1}
	switch {
	case s.lit(" = ANY (ARRAY["):
		for {
			v, err := s.text()
			if err != nil {
				return nil, "", err
			}
			c.values = append(c.values, v)
			if !s.lit(", ") {
				break
			}
		}
		if !s.lit("]))") {
			return nil, "", s.unrecognised()
		}
	case s.lit(" = "):
		v, err := s.text()
		if err != nil {
			return nil, "", err
		}
		c.values = []string{v}
		if !s.lit(")") {
			return nil, "", s.unrecognised()
		}
	default:
		return nil, "", s.unrecognised()
	}
	return c, col, nil
}

// ident reads a column name, quoted as quote_ident quotes it when needed.
func (s *checkScanner) ident() (string, error) {
	if s.lit(`"`) {
		return s.quoted('"', "quoted identifier")
	}
	start := s.pos
	for s.pos < len(s.src) {
		c := s.src[s.pos]
		if c == '_' || c >= 'a' && c <= 'z' || s.pos > start && (c >= '0' && c <= '9' || c == '$') {
			s.pos++
			continue
		}
		break
	}
	if s.pos == start {
		return "", s.unrecognised()
	}
	return s.src[start:s.pos], nil
}

// quoted reads the rest of a quoted identifier or literal, opened by q, in
// which a doubled q stands for itself.
func (s *checkScanner) quoted(q byte, what string) (string, error) {
	var b strings.Builder
	for {
		i := strings.IndexByte(s.src[s.pos:], q)
		if i < 0 {
			return "", fmt.Errorf("unterminated %s", what)
		}
		b.WriteString(s.src[s.pos : s.pos+i])
		s.pos += i + 1
		if s.pos == len(s.src) || s.src[s.pos] != q {
			return b.String(), nil
		}
		b.WriteByte(q)
		s.pos++
	}
}

// text reads a string literal cast to text, such as 'a b'::text.
func (s *checkScanner) text() (string, error) {
	if !s.lit("'") {
		return "", s.unrecognised()
	}
	v, err := s.quoted('\'', "string literal")
	if err != nil {
		return "", err
	}
	if strings.Contains(v, `\`) {
		// Printed doubled or not depending on the session's
		// standard_conforming_strings: ambiguous, and the schema has none.
		return "", fmt.Errorf("string literal %q holds a backslash", v)
	}
	if !s.lit("::text") {
		return "", s.unrecognised()
	}
	return v, nil
}
