package importer_test

import (
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/deploystack"
	"github.com/deploystack/stackdb/internal/importer"
	"github.com/deploystack/stackdb/internal/legacy"
)

// sqliteFacts is what the test needs of testdata/deploystack/sqlite_tables.json.
type sqliteFacts struct {
	TableCount  int `json:"table_count"`
	ColumnCount int `json:"column_count"`
	Tables      []struct {
		Name    string `json:"name"`
		Columns []struct {
			Name string `json:"name"`
			Time string `json:"time"`
		} `json:"columns"`
	} `json:"tables"`
}

// TestMappingCoversTheRealLayout checks the mapping, which is derived from
// legacy.Schema and internal/deploystack, against the facts: every real
// SQLite table and column, each time column with its real unit, and
// date_partition checked rather than copied.
func TestMappingCoversTheRealLayout(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "deploystack", "sqlite_tables.json"))
	require.NoError(t, err)
	var f sqliteFacts
	require.NoError(t, json.Unmarshal(b, &f))

	byTable := map[string]importer.TableMapping{}
	columns := 0
	for _, m := range importer.Mapping() {
		byTable[m.Legacy] = m
		columns += len(m.Columns)
	}
	require.Len(t, byTable, f.TableCount)
	require.Equal(t, f.ColumnCount, columns)
	for _, ft := range f.Tables {
		m, ok := byTable[ft.Name]
		require.True(t, ok, ft.Name)
		real, ok := deploystack.Lookup(ft.Name)
		require.True(t, ok, ft.Name)
		require.Equal(t, real.Name, m.Target)
		require.Len(t, m.Columns, len(ft.Columns), ft.Name)
		for i, fc := range ft.Columns {
			c := m.Columns[i]
			where := ft.Name + "." + fc.Name
			require.Equal(t, fc.Name, c.Legacy, where)
			want := importer.NoUnit
			switch {
			case where == "satelliteUsageLogs.date_partition":
				require.Equal(t, "timestamp", c.DayOf, where)
			case strings.Contains(fc.Time, "ISO-8601"):
				want = importer.ISO8601
			case strings.Contains(fc.Time, "MILLISECONDS"):
				want = importer.Millis
			case fc.Time != "":
				want = importer.Seconds
			}
			require.Equal(t, want, c.Unit, where)
		}
	}
}

// TestLegacyLayoutReadsLikeSQLite: the mapping reads the table and column
// names of legacy.Schema without SQLite; SQLite's own reading agrees.
func TestLegacyLayoutReadsLikeSQLite(t *testing.T) {
	t.Parallel()
	db, err := sql.Open("sqlite3", ":memory:")
	require.NoError(t, err)
	defer db.Close()
	db.SetMaxOpenConns(1)
	_, err = db.Exec(legacy.Schema)
	require.NoError(t, err)
	want := map[string][]string{}
	rows, err := db.Query(`SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\' AND m.name NOT LIKE '\_\_%' ESCAPE '\' ORDER BY m.name, p.cid`)
	require.NoError(t, err)
	defer rows.Close()
	for rows.Next() {
		var table, col string
		require.NoError(t, rows.Scan(&table, &col))
		want[table] = append(want[table], col)
	}
	require.NoError(t, rows.Err())
	got := map[string][]string{}
	for _, m := range importer.Mapping() {
		for _, c := range m.Columns {
			got[m.Legacy] = append(got[m.Legacy], c.Legacy)
		}
	}
	require.Equal(t, want, got)
}
