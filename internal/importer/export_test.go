package importer

import "fmt"

// Excerpt exposes the value excerpt to the external tests.
func Excerpt(v any) string { return excerpt(v) }

// JSONValue marks a value of a jsonb column for EvalCheck.
type JSONValue string

// EvalCheck parses a CHECK definition, as pg_get_constraintdef prints it,
// over the columns of row (int64 → bigint, string → text, bool → boolean,
// JSONValue → jsonb, nil → a NULL text, (*int64)(nil) → a NULL bigint) and evaluates it on that row.
func EvalCheck(def string, row map[string]any) (bool, error) {
	tp := &tablePlan{}
	var raw []any
	for name, v := range row {
		c := &colPlan{legacy: name, target: name, kind: kText, typ: "text"}
		switch x := v.(type) {
		case int64:
			c.kind = kInt64
		case *int64: // a NULL bigint
			c.kind, v = kInt64, nil
		case bool:
			c.kind = kBool
			v = int64(0)
			if x {
				v = int64(1)
			}
		case JSONValue:
			c.kind, v = kJSONB, string(x)
		}
		tp.cols = append(tp.cols, c)
		raw = append(raw, v)
	}
	cc, err := parseCheck("c", def, func(name string) (int, checkType, bool) {
		i := tp.colIndex(name)
		if i < 0 {
			return 0, 0, false
		}
		return i, tp.cols[i].kind.checkType(), true
	})
	if err != nil {
		return false, err
	}
	r := newRowState(tp)
	for i, c := range tp.cols {
		if _, e := c.convert(raw[i], &r.vals[i], nil, &r.json); e != nil {
			return false, fmt.Errorf("%s: %s", e.class, e.reason)
		}
	}
	return cc.holds(r), nil
}

// PGHashText exposes the Go port of hashtextextended to the external tests.
func PGHashText(s string, seed int64) int64 { return int64(pgHashText([]byte(s), uint64(seed))) }
