// Package partition keeps the daily (or monthly) partitions of stackdb's
// time-partitioned tables: it creates the coming days' partitions ahead of
// the writes, drops those past their retention (a DROP TABLE instead of a
// DELETE of millions of rows), and moves rows that landed in a table's
// DEFAULT partition into their day's partition.
//
// The migrations declare the partitioned parents and their DEFAULT
// partitions; every dated partition is made here, named <table>_pYYYYMMDD
// (the UTC day it holds) or <table>_pYYYYMM (a monthly table's UTC month),
// which is how Owned and the drift check tell maintenance's partitions from
// anything else.
package partition

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Day is the span of one partition. Days, not weeks: the heartbeat stream
// keeps only the newest 1,000 (global) or 500 (team) heartbeats of a
// satellite, about 8 and 4 hours at one every 30 s, so all but the newest
// day of heartbeats is dead weight a daily drop reclaims; usage logs are
// read by [since, until) windows of hours or days, which a day prunes to one
// or two partitions. At 1,000 satellites a day of heartbeats is 2.9M rows.
const Day = 24 * time.Hour

// Span is how much time one partition of a table holds: a UTC day or a
// UTC month.
type Span int

const (
	// Daily partitions, named <table>_pYYYYMMDD: the streams.
	Daily Span = iota
	// Monthly partitions, named <table>_pYYYYMM: tables written slowly and
	// kept long, whose daily partitions would be hundreds of small tables
	// for every long window to plan and probe.
	Monthly
)

// start is the beginning of the span holding t.
func (s Span) start(t time.Time) time.Time {
	t = t.UTC()
	if s == Monthly {
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	return t.Truncate(Day)
}

// next is the beginning of the span after the one starting at start.
func (s Span) next(start time.Time) time.Time {
	if s == Monthly {
		return start.AddDate(0, 1, 0)
	}
	return start.AddDate(0, 0, 1)
}

// unit is the span's date_trunc field.
func (s Span) unit() string {
	if s == Monthly {
		return "month"
	}
	return "day"
}

// layout is the time layout of the span's partition name suffix.
func (s Span) layout() string {
	if s == Monthly {
		return "200601"
	}
	return "20060102"
}

// starts are the distinct starts of the spans holding times, in order.
func (s Span) starts(times []time.Time) []time.Time {
	out := make([]time.Time, 0, len(times))
	for _, t := range times {
		if st := s.start(t); !slices.ContainsFunc(out, st.Equal) {
			out = append(out, st)
		}
	}
	slices.SortFunc(out, time.Time.Compare)
	return out
}

// DefaultAhead is how many days after today Maintain creates by default: a
// week of writes survives maintenance not running.
const DefaultAhead = 7

// Table is a partitioned table and how long its rows are kept.
type Table struct {
	Name   string // the partitioned table, in schema public
	Column string // its range partition key, a timestamptz
	Span   Span   // what one partition holds; zero: Daily
	// Retention: a partition whose whole span is older than now - Retention
	// is dropped, and the DEFAULT partition's rows older than the start of
	// the span holding that time deleted. Zero keeps everything.
	Retention time.Duration
}

// Partition is the name of t's partition holding at.
func (t Table) Partition(at time.Time) string {
	return t.Name + "_p" + t.Span.start(at).Format(t.Span.layout())
}

// Tables are stackdb's time-partitioned tables, with their default
// retention. Heartbeats: a week (the retention sweep keeps far less; a
// satellite silent for a week loses its last heartbeats). Activity
// metrics: 3 days, DeployStack's cleanup worker's cutoff (its readers ask
// for at most 3 days). Usage, server and request logs: kept, as DeployStack
// keeps them (the server and request logs' sweep keeps 100 per
// installation); set a Retention to drop old days. The audit log: monthly
// partitions (see schema/audit.pg.hcl), kept a year, the usual minimum for
// security logs (SOC 2, ISO 27001): a month is dropped when its last day is
// a year old, so 12 to 13 months are kept.
var Tables = []Table{
	{Name: "satellite_heartbeats", Column: "timestamp", Retention: 7 * Day},
	{Name: "satellite_usage_logs", Column: "timestamp"},
	{Name: "mcp_client_activity_metrics", Column: "bucket_timestamp", Retention: 3 * Day},
	{Name: "mcp_server_logs", Column: "created_at"},
	{Name: "mcp_request_logs", Column: "created_at"},
	{Name: "audit_logs", Column: "created_at", Span: Monthly, Retention: 365 * Day},
}

// Options configure Maintain.
type Options struct {
	Tables []Table      // nil: Tables
	Ahead  int          // days after today to create; 0: DefaultAhead
	Now    time.Time    // zero: time.Now()
	Log    func(string) // optional: one line per partition created or dropped
}

// Report says what a run changed.
type Report struct {
	Created []string `json:"created"` // partitions created
	Dropped []string `json:"dropped"` // partitions dropped
	Moved   int64    `json:"moved"`   // rows moved out of a DEFAULT partition
	Deleted int64    `json:"deleted"` // DEFAULT partition rows past retention
}

// Beginner starts a transaction: a *pgxpool.Pool, *pgx.Conn or pgx.Tx (a
// savepoint; the lock is then held until the outer transaction ends).
type Beginner interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}

// lockKey is the advisory lock every run holds for its transaction, so
// runs from every instance at once serialise and the later ones find the
// work done. ("stackdb.partition" as ASCII, truncated to 8 bytes.)
const lockKey int64 = 0x737461636b64622e

// Maintain creates the partitions of today and the next Ahead days (for a
// monthly table, of the months they fall in), moves the rows of those
// spans out of the DEFAULT partitions, and drops the
// partitions past retention, in one transaction. It is idempotent and safe
// to run from every instance at once.
func Maintain(ctx context.Context, db Beginner, opts Options) (*Report, error) {
	tables := opts.Tables
	if tables == nil {
		tables = Tables
	}
	ahead := opts.Ahead
	if ahead == 0 {
		ahead = DefaultAhead
	}
	if ahead < 0 {
		return nil, fmt.Errorf("partition: ahead is %d days, want at least 0", ahead)
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	today := now.UTC().Truncate(Day)
	rep := newReport()
	err := run(ctx, db, func(tx pgx.Tx) error {
		for _, t := range tables {
			days := make([]time.Time, 0, ahead+1)
			for i := range ahead + 1 {
				days = append(days, today.AddDate(0, 0, i))
			}
			if err := create(ctx, tx, t, t.Span.starts(days), rep, opts.Log); err != nil {
				return err
			}
			if t.Retention > 0 {
				if err := drop(ctx, tx, t, now.Add(-t.Retention), rep, opts.Log); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// SplitDefault creates a partition for every day (month) that has rows in
// t's DEFAULT partition and moves those rows into it (the importer loads
// into the parent, then splits).
func SplitDefault(ctx context.Context, db Beginner, t Table) (*Report, error) {
	rep := newReport()
	err := run(ctx, db, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, fmt.Sprintf(`SELECT DISTINCT date_trunc('%s', %s, 'UTC') FROM %s`,
			t.Span.unit(), col(t.Column), ident(defaultName(t.Name))))
		if err != nil {
			return fmt.Errorf("partition: days in %s: %w", defaultName(t.Name), err)
		}
		days, err := pgx.CollectRows(rows, pgx.RowTo[time.Time])
		if err != nil {
			return fmt.Errorf("partition: days in %s: %w", defaultName(t.Name), err)
		}
		return create(ctx, tx, t, t.Span.starts(days), rep, nil)
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// CreateDays creates t's partitions holding days (UTC midnights) that do
// not exist yet, in tx, moving their rows out of the DEFAULT partition if it
// has any. The importer calls it before a COPY, so rows are routed straight
// into their partition instead of being written twice.
func CreateDays(ctx context.Context, tx pgx.Tx, t Table, days []time.Time) error {
	return create(ctx, tx, t, t.Span.starts(days), newReport(), nil)
}

func newReport() *Report {
	return &Report{Created: []string{}, Dropped: []string{}}
}

// run runs f in a transaction holding the maintenance lock.
func run(ctx context.Context, db Beginner, f func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", lockKey); err != nil {
			return fmt.Errorf("partition: take the maintenance lock: %w", err)
		}
		return f(tx)
	})
}

// defaultName is table's DEFAULT partition.
func defaultName(table string) string { return table + "_default" }

// Owned reports whether child, a partition of parent, is one stackdb
// makes: parent's DEFAULT partition or a dated partition named as
// Table.Partition names them (monthly for a monthly table of Tables,
// daily for any other).
func Owned(parent, child string) bool {
	if child == defaultName(parent) {
		return true
	}
	t := Table{Name: parent}
	if i := slices.IndexFunc(Tables, func(t Table) bool { return t.Name == parent }); i >= 0 {
		t = Tables[i]
	}
	_, ok := t.spanOf(child)
	return ok
}

// spanOf is the start of the span a dated partition's name says it holds.
func (t Table) spanOf(child string) (time.Time, bool) {
	s, ok := strings.CutPrefix(child, t.Name+"_p")
	layout := t.Span.layout()
	if !ok || len(s) != len(layout) {
		return time.Time{}, false
	}
	d, err := time.Parse(layout, s)
	return d, err == nil
}

// partitions lists the partitions of table.
func partitions(ctx context.Context, tx pgx.Tx, table string) ([]string, error) {
	rows, err := tx.Query(ctx, `SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
		WHERE i.inhparent = $1::regclass ORDER BY 1`, ident(table))
	if err != nil {
		return nil, fmt.Errorf("partition: list the partitions of %s: %w", table, err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("partition: list the partitions of %s: %w", table, err)
	}
	return names, nil
}

// create makes the missing partitions of starts (the starts of t's
// spans). Postgres refuses a partition whose range has rows in the DEFAULT
// partition, so those rows are moved out first, in one scan of the DEFAULT
// partition for all the spans, and routed into the new partitions in one
// INSERT.
func create(ctx context.Context, tx pgx.Tx, t Table, starts []time.Time, rep *Report, log func(string)) error {
	existing, err := partitions(ctx, tx, t.Name)
	if err != nil {
		return err
	}
	var missing []time.Time
	for _, d := range starts {
		if !slices.Contains(existing, t.Partition(d)) {
			missing = append(missing, d)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	def := defaultName(t.Name)
	var cols string
	var moved int64
	if slices.Contains(existing, def) {
		if cols, err = writableColumns(ctx, tx, t.Name); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, fmt.Sprintf("CREATE TEMP TABLE stackdb_partition_move ON COMMIT DROP AS SELECT %s FROM %s WITH NO DATA",
			cols, ident(t.Name))); err != nil {
			return fmt.Errorf("partition: move rows out of %s: %w", def, err)
		}
		tag, err := tx.Exec(ctx, fmt.Sprintf(`WITH d AS (DELETE FROM %s WHERE date_trunc('%s', %s, 'UTC') = ANY($1::timestamptz[]) RETURNING %s)
			INSERT INTO stackdb_partition_move SELECT * FROM d`, ident(def), t.Span.unit(), col(t.Column), cols), missing)
		if err != nil {
			return fmt.Errorf("partition: move rows out of %s: %w", def, err)
		}
		moved = tag.RowsAffected()
	}
	for _, d := range missing {
		name := t.Partition(d)
		if _, err := tx.Exec(ctx, fmt.Sprintf("CREATE TABLE %s PARTITION OF %s FOR VALUES FROM (%s) TO (%s)",
			ident(name), ident(t.Name), literal(d), literal(t.Span.next(d)))); err != nil {
			return fmt.Errorf("partition: create %s: %w", name, err)
		}
		rep.Created = append(rep.Created, name)
		if log != nil {
			log("created " + name)
		}
	}
	if cols != "" {
		if moved > 0 {
			if _, err := tx.Exec(ctx, fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM stackdb_partition_move",
				ident(t.Name), cols, cols)); err != nil {
				return fmt.Errorf("partition: move %d rows out of %s: %w", moved, def, err)
			}
			if log != nil {
				log(fmt.Sprintf("moved %d rows out of %s", moved, def))
			}
		}
		if _, err := tx.Exec(ctx, "DROP TABLE stackdb_partition_move"); err != nil {
			return fmt.Errorf("partition: move rows out of %s: %w", def, err)
		}
		rep.Moved += moved
	}
	return nil
}

// writableColumns is table's column list without its generated columns.
func writableColumns(ctx context.Context, tx pgx.Tx, table string) (string, error) {
	var cols string
	err := tx.QueryRow(ctx, `SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
		WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''`, ident(table)).Scan(&cols)
	if err != nil {
		return "", fmt.Errorf("partition: columns of %s: %w", table, err)
	}
	return cols, nil
}

// drop drops t's dated partitions whose span ends at or before cutoff and
// deletes the DEFAULT partition's rows before the span holding cutoff.
func drop(ctx context.Context, tx pgx.Tx, t Table, cutoff time.Time, rep *Report, log func(string)) error {
	existing, err := partitions(ctx, tx, t.Name)
	if err != nil {
		return err
	}
	for _, name := range existing {
		d, ok := t.spanOf(name)
		if !ok || t.Span.next(d).After(cutoff) {
			continue
		}
		if _, err := tx.Exec(ctx, "DROP TABLE "+ident(name)); err != nil {
			return fmt.Errorf("partition: drop %s: %w", name, err)
		}
		rep.Dropped = append(rep.Dropped, name)
		if log != nil {
			log("dropped " + name)
		}
	}
	if def := defaultName(t.Name); slices.Contains(existing, def) {
		tag, err := tx.Exec(ctx, fmt.Sprintf("DELETE FROM %s WHERE %s < %s",
			ident(def), col(t.Column), literal(t.Span.start(cutoff))))
		if err != nil {
			return fmt.Errorf("partition: delete from %s: %w", def, err)
		}
		rep.Deleted += tag.RowsAffected()
	}
	return nil
}

// ident is a table of schema public, qualified.
func ident(name string) string { return pgx.Identifier{"public", name}.Sanitize() }

// col is a column name, quoted.
func col(name string) string { return pgx.Identifier{name}.Sanitize() }

// literal is a timestamptz literal for a partition bound.
func literal(t time.Time) string {
	return "'" + t.UTC().Format("2006-01-02 15:04:05") + "+00'"
}
