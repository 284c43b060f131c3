package ingestbench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// pgbenchScript is p's operation as a pgbench script: the \set lines
// drawing its variables, then each statement exactly as gen/dbsqlc sends
// it, with its constant arguments in defs (-D).
func (s *scratch) pgbenchScript(ctx context.Context, p *path) (string, map[string]string, error) {
	rec := &recorder{}
	p.sample(ctx, s.cfg.Queries(rec))
	if len(rec.calls) != len(p.ends) {
		return "", nil, fmt.Errorf("bench: %s: sampled %d statements, want %d", p.name, len(rec.calls), len(p.ends))
	}
	defs := map[string]string{}
	var b strings.Builder
	b.WriteString(p.vars(s.satellites))
	for k, c := range rec.calls {
		cmd, err := pgbenchCommand(k, c, p.ends[k], defs)
		if err != nil {
			return "", nil, fmt.Errorf("bench: %s: %w", p.name, err)
		}
		b.WriteString(cmd)
	}
	return b.String(), defs, nil
}

var tpsRE = regexp.MustCompile(`(?m)^tps = ([0-9.]+) \(without initial connection time\)`)

// baseStep runs the path's pgbench script: -M prepared, n clients on n
// threads for the step's time, logging every transaction's latency (-l).
// A path whose clients need variables of their own runs n pgbench
// processes of one client each instead.
func (s *scratch) baseStep(ctx context.Context, name string, n int, best float64) (Side, error) {
	if name == copyPath {
		return s.psqlCopy(ctx, n)
	}
	p := findPath(name)
	script, defs, err := s.pgbenchScript(ctx, p)
	if err != nil {
		return Side{}, err
	}
	if err := s.reset(ctx, p, best); err != nil {
		return Side{}, err
	}
	dir, err := os.MkdirTemp("", "stackdb-bench-")
	if err != nil {
		return Side{}, fmt.Errorf("bench: %w", err)
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, p.name+".sql")
	if err := os.WriteFile(file, []byte(script), 0o600); err != nil {
		return Side{}, fmt.Errorf("bench: %w", err)
	}
	args := func(clients int, prefix string, defs map[string]string) []string {
		c := strconv.Itoa(clients)
		a := []string{"-n", "-M", "prepared", "-c", c, "-j", c, "-T", strconv.Itoa(s.secs), "-f", file,
			"-l", "--log-prefix", filepath.Join(dir, prefix)}
		for _, k := range slices.Sorted(maps.Keys(defs)) {
			a = append(a, "-D", k+"="+defs[k])
		}
		return append(a, s.libpqURL)
	}
	var runs [][]string
	if p.perClient == nil {
		runs = append(runs, args(n, "log", defs))
	} else {
		for c := range n {
			d := maps.Clone(defs)
			maps.Copy(d, p.perClient(c))
			runs = append(runs, args(1, "log"+strconv.Itoa(c), d))
		}
	}
	outs := make([][]byte, len(runs))
	errs := make([]error, len(runs))
	cmds := make([]*exec.Cmd, len(runs))
	stop := s.sampleWaits(ctx, baseApp)
	var wg sync.WaitGroup
	for i, a := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmds[i] = s.command(ctx, s.cfg.Pgbench, a...)
			outs[i], errs[i] = cmds[i].Output()
		}()
	}
	wg.Wait()
	side := Side{Waits: stop()}
	var cpu time.Duration
	for _, c := range cmds {
		cpu += childCPU(c)
	}
	for i := range runs {
		if errs[i] != nil {
			return Side{Error: "pgbench: " + exitMessage(errs[i])}, ctxErr(ctx)
		}
		m := tpsRE.FindSubmatch(outs[i])
		if m == nil {
			return Side{Error: "pgbench: no tps in its output"}, nil
		}
		tps, _ := strconv.ParseFloat(string(m[1]), 64)
		side.Rate += tps
	}
	logs, err := readPgbenchLogs(dir)
	if err != nil {
		return Side{}, err
	}
	lat := logs.latencies()
	if len(runs) > 1 {
		// Each process reports its tps over its own -T, and processes
		// started one after another overlap only in part: their sum would
		// count the edges, where fewer clients competed, as if all had run
		// there. The rate is what all of them did while all were running.
		side.Rate = logs.overlapRate()
	}
	sum := summarize(lat, time.Second) // rate from pgbench's own tps
	side.Ops, side.P50Ms, side.P99Ms = sum.Ops, sum.P50Ms, sum.P99Ms
	side.ClientCPUus = cpuPerOp(cpu, sum.Ops)
	if bytes.Contains(bytes.Join(outs, nil), []byte("aborted")) {
		side.Error = "pgbench: clients aborted"
	}
	return side, nil
}

// command runs a baseline's binary with the scratch database's password
// in its environment, not on its command line.
func (s *scratch) command(ctx context.Context, bin string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), "PGPASSWORD="+s.password, "PGAPPNAME="+baseApp)
	return cmd
}

// pgbenchTx is one logged transaction: when it ended and how long it took.
type pgbenchTx struct {
	end time.Time
	lat time.Duration
}

// pgbenchLogs are the logged transactions of each pgbench process (a log
// prefix: "log" for one process, "log<client>" for one per client).
type pgbenchLogs map[string][]pgbenchTx

func (l pgbenchLogs) latencies() []time.Duration {
	var lat []time.Duration
	for _, txs := range l {
		for _, tx := range txs {
			lat = append(lat, tx.lat)
		}
	}
	return lat
}

// overlapRate is the rate of the transactions that ended while every
// process was running: from the last process's first start to the first
// process's last end. Zero when they did not overlap.
func (l pgbenchLogs) overlapRate() float64 {
	var from, to time.Time
	for _, txs := range l {
		if len(txs) == 0 {
			return 0
		}
		first, last := txs[0].end.Add(-txs[0].lat), txs[0].end
		for _, tx := range txs[1:] {
			if start := tx.end.Add(-tx.lat); start.Before(first) {
				first = start
			}
			if tx.end.After(last) {
				last = tx.end
			}
		}
		if from.IsZero() || first.After(from) {
			from = first
		}
		if to.IsZero() || last.Before(to) {
			to = last
		}
	}
	if !to.After(from) {
		return 0
	}
	var n int
	for _, txs := range l {
		for _, tx := range txs {
			if !tx.end.Before(from) && !tx.end.After(to) {
				n++
			}
		}
	}
	return float64(n) / to.Sub(from).Seconds()
}

// readPgbenchLogs reads every transaction pgbench logged in dir: the
// latency is the third field (microseconds), the end the fifth and sixth
// (epoch seconds and microseconds).
func readPgbenchLogs(dir string) (pgbenchLogs, error) {
	files, err := filepath.Glob(filepath.Join(dir, "log*"))
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	logs := pgbenchLogs{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("bench: pgbench log: %w", err)
		}
		prefix, _, _ := strings.Cut(filepath.Base(f), ".")
		txs := logs[prefix]
		sc := bufio.NewScanner(bytes.NewReader(data))
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) < 6 {
				continue
			}
			us, err := strconv.ParseInt(fields[2], 10, 64)
			if err != nil {
				continue // "failed" or "skipped"
			}
			sec, err1 := strconv.ParseInt(fields[4], 10, 64)
			usec, err2 := strconv.ParseInt(fields[5], 10, 64)
			if err1 != nil || err2 != nil {
				return nil, fmt.Errorf("bench: pgbench log %s: bad line %q", filepath.Base(f), sc.Text())
			}
			txs = append(txs, pgbenchTx{end: time.Unix(sec, usec*1000), lat: time.Duration(us) * time.Microsecond})
		}
		logs[prefix] = txs
	}
	return logs, nil
}

func exitMessage(err error) string {
	if ee, ok := err.(*exec.ExitError); ok && len(ee.Stderr) > 0 {
		lines := strings.Split(strings.TrimSpace(string(ee.Stderr)), "\n")
		return lines[len(lines)-1]
	}
	return err.Error()
}

func ctxErr(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	return nil
}
