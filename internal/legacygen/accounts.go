package legacygen

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// Roles, users and their sessions, keys and tokens, teams and memberships,
// user preferences and team cloud credentials.

var permissions = []string{
	"system.admin", "users.list", "users.view", "users.edit", "users.delete", "users.create",
	"roles.manage", "settings.view", "settings.edit", "teams.create", "teams.view", "teams.edit", "teams.delete",
	"teams.manage", "team.members.view", "team.members.manage", "mcp.servers.read", "mcp.servers.create",
	"mcp.servers.edit", "mcp.servers.delete", "mcp.installations.view", "mcp.installations.create",
	"mcp.installations.edit", "mcp.installations.delete", "satellites.view", "satellites.manage",
	"categories.manage", "oauth.clients.manage", "metrics.view",
}

func (g *gen) genRoles() {
	t0 := winStart + 2*day
	g.roleIDs = []string{"global_admin", "global_user", "team_admin", "team_user"}
	roleNames := []string{"Global Administrator", "Global User", "Team Administrator", "Team User"}
	rolePerms := [][]string{permissions,
		{"teams.create", "teams.view", "mcp.servers.read", "mcp.installations.view", "metrics.view"},
		{"teams.view", "teams.edit", "teams.manage", "team.members.view", "team.members.manage", "mcp.installations.view",
			"mcp.installations.create", "mcp.installations.edit", "mcp.installations.delete", "satellites.view"},
		{"teams.view", "team.members.view", "mcp.installations.view"}}
	roleDesc := []any{"Full system access with user management capabilities", "Standard user with basic team creation",
		"Full team management", "Membre d'une équipe — lecture seule 👀"}
	for i, id := range g.roleIDs {
		g.t.roles.add(id, roleNames[i], roleDesc[i], jsonStrings(rolePerms[i]), int64(1), t0, t0+g.r.Int64N(200*day))
	}
	custom := []struct{ name, desc string }{
		{"Catalog Manager", "Curates the MCP server catalog: créer, modifier, archiver."},
		{"Auditor (read-only)", "Reads metrics; changes nothing. 🔍"},
		{"Support 🛟", "Helps users: views users, teams and installations."},
		{"Satellite Operator", "Runs satellites — サテライトの運用担当。"},
	}
	nCustom := 1
	if g.rows >= 100_000 {
		nCustom = len(custom)
	}
	for _, c := range custom[:nCustom] {
		id := g.uuid()
		g.roleIDs = append(g.roleIDs, id)
		perms := slices.Clone(permissions)
		g.r.Shuffle(len(perms), func(i, j int) { perms[i], perms[j] = perms[j], perms[i] })
		perms = perms[:2+g.r.IntN(10)]
		slices.Sort(perms)
		at := g.between(t0+30*day, t0+300*day)
		g.t.roles.add(id, c.name, g.orNil(0.25, c.desc), jsonStrings(perms), int64(0), at, g.between(at, at+100*day))
	}
}

func (g *gen) genUsers() {
	n := max(12, int(math.Sqrt(float64(g.rows))))
	seenUser, seenEmail := map[string]bool{}, map[string]bool{}
	githubID := int64(1_000_000 + g.r.IntN(9_000_000))
	from, to := winStart+3*day, winEnd-20*day
	for i := range n {
		fn, ln := pick(g, firstNames), pick(g, lastNames)
		var base string
		switch g.r.IntN(5) {
		case 0:
			base = fn.ascii + "." + ln.ascii
		case 1:
			base = fn.ascii + ln.ascii
		case 2:
			base = fn.ascii[:1] + ln.ascii
		case 3:
			base = fn.ascii + "_" + ln.ascii + strconv.Itoa(g.r.IntN(100))
		default:
			base = ln.ascii + "-" + fn.ascii
		}
		username := unique(seenUser, base, "")
		local := username
		if g.chance(0.3) {
			local = fn.ascii + "." + ln.ascii
		}
		domain := pick(g, emailDomains)
		if g.chance(0.1) { // some mixed-case addresses
			local = strings.ToUpper(local[:1]) + local[1:]
			domain = strings.ToUpper(domain[:1]) + domain[1:]
		}
		email := local + "@" + domain
		for k := 2; seenEmail[strings.ToLower(email)]; k++ {
			email = local + "+" + strconv.Itoa(k) + "@" + domain
		}
		seenEmail[strings.ToLower(email)] = true
		created := int64(float64(from) + float64(to-from)*math.Pow((float64(i)+g.r.Float64())/float64(n), 0.8))
		if i == 0 {
			created = from
		}
		u := &user{id: g.alnumID(15), username: username, email: email, created: created}
		g.users = append(g.users, u)
		g.userCreate = append(g.userCreate, created)

		var role any = g.roleIDs[1]
		switch {
		case i == 0 || g.chance(0.01):
			role = g.roleIDs[0]
			g.admins = append(g.admins, i)
		case len(g.roleIDs) > 4 && g.chance(0.03):
			role = g.roleIDs[4+g.r.IntN(len(g.roleIDs)-4)]
		case g.chance(0.01):
			role = nil // role_id is nullable; very old accounts have none
		}
		var authType string
		var ghID, hashed any
		if i > 0 && g.chance(0.22) {
			authType = "github"
			githubID += 1 + g.r.Int64N(3_000_000)
			ghID = strconv.FormatInt(githubID, 10)
		} else {
			authType = "email_signup"
			hashed = g.argon2()
		}
		var first, last any = fn.display, ln.display
		if g.chance(0.12) {
			first, last = nil, nil
		} else if g.chance(0.05) {
			last = nil
		}
		verified := authType == "github" || g.chance(0.8)
		g.t.authUser.add(u.id, username, email, authType, first, last, ghID, hashed, role, boolInt(verified))

		// Lucia's legacy key table: a few old e-mail accounts still have one.
		if hashed != nil && (g.t.authKey.count == 0 || g.chance(0.05)) {
			g.t.authKey.add("email:"+strings.ToLower(email), u.id, "true", hashed, nil)
		}
		if !verified || g.chance(0.05) {
			at := g.between(created, created+day)
			g.t.emailVerificationTokens.add(g.uuid(), u.id, g.sha256Hex(), at+24*hour, at)
		}
		if hashed != nil && (g.t.passwordResetTokens.count == 0 || g.chance(0.04)) {
			at := g.between(created+day, winEnd-hour)
			g.t.passwordResetTokens.add(g.uuid(), u.id, g.sha256Hex(), at+hour, at)
		}
	}
	// Sessions: expires_at in epoch milliseconds (Date.now() + 30 days at
	// login); some have expired.
	for range n * 3 / 2 {
		u := g.users[g.r.IntN(n)]
		login := g.between(u.created, winEnd-minute)
		g.t.authSession.add(g.alnumID(40), u.id, (login+30*day)*1000+g.r.Int64N(1000))
	}
}

var preferenceKeys = []struct{ key, values string }{
	{"theme", `"light"|"dark"|"system"`},
	{"sidebar_collapsed", "true|false"},
	{"show_survey_overall", "true|false"},
	{"walkthrough_completed", "true|false"},
	{"walkthrough_step", "0|1|2|3|4"},
	{"language", `"en"|"de"|"fr"|"ja"|"zh-CN"`},
	{"default_team_id", ""},
	{"notifications", `{"email":true,"security":true,"product":false}|{"email":false,"security":true,"product":false}`},
}

func (g *gen) genTeams() {
	seenSlug := map[string]bool{}
	n := len(g.users)
	mid := func(team *team, u int, joined int64) {
		team.members = append(team.members, u)
		team.joined = append(team.joined, joined)
		g.users[u].teams = append(g.users[u].teams, len(g.teams)-1)
	}
	// Every user has a default team, created with the account.
	for i, u := range g.users {
		t := &team{id: g.uuid(), isDefault: true, created: u.created + g.r.Int64N(5)}
		t.name = u.username + "'s Team"
		if g.chance(0.1) {
			t.name = u.username + " — personal " + pick(g, emojis)
		}
		t.slug = unique(seenSlug, slugify(u.username), "-")
		g.teams = append(g.teams, t)
		mid(t, i, t.created)
	}
	shared := max(3, n/8)
	for range shared {
		owner := g.r.IntN(n)
		t := &team{id: g.uuid()}
		t.created = g.between(g.users[owner].created+hour, max(g.users[owner].created+hour+1, min(g.users[owner].created+200*day, winEnd-10*day)))
		var slugBase string
		if g.chance(0.3) {
			s := pick(g, teamSpecials)
			t.name, slugBase = s.display, s.ascii
		} else {
			w := pick(g, teamWords)
			k := pick(g, teamKinds)
			t.name, slugBase = w[0]+" "+k, w[1]+"-"+strings.ToLower(k)
			if g.chance(0.2) {
				t.name += " " + pick(g, emojis)
			}
		}
		t.slug = unique(seenSlug, slugBase, "-")
		g.teams = append(g.teams, t)
		mid(t, owner, t.created)
		k := min(n-1, 1+g.r.IntN(min(30, n-1)))
		for _, u := range g.r.Perm(n) {
			if k == 0 {
				break
			}
			if u == owner {
				continue
			}
			mid(t, u, g.between(max(t.created, g.users[u].created)+minute, winEnd-day))
			k--
		}
	}
	roles := newSet([]string{"team_admin", "team_user"}, 15, 85)
	for _, t := range g.teams {
		var desc any
		switch {
		case g.chance(0.5):
		case g.chance(0.15):
			desc = g.text(2000 + g.r.IntN(4000))
		default:
			desc = g.text(40 + g.r.IntN(160))
		}
		limit := int64(1)
		if !t.isDefault && g.chance(0.4) {
			limit = pick(g, []int64{2, 3, 5, 10})
		}
		g.t.teams.add(t.id, t.name, t.slug, desc, g.users[t.members[0]].id, boolInt(t.isDefault), limit, t.created,
			g.between(t.created, min(t.created+200*day, winEnd-1)))
		for j, u := range t.members {
			role := g.value(roles)
			if j == 0 {
				role = "team_admin"
			}
			g.t.teamMemberships.add(g.uuid(), t.id, g.users[u].id, role, t.joined[j])
		}
		if !t.isDefault && (g.t.teamCloudCredentials.count == 0 || g.chance(0.15)) {
			providers := []string{"render", "aws"} // the set pg_tables.json documents, which stackdb CHECKs
			for range 1 + g.r.IntN(2) {
				at := g.between(t.created+hour, winEnd-day)
				p := pick(g, providers)
				g.t.teamCloudCredentials.add(g.uuid(), t.id, p, strings.ToUpper(p)+" "+pick(g, []string{"production", "staging", "Sandbox 🧪", "本番"}),
					g.orNil(0.5, pick(g, sentences)), g.encrypted(64+g.r.IntN(400)), g.users[g.member(t, at)].id, at, g.between(at, winEnd-1))
			}
		}
	}
	// Preferences: a few keys per user, one row per (user, key).
	for _, u := range g.users {
		for _, k := range g.r.Perm(len(preferenceKeys))[:g.r.IntN(5)] {
			p := preferenceKeys[k]
			v := g.teams[u.teams[len(u.teams)-1]].id
			if p.values != "" {
				v = pick(g, strings.Split(p.values, "|"))
			}
			at := g.between(u.created, winEnd-hour)
			g.t.userPreferences.add(g.uuid(), u.id, p.key, v, at, g.between(at, winEnd-1))
		}
	}
}

// member returns a member of the team who had joined by t (else the owner).
func (g *gen) member(t *team, at int64) int {
	j := g.r.IntN(len(t.members))
	if t.joined[j] > at {
		j = 0
	}
	return t.members[j]
}
