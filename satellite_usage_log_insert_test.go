package stackdb_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/gen/dbsqlc"
)

func TestSatelliteUsageLogInsert(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	satID, teamID := createSatellite(t, pool)
	userID := createUser(t, pool)
	at := time.Date(2026, 3, 1, 23, 45, 0, 0, time.UTC)
	row := dbsqlc.SatelliteUsageLogInsertParams{
		ID: "use_one", SatelliteID: satID, UserID: &userID, TeamID: teamID, RequestMethod: "POST",
		RequestPath: "/mcp", ToolName: new("read_file"), DurationMs: new(int32(12)), StatusCode: new(int32(200)),
		Timestamp: at,
	}
	n, err := q.SatelliteUsageLogInsert(ctx, row)
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	got, err := q.SatelliteUsageLogListBySatellite(ctx, dbsqlc.SatelliteUsageLogListBySatelliteParams{
		SatelliteID: satID, Since: at, Until: at.Add(time.Second), MaxRows: 10})
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.Equal(t, "use_one", got[0].ID)
	require.Equal(t, new("read_file"), got[0].ToolName)
	require.Equal(t, 1, countRows(t, pool, "satellite_usage_logs", "date_partition = '2026-03-01'"))

	for _, tc := range []struct {
		name   string
		change func(*dbsqlc.SatelliteUsageLogInsertParams)
		kind   stackdb.ConstraintKind
	}{
		{"unknown satellite", func(p *dbsqlc.SatelliteUsageLogInsertParams) { p.ID, p.SatelliteID = "use_two", "nope" }, stackdb.ForeignKey},
		{"duplicate id", func(*dbsqlc.SatelliteUsageLogInsertParams) {}, stackdb.Unique},
	} {
		p := row
		tc.change(&p)
		_, err := q.SatelliteUsageLogInsert(ctx, p)
		var ce *stackdb.ConstraintError
		require.ErrorAs(t, err, &ce, tc.name)
		require.Equal(t, tc.kind, ce.Kind, tc.name)
	}
	require.Equal(t, 1, countRows(t, pool, "satellite_usage_logs", "true"), "refused rows leave nothing")
}
