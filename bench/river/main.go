// Command river measures stackdb's job queue against River
// (riverqueue/river) on the same database in the same run: each side is
// given the same number of pre-filled no-op jobs and the same concurrency
// (workers, fetch cooldown and poll interval, pool size), and the time until
// its last job's completion is committed gives its jobs/s. The sides
// alternate, the order swapped every round.
//
// It is a module of its own so that River never enters stackdb's go.mod.
//
//	go run . --jobs 200000 --rounds 2 [--url postgres://...] [--json out.json]
//
// Without --url it starts a throwaway cluster (internal/pgcluster) on disk
// and turns durability back on (fsync, synchronous_commit,
// full_page_writes), so that every commit waits for its WAL flush as on a
// real server. With --url it creates a scratch database there, drops it at
// the end and leaves the server's settings alone; the report says what they
// were.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/pprof"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// options are the command line.
type options struct {
	url       string
	jobs      int
	rounds    int
	workers   int
	cooldown  time.Duration
	poll      time.Duration
	conns     int
	timeout   time.Duration
	sides     string
	jsonOut   string
	keepFsync bool // with the throwaway cluster: leave its fsync off
	cpuProf   string
}

func main() {
	var o options
	flag.StringVar(&o.url, "url", "", "server to run on (a scratch database is created and dropped); empty: a throwaway cluster with fsync on")
	flag.IntVar(&o.jobs, "jobs", 200_000, "no-op jobs each side works per round")
	flag.IntVar(&o.rounds, "rounds", 2, "rounds; each runs both sides, the order swapped every round")
	flag.IntVar(&o.workers, "workers", 1000, "jobs worked at once (River: QueueConfig.MaxWorkers; stackdb: MaxWorkers)")
	flag.DurationVar(&o.cooldown, "cooldown", time.Millisecond, "fetch cooldown, both sides")
	flag.DurationVar(&o.poll, "poll", 20*time.Millisecond, "fetch poll interval, both sides")
	flag.IntVar(&o.conns, "conns", 10, "pool size (max connections) of each side")
	flag.DurationVar(&o.timeout, "timeout", 5*time.Minute, "longest a side may take to work its jobs")
	flag.StringVar(&o.sides, "sides", "river,stackdb", "sides to run, comma-separated")
	flag.StringVar(&o.jsonOut, "json", "", "write the report as JSON to this file")
	flag.BoolVar(&o.keepFsync, "fsync-off", false, "throwaway cluster only: keep its fsync=off settings (for quick runs)")
	flag.StringVar(&o.cpuProf, "cpuprofile", "", "write this process's CPU profile to this file")
	flag.Parse()
	if o.cpuProf != "" {
		f, err := os.Create(o.cpuProf)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench-river:", err)
			os.Exit(1)
		}
		_ = pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, o, os.Stdout); err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "bench-river:", err)
		os.Exit(1)
	}
}

// Report is a run's results.
type Report struct {
	Started  time.Time         `json:"started"`
	Server   map[string]string `json:"server"` // version and durability settings
	Jobs     int               `json:"jobs"`
	Workers  int               `json:"workers"`
	Cooldown string            `json:"fetch_cooldown"`
	Poll     string            `json:"fetch_poll_interval"`
	Conns    int               `json:"pool_conns"`
	Results  []Result          `json:"results"`
	// Ratio is stackdb's jobs/s over River's, both summed over the rounds
	// (0 unless both ran).
	Ratio float64 `json:"ratio"`
}

// Result is one side in one round.
type Result struct {
	Side  string `json:"side"`
	Round int    `json:"round"`
	// JobsPerSec is jobs over the time from the start of the client to the
	// commit of the last completion.
	JobsPerSec float64 `json:"jobs_per_sec"`
	// SteadyPerSec is the rate between the 10th and the 90th percentile of
	// completions: without start-up and the tail.
	SteadyPerSec float64 `json:"steady_jobs_per_sec"`
	Seconds      float64 `json:"seconds"`
	// ClientCPUus is this process's CPU time per job, in microseconds.
	ClientCPUus float64 `json:"client_cpu_us_per_job"`
	// ServerCPUus is the CPU time of the side's backends per job, in
	// microseconds (0 when the server is not on this machine).
	ServerCPUus float64 `json:"server_cpu_us_per_job"`
	// Waits are the shares of the side's sampled backend states.
	Waits map[string]float64 `json:"waits,omitempty"`
	// Detail: stackdb's claim and flush counts.
	Detail map[string]float64 `json:"detail,omitempty"`
}

// side is one queue implementation under test.
type side interface {
	name() string
	// fill empties the side's jobs table and inserts n pending jobs.
	fill(ctx context.Context, n int) error
	// work starts the client on pool and works the queue until n jobs are
	// completed; progress is told each completion count as it is known.
	work(ctx context.Context, pool *pgxpool.Pool, n int, progress func(done int64)) (detail map[string]float64, err error)
	// finished counts the side's completed jobs in the database.
	finished(ctx context.Context) (int64, error)
}

func run(ctx context.Context, o options, out io.Writer) error {
	if o.jobs < 1 || o.rounds < 1 || o.workers < 1 || o.conns < 1 {
		return errors.New("--jobs, --rounds, --workers and --conns must be at least 1")
	}
	env, err := newEnv(ctx, o)
	if err != nil {
		return err
	}
	defer env.close()

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	var sides []side
	for _, s := range strings.Split(o.sides, ",") {
		switch strings.TrimSpace(s) {
		case "river":
			sides = append(sides, &riverSide{env: env, o: o, logger: logger})
		case "stackdb":
			sides = append(sides, &stackdbSide{env: env, o: o, logger: logger})
		default:
			return fmt.Errorf("--sides: unknown side %q (river, stackdb)", s)
		}
	}

	rep := &Report{
		Started: time.Now().UTC(), Server: env.settings, Jobs: o.jobs, Workers: o.workers,
		Cooldown: o.cooldown.String(), Poll: o.poll.String(), Conns: o.conns,
	}
	fmt.Fprintf(out, "server: %s\n", formatSettings(env.settings))
	fmt.Fprintf(out, "%d no-op jobs per side, %d workers, fetch cooldown %s, poll %s, %d connections\n",
		o.jobs, o.workers, o.cooldown, o.poll, o.conns)
	for round := range o.rounds {
		order := slices.Clone(sides)
		if round%2 == 1 {
			slices.Reverse(order)
		}
		for _, s := range order {
			res, err := measure(ctx, env, s, o)
			if err != nil {
				return fmt.Errorf("round %d, %s: %w", round+1, s.name(), err)
			}
			res.Round = round + 1
			rep.Results = append(rep.Results, res)
			fmt.Fprintf(out, "round %d %-8s %8.0f jobs/s (steady %8.0f) in %6.2fs, CPU per job: client %5.1f µs, server %5.1f µs\n",
				res.Round, res.Side, res.JobsPerSec, res.SteadyPerSec, res.Seconds, res.ClientCPUus, res.ServerCPUus)
			if len(res.Detail) > 0 {
				fmt.Fprintf(out, "        %s\n", formatDetail(res.Detail))
			}
		}
	}
	rep.Ratio = ratio(rep.Results)
	printTable(out, rep)
	if o.jsonOut != "" {
		b, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(o.jsonOut, append(b, '\n'), 0o644); err != nil {
			return fmt.Errorf("write %s: %w", o.jsonOut, err)
		}
	}
	return nil
}

// measure fills the side's queue, then times it working the queue dry.
func measure(ctx context.Context, env *env, s side, o options) (Result, error) {
	if err := s.fill(ctx, o.jobs); err != nil {
		return Result{}, fmt.Errorf("fill: %w", err)
	}
	// The same start for both: statistics fresh, no checkpoint owed.
	if err := env.settle(ctx); err != nil {
		return Result{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()

	pool, err := env.poolFor(ctx, appName(s.name()), o.conns)
	if err != nil {
		return Result{}, err
	}
	defer pool.Close()

	n := int64(o.jobs)
	var t10, t90, last time.Duration
	stopWaits := env.sampleWaits(ctx, appName(s.name()))
	cpu0 := processCPU()
	start := time.Now()
	detail, err := s.work(ctx, pool, o.jobs, func(done int64) {
		at := time.Since(start)
		if t10 == 0 && done >= n/10 {
			t10 = at
		}
		if t90 == 0 && done >= n*9/10 {
			t90 = at
		}
		if done >= n && last == 0 {
			last = at
		}
	})
	cpu := processCPU() - cpu0
	waits := stopWaits()
	if err != nil {
		return Result{}, err
	}
	// The pool's backends were started for this run: their CPU is the
	// server's share of it (not counting the WAL writer and checkpointer).
	serverCPU, serverErr := env.backendCPU(ctx, appName(s.name()))
	got, err := s.finished(ctx)
	if err != nil {
		return Result{}, err
	}
	if got != n {
		return Result{}, fmt.Errorf("%d of %d jobs completed in the database", got, n)
	}
	res := Result{
		Side: s.name(), JobsPerSec: float64(n) / last.Seconds(), Seconds: last.Seconds(),
		ClientCPUus: float64(cpu/time.Microsecond) / float64(n), Waits: waits, Detail: detail,
	}
	if serverErr == nil {
		res.ServerCPUus = float64(serverCPU/time.Microsecond) / float64(n)
	}
	if t90 > t10 {
		res.SteadyPerSec = float64(n*8/10) / (t90 - t10).Seconds()
	}
	return res, nil
}

// ratio is stackdb's total rate over River's, or 0.
func ratio(results []Result) float64 {
	secs := map[string]float64{}
	for _, r := range results {
		secs[r.Side] += r.Seconds
	}
	if secs["river"] == 0 || secs["stackdb"] == 0 {
		return 0
	}
	return secs["river"] / secs["stackdb"] // same jobs on both sides
}

func printTable(out io.Writer, rep *Report) {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "round\tside\tjobs/s\tsteady jobs/s\tseconds\tclient µs/job\tserver µs/job\ttop backend states\t")
	for _, r := range rep.Results {
		fmt.Fprintf(tw, "%d\t%s\t%.0f\t%.0f\t%.2f\t%.1f\t%.1f\t%s\t\n", r.Round, r.Side, r.JobsPerSec, r.SteadyPerSec,
			r.Seconds, r.ClientCPUus, r.ServerCPUus, topWaits(r.Waits, 3))
	}
	tw.Flush()
	if rep.Ratio > 0 {
		fmt.Fprintf(out, "stackdb / River: %.2fx\n", rep.Ratio)
	}
}

func topWaits(w map[string]float64, n int) string {
	keys := make([]string, 0, len(w))
	for k := range w {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if w[a] != w[b] {
			if w[a] > w[b] {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	var parts []string
	for _, k := range keys[:min(n, len(keys))] {
		parts = append(parts, fmt.Sprintf("%s %.0f%%", k, 100*w[k]))
	}
	return strings.Join(parts, ", ")
}

func formatSettings(s map[string]string) string {
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, k+"="+s[k])
	}
	return strings.Join(parts, " ")
}

func formatDetail(d map[string]float64) string {
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%.1f", k, d[k]))
	}
	return strings.Join(parts, " ")
}
