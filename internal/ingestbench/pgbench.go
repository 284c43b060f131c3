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
	defs := maps.Clone(p.defs)
	if defs == nil {
		defs = map[string]string{}
	}
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

var (
	tpsRE  = regexp.MustCompile(`(?m)^tps = ([0-9.]+) \(without initial connection time\)`)
	noneRE = regexp.MustCompile(`(?m)^number of transactions actually processed: 0$`)
)

// baseStep runs the path's pgbench script: -M prepared (extended through
// PgBouncer), n clients on n threads of one process for the step's time,
// logging every transaction's latency (-l).
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
	c := strconv.Itoa(n)
	args := []string{"-n", "-M", s.pgbenchMode, "-c", c, "-j", c, "-T", strconv.Itoa(s.secs), "-f", file,
		"-l", "--log-prefix", filepath.Join(dir, "log")}
	for _, k := range slices.Sorted(maps.Keys(defs)) {
		args = append(args, "-D", k+"="+defs[k])
	}
	args = append(args, s.libpqURL)
	stop := s.sampleWaits(ctx, baseApp)
	cmd := s.command(ctx, s.cfg.Pgbench, args...)
	out, err := cmd.Output()
	side := Side{Waits: stop()}
	if err != nil {
		return Side{Error: "pgbench: " + exitMessage(err)}, ctxErr(ctx)
	}
	m := tpsRE.FindSubmatch(out)
	if m == nil && noneRE.Match(out) {
		return Side{Error: "pgbench: no client got a transaction done in the step"}, nil
	}
	if m == nil {
		return Side{Error: "pgbench: no tps in its output"}, nil
	}
	side.Rate, _ = strconv.ParseFloat(string(m[1]), 64)
	lat, err := readPgbenchLogs(dir)
	if err != nil {
		return Side{}, err
	}
	sum := summarize(lat, time.Second) // rate from pgbench's own tps
	side.Ops, side.P50Ms, side.P99Ms = sum.Ops, sum.P50Ms, sum.P99Ms
	side.ClientCPUus = cpuPerOp(childCPU(cmd), sum.Ops)
	if bytes.Contains(out, []byte("aborted")) {
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

// readPgbenchLogs reads the latency (third field, microseconds) of every
// transaction pgbench logged in dir.
func readPgbenchLogs(dir string) ([]time.Duration, error) {
	files, err := filepath.Glob(filepath.Join(dir, "log*"))
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	var lat []time.Duration
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("bench: pgbench log: %w", err)
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) < 3 {
				continue
			}
			us, err := strconv.ParseInt(fields[2], 10, 64)
			if err != nil {
				continue // "failed" or "skipped"
			}
			lat = append(lat, time.Duration(us)*time.Microsecond)
		}
	}
	return lat, nil
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
