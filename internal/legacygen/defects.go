package legacygen

import (
	"slices"
	"strconv"
)

// The defects real DeployStack SQLite files hold, which Options.Defects
// adds (as extra rows, so the clean rows stay as they are). Each kind is
// counted in Stats.Defects under the names below.
const (
	// DefectDanglingReference is a reference to a row that does not exist:
	// the heartbeat route inserts satelliteProcesses of global satellites
	// with team_id 'global', and SQLite did not enforce foreign keys.
	DefectDanglingReference = "dangling_reference"
	// DefectOutsideValueSet is a value outside a closed value set: the sets
	// are enforced only in TypeScript, and older versions wrote others.
	DefectOutsideValueSet = "outside_value_set"
	// DefectDuplicate is a duplicate where DeployStack has no unique key
	// (indexes named *_unique_* that are not unique, authUser.username,
	// teamMemberships) but stackdb has one.
	DefectDuplicate = "duplicate"
	// DefectInvalidJSON is a JSON text column that does not hold JSON.
	DefectInvalidJSON = "invalid_json"
)

func (g *gen) injectDefects() {
	count := func(kind string) { g.defects[kind]++ }
	t := g.teams[0]
	owner := g.users[t.members[0]]

	// Dangling references: a process a global satellite reported, and a
	// session of a deleted user. In Postgres, foreign keys rule them out.
	for _, s := range g.sats {
		if g.pg {
			break
		}
		if s.team < 0 && s.hbTo > 0 {
			at := s.hbTo - hour
			g.t.satelliteProcesses.add("proc-external-"+g.alnumID(10), s.id, nil, "filesystem-external", int64(4242), nil,
				"running", "healthy", nil, "global", nil, at, nil, at, at+minute)
			count(DefectDanglingReference)
			break
		}
	}
	if !g.pg {
		g.t.authSession.add(g.alnumID(40), "deleted"+g.alnumID(8), (winEnd+day)*1000)
		count(DefectDanglingReference)
	}

	// Values outside the value sets.
	if s := g.sats[0]; s.hbTo > 0 {
		at := s.hbTo - 2*hour
		g.t.satelliteProcesses.add("proc-old-"+g.alnumID(10), s.id, nil, "legacy-server", nil, nil, "crashed", "unknown", nil,
			g.teams[len(g.users)].id, "exit code 137", at-hour, at, at-hour, at)
		count(DefectOutsideValueSet)
		g.t.satelliteHeartbeats.add("hb_"+strconv.FormatInt(at*1000, 10)+"_"+g.base36(9), s.id, "inactive", `{"cpu_usage_percent":1,"memory_usage_mb":100}`,
			int64(0), int64(0), int64(0), nil, nil, nil, at)
		count(DefectOutsideValueSet)
	}
	g.t.queueJobs.add(g.nanoid(), "send_email", `{"to":"x@example.com"}`, "cancelled", winEnd-day, int64(0), int64(3), nil, nil, winEnd-day, winEnd-day, nil)
	count(DefectOutsideValueSet)

	// Duplicates where stackdb is stricter.
	g.t.teamMemberships.add(g.uuid(), t.id, owner.id, "team_user", t.joined[0]+day)
	count(DefectDuplicate)
	g.t.userPreferences.add(g.uuid(), owner.id, "theme", `"dark"`, owner.created+day, owner.created+day)
	g.t.userPreferences.add(g.uuid(), owner.id, "theme", `"light"`, owner.created+2*day, owner.created+2*day)
	count(DefectDuplicate) // at least one of the two duplicates the other
	g.t.authUser.add(g.alnumID(15), owner.username, "dup."+owner.email, "email_signup", nil, nil, nil, g.argon2(), g.roleIDs[1], int64(0))
	count(DefectDuplicate)
	if len(g.activity) > 0 {
		a := g.activity[0]
		u, tm, s := g.users[a.user], g.teams[a.team], g.sats[a.sat]
		g.t.mcpClientActivity.add(g.uuid(), u.id, tm.id, s.id, "api_key", nil, a.authIdentifier, a.authIdentifier, nil, nil, nil, nil,
			a.first, a.first, int64(1), int64(0), a.first, a.first)
		count(DefectDuplicate)
	}

	// A JSON column that is not JSON (a truncated write).
	in := g.installs[0]
	at := winEnd - hour
	g.t.satelliteCommands.add(g.uuid(), g.sats[in.sat].id, "configure", "normal", `{"installation_id":"`+in.id+`","event":"mcp_ins`,
		"pending", g.teams[in.team].id, nil, int64(0), int64(3), nil, nil, nil, at, at)
	count(DefectInvalidJSON)
	if g.pg {
		g.injectPGDefects()
	}
}

// corruption is one way Options.DefectRate makes a row of a large table
// defective: column col gets the value bad makes of it, a defect of kind.
// The columns are NOT NULL ones the generator always fills, so each
// corruption is a defect of its own row, never of its descendants (the
// large tables have none).
type corruption struct {
	col  string
	kind string
	bad  func(g *gen, v any) any
}

// corruptions are the kinds Options.DefectRate spreads over each large
// table, taken in turn.
var corruptions = map[string][]corruption{
	"satelliteHeartbeats": {
		{"status", DefectOutsideValueSet, func(*gen, any) any { return "inactive" }},
		{"system_metrics", DefectInvalidJSON, truncateJSON},
	},
	"satelliteUsageLogs":       {{"satellite_id", DefectDanglingReference, danglingID}},
	"mcpClientActivityMetrics": {{"user_id", DefectDanglingReference, danglingID}},
	"satelliteCommands":        {{"payload", DefectInvalidJSON, truncateJSON}},
	"queueJobs":                {{"status", DefectOutsideValueSet, func(*gen, any) any { return "cancelled" }}},
}

// truncateJSON cuts a JSON object short, as an interrupted write would.
func truncateJSON(_ *gen, v any) any {
	s := v.(string)
	return s[:len(s)/2]
}

// danglingID is the id of a row that was deleted.
func danglingID(g *gen, _ any) any { return "deleted-" + strconv.FormatUint(g.dr.Uint64(), 36) }

// corruptLarge starts (on) or stops corrupting the rows of the large
// tables at Options.DefectRate.
func (g *gen) corruptLarge(on bool) {
	if g.dr == nil {
		return
	}
	for _, t := range g.w.tables {
		list, ok := corruptions[t.name]
		if !ok {
			continue
		}
		if !on {
			t.corrupt = nil
			continue
		}
		cols := make([]int, len(list))
		for i, c := range list {
			cols[i] = slices.Index(t.cols, c.col)
		}
		next := 0
		t.corrupt = func(vals []any) {
			if g.dr.Float64() >= g.defectRate {
				return
			}
			c := list[next]
			vals[cols[next]] = c.bad(g, vals[cols[next]])
			next = (next + 1) % len(list)
			g.defects[c.kind]++
		}
	}
}
