package legacygen

import (
	"fmt"
	"strings"
)

// Satellites, their registration tokens and processes.

var regions = []string{"eu-central-1", "eu-west-1", "us-east-1", "us-west-2", "ap-northeast-1", "ap-southeast-2", "sa-east-1"}

var satVersions = []string{"0.8.4", "0.9.0", "0.9.3", "1.0.0", "1.1.2", "1.2.0", "1.3.1", "1.4.0", "1.5.3", "1.6.2"}

// versionAt is the satellite version most installations ran at t.
func versionAt(t int64) string {
	i := int((t - winStart) * int64(len(satVersions)) / (winEnd - winStart))
	return satVersions[min(max(i, 0), len(satVersions)-1)]
}

var crashMessages = []string{
	"Process exited with code 1: Error: Cannot find module '@modelcontextprotocol/sdk/server/index.js'",
	"spawn npx ENOENT",
	"OOMKilled: memory limit of 512 MiB exceeded",
	"Health check failed 3 times in a row (timeout after 5000 ms)",
	"Traceback (most recent call last):\n  File \"/app/server.py\", line 42, in <module>\n    main()\nKeyError: 'GITHUB_PERSONAL_ACCESS_TOKEN'",
	"panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a1b2c]",
	"Ungültige Konfiguration: Umgebungsvariable „DATABASE_URL“ fehlt",
}

func (g *gen) genSatellites() {
	nGlobal := min(8, max(2, int(g.rows/250_000)+2))
	status := newSet([]string{"active", "inactive", "maintenance", "error"}, 80, 10, 5, 5)
	satFrom := winStart + 120*day // satellites came some months into the SQLite era
	add := func(s *satellite, name string, createdBy int) {
		g.sats = append(g.sats, s)
		s.status = g.value(status)
		s.hbFrom = s.created + minute
		switch s.status {
		case "active":
			s.hbTo = winEnd - g.between(0, 2*minute)
		case "maintenance":
			s.hbTo = winEnd - g.between(hour, 2*day)
		case "error":
			s.hbTo = winEnd - g.between(10*minute, day)
		default:
			s.hbTo = g.between(s.hbFrom+day, winEnd-7*day)
			if s.team >= 0 && g.chance(0.3) {
				s.hbTo = 0 // never connected
			}
		}
		s.hbTo = min(s.hbTo, winEnd-1)
		if s.hbTo <= s.hbFrom {
			s.hbTo = 0
		}
		typ := "global"
		var teamID, sysInfo, cfg any
		if s.team >= 0 {
			typ = "team"
			teamID = g.teams[s.team].id
		}
		caps := []string{"stdio_subprocess", "http_proxy", "sse_proxy", "process_isolation", "team_isolation"}
		if typ == "team" {
			caps = caps[:3+g.r.IntN(2)]
		}
		if s.hbTo > 0 && g.chance(0.9) {
			sysInfo = g.done(g.obj().str("os", pick(g, []string{"linux", "linux", "darwin", "windows"})).
				str("arch", pick(g, []string{"x64", "arm64"})).
				str("node_version", pick(g, []string{"v20.11.1", "v22.3.0", "v22.11.0"})).
				num("cpu_cores", int64(pick(g, []int{2, 4, 8, 16}))).
				num("memory_total_mb", int64(pick(g, []int{2048, 4096, 8192, 16384, 32768}))).
				str("hostname", slugify(name)+"-"+g.hexStr(3)))
		}
		if g.chance(0.7) {
			cfg = g.done(g.obj().num("heartbeat_interval_seconds", 30).num("command_poll_interval_seconds", pick(g, []int64{2, 10, 30, 60})).
				num("max_processes", int64(pick(g, []int{10, 20, 50}))).str("log_level", pick(g, []string{"info", "debug", "warn"})))
		}
		// Every satellite that connected has heartbeats, the newest at hbTo.
		var last any
		if s.hbTo > 0 {
			last = s.hbTo
		}
		g.t.satellites.add(s.id, name, typ, teamID, s.status, jsonStrings(caps), g.argon2(), last, sysInfo, cfg,
			g.users[createdBy].id, s.created, max(s.created+g.r.Int64N(day), s.hbTo))

		// The registration token the satellite registered with (ISO-8601 times).
		valid := pick(g, []int64{hour, day, 7 * day})
		made := s.created - g.between(minute, valid)
		g.t.satelliteRegistrationTokens.add(g.nanoid(), typ, teamID, g.argon2(), g.tokenPrefix(typ),
			g.users[createdBy].id, `["satellite:register"]`, int64(1), isoTime(s.created, g.r.Int64N(1000)), s.id,
			isoTime(made+valid, g.r.Int64N(1000)), isoTime(made, g.r.Int64N(1000)))
	}
	for i := range nGlobal {
		region := regions[i%len(regions)]
		s := &satellite{id: g.uuid(), team: -1}
		adm := g.admins[g.r.IntN(len(g.admins))]
		s.created = max(satFrom, g.users[adm].created+hour) + int64(i)*g.between(day, 20*day)
		add(s, fmt.Sprintf("global-%s-%d", region, i/len(regions)+1), adm)
	}
	nShared := 0
	for ti, t := range g.teams {
		p := 0.02
		if !t.isDefault {
			p = 0.5
			nShared++
		}
		// The first two shared teams run one at least: every file has a
		// satellite of each status.
		for k := 0; k < 2 && (g.chance(p) || nShared <= 2 && k == 0); k++ {
			s := &satellite{id: g.uuid(), team: ti}
			from := max(t.created+hour, satFrom)
			s.created = g.between(from, max(from+1, winEnd-3*day))
			nm := t.slug + "-satellite"
			if k > 0 || g.chance(0.3) {
				nm = fmt.Sprintf("%s satellite #%d %s", t.name, k+1, pick(g, emojis))
			}
			t.sats = append(t.sats, len(g.sats))
			add(s, nm, g.member(t, s.created))
		}
	}
	// Tokens nobody used: some expired, some still valid, some revoked.
	for range max(2, len(g.sats)/3) {
		var teamID any
		typ := "global"
		createdBy := g.admins[g.r.IntN(len(g.admins))]
		if g.chance(0.6) {
			t := g.teams[len(g.users)+g.r.IntN(len(g.teams)-len(g.users))]
			typ, teamID, createdBy = "team", t.id, t.members[0]
		}
		made := g.between(satFrom, winEnd-hour)
		g.t.satelliteRegistrationTokens.add(g.nanoid(), typ, teamID, g.argon2(), g.tokenPrefix(typ), g.users[createdBy].id,
			`["satellite:register"]`, int64(0), nil, nil, isoTime(made+pick(g, []int64{hour, day, 7 * day}), 0), isoTime(made, g.r.Int64N(1000)))
	}
}

// tokenPrefix is the visible start of a registration token, kept to find it.
func (g *gen) tokenPrefix(typ string) string {
	return "deploystack_satellite_" + typ + "_" + g.alnumID(8)
}

func (g *gen) genProcesses() {
	status := newSet([]string{"pending", "starting", "running", "stopping", "stopped", "failed"}, 3, 3, 60, 2, 25, 7)
	for ii, in := range g.installs {
		if !g.chance(0.7) {
			continue
		}
		s := g.sats[in.sat]
		if s.hbTo == 0 {
			continue
		}
		t := g.teams[in.team]
		runs := 1
		if g.chance(0.2) {
			runs = 2 + g.r.IntN(3)
		}
		start := g.between(in.avail, max(in.avail+1, s.hbTo-hour))
		for r := range runs {
			st := "stopped"
			if r == runs-1 {
				st = g.value(status)
			} else if g.chance(0.3) {
				st = "failed"
			}
			var stopped, errMsg, perf, pid, port any
			health := "unknown"
			switch st {
			case "running":
				health = pick(g, []string{"healthy", "healthy", "healthy", "unhealthy", "unknown"})
			case "stopping":
				health = pick(g, []string{"healthy", "unknown"})
			case "failed":
				health = "unhealthy"
				errMsg = pick(g, crashMessages)
			}
			end := g.between(start+minute, min(start+30*day, max(start+minute+1, s.hbTo)))
			if st == "stopped" || st == "failed" {
				stopped = end
			}
			if st != "pending" {
				pid = int64(1000 + g.r.IntN(60000))
				if g.servers[in.server].transport != "stdio" {
					port = int64(30000 + g.r.IntN(20000))
				}
				perf = g.done(g.obj().num("total_requests", g.r.Int64N(50000)).float("avg_response_time_ms", round1(20+g.r.Float64()*800)).
					num("error_count", g.r.Int64N(50)).float("memory_usage_mb", round1(40+g.r.Float64()*400)))
			}
			var started any
			if st != "pending" {
				started = start
			}
			p := &process{id: fmt.Sprintf("proc-%s-%s", strings.TrimSuffix(g.servers[in.server].slug, "-"), g.alnumID(10)),
				sat: in.sat, install: ii, team: in.team, started: start}
			g.procs = append(g.procs, p)
			in.procs = append(in.procs, len(g.procs)-1)
			s.procs = append(s.procs, len(g.procs)-1)
			if r == runs-1 && (st == "running" || st == "starting") {
				s.running++
			}
			g.t.satelliteProcesses.add(p.id, s.id, in.id, g.servers[in.server].slug+"-"+t.slug, pid, port, st, health, perf,
				t.id, errMsg, started, stopped, start, end)
			start = end + g.between(minute, day)
			if start >= s.hbTo-hour {
				break
			}
		}
	}
}
