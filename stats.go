package stackdb

import (
	"context"
	"fmt"

	"github.com/deploystack/stackdb/internal/dbinfo"
)

// DBStats is how the database's tables and indexes are doing: sizes, live
// and dead tuples, scans, last vacuum and analyze, unused indexes. It
// marshals to the JSON of `stackdb stats --json`.
type DBStats = dbinfo.Stats

// TableStats describes one table in DBStats.
type TableStats = dbinfo.TableStats

// IndexStats describes one index in DBStats.
type IndexStats = dbinfo.IndexStats

// StatsOptions choose what Stats reports; the zero value reports stackdb's
// tables (the public schema).
type StatsOptions = dbinfo.StatsOptions

// Stats reads the statistics of the database db is connected to, from
// Postgres's cumulative statistics views; it changes nothing.
func Stats(ctx context.Context, db DB, opts StatsOptions) (*DBStats, error) {
	st, err := dbinfo.CollectStats(ctx, db, opts)
	if err != nil {
		return nil, fmt.Errorf("stackdb: %w", err)
	}
	return st, nil
}
