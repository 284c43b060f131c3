// Package legacygen writes synthetic legacy SQLite databases (the schema of
// package legacy) for import tests and benchmarks: realistic, referentially
// consistent, deterministic for a given seed, and as large as asked.
//
// Value formats, as the legacy ORM wrote them (see internal/legacy):
//   - booleans are INTEGER 0/1;
//   - timestamps are INTEGER Unix epoch seconds, except the columns marked
//     "-- ms" in the legacy schema (authSession.expires_at,
//     mcpToolExecutions.created_at, oauthAccessTokens.expires_at,
//     oauthRefreshTokens.expires_at), which hold milliseconds; the other
//     timestamp columns not named *_at (satellites.last_heartbeat,
//     queueJobs.scheduled_for, teamMetrics.bucket_start) hold seconds too;
//     __drizzle_migrations.created_at holds milliseconds, as drizzle writes it;
//   - every timestamp lies in [2023-01-01, 2026-01-01) UTC;
//   - JSON documents are TEXT, compact, with the shapes the Postgres schema
//     checks (arrays of strings, arrays of objects, objects, or NULL where
//     the column is nullable);
//   - text ids are opaque: 15-character lowercase alphanumerics for users,
//     40 characters for sessions, UUIDs (v4, lowercase) for most other
//     tables, slugs for roles and setting groups, "mcp_client_…" for OAuth
//     clients; integer ids of the AUTOINCREMENT tables start above 1 and have
//     gaps, as after retention sweeps;
//   - text is valid UTF-8 without NUL bytes, and includes accents, CJK,
//     emoji, tabs, newlines, quotes and backslashes, and some long texts.
package legacygen

import (
	"cmp"
	"container/heap"
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"math"
	"math/rand/v2"
	"net/url"
	"os"
	"slices"
	"strconv"
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
}

// Stats counts the rows written per legacy table.
type Stats struct {
	Tables map[string]int64
	Total  int64
}

const (
	// Every timestamp lies in [winStart, winEnd).
	winStart int64 = 1672531200 // 2023-01-01T00:00:00Z
	winEnd   int64 = 1767225600 // 2026-01-01T00:00:00Z
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
	if _, err := conn.ExecContext(ctx, legacy.Schema); err != nil {
		return Stats{}, fmt.Errorf("legacygen: create schema: %w", err)
	}
	w := &writer{ctx: ctx, conn: conn}
	g := &gen{
		r:    rand.New(rand.NewPCG(uint64(opts.Seed), 0x5eed_1e9a_c7db_0001)),
		w:    w,
		rows: opts.Rows,
	}
	if err := g.run(); err != nil {
		return Stats{}, fmt.Errorf("legacygen: %w", err)
	}
	st = Stats{Tables: map[string]int64{}}
	for _, t := range w.tables {
		st.Tables[t.name] += t.count
		st.Total += t.count
	}
	return st, nil
}

// ---------------------------------------------------------------------------
// Writing: multi-row prepared INSERTs on one connection, committed every
// rowsPerTx rows. Errors are sticky: the first one stops all writes and is
// reported when the generator checks w.err.

type writer struct {
	ctx    context.Context
	conn   *sql.Conn
	inTx   int
	open   bool
	err    error
	tables []*table
}

func (w *writer) exec(q string) {
	if w.err != nil {
		return
	}
	if _, err := w.conn.ExecContext(w.ctx, q); err != nil {
		w.err = fmt.Errorf("%.60s: %w", q, err)
	}
}

func (w *writer) begin() {
	w.exec("BEGIN")
	w.open = w.err == nil
	w.inTx = 0
}

func (w *writer) commit() {
	if w.open {
		w.exec("COMMIT")
		w.open = false
	}
}

// table is one INSERT target with a buffer of up to per rows.
type table struct {
	w     *writer
	name  string
	cols  []string
	per   int
	full  *sql.Stmt
	buf   []any
	n     int
	count int64
}

func (w *writer) table(name string, cols ...string) *table {
	t := &table{w: w, name: name, cols: cols, per: min(256, 32000/len(cols))}
	t.buf = make([]any, t.per*len(cols))
	w.tables = append(w.tables, t)
	if w.err == nil {
		t.full, w.err = w.conn.PrepareContext(w.ctx, t.insertSQL(t.per))
	}
	return t
}

func (t *table) insertSQL(rows int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO "` + t.name + `" (`)
	for i, c := range t.cols {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + c + `"`)
	}
	b.WriteString(") VALUES ")
	row := "(" + strings.Repeat("?,", len(t.cols)-1) + "?)"
	for i := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
	}
	return b.String()
}

// add buffers one row; its values must match the table's columns.
func (t *table) add(vals ...any) {
	if len(vals) != len(t.cols) {
		panic(fmt.Sprintf("legacygen: %s: %d values for %d columns", t.name, len(vals), len(t.cols)))
	}
	if t.w.err != nil {
		return
	}
	copy(t.buf[t.n*len(t.cols):], vals)
	t.n++
	t.count++
	if t.n == t.per {
		t.execBuffered(t.full)
	}
}

func (t *table) execBuffered(stmt *sql.Stmt) {
	w := t.w
	if w.err == nil {
		w.err = w.ctx.Err()
	}
	if w.err == nil {
		if _, err := stmt.ExecContext(w.ctx, t.buf[:t.n*len(t.cols)]...); err != nil {
			w.err = fmt.Errorf("insert into %s: %w", t.name, err)
		}
	}
	clear(t.buf)
	w.inTx += t.n
	t.n = 0
	if w.inTx >= rowsPerTx {
		w.commit()
		w.begin()
	}
}

// flush writes the buffered rows.
func (t *table) flush() {
	if t.n == 0 || t.w.err != nil {
		return
	}
	stmt, err := t.w.conn.PrepareContext(t.w.ctx, t.insertSQL(t.n))
	if err != nil {
		t.w.err = err
		return
	}
	t.execBuffered(stmt)
	_ = stmt.Close()
}

func (w *writer) finish() {
	for _, t := range w.tables {
		t.flush()
		if t.full != nil {
			_ = t.full.Close()
		}
	}
	w.commit()
}

// ---------------------------------------------------------------------------
// The generator.

type gen struct {
	r    *rand.Rand
	w    *writer
	rows int
	buf  []byte // scratch for JSON

	t struct {
		roles, users, sessions, teams, members, categories, servers,
		installs, satellites, heartbeats, processes, executions, metrics,
		batches, jobs, audit, clients, access, refresh, settingGroups,
		settings, drizzle, plugin *table
	}

	roleIDs    []string // 0 global_admin, 1 global_user, 2 team_admin, 3 team_user, then custom
	users      []*user  // in order of creation
	admins     []int    // indexes of global admins
	teams      []*team
	categories []string
	servers    []*server
	installs   []*install // sorted by avail
	sats       []*satellite
	userCreate []int64 // users[i].created, for prefix searches
}

type user struct {
	id, username, email string
	created             int64
	teams               []int // team indexes, default team first
}

type team struct {
	id, name, slug string
	created        int64
	members        []int   // user indexes, owner first
	joined         []int64 // joined_at per member
	sats           []int   // team satellites
	isDefault      bool
}

type server struct {
	id, slug, name string
	created        int64
	ownerTeam      int // -1 for global servers
	base           *serverBase
}

type install struct {
	id, name     string
	team, server int
	sat          int
	created      int64
	avail        int64 // when the installation is running on its satellite
	weight       float64
}

type satellite struct {
	id      string
	team    int // -1 for global satellites
	created int64
	status  string
	hbFrom  int64
	hbTo    int64
	hbCount int
}

func (g *gen) run() error {
	w := g.w
	g.prepare()
	w.begin()
	g.genFixed()
	g.genUsers()
	g.genTeams()
	g.genServers()
	g.genSatellites()
	g.genInstallations()
	g.genProcesses()
	g.genOAuth()
	g.genPlugin()
	if w.err != nil {
		return w.err
	}
	var small int64
	for _, t := range w.tables {
		small += t.count
	}
	// The append-only tables share what is left, like in production.
	rest := max(int64(g.rows)-small, 60)
	weights := []int64{55, 25, 10, 5, 3} // executions, heartbeats, audit, queue, metrics
	var share [5]int64
	var sum int64
	for i, wt := range weights {
		share[i] = max(1, rest*wt/98)
		sum += share[i]
	}
	share[0] += rest - sum
	g.genHeartbeats(share[1])
	g.genExecutions(share[0])
	g.genMetrics(share[4])
	g.genAudit(share[2])
	g.genQueue(share[3])
	w.finish()
	if w.err == nil {
		// The satellites' last heartbeat is the newest of their heartbeats.
		w.exec(`UPDATE satellites SET
			last_heartbeat = (SELECT max(h.created_at) FROM satelliteHeartbeats h WHERE h.satellite_id = satellites.id),
			updated_at = max(updated_at, coalesce((SELECT max(h.created_at) FROM satelliteHeartbeats h WHERE h.satellite_id = satellites.id), 0))`)
	}
	return w.err
}

func (g *gen) prepare() {
	w := g.w
	g.t.roles = w.table("roles", "id", "name", "description", "permissions", "is_system_role", "created_at", "updated_at")
	g.t.users = w.table("authUser", "id", "username", "email", "auth_type", "first_name", "last_name", "github_id", "hashed_password", "email_verified", "role_id", "created_at", "updated_at")
	g.t.sessions = w.table("authSession", "id", "user_id", "expires_at")
	g.t.teams = w.table("teams", "id", "name", "slug", "description", "owner_id", "is_default", "created_at", "updated_at")
	g.t.members = w.table("teamMemberships", "id", "team_id", "user_id", "role", "joined_at")
	g.t.categories = w.table("mcpCategories", "id", "name", "description", "icon", "sort_order", "created_at")
	g.t.servers = w.table("mcpServers", "id", "name", "slug", "description", "long_description", "github_url", "language", "runtime", "status", "visibility", "owner_team_id", "category_id", "tags", "environment_variables", "metadata", "featured", "created_by", "created_at", "updated_at")
	g.t.installs = w.table("mcpServerInstallations", "id", "team_id", "server_id", "created_by", "installation_name", "installation_type", "user_environment_variables", "created_at", "updated_at", "last_used_at")
	g.t.satellites = w.table("satellites", "id", "name", "satellite_type", "team_id", "status", "satellite_url", "region", "version", "system_info", "last_heartbeat", "created_by", "created_at", "updated_at")
	g.t.heartbeats = w.table("satelliteHeartbeats", "id", "satellite_id", "status", "system_metrics", "process_count", "error_count", "version", "created_at")
	g.t.processes = w.table("satelliteProcesses", "id", "satellite_id", "installation_id", "team_id", "process_id", "status", "health_status", "started_at", "stopped_at", "error_message", "restart_count", "created_at", "updated_at")
	g.t.executions = w.table("mcpToolExecutions", "id", "satellite_id", "team_id", "user_id", "server_slug", "tool_name", "duration_ms", "success", "error", "arguments", "created_at")
	g.t.metrics = w.table("teamMetrics", "id", "team_id", "satellite_id", "bucket_start", "bucket_minutes", "tool_calls", "errors", "total_duration_ms")
	g.t.batches = w.table("queueJobBatches", "id", "type", "total_jobs", "completed_jobs", "failed_jobs", "status", "metadata", "created_at", "updated_at")
	g.t.jobs = w.table("queueJobs", "id", "type", "payload", "status", "priority", "attempts", "max_attempts", "scheduled_for", "started_at", "completed_at", "error", "result", "batch_id", "created_at", "updated_at")
	g.t.audit = w.table("auditLogs", "id", "actor_user_id", "team_id", "action", "target_type", "target_id", "ip_address", "user_agent", "metadata", "created_at")
	g.t.clients = w.table("oauthClients", "client_id", "client_name", "redirect_uris", "grant_types", "scope", "created_at")
	g.t.access = w.table("oauthAccessTokens", "id", "token_hash", "client_id", "user_id", "scope", "expires_at", "revoked", "created_at")
	g.t.refresh = w.table("oauthRefreshTokens", "id", "token_hash", "access_token_id", "client_id", "user_id", "expires_at", "revoked", "created_at")
	g.t.settingGroups = w.table("globalSettingGroups", "id", "name", "description", "icon", "sort_order", "created_at", "updated_at")
	g.t.settings = w.table("globalSettings", "key", "value", "type", "description", "is_encrypted", "group_id", "created_at", "updated_at")
	g.t.drizzle = w.table("__drizzle_migrations", "id", "hash", "created_at")
	g.t.plugin = w.table("example-plugin_example_entities", "id", "name", "description", "created_at")
}

// ---------------------------------------------------------------------------
// Random helpers.

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

// between returns a time in [a, b), or a when the range is empty.
func (g *gen) between(a, b int64) int64 {
	if b <= a {
		return a
	}
	return a + g.r.Int64N(b-a)
}

func pick[T any](g *gen, s []T) T { return s[g.r.IntN(len(s))] }

// growth maps i in [0, n) to a time in [from, to) with increasing density,
// like a product whose usage grows; times increase with i.
func (g *gen) growth(i, n int64, from, to int64) float64 {
	x := (float64(i) + g.r.Float64()) / float64(n)
	return float64(from) + float64(to-from)*math.Pow(x, 0.6)
}

func (g *gen) uuid() string {
	var b [16]byte
	u, v := g.r.Uint64(), g.r.Uint64()
	for i := range 8 {
		b[i], b[8+i] = byte(u>>(8*i)), byte(v>>(8*i))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:36], b[10:16])
	return string(out[:])
}

const alnum = "abcdefghijklmnopqrstuvwxyz0123456789"

// alnumID is a lucia-style id: n lowercase alphanumerics.
func (g *gen) alnumID(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alnum[g.r.IntN(len(alnum))]
	}
	return string(b)
}

func (g *gen) hexStr(nbytes int) string {
	b := make([]byte, nbytes)
	for i := range b {
		b[i] = byte(g.r.Uint32())
	}
	return hex.EncodeToString(b)
}

func (g *gen) b64(nbytes int) string {
	const a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	b := make([]byte, (nbytes*4+2)/3)
	for i := range b {
		b[i] = a[g.r.IntN(64)]
	}
	return string(b)
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// orNil returns nil (SQL NULL) with probability p, else v.
func (g *gen) orNil(p float64, v any) any {
	if g.chance(p) {
		return nil
	}
	return v
}

// userBefore returns a user created at or before t (the first user if none).
func (g *gen) userBefore(t int64) int {
	k, _ := slices.BinarySearch(g.userCreate, t+1)
	return g.r.IntN(max(k, 1))
}

// ---------------------------------------------------------------------------
// JSON, built by hand (fast and in a fixed key order).

func appendJSONStr(b []byte, s string) []byte {
	const hexd = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\t':
			b = append(b, '\\', 't')
		case c == '\r':
			b = append(b, '\\', 'r')
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hexd[c>>4], hexd[c&15])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

type jsonObj struct{ b []byte }

func (g *gen) obj() *jsonObj { return &jsonObj{b: append(g.buf[:0], '{')} }

func (o *jsonObj) key(k string) {
	if len(o.b) > 1 {
		o.b = append(o.b, ',')
	}
	o.b = appendJSONStr(o.b, k)
	o.b = append(o.b, ':')
}

func (o *jsonObj) str(k, v string) *jsonObj { o.key(k); o.b = appendJSONStr(o.b, v); return o }
func (o *jsonObj) num(k string, v int64) *jsonObj {
	o.key(k)
	o.b = strconv.AppendInt(o.b, v, 10)
	return o
}
func (o *jsonObj) float(k string, v float64) *jsonObj {
	o.key(k)
	o.b = strconv.AppendFloat(o.b, v, 'f', -1, 64)
	return o
}
func (o *jsonObj) bool(k string, v bool) *jsonObj {
	o.key(k)
	o.b = strconv.AppendBool(o.b, v)
	return o
}
func (o *jsonObj) null(k string) *jsonObj { o.key(k); o.b = append(o.b, "null"...); return o }
func (o *jsonObj) raw(k, v string) *jsonObj {
	o.key(k)
	o.b = append(o.b, v...)
	return o
}

func (g *gen) done(o *jsonObj) string {
	o.b = append(o.b, '}')
	g.buf = o.b
	return string(o.b)
}

func jsonStrings(s []string) string {
	b := []byte{'['}
	for i, v := range s {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONStr(b, v)
	}
	return string(append(b, ']'))
}

// round1 rounds to one decimal.
func round1(f float64) float64 { return math.Round(f*10) / 10 }

// ---------------------------------------------------------------------------
// Text.

type name struct{ display, ascii string }

var firstNames = []name{
	{"Anna", "anna"}, {"José", "jose"}, {"Zoë", "zoe"}, {"Łukasz", "lukasz"}, {"Søren", "soren"},
	{"François", "francois"}, {"Chloé", "chloe"}, {"Mateo", "mateo"}, {"Aiko", "aiko"}, {"Hiroshi", "hiroshi"},
	{"Wei", "wei"}, {"Priya", "priya"}, {"Olusegun", "olusegun"}, {"Fatima", "fatima"}, {"Björn", "bjorn"},
	{"Elif", "elif"}, {"Dmitri", "dmitri"}, {"Noah", "noah"}, {"Emma", "emma"}, {"Liam", "liam"},
	{"Sofía", "sofia"}, {"João", "joao"}, {"Renée", "renee"}, {"Siobhán", "siobhan"}, {"Ngọc", "ngoc"},
	{"Ayşe", "ayse"}, {"Mikael", "mikael"}, {"Kateřina", "katerina"}, {"Giulia", "giulia"}, {"Tomás", "tomas"},
	{"Amara", "amara"}, {"Yuki", "yuki"}, {"Minh", "minh"}, {"Jürgen", "juergen"}, {"Małgorzata", "malgorzata"},
	{"Oğuz", "oguz"}, {"Ingrid", "ingrid"}, {"Rafael", "rafael"}, {"Leilani", "leilani"}, {"Arjun", "arjun"},
	{"明", "ming"}, {"美咲", "misaki"}, {"서준", "seojun"}, {"Алексей", "aleksei"}, {"Ελένη", "eleni"},
	{"Sam", "sam"}, {"Alex", "alex"}, {"Maria", "maria"}, {"David", "david"}, {"Laura", "laura"},
}

var lastNames = []name{
	{"Müller", "mueller"}, {"García", "garcia"}, {"Nguyễn", "nguyen"}, {"Kowalski", "kowalski"}, {"Jørgensen", "jorgensen"},
	{"Dubois", "dubois"}, {"O'Brien", "obrien"}, {"Smith", "smith"}, {"Rossi", "rossi"}, {"Yılmaz", "yilmaz"},
	{"Novák", "novak"}, {"Silva", "silva"}, {"Fernández", "fernandez"}, {"Öztürk", "ozturk"}, {"Andersson", "andersson"},
	{"佐藤", "sato"}, {"李", "li"}, {"王", "wang"}, {"김", "kim"}, {"Иванов", "ivanov"},
	{"Παπαδόπουλος", "papadopoulos"}, {"Okafor", "okafor"}, {"Patel", "patel"}, {"Schäfer", "schaefer"}, {"Håkansson", "hakansson"},
	{"van der Berg", "vanderberg"}, {"De Luca", "deluca"}, {"Đorđević", "djordjevic"}, {"Brontë", "bronte"}, {"Lefèvre", "lefevre"},
	{"Johnson", "johnson"}, {"Tanaka", "tanaka"}, {"Schmidt", "schmidt"}, {"Costa", "costa"}, {"Wójcik", "wojcik"},
}

var emailDomains = []string{
	"gmail.com", "outlook.com", "proton.me", "acme.io", "example.org", "deploystack.io", "fastmail.com",
	"yahoo.co.jp", "web.de", "posteo.de", "mail.ru", "qq.com", "naver.com", "icloud.com", "hey.com",
}

var teamWords = [][2]string{
	{"Platform", "platform"}, {"Data", "data"}, {"Growth", "growth"}, {"Infra", "infra"}, {"ML", "ml"},
	{"Security", "security"}, {"Mobile", "mobile"}, {"Payments", "payments"}, {"Search", "search"},
	{"Support", "support"}, {"Developer Experience", "devex"}, {"Frontend", "frontend"}, {"Backend", "backend"},
	{"SRE", "sre"}, {"Research", "research"}, {"Analytics", "analytics"},
}

var teamKinds = []string{"Team", "Guild", "Squad", "Crew", "Lab", "Chapter"}

var teamSpecials = []name{
	{"Équipe Plateforme", "equipe-plateforme"}, {"Datenplattform", "datenplattform"}, {"数据平台团队", "shuju-pingtai"},
	{"インフラチーム", "infra-chiimu"}, {"Equipo de Pagos 💳", "equipo-de-pagos"}, {"Команда поиска", "komanda-poiska"},
	{"팀 모바일", "team-mobile-kr"}, {"Café Ops ☕", "cafe-ops"}, {"🚀 Launch Crew", "launch-crew"},
	{"Zürich Data Science", "zurich-data-science"}, {"São Paulo Engineering", "sao-paulo-engineering"},
	{"Ωmega Research", "omega-research"}, {"AI 🤖 Playground", "ai-playground"}, {"Łódź Backend", "lodz-backend"},
}

var emojis = []string{"🚀", "🔥", "✨", "🤖", "🛠️", "📊", "🌍", "🧪", "🦀", "🐍", "💡", "🎯"}

var sentences = []string{
	"Connects your AI assistant to external tools through the Model Context Protocol.",
	"Supports pagination, retries with exponential back-off and structured error messages.",
	"Fonctionne avec les espaces de travail partagés et respecte les permissions de l'équipe.",
	"Unterstützt Umlaute, Emojis 🎉 und sehr lange Eingaben ohne Probleme.",
	"支持中文搜索、分页查询以及增量同步。",
	"日本語のドキュメントとメタデータにも対応しています。",
	"Tokens are never logged; secrets are read from environment variables at start-up.",
	"Rate limits are respected automatically (HTTP 429 → Retry-After).",
	"Zero-config for local development — just run `npx` and go ✨.",
	"Handles “smart quotes”, \"straight quotes\", tabs\tand backslashes \\ correctly.",
	"Works behind corporate proxies (HTTPS_PROXY, NO_PROXY) and with self-signed CAs.",
	"Ideal para equipos que necesitan auditoría completa de cada llamada.",
	"Поддерживает потоковую передачу результатов и отмену запросов.",
	"Το εργαλείο καταγράφει κάθε κλήση για πλήρη ιχνηλασιμότητα.",
	"Use the read-only mode in production; write tools can be disabled per team.",
	"Results are cached for 60 seconds; set CACHE_TTL=0 to disable caching.",
	"Große Repositories (> 10 000 Dateien) werden inkrementell indexiert.",
	"All timestamps are ISO-8601 in UTC, e.g. 2024-05-17T08:30:00Z.",
	"Requires Node.js ≥ 18 or Python ≥ 3.10, depending on the runtime you choose.",
	"한국어 검색어와 이모지 🙂 도 문제없이 처리합니다.",
}

// text returns about n bytes of sentences.
func (g *gen) text(n int) string {
	var b strings.Builder
	for b.Len() < n {
		if b.Len() > 0 {
			if g.chance(0.15) {
				b.WriteString("\n\n")
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString(pick(g, sentences))
	}
	return b.String()
}

// markdown returns a long README-like description of about n bytes.
func (g *gen) markdown(title string, n int) string {
	var b strings.Builder
	b.WriteString("# " + title + "\n\n" + g.text(300) + "\n\n## Features\n\n")
	for range 3 + g.r.IntN(5) {
		b.WriteString("- " + pick(g, sentences) + "\n")
	}
	b.WriteString("\n## Configuration\n\n```json\n{\n  \"mcpServers\": {\n    \"" + strings.ToLower(title) + "\": { \"command\": \"npx\", \"args\": [\"-y\", \"@example/server\"] }\n  }\n}\n```\n\n")
	for b.Len() < n {
		b.WriteString("## " + pick(g, []string{"Usage", "Troubleshooting", "FAQ", "Changelog", "Sécurité", "セキュリティ"}) + "\n\n" + g.text(400) + "\n\n")
	}
	return b.String()
}

func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, c := range strings.ToLower(s) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimRight(b.String(), "-")
}

// unique returns s, or s with the smallest numeric suffix not yet in seen
// (compared case-insensitively), and records it.
func unique(seen map[string]bool, s, sep string) string {
	out := s
	for i := 2; seen[strings.ToLower(out)]; i++ {
		out = s + sep + strconv.Itoa(i)
	}
	seen[strings.ToLower(out)] = true
	return out
}

// ---------------------------------------------------------------------------
// Fixed tables: roles, settings, migrations, categories.

var permissions = []string{
	"users.view", "users.edit", "users.delete", "users.create", "teams.view", "teams.create", "teams.edit", "teams.delete",
	"teams.members.view", "teams.members.manage", "mcp.servers.view", "mcp.servers.create", "mcp.servers.edit",
	"mcp.servers.delete", "mcp.installations.view", "mcp.installations.create", "mcp.installations.edit",
	"mcp.installations.delete", "satellites.view", "satellites.manage", "settings.view", "settings.edit",
	"audit.view", "oauth.clients.manage", "metrics.view", "categories.manage",
}

func (g *gen) genFixed() {
	t0 := winStart + 2*day
	// Migrations of the old ORM: drizzle stores created_at in milliseconds.
	mig := []string{"init", "add_teams", "team_memberships", "mcp_catalog", "mcp_installations", "global_settings",
		"oauth", "satellites", "satellite_processes", "tool_executions", "team_metrics", "queue_jobs",
		"audit_logs", "github_auth", "plugin_tables", "indexes"}
	for i := range mig {
		at := winStart + day + int64(i)*int64(float64(winEnd-60*day-winStart)/float64(len(mig)))
		g.t.drizzle.add(int64(i+1), g.hexStr(32), (at+g.between(0, day))*1000+g.r.Int64N(1000))
	}

	g.roleIDs = []string{"global_admin", "global_user", "team_admin", "team_user"}
	roleNames := []string{"Global Admin", "Global User", "Team Admin", "Team User"}
	rolePerms := [][]string{permissions, {"teams.view", "teams.create", "mcp.servers.view", "mcp.installations.view", "metrics.view"},
		{"teams.view", "teams.edit", "teams.members.view", "teams.members.manage", "mcp.installations.view", "mcp.installations.create", "mcp.installations.edit", "mcp.installations.delete"},
		{"teams.view", "teams.members.view", "mcp.installations.view"}}
	roleDesc := []any{"Full access to every part of the installation.", "Default role of new users.", nil, "Membre d'une équipe — lecture seule 👀"}
	for i, id := range g.roleIDs {
		g.t.roles.add(id, roleNames[i], roleDesc[i], jsonStrings(rolePerms[i]), int64(1), t0, t0)
	}
	custom := []struct{ name, desc string }{
		{"Catalog Manager", "Curates the MCP server catalog: créer, modifier, archiver."},
		{"Auditor (read-only)", "Reads audit logs and metrics; changes nothing. 🔍"},
		{"Support 🛟", "Helps users: views users, teams and installations."},
		{"Satellite Operator", "Runs satellites — サテライトの運用担当。"},
	}
	nCustom := 2
	if g.rows >= 100_000 {
		nCustom = len(custom)
	}
	for _, c := range custom[:nCustom] {
		id := g.uuid()
		g.roleIDs = append(g.roleIDs, id)
		perms := slices.Clone(permissions)
		g.r.Shuffle(len(perms), func(i, j int) { perms[i], perms[j] = perms[j], perms[i] })
		perms = perms[:2+g.r.IntN(10)]
		slices.Sort(perms)
		at := g.between(t0+30*day, t0+400*day)
		g.t.roles.add(id, c.name, g.orNil(0.25, c.desc), jsonStrings(perms), int64(0), at, g.between(at, at+200*day))
	}

	type group struct{ id, name, desc, icon string }
	groups := []group{
		{"global", "Global Settings", "General settings of this DeployStack installation.", "settings"},
		{"smtp", "SMTP Mail Settings", "Outgoing e-mail (invitations, password resets).", "mail"},
		{"github-oauth", "GitHub OAuth", "Sign in with GitHub.", "github"},
		{"security", "Security", "Sessions, passwords and login limits.", "shield"},
		{"mcp-catalog", "MCP Catalog", "Synchronisation du catalogue — 同期設定", "book-open"},
		{"satellites", "Satellites", "Heartbeats and retention of satellite data.", "satellite"},
	}
	for i, gr := range groups {
		at := t0 + int64(i)*hour
		g.t.settingGroups.add(gr.id, gr.name, g.orNil(0.1, gr.desc), g.orNil(0.1, gr.icon), int64(i), at, g.between(at, winEnd-30*day))
	}
	type setting struct {
		key, value, typ, desc string
		enc                   bool
		group                 any
	}
	settings := []setting{
		{"global.page_url", "https://cloud.deploystack.io", "string", "Public URL of the frontend.", false, "global"},
		{"global.enable_login", "true", "boolean", "Allow users to log in.", false, "global"},
		{"global.enable_email_registration", "true", "boolean", "Allow sign-up with e-mail and password.", false, "global"},
		{"global.send_mail", "false", "boolean", "Send e-mails (needs SMTP).", false, "global"},
		{"global.show_version", "true", "boolean", "", false, "global"},
		{"global.instance_name", "DeployStack — Équipe Démo 🚀", "string", "Name shown in the header.", false, "global"},
		{"smtp.host", "smtp.eu.mailgun.org", "string", "SMTP server host name.", false, "smtp"},
		{"smtp.port", "587", "number", "SMTP server port.", false, "smtp"},
		{"smtp.username", "postmaster@mg.deploystack.io", "string", "", false, "smtp"},
		{"smtp.password", "", "string", "SMTP password (encrypted).", true, "smtp"},
		{"smtp.secure", "false", "boolean", "Use implicit TLS.", false, "smtp"},
		{"smtp.from_name", "DeployStack ✉️", "string", "", false, "smtp"},
		{"smtp.from_email", "no-reply@deploystack.io", "string", "", false, "smtp"},
		{"github.oauth.enabled", "true", "boolean", "Enable GitHub sign-in.", false, "github-oauth"},
		{"github.oauth.client_id", "Iv1." + g.hexStr(8), "string", "", false, "github-oauth"},
		{"github.oauth.client_secret", "", "string", "GitHub OAuth client secret (encrypted).", true, "github-oauth"},
		{"github.oauth.callback_url", "https://cloud.deploystack.io/api/auth/github/callback", "string", "", false, "github-oauth"},
		{"github.oauth.scope", "user:email", "string", "", false, "github-oauth"},
		{"security.session_ttl_days", "30", "number", "Session lifetime in days.", false, "security"},
		{"security.max_login_attempts", "5", "number", "", false, "security"},
		{"security.password_min_length", "12", "number", "", false, "security"},
		{"security.require_email_verification", "true", "boolean", "", false, "security"},
		{"mcp.catalog.registry_url", "https://registry.modelcontextprotocol.io/v0/servers", "string", "", false, "mcp-catalog"},
		{"mcp.catalog.sync_interval_minutes", "360", "number", "", false, "mcp-catalog"},
		{"satellite.heartbeat_interval_seconds", "30", "number", "", false, "satellites"},
		{"satellite.retention_days", "90", "number", "Days of heartbeats and processes to keep.", false, "satellites"},
		{"satellite.registration_token", "", "string", "Token that satellites register with (encrypted).", true, "satellites"},
		{"plugin.example-plugin.enabled", "true", "boolean", "Enable the example plugin.", false, nil},
		{"plugin.example-plugin.greeting", "Hallo, Welt! 👋 こんにちは", "string", "", false, nil},
		{"legacy.banner_text", g.text(1500), "string", "Banner shown above the dashboard (long text).", false, nil},
		{"legacy.maintenance_window", "Sun 02:00–04:00 UTC", "string", "", false, nil},
		{"legacy.max_upload_mb", "25.5", "number", "", false, nil},
	}
	for _, s := range settings {
		if s.enc {
			// iv:authTag:ciphertext, hex, as the legacy encryption helper wrote it.
			s.value = g.hexStr(12) + ":" + g.hexStr(16) + ":" + g.hexStr(16+g.r.IntN(32))
		}
		var desc any = s.desc
		if s.desc == "" {
			desc = nil
		}
		at := g.between(t0, t0+60*day)
		g.t.settings.add(s.key, s.value, s.typ, desc, boolInt(s.enc), s.group, at, g.between(at, winEnd-day))
	}

	cats := []struct{ name, icon, desc string }{
		{"Development 💻", "code", "Source control, CI/CD and developer tools."},
		{"Databases", "database", "SQL and NoSQL databases, vector stores."},
		{"Productivity", "calendar", "Notes, tasks, documents."},
		{"Communication", "message-square", "Chat, e-mail and notifications."},
		{"Cloud & Infrastructure", "cloud", "Cloud providers, containers, Kubernetes."},
		{"AI & ML 🤖", "brain", "Models, embeddings, evaluation."},
		{"Search & Web", "globe", "Web search, crawling and browsing."},
		{"Data & Analytics", "bar-chart", "Dashboards, BI and observability."},
		{"Security 🔐", "shield", "Secrets, scanning, identity."},
		{"Design", "pen-tool", "Design tools and assets."},
		{"Finance", "credit-card", "Payments, invoicing, accounting."},
		{"Utilities", "wrench", "Time, files, fetch and other helpers — 便利ツール."},
	}
	for i, c := range cats {
		id := g.uuid()
		g.categories = append(g.categories, id)
		g.t.categories.add(id, c.name, g.orNil(0.1, c.desc), g.orNil(0.15, c.icon), int64(i*10), t0+int64(i)*minute*7)
	}
}

// ---------------------------------------------------------------------------
// Users, sessions, teams.

func (g *gen) genUsers() {
	n := max(12, int(math.Sqrt(float64(g.rows))))
	seenUser, seenEmail := map[string]bool{}, map[string]bool{}
	githubID := int64(1_000_000 + g.r.IntN(9_000_000))
	from, to := winStart+3*day, winStart+1030*day // up to late October 2025
	for i := range n {
		fn, ln := pick(g, firstNames), pick(g, lastNames)
		var base string
		switch g.r.IntN(5) {
		case 0:
			base = fn.ascii + "." + ln.ascii
		case 1:
			base = fn.ascii + ln.ascii
		case 2:
			base = fn.ascii[:1] + ln.ascii
		case 3:
			base = fn.ascii + "_" + ln.ascii + strconv.Itoa(g.r.IntN(100))
		default:
			base = ln.ascii + "-" + fn.ascii
		}
		username := unique(seenUser, base, "")
		local := username
		if g.chance(0.3) {
			local = fn.ascii + "." + ln.ascii
		}
		domain := pick(g, emailDomains)
		if g.chance(0.1) { // some mixed-case addresses
			local = strings.ToUpper(local[:1]) + local[1:]
			domain = strings.ToUpper(domain[:1]) + domain[1:]
		}
		// Unique even case-insensitively, though some are mixed-case.
		email := local + "@" + domain
		for k := 2; seenEmail[strings.ToLower(email)]; k++ {
			email = local + "+" + strconv.Itoa(k) + "@" + domain
		}
		seenEmail[strings.ToLower(email)] = true
		created := int64(float64(from) + float64(to-from)*math.Pow((float64(i)+g.r.Float64())/float64(n), 0.8))
		if i == 0 {
			created = from
		}
		u := &user{id: g.alnumID(15), username: username, email: email, created: created}
		g.users = append(g.users, u)
		g.userCreate = append(g.userCreate, created)

		role := g.roleIDs[1]
		switch {
		case i == 0 || g.chance(0.01):
			role = g.roleIDs[0]
			g.admins = append(g.admins, i)
		case len(g.roleIDs) > 4 && g.chance(0.03):
			role = g.roleIDs[4+g.r.IntN(len(g.roleIDs)-4)]
		}
		var authType string
		var ghID, hashed any
		if i > 0 && g.chance(0.22) {
			authType = "github"
			githubID += 1 + g.r.Int64N(3_000_000)
			ghID = strconv.FormatInt(githubID, 10)
		} else {
			authType = "email_signup"
			hashed = "$argon2id$v=19$m=19456,t=2,p=1$" + strings.TrimRight(g.b64(16), "=") + "$" + g.b64(32)
		}
		var first, last any = fn.display, ln.display
		if g.chance(0.12) {
			first, last = nil, nil
		} else if g.chance(0.05) {
			last = nil
		}
		verified := authType == "github" || g.chance(0.8)
		g.t.users.add(u.id, username, email, authType, first, last, ghID, hashed, boolInt(verified), role,
			created, g.between(created, min(created+300*day, winEnd-1)))
	}
	// Sessions: expires_at in milliseconds, some already expired.
	for range n * 3 / 2 {
		u := g.users[g.r.IntN(n)]
		exp := g.between(u.created+hour, winEnd-1)
		g.t.sessions.add(g.alnumID(40), u.id, exp*1000+g.r.Int64N(1000))
	}
}

func (g *gen) genTeams() {
	seenSlug := map[string]bool{}
	n := len(g.users)
	mid := func(team *team, u int, joined int64) {
		team.members = append(team.members, u)
		team.joined = append(team.joined, joined)
		g.users[u].teams = append(g.users[u].teams, len(g.teams)-1)
	}
	// Every user has a default team, created with the account.
	for i, u := range g.users {
		fn := u.username
		t := &team{id: g.uuid(), isDefault: true, created: u.created + g.r.Int64N(5)}
		t.name = fn + "'s Team"
		if g.chance(0.1) {
			t.name = fn + " — personal " + pick(g, emojis)
		}
		t.slug = unique(seenSlug, slugify(u.username), "-")
		g.teams = append(g.teams, t)
		mid(t, i, t.created)
	}
	shared := max(3, n/8)
	for range shared {
		owner := g.r.IntN(n)
		t := &team{id: g.uuid()}
		t.created = g.between(g.users[owner].created+hour, min(g.users[owner].created+200*day, winEnd-40*day))
		var slugBase string
		if g.chance(0.3) {
			s := pick(g, teamSpecials)
			t.name, slugBase = s.display, s.ascii
		} else {
			w := pick(g, teamWords)
			k := pick(g, teamKinds)
			t.name, slugBase = w[0]+" "+k, w[1]+"-"+strings.ToLower(k)
			if g.chance(0.2) {
				t.name += " " + pick(g, emojis)
			}
		}
		t.slug = unique(seenSlug, slugBase, "-")
		g.teams = append(g.teams, t)
		mid(t, owner, t.created)
		k := min(n-1, 1+g.r.IntN(min(30, n-1)))
		cand := g.r.Perm(n)
		for _, u := range cand {
			if k == 0 {
				break
			}
			if u == owner {
				continue
			}
			mid(t, u, g.between(max(t.created, g.users[u].created)+minute, winEnd-day))
			k--
		}
	}
	for _, t := range g.teams {
		var desc any
		switch {
		case g.chance(0.5):
		case g.chance(0.15):
			desc = g.text(2000 + g.r.IntN(4000))
		default:
			desc = g.text(40 + g.r.IntN(160))
		}
		g.t.teams.add(t.id, t.name, t.slug, desc, g.users[t.members[0]].id, boolInt(t.isDefault), t.created,
			g.between(t.created, min(t.created+400*day, winEnd-1)))
		for j, u := range t.members {
			role := "team_user"
			if j == 0 || g.chance(0.15) {
				role = "team_admin"
			}
			g.t.members.add(g.uuid(), t.id, g.users[u].id, role, t.joined[j])
		}
	}
}

// member returns a member of the team who had joined by t (else the owner).
func (g *gen) member(t *team, at int64) int {
	j := g.r.IntN(len(t.members))
	if t.joined[j] > at {
		j = 0
	}
	return t.members[j]
}

// ---------------------------------------------------------------------------
// The MCP catalog and installations.

type serverBase struct {
	name, lang, runtime, repo string
	cat                       int
	env                       []string
	tools                     []string
}

var serverBases = []serverBase{
	{"GitHub", "TypeScript", "node", "github/github-mcp-server", 0, []string{"GITHUB_PERSONAL_ACCESS_TOKEN"}, []string{"search_repositories", "get_file_contents", "create_issue", "list_issues", "create_pull_request", "list_commits", "add_issue_comment"}},
	{"GitLab", "TypeScript", "node", "modelcontextprotocol/servers", 0, []string{"GITLAB_PERSONAL_ACCESS_TOKEN", "GITLAB_API_URL"}, []string{"search_repositories", "get_file_contents", "create_merge_request", "list_issues"}},
	{"Filesystem", "TypeScript", "node", "modelcontextprotocol/servers", 11, nil, []string{"read_file", "write_file", "list_directory", "search_files", "get_file_info", "move_file"}},
	{"PostgreSQL", "TypeScript", "node", "modelcontextprotocol/servers", 1, []string{"DATABASE_URL"}, []string{"query", "list_tables", "describe_table"}},
	{"SQLite", "Python", "python", "modelcontextprotocol/servers", 1, []string{"SQLITE_DB_PATH"}, []string{"read_query", "write_query", "list_tables", "describe_table", "append_insight"}},
	{"Slack", "TypeScript", "node", "modelcontextprotocol/servers", 3, []string{"SLACK_BOT_TOKEN", "SLACK_TEAM_ID"}, []string{"slack_list_channels", "slack_post_message", "slack_reply_to_thread", "slack_get_channel_history", "slack_get_users"}},
	{"Brave Search", "TypeScript", "node", "brave/brave-search-mcp-server", 6, []string{"BRAVE_API_KEY"}, []string{"brave_web_search", "brave_local_search"}},
	{"Puppeteer", "TypeScript", "node", "modelcontextprotocol/servers", 6, nil, []string{"puppeteer_navigate", "puppeteer_screenshot", "puppeteer_click", "puppeteer_fill", "puppeteer_evaluate"}},
	{"Fetch", "Python", "python", "modelcontextprotocol/servers", 11, nil, []string{"fetch"}},
	{"Time", "Python", "python", "modelcontextprotocol/servers", 11, []string{"LOCAL_TIMEZONE"}, []string{"get_current_time", "convert_time"}},
	{"Memory", "TypeScript", "node", "modelcontextprotocol/servers", 5, nil, []string{"create_entities", "create_relations", "add_observations", "search_nodes", "read_graph"}},
	{"Notion", "TypeScript", "node", "makenotion/notion-mcp-server", 2, []string{"NOTION_API_KEY"}, []string{"search", "retrieve_page", "create_page", "update_block", "query_database"}},
	{"Linear", "TypeScript", "node", "linear/linear-mcp", 2, []string{"LINEAR_API_KEY"}, []string{"list_issues", "create_issue", "update_issue", "list_projects"}},
	{"Jira", "Python", "python", "sooperset/mcp-atlassian", 2, []string{"JIRA_URL", "JIRA_USERNAME", "JIRA_API_TOKEN"}, []string{"jira_search", "jira_get_issue", "jira_create_issue", "jira_transition_issue"}},
	{"Confluence", "Python", "python", "sooperset/mcp-atlassian", 2, []string{"CONFLUENCE_URL", "CONFLUENCE_API_TOKEN"}, []string{"confluence_search", "confluence_get_page", "confluence_create_page"}},
	{"Sentry", "Python", "python", "getsentry/sentry-mcp", 7, []string{"SENTRY_AUTH_TOKEN", "SENTRY_ORG"}, []string{"list_issues", "get_issue_details", "search_errors"}},
	{"Stripe", "TypeScript", "node", "stripe/agent-toolkit", 10, []string{"STRIPE_SECRET_KEY"}, []string{"create_customer", "list_customers", "create_payment_link", "list_invoices", "create_refund"}},
	{"Cloudflare", "TypeScript", "node", "cloudflare/mcp-server-cloudflare", 4, []string{"CLOUDFLARE_API_TOKEN", "CLOUDFLARE_ACCOUNT_ID"}, []string{"worker_list", "worker_deploy", "kv_get", "kv_put", "d1_query"}},
	{"AWS KB Retrieval", "TypeScript", "node", "modelcontextprotocol/servers", 5, []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION"}, []string{"retrieve_from_aws_kb"}},
	{"Google Drive", "TypeScript", "node", "modelcontextprotocol/servers", 2, []string{"GDRIVE_CREDENTIALS_PATH"}, []string{"search", "read_file"}},
	{"Google Maps", "TypeScript", "node", "modelcontextprotocol/servers", 6, []string{"GOOGLE_MAPS_API_KEY"}, []string{"maps_geocode", "maps_search_places", "maps_directions", "maps_distance_matrix"}},
	{"Redis", "Python", "python", "redis/mcp-redis", 1, []string{"REDIS_URL"}, []string{"get", "set", "delete", "scan_keys", "hgetall"}},
	{"MongoDB", "TypeScript", "node", "mongodb-js/mongodb-mcp-server", 1, []string{"MDB_MCP_CONNECTION_STRING"}, []string{"find", "aggregate", "count", "list_collections", "insert_many"}},
	{"Docker", "Go", "go", "docker/mcp-servers", 4, nil, []string{"list_containers", "create_container", "run_container", "fetch_container_logs"}},
	{"Kubernetes", "Go", "go", "containers/kubernetes-mcp-server", 4, []string{"KUBECONFIG"}, []string{"pods_list", "pods_get", "pods_log", "resources_create_or_update", "events_list"}},
	{"Grafana", "Go", "go", "grafana/mcp-grafana", 7, []string{"GRAFANA_URL", "GRAFANA_API_KEY"}, []string{"search_dashboards", "query_prometheus", "query_loki_logs", "list_alert_rules"}},
	{"Figma", "TypeScript", "node", "GLips/Figma-Context-MCP", 9, []string{"FIGMA_API_KEY"}, []string{"get_figma_data", "download_figma_images"}},
	{"Obsidian", "Python", "python", "MarkusPfundstein/mcp-obsidian", 2, []string{"OBSIDIAN_API_KEY"}, []string{"list_files_in_vault", "get_file_contents", "search", "append_content"}},
	{"Airtable", "TypeScript", "node", "domdomegg/airtable-mcp-server", 7, []string{"AIRTABLE_API_KEY"}, []string{"list_bases", "list_records", "create_record", "update_records"}},
	{"HubSpot", "TypeScript", "node", "HubSpot/mcp-server", 3, []string{"PRIVATE_APP_ACCESS_TOKEN"}, []string{"search_contacts", "create_contact", "list_deals"}},
	{"Elasticsearch", "TypeScript", "node", "elastic/mcp-server-elasticsearch", 1, []string{"ES_URL", "ES_API_KEY"}, []string{"list_indices", "get_mappings", "search", "get_shards"}},
	{"Qdrant", "Python", "python", "qdrant/mcp-server-qdrant", 5, []string{"QDRANT_URL", "COLLECTION_NAME"}, []string{"qdrant-store", "qdrant-find"}},
	{"Supabase", "TypeScript", "node", "supabase-community/supabase-mcp", 1, []string{"SUPABASE_ACCESS_TOKEN"}, []string{"list_projects", "execute_sql", "apply_migration", "get_logs"}},
	{"Vercel", "TypeScript", "node", "vercel/mcp-adapter", 4, []string{"VERCEL_TOKEN"}, []string{"list_deployments", "get_deployment", "list_projects"}},
	{"Discord", "Python", "python", "hanweg/mcp-discord", 3, []string{"DISCORD_TOKEN"}, []string{"send_message", "read_messages", "list_servers"}},
	{"Telegram", "Go", "go", "chaindead/telegram-mcp", 3, []string{"TG_APP_ID", "TG_API_HASH"}, []string{"tg_dialogs", "tg_send", "tg_read"}},
	{"YouTube Transcript", "Python", "python", "jkawamoto/mcp-youtube-transcript", 6, nil, []string{"get_transcript"}},
	{"ArXiv", "Python", "python", "blazickjp/arxiv-mcp-server", 5, nil, []string{"search_papers", "download_paper", "read_paper"}},
	{"DeepL", "TypeScript", "node", "DeepLcom/deepl-mcp-server", 11, []string{"DEEPL_API_KEY"}, []string{"translate_text", "rephrase_text", "get_source_languages"}},
	{"Home Assistant", "Python", "python", "voska/hass-mcp", 11, []string{"HA_URL", "HA_TOKEN"}, []string{"get_entity", "entity_action", "list_automations"}},
	{"Semgrep", "Python", "python", "semgrep/mcp", 8, []string{"SEMGREP_APP_TOKEN"}, []string{"security_check", "semgrep_scan", "get_supported_languages"}},
	{"Vault", "Rust", "rust", "hashicorp/vault-mcp-server", 8, []string{"VAULT_ADDR", "VAULT_TOKEN"}, []string{"read_secret", "list_secrets", "write_secret"}},
	{"Snowflake", "Java", "java", "Snowflake-Labs/mcp", 7, []string{"SNOWFLAKE_ACCOUNT", "SNOWFLAKE_USER", "SNOWFLAKE_PRIVATE_KEY"}, []string{"run_query", "list_schemas", "describe_table"}},
	{"Azure DevOps", "C#", "dotnet", "microsoft/azure-devops-mcp", 0, []string{"AZDO_ORG_URL", "AZDO_PAT"}, []string{"list_work_items", "create_work_item", "list_pipelines", "run_pipeline"}},
}

var serverVariants = []string{"%s", "%s MCP", "%s (community)", "%s Pro", "Acme %s", "%s Lite", "%s — self-hosted", "%s 日本語版", "%s Connector", "%s Bridge"}

func (g *gen) genServers() {
	n := max(10, int(math.Sqrt(float64(g.rows))/4))
	seen := map[string]bool{}
	nUsers := len(g.users) // teams[nUsers:] are the shared teams
	for i := range n {
		base := &serverBases[i%len(serverBases)]
		variant := serverVariants[(i/len(serverBases))%len(serverVariants)]
		nm := fmt.Sprintf(variant, base.name)
		if i >= len(serverBases)*len(serverVariants) {
			nm += " " + strconv.Itoa(i/(len(serverBases)*len(serverVariants))+1)
		}
		s := &server{id: g.uuid(), name: nm, base: base, slug: unique(seen, slugify(nm), "-"), ownerTeam: -1}
		s.created = g.between(winStart+14*day, winEnd-90*day)
		visibility := "global"
		var owner, createdBy any
		if i >= len(serverBases) && g.chance(0.2) {
			visibility = "team"
			s.ownerTeam = nUsers + g.r.IntN(len(g.teams)-nUsers)
			t := g.teams[s.ownerTeam]
			owner = t.id
			s.created = g.between(t.created+hour, max(t.created+hour+1, winEnd-60*day))
			createdBy = g.users[g.member(t, s.created)].id
		} else if g.chance(0.7) {
			adm := g.admins[g.r.IntN(len(g.admins))]
			createdBy = g.users[adm].id
			s.created = max(s.created, g.users[adm].created+hour)
		}
		g.servers = append(g.servers, s)

		status := "active"
		if x := g.r.Float64(); x < 0.08 {
			status = "deprecated"
		} else if x < 0.12 {
			status = "maintenance"
		}
		var longDesc, gh, cat, tags, env, meta any
		switch {
		case g.chance(0.3):
		case g.chance(0.2):
			longDesc = g.markdown(nm, 6000+g.r.IntN(10000))
		default:
			longDesc = g.markdown(nm, 600+g.r.IntN(2000))
		}
		if g.chance(0.85) {
			gh = "https://github.com/" + base.repo
		}
		if g.chance(0.9) {
			cat = g.categories[base.cat]
		}
		if g.chance(0.85) { // NULL tags: the importer must write '[]'
			tg := []string{strings.ToLower(base.lang), base.runtime}
			if g.chance(0.3) {
				tg = append(tg, pick(g, []string{"official", "community", "beta", "read-only", "日本語", "données", "🔥 hot"}))
			}
			if g.chance(0.05) {
				tg = []string{}
			}
			tags = jsonStrings(tg)
		}
		if len(base.env) > 0 && g.chance(0.9) {
			b := []byte{'['}
			for j, e := range base.env {
				if j > 0 {
					b = append(b, ',')
				}
				o := g.obj().str("name", e).str("description", "Value of "+e+" — "+pick(g, sentences)).
					bool("required", j == 0 || g.chance(0.5)).
					str("type", pick(g, []string{"string", "secret", "url"}))
				if g.chance(0.2) {
					o.str("default", "")
				}
				b = append(b, g.done(o)...)
			}
			env = string(append(b, ']'))
		} else if g.chance(0.3) {
			env = "[]"
		}
		if g.chance(0.6) {
			o := g.obj().str("version", fmt.Sprintf("%d.%d.%d", g.r.IntN(3), g.r.IntN(20), g.r.IntN(10))).
				str("license", pick(g, []string{"MIT", "Apache-2.0", "BSD-3-Clause", "AGPL-3.0"})).
				num("stars", int64(g.r.IntN(40000))).
				raw("tools", jsonStrings(base.tools))
			if g.chance(0.3) {
				o.raw("install", `{"command":"npx","args":["-y","@modelcontextprotocol/server-`+s.slug+`"]}`).null("homepage")
			}
			if g.chance(0.1) {
				o.str("notes", g.text(500))
			}
			meta = g.done(o)
		}
		desc := pick(g, sentences)
		if g.chance(0.2) {
			desc = nm + " " + pick(g, emojis) + " — " + desc
		}
		g.t.servers.add(s.id, nm, s.slug, desc, longDesc, gh, base.lang, base.runtime, status, visibility, owner, cat,
			tags, env, meta, boolInt(g.chance(0.08)), createdBy, s.created, g.between(s.created, winEnd-day))
	}
}

var regions = []string{"eu-central-1", "eu-west-1", "us-east-1", "us-west-2", "ap-northeast-1", "ap-southeast-2", "sa-east-1"}

var satVersions = []string{"0.8.4", "0.9.0", "0.9.3", "1.0.0", "1.1.2", "1.2.0", "1.3.1", "1.4.0", "1.5.3", "1.6.2"}

// versionAt is the satellite version most installations ran at t.
func versionAt(t int64) string {
	i := int((t - winStart) * int64(len(satVersions)) / (winEnd - winStart))
	return satVersions[min(max(i, 0), len(satVersions)-1)]
}

func (g *gen) genSatellites() {
	nGlobal := min(8, max(2, int(math.Sqrt(float64(g.rows))/200)))
	add := func(s *satellite, name, url string, region any, createdBy int) {
		g.sats = append(g.sats, s)
		s.status = "active"
		switch x := g.r.Float64(); {
		case x < 0.12:
			s.status = "inactive"
		case x < 0.17:
			s.status = "maintenance"
		case x < 0.21:
			s.status = "error"
		}
		s.hbFrom = s.created + minute
		switch s.status {
		case "active":
			s.hbTo = winEnd - g.between(0, 2*minute)
		case "maintenance":
			s.hbTo = winEnd - g.between(hour, 2*day)
		case "error":
			s.hbTo = winEnd - g.between(10*minute, day)
		default:
			s.hbTo = g.between(s.hbFrom+day, winEnd-7*day)
			if s.team >= 0 && g.chance(0.3) {
				s.hbTo = 0 // never connected
			}
		}
		s.hbTo = max(min(s.hbTo, winEnd-1), 0)
		typ := "global"
		var teamID, version, sysInfo any
		if s.team >= 0 {
			typ = "team"
			teamID = g.teams[s.team].id
		}
		if s.hbTo > s.hbFrom {
			version = versionAt(s.hbTo)
		}
		if s.hbTo > s.hbFrom && g.chance(0.85) { // old satellites did not report it
			sysInfo = g.done(g.obj().str("os", pick(g, []string{"linux", "linux", "darwin", "windows"})).
				str("arch", pick(g, []string{"x64", "arm64"})).
				str("node_version", pick(g, []string{"v18.19.1", "v20.11.1", "v22.3.0"})).
				num("cpu_cores", int64(pick(g, []int{2, 4, 8, 16}))).
				num("memory_total_mb", int64(pick(g, []int{2048, 4096, 8192, 16384, 32768}))).
				str("hostname", slugify(name)+"-"+g.hexStr(3)))
		}
		if s.hbTo <= s.hbFrom {
			s.hbTo = 0
		}
		// last_heartbeat is filled in from the heartbeats at the end.
		g.t.satellites.add(s.id, name, typ, teamID, s.status, url, region, version, sysInfo, nil,
			g.users[createdBy].id, s.created, s.created+g.r.Int64N(day))
	}
	for i := range nGlobal {
		region := regions[i%len(regions)]
		s := &satellite{id: g.uuid(), team: -1}
		adm := g.admins[g.r.IntN(len(g.admins))]
		s.created = g.users[adm].created + hour + int64(i)*g.between(day, 20*day)
		add(s, "Global satellite "+region, fmt.Sprintf("https://sat-%s-%d.deploystack.io", region, i/len(regions)+1), region, adm)
	}
	for ti, t := range g.teams {
		p := 0.02
		if !t.isDefault {
			p = 0.5
		}
		for k := 0; k < 2 && g.chance(p); k++ {
			s := &satellite{id: g.uuid(), team: ti}
			s.created = g.between(t.created+hour, max(t.created+hour+1, min(t.created+90*day, winEnd-3*day)))
			var region any
			if g.chance(0.7) {
				region = pick(g, regions)
			}
			var url string
			switch g.r.IntN(3) {
			case 0:
				url = fmt.Sprintf("http://10.0.%d.%d:3001", g.r.IntN(256), 1+g.r.IntN(254))
			case 1:
				url = "https://mcp." + t.slug + ".internal:8443"
			default:
				url = "http://satellite-" + t.slug + ".local:3001"
			}
			nm := t.name + " satellite"
			if k > 0 || g.chance(0.3) {
				nm = fmt.Sprintf("%s satellite #%d %s", t.name, k+1, pick(g, emojis))
			}
			t.sats = append(t.sats, len(g.sats))
			add(s, nm, url, region, g.member(t, s.created))
		}
	}
}

func (g *gen) genInstallations() {
	globalSats := []int{}
	for i, s := range g.sats {
		if s.team < 0 {
			globalSats = append(globalSats, i)
		}
	}
	// Teams install global servers and their own team servers.
	globalServers := []int{}
	teamServers := map[int][]int{}
	for i, s := range g.servers {
		if s.ownerTeam < 0 {
			globalServers = append(globalServers, i)
		} else {
			teamServers[s.ownerTeam] = append(teamServers[s.ownerTeam], i)
		}
	}
	for ti, t := range g.teams {
		k := g.r.IntN(3)
		if !t.isDefault {
			k = 2 + g.r.IntN(11)
		}
		used := map[int]bool{}
		own := teamServers[ti]
		var live []int // the team's satellites that ever connected
		for _, si := range t.sats {
			if g.sats[si].hbTo > 0 {
				live = append(live, si)
			}
		}
		for range k {
			si := globalServers[g.r.IntN(len(globalServers))]
			if len(own) > 0 && g.chance(0.4) {
				si = own[g.r.IntN(len(own))]
			}
			s := g.servers[si]
			in := &install{id: g.uuid(), team: ti, server: si}
			in.name = s.name
			if used[si] || g.chance(0.25) {
				in.name = s.name + " (" + pick(g, []string{"prod", "staging", "読み取り専用", "écriture", "test 🧪", "EU"}) + ")"
			}
			used[si] = true
			in.created = g.between(max(t.created, s.created)+minute, winEnd-20*day)
			if len(live) > 0 && g.chance(0.8) {
				in.sat = live[g.r.IntN(len(live))]
			} else {
				in.sat = globalSats[g.r.IntN(len(globalSats))]
			}
			in.avail = max(in.created, g.sats[in.sat].created) + minute
			in.weight = math.Pow(1-g.r.Float64(), -0.8) // heavy tail: a few very busy installations
			g.installs = append(g.installs, in)

			var userEnv any
			if env := s.base.env; len(env) > 0 && g.chance(0.8) {
				o := g.obj()
				for _, e := range env {
					switch {
					case strings.Contains(e, "URL"):
						o.str(e, "https://"+t.slug+".example.com/api")
					case g.chance(0.1):
						o.str(e, "")
					default:
						o.str(e, pick(g, []string{"ghp_", "sk_live_", "xoxb-", "", "tok-"})+g.alnumID(24))
					}
				}
				userEnv = g.done(o)
			} else if g.chance(0.2) {
				userEnv = "{}"
			}
			typ := "local"
			if g.chance(0.3) {
				typ = "cloud"
			}
			var lastUsed any
			if g.chance(0.8) {
				lastUsed = g.between(in.created, winEnd-1)
			}
			g.t.installs.add(in.id, t.id, s.id, g.users[g.member(t, in.created)].id, in.name, typ, userEnv,
				in.created, g.between(in.created, winEnd-day), lastUsed)
		}
	}
	slices.SortStableFunc(g.installs, func(a, b *install) int { return cmp.Compare(a.avail, b.avail) })
}

var crashMessages = []string{
	"Process exited with code 1: Error: Cannot find module '@modelcontextprotocol/sdk/server/index.js'",
	"spawn npx ENOENT",
	"OOMKilled: memory limit of 512 MiB exceeded",
	"Health check failed 3 times in a row (timeout after 5000 ms)",
	"Traceback (most recent call last):\n  File \"/app/server.py\", line 42, in <module>\n    main()\nKeyError: 'GITHUB_PERSONAL_ACCESS_TOKEN'",
	"panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a1b2c]",
	"Ungültige Konfiguration: Umgebungsvariable „DATABASE_URL“ fehlt",
}

func (g *gen) genProcesses() {
	for _, in := range g.installs {
		if !g.chance(0.6) {
			continue
		}
		s := g.sats[in.sat]
		t := g.teams[in.team]
		runs := 1
		if g.chance(0.2) {
			runs = 2 + g.r.IntN(3)
		}
		start := g.between(in.avail, winEnd-10*day)
		for r := range runs {
			last := r == runs-1
			status := "stopped"
			if !last {
				status = pick(g, []string{"stopped", "crashed"})
			} else {
				switch x := g.r.Float64(); {
				case x < 0.55:
					status = "running"
				case x < 0.6:
					status = "starting"
				case x < 0.64:
					status = "stopping"
				case x < 0.9:
					status = "stopped"
				default:
					status = "crashed"
				}
			}
			if s.status != "active" && (status == "running" || status == "starting") {
				status = "stopped"
			}
			var health, stopped, errMsg any
			switch status {
			case "running":
				health = pick(g, []any{"healthy", "healthy", "healthy", "unhealthy", "unknown"})
			case "starting":
				health = pick(g, []any{"unknown", nil})
			case "stopping":
				health = pick(g, []any{"healthy", "unknown", nil})
			case "stopped":
				health = pick(g, []any{nil, "unknown"})
			case "crashed":
				health = "unhealthy"
				errMsg = pick(g, crashMessages)
			}
			end := g.between(start+minute, min(start+30*day, winEnd-day))
			if status == "stopped" || status == "crashed" {
				stopped = end
			}
			procID := fmt.Sprintf("%s-%s-%s", slugify(g.servers[in.server].base.name), t.slug, g.hexStr(4))
			g.t.processes.add(g.uuid(), s.id, in.id, t.id, procID, status, health, start, stopped, errMsg,
				int64(g.r.IntN(3)*g.r.IntN(4)), start, end)
			start = end + g.between(minute, day)
			if start >= winEnd-day {
				break
			}
		}
	}
}

// ---------------------------------------------------------------------------
// OAuth and the plugin table.

func (g *gen) genOAuth() {
	n := min(25, max(3, int(math.Sqrt(float64(g.rows))/100)))
	names := []string{"DeployStack Gateway", "VS Code", "Claude Desktop", "Cursor", "Windsurf", "Zed", "MCP Inspector",
		"Mein CLI-Client ✨", "社内ツール", "n8n", "Raycast", "Continue.dev", "JetBrains AI Assistant"}
	scopes := []string{"mcp:read mcp:tools:execute offline_access", "mcp:read", "mcp:read mcp:tools:execute", "mcp:read offline_access"}
	type client struct {
		id      string
		created int64
		scope   string
	}
	clients := make([]client, n)
	for i := range clients {
		c := &clients[i]
		c.id = "mcp_client_" + g.alnumID(22)
		c.created = g.between(winStart+300*day, winEnd-200*day)
		c.scope = scopes[g.r.IntN(len(scopes))]
		nm := names[i%len(names)]
		if i >= len(names) {
			nm += " " + strconv.Itoa(i/len(names)+1)
		}
		var uris []string
		switch g.r.IntN(4) {
		case 0:
			uris = []string{fmt.Sprintf("http://localhost:%d/oauth/callback", 3000+g.r.IntN(6000))}
		case 1:
			uris = []string{"http://127.0.0.1:8976/callback", "http://localhost:8976/callback"}
		case 2:
			uris = []string{"vscode://deploystack.gateway/oauth/callback"}
		default:
			uris = []string{"https://app.example.com/oauth/callback?tenant=é", "cursor://anysphere.cursor-retrieval/oauth/callback"}
		}
		grants := []string{"authorization_code", "refresh_token"}
		if g.chance(0.15) {
			grants = []string{"authorization_code"}
		}
		g.t.clients.add(c.id, nm, jsonStrings(uris), jsonStrings(grants), c.scope, c.created)
	}
	seenHash := map[string]bool{}
	hash := func() string { // sha256 hex digests of random tokens
		for {
			h := g.hexStr(32)
			if !seenHash[h] {
				seenHash[h] = true
				return h
			}
		}
	}
	for range len(g.users) * 2 {
		c := clients[g.r.IntN(n)]
		from := max(c.created, winStart)
		created := g.between(from, winEnd-31*day)
		u := g.users[g.userBefore(created)]
		created = max(created, u.created+minute)
		id := g.uuid()
		revoked := g.chance(0.1)
		g.t.access.add(id, hash(), c.id, u.id, c.scope, (created+hour)*1000+g.r.Int64N(1000), boolInt(revoked), created)
		if g.chance(0.75) {
			var accessID any = id
			if g.chance(0.15) {
				accessID = nil // rotated: the access token is gone
			}
			g.t.refresh.add(g.uuid(), hash(), accessID, c.id, u.id, (created+30*day)*1000+g.r.Int64N(1000),
				boolInt(revoked || g.chance(0.05)), created)
		}
	}
}

func (g *gen) genPlugin() {
	n := max(3, int(math.Sqrt(float64(g.rows))/10))
	words := []string{"Beispiel", "Example", "Exemple", "例", "ejemplo", "Пример", "🧩 Widget", "Ωmega", "Entity"}
	for i := range n {
		var desc any
		if g.chance(0.6) {
			desc = g.text(30 + g.r.IntN(300))
			if g.chance(0.1) {
				desc = g.text(3000)
			}
		}
		g.t.plugin.add(int64(i+1), fmt.Sprintf("%s %d", pick(g, words), i+1), desc, g.between(winStart+200*day, winEnd-1))
	}
}

// ---------------------------------------------------------------------------
// The append-only tables.

func (g *gen) genHeartbeats(n int64) {
	var total float64
	live := []int{}
	for i, s := range g.sats {
		if s.hbTo > s.hbFrom {
			live = append(live, i)
			total += float64(s.hbTo - s.hbFrom)
		}
	}
	if len(live) == 0 {
		return // cannot happen: global satellites always report
	}
	var assigned int64
	for _, i := range live {
		s := g.sats[i]
		s.hbCount = int(float64(n) * float64(s.hbTo-s.hbFrom) / total)
		assigned += int64(s.hbCount)
	}
	for k := 0; assigned < n; k++ {
		g.sats[live[k%len(live)]].hbCount++
		assigned++
	}
	for _, i := range live {
		s := g.sats[i]
		step := float64(s.hbTo-s.hbFrom) / float64(s.hbCount)
		procs := 1 + g.r.IntN(20)
		for k := range s.hbCount {
			at := s.hbFrom + int64((float64(k)+g.r.Float64())*step)
			status := "active"
			switch x := g.r.Float64(); {
			case x < 0.015:
				status = "error"
			case x < 0.025:
				status = "maintenance"
			case x < 0.027:
				status = "inactive"
			}
			if k == s.hbCount-1 && s.status != "inactive" {
				status = s.status
			}
			if g.chance(0.01) {
				procs = max(0, procs+g.r.IntN(5)-2)
			}
			errs := 0
			if status == "error" || g.chance(0.03) {
				errs = 1 + g.r.IntN(5)
			}
			o := g.obj().float("cpu_percent", round1(g.r.Float64()*100)).
				num("memory_used_mb", int64(200+g.r.IntN(4000))).
				float("memory_percent", round1(10+g.r.Float64()*80)).
				float("disk_percent", round1(20+g.r.Float64()*70)).
				num("uptime_seconds", at-s.hbFrom).
				raw("load_avg", fmt.Sprintf("[%.2f,%.2f,%.2f]", g.r.Float64()*4, g.r.Float64()*4, g.r.Float64()*4))
			var version any = versionAt(at)
			if g.chance(0.03) {
				version = nil
			}
			g.t.heartbeats.add(g.uuid(), s.id, status, g.done(o), int64(procs), int64(errs), version, at)
		}
	}
}

var execErrors = []string{
	"Tool execution timed out after 30000ms",
	"connect ECONNREFUSED 127.0.0.1:5432",
	"Rate limit exceeded (HTTP 429). Retry after 60s.",
	"Invalid arguments: 'path' must be a string",
	"Permission denied: /etc/shadow",
	"GitHub API error: 404 Not Found — https://api.github.com/repos/acme/private-repo",
	"MCP error -32602: Invalid params",
	"MCP error -32603: Internal error\n    at Server.handleRequest (/app/node_modules/@modelcontextprotocol/sdk/dist/server/index.js:213:15)\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
	"Fehler: Zeitüberschreitung beim Verbinden mit dem Server",
	"認証に失敗しました (401 Unauthorized)",
	"Satellite lost connection to process (exit code 137)",
}

var argQueries = []string{"deploystack", "stackdb migration", "café au lait", "Ошибка 500", "東京 weather", "why is prod slow? 🐢", "SELECT * FROM users LIMIT 10", "invoice #4711", "\"quoted\" search", "path\\with\\backslashes", "line1\nline2"}

func (g *gen) execArgs(tool string) string {
	o := g.obj()
	switch {
	case strings.Contains(tool, "file") || strings.Contains(tool, "directory"):
		o.str("path", pick(g, []string{"/workspace/src/main.go", "/home/élodie/Documents/résumé.md", "C:\\Users\\dev\\project\\README.md", "/data/报告/2025-Q1.csv", "./notes 📝.txt"}))
		if g.chance(0.3) {
			o.str("content", g.text(80+g.r.IntN(2000)))
		}
	case strings.Contains(tool, "query") || strings.Contains(tool, "sql"):
		o.str("sql", pick(g, []string{"SELECT count(*) FROM orders WHERE created_at > now() - interval '1 day'", "SELECT id, name FROM customers WHERE name ILIKE '%müller%'", "EXPLAIN ANALYZE SELECT 1"}))
		if g.chance(0.3) {
			o.raw("params", `[1,"two",null,true]`)
		}
	case strings.Contains(tool, "issue") || strings.Contains(tool, "pull"):
		o.str("owner", pick(g, []string{"deploystack", "acme", "ünïcode-org"})).str("repo", pick(g, []string{"stackdb", "gateway", "docs"}))
		o.num("issue_number", int64(1+g.r.IntN(5000)))
		if g.chance(0.3) {
			o.str("body", g.text(200+g.r.IntN(1500)))
		}
	case strings.Contains(tool, "message") || strings.Contains(tool, "post") || strings.Contains(tool, "send"):
		o.str("channel", pick(g, []string{"#general", "#ops-🔥", "#équipe", "C024BE91L"})).str("text", g.text(20+g.r.IntN(300)))
	default:
		o.str("query", pick(g, argQueries))
		if g.chance(0.5) {
			o.num("limit", int64(pick(g, []int{5, 10, 20, 50, 100})))
		}
		if g.chance(0.2) {
			o.raw("filters", `{"since":"2024-01-01","tags":["a","b"],"nested":{"deep":[1,2.5,{"x":null}]}}`)
		}
		if g.chance(0.05) {
			return "{}"
		}
	}
	return g.done(o)
}

func (g *gen) genExecutions(n int64) {
	ins := g.installs
	cum := make([]float64, len(ins))
	var c float64
	for i, in := range ins {
		c += in.weight
		cum[i] = c
	}
	from, to := ins[0].avail*1000, (winEnd-hour)*1000
	id := 1 + g.r.Int64N(5000) // older rows were swept
	k := 0
	for i := range n {
		at := int64(g.growth(i, n, from, to))
		for k < len(ins) && ins[k].avail*1000 <= at {
			k++
		}
		j, _ := slices.BinarySearch(cum[:max(k, 1)], g.r.Float64()*cum[max(k, 1)-1])
		in := ins[min(j, max(k, 1)-1)]
		t := g.teams[in.team]
		s := g.servers[in.server]
		tool := pick(g, s.base.tools)
		var userID any
		if !g.chance(0.04) {
			userID = g.users[g.member(t, at/1000)].id
		}
		success := !g.chance(0.06)
		var errText any
		var dur int64
		if success {
			dur = int64(math.Exp(5 + g.r.NormFloat64()*1.1))
		} else {
			e := pick(g, execErrors)
			errText = e
			if strings.Contains(e, "timed out") {
				dur = 30000 + g.r.Int64N(50)
			} else {
				dur = int64(math.Exp(3 + g.r.NormFloat64()))
			}
		}
		var args any
		if g.chance(0.9) {
			args = g.execArgs(tool)
		}
		g.t.executions.add(id, g.sats[in.sat].id, t.id, userID, s.slug, tool, min(dur, 600_000), boolInt(success), errText, args, at)
		id++
		if g.chance(0.002) {
			id += 1 + g.r.Int64N(500) // a gap
		}
	}
}

// metricPair is one (team, satellite) series of 5-minute buckets.
type metricPair struct {
	first, last   int64 // bucket indexes
	cur           int64
	rem, avgGap   int64
	scale         float64
	idx           int
	teamID, satID string
}

type pairHeap []*metricPair

func (h pairHeap) Len() int { return len(h) }
func (h pairHeap) Less(i, j int) bool {
	if h[i].cur != h[j].cur {
		return h[i].cur < h[j].cur
	}
	return h[i].idx < h[j].idx
}
func (h pairHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *pairHeap) Push(x any)   { *h = append(*h, x.(*metricPair)) }
func (h *pairHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func (g *gen) genMetrics(n int64) {
	const bucket = 5 * minute
	last := (winEnd-1)/bucket - 1
	var pairs []*metricPair
	byKey := map[[2]int]*metricPair{}
	var total float64
	for _, in := range g.installs { // sorted by avail: pairs in order of first activity
		key := [2]int{in.team, in.sat}
		p := byKey[key]
		if p == nil {
			p = &metricPair{first: in.avail/bucket + 1, last: last, idx: len(pairs)}
			p.teamID, p.satID = g.teams[in.team].id, g.sats[in.sat].id
			byKey[key] = p
			pairs = append(pairs, p)
		}
		p.scale += in.weight
		total += in.weight
	}
	// Counts proportional to activity, capped at the buckets available.
	var assigned int64
	for _, p := range pairs {
		p.last = max(p.last, p.first-1) // no room: no buckets
		p.rem = min(int64(float64(n)*p.scale/total), p.last-p.first+1)
		assigned += p.rem
	}
	for assigned < n {
		progress := false
		for _, p := range pairs {
			if assigned < n && p.rem < p.last-p.first+1 {
				p.rem++
				assigned++
				progress = true
			}
		}
		if !progress {
			break
		}
	}
	h := pairHeap{}
	for _, p := range pairs {
		if p.rem == 0 {
			continue
		}
		span := p.last - p.first + 1
		p.avgGap = max(1, span/p.rem)
		p.cur = p.first + g.r.Int64N(min(p.avgGap, span-p.rem+1))
		h = append(h, p)
	}
	heap.Init(&h)
	id := 1 + g.r.Int64N(1000)
	for h.Len() > 0 {
		p := h[0]
		calls := int64(1 + math.Exp(g.r.NormFloat64()*1.2+1.5)*p.scale/(p.scale+1))
		errs := int64(0)
		if g.chance(0.3) {
			errs = g.r.Int64N(calls/4 + 1)
		}
		g.t.metrics.add(id, p.teamID, p.satID, p.cur*bucket, int64(5), calls, errs, calls*int64(math.Exp(5+g.r.NormFloat64()*0.7)))
		id++
		if g.chance(0.001) {
			id += 1 + g.r.Int64N(100)
		}
		p.rem--
		if p.rem == 0 {
			heap.Pop(&h)
			continue
		}
		room := p.last - p.cur - p.rem + 1 // largest gap that leaves room for the rest
		p.cur += 1 + g.r.Int64N(max(1, min(room, 2*p.avgGap-1)))
		heap.Fix(&h, 0)
	}
}

type auditAction struct {
	action, target string
	team           bool
	weight         int
}

var auditActions = []auditAction{
	{"auth.login", "user", false, 30}, {"auth.logout", "user", false, 8}, {"auth.login_failed", "", false, 4},
	{"auth.password_changed", "user", false, 1}, {"user.created", "user", false, 1}, {"user.updated", "user", false, 2},
	{"user.role_changed", "user", false, 1}, {"team.created", "team", true, 1}, {"team.updated", "team", true, 2},
	{"team.member_added", "user", true, 3}, {"team.member_removed", "user", true, 1},
	{"mcp.installation.created", "mcp_installation", true, 6}, {"mcp.installation.updated", "mcp_installation", true, 8},
	{"mcp.installation.deleted", "mcp_installation", true, 2}, {"mcp.server.created", "mcp_server", false, 1},
	{"mcp.server.updated", "mcp_server", false, 2}, {"satellite.registered", "satellite", true, 1},
	{"satellite.status_changed", "satellite", true, 4}, {"settings.updated", "global_setting", false, 1},
	{"oauth.token.issued", "oauth_client", false, 10}, {"oauth.token.revoked", "oauth_client", false, 1},
	{"team.export", "", true, 1},
}

var userAgents = []string{
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:126.0) Gecko/20100101 Firefox/126.0",
	"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
	"DeployStack-Gateway/1.4.2 (darwin; arm64)",
	"DeployStack-Gateway/1.2.0 (linux; x64) node/20.11.1",
	"curl/8.4.0",
	"python-requests/2.31.0",
}

func (g *gen) genAudit(n int64) {
	var wsum int
	for _, a := range auditActions {
		wsum += a.weight
	}
	from, to := winStart+3*day, winEnd-minute
	id := 1 + g.r.Int64N(20000)
	for i := range n {
		at := int64(g.growth(i, n, from, to))
		x := g.r.IntN(wsum)
		var a auditAction
		for _, a = range auditActions {
			if x < a.weight {
				break
			}
			x -= a.weight
		}
		ui := g.userBefore(at)
		u := g.users[ui]
		var actor, teamID, targetType, targetID, ip, ua, meta any
		actor = u.id
		if g.chance(0.03) {
			actor = nil // system, or the user was deleted
		}
		var tm *team
		if a.team {
			tm = g.teams[u.teams[0]]
			if len(u.teams) > 1 && g.chance(0.6) {
				if c := g.teams[pick(g, u.teams)]; c.created <= at {
					tm = c
				}
			}
			teamID = tm.id
		}
		switch a.target {
		case "":
		case "user":
			targetType, targetID = "user", u.id
			if a.team {
				targetID = g.users[pick(g, tm.members)].id
			}
		case "team":
			targetType, targetID = "team", tm.id
		case "mcp_installation":
			targetType, targetID = a.target, pick(g, g.installs).id
		case "mcp_server":
			targetType, targetID = a.target, pick(g, g.servers).id
		case "satellite":
			targetType, targetID = a.target, pick(g, g.sats).id
		case "global_setting":
			targetType, targetID = a.target, pick(g, []string{"smtp.host", "global.enable_login", "security.session_ttl_days"})
		case "oauth_client":
			targetType, targetID = a.target, "mcp_client_"+g.alnumID(22)
		}
		if g.chance(0.9) {
			if g.chance(0.8) {
				ip = fmt.Sprintf("%d.%d.%d.%d", 1+g.r.IntN(223), g.r.IntN(256), g.r.IntN(256), 1+g.r.IntN(254))
			} else {
				ip = fmt.Sprintf("2001:db8:%x:%x::%x", g.r.IntN(65536), g.r.IntN(65536), 1+g.r.IntN(65535))
			}
		}
		if g.chance(0.85) {
			ua = pick(g, userAgents)
		}
		if g.chance(0.6) {
			o := g.obj().str("method", pick(g, []string{"POST", "PUT", "PATCH", "DELETE", "GET"})).
				str("path", "/api/"+strings.ReplaceAll(a.action, ".", "/"))
			switch {
			case strings.HasPrefix(a.action, "auth.login"):
				o.str("provider", pick(g, []string{"email", "github"}))
				if a.action == "auth.login_failed" {
					o.str("reason", pick(g, []string{"invalid_password", "unknown_email", "rate_limited"})).str("email", u.email)
				}
			case strings.HasSuffix(a.action, "updated"):
				o.raw("changes", `{"name":{"from":"old","to":"Nouveau nom — 新しい名前 ✅"},"enabled":{"from":false,"to":true}}`)
			case a.action == "team.export":
				o.num("rows", int64(g.r.IntN(100000))).str("format", "csv")
			}
			if g.chance(0.05) {
				o.str("note", g.text(1000+g.r.IntN(3000)))
			}
			meta = g.done(o)
		}
		g.t.audit.add(id, actor, teamID, a.action, targetType, targetID, ip, ua, meta, at)
		id++
		if g.chance(0.001) {
			id += 1 + g.r.Int64N(1000)
		}
	}
}

var jobTypes = []string{"send_email", "sync_github_repository", "satellite_config_push", "mcp_catalog_sync", "aggregate_team_metrics", "cleanup_expired_sessions"}

func (g *gen) jobPayload(typ string, at int64) string {
	o := g.obj()
	switch typ {
	case "send_email":
		u := g.users[g.userBefore(at)]
		o.str("to", u.email).str("template", pick(g, []string{"welcome", "password_reset", "team_invitation", "verify_email"})).
			str("locale", pick(g, []string{"en-US", "de-DE", "fr-FR", "ja-JP", "pt-BR"}))
		if g.chance(0.3) {
			o.raw("variables", `{"name":"Zoë","team":"Équipe Démo 🚀","url":"https://cloud.deploystack.io/invite?token=abc"}`)
		}
	case "sync_github_repository":
		s := pick(g, g.servers)
		o.str("server_id", s.id).str("repository", s.base.repo).str("ref", pick(g, []string{"main", "master", "v1.2.0"}))
	case "satellite_config_push":
		s := pick(g, g.sats)
		o.str("satellite_id", s.id).num("config_version", int64(1+g.r.IntN(400)))
	case "mcp_catalog_sync":
		o.str("source", "official-registry").num("page", int64(1+g.r.IntN(40))).num("page_size", 100)
	case "aggregate_team_metrics":
		o.str("team_id", pick(g, g.teams).id).num("bucket_start", (at/300-1)*300)
	}
	return g.done(o)
}

func (g *gen) jobResult(typ string) any {
	if g.chance(0.3) {
		return nil
	}
	o := g.obj()
	switch typ {
	case "send_email":
		o.str("messageId", "<"+g.hexStr(8)+"@mg.deploystack.io>").bool("accepted", true)
	case "mcp_catalog_sync":
		o.num("created", int64(g.r.IntN(20))).num("updated", int64(g.r.IntN(100))).num("skipped", int64(g.r.IntN(5)))
	default:
		o.bool("ok", true).num("duration_ms", int64(g.r.IntN(5000)))
	}
	return g.done(o)
}

var jobErrors = []string{
	"SMTP error 550: mailbox unavailable",
	"GitHub API rate limit exceeded; resets at 2025-03-01T10:00:00Z",
	"Satellite did not acknowledge within 30s",
	"TypeError: Cannot read properties of undefined (reading 'id')\n    at JobWorker.process (/app/dist/workers/catalog.js:88:21)",
	"Registry returned 503 Service Unavailable — réessayer plus tard",
}

func (g *gen) genQueue(n int64) {
	from, to := winStart+14*day, winEnd-2*hour
	recent := winEnd - 6*hour
	var i int64
	for i < n {
		at := int64(g.growth(i, n, from, to))
		size := int64(1)
		var batchID any
		typ := pick(g, jobTypes)
		if n-i > 10 && (i == 0 || g.chance(0.015)) {
			size = min(n-i-1, 5+g.r.Int64N(60))
			typ = pick(g, []string{"send_email", "mcp_catalog_sync", "satellite_config_push"})
		}
		statuses := make([]string, size)
		var done, failed int64
		for k := range statuses {
			st := "completed"
			switch x := g.r.Float64(); {
			case at >= recent && x < 0.6:
				st = "pending"
			case at >= recent && x < 0.8:
				st = "processing"
			case x < 0.05:
				st = "failed"
			case x < 0.0503:
				st = "processing" // stuck
			case x < 0.0505:
				st = "pending" // forgotten
			}
			statuses[k] = st
			switch st {
			case "completed":
				done++
			case "failed":
				failed++
			}
		}
		if size > 1 {
			id := g.uuid()
			batchID = id
			bst := "completed"
			switch {
			case done+failed < size && done+failed == 0:
				bst = "pending"
			case done+failed < size:
				bst = "processing"
			case failed == size:
				bst = "failed"
			}
			var meta any
			if g.chance(0.7) {
				meta = g.done(g.obj().str("triggered_by", pick(g, g.users).id).str("reason", pick(g, []string{"nightly sync", "newsletter 📰", "config rollout"})))
			}
			g.t.batches.add(id, typ, size, done, failed, bst, meta, at, at+g.r.Int64N(hour))
			i++
		}
		for k := int64(0); k < size && i < n; k++ {
			st := statuses[k]
			created := at + k
			sched := created
			if g.chance(0.1) {
				sched += g.r.Int64N(hour)
			}
			maxAttempts := int64(3)
			if g.chance(0.1) {
				maxAttempts = 5
			}
			var started, completed, errText, result any
			attempts := int64(0)
			updated := created
			switch st {
			case "processing":
				attempts = 1 + g.r.Int64N(maxAttempts)
				s := sched + g.r.Int64N(30)
				started, updated = s, s
			case "completed":
				attempts = 1
				if g.chance(0.03) {
					attempts = 2 + g.r.Int64N(maxAttempts-1)
					errText = pick(g, jobErrors) // error of an earlier attempt
				}
				s := sched + g.r.Int64N(30)
				c := s + g.r.Int64N(120)
				started, completed, result, updated = s, c, g.jobResult(typ), c
			case "failed":
				attempts = maxAttempts
				s := sched + g.r.Int64N(600)
				c := s + g.r.Int64N(60)
				started, completed, errText, updated = s, c, pick(g, jobErrors), c
			}
			g.t.jobs.add(g.uuid(), typ, g.jobPayload(typ, created), st, int64(pick(g, []int{0, 0, 0, 1, 5, 10})), attempts, maxAttempts,
				sched, started, completed, errText, result, batchID, created, updated)
			i++
		}
	}
}
