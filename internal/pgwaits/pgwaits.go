// Package pgwaits samples what a client's backends are doing, from
// pg_stat_activity, to tell where a benchmark's time goes: waiting for the
// client, running, or waiting on a lock, the WAL flush, I/O, ...
package pgwaits

import (
	"context"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// Every is a sampling interval that suits a dedicated sampler: often
// enough for a few-second step. A sampler sharing the client's CPU may
// want less (every read costs it a round trip).
const Every = 10 * time.Millisecond

// query names each backend's state: "Client" is idle waiting for the
// client's next statement (the client is the bottleneck when it is large),
// "CPU" is running, anything else is a wait event.
const query = `
SELECT CASE WHEN state = 'idle' THEN 'Client'
            WHEN wait_event IS NULL THEN 'CPU'
            ELSE wait_event_type || ':' || wait_event END AS what,
       count(*)
FROM pg_stat_activity
WHERE application_name = $1 AND datname = current_database()
GROUP BY 1`

// Sample samples the states of the backends whose application_name is app,
// on conn (which it has to itself until stop), every interval until stop
// or ctx ends; it stops between queries, since a cancelled query would
// close conn. stop returns each state's share of the samples (nil without
// any), rounded to 0.001.
func Sample(ctx context.Context, conn *pgx.Conn, app string, every time.Duration) (stop func() map[string]float64) {
	done := make(chan struct{})
	counts := map[string]float64{}
	var total float64
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			rows, err := conn.Query(ctx, query, app)
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
	})
	return func() map[string]float64 {
		close(done)
		wg.Wait()
		if total == 0 {
			return nil
		}
		for k := range counts {
			counts[k] = float64(int(counts[k]/total*1000+0.5)) / 1000
		}
		return counts
	}
}
