package importer

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/deploystack"
)

// TestPGLayoutMatchesFacts: pglayout.json is the facts' Postgres layout
// (testdata/deploystack/pg_tables.json): the same tables and columns in
// the same order, the same types, and a time mark on exactly the columns
// the facts say hold a point in time, of the kind they describe.
func TestPGLayoutMatchesFacts(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../../testdata/deploystack/pg_tables.json")
	require.NoError(t, err)
	var facts struct {
		Tables []struct {
			Name    string `json:"name"`
			Columns []struct {
				Name   string `json:"name"`
				PGType string `json:"pg_type"`
				Time   string `json:"time"`
			} `json:"columns"`
		} `json:"tables"`
	}
	require.NoError(t, json.Unmarshal(b, &facts))
	layout := pgLayout()
	require.Len(t, layout, len(facts.Tables))
	for i, ft := range facts.Tables {
		lt := layout[i]
		require.Equal(t, ft.Name, lt.Name)
		require.Len(t, lt.Columns, len(ft.Columns), ft.Name)
		for j, fc := range ft.Columns {
			lc := lt.Columns[j]
			where := ft.Name + "." + fc.Name
			require.Equal(t, fc.Name, lc.Name, where)
			require.Equal(t, fc.PGType, lc.Type, where)
			want := ""
			switch f := fc.Time; {
			case f == "":
			case f == "timestamptz":
				want = "timestamptz"
			case strings.HasPrefix(f, "text ISO-8601"):
				want = "iso"
			case strings.HasPrefix(f, "text 'YYYY-MM-DD'"):
				want = "day"
			case strings.Contains(f, "MILLISECONDS"):
				want = "ms"
			default: // integer epoch seconds, and the legacy Lucia key read as seconds (see isTime)
				want = "s"
			}
			require.Equal(t, want, lc.Time, "%s: %s", where, fc.Time)
		}
	}
}

// TestPGMappingCoversTheModel: every table and column of the real model
// (all 42 of the Postgres layout) is imported from Postgres.
func TestPGMappingCoversTheModel(t *testing.T) {
	t.Parallel()
	m := pgMapping()
	require.Len(t, m, len(deploystack.Tables))
	for i, real := range deploystack.Tables {
		require.Equal(t, real.Real, m[i].Legacy)
		require.Equal(t, real.Name, m[i].Target)
		require.Len(t, m[i].Columns, len(real.Columns), real.Real)
		for j, c := range real.Columns {
			require.Equal(t, c.Real, m[i].Columns[j].Legacy)
			require.Equal(t, c.Home(), m[i].Columns[j].Target)
		}
	}
}
