package miglint

// Severity says whether a diagnostic fails the lint (error) or is only
// reported (warning).
type Severity string

const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Check describes one lint check: its stable code, the analyzer it belongs
// to (a name `-- atlas:nolint` accepts as well as the code) and severity.
type Check struct {
	Code     string
	Analyzer string
	Severity Severity
	Summary  string
}

// Checks lists every check, in code order. The DS, MF, CD and BC codes are
// Atlas's own analyzers (sql/sqlcheck), reported under Atlas's codes; PG are
// Postgres locking and rewrites on existing tables; SD are stackdb's rules.
var Checks = []Check{
	{"BC101", "incompatible", Warning, "table renamed (backward incompatible)"},
	{"BC102", "incompatible", Warning, "column renamed (backward incompatible)"},
	{"CD101", "condrop", Warning, "foreign key dropped"},
	{"DS102", "destructive", Error, "table dropped"},
	{"DS103", "destructive", Error, "non-virtual column dropped"},
	{"MF101", "data_depend", Warning, "unique index added on existing columns (fails on duplicates)"},
	{"MF102", "data_depend", Warning, "index made unique (fails on duplicates)"},
	{"MF103", "data_depend", Warning, "NOT NULL column without default added to an existing table"},
	{"MF104", "data_depend", Warning, "nullable column made NOT NULL (fails on NULLs)"},
	{"PG101", "locking", Error, "index created on an existing table without CONCURRENTLY"},
	{"PG102", "locking", Warning, "index dropped from an existing table without CONCURRENTLY"},
	{"PG103", "locking", Error, "CONCURRENTLY in a file that runs in a transaction (no `-- atlas:txmode none`)"},
	{"PG301", "locking", Error, "statement rewrites an existing table (e.g. a column type change)"},
	{"PG302", "locking", Error, "column with a volatile default added to an existing table (rewrite)"},
	{"PG303", "locking", Error, "SET NOT NULL on an existing table without a validated CHECK (col IS NOT NULL)"},
	{"PG304", "locking", Warning, "primary key added to an existing table without USING INDEX"},
	{"PG306", "locking", Error, "CHECK constraint added to an existing table without NOT VALID"},
	{"PG307", "locking", Error, "foreign key added to an existing table without NOT VALID"},
	{"SD101", "stackdb", Error, "table without a primary key"},
	{"SD102", "stackdb", Error, "time column that is not timestamptz"},
	{"SD103", "stackdb", Error, "JSON column stored as text or json rather than jsonb"},
	{"SD104", "stackdb", Error, "integer id column without identity"},
}

// check returns the registered check of code, or a warning-level check of
// an unknown analyzer so a code Atlas adds later is still reported.
func check(code string) Check {
	for _, c := range Checks {
		if c.Code == code {
			return c
		}
	}
	return Check{Code: code, Analyzer: "atlas", Severity: Warning}
}
