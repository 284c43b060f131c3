package importer_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/importer"
	"github.com/deploystack/stackdb/stackdbtest"
)

func TestParseValueMap(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want importer.ValueMap
		err  string
	}{
		{in: "satelliteProcesses.status=crashed:failed", want: importer.ValueMap{Table: "satelliteProcesses", Column: "status", From: "crashed", To: "failed"}},
		{in: "teams.description=:none", want: importer.ValueMap{Table: "teams", Column: "description", From: "", To: "none"}},
		{in: "globalSettings.value=a:b:c", want: importer.ValueMap{Table: "globalSettings", Column: "value", From: "a", To: "b:c"}},
		{in: "satelliteProcesses.status=crashed", err: "want table.column=from:to"},
		{in: "status=crashed:failed", err: "want table.column=from:to"},
		{in: ".status=crashed:failed", err: "want table.column=from:to"},
		{in: "satelliteProcesses.=crashed:failed", err: "want table.column=from:to"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := importer.ParseValueMap(tc.in)
			if tc.err != "" {
				require.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
			require.Equal(t, tc.in, got.String())
		})
	}
}

// crashedProcesses holds values outside the real value sets: the status
// "crashed" of stackdb's old reconstruction, an unknown priority and role.
var crashedProcesses = []string{
	`INSERT INTO satelliteProcesses VALUES ('p2', 'sat1', 'i1', 'server', NULL, NULL, 'crashed', 'unhealthy', NULL, 't1', 'exit 1', 1700000000, 1700000100, 1700000000, 1700000100)`,
	`INSERT INTO satelliteProcesses VALUES ('p3', 'sat1', NULL, 'other', NULL, NULL, 'crashed', 'unknown', NULL, 't1', NULL, NULL, NULL, 1700000000, 1700000000)`,
	`INSERT INTO satelliteCommands VALUES ('cmd2', 'sat1', 'kill', 'urgent', '{}', 'completed', NULL, NULL, 0, 3, NULL, NULL, NULL, 1700000000, 1700000000)`,
	`INSERT INTO teamMemberships VALUES ('m2', 't1', 'u1', 'owner', 1700000000)`,
}

func TestValueMapsApplyBeforeValidation(t *testing.T) {
	t.Parallel()
	path := legacyFile(t, crashedProcesses...)

	// Without mappings: every value outside its set is a defect.
	url := stackdbtest.URL(t)
	rep, err := runImport(t, path, url)
	require.ErrorIs(t, err, importer.ErrDefects)
	classes := map[string]importer.DefectClass{}
	for _, d := range rep.Defects {
		classes[d.Table+"/"+d.PK+"."+d.Column] = d.Class
	}
	require.Equal(t, map[string]importer.DefectClass{
		"satelliteProcesses/p2.status": importer.DefectInvalidEnum, "satelliteProcesses/p3.status": importer.DefectInvalidEnum,
		"satelliteCommands/cmd2.priority": importer.DefectInvalidEnum, "teamMemberships/m2.role": importer.DefectCheck,
	}, classes)
	requireUnchanged(t, url)

	// With them: imported, and the report says how many each replaced.
	maps := []importer.ValueMap{
		{Table: "satelliteProcesses", Column: "status", From: "crashed", To: "failed"},
		{Table: "satelliteCommands", Column: "priority", From: "urgent", To: "immediate"},
		{Table: "teamMemberships", Column: "role", From: "owner", To: "team_admin"},
		{Table: "satelliteProcesses", Column: "health_status", From: "dead", To: "unhealthy"},
	}
	rep, err = runImport(t, path, url, func(o *importer.Options) { o.Map = maps })
	require.NoError(t, err)
	require.True(t, rep.Committed)
	require.Equal(t, []importer.MappedValues{{Map: maps[0], Count: 2}, {Map: maps[1], Count: 1}, {Map: maps[2], Count: 1}, {Map: maps[3], Count: 0}}, rep.Mapped)
	for _, tr := range rep.Tables {
		require.True(t, tr.ChecksumOK, tr.Legacy)
	}
	pool := openPool(t, url)
	ctx := context.Background()
	var failed, immediate, admins int
	require.NoError(t, pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM satellite_processes WHERE status = 'failed'),
		(SELECT count(*) FROM satellite_commands WHERE priority = 'immediate'), (SELECT count(*) FROM team_members WHERE role = 'team_admin')`).
		Scan(&failed, &immediate, &admins))
	require.Equal(t, 2, failed)
	require.Equal(t, 1, immediate)
	require.Equal(t, 2, admins)
}

func TestValueMapsAreChecked(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		maps []importer.ValueMap
		msg  string
	}{
		{"unknown table", []importer.ValueMap{{Table: "satellite_processes", Column: "status", From: "a", To: "b"}}, `"satellite_processes" is not a DeployStack table of the legacy file`},
		{"unknown column", []importer.ValueMap{{Table: "satelliteProcesses", Column: "state", From: "a", To: "b"}}, `satelliteProcesses has no imported column "state"`},
		{"not a text column", []importer.ValueMap{{Table: "teams", Column: "is_default", From: "2", To: "1"}}, "only text and enum columns take value mappings"},
		{"mapped twice", []importer.ValueMap{{Table: "teams", Column: "name", From: "a", To: "b"}, {Table: "teams", Column: "name", From: "a", To: "c"}}, "teams.name=a is mapped twice"},
		{"derived column", []importer.ValueMap{{Table: "satelliteUsageLogs", Column: "date_partition", From: "a", To: "b"}}, `has no imported column "date_partition"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			url := stackdbtest.URL(t)
			_, err := runImport(t, legacyFile(t), url, func(o *importer.Options) { o.Map = tc.maps })
			require.ErrorContains(t, err, "Map:")
			require.ErrorContains(t, err, tc.msg)
			requireUnchanged(t, url)
		})
	}

	// A mapping to a value outside the set is no way around the checks.
	url := stackdbtest.URL(t)
	rep, err := runImport(t, legacyFile(t, crashedProcesses[0]), url, func(o *importer.Options) {
		o.Map = []importer.ValueMap{{Table: "satelliteProcesses", Column: "status", From: "crashed", To: "exploded"}}
	})
	require.ErrorIs(t, err, importer.ErrDefects)
	d, ok := findDefect(rep, "satelliteProcesses", "p2", "status")
	require.True(t, ok)
	require.Equal(t, importer.DefectInvalidEnum, d.Class)
	require.Contains(t, d.Reason, `"exploded" is not a value of enum process_status (the value mapping replaced crashed by "exploded")`)
	require.Equal(t, int64(1), rep.Mapped[0].Count)
	requireUnchanged(t, url)
}
