package legacygen

import (
	"encoding/base64"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// The MCP catalog: categories, servers and their versions.

func (g *gen) genCategories() {
	t0 := winStart + 2*day
	cats := []struct{ name, icon, desc string }{
		{"Development 💻", "code", "Source control, CI/CD and developer tools."},
		{"Databases", "database", "SQL and NoSQL databases, vector stores."},
		{"Productivity", "calendar", "Notes, tasks, documents."},
		{"Communication", "message-square", "Chat, e-mail and notifications."},
		{"Cloud & Infrastructure", "cloud", "Cloud providers, containers, Kubernetes."},
		{"AI & ML 🤖", "brain", "Models, embeddings, evaluation."},
		{"Search & Web", "globe", "Web search, crawling and browsing."},
		{"Data & Analytics", "bar-chart", "Dashboards, BI and observability."},
		{"Security 🔐", "shield", "Secrets, scanning, identity."},
		{"Design", "pen-tool", "Design tools and assets."},
		{"Finance", "credit-card", "Payments, invoicing, accounting."},
		{"Utilities", "wrench", "Time, files, fetch and other helpers — 便利ツール."},
	}
	for i, c := range cats {
		id := g.uuid()
		g.categories = append(g.categories, id)
		g.t.mcpCategories.add(id, c.name, g.orNil(0.1, c.desc), g.orNil(0.15, c.icon), int64(i*10), t0+int64(i)*minute*7)
	}
}

type serverBase struct {
	name, lang, runtime, repo string
	cat                       int
	env                       []string
	tools                     []string
}

var serverBases = []serverBase{
	{"GitHub", "TypeScript", "node", "github/github-mcp-server", 0, []string{"GITHUB_PERSONAL_ACCESS_TOKEN"}, []string{"search_repositories", "get_file_contents", "create_issue", "list_issues", "create_pull_request", "list_commits", "add_issue_comment"}},
	{"GitLab", "TypeScript", "node", "modelcontextprotocol/servers", 0, []string{"GITLAB_PERSONAL_ACCESS_TOKEN", "GITLAB_API_URL"}, []string{"search_repositories", "get_file_contents", "create_merge_request", "list_issues"}},
	{"Filesystem", "TypeScript", "node", "modelcontextprotocol/servers", 11, nil, []string{"read_file", "write_file", "list_directory", "search_files", "get_file_info", "move_file"}},
	{"PostgreSQL", "TypeScript", "node", "modelcontextprotocol/servers", 1, []string{"DATABASE_URL"}, []string{"query", "list_tables", "describe_table"}},
	{"SQLite", "Python", "python", "modelcontextprotocol/servers", 1, []string{"SQLITE_DB_PATH"}, []string{"read_query", "write_query", "list_tables", "describe_table", "append_insight"}},
	{"Slack", "TypeScript", "node", "modelcontextprotocol/servers", 3, []string{"SLACK_BOT_TOKEN", "SLACK_TEAM_ID"}, []string{"slack_list_channels", "slack_post_message", "slack_reply_to_thread", "slack_get_channel_history", "slack_get_users"}},
	{"Brave Search", "TypeScript", "node", "brave/brave-search-mcp-server", 6, []string{"BRAVE_API_KEY"}, []string{"brave_web_search", "brave_local_search"}},
	{"Puppeteer", "TypeScript", "node", "modelcontextprotocol/servers", 6, nil, []string{"puppeteer_navigate", "puppeteer_screenshot", "puppeteer_click", "puppeteer_fill", "puppeteer_evaluate"}},
	{"Fetch", "Python", "python", "modelcontextprotocol/servers", 11, nil, []string{"fetch"}},
	{"Time", "Python", "python", "modelcontextprotocol/servers", 11, []string{"LOCAL_TIMEZONE"}, []string{"get_current_time", "convert_time"}},
	{"Memory", "TypeScript", "node", "modelcontextprotocol/servers", 5, nil, []string{"create_entities", "create_relations", "add_observations", "search_nodes", "read_graph"}},
	{"Notion", "TypeScript", "node", "makenotion/notion-mcp-server", 2, []string{"NOTION_API_KEY"}, []string{"search", "retrieve_page", "create_page", "update_block", "query_database"}},
	{"Linear", "TypeScript", "node", "linear/linear-mcp", 2, []string{"LINEAR_API_KEY"}, []string{"list_issues", "create_issue", "update_issue", "list_projects"}},
	{"Jira", "Python", "python", "sooperset/mcp-atlassian", 2, []string{"JIRA_URL", "JIRA_USERNAME", "JIRA_API_TOKEN"}, []string{"jira_search", "jira_get_issue", "jira_create_issue", "jira_transition_issue"}},
	{"Confluence", "Python", "python", "sooperset/mcp-atlassian", 2, []string{"CONFLUENCE_URL", "CONFLUENCE_API_TOKEN"}, []string{"confluence_search", "confluence_get_page", "confluence_create_page"}},
	{"Sentry", "Python", "python", "getsentry/sentry-mcp", 7, []string{"SENTRY_AUTH_TOKEN", "SENTRY_ORG"}, []string{"list_issues", "get_issue_details", "search_errors"}},
	{"Stripe", "TypeScript", "node", "stripe/agent-toolkit", 10, []string{"STRIPE_SECRET_KEY"}, []string{"create_customer", "list_customers", "create_payment_link", "list_invoices", "create_refund"}},
	{"Cloudflare", "TypeScript", "node", "cloudflare/mcp-server-cloudflare", 4, []string{"CLOUDFLARE_API_TOKEN", "CLOUDFLARE_ACCOUNT_ID"}, []string{"worker_list", "worker_deploy", "kv_get", "kv_put", "d1_query"}},
	{"AWS KB Retrieval", "TypeScript", "node", "modelcontextprotocol/servers", 5, []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION"}, []string{"retrieve_from_aws_kb"}},
	{"Google Drive", "TypeScript", "node", "modelcontextprotocol/servers", 2, []string{"GDRIVE_CREDENTIALS_PATH"}, []string{"search", "read_file"}},
	{"Google Maps", "TypeScript", "node", "modelcontextprotocol/servers", 6, []string{"GOOGLE_MAPS_API_KEY"}, []string{"maps_geocode", "maps_search_places", "maps_directions", "maps_distance_matrix"}},
	{"Redis", "Python", "python", "redis/mcp-redis", 1, []string{"REDIS_URL"}, []string{"get", "set", "delete", "scan_keys", "hgetall"}},
	{"MongoDB", "TypeScript", "node", "mongodb-js/mongodb-mcp-server", 1, []string{"MDB_MCP_CONNECTION_STRING"}, []string{"find", "aggregate", "count", "list_collections", "insert_many"}},
	{"Docker", "Go", "go", "docker/mcp-servers", 4, nil, []string{"list_containers", "create_container", "run_container", "fetch_container_logs"}},
	{"Kubernetes", "Go", "go", "containers/kubernetes-mcp-server", 4, []string{"KUBECONFIG"}, []string{"pods_list", "pods_get", "pods_log", "resources_create_or_update", "events_list"}},
	{"Grafana", "Go", "go", "grafana/mcp-grafana", 7, []string{"GRAFANA_URL", "GRAFANA_API_KEY"}, []string{"search_dashboards", "query_prometheus", "query_loki_logs", "list_alert_rules"}},
	{"Figma", "TypeScript", "node", "GLips/Figma-Context-MCP", 9, []string{"FIGMA_API_KEY"}, []string{"get_figma_data", "download_figma_images"}},
	{"Obsidian", "Python", "python", "MarkusPfundstein/mcp-obsidian", 2, []string{"OBSIDIAN_API_KEY"}, []string{"list_files_in_vault", "get_file_contents", "search", "append_content"}},
	{"Airtable", "TypeScript", "node", "domdomegg/airtable-mcp-server", 7, []string{"AIRTABLE_API_KEY"}, []string{"list_bases", "list_records", "create_record", "update_records"}},
	{"HubSpot", "TypeScript", "node", "HubSpot/mcp-server", 3, []string{"PRIVATE_APP_ACCESS_TOKEN"}, []string{"search_contacts", "create_contact", "list_deals"}},
	{"Elasticsearch", "TypeScript", "node", "elastic/mcp-server-elasticsearch", 1, []string{"ES_URL", "ES_API_KEY"}, []string{"list_indices", "get_mappings", "search", "get_shards"}},
	{"Qdrant", "Python", "python", "qdrant/mcp-server-qdrant", 5, []string{"QDRANT_URL", "COLLECTION_NAME"}, []string{"qdrant-store", "qdrant-find"}},
	{"Supabase", "TypeScript", "node", "supabase-community/supabase-mcp", 1, []string{"SUPABASE_ACCESS_TOKEN"}, []string{"list_projects", "execute_sql", "apply_migration", "get_logs"}},
	{"Vercel", "TypeScript", "node", "vercel/mcp-adapter", 4, []string{"VERCEL_TOKEN"}, []string{"list_deployments", "get_deployment", "list_projects"}},
	{"Discord", "Python", "python", "hanweg/mcp-discord", 3, []string{"DISCORD_TOKEN"}, []string{"send_message", "read_messages", "list_servers"}},
	{"Telegram", "Go", "go", "chaindead/telegram-mcp", 3, []string{"TG_APP_ID", "TG_API_HASH"}, []string{"tg_dialogs", "tg_send", "tg_read"}},
	{"YouTube Transcript", "Python", "python", "jkawamoto/mcp-youtube-transcript", 6, nil, []string{"get_transcript"}},
	{"ArXiv", "Python", "python", "blazickjp/arxiv-mcp-server", 5, nil, []string{"search_papers", "download_paper", "read_paper"}},
	{"DeepL", "TypeScript", "node", "DeepLcom/deepl-mcp-server", 11, []string{"DEEPL_API_KEY"}, []string{"translate_text", "rephrase_text", "get_source_languages"}},
	{"Home Assistant", "Python", "python", "voska/hass-mcp", 11, []string{"HA_URL", "HA_TOKEN"}, []string{"get_entity", "entity_action", "list_automations"}},
	{"Semgrep", "Python", "python", "semgrep/mcp", 8, []string{"SEMGREP_APP_TOKEN"}, []string{"security_check", "semgrep_scan", "get_supported_languages"}},
	{"Vault", "Rust", "rust", "hashicorp/vault-mcp-server", 8, []string{"VAULT_ADDR", "VAULT_TOKEN"}, []string{"read_secret", "list_secrets", "write_secret"}},
	{"Snowflake", "Java", "java", "Snowflake-Labs/mcp", 7, []string{"SNOWFLAKE_ACCOUNT", "SNOWFLAKE_USER", "SNOWFLAKE_PRIVATE_KEY"}, []string{"run_query", "list_schemas", "describe_table"}},
	{"Azure DevOps", "C#", "dotnet", "microsoft/azure-devops-mcp", 0, []string{"AZDO_ORG_URL", "AZDO_PAT"}, []string{"list_work_items", "create_work_item", "list_pipelines", "run_pipeline"}},
}

var serverVariants = []string{"%s", "%s MCP", "%s (community)", "%s Pro", "Acme %s", "%s Lite", "%s — self-hosted", "%s 日本語版", "%s Connector", "%s Bridge"}

func (g *gen) genCatalog() {
	g.genCategories()
	n := max(10, int(math.Sqrt(float64(g.rows))/4))
	seen := map[string]bool{}
	nUsers := len(g.users) // teams[nUsers:] are the shared teams
	visibility := newSet([]string{"global", "team"}, 80, 20)
	transport := newSet([]string{"stdio", "http", "sse"}, 75, 20, 5)
	status := newSet([]string{"active", "deprecated", "maintenance"}, 90, 6, 4)
	source := newSet([]string{"official_registry", "manual"}, 60, 40)
	oauthSeen := false
	for i := range n {
		base := &serverBases[i%len(serverBases)]
		variant := serverVariants[(i/len(serverBases))%len(serverVariants)]
		nm := fmt.Sprintf(variant, base.name)
		if i >= len(serverBases)*len(serverVariants) {
			nm += " " + strconv.Itoa(i/(len(serverBases)*len(serverVariants))+1)
		}
		s := &server{id: g.uuid(), name: nm, base: base, slug: unique(seen, slugify(nm), "-"), ownerTeam: -1}
		s.created = g.between(winStart+14*day, winEnd-90*day)
		vis := g.value(visibility)
		var owner any
		adm := g.admins[g.r.IntN(len(g.admins))]
		createdBy := g.users[adm].id
		s.created = max(s.created, g.users[adm].created+hour)
		if vis == "team" {
			s.ownerTeam = nUsers + g.r.IntN(len(g.teams)-nUsers)
			t := g.teams[s.ownerTeam]
			owner = t.id
			s.created = g.between(t.created+hour, max(t.created+hour+1, winEnd-60*day))
			createdBy = g.users[g.member(t, s.created)].id
		}
		s.transport = g.value(transport)
		// The first remote server needs OAuth, so every file has OAuth tokens.
		s.oauth = s.transport != "stdio" && (!oauthSeen || g.chance(0.4))
		oauthSeen = oauthSeen || s.oauth
		src := g.value(source)
		if vis == "team" {
			src = "manual"
		}
		g.servers = append(g.servers, s)

		pkg := "@modelcontextprotocol/server-" + s.slug
		if base.runtime == "python" {
			pkg = "mcp-server-" + s.slug
		}
		version := fmt.Sprintf("%d.%d.%d", g.r.IntN(3), g.r.IntN(20), g.r.IntN(10))
		repo := "https://github.com/" + base.repo
		var longDesc, readme any
		switch {
		case g.chance(0.3):
		case g.chance(0.2):
			longDesc = g.markdown(nm, 6000+g.r.IntN(10000))
		default:
			longDesc = g.markdown(nm, 600+g.r.IntN(2000))
		}
		if g.chance(0.5) {
			readme = base64.StdEncoding.EncodeToString([]byte(g.markdown(nm, 1000+g.r.IntN(6000))))
		}
		var packages, remotes, resources, prompts any
		switch s.transport {
		case "stdio":
			regType := "npm"
			if base.runtime == "python" {
				regType = "pypi"
			}
			packages = jsonArray(g.done(g.obj().str("registryType", regType).str("identifier", pkg).str("version", version).
				raw("transport", `{"type":"stdio"}`).raw("environmentVariables", g.envVars(base.env))))
		default:
			typ := "streamable-http"
			if s.transport == "sse" {
				typ = "sse"
			}
			remotes = jsonArray(g.done(g.obj().str("type", typ).str("url", "https://mcp."+s.slug+".example.com/"+s.transport)))
		}
		if g.chance(0.3) {
			resources = jsonArray(g.done(g.obj().str("name", "docs").str("uri", "docs://"+s.slug+"/readme").str("mimeType", "text/markdown")))
		}
		if g.chance(0.2) {
			prompts = jsonArray(g.done(g.obj().str("name", "summarize").str("description", pick(g, sentences))))
		}
		var tArgs, tEnv, tHeaders, tQuery any
		if s.transport == "stdio" {
			tArgs = jsonArray(g.done(g.obj().str("value", "-y").bool("locked", true).str("description", "Run without prompting")),
				g.done(g.obj().str("value", pkg).bool("locked", true).str("description", "Package")))
			env := g.obj()
			for _, e := range base.env {
				env.str(e, "")
			}
			tEnv = g.done(env)
		} else {
			tHeaders = g.done(g.obj().str("Accept", "application/json, text/event-stream"))
			if g.chance(0.3) {
				tQuery = g.done(g.obj().str("version", "2025-06-18"))
			}
		}
		var teamEnvSchema, userEnvSchema, teamHeadersSchema, userHeadersSchema any
		if len(base.env) > 0 {
			teamEnvSchema = g.argSchema(base.env[:1], true)
			if len(base.env) > 1 {
				userEnvSchema = g.argSchema(base.env[1:], false)
			} else {
				userEnvSchema = "[]"
			}
		}
		if s.transport != "stdio" {
			teamHeadersSchema = g.argSchema([]string{"Authorization"}, true)
			userHeadersSchema = "[]"
		}
		var teamArgsSchema, userArgsSchema, teamQuerySchema, userQuerySchema any = "[]", "[]", nil, nil
		if g.chance(0.2) {
			userArgsSchema = g.argSchema([]string{"--workspace"}, false)
		}
		if tQuery != nil {
			teamQuerySchema, userQuerySchema = g.argSchema([]string{"region"}, true), "[]"
		}
		var deps, meta, tags, cat any
		if g.chance(0.6) {
			deps = g.done(g.obj().str("runtime", base.runtime).str("minimum_version", pick(g, []string{">=18", ">=20", ">=3.10", ">=1.22"})))
		}
		var offID, offVersionID, published, updatedReg, lastSync, offName any
		synced := false
		if src == "official_registry" {
			offName = "io.github." + strings.ToLower(strings.ReplaceAll(base.repo, "/", ".")) + "/" + s.slug
			offID = g.uuid()
			offVersionID = g.uuid()
			p := g.between(winStart, s.created)
			published, updatedReg = p, g.between(p, s.created+hour)
			synced = true
			lastSync = g.between(s.created, winEnd-1)
			meta = g.done(g.obj().raw("io.modelcontextprotocol.registry/official", g.done(g.obj().str("status", "active").
				str("publishedAt", isoTime(p, g.r.Int64N(1000))).bool("isLatest", true))))
		}
		if g.chance(0.85) {
			tg := []string{strings.ToLower(base.lang), base.runtime}
			if g.chance(0.3) {
				tg = append(tg, pick(g, []string{"official", "community", "beta", "read-only", "日本語", "données", "🔥 hot"}))
			}
			if g.chance(0.05) {
				tg = []string{}
			}
			tags = jsonStrings(tg)
		}
		if g.chance(0.9) {
			cat = g.categories[base.cat]
		}
		desc := pick(g, sentences)
		if g.chance(0.2) {
			desc = nm + " " + pick(g, emojis) + " — " + desc
		}
		org := strings.SplitN(base.repo, "/", 2)[0]
		var subfolder any
		if strings.HasSuffix(base.repo, "/servers") {
			subfolder = "src/" + s.slug
		}
		g.t.mcpServers.add(s.id, nm, offName, s.slug, desc, longDesc, version, g.orNil(0.1, repo), "github",
			strconv.Itoa(10_000_000+g.r.IntN(900_000_000)), subfolder, g.orNil(0.3, "main"), g.orNil(0.5, "https://"+s.slug+".dev"),
			g.orNil(0.4, "https://avatars.githubusercontent.com/u/"+strconv.Itoa(1000+g.r.IntN(9_000_000))+"?v=4"),
			base.lang, base.runtime, g.orNil(0.5, strconv.Itoa(1000+g.r.IntN(9_000_000))), readme, int64(g.r.IntN(40000)),
			packages, remotes, resources, prompts, vis, owner, createdBy,
			g.orNil(0.3, org), g.orNil(0.6, "mcp@"+strings.ToLower(org)+".example"), g.orNil(0.4, org),
			g.orNil(0.2, pick(g, []string{"MIT", "Apache-2.0", "BSD-3-Clause", "AGPL-3.0", "MPL-2.0"})), s.transport,
			tArgs, tEnv, tHeaders, tQuery, teamArgsSchema, teamEnvSchema, teamHeadersSchema, teamQuerySchema,
			userArgsSchema, userEnvSchema, userHeadersSchema, userQuerySchema, deps, meta, cat, tags,
			g.value(status), boolInt(g.chance(0.08)), boolInt(vis == "global" && (i == 0 || g.chance(0.05))), src, boolInt(synced),
			offID, offVersionID, published, updatedReg, boolInt(s.oauth), s.created, g.between(s.created, winEnd-day), lastSync)

		// Versions: the newest is the latest; a few are pre-releases.
		nv := 1 + g.r.IntN(4)
		at := s.created
		for v := range nv {
			ver := fmt.Sprintf("%d.%d.%d", v/3, v%3, g.r.IntN(10))
			stable := !g.chance(0.1)
			if !stable {
				ver += "-beta." + strconv.Itoa(1+g.r.IntN(5))
			}
			var changelog any
			if g.chance(0.6) {
				changelog = "- " + pick(g, sentences) + "\n- " + pick(g, sentences)
			}
			g.t.mcpServerVersions.add(g.uuid(), s.id, ver, g.orNil(0.3, g.hexStr(20)), changelog, boolInt(v == nv-1), boolInt(stable), at)
			at = g.between(at+day, max(at+day+1, winEnd-day))
		}
	}
}

// envVars is the environmentVariables array of an official-registry package.
func (g *gen) envVars(names []string) string {
	items := make([]string, len(names))
	for i, e := range names {
		items[i] = g.done(g.obj().str("name", e).str("description", "Value of "+e).bool("isRequired", i == 0 || g.chance(0.5)).
			bool("isSecret", strings.Contains(e, "TOKEN") || strings.Contains(e, "KEY")))
	}
	return jsonArray(items...)
}

// argSchema is a team_/user_*_schema array: one entry per configurable value.
func (g *gen) argSchema(names []string, team bool) string {
	items := make([]string, len(names))
	for i, e := range names {
		o := g.obj().str("name", e).str("type", pick(g, []string{"string", "secret", "url"})).
			str("description", "Value of "+e+" — "+pick(g, sentences)).bool("required", i == 0 || g.chance(0.5))
		if team {
			o.bool("default_team_locked", g.chance(0.5)).bool("visible_to_users", g.chance(0.7))
		}
		items[i] = g.done(o)
	}
	return jsonArray(items...)
}
