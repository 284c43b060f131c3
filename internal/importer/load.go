package importer

import (
	"context"
	"database/sql/driver"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/deploystack/stackdb/internal/partition"
)

// The load streams each legacy table, in loadOrder, through one COPY in
// Postgres's binary format. Four things run at once: a reader goroutine
// pulls rows from the SQLite cursor in batches (readAhead); the converting
// goroutine converts, checks and encodes them into the table's spool
// (convertAll, spool.go); the loading goroutine copies each spool into
// Postgres, then rebuilds that table's primary key and indexes (load); and
// Postgres parses and stores. The conversion runs ahead of the COPY, so
// Go's work overlaps Postgres's index builds. Memory holds a few batches of
// rows and a write buffer, not the table.
//
// Checking a row needs only the tables converted before it: its parents'
// accepted keys (foreign keys) and its own table's keys so far (unique
// indexes). Those key sets are the one thing that grows with the data: 16
// bytes of hash per key (see keyHash and keySet), and none for a key that
// nothing references and whose uniqueness SQLite guarantees: a legacy
// INTEGER PRIMARY KEY, or a legacy unique key whose values all convert
// one to one (the large log tables' TEXT ids; see legacyUnique). Defects and rejected rows go to
// files (Report), not memory.
//
// A row with any defect is not sent and claims no key: its children become
// orphans, reported as such ("parent row rejected").

type loader struct {
	ctx    context.Context // cancelled by stop
	stop   context.CancelFunc
	opts   Options
	legacy source
	tx     pgx.Tx
	report *Report
	seeds  [2]maphash.Seed
	// sending is false once Abort mode has seen a defect: the rest is only
	// validated, to complete the report, since nothing will be committed.
	sending bool
	batch   int
	logErr  error // the first failure to spool a defect or a rejected row
}

// readBatchRows is the number of legacy rows the reader hands over at once;
// readBatches batches are in flight, so the reader runs ahead of the
// conversion by at most readBatches*readBatchRows rows.
const (
	readBatchRows = 512
	readBatches   = 4
)

// rowBatch is a batch of legacy rows, read ahead of the conversion.
type rowBatch struct {
	raw  [][]driver.Value // raw[i][j]: value j of row i, as the SQLite driver returns it
	n    int              // rows filled
	err  error            // the read failed after the n rows
	last bool             // no rows after these
}

// tableRun is the state of one table's conversion.
type tableRun struct {
	l        *loader
	tp       *tablePlan
	full     chan *rowBatch // filled by readAhead
	free     chan *rowBatch // handed back to readAhead
	stop     chan struct{}  // closed to make readAhead return
	done     chan struct{}  // closed when readAhead has returned
	cur      *rowBatch
	next     int            // index of the next row in cur
	raw      []driver.Value // the current row's legacy values
	row      *rowState
	read     int64
	accepted int64
	sum      uint64 // Σ of the rows' hashes, mod 2^64 (verify.go)
	send     bool
	err      error
}

// rowState is one row being converted.
type rowState struct {
	tp      *tablePlan
	vals    []convVal
	ok      []bool   // the column converted without a defect
	segs    [][2]int // each column's "<len>:<text>" or "N" within canon
	canon   []byte   // the row's canonical encoding, for keys
	tmp     []byte
	key     []byte
	json    jsonParser
	defects []Defect
}

func (r *rowState) checkValue(i int) cval { return r.tp.cols[i].checkValue(&r.vals[i]) }

func newRowState(tp *tablePlan) *rowState {
	n := len(tp.cols)
	return &rowState{tp: tp, vals: make([]convVal, n), ok: make([]bool, n), segs: make([][2]int, n)}
}

func (l *loader) keyHash(b []byte) [2]uint64 {
	// Two independent 64-bit hashes: a false match needs a 128-bit
	// collision (about 2^-128 per pair of keys), far below any hardware
	// error rate. A false "duplicate" or "parent present" would be reported
	// or caught by Postgres's own constraint, never silently committed.
	return [2]uint64{maphash.Bytes(l.seeds[0], b), maphash.Bytes(l.seeds[1], b)}
}

// tableLoad is one table on its way: converted into its spool by the
// converting goroutine, copied from it by the loading one.
type tableLoad struct {
	tp    *tablePlan
	rep   *TableReport
	send  bool   // its rows go to Postgres: false once Abort mode has seen a defect
	spool *spool // when send
	done  chan struct{}
	err   error // the conversion's, once done is closed
}

// spoolFlush is how much encoded COPY data is buffered between two writes
// to the spool.
const spoolFlush = 256 << 10

// convertAll converts the tables in order, handing each to out as it
// starts; it stops at the first error (the table's err).
func (l *loader) convertAll(plans []*tablePlan, reps []TableReport, out chan<- *tableLoad) {
	defer close(out)
	for i, tp := range plans {
		tl := &tableLoad{tp: tp, rep: &reps[i], send: l.sending, done: make(chan struct{})}
		if tl.send {
			if tl.spool, tl.err = newSpool(l.opts.TempDir); tl.err != nil {
				close(tl.done)
				out <- tl
				return
			}
		}
		out <- tl
		tl.err = l.convertTable(tl)
		if tl.send {
			tl.spool.finish(tl.err)
		}
		close(tl.done)
		if tl.err != nil {
			return
		}
	}
}

// convertTable converts one table into its spool (or only validates it).
func (l *loader) convertTable(tl *tableLoad) error {
	tp := tl.tp
	for _, u := range tp.uniques {
		if u.track && !u.referenced && u.legacyKey != nil {
			guaranteed, err := l.legacyUnique(tp, u.legacyKey)
			if err != nil {
				return err
			}
			u.track = !guaranteed
		}
		if u.track {
			u.set = newKeySet(tp.total)
		}
		if u.referenced {
			u.rejected = newKeySet(0)
		}
	}
	tr := &tableRun{l: l, tp: tp, row: newRowState(tp), send: tl.send,
		full: make(chan *rowBatch, readBatches), free: make(chan *rowBatch, readBatches),
		stop: make(chan struct{}), done: make(chan struct{})}
	// Progress gets the exact count: the rowid span that planning
	// estimated overshoots by the rows deleted in the middle (a bar of
	// 0/2122 that ends at 1824). SQLite counts from the table's smallest
	// index, while Postgres is busy loading the previous table.
	if l.opts.Progress != nil {
		n, err := l.legacy.count(l.ctx, tp.legacy)
		if err != nil {
			return err
		}
		tp.total = n
	}
	go tr.readAhead()
	defer func() {
		close(tr.stop)
		<-tr.done
	}()

	l.progress(tp, 0)
	var buf []byte
	if tr.send {
		buf = append(make([]byte, 0, spoolFlush+4096), copyHeader...)
	}
	for tr.nextAccepted() {
		buf = tr.appendCopyRow(buf)
		if len(buf) >= spoolFlush {
			if err := tl.spool.write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	if tr.err != nil {
		return tr.err
	}
	if tr.send {
		if err := tl.spool.write(append(buf, 0xff, 0xff)); err != nil { // trailer: a field count of -1
			return err
		}
	}
	// A key set nothing references is of no use once its table is done:
	// freeing it keeps the memory to the largest table's keys (plus the
	// parents' key sets), not the sum over all tables.
	for _, u := range tp.uniques {
		if !u.referenced {
			u.set = nil
		}
	}
	tp.total = tr.read
	l.progress(tp, tr.read)
	tl.rep.SourceRows, tl.rep.Rejected = tr.read, tr.read-tr.accepted
	tl.rep.Checksum = fmt.Sprintf("%016x", tr.sum)
	tp.accepted, tp.sum = tr.accepted, tr.sum
	return nil
}

// load copies a converted table's spool into Postgres as the conversion
// writes it, then rebuilds the table's primary key and indexes.
func (l *loader) load(tl *tableLoad, rebuild []string) error {
	tp := tl.tp
	if !tl.send {
		<-tl.done
		return tl.err
	}
	defer tl.spool.close()
	cols := make([]string, len(tp.cols))
	for i, c := range tp.cols {
		cols[i] = pgx.Identifier{c.target}.Sanitize()
	}
	if err := createPartitions(l.ctx, l.tx, tp); err != nil {
		return err
	}
	sql := "COPY " + tp.ident.Sanitize() + " (" + strings.Join(cols, ", ") + ") FROM STDIN (FORMAT binary"
	if tp.freeze && !tp.partitioned {
		sql += ", FREEZE"
	}
	sql += ")"
	tag, err := l.tx.Conn().PgConn().CopyFrom(l.ctx, tl.spool.reader(), sql)
	if err != nil {
		l.stop() // the rest of the conversion is of no use
	}
	<-tl.done
	if tl.err != nil && (err == nil || !errors.Is(tl.err, context.Canceled)) {
		return tl.err
	}
	if err != nil {
		return fmt.Errorf("importer: copy %s into %s: %w", tp.legacy, tp.displayTarget(), err)
	}
	if tag.RowsAffected() != tp.accepted {
		return fmt.Errorf("%w: COPY into %s wrote %d rows, %d were sent", ErrVerify, tp.displayTarget(), tag.RowsAffected(), tp.accepted)
	}
	if err := splitPartitions(l.ctx, l.tx, tp); err != nil {
		return err
	}
	return restore(l.ctx, l.tx, rebuild)
}

func newRowBatch(ncols int) *rowBatch {
	b := &rowBatch{raw: make([][]driver.Value, readBatchRows)}
	for i := range b.raw {
		b.raw[i] = make([]driver.Value, ncols)
	}
	return b
}

// readAhead reads the legacy rows into batches until the cursor ends, the
// read fails, or stop is closed.
func (tr *tableRun) readAhead() {
	defer close(tr.done)
	var b *rowBatch // the batch being filled
	next := func() bool {
		select {
		case b = <-tr.free:
			b.n, b.err, b.last = 0, nil, false
			return true
		case <-tr.stop:
			return false
		}
	}
	send := func() bool {
		select {
		case tr.full <- b:
			return true
		case <-tr.stop:
			return false
		}
	}
	err := tr.l.legacy.scan(tr.l.ctx, tr.tp.selectSQL, func(rows cursor) error {
		for range readBatches {
			tr.free <- newRowBatch(len(rows.Columns()))
		}
		for next() {
			for ; b.n < len(b.raw); b.n++ {
				if err := rows.Next(b.raw[b.n]); err == io.EOF {
					b.last = true
					break
				} else if err != nil {
					return err // b keeps the rows read before
				}
			}
			if !send() || b.last {
				return nil
			}
		}
		return nil // stopped
	})
	if err != nil {
		if b == nil { // the query failed
			b = &rowBatch{}
		}
		b.err, b.last = err, true
		send()
	}
}

// nextAccepted converts and checks legacy rows until one is accepted; it
// returns false at the end of the table or on a read error (tr.err).
func (tr *tableRun) nextAccepted() bool {
	for {
		if tr.cur == nil || tr.next == tr.cur.n {
			if tr.cur != nil {
				if tr.cur.last {
					if tr.cur.err != nil {
						tr.err = tr.l.readErr(tr.tp, tr.cur.err)
					}
					return false
				}
				tr.free <- tr.cur
			}
			tr.cur, tr.next = <-tr.full, 0
			continue
		}
		tr.raw = tr.cur.raw[tr.next]
		tr.next++
		tr.read++
		if tr.read%int64(tr.l.batch) == 0 {
			tr.l.progress(tr.tp, tr.read)
		}
		if tr.l.processRow(tr) && tr.send {
			return true
		}
		if tr.l.logErr != nil {
			tr.err = tr.l.logErr
			return false
		}
	}
}

// copyHeader starts a binary COPY stream: signature, flags, no extension.
const copyHeader = "PGCOPY\n\xff\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00"

// appendCopyRow appends the current row in COPY's binary format: the field
// count, then each field's length (-1 for NULL) and its binary form.
func (tr *tableRun) appendCopyRow(buf []byte) []byte {
	buf = binary.BigEndian.AppendUint16(buf, uint16(len(tr.tp.cols)))
	for i, c := range tr.tp.cols {
		buf = c.appendBinary(buf, &tr.row.vals[i])
	}
	return buf
}

func (l *loader) readErr(tp *tablePlan, err error) error {
	if l.ctx.Err() != nil {
		return l.ctx.Err()
	}
	return l.legacy.readErr(fmt.Errorf("read legacy table %s: %w", tp.legacy, err))
}

func (l *loader) progress(tp *tablePlan, done int64) {
	if l.opts.Progress != nil {
		l.opts.Progress(ProgressEvent{Table: tp.legacy, Target: tp.displayTarget(), Done: done, Total: tp.total})
	}
}

// pkText renders the legacy primary key of a row.
func pkText(tp *tablePlan, raw []driver.Value) string {
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
// row is accepted (its converted values are then in tr.row.vals).
func (l *loader) processRow(tr *tableRun) bool {
	tp, r := tr.tp, tr.row
	r.canon = r.canon[:0]
	r.defects = r.defects[:0]
	var h uint64 // the row's hash (verify.go)
	for i, c := range tp.cols {
		raw, mapped := c.mapValue(tr.raw[i])
		start := len(r.canon)
		var e *convErr
		r.tmp, e = c.convert(raw, &r.vals[i], r.tmp[:0], &r.json)
		r.ok[i] = e == nil
		if e != nil && mapped {
			e.reason += fmt.Sprintf(" (the value mapping replaced %s by %q)", excerpt(tr.raw[i]), raw)
		}
		if e != nil {
			tr.defect([]int{i}, e.class, e.reason)
			r.canon = append(r.canon, 'N')
		} else if r.vals[i].null {
			r.canon = append(r.canon, 'N')
			h = pgHashText(nil, h) ^ 1
		} else {
			h = pgHashText(r.tmp, h)
			r.canon = strconv.AppendInt(r.canon, int64(len(r.tmp)), 10)
			r.canon = append(r.canon, ':')
			r.canon = append(r.canon, r.tmp...)
		}
		r.segs[i] = [2]int{start, len(r.canon)}
	}
	for _, dc := range tp.dayChecks {
		if !r.ok[dc.ts] {
			continue
		}
		want := "NULL"
		if ts := &r.vals[dc.ts]; !ts.null {
			want = time.UnixMicro(ts.i).UTC().Format(time.DateOnly)
		}
		if got, ok := tr.raw[dc.raw].(string); (ok && got == want) || (tr.raw[dc.raw] == nil && want == "NULL") {
			continue
		}
		r.defects = append(r.defects, Defect{
			Table: tp.legacy, Target: tp.displayTarget(), Column: dc.legacy, Value: excerpt(tr.raw[dc.raw]), Class: DefectDerived,
			Reason: fmt.Sprintf("must be the UTC day of %s (%s): stackdb derives %s from it, so this value would be lost", tp.cols[dc.ts].legacy, want, dc.target),
		})
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
		if fk.parent.set.has(h) {
			continue
		}
		parent := fk.parent.table
		pcols := make([]string, len(fk.parent.cols))
		for k, i := range fk.parent.cols {
			pcols[k] = parent.cols[i].legacy
		}
		why := "no such row in the legacy file"
		rejected := fk.parent.rejected.has(h)
		if rejected {
			why = "the parent row was rejected"
		}
		tr.defect(fk.cols, DefectOrphan, fmt.Sprintf("parent %s(%s) not imported: %s (foreign key %s)", parent.legacy, strings.Join(pcols, ","), why, fk.name))
		r.defects[len(r.defects)-1].KnockOn = rejected
	}
	var keys [][2]uint64
	if len(r.defects) == 0 {
		for _, u := range tp.uniques {
			if !u.track || !r.keyOf(u.cols, u.nullsNotDistinct) {
				continue
			}
			h := l.keyHash(r.key)
			if u.set.has(h) {
				why := fmt.Sprintf("an earlier row has the same value, and %s requires it to be unique", u.name)
				switch {
				case u.stricter && u.why != "":
					why += " (stackdb is stricter here than DeployStack, whose SQLite layout has no such unique key: " + u.why + ")"
				case u.stricter:
					why += " (stackdb is stricter here than DeployStack, whose SQLite layout has no such unique key)"
				}
				tr.defect(u.cols, DefectDuplicate, why)
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
			u.set.add(keys[k])
			k++
		}
	}
	tr.sum += h
	tr.accepted++
	return true
}

// legacyUnique reports whether SQLite guarantees that the key cols (plan
// column indexes of a legacy unique index, see uniqueIndex.legacyKey) is
// unique among the converted rows: it does when every value has the one
// storage class that each column converts one to one (identityClass), and
// no value mapping applies. SQLite's unique index holds distinct values;
// but values of other storage classes (an INTEGER 1 or BLOB x'31' next to
// TEXT '1', the same time as epoch and ISO text), or NULLs (SQLite allows
// several in a key), could convert to equal ones. It costs one scan of the
// unique index (SQLite reads it as a covering index: 2 s for 800k rows on a
// busy machine), and saves a key set as large as the table.
func (l *loader) legacyUnique(tp *tablePlan, cols []int) (bool, error) {
	lg, ok := l.legacy.(*legacyDB)
	if !ok {
		return false, nil // SQLite's storage classes only; other sources keep the key set
	}
	var conds []string
	for _, i := range cols {
		c := tp.cols[i]
		class := identityClass(c)
		if class == "" || c.values != nil {
			return false, nil
		}
		conds = append(conds, "typeof("+quoteSQLite(c.legacy)+") <> '"+class+"'")
	}
	var other bool
	q := "SELECT EXISTS (SELECT 1 FROM " + quoteSQLite(tp.legacy) + " WHERE " + strings.Join(conds, " OR ") + ")"
	if err := lg.conn.QueryRowContext(l.ctx, q).Scan(&other); err != nil {
		return false, l.readErr(tp, err)
	}
	return !other, nil
}

// identityClass is the SQLite storage class (as typeof names it) whose
// distinct values c converts to distinct values, or "" (convert.go): text
// as it is, integers as they are, epoch integers times their unit.
func identityClass(c *colPlan) string {
	switch c.kind {
	case kText, kEnum:
		return "text"
	case kInt16, kInt32, kInt64:
		return "integer"
	case kTimestamptz:
		if c.unit != ISO8601 {
			return "integer"
		}
	}
	return ""
}

// reject records the current row's defects, remembers its keys so that its
// children are reported as orphans of a rejected parent, and in Skip mode
// keeps the row.
func (l *loader) reject(tr *tableRun) {
	tp, r := tr.tp, tr.row
	pk := pkText(tp, tr.raw)
	reasons := make([]string, 0, len(r.defects))
	knockOn := true
	for i := range r.defects {
		knockOn = knockOn && r.defects[i].KnockOn
		r.defects[i].PK = pk
		d := r.defects[i]
		reasons = append(reasons, fmt.Sprintf("%s: %s: %s", d.Column, d.Class, d.Reason))
	}
	if err := l.report.addDefects(r.defects); err != nil && l.logErr == nil {
		l.logErr = err
	}
	if knockOn {
		l.report.KnockOnRows++
	}
	for _, u := range tp.uniques {
		if !u.referenced {
			continue
		}
		ok := true
		for _, i := range u.cols {
			ok = ok && r.ok[i]
		}
		if ok && r.keyOf(u.cols, false) {
			u.rejected.add(l.keyHash(r.key))
		}
	}
	if l.opts.OnError == Skip {
		err := l.report.addRejected(RejectedRow{
			Table: tp.legacy, Target: tp.displayTarget(), PK: pk,
			Values: legacyJSON(tp.legacyCols, tr.raw), Reasons: reasons,
		})
		if err != nil && l.logErr == nil {
			l.logErr = err
		}
	} else {
		l.sending = false
	}
}

// partitionTable is the partition maintenance's entry for tp's target, if
// it keeps the target's partitions.
func partitionTable(tp *tablePlan) (partition.Table, bool) {
	if !tp.partitioned || tp.pluginID != "" {
		return partition.Table{}, false
	}
	i := slices.IndexFunc(partition.Tables, func(t partition.Table) bool { return t.Name == tp.target })
	if i < 0 {
		return partition.Table{}, false
	}
	return partition.Tables[i], true
}

// legacyDays reads the UTC days a partitioned table's legacy rows fall on,
// from the partition key's legacy column (values that are not epoch
// integers are left to the conversion, which rejects them).
func legacyDays(ctx context.Context, lg source, tp *tablePlan) ([]time.Time, error) {
	t, ok := partitionTable(tp)
	if !ok {
		return nil, nil
	}
	for _, c := range tp.cols {
		if c.target != t.Column {
			continue
		}
		return lg.days(ctx, tp.legacy, c.legacy, c.unit)
	}
	return nil, nil
}

// createPartitions creates the partitions of the days tp's rows fall on,
// before its COPY, so that Postgres routes each row to its day.
func createPartitions(ctx context.Context, tx pgx.Tx, tp *tablePlan) error {
	t, ok := partitionTable(tp)
	if !ok || len(tp.days) == 0 {
		return nil
	}
	if err := partition.CreateDays(ctx, tx, t, tp.days); err != nil {
		return fmt.Errorf("importer: %s: %w", tp.target, err)
	}
	return nil
}

// splitPartitions creates the daily partitions a partitioned table's
// loaded rows need and moves them there out of the DEFAULT partition they
// were copied into, before its keys and indexes are rebuilt (so the move
// maintains none).
func splitPartitions(ctx context.Context, tx pgx.Tx, tp *tablePlan) error {
	t, ok := partitionTable(tp)
	if !ok || tp.accepted == 0 {
		return nil // not one partition maintenance keeps: the rows stay where Postgres routed them
	}
	if _, err := partition.SplitDefault(ctx, tx, t); err != nil {
		return fmt.Errorf("importer: %s: %w", tp.target, err)
	}
	return nil
}
