package legacy

import (
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// facts is the part of testdata/deploystack/sqlite_tables.json and
// pg_tables.json (copies of DeployStack's real last SQLite layout and its
// Postgres layout) that Schema and PGSchema must match.
type facts struct {
	TableCount  int `json:"table_count"`
	ColumnCount int `json:"column_count"`
	Tables      []struct {
		Name       string   `json:"name"`
		PrimaryKey []string `json:"primaryKey"`
		Columns    []struct {
			Name       string  `json:"name"`
			SQLiteType string  `json:"sqlite_type"`
			PGType     string  `json:"pg_type"`
			NotNull    bool    `json:"notNull"`
			PrimaryKey bool    `json:"primaryKey"`
			Default    *string `json:"default"`
			Time       string  `json:"time"`
		} `json:"columns"`
		ForeignKeys []struct {
			Column, RefTable, RefColumn, OnDelete, OnUpdate string
		} `json:"foreignKeys"`
		UniqueConstraints []struct {
			Name    string   `json:"name"`
			Columns []string `json:"columns"`
		} `json:"uniqueConstraints"`
		Indexes []struct {
			Name    string   `json:"name"`
			Columns []string `json:"columns"`
			Unique  bool     `json:"unique"`
			Method  string   `json:"method"`
		} `json:"indexes"`
	} `json:"tables"`
}

func loadFacts(t *testing.T, file string) facts {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "deploystack", file))
	require.NoError(t, err)
	var f facts
	require.NoError(t, json.Unmarshal(b, &f))
	require.Len(t, f.Tables, f.TableCount)
	return f
}

// schemaDB is an in-memory SQLite database holding Schema.
func schemaDB(t *testing.T) *sql.DB {
	t.Helper()
	if !cgoEnabled {
		t.Skip("the SQLite driver needs cgo")
	}
	db, err := sql.Open("sqlite3", ":memory:")
	require.NoError(t, err)
	db.SetMaxOpenConns(1) // one connection: one in-memory database
	t.Cleanup(func() { _ = db.Close() })
	_, err = db.Exec(Schema)
	require.NoError(t, err)
	return db
}

func query(t *testing.T, db *sql.DB, q string, scan func(*sql.Rows) error) {
	t.Helper()
	rows, err := db.Query(q)
	require.NoError(t, err, q)
	defer rows.Close()
	for rows.Next() {
		require.NoError(t, scan(rows), q)
	}
	require.NoError(t, rows.Err(), q)
}

type index struct {
	unique bool
	cols   []string
}

// indexes returns the explicitly created indexes of table by name.
func indexes(t *testing.T, db *sql.DB, table string) map[string]index {
	t.Helper()
	out := map[string]index{}
	var names []string
	query(t, db, "PRAGMA index_list(`"+table+"`)", func(r *sql.Rows) error {
		var seq, unique, partial int
		var name, origin string
		if err := r.Scan(&seq, &name, &unique, &origin, &partial); err != nil {
			return err
		}
		if origin == "c" { // CREATE INDEX, not a PRIMARY KEY or UNIQUE clause
			out[name] = index{unique: unique == 1}
			names = append(names, name)
		}
		return nil
	})
	for _, n := range names {
		ix := out[n]
		query(t, db, "PRAGMA index_info(`"+n+"`)", func(r *sql.Rows) error {
			var seqno, cid int
			var col string
			if err := r.Scan(&seqno, &cid, &col); err != nil {
				return err
			}
			ix.cols = append(ix.cols, col)
			return nil
		})
		out[n] = ix
	}
	return out
}

func TestSchemaMatchesFacts(t *testing.T) {
	t.Parallel()
	f := loadFacts(t, "sqlite_tables.json")
	db := schemaDB(t)

	var tables []string
	query(t, db, `SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'sqlite_sequence' ORDER BY name`, func(r *sql.Rows) error {
		var n string
		tables = append(tables, n)
		return r.Scan(&tables[len(tables)-1])
	})
	want := []string{"__drizzle_migrations", "__plugin_migrations"}
	columns := 0
	for _, ft := range f.Tables {
		want = append(want, ft.Name)
		columns += len(ft.Columns)
	}
	slices.Sort(want)
	require.Equal(t, want, tables)
	require.Equal(t, f.ColumnCount, columns)

	for _, ft := range f.Tables {
		t.Run(ft.Name, func(t *testing.T) {
			t.Parallel()
			type col struct {
				name, typ string
				notNull   bool
				dflt      sql.NullString
				pk        int
			}
			var got []col
			query(t, db, "PRAGMA table_info(`"+ft.Name+"`)", func(r *sql.Rows) error {
				var c col
				var cid int
				err := r.Scan(&cid, &c.name, &c.typ, &c.notNull, &c.dflt, &c.pk)
				got = append(got, c)
				return err
			})
			require.Len(t, got, len(ft.Columns))
			var pk []string
			for i, fc := range ft.Columns {
				g := got[i]
				require.Equal(t, fc.Name, g.name, "column %d", i)
				require.Equal(t, fc.SQLiteType, strings.ToLower(g.typ), fc.Name) // declared types are case-insensitive
				require.Equal(t, fc.NotNull, g.notNull, fc.Name)
				require.Equal(t, fc.PrimaryKey, g.pk > 0, fc.Name)
				if g.pk > 0 {
					pk = append(pk, g.name)
				}
				if fc.Default == nil {
					require.False(t, g.dflt.Valid, "%s has a default", fc.Name)
				} else {
					require.Equal(t, *fc.Default, g.dflt.String, fc.Name)
				}
			}
			require.Equal(t, ft.PrimaryKey, pk)

			type fk struct{ from, table, to, onUpdate, onDelete string }
			var fks, wantFKs []fk
			query(t, db, "PRAGMA foreign_key_list(`"+ft.Name+"`)", func(r *sql.Rows) error {
				var id, seq int
				var k fk
				var match string
				err := r.Scan(&id, &seq, &k.table, &k.from, &k.to, &k.onUpdate, &k.onDelete, &match)
				k.onUpdate, k.onDelete = strings.ToLower(k.onUpdate), strings.ToLower(k.onDelete)
				fks = append(fks, k)
				return err
			})
			for _, k := range ft.ForeignKeys {
				wantFKs = append(wantFKs, fk{k.Column, k.RefTable, k.RefColumn, k.OnUpdate, k.OnDelete})
			}
			require.ElementsMatch(t, wantFKs, fks)

			wantIx := map[string]index{}
			for _, u := range ft.UniqueConstraints {
				wantIx[u.Name] = index{unique: true, cols: u.Columns}
			}
			for _, ix := range ft.Indexes {
				wantIx[ix.Name] = index{unique: ix.Unique, cols: ix.Columns}
			}
			require.Equal(t, wantIx, indexes(t, db, ft.Name))
		})
	}
}

func TestSchemaBookkeeping(t *testing.T) {
	t.Parallel()
	db := schemaDB(t)
	// The migration runner's table: the default fills applied_at with epoch
	// seconds, and a migration name is recorded once.
	_, err := db.Exec(`INSERT INTO __drizzle_migrations (migration_name) VALUES ('0000_careless_morgan_stark.sql')`)
	require.NoError(t, err)
	var id, appliedAt int64
	require.NoError(t, db.QueryRow(`SELECT id, applied_at FROM __drizzle_migrations`).Scan(&id, &appliedAt))
	require.Equal(t, int64(1), id)
	require.Greater(t, appliedAt, int64(1_700_000_000))
	require.Less(t, appliedAt, int64(10_000_000_000)) // seconds, not milliseconds
	_, err = db.Exec(`INSERT INTO __drizzle_migrations (migration_name) VALUES ('0000_careless_morgan_stark.sql')`)
	require.ErrorContains(t, err, "UNIQUE constraint failed")

	_, err = db.Exec(`INSERT INTO __plugin_migrations (plugin_id, table_name, schema_hash) VALUES ('example-plugin', 'example_entities', 'abc')`)
	require.NoError(t, err)
	_, err = db.Exec(`INSERT INTO __plugin_migrations (plugin_id, table_name, schema_hash) VALUES ('example-plugin', 'example_entities', 'def')`)
	require.ErrorContains(t, err, "UNIQUE constraint failed")
}

func TestTimeMarks(t *testing.T) {
	t.Parallel()
	require.Equal(t, map[string]string{
		"authSession.expires_at":                 Millis,
		"satelliteRegistrationTokens.used_at":    ISO8601,
		"satelliteRegistrationTokens.expires_at": ISO8601,
		"satelliteRegistrationTokens.created_at": ISO8601,
	}, TimeMarks())

	// The marks agree with the facts: milliseconds and ISO text where they
	// say so, and seconds everywhere else.
	f := loadFacts(t, "sqlite_tables.json")
	marks := TimeMarks()
	for _, ft := range f.Tables {
		for _, c := range ft.Columns {
			mark := marks[ft.Name+"."+c.Name]
			switch {
			case strings.Contains(c.Time, "MILLISECONDS"):
				require.Equal(t, Millis, mark, "%s.%s", ft.Name, c.Name)
			case strings.Contains(c.Time, "ISO-8601"):
				require.Equal(t, ISO8601, mark, "%s.%s", ft.Name, c.Name)
			default:
				require.Empty(t, mark, "%s.%s", ft.Name, c.Name)
			}
		}
	}
}
