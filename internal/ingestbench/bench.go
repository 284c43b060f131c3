// Package ingestbench measures DeployStack's satellite write paths through
// the generated queries against pgbench (and psql's \copy) running the same
// SQL on the same database in the same run, so that the result is a ratio
// to what Postgres itself sustains on the machine rather than a raw figure
// that only means something on the machine it came from.
//
// Each path runs for a fixed time per client count, stackdb and the
// baseline alternating, on a scratch database it creates (and drops) on
// the server it is given, or on a throwaway cluster.
package ingestbench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/deploystack/stackdb/gen/dbsqlc"
	"github.com/deploystack/stackdb/internal/atlasmig"
	"github.com/deploystack/stackdb/internal/config"
	"github.com/deploystack/stackdb/internal/pgcluster"
	"github.com/deploystack/stackdb/schema"
)

// DB is what the queries run on; a *pgxpool.Pool is one.
type DB interface {
	dbsqlc.DBTX
	CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, src pgx.CopyFromSource) (int64, error)
}

// Config says what to run.
type Config struct {
	// URL is a server to run on: the benchmark creates a scratch database
	// there and drops it afterwards, and never writes to URL's database.
	// Empty: a throwaway cluster.
	URL string
	// Clients are the numbers of concurrent clients, one step each.
	Clients []int
	// Duration of each step, whole seconds (pgbench -T).
	Duration time.Duration
	// Paths to run (PathNames); empty: all.
	Paths []string
	// CopyRows is the number of rows each COPY step loads per side.
	CopyRows int
	// Pgbench and Psql are the baselines' binaries.
	Pgbench, Psql string
	// Queries makes the query package on a pool: stackdb.New, so that the
	// benchmark measures what applications run. Nil: dbsqlc.New.
	Queries func(DB) dbsqlc.Querier
	// Progress receives a line per step; nil discards them.
	Progress io.Writer
	// PgBouncer runs both sides through a transaction-mode PgBouncer
	// (internal/pgbouncer) started in front of the scratch database, with
	// unnamed statements on both sides (see directPgbenchMode); seeding
	// and resets stay direct. pgbouncer must be installed.
	PgBouncer bool
	// PgBouncerPoolSize is the pooler's server connections (its
	// default_pool_size); 0: DefaultPgBouncerPoolSize.
	PgBouncerPoolSize int
}

// Report is a run's results.
type Report struct {
	Started         time.Time `json:"started"`
	Server          string    `json:"server"`
	PgBouncer       string    `json:"pgbouncer,omitempty"` // the pooler both sides ran through, if any
	StepSeconds     int       `json:"step_seconds"`
	Clients         []int     `json:"clients"`
	CopyRowsPerStep int       `json:"copy_rows_per_step"`
	Results         []Result  `json:"results"`
}

// Result is one path at one client count, both sides.
type Result struct {
	Path     string `json:"path"`
	Clients  int    `json:"clients"`
	Unit     string `json:"unit"`     // "tx/s" (one operation) or "rows/s"
	Baseline string `json:"baseline"` // "pgbench" or "psql \copy"
	Stackdb  Side   `json:"stackdb"`
	Base     Side   `json:"base"`
	// Ratio is Stackdb.Rate / Base.Rate (0 when either failed).
	Ratio float64 `json:"ratio"`
}

// Side is one side's figures for a step.
type Side struct {
	Rate  float64 `json:"rate"`
	Ops   int64   `json:"ops"`
	P50Ms float64 `json:"p50_ms"`
	P99Ms float64 `json:"p99_ms"`
	// ClientCPUus is the client's CPU time (user + system) per operation
	// (or row) in microseconds: this process for stackdb, less the share
	// its CPU profile gives the wait sampler, pgbench's or psql's
	// processes for the baseline.
	ClientCPUus float64 `json:"client_cpu_us"`
	// Waits are the shares of sampled backend states (see waitsQuery).
	Waits map[string]float64 `json:"waits,omitempty"`
	// Profile is where the client's time went (stackdb side only), kept
	// when the step stays below the baseline.
	Profile *ClientProfile `json:"profile,omitempty"`
	Error   string         `json:"error,omitempty"`
}

// Run runs the benchmark. On an error after the first step it returns the
// report of the steps done so far with the error.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	server := cfg.URL
	if server == "" {
		c, err := pgcluster.Start(ctx)
		if err != nil {
			return nil, fmt.Errorf("bench: %w", err)
		}
		defer func() { _ = c.Stop() }()
		server = c.URL("postgres")
	}
	env, drop, err := newScratch(ctx, server, cfg)
	if err != nil {
		return nil, err
	}
	defer drop()

	rep := &Report{Started: time.Now().UTC(), StepSeconds: env.secs, Clients: cfg.Clients, CopyRowsPerStep: cfg.CopyRows}
	if cfg.PgBouncer {
		var stop func()
		if rep.PgBouncer, stop, err = env.behindPgBouncer(ctx, server); err != nil {
			return nil, err
		}
		defer stop()
	}
	if err := env.admin.QueryRow(ctx, "SHOW server_version").Scan(&rep.Server); err != nil {
		return nil, fmt.Errorf("bench: server version: %w", err)
	}
	for _, name := range PathNames() {
		if len(cfg.Paths) > 0 && !slices.Contains(cfg.Paths, name) {
			continue
		}
		best := 0.0 // the path's best rate yet, to size the queue seeds
		for i, n := range cfg.Clients {
			res := Result{Path: name, Clients: n, Unit: "tx/s", Baseline: "pgbench"}
			switch name {
			case copyPath:
				res.Unit, res.Baseline = "rows/s", `psql \copy`
			case batchedPath:
				res.Baseline = "pgbench (one at a time)"
			}
			sides := []func() (Side, error){
				func() (Side, error) { return env.stackdbStep(ctx, name, n, best) },
				func() (Side, error) { return env.baseStep(ctx, name, n, best) },
			}
			if i%2 == 1 { // alternate which side goes first
				sides[0], sides[1] = sides[1], sides[0]
			}
			var out [2]Side
			for k, run := range sides {
				s, err := run()
				if err != nil {
					return rep, err
				}
				out[k] = s
			}
			if i%2 == 1 {
				out[0], out[1] = out[1], out[0]
			}
			res.Stackdb, res.Base = out[0], out[1]
			if res.Stackdb.Error == "" && res.Base.Error == "" && res.Base.Rate > 0 {
				res.Ratio = res.Stackdb.Rate / res.Base.Rate
			}
			if res.Ratio >= 1 {
				res.Stackdb.Profile = nil
			}
			best = max(best, res.Stackdb.Rate, res.Base.Rate)
			rep.Results = append(rep.Results, res)
			if cfg.Progress != nil {
				fmt.Fprintf(cfg.Progress, "%-20s %3d clients: stackdb %9.0f %s, %s %9.0f (%.2fx)\n",
					name, n, res.Stackdb.Rate, res.Unit, res.Baseline, res.Base.Rate, res.Ratio)
			}
		}
	}
	return rep, nil
}

func (cfg *Config) check() error {
	if len(cfg.Clients) == 0 {
		return fmt.Errorf("bench: no client counts")
	}
	for _, n := range cfg.Clients {
		if n < 1 || n > 256 {
			return fmt.Errorf("bench: %d clients: want 1 to 256", n)
		}
	}
	if cfg.Duration < time.Second || cfg.Duration%time.Second != 0 {
		return fmt.Errorf("bench: step duration %s: want whole seconds, at least 1s (pgbench -T)", cfg.Duration)
	}
	for _, p := range cfg.Paths {
		if !slices.Contains(PathNames(), p) {
			return fmt.Errorf("bench: unknown path %q (paths: %v)", p, PathNames())
		}
	}
	if cfg.PgBouncerPoolSize < 0 || (cfg.PgBouncerPoolSize > 0 && !cfg.PgBouncer) {
		return fmt.Errorf("bench: pgbouncer pool size %d: want at least 1, and only with pgbouncer", cfg.PgBouncerPoolSize)
	}
	if cfg.CopyRows < 1 {
		return fmt.Errorf("bench: %d copy rows: want at least 1", cfg.CopyRows)
	}
	if cfg.Pgbench == "" {
		cfg.Pgbench = "pgbench"
	}
	if cfg.Psql == "" {
		cfg.Psql = "psql"
	}
	if cfg.Queries == nil {
		cfg.Queries = func(db DB) dbsqlc.Querier { return dbsqlc.New(db) }
	}
	return nil
}

// scratch is the benchmark's own database and how each side reaches it.
type scratch struct {
	cfg        Config
	name       string // the scratch database
	secs       int
	satellites int
	admin      *pgx.Conn // on the scratch database: seeding and resets
	pgxURL     string    // for the pool, without pool settings
	libpqURL   string    // for pgbench and psql: without the password
	// pgbenchMode is pgbench's -M: directPgbenchMode, or pooledPgbenchMode
	// through PgBouncer.
	pgbenchMode string
	password    string // PGPASSWORD for pgbench and psql
}

// newScratch creates and migrates a database of its own on the server
// and seeds the parents; drop removes it.
func newScratch(ctx context.Context, server string, cfg Config) (*scratch, func(), error) {
	if err := config.CheckURL(server); err != nil {
		return nil, nil, fmt.Errorf("bench: %w", err)
	}
	u, err := url.Parse(server)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil, nil, fmt.Errorf("bench: %s: want a postgres:// URL", config.Redact(server))
	}
	var suffix [4]byte
	_, _ = rand.Read(suffix[:])
	name := "stackdb_bench_" + hex.EncodeToString(suffix[:])

	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		return nil, nil, fmt.Errorf("bench: connect to %s: %w", config.Redact(server), err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return nil, nil, fmt.Errorf("bench: create scratch database %s: %w", name, err)
	}
	drop := func() {
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if c, err := pgx.Connect(dctx, server); err == nil {
			_, _ = c.Exec(dctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
			_ = c.Close(dctx)
		}
	}
	s := &scratch{cfg: cfg, name: name, pgbenchMode: directPgbenchMode, secs: int(cfg.Duration / time.Second), satellites: max(minSatellites, slices.Max(cfg.Clients))}
	u.Path = "/" + name
	s.pgxURL = u.String()
	if pw, ok := u.User.Password(); ok {
		s.password = pw
		u.User = url.User(u.User.Username())
	}
	s.libpqURL = u.String()
	fail := func(err error) (*scratch, func(), error) {
		if s.admin != nil {
			_ = s.admin.Close(ctx)
		}
		drop()
		return nil, nil, err
	}
	dir, err := schema.Dir()
	if err != nil {
		return fail(fmt.Errorf("bench: %w", err))
	}
	if _, err := atlasmig.Apply(ctx, s.pgxURL, dir, atlasmig.ApplyOptions{}); err != nil {
		return fail(fmt.Errorf("bench: %w", err))
	}
	if s.admin, err = pgx.Connect(ctx, s.pgxURL); err != nil {
		return fail(fmt.Errorf("bench: connect to scratch database: %w", err))
	}
	if err := s.seed(ctx); err != nil {
		return fail(err)
	}
	return s, func() { _ = s.admin.Close(ctx); drop() }, nil
}

// seed inserts the parents: a role, users, teams (owned by the first
// users), active team satellites and their processes.
func (s *scratch) seed(ctx context.Context) error {
	stmts := []string{
		`INSERT INTO roles (id, name, permissions) VALUES ('bench', 'bench', '["teams.read"]')`,
		`INSERT INTO users (id, username, email, auth_type, role_id)
		 SELECT g::text, 'user' || g, 'user' || g || '@example.com', 'email_signup', 'bench'
		 FROM generate_series(1, ` + strconv.Itoa(users) + `) g`,
		`INSERT INTO teams (id, name, slug, owner_id)
		 SELECT g::text, 'team' || g, 'team' || g, g::text FROM generate_series(1, ` + strconv.Itoa(teams) + `) g`,
		`INSERT INTO satellites (id, name, satellite_type, team_id, status, capabilities, api_key_hash, created_by)
		 SELECT g::text, 'satellite' || g, 'team', ((g - 1) % ` + strconv.Itoa(teams) + ` + 1)::text, 'active', '[]',
		        'argon2-hash', '1'
		 FROM generate_series(1, ` + strconv.Itoa(s.satellites) + `) g`,
		`INSERT INTO satellite_processes (id, satellite_id, server_name, team_id, status, health_status)
		 SELECT (s * 10 + k)::text, s::text, 'server-' || k, ((s - 1) % ` + strconv.Itoa(teams) + ` + 1)::text,
		        'running', 'healthy'
		 FROM generate_series(1, ` + strconv.Itoa(s.satellites) + `) s, generate_series(0, ` + strconv.Itoa(processesPerSat-1) + `) k`,
		`ANALYZE`,
	}
	for _, q := range stmts {
		if _, err := s.admin.Exec(ctx, q); err != nil {
			return fmt.Errorf("bench: seed: %w", err)
		}
	}
	return nil
}

// reset gives every step the same start: the appended tables empty, the
// updated ones vacuumed (the throwaway cluster runs no autovacuum), and
// the queue of a claiming path filled with enough rows for the step.
func (s *scratch) reset(ctx context.Context, p *path, best float64) error {
	stmts := []string{
		`TRUNCATE satellite_heartbeats, satellite_usage_logs, mcp_client_activity_metrics, satellite_commands, queue_jobs`,
		`VACUUM (ANALYZE) satellites, satellite_processes`,
	}
	if p != nil && p.queue != "" {
		// Three times the best rate seen on this path, at least 20k/s the
		// first time: a claim that finds the queue empty spoils the step.
		n := int(max(3*best, 20000) * float64(s.secs))
		switch p.queue {
		case "satellite_commands":
			stmts = append(stmts, fmt.Sprintf(`INSERT INTO satellite_commands (id, satellite_id, command_type, priority, payload)
				SELECT g::text, (g %% %d + 1)::text, 'configure', 'normal', '{}' FROM generate_series(1, %d) g`, s.satellites, n))
		case "queue_jobs":
			stmts = append(stmts, fmt.Sprintf(`INSERT INTO queue_jobs (id, type, payload, max_attempts, scheduled_for)
				SELECT g::text, 'noop', '{}', 3, now() - interval '1 minute' FROM generate_series(1, %d) g`, n))
		}
		stmts = append(stmts, "VACUUM (ANALYZE) "+p.queue)
	}
	for _, q := range stmts {
		if _, err := s.admin.Exec(ctx, q); err != nil {
			return fmt.Errorf("bench: reset: %w", err)
		}
	}
	return nil
}

func findPath(name string) *path {
	if name == batchedPath {
		name = heartbeatPathKey
	}
	for i := range paths {
		if paths[i].name == name {
			return &paths[i]
		}
	}
	return nil
}
