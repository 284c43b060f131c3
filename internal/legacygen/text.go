package legacygen

import (
	"strconv"
	"strings"
)

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
