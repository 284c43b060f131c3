package legacygen

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"

	"github.com/deploystack/stackdb/internal/legacy"
)

// Global settings, the migration runner's bookkeeping and a plugin table.

func (g *gen) genSettings() {
	t0 := winStart + 2*day
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
		g.t.globalSettingGroups.add(gr.id, gr.name, g.orNil(0.1, gr.desc), g.orNil(0.1, gr.icon), int64(i), at, g.between(at, winEnd-30*day))
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
		g.t.globalSettings.add(s.key, s.value, s.typ, desc, boolInt(s.enc), s.group, at, g.between(at, winEnd-day))
	}

}

// migrations are the files of drizzle/migrations_sqlite at the last SQLite
// commit (meta/_journal.json: tag and "when" in epoch milliseconds). The
// backend's runner records each file name, ".sql" included.
var migrations = []struct {
	tag  string
	when int64
}{
	{"0000_careless_morgan_stark", 1757943197529}, {"0001_shocking_moonstone", 1758567748700},
	{"0002_gorgeous_medusa", 1759081563771}, {"0003_lucky_archangel", 1759089890932},
	{"0004_panoramic_albert_cleary", 1759134010422}, {"0005_mature_tarot", 1759152305678},
	{"0006_pretty_martin_li", 1759220270695}, {"0007_real_annihilus", 1760362033615},
	{"0008_clever_mockingbird", 1760555956164}, {"0009_naive_tigra", 1760706876179},
	{"0010_furry_nick_fury", 1761404984204}, {"0011_swift_pixie", 1762719606272},
	{"0012_needy_gideon", 1762783951038}, {"0013_peaceful_shotgun", 1763130021989},
	{"0014_low_penance", 1763568585038}, {"0015_concerned_shard", 1763578617185},
	{"0016_bizarre_bloodstrike", 1763717870037}, {"0017_noisy_revanche", 1763742761796},
	{"0018_loud_mesmero", 1763800238672},
}

// genBookkeeping fills __drizzle_migrations (applied_at in epoch seconds):
// each migration was applied when the operator upgraded, some minutes to
// days after its release.
func (g *gen) genBookkeeping() {
	if g.pg {
		g.genPGBookkeeping(legacy.PGMigrations)
		return
	}
	var prev int64
	for i, m := range migrations {
		at := max(m.when/1000+g.between(10*minute, 2*day), prev+1)
		g.t.drizzleMigrations.add(int64(i+1), m.tag+".sql", min(at, winEnd-1))
		prev = at
	}
}

// The plugin table: a plugin "example-plugin" with a table
// "example_entities", typed by the backend's name heuristics (…id… and
// …at… are INTEGER, the rest TEXT), and its __plugin_migrations row.
const (
	pluginID    = "example-plugin"
	pluginName  = "example_entities"
	pluginTable = pluginID + "_" + pluginName

	pluginTableDDL = "CREATE TABLE `" + pluginTable + "` (\n" +
		"\t`id` integer PRIMARY KEY NOT NULL,\n" +
		"\t`name` text NOT NULL,\n" +
		"\t`description` text,\n" +
		"\t`created_at` integer DEFAULT (strftime('%s', 'now')) NOT NULL\n" +
		");"
)

func (g *gen) genPlugin() {
	sum := sha256.Sum256([]byte(pluginTableDDL))
	applied := winStart + 30*day + g.r.Int64N(day)
	g.t.pluginMigrations.add(int64(1), pluginID, pluginName, hex.EncodeToString(sum[:]), applied)
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
		g.t.pluginEntities.add(int64(i+1), fmt.Sprintf("%s %d", pick(g, words), i+1), desc, g.between(applied+minute, winEnd-1))
	}
}
