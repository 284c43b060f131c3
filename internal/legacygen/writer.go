package legacygen

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// ---------------------------------------------------------------------------
// Writing: multi-row prepared INSERTs on one connection, committed every
// rowsPerTx rows. Errors are sticky: the first one stops all writes and is
// reported when the generator checks w.err.

type writer struct {
	ctx    context.Context
	conn   *sql.Conn
	inTx   int
	open   bool
	err    error
	tables []*table
}

func (w *writer) exec(q string) {
	if w.err != nil {
		return
	}
	if _, err := w.conn.ExecContext(w.ctx, q); err != nil {
		w.err = fmt.Errorf("%.60s: %w", q, err)
	}
}

func (w *writer) begin() {
	w.exec("BEGIN")
	w.open = w.err == nil
	w.inTx = 0
}

func (w *writer) commit() {
	if w.open {
		w.exec("COMMIT")
		w.open = false
	}
}

// table is one INSERT target with a buffer of up to per rows.
type table struct {
	w     *writer
	name  string
	cols  []string
	per   int
	full  *sql.Stmt
	buf   []any
	n     int
	count int64
	// corrupt, when set, may replace values of a row before it is
	// buffered (Options.DefectRate).
	corrupt func(vals []any)
}

func (w *writer) table(name string, cols ...string) *table {
	t := &table{w: w, name: name, cols: cols, per: min(256, 32000/len(cols))}
	t.buf = make([]any, t.per*len(cols))
	w.tables = append(w.tables, t)
	if w.err == nil {
		t.full, w.err = w.conn.PrepareContext(w.ctx, t.insertSQL(t.per))
	}
	return t
}

func (t *table) insertSQL(rows int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO "` + t.name + `" (`)
	for i, c := range t.cols {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + c + `"`)
	}
	b.WriteString(") VALUES ")
	row := "(" + strings.Repeat("?,", len(t.cols)-1) + "?)"
	for i := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
	}
	return b.String()
}

// add buffers one row; its values must match the table's columns.
func (t *table) add(vals ...any) {
	if len(vals) != len(t.cols) {
		panic(fmt.Sprintf("legacygen: %s: %d values for %d columns", t.name, len(vals), len(t.cols)))
	}
	if t.w.err != nil {
		return
	}
	if t.corrupt != nil {
		t.corrupt(vals)
	}
	copy(t.buf[t.n*len(t.cols):], vals)
	t.n++
	t.count++
	if t.n == t.per {
		t.execBuffered(t.full)
	}
}

func (t *table) execBuffered(stmt *sql.Stmt) {
	w := t.w
	if w.err == nil {
		w.err = w.ctx.Err()
	}
	if w.err == nil {
		if _, err := stmt.ExecContext(w.ctx, t.buf[:t.n*len(t.cols)]...); err != nil {
			w.err = fmt.Errorf("insert into %s: %w", t.name, err)
		}
	}
	clear(t.buf)
	w.inTx += t.n
	t.n = 0
	if w.inTx >= rowsPerTx {
		w.commit()
		w.begin()
	}
}

// flush writes the buffered rows.
func (t *table) flush() {
	if t.n == 0 || t.w.err != nil {
		return
	}
	stmt, err := t.w.conn.PrepareContext(t.w.ctx, t.insertSQL(t.n))
	if err != nil {
		t.w.err = err
		return
	}
	t.execBuffered(stmt)
	_ = stmt.Close()
}

func (w *writer) finish() {
	for _, t := range w.tables {
		t.flush()
		if t.full != nil {
			_ = t.full.Close()
		}
	}
	w.commit()
}
