package importer

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"
)

// Mode says what a run does with rows that have defects.
type Mode int

const (
	// Abort (the default) imports nothing when any row has a defect: the
	// transaction is rolled back and the Report lists every defect.
	Abort Mode = iota
	// Skip imports every row without defects and returns the others in
	// Report.Rejected.
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
// what was known by then; on ErrDefects it holds every defect.
type Report struct {
	Source    string
	Mode      Mode
	Committed bool // the import was committed
	Truncated bool // Options.Truncate emptied the target first
	Tables    []TableReport
	Skipped   []SkippedTable
	Mapped    []MappedValues // Options.Map, each with how many values it replaced
	Defects   []Defect
	// Warnings are about rows that were imported, as they are, but that
	// the application will not treat as the user may expect; they never
	// block the import.
	Warnings []Defect
	Rejected []RejectedRow // Skip mode: the rows left out
	// KnockOnRows counts the rows rejected only as descendants of rejected
	// rows (every defect of theirs is KnockOn); the others hold the root
	// causes.
	KnockOnRows int64
	Duration    time.Duration
}

// RootDefects counts the defects that are not knock-on: the problems to fix.
func (r *Report) RootDefects() int {
	n := 0
	for _, d := range r.Defects {
		if !d.KnockOn {
			n++
		}
	}
	return n
}

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
