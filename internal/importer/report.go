package importer

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// Mode says what a run does with rows that have defects.
type Mode int

const (
	// Abort (the default) imports nothing when any row has a defect: the
	// transaction is rolled back and the Report counts every defect.
	Abort Mode = iota
	// Skip imports every row without defects and hands the others to
	// Options.WriteRejected.
	Skip
)

func (m Mode) String() string {
	switch m {
	case Abort:
		return "abort"
	case Skip:
		return "skip"
	}
	return fmt.Sprintf("Mode(%d)", int(m))
}

// DefectClass names a kind of defect.
type DefectClass string

// The defect classes.
const (
	DefectNULByte          DefectClass = "nul_byte"          // a NUL byte in text
	DefectInvalidUTF8      DefectClass = "invalid_utf8"      // text that is not UTF-8
	DefectInvalidJSON      DefectClass = "invalid_json"      // JSON that does not parse
	DefectJSONNul          DefectClass = "json_nul"          // \u0000 inside JSON
	DefectJSONShape        DefectClass = "json_shape"        // JSON of the wrong type where the target CHECKs it
	DefectInvalidFlag      DefectClass = "invalid_flag"      // a flag other than 0/1
	DefectInvalidTimestamp DefectClass = "invalid_timestamp" // out of range or unparsable
	DefectInvalidInteger   DefectClass = "invalid_integer"   // not an integer, or out of range
	DefectInvalidEnum      DefectClass = "invalid_enum"      // not a label of the target enum
	DefectWrongType        DefectClass = "wrong_type"        // a storage class with no conversion rule
	DefectNull             DefectClass = "null"              // NULL where the target is NOT NULL
	DefectCheck            DefectClass = "check"             // another CHECK constraint fails
	DefectOrphan           DefectClass = "orphan"            // the referenced parent row is missing or rejected
	DefectDuplicate        DefectClass = "duplicate"         // a value the target requires to be unique repeats
	DefectDerived          DefectClass = "derived_mismatch"  // a column the target derives disagrees with what it derives
)

// The warning classes: imported as they are, but the application will not
// behave as the user may expect (Report.Warnings).
const (
	// WarnEmailCase: the user's email differs only in case from an
	// earlier user's (lowest id). Lookups by email match lower(email)
	// and find only that earlier user.
	WarnEmailCase DefectClass = "email_case_duplicate"
)

// Defect is one problem with one value (or, for orphans and duplicates,
// one key) of one legacy row.
type Defect struct {
	Table  string      // legacy table
	Target string      // target table ("users", "plugin_example_plugin.example_entities")
	PK     string      // the row's legacy primary key ("rowid N" when it has none)
	Column string      // legacy column; several, comma-separated, for keys and CHECKs
	Value  string      // excerpt of the legacy value: printable, at most 40 characters
	Class  DefectClass // what kind of defect
	Reason string      // why, in words
	// KnockOn marks an orphan whose parent row was itself rejected: a
	// consequence of another defect, not a problem of its own.
	KnockOn bool
}

func (d Defect) String() string {
	return fmt.Sprintf("%s[%s].%s = %s: %s: %s", d.Table, d.PK, d.Column, d.Value, d.Class, d.Reason)
}

// RejectedRow is a legacy row that Skip mode left out.
type RejectedRow struct {
	Table  string          `json:"table"`
	Target string          `json:"target"`
	PK     string          `json:"pk"`
	Values json.RawMessage `json:"values"` // the legacy row, see legacyJSON
	// Reasons are the row's defects, each "column: class: reason".
	Reasons []string `json:"reasons"`
}

// TableReport sums up one table.
type TableReport struct {
	Legacy     string // legacy table
	Target     string // target table, schema-qualified for plugin tables
	Plugin     string // plugin id for a plugin table
	SourceRows int64  // rows read from the legacy table (0 for a table not reached)
	Imported   int64  // rows committed (0 when nothing was committed)
	Rejected   int64  // rows with defects
	// ChecksumOK is true when the rows in Postgres matched the converted
	// rows in number and checksum (checked before committing).
	ChecksumOK bool
	Checksum   string // the Go-side checksum, 16 hex digits
}

// SkippedTable is a legacy table that was deliberately not imported.
type SkippedTable struct {
	Table  string
	Reason string
}

// Report is the outcome of a run. Run returns it also when it fails, with
// what was known by then; on ErrDefects it counts every defect. Its memory
// does not grow with the defects: it keeps counts and the first
// Options.Examples defects and rejected rows, and spools all of them to
// unlinked temporary files (EachDefect reads them back). Close releases
// those files.
type Report struct {
	Source    string
	Mode      Mode
	Committed bool // the import was committed
	Truncated bool // Options.Truncate emptied the target first
	Tables    []TableReport
	Skipped   []SkippedTable
	Mapped    []MappedValues // Options.Map, each with how many values it replaced
	// Defects are the first Options.Examples defects, in the order they
	// were found; DefectCount counts them all and EachDefect reads them
	// all.
	Defects     []Defect
	DefectCount int64
	// Tally counts the defects per legacy table, column and class, in the
	// order each was first found.
	Tally []DefectTally
	// Warnings are about rows that were imported, as they are, but that
	// the application will not treat as the user may expect; they never
	// block the import.
	Warnings []Defect
	// Rejected are the first Options.Examples rows Skip mode left out;
	// TableReport.Rejected counts them all, and Options.WriteRejected
	// gets them all.
	Rejected []RejectedRow
	// KnockOnRows counts the rows rejected only as descendants of rejected
	// rows (every defect of theirs is KnockOn); the others hold the root
	// causes.
	KnockOnRows int64
	Duration    time.Duration

	examples    int
	tempDir     string
	rootDefects int64
	tallyIndex  map[tallyKey]int
	defectLog   *recordFile // every defect, encoded by appendDefect
	rejectedLog *recordFile // every rejected row, as a JSON line
}

// DefectTally counts the defects of one class in one legacy column (or
// columns, comma-separated, for keys and CHECKs).
type DefectTally struct {
	Table   string
	Column  string
	Class   DefectClass
	Count   int64
	KnockOn int64 // of Count, the knock-on ones
}

type tallyKey struct {
	table, column string
	class         DefectClass
}

// RootDefects counts the defects that are not knock-on: the problems to fix.
func (r *Report) RootDefects() int { return int(r.rootDefects) }

// addDefects records the defects of one rejected row.
func (r *Report) addDefects(ds []Defect) error {
	for _, d := range ds {
		r.DefectCount++
		if !d.KnockOn {
			r.rootDefects++
		}
		k := tallyKey{d.Table, d.Column, d.Class}
		i, ok := r.tallyIndex[k]
		if !ok {
			if r.tallyIndex == nil {
				r.tallyIndex = map[tallyKey]int{}
			}
			i = len(r.Tally)
			r.tallyIndex[k] = i
			r.Tally = append(r.Tally, DefectTally{Table: d.Table, Column: d.Column, Class: d.Class})
		}
		r.Tally[i].Count++
		if d.KnockOn {
			r.Tally[i].KnockOn++
		}
		if len(r.Defects) < r.examples {
			r.Defects = append(r.Defects, d)
		}
		log, err := r.openLog(&r.defectLog, "defects")
		if err != nil {
			return err
		}
		log.buf = appendDefect(log.buf[:0], d)
		if err := log.write(log.buf); err != nil {
			return err
		}
	}
	return nil
}

// addRejected records a row Skip mode left out.
func (r *Report) addRejected(row RejectedRow) error {
	if len(r.Rejected) < r.examples {
		r.Rejected = append(r.Rejected, row)
	}
	log, err := r.openLog(&r.rejectedLog, "rejected")
	if err != nil {
		return err
	}
	// As the command line always wrote them: one line each, HTML
	// characters as they are.
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(row); err != nil {
		return fmt.Errorf("importer: encode the rejected row %s[%s]: %w", row.Table, row.PK, err)
	}
	return log.write(b.Bytes())
}

// openLog returns *log, created on first use: a run without defects
// creates no file.
func (r *Report) openLog(log **recordFile, what string) (*recordFile, error) {
	if *log == nil {
		f, err := newRecordFile(r.tempDir, what)
		if err != nil {
			return nil, err
		}
		*log = f
	}
	return *log, nil
}

// EachDefect calls fn with every defect, in the order they were found,
// until fn returns an error, which it returns.
func (r *Report) EachDefect(fn func(Defect) error) error {
	if r.defectLog == nil {
		return nil
	}
	rd, err := r.defectLog.reader()
	if err != nil {
		return err
	}
	br := bufio.NewReaderSize(rd, 64<<10)
	for n := int64(0); n < r.DefectCount; n++ {
		d, err := readDefect(br)
		if err != nil {
			return fmt.Errorf("importer: read back defect %d of %d: %w", n+1, r.DefectCount, err)
		}
		if err := fn(d); err != nil {
			return err
		}
	}
	return nil
}

// rejectedRows returns a reader of every rejected row as JSON lines.
func (r *Report) rejectedRows() (io.Reader, error) {
	if r.rejectedLog == nil {
		return strings.NewReader(""), nil
	}
	return r.rejectedLog.reader()
}

// Close releases the files that hold the defects and rejected rows; the
// report keeps its counts and examples.
func (r *Report) Close() error {
	if r == nil {
		return nil
	}
	var err error
	for _, f := range []**recordFile{&r.defectLog, &r.rejectedLog} {
		if *f != nil {
			err = errors.Join(err, (*f).close())
			*f = nil
		}
	}
	return err
}

// appendDefect encodes d for the defect log: each string with its length
// as a uvarint before it, then the knock-on flag.
func appendDefect(b []byte, d Defect) []byte {
	for _, s := range [...]string{d.Table, d.Target, d.PK, d.Column, d.Value, string(d.Class), d.Reason} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	if d.KnockOn {
		return append(b, 1)
	}
	return append(b, 0)
}

func readDefect(br *bufio.Reader) (Defect, error) {
	var f [7]string
	for i := range f {
		n, err := binary.ReadUvarint(br)
		if err != nil {
			return Defect{}, err
		}
		b := make([]byte, n)
		if _, err := io.ReadFull(br, b); err != nil {
			return Defect{}, err
		}
		f[i] = string(b)
	}
	k, err := br.ReadByte()
	if err != nil {
		return Defect{}, err
	}
	return Defect{Table: f[0], Target: f[1], PK: f[2], Column: f[3], Value: f[4], Class: DefectClass(f[5]), Reason: f[6], KnockOn: k == 1}, nil
}

// A recordFile is an unlinked temporary file that records are appended
// to, through a buffer, and that is read back from the start.
type recordFile struct {
	f    *os.File
	w    *bufio.Writer
	size int64
	buf  []byte // scratch for encoding one record
}

func newRecordFile(dir, what string) (*recordFile, error) {
	f, err := createUnlinked(dir, "stackdb-import-*."+what)
	if err != nil {
		return nil, err
	}
	return &recordFile{f: f, w: bufio.NewWriterSize(f, 64<<10)}, nil
}

func (rf *recordFile) write(p []byte) error {
	n, err := rf.w.Write(p)
	rf.size += int64(n)
	if err != nil {
		return fmt.Errorf("importer: write %s: %w", rf.f.Name(), err)
	}
	return nil
}

// reader flushes what was written and returns a reader of all of it.
func (rf *recordFile) reader() (io.Reader, error) {
	if err := rf.w.Flush(); err != nil {
		return nil, fmt.Errorf("importer: write %s: %w", rf.f.Name(), err)
	}
	return io.NewSectionReader(rf.f, 0, rf.size), nil
}

func (rf *recordFile) close() error { return rf.f.Close() }

// ProgressEvent reports how far the load of one table is.
type ProgressEvent struct {
	Table  string // legacy table
	Target string
	Done   int64 // legacy rows read so far
	Total  int64 // rows in the legacy table, counted when its conversion starts
}

func jsonQuote(s string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

func base64Std(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
