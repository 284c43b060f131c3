package legacygen

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/legacy"
	"github.com/deploystack/stackdb/stackdbtest"
)

const fixtureRows = 20_000

// fixture is one generated database shared by the read-only tests.
var fixture = sync.OnceValues(func() (fixtureDB, error) {
	dir, err := os.MkdirTemp("", "legacygen")
	if err != nil {
		return fixtureDB{}, err
	}
	path := filepath.Join(dir, "legacy.db")
	st, err := Generate(context.Background(), path, Options{Rows: fixtureRows, Seed: 42})
	return fixtureDB{path: path, stats: st}, err
})

type fixtureDB struct {
	path  string
	stats Stats
}

func TestMain(m *testing.M) {
	code := stackdbtest.Run(m)
	if f, err := fixture(); err == nil {
		_ = os.RemoveAll(filepath.Dir(f.path))
	}
	os.Exit(code)
}

func openFixture(t *testing.T) (*sql.DB, Stats) {
	t.Helper()
	f, err := fixture()
	require.NoError(t, err)
	db, err := legacy.Open(f.path)
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	return db, f.stats
}

func generate(t testing.TB, rows int, seed int64) (string, Stats) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "legacy.db")
	st, err := Generate(context.Background(), path, Options{Rows: rows, Seed: seed})
	require.NoError(t, err)
	return path, st
}

func tableNames(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	require.NoError(t, err)
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		require.NoError(t, rows.Scan(&n))
		names = append(names, n)
	}
	require.NoError(t, rows.Err())
	return names
}

type column struct {
	name, typ string
	notNull   bool
	pk        int
}

func columns(t *testing.T, db *sql.DB, table string) []column {
	t.Helper()
	rows, err := db.Query(`SELECT name, type, "notnull", pk FROM pragma_table_info(?) ORDER BY cid`, table)
	require.NoError(t, err)
	defer rows.Close()
	var cols []column
	for rows.Next() {
		var c column
		require.NoError(t, rows.Scan(&c.name, &c.typ, &c.notNull, &c.pk))
		cols = append(cols, c)
	}
	require.NoError(t, rows.Err())
	return cols
}

func quote(s string) string { return `"` + s + `"` }

// eachRow calls fn with every row of table, ordered by primary key.
func eachRow(t *testing.T, db *sql.DB, table string, fn func(cols []column, vals []any)) {
	t.Helper()
	cols := columns(t, db, table)
	var pk []string
	for _, c := range cols {
		if c.pk > 0 {
			pk = append(pk, quote(c.name))
		}
	}
	require.NotEmpty(t, pk, table)
	rows, err := db.Query(`SELECT * FROM ` + quote(table) + ` ORDER BY ` + strings.Join(pk, ","))
	require.NoError(t, err)
	defer rows.Close()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		require.NoError(t, rows.Scan(ptrs...))
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				vals[i] = string(b)
			}
		}
		fn(cols, vals)
	}
	require.NoError(t, rows.Err())
}

// checksums hashes every table's rows, ordered by primary key.
func checksums(t *testing.T, path string) map[string]string {
	t.Helper()
	db, err := legacy.Open(path)
	require.NoError(t, err)
	defer db.Close()
	out := map[string]string{}
	for _, tbl := range tableNames(t, db) {
		h := sha256.New()
		eachRow(t, db, tbl, func(_ []column, vals []any) {
			for _, v := range vals {
				fmt.Fprintf(h, "%T:%v|", v, v)
			}
			h.Write([]byte{'\n'})
		})
		out[tbl] = hex.EncodeToString(h.Sum(nil))
	}
	return out
}

// facts is the part of testdata/deploystack/sqlite_tables.json (DeployStack's
// real last SQLite layout) the tests check the generated files against.
type facts struct {
	Tables []struct {
		Name    string `json:"name"`
		Columns []struct {
			Name             string   `json:"name"`
			NotNull          bool     `json:"notNull"`
			Enum             []string `json:"enum"`
			DocumentedValues []string `json:"documented_values"`
			JSON             string   `json:"json"`
			Time             string   `json:"time"`
			Boolean          string   `json:"boolean"`
		} `json:"columns"`
	} `json:"tables"`
}

var loadFacts = sync.OnceValues(func() (facts, error) {
	var f facts
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "deploystack", "sqlite_tables.json"))
	if err == nil {
		err = json.Unmarshal(b, &f)
	}
	return f, err
})

func realFacts(t *testing.T) facts {
	t.Helper()
	f, err := loadFacts()
	require.NoError(t, err)
	require.Len(t, f.Tables, 35)
	return f
}

func distinct(t *testing.T, db *sql.DB, table, col string) []string {
	t.Helper()
	rows, err := db.Query(fmt.Sprintf(`SELECT DISTINCT %s FROM %s WHERE %[1]s IS NOT NULL ORDER BY 1`, quote(col), quote(table)))
	require.NoError(t, err)
	defer rows.Close()
	var got []string
	for rows.Next() {
		var v string
		require.NoError(t, rows.Scan(&v))
		got = append(got, v)
	}
	require.NoError(t, rows.Err())
	return got
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	a, sa := generate(t, 5000, 7)
	b, sb := generate(t, 5000, 7)
	c, _ := generate(t, 5000, 8)
	require.Equal(t, sa, sb)
	ca, cb, cc := checksums(t, a), checksums(t, b), checksums(t, c)
	require.Equal(t, ca, cb)
	require.Len(t, ca, 38) // 35 tables, 2 bookkeeping tables, 1 plugin table
	for tbl, sum := range ca {
		if tbl == "__drizzle_migrations" || tbl == "__plugin_migrations" {
			continue
		}
		require.NotEqual(t, sum, cc[tbl], "table %s is the same with another seed", tbl)
	}
	// The files themselves are byte-identical too.
	fa, err := os.ReadFile(a)
	require.NoError(t, err)
	fb, err := os.ReadFile(b)
	require.NoError(t, err)
	require.True(t, slices.Equal(fa, fb), "files differ")
}

func TestEveryTableFilledAndStats(t *testing.T) {
	t.Parallel()
	db, st := openFixture(t)
	names := tableNames(t, db)
	want := []string{"__drizzle_migrations", "__plugin_migrations", pluginTable}
	for _, ft := range realFacts(t).Tables {
		want = append(want, ft.Name)
	}
	slices.Sort(want)
	require.Equal(t, want, names)
	var sum int64
	for _, n := range names {
		var c int64
		require.NoError(t, db.QueryRow(`SELECT count(*) FROM `+quote(n)).Scan(&c))
		require.Positive(t, c, n)
		require.Equal(t, c, st.Tables[n], n)
		sum += c
	}
	require.Len(t, st.Tables, len(names))
	require.Equal(t, sum, st.Total)
	require.InDelta(t, fixtureRows, st.Total, fixtureRows*0.1)
	require.Empty(t, st.Defects)

	// The plugin table is the one __plugin_migrations lists, by the naming rule.
	var plugin, table string
	require.NoError(t, db.QueryRow(`SELECT plugin_id, table_name FROM __plugin_migrations`).Scan(&plugin, &table))
	require.Equal(t, pluginTable, plugin+"_"+table)
}

// alwaysNull are the columns the real backend never fills, with the reason.
var alwaysNull = map[string]string{
	"satelliteHeartbeats.response_time_ms": "heartbeat.ts always writes NULL",
	"authKey.expires":                      "Lucia's legacy keys never expire",
}

func TestEveryColumnWritten(t *testing.T) {
	t.Parallel()
	db, _ := openFixture(t)
	for _, ft := range realFacts(t).Tables {
		for _, c := range ft.Columns {
			var n int64
			require.NoError(t, db.QueryRow(fmt.Sprintf(`SELECT count(%s) FROM %s`, quote(c.Name), quote(ft.Name))).Scan(&n))
			if _, ok := alwaysNull[ft.Name+"."+c.Name]; ok {
				require.Zero(t, n, "%s.%s", ft.Name, c.Name)
				continue
			}
			require.Positive(t, n, "%s.%s is never written", ft.Name, c.Name)
		}
	}
}

// TestValueSets checks that every value of every closed value set of the
// real schema (enum and documented_values) appears, and nothing else, in
// the smallest files of several seeds and in the fixture.
func TestValueSets(t *testing.T) {
	t.Parallel()
	f := realFacts(t)
	dbs := map[string]*sql.DB{}
	dbs["fixture"], _ = openFixture(t)
	for seed := range int64(8) {
		path, st := generate(t, MinRows, seed)
		for tbl, n := range st.Tables {
			require.Positive(t, n, "seed %d: %s", seed, tbl)
		}
		db, err := legacy.Open(path)
		require.NoError(t, err)
		t.Cleanup(func() { _ = db.Close() })
		dbs[fmt.Sprintf("seed %d", seed)] = db
	}
	sets := 0
	for _, ft := range f.Tables {
		for _, c := range ft.Columns {
			set := slices.Concat(c.Enum, c.DocumentedValues)
			if len(set) == 0 {
				continue
			}
			sets++
			slices.Sort(set)
			for name, db := range dbs {
				require.Equal(t, set, distinct(t, db, ft.Name, c.Name), "%s: %s.%s", name, ft.Name, c.Name)
			}
		}
	}
	require.Equal(t, 19, sets) // 15 enums, 4 sets named in comments
}

func TestForeignKeysAndConsistency(t *testing.T) {
	t.Parallel()
	db, _ := openFixture(t)
	rows, err := db.Query(`PRAGMA foreign_key_check`)
	require.NoError(t, err)
	var bad []string
	for rows.Next() {
		var tbl, parent string
		var rowid, fkid sql.NullInt64
		require.NoError(t, rows.Scan(&tbl, &rowid, &parent, &fkid))
		bad = append(bad, fmt.Sprintf("%s row %d -> %s", tbl, rowid.Int64, parent))
	}
	require.NoError(t, rows.Err())
	require.Empty(t, bad)

	// Consistency the foreign keys alone do not express: each query counts
	// violations.
	for name, q := range map[string]string{
		"process team is its installation's team":     `SELECT count(*) FROM satelliteProcesses p JOIN mcpServerInstallations i ON i.id = p.installation_id WHERE i.team_id != p.team_id`,
		"process satellite is global or the team's":   `SELECT count(*) FROM satelliteProcesses p JOIN satellites s ON s.id = p.satellite_id WHERE s.team_id IS NOT NULL AND s.team_id != p.team_id`,
		"usage satellite is global or the team's":     `SELECT count(*) FROM satelliteUsageLogs e JOIN satellites s ON s.id = e.satellite_id WHERE s.team_id IS NOT NULL AND s.team_id != e.team_id`,
		"usage user is a team member":                 `SELECT count(*) FROM satelliteUsageLogs e WHERE e.user_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM teamMemberships m WHERE m.team_id = e.team_id AND m.user_id = e.user_id)`,
		"usage process runs on the usage's satellite": `SELECT count(*) FROM satelliteUsageLogs e JOIN satelliteProcesses p ON p.id = e.process_id WHERE p.satellite_id != e.satellite_id`,
		"usage date_partition is its day":             `SELECT count(*) FROM satelliteUsageLogs WHERE date_partition != date(timestamp, 'unixepoch')`,
		"usage tool path":                             `SELECT count(*) FROM satelliteUsageLogs WHERE tool_name IS NOT NULL AND request_path != '/mcp/tool/' || tool_name`,
		"activity satellite is global or the team's":  `SELECT count(*) FROM mcpClientActivity a JOIN satellites s ON s.id = a.satellite_id WHERE s.team_id IS NOT NULL AND s.team_id != a.team_id`,
		"activity auth identifier":                    `SELECT count(*) FROM mcpClientActivity WHERE auth_identifier IS NOT coalesce(oauth_client_id, api_key_id) OR (auth_type = 'oauth') != (oauth_client_id IS NOT NULL)`,
		"activity oauth client registered":            `SELECT count(*) FROM mcpClientActivity a WHERE a.oauth_client_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM dynamic_oauth_clients c WHERE c.client_id = a.oauth_client_id)`,
		"activity totals are the 15m buckets' sums": `SELECT count(*) FROM mcpClientActivity a WHERE total_requests != (SELECT sum(request_count) FROM mcpClientActivityMetrics m
			WHERE m.user_id = a.user_id AND m.team_id = a.team_id AND m.satellite_id = a.satellite_id AND m.auth_identifier = a.auth_identifier AND m.bucket_interval = '15m')`,
		"1h buckets are the sums of their 15m buckets": `SELECT count(*) FROM mcpClientActivityMetrics h WHERE bucket_interval = '1h' AND request_count != (SELECT sum(request_count) FROM mcpClientActivityMetrics m
			WHERE m.user_id = h.user_id AND m.team_id = h.team_id AND m.satellite_id = h.satellite_id AND m.auth_identifier = h.auth_identifier AND m.bucket_interval = '15m'
			AND m.bucket_timestamp >= h.bucket_timestamp AND m.bucket_timestamp < h.bucket_timestamp + 3600)`,
		"buckets are aligned":                              `SELECT count(*) FROM mcpClientActivityMetrics WHERE bucket_timestamp % (CASE bucket_interval WHEN '15m' THEN 900 ELSE 3600 END) != 0 OR tool_call_count > request_count`,
		"team server installed by its team":                `SELECT count(*) FROM mcpServerInstallations i JOIN mcpServers s ON s.id = i.server_id WHERE s.visibility = 'team' AND s.owner_team_id != i.team_id`,
		"installation type follows the server":             `SELECT count(*) FROM mcpServerInstallations i JOIN mcpServers s ON s.id = i.server_id WHERE i.installation_type != s.visibility`,
		"global servers have no owner team":                `SELECT count(*) FROM mcpServers WHERE (visibility = 'global') = (owner_team_id IS NOT NULL)`,
		"one latest version per server":                    `SELECT count(*) FROM mcpServers s WHERE (SELECT count(*) FROM mcpServerVersions v WHERE v.server_id = s.id AND v.is_latest = 1) != 1`,
		"team satellites have a team":                      `SELECT count(*) FROM satellites WHERE (satellite_type = 'team') != (team_id IS NOT NULL)`,
		"token types match the satellite":                  `SELECT count(*) FROM satelliteRegistrationTokens r JOIN satellites s ON s.id = r.used_by_satellite_id WHERE r.token_type != s.satellite_type OR r.team_id IS NOT s.team_id OR r.used != 1`,
		"registration tokens used before expiry":           `SELECT count(*) FROM satelliteRegistrationTokens WHERE used_at > expires_at OR created_at >= expires_at OR (used = 1) != (used_at IS NOT NULL)`,
		"team owner is an admin member":                    `SELECT count(*) FROM teams t WHERE NOT EXISTS (SELECT 1 FROM teamMemberships m WHERE m.team_id = t.id AND m.user_id = t.owner_id AND m.role = 'team_admin')`,
		"every user has one default team":                  `SELECT count(*) FROM authUser u WHERE (SELECT count(*) FROM teams t WHERE t.owner_id = u.id AND t.is_default = 1) != 1`,
		"github users have a github id, others a password": `SELECT count(*) FROM authUser WHERE (auth_type = 'github') != (github_id IS NOT NULL) OR (auth_type = 'email_signup') != (hashed_password IS NOT NULL)`,
		"batch counters match their jobs": `SELECT count(*) FROM queueJobBatches b WHERE total_jobs != (SELECT count(*) FROM queueJobs j WHERE j.batch_id = b.id)
			OR completed_jobs != (SELECT count(*) FROM queueJobs j WHERE j.batch_id = b.id AND j.status = 'completed')
			OR failed_jobs != (SELECT count(*) FROM queueJobs j WHERE j.batch_id = b.id AND j.status = 'failed')`,
		"job times by status":                      `SELECT count(*) FROM queueJobs WHERE (status IN ('completed','failed')) != (completed_at IS NOT NULL) OR attempts > max_attempts OR attempts < 0 OR (status = 'failed' AND attempts != max_attempts)`,
		"stopped processes have stopped_at":        `SELECT count(*) FROM satelliteProcesses WHERE (status IN ('stopped','failed')) != (stopped_at IS NOT NULL) OR stopped_at < started_at OR (status = 'pending') != (started_at IS NULL)`,
		"heartbeat counts":                         `SELECT count(*) FROM satelliteHeartbeats WHERE healthy_process_count > process_count OR error_count < 0 OR uptime_seconds != json_extract(system_metrics, '$.uptime_seconds')`,
		"last heartbeat is the newest heartbeat":   `SELECT count(*) FROM satellites s WHERE last_heartbeat IS NOT (SELECT max(timestamp) FROM satelliteHeartbeats h WHERE h.satellite_id = s.id)`,
		"heartbeat id carries its time":            `SELECT count(*) FROM satelliteHeartbeats WHERE CAST(substr(id, 4, 10) AS INTEGER) != timestamp`,
		"member joined after the team was created": `SELECT count(*) FROM teamMemberships m JOIN teams t ON t.id = m.team_id WHERE m.joined_at < t.created_at`,
		"usage after its team was created":         `SELECT count(*) FROM satelliteUsageLogs e JOIN teams t ON t.id = e.team_id WHERE e.timestamp < t.created_at`,
		"migrations applied in order":              `SELECT count(*) FROM (SELECT applied_at < lag(applied_at) OVER (ORDER BY id) AS back, migration_name < lag(migration_name) OVER (ORDER BY id) AS unordered FROM __drizzle_migrations) WHERE back OR unordered`,
	} {
		var n int64
		require.NoError(t, db.QueryRow(q).Scan(&n), name)
		require.Zero(t, n, name)
	}
}

func TestUnique(t *testing.T) {
	t.Parallel()
	db, _ := openFixture(t)
	for _, u := range []struct{ table, cols string }{
		// The real unique keys.
		{"roles", "name"},
		{"authUser", "email"},
		{"authUser", "github_id"},
		{"teams", "slug"},
		{"mcpCategories", "name"},
		{"mcpServers", "slug"},
		{"mcpClientActivityMetrics", "user_id, team_id, satellite_id, auth_identifier, bucket_timestamp, bucket_interval"},
		{"oauth_access_tokens", "token_hash"},
		{"oauth_refresh_tokens", "token_hash"},
		{"oauth_authorization_codes", "code"},
		{"oauth_clients", "client_id"},
		{"satelliteRegistrationTokens", "token_hash"},
		// Where DeployStack has none but stackdb may: a clean file holds no duplicates.
		{"authUser", "username"},
		{"authUser", "lower(email)"},
		{"teamMemberships", "team_id, user_id"},
		{"userPreferences", "user_id, preference_key"},
		{"mcpUserConfigurations", "installation_id, user_id"},
		{"mcpToolMetadata", "installation_id, tool_name"},
		{"oauth_team_consents", "user_id, team_id, client_id"},
		{"mcpClientActivity", "user_id, team_id, auth_identifier, satellite_id"},
		{"__drizzle_migrations", "migration_name"},
	} {
		var n int64
		notNull := strings.ReplaceAll(u.cols, ", ", " IS NOT NULL AND ") + " IS NOT NULL"
		q := fmt.Sprintf(`SELECT count(*) FROM (SELECT 1 FROM %s WHERE %s GROUP BY %s HAVING count(*) > 1)`,
			quote(u.table), notNull, u.cols)
		require.NoError(t, db.QueryRow(q).Scan(&n))
		require.Zero(t, n, "%s(%s) has duplicates", u.table, u.cols)
	}
}

func TestFlagsAndJSON(t *testing.T) {
	t.Parallel()
	db, _ := openFixture(t)
	checked := 0
	for _, ft := range realFacts(t).Tables {
		for _, c := range ft.Columns {
			switch {
			case c.Boolean != "":
				var n int64
				require.NoError(t, db.QueryRow(fmt.Sprintf(`SELECT count(*) FROM %s WHERE typeof(%s) != 'integer' OR %[2]s NOT IN (0, 1)`, quote(ft.Name), quote(c.Name))).Scan(&n))
				require.Zero(t, n, "%s.%s", ft.Name, c.Name)
				require.Len(t, distinct(t, db, ft.Name, c.Name), 2, "%s.%s has one value only", ft.Name, c.Name)
				checked++
			case c.JSON != "" && !strings.Contains(c.JSON, "encrypted"):
				rows, err := db.Query(fmt.Sprintf(`SELECT %s FROM %s WHERE %[1]s IS NOT NULL`, quote(c.Name), quote(ft.Name)))
				require.NoError(t, err)
				for rows.Next() {
					var s string
					require.NoError(t, rows.Scan(&s))
					require.NotContains(t, s, `\u0000`) // Postgres jsonb refuses NUL
					var v any
					require.NoError(t, json.Unmarshal([]byte(s), &v), "%s.%s: %s", ft.Name, c.Name, s)
					switch v.(type) {
					case map[string]any, []any:
					default:
						t.Fatalf("%s.%s: not an object or array: %s", ft.Name, c.Name, s)
					}
				}
				require.NoError(t, rows.Err())
				rows.Close()
				checked++
			}
		}
	}
	require.Equal(t, 16+43, checked) // flags, JSON columns (the encrypted credentials excluded)
}

func TestTimes(t *testing.T) {
	t.Parallel()
	db, _ := openFixture(t)
	checked := 0
	for _, ft := range realFacts(t).Tables {
		for _, c := range ft.Columns {
			if c.Time == "" {
				continue
			}
			checked++
			col, tbl := quote(c.Name), quote(ft.Name)
			// Expiries lie up to 31 days after the end of the window.
			lo, hi := winStart, winEnd
			if strings.Contains(c.Name, "expires") {
				hi += 31 * day
			}
			var bad int64
			switch {
			case strings.Contains(c.Time, "MILLISECONDS"):
				require.NoError(t, db.QueryRow(fmt.Sprintf(`SELECT count(*) FROM %s WHERE typeof(%s) != 'integer' OR %[2]s < ? OR %[2]s >= ?`, tbl, col), lo*1000, hi*1000).Scan(&bad))
			case strings.Contains(c.Time, "ISO-8601"):
				for _, v := range distinct(t, db, ft.Name, c.Name) {
					at, err := time.Parse("2006-01-02T15:04:05.000Z", v)
					require.NoError(t, err, "%s.%s", ft.Name, c.Name)
					require.True(t, at.Unix() >= lo-3*day && at.Unix() < hi+7*day, "%s.%s: %s", ft.Name, c.Name, v)
				}
			case strings.Contains(c.Time, "YYYY-MM-DD"):
				require.NoError(t, db.QueryRow(fmt.Sprintf(`SELECT count(*) FROM %s WHERE date(%s) IS NOT %[2]s`, tbl, col)).Scan(&bad))
			default: // epoch seconds; dynamic_oauth_clients.expires_at 0 means never (RFC 7591)
				require.NoError(t, db.QueryRow(fmt.Sprintf(`SELECT count(*) FROM %s WHERE %s IS NOT NULL AND %[2]s != 0 AND (typeof(%[2]s) != 'integer' OR %[2]s < ? OR %[2]s >= ?)`, tbl, col), lo, hi).Scan(&bad))
			}
			require.Zero(t, bad, "%s.%s outside [%d, %d)", ft.Name, c.Name, lo, hi)
		}
		// updated_at never precedes created_at.
		cols := columns(t, db, ft.Name)
		if slices.ContainsFunc(cols, func(c column) bool { return c.name == "updated_at" }) &&
			slices.ContainsFunc(cols, func(c column) bool { return c.name == "created_at" }) {
			var n int64
			require.NoError(t, db.QueryRow(`SELECT count(*) FROM `+quote(ft.Name)+` WHERE updated_at < created_at`).Scan(&n))
			require.Zero(t, n, ft.Name)
		}
	}
	require.Equal(t, 79, checked) // every point-in-time column of the real schema
	var bad int64
	require.NoError(t, db.QueryRow(`SELECT count(*) FROM __drizzle_migrations WHERE applied_at < ? OR applied_at >= ?`, winStart, winEnd).Scan(&bad))
	require.Zero(t, bad)
}

func TestDefects(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "defects.db")
	st, err := Generate(context.Background(), path, Options{Rows: MinRows, Seed: 3, Defects: true})
	require.NoError(t, err)
	require.Equal(t, map[string]int{DefectDanglingReference: 2, DefectOutsideValueSet: 3, DefectDuplicate: 4, DefectInvalidJSON: 1}, st.Defects)
	_, clean := generate(t, MinRows, 3)
	require.Equal(t, clean.Total+11, st.Total) // the defects are extra rows; the clean rows stay

	db, err := legacy.Open(path)
	require.NoError(t, err)
	defer db.Close()
	var dangling int
	require.NoError(t, db.QueryRow(`SELECT count(*) FROM pragma_foreign_key_check`).Scan(&dangling))
	require.Equal(t, 2, dangling)
	var global string
	require.NoError(t, db.QueryRow(`SELECT team_id FROM satelliteProcesses WHERE team_id NOT IN (SELECT id FROM teams)`).Scan(&global))
	require.Equal(t, "global", global)
	require.Contains(t, distinct(t, db, "satelliteProcesses", "status"), "crashed")
	require.Contains(t, distinct(t, db, "satelliteHeartbeats", "status"), "inactive")
	require.Contains(t, distinct(t, db, "queueJobs", "status"), "cancelled")
	var dups int
	require.NoError(t, db.QueryRow(`SELECT count(*) FROM (SELECT 1 FROM authUser GROUP BY username HAVING count(*) > 1)`).Scan(&dups))
	require.Equal(t, 1, dups)
	var invalid int
	require.NoError(t, db.QueryRow(`SELECT count(*) FROM satelliteCommands WHERE NOT json_valid(payload)`).Scan(&invalid))
	require.Equal(t, 1, invalid)
}

func TestText(t *testing.T) {
	t.Parallel()
	db, _ := openFixture(t)
	var nonASCII, long, nulls, multiline int
	for _, tbl := range tableNames(t, db) {
		eachRow(t, db, tbl, func(cols []column, vals []any) {
			for i, v := range vals {
				switch v := v.(type) {
				case nil:
					require.False(t, cols[i].notNull, "%s.%s", tbl, cols[i].name)
					nulls++
				case string:
					require.True(t, utf8.ValidString(v), "%s.%s", tbl, cols[i].name)
					require.NotContains(t, v, "\x00", "%s.%s", tbl, cols[i].name)
					if utf8.RuneCountInString(v) != len(v) {
						nonASCII++
					}
					if len(v) > 4000 {
						long++
					}
					if strings.Contains(v, "\n") {
						multiline++
					}
				case int64:
					require.NotEqual(t, "text", strings.ToLower(cols[i].typ), "%s.%s", tbl, cols[i].name)
				default:
					t.Fatalf("%s.%s: unexpected %T", tbl, cols[i].name, v)
				}
			}
		})
	}
	require.Greater(t, nonASCII, 1000)
	require.Greater(t, long, 10)
	require.Greater(t, multiline, 100)
	require.Greater(t, nulls, 1000)
	// Names and descriptions of users, teams and servers mix scripts.
	for _, q := range []string{
		`SELECT coalesce(first_name, '') || ' ' || coalesce(last_name, '') FROM authUser`,
		`SELECT name || ' ' || coalesce(description, '') FROM teams`,
		`SELECT name || ' ' || description || ' ' || coalesce(long_description, '') FROM mcpServers`,
	} {
		var accents, cjk, emoji int
		rows, err := db.Query(q)
		require.NoError(t, err)
		for rows.Next() {
			var s string
			require.NoError(t, rows.Scan(&s))
			for _, r := range s {
				switch {
				case r >= 0xC0 && r <= 0x24F:
					accents++
				case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul):
					cjk++
				case r >= 0x1F300:
					emoji++
				}
			}
		}
		require.NoError(t, rows.Err())
		rows.Close()
		require.Positive(t, accents, q)
		require.Positive(t, cjk, q)
		if !strings.Contains(q, "authUser") {
			require.Positive(t, emoji, q)
		}
	}
}

func TestRefusals(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "existing.db")
	require.NoError(t, os.WriteFile(path, []byte("keep me"), 0o644))
	_, err := Generate(context.Background(), path, Options{Rows: MinRows})
	require.ErrorIs(t, err, fs.ErrExist)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, "keep me", string(b))

	fresh := filepath.Join(t.TempDir(), "small.db")
	_, err = Generate(context.Background(), fresh, Options{Rows: MinRows - 1})
	require.ErrorContains(t, err, "at least")
	require.NoFileExists(t, fresh)

	// A cancelled generation leaves no file behind.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = Generate(ctx, fresh, Options{Rows: 100_000})
	require.Error(t, err)
	require.NoFileExists(t, fresh)
}

func TestMinRows(t *testing.T) {
	t.Parallel()
	_, st := generate(t, MinRows, 1)
	for tbl, n := range st.Tables {
		require.Positive(t, n, tbl)
	}
	require.InDelta(t, MinRows, st.Total, MinRows*0.5)
}

func TestGenerate200k(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	t.Parallel()
	start := time.Now()
	_, st := generate(t, 200_000, 1)
	t.Logf("generated %d rows in %s", st.Total, time.Since(start).Round(time.Millisecond))
	logDistribution(t, st)
	require.InDelta(t, 200_000, st.Total, 200_000*0.05)
	share := func(tbl string) float64 { return float64(st.Tables[tbl]) / float64(st.Total) }
	require.InDelta(t, 0.37, share("satelliteUsageLogs"), 0.04)
	require.InDelta(t, 0.26, share("satelliteHeartbeats"), 0.03)
	require.InDelta(t, 0.15, share("mcpClientActivityMetrics"), 0.05)
	require.InDelta(t, 0.075, share("satelliteCommands"), 0.02)
	require.InDelta(t, 0.055, share("queueJobs")+share("queueJobBatches"), 0.02)
	require.InDelta(t, 0.028, share("mcpClientActivity"), 0.01)
}

// TestGenerateLarge measures a big generation, and keeps the file when
// LEGACYGEN_OUT names one:
//
//	LEGACYGEN_ROWS=2000000 go test -run TestGenerateLarge -v ./internal/legacygen/
func TestGenerateLarge(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("LEGACYGEN_ROWS"))
	if n == 0 {
		t.Skip("set LEGACYGEN_ROWS to run")
	}
	path := os.Getenv("LEGACYGEN_OUT")
	if path == "" {
		path = filepath.Join(t.TempDir(), "legacy.db")
	}
	start := time.Now()
	st, err := Generate(context.Background(), path, Options{Rows: n, Seed: 1})
	require.NoError(t, err)
	t.Logf("generated %d rows in %s", st.Total, time.Since(start).Round(time.Millisecond))
	logDistribution(t, st)
}

func logDistribution(t *testing.T, st Stats) {
	names := make([]string, 0, len(st.Tables))
	for n := range st.Tables {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, b string) int {
		if st.Tables[a] != st.Tables[b] {
			return int(st.Tables[b] - st.Tables[a])
		}
		return strings.Compare(a, b)
	})
	for _, n := range names {
		t.Logf("%-34s %10d %6.2f%%", n, st.Tables[n], 100*float64(st.Tables[n])/float64(st.Total))
	}
}

func BenchmarkGenerate200k(b *testing.B) {
	for i := range b.N {
		path := filepath.Join(b.TempDir(), strconv.Itoa(i)+".db")
		if _, err := Generate(context.Background(), path, Options{Rows: 200_000, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
