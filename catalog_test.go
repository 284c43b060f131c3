package stackdb_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/gen/dbsqlc"
)

// mcpServerParams is the smallest valid McpServerInsert: a global, active,
// stdio server named name, created by a new user. Tests change fields.
func mcpServerParams(t *testing.T, db stackdb.DB, name string) dbsqlc.McpServerInsertParams {
	t.Helper()
	id := newID("srv")
	return dbsqlc.McpServerInsertParams{
		ID: id, Name: name, Slug: id, Description: "a server", Language: "typescript", Runtime: "node",
		Visibility: "global", CreatedBy: createUser(t, db), TransportType: dbsqlc.TransportTypeStdio,
		Status: "active", Source: dbsqlc.McpServerSourceManual,
	}
}

// insertMcpServer inserts p through McpServerInsert.
func insertMcpServer(t *testing.T, q dbsqlc.Querier, p dbsqlc.McpServerInsertParams) dbsqlc.McpServer {
	t.Helper()
	s, err := q.McpServerInsert(t.Context(), p)
	require.NoError(t, err)
	return s
}

func insertMcpCategory(t *testing.T, q dbsqlc.Querier, name string, sortOrder int32) dbsqlc.McpCategory {
	t.Helper()
	c, err := q.McpCategoryInsert(t.Context(), dbsqlc.McpCategoryInsertParams{ID: newID("cat"), Name: name, SortOrder: sortOrder})
	require.NoError(t, err)
	return c
}

func mcpServerIDs(servers []dbsqlc.McpServer) []string {
	ids := make([]string, len(servers))
	for i, s := range servers {
		ids[i] = s.ID
	}
	return ids
}

func mcpPtr[T any](v T) *T { return &v }

func TestMcpCategory(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)

	tools := insertMcpCategory(t, q, "Tools", 2)
	data := insertMcpCategory(t, q, "Data", 1)
	apis := insertMcpCategory(t, q, "APIs", 2)

	list, err := q.McpCategoryList(ctx)
	require.NoError(t, err)
	require.Equal(t, []string{data.ID, apis.ID, tools.ID}, []string{list[0].ID, list[1].ID, list[2].ID}, "sort_order, then name")

	_, err = q.McpCategoryInsert(ctx, dbsqlc.McpCategoryInsertParams{ID: newID("cat"), Name: "Tools"})
	require.True(t, stackdb.IsUniqueViolation(err, "mcp_categories_name_key"), "%v", err)

	got, err := q.McpCategoryGetByID(ctx, tools.ID)
	require.NoError(t, err)
	require.Equal(t, tools, got)

	updated, err := q.McpCategoryUpdate(ctx, dbsqlc.McpCategoryUpdateParams{ID: tools.ID, Name: "Dev tools", Description: mcpPtr("build"), SortOrder: 0})
	require.NoError(t, err)
	require.Equal(t, "Dev tools", updated.Name)
	require.Equal(t, "build", *updated.Description)
	require.Equal(t, int32(0), updated.SortOrder)

	for name, err := range map[string]error{
		"get": func() error { _, err := q.McpCategoryGetByID(ctx, "missing"); return err }(),
		"update": func() error {
			_, err := q.McpCategoryUpdate(ctx, dbsqlc.McpCategoryUpdateParams{ID: "missing", Name: "x"})
			return err
		}(),
	} {
		require.ErrorIs(t, err, stackdb.ErrNotFound, name)
	}

	// A category in use is kept (ON DELETE NO ACTION), as in DeployStack.
	p := mcpServerParams(t, pool, "uses data")
	p.CategoryID = &data.ID
	insertMcpServer(t, q, p)
	_, err = q.McpCategoryDelete(ctx, data.ID)
	var cerr *stackdb.ConstraintError
	require.ErrorAs(t, err, &cerr)
	require.Equal(t, stackdb.ForeignKey, cerr.Kind)

	n, err := q.McpCategoryDelete(ctx, apis.ID)
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	n, err = q.McpCategoryDelete(ctx, apis.ID)
	require.NoError(t, err)
	require.EqualValues(t, 0, n)
}

func TestMcpServerInsertGetUpdateDelete(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)

	p := mcpServerParams(t, pool, "Weather")
	p.Tags = json.RawMessage(`["forecast","climate"]`)
	p.TemplateArgs = json.RawMessage(`["-y","@weather/mcp"]`)
	p.GithubStars = mcpPtr[int32](42)
	server := insertMcpServer(t, q, p)
	require.Equal(t, "unknown", server.HealthStatus, "default")
	require.JSONEq(t, `["-y","@weather/mcp"]`, string(server.TemplateArgs))
	require.Nil(t, server.Remotes)

	byID, err := q.McpServerGetByID(ctx, server.ID)
	require.NoError(t, err)
	require.Equal(t, server, byID)
	bySlug, err := q.McpServerGetBySlug(ctx, server.Slug)
	require.NoError(t, err)
	require.Equal(t, server, bySlug)

	dup := mcpServerParams(t, pool, "Other")
	dup.Slug = server.Slug
	_, err = q.McpServerInsert(ctx, dup)
	require.True(t, stackdb.IsUniqueViolation(err, "mcp_servers_slug_key"), "%v", err)

	bad := mcpServerParams(t, pool, "Bad")
	bad.Visibility = "private"
	_, err = q.McpServerInsert(ctx, bad)
	var cerr *stackdb.ConstraintError
	require.ErrorAs(t, err, &cerr)
	require.Equal(t, "mcp_servers_visibility_check", cerr.Constraint)

	// A partial update: the fields given change, the others stay.
	updated, err := q.McpServerUpdate(ctx, dbsqlc.McpServerUpdateParams{
		ID: server.ID, Description: mcpPtr("forecasts"), Featured: mcpPtr(true), Tags: json.RawMessage(`["rain"]`),
	})
	require.NoError(t, err)
	require.Equal(t, "forecasts", updated.Description)
	require.True(t, updated.Featured)
	require.JSONEq(t, `["rain"]`, string(updated.Tags))
	require.Equal(t, server.Name, updated.Name)
	require.Equal(t, server.GithubStars, updated.GithubStars)
	require.JSONEq(t, string(server.TemplateArgs), string(updated.TemplateArgs))
	require.True(t, updated.UpdatedAt.After(server.UpdatedAt) || updated.UpdatedAt.Equal(server.UpdatedAt))
	require.NotEqual(t, server.Search, updated.Search, "the search document follows the row")

	n, err := q.McpServerUpdateHealth(ctx, dbsqlc.McpServerUpdateHealthParams{ID: server.ID, HealthStatus: "offline", HealthCheckError: mcpPtr("timeout")})
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	got, err := q.McpServerGetByID(ctx, server.ID)
	require.NoError(t, err)
	require.Equal(t, "offline", got.HealthStatus)
	require.Equal(t, "timeout", *got.HealthCheckError)
	require.NotNil(t, got.LastHealthCheckAt)

	_, err = q.McpServerUpdateHealth(ctx, dbsqlc.McpServerUpdateHealthParams{ID: server.ID, HealthStatus: "sick"})
	require.ErrorAs(t, err, &cerr)
	require.Equal(t, "mcp_servers_health_status_check", cerr.Constraint)

	for name, err := range map[string]error{
		"get by id":   func() error { _, err := q.McpServerGetByID(ctx, "missing"); return err }(),
		"get by slug": func() error { _, err := q.McpServerGetBySlug(ctx, "missing"); return err }(),
		"update": func() error {
			_, err := q.McpServerUpdate(ctx, dbsqlc.McpServerUpdateParams{ID: "missing"})
			return err
		}(),
	} {
		require.ErrorIs(t, err, stackdb.ErrNotFound, name)
	}

	_, err = q.McpServerVersionInsert(ctx, dbsqlc.McpServerVersionInsertParams{ID: newID("ver"), ServerID: server.ID, Version: "1.0.0"})
	require.NoError(t, err)
	n, err = q.McpServerDelete(ctx, server.ID)
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	require.Zero(t, countRows(t, pool, "mcp_server_versions", "server_id = $1", server.ID), "versions cascade")
	n, err = q.McpServerDelete(ctx, server.ID)
	require.NoError(t, err)
	require.EqualValues(t, 0, n)
	n, err = q.McpServerUpdateHealth(ctx, dbsqlc.McpServerUpdateHealthParams{ID: server.ID, HealthStatus: "online"})
	require.NoError(t, err)
	require.EqualValues(t, 0, n)
}

// catalogFixture is a small catalog: two global servers (one featured) and
// one team server in each of two teams.
type catalogFixture struct {
	teamA, teamB              string
	category                  string
	alpha, beta, gamma, delta dbsqlc.McpServer // alpha featured; gamma team A, delta team B
	inactive                  dbsqlc.McpServer // global, deprecated
}

func newCatalogFixture(t *testing.T, db stackdb.DB, q dbsqlc.Querier) catalogFixture {
	t.Helper()
	var f catalogFixture
	f.teamA, _ = createTeam(t, db)
	f.teamB, _ = createTeam(t, db)
	f.category = insertMcpCategory(t, q, "Weather", 0).ID

	p := mcpServerParams(t, db, "Alpha weather")
	p.Featured, p.CategoryID, p.Language, p.Runtime = true, &f.category, "python", "python"
	p.Tags = json.RawMessage(`["maps"]`)
	f.alpha = insertMcpServer(t, q, p)

	p = mcpServerParams(t, db, "Beta")
	p.Description, p.TransportType = "weather alerts over http", dbsqlc.TransportTypeHttp
	f.beta = insertMcpServer(t, q, p)

	p = mcpServerParams(t, db, "Gamma")
	p.Visibility, p.OwnerTeamID = "team", &f.teamA
	p.Tags = json.RawMessage(`["weather"]`)
	f.gamma = insertMcpServer(t, q, p)

	p = mcpServerParams(t, db, "Delta")
	p.Visibility, p.OwnerTeamID = "team", &f.teamB
	f.delta = insertMcpServer(t, q, p)

	p = mcpServerParams(t, db, "Epsilon weather")
	p.Status = "deprecated"
	f.inactive = insertMcpServer(t, q, p)
	return f
}

func TestMcpServerListPage(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	f := newCatalogFixture(t, pool, q)

	for _, tc := range []struct {
		name string
		args dbsqlc.McpServerListPageParams
		want []dbsqlc.McpServer
	}{
		{"admin sees all, featured first then by name", dbsqlc.McpServerListPageParams{SeeAll: true},
			[]dbsqlc.McpServer{f.alpha, f.beta, f.delta, f.inactive, f.gamma}},
		{"a member of team A sees the global servers and team A's", dbsqlc.McpServerListPageParams{TeamIds: []string{f.teamA}},
			[]dbsqlc.McpServer{f.alpha, f.beta, f.inactive, f.gamma}},
		{"no team: global only", dbsqlc.McpServerListPageParams{TeamIds: []string{}},
			[]dbsqlc.McpServer{f.alpha, f.beta, f.inactive}},
		{"visibility team", dbsqlc.McpServerListPageParams{SeeAll: true, Visibility: mcpPtr("team")},
			[]dbsqlc.McpServer{f.delta, f.gamma}},
		{"owner team", dbsqlc.McpServerListPageParams{SeeAll: true, OwnerTeamID: &f.teamB}, []dbsqlc.McpServer{f.delta}},
		{"category", dbsqlc.McpServerListPageParams{SeeAll: true, CategoryID: &f.category}, []dbsqlc.McpServer{f.alpha}},
		{"status", dbsqlc.McpServerListPageParams{SeeAll: true, Status: mcpPtr("deprecated")}, []dbsqlc.McpServer{f.inactive}},
		{"featured", dbsqlc.McpServerListPageParams{SeeAll: true, Featured: mcpPtr(true)}, []dbsqlc.McpServer{f.alpha}},
		{"not featured", dbsqlc.McpServerListPageParams{SeeAll: true, Featured: mcpPtr(false)},
			[]dbsqlc.McpServer{f.beta, f.delta, f.inactive, f.gamma}},
		{"language", dbsqlc.McpServerListPageParams{SeeAll: true, Language: mcpPtr("python")}, []dbsqlc.McpServer{f.alpha}},
		{"runtime", dbsqlc.McpServerListPageParams{SeeAll: true, Runtime: mcpPtr("python")}, []dbsqlc.McpServer{f.alpha}},
		{"transport", dbsqlc.McpServerListPageParams{SeeAll: true, TransportType: mcpPtr(dbsqlc.TransportTypeHttp)}, []dbsqlc.McpServer{f.beta}},
		{"text in name, description or tags", dbsqlc.McpServerListPageParams{SeeAll: true, Query: mcpPtr("weather")},
			[]dbsqlc.McpServer{f.alpha, f.beta, f.inactive, f.gamma}},
		{"text and visibility", dbsqlc.McpServerListPageParams{TeamIds: []string{f.teamB}, Query: mcpPtr("weather")},
			[]dbsqlc.McpServer{f.alpha, f.beta, f.inactive}},
		{"stemmed text", dbsqlc.McpServerListPageParams{SeeAll: true, Query: mcpPtr("alert")}, []dbsqlc.McpServer{f.beta}},
		{"nothing matches", dbsqlc.McpServerListPageParams{SeeAll: true, Query: mcpPtr("spreadsheet")}, []dbsqlc.McpServer{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.args.MaxRows = 100
			if tc.args.TeamIds == nil {
				tc.args.TeamIds = []string{}
			}
			got, err := q.McpServerListPage(ctx, tc.args)
			require.NoError(t, err)
			require.Equal(t, mcpServerIDs(tc.want), mcpServerIDs(got))
		})
	}

	t.Run("pages walk the whole list once", func(t *testing.T) {
		all := []string{f.alpha.ID, f.beta.ID, f.delta.ID, f.inactive.ID, f.gamma.ID}
		var walked []string
		args := dbsqlc.McpServerListPageParams{SeeAll: true, TeamIds: []string{}, MaxRows: 2}
		for range 10 {
			page, err := q.McpServerListPage(ctx, args)
			require.NoError(t, err)
			if len(page) == 0 {
				break
			}
			walked = append(walked, mcpServerIDs(page)...)
			last := page[len(page)-1]
			args.CursorFeatured, args.CursorName, args.CursorID = &last.Featured, &last.Name, &last.ID
		}
		require.Equal(t, all, walked)
	})
}

func TestMcpServerSearch(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	f := newCatalogFixture(t, pool, q)

	for _, tc := range []struct {
		name string
		args dbsqlc.McpServerListBySearchParams
		want []string
	}{
		// alpha has the word in its name (A), beta in its description (B),
		// gamma in its tags (C); the deprecated one is left out.
		{"ranked by where the word is", dbsqlc.McpServerListBySearchParams{SeeAll: true, Query: "weather"},
			[]string{f.alpha.ID, f.beta.ID, f.gamma.ID}},
		{"visibility", dbsqlc.McpServerListBySearchParams{TeamIds: []string{f.teamB}, Query: "weather"},
			[]string{f.alpha.ID, f.beta.ID}},
		{"web search syntax", dbsqlc.McpServerListBySearchParams{SeeAll: true, Query: "weather -maps"},
			[]string{f.beta.ID, f.gamma.ID}},
		{"limit", dbsqlc.McpServerListBySearchParams{SeeAll: true, Query: "weather", MaxRows: 1}, []string{f.alpha.ID}},
		{"no match", dbsqlc.McpServerListBySearchParams{SeeAll: true, Query: "spreadsheet"}, []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.args.MaxRows == 0 {
				tc.args.MaxRows = 10
			}
			if tc.args.TeamIds == nil {
				tc.args.TeamIds = []string{}
			}
			rows, err := q.McpServerListBySearch(ctx, tc.args)
			require.NoError(t, err)
			got := []string{}
			for i, r := range rows {
				got = append(got, r.McpServer.ID)
				require.Positive(t, r.Rank)
				if i > 0 {
					require.GreaterOrEqual(t, rows[i-1].Rank, r.Rank, "best first")
				}
			}
			require.Equal(t, tc.want, got)
		})
	}
}

func TestMcpServerListAutoInstall(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	teamID, _ := createTeam(t, pool)

	var want []string
	for _, tc := range []struct {
		visibility, status string
		auto, listed       bool
	}{
		{"global", "active", true, true},
		{"global", "active", false, false},
		{"global", "deprecated", true, false},
		{"team", "active", true, false},
	} {
		p := mcpServerParams(t, pool, newID("auto"))
		p.Visibility, p.Status, p.AutoInstallNewDefaultTeam = tc.visibility, tc.status, tc.auto
		if tc.visibility == "team" {
			p.OwnerTeamID = &teamID
		}
		s := insertMcpServer(t, q, p)
		if tc.listed {
			want = append(want, s.ID)
		}
	}
	got, err := q.McpServerListAutoInstall(ctx)
	require.NoError(t, err)
	require.Equal(t, want, mcpServerIDs(got))
}

func TestMcpServerVersion(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	server, other := createMcpServer(t, pool), createMcpServer(t, pool)

	insertVersion := func(serverID, version string, latest, stable bool, age string) dbsqlc.McpServerVersion {
		v, err := q.McpServerVersionInsert(ctx, dbsqlc.McpServerVersionInsertParams{
			ID: newID("ver"), ServerID: serverID, Version: version, IsLatest: latest, IsStable: stable,
		})
		require.NoError(t, err)
		execSQL(t, pool, "UPDATE mcp_server_versions SET created_at = now() - $2::interval WHERE id = $1", v.ID, age)
		return v
	}
	v1 := insertVersion(server, "1.0.0", true, true, "3 days")
	v2 := insertVersion(server, "1.1.0", false, true, "2 days")
	v3 := insertVersion(server, "2.0.0-rc1", false, false, "1 day")
	foreign := insertVersion(other, "9.9.9", true, true, "1 day")

	list, err := q.McpServerVersionListByServer(ctx, server)
	require.NoError(t, err)
	require.Equal(t, []string{v3.ID, v2.ID, v1.ID}, []string{list[0].ID, list[1].ID, list[2].ID})

	latest, err := q.McpServerVersionGetLatestByServer(ctx, server)
	require.NoError(t, err)
	require.Equal(t, v1.ID, latest.ID)
	stable, err := q.McpServerVersionGetStableByServer(ctx, server)
	require.NoError(t, err)
	require.Equal(t, v2.ID, stable.ID, "the newest stable one")

	n, err := q.McpServerVersionUpdateLatest(ctx, dbsqlc.McpServerVersionUpdateLatestParams{ServerID: server, VersionID: v3.ID})
	require.NoError(t, err)
	require.EqualValues(t, 3, n)
	latest, err = q.McpServerVersionGetLatestByServer(ctx, server)
	require.NoError(t, err)
	require.Equal(t, v3.ID, latest.ID)
	require.Equal(t, 1, countRows(t, pool, "mcp_server_versions", "server_id = $1 AND is_latest", server), "one latest")

	// Another server's version changes nothing, on either server.
	n, err = q.McpServerVersionUpdateLatest(ctx, dbsqlc.McpServerVersionUpdateLatestParams{ServerID: server, VersionID: foreign.ID})
	require.NoError(t, err)
	require.EqualValues(t, 0, n)
	require.Equal(t, 1, countRows(t, pool, "mcp_server_versions", "server_id = $1 AND is_latest AND id = $2", server, v3.ID))
	require.Equal(t, 1, countRows(t, pool, "mcp_server_versions", "id = $1 AND is_latest", foreign.ID))

	n, err = q.McpServerVersionDelete(ctx, v3.ID)
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	_, err = q.McpServerVersionGetLatestByServer(ctx, server)
	require.ErrorIs(t, err, stackdb.ErrNotFound)
	_, err = q.McpServerVersionGetStableByServer(ctx, createMcpServer(t, pool))
	require.ErrorIs(t, err, stackdb.ErrNotFound)
	n, err = q.McpServerVersionDelete(ctx, v3.ID)
	require.NoError(t, err)
	require.EqualValues(t, 0, n)
}

// TestCatalogIndexes proves the catalog's hot reads use their indexes, on a
// catalog of a few thousand servers so that the planner's choice is the one
// it makes in production.
func TestCatalogIndexes(t *testing.T) {
	t.Parallel()
	_, pool, q := setup(t)
	f := newCatalogFixture(t, pool, q)
	execSQL(t, pool, `INSERT INTO mcp_servers (id, name, slug, description, language, runtime, created_by, visibility, owner_team_id, tags)
		SELECT 'filler_' || n, 'Filler ' || n, 'filler-' || n, 'tool number ' || n, 'go', 'go', $1,
		       CASE WHEN n % 3 = 0 THEN 'team' ELSE 'global' END, CASE WHEN n % 3 = 0 THEN $2 END, '["misc"]'
		FROM generate_series(1, 3000) n`, f.alpha.CreatedBy, f.teamB)
	// VACUUM, as autovacuum would: it also merges the GIN index's pending
	// list, whose scan the planner otherwise charges every search.
	execSQL(t, pool, "VACUUM ANALYZE mcp_servers")

	for _, tc := range []struct {
		name   string
		query  func(q dbsqlc.Querier) error
		index  string
		sorted bool // the index gives the order: no Sort node
	}{
		{"server by slug", func(q dbsqlc.Querier) error { _, err := q.McpServerGetBySlug(t.Context(), f.alpha.Slug); return err },
			"mcp_servers_slug_key", false},
		{"list page after a cursor", func(q dbsqlc.Querier) error {
			_, err := q.McpServerListPage(t.Context(), dbsqlc.McpServerListPageParams{
				SeeAll: true, TeamIds: []string{}, MaxRows: 20,
				CursorFeatured: &f.alpha.Featured, CursorName: &f.alpha.Name, CursorID: &f.alpha.ID,
			})
			return err
		}, "mcp_servers_listing_idx", true},
		{"list page with text", func(q dbsqlc.Querier) error {
			_, err := q.McpServerListPage(t.Context(), dbsqlc.McpServerListPageParams{
				TeamIds: []string{f.teamA}, MaxRows: 20, Query: mcpPtr("weather"),
			})
			return err
		}, "mcp_servers_search_idx", false},
		{"ranked search", func(q dbsqlc.Querier) error {
			_, err := q.McpServerListBySearch(t.Context(), dbsqlc.McpServerListBySearchParams{TeamIds: []string{f.teamA}, Query: "weather", MaxRows: 10})
			return err
		}, "mcp_servers_search_idx", false},
		{"versions by server", func(q dbsqlc.Querier) error {
			_, err := q.McpServerVersionListByServer(t.Context(), f.alpha.ID)
			return err
		},
			"mcp_server_versions_server_idx", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tx := noSeqscanTx(t, pool)
			plan := explainQuery(t, tx, tc.query)
			require.Contains(t, plan.Indexes(), tc.index, plan.Text())
			if tc.sorted {
				require.Nil(t, plan.Node("Node Type", "Sort"), plan.Text())
				require.Contains(t, strings.Join(plan.IndexConds(), " "), "ROW(", "the cursor is an index condition: %s", plan.Text())
			}
		})
	}
}
