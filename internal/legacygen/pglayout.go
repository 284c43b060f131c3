package legacygen

import (
	"fmt"
	"strconv"
	"strings"
)

// What only the Postgres layout has: the columns Drizzle migrations
// 0000–0028 added to the tables of the SQLite layout, seven more tables, and
// the migration runner's bookkeeping of those migrations. The SQLite
// generator never calls these.

// pgMigrationsWhen are the "when" of drizzle/migrations/meta/_journal.json
// (epoch milliseconds), one per legacy.PGMigrations.
var pgMigrationsWhen = []int64{
	1764108109598, 1764097896259, 1764272185073, 1764355175492, 1764546099693, 1764530809447,
	1764538785910, 1765320382948, 1765308278289, 1765318225832, 1765571682540, 1765663279030,
	1765829745838, 1766788683811, 1766787738086, 1766779225540, 1767035798933, 1767040330459,
	1768679452078, 1769110989561, 1769116549414, 1769200431035, 1770315722219, 1770315722219,
	1770315722219, 1770486117658, 1770560742289, 1771185926083, 1771275726880,
}

// preparePG declares the tables only the Postgres layout has and the
// columns it added to the others.
func (g *gen) preparePG() {
	w, t := g.w, &g.t
	t.mcpOauthProviders = w.table("mcpOauthProviders", "id", "name", "slug", "icon_url", "auth_server_patterns", "client_id", "client_secret", "authorization_endpoint", "token_endpoint", "default_scopes", "pkce_required", "token_endpoint_auth_method", "enabled", "created_at", "updated_at")
	t.oauthPendingFlows = w.table("oauthPendingFlows", "id", "team_id", "server_id", "created_by", "installation_id", "oauth_state", "oauth_code_verifier", "oauth_client_id", "oauth_client_secret", "oauth_provider_id", "oauth_token_endpoint", "oauth_token_endpoint_auth_method", "satellite_id", "installation_name", "installation_type", "team_config", "expires_at", "created_at")
	t.mcpServerInstances = w.table("mcpServerInstances", "id", "installation_id", "user_id", "instance_path", "instance_token", "status", "status_message", "status_updated_at", "last_health_check_at", "last_credential_check_at", "created_at", "updated_at")
	t.mcpRequestLogs = w.table("mcpRequestLogs", "id", "installation_id", "team_id", "user_id", "tool_name", "tool_params", "tool_response", "response_time_ms", "success", "error_message", "created_at")
	t.mcpServerLogs = w.table("mcpServerLogs", "id", "installation_id", "team_id", "log_type", "log_level", "message", "metadata", "created_at")
	t.deploymentCredentials = w.table("deploymentCredentials", "id", "team_id", "source", "auth_type", "access_token_encrypted", "refresh_token_encrypted", "installation_id", "account_login", "account_id", "scopes", "expires_at", "created_at", "updated_at")
	t.deploymentSettings = w.table("deploymentSettings", "id", "server_id", "auto_deploy_enabled", "webhook_id", "webhook_secret", "created_at", "updated_at")

	// queueJobs.result: what a completed job returned.
	jStatus := t.queueJobs.col("status")
	jAt := t.queueJobs.col("updated_at")
	t.queueJobs.extend(func(row []any) []any {
		if row[jStatus] != "completed" || !g.chance(0.7) {
			return []any{nil}
		}
		return []any{g.done(g.obj().bool("success", true).num("durationMs", 5+g.r.Int64N(20_000)).num("finishedAt", row[jAt].(int64)*1000))}
	}, "result")

	// mcpServers: GitHub deployments (source 'github', 0024) and health checks.
	sStatus, sSource, sCreated := t.mcpServers.col("status"), t.mcpServers.col("source"), t.mcpServers.col("created_at")
	deploySource := newSet([]string{"github_app", "github_public"}, 60, 40)
	health := newSet([]string{"unknown", "online", "offline"}, 30, 60, 10)
	var nActive, nManual int
	t.mcpServers.extend(func(row []any) []any {
		// Values the Postgres layout added, on rows whose own value
		// another row holds too.
		if row[sStatus] == "active" {
			if nActive++; nActive == 2 || nActive > 2 && g.chance(0.01) {
				row[sStatus] = "disabled"
			}
		}
		var commit, depSource any
		if row[sSource] == "manual" {
			if nManual++; nManual == 2 || nManual == 3 || nManual > 3 && g.chance(0.1) {
				row[sSource] = "github"
				depSource = g.value(deploySource)
				commit = g.hexStr(20)
			}
		}
		var checked, checkErr any
		h := g.value(health)
		if h != "unknown" {
			checked = g.between(row[sCreated].(int64), winEnd-1)
		}
		if h == "offline" {
			checkErr = pick(g, []string{"connect ETIMEDOUT", "HTTP 502 Bad Gateway", "getaddrinfo ENOTFOUND mcp.example.com"})
		}
		return []any{commit, depSource, boolInt(g.chance(0.05)), h, checked, checkErr}
	}, "git_commit_sha", "deployment_source", "skip_oauth_flow", "health_status", "last_health_check_at", "health_check_error")

	// mcpClientActivity: instance tokens (0026) authenticate some clients.
	aType, aClient := t.mcpClientActivity.col("auth_type"), t.mcpClientActivity.col("oauth_client_id")
	var nOAuth int
	t.mcpClientActivity.extend(func(row []any) []any {
		if row[aType] == "oauth" {
			if nOAuth++; nOAuth == 2 || nOAuth > 2 && g.chance(0.05) {
				row[aType], row[aClient] = "instance_token", nil
			}
		}
		return nil
	})

	// satelliteCommands: the command type 0026 added.
	cType, cPayload := t.satelliteCommands.col("command_type"), t.satelliteCommands.col("payload")
	var nConfigure int
	t.satelliteCommands.extend(func(row []any) []any {
		if row[cType] == "configure" {
			if nConfigure++; nConfigure == 2 || nConfigure > 2 && g.chance(0.02) {
				row[cType] = "invalidate_user_token_cache"
				row[cPayload] = g.done(g.obj().str("user_id", pick(g, g.users).id).str("reason", "token_revoked"))
			}
		}
		return nil
	})

	// mcpServerInstallations: OAuth providers (0004), settings and the
	// satellite it runs on.
	iClient := t.mcpServerInstallations.col("oauth_client_id")
	t.mcpServerInstallations.extend(func(row []any) []any {
		in := g.installs[len(g.installs)-1] // writeInstall follows its append
		var provider, endpoint, method any
		if row[iClient] != nil {
			if len(g.providers) > 0 && g.chance(0.5) {
				p := pick(g, g.providers)
				provider, endpoint, method = p.id, p.tokenEndpoint, p.authMethod
			} else {
				endpoint = "https://mcp." + g.servers[in.server].slug + ".example.com/oauth/token"
				method = "client_secret_post"
			}
		}
		settings := "{}"
		if g.chance(0.2) {
			settings = g.done(g.obj().bool("autoRestart", g.chance(0.7)).num("timeoutMs", pick(g, []int64{10_000, 30_000, 60_000})))
		}
		return []any{provider, endpoint, method, settings, g.sats[in.sat].id}
	}, "oauth_provider_id", "oauth_token_endpoint", "oauth_token_endpoint_auth_method", "settings", "satellite_id")

	t.mcpToolMetadata.extend(func([]any) []any { return []any{boolInt(g.chance(0.05))} }, "is_disabled")

	t.oauthAuthorizationCodes.extend(func([]any) []any {
		return []any{g.orNil(0.4, "https://cloud.deploystack.io/mcp")}
	}, "resource")

	satID, satType := t.satellites.col("id"), t.satellites.col("satellite_type")
	t.satellites.extend(func(row []any) []any {
		url := "http://127.0.0.1:3001"
		var region, status any
		if row[satType] == "global" {
			region = pick(g, regions)
			url = "https://" + region.(string) + ".satellite.deploystack.io"
		}
		if g.chance(0.7) {
			status = g.done(g.obj().str("satellite_id", row[satID].(string)).num("servers_online", g.r.Int64N(20)).num("servers_total", 20))
		}
		return []any{url, region, status}
	}, "satellite_url", "region", "mcp_status")

	sKey := t.globalSettings.col("key")
	t.globalSettings.extend(func(row []any) []any {
		k := row[sKey].(string)
		k = k[strings.LastIndexByte(k, '.')+1:]
		return []any{g.orNil(0.2, strings.ToUpper(k[:1])+strings.ReplaceAll(k[1:], "_", " "))}
	}, "name")

	// teamCloudCredentials.provider_id has a value set in the Postgres
	// layout: genPGOnly adds what the SQLite generator's picks missed.
	cProvider := t.teamCloudCredentials.col("provider_id")
	g.cloudProviders = map[string]bool{}
	t.teamCloudCredentials.extend(func(row []any) []any {
		g.cloudProviders[row[cProvider].(string)] = true
		return nil
	})

	tDefault := t.teams.col("is_default")
	t.teams.extend(func(row []any) []any {
		if row[tDefault] == int64(1) {
			return []any{int64(5), int64(3), int64(0), int64(0), int64(0), int64(1)}
		}
		return []any{pick(g, []int64{5, 10, 25}), pick(g, []int64{3, 10, 50}), boolInt(g.chance(0.6)), boolInt(g.chance(0.4)),
			boolInt(g.chance(0.2)), pick(g, []int64{1, 3, 10})}
	}, "mcp_server_limit", "member_limit", "allow_remote_mcp", "allow_github_mcp", "allow_private_github_repos", "github_mcp_limit")
}

// genPGBookkeeping fills __drizzle_migrations as the backend's runner does
// (applied_at without a zone, in UTC): each migration was applied when the
// operator upgraded, some minutes to days after its release.
func (g *gen) genPGBookkeeping(names []string) {
	var prev int64
	for i, name := range names {
		at := max(pgMigrationsWhen[i]/1000+g.between(10*minute, 2*day), prev+1)
		g.t.drizzleMigrations.add(int64(i+1), name, at)
		prev = at
	}
}

type oauthProvider struct {
	id, tokenEndpoint, authMethod string
}

var providerBases = []struct{ name, slug, auth, token, scopes string }{
	{"GitHub", "github", "https://github.com/login/oauth/authorize", "https://github.com/login/oauth/access_token", `["repo","read:user"]`},
	{"Notion", "notion", "https://api.notion.com/v1/oauth/authorize", "https://api.notion.com/v1/oauth/token", ""},
	{"Linear", "linear", "https://linear.app/oauth/authorize", "https://api.linear.app/oauth/token", `["read","write"]`},
	{"Atlassian", "atlassian", "https://auth.atlassian.com/authorize", "https://auth.atlassian.com/oauth/token", `["read:jira-work","offline_access"]`},
	{"Google Workspace", "google", "https://accounts.google.com/o/oauth2/v2/auth", "https://oauth2.googleapis.com/token", `["openid","email","https://www.googleapis.com/auth/drive.readonly"]`},
	{"Slack ✨", "slack", "https://slack.com/oauth/v2/authorize", "https://slack.com/api/oauth.v2.access", `["channels:read","chat:write"]`},
}

// genOAuthProviders writes the OAuth providers that global admins set up
// for MCP servers whose authorization server they know (0004).
func (g *gen) genOAuthProviders() {
	methods := newSet([]string{"client_secret_post", "client_secret_basic", "none"}, 60, 30, 10)
	for _, b := range providerBases {
		at := g.between(winStart+200*day, winEnd-60*day)
		p := &oauthProvider{id: g.uuid(), tokenEndpoint: b.token, authMethod: g.value(methods)}
		g.providers = append(g.providers, p)
		host := b.auth[len("https://"):]
		host = host[:strings.IndexByte(host, '/')]
		var secret any = g.encrypted(40)
		if p.authMethod == "none" {
			secret = nil
		}
		var scopes any
		if b.scopes != "" {
			scopes = b.scopes
		}
		g.t.mcpOauthProviders.add(p.id, b.name, b.slug, g.orNil(0.3, "https://"+host+"/favicon.ico"),
			jsonStrings([]string{"https://" + host + "/*", "https://*." + host + "/*"}), "ds_"+g.alnumID(20), secret,
			b.auth, b.token, scopes, boolInt(!g.chance(0.2)), p.authMethod, boolInt(!g.chance(0.15)), at, g.between(at, winEnd-1))
	}
}

// genPGOnly writes the small tables only the Postgres layout has: pending
// OAuth flows, per-user server instances, GitHub deployment credentials and
// settings.
func (g *gen) genPGOnly() {
	g.instances = map[string]bool{}
	// An OAuth flow in progress: started, not yet completed (the backend
	// deletes it on completion or expiry).
	var oauthInstalls []*install
	for _, in := range g.installs {
		if g.servers[in.server].oauth {
			oauthInstalls = append(oauthInstalls, in)
		}
	}
	types := newSet([]string{"global", "team"}, 80, 20)
	for i := range max(2, len(oauthInstalls)/10) {
		in := oauthInstalls[g.r.IntN(len(oauthInstalls))]
		t, s := g.teams[in.team], g.servers[in.server]
		at := g.between(in.created, winEnd-hour)
		var instID, provider, cfg any
		if i%2 == 1 {
			instID = in.id // re-authorizing an existing installation
		}
		if len(g.providers) > 0 && g.chance(0.4) {
			provider = pick(g, g.providers).id
		}
		if g.chance(0.5) {
			cfg = g.done(g.obj().raw("headers", g.done(g.obj().str("X-Region", pick(g, regions)))))
		}
		g.t.oauthPendingFlows.add(g.uuid(), t.id, s.id, g.users[g.member(t, at)].id, instID, g.b64(32), g.b64(48),
			"mcp_"+g.alnumID(20), g.orNil(0.5, g.encrypted(48)), provider,
			"https://mcp."+s.slug+".example.com/oauth/token", pick(g, []string{"client_secret_post", "none"}),
			g.orNil(0.3, g.sats[in.sat].id), in.name, g.value(types), cfg, at+10*minute, at)
	}

	// Per-user instances of an installation on its satellite (0026).
	status := newSet([]string{"provisioning", "command_received", "connecting", "discovering_tools", "syncing_tools", "online",
		"restarting", "offline", "error", "requires_reauth", "permanently_failed", "awaiting_user_config"},
		2, 1, 1, 1, 1, 70, 2, 10, 4, 4, 2, 2)
	for _, in := range g.installs {
		t := g.teams[in.team]
		seen := map[int]bool{}
		for range 1 + g.r.IntN(min(3, len(t.members))) {
			u := g.member(t, in.created)
			if seen[u] {
				continue
			}
			seen[u] = true
			g.instances[in.id+"/"+g.users[u].id] = true
			st := g.value(status)
			at := g.between(max(in.created, g.users[u].created), winEnd-hour)
			var msg, checked, credChecked any
			switch st {
			case "error", "permanently_failed":
				msg = pick(g, crashMessages)
			case "requires_reauth":
				msg = "OAuth token expired; the user must sign in again"
			case "awaiting_user_config":
				msg = "Waiting for the user's configuration (Benutzerkonfiguration ausstehend)"
			}
			if st == "online" || st == "offline" || g.chance(0.2) {
				checked = g.between(at, winEnd-1)
				credChecked = g.orNil(0.5, checked)
			}
			g.t.mcpServerInstances.add(g.uuid(), in.id, g.users[u].id, "/i/"+g.alnumID(16), g.orNil(0.1, g.sha256Hex()), st, msg,
				g.between(at, winEnd-1), checked, credChecked, at, g.between(at, winEnd-1))
		}
	}

	// GitHub (and other) deployment credentials: one per team and source.
	sources := newSet([]string{"github", "gitlab", "docker"}, 70, 20, 10)
	auth := newSet([]string{"oauth", "installation"}, 60, 40)
	first := true
	for _, t := range g.teams {
		if t.isDefault && !g.chance(0.02) || !t.isDefault && !first && !g.chance(0.5) {
			continue
		}
		first = first && t.isDefault
		used := map[string]bool{}
		for range 1 + g.r.IntN(2) {
			src := g.value(sources)
			if used[src] {
				continue
			}
			used[src] = true
			a := g.value(auth)
			at := g.between(t.created+hour, winEnd-day)
			var access, refresh, inst, exp any
			var scopes any = []string{"repo", "read:user"}
			if a == "installation" {
				inst, scopes = strconv.Itoa(40_000_000+g.r.IntN(10_000_000)), nil
			} else {
				access, refresh = g.encrypted(40), g.orNil(0.3, g.encrypted(40))
				exp = g.orNil(0.5, g.between(at, winEnd+30*day))
			}
			if src == "docker" {
				scopes = []string{}
			}
			g.t.deploymentCredentials.add(g.uuid(), t.id, src, a, access, refresh, inst, g.orNil(0.2, t.slug),
				g.orNil(0.2, strconv.Itoa(1_000_000+g.r.IntN(9_000_000))), scopes, exp, at, g.between(at, winEnd-1))
		}
	}
	for _, p := range []string{"aws", "render"} {
		if !g.cloudProviders[p] {
			t := g.teams[len(g.users)]
			at := g.between(t.created+hour, winEnd-day)
			g.t.teamCloudCredentials.add(g.uuid(), t.id, p, strings.ToUpper(p)+" production", nil, g.encrypted(64+g.r.IntN(400)),
				g.users[t.members[0]].id, at, g.between(at, winEnd-1))
		}
	}
	for _, s := range g.servers {
		if g.chance(0.1) {
			at := g.between(s.created, winEnd-1)
			g.t.deploymentSettings.add(g.uuid(), s.id, boolInt(!g.chance(0.3)), g.orNil(0.4, strconv.Itoa(400_000_000+g.r.IntN(90_000_000))),
				g.orNil(0.4, g.encrypted(32)), at, g.between(at, winEnd-1))
		}
	}
}

// genMCPLogs writes the backend's per-installation request and server logs
// (0008), weighted like the usage logs.
func (g *gen) genMCPLogs(nRequests, nLogs int64) {
	for in, at := range g.installsOverTime(nRequests) {
		t := g.teams[in.team]
		s := g.servers[in.server]
		ok := !g.chance(0.06)
		var errMsg, resp any
		if ok {
			resp = g.done(g.obj().raw("content", jsonArray(g.done(g.obj().str("type", "text").str("text", pick(g, sentences))))).bool("isError", false))
		} else {
			errMsg = pick(g, execErrors)
		}
		var params any
		if g.chance(0.9) {
			params = g.done(g.obj().str("query", pick(g, sentences)).num("limit", int64(1+g.r.IntN(50))))
		}
		g.t.mcpRequestLogs.add(g.uuid(), in.id, t.id, g.orNil(0.1, g.users[g.member(t, at)].id), pick(g, s.base.tools),
			params, g.orNil(0.3, resp), int64(5+g.r.IntN(5000)), boolInt(ok), errMsg, at)
	}
	levels := newSet([]string{"info", "warn", "error", "debug"}, 70, 15, 5, 10)
	for in, at := range g.installsOverTime(nLogs) {
		lvl := g.value(levels)
		msg := pick(g, []string{"Server started on stdio", "Listening on port 3000", "Tool list refreshed (12 tools)", "Received SIGTERM, shutting down"})
		if lvl == "error" || lvl == "warn" {
			msg = pick(g, crashMessages)
		}
		var meta any
		if g.chance(0.5) {
			meta = g.done(g.obj().str("stream", pick(g, []string{"stdout", "stderr"})).num("pid", int64(1000+g.r.IntN(60000))))
		}
		g.t.mcpServerLogs.add(g.uuid(), in.id, g.teams[in.team].id, "mcp_server_log", lvl, msg, meta, at)
	}
}

// The defects only the Postgres layout can hold, which its own
// constraints do not rule out.
const (
	// DefectUnparsableTime is ISO-8601 text that is no point in time:
	// satelliteRegistrationTokens' times are text, written by whatever
	// code path formatted them.
	DefectUnparsableTime = "unparsable_time"
	// DefectEmailCase is an e-mail address that differs only in case from
	// another user's: authUser_email_unique is case-sensitive, stackdb
	// looks users up by lower(email).
	DefectEmailCase = "email_case_duplicate"
)

func (g *gen) injectPGDefects() {
	count := func(kind string) { g.defects[kind]++ }
	// A token whose times Date.prototype.toString wrote.
	at := winEnd - 3*day
	g.t.satelliteRegistrationTokens.add(g.nanoid(), "global", nil, g.argon2(), g.tokenPrefix("global"), g.users[g.admins[0]].id,
		`["satellite:register"]`, int64(0), nil, nil, "Sat Nov 29 2025 10:00:00 GMT+0100 (Central European Standard Time)", isoTime(at, 0))
	count(DefectUnparsableTime)

	// The same address as another user's, in other case.
	u := g.users[len(g.users)-1]
	g.t.authUser.add(g.alnumID(15), u.username+"-2", strings.ToUpper(u.email), "email_signup", nil, nil, nil, g.argon2(), g.roleIDs[1], int64(1))
	count(DefectEmailCase)

	// Values outside the value sets of the columns and tables the Postgres
	// layout added.
	in := g.installs[0]
instance:
	for _, i := range g.installs {
		for _, u := range g.teams[i.team].members {
			if id := g.users[u].id; !g.instances[i.id+"/"+id] {
				g.t.mcpServerInstances.add(g.uuid(), i.id, id, "/i/"+g.alnumID(16), nil, "starting", nil, nil, nil, nil, winEnd-day, winEnd-day)
				count(DefectOutsideValueSet)
				break instance
			}
		}
	}
	g.t.mcpServerLogs.add(g.uuid(), in.id, g.teams[in.team].id, "mcp_server_log", "fatal", fmt.Sprintf("exit %d", 137), nil, winEnd-day)
	count(DefectOutsideValueSet)
}
