package legacygen

import (
	"fmt"
	"iter"
	"math"
	"slices"
	"strconv"
	"strings"
)

// The time-series tables: heartbeats, usage logs, client activity and its
// metrics, satellite commands, and the job queue. They hold most rows.

var execErrors = []string{
	"Tool execution timed out after 30000ms",
	"connect ECONNREFUSED 127.0.0.1:5432",
	"Rate limit exceeded (HTTP 429). Retry after 60s.",
	"Invalid arguments: 'path' must be a string",
	"Permission denied: /etc/shadow",
	"GitHub API error: 404 Not Found — https://api.github.com/repos/acme/private-repo",
	"MCP error -32602: Invalid params",
	"MCP error -32603: Internal error\n    at Server.handleRequest (/app/node_modules/@modelcontextprotocol/sdk/dist/server/index.js:213:15)\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
	"Fehler: Zeitüberschreitung beim Verbinden mit dem Server",
	"認証に失敗しました (401 Unauthorized)",
	"Satellite lost connection to process (exit code 137)",
}

var userAgents = []string{
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:126.0) Gecko/20100101 Firefox/126.0",
	"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
	"DeployStack-Gateway/1.4.2 (darwin; arm64)",
	"DeployStack-Gateway/1.2.0 (linux; x64) node/20.11.1",
	"curl/8.4.0",
	"python-requests/2.31.0",
}

func (g *gen) base36(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alnum[g.r.IntN(36)]
	}
	return string(b)
}

func (g *gen) genHeartbeats(n int64) {
	var live []int
	for i, s := range g.sats {
		if s.hbTo > 0 {
			live = append(live, i)
		}
	}
	status := newSet([]string{"active", "degraded", "error"}, 95, 4, 1)
	// The cleanup worker keeps the newest N per satellite, so every
	// satellite that reports holds about as many rows as the others.
	per := n / int64(len(live))
	extra := n - per*int64(len(live))
	for k, i := range live {
		s := g.sats[i]
		c := max(per, 1) // the newest heartbeat is satellites.last_heartbeat
		if int64(k) < extra {
			c++
		}
		step := max(1, min(30, (s.hbTo-s.hbFrom)/max(c, 1)))
		boot := s.hbTo - int64(c)*step - g.r.Int64N(10*day)
		boot = max(boot, s.created)
		procs := int64(s.running)
		for j := range c {
			at := s.hbTo - (c-1-j)*step
			if g.chance(0.001) {
				boot = at - g.r.Int64N(step+1) // a restart
			}
			st := g.value(status)
			healthy := procs
			var errs int64
			if st != "active" {
				healthy = g.r.Int64N(procs + 1)
				errs = 1 + g.r.Int64N(5)
			}
			up := at - boot
			m := g.done(g.obj().float("cpu_usage_percent", round1(g.r.Float64()*100)).
				num("memory_usage_mb", int64(200+g.r.IntN(4000))).
				float("disk_usage_percent", round1(20+g.r.Float64()*70)).
				num("uptime_seconds", up).
				num("network_rx_bytes", up*int64(1000+g.r.IntN(4000))).
				num("network_tx_bytes", up*int64(500+g.r.IntN(2000))))
			var version any = versionAt(at)
			if g.chance(0.02) {
				version = nil
			}
			id := "hb_" + strconv.FormatInt(at*1000+g.r.Int64N(1000), 10) + "_" + g.base36(9)
			// response_time_ms: the backend always writes NULL ("calculated by
			// backend if needed", never done).
			g.t.satelliteHeartbeats.add(id, s.id, st, m, procs, healthy, errs, nil, up, version, at)
		}
	}
}

// weighted returns the cumulative weights of the installations.
func (g *gen) weighted() []float64 {
	cum := make([]float64, len(g.installs))
	var c float64
	for i, in := range g.installs {
		c += in.weight
		cum[i] = c
	}
	return cum
}

// installAt picks an installation available at t by weight; k is the
// number of installations available by then (installs are sorted by avail).
func (g *gen) installAt(cum []float64, k int) *install {
	k = max(k, 1)
	j, _ := slices.BinarySearch(cum[:k], g.r.Float64()*cum[k-1])
	return g.installs[min(j, k-1)]
}

// installsOverTime yields n times, growing denser like the usage logs,
// each with an installation available then, picked by weight.
func (g *gen) installsOverTime(n int64) iter.Seq2[*install, int64] {
	return func(yield func(*install, int64) bool) {
		cum := g.weighted()
		from, to := g.installs[0].avail, winEnd-minute
		k := 0
		for i := range n {
			at := int64(g.growth(i, n, from, to))
			for k < len(g.installs) && g.installs[k].avail <= at {
				k++
			}
			if !yield(g.installAt(cum, k), at) {
				return
			}
		}
	}
}

func (g *gen) genUsageLogs(n int64) {
	for in, at := range g.installsOverTime(n) {
		t := g.teams[in.team]
		s := g.servers[in.server]
		var userID, procID, tool, errMsg any
		if g.chance(0.3) { // the tool-executed event did not carry the user at first
			userID = g.users[g.member(t, at)].id
		}
		if len(in.procs) > 0 && g.chance(0.4) {
			procID = g.procs[in.procs[g.r.IntN(len(in.procs))]].id
		}
		method, path := "POST", "/mcp"
		status := int64(200)
		var dur int64
		if g.chance(0.9) {
			name := pick(g, s.base.tools)
			tool, path = name, "/mcp/tool/"+name
			dur = int64(math.Exp(5 + g.r.NormFloat64()*1.1))
			if g.chance(0.05) {
				e := pick(g, execErrors)
				errMsg, status = e, 500
				if strings.Contains(e, "timed out") {
					dur = 30000 + g.r.Int64N(50)
				}
			}
		} else {
			method = pick(g, []string{"GET", "POST", "DELETE"})
			dur = int64(math.Exp(2 + g.r.NormFloat64()))
			if g.chance(0.1) {
				status = pick(g, []int64{401, 404, 429})
			}
		}
		g.t.satelliteUsageLogs.add(g.nanoid(), g.sats[in.sat].id, userID, t.id, procID, method, path, tool, min(dur, 600_000),
			status, errMsg, g.orNil(0.1, int64(80+g.r.IntN(4000))), g.orNil(0.1, int64(100+g.r.IntN(200_000))),
			g.orNil(0.2, pick(g, userAgents)), g.orNil(0.2, g.ipv4()), at, datePartition(at))
	}
}

// genActivity writes about nAct mcpClientActivity rows, one per (user,
// team, satellite, auth identifier), and about nMetrics
// mcpClientActivityMetrics rows: their requests in 15-minute buckets and,
// summed, in 1-hour buckets.
func (g *gen) genActivity(nAct, nMetrics int64) {
	cum := g.weighted()
	seen := map[string]bool{}
	authType := newSet([]string{"oauth", "api_key"}, 80, 20)
	var total float64
	for tries := int64(0); int64(len(g.activity)) < nAct && tries < 4*nAct; tries++ {
		in := g.installAt(cum, len(g.installs))
		t := g.teams[in.team]
		a := &activityKey{team: in.team, sat: in.sat, client: -1}
		a.first = g.between(in.avail, winEnd-hour)
		a.user = g.member(t, a.first)
		u := g.users[a.user]
		if g.value(authType) == "oauth" {
			a.client = g.r.IntN(len(g.clients))
			a.authIdentifier = g.clients[a.client].clientID
			a.first = max(a.first, g.clients[a.client].created)
		} else {
			if u.apiKey == "" {
				u.apiKey = "ak_" + g.alnumID(24)
			}
			a.authIdentifier = u.apiKey
		}
		key := fmt.Sprint(a.user, "/", a.team, "/", a.sat, "/", a.authIdentifier)
		if seen[key] || a.first >= winEnd-hour {
			continue
		}
		seen[key] = true
		a.last = g.between(a.first+minute, winEnd-1)
		a.weight = in.weight * float64(a.last-a.first)
		total += a.weight
		g.activity = append(g.activity, a)
	}
	const q, h = 15 * minute, hour
	for _, a := range g.activity {
		u, t, s := g.users[a.user], g.teams[a.team], g.sats[a.sat]
		// About two thirds of the rows are 15-minute buckets; the 1-hour rows
		// sum them.
		c := int64(float64(nMetrics) * 0.46 * a.weight / total)
		b0, b1 := a.first/q, a.last/q
		c = max(1, min(c, b1-b0+1))
		gap := max(1, (b1-b0+1)/c)
		hourBucket, hReq, hTools := int64(-1), int64(0), int64(0)
		flush := func() {
			if hourBucket >= 0 {
				g.t.mcpClientActivityMetrics.add(g.uuid(), u.id, t.id, s.id, a.authIdentifier, hourBucket, "1h", hReq, hTools, int64(1), hourBucket+g.r.Int64N(h))
			}
		}
		for b := b0; b <= b1 && c > 0; b += 1 + g.r.Int64N(2*gap-1+1) {
			c--
			req := int64(1 + math.Exp(g.r.NormFloat64()+1.5))
			tools := g.r.Int64N(req + 1)
			ts := b * q
			if ts/h*h != hourBucket {
				flush()
				hourBucket, hReq, hTools = ts/h*h, 0, 0
			}
			hReq += req
			hTools += tools
			a.requests += req
			a.tools += tools
			g.t.mcpClientActivityMetrics.add(g.uuid(), u.id, t.id, s.id, a.authIdentifier, ts, "15m", req, tools, int64(1), ts+g.r.Int64N(q))
		}
		flush()
		var typ string
		var oauthClient, apiKey, name, ua any
		if a.client >= 0 {
			cl := g.clients[a.client]
			typ, oauthClient, name, ua = "oauth", cl.clientID, cl.name, cl.userAgent
		} else {
			typ, apiKey, ua = "api_key", a.authIdentifier, pick(g, userAgents)
		}
		g.t.mcpClientActivity.add(g.uuid(), u.id, t.id, s.id, typ, oauthClient, apiKey, a.authIdentifier, name,
			g.orNil(0.05, ua), g.orNil(0.1, g.ipv4()), g.orNil(0.3, g.uuid()), a.first, a.last, a.requests, a.tools, a.first, a.last)
	}
}

func (g *gen) genCommands(n int64) {
	cum := g.weighted()
	typ := newSet([]string{"spawn", "kill", "restart", "configure", "health_check"}, 20, 10, 10, 45, 15)
	prio := newSet([]string{"immediate", "high", "normal", "low"}, 5, 25, 60, 10)
	// Commands still open at the end of the file; all others finished.
	open := newSet([]string{"pending", "acknowledged", "executing"}, 60, 20, 20)
	done := newSet([]string{"completed", "failed"}, 95, 5)
	from, to := g.installs[0].avail, winEnd-minute
	k := 0
	openFrom := n - max(5, n/500)
	for i := range n {
		at := int64(g.growth(i, n, from, to))
		for k < len(g.installs) && g.installs[k].avail <= at {
			k++
		}
		in := g.installAt(cum, k)
		t := g.teams[in.team]
		s := g.servers[in.server]
		ct := g.value(typ)
		o := g.obj().str("installation_id", in.id).str("team_id", t.id).str("server_slug", s.slug)
		switch ct {
		case "spawn", "restart":
			o.str("transport", s.transport).raw("config", g.done(g.obj().str("command", "npx").raw("args", jsonStrings([]string{"-y", "@modelcontextprotocol/server-" + s.slug}))))
		case "kill":
			if len(in.procs) > 0 {
				o.str("process_id", g.procs[in.procs[0]].id)
			}
			o.str("reason", pick(g, []string{"installation_deleted", "user_request", "idle_timeout"}))
		case "configure":
			o.str("event", pick(g, []string{"mcp_installation_created", "mcp_installation_updated", "mcp_installation_deleted", "mcp_recovery"}))
		case "health_check":
			o.str("check_type", pick(g, []string{"credential_validation", "connectivity"}))
		}
		payload := g.done(o)
		st := g.value(done)
		if i >= openFrom {
			st = g.value(open)
		}
		var errMsg, result, createdBy any
		retries := int64(0)
		switch st {
		case "completed":
			result = g.done(g.obj().bool("success", true).str("message", ct+" completed").num("duration_ms", int64(50+g.r.IntN(8000))))
		case "failed":
			retries = 3
			e := pick(g, crashMessages)
			errMsg = e
			result = g.done(g.obj().bool("success", false).str("error", e))
		}
		if ct != "configure" || g.chance(0.3) {
			createdBy = g.users[g.member(t, at)].id
		}
		var target any = t.id
		if ct == "configure" && g.chance(0.1) {
			target = nil // a global configuration change
		}
		upd := at
		if st != "pending" {
			upd = at + g.r.Int64N(30)
		}
		g.t.satelliteCommands.add(g.uuid(), g.sats[in.sat].id, ct, g.value(prio), payload, st, target,
			g.orNil(0.3, g.uuid()), retries, int64(3), errMsg, result, createdBy, at, upd)
	}
}

var jobTypes = []string{"send_email", "sync_official_registry_server", "github_sync_server", "cleanup_satellite_heartbeats",
	"mcp_client_activity_metrics_cleanup", "cleanup_mcp_server_logs", "process_mcp_installation_auto_install"}

func (g *gen) jobPayload(typ string, at int64) string {
	o := g.obj()
	switch typ {
	case "send_email":
		u := g.users[g.userBefore(at)]
		o.str("to", u.email).str("subject", pick(g, []string{"Verify your email", "Password reset", "You were added to a team", "Willkommen bei DeployStack 👋"})).
			str("template", pick(g, []string{"email-verification", "password-reset", "team-invite", "welcome"})).
			raw("variables", g.done(g.obj().str("userName", u.username).str("link", "https://cloud.deploystack.io/verify?token="+g.alnumID(32))))
	case "sync_official_registry_server", "github_sync_server":
		s := pick(g, g.servers)
		o.str("serverId", s.id).str("serverName", s.name).str("repositoryUrl", "https://github.com/"+s.base.repo)
	case "process_mcp_installation_auto_install":
		o.str("userId", g.users[g.userBefore(at)].id)
	default:
		o.num("limit", int64(pick(g, []int{100, 1000, 10000}))).str("triggeredBy", "cron")
	}
	return g.done(o)
}

func (g *gen) genJobs(n int64) {
	batchStatus := newSet([]string{"pending", "processing", "completed", "failed"}, 5, 5, 80, 10)
	// done is the status of a job that finished.
	done := newSet([]string{"completed", "failed"}, 97, 3)
	from, to := winStart+30*day, winEnd-10*minute
	batches := 0
	for i := int64(0); i < n; {
		at := int64(g.growth(i, n, from, to))
		// Every batch status appears, even among few jobs.
		if few := batches < len(batchStatus.vals) && i >= int64(batches)*n/8; (few || g.chance(0.02)) && n-i > 3 {
			// A batch: a registry sync of many servers at once.
			batches++
			bs := g.value(batchStatus)
			size := min((n-i)/2, int64(5+g.r.IntN(60)))
			if few {
				size = min(n-i, int64(2+g.r.IntN(5)))
			}
			if bs == "pending" || bs == "processing" {
				at = winEnd - g.between(minute, 10*minute) // still running when the file was copied
			}
			id := g.nanoid()
			var completed, failed int64
			var end int64
			for j := range size {
				typ := "sync_official_registry_server"
				st := "completed"
				switch bs {
				case "pending":
					st = "pending"
				case "processing":
					st = []string{"completed", "processing", "pending"}[min(j*3/size, 2)]
				case "failed":
					if j == 0 || g.chance(0.1) {
						st = "failed"
					}
				}
				e := g.writeJob(typ, st, at+j, id)
				end = max(end, e)
				switch st {
				case "completed":
					completed++
				case "failed":
					failed++
				}
			}
			var completedAt any
			if bs == "completed" || bs == "failed" {
				completedAt = end
			}
			g.t.queueJobBatches.add(id, "official_registry_sync", size, completed, failed, bs,
				g.orNil(0.2, g.done(g.obj().str("source", "official_registry").num("servers", size).str("triggeredBy", pick(g, []string{"cron", "admin"})))),
				at, completedAt)
			i += size
			continue
		}
		typ := pick(g, jobTypes)
		st := g.value(done)
		if at > winEnd-15*minute {
			st = pick(g, []string{"pending", "processing", "completed"})
		}
		g.writeJob(typ, st, at, nil)
		i++
	}
}

// writeJob writes one job created at at and returns when it ended.
func (g *gen) writeJob(typ, st string, at int64, batch any) int64 {
	attempts, maxAttempts := int64(1), int64(3)
	sched, upd := at, at
	var completed, errMsg any
	switch st {
	case "pending":
		attempts = 0
		if g.chance(0.3) { // waiting for a retry: 2^attempts seconds later
			attempts = 1 + g.r.Int64N(2)
			errMsg = pick(g, execErrors)
			sched = at + 1<<attempts
			upd = at + 1
		}
	case "processing":
		upd = at + 1 + g.r.Int64N(5)
	case "completed":
		if g.chance(0.05) {
			attempts = 2
		}
		upd = at + 1 + g.r.Int64N(120)
		completed = upd
	case "failed":
		attempts = maxAttempts
		errMsg = pick(g, execErrors)
		upd = at + 2 + 4 + 8 + g.r.Int64N(60)
		completed = upd
	}
	g.t.queueJobs.add(g.nanoid(), typ, g.jobPayload(typ, at), st, sched, attempts, maxAttempts, errMsg, batch, at, upd, completed)
	return upd
}
