// Package legacygen writes synthetic DeployStack databases for import tests
// and benchmarks — SQLite files in the real last SQLite layout (Generate,
// legacy.Schema) and Postgres databases in the real Drizzle-era Postgres
// layout (GeneratePostgres, legacy.PGSchema): realistic, referentially
// consistent, deterministic for a given seed, and as large as asked. One
// generator makes the rows as SQLite stores them; the Postgres output
// converts each value to its column's storage and adds what only that
// layout has (pglayout.go).
//
// Value formats, as the DeployStack backend wrote them (see internal/legacy):
//   - flags are INTEGER 0/1;
//   - points in time are INTEGER Unix epoch seconds, except
//     authSession.expires_at (epoch milliseconds, Date.now()+30 days) and
//     satelliteRegistrationTokens.used_at/expires_at/created_at (ISO-8601
//     text, new Date().toISOString(): "2025-06-01T12:34:56.789Z");
//     satelliteUsageLogs.date_partition is the UTC day of its timestamp
//     ("YYYY-MM-DD"); __drizzle_migrations.applied_at is seconds too;
//   - every point in time lies in [winStart, winEnd) UTC, except expiries
//     (sessions, tokens), which may lie up to 31 days later;
//   - JSON documents are TEXT, compact, in the shapes the backend writes
//     (heartbeat system_metrics, command payloads, JSON-schema arrays of the
//     catalog, …), or NULL where the column is nullable;
//     teamCloudCredentials.credentials is encrypted (iv:tag:ciphertext);
//   - every value of every closed value set (the facts' enum and
//     documented_values) appears at least once, even in the smallest file,
//     and no other value does unless Options.Defects asks for it;
//   - ids are the backend's: 15-character lowercase alphanumerics (lucia)
//     for users, 40 for sessions, nanoid-style 21 characters for jobs,
//     UUIDs for most other rows, "hb_<ms>_<rand>" for heartbeats;
//   - text is valid UTF-8 without NUL bytes, and includes accents, CJK,
//     emoji, tabs, newlines, quotes and backslashes, and some long texts.
package legacygen

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"strings"

	"github.com/deploystack/stackdb/internal/config"
	"github.com/deploystack/stackdb/internal/legacy"
)

// MinRows is the smallest Options.Rows Generate accepts.
const MinRows = 1000

// Options says what Generate writes.
type Options struct {
	// Rows is the approximate total number of rows across all tables
	// (at least MinRows).
	Rows int
	// Seed seeds the generator: the same Seed and Rows give the same rows.
	Seed int64
	// Defects adds the defects real DeployStack databases hold (the
	// Defect* kinds): values outside a value set, dangling references (in
	// SQLite: Postgres's foreign keys rule them out), duplicates where
	// stackdb is stricter than DeployStack, invalid JSON, and in Postgres
	// unparsable ISO-8601 text and e-mails that differ only in case. Off,
	// the database is clean.
	Defects bool
	// DefectRate, when above 0, gives about that share of the rows of the
	// large time-series tables one bad value each (a dangling reference,
	// a value outside a value set or invalid JSON; see corruptions),
	// chosen by a random stream of their own: the rows stay where they
	// are, so the file has as many rows as with 0, and every other value
	// is the same. For scale tests of the importer's skip mode; SQLite
	// files only (Generate).
	DefectRate float64
}

// Stats counts the rows written per table.
type Stats struct {
	Tables map[string]int64
	Total  int64
	// Defects counts the injected defects per kind (DefectDuplicate, …);
	// empty unless Options.Defects or Options.DefectRate. Each injected
	// defect makes one row defective.
	Defects map[string]int
}

const (
	// Every point in time lies in [winStart, winEnd): from the first
	// installations of the SQLite era to the switch to Postgres.
	winStart int64 = 1725148800 // 2024-09-01T00:00:00Z
	winEnd   int64 = 1764028800 // 2025-11-25T00:00:00Z
	minute   int64 = 60
	hour     int64 = 3600
	day      int64 = 86400

	rowsPerTx = 50_000
)

// Generate creates a new SQLite database at path (refusing an existing file),
// creates the legacy schema in it and fills every table. On error the
// partial file is removed.
func Generate(ctx context.Context, path string, opts Options) (st Stats, err error) {
	if opts.Rows < MinRows {
		return Stats{}, config.NewOptionError("legacygen", "Rows", nil, func(name string) string {
			return fmt.Sprintf("%s is %d; want at least %d", name, opts.Rows, MinRows)
		})
	}
	if !(opts.DefectRate >= 0 && opts.DefectRate <= 1) {
		return Stats{}, config.NewOptionError("legacygen", "DefectRate", nil, func(name string) string {
			return fmt.Sprintf("%s is %v; want a share between 0 and 1", name, opts.DefectRate)
		})
	}
	if err := legacy.CheckDriver(); err != nil {
		return Stats{}, fmt.Errorf("legacygen: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return Stats{}, fmt.Errorf("legacygen: %w", err)
	}
	if err := f.Close(); err != nil {
		return Stats{}, fmt.Errorf("legacygen: %w", err)
	}
	defer func() {
		if err != nil {
			_ = os.Remove(path)
		}
	}()
	db, err := sql.Open("sqlite3", "file:"+url.PathEscape(path)+"?mode=rw")
	if err != nil {
		return Stats{}, fmt.Errorf("legacygen: open %s: %w", path, err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return Stats{}, fmt.Errorf("legacygen: open %s: %w", path, err)
	}
	defer conn.Close()
	for _, p := range []string{
		"PRAGMA journal_mode=OFF",
		"PRAGMA synchronous=OFF",
		"PRAGMA foreign_keys=OFF",
		"PRAGMA temp_store=MEMORY",
		"PRAGMA cache_size=-65536", // 64 MiB
	} {
		if _, err := conn.ExecContext(ctx, p); err != nil {
			return Stats{}, fmt.Errorf("legacygen: %s: %w", p, err)
		}
	}
	// The indexes are created after the rows: building an index once is
	// much faster than maintaining it through millions of inserts.
	createTables, createIndexes := splitSchema(legacy.Schema)
	if _, err := conn.ExecContext(ctx, createTables+pluginTableDDL); err != nil {
		return Stats{}, fmt.Errorf("legacygen: create schema: %w", err)
	}
	out, err := newSQLiteOutput(ctx, conn)
	if err != nil {
		return Stats{}, fmt.Errorf("legacygen: %w", err)
	}
	g := newGen(ctx, out, opts, false)
	if err := g.run(opts.Defects); err != nil {
		return Stats{}, fmt.Errorf("legacygen: %w", err)
	}
	if _, err := conn.ExecContext(ctx, createIndexes); err != nil {
		return Stats{}, fmt.Errorf("legacygen: create indexes: %w", err)
	}
	return g.stats(), nil
}

func newGen(ctx context.Context, out output, opts Options, pg bool) *gen {
	g := &gen{
		r:       rand.New(rand.NewPCG(uint64(opts.Seed), 0x5eed_1e9a_c7db_0002)),
		w:       &writer{ctx: ctx, out: out},
		rows:    opts.Rows,
		pg:      pg,
		defects: map[string]int{},
	}
	if opts.DefectRate > 0 {
		g.dr, g.defectRate = rand.New(rand.NewPCG(uint64(opts.Seed), 0xdefec7_0003)), opts.DefectRate
	}
	return g
}

func (g *gen) stats() Stats {
	st := Stats{Tables: map[string]int64{}, Defects: g.defects}
	for _, t := range g.w.tables {
		st.Tables[t.name] += t.count
		st.Total += t.count
	}
	return st
}

func (g *gen) run(defects bool) error {
	w := g.w
	g.prepare()
	g.genBookkeeping()
	g.genRoles()
	g.genSettings()
	g.genUsers()
	g.genTeams()
	g.genCatalog()
	if g.pg {
		g.genOAuthProviders()
	}
	g.genSatellites()
	g.genInstallations()
	g.genProcesses()
	g.genOAuth()
	g.genPlugin()
	if g.pg {
		g.genPGOnly()
	}
	if w.err != nil {
		return w.err
	}
	var small int64
	for _, t := range w.tables {
		small += t.count
	}
	// The time-series tables share what is left, as in production.
	rest := max(int64(g.rows)-small, 100)
	share := func(pct int64) int64 { return max(30, rest*pct/100) }
	nJobs := share(6)
	nCommands := share(8)
	nActivity := share(3)
	nMetrics := share(15)
	nHeartbeats := share(28)
	nUsage := max(10, rest-nJobs-nCommands-nActivity-nMetrics-nHeartbeats)
	var nRequestLogs, nServerLogs int64
	if g.pg { // the usage logs share theirs with the backend's own logs
		nRequestLogs, nServerLogs = share(4), share(3)
		nUsage = max(10, nUsage-nRequestLogs-nServerLogs)
	}
	g.corruptLarge(true)
	g.genHeartbeats(nHeartbeats)
	g.genUsageLogs(nUsage)
	g.genActivity(nActivity, nMetrics)
	g.genCommands(nCommands)
	g.genJobs(nJobs)
	g.corruptLarge(false)
	if g.pg {
		g.genMCPLogs(nRequestLogs, nServerLogs)
	}
	if defects {
		g.injectDefects()
	}
	w.finish()
	return w.err
}

// splitSchema splits SQLite DDL into its CREATE TABLE statements and its
// CREATE INDEX statements (comments dropped).
func splitSchema(ddl string) (createTables, createIndexes string) {
	var tb, ix strings.Builder
	var code strings.Builder
	for line := range strings.Lines(ddl) {
		if i := strings.Index(line, "--"); i >= 0 {
			line = line[:i] + "\n"
		}
		code.WriteString(line)
	}
	for stmt := range strings.SplitSeq(code.String(), ";") {
		stmt = strings.TrimSpace(stmt)
		switch {
		case stmt == "":
		case strings.HasPrefix(stmt, "CREATE INDEX"), strings.HasPrefix(stmt, "CREATE UNIQUE INDEX"):
			ix.WriteString(stmt + ";\n")
		default:
			tb.WriteString(stmt + ";\n")
		}
	}
	return tb.String(), ix.String()
}
