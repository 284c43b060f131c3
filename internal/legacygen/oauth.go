package legacygen

import (
	"fmt"
	"math"
)

// OAuth: the MCP clients that registered themselves (RFC 7591), the
// statically registered clients, and the codes, tokens and team consents of
// users who connected a client to a team.

var mcpClientNames = []struct{ name, ua, redirect string }{
	{"Visual Studio Code", "node-fetch/1.0 (VS Code 1.96.2)", "http://127.0.0.1:33418/"},
	{"Claude Desktop", "Claude/0.10.14 (darwin; arm64)", "https://claude.ai/api/mcp/auth_callback"},
	{"Cursor", "Cursor/0.45.11 (linux; x64)", "cursor://anysphere.cursor-retrieval/oauth/callback"},
	{"Windsurf", "Windsurf/1.3.4", "windsurf://codeium.windsurf/oauth/callback"},
	{"MCP Inspector", "mcp-inspector/0.14.0 node/22.3.0", "http://localhost:6274/oauth/callback"},
	{"DeployStack Gateway", "DeployStack-Gateway/1.4.2 (darwin; arm64)", "http://localhost:8976/oauth/callback"},
	{"Zed", "Zed/0.170.4", "http://127.0.0.1:51234/callback"},
	{"Mein CLI-Client ✨", "python-httpx/0.27.0", "http://localhost:9000/cb?tenant=é"},
}

func (g *gen) genOAuth() {
	n := min(60, max(len(mcpClientNames), int(math.Sqrt(float64(g.rows))/20)))
	for i := range n {
		c := mcpClientNames[i%len(mcpClientNames)]
		cl := &mcpClient{clientID: "dyn_" + g.alnumID(16), name: c.name, userAgent: c.ua}
		if i >= len(mcpClientNames) {
			cl.name = fmt.Sprintf("%s (%d)", c.name, i/len(mcpClientNames)+1)
		}
		cl.created = g.between(winStart+150*day, winEnd-30*day)
		g.clients = append(g.clients, cl)
		var exp any
		if g.chance(0.2) {
			exp = int64(0) // RFC 7591: 0 means the secret never expires
		}
		g.t.dynamicOauthClients.add(cl.clientID, cl.name, jsonStrings([]string{c.redirect}),
			`["authorization_code","refresh_token"]`, `["code"]`, "mcp:read mcp:tools:execute offline_access", "none",
			cl.created, exp, cl.created, cl.created+g.r.Int64N(day))
	}
	// Statically registered clients (team-owned or global).
	for i := range max(2, n/10) {
		at := g.between(winStart+60*day, winEnd-30*day)
		var teamID, createdBy any
		if i%2 == 1 {
			t := g.teams[len(g.users)+g.r.IntN(len(g.teams)-len(g.users))]
			teamID, createdBy = t.id, g.users[t.members[0]].id
		} else if g.chance(0.7) {
			createdBy = g.users[g.admins[0]].id
		}
		g.t.oauthClients.add(g.uuid(), "deploystack_"+g.alnumID(24), g.orNil(0.3, g.argon2()),
			pick(g, []string{"Internal dashboard", "CI pipeline", "Backstage plugin", "社内ポータル"}),
			jsonStrings([]string{"https://internal.example.com/oauth/callback"}), "mcp:read", teamID, createdBy,
			boolInt(i != 1 && !g.chance(0.2)), at, g.between(at, winEnd-1))
	}
	// Users connect clients to teams: consent, code, access and refresh tokens.
	seenConsent := map[[3]int]bool{}
	for range len(g.users) * 2 {
		u := g.r.IntN(len(g.users))
		usr := g.users[u]
		ti := usr.teams[g.r.IntN(len(usr.teams))]
		ci := g.r.IntN(len(g.clients))
		cl := g.clients[ci]
		at := g.between(max(cl.created, usr.created)+minute, winEnd-hour)
		t := g.teams[ti]
		key := [3]int{u, ti, ci}
		if !seenConsent[key] {
			seenConsent[key] = true
			g.t.oauthTeamConsents.add(g.uuid(), usr.id, t.id, cl.clientID, "mcp:read mcp:tools:execute offline_access", at,
				g.orNil(0.2, g.between(at, winEnd-1)), boolInt(!g.chance(0.1)))
		}
		g.t.oauthAuthorizationCodes.add(g.uuid(), usr.id, t.id, cl.clientID, pick(g, mcpClientNames).redirect,
			"mcp:read mcp:tools:execute offline_access", g.b64(24), g.b64(32), "S256", g.alnumID(43),
			boolInt(!g.chance(0.05)), at, at+10*minute)
		g.t.oauthAccessTokens.add(g.uuid(), usr.id, t.id, cl.clientID, "mcp:read mcp:tools:execute offline_access",
			g.sha256Hex(), at+g.r.Int64N(5), at+hour)
		g.t.oauthRefreshTokens.add(g.uuid(), usr.id, t.id, cl.clientID, g.sha256Hex(), boolInt(g.chance(0.4)),
			at+g.r.Int64N(5), at+30*day)
	}
}
