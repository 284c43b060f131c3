package ingestbench

import (
	"context"
	"sync"
	"time"
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

// Waits names what a side's backends were doing: "Client" is idle
// waiting for the client's next statement (the client is the bottleneck
// when it is large), "CPU" is running, anything else is a wait event.
const waitsQuery = `
SELECT CASE WHEN state = 'idle' THEN 'Client'
            WHEN wait_event IS NULL THEN 'CPU'
            ELSE wait_event_type || ':' || wait_event END AS what,
       count(*)
FROM pg_stat_activity
WHERE application_name = $1 AND datname = current_database()
GROUP BY 1`

// sampleWaits samples the wait events of app's backends on the admin
// connection until stop, which returns each one's share of the samples.
// The admin connection is idle during a step, so the sampler has it; it
// stops between queries (a cancelled query would close the connection).
func (s *scratch) sampleWaits(ctx context.Context, app string) (stop func() map[string]float64) {
	done := make(chan struct{})
	counts := map[string]float64{}
	var total float64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(waitSampleEvery)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			rows, err := s.admin.Query(ctx, waitsQuery, app)
			if err != nil {
				return
			}
			for rows.Next() {
				var what string
				var n float64
				if rows.Scan(&what, &n) == nil {
					counts[what] += n
					total += n
				}
			}
			rows.Close()
		}
	}()
	return func() map[string]float64 {
		close(done)
		wg.Wait()
		if total == 0 {
			return nil
		}
		for k := range counts {
			counts[k] = round3(counts[k] / total)
		}
		return counts
	}
}

func round3(v float64) float64 { return float64(int(v*1000+0.5)) / 1000 }
