package importer

import (
	"context"
	"crypto/md5"
	"database/sql"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/deploystack/stackdb/plugin"
)

// The load streams each legacy table, parents first, through one COPY:
// rows are read from the SQLite cursor one at a time, converted and checked
// in Go, and handed to pgx as they come, so memory holds one row plus
// pgx's send buffer, not the table. Checking a row needs only the tables
// loaded before it: its parents' accepted keys (foreign keys) and its own
// table's keys so far (unique indexes). Those key sets are the one thing
// that grows with the data: 16 bytes of hash per key (see keyHash), and
// none for a legacy INTEGER PRIMARY KEY that nothing references, whose
// uniqueness SQLite guarantees (the large log tables).
//
// A row with any defect is not sent and claims no key: its children become
// orphans, reported as such ("parent row rejected").

type loader struct {
	ctx    context.Context
	opts   Options
	legacy *legacyDB
	tx     pgx.Tx
	report *Report
	seeds  [2]maphash.Seed
	// sending is false once Abort mode has seen a defect: the rest is only
	// validated, to complete the report, since nothing will be committed.
	sending bool
	batch   int
}

// tableRun is the state of one table's load.
type tableRun struct {
	l        *loader
	tp       *tablePlan
	rep      *TableReport
	rows     *sql.Rows
	raw      []any
	ptrs     []any
	row      *rowState
	read     int64
	accepted int64
	sum      uint64 // Σ of the rows' 64-bit hashes, mod 2^64 (verify.go)
	send     bool
	err      error
}

// rowState is one row being converted.
type rowState struct {
	tp       *tablePlan
	vals     []convVal
	ok       []bool   // the column converted without a defect
	segs     [][2]int // each column's "<len>:<text>" or "N" within canon
	canon    []byte   // the row's canonical encoding
	tmp      []byte
	key      []byte
	copyVals []any
	defects  []Defect
}

func (r *rowState) checkValue(i int) cval { return r.tp.cols[i].checkValue(&r.vals[i]) }

func newRowState(tp *tablePlan) *rowState {
	n := len(tp.cols)
	return &rowState{tp: tp, vals: make([]convVal, n), ok: make([]bool, n), segs: make([][2]int, n), copyVals: make([]any, n)}
}

func (l *loader) keyHash(b []byte) [2]uint64 {
	// Two independent 64-bit hashes: a false match needs a 128-bit
	// collision (about 2^-128 per pair of keys), far below any hardware
	// error rate. A false "duplicate" or "parent present" would be reported
	// or caught by Postgres's own constraint, never silently committed.
	return [2]uint64{maphash.Bytes(l.seeds[0], b), maphash.Bytes(l.seeds[1], b)}
}

// loadTable streams one table into Postgres (or only validates it).
func (l *loader) loadTable(tp *tablePlan, rep *TableReport) error {
	for _, u := range tp.uniques {
		if u.track {
			u.set = map[[2]uint64]struct{}{}
		}
		if u.referenced {
			u.rejected = map[[2]uint64]struct{}{}
		}
	}
	rows, err := l.legacy.tx.QueryContext(l.ctx, tp.selectSQL)
	if err != nil {
		return l.readErr(tp, err)
	}
	defer rows.Close()
	n, _ := rows.Columns()
	tr := &tableRun{l: l, tp: tp, rep: rep, rows: rows, raw: make([]any, len(n)), ptrs: make([]any, len(n)), row: newRowState(tp), send: l.sending}
	for i := range tr.raw {
		tr.ptrs[i] = &tr.raw[i]
	}
	l.progress(tp, 0)
	if tr.send {
		cols := make([]string, len(tp.cols))
		for i, c := range tp.cols {
			cols[i] = c.target
		}
		var copied int64
		if tp.pluginID != "" {
			copied, err = plugin.CopyFrom(l.ctx, l.tx, tp.pluginID, tp.target, cols, tr)
		} else {
			copied, err = l.tx.CopyFrom(l.ctx, tp.ident, cols, tr)
		}
		if tr.err != nil {
			return tr.err
		}
		if err != nil {
			return fmt.Errorf("importer: copy %s into %s: %w", tp.legacy, tp.displayTarget(), err)
		}
		if copied != tr.accepted {
			return fmt.Errorf("%w: COPY into %s wrote %d rows, %d were sent", ErrVerify, tp.displayTarget(), copied, tr.accepted)
		}
	} else {
		for tr.Next() {
		}
		if tr.err != nil {
			return tr.err
		}
	}
	l.progress(tp, tr.read)
	rep.Rejected = tr.read - tr.accepted
	rep.Checksum = fmt.Sprintf("%016x", tr.sum)
	tp.accepted, tp.sum = tr.accepted, tr.sum
	if tr.read != rep.SourceRows {
		return fmt.Errorf("importer: %s: read %d rows, counted %d (the legacy file changed during the import?)", tp.legacy, tr.read, rep.SourceRows)
	}
	return nil
}

func (l *loader) readErr(tp *tablePlan, err error) error {
	if l.ctx.Err() != nil {
		return l.ctx.Err()
	}
	return fmt.Errorf("%w: read legacy table %s: %v", ErrSource, tp.legacy, err)
}

func (l *loader) progress(tp *tablePlan, done int64) {
	if l.opts.Progress != nil {
		l.opts.Progress(ProgressEvent{Table: tp.legacy, Target: tp.displayTarget(), Done: done, Total: tp.total})
	}
}

// Next implements pgx.CopyFromSource: it reads legacy rows until one is
// accepted. It runs on pgx's COPY goroutine while the caller waits, so
// nothing else touches the loader meanwhile.
func (tr *tableRun) Next() bool {
	for tr.rows.Next() {
		if err := tr.rows.Scan(tr.ptrs...); err != nil {
			tr.err = tr.l.readErr(tr.tp, err)
			return false
		}
		tr.read++
		if tr.read%int64(tr.l.batch) == 0 {
			tr.l.progress(tr.tp, tr.read)
		}
		if tr.l.processRow(tr) && tr.send {
			return true
		}
	}
	if err := tr.rows.Err(); err != nil {
		tr.err = tr.l.readErr(tr.tp, err)
	}
	return false
}

// Values implements pgx.CopyFromSource.
func (tr *tableRun) Values() ([]any, error) { return tr.row.copyVals, nil }

// Err implements pgx.CopyFromSource.
func (tr *tableRun) Err() error { return tr.err }

// pkText renders the legacy primary key of a row.
func pkText(tp *tablePlan, raw []any) string {
	parts := make([]string, len(tp.pkIdx))
	for i, k := range tp.pkIdx {
		v := raw[k]
		switch x := v.(type) {
		case string:
			if utf8.ValidString(x) && !strings.ContainsRune(x, 0) {
				parts[i] = x
			} else {
				parts[i] = strconv.Quote(x)
			}
		case int64:
			parts[i] = strconv.FormatInt(x, 10)
		default:
			parts[i] = excerpt(v)
		}
		if k == len(tp.legacyCols) {
			parts[i] = "rowid " + parts[i]
		}
	}
	return strings.Join(parts, ", ")
}

// keyOf builds the key of cols in r.key; ok is false when the key does not
// take part in the constraint (a NULL in it, with NULLS DISTINCT).
func (r *rowState) keyOf(cols []int, nullsNotDistinct bool) bool {
	r.key = r.key[:0]
	for _, i := range cols {
		if r.vals[i].null && !nullsNotDistinct {
			return false
		}
		s := r.segs[i]
		r.key = append(r.key, r.canon[s[0]:s[1]]...)
	}
	return true
}

func (tr *tableRun) defect(cols []int, class DefectClass, reason string) {
	tp, r := tr.tp, tr.row
	names := make([]string, len(cols))
	vals := make([]string, len(cols))
	for k, i := range cols {
		names[k] = tp.cols[i].legacy
		vals[k] = excerpt(tr.raw[i])
	}
	r.defects = append(r.defects, Defect{
		Table: tp.legacy, Target: tp.displayTarget(), Column: strings.Join(names, ","),
		Value: truncateRunes(strings.Join(vals, ", "), maxExcerpt), Class: class, Reason: reason,
	})
}

// processRow converts and checks the current row; it returns whether the
// row is accepted (its COPY values are then in tr.row.copyVals).
func (l *loader) processRow(tr *tableRun) bool {
	tp, r := tr.tp, tr.row
	r.canon = r.canon[:0]
	r.defects = r.defects[:0]
	for i, c := range tp.cols {
		raw := tr.raw[i]
		start := len(r.canon)
		var e *convErr
		r.tmp, e = c.convert(raw, &r.vals[i], r.tmp[:0])
		r.ok[i] = e == nil
		if e != nil {
			tr.defect([]int{i}, e.class, e.reason)
			r.canon = append(r.canon, 'N')
		} else if r.vals[i].null {
			r.canon = append(r.canon, 'N')
		} else {
			r.canon = strconv.AppendInt(r.canon, int64(len(r.tmp)), 10)
			r.canon = append(r.canon, ':')
			r.canon = append(r.canon, r.tmp...)
		}
		r.segs[i] = [2]int{start, len(r.canon)}
	}
	allOK := func(cols []int) bool {
		for _, i := range cols {
			if !r.ok[i] {
				return false
			}
		}
		return true
	}
	for _, c := range tp.checks {
		if !allOK(c.columns) || c.holds(r) {
			continue
		}
		if c.shapeCol >= 0 {
			got := jsonKind(r.vals[c.shapeCol].i).String()
			tr.defect([]int{c.shapeCol}, DefectJSONShape, fmt.Sprintf("must be a JSON %s (CHECK %s), got a JSON %s", c.shapeKind, c.name, got))
			continue
		}
		tr.defect(c.columns, DefectCheck, fmt.Sprintf("violates CHECK %s: %s", c.name, strings.TrimPrefix(c.def, "CHECK ")))
	}
	for _, fk := range tp.fks {
		if !allOK(fk.cols) || !r.keyOf(fk.cols, false) {
			continue
		}
		h := l.keyHash(r.key)
		if _, ok := fk.parent.set[h]; ok {
			continue
		}
		parent := fk.parent.table
		pcols := make([]string, len(fk.parent.cols))
		for k, i := range fk.parent.cols {
			pcols[k] = parent.cols[i].legacy
		}
		why := "no such row in the legacy file"
		if _, rejected := fk.parent.rejected[h]; rejected {
			why = "the parent row was rejected"
		}
		tr.defect(fk.cols, DefectOrphan, fmt.Sprintf("parent %s(%s) not imported: %s (foreign key %s)", parent.legacy, strings.Join(pcols, ","), why, fk.name))
	}
	var keys [][2]uint64
	if len(r.defects) == 0 {
		for _, u := range tp.uniques {
			if !u.track || !r.keyOf(u.cols, u.nullsNotDistinct) {
				continue
			}
			h := l.keyHash(r.key)
			if _, dup := u.set[h]; dup {
				tr.defect(u.cols, DefectDuplicate, fmt.Sprintf("an earlier row has the same value, and %s requires it to be unique", u.name))
				continue
			}
			keys = append(keys, h)
		}
	}
	if len(r.defects) > 0 {
		l.reject(tr)
		return false
	}
	k := 0
	for _, u := range tp.uniques {
		if u.track && r.keyOf(u.cols, u.nullsNotDistinct) {
			u.set[keys[k]] = struct{}{}
			k++
		}
	}
	sum := md5.Sum(r.canon)
	tr.sum += binary.BigEndian.Uint64(sum[:8])
	tr.accepted++
	for i, c := range tp.cols {
		r.copyVals[i] = c.copyValue(&r.vals[i])
	}
	return true
}

// reject records the current row's defects, remembers its keys so that its
// children are reported as orphans of a rejected parent, and in Skip mode
// keeps the row.
func (l *loader) reject(tr *tableRun) {
	tp, r := tr.tp, tr.row
	pk := pkText(tp, tr.raw)
	reasons := make([]string, 0, len(r.defects))
	for i := range r.defects {
		r.defects[i].PK = pk
		d := r.defects[i]
		reasons = append(reasons, fmt.Sprintf("%s: %s: %s", d.Column, d.Class, d.Reason))
	}
	l.report.Defects = append(l.report.Defects, r.defects...)
	for _, u := range tp.uniques {
		if !u.referenced {
			continue
		}
		ok := true
		for _, i := range u.cols {
			ok = ok && r.ok[i]
		}
		if ok && r.keyOf(u.cols, false) {
			u.rejected[l.keyHash(r.key)] = struct{}{}
		}
	}
	if l.opts.OnError == Skip {
		l.report.Rejected = append(l.report.Rejected, RejectedRow{
			Table: tp.legacy, Target: tp.displayTarget(), PK: pk,
			Values: legacyJSON(tp.legacyCols, tr.raw), Reasons: reasons,
		})
	} else {
		l.sending = false
	}
}
