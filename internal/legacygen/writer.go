package legacygen

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// ---------------------------------------------------------------------------
// Writing: the generator adds rows to tables, each table buffers them and
// hands full buffers to the output of its layout (SQLite INSERTs, Postgres
// COPY). Errors are sticky: the first one stops all writes and is reported
// when the generator checks w.err.

type writer struct {
	ctx    context.Context
	out    output
	err    error
	tables []*table
}

// output is where a layout's rows go.
type output interface {
	// rowsPerWrite is how many rows of width values a write takes.
	rowsPerWrite(width int) int
	// write writes the rows of t: len(vals)/t.width rows, each t.cols
	// then t.extraCols.
	write(t *table, vals []any) error
	// finish writes what is left pending; the writer calls it once, after
	// the last write.
	finish() error
}

// table is one target table with a buffer of up to per rows.
type table struct {
	w    *writer
	name string
	cols []string
	// extraCols are columns a layout has beyond cols, filled by extra from
	// each row's values of cols, which it may change (see extend).
	extraCols []string
	extra     func(vals []any) []any
	width     int
	per       int
	buf       []any
	n         int
	count     int64
}

func (w *writer) table(name string, cols ...string) *table {
	t := &table{w: w, name: name, cols: cols}
	t.resize()
	w.tables = append(w.tables, t)
	return t
}

// extend gives t the columns a layout has beyond the generator's, filled
// by extra from the values of each row. extra may also change those values,
// for the values a layout adds to a value set.
func (t *table) extend(extra func(vals []any) []any, cols ...string) {
	t.extraCols, t.extra = cols, extra
	t.resize()
}

func (t *table) resize() {
	t.width = len(t.cols) + len(t.extraCols)
	t.per = t.w.out.rowsPerWrite(t.width)
	t.buf = make([]any, t.per*t.width)
}

// col is the index of a column of cols in a row's values.
func (t *table) col(name string) int {
	for i, c := range t.cols {
		if c == name {
			return i
		}
	}
	panic("legacygen: " + t.name + " has no column " + name)
}

// add buffers one row; its values must match the table's columns.
func (t *table) add(vals ...any) {
	if len(vals) != len(t.cols) {
		panic(fmt.Sprintf("legacygen: %s: %d values for %d columns", t.name, len(vals), len(t.cols)))
	}
	if t.w.err != nil {
		return
	}
	row := t.buf[t.n*t.width : (t.n+1)*t.width]
	copy(row, vals)
	if t.extra != nil {
		ex := t.extra(row[:len(t.cols)])
		if len(ex) != len(t.extraCols) {
			panic(fmt.Sprintf("legacygen: %s: %d extra values for %d columns", t.name, len(ex), len(t.extraCols)))
		}
		copy(row[len(t.cols):], ex)
	}
	t.n++
	t.count++
	if t.n == t.per {
		t.flush()
	}
}

// flush writes the buffered rows.
func (t *table) flush() {
	w := t.w
	if t.n == 0 || w.err != nil {
		return
	}
	w.err = w.ctx.Err()
	if w.err == nil {
		if err := w.out.write(t, t.buf[:t.n*t.width]); err != nil {
			w.err = fmt.Errorf("insert into %s: %w", t.name, err)
		}
	}
	clear(t.buf)
	t.n = 0
}

func (w *writer) finish() {
	for _, t := range w.tables {
		t.flush()
	}
	if err := w.out.finish(); err != nil && w.err == nil {
		w.err = err
	}
}

// ---------------------------------------------------------------------------
// SQLite: multi-row prepared INSERTs on one connection, committed every
// rowsPerTx rows.

type sqliteOutput struct {
	ctx  context.Context
	conn *sql.Conn
	full map[*table]*sql.Stmt // the INSERT of t.per rows
	inTx int
	open bool
}

func newSQLiteOutput(ctx context.Context, conn *sql.Conn) (*sqliteOutput, error) {
	o := &sqliteOutput{ctx: ctx, conn: conn, full: map[*table]*sql.Stmt{}}
	return o, o.begin()
}

func (o *sqliteOutput) rowsPerWrite(width int) int { return min(256, 32000/width) }

func (o *sqliteOutput) begin() error {
	if _, err := o.conn.ExecContext(o.ctx, "BEGIN"); err != nil {
		return fmt.Errorf("BEGIN: %w", err)
	}
	o.open, o.inTx = true, 0
	return nil
}

func (o *sqliteOutput) commit() error {
	if !o.open {
		return nil
	}
	o.open = false
	if _, err := o.conn.ExecContext(o.ctx, "COMMIT"); err != nil {
		return fmt.Errorf("COMMIT: %w", err)
	}
	return nil
}

func (o *sqliteOutput) write(t *table, vals []any) error {
	rows := len(vals) / t.width
	stmt := o.full[t]
	if rows != t.per || stmt == nil {
		s, err := o.conn.PrepareContext(o.ctx, insertSQL(t, rows))
		if err != nil {
			return err
		}
		if rows == t.per {
			o.full[t] = s
		} else {
			defer s.Close()
		}
		stmt = s
	}
	if _, err := stmt.ExecContext(o.ctx, vals...); err != nil {
		return err
	}
	o.inTx += rows
	if o.inTx >= rowsPerTx {
		if err := o.commit(); err != nil {
			return err
		}
		return o.begin()
	}
	return nil
}

func (o *sqliteOutput) finish() error {
	for _, s := range o.full {
		_ = s.Close()
	}
	return o.commit()
}

func insertSQL(t *table, rows int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO "` + t.name + `" (`)
	for i, c := range append(t.cols[:len(t.cols):len(t.cols)], t.extraCols...) {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + c + `"`)
	}
	b.WriteString(") VALUES ")
	row := "(" + strings.Repeat("?,", t.width-1) + "?)"
	for i := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
	}
	return b.String()
}
