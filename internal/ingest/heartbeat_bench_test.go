package ingest

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/gen/dbsqlc"
	"github.com/deploystack/stackdb/stackdbtest"
)

// BenchmarkHeartbeat writes heartbeats with 5 processes from 32 goroutines
// (each its own satellite, as the bench's clients), one statement each
// ("alone") and through the ingester, and reports the CPU each heartbeat
// costs the server's backends and this process: on a machine shared with
// other work the rate follows the CPU share each side gets, the CPU per
// heartbeat does not. The server must be local (its backends are read in
// /proc); elsewhere server-µs/hb is 0.
//
//	go test -run '^$' -bench Heartbeat -benchtime 5s ./internal/ingest
func BenchmarkHeartbeat(b *testing.B) {
	const clients = 32
	cfg, err := pgxpool.ParseConfig(stackdbtest.URL(b))
	require.NoError(b, err)
	cfg.MaxConns, cfg.MinConns = clients, clients // a connection per client, as the bench
	pool, err := pgxpool.NewWithConfig(b.Context(), cfg)
	require.NoError(b, err)
	b.Cleanup(pool.Close)
	seed(b, pool)
	for _, sql := range []string{
		`INSERT INTO satellites (id, name, satellite_type, team_id, capabilities, api_key_hash, created_by)
		 SELECT 'c' || g, 'c' || g, 'team', 't1', '[]', 'h', 'u' FROM generate_series(1, $1::int) g`,
		`INSERT INTO satellite_processes (id, satellite_id, server_name, team_id)
		 SELECT 'c' || g || '_p' || k, 'c' || g, 'srv', 't1' FROM generate_series(1, $1::int) g, generate_series(0, 4) k`,
	} {
		_, err := pool.Exec(b.Context(), sql, clients)
		require.NoError(b, err)
	}
	q := dbsqlc.New(pool)
	for _, tc := range []struct {
		name string
		cfg  *Config // nil: alone
	}{
		{name: "alone"},
		{name: "ingester", cfg: &Config{}},
		{name: "ingester/flushers=2", cfg: &Config{Flushers: 2}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			write := func(ctx context.Context, p dbsqlc.SatelliteUpdateHeartbeatParams) error {
				_, err := q.SatelliteUpdateHeartbeat(ctx, p)
				return err
			}
			var h *Heartbeats
			if tc.cfg != nil {
				h, err = NewHeartbeats(q, *tc.cfg)
				require.NoError(b, err)
				write = h.Heartbeat
			}
			for _, sql := range []string{`TRUNCATE satellite_heartbeats`, `VACUUM satellites, satellite_processes`} {
				_, err := pool.Exec(b.Context(), sql)
				require.NoError(b, err)
			}
			var client, ids atomic.Int64
			server := backendsCPU(b, pool)
			self := processCPU()
			b.SetParallelism(max(1, clients/runtime.GOMAXPROCS(0))) // RunParallel's goroutines: clients
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				c := client.Add(1)
				sat := fmt.Sprintf("c%d", (c-1)%clients+1)
				procs := make([]string, 5)
				for i := range procs {
					procs[i] = proc(fmt.Sprintf("%s_p%d", sat, i), "srv", "healthy")
				}
				p := hb(sat, "", procs...)
				for pb.Next() {
					p.ID = strconv.FormatInt(ids.Add(1), 10)
					if err := write(b.Context(), p); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.StopTimer()
			if h != nil {
				h.Close()
				st := h.Stats()
				b.ReportMetric(float64(st.Heartbeats)/float64(st.Statements), "hb/stmt")
			}
			n := float64(b.N)
			b.ReportMetric(float64((backendsCPU(b, pool)-server).Microseconds())/n, "server-µs/hb")
			b.ReportMetric(float64((processCPU()-self).Microseconds())/n, "client-µs/hb")
		})
	}
}

// processCPU is this process's CPU time, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// backendsCPU is the CPU time the database's backends (and the WAL writer)
// have used, from /proc: 0 for a server elsewhere.
func backendsCPU(tb testing.TB, db interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}) time.Duration {
	rows, err := db.Query(tb.Context(), `SELECT pid FROM pg_stat_activity
		WHERE datname = current_database() OR backend_type = 'walwriter'`)
	require.NoError(tb, err)
	pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	require.NoError(tb, err)
	var total time.Duration
	for _, pid := range pids {
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		// Fields after the command's closing parenthesis: utime and stime
		// are the 12th and 13th, in clock ticks (100 a second on Linux).
		s := string(stat)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(f) < 13 {
			continue
		}
		utime, _ := strconv.ParseInt(f[11], 10, 64)
		stime, _ := strconv.ParseInt(f[12], 10, 64)
		total += time.Duration(utime+stime) * 10 * time.Millisecond
	}
	return total
}
