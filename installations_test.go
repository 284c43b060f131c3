package stackdb_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/gen/dbsqlc"
)

// installationOwner returns the team and a member (the owner) of an
// installation made by createInstallation.
func installationOwner(t *testing.T, db stackdb.DB, installationID string) (teamID, userID string) {
	t.Helper()
	require.NoError(t, db.QueryRow(t.Context(), "SELECT team_id, created_by FROM mcp_server_installations WHERE id = $1", installationID).Scan(&teamID, &userID))
	return teamID, userID
}

func requireMcpConstraint(t *testing.T, err error, kind stackdb.ConstraintKind, constraint string) {
	t.Helper()
	var cerr *stackdb.ConstraintError
	require.ErrorAs(t, err, &cerr)
	require.Equal(t, kind, cerr.Kind)
	require.Equal(t, constraint, cerr.Constraint)
}

func TestMcpServerInstallation(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	teamID, ownerID := createTeam(t, pool)
	otherTeam, _ := createTeam(t, pool)
	serverA, serverB := createMcpServer(t, pool), createMcpServer(t, pool)

	install := func(name, serverID string) dbsqlc.McpServerInstallation {
		inst, err := q.McpServerInstallationInsert(ctx, dbsqlc.McpServerInstallationInsertParams{
			ID: newID("inst"), TeamID: teamID, ServerID: serverID, CreatedBy: ownerID, InstallationName: name,
			InstallationType: "team", TeamEnv: json.RawMessage(`{"REGION":"eu"}`),
		})
		require.NoError(t, err)
		return inst
	}
	second := install("second", serverA)
	first := install("first", serverB)
	third := install("third", serverA)
	require.JSONEq(t, `{}`, string(first.Settings), "settings default to an empty object")
	require.JSONEq(t, `{"REGION":"eu"}`, string(first.TeamEnv))

	_, err := q.McpServerInstallationInsert(ctx, dbsqlc.McpServerInstallationInsertParams{
		ID: newID("inst"), TeamID: teamID, ServerID: serverA, CreatedBy: ownerID, InstallationName: "x", InstallationType: "personal",
	})
	requireMcpConstraint(t, err, stackdb.Check, "mcp_server_installations_installation_type_check")

	// One round trip for a team's installations and their servers.
	rec := &stmtRecorder{DB: pool}
	list, err := stackdb.New(rec).McpServerInstallationListByTeam(ctx, teamID)
	require.NoError(t, err)
	require.Equal(t, 1, rec.calls)
	require.Len(t, list, 3)
	for i, want := range []dbsqlc.McpServerInstallation{first, second, third} {
		require.Equal(t, want, list[i].McpServerInstallation)
		require.Equal(t, want.ServerID, list[i].McpServer.ID)
	}
	empty, err := q.McpServerInstallationListByTeam(ctx, otherTeam)
	require.NoError(t, err)
	require.Empty(t, empty)

	got, err := q.McpServerInstallationGetByID(ctx, dbsqlc.McpServerInstallationGetByIDParams{ID: second.ID, TeamID: teamID})
	require.NoError(t, err)
	require.Equal(t, second, got.McpServerInstallation)
	require.Equal(t, serverA, got.McpServer.ID)

	byServer, err := q.McpServerInstallationListByTeamServer(ctx, dbsqlc.McpServerInstallationListByTeamServerParams{TeamID: teamID, ServerID: serverA})
	require.NoError(t, err)
	require.Equal(t, []dbsqlc.McpServerInstallation{second, third}, byServer)

	updated, err := q.McpServerInstallationUpdate(ctx, dbsqlc.McpServerInstallationUpdateParams{
		ID: first.ID, TeamID: teamID, InstallationName: mcpPtr("renamed"), Settings: json.RawMessage(`{"timeout":30}`),
	})
	require.NoError(t, err)
	require.Equal(t, "renamed", updated.InstallationName)
	require.JSONEq(t, `{"timeout":30}`, string(updated.Settings))
	require.JSONEq(t, `{"REGION":"eu"}`, string(updated.TeamEnv), "not given, kept")

	n, err := q.McpServerInstallationUpdateLastUsed(ctx, first.ID)
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	require.Equal(t, 1, countRows(t, pool, "mcp_server_installations", "id = $1 AND last_used_at IS NOT NULL", first.ID))
	n, err = q.McpServerInstallationUpdateLastUsed(ctx, "missing")
	require.NoError(t, err)
	require.EqualValues(t, 0, n)

	// Another team's id is not found: not read, not changed, not deleted.
	for name, err := range map[string]error{
		"get": func() error {
			_, err := q.McpServerInstallationGetByID(ctx, dbsqlc.McpServerInstallationGetByIDParams{ID: first.ID, TeamID: otherTeam})
			return err
		}(),
		"update": func() error {
			_, err := q.McpServerInstallationUpdate(ctx, dbsqlc.McpServerInstallationUpdateParams{ID: first.ID, TeamID: otherTeam, InstallationName: mcpPtr("x")})
			return err
		}(),
	} {
		require.ErrorIs(t, err, stackdb.ErrNotFound, name)
	}
	n, err = q.McpServerInstallationDelete(ctx, dbsqlc.McpServerInstallationDeleteParams{ID: first.ID, TeamID: otherTeam})
	require.NoError(t, err)
	require.EqualValues(t, 0, n)

	// Deleting takes what hangs off the installation with it.
	insert(t, pool, `INSERT INTO mcp_server_logs (id, installation_id, team_id, log_level, message) VALUES ($1, $2, $3, 'info', 'up')`,
		newID("log"), first.ID, teamID)
	n, err = q.McpServerInstallationDelete(ctx, dbsqlc.McpServerInstallationDeleteParams{ID: first.ID, TeamID: teamID})
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	require.Zero(t, countRows(t, pool, "mcp_server_logs", "installation_id = $1", first.ID))
}

func TestMcpUserConfiguration(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	inst, _ := createInstallation(t, pool)
	other, _ := createInstallation(t, pool)
	_, owner := installationOwner(t, pool, inst)
	user := createUser(t, pool)

	first, err := q.McpUserConfigurationUpsert(ctx, dbsqlc.McpUserConfigurationUpsertParams{
		ID: newID("ucfg"), InstallationID: inst, UserID: user, UserEnv: json.RawMessage(`{"TOKEN_PATH":"/a"}`),
	})
	require.NoError(t, err)
	second, err := q.McpUserConfigurationUpsert(ctx, dbsqlc.McpUserConfigurationUpsertParams{
		ID: newID("ucfg"), InstallationID: inst, UserID: user, UserArgs: json.RawMessage(`["--verbose"]`),
	})
	require.NoError(t, err)
	require.Equal(t, first.ID, second.ID, "the second write updates the first row")
	require.Equal(t, first.CreatedAt, second.CreatedAt)
	require.JSONEq(t, `["--verbose"]`, string(second.UserArgs))
	require.Nil(t, second.UserEnv, "an upsert replaces the whole configuration")
	require.Equal(t, 1, countRows(t, pool, "mcp_user_configurations", "installation_id = $1 AND user_id = $2", inst, user))

	_, err = q.McpUserConfigurationUpsert(ctx, dbsqlc.McpUserConfigurationUpsertParams{ID: newID("ucfg"), InstallationID: "missing", UserID: user})
	requireMcpConstraint(t, err, stackdb.ForeignKey, "mcp_user_configurations_installation_id_fkey")

	ownCfg, err := q.McpUserConfigurationUpsert(ctx, dbsqlc.McpUserConfigurationUpsertParams{ID: newID("ucfg"), InstallationID: inst, UserID: owner})
	require.NoError(t, err)
	elsewhere, err := q.McpUserConfigurationUpsert(ctx, dbsqlc.McpUserConfigurationUpsertParams{ID: newID("ucfg"), InstallationID: other, UserID: user})
	require.NoError(t, err)

	got, err := q.McpUserConfigurationGetByInstallationUser(ctx, dbsqlc.McpUserConfigurationGetByInstallationUserParams{InstallationID: inst, UserID: user})
	require.NoError(t, err)
	require.Equal(t, second, got)

	byInst, err := q.McpUserConfigurationListByInstallation(ctx, inst)
	require.NoError(t, err)
	require.Equal(t, []string{first.ID, ownCfg.ID}, []string{byInst[0].ID, byInst[1].ID})
	byUser, err := q.McpUserConfigurationListByUser(ctx, user)
	require.NoError(t, err)
	require.Equal(t, []string{first.ID, elsewhere.ID}, []string{byUser[0].ID, byUser[1].ID})

	key := dbsqlc.McpUserConfigurationUpdateLastUsedParams{InstallationID: inst, UserID: user}
	n, err := q.McpUserConfigurationUpdateLastUsed(ctx, key)
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	got, err = q.McpUserConfigurationGetByInstallationUser(ctx, dbsqlc.McpUserConfigurationGetByInstallationUserParams(key))
	require.NoError(t, err)
	require.NotNil(t, got.LastUsedAt)

	n, err = q.McpUserConfigurationDelete(ctx, dbsqlc.McpUserConfigurationDeleteParams(key))
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	_, err = q.McpUserConfigurationGetByInstallationUser(ctx, dbsqlc.McpUserConfigurationGetByInstallationUserParams(key))
	require.ErrorIs(t, err, stackdb.ErrNotFound)
	for name, run := range map[string]func() (int64, error){
		"delete": func() (int64, error) {
			return q.McpUserConfigurationDelete(ctx, dbsqlc.McpUserConfigurationDeleteParams(key))
		},
		"last used": func() (int64, error) { return q.McpUserConfigurationUpdateLastUsed(ctx, key) },
	} {
		n, err := run()
		require.NoError(t, err, name)
		require.EqualValues(t, 0, n, name)
	}
}

func TestMcpToolMetadata(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	inst, team := createInstallation(t, pool)
	other, otherTeam := createInstallation(t, pool)

	upsert := func(installationID, teamID string, names ...string) int64 {
		t.Helper()
		p := dbsqlc.McpToolMetadataUpsertManyParams{InstallationID: installationID, TeamID: teamID}
		for i, name := range names {
			p.ToolNames = append(p.ToolNames, name)
			p.Descriptions = append(p.Descriptions, "does "+name)
			p.InputSchemas = append(p.InputSchemas, json.RawMessage(fmt.Sprintf(`{"type":"object","n":%d}`, i)))
			p.TokenCounts = append(p.TokenCounts, int32(10*(i+1)))
		}
		rec := &stmtRecorder{DB: pool}
		n, err := stackdb.New(rec).McpToolMetadataUpsertMany(ctx, p)
		require.NoError(t, err)
		require.Equal(t, 1, rec.calls, "one statement for every tool")
		return n
	}
	require.EqualValues(t, 3, upsert(inst, team, "search", "fetch", "write"))
	require.EqualValues(t, 1, upsert(other, otherTeam, "search"))

	n, err := q.McpToolMetadataUpdateDisabled(ctx, dbsqlc.McpToolMetadataUpdateDisabledParams{InstallationID: inst, ToolName: "write", IsDisabled: true})
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	n, err = q.McpToolMetadataUpdateDisabled(ctx, dbsqlc.McpToolMetadataUpdateDisabledParams{InstallationID: inst, ToolName: "missing", IsDisabled: true})
	require.NoError(t, err)
	require.EqualValues(t, 0, n)

	before, err := q.McpToolMetadataListByInstallation(ctx, inst)
	require.NoError(t, err)
	require.Equal(t, []string{"fetch", "search", "write"}, []string{before[0].ToolName, before[1].ToolName, before[2].ToolName})

	// A rediscovery: known tools are updated in place and keep the team's
	// choice; new ones are added; gone ones are removed.
	require.EqualValues(t, 3, upsert(inst, team, "write", "search", "list"))
	n, err = q.McpToolMetadataDeleteStale(ctx, dbsqlc.McpToolMetadataDeleteStaleParams{InstallationID: inst, KeepToolNames: []string{"write", "search", "list"}})
	require.NoError(t, err)
	require.EqualValues(t, 1, n, "fetch")

	after, err := q.McpToolMetadataListByInstallation(ctx, inst)
	require.NoError(t, err)
	byName := map[string]dbsqlc.McpToolMetadata{}
	for _, tool := range after {
		byName[tool.ToolName] = tool
	}
	require.Len(t, byName, 3)
	require.Contains(t, byName, "list")
	require.True(t, byName["write"].IsDisabled, "kept")
	require.Equal(t, before[2].ID, byName["write"].ID)
	require.Equal(t, before[2].DiscoveredAt, byName["write"].DiscoveredAt)
	require.EqualValues(t, 10, byName["write"].TokenCount, "updated")
	require.JSONEq(t, `{"type":"object","n":0}`, string(byName["write"].InputSchema))
	require.Equal(t, 1, countRows(t, pool, "mcp_tool_metadata", "installation_id = $1", other), "other installations untouched")

	// A batch naming a tool twice fails whole and changes nothing.
	_, err = q.McpToolMetadataUpsertMany(ctx, dbsqlc.McpToolMetadataUpsertManyParams{
		InstallationID: inst, TeamID: team, ToolNames: []string{"new", "new"}, Descriptions: []string{"", ""},
		InputSchemas: []json.RawMessage{nil, nil}, TokenCounts: []int32{0, 0},
	})
	require.Error(t, err)
	require.Equal(t, 3, countRows(t, pool, "mcp_tool_metadata", "installation_id = $1", inst))
}

func TestMcpOAuthProvider(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)

	insert := func(name string, enabled bool, patterns string) dbsqlc.McpOAuthProvider {
		p, err := q.McpOAuthProviderInsert(ctx, dbsqlc.McpOAuthProviderInsertParams{
			ID: newID("prov"), Name: name, Slug: strings.ToLower(name), AuthServerPatterns: json.RawMessage(patterns),
			ClientID: "client-" + name, AuthorizationEndpoint: "https://auth/" + name, TokenEndpoint: "https://token/" + name,
			PkceRequired: true, TokenEndpointAuthMethod: "client_secret_post", Enabled: enabled,
		})
		require.NoError(t, err)
		return p
	}
	github := insert("GitHub", true, `["^https://github\\.com/login/oauth", "^https://api\\.github\\.com"]`)
	google := insert("Google", true, `["accounts\\.google\\.com"]`)
	insert("Disabled", false, `["example\\.com"]`)

	_, err := q.McpOAuthProviderInsert(ctx, dbsqlc.McpOAuthProviderInsertParams{
		ID: newID("prov"), Name: "Bad", Slug: "bad", AuthServerPatterns: json.RawMessage(`"github"`), ClientID: "c",
		AuthorizationEndpoint: "a", TokenEndpoint: "t", TokenEndpointAuthMethod: "none",
	})
	requireMcpConstraint(t, err, stackdb.Check, "mcp_oauth_providers_auth_server_patterns_is_array")
	_, err = q.McpOAuthProviderInsert(ctx, dbsqlc.McpOAuthProviderInsertParams{
		ID: newID("prov"), Name: "Bad", Slug: "github", AuthServerPatterns: json.RawMessage(`[]`), ClientID: "c",
		AuthorizationEndpoint: "a", TokenEndpoint: "t", TokenEndpointAuthMethod: "none",
	})
	require.True(t, stackdb.IsUniqueViolation(err, "mcp_oauth_providers_slug_idx"), "%v", err)

	for _, tc := range []struct {
		url  string
		want string // provider id, "" for none
	}{
		{"https://github.com/login/oauth/authorize", github.ID},
		{"HTTPS://API.GITHUB.COM/", github.ID},
		{"https://accounts.google.com/o/oauth2/auth", google.ID},
		{"https://example.com/auth", ""},
		{"https://gitlab.com/oauth", ""},
	} {
		t.Run(tc.url, func(t *testing.T) {
			got, err := q.McpOAuthProviderGetByAuthServerURL(ctx, tc.url)
			if tc.want == "" {
				require.ErrorIs(t, err, stackdb.ErrNotFound)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got.ID)
		})
	}

	bySlug, err := q.McpOAuthProviderGetBySlug(ctx, "google")
	require.NoError(t, err)
	require.Equal(t, google, bySlug)
	byID, err := q.McpOAuthProviderGetByID(ctx, github.ID)
	require.NoError(t, err)
	require.Equal(t, github, byID)
	enabled, err := q.McpOAuthProviderListEnabled(ctx)
	require.NoError(t, err)
	require.Equal(t, []dbsqlc.McpOAuthProvider{github, google}, enabled)

	n, err := q.McpOAuthProviderDelete(ctx, google.ID)
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	for name, err := range map[string]error{
		"by slug": func() error { _, err := q.McpOAuthProviderGetBySlug(ctx, "google"); return err }(),
		"by id":   func() error { _, err := q.McpOAuthProviderGetByID(ctx, google.ID); return err }(),
	} {
		require.ErrorIs(t, err, stackdb.ErrNotFound, name)
	}
	n, err = q.McpOAuthProviderDelete(ctx, google.ID)
	require.NoError(t, err)
	require.EqualValues(t, 0, n)
}

func TestOAuthPendingFlow(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	teamID, userID := createTeam(t, pool)
	serverID := createMcpServer(t, pool)

	insert := func(state string, expiresIn time.Duration) dbsqlc.OAuthPendingFlow {
		f, err := q.OAuthPendingFlowInsert(ctx, dbsqlc.OAuthPendingFlowInsertParams{
			ID: newID("flow"), TeamID: teamID, ServerID: serverID, CreatedBy: userID, OauthState: state,
			OauthCodeVerifier: "verifier", OauthClientID: "client", OauthTokenEndpoint: "https://token",
			OauthTokenEndpointAuthMethod: "none", InstallationName: "n", InstallationType: "global",
			TeamConfig: json.RawMessage(`{"env":{}}`), ExpiresAt: time.Now().Add(expiresIn),
		})
		require.NoError(t, err)
		return f
	}
	live := insert("state-live", time.Hour)
	insert("state-old", -time.Minute)
	insert("state-older", -time.Hour)

	got, err := q.OAuthPendingFlowGetByState(ctx, "state-live")
	require.NoError(t, err)
	require.Equal(t, live, got)
	for _, state := range []string{"state-old", "missing"} {
		_, err = q.OAuthPendingFlowGetByState(ctx, state)
		require.ErrorIs(t, err, stackdb.ErrNotFound, state)
		_, err = q.OAuthPendingFlowClaimByState(ctx, state)
		require.ErrorIs(t, err, stackdb.ErrNotFound, state)
	}

	// Consumed once: the second claim of the same state finds nothing.
	claimed, err := q.OAuthPendingFlowClaimByState(ctx, "state-live")
	require.NoError(t, err)
	require.Equal(t, live, claimed)
	_, err = q.OAuthPendingFlowClaimByState(ctx, "state-live")
	require.ErrorIs(t, err, stackdb.ErrNotFound)

	// Two claimers at once: one wins, the other fails at once (SKIP LOCKED).
	insert("state-race", time.Hour)
	tx, err := pool.Begin(ctx)
	require.NoError(t, err)
	defer func() { _ = tx.Rollback(ctx) }()
	_, err = stackdb.New(tx).OAuthPendingFlowClaimByState(ctx, "state-race")
	require.NoError(t, err)
	_, err = q.OAuthPendingFlowClaimByState(ctx, "state-race")
	require.ErrorIs(t, err, stackdb.ErrNotFound, "locked by the first claimer")
	require.NoError(t, tx.Commit(ctx))

	n, err := q.OAuthPendingFlowDeleteExpired(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 2, n)
	require.Zero(t, countRows(t, pool, "oauth_pending_flows", "true"))

	cancel := insert("state-cancel", time.Hour)
	n, err = q.OAuthPendingFlowDelete(ctx, cancel.ID)
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	n, err = q.OAuthPendingFlowDelete(ctx, cancel.ID)
	require.NoError(t, err)
	require.EqualValues(t, 0, n)
}

func TestMcpOAuthToken(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	inst, team := createInstallation(t, pool)
	_, owner := installationOwner(t, pool, inst)
	user := createUser(t, pool)
	soon := time.Now().Add(5 * time.Minute).Truncate(time.Microsecond)

	upsert := func(userID, access string, refresh *string, expiresAt *time.Time) dbsqlc.McpOAuthToken {
		tok, err := q.McpOAuthTokenUpsert(ctx, dbsqlc.McpOAuthTokenUpsertParams{
			ID: newID("tok"), InstallationID: inst, UserID: userID, TeamID: team, AccessToken: access,
			RefreshToken: refresh, TokenType: "Bearer", ExpiresAt: expiresAt,
		})
		require.NoError(t, err)
		return tok
	}
	first := upsert(owner, "enc-access-1", mcpPtr("enc-refresh-1"), &soon)
	rotated := upsert(owner, "enc-access-2", mcpPtr("enc-refresh-2"), &soon)
	require.Equal(t, first.ID, rotated.ID, "one token set per user and installation")
	require.Equal(t, "enc-access-2", rotated.AccessToken)
	require.Equal(t, 1, countRows(t, pool, "mcp_oauth_tokens", "installation_id = $1 AND user_id = $2", inst, owner))

	got, err := q.McpOAuthTokenGetByInstallationUser(ctx, dbsqlc.McpOAuthTokenGetByInstallationUserParams{InstallationID: inst, UserID: owner})
	require.NoError(t, err)
	require.Equal(t, rotated, got)
	_, err = q.McpOAuthTokenGetByInstallationUser(ctx, dbsqlc.McpOAuthTokenGetByInstallationUserParams{InstallationID: inst, UserID: user})
	require.ErrorIs(t, err, stackdb.ErrNotFound)

	past := time.Now().Add(-time.Hour)
	dead := upsert(user, "enc-access-3", nil, &past) // expired, no refresh token

	// The refresh worker: refreshable tokens expiring within the window, with
	// their installation and server, in one query.
	expiring, err := q.McpOAuthTokenListExpiring(ctx, dbsqlc.McpOAuthTokenListExpiringParams{ExpiresBefore: time.Now().Add(10 * time.Minute), MaxRows: 10})
	require.NoError(t, err)
	require.Len(t, expiring, 1)
	require.Equal(t, rotated, expiring[0].McpOAuthToken)
	require.Equal(t, inst, expiring[0].McpServerInstallation.ID)
	require.Equal(t, expiring[0].McpServerInstallation.ServerID, expiring[0].McpServer.ID)
	none, err := q.McpOAuthTokenListExpiring(ctx, dbsqlc.McpOAuthTokenListExpiringParams{ExpiresBefore: time.Now(), MaxRows: 10})
	require.NoError(t, err)
	require.Empty(t, none, "the expired one cannot be refreshed")

	n, err := q.McpOAuthTokenDeleteExpired(ctx, time.Now())
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	require.Zero(t, countRows(t, pool, "mcp_oauth_tokens", "id = $1", dead.ID))

	key := dbsqlc.McpOAuthTokenDeleteParams{InstallationID: inst, UserID: owner}
	n, err = q.McpOAuthTokenDelete(ctx, key)
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	n, err = q.McpOAuthTokenDelete(ctx, key)
	require.NoError(t, err)
	require.EqualValues(t, 0, n)
}

// mcpServerLogRows is a batch of n server logs of an installation, created
// one second apart from start, newest last.
func mcpServerLogRows(installationID, teamID string, n int, start time.Time) []dbsqlc.McpServerLogInsertManyParams {
	rows := make([]dbsqlc.McpServerLogInsertManyParams, n)
	for i := range rows {
		rows[i] = dbsqlc.McpServerLogInsertManyParams{
			ID: newID("slog"), InstallationID: installationID, TeamID: teamID, LogType: "mcp_server_log", LogLevel: "info",
			Message: fmt.Sprintf("line %d", i), Metadata: json.RawMessage(`{"pid":1}`), CreatedAt: start.Add(time.Duration(i) * time.Second),
		}
	}
	return rows
}

// mcpRequestLogRows is mcpServerLogRows for request logs.
func mcpRequestLogRows(installationID, teamID string, n int, start time.Time) []dbsqlc.McpRequestLogInsertManyParams {
	rows := make([]dbsqlc.McpRequestLogInsertManyParams, n)
	for i := range rows {
		rows[i] = dbsqlc.McpRequestLogInsertManyParams{
			ID: newID("rlog"), InstallationID: installationID, TeamID: teamID, ToolName: "search",
			ToolParams: json.RawMessage(`{"q":"x"}`), ResponseTimeMs: int32(i), Success: i%2 == 0,
			CreatedAt: start.Add(time.Duration(i) * time.Second),
		}
	}
	return rows
}

// TestMcpLogs covers both log tables, which have the same three queries:
// COPY a batch, page newest first, keep the newest N per installation.
func TestMcpLogs(t *testing.T) {
	t.Parallel()
	start := time.Now().Add(-time.Hour).Truncate(time.Microsecond)

	type logQueries struct {
		insert func(t *testing.T, q dbsqlc.Querier, inst, team string, n int) (int64, []string) // ids oldest first
		page   func(q dbsqlc.Querier, inst string, cursor *time.Time, cursorID *string, max int32) ([]string, []time.Time, error)
		sweep  func(q dbsqlc.Querier, keep int64) (int64, error)
		bad    func(q dbsqlc.Querier, inst, team string) error // a batch whose second row names no installation
		table  string
	}
	for _, lq := range []logQueries{
		{
			table: "mcp_server_logs",
			insert: func(t *testing.T, q dbsqlc.Querier, inst, team string, n int) (int64, []string) {
				rows := mcpServerLogRows(inst, team, n, start)
				c, err := q.McpServerLogInsertMany(t.Context(), rows)
				require.NoError(t, err)
				ids := make([]string, n)
				for i, r := range rows {
					ids[i] = r.ID
				}
				return c, ids
			},
			page: func(q dbsqlc.Querier, inst string, cursor *time.Time, cursorID *string, max int32) ([]string, []time.Time, error) {
				rows, err := q.McpServerLogListByInstallation(t.Context(), dbsqlc.McpServerLogListByInstallationParams{
					InstallationID: inst, CursorCreatedAt: cursor, CursorID: cursorID, MaxRows: max})
				var ids []string
				var times []time.Time
				for _, r := range rows {
					ids, times = append(ids, r.ID), append(times, r.CreatedAt)
				}
				return ids, times, err
			},
			sweep: func(q dbsqlc.Querier, keep int64) (int64, error) {
				return q.McpServerLogDeleteBeyondLimit(t.Context(), keep)
			},
			bad: func(q dbsqlc.Querier, inst, team string) error {
				rows := mcpServerLogRows(inst, team, 3, start)
				rows[1].InstallationID = "missing"
				_, err := q.McpServerLogInsertMany(t.Context(), rows)
				return err
			},
		},
		{
			table: "mcp_request_logs",
			insert: func(t *testing.T, q dbsqlc.Querier, inst, team string, n int) (int64, []string) {
				rows := mcpRequestLogRows(inst, team, n, start)
				c, err := q.McpRequestLogInsertMany(t.Context(), rows)
				require.NoError(t, err)
				ids := make([]string, n)
				for i, r := range rows {
					ids[i] = r.ID
				}
				return c, ids
			},
			page: func(q dbsqlc.Querier, inst string, cursor *time.Time, cursorID *string, max int32) ([]string, []time.Time, error) {
				rows, err := q.McpRequestLogListByInstallation(t.Context(), dbsqlc.McpRequestLogListByInstallationParams{
					InstallationID: inst, CursorCreatedAt: cursor, CursorID: cursorID, MaxRows: max})
				var ids []string
				var times []time.Time
				for _, r := range rows {
					ids, times = append(ids, r.ID), append(times, r.CreatedAt)
				}
				return ids, times, err
			},
			sweep: func(q dbsqlc.Querier, keep int64) (int64, error) {
				return q.McpRequestLogDeleteBeyondLimit(t.Context(), keep)
			},
			bad: func(q dbsqlc.Querier, inst, team string) error {
				rows := mcpRequestLogRows(inst, team, 3, start)
				rows[1].InstallationID = "missing"
				_, err := q.McpRequestLogInsertMany(t.Context(), rows)
				return err
			},
		},
	} {
		t.Run(lq.table, func(t *testing.T) {
			t.Parallel()
			_, pool, q := setup(t)
			big, team := createInstallation(t, pool)
			small, smallTeam := createInstallation(t, pool)
			empty, _ := createInstallation(t, pool)

			n, bigIDs := lq.insert(t, q, big, team, 7)
			require.EqualValues(t, 7, n)
			_, smallIDs := lq.insert(t, q, small, smallTeam, 2)

			// Pages of 3, newest first, walk every row of the installation once.
			var walked []string
			var cursor *time.Time
			var cursorID *string
			for range 5 {
				ids, times, err := lq.page(q, big, cursor, cursorID, 3)
				require.NoError(t, err)
				if len(ids) == 0 {
					break
				}
				walked = append(walked, ids...)
				cursor, cursorID = &times[len(times)-1], &ids[len(ids)-1]
			}
			want := make([]string, len(bigIDs))
			for i, id := range bigIDs {
				want[len(bigIDs)-1-i] = id
			}
			require.Equal(t, want, walked)
			ids, _, err := lq.page(q, empty, nil, nil, 3)
			require.NoError(t, err)
			require.Empty(t, ids)

			// Keep the newest 3 of each installation: one statement.
			rec := &stmtRecorder{DB: pool}
			n, err = lq.sweep(stackdb.New(rec), 3)
			require.NoError(t, err)
			require.Equal(t, 1, rec.calls)
			require.EqualValues(t, 4, n, "7-3 of the big one, none of the small one")
			ids, _, err = lq.page(q, big, nil, nil, 10)
			require.NoError(t, err)
			require.Equal(t, want[:3], ids, "the newest survive")
			ids, _, err = lq.page(q, small, nil, nil, 10)
			require.NoError(t, err)
			require.ElementsMatch(t, smallIDs, ids)
			n, err = lq.sweep(q, 3)
			require.NoError(t, err)
			require.EqualValues(t, 0, n, "idempotent")

			// A batch with a bad row is refused whole.
			before := countRows(t, pool, lq.table, "true")
			requireMcpConstraint(t, lq.bad(q, small, smallTeam), stackdb.ForeignKey, lq.table+"_installation_id_fkey")
			require.Equal(t, before, countRows(t, pool, lq.table, "true"))
		})
	}
}

// TestInstallationsIndexes proves the hot reads and sweeps of the
// installation tables use their indexes.
func TestInstallationsIndexes(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	inst, team := createInstallation(t, pool)
	_, owner := installationOwner(t, pool, inst)
	_, err := q.McpServerLogInsertMany(ctx, mcpServerLogRows(inst, team, 3, time.Now()))
	require.NoError(t, err)
	_, err = q.McpRequestLogInsertMany(ctx, mcpRequestLogRows(inst, team, 3, time.Now()))
	require.NoError(t, err)
	cursor, cursorID := time.Now(), "rlog_999"

	for _, tc := range []struct {
		name   string
		query  func(q dbsqlc.Querier) error
		index  string
		sorted bool // the index gives the order: no Sort node
	}{
		{"installations of a team", func(q dbsqlc.Querier) error { _, err := q.McpServerInstallationListByTeam(ctx, team); return err },
			"mcp_installations_team_name_idx", false},
		{"user configuration", func(q dbsqlc.Querier) error {
			_, err := q.McpUserConfigurationGetByInstallationUser(ctx, dbsqlc.McpUserConfigurationGetByInstallationUserParams{InstallationID: inst, UserID: owner})
			if err == stackdb.ErrNotFound {
				err = nil
			}
			return err
		}, "mcp_user_configs_", false},
		{"tools of an installation", func(q dbsqlc.Querier) error { _, err := q.McpToolMetadataListByInstallation(ctx, inst); return err },
			"mcp_tool_metadata_unique_installation_tool", false},
		{"token of a user", func(q dbsqlc.Querier) error {
			_, err := q.McpOAuthTokenGetByInstallationUser(ctx, dbsqlc.McpOAuthTokenGetByInstallationUserParams{InstallationID: inst, UserID: owner})
			if err == stackdb.ErrNotFound {
				err = nil
			}
			return err
		}, "mcp_oauth_tokens_installation_user_team_idx", false},
		{"expiring tokens", func(q dbsqlc.Querier) error {
			_, err := q.McpOAuthTokenListExpiring(ctx, dbsqlc.McpOAuthTokenListExpiringParams{ExpiresBefore: time.Now(), MaxRows: 10})
			return err
		}, "mcp_oauth_tokens_expires_at_idx", false},
		{"expired tokens sweep", func(q dbsqlc.Querier) error { _, err := q.McpOAuthTokenDeleteExpired(ctx, time.Now()); return err },
			"mcp_oauth_tokens_expires_at_idx", false},
		{"pending flow by state", func(q dbsqlc.Querier) error {
			_, err := q.OAuthPendingFlowClaimByState(ctx, "s")
			if err == stackdb.ErrNotFound {
				err = nil
			}
			return err
		}, "oauth_pending_flows_state_idx", false},
		{"pending flow sweep", func(q dbsqlc.Querier) error { _, err := q.OAuthPendingFlowDeleteExpired(ctx); return err },
			"oauth_pending_flows_expires_at_idx", false},
		{"server log page", func(q dbsqlc.Querier) error {
			_, err := q.McpServerLogListByInstallation(ctx, dbsqlc.McpServerLogListByInstallationParams{
				InstallationID: inst, CursorCreatedAt: &cursor, CursorID: &cursorID, MaxRows: 50})
			return err
		}, "mcp_server_logs_installation_created_idx", true},
		{"request log page", func(q dbsqlc.Querier) error {
			_, err := q.McpRequestLogListByInstallation(ctx, dbsqlc.McpRequestLogListByInstallationParams{
				InstallationID: inst, CursorCreatedAt: &cursor, CursorID: &cursorID, MaxRows: 50})
			return err
		}, "mcp_request_logs_installation_created_idx", true},
		{"server log retention", func(q dbsqlc.Querier) error { _, err := q.McpServerLogDeleteBeyondLimit(ctx, 1000); return err },
			"mcp_server_logs_installation_created_idx", true},
		{"request log retention", func(q dbsqlc.Querier) error { _, err := q.McpRequestLogDeleteBeyondLimit(ctx, 1000); return err },
			"mcp_request_logs_installation_created_idx", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tx := noSeqscanTx(t, pool)
			plan := explainQuery(t, tx, tc.query)
			require.NotEmpty(t, plan.Indexes(), plan.Text())
			found := false
			for _, index := range rootIndexes(t, tx, plan) {
				found = found || strings.HasPrefix(index, tc.index)
			}
			require.True(t, found, "want %s: %s", tc.index, plan.Text())
			if tc.sorted {
				require.Nil(t, plan.Node("Node Type", "Sort"), plan.Text())
			}
		})
	}

	// The log pages are the hottest reads: their keyset cursor stays an
	// index condition in the generic plan too, the one a prepared statement
	// settles on, because the first page's nil cursor is coalesced rather
	// than OR-ed away.
	t.Run("log page, generic plan", func(t *testing.T) {
		tx := noSeqscanTx(t, pool)
		rec := &stmtRecorder{DB: tx}
		_, err := stackdb.New(rec).McpServerLogListByInstallation(ctx, dbsqlc.McpServerLogListByInstallationParams{
			InstallationID: inst, CursorCreatedAt: &cursor, CursorID: &cursorID, MaxRows: 50})
		require.NoError(t, err)
		plan := explainGeneric(t, tx, rec)
		require.Contains(t, rootIndexes(t, tx, plan), "mcp_server_logs_installation_created_idx", plan.Text())
		require.Nil(t, plan.Node("Node Type", "Sort"), plan.Text())
		require.Contains(t, strings.Join(plan.IndexConds(), " "), "ROW(created_at, id) <", plan.Text())
	})
}
