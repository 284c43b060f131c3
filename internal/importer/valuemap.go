package importer

import (
	"fmt"
	"slices"
	"strings"

	"github.com/deploystack/stackdb/internal/config"
)

// A value mapping is the user's way forward when a legacy file holds values
// the target refuses — a status outside the real value set, say — without
// editing SQLite by hand: `--map satelliteProcesses.status=crashed:failed`
// replaces every legacy TEXT value "crashed" of that column by "failed"
// before the value is converted and checked, so the replacement must itself
// be valid. Tables and columns are named as in the legacy file; the rules
// apply to text and enum targets only, match whole values exactly (case
// included), and each reports how many values it replaced. The legacy
// values themselves are kept in Skip mode's rejected rows.

// ValueMap replaces one legacy value of one column.
type ValueMap struct {
	Table  string // legacy table (authUser, satelliteProcesses)
	Column string // legacy column
	From   string // the legacy value, matched exactly
	To     string // what is imported instead
}

func (m ValueMap) String() string { return m.Table + "." + m.Column + "=" + m.From + ":" + m.To }

// ParseValueMap parses "table.column=from:to". The table and column end at
// the first '.' and '='; from ends at the first ':', so to may hold colons
// and from may not. Either value may be empty.
func ParseValueMap(s string) (ValueMap, error) {
	where, values, ok := strings.Cut(s, "=")
	table, column, ok2 := strings.Cut(where, ".")
	from, to, ok3 := strings.Cut(values, ":")
	if !ok || !ok2 || !ok3 || table == "" || column == "" {
		return ValueMap{}, fmt.Errorf("importer: value mapping %q: want table.column=from:to (e.g. satelliteProcesses.status=crashed:failed)", s)
	}
	return ValueMap{Table: table, Column: column, From: from, To: to}, nil
}

// MappedValues is how many values one ValueMap replaced.
type MappedValues struct {
	Map   ValueMap
	Count int64
}

// valueRule is a ValueMap bound to its column plan.
type valueRule struct {
	to    string
	count *int64 // in Report.Mapped
}

// bindValueMaps attaches the value mappings to the columns of the core
// plans and lists them in rep.Mapped. All problems are reported together.
func bindValueMaps(plans []*tablePlan, maps []ValueMap, rep *Report) error {
	rep.Mapped = make([]MappedValues, len(maps))
	var problems []string
	for i, m := range maps {
		rep.Mapped[i].Map = m
		k := slices.IndexFunc(plans, func(tp *tablePlan) bool { return tp.legacy == m.Table && tp.pluginID == "" })
		if k < 0 {
			problems = append(problems, fmt.Sprintf("%s: %q is not a DeployStack table of the legacy file", m, m.Table))
			continue
		}
		tp := plans[k]
		j := slices.IndexFunc(tp.cols, func(c *colPlan) bool { return c.legacy == m.Column })
		if j < 0 {
			problems = append(problems, fmt.Sprintf("%s: %s has no imported column %q", m, m.Table, m.Column))
			continue
		}
		c := tp.cols[j]
		if c.kind != kText && c.kind != kEnum {
			problems = append(problems, fmt.Sprintf("%s: %s.%s becomes %s; only text and enum columns take value mappings", m, m.Table, m.Column, c.typ))
			continue
		}
		if c.values == nil {
			c.values = map[string]*valueRule{}
		}
		if _, dup := c.values[m.From]; dup {
			problems = append(problems, fmt.Sprintf("%s: %s.%s=%s is mapped twice", m, m.Table, m.Column, m.From))
			continue
		}
		c.values[m.From] = &valueRule{to: m.To, count: &rep.Mapped[i].Count}
	}
	if len(problems) > 0 {
		return config.NewOptionError("importer", "Map", nil, func(name string) string {
			return fmt.Sprintf("%s:\n  - %s", name, strings.Join(problems, "\n  - "))
		})
	}
	return nil
}

// mapValue applies the column's value mappings to a raw legacy value; mapped
// is true when one replaced it.
func (c *colPlan) mapValue(raw any) (v any, mapped bool) {
	if c.values == nil {
		return raw, false
	}
	s, ok := raw.(string)
	if !ok {
		return raw, false
	}
	if r := c.values[s]; r != nil {
		*r.count++
		return r.to, true
	}
	return raw, false
}
