package importer_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/stackdbtest"
)

// The Postgres source of the tests: DeployStack's Postgres layout at
// migration 0028_typical_falcon, created from the facts
// (testdata/deploystack/pg_tables.json) — tables, columns, types, NOT NULL,
// defaults, primary keys, unique constraints and indexes, foreign keys —
// plus Drizzle's migration history, and one generated row per table.

type pgFacts struct {
	Tables []pgFactTable `json:"tables"`
}

type pgFactTable struct {
	Name       string         `json:"name"`
	PrimaryKey []string       `json:"primaryKey"`
	Columns    []pgFactColumn `json:"columns"`
	FKs        []struct {
		Column    string `json:"column"`
		RefTable  string `json:"refTable"`
		RefColumn string `json:"refColumn"`
		OnDelete  string `json:"onDelete"`
	} `json:"foreignKeys"`
	Uniques []struct {
		Name    string   `json:"name"`
		Columns []string `json:"columns"`
	} `json:"uniqueConstraints"`
	Indexes []struct {
		Name    string   `json:"name"`
		Columns []string `json:"columns"`
		Unique  bool     `json:"unique"`
	} `json:"indexes"`
}

type pgFactColumn struct {
	Name      string   `json:"name"`
	PGType    string   `json:"pg_type"`
	NotNull   bool     `json:"notNull"`
	Default   *string  `json:"default"`
	Time      string   `json:"time"`
	JSON      string   `json:"json"`
	Enum      []string `json:"enum"`
	Docs      []string `json:"documented_values"`
	Reference string   `json:"fk"`
}

var loadPGFacts = sync.OnceValues(func() (pgFacts, error) {
	var f pgFacts
	b, err := os.ReadFile("../../testdata/deploystack/pg_tables.json")
	if err != nil {
		return f, err
	}
	return f, json.Unmarshal(b, &f)
})

func pgFactsFor(t testing.TB) pgFacts {
	t.Helper()
	f, err := loadPGFacts()
	require.NoError(t, err)
	return f
}

// pgSourceDDL is the layout as DDL, tables in an order where every
// referenced table comes first.
func pgSourceDDL(f pgFacts) string {
	var b strings.Builder
	for _, t := range pgOrder(f) {
		fmt.Fprintf(&b, "CREATE TABLE %s (\n", pgx.Identifier{t.Name}.Sanitize())
		var parts []string
		for _, c := range t.Columns {
			p := fmt.Sprintf("  %s %s", pgx.Identifier{c.Name}.Sanitize(), c.PGType)
			if c.NotNull {
				p += " NOT NULL"
			}
			if c.Default != nil {
				p += " DEFAULT " + *c.Default
			}
			parts = append(parts, p)
		}
		parts = append(parts, fmt.Sprintf("  PRIMARY KEY (%s)", idents(t.PrimaryKey)))
		for _, u := range t.Uniques {
			parts = append(parts, fmt.Sprintf("  UNIQUE (%s)", idents(u.Columns)))
		}
		for _, fk := range t.FKs {
			p := fmt.Sprintf("  FOREIGN KEY (%s) REFERENCES %s (%s)", pgx.Identifier{fk.Column}.Sanitize(),
				pgx.Identifier{fk.RefTable}.Sanitize(), pgx.Identifier{fk.RefColumn}.Sanitize())
			if fk.OnDelete != "" {
				p += " ON DELETE " + fk.OnDelete
			}
			parts = append(parts, p)
		}
		b.WriteString(strings.Join(parts, ",\n"))
		b.WriteString("\n);\n")
		for _, ix := range t.Indexes {
			u := ""
			if ix.Unique {
				u = "UNIQUE "
			}
			fmt.Fprintf(&b, "CREATE %sINDEX %s ON %s (%s);\n", u, pgx.Identifier{ix.Name}.Sanitize(), pgx.Identifier{t.Name}.Sanitize(), idents(ix.Columns))
		}
	}
	// Drizzle's history, as drizzle-orm's Postgres migrator creates it.
	b.WriteString(`CREATE SCHEMA drizzle;
CREATE TABLE drizzle.__drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint);
INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ('h0027', 1770000000000), ('h0028', 1771275726880);
`)
	return b.String()
}

func idents(cols []string) string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = pgx.Identifier{c}.Sanitize()
	}
	return strings.Join(out, ", ")
}

// pgOrder orders the tables parents first.
func pgOrder(f pgFacts) []pgFactTable {
	var out []pgFactTable
	done := map[string]bool{}
	for len(out) < len(f.Tables) {
		for _, t := range f.Tables {
			if done[t.Name] {
				continue
			}
			ready := true
			for _, fk := range t.FKs {
				if fk.RefTable != t.Name && !done[fk.RefTable] {
					ready = false
				}
			}
			if ready {
				done[t.Name] = true
				out = append(out, t)
			}
		}
	}
	return out
}

// Values of the generated rows: 1700000000 is 2023-11-14T22:13:20Z.
const (
	fixtureTimestamptz = "2023-11-14 22:13:20.123456+00"
	fixtureISO         = "2023-11-14T22:13:20.123Z"
)

// jsonArrays are the JSON text columns the target CHECKs to be arrays.
var jsonArrays = []string{"permissions", "packages", "remotes", "tags", "default_scopes", "auth_server_patterns",
	"redirect_uris", "grant_types", "response_types", "user_args", "team_args", "template_args", "dependencies"}

// fixtureValue is a valid value of a column in the row of table number n.
func fixtureValue(f pgFacts, t pgFactTable, c pgFactColumn, n int) string {
	if c.Reference != "" {
		ref, col, _ := strings.Cut(c.Reference, ".")
		i := slices.IndexFunc(f.Tables, func(t pgFactTable) bool { return t.Name == ref })
		j := slices.IndexFunc(f.Tables[i].Columns, func(c pgFactColumn) bool { return c.Name == col })
		return fixtureValue(f, f.Tables[i], f.Tables[i].Columns[j], n)
	}
	if slices.Contains(t.PrimaryKey, c.Name) {
		return fmt.Sprintf("'%s-%d'", t.Name, n)
	}
	switch {
	case c.Time == "timestamptz":
		return "'" + fixtureTimestamptz + "'"
	case strings.HasPrefix(c.Time, "text ISO"):
		return "'" + fixtureISO + "'"
	case strings.Contains(c.Time, "MILLISECONDS"):
		return "1700000000123"
	case strings.HasPrefix(c.Time, "text 'YYYY"):
		return "'2023-11-14'"
	case c.Time != "":
		return "1700000000"
	case len(c.Enum) > 0:
		return "'" + c.Enum[0] + "'"
	case len(c.Docs) > 0:
		return "'" + c.Docs[0] + "'"
	case c.PGType == "jsonb":
		if c.Name == "permissions" {
			return `'["satellite:register"]'`
		}
		return `'{"k": [1, "v"]}'`
	case c.JSON != "" && slices.Contains(jsonArrays, c.Name):
		return `'["a"]'`
	case c.JSON != "":
		return `'{"k": "v"}'`
	}
	switch c.PGType {
	case "boolean":
		return "true"
	case "integer", "bigint":
		return "1"
	case "text[]":
		return `'{repo,"read org",NULL}'`
	}
	return fmt.Sprintf("'%s-%s-%d'", t.Name, c.Name, n)
}

// fixtureInserts inserts row number n of every table, parents first.
func fixtureInserts(f pgFacts, n int) string {
	var b strings.Builder
	for _, t := range pgOrder(f) {
		var cols, vals []string
		for _, c := range t.Columns {
			cols = append(cols, pgx.Identifier{c.Name}.Sanitize())
			vals = append(vals, fixtureValue(f, t, c, n))
		}
		fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES (%s);\n", pgx.Identifier{t.Name}.Sanitize(), strings.Join(cols, ", "), strings.Join(vals, ", "))
	}
	return b.String()
}

// pgSource creates a source database (on the test server, beside the
// targets) with the layout, row 1 of every table, then the extra
// statements, and returns its URL.
func pgSource(t testing.TB, extra ...string) string {
	t.Helper()
	f := pgFactsFor(t)
	url := stackdbtest.EmptyURL(t)
	conn, err := pgx.Connect(context.Background(), url)
	require.NoError(t, err)
	defer conn.Close(context.Background())
	for _, s := range append([]string{pgSourceDDL(f), fixtureInserts(f, 1)}, extra...) {
		_, err := conn.Exec(context.Background(), s)
		require.NoError(t, err, s)
	}
	return url
}

// copyRow is SQL that inserts a copy of the row of table whose id is from,
// with id to and the assignments of set ("col = value, …"; may be empty).
func copyRow(table, from, to, set string) string {
	id := pgx.Identifier{table}.Sanitize()
	if set != "" {
		set = ", " + set
	}
	return fmt.Sprintf(`CREATE TEMP TABLE copy_row AS SELECT * FROM %[1]s WHERE id = '%[2]s';
UPDATE copy_row SET id = '%[3]s'%[4]s;
INSERT INTO %[1]s SELECT * FROM copy_row;
DROP TABLE copy_row;`, id, from, to, set)
}
