package ingestbench

import (
	"bytes"
	"cmp"
	"fmt"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"

	"github.com/google/pprof/profile"
)

// ClientProfile says where the stackdb side's client time went during a
// step: it is kept in the report for the steps that stay below the
// baseline (ratio < 1), beside both sides' wait events.
type ClientProfile struct {
	// CPU is the share of the step's CPU profile samples by what the
	// sampled goroutine was doing (see cpuClass); empty when the process
	// was already being profiled (--cpuprofile).
	CPU map[string]float64 `json:"cpu,omitempty"`
	// Top are the functions with the most samples of their own, with
	// their share.
	Top []string `json:"top,omitempty"`
	// AllocsPerOp and BytesPerOp are heap allocations per operation.
	AllocsPerOp float64 `json:"allocs_per_op"`
	BytesPerOp  float64 `json:"bytes_per_op"`
	// GCShare is the runtime's estimate of the share of the process's CPU
	// spent on garbage collection.
	GCShare float64 `json:"gc_share"`
	// SwitchesPerOp are the process's context switches (voluntary and
	// involuntary) per operation: each is a sleep and a wake-up, where the
	// server's processes may take the core.
	SwitchesPerOp float64 `json:"switches_per_op"`
	// SchedP99us is the 99th percentile of the time goroutines waited,
	// runnable, for a thread to run them.
	SchedP99us float64 `json:"sched_p99_us"`
}

// The runtime metrics a profile reads.
var profileMetrics = []string{
	"/gc/heap/allocs:objects",
	"/gc/heap/allocs:bytes",
	"/cpu/classes/gc/total:cpu-seconds",
	"/cpu/classes/total:cpu-seconds",
	"/sched/latencies:seconds",
}

// profiler records a client profile around one step.
type profiler struct {
	cpu     bytes.Buffer
	running bool // the CPU profile is ours to stop
	before  []metrics.Sample
	ru      syscall.Rusage
}

// startProfile starts the CPU profile (unless the process is already
// profiled) and takes the counters' starting values.
func startProfile() *profiler {
	p := &profiler{}
	p.running = pprof.StartCPUProfile(&p.cpu) == nil
	p.before = readMetrics()
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &p.ru)
	return p
}

// stop ends the profile and sums it up over ops operations.
func (p *profiler) stop(ops int64) *ClientProfile {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	after := readMetrics()
	if p.running {
		pprof.StopCPUProfile()
	}
	cp := &ClientProfile{}
	if ops > 0 {
		n := float64(ops)
		cp.AllocsPerOp = round3(float64(after[0].Value.Uint64()-p.before[0].Value.Uint64()) / n)
		cp.BytesPerOp = round3(float64(after[1].Value.Uint64()-p.before[1].Value.Uint64()) / n)
		cp.SwitchesPerOp = round3(float64(ru.Nvcsw-p.ru.Nvcsw+ru.Nivcsw-p.ru.Nivcsw) / n)
	}
	if total := after[3].Value.Float64() - p.before[3].Value.Float64(); total > 0 {
		cp.GCShare = round3((after[2].Value.Float64() - p.before[2].Value.Float64()) / total)
	}
	cp.SchedP99us = round3(histogramQuantile(p.before[4].Value.Float64Histogram(), after[4].Value.Float64Histogram(), 0.99) * 1e6)
	if p.running {
		cp.CPU, cp.Top = summarizeCPU(p.cpu.Bytes())
	}
	return cp
}

func readMetrics() []metrics.Sample {
	s := make([]metrics.Sample, len(profileMetrics))
	for i, name := range profileMetrics {
		s[i].Name = name
	}
	metrics.Read(s)
	return s
}

// histogramQuantile is the q quantile of the counts added between two
// readings of a cumulative histogram (its buckets' upper bound).
func histogramQuantile(before, after *metrics.Float64Histogram, q float64) float64 {
	if before == nil || after == nil || len(before.Counts) != len(after.Counts) {
		return 0
	}
	var total uint64
	for i := range after.Counts {
		total += after.Counts[i] - before.Counts[i]
	}
	if total == 0 {
		return 0
	}
	want := uint64(q*float64(total) + 0.5)
	var seen uint64
	for i := range after.Counts {
		seen += after.Counts[i] - before.Counts[i]
		if seen >= want {
			return after.Buckets[i+1]
		}
	}
	return after.Buckets[len(after.Buckets)-1]
}

// samplerClass is the wait sampler's CPU, which is the benchmark's own and
// not the client's.
const samplerClass = "wait sampler"

// The classes of cpuClass, in the order they are tested.
var cpuClasses = []struct {
	name string
	// match reports whether a stack (leaf first) belongs to the class.
	match func(stack []string) bool
}{
	{samplerClass, anyFrame("internal/pgwaits.Sample")},
	{"gc", anyFrame("runtime.gcBgMarkWorker", "runtime.gcAssistAlloc", "runtime.bgsweep", "runtime.bgscavenge",
		"runtime.markroot", "runtime.gcStart")},
	{"alloc", anyFrame("runtime.mallocgc", "runtime.growslice", "runtime.newobject")},
	{"scheduler", anyFrame("runtime.mcall", "runtime.schedule", "runtime.findRunnable", "runtime.sysmon",
		"runtime.netpoll", "runtime.futex", "runtime.wakep", "runtime.ready", "runtime.goready")},
	{"socket I/O", anyFrame("internal/poll.(*FD).Read", "internal/poll.(*FD).Write")},
	{"pgx encode", anyFrame("pgx/v5.(*ExtendedQueryBuilder)", "pgproto3.(*Frontend).Send")},
	{"pgx decode", anyFrame("pgx/v5.(*baseRows).Scan", "pgx/v5.(*baseRows).Next", "pgproto3.(*Frontend).Receive")},
	{"pool", anyFrame("pgxpool.(*Pool).Acquire", "pgxpool.(*Conn).Release", "puddle")},
	{"pgx other", anyFrame("github.com/jackc/pgx")},
	{"harness", anyFrame("ingestbench.")},
}

func anyFrame(subs ...string) func([]string) bool {
	return func(stack []string) bool {
		for _, f := range stack {
			for _, s := range subs {
				if strings.Contains(f, s) {
					return true
				}
			}
		}
		return false
	}
}

// cpuClass names what a sampled stack (leaf first) was doing: the first
// class that matches, else "other".
func cpuClass(stack []string) string {
	for _, c := range cpuClasses {
		if c.match(stack) {
			return c.name
		}
	}
	return "other"
}

// summarizeCPU reads a CPU profile: each class's share of the samples and
// the five functions with the most samples of their own.
func summarizeCPU(data []byte) (map[string]float64, []string) {
	prof, err := profile.ParseData(data)
	if err != nil || len(prof.SampleType) < 2 {
		return nil, nil
	}
	classes := map[string]int64{}
	flat := map[string]int64{}
	var total int64
	for _, s := range prof.Sample {
		v := s.Value[1] // cpu nanoseconds
		var stack []string
		for _, loc := range s.Location {
			for _, line := range loc.Line {
				if line.Function != nil {
					stack = append(stack, line.Function.Name)
				}
			}
		}
		if len(stack) == 0 {
			continue
		}
		classes[cpuClass(stack)] += v
		flat[stack[0]] += v
		total += v
	}
	if total == 0 {
		return nil, nil
	}
	shares := make(map[string]float64, len(classes))
	for k, v := range classes {
		shares[k] = round3(float64(v) / float64(total))
	}
	type fn struct {
		name string
		v    int64
	}
	fns := make([]fn, 0, len(flat))
	for k, v := range flat {
		fns = append(fns, fn{k, v})
	}
	slices.SortFunc(fns, func(a, b fn) int { return cmp.Or(cmp.Compare(b.v, a.v), strings.Compare(a.name, b.name)) })
	var top []string
	for _, f := range fns[:min(5, len(fns))] {
		top = append(top, fmt.Sprintf("%s %.1f%%", f.name, 100*float64(f.v)/float64(total)))
	}
	return shares, top
}
