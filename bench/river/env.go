package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/deploystack/stackdb/internal/atlasmig"
	"github.com/deploystack/stackdb/internal/config"
	"github.com/deploystack/stackdb/internal/pgcluster"
	"github.com/deploystack/stackdb/internal/pgwaits"
	"github.com/deploystack/stackdb/schema"
)

// env is the scratch database both sides run on, migrated for both:
// stackdb's schema and River's tables side by side in public.
type env struct {
	url      string    // the scratch database
	admin    *pgx.Conn // resets, settling, the wait sampler
	settings map[string]string
	cleanup  []func()
}

// durable undoes the throwaway cluster's speed settings: with them on, a
// commit returns before its WAL reaches the disk, which is not what a
// queue's throughput is judged by.
var durable = []string{
	"ALTER SYSTEM SET fsync = on",
	"ALTER SYSTEM SET synchronous_commit = on",
	"ALTER SYSTEM SET full_page_writes = on",
	"SELECT pg_reload_conf()",
}

// shownSettings are reported with the results.
var shownSettings = []string{"server_version", "fsync", "synchronous_commit", "full_page_writes", "wal_sync_method",
	"shared_buffers", "max_wal_size", "autovacuum"}

func newEnv(ctx context.Context, o options) (e *env, err error) {
	e = &env{}
	defer func() {
		if err != nil {
			e.close()
		}
	}()
	server := o.url
	if server == "" {
		// On disk, unless told otherwise: on tmpfs an fsync costs nothing.
		if os.Getenv(pgcluster.EnvBaseDir) == "" && !o.keepFsync {
			os.Setenv(pgcluster.EnvBaseDir, os.TempDir())
		}
		c, err := pgcluster.Start(ctx)
		if err != nil {
			return e, err
		}
		e.cleanup = append(e.cleanup, func() { _ = c.Stop() })
		server = c.URL("postgres")
		if !o.keepFsync {
			if err := execAll(ctx, server, durable); err != nil {
				return e, fmt.Errorf("turn durability on: %w", err)
			}
		}
	} else if err := config.CheckURL(server); err != nil {
		return e, err
	}

	var suffix [4]byte
	_, _ = rand.Read(suffix[:])
	name := "stackdb_bench_river_" + hex.EncodeToString(suffix[:])
	if err := execAll(ctx, server, []string{"CREATE DATABASE " + pgx.Identifier{name}.Sanitize()}); err != nil {
		return e, fmt.Errorf("create scratch database: %w", err)
	}
	e.cleanup = append(e.cleanup, func() {
		dctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = execAll(dctx, server, []string{"DROP DATABASE IF EXISTS " + pgx.Identifier{name}.Sanitize() + " WITH (FORCE)"})
	})
	u, err := url.Parse(server)
	if err != nil {
		return e, fmt.Errorf("%s: %w", config.Redact(server), err)
	}
	u.Path = "/" + name
	e.url = u.String()

	dir, err := schema.Dir()
	if err != nil {
		return e, err
	}
	if _, err := atlasmig.Apply(ctx, e.url, dir, atlasmig.ApplyOptions{}); err != nil {
		return e, fmt.Errorf("migrate stackdb: %w", err)
	}
	pool, err := pgxpool.New(ctx, e.url)
	if err != nil {
		return e, err
	}
	defer pool.Close()
	migrator, err := rivermigrate.New(riverpgxv5.New(pool), nil)
	if err != nil {
		return e, err
	}
	if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return e, fmt.Errorf("migrate river: %w", err)
	}

	if e.admin, err = pgx.Connect(ctx, e.url); err != nil {
		return e, err
	}
	e.settings = map[string]string{}
	for _, s := range shownSettings {
		var v string
		if err := e.admin.QueryRow(ctx, "SELECT current_setting($1)", s).Scan(&v); err != nil {
			return e, fmt.Errorf("read setting %s: %w", s, err)
		}
		e.settings[s] = v
	}
	return e, nil
}

func (e *env) close() {
	if e.admin != nil {
		_ = e.admin.Close(context.Background())
	}
	for i := len(e.cleanup) - 1; i >= 0; i-- {
		e.cleanup[i]()
	}
}

func execAll(ctx context.Context, url string, stmts []string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", config.Redact(url), err)
	}
	defer conn.Close(ctx)
	for _, s := range stmts {
		if _, err := conn.Exec(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return nil
}

// settle vacuums and analyzes the freshly filled tables and checkpoints, so
// neither side pays for the other's dead rows or an owed checkpoint.
func (e *env) settle(ctx context.Context) error {
	for _, s := range []string{"VACUUM (ANALYZE) queue_jobs", "VACUUM (ANALYZE) river_job", "CHECKPOINT"} {
		if _, err := e.admin.Exec(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return nil
}

// sampleWaits samples app's backend states (pgwaits) on the admin
// connection, idle while a side works.
func (e *env) sampleWaits(ctx context.Context, app string) (stop func() map[string]float64) {
	return pgwaits.Sample(ctx, e.admin, app, pgwaits.Every)
}

// poolFor opens a side's pool: conns connections, named app so the wait
// sampler tells the sides apart.
func (e *env) poolFor(ctx context.Context, app string, conns int) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(e.url)
	if err != nil {
		return nil, err
	}
	cfg.MaxConns = int32(conns)
	cfg.ConnConfig.RuntimeParams["application_name"] = app
	return pgxpool.NewWithConfig(ctx, cfg)
}

func appName(side string) string { return "bench-river-" + side }

// backendCPU is the CPU time (user + system) the live backends of app have
// used, from /proc: the server must run on this machine.
func (e *env) backendCPU(ctx context.Context, app string) (time.Duration, error) {
	rows, err := e.admin.Query(ctx, "SELECT pid FROM pg_stat_activity WHERE application_name = $1", app)
	if err != nil {
		return 0, err
	}
	pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		return 0, err
	}
	var total time.Duration
	for _, pid := range pids {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			return 0, err
		}
		// The fields after the parenthesised command name; utime and stime
		// are the 14th and 15th of the line, in clock ticks (USER_HZ, 100).
		f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
		if len(f) < 13 {
			return 0, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(f))
		}
		ut, _ := strconv.ParseInt(f[11], 10, 64)
		st, _ := strconv.ParseInt(f[12], 10, 64)
		total += time.Duration(ut+st) * 10 * time.Millisecond
	}
	return total, nil
}

// processCPU is this process's CPU time (user + system).
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
