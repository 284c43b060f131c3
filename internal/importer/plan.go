package importer

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/deploystack/stackdb/plugin"
)

// tablePlan is how one legacy table is loaded.
type tablePlan struct {
	legacy   string
	target   string // target table name
	schema   string // target schema
	pluginID string // set for plugin tables
	ident    pgx.Identifier

	legacyCols []string   // the legacy columns selected, in order (raw values)
	cols       []*colPlan // cols[i] converts raw value i (legacyCols[i])
	pkIdx      []int      // indexes into the raw values of the legacy primary key
	selectSQL  string
	total      int64

	checks  []*checkConstraint
	uniques []*uniqueIndex
	fks     []*fkPlan

	pluginCols []plugin.Column // plugin tables: the definition created
	// pluginTimeUnit is how the source hands over the plugin table's
	// timestamptz columns: epoch seconds (SQLite), ISO-8601 text (Postgres).
	pluginTimeUnit TimeUnit
	mapping        *TableMapping // core tables
	dayChecks      []dayCheck    // legacy columns not copied but checked (ColumnMapping.DayOf)

	freeze bool // created or truncated in the import's transaction: COPY FREEZE
	// partitioned: the target is time-partitioned: the partitions of days
	// (the UTC days of the legacy rows, read before the load) are created
	// before the COPY, which goes without FREEZE into the parent; rows that
	// still land in the DEFAULT partition are split out after it
	// (partition.SplitDefault).
	partitioned bool
	days        []time.Time
	accepted    int64  // rows sent to COPY
	sum         uint64 // their checksum (verify.go)
}

// displayTarget names the target table in reports.
func (t *tablePlan) displayTarget() string {
	if t.pluginID != "" {
		return t.schema + "." + t.target
	}
	return t.target
}

// dayCheck checks a legacy column that the target generates: raw value
// raw must be the UTC day of the converted timestamp in column ts.
type dayCheck struct {
	raw    int    // index into the raw values (past the copied columns)
	legacy string // the legacy column
	ts     int    // plan column index of the timestamp
	target string // the generated target column, for messages
}

// uniqueIndex is a unique index of the target, checked in Go. Its set holds
// the keys of the rows accepted so far; it is also the parent key set of
// the foreign keys that reference it.
type uniqueIndex struct {
	name             string
	table            *tablePlan
	cols             []int // plan column indexes, in index order
	nullsNotDistinct bool
	track            bool // false: SQLite guarantees uniqueness (rowid alias) and nothing references it
	referenced       bool
	stricter         bool   // the legacy table has no such unique key: stackdb is stricter than DeployStack
	why              string // then: why stackdb has it (deploystack.StricterThanDeployStack), if listed
	// legacyKey, when set, are the columns (plan indexes) of a unique
	// index of the legacy table within cols: when they hold only TEXT
	// and convert as they are, SQLite guarantees the key unique
	// (untracked).
	legacyKey []int
	set       *keySet
	rejected  *keySet // keys of rejected rows, for the orphans' reason
}

type fkPlan struct {
	name   string
	cols   []int // child plan column indexes, in the order of parent.cols
	parent *uniqueIndex
}

// legacyPlan is what the legacy file holds, checked against the mapping
// before anything is written.
type legacyPlan struct {
	core    []*tablePlan // mapped tables, in mapping order (no target info yet)
	plugins []*tablePlan
	skipped []SkippedTable
	// unimported are the target's application tables the source has no
	// rows for (see unimportedTables), which must be empty too.
	unimported []string
}

// planLegacy classifies every table of the legacy file: mapped, skipped
// (reported), a plugin's (listed in __plugin_migrations), or unknown (an
// error). All problems are reported together.
func planLegacy(l *legacyDB) (*legacyPlan, error) {
	var problems []string
	p := &legacyPlan{unimported: unimportedTables()}
	tables := mapping()
	mapped := map[string]*TableMapping{}
	for i := range tables {
		mapped[tables[i].Legacy] = &tables[i]
	}
	for _, m := range tables {
		if _, ok := l.tables[m.Legacy]; !ok {
			problems = append(problems, fmt.Sprintf("legacy table %q is missing", m.Legacy))
		}
	}
	for _, name := range l.names {
		t := l.tables[name]
		if m, ok := mapped[name]; ok {
			tp, errs := planMappedLegacy(t, m)
			problems = append(problems, errs...)
			if tp != nil {
				p.core = append(p.core, tp)
			}
			continue
		}
		if reason, ok := skippedTables[name]; ok {
			p.skipped = append(p.skipped, SkippedTable{Table: name, Reason: reason})
			continue
		}
		if strings.HasPrefix(name, "sqlite_") { // reserved for SQLite itself
			p.skipped = append(p.skipped, SkippedTable{Table: name, Reason: "SQLite's internal bookkeeping"})
			continue
		}
		if pt, ok := l.pluginTables[name]; ok {
			if _, err := plugin.Ident(pt.id, pt.table); err != nil {
				problems = append(problems, fmt.Sprintf("plugin table %q (plugin %q, table %q in __plugin_migrations): %v", name, pt.id, pt.table, err))
				continue
			}
			tp, errs := planPluginLegacy(t, pt.id, pt.table, pluginType)
			problems = append(problems, errs...)
			if tp != nil {
				p.plugins = append(p.plugins, tp)
			}
			continue
		}
		problems = append(problems, fmt.Sprintf("unknown legacy table %q: it is not a DeployStack table and __plugin_migrations does not list it as a plugin's", name))
	}
	for _, v := range l.views {
		p.skipped = append(p.skipped, SkippedTable{Table: v, Reason: "a view: derived from other tables, nothing to import"})
	}
	// Keep core tables in mapping order.
	slices.SortStableFunc(p.core, func(a, b *tablePlan) int {
		return slices.IndexFunc(tables, func(m TableMapping) bool { return m.Legacy == a.legacy }) -
			slices.IndexFunc(tables, func(m TableMapping) bool { return m.Legacy == b.legacy })
	})
	if len(problems) > 0 {
		return nil, fmt.Errorf("%w: %s:\n  - %s", ErrSource, l.path, strings.Join(problems, "\n  - "))
	}
	return p, nil
}

func selectSQL(t *legacyTable, cols []string, withRowid bool) string {
	var b strings.Builder
	b.WriteString("SELECT ")
	for i, c := range cols {
		if i > 0 {
			b.WriteString(", ")
		}
		// The unary + strips the declared type from the result column, so
		// the driver hands over SQLite's values as stored (it would turn
		// "timestamp" or "boolean" columns into time.Time and bool).
		b.WriteString("+" + quoteSQLite(c))
	}
	if withRowid {
		b.WriteString(", rowid")
	}
	b.WriteString(" FROM " + quoteSQLite(t.name))
	if !t.withoutRowid {
		b.WriteString(" ORDER BY rowid")
	}
	return b.String()
}

// pkIndexes returns the positions of the legacy primary key among cols, or
// the extra rowid slot when there is none.
func pkIndexes(t *legacyTable, cols []string) (idx []int, withRowid bool) {
	var pk []legacyCol
	for _, c := range t.cols {
		if c.pk > 0 {
			pk = append(pk, c)
		}
	}
	slices.SortFunc(pk, func(a, b legacyCol) int { return a.pk - b.pk })
	for _, c := range pk {
		if i := slices.Index(cols, c.name); i >= 0 {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 && !t.withoutRowid {
		return []int{len(cols)}, true
	}
	return idx, false
}

func planMappedLegacy(t *legacyTable, m *TableMapping) (*tablePlan, []string) {
	var problems []string
	tp := &tablePlan{legacy: t.name, target: m.Target, mapping: m}
	seen := map[string]bool{}
	var derived []string
	for _, c := range m.Columns {
		seen[c.Legacy] = true
		if _, ok := t.col(c.Legacy); !ok {
			problems = append(problems, fmt.Sprintf("legacy column %s.%s is mapped but missing from the file", t.name, c.Legacy))
			continue
		}
		if c.DayOf != "" {
			derived = append(derived, c.Legacy)
			continue
		}
		tp.legacyCols = append(tp.legacyCols, c.Legacy)
	}
	// Derived columns are read after the copied ones: raw value i is
	// converted by cols[i], and the ones past len(cols) are only checked.
	tp.legacyCols = append(tp.legacyCols, derived...)
	for _, c := range t.cols {
		if !seen[c.name] {
			problems = append(problems, fmt.Sprintf("legacy column %s.%s is not mapped (add it to internal/importer/mapping.go)", t.name, c.name))
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	var withRowid bool
	tp.pkIdx, withRowid = pkIndexes(t, tp.legacyCols)
	tp.selectSQL = selectSQL(t, tp.legacyCols, withRowid)
	return tp, nil
}

// pluginType converts a legacy declared type into a plugin column type,
// following SQLite's affinity rules: INT → bigint, or timestamptz (epoch
// seconds) for *_at columns, and the rowid alias (INTEGER PRIMARY KEY) →
// identity; CHAR/CLOB/TEXT → text; BLOB → bytea; REAL/FLOA/DOUB → double
// precision; BOOL… → boolean (0/1 rule); JSON → jsonb. Other declared types
// (none, NUMERIC, DATE, …) are refused at the start.
func pluginType(t *legacyTable, c legacyCol) (plugin.Type, bool) {
	d := strings.ToUpper(c.declType)
	switch {
	case t.rowidAlias(c.name):
		return plugin.Identity, true
	case strings.Contains(d, "INT"):
		if strings.HasSuffix(c.name, "_at") {
			return plugin.Timestamptz, true
		}
		return plugin.BigInt, true
	case strings.Contains(d, "CHAR"), strings.Contains(d, "CLOB"), strings.Contains(d, "TEXT"):
		return plugin.Text, true
	case strings.Contains(d, "BLOB"):
		return plugin.Bytea, true
	case strings.Contains(d, "REAL"), strings.Contains(d, "FLOA"), strings.Contains(d, "DOUB"):
		return plugin.DoublePrecision, true
	case strings.Contains(d, "BOOL"):
		return plugin.Boolean, true
	case strings.Contains(d, "JSON"):
		return plugin.JSONB, true
	}
	return 0, false
}

var reservedColumns = []string{"tableoid", "xmin", "cmin", "xmax", "cmax", "ctid", "oid"}

func validPluginColumnName(s string) bool {
	if s == "" || len(s) > plugin.MaxIdentifierLen || s[0] < 'a' || s[0] > 'z' || slices.Contains(reservedColumns, s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// planPluginLegacy plans a plugin table; typeOf gives its column types
// (pluginType for SQLite, pgPluginType for Postgres).
func planPluginLegacy(t *legacyTable, id, table string, typeOf func(*legacyTable, legacyCol) (plugin.Type, bool)) (*tablePlan, []string) {
	var problems []string
	schema, _ := plugin.SchemaName(id)
	tp := &tablePlan{legacy: t.name, target: table, schema: schema, pluginID: id, ident: pgx.Identifier{schema, table}, pluginTimeUnit: Seconds}
	pkOrder := []string{}
	for _, c := range t.cols {
		if !validPluginColumnName(c.name) {
			problems = append(problems, fmt.Sprintf("plugin table %q: column name %q is not a valid plugin column name (lower-case letters, digits, '_')", t.name, c.name))
			continue
		}
		typ, ok := typeOf(t, c)
		if !ok {
			problems = append(problems, fmt.Sprintf("plugin table %q: column %q has declared type %q, which has no Postgres equivalent in the importer", t.name, c.name, c.declType))
			continue
		}
		tp.pluginCols = append(tp.pluginCols, plugin.Column{Name: c.name, Type: typ, NotNull: c.notNull, PrimaryKey: c.pk > 0})
		tp.legacyCols = append(tp.legacyCols, c.name)
		if c.pk > 0 {
			pkOrder = append(pkOrder, c.name)
		}
	}
	var legacyPK []legacyCol
	for _, c := range t.cols {
		if c.pk > 0 {
			legacyPK = append(legacyPK, c)
		}
	}
	slices.SortFunc(legacyPK, func(a, b legacyCol) int { return a.pk - b.pk })
	for i, c := range legacyPK {
		if i < len(pkOrder) && pkOrder[i] != c.name {
			problems = append(problems, fmt.Sprintf("plugin table %q: its primary key columns are not in table order, which plugin.CreateTable cannot express", t.name))
			break
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	var withRowid bool
	tp.pkIdx, withRowid = pkIndexes(t, tp.legacyCols)
	tp.selectSQL = selectSQL(t, tp.legacyCols, withRowid)
	return tp, nil
}

// bindTarget completes the plans of tables with the live target schema:
// column conversions, CHECKs, unique indexes and foreign keys, and orders
// them parents first. targets holds every table of the import by schema
// and name. All problems are reported together.
func bindTarget(ctx context.Context, tx pgx.Tx, l source, plans []*tablePlan, targets map[string]*targetTable) error {
	var problems []string
	byTarget := map[string]*tablePlan{}
	for _, tp := range plans {
		byTarget[tp.schema+"."+tp.target] = tp
	}
	for _, tp := range plans {
		tt := targets[tp.schema+"."+tp.target]
		if tt == nil {
			problems = append(problems, fmt.Sprintf("target table %s (for legacy %s) does not exist", tp.displayTarget(), tp.legacy))
			continue
		}
		tp.partitioned = tt.partitioned
		problems = append(problems, bindColumns(ctx, tx, tp, tt)...)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w:\n  - %s", ErrSchema, strings.Join(problems, "\n  - "))
	}
	for _, tp := range plans {
		problems = append(problems, bindUniques(l, tp, targets[tp.schema+"."+tp.target])...)
	}
	for _, tp := range plans {
		problems = append(problems, bindForeignKeys(tp, targets[tp.schema+"."+tp.target], byTarget)...)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w:\n  - %s", ErrSchema, strings.Join(problems, "\n  - "))
	}
	return nil
}

func bindColumns(ctx context.Context, tx pgx.Tx, tp *tablePlan, tt *targetTable) []string {
	var problems []string
	mapped := map[string]bool{}
	var colMaps []ColumnMapping
	if tp.mapping != nil {
		colMaps = tp.mapping.Columns
	} else {
		for _, c := range tp.pluginCols {
			cm := ColumnMapping{Legacy: c.Name, Target: c.Name}
			if c.Type == plugin.Timestamptz {
				cm.Unit = tp.pluginTimeUnit
			}
			colMaps = append(colMaps, cm)
		}
	}
	labelCache := map[uint32]map[string]bool{}
	var derived []ColumnMapping
	for _, cm := range colMaps {
		where := fmt.Sprintf("%s.%s → %s.%s", tp.legacy, cm.Legacy, tp.displayTarget(), cm.Target)
		tc := tt.byName[cm.Target]
		if tc == nil {
			problems = append(problems, where+": the target column does not exist")
			continue
		}
		if cm.DayOf != "" {
			mapped[cm.Target] = true
			if !tc.generated || tc.format != "date" {
				problems = append(problems, fmt.Sprintf("%s: DayOf is set, but the target is not a generated date column (%s)", where, tc.format))
			}
			derived = append(derived, cm)
			continue
		}
		if mapped[cm.Target] {
			problems = append(problems, where+": the target column is mapped twice")
			continue
		}
		mapped[cm.Target] = true
		if tc.generated {
			problems = append(problems, where+": the target column is generated and cannot be written")
			continue
		}
		k, ok := kindOf(tc)
		if !ok {
			problems = append(problems, fmt.Sprintf("%s: the target type %s is not supported by the importer", where, tc.format))
			continue
		}
		cp := &colPlan{legacy: cm.Legacy, target: cm.Target, kind: k, typ: tc.format, unit: cm.Unit, notNull: tc.notNull, nullAs: cm.NullAs}
		switch {
		case k == kTimestamptz && cm.Unit == NoUnit:
			problems = append(problems, where+": a timestamptz target needs a Unit (Seconds, Millis or ISO8601) in the mapping")
		case k != kTimestamptz && cm.Unit != NoUnit:
			problems = append(problems, fmt.Sprintf("%s: Unit %s is set but the target is %s, not timestamptz", where, cm.Unit, tc.format))
		}
		if cm.NullAs != "" {
			if k != kJSONB || !json.Valid([]byte(cm.NullAs)) {
				problems = append(problems, where+": NullAs is only for jsonb targets and must be valid JSON")
			}
		}
		if k == kEnum {
			if labelCache[tc.typOID] == nil {
				labels, err := enumLabels(ctx, tx, tc.typOID)
				if err != nil {
					problems = append(problems, fmt.Sprintf("%s: read labels of enum %s: %v", where, tc.typName, err))
					continue
				}
				labelCache[tc.typOID] = map[string]bool{}
				for _, lb := range labels {
					labelCache[tc.typOID][lb] = true
				}
			}
			cp.labels, cp.enum = labelCache[tc.typOID], tc.typName
		}
		tp.cols = append(tp.cols, cp)
	}
	for _, cm := range derived {
		i := slices.IndexFunc(tp.cols, func(c *colPlan) bool { return c.legacy == cm.DayOf })
		if i < 0 || tp.cols[i].kind != kTimestamptz {
			problems = append(problems, fmt.Sprintf("%s.%s: DayOf names %s, which is not a timestamptz column of the import", tp.legacy, cm.Legacy, cm.DayOf))
			continue
		}
		tp.dayChecks = append(tp.dayChecks, dayCheck{raw: slices.Index(tp.legacyCols, cm.Legacy), legacy: cm.Legacy, ts: i, target: cm.Target})
	}
	for _, tc := range tt.cols {
		if tc.notNull && !tc.hasDefault && !tc.identity && !tc.generated && !mapped[tc.name] {
			problems = append(problems, fmt.Sprintf("target column %s.%s is NOT NULL without a default, and no legacy column is mapped to it", tp.displayTarget(), tc.name))
		}
	}
	return problems
}

func (tp *tablePlan) colIndex(target string) int {
	return slices.IndexFunc(tp.cols, func(c *colPlan) bool { return c.target == target })
}

// bindUniques parses the CHECK constraints and unique indexes of a table.
func bindUniques(l source, tp *tablePlan, tt *targetTable) []string {
	var problems []string
	resolve := func(name string) (int, checkType, bool) {
		i := tp.colIndex(name)
		if i < 0 {
			return 0, 0, false
		}
		return i, tp.cols[i].kind.checkType(), true
	}
	for _, c := range tt.checks {
		if !slices.ContainsFunc(c.cols, func(name string) bool { return tp.colIndex(name) >= 0 }) {
			// Only columns the legacy layout lacks (stackdb's or the
			// newer Postgres model's): every row gets their defaults,
			// which Postgres checks itself; no legacy value is involved.
			continue
		}
		cc, err := parseCheck(c.name, c.def, resolve)
		if err != nil {
			problems = append(problems, fmt.Sprintf("CHECK constraint %s on %s (%s) cannot be evaluated before loading: %v", c.name, tp.displayTarget(), c.def, err))
			continue
		}
		tp.checks = append(tp.checks, cc)
	}
	lt := l.table(tp.legacy)
	for _, u := range tt.uniques {
		if u.partial || u.expression {
			problems = append(problems, fmt.Sprintf("unique index %s on %s has a WHERE clause or an expression; the importer cannot check it before loading", u.name, tp.displayTarget()))
			continue
		}
		if !slices.ContainsFunc(u.cols, func(name string) bool { return tp.colIndex(name) >= 0 }) {
			// Only columns the legacy layout lacks (satellites.api_key_prefix):
			// their default in every row, which Postgres checks when it
			// builds the index.
			continue
		}
		ui := &uniqueIndex{name: u.name, table: tp, nullsNotDistinct: u.nullsNotDistinct, track: true}
		for _, c := range u.cols {
			i := tp.colIndex(c)
			if i < 0 {
				problems = append(problems, fmt.Sprintf("unique index %s on %s covers column %s, which is not imported", u.name, tp.displayTarget(), c))
				break
			}
			ui.cols = append(ui.cols, i)
		}
		if len(ui.cols) != len(u.cols) {
			continue
		}
		if lt != nil {
			legacyCols := make([]string, len(ui.cols))
			for k, i := range ui.cols {
				legacyCols[k] = tp.cols[i].legacy
			}
			ui.stricter = !lt.hasUnique(legacyCols)
		}
		if ui.stricter {
			ui.why = stricterReason(tp.target, u.cols)
		}
		if lt != nil {
			ui.legacyKey = legacyKeyWithin(tp, lt, ui.cols)
		}
		if len(ui.cols) == 1 && lt != nil && lt.rowidAlias(tp.cols[ui.cols[0]].legacy) && tp.cols[ui.cols[0]].kind == kInt64 {
			ui.track = false // SQLite's rowid: unique and integer by construction
		}
		tp.uniques = append(tp.uniques, ui)
	}
	return problems
}

// legacyKeyWithin returns the columns of the first unique index of lt
// whose columns are all among cols (plan column indexes), or nil.
func legacyKeyWithin(tp *tablePlan, lt *legacyTable, cols []int) []int {
	for _, u := range lt.uniques {
		var key []int
		for _, name := range u {
			i := slices.IndexFunc(cols, func(i int) bool { return tp.cols[i].legacy == name })
			if i < 0 {
				key = nil
				break
			}
			key = append(key, cols[i])
		}
		if key != nil {
			return key
		}
	}
	return nil
}

// bindForeignKeys resolves each foreign key to the unique index of its
// parent whose key set it is checked against.
func bindForeignKeys(tp *tablePlan, tt *targetTable, byTarget map[string]*tablePlan) []string {
	var problems []string
	for _, fk := range tt.fks {
		if !slices.ContainsFunc(fk.cols, func(name string) bool { return tp.colIndex(name) >= 0 }) {
			continue // columns the legacy layout lacks: their default in every row, which Postgres checks when it adds the key back
		}
		parent := byTarget[fk.refSchema+"."+fk.refTable]
		if parent == nil {
			problems = append(problems, fmt.Sprintf("foreign key %s on %s references %s.%s, which is not imported", fk.name, tp.displayTarget(), fk.refSchema, fk.refTable))
			continue
		}
		if parent == tp {
			problems = append(problems, fmt.Sprintf("foreign key %s on %s references its own table, which the importer does not order", fk.name, tp.displayTarget()))
			continue
		}
		fp := &fkPlan{name: fk.name}
		for _, u := range parent.uniques {
			if len(u.cols) != len(fk.refCols) {
				continue
			}
			cols := make([]int, len(u.cols))
			ok := true
			for k, pc := range u.cols {
				j := slices.Index(fk.refCols, parent.cols[pc].target)
				if j < 0 {
					ok = false
					break
				}
				ci := tp.colIndex(fk.cols[j])
				if ci < 0 {
					ok = false
					break
				}
				cols[k] = ci
			}
			if ok {
				fp.parent, fp.cols = u, cols
				break
			}
		}
		if fp.parent == nil {
			problems = append(problems, fmt.Sprintf("foreign key %s on %s: no imported unique index of %s matches its columns", fk.name, tp.displayTarget(), parent.displayTarget()))
			continue
		}
		fp.parent.referenced, fp.parent.track = true, true
		tp.fks = append(tp.fks, fp)
	}
	return problems
}

// loadOrder sorts plans parents first (the target's foreign keys) and,
// among the tables whose parents are in, smallest first (tp.total; the
// given order among equals). Parents must come first because a row's
// references are checked against its parents' accepted keys. Smallest first
// puts the largest tables last: the small ones are loaded while the large
// ones are still being converted, instead of leaving a core idle at the
// end, and the last table's index builds run once the conversion is over,
// with every core to themselves.
func loadOrder(plans []*tablePlan) ([]*tablePlan, error) {
	done := map[*tablePlan]bool{}
	var out []*tablePlan
	for len(out) < len(plans) {
		var next *tablePlan
		for _, tp := range plans {
			if done[tp] || (next != nil && tp.total >= next.total) {
				continue
			}
			ready := true
			for _, fk := range tp.fks {
				if !done[fk.parent.table] {
					ready = false
					break
				}
			}
			if ready {
				next = tp
			}
		}
		if next == nil {
			var stuck []string
			for _, tp := range plans {
				if !done[tp] {
					stuck = append(stuck, tp.displayTarget())
				}
			}
			return nil, fmt.Errorf("%w: the foreign keys between %v form a cycle; no load order exists", ErrSchema, stuck)
		}
		done[next] = true
		out = append(out, next)
	}
	return out, nil
}
