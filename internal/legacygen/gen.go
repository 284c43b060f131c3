package legacygen

import "math/rand/v2"

// gen holds the generator's state: the entities written so far, which later
// tables refer to, so that every reference points at a row that exists and
// every time follows the times it depends on.
type gen struct {
	r       *rand.Rand
	w       *writer
	rows    int
	pg      bool // the Postgres layout (GeneratePostgres), else SQLite
	t       tables
	defects map[string]int

	roleIDs    []string // 0 global_admin, 1 global_user, 2 team_admin, 3 team_user, then custom
	users      []*user  // in order of creation
	admins     []int    // indexes of global admins
	userCreate []int64  // users[i].created, for prefix searches
	teams      []*team
	categories []string
	servers    []*server
	installs   []*install // sorted by avail
	sats       []*satellite
	procs      []*process
	providers  []*oauthProvider // Postgres layout only
	instances  map[string]bool  // Postgres layout only: "installation id/user id" of mcpServerInstances
	// Postgres layout only: the teamCloudCredentials.provider_id written.
	cloudProviders map[string]bool
	clients        []*mcpClient // the MCP clients (dynamic OAuth clients) users connect with
	activity       []*activityKey
}

type user struct {
	id, username, email string
	created             int64
	teams               []int // team indexes, default team first
	apiKey              string
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
	transport      string
	oauth          bool
}

type install struct {
	id, name     string
	team, server int
	sat          int
	created      int64
	avail        int64 // when the installation is running on its satellite
	weight       float64
	procs        []int // its satellite processes
}

type satellite struct {
	id      string
	team    int // -1 for global satellites
	created int64
	status  string
	hbFrom  int64
	hbTo    int64 // 0: never connected
	procs   []int
	running int // processes running at the end of the file
}

type process struct {
	id      string
	sat     int
	install int // -1: started outside the command system
	team    int // -1: a global satellite's process ('global' in the real data)
	started int64
}

type mcpClient struct {
	clientID, name, userAgent string
	created                   int64
}

// activityKey is one (user, team, satellite, auth identifier) of
// mcpClientActivity; the metrics count its requests in buckets.
type activityKey struct {
	user, team, sat int
	client          int // -1 for an API key
	authIdentifier  string
	first, last     int64
	requests, tools int64
	weight          float64
}
