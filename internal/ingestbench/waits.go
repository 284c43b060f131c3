package ingestbench

import (
	"context"
	"time"

	"github.com/deploystack/stackdb/internal/pgwaits"
)

// Application names of each side's connections, so that the wait-event
// sampler tells them apart.
const (
	stackdbApp = "stackdb-bench-stackdb"
	baseApp    = "stackdb-bench-baseline"
)

// waitSampleEvery is how often the sampler reads pg_stat_activity: 200
// samples in a 5 s step. The sampler runs in this process and its query on
// the server, during both sides' steps; every 10 ms it took a fifth of the
// stackdb client's CPU at one client.
const waitSampleEvery = 25 * time.Millisecond

// sampleWaits samples the wait events of app's backends (pgwaits) on the
// admin connection until stop, which returns each one's share of the
// samples. The admin connection is idle during a step, so the sampler has
// it.
func (s *scratch) sampleWaits(ctx context.Context, app string) (stop func() map[string]float64) {
	return pgwaits.Sample(ctx, s.admin, app, waitSampleEvery)
}

func round3(v float64) float64 { return float64(int(v*1000+0.5)) / 1000 }
