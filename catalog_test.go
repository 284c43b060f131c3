package stackdb_test

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/gen/dbsqlc"
)

// ---------------------------------------------------------------------------
// Catalog fixtures

func newCatalogCategory(t *testing.T, q dbsqlc.Querier, name string, sortOrder int32) dbsqlc.McpCategory {
	t.Helper()
	c, err := q.McpCategoryCreate(t.Context(), dbsqlc.McpCategoryCreateParams{ID: newID("cat"), Name: name, SortOrder: sortOrder})
	require.NoError(t, err)
	return c
}

// newCatalogServer creates a server from p, filling what p leaves empty: a
// unique id (also the slug), a description matching no test query, and
// language, runtime, status and visibility.
func newCatalogServer(t *testing.T, q dbsqlc.Querier, p dbsqlc.McpServerCreateParams) dbsqlc.McpServer {
	t.Helper()
	if p.ID == "" {
		p.ID = newID("srv")
	}
	if p.Slug == "" {
		p.Slug = p.ID
	}
	if p.Name == "" {
		p.Name = "Server " + p.ID
	}
	if p.Description == "" {
		p.Description = "Placeholder."
	}
	if p.Language == "" {
		p.Language = "typescript"
	}
	if p.Runtime == "" {
		p.Runtime = "node"
	}
	if p.Status == "" {
		p.Status = dbsqlc.McpServerStatusActive
	}
	if p.Visibility == "" {
		p.Visibility = dbsqlc.McpServerVisibilityGlobal
	}
	s, err := q.McpServerCreate(t.Context(), p)
	require.NoError(t, err)
	return s
}

func catalogSearchIDs(rows []dbsqlc.McpServerSearchRow) []string {
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.McpServer.ID
	}
	return ids
}

// ---------------------------------------------------------------------------
// mcp_categories

func TestCatalogCategoryCRUD(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)

	created, err := q.McpCategoryCreate(ctx, dbsqlc.McpCategoryCreateParams{
		ID: "cat_db", Name: "Databases", Description: new("SQL and NoSQL"), Icon: new("database"), SortOrder: 2,
	})
	require.NoError(t, err)
	require.Equal(t, dbsqlc.McpCategory{
		ID: "cat_db", Name: "Databases", Description: new("SQL and NoSQL"), Icon: new("database"), SortOrder: 2,
		CreatedAt: created.CreatedAt,
	}, created)
	require.WithinDuration(t, time.Now(), created.CreatedAt, time.Minute)

	got, err := q.McpCategoryGetByID(ctx, "cat_db")
	require.NoError(t, err)
	require.Equal(t, created, got)
	_, err = q.McpCategoryGetByID(ctx, "cat_missing")
	require.ErrorIs(t, err, stackdb.ErrNotFound)

	_, err = q.McpCategoryCreate(ctx, dbsqlc.McpCategoryCreateParams{ID: "cat_db2", Name: "Databases"})
	requireConstraintError(t, err, stackdb.Unique, "mcp_categories", "mcp_categories_name_key")

	t.Run("partial update", func(t *testing.T) {
		n, err := q.McpCategoryUpdate(ctx, dbsqlc.McpCategoryUpdateParams{ID: "cat_db", Name: new("Data stores")})
		require.NoError(t, err)
		require.EqualValues(t, 1, n)
		got, err := q.McpCategoryGetByID(ctx, "cat_db")
		require.NoError(t, err)
		want := created
		want.Name = "Data stores"
		require.Equal(t, want, got, "only the name changes")

		n, err = q.McpCategoryUpdate(ctx, dbsqlc.McpCategoryUpdateParams{ID: "cat_db", Icon: new("db"), SortOrder: new(int32(0))})
		require.NoError(t, err)
		require.EqualValues(t, 1, n)
		got, err = q.McpCategoryGetByID(ctx, "cat_db")
		require.NoError(t, err)
		want.Icon, want.SortOrder = new("db"), 0
		require.Equal(t, want, got, "zero is a value, not unchanged")

		n, err = q.McpCategoryUpdate(ctx, dbsqlc.McpCategoryUpdateParams{ID: "cat_missing", Name: new("x")})
		require.NoError(t, err)
		require.EqualValues(t, 0, n)
	})

	t.Run("delete", func(t *testing.T) {
		used := newCatalogCategory(t, q, "Used", 1)
		srv := newCatalogServer(t, q, dbsqlc.McpServerCreateParams{CategoryID: &used.ID})
		_, err := q.McpCategoryDelete(ctx, used.ID)
		requireConstraintError(t, err, stackdb.ForeignKey, "mcp_servers", "mcp_servers_category_id_fkey")
		_, err = q.McpServerGetByID(ctx, srv.ID)
		require.NoError(t, err, "the refused delete leaves the server")

		n, err := q.McpCategoryDelete(ctx, "cat_db")
		require.NoError(t, err)
		require.EqualValues(t, 1, n)
		n, err = q.McpCategoryDelete(ctx, "cat_db")
		require.NoError(t, err)
		require.EqualValues(t, 0, n)
		_, err = q.McpCategoryGetByID(ctx, "cat_db")
		require.ErrorIs(t, err, stackdb.ErrNotFound)
		_, err = q.McpCategoryGetByID(ctx, used.ID)
		require.NoError(t, err, "only the named category is deleted")
	})
}

func TestCatalogCategoryList(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)

	cats, err := q.McpCategoryList(ctx)
	require.NoError(t, err)
	require.NotNil(t, cats)
	require.Empty(t, cats)

	// Created in an order that is neither the sort order nor the names'.
	for _, c := range []struct {
		name  string
		order int32
	}{{"Zeta", 1}, {"Beta", 2}, {"Alpha", 2}, {"Omega", 0}, {"Gamma", 1}} {
		newCatalogCategory(t, q, c.name, c.order)
	}
	cats, err = q.McpCategoryList(ctx)
	require.NoError(t, err)
	var names []string
	for _, c := range cats {
		names = append(names, c.Name)
	}
	require.Equal(t, []string{"Omega", "Gamma", "Zeta", "Alpha", "Beta"}, names, "by sort_order, then name")
}

// ---------------------------------------------------------------------------
// mcp_servers

func TestCatalogServerCreateGet(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)
	role := createRole(t, q, "member")
	user := createUser(t, q, role.ID, "author@example.com")
	team := createTeam(t, q, user.ID, "Core", "core")
	cat := newCatalogCategory(t, q, "Dev tools", 0)

	created, err := q.McpServerCreate(ctx, dbsqlc.McpServerCreateParams{
		ID: "srv_gh", Name: "GitHub", Slug: "github", Description: "Repositories and pull requests.",
		LongDescription: new("Long text."), GithubUrl: new("https://github.com/example/gh"),
		Language: "go", Runtime: "binary", Status: dbsqlc.McpServerStatusMaintenance,
		Visibility: dbsqlc.McpServerVisibilityTeam, OwnerTeamID: &team.ID, CategoryID: &cat.ID,
		Tags:                 json.RawMessage(`["vcs","git"]`),
		EnvironmentVariables: json.RawMessage(`[{"name":"GITHUB_TOKEN","required":true}]`),
		Metadata:             json.RawMessage(`{"stars":5}`),
		Featured:             true, CreatedBy: &user.ID,
	})
	require.NoError(t, err)
	require.WithinDuration(t, time.Now(), created.CreatedAt, time.Minute)
	require.Equal(t, created.CreatedAt, created.UpdatedAt)
	require.JSONEq(t, `["vcs","git"]`, string(created.Tags))
	require.JSONEq(t, `[{"name":"GITHUB_TOKEN","required":true}]`, string(created.EnvironmentVariables))
	require.JSONEq(t, `{"stars":5}`, string(created.Metadata))
	require.Equal(t, dbsqlc.McpServer{
		ID: "srv_gh", Name: "GitHub", Slug: "github", Description: "Repositories and pull requests.",
		LongDescription: new("Long text."), GithubUrl: new("https://github.com/example/gh"),
		Language: "go", Runtime: "binary", Status: dbsqlc.McpServerStatusMaintenance,
		Visibility: dbsqlc.McpServerVisibilityTeam, OwnerTeamID: &team.ID, CategoryID: &cat.ID,
		Tags: created.Tags, EnvironmentVariables: created.EnvironmentVariables, Metadata: created.Metadata,
		Featured: true, CreatedBy: &user.ID, CreatedAt: created.CreatedAt, UpdatedAt: created.UpdatedAt,
		Search: created.Search,
	}, created)
	require.Equal(t, "'git':8C 'github':1A 'pull':4B 'repositori':2B 'request':5B 'vcs':6C", created.Search.String(),
		"the generated search document weights name A, description B, tags C")

	minimal := newCatalogServer(t, q, dbsqlc.McpServerCreateParams{})
	require.JSONEq(t, `[]`, string(minimal.Tags), "nil tags store an empty array")
	require.Nil(t, minimal.EnvironmentVariables)
	require.Nil(t, minimal.Metadata)
	require.Nil(t, minimal.CategoryID)
	require.False(t, minimal.Featured)

	bySlug, err := q.McpServerGetBySlug(ctx, "github")
	require.NoError(t, err)
	require.Equal(t, created, bySlug)
	byID, err := q.McpServerGetByID(ctx, "srv_gh")
	require.NoError(t, err)
	require.Equal(t, created, byID)

	_, err = q.McpServerGetBySlug(ctx, "GitHub")
	require.ErrorIs(t, err, stackdb.ErrNotFound, "slugs match exactly")
	_, err = q.McpServerGetByID(ctx, "srv_missing")
	require.ErrorIs(t, err, stackdb.ErrNotFound)
}

func TestCatalogServerConstraints(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)
	existing := newCatalogServer(t, q, dbsqlc.McpServerCreateParams{Slug: "taken"})

	tests := []struct {
		name       string
		params     dbsqlc.McpServerCreateParams
		kind       stackdb.ConstraintKind
		constraint string
	}{
		{"duplicate slug", dbsqlc.McpServerCreateParams{Slug: "taken"}, stackdb.Unique, "mcp_servers_slug_key"},
		{"tags not an array", dbsqlc.McpServerCreateParams{Tags: json.RawMessage(`{"a":1}`)}, stackdb.Check, "mcp_servers_tags_is_array"},
		{"env vars not an array", dbsqlc.McpServerCreateParams{EnvironmentVariables: json.RawMessage(`{"A":"1"}`)}, stackdb.Check, "mcp_servers_environment_variables_is_array"},
		{"metadata not an object", dbsqlc.McpServerCreateParams{Metadata: json.RawMessage(`[1]`)}, stackdb.Check, "mcp_servers_metadata_is_object"},
		{"unknown category", dbsqlc.McpServerCreateParams{CategoryID: new("cat_missing")}, stackdb.ForeignKey, "mcp_servers_category_id_fkey"},
		{"unknown owner team", dbsqlc.McpServerCreateParams{OwnerTeamID: new("team_missing")}, stackdb.ForeignKey, "mcp_servers_owner_team_id_fkey"},
		{"unknown creator", dbsqlc.McpServerCreateParams{CreatedBy: new("user_missing")}, stackdb.ForeignKey, "mcp_servers_created_by_fkey"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.params
			p.ID = newID("srv")
			if p.Slug == "" {
				p.Slug = p.ID
			}
			p.Name, p.Description, p.Language, p.Runtime = "X", "Y", "go", "binary"
			p.Status, p.Visibility = dbsqlc.McpServerStatusActive, dbsqlc.McpServerVisibilityGlobal
			_, err := q.McpServerCreate(ctx, p)
			requireConstraintError(t, err, tt.kind, "mcp_servers", tt.constraint)
			_, err = q.McpServerGetByID(ctx, p.ID)
			require.ErrorIs(t, err, stackdb.ErrNotFound)
		})
	}

	// Updates are checked too.
	_, err := q.McpServerUpdate(ctx, dbsqlc.McpServerUpdateParams{ID: existing.ID, Tags: json.RawMessage(`"solo"`)})
	requireConstraintError(t, err, stackdb.Check, "mcp_servers", "mcp_servers_tags_is_array")
}

func TestCatalogServerUpdate(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	cat := newCatalogCategory(t, q, "Chat", 0)

	tests := []struct {
		name   string
		params dbsqlc.McpServerUpdateParams
		want   func(*dbsqlc.McpServer)
	}{
		{"nothing but updated_at", dbsqlc.McpServerUpdateParams{}, func(*dbsqlc.McpServer) {}},
		{"name and slug", dbsqlc.McpServerUpdateParams{Name: new("Renamed"), Slug: new("renamed")},
			func(s *dbsqlc.McpServer) { s.Name, s.Slug = "Renamed", "renamed" }},
		{"status and visibility", dbsqlc.McpServerUpdateParams{Status: new(dbsqlc.McpServerStatusDeprecated), Visibility: new(dbsqlc.McpServerVisibilityTeam)},
			func(s *dbsqlc.McpServer) {
				s.Status, s.Visibility = dbsqlc.McpServerStatusDeprecated, dbsqlc.McpServerVisibilityTeam
			}},
		{"category, featured off", dbsqlc.McpServerUpdateParams{CategoryID: &cat.ID, Featured: new(false)},
			func(s *dbsqlc.McpServer) { s.CategoryID, s.Featured = &cat.ID, false }},
		{"jsonb documents", dbsqlc.McpServerUpdateParams{
			Tags: json.RawMessage(`["new"]`), EnvironmentVariables: json.RawMessage(`[]`), Metadata: json.RawMessage(`{"v":2}`),
		}, func(s *dbsqlc.McpServer) {
			s.Tags, s.EnvironmentVariables, s.Metadata = json.RawMessage(`["new"]`), json.RawMessage(`[]`), json.RawMessage(`{"v": 2}`)
		}},
		{"texts", dbsqlc.McpServerUpdateParams{
			Description: new("New description."), LongDescription: new("More."), GithubUrl: new("https://example.com"),
			Language: new("python"), Runtime: new("python3"),
		}, func(s *dbsqlc.McpServer) {
			s.Description, s.LongDescription, s.GithubUrl = "New description.", new("More."), new("https://example.com")
			s.Language, s.Runtime = "python", "python3"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newCatalogServer(t, q, dbsqlc.McpServerCreateParams{
				Tags: json.RawMessage(`["old"]`), Metadata: json.RawMessage(`{"v":1}`), Featured: true,
				LongDescription: new("Old."),
			})
			past := time.Now().Add(-time.Hour).Truncate(time.Microsecond)
			_, err := pool.Exec(ctx, "UPDATE mcp_servers SET created_at = $1, updated_at = $1 WHERE id = $2", past, srv.ID)
			require.NoError(t, err)
			before, err := q.McpServerGetByID(ctx, srv.ID)
			require.NoError(t, err)

			p := tt.params
			p.ID = srv.ID
			n, err := q.McpServerUpdate(ctx, p)
			require.NoError(t, err)
			require.EqualValues(t, 1, n)

			got, err := q.McpServerGetByID(ctx, srv.ID)
			require.NoError(t, err)
			require.True(t, got.UpdatedAt.After(past), "updated_at is bumped")
			require.WithinDuration(t, time.Now(), got.UpdatedAt, time.Minute)
			want := before
			tt.want(&want)
			want.UpdatedAt = got.UpdatedAt
			want.Search = got.Search // derived; TestCatalogSearch* cover it
			require.Equal(t, want, got)
		})
	}

	n, err := q.McpServerUpdate(ctx, dbsqlc.McpServerUpdateParams{ID: "srv_missing", Name: new("x")})
	require.NoError(t, err)
	require.EqualValues(t, 0, n)

	t.Run("the search document follows the update", func(t *testing.T) {
		srv := newCatalogServer(t, q, dbsqlc.McpServerCreateParams{Name: "Oldname"})
		_, err := q.McpServerUpdate(ctx, dbsqlc.McpServerUpdateParams{ID: srv.ID, Name: new("Freshname")})
		require.NoError(t, err)
		rows, err := q.McpServerSearch(ctx, dbsqlc.McpServerSearchParams{Query: "freshname", MaxRows: 10})
		require.NoError(t, err)
		require.Equal(t, []string{srv.ID}, catalogSearchIDs(rows))
		rows, err = q.McpServerSearch(ctx, dbsqlc.McpServerSearchParams{Query: "oldname", MaxRows: 10})
		require.NoError(t, err)
		require.Empty(t, rows)
	})
}

func TestCatalogServerDelete(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)
	a := newCatalogServer(t, q, dbsqlc.McpServerCreateParams{})
	b := newCatalogServer(t, q, dbsqlc.McpServerCreateParams{})

	n, err := q.McpServerDelete(ctx, a.ID)
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	n, err = q.McpServerDelete(ctx, a.ID)
	require.NoError(t, err)
	require.EqualValues(t, 0, n)
	_, err = q.McpServerGetBySlug(ctx, a.Slug)
	require.ErrorIs(t, err, stackdb.ErrNotFound)
	_, err = q.McpServerGetByID(ctx, b.ID)
	require.NoError(t, err, "only the named server is deleted")
}

func TestCatalogServerListFeatured(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)

	rows, err := q.McpServerListFeatured(ctx)
	require.NoError(t, err)
	require.NotNil(t, rows)
	require.Empty(t, rows)

	for _, s := range []struct {
		name     string
		featured bool
	}{{"Zed", true}, {"Alpha", false}, {"Mid", true}, {"Beta", true}, {"Omega", false}} {
		newCatalogServer(t, q, dbsqlc.McpServerCreateParams{Name: s.name, Featured: s.featured})
	}
	rows, err = q.McpServerListFeatured(ctx)
	require.NoError(t, err)
	var names []string
	for _, r := range rows {
		require.True(t, r.Featured)
		names = append(names, r.Name)
	}
	require.Equal(t, []string{"Beta", "Mid", "Zed"}, names, "featured only, by name")

	tx := noSeqscanTx(t, pool)
	rec := &stmtRecorder{DB: tx}
	_, err = stackdb.New(rec).McpServerListFeatured(ctx)
	require.NoError(t, err)
	plan := explain(t, tx, rec)
	require.Contains(t, plan.Indexes(), "mcp_servers_featured_idx", "plan:\n%s", plan)
}

// ---------------------------------------------------------------------------
// McpServerSearch

func TestCatalogSearchRanking(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)

	nameHit := newCatalogServer(t, q, dbsqlc.McpServerCreateParams{
		Name: "GitHub", Description: "Repositories and pull requests.", Tags: json.RawMessage(`["vcs"]`),
	})
	// Mentions the word four times: with ts_rank_cd it would outrank the
	// name match.
	descHit := newCatalogServer(t, q, dbsqlc.McpServerCreateParams{
		Name: "Repo Helper", Description: "Talks to GitHub: GitHub issues, GitHub actions and GitHub gists.",
		Tags: json.RawMessage(`["vcs"]`),
	})
	tagHit := newCatalogServer(t, q, dbsqlc.McpServerCreateParams{
		Name: "Code Review", Description: "Reviews pull requests.", Tags: json.RawMessage(`["github","review"]`),
	})
	miss := newCatalogServer(t, q, dbsqlc.McpServerCreateParams{
		Name: "Slack", Description: "Team chat.", Tags: json.RawMessage(`["chat"]`),
	})

	rows, err := q.McpServerSearch(ctx, dbsqlc.McpServerSearchParams{Query: "github", MaxRows: 10})
	require.NoError(t, err)
	require.Equal(t, []string{nameHit.ID, descHit.ID, tagHit.ID}, catalogSearchIDs(rows),
		"name match, then description-only, then tag-only; the non-matching server is left out")
	require.Greater(t, rows[0].Rank, rows[1].Rank)
	require.Greater(t, rows[1].Rank, rows[2].Rank)
	require.Greater(t, rows[2].Rank, float32(0))
	require.Equal(t, nameHit, rows[0].McpServer, "search rows carry the whole server")

	tests := []struct {
		query string
		want  []string
	}{
		{"GITHUB", []string{nameHit.ID, descHit.ID, tagHit.ID}},       // case-insensitive
		{"repository", []string{nameHit.ID}},                          // stemmed: Repositories
		{"github -review", []string{nameHit.ID, descHit.ID}},          // exclusion (tag and stemmed "Reviews")
		{`"pull requests"`, []string{tagHit.ID, nameHit.ID}},          // phrase; equal rank, by name
		{"chat or gists", []string{miss.ID, descHit.ID}},              // either word; "chat" twice outranks "gists" once
		{"github slack", []string{}},                                  // all words required
		{"kubernetes", []string{}},                                    // nothing matches
		{"git", []string{}},                                           // whole words, no prefix matching
		{"", []string{tagHit.ID, nameHit.ID, descHit.ID, miss.ID}},    // no lexemes: everything by name
		{"   ", []string{tagHit.ID, nameHit.ID, descHit.ID, miss.ID}}, // blank
		{"the", []string{tagHit.ID, nameHit.ID, descHit.ID, miss.ID}}, // stop words only
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			rows, err := q.McpServerSearch(ctx, dbsqlc.McpServerSearchParams{Query: tt.query, MaxRows: 10})
			require.NoError(t, err)
			require.NotNil(t, rows)
			require.Equal(t, tt.want, catalogSearchIDs(rows))
		})
	}

	rows, err = q.McpServerSearch(ctx, dbsqlc.McpServerSearchParams{Query: "", MaxRows: 10})
	require.NoError(t, err)
	for _, r := range rows {
		require.Zero(t, r.Rank, "an empty query ranks nothing")
	}
}

func TestCatalogSearchFilters(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)
	catA := newCatalogCategory(t, q, "A", 0)
	catB := newCatalogCategory(t, q, "B", 1)

	// Every server mentions "database", so the query alone keeps them all.
	mk := func(name string, cat *string, status dbsqlc.McpServerStatus, tags string) string {
		return newCatalogServer(t, q, dbsqlc.McpServerCreateParams{
			Name: name, Description: "A database server.", CategoryID: cat, Status: status, Tags: json.RawMessage(tags),
		}).ID
	}
	s1 := mk("One", &catA.ID, dbsqlc.McpServerStatusActive, `["db","sql"]`)
	s2 := mk("Two", &catB.ID, dbsqlc.McpServerStatusActive, `["db"]`)
	s3 := mk("Three", &catA.ID, dbsqlc.McpServerStatusDeprecated, `["sql"]`)
	s4 := mk("Four", nil, dbsqlc.McpServerStatusMaintenance, `["db","sql","cloud"]`)
	// Matches every filter below but not the query "database".
	newCatalogServer(t, q, dbsqlc.McpServerCreateParams{
		Name: "Decoy", CategoryID: &catA.ID, Tags: json.RawMessage(`["db","sql"]`),
	})

	tests := []struct {
		name   string
		params dbsqlc.McpServerSearchParams
		want   []string // by name: all ranks are equal
	}{
		{"no filter", dbsqlc.McpServerSearchParams{}, []string{s4, s1, s3, s2}},
		{"category", dbsqlc.McpServerSearchParams{CategoryID: &catA.ID}, []string{s1, s3}},
		{"other category", dbsqlc.McpServerSearchParams{CategoryID: &catB.ID}, []string{s2}},
		{"unknown category", dbsqlc.McpServerSearchParams{CategoryID: new("cat_missing")}, []string{}},
		{"status active", dbsqlc.McpServerSearchParams{Status: new(dbsqlc.McpServerStatusActive)}, []string{s1, s2}},
		{"status deprecated", dbsqlc.McpServerSearchParams{Status: new(dbsqlc.McpServerStatusDeprecated)}, []string{s3}},
		{"one tag", dbsqlc.McpServerSearchParams{Tags: json.RawMessage(`["db"]`)}, []string{s4, s1, s2}},
		{"all of two tags", dbsqlc.McpServerSearchParams{Tags: json.RawMessage(`["sql","db"]`)}, []string{s4, s1}},
		{"unknown tag", dbsqlc.McpServerSearchParams{Tags: json.RawMessage(`["nope"]`)}, []string{}},
		{"empty tag list", dbsqlc.McpServerSearchParams{Tags: json.RawMessage(`[]`)}, []string{s4, s1, s3, s2}},
		{"category, status and tag", dbsqlc.McpServerSearchParams{
			CategoryID: &catA.ID, Status: new(dbsqlc.McpServerStatusActive), Tags: json.RawMessage(`["sql"]`),
		}, []string{s1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.params
			p.Query, p.MaxRows = "database", 100
			rows, err := q.McpServerSearch(ctx, p)
			require.NoError(t, err)
			require.Equal(t, tt.want, catalogSearchIDs(rows))
		})
	}

	t.Run("filters without a query", func(t *testing.T) {
		rows, err := q.McpServerSearch(ctx, dbsqlc.McpServerSearchParams{CategoryID: &catA.ID, Tags: json.RawMessage(`["sql"]`), MaxRows: 100})
		require.NoError(t, err)
		var names []string
		for _, r := range rows {
			names = append(names, r.McpServer.Name)
		}
		require.Equal(t, []string{"Decoy", "One", "Three"}, names)
	})
}

// catalogSearchAll walks McpServerSearch page by page, as a client would.
func catalogSearchAll(t *testing.T, q dbsqlc.Querier, p dbsqlc.McpServerSearchParams, pageSize int32, between func(page int)) ([]dbsqlc.McpServerSearchRow, int) {
	t.Helper()
	var all []dbsqlc.McpServerSearchRow
	p.MaxRows = pageSize
	for page := 1; ; page++ {
		rows, err := q.McpServerSearch(t.Context(), p)
		require.NoError(t, err)
		require.LessOrEqual(t, len(rows), int(pageSize))
		all = append(all, rows...)
		if len(rows) < int(pageSize) {
			return all, page
		}
		last := rows[len(rows)-1]
		p.AfterRank, p.AfterName, p.AfterID = &last.Rank, &last.McpServer.Name, &last.McpServer.ID
		if between != nil {
			between(page)
		}
		require.Less(t, page, 1000, "pagination does not end")
	}
}

func TestCatalogSearchKeysetPagination(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)

	// Many ties: equal ranks with different names, and equal ranks with
	// equal names, where only the id orders them.
	create := func(n int, name func(i int) string, desc, tags string) {
		for i := range n {
			newCatalogServer(t, q, dbsqlc.McpServerCreateParams{Name: name(i), Description: desc, Tags: json.RawMessage(tags)})
		}
	}
	same := func(name string) func(int) string { return func(int) string { return name } }
	numbered := func(prefix string) func(int) string {
		return func(i int) string { return fmt.Sprintf("%s %c", prefix, 'A'+(i*7)%26) }
	}
	create(6, same("Weather"), "Forecasts.", `[]`)
	create(6, numbered("Weather Station"), "Forecasts.", `[]`)
	create(6, numbered("Data Feed"), "Live weather data.", `[]`)
	create(5, numbered("Sensor"), "Readings.", `["weather"]`)
	create(3, numbered("Unrelated"), "Other things.", `["misc"]`)

	for _, query := range []string{"weather", ""} {
		full, err := q.McpServerSearch(ctx, dbsqlc.McpServerSearchParams{Query: query, MaxRows: 1000})
		require.NoError(t, err)
		wantLen := map[string]int{"weather": 23, "": 26}[query]
		require.Len(t, full, wantLen)
		require.True(t, slices.IsSortedFunc(full, func(a, b dbsqlc.McpServerSearchRow) int {
			return cmp.Or(cmp.Compare(b.Rank, a.Rank), cmp.Compare(a.McpServer.Name, b.McpServer.Name), cmp.Compare(a.McpServer.ID, b.McpServer.ID))
		}), "rank DESC, name, id")

		for _, size := range []int32{1, 2, 4, 5, 7, 23, 26, 100} {
			t.Run(fmt.Sprintf("query %q, page size %d", query, size), func(t *testing.T) {
				got, pages := catalogSearchAll(t, q, dbsqlc.McpServerSearchParams{Query: query}, size, nil)
				require.Equal(t, catalogSearchIDs(full), catalogSearchIDs(got), "every result exactly once, in order")
				require.Equal(t, len(full)/int(size)+1, pages)
			})
		}
	}

	t.Run("rows added mid-walk before the cursor are not repeated", func(t *testing.T) {
		before, err := q.McpServerSearch(ctx, dbsqlc.McpServerSearchParams{Query: "weather", MaxRows: 1000})
		require.NoError(t, err)
		got, _ := catalogSearchAll(t, q, dbsqlc.McpServerSearchParams{Query: "weather"}, 4, func(page int) {
			if page == 1 {
				// Outranks everything, so it lands on page 1, already read:
				// OFFSET would shift every later row and repeat one.
				newCatalogServer(t, q, dbsqlc.McpServerCreateParams{Name: "Weather", Description: "Weather, weather."})
			}
		})
		require.Equal(t, catalogSearchIDs(before), catalogSearchIDs(got))
	})
}

func TestCatalogSearchUsesIndexes(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	for i := range 30 {
		tags := `["misc"]`
		if i%5 == 0 {
			tags = `["weather","misc"]`
		}
		desc := "Other things."
		if i%3 == 0 {
			desc = "Weather data."
		}
		newCatalogServer(t, q, dbsqlc.McpServerCreateParams{Description: desc, Tags: json.RawMessage(tags)})
	}
	tx := noSeqscanTx(t, pool)
	execSQL(t, tx, "ANALYZE mcp_servers")

	tests := []struct {
		name    string
		params  dbsqlc.McpServerSearchParams
		rows    int
		index   string
		noIndex string
	}{
		{"full-text predicate", dbsqlc.McpServerSearchParams{Query: "weather"}, 14, "mcp_servers_search_idx", "mcp_servers_tags_idx"},
		{"tag containment", dbsqlc.McpServerSearchParams{Tags: json.RawMessage(`["weather"]`)}, 6, "mcp_servers_tags_idx", "mcp_servers_search_idx"},
		{"next page", dbsqlc.McpServerSearchParams{
			Query: "weather", AfterRank: new(float32(1)), AfterName: new(""), AfterID: new(""),
		}, 14, "mcp_servers_search_idx", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &stmtRecorder{DB: tx}
			p := tt.params
			p.MaxRows = 100
			rows, err := stackdb.New(rec).McpServerSearch(ctx, p)
			require.NoError(t, err)
			require.Len(t, rows, tt.rows)
			plan := explain(t, tx, rec)
			require.Contains(t, plan.Indexes(), tt.index, "plan:\n%s", plan)
			if tt.noIndex != "" {
				require.NotContains(t, plan.Indexes(), tt.noIndex, "an unset filter costs nothing; plan:\n%s", plan)
			}
		})
	}
}
