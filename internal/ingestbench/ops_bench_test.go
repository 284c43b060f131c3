package ingestbench

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/gen/dbsqlc"
	"github.com/deploystack/stackdb/stackdbtest"
)

// BenchmarkOp runs each single-statement path's operation on one pooled
// connection, as one benchmark worker does: its allocations, its context
// switches and its CPU profile are the client's cost per operation, with
// the wait for the server in the time per operation.
//
//	go test -run '^$' -bench Op -benchmem -cpuprofile cpu.out ./internal/ingestbench
func BenchmarkOp(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background()) // cancellable, as a request's
	defer cancel()
	pool := stackdbtest.Pool(b)
	conn, err := pool.Acquire(ctx)
	require.NoError(b, err)
	s := &scratch{satellites: minSatellites, admin: conn.Conn(), secs: 1}
	require.NoError(b, s.seed(ctx))
	defer conn.Release()
	held, err := pool.Acquire(ctx)
	require.NoError(b, err)
	defer held.Release()
	for i := range paths {
		p := &paths[i]
		for _, db := range []struct {
			name string
			db   dbsqlc.DBTX
		}{{"pool", pool}, {"conn", held}} { // a call's own acquire, or one held connection
			b.Run(p.name+"/"+db.name, func(b *testing.B) {
				require.NoError(b, s.reset(ctx, p, float64(b.N)))
				op := p.op(dbsqlc.New(db.db), 0, s.satellites, rand.New(rand.NewPCG(1, 2)))
				b.ReportAllocs()
				cpu := processCPU()
				prof := startProfile()
				for b.Loop() {
					if err := op(ctx); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(prof.stop(int64(b.N)).SwitchesPerOp, "switches/op")
				b.ReportMetric(cpuPerOp(processCPU()-cpu, int64(b.N)), "client-us/op")
			})
		}
	}
}
