package stackdb_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/gen/dbsqlc"
)

// instFixture is a user and their team, ready to install servers.
type instFixture struct {
	user dbsqlc.User
	team dbsqlc.Team
}

func newInstFixture(t *testing.T, q dbsqlc.Querier) instFixture {
	t.Helper()
	role := createRole(t, q, newID("role"))
	id := newID("inst")
	user := createUser(t, q, role.ID, id+"@example.com")
	return instFixture{user: user, team: createTeam(t, q, user.ID, "Team "+id, "team-"+id)}
}

func newInstInstallation(t *testing.T, q dbsqlc.Querier, teamID, serverID, userID, name string) dbsqlc.McpServerInstallation {
	t.Helper()
	inst, err := q.McpServerInstallationCreate(t.Context(), dbsqlc.McpServerInstallationCreateParams{
		ID: newID("inst"), TeamID: teamID, ServerID: serverID, CreatedBy: userID,
		InstallationName: name, InstallationType: dbsqlc.InstallationTypeLocal,
	})
	require.NoError(t, err)
	return inst
}

func TestInstallationCreateGetDelete(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)
	f := newInstFixture(t, q)
	srv := newCatalogServer(t, q, dbsqlc.McpServerCreateParams{})

	created, err := q.McpServerInstallationCreate(ctx, dbsqlc.McpServerInstallationCreateParams{
		ID: "inst_a", TeamID: f.team.ID, ServerID: srv.ID, CreatedBy: f.user.ID, InstallationName: "Mine",
		InstallationType: dbsqlc.InstallationTypeCloud, UserEnvironmentVariables: json.RawMessage(`{"TOKEN":"t"}`),
	})
	require.NoError(t, err)
	require.JSONEq(t, `{"TOKEN":"t"}`, string(created.UserEnvironmentVariables))
	require.Equal(t, dbsqlc.McpServerInstallation{
		ID: "inst_a", TeamID: f.team.ID, ServerID: srv.ID, CreatedBy: f.user.ID, InstallationName: "Mine",
		InstallationType: dbsqlc.InstallationTypeCloud, UserEnvironmentVariables: created.UserEnvironmentVariables,
		CreatedAt: created.CreatedAt, UpdatedAt: created.CreatedAt,
	}, created)
	require.WithinDuration(t, time.Now(), created.CreatedAt, time.Minute)
	require.Nil(t, created.LastUsedAt, "never used yet")

	minimal := newInstInstallation(t, q, f.team.ID, srv.ID, f.user.ID, "Second")
	require.Nil(t, minimal.UserEnvironmentVariables)

	got, err := q.McpServerInstallationGetByID(ctx, "inst_a")
	require.NoError(t, err)
	require.Equal(t, created, got)
	_, err = q.McpServerInstallationGetByID(ctx, "inst_missing")
	require.ErrorIs(t, err, stackdb.ErrNotFound)

	n, err := q.McpServerInstallationDelete(ctx, "inst_a")
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	n, err = q.McpServerInstallationDelete(ctx, "inst_a")
	require.NoError(t, err)
	require.EqualValues(t, 0, n)
	_, err = q.McpServerInstallationGetByID(ctx, "inst_a")
	require.ErrorIs(t, err, stackdb.ErrNotFound)
	_, err = q.McpServerInstallationGetByID(ctx, minimal.ID)
	require.NoError(t, err, "only the named installation is deleted")
	_, err = q.McpServerGetByID(ctx, srv.ID)
	require.NoError(t, err, "the server stays")
}

func TestInstallationConstraints(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)
	f := newInstFixture(t, q)
	srv := newCatalogServer(t, q, dbsqlc.McpServerCreateParams{})

	valid := dbsqlc.McpServerInstallationCreateParams{
		TeamID: f.team.ID, ServerID: srv.ID, CreatedBy: f.user.ID, InstallationName: "X",
		InstallationType: dbsqlc.InstallationTypeLocal,
	}
	tests := []struct {
		name       string
		edit       func(*dbsqlc.McpServerInstallationCreateParams)
		kind       stackdb.ConstraintKind
		constraint string
	}{
		{"unknown team", func(p *dbsqlc.McpServerInstallationCreateParams) { p.TeamID = "team_missing" },
			stackdb.ForeignKey, "mcp_server_installations_team_id_fkey"},
		{"unknown server", func(p *dbsqlc.McpServerInstallationCreateParams) { p.ServerID = "srv_missing" },
			stackdb.ForeignKey, "mcp_server_installations_server_id_fkey"},
		{"unknown creator", func(p *dbsqlc.McpServerInstallationCreateParams) { p.CreatedBy = "user_missing" },
			stackdb.ForeignKey, "mcp_server_installations_created_by_fkey"},
		{"env not an object", func(p *dbsqlc.McpServerInstallationCreateParams) {
			p.UserEnvironmentVariables = json.RawMessage(`["A=1"]`)
		}, stackdb.Check, "mcp_server_installations_user_env_is_object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := valid
			p.ID = newID("inst")
			tt.edit(&p)
			_, err := q.McpServerInstallationCreate(ctx, p)
			requireConstraintError(t, err, tt.kind, "mcp_server_installations", tt.constraint)
		})
	}
	p := valid
	p.ID = newID("inst")
	_, err := q.McpServerInstallationCreate(ctx, p)
	require.NoError(t, err, "the valid base case is accepted")
}

func TestInstallationListWithServers(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	f := newInstFixture(t, q)
	other := newInstFixture(t, q)
	gh := newCatalogServer(t, q, dbsqlc.McpServerCreateParams{Name: "GitHub", Tags: json.RawMessage(`["vcs"]`)})
	pg := newCatalogServer(t, q, dbsqlc.McpServerCreateParams{Name: "Postgres", Metadata: json.RawMessage(`{"v":1}`)})

	empty, err := q.McpServerInstallationListWithServers(ctx, f.team.ID)
	require.NoError(t, err)
	require.NotNil(t, empty)
	require.Empty(t, empty)

	// Names sort in another order than creation and ids; the same server
	// may be installed twice.
	work := newInstInstallation(t, q, f.team.ID, gh.ID, f.user.ID, "Work GitHub")
	db := newInstInstallation(t, q, f.team.ID, pg.ID, f.user.ID, "Analytics DB")
	personal := newInstInstallation(t, q, f.team.ID, gh.ID, f.user.ID, "Personal GitHub")
	newInstInstallation(t, q, other.team.ID, pg.ID, other.user.ID, "Not ours")

	rec := &stmtRecorder{DB: pool}
	rows, err := stackdb.New(rec).McpServerInstallationListWithServers(ctx, f.team.ID)
	require.NoError(t, err)
	require.Equal(t, 1, rec.calls, "one statement for installations and servers")
	require.Equal(t, []dbsqlc.McpServerInstallationListWithServersRow{
		{McpServerInstallation: db, McpServer: pg},
		{McpServerInstallation: personal, McpServer: gh},
		{McpServerInstallation: work, McpServer: gh},
	}, rows, "this team's installations by name, each with its full server row")

	tx := noSeqscanTx(t, pool)
	rec = &stmtRecorder{DB: tx}
	rows, err = stackdb.New(rec).McpServerInstallationListWithServers(ctx, other.team.ID)
	require.NoError(t, err)
	require.Len(t, rows, 1)
	require.Equal(t, "Not ours", rows[0].McpServerInstallation.InstallationName)
	require.Equal(t, pg.ID, rows[0].McpServer.ID)
	plan := explain(t, tx, rec)
	require.Contains(t, plan.Indexes(), "mcp_server_installations_team_id_server_id_idx", "plan:\n%s", plan)
}

// newInstAged creates an installation whose created_at and updated_at
// lie an hour back, so a bump of updated_at is visible.
func newInstAged(t *testing.T, q dbsqlc.Querier, pool stackdb.DB, env string) (dbsqlc.McpServerInstallation, time.Time) {
	t.Helper()
	f := newInstFixture(t, q)
	srv := newCatalogServer(t, q, dbsqlc.McpServerCreateParams{})
	p := dbsqlc.McpServerInstallationCreateParams{
		ID: newID("inst"), TeamID: f.team.ID, ServerID: srv.ID, CreatedBy: f.user.ID, InstallationName: "I",
		InstallationType: dbsqlc.InstallationTypeLocal,
	}
	if env != "" {
		p.UserEnvironmentVariables = json.RawMessage(env)
	}
	inst, err := q.McpServerInstallationCreate(t.Context(), p)
	require.NoError(t, err)
	past := time.Now().Add(-time.Hour).Truncate(time.Microsecond)
	_, err = pool.Exec(t.Context(), "UPDATE mcp_server_installations SET created_at = $1, updated_at = $1 WHERE id = $2", past, inst.ID)
	require.NoError(t, err)
	inst.CreatedAt, inst.UpdatedAt = past, past
	return inst, past
}

func TestInstallationSetEnv(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)

	tests := []struct {
		name string
		from string // "" is NULL
		set  json.RawMessage
		want string // "" is NULL
	}{
		{"replaces the whole document", `{"A":"1","B":"2"}`, json.RawMessage(`{"C":"3"}`), `{"C":"3"}`},
		{"sets a NULL document", "", json.RawMessage(`{"A":"1"}`), `{"A":"1"}`},
		{"empty object", `{"A":"1"}`, json.RawMessage(`{}`), `{}`},
		{"nil stores NULL", `{"A":"1"}`, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inst, past := newInstAged(t, q, pool, tt.from)
			n, err := q.McpServerInstallationSetEnv(ctx, dbsqlc.McpServerInstallationSetEnvParams{ID: inst.ID, UserEnvironmentVariables: tt.set})
			require.NoError(t, err)
			require.EqualValues(t, 1, n)
			got, err := q.McpServerInstallationGetByID(ctx, inst.ID)
			require.NoError(t, err)
			if tt.want == "" {
				require.Nil(t, got.UserEnvironmentVariables)
			} else {
				require.JSONEq(t, tt.want, string(got.UserEnvironmentVariables))
			}
			require.True(t, got.UpdatedAt.After(past), "updated_at is bumped")
			require.Equal(t, past, got.CreatedAt)
		})
	}

	inst, _ := newInstAged(t, q, pool, `{"KEEP":"1"}`)
	for _, bad := range []string{`["A=1"]`, `"A=1"`, `42`, `null`, `true`} {
		t.Run("refuses "+bad, func(t *testing.T) {
			_, err := q.McpServerInstallationSetEnv(ctx, dbsqlc.McpServerInstallationSetEnvParams{ID: inst.ID, UserEnvironmentVariables: json.RawMessage(bad)})
			requireConstraintError(t, err, stackdb.Check, "mcp_server_installations", "mcp_server_installations_user_env_is_object")
			got, err := q.McpServerInstallationGetByID(ctx, inst.ID)
			require.NoError(t, err)
			require.JSONEq(t, `{"KEEP":"1"}`, string(got.UserEnvironmentVariables), "the refused update changes nothing")
		})
	}

	n, err := q.McpServerInstallationSetEnv(ctx, dbsqlc.McpServerInstallationSetEnvParams{ID: "inst_missing", UserEnvironmentVariables: json.RawMessage(`{}`)})
	require.NoError(t, err)
	require.EqualValues(t, 0, n)
}

func TestInstallationMergeEnv(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)

	tests := []struct {
		name  string
		from  string // "" is NULL
		patch json.RawMessage
		want  string
	}{
		{"overwrites and adds keys, keeps the rest", `{"A":"1","B":"2"}`, json.RawMessage(`{"B":"20","C":"3"}`), `{"A":"1","B":"20","C":"3"}`},
		{"null removes a key", `{"A":"1","B":"2"}`, json.RawMessage(`{"A":null,"C":"3"}`), `{"B":"2","C":"3"}`},
		{"removing a missing key", `{"A":"1"}`, json.RawMessage(`{"Z":null}`), `{"A":"1"}`},
		{"into a NULL document", "", json.RawMessage(`{"A":"1"}`), `{"A":"1"}`},
		{"empty patch", `{"A":"1"}`, json.RawMessage(`{}`), `{"A":"1"}`},
		{"nil patch", `{"A":"1"}`, nil, `{"A":"1"}`},
		{"nil patch on a NULL document", "", nil, `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inst, past := newInstAged(t, q, pool, tt.from)
			n, err := q.McpServerInstallationMergeEnv(ctx, dbsqlc.McpServerInstallationMergeEnvParams{ID: inst.ID, Patch: tt.patch})
			require.NoError(t, err)
			require.EqualValues(t, 1, n)
			got, err := q.McpServerInstallationGetByID(ctx, inst.ID)
			require.NoError(t, err)
			require.JSONEq(t, tt.want, string(got.UserEnvironmentVariables))
			require.True(t, got.UpdatedAt.After(past), "updated_at is bumped")
		})
	}

	inst, _ := newInstAged(t, q, pool, `{"KEEP":"1"}`)
	for _, bad := range []string{`["A=1"]`, `"A=1"`, `null`} {
		t.Run("refuses "+bad, func(t *testing.T) {
			_, err := q.McpServerInstallationMergeEnv(ctx, dbsqlc.McpServerInstallationMergeEnvParams{ID: inst.ID, Patch: json.RawMessage(bad)})
			requireConstraintError(t, err, stackdb.Check, "mcp_server_installations", "mcp_server_installations_user_env_is_object")
			got, err := q.McpServerInstallationGetByID(ctx, inst.ID)
			require.NoError(t, err)
			require.JSONEq(t, `{"KEEP":"1"}`, string(got.UserEnvironmentVariables))
		})
	}

	n, err := q.McpServerInstallationMergeEnv(ctx, dbsqlc.McpServerInstallationMergeEnvParams{ID: "inst_missing", Patch: json.RawMessage(`{}`)})
	require.NoError(t, err)
	require.EqualValues(t, 0, n)
}

func TestInstallationTouchLastUsed(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	inst, past := newInstAged(t, q, pool, "")
	require.Nil(t, inst.LastUsedAt)

	n, err := q.McpServerInstallationTouchLastUsed(ctx, inst.ID)
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	got, err := q.McpServerInstallationGetByID(ctx, inst.ID)
	require.NoError(t, err)
	require.NotNil(t, got.LastUsedAt)
	require.WithinDuration(t, time.Now(), *got.LastUsedAt, time.Minute)
	require.Equal(t, past, got.UpdatedAt, "use is not a change: updated_at stays")
	first := *got.LastUsedAt

	_, err = pool.Exec(ctx, "UPDATE mcp_server_installations SET last_used_at = last_used_at - interval '1 hour' WHERE id = $1", inst.ID)
	require.NoError(t, err)
	n, err = q.McpServerInstallationTouchLastUsed(ctx, inst.ID)
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	got, err = q.McpServerInstallationGetByID(ctx, inst.ID)
	require.NoError(t, err)
	require.False(t, got.LastUsedAt.Before(first), "touching again moves last_used_at to now")

	n, err = q.McpServerInstallationTouchLastUsed(ctx, "inst_missing")
	require.NoError(t, err)
	require.EqualValues(t, 0, n)
}

func TestInstallationCascades(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)
	a := newInstFixture(t, q)
	b := newInstFixture(t, q)
	s1 := newCatalogServer(t, q, dbsqlc.McpServerCreateParams{})
	s2 := newCatalogServer(t, q, dbsqlc.McpServerCreateParams{})

	a1 := newInstInstallation(t, q, a.team.ID, s1.ID, a.user.ID, "a1")
	a2 := newInstInstallation(t, q, a.team.ID, s2.ID, a.user.ID, "a2")
	b1 := newInstInstallation(t, q, b.team.ID, s1.ID, b.user.ID, "b1")
	b2 := newInstInstallation(t, q, b.team.ID, s2.ID, b.user.ID, "b2")

	exists := func(id string) bool {
		_, err := q.McpServerInstallationGetByID(ctx, id)
		if err == nil {
			return true
		}
		require.ErrorIs(t, err, stackdb.ErrNotFound)
		return false
	}

	// Deleting a team deletes its installations, and only those.
	n, err := q.TeamDelete(ctx, a.team.ID)
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	require.False(t, exists(a1.ID))
	require.False(t, exists(a2.ID))
	require.True(t, exists(b1.ID))
	require.True(t, exists(b2.ID))
	_, err = q.McpServerGetByID(ctx, s1.ID)
	require.NoError(t, err, "the servers stay")

	// Deleting a server deletes its installations in every team, and only
	// those.
	n, err = q.McpServerDelete(ctx, s1.ID)
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	require.False(t, exists(b1.ID))
	require.True(t, exists(b2.ID))
	rows, err := q.McpServerInstallationListWithServers(ctx, b.team.ID)
	require.NoError(t, err)
	require.Len(t, rows, 1)
	require.Equal(t, b2.ID, rows[0].McpServerInstallation.ID)
}
