package ingestbench

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/deploystack/stackdb/gen/dbsqlc"
)

// copyChunk is the number of rows per COPY: a satellite flushing its
// buffered usage logs.
const copyChunk = 5000

// copyRows are the step's rows split among n clients in chunks; both sides
// load the same rows, with ids of their own (prefix).
func (s *scratch) copyRows(n int, prefix string) [][][]dbsqlc.SatelliteUsageLogInsertManyParams {
	base := time.Now().UTC().Truncate(time.Millisecond)
	out := make([][][]dbsqlc.SatelliteUsageLogInsertManyParams, n)
	i := 0
	for c := range n {
		rows := s.cfg.CopyRows / n
		if c < s.cfg.CopyRows%n {
			rows++
		}
		for rows > 0 {
			chunk := make([]dbsqlc.SatelliteUsageLogInsertManyParams, min(rows, copyChunk))
			for k := range chunk {
				sat := i%s.satellites + 1
				chunk[k] = dbsqlc.SatelliteUsageLogInsertManyParams(usageLogParams(prefix+strconv.Itoa(i), id(sat),
					id(i%users+1), id(i%teams+1), id(sat*10+i%processesPerSat), base.Add(-time.Duration(i)*time.Millisecond)))
				i++
			}
			out[c] = append(out[c], chunk)
			rows -= len(chunk)
		}
	}
	return out
}

// stackdbCopy loads the rows with SatelliteUsageLogInsertMany, n clients
// at once, each its chunks in turn.
func (s *scratch) stackdbCopy(ctx context.Context, n int) (Side, error) {
	if err := s.reset(ctx, nil, 0); err != nil {
		return Side{}, err
	}
	chunks := s.copyRows(n, "g")
	pool, err := s.openPool(ctx, n)
	if err != nil {
		return Side{}, err
	}
	defer pool.Close()
	q := s.cfg.Queries(pool)
	lat := make([][]time.Duration, n)
	errs := make([]error, n)
	stopWaits := s.sampleWaits(ctx, stackdbApp)
	cpu := processCPU()
	var wg sync.WaitGroup
	start := time.Now()
	for c := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, chunk := range chunks[c] {
				t0 := time.Now()
				if _, err := q.SatelliteUsageLogInsertMany(ctx, chunk); err != nil {
					errs[c] = err
					return
				}
				lat[c] = append(lat[c], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	side := summarize(slices.Concat(lat...), elapsed)
	side.Waits = stopWaits()
	side.Ops = int64(s.cfg.CopyRows)
	side.Rate = float64(s.cfg.CopyRows) / elapsed.Seconds()
	side.ClientCPUus = cpuPerOp(processCPU()-cpu, side.Ops)
	for _, err := range errs {
		if err != nil {
			side = Side{Error: firstLine(err.Error())}
			break
		}
	}
	return side, nil
}

var timingRE = regexp.MustCompile(`(?m)^Time: ([0-9.]+) ms`)

// psqlCopy loads the same rows from CSV files with psql's \copy, n psql
// processes at once. Its rate is the rows over the span from the first
// \copy's start (a process's exit less its summed \timing) to the last
// one's end, which leaves out psql's start and connection, as the stackdb
// side's open pool does.
func (s *scratch) psqlCopy(ctx context.Context, n int) (Side, error) {
	if err := s.reset(ctx, nil, 0); err != nil {
		return Side{}, err
	}
	rec := &recorder{}
	_, _ = s.cfg.Queries(rec).SatelliteUsageLogInsertMany(ctx, nil)
	if len(rec.cols) == 0 {
		return Side{}, fmt.Errorf("bench: SatelliteUsageLogInsertMany: no COPY captured")
	}
	cols := make([]string, len(rec.cols))
	for i, c := range rec.cols {
		cols[i] = pgx.Identifier{c}.Sanitize()
	}
	copyCmd := fmt.Sprintf(`\copy %s (%s) FROM '%%s' WITH (FORMAT csv)`, rec.table.Sanitize(), strings.Join(cols, ", "))

	dir, err := os.MkdirTemp("", "stackdb-bench-")
	if err != nil {
		return Side{}, fmt.Errorf("bench: %w", err)
	}
	defer os.RemoveAll(dir)
	chunks := s.copyRows(n, "p")
	scripts := make([]string, n)
	for c := range n {
		var b strings.Builder
		b.WriteString("\\set ON_ERROR_STOP on\n\\timing on\n")
		for k, chunk := range chunks[c] {
			f := filepath.Join(dir, fmt.Sprintf("rows-%d-%d.csv", c, k))
			if err := writeCSV(f, chunk); err != nil {
				return Side{}, err
			}
			fmt.Fprintf(&b, copyCmd+"\n", f)
		}
		scripts[c] = filepath.Join(dir, fmt.Sprintf("copy-%d.psql", c))
		if err := os.WriteFile(scripts[c], []byte(b.String()), 0o600); err != nil {
			return Side{}, fmt.Errorf("bench: %w", err)
		}
	}
	outs := make([][]byte, n)
	errs := make([]error, n)
	cmds := make([]*exec.Cmd, n)
	ends := make([]time.Time, n)
	stopWaits := s.sampleWaits(ctx, baseApp)
	var wg sync.WaitGroup
	for c := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmds[c] = s.command(ctx, s.cfg.Psql, "-X", "-q", "-f", scripts[c], s.libpqURL)
			outs[c], errs[c] = cmds[c].Output()
			ends[c] = time.Now()
		}()
	}
	wg.Wait()
	var lat []time.Duration
	var first, last time.Time
	var cpu time.Duration
	for c := range n {
		if errs[c] != nil {
			return Side{Error: "psql: " + exitMessage(errs[c])}, ctxErr(ctx)
		}
		var busy time.Duration
		for _, m := range timingRE.FindAllSubmatch(outs[c], -1) {
			v, _ := strconv.ParseFloat(string(m[1]), 64)
			d := time.Duration(v * float64(time.Millisecond))
			lat = append(lat, d)
			busy += d
		}
		if start := ends[c].Add(-busy); first.IsZero() || start.Before(first) {
			first = start
		}
		if ends[c].After(last) {
			last = ends[c]
		}
		cpu += childCPU(cmds[c])
	}
	span := last.Sub(first)
	side := summarize(lat, span)
	side.Waits = stopWaits()
	side.Ops = int64(s.cfg.CopyRows)
	side.ClientCPUus = cpuPerOp(cpu, side.Ops)
	if span > 0 {
		side.Rate = float64(s.cfg.CopyRows) / span.Seconds()
	}
	return side, nil
}

// writeCSV writes rows as psql's \copy reads them, each field as text in
// the order of the COPY's columns (the struct's).
func writeCSV(file string, rows []dbsqlc.SatelliteUsageLogInsertManyParams) error {
	f, err := os.Create(file)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	w := csv.NewWriter(f)
	rec := make([]string, reflect.TypeFor[dbsqlc.SatelliteUsageLogInsertManyParams]().NumField())
	for _, r := range rows {
		v := reflect.ValueOf(r)
		for i := range rec {
			if rec[i], err = argText(v.Field(i).Interface()); err != nil {
				_ = f.Close()
				return fmt.Errorf("bench: csv: %w", err)
			}
		}
		if err := w.Write(rec); err != nil {
			_ = f.Close()
			return fmt.Errorf("bench: csv: %w", err)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		_ = f.Close()
		return fmt.Errorf("bench: csv: %w", err)
	}
	return f.Close()
}
