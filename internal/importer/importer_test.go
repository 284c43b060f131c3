package importer_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/mattn/go-sqlite3"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/internal/atlasmig"
	"github.com/deploystack/stackdb/internal/importer"
	"github.com/deploystack/stackdb/internal/legacy"
	"github.com/deploystack/stackdb/plugin"
	"github.com/deploystack/stackdb/schema"
	"github.com/deploystack/stackdb/stackdbtest"
)

func TestMain(m *testing.M) { stackdbtest.Main(m) }

// baseRows is one valid row per legacy table, in the real SQLite layout
// (legacy.Schema), plus the bookkeeping rows and one plugin table that
// __plugin_migrations lists. 1700000000 is 2023-11-14T22:13:20Z; the
// milliseconds column (authSession.expires_at) holds 1700000000123 and the
// ISO-8601 columns 2023-11-14T22:13:20.123Z.
const baseRows = `
INSERT INTO roles VALUES ('r1', 'admin', NULL, '["users.read"]', 1, 1700000000, 1700000000);
INSERT INTO authUser VALUES ('u1', 'alice', 'alice@example.com', 'email_signup', 'Alice', NULL, NULL, 'hash', 'r1', 1);
INSERT INTO authSession VALUES ('s1', 'u1', 1700000000123);
INSERT INTO authKey VALUES ('k1', 'u1', 'email:alice@example.com', 'hash', NULL);
INSERT INTO emailVerificationTokens VALUES ('ev1', 'u1', 'hash-ev', 1700086400, 1700000000);
INSERT INTO passwordResetTokens VALUES ('pr1', 'u1', 'hash-pr', 1700086400, 1700000000);
INSERT INTO teams VALUES ('t1', 'Team', 'team', NULL, 'u1', 1, 1, 1700000000, 1700000001);
INSERT INTO teamMemberships VALUES ('m1', 't1', 'u1', 'team_admin', 1700000000);
INSERT INTO userPreferences VALUES ('up1', 'u1', 'theme', '"dark"', 1700000000, 1700000000);
INSERT INTO queueJobBatches VALUES ('b1', 'sync', 1, 0, 0, 'pending', NULL, 1700000000, NULL);
INSERT INTO queueJobs VALUES ('j1', 'sync', '{}', 'pending', 1700000000, 0, 3, NULL, 'b1', 1700000000, 1700000000, NULL);
INSERT INTO mcpCategories VALUES ('c1', 'Tools', NULL, NULL, 0, 1700000000);
INSERT INTO mcpServers (id, name, slug, description, language, runtime, visibility, owner_team_id, created_by, transport_type,
	category_id, tags, status, featured, auto_install_new_default_team, source, synced_from_official_registry, requires_oauth,
	packages, created_at, updated_at)
VALUES ('srv1', 'Server', 'server', 'A server', 'go', 'node', 'global', 't1', 'u1', 'stdio',
	'c1', '["a","b"]', 'active', 0, 0, 'manual', 0, 0, '[{"registry":"npm"}]', 1700000000, 1700000000);
INSERT INTO mcpServerVersions VALUES ('v1', 'srv1', '1.0.0', NULL, NULL, 1, 1, 1700000000);
INSERT INTO mcpServerInstallations (id, team_id, server_id, created_by, installation_name, installation_type, team_env,
	oauth_pending, created_at, updated_at)
VALUES ('i1', 't1', 'srv1', 'u1', 'inst', 'team', '{"TOKEN":"x"}', 0, 1700000000, 1700000000);
INSERT INTO mcpUserConfigurations VALUES ('uc1', 'i1', 'u1', '[]', '{}', NULL, NULL, 1700000000, 1700000000, NULL);
INSERT INTO mcpToolMetadata VALUES ('tm1', 'i1', 't1', 'search', '', '{"type":"object"}', 12, 1700000000, 1700000000);
INSERT INTO mcpOauthTokens VALUES ('ot1', 'i1', 'u1', 't1', 'enc:access', NULL, 'Bearer', 1700003600, NULL, 1700000000, 1700000000);
INSERT INTO oauth_authorization_codes VALUES ('ac1', 'u1', 't1', 'cl1', 'http://cb', 'read', 'st', 'ch', 'S256', 'code-1', 0, 1700000000, 1700000600);
INSERT INTO oauth_access_tokens VALUES ('at1', 'u1', 't1', 'cl1', 'read', 'hash-a', 1700000000, 1700003600);
INSERT INTO oauth_refresh_tokens VALUES ('rt1', 'u1', 't1', 'cl1', 'hash-r', 0, 1700000000, 1702592000);
INSERT INTO oauth_clients VALUES ('oc1', 'cl1', NULL, 'Client', '["http://cb"]', 'read', 't1', 'u1', 1, 1700000000, 1700000000);
INSERT INTO oauth_team_consents VALUES ('tc1', 'u1', 't1', 'cl1', 'read', 1700000000, NULL, 1);
INSERT INTO dynamic_oauth_clients VALUES ('dyn1', 'Dyn', '["http://cb"]', '["authorization_code"]', '["code"]', 'read', 'none',
	1700000000, NULL, 1700000000, 1700000000);
INSERT INTO satellites VALUES ('sat1', 'Sat', 'global', NULL, 'active', '[]', 'argon2-hash', 1700000000, '{}', NULL, 'u1', 1700000000, 1700000000);
INSERT INTO satelliteRegistrationTokens VALUES ('rg1', 'global', NULL, 'hash-rg', 'deploystack_gat_', 'u1', '["satellite:register"]', 1,
	'2023-11-14T22:13:20.123Z', 'sat1', '2023-11-15T22:13:20.000Z', '2023-11-14T22:13:20.123Z');
INSERT INTO satelliteCommands VALUES ('cmd1', 'sat1', 'spawn', 'normal', '{}', 'pending', 't1', NULL, 0, 3, NULL, NULL, 'u1', 1700000000, 1700000000);
INSERT INTO satelliteProcesses VALUES ('p1', 'sat1', 'i1', 'server', 42, 3000, 'running', 'healthy', NULL, 't1', NULL, 1700000000, NULL, 1700000000, 1700000000);
INSERT INTO satelliteUsageLogs VALUES ('ul1', 'sat1', 'u1', 't1', 'p1', 'POST', '/mcp', 'search', 5, 200, NULL, 10, 20, NULL, NULL, 1700000000, '2023-11-14');
INSERT INTO satelliteHeartbeats VALUES ('hb1', 'sat1', 'active', '{"cpu":0.5}', 1, 1, 0, 3, 60, '1.0.0', 1700000000);
INSERT INTO mcpClientActivity VALUES ('ca1', 'u1', 't1', 'sat1', 'oauth', 'cl1', NULL, 'cl1', 'VS Code', NULL, NULL, NULL,
	1700000000, 1700000000, 1, 1, 1700000000, 1700000000);
INSERT INTO mcpClientActivityMetrics VALUES ('cm1', 'u1', 't1', 'sat1', 'cl1', 1700000000, '15m', 1, 1, 1, 1700000000);
INSERT INTO globalSettingGroups VALUES ('g1', 'General', NULL, NULL, 0, 1700000000, 1700000000);
INSERT INTO globalSettings VALUES ('k1', 'v', 'string', NULL, 0, 'g1', 1700000000, 1700000000);
INSERT INTO teamCloudCredentials VALUES ('cc1', 't1', 'aws', 'AWS', NULL, 'enc:v1:opaque', 'u1', 1700000000, 1700000000);
INSERT INTO __drizzle_migrations (migration_name, applied_at) VALUES ('0018_loud_mesmero', 1700000000);
CREATE TABLE "example-plugin_example_entities" (id integer PRIMARY KEY, name text NOT NULL, description text, created_at integer NOT NULL);
INSERT INTO __plugin_migrations (plugin_id, table_name, schema_hash, applied_at) VALUES ('example-plugin', 'example_entities', 'h1', 1700000000);
INSERT INTO "example-plugin_example_entities" VALUES (7, 'entity', NULL, 1700000000);
`

// coreTables are the target tables of the mapping.
var coreTables = func() []string {
	var out []string
	for _, m := range importer.Mapping() {
		out = append(out, m.Target)
	}
	return out
}()

// legacyFile writes a legacy SQLite file: the legacy schema, baseRows, then
// the extra statements, and returns its path.
func legacyFile(t testing.TB, extra ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "legacy.db")
	db, err := sql.Open("sqlite3", path)
	require.NoError(t, err)
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, s := range append([]string{legacy.Schema, baseRows}, extra...) {
		_, err := db.Exec(s)
		require.NoError(t, err, s)
	}
	return path
}

func runImport(t testing.TB, path, url string, opts ...func(*importer.Options)) (*importer.Report, error) {
	t.Helper()
	o := importer.Options{From: path, To: url}
	for _, f := range opts {
		f(&o)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	rep, err := importer.Run(ctx, o)
	t.Cleanup(func() { require.NoError(t, rep.Close()) })
	return rep, err
}

// rejectedLines decodes the JSON lines Options.WriteRejected reads.
func rejectedLines(t testing.TB, b []byte) []importer.RejectedRow {
	t.Helper()
	var rows []importer.RejectedRow
	dec := json.NewDecoder(bytes.NewReader(b))
	for dec.More() {
		var r importer.RejectedRow
		require.NoError(t, dec.Decode(&r))
		rows = append(rows, r)
	}
	require.True(t, bytes.HasSuffix(b, []byte("\n")) || len(b) == 0)
	require.Equal(t, len(rows), bytes.Count(b, []byte("\n")), "one row a line")
	return rows
}

func openPool(t testing.TB, url string) *pgxpool.Pool {
	t.Helper()
	pool, err := stackdb.OpenPool(context.Background(), url)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	return pool
}

// requireUnchanged checks that the target holds no application rows and no
// plugin schema: nothing of a failed run was committed.
func requireUnchanged(t testing.TB, url string) {
	t.Helper()
	pool := openPool(t, url)
	ctx := context.Background()
	for _, table := range coreTables {
		var n int
		require.NoError(t, pool.QueryRow(ctx, "SELECT count(*) FROM "+table).Scan(&n))
		require.Zero(t, n, "rows in %s", table)
	}
	var schemas int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'plugin\_%'`).Scan(&schemas))
	require.Zero(t, schemas, "plugin schemas")
}

func count(t testing.TB, pool *pgxpool.Pool, table string) int {
	t.Helper()
	var n int
	require.NoError(t, pool.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n))
	return n
}

func findDefect(rep *importer.Report, table, pk, column string) (importer.Defect, bool) {
	for _, d := range rep.Defects {
		if d.Table == table && d.PK == pk && d.Column == column {
			return d, true
		}
	}
	return importer.Defect{}, false
}

func tableReport(t testing.TB, rep *importer.Report, legacyTable string) importer.TableReport {
	t.Helper()
	for _, tr := range rep.Tables {
		if tr.Legacy == legacyTable {
			return tr
		}
	}
	t.Fatalf("no table report for %s", legacyTable)
	return importer.TableReport{}
}

func TestImportBaseFixture(t *testing.T) {
	t.Parallel()
	url := stackdbtest.URL(t)
	path := legacyFile(t,
		// JSON is stored the way jsonb normalises it; the checksum agrees.
		`INSERT INTO satelliteHeartbeats VALUES ('hb2', 'sat1', 'degraded', ' {"b": 1, "a": [1.50, 1e2, -0], "b": "\u00e9\n"} ', 0, 0, 0, NULL, NULL, NULL, 1700000030)`,
		// Another offset in ISO-8601 text: the same instant, in UTC.
		`INSERT INTO satelliteRegistrationTokens VALUES ('rg2', 'team', 't1', 'hash-rg2', 'deploystack_tat_', 'u1', '[]', 0,
			NULL, NULL, '2023-11-15T00:13:20+02:00', '2023-11-14T22:13:20Z')`,
		// A usage log of another UTC day.
		`INSERT INTO satelliteUsageLogs VALUES ('ul2', 'sat1', NULL, 't1', NULL, 'GET', '/mcp', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 1700006400, '2023-11-15')`,
	)
	var events []importer.ProgressEvent
	rep, err := runImport(t, path, url, func(o *importer.Options) {
		o.Progress = func(e importer.ProgressEvent) { events = append(events, e) }
	})
	require.NoError(t, err)
	require.True(t, rep.Committed)
	require.Empty(t, rep.Defects)
	require.Len(t, rep.Tables, len(coreTables)+1)
	require.Len(t, coreTables, 35)
	for _, tr := range rep.Tables {
		require.True(t, tr.ChecksumOK, tr.Legacy)
		require.Equal(t, tr.SourceRows, tr.Imported, tr.Legacy)
		require.Zero(t, tr.Rejected, tr.Legacy)
	}
	require.Equal(t, "users", tableReport(t, rep, "authUser").Target)
	require.Equal(t, "team_members", tableReport(t, rep, "teamMemberships").Target)
	require.Equal(t, "plugin_example_plugin.example_entities", tableReport(t, rep, "example-plugin_example_entities").Target)
	skipped := map[string]string{}
	for _, s := range rep.Skipped {
		skipped[s.Table] = s.Reason
	}
	require.Contains(t, skipped, "__drizzle_migrations")
	require.Contains(t, skipped, "__plugin_migrations")
	require.Contains(t, skipped, "sqlite_sequence")

	// Parents load before children, and every table reports its end.
	order := map[string]int{}
	for i, tr := range rep.Tables {
		order[tr.Target] = i
	}
	require.Less(t, order["roles"], order["users"])
	require.Less(t, order["users"], order["teams"])
	require.Less(t, order["mcp_server_installations"], order["satellite_processes"])
	require.Less(t, order["satellite_processes"], order["satellite_usage_logs"])
	ends := 0
	for _, e := range events {
		if e.Done == e.Total && e.Total > 0 {
			ends++
		}
	}
	require.GreaterOrEqual(t, ends, len(rep.Tables))

	pool := openPool(t, url)
	ctx := context.Background()
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		require.NoError(t, err)
		return v
	}
	times := []struct {
		query, want string
	}{
		{"SELECT expires_at FROM sessions WHERE id = 's1'", "2023-11-14T22:13:20.123Z"},                    // milliseconds
		{"SELECT updated_at FROM teams WHERE id = 't1'", "2023-11-14T22:13:21Z"},                           // seconds
		{"SELECT used_at FROM satellite_registration_tokens WHERE id = 'rg1'", "2023-11-14T22:13:20.123Z"}, // ISO-8601
		{"SELECT expires_at FROM satellite_registration_tokens WHERE id = 'rg2'", "2023-11-14T22:13:20Z"},
		{`SELECT "timestamp" FROM satellite_heartbeats WHERE id = 'hb2'`, "2023-11-14T22:13:50Z"},
	}
	for _, tc := range times {
		var ts time.Time
		require.NoError(t, pool.QueryRow(ctx, tc.query).Scan(&ts), tc.query)
		require.True(t, ts.Equal(utc(tc.want)), "%s: %s", tc.query, ts)
	}
	var usedAt *time.Time
	require.NoError(t, pool.QueryRow(ctx, "SELECT used_at FROM satellite_registration_tokens WHERE id = 'rg2'").Scan(&usedAt))
	require.Nil(t, usedAt)

	// date_partition is not copied: Postgres derives it, and it agrees.
	var days []string
	require.NoError(t, func() error {
		rows, err := pool.Query(ctx, "SELECT date_partition::text FROM satellite_usage_logs ORDER BY id")
		if err != nil {
			return err
		}
		days, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	}())
	require.Equal(t, []string{"2023-11-14", "2023-11-15"}, days)

	// The partitioned tables' rows are in the daily partitions the import
	// created for them, none left in the DEFAULT partition.
	var parts []string
	require.NoError(t, func() error {
		rows, err := pool.Query(ctx, `SELECT tableoid::regclass::text FROM satellite_usage_logs ORDER BY id`)
		if err != nil {
			return err
		}
		parts, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	}())
	require.Equal(t, []string{"satellite_usage_logs_p20231114", "satellite_usage_logs_p20231115"}, parts)
	var hbPart string
	require.NoError(t, pool.QueryRow(ctx, `SELECT tableoid::regclass::text FROM satellite_heartbeats WHERE id = 'hb2'`).Scan(&hbPart))
	require.Equal(t, "satellite_heartbeats_p20231114", hbPart)

	var sys, def, featured, verified bool
	require.NoError(t, pool.QueryRow(ctx, `SELECT (SELECT is_system_role FROM roles), (SELECT is_default FROM teams),
		(SELECT featured FROM mcp_servers WHERE id = 'srv1'), (SELECT email_verified FROM users)`).Scan(&sys, &def, &featured, &verified))
	require.True(t, sys)
	require.True(t, def)
	require.False(t, featured)
	require.True(t, verified)

	var metrics, status, role, creds, packages string
	require.NoError(t, pool.QueryRow(ctx, "SELECT system_metrics::text, status::text FROM satellite_heartbeats WHERE id = 'hb2'").Scan(&metrics, &status))
	require.Equal(t, `{"a": [1.50, 100, 0], "b": "é\n"}`, metrics)
	require.Equal(t, "degraded", status)
	require.NoError(t, pool.QueryRow(ctx, "SELECT role FROM team_members").Scan(&role))
	require.Equal(t, "team_admin", role)
	require.NoError(t, pool.QueryRow(ctx, "SELECT credentials FROM team_cloud_credentials").Scan(&creds))
	require.Equal(t, "enc:v1:opaque", creds) // encrypted: opaque text
	require.NoError(t, pool.QueryRow(ctx, "SELECT packages::text FROM mcp_servers").Scan(&packages))
	require.Equal(t, `[{"registry": "npm"}]`, packages)
	var perms []string
	require.NoError(t, pool.QueryRow(ctx, "SELECT ARRAY(SELECT jsonb_array_elements_text(permissions) FROM roles)").Scan(&perms))
	require.Equal(t, []string{"users.read"}, perms)
}

func TestImportStorageClassRules(t *testing.T) {
	t.Parallel()
	url := stackdbtest.URL(t)
	// Declared types other than INTEGER keep what SQLite was given: text
	// and reals reach the importer as such.
	path := legacyFile(t, heartbeatsLoose,
		`INSERT INTO satelliteHeartbeats VALUES ('hb1', 'sat1', 'active', '{}', '12', 5.0, -3, NULL, NULL, NULL, '1700000000')`,
		`INSERT INTO satelliteHeartbeats VALUES ('hb2', 'sat1', 'active', '{}', '0', 0, 0, NULL, NULL, NULL, '2024-01-02 03:04:05')`,
		`INSERT INTO satelliteHeartbeats VALUES ('hb3', 'sat1', 'active', '{}', '-0', 0, 0, NULL, NULL, NULL, '2024-01-02T03:04:05.123456Z')`,
		`DROP TABLE globalSettings`,
		`CREATE TABLE globalSettings (key text PRIMARY KEY NOT NULL, value text NOT NULL, type text NOT NULL, description blob,
			is_encrypted text NOT NULL, group_id text, created_at integer NOT NULL, updated_at integer NOT NULL)`,
		`INSERT INTO globalSettings VALUES ('k1', 'v', 'string', x'68c3a9', '1', 'g1', 1700000000, 1700000000)`,
		`INSERT INTO globalSettings VALUES ('k2', 42, 'number', 7, '0', NULL, 1700000000, 1700000000)`,
	)
	rep, err := runImport(t, path, url, func(o *importer.Options) { o.OnError = importer.Skip })
	require.NoError(t, err)
	// '-0' is not a canonical integer: reported, not read as 0.
	require.Len(t, rep.Defects, 1)
	d := rep.Defects[0]
	require.Equal(t, importer.Defect{Table: "satelliteHeartbeats", Target: "satellite_heartbeats", PK: "hb3", Column: "process_count", Value: "-0",
		Class: importer.DefectInvalidInteger, Reason: d.Reason}, d)

	pool := openPool(t, url)
	ctx := context.Background()
	var ts time.Time
	var processes, healthy, errs int32
	require.NoError(t, pool.QueryRow(ctx, `SELECT "timestamp", process_count, healthy_process_count, error_count FROM satellite_heartbeats WHERE id = 'hb1'`).
		Scan(&ts, &processes, &healthy, &errs))
	require.True(t, ts.Equal(time.Unix(1700000000, 0)), ts) // canonical integer text: epoch seconds
	require.Equal(t, int32(12), processes)                  // TEXT '12'
	require.Equal(t, int32(5), healthy)                     // REAL 5.0: integral
	require.Equal(t, int32(-3), errs)
	require.NoError(t, pool.QueryRow(ctx, `SELECT "timestamp" FROM satellite_heartbeats WHERE id = 'hb2'`).Scan(&ts))
	require.True(t, ts.Equal(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)), ts) // SQLite date-time text: UTC

	var enc1, enc2 bool
	var desc1, desc2, value2 string
	require.NoError(t, pool.QueryRow(ctx, `SELECT a.is_encrypted, a.description, b.is_encrypted, b.description, b.value
		FROM global_settings a, global_settings b WHERE a.key = 'k1' AND b.key = 'k2'`).Scan(&enc1, &desc1, &enc2, &desc2, &value2))
	require.True(t, enc1)         // TEXT '1'
	require.False(t, enc2)        // TEXT '0'
	require.Equal(t, "hé", desc1) // a UTF-8 BLOB in a text column
	require.Equal(t, "7", desc2)  // an INTEGER in a text column: its decimal form
	require.Equal(t, "42", value2)
}

// heartbeatsLoose recreates satelliteHeartbeats with declared types that do
// not coerce values, so rows can hold text and reals where the legacy
// schema would have stored integers.
const heartbeatsLoose = `DROP TABLE satelliteHeartbeats;
CREATE TABLE satelliteHeartbeats (id text PRIMARY KEY NOT NULL, satellite_id blob NOT NULL, status text NOT NULL,
	system_metrics text NOT NULL, process_count text NOT NULL, healthy_process_count real NOT NULL, error_count blob NOT NULL,
	response_time_ms integer, uptime_seconds integer, version text, timestamp blob NOT NULL);`

func TestDefectsAbortEverything(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		sql   []string
		want  importer.Defect // Reason: a substring
		other int             // other defects expected (cascades); -1: any
	}{
		{"nul byte", []string{`UPDATE teams SET description = 'a' || char(0) || 'b'`},
			importer.Defect{Table: "teams", PK: "t1", Column: "description", Value: `a\x00b`, Class: importer.DefectNULByte, Reason: "NUL byte at byte 1"}, -1},
		{"invalid utf-8", []string{`UPDATE teams SET description = CAST(x'61ff62' AS TEXT)`},
			importer.Defect{Table: "teams", PK: "t1", Column: "description", Value: `a\xffb`, Class: importer.DefectInvalidUTF8, Reason: "invalid UTF-8 at byte 1"}, -1},
		{"invalid utf-8 blob in text", []string{`UPDATE mcpCategories SET description = x'ff61'`},
			importer.Defect{Table: "mcpCategories", PK: "c1", Column: "description", Value: `x'ff61'`, Class: importer.DefectInvalidUTF8, Reason: "invalid UTF-8 at byte 0"}, -1},
		{"invalid json", []string{`UPDATE satelliteHeartbeats SET system_metrics = '{"a":1,}'`},
			importer.Defect{Table: "satelliteHeartbeats", PK: "hb1", Column: "system_metrics", Value: `{"a":1,}`, Class: importer.DefectInvalidJSON, Reason: "expected a string key"}, 0},
		{"json lone surrogate", []string{`UPDATE satelliteHeartbeats SET system_metrics = '["\ud800"]'`},
			importer.Defect{Table: "satelliteHeartbeats", PK: "hb1", Column: "system_metrics", Value: `["\\ud800"]`, Class: importer.DefectInvalidJSON, Reason: "surrogate"}, 0},
		{"json nul", []string{`UPDATE satelliteHeartbeats SET system_metrics = '{"a":"x\u0000"}'`},
			importer.Defect{Table: "satelliteHeartbeats", PK: "hb1", Column: "system_metrics", Value: `{"a":"x\\u0000"}`, Class: importer.DefectJSONNul, Reason: `\u0000`}, 0},
		{"json shape array", []string{`UPDATE roles SET permissions = '{"u":1}'`},
			importer.Defect{Table: "roles", PK: "r1", Column: "permissions", Value: `{"u":1}`, Class: importer.DefectJSONShape, Reason: "must be a JSON array (CHECK roles_permissions_is_array), got a JSON object"}, -1},
		{"json shape array of tokens", []string{`UPDATE satelliteRegistrationTokens SET permissions = '"all"'`},
			importer.Defect{Table: "satelliteRegistrationTokens", PK: "rg1", Column: "permissions", Value: `"all"`, Class: importer.DefectJSONShape, Reason: "got a JSON string"}, 0},
		{"flag 2", []string{`UPDATE teams SET is_default = 2`},
			importer.Defect{Table: "teams", PK: "t1", Column: "is_default", Value: "2", Class: importer.DefectInvalidFlag, Reason: "flag must be 0 or 1, got INTEGER 2"}, -1},
		{"flag text true", []string{`UPDATE oauth_refresh_tokens SET used = 'true'`},
			importer.Defect{Table: "oauth_refresh_tokens", PK: "rt1", Column: "used", Value: "true", Class: importer.DefectInvalidFlag, Reason: `flag stored as TEXT "true"`}, 0},
		{"timestamp negative", []string{`UPDATE satelliteHeartbeats SET timestamp = -5`},
			importer.Defect{Table: "satelliteHeartbeats", PK: "hb1", Column: "timestamp", Value: "-5", Class: importer.DefectInvalidTimestamp, Reason: "negative"}, 0},
		{"milliseconds in a seconds column", []string{`UPDATE teams SET updated_at = 1700000000000`},
			importer.Defect{Table: "teams", PK: "t1", Column: "updated_at", Value: "1700000000000", Class: importer.DefectInvalidTimestamp, Reason: "looks like milliseconds"}, -1},
		{"seconds in a milliseconds column", []string{`UPDATE authSession SET expires_at = 1700000000`},
			importer.Defect{Table: "authSession", PK: "s1", Column: "expires_at", Value: "1700000000", Class: importer.DefectInvalidTimestamp, Reason: "looks like seconds"}, 0},
		{"timestamp after 9999", []string{`UPDATE satelliteHeartbeats SET timestamp = 9000000000000000`},
			importer.Defect{Table: "satelliteHeartbeats", PK: "hb1", Column: "timestamp", Value: "9000000000000000", Class: importer.DefectInvalidTimestamp, Reason: "after year 9999"}, 0},
		{"timestamp text", []string{`UPDATE satelliteHeartbeats SET timestamp = '2024/01/02'`},
			importer.Defect{Table: "satelliteHeartbeats", PK: "hb1", Column: "timestamp", Value: "2024/01/02", Class: importer.DefectInvalidTimestamp, Reason: "neither an epoch integer"}, 0},
		{"timestamp text with offset", []string{`UPDATE satelliteHeartbeats SET timestamp = '2024-01-02 03:04:05+02:00'`},
			importer.Defect{Table: "satelliteHeartbeats", PK: "hb1", Column: "timestamp", Value: "2024-01-02 03:04:05+02:00", Class: importer.DefectInvalidTimestamp, Reason: "(UTC)"}, 0},
		{"timestamp real", []string{`UPDATE satelliteHeartbeats SET timestamp = 1700000000.5`},
			importer.Defect{Table: "satelliteHeartbeats", PK: "hb1", Column: "timestamp", Value: "1.7000000005e+09", Class: importer.DefectInvalidTimestamp, Reason: "not a whole number of seconds"}, 0},
		{"iso-8601 unparsable", []string{`UPDATE satelliteRegistrationTokens SET expires_at = '15/11/2023 22:13'`},
			importer.Defect{Table: "satelliteRegistrationTokens", PK: "rg1", Column: "expires_at", Value: "15/11/2023 22:13", Class: importer.DefectInvalidTimestamp, Reason: "not an ISO-8601 date-time"}, 0},
		{"iso-8601 column holding an epoch (text affinity)", []string{`UPDATE satelliteRegistrationTokens SET created_at = 1700000000`},
			importer.Defect{Table: "satelliteRegistrationTokens", PK: "rg1", Column: "created_at", Value: "1700000000", Class: importer.DefectInvalidTimestamp, Reason: `TEXT "1700000000" is not an ISO-8601 date-time`}, 0},
		{"date_partition of another day", []string{`UPDATE satelliteUsageLogs SET date_partition = '2023-11-15'`},
			importer.Defect{Table: "satelliteUsageLogs", PK: "ul1", Column: "date_partition", Value: "2023-11-15", Class: importer.DefectDerived, Reason: "must be the UTC day of timestamp (2023-11-14)"}, 0},
		{"integer text", []string{`UPDATE satelliteHeartbeats SET process_count = '12abc'`},
			importer.Defect{Table: "satelliteHeartbeats", PK: "hb1", Column: "process_count", Value: "12abc", Class: importer.DefectInvalidInteger, Reason: "canonical base-10"}, 0},
		{"integer text leading zero", []string{heartbeatsLoose, `INSERT INTO satelliteHeartbeats VALUES ('hb1', 'sat1', 'active', '{}', '012', 0, 0, NULL, NULL, NULL, 1700000000)`},
			importer.Defect{Table: "satelliteHeartbeats", PK: "hb1", Column: "process_count", Value: "012", Class: importer.DefectInvalidInteger, Reason: "canonical base-10"}, 0},
		{"integer real", []string{`UPDATE satelliteHeartbeats SET error_count = 1.5`},
			importer.Defect{Table: "satelliteHeartbeats", PK: "hb1", Column: "error_count", Value: "1.5", Class: importer.DefectInvalidInteger, Reason: "REAL 1.5 is not an integer"}, 0},
		{"integer out of range", []string{`UPDATE satelliteHeartbeats SET process_count = 3000000000`},
			importer.Defect{Table: "satelliteHeartbeats", PK: "hb1", Column: "process_count", Value: "3000000000", Class: importer.DefectInvalidInteger, Reason: "out of range for integer"}, 0},
		{"real in a text column", []string{heartbeatsLoose, `INSERT INTO satelliteHeartbeats VALUES ('hb1', 1.5, 'active', '{}', 1, 0, 0, NULL, NULL, NULL, 1700000000)`},
			importer.Defect{Table: "satelliteHeartbeats", PK: "hb1", Column: "satellite_id", Value: "1.5", Class: importer.DefectWrongType, Reason: "REAL value in a text column"}, 0},
		{"value outside an enum", []string{`UPDATE satelliteProcesses SET status = 'crashed'`},
			importer.Defect{Table: "satelliteProcesses", PK: "p1", Column: "status", Value: "crashed", Class: importer.DefectInvalidEnum, Reason: `"crashed" is not a value of enum process_status`}, -1},
		{"enum values are case-sensitive", []string{`UPDATE satelliteCommands SET priority = 'High'`},
			importer.Defect{Table: "satelliteCommands", PK: "cmd1", Column: "priority", Value: "High", Class: importer.DefectInvalidEnum, Reason: `"High" is not a value of enum command_priority`}, 0},
		{"value outside documented values", []string{`UPDATE teamMemberships SET role = 'owner'`},
			importer.Defect{Table: "teamMemberships", PK: "m1", Column: "role", Value: "owner", Class: importer.DefectCheck, Reason: "violates CHECK team_members_role_check"}, 0},
		{"null in not null", []string{`DROP TABLE authSession`, `CREATE TABLE authSession (id text PRIMARY KEY NOT NULL, user_id text NOT NULL, expires_at integer)`,
			`INSERT INTO authSession VALUES ('s1', 'u1', NULL)`},
			importer.Defect{Table: "authSession", PK: "s1", Column: "expires_at", Value: "NULL", Class: importer.DefectNull, Reason: "NOT NULL"}, 0},
		{"orphan", []string{`UPDATE teamMemberships SET user_id = 'ghost'`},
			importer.Defect{Table: "teamMemberships", PK: "m1", Column: "user_id", Value: "ghost", Class: importer.DefectOrphan, Reason: "parent authUser(id) not imported: no such row in the legacy file"}, 0},
		{"orphan of a nullable key", []string{`UPDATE queueJobs SET batch_id = 'gone'`},
			importer.Defect{Table: "queueJobs", PK: "j1", Column: "batch_id", Value: "gone", Class: importer.DefectOrphan, Reason: "queue_jobs_batch_id_fkey"}, 0},
		{"duplicate", []string{`DROP INDEX teams_slug_unique`, `INSERT INTO teams VALUES ('t2', 'Team 2', 'team', NULL, 'u1', 0, 1, 1700000000, 1700000000)`},
			importer.Defect{Table: "teams", PK: "t2", Column: "slug", Value: "team", Class: importer.DefectDuplicate, Reason: "teams_slug"}, 0},
		{"duplicate after conversion", []string{`INSERT INTO mcpClientActivityMetrics VALUES ('cm2', 'u1', 't1', 'sat1', 'cl1', '2023-11-14 22:13:20', '15m', 1, 1, 1, 1700000000)`},
			importer.Defect{Table: "mcpClientActivityMetrics", PK: "cm2", Column: "user_id,team_id,satellite_id,auth_identifier,bucket_timestamp,bucket_interval",
				Value: "u1, t1, sat1, cl1, 2023-11-14 22:13:20,…", Class: importer.DefectDuplicate, Reason: "mcp_activity_metrics_unique_bucket"}, 0},
		{"duplicate text id as blob", []string{`INSERT INTO authSession VALUES (CAST('s1' AS BLOB), 'u1', 1700000000123)`},
			importer.Defect{Table: "authSession", PK: "x'7331'", Column: "id", Value: "x'7331'", Class: importer.DefectDuplicate, Reason: "sessions_pkey"}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			url := stackdbtest.URL(t)
			rep, err := runImport(t, legacyFile(t, tc.sql...), url)
			require.ErrorIs(t, err, importer.ErrDefects)
			require.False(t, rep.Committed)
			d, ok := findDefect(rep, tc.want.Table, tc.want.PK, tc.want.Column)
			require.True(t, ok, "defect not reported; got %v", rep.Defects)
			require.Contains(t, d.Reason, tc.want.Reason)
			want := tc.want
			want.Reason, want.Target = d.Reason, d.Target
			require.Equal(t, want, d)
			require.LessOrEqual(t, len([]rune(d.Value)), 40)
			if tc.other >= 0 {
				require.Len(t, rep.Defects, 1+tc.other, "%v", rep.Defects)
			}
			requireUnchanged(t, url)
		})
	}
}

// TestDuplicatesWhereStackdbIsStricter: DeployStack has no unique key on
// team memberships, so a real file may repeat one; a target that requires
// one (a stricter unique index) gets the repeat reported as a duplicate,
// never silently dropped.
func TestDuplicatesWhereStackdbIsStricter(t *testing.T) {
	t.Parallel()
	url := stackdbtest.URL(t)
	_, err := openPool(t, url).Exec(context.Background(), `CREATE UNIQUE INDEX team_members_team_user_key ON team_members (team_id, user_id)`)
	require.NoError(t, err)
	rep, err := runImport(t, legacyFile(t, `INSERT INTO teamMemberships VALUES ('m2', 't1', 'u1', 'team_user', 1700000100)`), url)
	require.ErrorIs(t, err, importer.ErrDefects)
	require.Equal(t, []importer.Defect{{Table: "teamMemberships", Target: "team_members", PK: "m2", Column: "team_id,user_id", Value: "t1, u1",
		Class: importer.DefectDuplicate, Reason: "an earlier row has the same value, and team_members_team_user_key requires it to be unique" +
			" (stackdb is stricter here than DeployStack, whose SQLite layout has no such unique key)"}}, rep.Defects)
	requireUnchanged(t, url)

	// A key SQLite has too (the primary key) is not called stricter.
	rep, err = runImport(t, legacyFile(t, `INSERT INTO authSession VALUES (CAST('s1' AS BLOB), 'u1', 1700000000123)`), url)
	require.ErrorIs(t, err, importer.ErrDefects)
	require.Len(t, rep.Defects, 1)
	require.Equal(t, "an earlier row has the same value, and sessions_pkey requires it to be unique", rep.Defects[0].Reason)
}

func TestOrphansOfRejectedParents(t *testing.T) {
	t.Parallel()
	url := stackdbtest.URL(t)
	path := legacyFile(t,
		`INSERT INTO teams VALUES ('t2', 'Team 2', 'team-2', NULL, 'u1', 5, 1, 1700000000, 1700000000)`, // flag 5: rejected
		`INSERT INTO teamMemberships VALUES ('m2', 't2', 'u1', 'team_user', 1700000000)`,
		`INSERT INTO satellites VALUES ('sat2', 'Sat 2', 'team', 't2', 'active', '[]', 'h2', NULL, NULL, NULL, 'u1', 1700000000, 1700000000)`,
		`INSERT INTO satelliteHeartbeats VALUES ('hb2', 'sat2', 'active', '{}', 0, 0, 0, NULL, NULL, NULL, 1700000000)`, // grandchild
	)
	rep, err := runImport(t, path, url)
	require.ErrorIs(t, err, importer.ErrDefects)
	d, ok := findDefect(rep, "teams", "t2", "is_default")
	require.True(t, ok)
	require.Equal(t, importer.DefectInvalidFlag, d.Class)
	for _, c := range []struct{ table, pk, col string }{
		{"teamMemberships", "m2", "team_id"}, {"satellites", "sat2", "team_id"}, {"satelliteHeartbeats", "hb2", "satellite_id"},
	} {
		d, ok := findDefect(rep, c.table, c.pk, c.col)
		require.True(t, ok, "%v: %v", c, rep.Defects)
		require.Equal(t, importer.DefectOrphan, d.Class)
		require.Contains(t, d.Reason, "the parent row was rejected")
	}
	require.Len(t, rep.Defects, 4)
	requireUnchanged(t, url)
}

func TestSkipModeImportsTheRest(t *testing.T) {
	t.Parallel()
	url := stackdbtest.URL(t)
	path := legacyFile(t,
		`INSERT INTO teams VALUES ('t2', 'Team 2', 'team-2', NULL, 'u1', 5, 1, 1700000000, 1700000000)`,
		`INSERT INTO teamMemberships VALUES ('m2', 't2', 'u1', 'team_user', 1700000000)`,
		`INSERT INTO teams VALUES ('t3', 'Team 3', 'team-3', 'ok', 'u1', 0, 1, 1700000000, 1700000000)`,
		`INSERT INTO satelliteHeartbeats VALUES ('hb2', 'sat1', 'active', 'not json', 0, 0, 0, NULL, NULL, NULL, 1700000000)`,
		`INSERT INTO satelliteHeartbeats VALUES ('hb3', 'ghost', 'active', '{}', 0, 0, 0, NULL, NULL, CAST(x'ff' AS TEXT), 1700000000)`,
		`INSERT INTO satelliteHeartbeats VALUES ('hb4', 'sat1', 'error', '{}', 0, 0, 1, NULL, NULL, NULL, 1700000000)`,
	)
	rep, err := runImport(t, path, url, func(o *importer.Options) { o.OnError = importer.Skip })
	require.NoError(t, err)
	require.True(t, rep.Committed)

	teams := tableReport(t, rep, "teams")
	require.Equal(t, importer.TableReport{Legacy: "teams", Target: "teams", SourceRows: 3, Imported: 2, Rejected: 1, ChecksumOK: true, Checksum: teams.Checksum}, teams)
	members := tableReport(t, rep, "teamMemberships")
	require.Equal(t, int64(1), members.Imported)
	require.Equal(t, int64(1), members.Rejected)
	beats := tableReport(t, rep, "satelliteHeartbeats")
	require.Equal(t, int64(4), beats.SourceRows)
	require.Equal(t, int64(2), beats.Imported)
	require.Equal(t, int64(2), beats.Rejected)

	require.Len(t, rep.Rejected, 4)
	byPK := map[string]importer.RejectedRow{}
	for _, r := range rep.Rejected {
		byPK[r.Table+"/"+r.PK] = r
	}
	team := byPK["teams/t2"]
	require.Equal(t, "teams", team.Target)
	var values map[string]any
	require.NoError(t, json.Unmarshal(team.Values, &values))
	require.Equal(t, map[string]any{"id": "t2", "name": "Team 2", "slug": "team-2", "description": nil, "owner_id": "u1",
		"is_default": float64(5), "non_http_mcp_limit": float64(1), "created_at": float64(1700000000), "updated_at": float64(1700000000)}, values)
	require.Equal(t, []string{"is_default: invalid_flag: flag must be 0 or 1, got INTEGER 5"}, team.Reasons)
	require.Contains(t, byPK["teamMemberships/m2"].Reasons[0], "team_id: orphan: parent teams(id) not imported: the parent row was rejected")
	bad := byPK["satelliteHeartbeats/hb3"]
	require.Len(t, bad.Reasons, 2) // invalid UTF-8 and an orphan satellite, both reported
	require.Contains(t, string(bad.Values), `"version":{"text_base64":"/w=="}`)
	// Every rejected row appears in the JSON-lines form the CLI writes.
	for _, r := range rep.Rejected {
		line, err := json.Marshal(r)
		require.NoError(t, err)
		require.NotContains(t, string(line), "\n")
	}

	pool := openPool(t, url)
	require.Equal(t, 2, count(t, pool, "teams"))
	require.Equal(t, 1, count(t, pool, "team_members"))
	require.Equal(t, 2, count(t, pool, "satellite_heartbeats"))
	require.Equal(t, 1, count(t, pool, "users"))
}

func TestSkipModeRejectedRowsWrittenBeforeCommit(t *testing.T) {
	t.Parallel()
	url := stackdbtest.URL(t)
	path := legacyFile(t, `INSERT INTO teams VALUES ('t2', 'Team 2', 'team-2', NULL, 'u1', 5, 1, 1700000000, 1700000000)`)
	var got []byte
	rep, err := runImport(t, path, url, func(o *importer.Options) {
		o.OnError = importer.Skip
		o.WriteRejected = func(rows io.Reader) error {
			var err error
			got, err = io.ReadAll(rows)
			require.NoError(t, err)
			return errors.New("disk full")
		}
	})
	require.ErrorContains(t, err, "the rejected rows could not be written, so nothing was committed: disk full")
	require.False(t, rep.Committed)
	require.Len(t, rejectedLines(t, got), 1)
	requireUnchanged(t, url)
}

func TestFailedImportLeavesIdentitiesAlone(t *testing.T) {
	t.Parallel()
	url := stackdbtest.URL(t)
	pool := openPool(t, url)
	ctx := context.Background()
	// The plugin table exists before the import (it is reused), so its
	// sequence is not one the import's transaction created.
	require.NoError(t, plugin.CreateTable(ctx, pool, "example-plugin", "example_entities", []plugin.Column{
		{Name: "id", Type: plugin.Identity, PrimaryKey: true}, {Name: "name", Type: plugin.Text, NotNull: true},
		{Name: "description", Type: plugin.Text}, {Name: "created_at", Type: plugin.Timestamptz, NotNull: true},
	}))
	nextID := func() int64 {
		t.Helper()
		var id int64
		require.NoError(t, pool.QueryRow(ctx, `INSERT INTO plugin_example_plugin.example_entities (name, created_at)
			VALUES ('probe', now()) RETURNING id`).Scan(&id))
		_, err := pool.Exec(ctx, "DELETE FROM plugin_example_plugin.example_entities")
		require.NoError(t, err)
		return id
	}
	defect := `INSERT INTO teams VALUES ('t2', 'Team 2', 'team-2', NULL, 'u1', 5, 1, 1700000000, 1700000000)`
	for name, mode := range map[string]func(*importer.Options){
		"defects": func(*importer.Options) {},
		"failure before the commit": func(o *importer.Options) {
			o.OnError = importer.Skip
			o.WriteRejected = func(io.Reader) error { return errors.New("disk full") }
		},
	} {
		_, err := runImport(t, legacyFile(t, defect), url, mode)
		require.Error(t, err, name)
		require.Equal(t, 0, count(t, pool, "users"), name)
	}
	require.Equal(t, int64(1), nextID(), "the identity did not move past the rolled-back id 7")

	_, err := runImport(t, legacyFile(t), url)
	require.NoError(t, err)
	require.Equal(t, int64(8), nextID(), "a committed import moves it past the imported id 7")
}

func TestConcurrentImportsIntoOneTarget(t *testing.T) {
	t.Parallel()
	url := stackdbtest.URL(t)
	started, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	first := make(chan error, 1)
	go func() {
		_, err := runImport(t, legacyFile(t), url, func(o *importer.Options) {
			o.Progress = func(importer.ProgressEvent) {
				once.Do(func() { close(started); <-release })
			}
		})
		first <- err
	}()
	<-started // the first import is loading
	rep, err := runImport(t, legacyFile(t), url)
	close(release)
	require.ErrorIs(t, err, importer.ErrBusy)
	require.ErrorContains(t, err, "another import is running")
	require.False(t, rep.Committed)
	require.NoError(t, <-first, "the first import is not disturbed")
	require.Equal(t, 1, count(t, openPool(t, url), "users"))
}

func TestEmailsDifferingOnlyInCaseAreWarnings(t *testing.T) {
	t.Parallel()
	url := stackdbtest.URL(t)
	path := legacyFile(t,
		`INSERT INTO authUser VALUES ('u2', 'alice2', 'Alice@Example.com', 'email_signup', 'Alice', NULL, NULL, 'hash', 'r1', 1)`,
		`INSERT INTO authUser VALUES ('u0', 'alice0', 'ALICE@example.COM', 'email_signup', 'Alice', NULL, NULL, 'hash', 'r1', 1)`)
	rep, err := runImport(t, path, url)
	require.NoError(t, err, "a warning does not block the import")
	require.True(t, rep.Committed)
	require.Empty(t, rep.Defects)
	require.Equal(t, []importer.Defect{
		{Table: "authUser", Target: "users", PK: "u1", Column: "email", Value: "alice@example.com", Class: importer.WarnEmailCase,
			Reason: "differs only in case from the email of user u0 (ALICE@example.COM); lookups by email find only that user"},
		{Table: "authUser", Target: "users", PK: "u2", Column: "email", Value: "Alice@Example.com", Class: importer.WarnEmailCase,
			Reason: "differs only in case from the email of user u0 (ALICE@example.COM); lookups by email find only that user"},
	}, rep.Warnings)
	require.Equal(t, 3, count(t, openPool(t, url), "users"))
}

func TestPluginTables(t *testing.T) {
	t.Parallel()
	url := stackdbtest.URL(t)
	registered := `INSERT INTO __plugin_migrations (plugin_id, table_name, schema_hash) VALUES ('other-plugin', 'things', 'h2')`
	path := legacyFile(t, registered,
		`CREATE TABLE "other-plugin_things" (key text PRIMARY KEY NOT NULL, score real, data json, enabled boolean NOT NULL,
			payload blob, hits integer, seen_at integer, at timestamp)`,
		`INSERT INTO "other-plugin_things" VALUES ('k', 1.5, '{"x": [1]}', 1, x'0001', 3, 1700000000, NULL)`,
		`INSERT INTO "other-plugin_things" VALUES ('k2', 2, NULL, 0, NULL, NULL, NULL, NULL)`,
	)
	rep, err := runImport(t, path, url)
	// "at timestamp" has no Postgres equivalent in the importer: refused
	// before anything is written.
	require.ErrorIs(t, err, importer.ErrSource)
	require.ErrorContains(t, err, `column "at" has declared type "timestamp"`)
	require.Nil(t, rep.Tables)
	requireUnchanged(t, url)

	path = legacyFile(t, registered,
		`CREATE TABLE "other-plugin_things" (key text PRIMARY KEY NOT NULL, score real, data json, enabled boolean NOT NULL,
			payload blob, hits integer, seen_at integer)`,
		`INSERT INTO "other-plugin_things" VALUES ('k', 1.5, '{"x": [1]}', 1, x'0001', 3, 1700000000)`,
		`INSERT INTO "other-plugin_things" VALUES ('k2', 2, NULL, 0, NULL, NULL, NULL)`,
	)
	rep, err = runImport(t, path, url)
	require.NoError(t, err)
	require.Equal(t, "other-plugin", tableReport(t, rep, "other-plugin_things").Plugin)

	pool := openPool(t, url)
	ctx := context.Background()
	types := func(schema, table string) map[string]string {
		rows, err := pool.Query(ctx, `SELECT column_name, data_type || CASE WHEN is_identity = 'YES' THEN ' identity' ELSE '' END
			|| CASE WHEN is_nullable = 'NO' THEN ' not null' ELSE '' END
			FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2`, schema, table)
		require.NoError(t, err)
		defer rows.Close() // a failed assertion must not leave the connection busy
		out := map[string]string{}
		for rows.Next() {
			var name, typ string
			require.NoError(t, rows.Scan(&name, &typ))
			out[name] = typ
		}
		require.NoError(t, rows.Err())
		return out
	}
	require.Equal(t, map[string]string{
		"id": "bigint identity not null", "name": "text not null", "description": "text", "created_at": "timestamp with time zone not null",
	}, types("plugin_example_plugin", "example_entities"))
	require.Equal(t, map[string]string{
		"key": "text not null", "score": "double precision", "data": "jsonb", "enabled": "boolean not null",
		"payload": "bytea", "hits": "bigint", "seen_at": "timestamp with time zone",
	}, types("plugin_other_plugin", "things"))

	var created time.Time
	var name string
	require.NoError(t, pool.QueryRow(ctx, "SELECT name, created_at FROM plugin_example_plugin.example_entities WHERE id = 7").Scan(&name, &created))
	require.Equal(t, "entity", name)
	require.True(t, created.Equal(time.Unix(1700000000, 0)))
	var score float64
	var data string
	var enabled bool
	var payload []byte
	var seen time.Time
	require.NoError(t, pool.QueryRow(ctx, `SELECT score, data::text, enabled, payload, seen_at FROM plugin_other_plugin.things WHERE key = 'k'`).
		Scan(&score, &data, &enabled, &payload, &seen))
	require.Equal(t, 1.5, score)
	require.Equal(t, `{"x": [1]}`, data)
	require.True(t, enabled)
	require.Equal(t, []byte{0, 1}, payload)
	require.True(t, seen.Equal(time.Unix(1700000000, 0)))
	require.NoError(t, pool.QueryRow(ctx, `SELECT score FROM plugin_other_plugin.things WHERE key = 'k2'`).Scan(&score))
	require.Equal(t, 2.0, score)

	// The identity moved past the imported id.
	var id int64
	require.NoError(t, pool.QueryRow(ctx, "INSERT INTO plugin_example_plugin.example_entities (name, created_at) VALUES ('new', now()) RETURNING id").Scan(&id))
	require.Equal(t, int64(8), id)
}

func TestTargetMustBeMigrated(t *testing.T) {
	t.Parallel()
	path := legacyFile(t)
	url := stackdbtest.EmptyURL(t)
	_, err := runImport(t, path, url)
	require.ErrorIs(t, err, importer.ErrNotMigrated)
	require.ErrorContains(t, err, "at version none")

	// Migrated, but not to the latest version (once there are two).
	dir, err := schema.Dir()
	require.NoError(t, err)
	files, err := dir.Files()
	require.NoError(t, err)
	require.NotEmpty(t, files)
	if len(files) == 1 {
		return
	}
	_, err = atlasmig.Apply(context.Background(), url, dir, atlasmig.ApplyOptions{To: files[0].Version()})
	require.NoError(t, err)
	_, err = runImport(t, path, url)
	require.ErrorIs(t, err, importer.ErrNotMigrated)
	require.ErrorContains(t, err, files[len(files)-1].Name())
}

func TestNonEmptyTarget(t *testing.T) {
	t.Parallel()
	url := stackdbtest.URL(t)
	path := legacyFile(t)
	_, err := runImport(t, path, url)
	require.NoError(t, err)

	// The same file again: refused, exactly once.
	_, err = runImport(t, path, url)
	require.ErrorIs(t, err, importer.ErrNotEmpty)
	require.ErrorContains(t, err, "users")

	// Rows in a table the legacy layout lacks count too.
	fresh := stackdbtest.URL(t)
	_, err = openPool(t, fresh).Exec(context.Background(), `INSERT INTO mcp_oauth_providers (id, name, slug, auth_server_patterns, client_id, authorization_endpoint, token_endpoint)
		VALUES ('op1', 'GitHub', 'github', '[]', 'id', 'https://a', 'https://t')`)
	require.NoError(t, err)
	_, err = runImport(t, path, fresh)
	require.ErrorIs(t, err, importer.ErrNotEmpty)
	require.ErrorContains(t, err, "mcp_oauth_providers")

	// With Truncate the target is replaced, in the same transaction.
	other := legacyFile(t, `INSERT INTO satelliteHeartbeats VALUES ('hb2', 'sat1', 'active', '{}', 0, 0, 0, NULL, NULL, NULL, 1700000000)`)
	rep, err := runImport(t, other, url, func(o *importer.Options) { o.Truncate = true })
	require.NoError(t, err)
	require.True(t, rep.Truncated)
	pool := openPool(t, url)
	require.Equal(t, 2, count(t, pool, "satellite_heartbeats"))
	require.Equal(t, 1, count(t, pool, "users"))
	require.Equal(t, 1, count(t, pool, "plugin_example_plugin.example_entities"))
}

func TestNonEmptyPluginSchema(t *testing.T) {
	t.Parallel()
	url := stackdbtest.URL(t)
	pool := openPool(t, url)
	ctx := context.Background()
	_, err := pool.Exec(ctx, `CREATE SCHEMA plugin_some_plugin; CREATE TABLE plugin_some_plugin.t (x int); INSERT INTO plugin_some_plugin.t VALUES (1)`)
	require.NoError(t, err)
	_, err = runImport(t, legacyFile(t), url)
	require.ErrorIs(t, err, importer.ErrNotEmpty)
	require.ErrorContains(t, err, `"plugin_some_plugin"."t"`)
	require.Equal(t, 0, count(t, pool, "users"))

	_, err = runImport(t, legacyFile(t), url, func(o *importer.Options) { o.Truncate = true })
	require.NoError(t, err)
	require.Equal(t, 0, count(t, pool, "plugin_some_plugin.t"))
	require.Equal(t, 1, count(t, pool, "users"))
}

func TestBadLegacyFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	notSQLite := filepath.Join(dir, "notes.txt")
	require.NoError(t, os.WriteFile(notSQLite, []byte("hello, this is not a database\n"), 0o600))
	empty := filepath.Join(dir, "empty.db")
	require.NoError(t, os.WriteFile(empty, nil, 0o600))

	// A real file with its pages past the first overwritten.
	corrupt := legacyFile(t, `WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
		INSERT INTO satelliteHeartbeats SELECT 'hb-' || i, 'sat1', 'active', '{"i":' || i || '}', 0, 0, 0, NULL, NULL, NULL, 1700000000 FROM n`)
	f, err := os.OpenFile(corrupt, os.O_RDWR, 0)
	require.NoError(t, err)
	fi, err := f.Stat()
	require.NoError(t, err)
	garbage := []byte(strings.Repeat("\xde\xad\xbe\xef", 1024))
	for off := int64(8192); off+int64(len(garbage)) < fi.Size(); off += 3 * 4096 {
		_, err = f.WriteAt(garbage, off)
		require.NoError(t, err)
	}
	require.NoError(t, f.Close())

	cases := []struct {
		name, path, msg string
	}{
		{"missing", filepath.Join(dir, "nope.db"), "no such file"},
		{"not sqlite", notSQLite, "not an SQLite database"},
		{"empty", empty, "not an SQLite database"},
		{"corrupt", corrupt, "corrupt"},
		{"missing table", legacyFile(t, `DROP TABLE globalSettings`), `legacy table "globalSettings" is missing`},
		{"unknown table", legacyFile(t, `CREATE TABLE "legacyStuff" (id text)`), `unknown legacy table "legacyStuff"`},
		{"unknown table, invalid plugin id", legacyFile(t, `CREATE TABLE "Bad-Plugin_things" (id text)`), `unknown legacy table "Bad-Plugin_things"`},
		// A name of the "<pluginId>_<table>" form is not enough: only the
		// tables __plugin_migrations lists are a plugin's. A backup copy of
		// a real table is not imported as plugin "teams"'s table "backup".
		{"unknown table named like a plugin's", legacyFile(t, `CREATE TABLE teams_backup AS SELECT * FROM teams`), `unknown legacy table "teams_backup"`},
		{"plugin table with an invalid plugin id", legacyFile(t, `CREATE TABLE "Bad-Plugin_things" (id text)`,
			`INSERT INTO __plugin_migrations (plugin_id, table_name, schema_hash) VALUES ('Bad-Plugin', 'things', 'h')`), `plugin table "Bad-Plugin_things"`},
		{"no __plugin_migrations", legacyFile(t, `DROP TABLE __plugin_migrations`), `unknown legacy table "example-plugin_example_entities"`},
		{"unmapped column", legacyFile(t, `ALTER TABLE teams ADD COLUMN color text`), "legacy column teams.color is not mapped"},
		{"mapped column missing", legacyFile(t, `ALTER TABLE teams DROP COLUMN description`), "legacy column teams.description is mapped but missing"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			url := stackdbtest.URL(t)
			rep, err := runImport(t, tc.path, url)
			require.ErrorIs(t, err, importer.ErrSource)
			require.ErrorContains(t, err, tc.msg)
			require.NotNil(t, rep)
			requireUnchanged(t, url)
		})
	}
}

func TestMappingCheckedAgainstLiveSchema(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, ddl, msg string }{
		{"mapped column missing in target", `ALTER TABLE teams RENAME COLUMN description TO summary`,
			"teams.description → teams.description: the target column does not exist"},
		{"unmapped NOT NULL column", `ALTER TABLE teams ADD COLUMN region text NOT NULL`,
			"target column teams.region is NOT NULL without a default"},
		{"unsupported check", `ALTER TABLE teams ADD CONSTRAINT teams_name_len CHECK (length(name) > 0)`,
			"CHECK constraint teams_name_len"},
		{"timestamp column became text", `ALTER TABLE teams ALTER COLUMN created_at TYPE text`,
			"Unit seconds is set but the target is text"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			url := stackdbtest.URL(t)
			_, err := openPool(t, url).Exec(context.Background(), tc.ddl)
			require.NoError(t, err)
			_, err = runImport(t, legacyFile(t), url)
			require.ErrorIs(t, err, importer.ErrSchema)
			require.ErrorContains(t, err, tc.msg)
			requireUnchanged(t, url)
		})
	}
}

func TestVerificationCatchesAlteredValues(t *testing.T) {
	t.Parallel()
	// Triggers that change a value on its way in: COPY succeeds and the
	// counts match, only the checksum can tell. One per kind of value.
	cases := []struct{ name, table, body string }{
		{"text", "teams", `BEGIN NEW.name := NEW.name || '!';`},
		{"values swapped between columns", "teams", `DECLARE x text; BEGIN x := NEW.name; NEW.name := NEW.slug; NEW.slug := x;`},
		{"NULL becomes empty text", "mcp_server_versions", `BEGIN NEW.changelog := coalesce(NEW.changelog, '');`},
		{"jsonb", "satellite_heartbeats", `BEGIN NEW.system_metrics := NEW.system_metrics || '{"x": 1}';`},
		{"timestamptz by a microsecond", "satellite_heartbeats", `BEGIN NEW."timestamp" := NEW."timestamp" + interval '1 microsecond';`},
		{"enum", "satellite_processes", `BEGIN NEW.status := 'failed';`},
		{"boolean", "teams", `BEGIN NEW.is_default := NOT NEW.is_default;`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			url := stackdbtest.URL(t)
			_, err := openPool(t, url).Exec(context.Background(), `
CREATE FUNCTION tamper() RETURNS trigger LANGUAGE plpgsql AS $$ `+tc.body+` RETURN NEW; END $$;
CREATE TRIGGER tamper BEFORE INSERT ON `+tc.table+` FOR EACH ROW EXECUTE FUNCTION tamper();`)
			require.NoError(t, err)
			rep, err := runImport(t, legacyFile(t), url)
			require.ErrorIs(t, err, importer.ErrVerify)
			require.ErrorContains(t, err, "the checksum of "+tc.table)
			require.False(t, rep.Committed)
			requireUnchanged(t, url)
		})
	}
}

func TestCopyFailureStopsTheConversion(t *testing.T) {
	t.Parallel()
	url := stackdbtest.URL(t)
	// Postgres refuses a row half-way through a table: the import stops
	// with Postgres's error (the conversion of the rest is abandoned) and
	// leaves the target as it was.
	_, err := openPool(t, url).Exec(context.Background(), `
CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN IF NEW.id = 'hb-2500' THEN RAISE EXCEPTION 'row 2500 refused'; END IF; RETURN NEW; END $$;
CREATE TRIGGER refuse BEFORE INSERT ON satellite_heartbeats FOR EACH ROW EXECUTE FUNCTION refuse();`)
	require.NoError(t, err)
	path := legacyFile(t, manyHeartbeats)
	rep, err := runImport(t, path, url)
	require.ErrorContains(t, err, "copy satelliteHeartbeats into satellite_heartbeats")
	require.ErrorContains(t, err, "row 2500 refused")
	require.False(t, rep.Committed)
	requireUnchanged(t, url)
}

func TestCancelledRunLeavesNothing(t *testing.T) {
	t.Parallel()
	url := stackdbtest.URL(t)
	path := legacyFile(t, manyHeartbeats)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rep, err := importer.Run(ctx, importer.Options{From: path, To: url, BatchSize: 100, Progress: func(e importer.ProgressEvent) {
		if e.Table == "satelliteHeartbeats" && e.Done >= 1000 {
			cancel() // as Ctrl-C would, half-way through a COPY
		}
	}})
	require.Error(t, err)
	require.True(t, errors.Is(err, context.Canceled), "%v", err)
	require.ErrorContains(t, err, "interrupted")
	require.ErrorContains(t, err, "the target is unchanged")
	require.False(t, rep.Committed)
	requireUnchanged(t, url)

	rep, err = runImport(t, path, url)
	require.NoError(t, err)
	require.Equal(t, int64(5000), tableReport(t, rep, "satelliteHeartbeats").Imported)
}

func TestProgressTotalsAreExact(t *testing.T) {
	t.Parallel()
	url := stackdbtest.URL(t)
	path := legacyFile(t, manyHeartbeats, `DELETE FROM satelliteHeartbeats WHERE id BETWEEN 'hb-2' AND 'hb-4'`)
	var totals []int64
	var done int64
	_, err := runImport(t, path, url, func(o *importer.Options) {
		o.BatchSize = 100
		o.Progress = func(e importer.ProgressEvent) {
			if e.Table == "satelliteHeartbeats" {
				totals = append(totals, e.Total)
				done = e.Done
			}
		}
	})
	require.NoError(t, err)
	require.Greater(t, len(totals), 2)
	for _, n := range totals {
		require.Equal(t, done, n, "every event's total is the rows that come")
	}
}

// holdLegacy opens path and, in a transaction, runs stmts on it, keeping
// the connection until the test ends.
func holdLegacy(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	conn, err := db.Conn(context.Background())
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	for _, s := range stmts {
		_, err := conn.ExecContext(context.Background(), s)
		require.NoError(t, err, s)
	}
}

func TestLockedAndHotJournalLegacyFiles(t *testing.T) {
	t.Parallel()
	t.Run("locked", func(t *testing.T) {
		t.Parallel()
		url := stackdbtest.URL(t)
		path := legacyFile(t)
		holdLegacy(t, path, "BEGIN EXCLUSIVE") // as a running DeployStack writing
		_, err := runImport(t, path, url)
		require.ErrorIs(t, err, importer.ErrSource)
		require.ErrorContains(t, err, "is locked by another process (is DeployStack still running?)")
		require.NotContains(t, err.Error(), "corrupt")
		requireUnchanged(t, url)
	})
	t.Run("hot journal", func(t *testing.T) {
		t.Parallel()
		url := stackdbtest.URL(t)
		path := legacyFile(t, manyHeartbeats)
		// A write in progress that spilled pages into the file, copied
		// with its journal: the copy has a hot journal and no process
		// that could roll it back.
		holdLegacy(t, path, "PRAGMA journal_mode = DELETE", "PRAGMA cache_size = 1", "BEGIN",
			"UPDATE satelliteHeartbeats SET version = '2.0.0-' || id")
		dir := t.TempDir()
		copied := filepath.Join(dir, "copy.db")
		for _, suffix := range []string{"", "-journal"} {
			b, err := os.ReadFile(path + suffix)
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(copied+suffix, b, 0o600))
		}
		_, err := runImport(t, copied, url)
		require.ErrorIs(t, err, importer.ErrSource)
		require.ErrorContains(t, err, "has a hot journal")
		require.ErrorContains(t, err, "open it once with sqlite3 to recover")
		require.NotContains(t, err.Error(), "readonly")
		requireUnchanged(t, url)
	})
}

// manyHeartbeats adds heartbeats hb-2 … hb-5000 to the one of baseRows.
const manyHeartbeats = `WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
	INSERT INTO satelliteHeartbeats SELECT 'hb-' || i, 'sat1', 'active', '{"i":' || i || '}', i % 5, i % 3, 0, i % 100, i, '1.0.0', 1700000000 + i * 30 FROM n`

func TestPluginTableDefectsAndConflicts(t *testing.T) {
	t.Parallel()
	url := stackdbtest.URL(t)
	// A plugin table without a primary key: rows are named by rowid.
	path := legacyFile(t,
		`CREATE TABLE "acme_log" (msg text NOT NULL, created_at integer NOT NULL)`,
		`INSERT INTO __plugin_migrations (plugin_id, table_name, schema_hash) VALUES ('acme', 'log', 'h')`,
		`INSERT INTO "acme_log" VALUES ('ok', 1700000000), (CAST(x'ff' AS TEXT), 1700000000), ('late', 1700000000000)`,
	)
	rep, err := runImport(t, path, url)
	require.ErrorIs(t, err, importer.ErrDefects)
	require.Equal(t, []importer.Defect{
		{Table: "acme_log", Target: "plugin_acme.log", PK: "rowid 2", Column: "msg", Value: `\xff`, Class: importer.DefectInvalidUTF8, Reason: "invalid UTF-8 at byte 0"},
		{Table: "acme_log", Target: "plugin_acme.log", PK: "rowid 3", Column: "created_at", Value: "1700000000000", Class: importer.DefectInvalidTimestamp,
			Reason: "INTEGER 1700000000000 is after year 9999 as seconds: looks like milliseconds in a seconds column"},
	}, rep.Defects)
	requireUnchanged(t, url)

	// An existing plugin table with another definition is never altered.
	pool := openPool(t, url)
	_, err = pool.Exec(context.Background(), `CREATE SCHEMA plugin_example_plugin;
		CREATE TABLE plugin_example_plugin.example_entities (id bigint PRIMARY KEY, name text NOT NULL)`)
	require.NoError(t, err)
	_, err = runImport(t, legacyFile(t), url)
	require.ErrorIs(t, err, importer.ErrSchema)
	require.ErrorContains(t, err, "exists with a different definition")
	require.Equal(t, 0, count(t, pool, "users"))
}

func TestImportWritesRowsFrozen(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		setup  string
		frozen bool
	}{
		// The empty tables are truncated in the transaction, so COPY FREEZE
		// applies: every page of the imported tables is all-frozen.
		{"empty target", "", true},
		// A table outside the import references teams: the tables cannot be
		// truncated without touching it, so they are not, and COPY does
		// without FREEZE; the import still succeeds.
		{"referenced from outside", `CREATE TABLE app_notes (team_id text REFERENCES teams(id), note text)`, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			url := stackdbtest.URL(t)
			pool := openPool(t, url)
			ctx := context.Background()
			_, err := pool.Exec(ctx, "CREATE EXTENSION pg_visibility")
			require.NoError(t, err)
			if tc.setup != "" {
				_, err = pool.Exec(ctx, tc.setup)
				require.NoError(t, err)
			}
			_, err = runImport(t, legacyFile(t), url)
			require.NoError(t, err)
			var pages, frozen int64
			require.NoError(t, pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE all_frozen) FROM pg_visibility_map('teams')`).Scan(&pages, &frozen))
			require.Positive(t, pages)
			if tc.frozen {
				require.Equal(t, pages, frozen)
				return
			}
			require.Zero(t, frozen)
			var fks int
			require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM pg_constraint WHERE conrelid = 'app_notes'::regclass AND contype = 'f' AND convalidated`).Scan(&fks))
			require.Equal(t, 1, fks, "the outside table keeps its foreign key")
		})
	}
}
