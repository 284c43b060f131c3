package stackdb_test

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/deploystack/stackdb/gen/dbsqlc"
	"github.com/deploystack/stackdb/stackdbtest"
)

// ---------------------------------------------------------------------------
// No secret leaves through JSON (sqlc.yaml gives every secret column
// `json:"-"`). The secret columns are derived from the migrated schema as
// Postgres sees it, so a new column is caught by its name or by a
// `secret: ...` column comment, without editing this file.

// secretNamePattern matches the column and parameter names that hold a
// secret: password and token hashes, client secrets, tokens and codes,
// ciphertext.
var secretNamePattern = regexp.MustCompile(
	`_hash$|^hash$|^hashed_|secret|token|password|passwd|api_?key|private_key|encrypted|auth(orization)?_code|code_verifier`)

// secretMarker starts the comment of a column that holds a secret under a
// name secretNamePattern does not catch (COMMENT ON COLUMN, `comment` in HCL).
const secretMarker = "secret:"

// notSecret lists the names secretNamePattern matches that hold no secret,
// each with the reason. A key "Type.Field" exempts one field of one
// generated struct; a plain key exempts a column or parameter name
// everywhere.
var notSecret = map[string]string{
	"access_token_id":  "the primary key of an oauth_access_tokens row, an id issued next to the token, not the token",
	"refresh_token_id": "the primary key of an oauth_refresh_tokens row, an id issued next to the token, not the token",
	"is_encrypted":     "a flag; it makes the row's value column secret (see encryptedValueColumn)",
	"GlobalSettingInitDefaultsParams.Values": "the application's default setting values, public in its source code " +
		"(a secret is set later with GlobalSettingUpdateValue, whose Value is hidden); sqlc cannot tag an unnest " +
		"array parameter, which has no table, so this field keeps its JSON tag",
}

// encryptedValueColumn is the column a table's is_encrypted flag refers to.
const encryptedValueColumn = "value"

type tableColumn struct{ table, column string }

func (c tableColumn) String() string { return c.table + "." + c.column }

// schemaColumns is every column of the migrated schema: the tables' columns
// in order, and why each secret column is secret.
type schemaColumns struct {
	tables  map[string][]string
	secrets map[tableColumn]string
}

func loadSchemaColumns(t *testing.T) schemaColumns {
	t.Helper()
	pool := stackdbtest.Pool(t)
	rows, err := pool.Query(t.Context(), `
		SELECT c.table_name::text, c.column_name::text,
		       coalesce(col_description(format('%I.%I', c.table_schema, c.table_name)::regclass, c.ordinal_position), '')
		FROM information_schema.columns AS c
		JOIN information_schema.tables AS tb USING (table_schema, table_name)
		WHERE c.table_schema = 'public' AND tb.table_type = 'BASE TABLE'
		ORDER BY c.table_name, c.ordinal_position`)
	require.NoError(t, err)
	type col struct{ table, name, comment string }
	cols, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (col, error) {
		var c col
		return c, r.Scan(&c.table, &c.name, &c.comment)
	})
	require.NoError(t, err)
	require.NotEmpty(t, cols)

	s := schemaColumns{tables: map[string][]string{}, secrets: map[tableColumn]string{}}
	for _, c := range cols {
		s.tables[c.table] = append(s.tables[c.table], c.name)
	}
	for _, c := range cols {
		tc := tableColumn{c.table, c.name}
		switch {
		case strings.HasPrefix(strings.ToLower(c.comment), secretMarker):
			s.secrets[tc] = "comment " + strconv.Quote(c.comment)
		case secretName(c.name):
			s.secrets[tc] = "name matches " + strconv.Quote(secretNamePattern.FindString(c.name))
		case c.name == encryptedValueColumn && slices.Contains(s.tables[c.table], "is_encrypted"):
			s.secrets[tc] = "holds ciphertext when is_encrypted"
		}
	}
	for table, names := range s.tables {
		if slices.Contains(names, "is_encrypted") && !slices.Contains(names, encryptedValueColumn) {
			t.Errorf("%s has is_encrypted but no %s column: give the encrypted column a %q comment",
				table, encryptedValueColumn, secretMarker)
		}
	}
	return s
}

// secretName reports whether a column or parameter name names a secret.
func secretName(name string) bool {
	if _, ok := notSecret[name]; ok {
		return false
	}
	return secretNamePattern.MatchString(name)
}

// jsonHiddenColumns returns the columns sqlc.yaml's overrides give
// `json:"-"`.
func jsonHiddenColumns(t *testing.T) map[tableColumn]bool {
	t.Helper()
	var cfg struct {
		SQL []struct {
			Gen struct {
				Go struct {
					Overrides []struct {
						Column      string `yaml:"column"`
						GoStructTag string `yaml:"go_struct_tag"`
					} `yaml:"overrides"`
				} `yaml:"go"`
			} `yaml:"gen"`
		} `yaml:"sql"`
	}
	raw, err := os.ReadFile("sqlc.yaml")
	require.NoError(t, err)
	require.NoError(t, yaml.Unmarshal(raw, &cfg))
	require.NotEmpty(t, cfg.SQL)
	hidden := map[tableColumn]bool{}
	for _, sql := range cfg.SQL {
		for _, o := range sql.Gen.Go.Overrides {
			if o.Column == "" || reflect.StructTag(o.GoStructTag).Get("json") != "-" {
				continue
			}
			parts := strings.Split(strings.TrimPrefix(o.Column, "public."), ".")
			require.Len(t, parts, 2, "override column %q: want table.column", o.Column)
			hidden[tableColumn{parts[0], parts[1]}] = true
		}
	}
	return hidden
}

// TestSecretColumnsHaveJSONOverride: sqlc.yaml hides exactly the secret
// columns of the schema, and every exemption in notSecret is still needed.
func TestSecretColumnsHaveJSONOverride(t *testing.T) {
	t.Parallel()
	schema := loadSchemaColumns(t)
	hidden := jsonHiddenColumns(t)
	require.NotEmpty(t, schema.secrets)
	for c, why := range schema.secrets {
		require.True(t, hidden[c], "secret column %s (%s) has no override in sqlc.yaml: add\n"+
			"  - column: %s\n    go_struct_tag: json:\"-\"", c, why, c)
	}
	for c := range hidden {
		_, secret := schema.secrets[c]
		require.True(t, secret, "sqlc.yaml hides %s, which the schema does not mark secret: "+
			"give the column a %q comment, or drop the override", c, secretMarker)
	}
	for name := range notSecret {
		require.True(t, strings.Contains(name, ".") || secretNamePattern.MatchString(name),
			"notSecret[%q] exempts a name secretNamePattern does not match: drop it", name)
	}
	var found []string
	for c, why := range schema.secrets {
		found = append(found, c.String()+" ("+why+")")
	}
	slices.Sort(found)
	t.Logf("secret columns:\n%s", strings.Join(found, "\n"))
}

// models lists the table models of gen/dbsqlc: one per table, found by its
// columns (TestModelsNeverSerialiseSecrets fails on a table without one).
var models = []any{
	dbsqlc.AuditLog{}, dbsqlc.AuthKey{}, dbsqlc.DeploymentCredential{}, dbsqlc.DeploymentSetting{},
	dbsqlc.DynamicOAuthClient{}, dbsqlc.EmailVerificationToken{}, dbsqlc.GlobalSetting{},
	dbsqlc.GlobalSettingGroup{}, dbsqlc.McpCategory{}, dbsqlc.McpClientActivity{},
	dbsqlc.McpClientActivityMetric{}, dbsqlc.McpOAuthProvider{}, dbsqlc.McpOAuthToken{}, dbsqlc.McpRequestLog{},
	dbsqlc.McpServer{}, dbsqlc.McpServerInstallation{}, dbsqlc.McpServerInstance{}, dbsqlc.McpServerLog{},
	dbsqlc.McpServerVersion{}, dbsqlc.McpToolMetadata{}, dbsqlc.McpUserConfiguration{},
	dbsqlc.OAuthAccessToken{}, dbsqlc.OAuthAuthorizationCode{}, dbsqlc.OAuthClient{}, dbsqlc.OAuthPendingFlow{},
	dbsqlc.OAuthRefreshToken{}, dbsqlc.OAuthTeamConsent{}, dbsqlc.PasswordResetToken{}, dbsqlc.QueueJob{},
	dbsqlc.QueueJobBatch{}, dbsqlc.Role{}, dbsqlc.Satellite{}, dbsqlc.SatelliteCommand{},
	dbsqlc.SatelliteHeartbeat{}, dbsqlc.SatelliteProcess{}, dbsqlc.SatelliteRegistrationToken{},
	dbsqlc.SatelliteUsageLog{}, dbsqlc.Session{}, dbsqlc.Team{}, dbsqlc.TeamCloudCredential{},
	dbsqlc.TeamMember{}, dbsqlc.User{}, dbsqlc.UserPreference{},
}

// notData lists the exported structs of gen/dbsqlc that hold no row.
var notData = map[string]string{
	"Queries": "holds the connection, no exported field",
}

// TestModelsNeverSerialiseSecrets marshals every struct of gen/dbsqlc with
// every field set to a value of its own and requires that no secret
// column's value appears in the JSON and every other field's does.
func TestModelsNeverSerialiseSecrets(t *testing.T) {
	t.Parallel()
	schema := loadSchemaColumns(t)
	src := parseGenerated(t)

	// The tables each struct's fields come from: a model's own table; the
	// tables the queries that take or return a Row/Params struct name.
	tablesOf := map[reflect.Type][]string{}
	modelOf := map[string]reflect.Type{}
	isModel := map[reflect.Type]bool{}
	for _, m := range models {
		typ := reflect.TypeOf(m)
		table := modelTable(t, typ, schema)
		require.NotContains(t, modelOf, table, "two models for table %s", table)
		modelOf[table], isModel[typ] = typ, true
		tablesOf[typ] = []string{table}
	}
	for table := range schema.tables {
		require.Contains(t, modelOf, table, "table %s has no model in the models list", table)
	}
	querier := reflect.TypeFor[dbsqlc.Querier]()
	for i := range querier.NumMethod() {
		method := querier.Method(i)
		sql, ok := src.methodText[method.Name]
		require.True(t, ok, "no SQL found for Queries.%s", method.Name)
		var tables []string
		for table := range schema.tables {
			if regexp.MustCompile(`\b` + table + `\b`).MatchString(sql) {
				tables = append(tables, table)
			}
		}
		// Catalog reads (queries/stats.sql) name no table of the schema;
		// their fields are still checked against the secret name patterns.
		if len(tables) == 0 {
			require.Contains(t, sql, "pg_catalog.", "Queries.%s names no table", method.Name)
		}
		var types []reflect.Type
		for j := range method.Type.NumIn() {
			types = append(types, method.Type.In(j))
		}
		for j := range method.Type.NumOut() {
			types = append(types, method.Type.Out(j))
		}
		for _, typ := range types {
			for typ.Kind() == reflect.Slice || typ.Kind() == reflect.Pointer {
				typ = typ.Elem()
			}
			if typ.Kind() != reflect.Struct || typ.PkgPath() != querier.PkgPath() || isModel[typ] {
				continue
			}
			tablesOf[typ] = append(tablesOf[typ], tables...)
		}
	}

	// Every exported struct of the package is marshalled, so a new one
	// cannot slip past.
	for _, name := range src.structs {
		if _, ok := notData[name]; ok {
			continue
		}
		if enum, ok := strings.CutPrefix(name, "Null"); ok && slices.Contains(src.enums, enum) {
			continue // sqlc's nullable enum wrapper: an enum value, no column (we use pointers)
		}
		found := false
		for typ := range tablesOf {
			found = found || typ.Name() == name
		}
		require.True(t, found, "struct dbsqlc.%s is not covered: add it to models, or it is a Querier method's "+
			"parameter or result and the method was not found", name)
	}

	// An exemption of one field names a field that would be secret without it.
	for key, why := range notSecret {
		typeName, field, ok := strings.Cut(key, ".")
		if !ok {
			continue
		}
		var fields []string
		for typ, tables := range tablesOf {
			if f, ok := typ.FieldByName(field); ok && typ.Name() == typeName {
				p := prober{t: t, schema: schema}
				if _, secret := p.secretField(key, f.Tag.Get("db"), tables, false); secret {
					fields = append(fields, key)
				}
			}
		}
		require.Len(t, fields, 1, "notSecret[%q] (%s) exempts no secret field: drop it", key, why)
	}

	types := slices.SortedFunc(maps.Keys(tablesOf), func(a, b reflect.Type) int { return strings.Compare(a.Name(), b.Name()) })
	for _, typ := range types {
		tables := tablesOf[typ]
		t.Run(typ.Name(), func(t *testing.T) {
			t.Parallel()
			// Numbers of seven digits are found in the JSON only where they were put.
			p := prober{t: t, schema: schema, tablesOf: tablesOf, n: 7_000_000}
			v := reflect.New(typ).Elem()
			p.fill(v, typ.Name(), tables)
			out, err := json.Marshal(v.Interface())
			require.NoError(t, err)
			require.NotEmpty(t, p.probes)
			for _, pr := range p.probes {
				if pr.secret {
					require.NotEmpty(t, pr.needle, "secret field %s (%s) has a type the probe cannot recognise", pr.path, pr.why)
					require.NotContains(t, string(out), pr.needle, "json.Marshal emits secret field %s (%s): "+
						"give its column `json:\"-\"` in sqlc.yaml", pr.path, pr.why)
				} else if pr.needle != "" {
					require.Contains(t, string(out), pr.needle, "json.Marshal leaves out field %s, which is no secret", pr.path)
				}
			}
		})
	}
}

// modelTable returns the table whose columns are the model's db tags.
func modelTable(t *testing.T, typ reflect.Type, schema schemaColumns) string {
	t.Helper()
	var cols []string
	for i := range typ.NumField() {
		cols = append(cols, typ.Field(i).Tag.Get("db"))
	}
	for table, tableCols := range schema.tables {
		if slices.Equal(cols, tableCols) {
			return table
		}
	}
	t.Fatalf("model %s (columns %v) matches no table", typ.Name(), cols)
	return ""
}

type generatedSource struct {
	structs    []string          // exported struct type names
	enums      []string          // exported string types
	methodText map[string]string // Queries method: its SQL and string literals
}

// parseGenerated reads gen/dbsqlc: its exported struct types, and for each
// method of Queries the SQL it runs (the query constants and string literals
// its body names, such as CopyFrom's table).
func parseGenerated(t *testing.T) generatedSource {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("gen", "dbsqlc", "*.go"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	fset := token.NewFileSet()
	var parsed []*ast.File
	consts := map[string]string{}
	src := generatedSource{methodText: map[string]string{}}
	for _, file := range files {
		f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
		require.NoError(t, err)
		parsed = append(parsed, f)
		for _, decl := range f.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok {
				continue
			}
			for _, spec := range gen.Specs {
				switch spec := spec.(type) {
				case *ast.TypeSpec:
					if !spec.Name.IsExported() {
						continue
					}
					if _, ok := spec.Type.(*ast.StructType); ok {
						src.structs = append(src.structs, spec.Name.Name)
					}
					if ident, ok := spec.Type.(*ast.Ident); ok && ident.Name == "string" {
						src.enums = append(src.enums, spec.Name.Name)
					}
				case *ast.ValueSpec:
					for i, name := range spec.Names {
						if lit, ok := at(spec.Values, i).(*ast.BasicLit); ok && gen.Tok == token.CONST && lit.Kind == token.STRING {
							consts[name.Name], err = strconv.Unquote(lit.Value)
							require.NoError(t, err)
						}
					}
				}
			}
		}
	}
	for _, f := range parsed {
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || fn.Body == nil || !fn.Name.IsExported() {
				continue
			}
			var text strings.Builder
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.Ident:
					text.WriteString(consts[n.Name] + "\n")
				case *ast.BasicLit:
					if s, err := strconv.Unquote(n.Value); err == nil && n.Kind == token.STRING {
						text.WriteString(s + "\n")
					}
				}
				return true
			})
			src.methodText[fn.Name.Name] = text.String()
		}
	}
	return src
}

func at(exprs []ast.Expr, i int) ast.Expr {
	if i < len(exprs) {
		return exprs[i]
	}
	return nil
}

// probe is one field set by prober.fill: needle is text that the JSON holds
// only if the field's value was marshalled ("" when no such text exists,
// as for a bool).
type probe struct {
	path, why string
	secret    bool
	needle    string
}

type prober struct {
	t        *testing.T
	schema   schemaColumns
	tablesOf map[reflect.Type][]string
	probes   []probe
	n        int
}

var probeTime = time.Date(2031, 2, 3, 4, 5, 6, 0, time.UTC)

// fill sets v, a struct of gen/dbsqlc whose fields come from tables, and
// records a probe per field. A nested struct of the package (a sqlc.embed
// model) is filled with its own tables.
func (p *prober) fill(v reflect.Value, path string, tables []string) {
	typ := v.Type()
	for i := range typ.NumField() {
		f := typ.Field(i)
		if !f.IsExported() {
			continue
		}
		fpath := path + "." + f.Name
		if f.Type.Kind() == reflect.Struct && f.Type.PkgPath() == typ.PkgPath() {
			nested, ok := p.tablesOf[f.Type]
			require.True(p.t, ok, "%s: struct %s is not covered", fpath, f.Type.Name())
			p.fill(v.Field(i), fpath, nested)
			continue
		}
		column, ok := f.Tag.Lookup("db")
		require.True(p.t, ok, "%s has no db tag: keep emit_db_tags in sqlc.yaml", fpath)
		why, secret := p.secretField(typ.Name()+"."+f.Name, column, tables, true)
		p.probes = append(p.probes, probe{path: fpath, why: why, secret: secret, needle: p.setValue(v.Field(i), fpath)})
	}
}

// secretField says whether the field (a "Type.Field" key) of a struct whose
// fields come from tables, with the column or parameter name column, holds
// a secret, and why. A parameter named for a secret column, or for many of
// them (an array parameter: "values" for value), is secret.
func (p *prober) secretField(field, column string, tables []string, exempt bool) (string, bool) {
	if _, ok := notSecret[field]; ok && exempt {
		return "", false
	}
	if secretName(column) {
		return "name matches " + strconv.Quote(secretNamePattern.FindString(column)), true
	}
	for _, table := range tables {
		for _, name := range []string{column, strings.TrimSuffix(column, "s")} {
			if why, ok := p.schema.secrets[tableColumn{table, name}]; ok {
				return table + "." + name + ": " + why, true
			}
		}
	}
	return "", false
}

// setValue sets v to a value of its own and returns its needle.
func (p *prober) setValue(v reflect.Value, name string) string {
	p.n++
	switch {
	case v.Type() == reflect.TypeFor[time.Time]():
		ts := probeTime.Add(time.Duration(p.n) * time.Minute)
		v.Set(reflect.ValueOf(ts))
		return ts.Format(time.RFC3339Nano)
	case v.Type() == reflect.TypeFor[json.RawMessage]():
		s := "v-" + name + "-secretprobe"
		v.Set(reflect.ValueOf(json.RawMessage(strconv.Quote(s))))
		return s
	}
	switch v.Kind() {
	case reflect.String:
		s := "v-" + name + "-secretprobe"
		v.SetString(s)
		return s
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		return p.setValue(v.Elem(), name)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		return p.setValue(v.Index(0), name)
	case reflect.Bool:
		v.SetBool(true)
		return ""
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(p.n))
		return strconv.Itoa(p.n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(p.n))
		return strconv.Itoa(p.n)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(p.n) + 0.5)
		out, err := json.Marshal(v.Interface())
		require.NoError(p.t, err)
		return string(out)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				p.setValue(v.Field(i), name+"."+v.Type().Field(i).Name)
			}
		}
		return ""
	}
	panic(fmt.Sprintf("setValue: %s: no probe for %s", name, v.Type()))
}
