package ingestbench

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// errCaptured ends a query run on a recorder: the recorder keeps the SQL and
// arguments the generated code would have sent, and sends nothing.
var errCaptured = errors.New("ingestbench: captured, not run")

// call is one statement as the generated code sends it.
type call struct {
	sql  string
	args []any
}

// recorder is a DB that records instead of running, so that pgbench runs
// exactly the SQL of gen/dbsqlc, whatever the query files say today.
type recorder struct {
	calls []call
	table pgx.Identifier
	cols  []string
}

func (r *recorder) Exec(_ context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	r.calls = append(r.calls, call{sql, args})
	return pgconn.CommandTag{}, errCaptured
}

func (r *recorder) Query(_ context.Context, sql string, args ...any) (pgx.Rows, error) {
	r.calls = append(r.calls, call{sql, args})
	return nil, errCaptured
}

func (r *recorder) QueryRow(_ context.Context, sql string, args ...any) pgx.Row {
	r.calls = append(r.calls, call{sql, args})
	return capturedRow{}
}

func (r *recorder) CopyFrom(_ context.Context, table pgx.Identifier, cols []string, _ pgx.CopyFromSource) (int64, error) {
	r.table, r.cols = table, cols
	return 0, errCaptured
}

type capturedRow struct{}

func (capturedRow) Scan(...any) error { return errCaptured }

// variable marks an argument that varies per call: a sample call passes
// variable("sid") where the benchmark passes a satellite id, and the
// pgbench script gets :sid there.
func variable(name string) string { return "{{" + name + "}}" }

// attemptsVariable is variable("j_attempts") for an int32 argument.
const attemptsVariable int32 = math.MinInt32 + 11

var intVariables = map[int64]string{int64(attemptsVariable): "j_attempts"}

var (
	variableRE = regexp.MustCompile(`^\{\{([a-z_0-9]+)\}\}$`)
	paramRE    = regexp.MustCompile(`\$([0-9]+)`)
)

// now stands for "the time of the call": the Go side passes time.Now(),
// pgbench the string 'now', which Postgres reads as the current time.
var now = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)

// pgbenchCommand turns a captured call into a pgbench SQL command: each $n
// becomes :name for a variable argument, or :cK_n for a constant one, which
// defs then defines with -D (pgbench has no NULL: a nil argument is an
// error). end is ";" or a \gset meta-command.
func pgbenchCommand(k int, c call, end string, defs map[string]string) (string, error) {
	refs := make([]string, len(c.args))
	for i, a := range c.args {
		if v, ok := a.(int32); ok && intVariables[int64(v)] != "" {
			refs[i] = ":" + intVariables[int64(v)]
			continue
		}
		text, err := argText(a)
		if err != nil {
			return "", fmt.Errorf("ingestbench: argument $%d: %w", i+1, err)
		}
		if m := variableRE.FindStringSubmatch(text); m != nil {
			refs[i] = ":" + m[1]
			continue
		}
		name := fmt.Sprintf("c%d_%d", k, i+1)
		defs[name] = text
		refs[i] = ":" + name
	}
	var bad error
	sql := paramRE.ReplaceAllStringFunc(c.sql, func(p string) string {
		n, _ := strconv.Atoi(p[1:])
		if n < 1 || n > len(refs) {
			bad = fmt.Errorf("ingestbench: %s without its argument", p)
			return p
		}
		return refs[n-1]
	})
	if bad != nil {
		return "", bad
	}
	var b strings.Builder
	for _, line := range strings.Split(sql, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "--") {
			continue // sqlc's "-- name:" line
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return strings.TrimRight(b.String(), "\n;") + "\n" + end + "\n", nil
}

// argText is an argument as pgbench sends it: as text.
func argText(a any) (string, error) {
	switch v := a.(type) {
	case time.Time:
		if v.Equal(now) {
			return "now", nil
		}
		return v.Format(time.RFC3339Nano), nil
	case []byte:
		return string(v), nil
	}
	rv := reflect.ValueOf(a)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return "", errors.New("NULL (pgbench cannot send one)")
		}
		rv = rv.Elem()
	}
	switch rv.Kind() {
	case reflect.String:
		return rv.String(), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(rv.Int(), 10), nil
	case reflect.Bool:
		return strconv.FormatBool(rv.Bool()), nil
	case reflect.Slice:
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			if rv.IsNil() {
				return "", errors.New("NULL (pgbench cannot send one)")
			}
			return string(rv.Bytes()), nil
		}
	}
	return "", fmt.Errorf("unsupported type %T", a)
}
