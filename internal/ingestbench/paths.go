package ingestbench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/deploystack/stackdb/gen/dbsqlc"
)

// The seeded parents every path draws its ids from. Ids are decimal
// strings, so that a pgbench script can draw them with random() and derive
// one from another (a process id is its satellite's id * 10 + 0..4).
const (
	users = 1000
	teams = 100
	// minSatellites; there are at least as many satellites as clients, so
	// that every heartbeat client has a satellite of its own.
	minSatellites    = 100
	processesPerSat  = 5
	maxRandomID      = math.MaxInt64 - 1
	pgbenchRandomID  = "random(1, 9223372036854775806)"
	heartbeatPathKey = "heartbeat"
)

// errDrained is an empty claim: the step ran out of seeded commands or
// jobs, so its figures would be those of an empty queue.
var errDrained = errors.New("queue drained: seed more rows (longer steps need more)")

// A path is one hot write path, driven through the generated queries on
// one side and by pgbench running the same SQL on the other.
type path struct {
	name string
	// sample runs one operation's queries on a recorder, with variable()
	// where the operation draws a value.
	sample func(ctx context.Context, q dbsqlc.Querier)
	// op returns worker w's operation, drawing from r as pgbench does.
	op func(q dbsqlc.Querier, w, satellites int, r *rand.Rand) func(context.Context) error
	// vars are the pgbench \set lines drawing the variables.
	vars func(satellites int) string
	// ends closes each sampled statement: ";" or a \gset.
	ends []string
	// defs are -D definitions the vars need.
	defs map[string]string
	// queue: the path consumes seeded rows (commands, jobs).
	queue string
}

func id(n int) string { return strconv.Itoa(n) }

func randomID(r *rand.Rand) string { return strconv.FormatInt(r.Int64N(maxRandomID)+1, 10) }

func ptr[T any](v T) *T { return &v }

// processJSON is one heartbeat process: its id (the satellite's id * 10 +
// k) and k.
const processJSON = `{"id":"%d","server_name":"server-%d","status":"running","health_status":"healthy",` +
	`"performance_metrics":{"cpu_percent":2.5,"memory_mb":128}}`

// processesJSON is satellite sat's heartbeat "processes": its 5 processes,
// all running and healthy.
func processesJSON(sat string) json.RawMessage {
	n, _ := strconv.Atoi(sat)
	var b strings.Builder
	b.WriteByte('[')
	for k := range processesPerSat {
		if k > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, processJSON, n*10+k, k)
	}
	b.WriteByte(']')
	return json.RawMessage(b.String())
}

// processesQuery is processesJSON(:sid) built by the server, for pgbench,
// which has no string functions: each client runs it once, on its first
// transaction (-D procs_ready=0), and keeps the text in :procs, as each Go
// worker builds its satellite's processes once.
var processesQuery = fmt.Sprintf(`\if :procs_ready = 0
SELECT '[' || string_agg(format('%s', :sid * 10 + k, k), ',' ORDER BY k) || ']' AS procs
FROM generate_series(0, %d) k
\gset
\set procs_ready 1
\endif
`, strings.ReplaceAll(processJSON, "%d", "%s"), processesPerSat-1)

func heartbeatParams(sat string, processes json.RawMessage, hbID string) dbsqlc.SatelliteUpdateHeartbeatParams {
	return dbsqlc.SatelliteUpdateHeartbeatParams{
		SatelliteUrl:  ptr("http://satellite.internal:3001"),
		McpStatus:     json.RawMessage(`{"status":"ok"}`),
		SatelliteID:   sat,
		Processes:     processes,
		ID:            hbID,
		Status:        dbsqlc.HeartbeatStatusActive,
		SystemMetrics: json.RawMessage(`{"cpu_usage_percent":12.5,"memory_usage_mb":512,"disk_usage_percent":40}`),
		ErrorCount:    0,
		UptimeSeconds: ptr(int32(86400)),
		Version:       ptr("1.4.0"),
	}
}

func usageLogParams(logID, sat, user, team, process string, at time.Time) dbsqlc.SatelliteUsageLogInsertParams {
	return dbsqlc.SatelliteUsageLogInsertParams{
		ID: logID, SatelliteID: sat, UserID: &user, TeamID: team, ProcessID: &process,
		RequestMethod: "POST", RequestPath: "/mcp", ToolName: ptr("github-create_issue"),
		DurationMs: ptr(int32(42)), StatusCode: ptr(int32(200)), ErrorMessage: ptr("none"), // pgbench has no NULL
		RequestSizeBytes: ptr(int32(512)), ResponseSizeBytes: ptr(int32(2048)),
		UserAgent: ptr("deploystack-satellite/1.4.0"), IpAddress: ptr("10.0.0.7"), Timestamp: at,
	}
}

func activityParams(user, team, sat string, at time.Time) dbsqlc.McpClientActivityMetricIncrementParams {
	return dbsqlc.McpClientActivityMetricIncrementParams{
		UserID: user, TeamID: team, SatelliteID: sat, AuthIdentifier: user, ActivityAt: at,
		RequestCount: 1, ToolCallCount: 1,
	}
}

var (
	commandResult = json.RawMessage(`{"ok":true}`)
	jobResult     = json.RawMessage(`{"ok":true}`)
)

// paths are the benchmarked write paths, in the order they run.
var paths = []path{
	{
		name: heartbeatPathKey,
		sample: func(ctx context.Context, q dbsqlc.Querier) {
			_, _ = q.SatelliteUpdateHeartbeat(ctx, heartbeatParams(variable("sid"), json.RawMessage(variable("procs")), variable("id")))
		},
		op: func(q dbsqlc.Querier, w, _ int, r *rand.Rand) func(context.Context) error {
			p := heartbeatParams(id(w+1), processesJSON(id(w+1)), "")
			return func(ctx context.Context) error {
				p.ID = randomID(r)
				_, err := q.SatelliteUpdateHeartbeat(ctx, p)
				return err
			}
		},
		// Client c heartbeats satellite c + 1, as worker w does w + 1.
		vars: func(int) string {
			return `\set id ` + pgbenchRandomID + "\n\\set sid :client_id + 1\n" + processesQuery
		},
		defs: map[string]string{"procs_ready": "0"},
		ends: []string{";"},
	},
	{
		name: "usage-log",
		sample: func(ctx context.Context, q dbsqlc.Querier) {
			_, _ = q.SatelliteUsageLogInsert(ctx, usageLogParams(variable("id"), variable("sid"), variable("uid"),
				variable("tid"), variable("pid"), now))
		},
		op: func(q dbsqlc.Querier, _, sats int, r *rand.Rand) func(context.Context) error {
			// The constant fields are set once, as pgbench's -D ones are;
			// each call draws the others.
			p := usageLogParams("", "", "", "", "", time.Time{})
			return func(ctx context.Context) error {
				sat := r.IntN(sats) + 1
				p.ID, p.SatelliteID, p.TeamID, p.Timestamp = randomID(r), id(sat), id(r.IntN(teams)+1), time.Now()
				*p.UserID, *p.ProcessID = id(r.IntN(users)+1), id(sat*10+r.IntN(processesPerSat))
				_, err := q.SatelliteUsageLogInsert(ctx, p)
				return err
			}
		},
		vars: func(sats int) string {
			return fmt.Sprintf("\\set id %s\n\\set sid random(1, %d)\n\\set uid random(1, %d)\n\\set tid random(1, %d)\n"+
				"\\set pid :sid * 10 + random(0, %d)\n", pgbenchRandomID, sats, users, teams, processesPerSat-1)
		},
		ends: []string{";"},
	},
	{
		name: "activity-metric",
		sample: func(ctx context.Context, q dbsqlc.Querier) {
			_, _ = q.McpClientActivityMetricIncrement(ctx, activityParams(variable("uid"), variable("tid"), variable("sid"), now))
		},
		op: func(q dbsqlc.Querier, _, sats int, r *rand.Rand) func(context.Context) error {
			return func(ctx context.Context) error {
				u := r.IntN(users) + 1
				_, err := q.McpClientActivityMetricIncrement(ctx, activityParams(id(u), id(u%teams+1), id(u%sats+1), time.Now()))
				return err
			}
		},
		vars: func(sats int) string {
			return fmt.Sprintf("\\set uid random(1, %d)\n\\set tid :uid %% %d + 1\n\\set sid :uid %% %d + 1\n", users, teams, sats)
		},
		ends: []string{";"},
	},
	{
		name:  "command-poll-ack",
		queue: "satellite_commands",
		sample: func(ctx context.Context, q dbsqlc.Querier) {
			_, _ = q.SatelliteCommandClaim(ctx, dbsqlc.SatelliteCommandClaimParams{SatelliteID: variable("sid"), MaxCommands: 1})
			_, _ = q.SatelliteCommandComplete(ctx, dbsqlc.SatelliteCommandCompleteParams{
				Result: commandResult, ID: variable("c_id"), SatelliteID: variable("sid")})
		},
		op: func(q dbsqlc.Querier, _, sats int, r *rand.Rand) func(context.Context) error {
			return func(ctx context.Context) error {
				sat := id(r.IntN(sats) + 1)
				cmds, err := q.SatelliteCommandClaim(ctx, dbsqlc.SatelliteCommandClaimParams{SatelliteID: sat, MaxCommands: 1})
				if err != nil {
					return err
				}
				if len(cmds) == 0 {
					return errDrained
				}
				_, err = q.SatelliteCommandComplete(ctx, dbsqlc.SatelliteCommandCompleteParams{
					Result: commandResult, ID: cmds[0].ID, SatelliteID: sat})
				return err
			}
		},
		vars: func(sats int) string { return fmt.Sprintf("\\set sid random(1, %d)\n", sats) },
		ends: []string{`\gset c_`, ";"},
	},
	{
		name:  "job-claim-complete",
		queue: "queue_jobs",
		sample: func(ctx context.Context, q dbsqlc.Querier) {
			_, _ = q.JobClaim(ctx, 1)
			_, _ = q.JobComplete(ctx, dbsqlc.JobCompleteParams{Result: jobResult, ID: variable("j_id"), Attempts: attemptsVariable})
		},
		op: func(q dbsqlc.Querier, _, _ int, _ *rand.Rand) func(context.Context) error {
			return func(ctx context.Context) error {
				jobs, err := q.JobClaim(ctx, 1)
				if err != nil {
					return err
				}
				if len(jobs) == 0 {
					return errDrained
				}
				_, err = q.JobComplete(ctx, dbsqlc.JobCompleteParams{Result: jobResult, ID: jobs[0].ID, Attempts: jobs[0].Attempts})
				return err
			}
		},
		vars: func(int) string { return "" },
		ends: []string{`\gset j_`, ";"},
	},
}

// copyPath is bulk usage logs: SatelliteUsageLogInsertMany (COPY through
// pgx) against psql's \copy of the same rows.
const copyPath = "usage-log-copy"

// batchedPath is the heartbeat through the heartbeat ingester
// (internal/ingest: SatelliteUpdateHeartbeatMany, one statement for the
// heartbeats that meet), against the same pgbench baseline as the
// heartbeat run one statement at a time.
const batchedPath = "heartbeat-batched"

// PathNames lists the paths in the order they run.
func PathNames() []string {
	names := make([]string, 0, len(paths)+2)
	for _, p := range paths {
		names = append(names, p.name)
		if p.name == heartbeatPathKey {
			names = append(names, batchedPath)
		}
	}
	return append(names, copyPath)
}
