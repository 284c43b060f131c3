package dbinfo

import (
	"context"
	"fmt"
	"time"

	"github.com/deploystack/stackdb/gen/dbsqlc"
)

// Stats is how a database's tables and indexes are doing, from Postgres's
// cumulative statistics views. Sizes are bytes; scan and tuple counters run
// since StatsReset.
type Stats struct {
	// StatsReset is when the database's counters were last reset (nil:
	// never), so a zero scan count means "not since then".
	StatsReset *time.Time   `json:"stats_reset"`
	Tables     []TableStats `json:"tables"`
	Indexes    []IndexStats `json:"indexes"`
}

// TableStats describes one table. It converts from the generated row, so a
// change to the query fails to compile until the type follows.
type TableStats struct {
	SchemaName      string     `json:"schema_name"`
	TableName       string     `json:"table_name"`
	TableBytes      int64      `json:"table_bytes"` // heap and TOAST
	IndexBytes      int64      `json:"index_bytes"`
	TotalBytes      int64      `json:"total_bytes"`
	LiveTuples      int64      `json:"live_tuples"`
	DeadTuples      int64      `json:"dead_tuples"`
	SeqScans        int64      `json:"seq_scans"`
	IndexScans      int64      `json:"index_scans"`
	LastVacuum      *time.Time `json:"last_vacuum"`
	LastAutovacuum  *time.Time `json:"last_autovacuum"`
	LastAnalyze     *time.Time `json:"last_analyze"`
	LastAutoanalyze *time.Time `json:"last_autoanalyze"`
	HeapBlocksHit   int64      `json:"heap_blocks_hit"`
	HeapBlocksRead  int64      `json:"heap_blocks_read"`
}

// IndexStats describes one index. Unused means never scanned and enforcing
// no constraint: a candidate to drop.
type IndexStats struct {
	SchemaName    string `json:"schema_name"`
	TableName     string `json:"table_name"`
	IndexName     string `json:"index_name"`
	IndexBytes    int64  `json:"index_bytes"`
	IndexScans    int64  `json:"index_scans"`
	TuplesRead    int64  `json:"tuples_read"`
	TuplesFetched int64  `json:"tuples_fetched"`
	IsPrimary     bool   `json:"is_primary"`
	IsUnique      bool   `json:"is_unique"`
	Unused        bool   `json:"unused"`
}

// StatsOptions choose what CollectStats reports. The zero value reports the
// public schema, stackdb's own tables.
type StatsOptions struct {
	// AllSchemas adds every other user schema: atlas_schema_revisions and
	// the plugin_* schemas.
	AllSchemas bool
}

// CollectStats reads the statistics of the database db is connected to.
func CollectStats(ctx context.Context, db dbsqlc.DBTX, opts StatsOptions) (*Stats, error) {
	q := dbsqlc.New(db)
	reset, err := q.StatsGetResetTime(ctx)
	if err != nil {
		return nil, fmt.Errorf("stats: read reset time: %w", err)
	}
	tables, err := q.StatsListTables(ctx, opts.AllSchemas)
	if err != nil {
		return nil, fmt.Errorf("stats: read table statistics: %w", err)
	}
	indexes, err := q.StatsListIndexes(ctx, opts.AllSchemas)
	if err != nil {
		return nil, fmt.Errorf("stats: read index statistics: %w", err)
	}
	st := &Stats{StatsReset: reset, Tables: make([]TableStats, len(tables)), Indexes: make([]IndexStats, len(indexes))}
	for i, t := range tables {
		st.Tables[i] = TableStats(t)
	}
	for i, x := range indexes {
		st.Indexes[i] = IndexStats(x)
	}
	return st, nil
}
