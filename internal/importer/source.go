package importer

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/deploystack/stackdb/internal/legacy"
)

// source is where the legacy rows come from: the SQLite file (legacyDB)
// or a running DeployStack Postgres (pgSource). Either reads every table
// from one snapshot and hands its values over as SQLite storage classes
// (int64, float64, string, []byte, nil), which is what the conversion
// rules (convert.go) are written for. Calls never overlap.
type source interface {
	// table describes a legacy table (nil when there is none).
	table(name string) *legacyTable
	// scan runs query (a tablePlan's selectSQL) and hands its rows to fn.
	scan(ctx context.Context, query string, fn func(cursor) error) error
	// count and estimate return a table's number of rows, exact or an
	// estimate for the load order.
	count(ctx context.Context, table string) (int64, error)
	estimate(ctx context.Context, table string) (int64, error)
	// days returns the distinct UTC days of a point-in-time column, for
	// the partitions created before a COPY (nil: let SplitDefault route).
	days(ctx context.Context, table, column string, unit TimeUnit) ([]time.Time, error)
	// finalCheck runs once every row is read; the commit waits for it.
	finalCheck(ctx context.Context) error
	// readErr words an error that occurred while reading.
	readErr(err error) error
	Close()
}

// cursor is an open read of one table: driver.Rows satisfies it.
type cursor interface {
	Columns() []string
	Next(dest []driver.Value) error // io.EOF after the last row
}

// sqliteHeader starts every SQLite 3 database file.
const sqliteHeader = "SQLite format 3\x00"

// legacyDB is the legacy SQLite file, read on one connection inside one
// read transaction, so every table is read from the same snapshot.
type legacyDB struct {
	path   string
	db     *sql.DB
	conn   *sql.Conn // in the read transaction once init has run
	tables map[string]*legacyTable
	names  []string // table names, sorted
	views  []string
	// pluginTables are the tables __plugin_migrations lists, by legacy
	// name ("<plugin_id>_<table_name>").
	pluginTables map[string]pluginTable
}

// pluginTable is a row of __plugin_migrations: a plugin and one of its
// tables.
type pluginTable struct{ id, table string }

type legacyTable struct {
	name         string
	cols         []legacyCol
	withoutRowid bool
	uniques      [][]string // the columns of each unique index (the primary key's included)
}

// hasUnique reports whether SQLite enforces a unique key on exactly cols
// (in any order).
func (t *legacyTable) hasUnique(cols []string) bool {
	for _, u := range t.uniques {
		if len(u) == len(cols) && !slices.ContainsFunc(cols, func(c string) bool { return !slices.Contains(u, c) }) {
			return true
		}
	}
	return false
}

type legacyCol struct {
	name     string
	declType string
	notNull  bool
	pk       int // position in the primary key, 1-based; 0 when not part of it
}

func (t *legacyTable) col(name string) (legacyCol, bool) {
	for _, c := range t.cols {
		if c.name == name {
			return c, true
		}
	}
	return legacyCol{}, false
}

// rowidAlias reports whether column name is the table's INTEGER PRIMARY
// KEY, an alias of the rowid: SQLite guarantees it is a unique, non-NULL
// integer.
func (t *legacyTable) rowidAlias(name string) bool {
	if t.withoutRowid {
		return false
	}
	var pk []legacyCol
	for _, c := range t.cols {
		if c.pk > 0 {
			pk = append(pk, c)
		}
	}
	return len(pk) == 1 && pk[0].name == name && strings.EqualFold(strings.TrimSpace(pk[0].declType), "INTEGER")
}

// CheckFile checks, cheaply, that path is a readable file that starts like
// an SQLite database (ErrSource otherwise): what a caller can check before
// it sets anything up for an import, such as a throwaway Postgres.
func CheckFile(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrSource, path, errors.Unwrap(err))
	}
	if fi.IsDir() {
		return fmt.Errorf("%w: %s is a directory, not an SQLite file", ErrSource, path)
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrSource, err)
	}
	head := make([]byte, len(sqliteHeader))
	_, err = io.ReadFull(f, head)
	f.Close()
	if err != nil || !bytes.Equal(head, []byte(sqliteHeader)) {
		return fmt.Errorf("%w: %s is not an SQLite database (no SQLite header)", ErrSource, path)
	}
	return nil
}

// openLegacy opens the SQLite file read-only, checks that it is an intact
// SQLite database and reads its table list.
func openLegacy(ctx context.Context, path string) (*legacyDB, error) {
	if err := CheckFile(path); err != nil {
		return nil, err
	}
	db, err := legacy.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSource, err)
	}
	db.SetMaxOpenConns(1)
	l := &legacyDB{path: path, db: db, tables: map[string]*legacyTable{}}
	if err := l.init(ctx); err != nil {
		l.Close()
		return nil, err
	}
	return l, nil
}

func (l *legacyDB) table(name string) *legacyTable { return l.tables[name] }

func (l *legacyDB) readErr(err error) error { return l.corrupt(err) }

func (l *legacyDB) finalCheck(ctx context.Context) error { return l.quickCheck(ctx) }

// scan reads through the SQLite driver itself, on the legacy connection:
// database/sql's Next and Scan took a sixth of the reading time, and the
// reader is on the import's critical path.
func (l *legacyDB) scan(ctx context.Context, query string, fn func(cursor) error) error {
	return l.conn.Raw(func(dc any) error {
		rows, err := dc.(driver.QueryerContext).QueryContext(ctx, query, nil)
		if err != nil {
			return err
		}
		defer rows.Close()
		return fn(rows)
	})
}

func (l *legacyDB) Close() {
	if l.conn != nil {
		_, _ = l.conn.ExecContext(context.Background(), "ROLLBACK")
		_ = l.conn.Close()
	}
	_ = l.db.Close()
}

// corrupt words an error reading the file. Two are not corruption and
// say what to do instead: a lock held by a writer, and a hot journal (an
// interrupted write) that a read-only open cannot roll back. They are told
// by SQLite's own messages (sqlite3ErrStr), which are the same in every
// driver and also in a build without cgo, where the driver's error type
// does not exist.
func (l *legacyDB) corrupt(err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "database is locked"), strings.Contains(msg, "database table is locked"):
		return fmt.Errorf("%w: %s is locked by another process (is DeployStack still running?); stop it, or import a copy (sqlite3 %s \".backup copy.db\")",
			ErrSource, l.path, l.path)
	case strings.Contains(msg, "attempt to write a readonly database"): // only recovery writes to a file opened read-only
		return fmt.Errorf("%w: %s has a hot journal (a write was interrupted): open it once with sqlite3 to recover, or copy it with its -journal/-wal file",
			ErrSource, l.path)
	}
	return fmt.Errorf("%w: %s is corrupt or not a readable SQLite database: %v", ErrSource, l.path, err)
}

func (l *legacyDB) init(ctx context.Context) error {
	var err error
	if l.conn, err = l.db.Conn(ctx); err != nil {
		return l.corrupt(err)
	}
	if _, err := l.conn.ExecContext(ctx, "BEGIN"); err != nil {
		return l.corrupt(err)
	}
	rows, err := l.conn.QueryContext(ctx, "SELECT type, name, coalesce(sql, '') FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name")
	if err != nil {
		return l.corrupt(err)
	}
	for rows.Next() {
		var typ, name, ddl string
		if err := rows.Scan(&typ, &name, &ddl); err != nil {
			rows.Close()
			return l.corrupt(err)
		}
		if typ == "view" {
			l.views = append(l.views, name)
			continue
		}
		l.names = append(l.names, name)
		l.tables[name] = &legacyTable{name: name, withoutRowid: strings.Contains(strings.ToUpper(ddl), "WITHOUT ROWID")}
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return l.corrupt(err)
	}
	rows.Close()
	for _, name := range l.names {
		t := l.tables[name]
		rows, err := l.conn.QueryContext(ctx, `SELECT name, type, "notnull", pk FROM pragma_table_info(?) ORDER BY cid`, name)
		if err != nil {
			return l.corrupt(err)
		}
		for rows.Next() {
			var c legacyCol
			if err := rows.Scan(&c.name, &c.declType, &c.notNull, &c.pk); err != nil {
				rows.Close()
				return l.corrupt(err)
			}
			t.cols = append(t.cols, c)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return l.corrupt(err)
		}
		if err := l.readUniques(ctx, t); err != nil {
			return err
		}
	}
	return l.readPluginMigrations(ctx)
}

// readUniques reads the unique keys SQLite enforces on t: its unique
// indexes (PRIMARY KEY and UNIQUE constraints have one each) and a rowid
// alias. Partial indexes do not count.
func (l *legacyDB) readUniques(ctx context.Context, t *legacyTable) error {
	for _, c := range t.cols {
		if t.rowidAlias(c.name) {
			t.uniques = append(t.uniques, []string{c.name})
		}
	}
	rows, err := l.conn.QueryContext(ctx, `SELECT il.name, ii.name FROM pragma_index_list(?) il, pragma_index_info(il.name) ii
		WHERE il."unique" AND NOT il.partial ORDER BY il.seq, ii.seqno`, t.name)
	if err != nil {
		return l.corrupt(err)
	}
	defer rows.Close()
	byIndex := map[string]int{}
	for rows.Next() {
		var index string
		var col sql.NullString // NULL for an expression
		if err := rows.Scan(&index, &col); err != nil {
			return l.corrupt(err)
		}
		i, ok := byIndex[index]
		if !ok {
			i = len(t.uniques)
			byIndex[index] = i
			t.uniques = append(t.uniques, nil)
		}
		if !col.Valid {
			col.String = "\x00expression" // matches no column
		}
		t.uniques[i] = append(t.uniques[i], col.String)
	}
	if err := rows.Err(); err != nil {
		return l.corrupt(err)
	}
	return nil
}

// readPluginMigrations reads which tables belong to plugins: the plugin
// system records each table it creates in __plugin_migrations.
func (l *legacyDB) readPluginMigrations(ctx context.Context) error {
	l.pluginTables = map[string]pluginTable{}
	t := l.tables["__plugin_migrations"]
	if t == nil {
		return nil
	}
	for _, c := range []string{"plugin_id", "table_name"} {
		if _, ok := t.col(c); !ok {
			return fmt.Errorf("%w: %s: __plugin_migrations has no column %s", ErrSource, l.path, c)
		}
	}
	rows, err := l.conn.QueryContext(ctx, `SELECT CAST(plugin_id AS TEXT), CAST(table_name AS TEXT) FROM __plugin_migrations ORDER BY rowid`)
	if err != nil {
		return l.corrupt(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, table sql.NullString
		if err := rows.Scan(&id, &table); err != nil {
			return l.corrupt(err)
		}
		if !id.Valid || !table.Valid {
			return fmt.Errorf("%w: %s: __plugin_migrations has a row with a NULL plugin_id or table_name", ErrSource, l.path)
		}
		l.pluginTables[id.String+"_"+table.String] = pluginTable{id: id.String, table: table.String}
	}
	if err := rows.Err(); err != nil {
		return l.corrupt(err)
	}
	return nil
}

// quickCheck runs PRAGMA quick_check, which reads every page of the file:
// a damaged file fails it even where the load read nothing wrong. It takes
// as long as a twentieth of a large import, so Run runs it as soon as the
// conversion is over, while Postgres still loads, and commits only after
// it passed.
func (l *legacyDB) quickCheck(ctx context.Context) error {
	rows, err := l.conn.QueryContext(ctx, "PRAGMA quick_check")
	if err != nil {
		return l.corrupt(err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var msg string
		if err := rows.Scan(&msg); err != nil {
			return l.corrupt(err)
		}
		if msg != "ok" && len(problems) < 5 {
			problems = append(problems, msg)
		}
	}
	if err := rows.Err(); err != nil {
		return l.corrupt(err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s is corrupt (PRAGMA quick_check: %s)", ErrSource, l.path, strings.Join(problems, "; "))
	}
	return nil
}

// estimate returns an upper bound of the number of rows of a table, for
// the load order (smallest first): the span of its rowids, read from the ends of the rowid tree
// (a count would read every page). Only a WITHOUT ROWID table is counted.
func (l *legacyDB) estimate(ctx context.Context, table string) (int64, error) {
	q := "SELECT count(*) FROM " + quoteSQLite(table)
	if t := l.tables[table]; t == nil || !t.withoutRowid {
		q = fmt.Sprintf("SELECT coalesce((SELECT max(rowid) FROM %[1]s) - (SELECT min(rowid) FROM %[1]s) + 1, 0)", quoteSQLite(table))
	}
	var n int64
	if err := l.conn.QueryRowContext(ctx, q).Scan(&n); err != nil {
		return 0, l.corrupt(err)
	}
	return n, nil
}

// days returns the distinct UTC days (as midnights) of an integer epoch
// column (seconds or milliseconds), for the partitions an import creates
// ahead of its COPY.
func (l *legacyDB) days(ctx context.Context, table, column string, unit TimeUnit) ([]time.Time, error) {
	day, ok := perDay(unit)
	if !ok {
		return nil, nil // the DEFAULT partition takes the rows, SplitDefault splits them
	}
	// Years 1 to 9999 only: the conversion rejects the rest as defects.
	const first, last = -62135596800, 253402300799 // 0001-01-01, 9999-12-31T23:59:59Z in seconds
	q := fmt.Sprintf("SELECT DISTINCT %[1]s / %[2]d FROM %[3]s WHERE typeof(%[1]s) = 'integer' AND %[1]s BETWEEN %[4]d AND %[5]d ORDER BY 1",
		quoteSQLite(column), day, quoteSQLite(table), first*(day/86400), last*(day/86400))
	rows, err := l.conn.QueryContext(ctx, q)
	if err != nil {
		return nil, l.corrupt(err)
	}
	defer rows.Close()
	var days []time.Time
	for rows.Next() {
		var d int64
		if err := rows.Scan(&d); err != nil {
			return nil, l.corrupt(err)
		}
		days = append(days, time.Unix(d*86400, 0).UTC())
	}
	if err := rows.Err(); err != nil {
		return nil, l.corrupt(err)
	}
	return days, nil
}

// perDay is the number of units of an integer epoch per day.
func perDay(u TimeUnit) (int64, bool) {
	switch u {
	case Seconds:
		return 86400, true
	case Millis:
		return 86400_000, true
	}
	return 0, false
}

// count returns the number of rows of a table.
func (l *legacyDB) count(ctx context.Context, table string) (int64, error) {
	var n int64
	if err := l.conn.QueryRowContext(ctx, "SELECT count(*) FROM "+quoteSQLite(table)).Scan(&n); err != nil {
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		return 0, l.corrupt(err)
	}
	return n, nil
}

// quoteSQLite quotes an identifier for SQLite.
func quoteSQLite(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
