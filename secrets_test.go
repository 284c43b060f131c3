package stackdb_test

import (
	"encoding/base64"
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
// secret: password and token hashes, client secrets, tokens, authorization
// codes and PKCE verifiers, the state of a pending OAuth flow (it finds the
// flow's verifier and client secret on callback), ciphertext, credentials
// documents.
var secretNamePattern = regexp.MustCompile(
	`_hash$|^hash$|^hashed_|secret|token|password|passwd|api_?key|private_key|encrypted|` +
		`^code$|auth(orization)?_code|code_verifier|^oauth_state$|^credentials$`)

// secretMarker starts the comment of a column that holds a secret under a
// name secretNamePattern does not catch (COMMENT ON COLUMN, `comment` in HCL).
const secretMarker = "secret:"

// notSecret lists the names secretNamePattern matches that hold no secret,
// each with the reason. A key "Type.Field" exempts one field of one
// generated struct; a plain key exempts a column or parameter name
// everywhere (and must be a column of the schema).
var notSecret = map[string]string{
	"is_encrypted": "a flag; it makes the row's value column secret (see encryptedValueColumn)",
	"token_prefix": "satellite_registration_tokens: the token's public prefix (deploystack_satellite_<global|team>_), " +
		"which the token list shows and the lookup narrows by; the secret part follows it",
	"token_type": "the kind of token: satellite_registration_tokens' global or team, mcp_oauth_tokens' Bearer; " +
		"no part of the token",
	"token_count":          "mcp_tool_metadata: how many LLM tokens a tool's description costs, a number",
	"token_endpoint":       "mcp_oauth_providers: the provider's public token URL",
	"oauth_token_endpoint": "the OAuth provider's public token URL, copied into the installation or pending flow",
	"token_endpoint_auth_method": "how a client authenticates at the token endpoint " +
		"(client_secret_post, client_secret_basic, none): a method name",
	"oauth_token_endpoint_auth_method":             "the same method name, copied into the installation or pending flow",
	"api_key_id":                                   "mcp_client_activity: the id of the API key a client used (the key itself is never stored there)",
	"McpToolMetadataUpsertManyParams.TokenCounts":  "the token_count of each tool, numbers",
	"OAuthRefreshTokenRotateParams.AccessTokenID":  "the id of the new access token row, not the token (stored hashed)",
	"OAuthRefreshTokenRotateRow.AccessTokenID":     "the id of the new access token row, not the token (stored hashed)",
	"OAuthRefreshTokenRotateParams.RefreshTokenID": "the id of the new refresh token row, not the token (stored hashed)",
	"OAuthRefreshTokenRotateRow.RefreshTokenID":    "the id of the new refresh token row, not the token (stored hashed)",
	"api_key_prefix": "satellites: the public part of the API key before its last '.', the lookup key; " +
		"the secret part follows it and only its argon2 hash is stored",
	"OAuthTeamConsentRevokeRow.AccessTokens":  "how many access tokens the revoke deleted, a number",
	"OAuthTeamConsentRevokeRow.RefreshTokens": "how many refresh tokens the revoke deleted, a number",
	"OAuthAuthorizationCodeClaimParams.CodeVerifier": "the PKCE verifier the client presents once at the token endpoint: " +
		"an input compared in SQL with the stored S256 challenge, never stored and never part of a returned row; sqlc cannot tie " +
		"it to a column. The application builds this struct from the request and must not log it",
	"UserUpdatePasswordByResetTokenParams.TokenID": "the reset token row's id, not its secret: the caller verifies " +
		"the secret against token_hash (PasswordResetTokenGetValidByID) before consuming the row by id",
	"GlobalSettingInsertManyIfMissingParams.Values": "the application's default values, which are public in its " +
		"source; an unnest array sqlc cannot tie to the column. Secret values are set through GlobalSettingUpdateValue, whose Value is hidden",
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
		  -- a partition's columns are its partitioned table's
		  AND NOT EXISTS (SELECT FROM pg_inherits i WHERE i.inhrelid = format('%I.%I', c.table_schema, c.table_name)::regclass)
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

// sqlcConfig is what the test reads of sqlc.yaml: the columns its
// overrides give `json:"-"`, and its rename: map.
type sqlcConfig struct {
	hidden  map[tableColumn]bool
	renames map[string]string
}

func loadSQLCConfig(t *testing.T) sqlcConfig {
	t.Helper()
	var cfg struct {
		SQL []struct {
			Gen struct {
				Go struct {
					Rename    map[string]string `yaml:"rename"`
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
	c := sqlcConfig{hidden: map[tableColumn]bool{}, renames: map[string]string{}}
	for _, sql := range cfg.SQL {
		maps.Copy(c.renames, sql.Gen.Go.Rename)
		for _, o := range sql.Gen.Go.Overrides {
			if o.Column == "" || reflect.StructTag(o.GoStructTag).Get("json") != "-" {
				continue
			}
			parts := strings.Split(strings.TrimPrefix(o.Column, "public."), ".")
			require.Len(t, parts, 2, "override column %q: want table.column", o.Column)
			c.hidden[tableColumn{parts[0], parts[1]}] = true
		}
	}
	return c
}

// TestSecretColumnsHaveJSONOverride: sqlc.yaml hides exactly the secret
// columns of the schema, and every exemption in notSecret is still needed.
func TestSecretColumnsHaveJSONOverride(t *testing.T) {
	t.Parallel()
	schema := loadSchemaColumns(t)
	hidden := loadSQLCConfig(t).hidden
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
	columns := map[string]bool{}
	for _, names := range schema.tables {
		for _, name := range names {
			columns[name] = true
		}
	}
	for name := range notSecret {
		if strings.Contains(name, ".") {
			continue // a field exemption: TestModelsNeverSerialiseSecrets checks it
		}
		require.True(t, secretNamePattern.MatchString(name),
			"notSecret[%q] exempts a name secretNamePattern does not match: drop it", name)
		require.True(t, columns[name], "notSecret[%q] exempts a name no column of the schema has: drop it", name)
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

// TestModelsNeverSerialiseSecrets marshals every struct of gen/dbsqlc with
// every field set to a value of its own and requires that no secret
// column's value appears in the JSON and every other field's does.
func TestModelsNeverSerialiseSecrets(t *testing.T) {
	t.Parallel()
	schema := loadSchemaColumns(t)
	cfg := loadSQLCConfig(t)
	src := parseGenerated(t)

	// The tables each struct's fields come from: a model's own table; the
	// tables the queries that take or return a Row/Params struct name.
	tablesOf := map[reflect.Type][]string{}
	modelOf := map[string]reflect.Type{}
	isModel := map[reflect.Type]bool{}
	for _, m := range models {
		typ := reflect.TypeOf(m)
		table := modelTable(t, typ, schema, cfg.renames)
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
		// A query that names no table of the schema (the catalog reads of
		// queries/stats.sql) still has its fields checked against the
		// secret name patterns.
		require.NotEmpty(t, strings.TrimSpace(sql), "Queries.%s: no SQL found in its body", method.Name)
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
			if typ.Kind() != reflect.Struct || typ.PkgPath() != querier.PkgPath() || isModel[typ] || !hasData(typ) {
				continue
			}
			tablesOf[typ] = append(tablesOf[typ], tables...)
		}
	}

	// Every exported struct of the package is marshalled, so a new one
	// cannot slip past.
	for _, name := range src.structs {
		if src.dataless[name] {
			continue // Queries, a :batch query's results: no exported field holds a value
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
						"give its column `json:\"-\"` in sqlc.yaml (sqlc tags the fields it traces to the column; "+
						"an array or computed parameter it cannot trace: name it for no secret column, or, when it "+
						"holds no secret, exempt \"Type.Field\" in notSecret with the reason)", pr.path, pr.why)
				} else if pr.needle != "" {
					require.Contains(t, string(out), pr.needle, "json.Marshal leaves out field %s, which is no secret", pr.path)
				}
			}
		})
	}
}

// modelTable returns the table sqlc generated the model from, by sqlc's
// naming: the singular of the table's name, renamed by sqlc.yaml's rename:
// or in CamelCase. Two tables with the same columns
// (email_verification_tokens, password_reset_tokens) are told apart so.
func modelTable(t *testing.T, typ reflect.Type, schema schemaColumns, renames map[string]string) string {
	t.Helper()
	var found []string
	for table := range schema.tables {
		if slices.Contains(modelNames(table, renames), typ.Name()) {
			found = append(found, table)
		}
	}
	require.Len(t, found, 1, "model %s: want exactly one table named for it (sqlc's singular of the table, "+
		"or a rename: in sqlc.yaml), found %v", typ.Name(), found)
	var cols []string
	for i := range typ.NumField() {
		cols = append(cols, typ.Field(i).Tag.Get("db"))
	}
	require.Equal(t, schema.tables[found[0]], cols, "model %s has not the columns of table %s", typ.Name(), found[0])
	return found[0]
}

// modelNames returns the names sqlc may give the model of table: for each
// singular the name may have, the rename: sqlc.yaml gives it, or its words
// in CamelCase (with sqlc's initialism ID).
func modelNames(table string, renames map[string]string) []string {
	singulars := []string{table}
	for _, rule := range []struct{ plural, singular string }{{"ies", "y"}, {"ses", "s"}, {"xes", "x"}, {"ches", "ch"},
		{"shes", "sh"}, {"s", ""}, {"a", "um"}} {
		if stem, ok := strings.CutSuffix(table, rule.plural); ok {
			singulars = append(singulars, stem+rule.singular)
		}
	}
	var names []string
	for _, s := range singulars {
		if rename, ok := renames[s]; ok {
			names = append(names, rename)
			continue
		}
		var name strings.Builder
		for _, word := range strings.Split(s, "_") {
			if word == "id" {
				name.WriteString("ID")
			} else if word != "" {
				name.WriteString(strings.ToUpper(word[:1]) + word[1:])
			}
		}
		names = append(names, name.String())
	}
	return names
}

// hasData reports whether the struct has an exported field: the ones
// without (Queries, a :batch query's …BatchResults) hold no row.
func hasData(typ reflect.Type) bool {
	for i := range typ.NumField() {
		if typ.Field(i).IsExported() {
			return true
		}
	}
	return false
}

type generatedSource struct {
	structs    []string          // exported struct type names
	dataless   map[string]bool   // those of them without an exported field
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
	src := generatedSource{methodText: map[string]string{}, dataless: map[string]bool{}}
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
					if st, ok := spec.Type.(*ast.StructType); ok {
						src.structs = append(src.structs, spec.Name.Name)
						src.dataless[spec.Name.Name] = !slices.ContainsFunc(st.Fields.List, func(f *ast.Field) bool {
							return slices.ContainsFunc(f.Names, (*ast.Ident).IsExported) ||
								len(f.Names) == 0 // an embedded struct: a sqlc.embed model
						})
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
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8:
		// bytea: encoding/json writes base64.
		b := []byte("v-" + name + "-secretprobe")
		v.Set(reflect.ValueOf(b).Convert(v.Type()))
		return base64.StdEncoding.EncodeToString(b)
	case v.Kind() == reflect.Interface && v.NumMethod() == 0:
		// A column sqlc could not type (interface{}): a string goes in.
		s := "v-" + name + "-secretprobe"
		v.Set(reflect.ValueOf(s))
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
