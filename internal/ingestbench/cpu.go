package ingestbench

import (
	"os/exec"
	"syscall"
	"time"
)

// processCPU is the CPU time (user + system) this process has used: the
// stackdb side's client cost, measured around a step. On 2 cores the
// client's CPU is taken from the server's, so it shows up in the rate.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// childCPU is the CPU time a finished baseline process used.
func childCPU(cmd *exec.Cmd) time.Duration {
	if cmd.ProcessState == nil {
		return 0
	}
	return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}

// cpuPerOp is cpu per operation (or row), in microseconds.
func cpuPerOp(cpu time.Duration, ops int64) float64 {
	if ops <= 0 {
		return 0
	}
	return round3(float64(cpu) / float64(time.Microsecond) / float64(ops))
}
