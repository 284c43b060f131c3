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
	code := m.Run()
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

func tables(t *testing.T, db *sql.DB) []string {
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
	for _, tbl := range tables(t, db) {
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

func TestDeterministic(t *testing.T) {
	t.Parallel()
	a, sa := generate(t, 5000, 7)
	b, sb := generate(t, 5000, 7)
	c, _ := generate(t, 5000, 8)
	require.Equal(t, sa, sb)
	ca, cb, cc := checksums(t, a), checksums(t, b), checksums(t, c)
	require.Equal(t, ca, cb)
	require.Len(t, ca, 23)
	for tbl, sum := range ca {
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
	names := tables(t, db)
	require.Len(t, names, 23) // every table of legacy.Schema (sqlite_sequence excluded)
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
	require.InDelta(t, fixtureRows, st.Total, fixtureRows*0.01)
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
		"process team is its installation's team":          `SELECT count(*) FROM satelliteProcesses p JOIN mcpServerInstallations i ON i.id = p.installation_id WHERE i.team_id != p.team_id`,
		"process satellite is global or the team's":        `SELECT count(*) FROM satelliteProcesses p JOIN satellites s ON s.id = p.satellite_id WHERE s.team_id IS NOT NULL AND s.team_id != p.team_id`,
		"execution satellite is global or the team's":      `SELECT count(*) FROM mcpToolExecutions e JOIN satellites s ON s.id = e.satellite_id WHERE s.team_id IS NOT NULL AND s.team_id != e.team_id`,
		"execution user is a team member":                  `SELECT count(*) FROM mcpToolExecutions e WHERE e.user_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM teamMemberships m WHERE m.team_id = e.team_id AND m.user_id = e.user_id)`,
		"execution server slug exists":                     `SELECT count(*) FROM mcpToolExecutions e WHERE NOT EXISTS (SELECT 1 FROM mcpServers s WHERE s.slug = e.server_slug)`,
		"metric satellite is global or the team's":         `SELECT count(*) FROM teamMetrics m JOIN satellites s ON s.id = m.satellite_id WHERE s.team_id IS NOT NULL AND s.team_id != m.team_id`,
		"team server installed by its team only":           `SELECT count(*) FROM mcpServerInstallations i JOIN mcpServers s ON s.id = i.server_id WHERE s.visibility = 'team' AND s.owner_team_id != i.team_id`,
		"global servers have no owner team":                `SELECT count(*) FROM mcpServers WHERE (visibility = 'global') = (owner_team_id IS NOT NULL)`,
		"team satellites have a team":                      `SELECT count(*) FROM satellites WHERE (satellite_type = 'team') != (team_id IS NOT NULL)`,
		"team owner is an admin member":                    `SELECT count(*) FROM teams t WHERE NOT EXISTS (SELECT 1 FROM teamMemberships m WHERE m.team_id = t.id AND m.user_id = t.owner_id AND m.role = 'team_admin')`,
		"every user has one default team":                  `SELECT count(*) FROM authUser u WHERE (SELECT count(*) FROM teams t WHERE t.owner_id = u.id AND t.is_default = 1) != 1`,
		"refresh token matches its access token":           `SELECT count(*) FROM oauthRefreshTokens r JOIN oauthAccessTokens a ON a.id = r.access_token_id WHERE a.user_id != r.user_id OR a.client_id != r.client_id`,
		"github users have a github id, others a password": `SELECT count(*) FROM authUser WHERE (auth_type = 'github') != (github_id IS NOT NULL) OR (auth_type = 'email_signup') != (hashed_password IS NOT NULL)`,
		"batch counters match their jobs": `SELECT count(*) FROM queueJobBatches b WHERE total_jobs != (SELECT count(*) FROM queueJobs j WHERE j.batch_id = b.id)
			OR completed_jobs != (SELECT count(*) FROM queueJobs j WHERE j.batch_id = b.id AND j.status = 'completed')
			OR failed_jobs != (SELECT count(*) FROM queueJobs j WHERE j.batch_id = b.id AND j.status = 'failed')`,
		"job timestamps by status":                 `SELECT count(*) FROM queueJobs WHERE (status = 'pending') != (started_at IS NULL) OR (status IN ('completed','failed')) != (completed_at IS NOT NULL) OR attempts > max_attempts OR attempts < 0 OR max_attempts < 1`,
		"stopped processes have stopped_at":        `SELECT count(*) FROM satelliteProcesses WHERE (status IN ('stopped','crashed')) != (stopped_at IS NOT NULL) OR stopped_at < started_at OR restart_count < 0`,
		"metric errors within calls":               `SELECT count(*) FROM teamMetrics WHERE errors > tool_calls OR errors < 0 OR bucket_minutes <= 0 OR bucket_start % 300 != 0`,
		"durations are non-negative":               `SELECT count(*) FROM mcpToolExecutions WHERE duration_ms < 0 OR (success = 0) != (error IS NOT NULL)`,
		"last heartbeat is the newest heartbeat":   `SELECT count(*) FROM satellites s WHERE last_heartbeat IS NOT (SELECT max(created_at) FROM satelliteHeartbeats h WHERE h.satellite_id = s.id)`,
		"member joined after the team was created": `SELECT count(*) FROM teamMemberships m JOIN teams t ON t.id = m.team_id WHERE m.joined_at < t.created_at`,
		"executions after their team was created":  `SELECT count(*) FROM mcpToolExecutions e JOIN teams t ON t.id = e.team_id WHERE e.created_at < t.created_at * 1000`,
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
		{"roles", "name"},
		{"authUser", "username"},
		{"authUser", "email"},
		{"authUser", "lower(email)"}, // stronger than the legacy index: safe for a case-insensitive target
		{"authUser", "github_id"},
		{"teams", "slug"},
		{"teamMemberships", "team_id, user_id"},
		{"mcpCategories", "name"},
		{"mcpServers", "slug"},
		{"teamMetrics", "team_id, satellite_id, bucket_start"},
		{"oauthAccessTokens", "token_hash"},
		{"oauthRefreshTokens", "token_hash"},
		{"authSession", "id"},
		{"satelliteHeartbeats", "id"},
		{"queueJobs", "id"},
	} {
		var n int64
		notNull := strings.ReplaceAll(u.cols, ", ", " IS NOT NULL AND ") + " IS NOT NULL"
		q := fmt.Sprintf(`SELECT count(*) FROM (SELECT 1 FROM %s WHERE %s GROUP BY %s HAVING count(*) > 1)`,
			quote(u.table), notNull, u.cols)
		require.NoError(t, db.QueryRow(q).Scan(&n))
		require.Zero(t, n, "%s(%s) has duplicates", u.table, u.cols)
	}
}

func TestEnums(t *testing.T) {
	t.Parallel()
	db, _ := openFixture(t)
	const null = "<NULL>"
	sat := []string{"active", "inactive", "maintenance", "error"}
	job := []string{"pending", "processing", "completed", "failed"}
	for _, e := range []struct {
		table, col string
		valid      []string
	}{
		{"authUser", "auth_type", []string{"email_signup", "github"}},
		{"teamMemberships", "role", []string{"team_admin", "team_user"}},
		{"mcpServers", "status", []string{"active", "deprecated", "maintenance"}},
		{"mcpServers", "visibility", []string{"global", "team"}},
		{"mcpServerInstallations", "installation_type", []string{"local", "cloud"}},
		{"satellites", "satellite_type", []string{"global", "team"}},
		{"satellites", "status", sat},
		{"satelliteHeartbeats", "status", sat},
		{"satelliteProcesses", "status", []string{"starting", "running", "stopping", "stopped", "crashed"}},
		{"satelliteProcesses", "health_status", []string{"healthy", "unhealthy", "unknown", null}},
		{"queueJobs", "status", job},
		{"queueJobBatches", "status", job},
		{"globalSettings", "type", []string{"string", "number", "boolean"}},
	} {
		rows, err := db.Query(fmt.Sprintf(`SELECT DISTINCT coalesce(%s, '%s') FROM %s`, quote(e.col), null, quote(e.table)))
		require.NoError(t, err)
		var got []string
		for rows.Next() {
			var v string
			require.NoError(t, rows.Scan(&v))
			got = append(got, v)
		}
		require.NoError(t, rows.Err())
		rows.Close()
		require.NotEmpty(t, got)
		require.Subset(t, e.valid, got, "%s.%s", e.table, e.col)
	}
	// Booleans are 0/1.
	for _, b := range [][2]string{
		{"roles", "is_system_role"}, {"authUser", "email_verified"}, {"teams", "is_default"}, {"mcpServers", "featured"},
		{"mcpToolExecutions", "success"}, {"oauthAccessTokens", "revoked"}, {"oauthRefreshTokens", "revoked"}, {"globalSettings", "is_encrypted"},
	} {
		var n int64
		require.NoError(t, db.QueryRow(fmt.Sprintf(`SELECT count(*) FROM %s WHERE typeof(%s) != 'integer' OR %[2]s NOT IN (0, 1)`, quote(b[0]), b[1])).Scan(&n))
		require.Zero(t, n, "%s.%s", b[0], b[1])
	}
	// Setting values read as their type.
	rows, err := db.Query(`SELECT key, value, type FROM globalSettings WHERE is_encrypted = 0`)
	require.NoError(t, err)
	defer rows.Close()
	for rows.Next() {
		var k, v, typ string
		require.NoError(t, rows.Scan(&k, &v, &typ))
		switch typ {
		case "number":
			_, err := strconv.ParseFloat(v, 64)
			require.NoError(t, err, k)
		case "boolean":
			require.Contains(t, []string{"true", "false"}, v, k)
		}
	}
	require.NoError(t, rows.Err())
}

func TestJSONShapes(t *testing.T) {
	t.Parallel()
	db, _ := openFixture(t)
	for _, j := range []struct {
		table, col, shape string
		nullable          bool
	}{
		{"roles", "permissions", "strings", false},
		{"mcpServers", "tags", "strings", true},
		{"mcpServers", "environment_variables", "objects", true},
		{"mcpServers", "metadata", "object", true},
		{"mcpServerInstallations", "user_environment_variables", "object", true},
		{"satellites", "system_info", "object", true},
		{"satelliteHeartbeats", "system_metrics", "object", false},
		{"mcpToolExecutions", "arguments", "object", true},
		{"queueJobBatches", "metadata", "object", true},
		{"queueJobs", "payload", "object", false},
		{"queueJobs", "result", "object", true},
		{"auditLogs", "metadata", "object", true},
		{"oauthClients", "redirect_uris", "strings", false},
		{"oauthClients", "grant_types", "strings", false},
	} {
		var nulls, total int
		rows, err := db.Query(fmt.Sprintf(`SELECT %s FROM %s`, quote(j.col), quote(j.table)))
		require.NoError(t, err)
		for rows.Next() {
			var s sql.NullString
			require.NoError(t, rows.Scan(&s))
			total++
			if !s.Valid {
				nulls++
				continue
			}
			require.NotContains(t, s.String, `\u0000`) // Postgres jsonb refuses NUL
			var v any
			require.NoError(t, json.Unmarshal([]byte(s.String), &v), "%s.%s: %s", j.table, j.col, s.String)
			switch j.shape {
			case "object":
				require.IsType(t, map[string]any{}, v, "%s.%s", j.table, j.col)
			case "strings", "objects":
				a, ok := v.([]any)
				require.True(t, ok, "%s.%s: %s", j.table, j.col, s.String)
				for _, e := range a {
					if j.shape == "strings" {
						require.IsType(t, "", e, "%s.%s", j.table, j.col)
					} else {
						require.IsType(t, map[string]any{}, e, "%s.%s", j.table, j.col)
					}
				}
			}
		}
		require.NoError(t, rows.Err())
		rows.Close()
		require.Positive(t, total-nulls, "%s.%s has no JSON", j.table, j.col)
		if j.nullable {
			require.Positive(t, nulls, "%s.%s has no NULL", j.table, j.col)
		} else {
			require.Zero(t, nulls)
		}
	}
}

func TestTimestamps(t *testing.T) {
	t.Parallel()
	db, _ := openFixture(t)
	ms := map[string]bool{
		"authSession.expires_at": true, "mcpToolExecutions.created_at": true, "oauthAccessTokens.expires_at": true,
		"oauthRefreshTokens.expires_at": true, "__drizzle_migrations.created_at": true,
	}
	other := map[string]bool{"last_heartbeat": true, "scheduled_for": true, "bucket_start": true, "joined_at": true}
	checked := 0
	for _, tbl := range tables(t, db) {
		for _, c := range columns(t, db, tbl) {
			if !strings.HasSuffix(c.name, "_at") && !other[c.name] {
				continue
			}
			lo, hi := winStart, winEnd
			if ms[tbl+"."+c.name] {
				lo, hi = winStart*1000, winEnd*1000
			}
			var bad, nonNull int64
			q := fmt.Sprintf(`SELECT count(*) FILTER (WHERE %[1]s IS NOT NULL AND (typeof(%[1]s) != 'integer' OR %[1]s < ? OR %[1]s >= ?)), count(%[1]s) FROM %[2]s`, quote(c.name), quote(tbl))
			require.NoError(t, db.QueryRow(q, lo, hi).Scan(&bad, &nonNull))
			require.Zero(t, bad, "%s.%s outside [%d, %d)", tbl, c.name, lo, hi)
			require.Positive(t, nonNull, "%s.%s", tbl, c.name)
			checked++
		}
		// updated_at never precedes created_at.
		var n int64
		cols := columns(t, db, tbl)
		if slices.ContainsFunc(cols, func(c column) bool { return c.name == "updated_at" }) {
			require.NoError(t, db.QueryRow(`SELECT count(*) FROM `+quote(tbl)+` WHERE updated_at < created_at`).Scan(&n))
			require.Zero(t, n, tbl)
		}
	}
	require.Equal(t, 43, checked) // every timestamp column of the schema

	// Append-only tables: ids grow with time.
	for _, tbl := range []string{"mcpToolExecutions", "auditLogs", "teamMetrics"} {
		col := "created_at"
		if tbl == "teamMetrics" {
			col = "bucket_start"
		}
		var n int64
		require.NoError(t, db.QueryRow(fmt.Sprintf(`SELECT count(*) FROM (SELECT %s < lag(%[1]s) OVER (ORDER BY id) AS back FROM %s) WHERE back`, col, tbl)).Scan(&n))
		require.Zero(t, n, tbl)
	}
}

func TestText(t *testing.T) {
	t.Parallel()
	db, _ := openFixture(t)
	var nonASCII, long, nulls, multiline int
	for _, tbl := range tables(t, db) {
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
	require.InDelta(t, MinRows, st.Total, MinRows*0.1)
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
	share := func(tbl string) float64 { return float64(st.Tables[tbl]) / float64(st.Total) }
	require.InDelta(t, 0.55, share("mcpToolExecutions"), 0.03)
	require.InDelta(t, 0.25, share("satelliteHeartbeats"), 0.02)
	require.InDelta(t, 0.10, share("auditLogs"), 0.01)
	require.InDelta(t, 0.05, share("queueJobs")+share("queueJobBatches"), 0.01)
	require.InDelta(t, 0.03, share("teamMetrics"), 0.01)
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
