package stackdb_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/gen/dbsqlc"
)

// ---------------------------------------------------------------------------
// Fixtures of the settings tables.

func createGlobalSettingGroup(t *testing.T, db stackdb.DB) string {
	t.Helper()
	id := newID("grp")
	insert(t, db, `INSERT INTO global_setting_groups (id, name) VALUES ($1, $1)`, id)
	return id
}

// ---------------------------------------------------------------------------
// global_setting_groups

func TestGlobalSettingGroupQueries(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)

	smtp, err := q.GlobalSettingGroupInsert(ctx, dbsqlc.GlobalSettingGroupInsertParams{ID: "smtp", Name: "SMTP", Icon: new("mail"), SortOrder: 2})
	require.NoError(t, err)
	require.Equal(t, dbsqlc.GlobalSettingGroup{ID: "smtp", Name: "SMTP", Icon: new("mail"), SortOrder: 2, CreatedAt: smtp.CreatedAt, UpdatedAt: smtp.UpdatedAt}, smtp)
	_, err = q.GlobalSettingGroupInsert(ctx, dbsqlc.GlobalSettingGroupInsertParams{ID: "smtp", Name: "again"})
	require.True(t, stackdb.IsUniqueViolation(err, "global_setting_groups_pkey"), "%v", err)

	global, err := q.GlobalSettingGroupUpsert(ctx, dbsqlc.GlobalSettingGroupUpsertParams{ID: "global", Name: "Global", SortOrder: 1})
	require.NoError(t, err)
	require.Equal(t, "Global", global.Name)
	global, err = q.GlobalSettingGroupUpsert(ctx, dbsqlc.GlobalSettingGroupUpsertParams{ID: "global", Name: "Global settings", Description: new("d"), SortOrder: 1})
	require.NoError(t, err)
	require.Equal(t, "Global settings", global.Name, "an existing group is refreshed")
	require.Equal(t, "d", *global.Description)
	require.Equal(t, 2, countRows(t, pool, "global_setting_groups", "true"))

	got, err := q.GlobalSettingGroupGetByID(ctx, "global")
	require.NoError(t, err)
	require.Equal(t, global, got)
	_, err = q.GlobalSettingGroupGetByID(ctx, "missing")
	require.ErrorIs(t, err, stackdb.ErrNotFound)

	groups, err := q.GlobalSettingGroupList(ctx)
	require.NoError(t, err)
	require.Equal(t, []string{"global", "smtp"}, []string{groups[0].ID, groups[1].ID}, "by sort_order")

	n, err := q.GlobalSettingGroupUpdate(ctx, dbsqlc.GlobalSettingGroupUpdateParams{ID: "smtp", SortOrder: new(int32(0))})
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	got, err = q.GlobalSettingGroupGetByID(ctx, "smtp")
	require.NoError(t, err)
	require.Zero(t, got.SortOrder)
	require.Equal(t, "SMTP", got.Name, "nil keeps the name")
	n, err = q.GlobalSettingGroupUpdate(ctx, dbsqlc.GlobalSettingGroupUpdateParams{ID: "missing", Name: new("x")})
	require.NoError(t, err)
	require.Zero(t, n)

	insert(t, pool, `INSERT INTO global_settings (key, value, group_id) VALUES ('smtp.host', 'mail', 'smtp')`)
	_, err = q.GlobalSettingGroupDelete(ctx, "smtp")
	requireConstraint(t, err, stackdb.ForeignKey, "global_settings_group_id_fkey")
	n, err = q.GlobalSettingGroupDelete(ctx, "global")
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	n, err = q.GlobalSettingGroupDelete(ctx, "global")
	require.NoError(t, err)
	require.Zero(t, n)
}

// ---------------------------------------------------------------------------
// global_settings

func TestGlobalSettingQueries(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	group := createGlobalSettingGroup(t, pool)

	host, err := q.GlobalSettingInsert(ctx, dbsqlc.GlobalSettingInsertParams{
		Key: "smtp.host", Name: new("Host"), Value: "mail.example.com", Type: "string", GroupID: &group,
	})
	require.NoError(t, err)
	require.Equal(t, dbsqlc.GlobalSetting{
		Key: "smtp.host", Name: new("Host"), Value: "mail.example.com", Type: "string", GroupID: &group,
		CreatedAt: host.CreatedAt, UpdatedAt: host.UpdatedAt,
	}, host)
	// An encrypted value is the application's ciphertext, kept byte for byte.
	const ciphertext = "v1:aGVsbG8=:c2VjcmV0\x7f'\""
	pw, err := q.GlobalSettingInsert(ctx, dbsqlc.GlobalSettingInsertParams{Key: "smtp.password", Value: ciphertext, Type: "string", IsEncrypted: true, GroupID: &group})
	require.NoError(t, err)
	require.Equal(t, ciphertext, pw.Value)
	_, err = q.GlobalSettingInsert(ctx, dbsqlc.GlobalSettingInsertParams{Key: "smtp.host", Value: "x", Type: "string"})
	require.True(t, stackdb.IsUniqueViolation(err, "global_settings_pkey"), "%v", err)
	_, err = q.GlobalSettingInsert(ctx, dbsqlc.GlobalSettingInsertParams{Key: "x", Value: "x", Type: "string", GroupID: new("grp_missing")})
	requireConstraint(t, err, stackdb.ForeignKey, "global_settings_group_id_fkey")
	insert(t, pool, `INSERT INTO global_settings (key, value) VALUES ('global.page_url', 'http://localhost:5173')`)

	got, err := q.GlobalSettingGetByKey(ctx, "smtp.password")
	require.NoError(t, err)
	require.Equal(t, pw, got)
	_, err = q.GlobalSettingGetByKey(ctx, "missing")
	require.ErrorIs(t, err, stackdb.ErrNotFound)

	all, err := q.GlobalSettingList(ctx)
	require.NoError(t, err)
	require.Equal(t, []string{"global.page_url", "smtp.host", "smtp.password"}, []string{all[0].Key, all[1].Key, all[2].Key})
	inGroup, err := q.GlobalSettingListByGroup(ctx, group)
	require.NoError(t, err)
	require.Equal(t, []dbsqlc.GlobalSetting{host, pw}, inGroup)
	empty, err := q.GlobalSettingListByGroup(ctx, "grp_missing")
	require.NoError(t, err)
	require.Empty(t, empty)

	n, err := q.GlobalSettingUpdateValue(ctx, dbsqlc.GlobalSettingUpdateValueParams{Key: "smtp.host", Value: "smtp.example.com"})
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	got, err = q.GlobalSettingGetByKey(ctx, "smtp.host")
	require.NoError(t, err)
	require.Equal(t, "smtp.example.com", got.Value)
	require.Equal(t, "Host", *got.Name, "only the value changes")
	n, err = q.GlobalSettingUpdateValue(ctx, dbsqlc.GlobalSettingUpdateValueParams{Key: "missing", Value: "x"})
	require.NoError(t, err)
	require.Zero(t, n)

	up, err := q.GlobalSettingUpsert(ctx, dbsqlc.GlobalSettingUpsertParams{Key: "smtp.port", Value: "587", Type: "number", GroupID: &group})
	require.NoError(t, err)
	require.Equal(t, "587", up.Value)
	up, err = q.GlobalSettingUpsert(ctx, dbsqlc.GlobalSettingUpsertParams{Key: "smtp.port", Value: "465", Type: "number", Description: new("TLS"), GroupID: &group})
	require.NoError(t, err)
	require.Equal(t, "465", up.Value, "an existing setting is overwritten")
	require.Equal(t, "TLS", *up.Description)
	require.Equal(t, 1, countRows(t, pool, "global_settings", "key = 'smtp.port'"))

	updated, err := q.GlobalSettingUpdate(ctx, dbsqlc.GlobalSettingUpdateParams{Key: "smtp.port", Value: new("v1:cipher"), IsEncrypted: new(true)})
	require.NoError(t, err)
	require.Equal(t, "v1:cipher", updated.Value)
	require.True(t, updated.IsEncrypted)
	require.Equal(t, "number", updated.Type, "nil keeps the type")
	require.Equal(t, "TLS", *updated.Description)
	_, err = q.GlobalSettingUpdate(ctx, dbsqlc.GlobalSettingUpdateParams{Key: "missing", Value: new("x")})
	require.ErrorIs(t, err, stackdb.ErrNotFound)

	n, err = q.GlobalSettingDelete(ctx, "smtp.port")
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	n, err = q.GlobalSettingDelete(ctx, "smtp.port")
	require.NoError(t, err)
	require.Zero(t, n)
}

func TestGlobalSettingListGrouped(t *testing.T) {
	t.Parallel()
	ctx, pool, _ := setup(t)
	insert(t, pool, `INSERT INTO global_setting_groups (id, name, sort_order) VALUES ('smtp', 'SMTP', 2), ('global', 'Global', 1), ('github', 'GitHub', 2)`)
	insert(t, pool, `INSERT INTO global_settings (key, value, group_id) VALUES
		('smtp.port', '587', 'smtp'), ('smtp.host', 'h', 'smtp'), ('global.page_url', 'u', 'global'),
		('github.client_id', 'c', 'github'), ('loose', 'x', NULL)`)

	rec := &stmtRecorder{DB: pool}
	settings, err := stackdb.New(rec).GlobalSettingListGrouped(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, rec.calls)
	var keys []string
	for _, s := range settings {
		keys = append(keys, s.Key)
	}
	require.Equal(t, []string{"global.page_url", "github.client_id", "smtp.host", "smtp.port"}, keys,
		"by group sort_order, then group name, then key; settings without a group are left out")
}

func TestGlobalSettingInsertManyIfMissing(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	group := createGlobalSettingGroup(t, pool)
	// An administrator already changed this one.
	insert(t, pool, `INSERT INTO global_settings (key, value, type) VALUES ('smtp.port', '2525', 'number')`)

	defaults := dbsqlc.GlobalSettingInsertManyIfMissingParams{
		Keys:         []string{"smtp.host", "smtp.port", "smtp.enabled"},
		Names:        []string{"Host", "Port", ""},
		Values:       []string{"", "587", "false"},
		Types:        []string{"string", "number", "boolean"},
		Descriptions: []string{"SMTP host", "", ""},
		IsEncrypted:  []bool{false, false, false},
		GroupIds:     []string{group, group, ""},
	}
	rec := &stmtRecorder{DB: pool}
	n, err := stackdb.New(rec).GlobalSettingInsertManyIfMissing(ctx, defaults)
	require.NoError(t, err)
	require.Equal(t, 1, rec.calls, "one statement")
	require.EqualValues(t, 2, n, "the existing key is skipped")

	port, err := q.GlobalSettingGetByKey(ctx, "smtp.port")
	require.NoError(t, err)
	require.Equal(t, "2525", port.Value, "never overwritten")
	host, err := q.GlobalSettingGetByKey(ctx, "smtp.host")
	require.NoError(t, err)
	require.Equal(t, dbsqlc.GlobalSetting{Key: "smtp.host", Name: new("Host"), Value: "", Type: "string", Description: new("SMTP host"),
		GroupID: &group, CreatedAt: host.CreatedAt, UpdatedAt: host.UpdatedAt}, host, "an empty value stays a value")
	enabled, err := q.GlobalSettingGetByKey(ctx, "smtp.enabled")
	require.NoError(t, err)
	require.Nil(t, enabled.Name, "empty is NULL")
	require.Nil(t, enabled.Description)
	require.Nil(t, enabled.GroupID)

	n, err = q.GlobalSettingInsertManyIfMissing(ctx, defaults)
	require.NoError(t, err)
	require.Zero(t, n, "a second start inserts nothing")

	short := defaults
	short.Keys = []string{"a", "b", "c", "d"}
	_, err = q.GlobalSettingInsertManyIfMissing(ctx, short)
	requireConstraint(t, err, stackdb.NotNull, "")
	require.Zero(t, countRows(t, pool, "global_settings", "key IN ('a', 'b', 'c', 'd')"), "arrays of different lengths insert nothing")
}

// ---------------------------------------------------------------------------
// team_cloud_credentials

func TestTeamCloudCredentialQueries(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	teamID, owner := createTeam(t, pool)
	otherTeam, _ := createTeam(t, pool)

	prod := dbsqlc.TeamCloudCredentialInsertParams{
		ID: "cred_1", TeamID: teamID, ProviderID: "aws", Name: "prod", Comment: new("main account"), Credentials: "ciphertext-1", CreatedBy: owner,
	}
	tests := []struct {
		name   string
		params dbsqlc.TeamCloudCredentialInsertParams
		want   int64
	}{
		{"new", prod, 1},
		{"name taken for the provider", dbsqlc.TeamCloudCredentialInsertParams{ID: "cred_dup", TeamID: teamID, ProviderID: "aws", Name: "prod", Credentials: "c", CreatedBy: owner}, 0},
		{"same name, other provider", dbsqlc.TeamCloudCredentialInsertParams{ID: "cred_render", TeamID: teamID, ProviderID: "render", Name: "prod", Credentials: "c", CreatedBy: owner}, 1},
		{"same name, other team", dbsqlc.TeamCloudCredentialInsertParams{ID: "cred_other", TeamID: otherTeam, ProviderID: "aws", Name: "prod", Credentials: "c", CreatedBy: owner}, 1},
	}
	for _, tt := range tests {
		t.Run("insert "+tt.name, func(t *testing.T) {
			n, err := q.TeamCloudCredentialInsert(ctx, tt.params)
			require.NoError(t, err)
			require.Equal(t, tt.want, n)
			require.EqualValues(t, tt.want, countRows(t, pool, "team_cloud_credentials", "id = $1", tt.params.ID))
		})
	}
	_, err := q.TeamCloudCredentialInsert(ctx, dbsqlc.TeamCloudCredentialInsertParams{ID: "cred_x", TeamID: teamID, ProviderID: "gcp", Name: "x", Credentials: "c", CreatedBy: owner})
	requireConstraint(t, err, stackdb.Check, "team_cloud_credentials_provider_id_check")
	// An older credential by another member.
	member := createUser(t, pool)
	insert(t, pool, `INSERT INTO team_cloud_credentials (id, team_id, provider_id, name, comment, credentials, created_by, created_at)
		VALUES ('cred_old', $1, 'render', 'old 50%_off', 'Staging', 'c', $2, now() - interval '1 day')`, teamID, member)

	c, err := q.TeamCloudCredentialGetByID(ctx, dbsqlc.TeamCloudCredentialGetByIDParams{ID: "cred_1", TeamID: teamID})
	require.NoError(t, err)
	require.Equal(t, dbsqlc.TeamCloudCredential{ID: "cred_1", TeamID: teamID, ProviderID: "aws", Name: "prod", Comment: new("main account"),
		Credentials: "ciphertext-1", CreatedBy: owner, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}, c, "the ciphertext untouched")

	scoped := []struct {
		name   string
		teamID string
		found  bool
	}{
		{"own team", teamID, true},
		{"another team cannot reach it", otherTeam, false},
	}
	for _, tt := range scoped {
		t.Run(tt.name, func(t *testing.T) {
			got, err := q.TeamCloudCredentialGetByID(ctx, dbsqlc.TeamCloudCredentialGetByIDParams{ID: "cred_1", TeamID: tt.teamID})
			n, uerr := q.TeamCloudCredentialUpdate(ctx, dbsqlc.TeamCloudCredentialUpdateParams{ID: "cred_1", TeamID: tt.teamID, Name: new("renamed by " + tt.name)})
			require.NoError(t, uerr)
			if !tt.found {
				require.ErrorIs(t, err, stackdb.ErrNotFound)
				require.Zero(t, n)
				return
			}
			require.NoError(t, err)
			require.Equal(t, c, got)
			require.EqualValues(t, 1, n)
		})
	}

	list, err := q.TeamCloudCredentialListByTeam(ctx, teamID)
	require.NoError(t, err)
	require.Len(t, list, 3)
	require.Equal(t, "cred_old", list[2].TeamCloudCredential.ID, "newest first")
	byID := map[string]dbsqlc.TeamCloudCredentialListByTeamRow{}
	for _, r := range list {
		byID[r.TeamCloudCredential.ID] = r
	}
	first := byID["cred_1"]
	require.Equal(t, "renamed by own team", first.TeamCloudCredential.Name)
	require.Equal(t, "main account", *first.TeamCloudCredential.Comment, "nil keeps the comment")
	require.Equal(t, "ciphertext-1", first.TeamCloudCredential.Credentials, "nil keeps the credentials")
	require.Equal(t, owner, first.CreatorUsername, "the fixture's username is its id")
	require.Equal(t, owner+"@example.com", first.CreatorEmail)
	require.Equal(t, member, byID["cred_old"].CreatorUsername)
	none, err := q.TeamCloudCredentialListByTeam(ctx, "team_missing")
	require.NoError(t, err)
	require.Empty(t, none)

	search := []struct {
		query string
		max   int32
		want  []string
	}{
		{"PROD", 10, []string{"cred_render"}}, // cred_1 was renamed
		{"staging", 10, []string{"cred_old"}}, // the comment, any case
		{"50%_", 10, []string{"cred_old"}},    // % and _ are literal
		{"%", 10, []string{"cred_old"}},
		{"_", 10, []string{"cred_old"}},
		{"", 10, []string{"cred_old", "cred_render", "cred_1"}}, // by name: "old…", "prod", "renamed…"
		{"", 2, []string{"cred_old", "cred_render"}},
		{"nothing", 10, nil},
	}
	for _, tt := range search {
		t.Run("search "+tt.query, func(t *testing.T) {
			rows, err := q.TeamCloudCredentialListByTeamSearch(ctx, dbsqlc.TeamCloudCredentialListByTeamSearchParams{TeamID: teamID, Query: tt.query, MaxRows: tt.max})
			require.NoError(t, err)
			var ids []string
			for _, r := range rows {
				ids = append(ids, r.ID)
			}
			require.Equal(t, tt.want, ids)
		})
	}

	n, err := q.TeamCloudCredentialDelete(ctx, dbsqlc.TeamCloudCredentialDeleteParams{ID: "cred_1", TeamID: otherTeam})
	require.NoError(t, err)
	require.Zero(t, n, "not another team's")
	n, err = q.TeamCloudCredentialDelete(ctx, dbsqlc.TeamCloudCredentialDeleteParams{ID: "cred_1", TeamID: teamID})
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
}

// ---------------------------------------------------------------------------
// deployment_credentials

func TestDeploymentCredentialQueries(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	teamID, _ := createTeam(t, pool)
	otherTeam, _ := createTeam(t, pool)
	expires := time.Now().Add(8 * time.Hour).Truncate(time.Microsecond)

	oauth, err := q.DeploymentCredentialUpsertOAuth(ctx, dbsqlc.DeploymentCredentialUpsertOAuthParams{
		ID: "dc_1", TeamID: teamID, Source: "github", AccessTokenEncrypted: new("enc-access"), RefreshTokenEncrypted: new("enc-refresh"),
		Scopes: []string{"repo"}, ExpiresAt: &expires,
	})
	require.NoError(t, err)
	require.Equal(t, "oauth", oauth.AuthType)
	require.Equal(t, []string{"repo"}, oauth.Scopes)
	require.True(t, expires.Equal(*oauth.ExpiresAt))

	inst, err := q.DeploymentCredentialUpsertInstallation(ctx, dbsqlc.DeploymentCredentialUpsertInstallationParams{
		ID: "dc_ignored", TeamID: teamID, Source: "github", InstallationID: "inst-9", AccountLogin: new("acme"),
	})
	require.NoError(t, err)
	require.Equal(t, "dc_1", inst.ID, "the team's credential for the source is updated, not duplicated")
	require.Equal(t, "installation", inst.AuthType)
	require.Equal(t, "inst-9", *inst.InstallationID)
	require.Equal(t, "enc-access", *inst.AccessTokenEncrypted, "the tokens stay")

	again, err := q.DeploymentCredentialUpsertOAuth(ctx, dbsqlc.DeploymentCredentialUpsertOAuthParams{
		ID: "dc_ignored", TeamID: teamID, Source: "github", AccessTokenEncrypted: new("enc-access-2"), Scopes: []string{},
	})
	require.NoError(t, err)
	require.Equal(t, "dc_1", again.ID)
	require.Equal(t, "enc-access-2", *again.AccessTokenEncrypted)
	require.Nil(t, again.RefreshTokenEncrypted)
	require.Nil(t, again.ExpiresAt)
	require.Equal(t, "installation", again.AuthType, "new tokens keep the auth_type")
	require.Equal(t, "inst-9", *again.InstallationID, "and the installation")
	require.Equal(t, 1, countRows(t, pool, "deployment_credentials", "team_id = $1", teamID))

	_, err = q.DeploymentCredentialUpsertOAuth(ctx, dbsqlc.DeploymentCredentialUpsertOAuthParams{ID: "dc_bad", TeamID: teamID, Source: "svn", AccessTokenEncrypted: new("x"), Scopes: []string{}})
	requireConstraint(t, err, stackdb.Check, "deployment_credentials_source_check")
	_, err = q.DeploymentCredentialUpsertInstallation(ctx, dbsqlc.DeploymentCredentialUpsertInstallationParams{ID: "dc_2", TeamID: otherTeam, Source: "gitlab", InstallationID: "i"})
	require.NoError(t, err)
	_, err = q.DeploymentCredentialUpsertOAuth(ctx, dbsqlc.DeploymentCredentialUpsertOAuthParams{ID: "dc_3", TeamID: teamID, Source: "docker", AccessTokenEncrypted: new("d"), Scopes: []string{}})
	require.NoError(t, err)

	got, err := q.DeploymentCredentialGetByTeamAndSource(ctx, dbsqlc.DeploymentCredentialGetByTeamAndSourceParams{TeamID: teamID, Source: "github"})
	require.NoError(t, err)
	require.Equal(t, again, got)
	_, err = q.DeploymentCredentialGetByTeamAndSource(ctx, dbsqlc.DeploymentCredentialGetByTeamAndSourceParams{TeamID: otherTeam, Source: "github"})
	require.ErrorIs(t, err, stackdb.ErrNotFound)

	list, err := q.DeploymentCredentialListByTeam(ctx, teamID)
	require.NoError(t, err)
	require.Equal(t, []string{"docker", "github"}, []string{list[0].Source, list[1].Source})

	tests := []struct {
		name     string
		source   string
		authType *string
		want     int64
	}{
		{"wrong auth type keeps it", "github", new("oauth"), 0},
		{"installation", "github", new("installation"), 1},
		{"any auth type", "docker", nil, 1},
		{"gone", "docker", nil, 0},
	}
	for _, tt := range tests {
		t.Run("delete "+tt.name, func(t *testing.T) {
			n, err := q.DeploymentCredentialDeleteByTeamAndSource(ctx, dbsqlc.DeploymentCredentialDeleteByTeamAndSourceParams{TeamID: teamID, Source: tt.source, AuthType: tt.authType})
			require.NoError(t, err)
			require.Equal(t, tt.want, n)
		})
	}
	require.Equal(t, 1, countRows(t, pool, "deployment_credentials", "team_id = $1", otherTeam), "other teams untouched")
}

// ---------------------------------------------------------------------------
// deployment_settings

func TestDeploymentSettingQueries(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	server := createMcpServer(t, pool)

	s, err := q.DeploymentSettingInsert(ctx, dbsqlc.DeploymentSettingInsertParams{ID: "ds_1", ServerID: server})
	require.NoError(t, err)
	require.Equal(t, dbsqlc.DeploymentSetting{ID: "ds_1", ServerID: server, AutoDeployEnabled: true, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt}, s)
	_, err = q.DeploymentSettingInsert(ctx, dbsqlc.DeploymentSettingInsertParams{ID: "ds_2", ServerID: server})
	require.True(t, stackdb.IsUniqueViolation(err, "deployment_settings_server_id_key"), "%v", err)

	got, err := q.DeploymentSettingGetByServer(ctx, server)
	require.NoError(t, err)
	require.Equal(t, s, got)
	_, err = q.DeploymentSettingGetByServer(ctx, "srv_missing")
	require.ErrorIs(t, err, stackdb.ErrNotFound)

	tests := []struct {
		name   string
		update func(serverID string) (int64, error)
		check  func(t *testing.T, s dbsqlc.DeploymentSetting)
	}{
		{"auto deploy", func(serverID string) (int64, error) {
			return q.DeploymentSettingUpdateAutoDeploy(ctx, dbsqlc.DeploymentSettingUpdateAutoDeployParams{ServerID: serverID, AutoDeployEnabled: false})
		}, func(t *testing.T, s dbsqlc.DeploymentSetting) { require.False(t, s.AutoDeployEnabled) }},
		{"webhook", func(serverID string) (int64, error) {
			return q.DeploymentSettingUpdateWebhook(ctx, dbsqlc.DeploymentSettingUpdateWebhookParams{ServerID: serverID, WebhookID: new("wh_1"), WebhookSecret: new("s3cret")})
		}, func(t *testing.T, s dbsqlc.DeploymentSetting) {
			require.Equal(t, "wh_1", *s.WebhookID)
			require.Equal(t, "s3cret", *s.WebhookSecret)
			require.False(t, s.AutoDeployEnabled, "the other update stays")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := tt.update(server)
			require.NoError(t, err)
			require.EqualValues(t, 1, n)
			got, err := q.DeploymentSettingGetByServer(ctx, server)
			require.NoError(t, err)
			tt.check(t, got)
			n, err = tt.update("srv_missing")
			require.NoError(t, err)
			require.Zero(t, n)
		})
	}

	n, err := q.DeploymentSettingDeleteByServer(ctx, server)
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	n, err = q.DeploymentSettingDeleteByServer(ctx, server)
	require.NoError(t, err)
	require.Zero(t, n)
}

// ---------------------------------------------------------------------------
// Index use

func TestSettingsQueriesUseIndexes(t *testing.T) {
	t.Parallel()
	ctx, pool, _ := setup(t)
	_, owner := createTeam(t, pool)
	insert(t, pool, `INSERT INTO teams (id, name, slug, owner_id) SELECT 'bulk_team_' || i, 't', 'bulk-' || i, $1 FROM generate_series(1, 500) i`, owner)
	insert(t, pool, `INSERT INTO team_cloud_credentials (id, team_id, provider_id, name, credentials, created_by)
		SELECT 'bulk_cred_' || i, 'bulk_team_' || (i % 500 + 1), 'aws', 'c', 'ciphertext', $1 FROM generate_series(1, 2000) i`, owner)
	insert(t, pool, `INSERT INTO deployment_credentials (id, team_id, source)
		SELECT 'bulk_dc_' || i || s, 'bulk_team_' || i, s FROM generate_series(1, 500) i, unnest(ARRAY['github', 'gitlab', 'docker']) s`)
	tx := noSeqscanTx(t, pool)
	execSQL(t, tx, "ANALYZE teams, team_cloud_credentials, deployment_credentials")

	tests := []struct {
		name  string
		query func(q dbsqlc.Querier) error
		index string
	}{
		{"TeamCloudCredentialListByTeam", func(q dbsqlc.Querier) error {
			_, err := q.TeamCloudCredentialListByTeam(ctx, "bulk_team_7")
			return err
		}, "team_cloud_credentials_team_id_idx"},
		{"DeploymentCredentialListByTeam", func(q dbsqlc.Querier) error {
			_, err := q.DeploymentCredentialListByTeam(ctx, "bulk_team_7")
			return err
		}, "deployment_credentials_team_id_source_key"},
		{"DeploymentCredentialGetByTeamAndSource", func(q dbsqlc.Querier) error {
			_, err := q.DeploymentCredentialGetByTeamAndSource(ctx, dbsqlc.DeploymentCredentialGetByTeamAndSourceParams{TeamID: "bulk_team_7", Source: "github"})
			return err
		}, "deployment_credentials_team_id_source_key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := explainQuery(t, tx, tt.query)
			require.Contains(t, plan.Indexes(), tt.index, "plan:\n%s", plan.Text())
		})
	}
}
