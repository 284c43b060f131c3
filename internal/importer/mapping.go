package importer

import (
	"bufio"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/deploystack/stackdb/internal/deploystack"
	"github.com/deploystack/stackdb/internal/legacy"
)

// This file says where each legacy table and column goes. It writes no
// names of its own: the legacy tables and columns are those of the real
// SQLite layout (legacy.Schema), and each one's home in stackdb is the one
// mapping of the real model (deploystack.Tables). Conversions are not
// written here either: they follow from the type of the target column as
// the live Postgres schema reports it (see convert.go). This file adds only
// what the target type cannot tell:
//   - which legacy columns are points in time (isTime: the *_at columns and
//     a few others), and their unit: epoch seconds unless legacy.Schema
//     marks them (milliseconds, or ISO-8601 text: legacy.TimeMarks);
//   - the legacy columns that are not copied because the target derives
//     them (a generated column), with the rule that checks the legacy value
//     against what the target derives, so that nothing is lost silently.
//
// At the start of every run the mapping is checked against the legacy file
// and the live target schema, before any row moves (plan.go):
//   - every mapped legacy table and column exists in the SQLite file, and
//     every column of a mapped legacy table is mapped;
//   - every mapped target table and column exists, and is not generated;
//   - every target NOT NULL column without a default (and not an identity
//     or generated column) is mapped;
//   - a timestamptz target has a Unit, and only a timestamptz target has one;
//   - NullAs is only used on jsonb targets and is itself valid JSON.

// TimeUnit is the unit of a legacy point in time.
type TimeUnit int

// The units of legacy timestamps: INTEGER epoch seconds (drizzle's mode
// timestamp), except the columns legacy.Schema marks (timeUnit).
const (
	NoUnit  TimeUnit = iota // not a timestamp
	Seconds                 // Unix epoch seconds
	Millis                  // Unix epoch milliseconds
	ISO8601                 // ISO-8601 text, as JavaScript's Date.toISOString() writes it
)

func (u TimeUnit) String() string {
	switch u {
	case Seconds:
		return "seconds"
	case Millis:
		return "milliseconds"
	case ISO8601:
		return "ISO-8601 text"
	}
	return "none"
}

// ColumnMapping moves one legacy column into one target column.
type ColumnMapping struct {
	Legacy string   // column in the legacy table (its real name)
	Target string   // column in the target table
	Unit   TimeUnit // for timestamptz targets: the unit of the legacy value
	// NullAs, when set, is the JSON document a legacy NULL becomes (a
	// documented rule, for a target that is NOT NULL where legacy was
	// nullable). Empty: NULL stays NULL, or is a defect when the target is
	// NOT NULL.
	NullAs string
	// DayOf, when set, marks a legacy column that is not copied because the
	// target column is generated from another one: the legacy value is
	// checked instead — it must be the UTC day ('YYYY-MM-DD') of the legacy
	// timestamp column DayOf, else the row has a defect (DefectDerived).
	DayOf string
}

// TableMapping moves one legacy table into one target table (in the
// target's current schema, normally public).
type TableMapping struct {
	Legacy  string
	Target  string
	Columns []ColumnMapping
}

// timeUnit is the unit of the legacy point in time table.column that is
// not epoch seconds, as legacy.Schema marks it ("-- ms", "-- iso8601");
// NoUnit for the others.
func timeUnit(marks map[string]string, key string) TimeUnit {
	switch marks[key] {
	case legacy.Millis:
		return Millis // authSession.expires_at: Date.now() + 30 days
	case legacy.ISO8601:
		return ISO8601 // satelliteRegistrationTokens' three times
	}
	return NoUnit
}

// isTime reports whether a legacy column holds a point in time: the real
// layout names them *_at, except these (a test checks the rule against
// testdata/deploystack/sqlite_tables.json). authKey.expires is a legacy
// Lucia key expiry whose unit the facts do not name; the backend never
// sets it. It is read as seconds, like every other INTEGER time, and a
// value that only makes sense as milliseconds is reported, not guessed.
func isTime(column string) bool {
	switch column {
	case "timestamp", "bucket_timestamp", "last_heartbeat", "scheduled_for", "expires":
		return true
	}
	return strings.HasSuffix(column, "_at")
}

// derivedColumns lists the legacy columns whose target is generated: not
// copied, but checked (ColumnMapping.DayOf).
var derivedColumns = map[string]ColumnMapping{
	// A text copy of the UTC day of "timestamp", for SQLite's sake; stackdb
	// generates it (satellite_usage_logs.date_partition, a date).
	"satelliteUsageLogs.date_partition": {DayOf: "timestamp"},
}

// SkippedTables are legacy tables that are deliberately not imported, with
// the reason reported for each.
var skippedTables = map[string]string{
	"__drizzle_migrations": "the backend's migration bookkeeping (migration_name, applied_at), not application data; stackdb has its own migration history",
	"__plugin_migrations":  "the plugin system's bookkeeping (plugin_id, table_name, schema_hash, applied_at); the plugin tables it lists are imported",
	"sqlite_sequence":      "SQLite's AUTOINCREMENT bookkeeping; identities are reset from the imported ids",
	"sqlite_stat1":         "SQLite's planner statistics",
	"sqlite_stat4":         "SQLite's planner statistics",
}

// mapping lists every legacy application table, in the order of the legacy
// schema. The load order comes from the target's foreign keys.
var mapping = sync.OnceValue(func() []TableMapping {
	m, err := buildMapping()
	if err != nil {
		panic("importer: " + err.Error()) // the embedded schema and the real model disagree: a build defect, caught by the tests
	}
	return m
})

// buildMapping maps every table of legacy.Schema through deploystack.Tables.
func buildMapping() ([]TableMapping, error) {
	layout, err := legacyLayout(legacy.Schema)
	if err != nil {
		return nil, err
	}
	var out []TableMapping
	var problems []string
	marks := legacy.TimeMarks()
	for _, lt := range layout {
		if _, skipped := skippedTables[lt.name]; skipped {
			continue
		}
		real, ok := deploystack.Lookup(lt.name)
		if !ok {
			problems = append(problems, fmt.Sprintf("legacy table %s has no home in deploystack.Tables", lt.name))
			continue
		}
		tm := TableMapping{Legacy: lt.name, Target: real.Name}
		for _, name := range lt.cols {
			key := lt.name + "." + name
			var home string
			for _, c := range real.Columns {
				if c.Real == name {
					home = c.Home()
				}
			}
			if home == "" {
				problems = append(problems, fmt.Sprintf("legacy column %s has no home in deploystack.Tables", key))
				continue
			}
			cm := ColumnMapping{Legacy: name, Target: home}
			switch d, derived := derivedColumns[key]; {
			case derived:
				cm.DayOf = d.DayOf
			case timeUnit(marks, key) != NoUnit:
				cm.Unit = timeUnit(marks, key)
			case isTime(name):
				cm.Unit = Seconds
			}
			tm.Columns = append(tm.Columns, cm)
		}
		out = append(out, tm)
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("the legacy schema does not match the real model:\n  - %s", strings.Join(problems, "\n  - "))
	}
	return out, nil
}

type layoutTable struct {
	name string
	cols []string
}

// legacyLayout reads the table and column names of the legacy DDL, in the
// shape drizzle-kit writes it: "CREATE TABLE `name` (", one "\t`column`
// type …" line per column, and constraint lines that start with a keyword.
// It needs no SQLite, so the mapping is there without cgo too; a test
// checks it against SQLite's own reading of the DDL.
func legacyLayout(ddl string) ([]layoutTable, error) {
	var out []layoutTable
	var cur *layoutTable
	sc := bufio.NewScanner(strings.NewReader(ddl))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if rest, ok := strings.CutPrefix(line, "CREATE TABLE "); ok {
			rest = strings.TrimPrefix(rest, "IF NOT EXISTS ")
			name, _, _ := strings.Cut(rest, " ")
			out = append(out, layoutTable{name: strings.Trim(name, "`\"")})
			cur = &out[len(out)-1]
			continue
		}
		if cur == nil {
			continue
		}
		if strings.HasPrefix(line, ")") {
			cur = nil
			continue
		}
		if strings.HasPrefix(line, "`") {
			name, _, ok := strings.Cut(line[1:], "`")
			if !ok {
				return nil, fmt.Errorf("legacy schema: table %s: unterminated column name in %q", cur.name, line)
			}
			cur.cols = append(cur.cols, name)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("legacy schema: no CREATE TABLE statement")
	}
	return out, nil
}

// stackdbTables are stackdb's own application tables, which no DeployStack
// model has.
var stackdbTables = []string{"audit_logs"}

// unimportedTables are the application tables an import leaves empty: the
// stackdb homes of the real tables that the legacy layout lacks (the
// Postgres model's newer tables) and stackdb's own. The target must hold no
// rows in them either, and Truncate empties them with the rest.
func unimportedTables() []string {
	imported := map[string]bool{}
	for _, m := range mapping() {
		imported[m.Target] = true
	}
	var out []string
	for _, t := range deploystack.Tables {
		if !imported[t.Name] {
			out = append(out, t.Name)
		}
	}
	return append(out, stackdbTables...)
}

// stricterReason is why stackdb has a unique key on table (cols) that
// DeployStack lacks, as deploystack.StricterThanDeployStack says; "" when
// it is not listed.
func stricterReason(table string, cols []string) string {
	for _, s := range deploystack.StricterThanDeployStack {
		if s.Table == table && s.Kind == deploystack.KindUnique && slices.Equal(s.Columns, cols) {
			return s.Reason
		}
	}
	return ""
}

// Mapping returns a copy of the table and column mapping, for display and
// review (docs, tests).
func Mapping() []TableMapping {
	src := mapping()
	out := make([]TableMapping, len(src))
	for i, m := range src {
		out[i] = m
		out[i].Columns = append([]ColumnMapping(nil), m.Columns...)
	}
	return out
}

// SkippedTables returns the legacy tables that are never imported, with why.
func SkippedTables() map[string]string {
	out := make(map[string]string, len(skippedTables))
	for k, v := range skippedTables {
		out[k] = v
	}
	return out
}
