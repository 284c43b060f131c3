package legacy

import (
	_ "embed"
	"regexp"
	"strings"
)

// PGSchema is DeployStack's Postgres layout as of Drizzle migration
// 0028_typical_falcon, the layout of every installation that runs on
// Postgres: the CREATE TABLE statements drizzle-kit writes for the 0028
// snapshot, then the foreign keys, then the indexes, then the bookkeeping
// tables of the backend's migration runner and plugin loader. Points in time
// that are not timestamptz are marked in a comment after the column.
//
//go:embed schema.pg.sql
var PGSchema string

// PGMigrations are the files of the backend's drizzle/migrations that the
// layout of PGSchema results from, in the order the backend's runner applies
// them (sorted by name). The runner records each file name in
// __drizzle_migrations.migration_name; drizzle-orm's own migrator (schema
// drizzle, hash and created_at) is not used.
var PGMigrations = []string{
	"0000_perfect_rogue.sql",
	"0001_wild_selene.sql",
	"0002_lyrical_unus.sql",
	"0003_gifted_firedrake.sql",
	"0004_purple_valeria_richards.sql",
	"0005_slim_absorbing_man.sql",
	"0006_magical_stellaris.sql",
	"0007_kind_lila_cheney.sql",
	"0008_flippant_iron_lad.sql",
	"0009_lame_wallow.sql",
	"0010_young_jimmy_woo.sql",
	"0011_lush_cable.sql",
	"0012_quiet_pride.sql",
	"0013_loud_white_tiger.sql",
	"0014_useful_sersi.sql",
	"0015_pale_iron_man.sql",
	"0016_tiresome_sue_storm.sql",
	"0017_spooky_pride.sql",
	"0018_green_zeigeist.sql",
	"0019_fuzzy_war_machine.sql",
	"0020_eager_changeling.sql",
	"0021_fast_kree.sql",
	"0022_strong_dorian_gray.sql",
	"0023_glorious_greymalkin.sql",
	"0024_curious_dreaming_celestial.sql",
	"0025_fancy_lilith.sql",
	"0026_happy_carnage.sql",
	"0027_stormy_texas_twister.sql",
	"0028_typical_falcon.sql",
}

// PGStatements splits PGSchema into its statements, without comments, in
// three groups: what creates the tables (with their primary keys and unique
// constraints, and the bookkeeping tables), the foreign keys and the
// indexes. A loader creates the tables, writes the rows, then adds the
// rest: building an index or checking a key once is faster than keeping
// them up to date through millions of rows.
func PGStatements() (tables, foreignKeys, indexes []string) {
	var stmt strings.Builder
	for line := range strings.Lines(PGSchema) {
		if i := strings.Index(line, "--"); i >= 0 {
			line = line[:i] + "\n"
		}
		if strings.TrimSpace(line) == "" && stmt.Len() == 0 {
			continue
		}
		stmt.WriteString(line)
		if !strings.HasSuffix(strings.TrimSpace(line), ";") {
			continue
		}
		s := strings.TrimSpace(stmt.String())
		stmt.Reset()
		switch {
		case strings.HasPrefix(s, "ALTER TABLE"):
			foreignKeys = append(foreignKeys, s)
		case strings.HasPrefix(s, "CREATE INDEX"), strings.HasPrefix(s, "CREATE UNIQUE INDEX"):
			indexes = append(indexes, s)
		default:
			tables = append(tables, s)
		}
	}
	return tables, foreignKeys, indexes
}

var (
	pgCreateTable = regexp.MustCompile(`^CREATE TABLE (?:IF NOT EXISTS )?"?([^"\s(]+)"? \(`)
	pgColumn      = regexp.MustCompile(`^\s+"?([a-z0-9_]+)"? ([A-Za-z][A-Za-z ]*?(?:\[\])?)(?: (?:PRIMARY|DEFAULT|NOT|UNIQUE)\b.*)?,?\s*(?:--.*)?$`)
)

// PGColumnTypes returns the type of every column of PGSchema as Postgres
// names it (format_type): table → column → "text", "boolean",
// "timestamp with time zone", "jsonb", "text[]", ….
func PGColumnTypes() map[string]map[string]string {
	out := map[string]map[string]string{}
	var cols map[string]string
	for line := range strings.Lines(PGSchema) {
		line = strings.TrimRight(line, "\n")
		if m := pgCreateTable.FindStringSubmatch(line); m != nil {
			cols = map[string]string{}
			out[m[1]] = cols
			continue
		}
		if cols == nil {
			continue
		}
		if strings.HasPrefix(line, ")") {
			cols = nil
			continue
		}
		if m := pgColumn.FindStringSubmatch(line); m != nil && m[1] != "CONSTRAINT" {
			typ := strings.ToLower(m[2])
			switch typ {
			case "serial":
				typ = "integer"
			case "timestamp":
				typ = "timestamp without time zone"
			}
			cols[m[1]] = typ
		}
	}
	return out
}
