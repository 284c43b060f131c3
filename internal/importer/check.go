package importer

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// CHECK constraints of the target are read from the live schema
// (pg_get_constraintdef) and evaluated in Go on every converted row before
// it is sent, so a violation is a reported defect instead of a failed COPY.
// The evaluator understands the small language the schema uses — AND, OR,
// NOT, parentheses, IS [NOT] NULL, comparisons of a column with a literal,
// "= ANY (ARRAY[...])", jsonb_typeof(column) and casts (which it ignores) —
// with SQL's three-valued logic: a check fails only when it is false, not
// when it is NULL. A constraint outside that language stops the import at
// the start with an error naming it; it is never skipped.

type checkType int

const (
	ctUnknown checkType = iota // a NULL literal
	ctBool
	ctInt
	ctFloat
	ctText
	ctJSON
	ctTextArray
	ctOther // timestamps, bytea: only IS [NOT] NULL is supported
)

// cval is a value during evaluation.
type cval struct {
	null bool
	b    bool
	i    int64
	f    float64
	s    string
	arr  []cval
}

type cnode struct {
	typ  checkType
	eval func(r *rowState) cval
	lit  bool // a constant: eval ignores the row
}

// checkConstraint is a parsed CHECK constraint of a target table.
type checkConstraint struct {
	name    string
	def     string
	columns []int // indexes into the table's column plans that it reads
	// shape is set for the JSON-shape checks ("col IS NULL OR
	// jsonb_typeof(col) = 'array'"): their violations are reported as
	// DefectJSONShape on that column.
	shapeCol  int
	shapeKind string
	root      cnode
}

// holds reports whether the row passes (true or NULL).
func (c *checkConstraint) holds(r *rowState) bool {
	v := c.root.eval(r)
	return v.null || v.b
}

type checkToken struct {
	kind byte // 'i' identifier, 'q' quoted identifier, 's' string, 'n' number, 'o' operator/punct
	text string
}

func tokenizeCheck(s string) ([]checkToken, error) {
	var toks []checkToken
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			i++
		case c == '\'':
			var b strings.Builder
			j := i + 1
			for {
				if j >= len(s) {
					return nil, fmt.Errorf("unterminated string literal")
				}
				if s[j] == '\'' {
					if j+1 < len(s) && s[j+1] == '\'' {
						b.WriteByte('\'')
						j += 2
						continue
					}
					break
				}
				b.WriteByte(s[j])
				j++
			}
			toks = append(toks, checkToken{'s', b.String()})
			i = j + 1
		case c == '"':
			j := strings.IndexByte(s[i+1:], '"')
			if j < 0 {
				return nil, fmt.Errorf("unterminated quoted identifier")
			}
			toks = append(toks, checkToken{'q', s[i+1 : i+1+j]})
			i += j + 2
		case c >= '0' && c <= '9':
			j := i
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
				j++
			}
			toks = append(toks, checkToken{'n', s[i:j]})
			i = j
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j := i
			for j < len(s) && (s[j] == '_' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= '0' && s[j] <= '9') {
				j++
			}
			toks = append(toks, checkToken{'i', s[i:j]})
			i = j
		default:
			for _, op := range []string{"::", "<>", "!=", "<=", ">=", "=", "<", ">", "(", ")", "[", "]", ",", "-"} {
				if strings.HasPrefix(s[i:], op) {
					toks = append(toks, checkToken{'o', op})
					i += len(op)
					goto next
				}
			}
			return nil, fmt.Errorf("unexpected character %q", c)
		next:
		}
	}
	return toks, nil
}

type checkParser struct {
	toks []checkToken
	pos  int
	cols func(name string) (int, checkType, bool)
	used map[int]bool
}

func (p *checkParser) peek() checkToken {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return checkToken{}
}

func (p *checkParser) keyword(kw string) bool {
	t := p.peek()
	if t.kind == 'i' && strings.EqualFold(t.text, kw) {
		p.pos++
		return true
	}
	return false
}

func (p *checkParser) op(op string) bool {
	t := p.peek()
	if t.kind == 'o' && t.text == op {
		p.pos++
		return true
	}
	return false
}

func (p *checkParser) expect(op string) error {
	if !p.op(op) {
		return fmt.Errorf("expected %q at token %d", op, p.pos)
	}
	return nil
}

// parseCheck parses the output of pg_get_constraintdef for a CHECK
// constraint. cols resolves a column name to its plan index and type.
func parseCheck(name, def string, cols func(string) (int, checkType, bool)) (*checkConstraint, error) {
	body := strings.TrimSpace(def)
	body = strings.TrimSuffix(body, " NOT VALID")
	rest, ok := strings.CutPrefix(body, "CHECK ")
	if !ok {
		return nil, fmt.Errorf("not a CHECK constraint: %s", def)
	}
	rest = strings.TrimSuffix(strings.TrimSpace(rest), " NO INHERIT")
	toks, err := tokenizeCheck(rest)
	if err != nil {
		return nil, err
	}
	p := &checkParser{toks: toks, cols: cols, used: map[int]bool{}}
	root, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.pos != len(p.toks) {
		return nil, fmt.Errorf("unexpected %q", p.toks[p.pos].text)
	}
	if root.typ != ctBool {
		return nil, fmt.Errorf("expression is not boolean")
	}
	c := &checkConstraint{name: name, def: def, root: root, shapeCol: -1}
	for i := range p.used {
		c.columns = append(c.columns, i)
	}
	slices.Sort(c.columns)
	c.shapeCol, c.shapeKind = jsonShape(rest, cols)
	return c, nil
}

// jsonShape recognises the two forms in which pg_get_constraintdef prints
// a JSON-shape check, "jsonb_typeof(c) = 'array'" and "c IS NULL OR
// jsonb_typeof(c) = 'object'", and returns the column and the kind.
func jsonShape(body string, cols func(string) (int, checkType, bool)) (int, string) {
	for _, kind := range []string{"array", "object"} {
		name := ""
		if rest, ok := strings.CutPrefix(body, "((jsonb_typeof("); ok {
			name, _ = strings.CutSuffix(rest, ") = '"+kind+"'::text))")
			if name == rest {
				name = ""
			}
		} else if rest, ok := strings.CutPrefix(body, "((("); ok {
			if i := strings.Index(rest, " IS NULL) OR (jsonb_typeof("); i > 0 &&
				body == "((("+rest[:i]+" IS NULL) OR (jsonb_typeof("+rest[:i]+") = '"+kind+"'::text)))" {
				name = rest[:i]
			}
		}
		if name == "" {
			continue
		}
		if i, t, ok := cols(strings.Trim(name, `"`)); ok && t == ctJSON {
			return i, kind
		}
	}
	return -1, ""
}

func (p *checkParser) or() (cnode, error) { return p.logical("OR", true, p.and) }

func (p *checkParser) and() (cnode, error) { return p.logical("AND", false, p.not) }

// logical parses operands joined by keyword (OR or AND) with SQL's
// three-valued logic: an operand equal to dominant (true for OR, false for
// AND) decides, otherwise any NULL makes the result NULL.
func (p *checkParser) logical(keyword string, dominant bool, operand func() (cnode, error)) (cnode, error) {
	left, err := operand()
	if err != nil {
		return left, err
	}
	for p.keyword(keyword) {
		right, err := operand()
		if err != nil {
			return right, err
		}
		if left.typ != ctBool || right.typ != ctBool {
			return left, fmt.Errorf("%s of non-boolean operands", keyword)
		}
		l, r := left.eval, right.eval
		left = cnode{typ: ctBool, eval: func(row *rowState) cval {
			a, b := l(row), r(row)
			switch {
			case (!a.null && a.b == dominant) || (!b.null && b.b == dominant):
				return cval{b: dominant}
			case a.null || b.null:
				return cval{null: true}
			}
			return cval{b: !dominant}
		}}
	}
	return left, nil
}

func (p *checkParser) not() (cnode, error) {
	if p.keyword("NOT") {
		inner, err := p.not()
		if err != nil {
			return inner, err
		}
		if inner.typ != ctBool {
			return inner, fmt.Errorf("NOT of a non-boolean operand")
		}
		f := inner.eval
		return cnode{typ: ctBool, eval: func(row *rowState) cval {
			v := f(row)
			return cval{null: v.null, b: !v.b}
		}}, nil
	}
	return p.comparison()
}

func comparable(a, b checkType) bool {
	num := func(t checkType) bool { return t == ctInt || t == ctFloat }
	if a == ctOther || b == ctOther {
		return false
	}
	return a == b || a == ctUnknown || b == ctUnknown || (num(a) && num(b))
}

func (p *checkParser) comparison() (cnode, error) {
	left, err := p.postfix()
	if err != nil {
		return left, err
	}
	if p.keyword("IS") {
		negate := p.keyword("NOT")
		if !p.keyword("NULL") {
			return left, fmt.Errorf("only IS [NOT] NULL is supported")
		}
		f := left.eval
		return cnode{typ: ctBool, eval: func(row *rowState) cval { return cval{b: f(row).null != negate} }}, nil
	}
	t := p.peek()
	if t.kind != 'o' {
		return left, nil
	}
	switch t.text {
	case "=", "<>", "!=", "<", "<=", ">", ">=":
	default:
		return left, nil
	}
	p.pos++
	if t.text == "=" && p.keyword("ANY") {
		if err := p.expect("("); err != nil {
			return left, err
		}
		arr, err := p.or()
		if err != nil {
			return left, err
		}
		if err := p.expect(")"); err != nil {
			return left, err
		}
		if arr.typ != ctTextArray || (left.typ != ctText && left.typ != ctUnknown) {
			return left, fmt.Errorf("= ANY is supported for text and text arrays only")
		}
		l, a := left.eval, arr.eval
		return cnode{typ: ctBool, eval: func(row *rowState) cval {
			v := l(row)
			if v.null {
				return cval{null: true}
			}
			sawNull := false
			for _, e := range a(row).arr {
				if e.null {
					sawNull = true
				} else if e.s == v.s {
					return cval{b: true}
				}
			}
			return cval{null: sawNull}
		}}, nil
	}
	right, err := p.postfix()
	if err != nil {
		return right, err
	}
	if !comparable(left.typ, right.typ) || left.typ == ctJSON || left.typ == ctTextArray || right.typ == ctJSON || right.typ == ctTextArray {
		return left, fmt.Errorf("cannot compare these operands")
	}
	if (left.typ == ctText || right.typ == ctText) && t.text != "=" && t.text != "<>" && t.text != "!=" {
		// Text orders by collation and enums by declaration order, not by
		// bytes: only equality means the same in Go.
		return left, fmt.Errorf("ordering comparison %s of text or enum values is not supported", t.text)
	}
	l, r, op := left.eval, right.eval, t.text
	return cnode{typ: ctBool, eval: func(row *rowState) cval {
		a, b := l(row), r(row)
		if a.null || b.null {
			return cval{null: true}
		}
		var c int
		switch {
		case left.typ == ctText || right.typ == ctText:
			c = strings.Compare(a.s, b.s)
		case left.typ == ctBool || right.typ == ctBool:
			c = boolInt(a.b) - boolInt(b.b)
		case left.typ == ctFloat || right.typ == ctFloat:
			af, bf := a.f, b.f
			if left.typ == ctInt {
				af = float64(a.i)
			}
			if right.typ == ctInt {
				bf = float64(b.i)
			}
			c = cmpFloat(af, bf)
		default:
			c = cmpInt(a.i, b.i)
		}
		var ok bool
		switch op {
		case "=":
			ok = c == 0
		case "<>", "!=":
			ok = c != 0
		case "<":
			ok = c < 0
		case "<=":
			ok = c <= 0
		case ">":
			ok = c > 0
		case ">=":
			ok = c >= 0
		}
		return cval{b: ok}
	}}, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// postfix parses a primary followed by any number of casts, which are
// ignored: the schema casts literals to the type of the column they are
// compared with (text, an enum), which changes nothing in Go.
func (p *checkParser) postfix() (cnode, error) {
	n, err := p.primary()
	if err != nil {
		return n, err
	}
	for p.op("::") {
		var words []string
		for p.peek().kind == 'i' || p.peek().kind == 'q' {
			words = append(words, strings.ToLower(p.toks[p.pos].text))
			p.pos++
		}
		if len(words) == 0 {
			return n, errors.New("expected a type name after the cast operator")
		}
		isArray := false
		if p.op("[") {
			if err := p.expect("]"); err != nil {
				return n, err
			}
			isArray = true
		}
		typ := strings.Join(words, " ")
		switch {
		case isArray:
			if n.typ != ctTextArray {
				return n, fmt.Errorf("unsupported cast to %s[]", typ)
			}
		case typ == "text" || typ == "character varying" || typ == "varchar":
			if n.typ != ctText && n.typ != ctUnknown {
				return n, fmt.Errorf("unsupported cast to %s", typ)
			}
		case typ == "integer" || typ == "bigint" || typ == "smallint" || typ == "numeric":
			if n.typ == ctText && n.lit {
				// Postgres prints negative constants as '-1'::integer.
				v, err := numberConst(n.eval(nil).s)
				if err != nil {
					return n, err
				}
				n = v
			}
			if n.typ != ctInt && n.typ != ctFloat {
				return n, fmt.Errorf("unsupported cast to %s", typ)
			}
		default:
			// A cast of a string literal to an enum type: compared as text.
			if n.typ != ctText {
				return n, fmt.Errorf("unsupported cast to %s", typ)
			}
		}
	}
	return n, nil
}

func (p *checkParser) primary() (cnode, error) {
	t := p.peek()
	switch {
	case t.kind == 'o' && t.text == "(":
		p.pos++
		n, err := p.or()
		if err != nil {
			return n, err
		}
		return n, p.expect(")")
	case t.kind == 'o' && t.text == "-":
		p.pos++
		if p.peek().kind != 'n' {
			return cnode{}, fmt.Errorf("expected a number after '-'")
		}
		return p.numberLit("-" + p.toks[p.pos].text)
	case t.kind == 'n':
		return p.numberLit(t.text)
	case t.kind == 's':
		p.pos++
		s := t.text
		return cnode{typ: ctText, eval: func(*rowState) cval { return cval{s: s} }, lit: true}, nil
	case t.kind == 'i' && strings.EqualFold(t.text, "NULL"):
		p.pos++
		return cnode{typ: ctUnknown, eval: func(*rowState) cval { return cval{null: true} }, lit: true}, nil
	case t.kind == 'i' && (strings.EqualFold(t.text, "true") || strings.EqualFold(t.text, "false")):
		p.pos++
		b := strings.EqualFold(t.text, "true")
		return cnode{typ: ctBool, eval: func(*rowState) cval { return cval{b: b} }, lit: true}, nil
	case t.kind == 'i' && strings.EqualFold(t.text, "ARRAY"):
		p.pos++
		if err := p.expect("["); err != nil {
			return cnode{}, err
		}
		var elems []cval
		for {
			e, err := p.postfix()
			if err != nil {
				return e, err
			}
			if e.typ != ctText && e.typ != ctUnknown {
				return e, fmt.Errorf("only arrays of text literals are supported")
			}
			elems = append(elems, e.eval(nil))
			if p.op(",") {
				continue
			}
			if err := p.expect("]"); err != nil {
				return cnode{}, err
			}
			break
		}
		return cnode{typ: ctTextArray, eval: func(*rowState) cval { return cval{arr: elems} }}, nil
	case t.kind == 'i' && t.text == "jsonb_typeof" && p.pos+1 < len(p.toks) && p.toks[p.pos+1].text == "(":
		p.pos += 2
		arg, err := p.or()
		if err != nil {
			return arg, err
		}
		if err := p.expect(")"); err != nil {
			return arg, err
		}
		if arg.typ != ctJSON {
			return arg, fmt.Errorf("jsonb_typeof of a non-jsonb operand")
		}
		f := arg.eval
		return cnode{typ: ctText, eval: func(row *rowState) cval {
			v := f(row)
			if v.null {
				return v
			}
			return cval{s: jsonKind(v.i).String()}
		}}, nil
	case t.kind == 'i' || t.kind == 'q':
		if p.pos+1 < len(p.toks) && p.toks[p.pos+1].text == "(" && t.kind == 'i' {
			return cnode{}, fmt.Errorf("unsupported function %s()", t.text)
		}
		idx, typ, ok := p.cols(t.text)
		if !ok {
			return cnode{}, fmt.Errorf("column %q is not imported, so its value is unknown", t.text)
		}
		p.pos++
		p.used[idx] = true
		return cnode{typ: typ, eval: func(row *rowState) cval { return row.checkValue(idx) }}, nil
	}
	return cnode{}, fmt.Errorf("unexpected %q", t.text)
}

func (p *checkParser) numberLit(s string) (cnode, error) {
	p.pos++
	return numberConst(s)
}

func numberConst(s string) (cnode, error) {
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return cnode{typ: ctInt, eval: func(*rowState) cval { return cval{i: i} }, lit: true}, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return cnode{}, fmt.Errorf("invalid number %q", s)
	}
	return cnode{typ: ctFloat, eval: func(*rowState) cval { return cval{f: f} }, lit: true}, nil
}
