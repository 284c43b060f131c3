package stackdb_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/gen/dbsqlc"
)

// ---------------------------------------------------------------------------
// Fixtures of the team tables.

// createTeamMember adds a membership row with plain SQL, duplicates
// included (real data has them), joined at now()+offset.
func createTeamMember(t *testing.T, db stackdb.DB, teamID, userID, role string, offset time.Duration) string {
	t.Helper()
	id := newID("mem")
	insert(t, db, `INSERT INTO team_members (id, team_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4, now() + $5::interval)`,
		id, teamID, userID, role, offset.String())
	return id
}

// ---------------------------------------------------------------------------
// teams

func TestTeamInsertWithOwner(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	owner := createUser(t, pool)

	rec := &stmtRecorder{DB: pool}
	team, err := stackdb.New(rec).TeamInsertWithOwner(ctx, dbsqlc.TeamInsertWithOwnerParams{
		ID: "team_core", Name: "Core", Slug: "core", Description: new("the core team"), OwnerID: owner, IsDefault: true, MembershipID: "mem_core",
	})
	require.NoError(t, err)
	require.Equal(t, 1, rec.calls, "team and membership in one round trip")
	require.Equal(t, dbsqlc.Team{
		ID: "team_core", Name: "Core", Slug: "core", Description: new("the core team"), OwnerID: owner, IsDefault: true,
		NonHttpMcpLimit: 1, McpServerLimit: 5, MemberLimit: 3, GithubMcpLimit: 1,
		CreatedAt: team.CreatedAt, UpdatedAt: team.UpdatedAt,
	}, team, "the limits take the real defaults")
	m, err := q.TeamMemberGetByTeamAndUser(ctx, dbsqlc.TeamMemberGetByTeamAndUserParams{TeamID: team.ID, UserID: owner})
	require.NoError(t, err)
	require.Equal(t, dbsqlc.TeamMember{ID: "mem_core", TeamID: team.ID, UserID: owner, Role: "team_admin", JoinedAt: m.JoinedAt}, m)

	tests := []struct {
		name   string
		params dbsqlc.TeamInsertWithOwnerParams
		check  func(t *testing.T, err error)
	}{
		{"slug taken", dbsqlc.TeamInsertWithOwnerParams{ID: "team_2", Name: "Core 2", Slug: "core", OwnerID: owner, MembershipID: "mem_2"},
			func(t *testing.T, err error) {
				require.True(t, stackdb.IsUniqueViolation(err, "teams_slug_key"), "%v", err)
			}},
		{"unknown owner", dbsqlc.TeamInsertWithOwnerParams{ID: "team_3", Name: "X", Slug: "x", OwnerID: "user_missing", MembershipID: "mem_3"},
			func(t *testing.T, err error) {
				var cerr *stackdb.ConstraintError
				require.ErrorAs(t, err, &cerr)
				require.Equal(t, stackdb.ForeignKey, cerr.Kind, "%v", err)
			}},
		{"membership id taken", dbsqlc.TeamInsertWithOwnerParams{ID: "team_4", Name: "Y", Slug: "y", OwnerID: owner, MembershipID: "mem_core"},
			func(t *testing.T, err error) {
				require.True(t, stackdb.IsUniqueViolation(err, "team_members_pkey"), "%v", err)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := q.TeamInsertWithOwner(ctx, tt.params)
			tt.check(t, err)
			require.Zero(t, countRows(t, pool, "teams", "id = $1", tt.params.ID), "no team")
			require.Zero(t, countRows(t, pool, "team_members", "team_id = $1", tt.params.ID), "no membership")
		})
	}
}

func TestTeamGet(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	teamID, owner := createTeam(t, pool)
	insert(t, pool, `INSERT INTO teams (id, name, slug, owner_id, is_default, created_at) VALUES
		('team_def_new', 'n', 'def-new', $1, true, now()),
		('team_def_old', 'o', 'def-old', $1, true, now() - interval '1 day')`, owner)
	noDefault := createUser(t, pool)

	tests := []struct {
		name   string
		get    func() (dbsqlc.Team, error)
		wantID string // empty: ErrNotFound
	}{
		{"by id", func() (dbsqlc.Team, error) { return q.TeamGetByID(ctx, teamID) }, teamID},
		{"by id missing", func() (dbsqlc.Team, error) { return q.TeamGetByID(ctx, "team_missing") }, ""},
		{"by slug", func() (dbsqlc.Team, error) { return q.TeamGetBySlug(ctx, teamID) }, teamID}, // the fixture's slug is its id
		{"by slug missing", func() (dbsqlc.Team, error) { return q.TeamGetBySlug(ctx, "nope") }, ""},
		{"default, the oldest of two", func() (dbsqlc.Team, error) { return q.TeamGetDefaultByOwner(ctx, owner) }, "team_def_old"},
		{"no default", func() (dbsqlc.Team, error) { return q.TeamGetDefaultByOwner(ctx, noDefault) }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			team, err := tt.get()
			if tt.wantID == "" {
				require.ErrorIs(t, err, stackdb.ErrNotFound)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.wantID, team.ID)
		})
	}

	all, err := q.TeamList(ctx)
	require.NoError(t, err)
	require.Len(t, all, 3)
	require.Equal(t, "team_def_old", all[0].ID, "oldest first")
}

func TestTeamListByUser(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	user := createUser(t, pool)
	adminTwice, _ := createTeam(t, pool)
	mixed, _ := createTeam(t, pool)
	member, _ := createTeam(t, pool)
	notMine, _ := createTeam(t, pool)
	insert(t, pool, `UPDATE teams SET created_at = created_at - interval '1 hour' WHERE id = $1`, member)
	createTeamMember(t, pool, adminTwice, user, "team_admin", 0)
	createTeamMember(t, pool, adminTwice, user, "team_admin", time.Minute)
	createTeamMember(t, pool, mixed, user, "team_user", -time.Hour)
	createTeamMember(t, pool, mixed, user, "team_admin", 0)
	createTeamMember(t, pool, member, user, "team_user", 0)
	createTeamMember(t, pool, notMine, createUser(t, pool), "team_admin", 0)

	rec := &stmtRecorder{DB: pool}
	rows, err := stackdb.New(rec).TeamListByUser(ctx, user)
	require.NoError(t, err)
	require.Equal(t, 1, rec.calls, "teams and roles in one round trip")
	type teamRole struct{ team, role string }
	var got []teamRole
	for _, r := range rows {
		got = append(got, teamRole{r.Team.ID, r.Role})
	}
	require.Equal(t, []teamRole{{member, "team_user"}, {adminTwice, "team_admin"}, {mixed, "team_admin"}}, got,
		"each team once, by creation; admin if any duplicate row says so")
	var mixedJoined time.Time
	require.NoError(t, pool.QueryRow(ctx, `SELECT min(joined_at) FROM team_members WHERE team_id = $1`, mixed).Scan(&mixedJoined))
	require.True(t, mixedJoined.Equal(rows[2].JoinedAt), "joined at the earliest row")

	none, err := q.TeamListByUser(ctx, "user_missing")
	require.NoError(t, err)
	require.Empty(t, none)
}

func TestTeamUpdate(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	teamID, _ := createTeam(t, pool)
	other, _ := createTeam(t, pool)
	before, err := q.TeamGetByID(ctx, teamID)
	require.NoError(t, err)

	team, err := q.TeamUpdate(ctx, dbsqlc.TeamUpdateParams{ID: teamID, Name: new("Renamed"), Description: new("d")})
	require.NoError(t, err)
	require.Equal(t, "Renamed", team.Name)
	require.Equal(t, before.Slug, team.Slug, "nil keeps the slug")
	require.Equal(t, "d", *team.Description)
	require.True(t, team.UpdatedAt.After(before.UpdatedAt) || team.UpdatedAt.Equal(before.UpdatedAt))
	_, err = q.TeamUpdate(ctx, dbsqlc.TeamUpdateParams{ID: "team_missing", Name: new("x")})
	require.ErrorIs(t, err, stackdb.ErrNotFound)
	_, err = q.TeamUpdate(ctx, dbsqlc.TeamUpdateParams{ID: teamID, Slug: &other})
	require.True(t, stackdb.IsUniqueViolation(err, "teams_slug_key"), "%v", err)

	n, err := q.TeamUpdateLimits(ctx, dbsqlc.TeamUpdateLimitsParams{ID: teamID, MemberLimit: new(int32(10)), AllowGithubMcp: new(true)})
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	team, err = q.TeamGetByID(ctx, teamID)
	require.NoError(t, err)
	require.EqualValues(t, 10, team.MemberLimit)
	require.True(t, team.AllowGithubMcp)
	require.EqualValues(t, 5, team.McpServerLimit, "nil keeps a limit")
	require.False(t, team.AllowRemoteMcp)
	n, err = q.TeamUpdateLimits(ctx, dbsqlc.TeamUpdateLimitsParams{ID: "team_missing", MemberLimit: new(int32(1))})
	require.NoError(t, err)
	require.Zero(t, n)
}

func TestTeamUpdateOwner(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	teamID, owner := createTeam(t, pool)
	createTeamMember(t, pool, teamID, owner, "team_admin", 0)
	heir := createUser(t, pool)
	createTeamMember(t, pool, teamID, heir, "team_user", 0)
	createTeamMember(t, pool, teamID, heir, "team_user", time.Minute) // a duplicate row
	outsider := createUser(t, pool)
	defaultTeam, defaultOwner := createTeam(t, pool)
	insert(t, pool, `UPDATE teams SET is_default = true WHERE id = $1`, defaultTeam)
	createTeamMember(t, pool, defaultTeam, heir, "team_user", 0)

	refused := []struct {
		name           string
		teamID, heirID string
	}{
		{"not a member", teamID, outsider},
		{"a default team", defaultTeam, heir},
		{"no such team", "team_missing", heir},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			_, err := q.TeamUpdateOwner(ctx, dbsqlc.TeamUpdateOwnerParams{ID: tt.teamID, NewOwnerID: tt.heirID})
			require.ErrorIs(t, err, stackdb.ErrNotFound)
			require.Zero(t, countRows(t, pool, "team_members", "user_id = $1 AND role = 'team_admin'", tt.heirID), "nobody promoted")
		})
	}
	d, err := q.TeamGetByID(ctx, defaultTeam)
	require.NoError(t, err)
	require.Equal(t, defaultOwner, d.OwnerID)

	rec := &stmtRecorder{DB: pool}
	team, err := stackdb.New(rec).TeamUpdateOwner(ctx, dbsqlc.TeamUpdateOwnerParams{ID: teamID, NewOwnerID: heir})
	require.NoError(t, err)
	require.Equal(t, 1, rec.calls, "owner and role in one round trip")
	require.Equal(t, heir, team.OwnerID)
	require.Equal(t, 2, countRows(t, pool, "team_members", "team_id = $1 AND user_id = $2 AND role = 'team_admin'", teamID, heir), "every row of the membership")
	m, err := q.TeamMemberGetByTeamAndUser(ctx, dbsqlc.TeamMemberGetByTeamAndUserParams{TeamID: teamID, UserID: owner})
	require.NoError(t, err)
	require.Equal(t, "team_admin", m.Role, "the previous owner stays, as they were")
}

func TestTeamDelete(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	teamID, owner := createTeam(t, pool)
	createTeamMember(t, pool, teamID, owner, "team_admin", 0)
	insert(t, pool, `INSERT INTO team_cloud_credentials (id, team_id, provider_id, name, credentials, created_by) VALUES ('c1', $1, 'aws', 'c', 'ciphertext', $2)`, teamID, owner)

	n, err := q.TeamDelete(ctx, teamID)
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	require.Zero(t, countRows(t, pool, "team_members", "team_id = $1", teamID))
	require.Zero(t, countRows(t, pool, "team_cloud_credentials", "team_id = $1", teamID))
	require.Equal(t, 1, countRows(t, pool, "users", "id = $1", owner), "the owner stays")
	n, err = q.TeamDelete(ctx, teamID)
	require.NoError(t, err)
	require.Zero(t, n)
}

// ---------------------------------------------------------------------------
// team_members

func TestTeamMemberQueries(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	teamID, owner := createTeam(t, pool)
	createTeamMember(t, pool, teamID, owner, "team_admin", -2*time.Hour)
	dup := createUser(t, pool) // a member twice, as real data has
	createTeamMember(t, pool, teamID, dup, "team_user", -time.Hour)
	dupAdmin := createTeamMember(t, pool, teamID, dup, "team_admin", 0)
	otherTeam, _ := createTeam(t, pool)
	createTeamMember(t, pool, otherTeam, dup, "team_user", 0)
	newcomer := createUser(t, pool)

	t.Run("insert", func(t *testing.T) {
		n, err := q.TeamMemberInsert(ctx, dbsqlc.TeamMemberInsertParams{ID: "mem_new", TeamID: teamID, UserID: newcomer, Role: "team_user"})
		require.NoError(t, err)
		require.EqualValues(t, 1, n)
		n, err = q.TeamMemberInsert(ctx, dbsqlc.TeamMemberInsertParams{ID: "mem_again", TeamID: teamID, UserID: newcomer, Role: "team_admin"})
		require.NoError(t, err)
		require.Zero(t, n, "already a member: nothing inserted")
		require.Equal(t, 1, countRows(t, pool, "team_members", "user_id = $1", newcomer))

		_, err = q.TeamMemberInsert(ctx, dbsqlc.TeamMemberInsertParams{ID: "mem_bad", TeamID: teamID, UserID: createUser(t, pool), Role: "owner"})
		requireConstraint(t, err, stackdb.Check, "team_members_role_check")
		_, err = q.TeamMemberInsert(ctx, dbsqlc.TeamMemberInsertParams{ID: "mem_bad", TeamID: "team_missing", UserID: newcomer, Role: "team_user"})
		requireConstraint(t, err, stackdb.ForeignKey, "team_members_team_id_fkey")
	})

	t.Run("get", func(t *testing.T) {
		m, err := q.TeamMemberGetByTeamAndUser(ctx, dbsqlc.TeamMemberGetByTeamAndUserParams{TeamID: teamID, UserID: dup})
		require.NoError(t, err)
		require.Equal(t, dupAdmin, m.ID, "the team_admin row of the duplicates")
		_, err = q.TeamMemberGetByTeamAndUser(ctx, dbsqlc.TeamMemberGetByTeamAndUserParams{TeamID: otherTeam, UserID: owner})
		require.ErrorIs(t, err, stackdb.ErrNotFound)
	})

	t.Run("list and count", func(t *testing.T) {
		members, err := q.TeamMemberListByTeam(ctx, teamID)
		require.NoError(t, err)
		require.Len(t, members, 3, "each user once")
		require.Equal(t, []string{owner, dup, newcomer}, []string{members[0].UserID, members[1].UserID, members[2].UserID}, "by join time")
		require.Equal(t, dupAdmin, members[1].ID)
		require.Equal(t, "team_admin", members[1].Role)
		require.Equal(t, dup, members[1].Username, "with the user's fields (the fixture's username is its id)")
		require.Equal(t, dup+"@example.com", members[1].Email)

		n, err := q.TeamMemberCountByTeam(ctx, teamID)
		require.NoError(t, err)
		require.EqualValues(t, 3, n, "distinct users, not rows (4)")
		n, err = q.TeamMemberCountByUser(ctx, dup)
		require.NoError(t, err)
		require.EqualValues(t, 2, n)
		n, err = q.TeamMemberCountByTeam(ctx, "team_missing")
		require.NoError(t, err)
		require.Zero(t, n)
	})

	t.Run("update role", func(t *testing.T) {
		n, err := q.TeamMemberUpdateRole(ctx, dbsqlc.TeamMemberUpdateRoleParams{TeamID: teamID, UserID: dup, Role: "team_user"})
		require.NoError(t, err)
		require.EqualValues(t, 2, n, "every row of the membership")
		m, err := q.TeamMemberGetByTeamAndUser(ctx, dbsqlc.TeamMemberGetByTeamAndUserParams{TeamID: teamID, UserID: dup})
		require.NoError(t, err)
		require.Equal(t, "team_user", m.Role)
		require.Equal(t, 1, countRows(t, pool, "team_members", "team_id = $1 AND role = 'team_user' AND user_id = $2", otherTeam, dup), "other teams untouched")
		n, err = q.TeamMemberUpdateRole(ctx, dbsqlc.TeamMemberUpdateRoleParams{TeamID: teamID, UserID: "user_missing", Role: "team_user"})
		require.NoError(t, err)
		require.Zero(t, n)
	})

	t.Run("delete", func(t *testing.T) {
		n, err := q.TeamMemberDeleteByTeamAndUser(ctx, dbsqlc.TeamMemberDeleteByTeamAndUserParams{TeamID: teamID, UserID: dup})
		require.NoError(t, err)
		require.EqualValues(t, 2, n, "every row of the membership")
		require.Equal(t, 1, countRows(t, pool, "team_members", "user_id = $1", dup), "the other team's membership stays")
		n, err = q.TeamMemberDeleteByTeamAndUser(ctx, dbsqlc.TeamMemberDeleteByTeamAndUserParams{TeamID: teamID, UserID: dup})
		require.NoError(t, err)
		require.Zero(t, n)
	})
}

// ---------------------------------------------------------------------------
// user_preferences

func TestUserPreferenceQueries(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	userID, other := createUser(t, pool), createUser(t, pool)

	n, err := q.UserPreferenceInsertMany(ctx, dbsqlc.UserPreferenceInsertManyParams{
		UserID:           userID,
		Ids:              []string{"p1", "p2", "p3"},
		PreferenceKeys:   []string{"theme", "walkthrough_completed", "sidebar_collapsed"},
		PreferenceValues: []string{"auto", "false", "false"},
	})
	require.NoError(t, err)
	require.EqualValues(t, 3, n)
	// A duplicate of theme, newer, as real data may hold.
	insert(t, pool, `INSERT INTO user_preferences (id, user_id, preference_key, preference_value, updated_at) VALUES ('p_dup', $1, 'theme', 'dark', now() + interval '1 minute')`, userID)
	insert(t, pool, `INSERT INTO user_preferences (id, user_id, preference_key, preference_value) VALUES ('p_other', $1, 'theme', 'light')`, other)

	p, err := q.UserPreferenceGetByUserAndKey(ctx, dbsqlc.UserPreferenceGetByUserAndKeyParams{UserID: userID, PreferenceKey: "theme"})
	require.NoError(t, err)
	require.Equal(t, "dark", p.PreferenceValue, "the newest row of a duplicated key")
	_, err = q.UserPreferenceGetByUserAndKey(ctx, dbsqlc.UserPreferenceGetByUserAndKeyParams{UserID: userID, PreferenceKey: "missing"})
	require.ErrorIs(t, err, stackdb.ErrNotFound)

	all, err := q.UserPreferenceListByUser(ctx, userID)
	require.NoError(t, err)
	got := map[string]string{}
	for _, p := range all {
		got[p.PreferenceKey] = p.PreferenceValue
	}
	require.Len(t, all, 3, "each key once")
	require.Equal(t, map[string]string{"theme": "dark", "walkthrough_completed": "false", "sidebar_collapsed": "false"}, got)

	tests := []struct {
		name      string
		key       string
		wantRows  int // rows of the key afterwards
		wantNewID bool
	}{
		{"update every duplicate", "theme", 2, false},
		{"update one", "walkthrough_completed", 1, false},
		{"insert missing", "beta_features_enabled", 1, true},
	}
	for _, tt := range tests {
		t.Run("upsert "+tt.name, func(t *testing.T) {
			rec := &stmtRecorder{DB: pool}
			id := newID("pref")
			p, err := stackdb.New(rec).UserPreferenceUpsert(ctx, dbsqlc.UserPreferenceUpsertParams{
				ID: id, UserID: userID, PreferenceKey: tt.key, PreferenceValue: "true",
			})
			require.NoError(t, err)
			require.Equal(t, 1, rec.calls, "one round trip")
			require.Equal(t, tt.key, p.PreferenceKey)
			require.Equal(t, "true", p.PreferenceValue)
			require.Equal(t, tt.wantNewID, p.ID == id, "the new id only when inserted")
			require.Equal(t, tt.wantRows, countRows(t, pool, "user_preferences", "user_id = $1 AND preference_key = $2", userID, tt.key))
			require.Equal(t, tt.wantRows, countRows(t, pool, "user_preferences", "user_id = $1 AND preference_key = $2 AND preference_value = 'true'", userID, tt.key),
				"every row of the key has the value")
		})
	}
	p, err = q.UserPreferenceGetByUserAndKey(ctx, dbsqlc.UserPreferenceGetByUserAndKeyParams{UserID: other, PreferenceKey: "theme"})
	require.NoError(t, err)
	require.Equal(t, "light", p.PreferenceValue, "other users untouched")

	n, err = q.UserPreferenceDeleteByUserAndKey(ctx, dbsqlc.UserPreferenceDeleteByUserAndKeyParams{UserID: userID, PreferenceKey: "theme"})
	require.NoError(t, err)
	require.EqualValues(t, 2, n)
	n, err = q.UserPreferenceDeleteByUserAndKey(ctx, dbsqlc.UserPreferenceDeleteByUserAndKeyParams{UserID: userID, PreferenceKey: "theme"})
	require.NoError(t, err)
	require.Zero(t, n)
}

// ---------------------------------------------------------------------------
// Index use

func TestTeamQueriesUseIndexes(t *testing.T) {
	t.Parallel()
	ctx, pool, _ := setup(t)
	teamID, owner := createTeam(t, pool)
	insert(t, pool, `INSERT INTO users (id, username, email, auth_type)
		SELECT 'bulk_' || i, 'bulk_' || i, 'bulk_' || i || '@example.com', 'github' FROM generate_series(1, 1000) i`)
	insert(t, pool, `INSERT INTO teams (id, name, slug, owner_id, is_default)
		SELECT 'bulk_team_' || i, 't', 'bulk-' || i, 'bulk_' || i, true FROM generate_series(1, 1000) i`)
	insert(t, pool, `INSERT INTO team_members (id, team_id, user_id, role)
		SELECT 'bulk_mem_' || i, 'bulk_team_' || (i % 1000 + 1), 'bulk_' || (i % 997 + 1), 'team_user' FROM generate_series(1, 3000) i`)
	insert(t, pool, `INSERT INTO user_preferences (id, user_id, preference_key, preference_value)
		SELECT 'bulk_pref_' || i, 'bulk_' || (i % 1000 + 1), 'k' || (i % 7), 'v' FROM generate_series(1, 3000) i`)
	tx := noSeqscanTx(t, pool)
	execSQL(t, tx, "ANALYZE users, teams, team_members, user_preferences")

	tests := []struct {
		name  string
		query func(q dbsqlc.Querier) error
		index string
	}{
		{"TeamListByUser", func(q dbsqlc.Querier) error {
			_, err := q.TeamListByUser(ctx, "bulk_5")
			return err
		}, "team_members_user_id_idx"},
		{"TeamGetDefaultByOwner", func(q dbsqlc.Querier) error {
			_, err := q.TeamGetDefaultByOwner(ctx, "bulk_5")
			return err
		}, "teams_owner_id_idx"},
		{"TeamGetBySlug", func(q dbsqlc.Querier) error {
			_, err := q.TeamGetBySlug(ctx, teamID)
			return err
		}, "teams_slug_key"},
		{"TeamMemberListByTeam", func(q dbsqlc.Querier) error {
			_, err := q.TeamMemberListByTeam(ctx, "bulk_team_5")
			return err
		}, "team_members_team_id_user_id_idx"},
		{"TeamMemberGetByTeamAndUser", func(q dbsqlc.Querier) error {
			_, err := q.TeamMemberGetByTeamAndUser(ctx, dbsqlc.TeamMemberGetByTeamAndUserParams{TeamID: teamID, UserID: owner})
			return ignoreNotFound(err)
		}, "team_members_team_id_user_id_idx"},
		{"TeamMemberCountByTeam", func(q dbsqlc.Querier) error {
			_, err := q.TeamMemberCountByTeam(ctx, "bulk_team_5")
			return err
		}, "team_members_team_id_user_id_idx"},
		{"UserPreferenceListByUser", func(q dbsqlc.Querier) error {
			_, err := q.UserPreferenceListByUser(ctx, "bulk_5")
			return err
		}, ""}, // any of the real (user_id, ...) indexes
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := explainQuery(t, tx, tt.query)
			if tt.index == "" {
				require.NotEmpty(t, plan.IndexConds(), "plan:\n%s", plan.Text())
				return
			}
			require.Contains(t, plan.Indexes(), tt.index, "plan:\n%s", plan.Text())
		})
	}
}
