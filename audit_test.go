package stackdb_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/gen/dbsqlc"
)

// ---------------------------------------------------------------------------
// Fixtures

// auditTime is now+d at the microsecond, the precision Postgres keeps.
func auditTime(d time.Duration) time.Time { return time.Now().Add(d).Truncate(time.Microsecond) }

func createAuditLog(t *testing.T, q dbsqlc.Querier, p dbsqlc.AuditLogInsertParams) dbsqlc.AuditLog {
	t.Helper()
	if p.Action == "" {
		p.Action = "test.action"
	}
	e, err := q.AuditLogInsert(t.Context(), p)
	require.NoError(t, err)
	return e
}

// ---------------------------------------------------------------------------
// audit_logs

func TestAuditLogInsert(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	teamID, aliceID := createTeam(t, pool)

	full, err := q.AuditLogInsert(ctx, dbsqlc.AuditLogInsertParams{
		ActorUserID: &aliceID,
		TeamID:      &teamID,
		Action:      "team.member.add",
		TargetType:  new("user"),
		TargetID:    new("user_bob"),
		IpAddress:   new("192.0.2.1"),
		UserAgent:   new("curl/8"),
		Metadata:    json.RawMessage(`{"role": "team_user"}`),
	})
	require.NoError(t, err)
	require.Positive(t, full.ID, "the id comes from the identity")
	require.Equal(t, dbsqlc.AuditLog{
		ID:          full.ID,
		ActorUserID: &aliceID,
		TeamID:      &teamID,
		Action:      "team.member.add",
		TargetType:  new("user"),
		TargetID:    new("user_bob"),
		IpAddress:   new("192.0.2.1"),
		UserAgent:   new("curl/8"),
		Metadata:    full.Metadata,
		CreatedAt:   full.CreatedAt,
	}, full)
	require.JSONEq(t, `{"role": "team_user"}`, string(full.Metadata))
	require.WithinDuration(t, time.Now(), full.CreatedAt, time.Minute, "created_at defaults to now()")

	minimal, err := q.AuditLogInsert(ctx, dbsqlc.AuditLogInsertParams{Action: "system.start"})
	require.NoError(t, err)
	require.Greater(t, minimal.ID, full.ID, "identity ids increase")
	require.Equal(t, dbsqlc.AuditLog{ID: minimal.ID, Action: "system.start", CreatedAt: minimal.CreatedAt}, minimal,
		"nil pointers and nil metadata are NULL")
	require.Nil(t, minimal.Metadata)

	past := auditTime(-72 * time.Hour)
	imported := createAuditLog(t, q, dbsqlc.AuditLogInsertParams{Action: "legacy.import", CreatedAt: &past})
	require.True(t, past.Equal(imported.CreatedAt), "an explicit created_at is kept: %v", imported.CreatedAt)

	_, err = q.AuditLogInsert(ctx, dbsqlc.AuditLogInsertParams{Action: "x", ActorUserID: new("user_missing")})
	requireConstraint(t, err, stackdb.ForeignKey, "audit_logs_actor_user_id_fkey")
	require.NotContains(t, err.Error(), "user_missing", "errors never name the offending value")
	_, err = q.AuditLogInsert(ctx, dbsqlc.AuditLogInsertParams{Action: "x", TeamID: new("team_missing")})
	requireConstraint(t, err, stackdb.ForeignKey, "audit_logs_team_id_fkey")
	require.NotContains(t, err.Error(), "team_missing")
	require.Equal(t, 3, countRows(t, pool, "audit_logs", "true"), "refused entries leave nothing")
}

// auditPager runs one page of a keyset listing.
type auditPager func(ctx context.Context, q dbsqlc.Querier, from, to time.Time, cursorAt *time.Time, cursorID *int64, max int32) ([]dbsqlc.AuditLog, error)

func auditPagerByTeam(teamID string) auditPager {
	return func(ctx context.Context, q dbsqlc.Querier, from, to time.Time, cursorAt *time.Time, cursorID *int64, max int32) ([]dbsqlc.AuditLog, error) {
		return q.AuditLogListByTeamPage(ctx, dbsqlc.AuditLogListByTeamPageParams{
			TeamID: teamID, CreatedFrom: from, CreatedTo: to, CursorCreatedAt: cursorAt, CursorID: cursorID, MaxRows: max,
		})
	}
}

func auditPagerByActor(userID string) auditPager {
	return func(ctx context.Context, q dbsqlc.Querier, from, to time.Time, cursorAt *time.Time, cursorID *int64, max int32) ([]dbsqlc.AuditLog, error) {
		return q.AuditLogListByActorPage(ctx, dbsqlc.AuditLogListByActorPageParams{
			ActorUserID: userID, CreatedFrom: from, CreatedTo: to, CursorCreatedAt: cursorAt, CursorID: cursorID, MaxRows: max,
		})
	}
}

// walkAudit pages through [from, to) with the given page size, each page
// starting after the last row of the one before, until a page comes back
// short. It returns every page.
func walkAudit(t *testing.T, q dbsqlc.Querier, page auditPager, from, to time.Time, size int32) [][]dbsqlc.AuditLog {
	t.Helper()
	var pages [][]dbsqlc.AuditLog
	var cursorAt *time.Time
	var cursorID *int64
	for range 100 {
		rows, err := page(t.Context(), q, from, to, cursorAt, cursorID, size)
		require.NoError(t, err)
		require.NotNil(t, rows, "an empty page is an empty slice")
		require.LessOrEqual(t, len(rows), int(size))
		pages = append(pages, rows)
		if len(rows) < int(size) {
			return pages
		}
		last := rows[len(rows)-1]
		cursorAt, cursorID = &last.CreatedAt, &last.ID
	}
	t.Fatal("keyset pagination does not end")
	return nil
}

func TestAuditLogListKeyset(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	coreID, aliceID := createTeam(t, pool)
	otherID, bobID := createTeam(t, pool)

	base := time.Now().Truncate(time.Second).Add(-time.Hour)
	from, to := base, base.Add(10*time.Second)
	at := func(s float64) *time.Time { return new(base.Add(time.Duration(s * float64(time.Second)))) }

	// Entries of alice in core, with ties on created_at that page
	// boundaries of 2 cut through, plus entries on and just outside the
	// window bounds. Inserted in random order, so ids do not follow
	// created_at.
	type spec struct {
		at      float64
		inRange bool
	}
	specs := []spec{
		{0, true}, {0, true}, {0, true}, // on `from`: inside
		{1, true}, {1, true},
		{2.5, true},
		{7, true}, {7, true}, {7, true}, {7, true},
		{9.999999, true},
		{-0.000001, false}, {-60, false}, // before `from`
		{10, false}, {10, false}, {11, false}, // on `to` and after: outside
	}
	rand.Shuffle(len(specs), func(i, j int) { specs[i], specs[j] = specs[j], specs[i] })

	var wantTeam, wantActor []dbsqlc.AuditLog
	for i, s := range specs {
		e := createAuditLog(t, q, dbsqlc.AuditLogInsertParams{
			ActorUserID: &aliceID, TeamID: &coreID, Action: fmt.Sprintf("core.%d", i), CreatedAt: at(s.at),
		})
		if s.inRange {
			wantTeam = append(wantTeam, e)
			wantActor = append(wantActor, e)
		}
		// Noise at the same instants: another team by alice (only in
		// alice's actor listing), and core by bob (only in core's listing).
		e = createAuditLog(t, q, dbsqlc.AuditLogInsertParams{ActorUserID: &aliceID, TeamID: &otherID, CreatedAt: at(s.at)})
		if s.inRange {
			wantActor = append(wantActor, e)
		}
		e = createAuditLog(t, q, dbsqlc.AuditLogInsertParams{ActorUserID: &bobID, TeamID: &coreID, CreatedAt: at(s.at)})
		if s.inRange {
			wantTeam = append(wantTeam, e)
		}
		createAuditLog(t, q, dbsqlc.AuditLogInsertParams{TeamID: &otherID, CreatedAt: at(s.at)})
	}
	newestFirst := func(a, b dbsqlc.AuditLog) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return int(b.ID - a.ID)
	}
	slices.SortFunc(wantTeam, newestFirst)
	slices.SortFunc(wantActor, newestFirst)
	require.Len(t, wantTeam, 22)
	require.Len(t, wantActor, 22)

	tests := []struct {
		name  string
		page  auditPager
		want  []dbsqlc.AuditLog
		check func(t *testing.T, e dbsqlc.AuditLog)
	}{
		{"by team", auditPagerByTeam(coreID), wantTeam, func(t *testing.T, e dbsqlc.AuditLog) {
			require.Equal(t, coreID, *e.TeamID)
		}},
		{"by actor", auditPagerByActor(aliceID), wantActor, func(t *testing.T, e dbsqlc.AuditLog) {
			require.Equal(t, aliceID, *e.ActorUserID)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pages := walkAudit(t, q, tt.page, from, to, 2)
			require.Len(t, pages, 12, "22 rows in pages of 2, then an empty page")
			var got []dbsqlc.AuditLog
			for _, p := range pages {
				got = append(got, p...)
			}
			require.Equal(t, tt.want, got, "every row of the window exactly once, newest first, ties by id descending")
			for _, e := range got {
				tt.check(t, e)
				require.False(t, e.CreatedAt.Before(from), "from is inclusive")
				require.True(t, e.CreatedAt.Before(to), "to is exclusive")
			}

			// Other page sizes see the same sequence.
			for _, size := range []int32{1, 3, 5, 22, 100} {
				var all []dbsqlc.AuditLog
				for _, p := range walkAudit(t, q, tt.page, from, to, size) {
					all = append(all, p...)
				}
				require.Equal(t, tt.want, all, "page size %d", size)
			}

			// A narrower window: [1s, 7s) holds the three entries at 1s
			// and 2.5s per listing, and none of those at 7s.
			var narrow []dbsqlc.AuditLog
			for _, p := range walkAudit(t, q, tt.page, *at(1), *at(7), 2) {
				narrow = append(narrow, p...)
			}
			var wantNarrow []dbsqlc.AuditLog
			for _, e := range tt.want {
				if !e.CreatedAt.Before(*at(1)) && e.CreatedAt.Before(*at(7)) {
					wantNarrow = append(wantNarrow, e)
				}
			}
			require.Len(t, wantNarrow, 6)
			require.Equal(t, wantNarrow, narrow)

			// An empty window.
			rows, err := tt.page(ctx, q, *at(3), *at(7), nil, nil, 10)
			require.NoError(t, err)
			require.Empty(t, rows)
		})
	}

	t.Run("unknown team or actor", func(t *testing.T) {
		for _, page := range []auditPager{auditPagerByTeam("team_missing"), auditPagerByActor("user_missing")} {
			rows, err := page(ctx, q, from, to, nil, nil, 10)
			require.NoError(t, err)
			require.Empty(t, rows)
		}
	})
}

func TestAuditLogListUsesIndexes(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	teamID, aliceID := createTeam(t, pool)
	// This month's partition (and next month's, within a week of its start).
	_, err := stackdb.MaintainPartitions(ctx, pool, stackdb.PartitionOptions{Ahead: 1})
	require.NoError(t, err)
	for range 30 {
		createAuditLog(t, q, dbsqlc.AuditLogInsertParams{ActorUserID: &aliceID, TeamID: &teamID})
	}
	tx := noSeqscanTx(t, pool)
	execSQL(t, tx, "ANALYZE audit_logs")
	from, to := auditTime(-time.Hour), auditTime(time.Hour)

	tests := []struct {
		name  string
		page  auditPager
		index string
	}{
		{"by team", auditPagerByTeam(teamID), "audit_logs_team_id_created_at_idx"},
		{"by actor", auditPagerByActor(aliceID), "audit_logs_actor_user_id_created_at_idx"},
	}
	for _, tt := range tests {
		for _, first := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s first page %v", tt.name, first), func(t *testing.T) {
				rec := &stmtRecorder{DB: tx}
				var cursorAt *time.Time
				var cursorID *int64
				if !first {
					cursorAt, cursorID = new(time.Now()), new(int64(10))
				}
				rows, err := tt.page(ctx, stackdb.New(rec), from, to, cursorAt, cursorID, 5)
				require.NoError(t, err)
				require.Len(t, rows, 5)
				for _, explainFn := range []func(*testing.T, pgx.Tx, *stmtRecorder) queryPlan{explain, explainGeneric} {
					plan := explainFn(t, tx, rec)
					// Each partition's own index (the month's; two across a month's end).
					require.Equal(t, []string{tt.index}, slices.Compact(rootIndexes(t, tx, plan)), "plan:\n%s", plan)
					require.NotContains(t, plan.String(), `"Sort"`, "the index gives the order:\n%s", plan)
					require.NotContains(t, plan.String(), `"Filter"`, "window and cursor are index conditions:\n%s", plan)
				}
			})
		}
	}
}

// Deleting a user keeps their audit entries with the actor cleared.
func TestAuditLogUserDeleteClearsActor(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	teamID, ownerID := createTeam(t, pool)
	leaverID := createUser(t, pool)
	byLeaver := createAuditLog(t, q, dbsqlc.AuditLogInsertParams{ActorUserID: &leaverID, TeamID: &teamID, Action: "leaver.did"})
	byOwner := createAuditLog(t, q, dbsqlc.AuditLogInsertParams{ActorUserID: &ownerID, TeamID: &teamID, Action: "owner.did"})

	n, err := q.UserDelete(ctx, leaverID)
	require.NoError(t, err)
	require.EqualValues(t, 1, n)

	rows, err := q.AuditLogListByTeamPage(ctx, dbsqlc.AuditLogListByTeamPageParams{
		TeamID: teamID, CreatedFrom: auditTime(-time.Hour), CreatedTo: auditTime(time.Hour), MaxRows: 10,
	})
	require.NoError(t, err)
	cleared := byLeaver
	cleared.ActorUserID = nil
	require.ElementsMatch(t, []dbsqlc.AuditLog{cleared, byOwner}, rows,
		"the entry stays with actor_user_id NULL; others are untouched")

	left, err := q.AuditLogListByActorPage(ctx, dbsqlc.AuditLogListByActorPageParams{
		ActorUserID: leaverID, CreatedFrom: auditTime(-time.Hour), CreatedTo: auditTime(time.Hour), MaxRows: 10,
	})
	require.NoError(t, err)
	require.Empty(t, left)
}

// Deleting a team keeps its audit entries with the team cleared.
func TestAuditLogTeamDeleteClearsTeam(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	teamID, ownerID := createTeam(t, pool)
	e := createAuditLog(t, q, dbsqlc.AuditLogInsertParams{ActorUserID: &ownerID, TeamID: &teamID, Action: "team.delete"})

	n, err := q.TeamDelete(ctx, teamID)
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	rows, err := q.AuditLogListByActorPage(ctx, dbsqlc.AuditLogListByActorPageParams{
		ActorUserID: ownerID, CreatedFrom: auditTime(-time.Hour), CreatedTo: auditTime(time.Hour), MaxRows: 10,
	})
	require.NoError(t, err)
	e.TeamID = nil
	require.Equal(t, []dbsqlc.AuditLog{e}, rows)
	require.Equal(t, 1, countRows(t, pool, "audit_logs", "team_id IS NULL"))
}

func TestAuditLogDeleteOlderThan(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	cutoff := auditTime(-24 * time.Hour)
	for _, d := range []time.Duration{-48 * time.Hour, -time.Hour, -time.Microsecond} {
		createAuditLog(t, q, dbsqlc.AuditLogInsertParams{Action: "old", CreatedAt: new(cutoff.Add(d))})
	}
	onCutoff := createAuditLog(t, q, dbsqlc.AuditLogInsertParams{Action: "on cutoff", CreatedAt: &cutoff})
	recent := createAuditLog(t, q, dbsqlc.AuditLogInsertParams{Action: "recent"})

	tests := []struct {
		name string
		want int64
	}{
		{"deletes what is older", 3},
		{"a second sweep finds nothing", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := q.AuditLogDeleteOlderThan(ctx, cutoff)
			require.NoError(t, err)
			require.Equal(t, tt.want, n)
			require.Equal(t, 2, countRows(t, pool, "audit_logs", "id IN ($1, $2)", onCutoff.ID, recent.ID), "the cutoff is exclusive")
			require.Equal(t, 2, countRows(t, pool, "audit_logs", "true"))
		})
	}
}
