package legacygen

import (
	"cmp"
	"math"
	"slices"
	"strings"
)

// Installations of catalog servers in teams, with the per-user
// configurations, discovered tools and OAuth tokens that hang off them.

func (g *gen) genInstallations() {
	var globalSats []int
	for i, s := range g.sats {
		if s.team < 0 {
			globalSats = append(globalSats, i)
		}
	}
	var globalServers []int
	teamServers := map[int][]int{}
	for i, s := range g.servers {
		if s.ownerTeam < 0 {
			globalServers = append(globalServers, i)
		} else {
			teamServers[s.ownerTeam] = append(teamServers[s.ownerTeam], i)
		}
	}
	for ti, t := range g.teams {
		k := g.r.IntN(3)
		if !t.isDefault {
			k = 2 + g.r.IntN(11)
		}
		used := map[int]bool{}
		own := teamServers[ti]
		var live []int // the team's satellites that ever connected
		for _, si := range t.sats {
			if g.sats[si].hbTo > 0 {
				live = append(live, si)
			}
		}
		for j := range k {
			si := globalServers[g.r.IntN(len(globalServers))]
			switch {
			case j < len(own): // a team installs the servers it added
				si = own[j]
			case len(own) > 0 && g.chance(0.4):
				si = own[g.r.IntN(len(own))]
			}
			s := g.servers[si]
			in := &install{id: g.uuid(), team: ti, server: si}
			in.name = s.name
			if used[si] || g.chance(0.25) {
				in.name = s.name + " (" + pick(g, []string{"prod", "staging", "読み取り専用", "écriture", "test 🧪", "EU"}) + ")"
			}
			used[si] = true
			in.created = g.between(max(t.created, s.created)+minute, max(max(t.created, s.created)+minute+1, winEnd-20*day))
			if len(live) > 0 && g.chance(0.8) {
				in.sat = live[g.r.IntN(len(live))]
			} else {
				in.sat = globalSats[g.r.IntN(len(globalSats))]
			}
			in.avail = max(in.created, g.sats[in.sat].created) + minute
			in.weight = math.Pow(1-g.r.Float64(), -0.8) // heavy tail: a few very busy installations
			g.installs = append(g.installs, in)
			g.writeInstall(in, t, s)
		}
	}
	slices.SortStableFunc(g.installs, func(a, b *install) int { return cmp.Compare(a.avail, b.avail) })
}

func (g *gen) envValue(t *team, e string) string {
	switch {
	case strings.Contains(e, "URL"):
		return "https://" + t.slug + ".example.com/api"
	case g.chance(0.1):
		return ""
	default:
		return pick(g, []string{"ghp_", "sk_live_", "xoxb-", "", "tok-"}) + g.alnumID(24)
	}
}

func (g *gen) writeInstall(in *install, t *team, s *server) {
	typ := "global"
	if s.ownerTeam >= 0 {
		typ = "team"
	}
	var args, env, headers, query any
	if s.transport == "stdio" {
		if len(s.base.env) > 0 {
			o := g.obj()
			for _, e := range s.base.env[:1] {
				o.str(e, g.envValue(t, e))
			}
			env = g.done(o)
		} else if g.chance(0.3) {
			env = "{}"
		}
		if g.chance(0.2) {
			args = jsonStrings([]string{"--read-only"})
		} else if g.chance(0.5) {
			args = "[]"
		}
	} else {
		headers = g.done(g.obj().str("Authorization", "Bearer "+g.alnumID(32)))
		if g.chance(0.3) {
			query = g.done(g.obj().str("region", pick(g, regions)))
		}
	}
	var state, verifier, pendingExp, clientID, clientSecret any
	pending := false
	if s.oauth {
		clientID = "mcp_" + g.alnumID(20)
		clientSecret = g.orNil(0.5, g.encrypted(48))
		if g.chance(0.2) { // the OAuth flow was started but not finished
			pending = true
			state, verifier = g.b64(32), g.b64(48)
			pendingExp = in.created + 10*minute
		}
	}
	createdBy := g.member(t, in.created)
	var lastUsed any
	if g.chance(0.8) {
		lastUsed = g.between(in.avail, winEnd-1)
	}
	g.t.mcpServerInstallations.add(in.id, t.id, s.id, g.users[createdBy].id, in.name, typ, args, env, headers, query,
		state, verifier, boolInt(pending), pendingExp, clientID, clientSecret, in.created, g.between(in.created, winEnd-day), lastUsed)

	// Per-user configuration: the user-level values of the schema.
	seen := map[int]bool{}
	users := g.r.IntN(min(4, len(t.members)) + 1)
	if s.oauth {
		users = max(users, 1) // whoever installed it connected their account
	}
	for range users {
		u := g.member(t, in.created)
		if seen[u] {
			continue
		}
		seen[u] = true
		var uArgs, uEnv, uHeaders, uQuery any
		if len(s.base.env) > 1 {
			o := g.obj()
			for _, e := range s.base.env[1:] {
				o.str(e, g.envValue(t, e))
			}
			uEnv = g.done(o)
		} else if g.chance(0.5) {
			uEnv = "{}"
		}
		if g.chance(0.2) {
			uArgs = jsonStrings([]string{"--workspace", "/home/" + g.users[u].username})
		}
		if s.transport != "stdio" {
			uHeaders = g.orNil(0.5, g.done(g.obj().str("X-User-Token", g.alnumID(24))))
			uQuery = g.orNil(0.8, "{}")
		}
		at := g.between(max(in.created, g.users[u].created), winEnd-hour)
		g.t.mcpUserConfigurations.add(g.uuid(), in.id, g.users[u].id, uArgs, uEnv, uHeaders, uQuery, at, g.between(at, winEnd-1),
			g.orNil(0.3, g.between(at, winEnd-1)))
		if s.oauth && (g.t.mcpOauthTokens.count == 0 || g.chance(0.8)) {
			exp := g.between(at, winEnd+30*day)
			g.t.mcpOauthTokens.add(g.uuid(), in.id, g.users[u].id, t.id, g.encrypted(40+g.r.IntN(200)), g.orNil(0.3, g.encrypted(40)),
				"Bearer", g.orNil(0.1, exp), g.orNil(0.2, pick(g, []string{"read", "read write", "repo user:email", "offline_access"})), at, g.between(at, winEnd-1))
		}
	}

	// The tools the satellite discovered, once it ran the server.
	if g.chance(0.8) {
		at := g.between(in.avail, max(in.avail+1, winEnd-day))
		for _, tool := range s.base.tools {
			schema := g.done(g.obj().str("type", "object").raw("properties", g.done(g.obj().
				raw("query", `{"type":"string","description":"Search query"}`).
				raw("limit", `{"type":"integer","minimum":1,"maximum":100,"default":10}`))).
				raw("required", `["query"]`))
			desc := pick(g, sentences)
			g.t.mcpToolMetadata.add(g.uuid(), in.id, t.id, tool, desc, g.orNil(0.05, schema), int64(len(desc)/4+len(schema)/4), at, g.between(at, winEnd-1))
		}
	}
}
