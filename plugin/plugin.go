// Package plugin gives each DeployStack plugin tables of its own, in a
// Postgres schema derived from the plugin id, created at run time.
//
// A plugin's schema is "plugin_" followed by its id with every '-' turned
// into '_': plugin "example-plugin" owns schema "plugin_example_plugin".
// Ids are lower-case kebab-case (see ValidateID), so the mapping is
// reversible and two ids never share a schema; and since every schema name
// starts with "plugin_", it is never public, a pg_ schema,
// information_schema or atlas_schema_revisions. Every statement this
// package runs names its table with the plugin schema, so core tables are
// never touched.
//
// Nothing a caller passes is spliced into SQL unchecked: ids, table and
// column names are validated and then quoted with pgx.Identifier; column
// types come from the closed set of Type constants; defaults are built with
// DefaultNow and DefaultValue and rendered as typed literals; values travel
// as query parameters or through COPY.
//
//	err := plugin.CreateTable(ctx, pool, "example-plugin", "example_entities", []plugin.Column{
//		{Name: "id", Type: plugin.Identity, PrimaryKey: true},
//		{Name: "name", Type: plugin.Text, NotNull: true},
//	})
//	n, err := plugin.CopyFrom(ctx, pool, "example-plugin", "example_entities",
//		[]string{"id", "name"}, pgx.CopyFromRows(rows))
//	count, err := plugin.Count(ctx, pool, "example-plugin", "example_entities")
//	page, err := plugin.List(ctx, pool, "example-plugin", "example_entities", plugin.ListOptions{Limit: 50})
//
// Every function takes a DB: a *pgxpool.Pool, a *pgx.Conn or a pgx.Tx.
// Functions that write run in a transaction of their own (a savepoint when
// db is a pgx.Tx), so a failure leaves nothing behind.
package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// SchemaPrefix starts the name of every plugin schema.
const SchemaPrefix = "plugin_"

// Limits on what callers pass.
const (
	// MaxIdentifierLen is Postgres's limit on identifiers, in bytes; longer
	// ones are silently truncated, which could make two names collide.
	MaxIdentifierLen = 63
	// MaxIDLen is the longest plugin id: its schema name, SchemaPrefix + id,
	// must fit MaxIdentifierLen.
	MaxIDLen = MaxIdentifierLen - len(SchemaPrefix)
	// MaxColumns is Postgres's limit on the columns of a table.
	MaxColumns = 1600
	// DefaultListLimit is the page size of List when ListOptions.Limit is 0.
	DefaultListLimit = 100
	// MaxListLimit is the largest page List returns.
	MaxListLimit = 1000
)

// DB is what the functions of this package run on: a *pgxpool.Pool, a
// *pgx.Conn or a pgx.Tx.
type DB interface {
	Begin(ctx context.Context) (pgx.Tx, error)
	Exec(ctx context.Context, sql string, arguments ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	CopyFrom(ctx context.Context, tableName pgx.Identifier, columnNames []string, rowSrc pgx.CopyFromSource) (int64, error)
}

// Sentinel errors. Invalid input is reported as a *ValidationError that
// wraps ErrInvalidID, ErrInvalidName or ErrInvalidColumn; test with
// errors.Is.
var (
	ErrInvalidID     = errors.New("plugin: invalid plugin id")
	ErrInvalidName   = errors.New("plugin: invalid name")
	ErrInvalidColumn = errors.New("plugin: invalid column definition")
	ErrTableExists   = errors.New("plugin: table already exists")
	ErrTableNotFound = errors.New("plugin: table not found")
)

// ValidationError reports input refused before anything reached the
// database; nothing was created or changed.
type ValidationError struct {
	Err    error  // ErrInvalidID, ErrInvalidName or ErrInvalidColumn
	What   string // what was refused: "plugin id", "table name", "column name", "column"
	Value  string // the refused value, as given
	Reason string // why, in words
}

func (e *ValidationError) Error() string {
	return fmt.Sprintf("plugin: invalid %s %q: %s", e.What, truncate(e.Value, 80), e.Reason)
}

func (e *ValidationError) Unwrap() error { return e.Err }

// truncate keeps error messages short when a caller passes megabytes.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func invalidID(id, reason string) error {
	return &ValidationError{Err: ErrInvalidID, What: "plugin id", Value: id, Reason: reason}
}

// ValidateID reports whether id is a valid plugin id: 1 to MaxIDLen bytes
// of lower-case ASCII letters, digits and '-', starting with a letter, with
// each '-' between two letters or digits (no leading, trailing or doubled
// '-'). In other words, it matches ^[a-z][a-z0-9]*(-[a-z0-9]+)*$.
//
// '_' is not allowed: it is what '-' becomes in the schema name, and
// allowing both would map "a-b" and "a_b" to the same schema.
func ValidateID(id string) error {
	if id == "" {
		return invalidID(id, "must not be empty")
	}
	if len(id) > MaxIDLen {
		return invalidID(id, fmt.Sprintf("is %d bytes long; the limit is %d, so that its schema name fits Postgres's %d-byte identifier limit", len(id), MaxIDLen, MaxIdentifierLen))
	}
	for i, r := range id {
		switch {
		case r >= 'a' && r <= 'z':
		case (r >= '0' && r <= '9') || r == '-':
			if i == 0 {
				return invalidID(id, "must start with a lower-case letter a-z")
			}
		default:
			return invalidID(id, fmt.Sprintf("contains %q; only lower-case letters a-z, digits and '-' are allowed", r))
		}
	}
	if strings.HasSuffix(id, "-") || strings.Contains(id, "--") {
		return invalidID(id, "'-' must stand between two letters or digits (no trailing or doubled '-')")
	}
	return nil
}

// SchemaName returns the schema of plugin id: SchemaPrefix followed by id
// with every '-' replaced by '_' ("example-plugin" → "plugin_example_plugin").
// Valid ids contain no '_', so distinct ids get distinct schemas.
func SchemaName(id string) (string, error) {
	if err := ValidateID(id); err != nil {
		return "", err
	}
	return SchemaPrefix + strings.ReplaceAll(id, "-", "_"), nil
}

// idFromSchema inverts SchemaName; ok is false for schemas that are not a
// plugin's. Only a schema SchemaName produces is one: "plugin_a-b", made by
// hand, would otherwise read as plugin a-b, whose schema is plugin_a_b, and
// escape every check made on plugin a-b's tables.
func idFromSchema(schema string) (id string, ok bool) {
	rest, found := strings.CutPrefix(schema, SchemaPrefix)
	if !found {
		return "", false
	}
	id = strings.ReplaceAll(rest, "_", "-")
	if s, err := SchemaName(id); err != nil || s != schema {
		return "", false
	}
	return id, true
}

// systemColumns are the names Postgres reserves in every table.
var systemColumns = []string{"tableoid", "xmin", "cmin", "xmax", "cmax", "ctid", "oid"}

// validateName checks a table or column name: 1 to MaxIdentifierLen bytes
// of lower-case ASCII letters, digits and '_', starting with a letter.
func validateName(what, name string) error {
	fail := func(reason string) error {
		return &ValidationError{Err: ErrInvalidName, What: what, Value: name, Reason: reason}
	}
	if name == "" {
		return fail("must not be empty")
	}
	if len(name) > MaxIdentifierLen {
		return fail(fmt.Sprintf("is %d bytes long; Postgres's limit is %d", len(name), MaxIdentifierLen))
	}
	for i, r := range name {
		switch {
		case r >= 'a' && r <= 'z':
		case (r >= '0' && r <= '9') || r == '_':
			if i == 0 {
				return fail("must start with a lower-case letter a-z")
			}
		default:
			return fail(fmt.Sprintf("contains %q; only lower-case letters a-z, digits and '_' are allowed", r))
		}
	}
	return nil
}

// Ident returns the qualified name of a plugin's table, for statements of
// your own: fmt.Sprintf("SELECT … FROM %s", ident.Sanitize()).
func Ident(pluginID, table string) (pgx.Identifier, error) {
	schema, err := SchemaName(pluginID)
	if err != nil {
		return nil, err
	}
	if err := validateName("table name", table); err != nil {
		return nil, err
	}
	return pgx.Identifier{schema, table}, nil
}

// Type is a column type, one of the constants below. The zero Type is not
// valid, so a Column must say its type.
type Type int

// The column types a plugin table may use. List returns their values as
// pgx scans them into any: string, int32, int64, float64, bool, time.Time,
// the decoded JSON (map[string]any, []any, …), []byte and [16]byte.
const (
	Text            Type = iota + 1 // text
	Integer                         // integer (32-bit)
	BigInt                          // bigint
	DoublePrecision                 // double precision
	Boolean                         // boolean
	Timestamptz                     // timestamptz
	JSONB                           // jsonb
	Bytea                           // bytea
	UUID                            // uuid
	// Identity is a bigint that numbers new rows itself: "bigint GENERATED
	// BY DEFAULT AS IDENTITY", never null. BY DEFAULT lets an importer copy
	// rows with their ids; CopyFrom then moves the counter past them.
	Identity
	typeEnd
)

var typeSQL = [typeEnd]string{
	Text:            "text",
	Integer:         "integer",
	BigInt:          "bigint",
	DoublePrecision: "double precision",
	Boolean:         "boolean",
	Timestamptz:     "timestamptz",
	JSONB:           "jsonb",
	Bytea:           "bytea",
	UUID:            "uuid",
	Identity:        "bigint GENERATED BY DEFAULT AS IDENTITY",
}

func (t Type) valid() bool { return t > 0 && t < typeEnd }

// String returns the type as it is written in SQL.
func (t Type) String() string {
	if !t.valid() {
		return "plugin.Type(" + strconv.Itoa(int(t)) + ")"
	}
	return typeSQL[t]
}

// Column defines a column of a plugin table.
type Column struct {
	Name       string // lower-case letters, digits and '_', starting with a letter
	Type       Type
	NotNull    bool
	PrimaryKey bool    // several PrimaryKey columns make a composite key, in column order; implies NotNull
	Default    Default // the zero Default means none
}

// Default is a column default, made with DefaultNow or DefaultValue. The
// zero Default is no default.
type Default struct {
	kind  defaultKind
	value any
}

type defaultKind int

const (
	noDefault defaultKind = iota
	nowDefault
	valueDefault
)

// DefaultNow defaults a Timestamptz column to the time of the inserting
// transaction, now().
func DefaultNow() Default { return Default{kind: nowDefault} }

// DefaultValue defaults a column to a constant: a bool for Boolean; an int,
// int32 or int64 for Integer, BigInt and DoublePrecision; a finite float64
// for DoublePrecision; a string for Text; a string or json.RawMessage
// holding valid JSON for JSONB. CreateTable refuses other combinations.
func DefaultValue(v any) Default { return Default{kind: valueDefault, value: v} }

// sql renders d for a column of type t as a typed literal, or explains
// why it does not fit.
func (d Default) sql(t Type) (string, error) {
	switch d.kind {
	case nowDefault:
		if t != Timestamptz {
			return "", fmt.Errorf("DefaultNow needs a %s column, not %s", Timestamptz, t)
		}
		return "now()", nil
	case valueDefault:
	default:
		return "", errors.New("invalid Default; make it with DefaultNow or DefaultValue")
	}
	if t == Identity {
		return "", errors.New("an Identity column cannot have a default")
	}
	mismatch := fmt.Errorf("default %#v (%T) does not fit column type %s", d.value, d.value, t)
	switch v := d.value.(type) {
	case bool:
		if t == Boolean {
			return strconv.FormatBool(v), nil
		}
	case int:
		return intDefault(int64(v), t, mismatch)
	case int32:
		return intDefault(int64(v), t, mismatch)
	case int64:
		return intDefault(v, t, mismatch)
	case float64:
		if t == DoublePrecision {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return "", fmt.Errorf("default %v is not a finite number", v)
			}
			return numberLiteral(strconv.FormatFloat(v, 'g', -1, 64), t), nil
		}
	case string:
		return stringDefault(v, t, mismatch)
	case json.RawMessage:
		if t == JSONB {
			return stringDefault(string(v), t, mismatch)
		}
	}
	return "", mismatch
}

func intDefault(v int64, t Type, mismatch error) (string, error) {
	switch t {
	case Integer:
		if v < math.MinInt32 || v > math.MaxInt32 {
			return "", fmt.Errorf("default %d is out of range for an integer column", v)
		}
	case BigInt, DoublePrecision:
	default:
		return "", mismatch
	}
	return numberLiteral(strconv.FormatInt(v, 10), t), nil
}

// numberLiteral writes a number formatted by strconv as a typed constant.
// Quoting it keeps the sign part of the constant: -9223372036854775808::bigint
// would cast first and overflow.
func numberLiteral(s string, t Type) string { return "'" + s + "'::" + t.String() }

func stringDefault(v string, t Type, mismatch error) (string, error) {
	if t != Text && t != JSONB {
		return "", mismatch
	}
	if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
		return "", errors.New("default is not valid UTF-8 text without NUL bytes")
	}
	if t == JSONB && !json.Valid([]byte(v)) {
		return "", fmt.Errorf("default %q is not valid JSON", truncate(v, 40))
	}
	return quoteLiteral(v) + "::" + t.String(), nil
}

// quoteLiteral writes s as an escape string constant, E'…', whose meaning
// does not depend on standard_conforming_strings: backslashes and quotes are
// doubled, and nothing else in it is special.
func quoteLiteral(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	s = strings.ReplaceAll(s, `'`, `''`)
	return "E'" + s + "'"
}

// createTableSQL validates cols and renders the CREATE TABLE statement.
func createTableSQL(ident pgx.Identifier, cols []Column) (string, error) {
	table := ident[1]
	if len(cols) == 0 {
		return "", &ValidationError{Err: ErrInvalidColumn, What: "table", Value: table, Reason: "has no columns; define at least one"}
	}
	if len(cols) > MaxColumns {
		return "", &ValidationError{Err: ErrInvalidColumn, What: "table", Value: table, Reason: fmt.Sprintf("has %d columns; Postgres's limit is %d", len(cols), MaxColumns)}
	}
	var b strings.Builder
	b.WriteString("CREATE TABLE ")
	b.WriteString(ident.Sanitize())
	b.WriteString(" (")
	var pk []string
	seen := make(map[string]bool, len(cols))
	for i, c := range cols {
		if err := validateName("column name", c.Name); err != nil {
			return "", err
		}
		fail := func(reason string) error {
			return &ValidationError{Err: ErrInvalidColumn, What: "column", Value: c.Name, Reason: reason}
		}
		if slices.Contains(systemColumns, c.Name) {
			return "", fail("the name is reserved for a Postgres system column")
		}
		if seen[c.Name] {
			return "", fail("the name is used by more than one column")
		}
		seen[c.Name] = true
		if !c.Type.valid() {
			return "", fail(fmt.Sprintf("type %s is not one of the Type constants", c.Type))
		}
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n\t")
		b.WriteString(pgx.Identifier{c.Name}.Sanitize())
		b.WriteString(" ")
		b.WriteString(c.Type.String())
		if (c.NotNull || c.PrimaryKey) && c.Type != Identity { // identity columns are NOT NULL already
			b.WriteString(" NOT NULL")
		}
		if c.Default.kind != noDefault {
			expr, err := c.Default.sql(c.Type)
			if err != nil {
				return "", fail(err.Error())
			}
			b.WriteString(" DEFAULT ")
			b.WriteString(expr)
		}
		if c.PrimaryKey {
			pk = append(pk, pgx.Identifier{c.Name}.Sanitize())
		}
	}
	if len(pk) > 0 {
		b.WriteString(",\n\tPRIMARY KEY (")
		b.WriteString(strings.Join(pk, ", "))
		b.WriteString(")")
	}
	b.WriteString("\n)")
	return b.String(), nil
}

// lockClass is the first key of the advisory lock CreateTable holds per
// plugin schema ("plug"); the two-key form keeps it apart from the one-key
// locks of the migration engine.
const lockClass int32 = 0x706c7567

func lockKey(schema string) int32 {
	h := fnv.New32a()
	h.Write([]byte(schema))
	return int32(h.Sum32())
}

// CreateTable creates table for plugin pluginID, and the plugin's schema if
// it does not exist yet, in one transaction: on any error nothing is left
// behind. When the table exists already it returns an error wrapping
// ErrTableExists and changes nothing; it never alters an existing table.
//
// cols are checked before anything is sent to the database: at least one
// column, valid distinct names, a Type constant each, defaults that fit
// their column. Columns marked PrimaryKey form the primary key, in the order
// given.
//
// Concurrent calls for the same plugin, from any number of processes, are
// serialized by a transaction-scoped advisory lock.
func CreateTable(ctx context.Context, db DB, pluginID, table string, cols []Column) error {
	ident, err := Ident(pluginID, table)
	if err != nil {
		return err
	}
	ddl, err := createTableSQL(ident, cols)
	if err != nil {
		return err
	}
	schema := ident[0]
	err = pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1, $2)", lockClass, lockKey(schema)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+pgx.Identifier{schema}.Sanitize()); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, ddl)
		return err
	})
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == pgerrcode.DuplicateTable {
		return fmt.Errorf("%w: %s", ErrTableExists, ident.Sanitize())
	}
	if err != nil {
		return fmt.Errorf("plugin: create table %s: %w", ident.Sanitize(), err)
	}
	return nil
}

// Plugins returns the ids of the plugins that have a schema, sorted.
func Plugins(ctx context.Context, db DB) ([]string, error) {
	rows, err := db.Query(ctx, "SELECT nspname FROM pg_catalog.pg_namespace WHERE starts_with(nspname, $1)", SchemaPrefix)
	if err != nil {
		return nil, fmt.Errorf("plugin: list plugins: %w", err)
	}
	schemas, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("plugin: list plugins: %w", err)
	}
	ids := []string{}
	for _, s := range schemas {
		if id, ok := idFromSchema(s); ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids, nil
}

// Tables returns the names of the tables of plugin pluginID, sorted; none
// when the plugin has no schema.
func Tables(ctx context.Context, db DB, pluginID string) ([]string, error) {
	schema, err := SchemaName(pluginID)
	if err != nil {
		return nil, err
	}
	rows, err := db.Query(ctx, `SELECT c.relname
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')
ORDER BY c.relname COLLATE "C"`, schema)
	if err != nil {
		return nil, fmt.Errorf("plugin: list tables of %q: %w", pluginID, err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("plugin: list tables of %q: %w", pluginID, err)
	}
	return tables, nil
}

// columnInfo describes a column of an existing table.
type columnInfo struct {
	name     string
	identity bool
	pkPos    *int32 // position in the primary key; nil when not part of it
}

// describe returns the columns of a plugin table in their order, or
// ErrTableNotFound. It reads the catalog by name, so a missing table does
// not abort a caller's transaction.
func describe(ctx context.Context, db DB, ident pgx.Identifier) ([]columnInfo, error) {
	rows, err := db.Query(ctx, `SELECT a.attname, a.attidentity <> '', array_position(i.indkey::int2[], a.attnum)
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_catalog.pg_index i ON i.indrelid = c.oid AND i.indisprimary
WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')
ORDER BY a.attnum`, ident[0], ident[1])
	if err != nil {
		return nil, err
	}
	cols, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (columnInfo, error) {
		var c columnInfo
		err := row.Scan(&c.name, &c.identity, &c.pkPos)
		return c, err
	})
	if err != nil {
		return nil, err
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("%w: %s", ErrTableNotFound, ident.Sanitize())
	}
	return cols, nil
}

// Count returns the number of rows in a plugin's table, or an error
// wrapping ErrTableNotFound.
func Count(ctx context.Context, db DB, pluginID, table string) (int64, error) {
	ident, err := Ident(pluginID, table)
	if err != nil {
		return 0, err
	}
	if _, err := describe(ctx, db, ident); err != nil {
		return 0, wrap("count", ident, err)
	}
	var n int64
	if err := db.QueryRow(ctx, "SELECT count(*) FROM "+ident.Sanitize()).Scan(&n); err != nil {
		return 0, wrap("count", ident, err)
	}
	return n, nil
}

// ListOptions pages through List.
type ListOptions struct {
	Limit  int   // rows per page: 0 means DefaultListLimit; at most MaxListLimit
	Offset int64 // rows to skip
}

// List returns a page of a plugin's table, one map per row from column
// name to value (nil for NULL; see Type for the Go types), or an error
// wrapping ErrTableNotFound. Rows are ordered by the primary key, or by
// every column in table order when there is none, so pages are stable.
func List(ctx context.Context, db DB, pluginID, table string, opts ListOptions) ([]map[string]any, error) {
	ident, err := Ident(pluginID, table)
	if err != nil {
		return nil, err
	}
	limit := opts.Limit
	switch {
	case limit == 0:
		limit = DefaultListLimit
	case limit < 0 || limit > MaxListLimit:
		return nil, fmt.Errorf("plugin: list %s: limit %d is not between 1 and %d", ident.Sanitize(), limit, MaxListLimit)
	}
	if opts.Offset < 0 {
		return nil, fmt.Errorf("plugin: list %s: negative offset %d", ident.Sanitize(), opts.Offset)
	}
	cols, err := describe(ctx, db, ident)
	if err != nil {
		return nil, wrap("list", ident, err)
	}
	var pk []columnInfo
	for _, c := range cols {
		if c.pkPos != nil {
			pk = append(pk, c)
		}
	}
	slices.SortFunc(pk, func(a, b columnInfo) int { return int(*a.pkPos - *b.pkPos) })
	order := pk
	if len(order) == 0 {
		order = cols
	}
	query := "SELECT " + quoteColumns(cols) + " FROM " + ident.Sanitize() +
		" ORDER BY " + quoteColumns(order) + " LIMIT $1 OFFSET $2"
	rows, err := db.Query(ctx, query, limit, opts.Offset)
	if err != nil {
		return nil, wrap("list", ident, err)
	}
	page, err := pgx.CollectRows(rows, pgx.RowToMap)
	if err != nil {
		return nil, wrap("list", ident, err)
	}
	return page, nil
}

func quoteColumns(cols []columnInfo) string {
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = pgx.Identifier{c.name}.Sanitize()
	}
	return strings.Join(quoted, ", ")
}

// CopyFrom copies rows into a plugin's table with COPY and returns how many
// it copied; src is typically pgx.CopyFromRows(rows) or pgx.CopyFromFunc.
// columns names the column of each value in a row.
//
// It runs in a transaction: on any error no row is copied. When a copied
// column is an Identity, its counter is moved past the largest value in
// the table afterwards, so rows inserted later without an id do not collide
// with copied ones.
func CopyFrom(ctx context.Context, db DB, pluginID, table string, columns []string, src pgx.CopyFromSource) (int64, error) {
	ident, err := Ident(pluginID, table)
	if err != nil {
		return 0, err
	}
	if len(columns) == 0 {
		return 0, fmt.Errorf("plugin: copy into %s: no columns given", ident.Sanitize())
	}
	for i, c := range columns {
		if err := validateName("column name", c); err != nil {
			return 0, err
		}
		if slices.Contains(columns[:i], c) {
			return 0, &ValidationError{Err: ErrInvalidName, What: "column name", Value: c, Reason: "given more than once"}
		}
	}
	var n int64
	err = pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		cols, err := describe(ctx, tx, ident)
		if err != nil {
			return err
		}
		for _, c := range columns {
			if !slices.ContainsFunc(cols, func(ci columnInfo) bool { return ci.name == c }) {
				return &ValidationError{Err: ErrInvalidName, What: "column name", Value: c, Reason: "no such column in " + ident.Sanitize()}
			}
		}
		if n, err = tx.CopyFrom(ctx, ident, columns, src); err != nil {
			return err
		}
		return advanceIdentities(ctx, tx, ident, cols)
	})
	var verr *ValidationError
	if errors.As(err, &verr) {
		return 0, err
	}
	if err != nil {
		return 0, wrap("copy into", ident, err)
	}
	return n, nil
}

// AdvanceIdentities moves the counter of every Identity column of a
// plugin's table past the largest value in the table, so rows inserted
// later without an id do not collide with rows written with explicit ids
// by other means than CopyFrom (which does it itself), such as a raw COPY.
func AdvanceIdentities(ctx context.Context, db DB, pluginID, table string) error {
	ident, err := Ident(pluginID, table)
	if err != nil {
		return err
	}
	cols, err := describe(ctx, db, ident)
	if err == nil {
		err = advanceIdentities(ctx, db, ident, cols)
	}
	if err != nil {
		return wrap("advance identities of", ident, err)
	}
	return nil
}

// advanceIdentities moves the sequence of each identity column past the
// largest value in the table, if it is not past it already.
func advanceIdentities(ctx context.Context, db DB, ident pgx.Identifier, cols []columnInfo) error {
	for _, c := range cols {
		if !c.identity {
			continue
		}
		_, err := db.Exec(ctx, `SELECT setval(s.seq, m.max)
FROM (SELECT pg_get_serial_sequence($1, $2)::regclass AS seq) s,
     (SELECT max(`+pgx.Identifier{c.name}.Sanitize()+`) AS max FROM `+ident.Sanitize()+`) m
WHERE m.max > coalesce(pg_sequence_last_value(s.seq), 0)`, ident.Sanitize(), c.name)
		if err != nil {
			return err
		}
	}
	return nil
}

// wrap prefixes err with the operation and table, leaving the sentinels
// of this package as they are.
func wrap(op string, ident pgx.Identifier, err error) error {
	if errors.Is(err, ErrTableNotFound) {
		return err
	}
	return fmt.Errorf("plugin: %s %s: %w", op, ident.Sanitize(), err)
}
