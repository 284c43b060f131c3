package stackdb_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/gen/dbsqlc"
)

// ---------------------------------------------------------------------------
// Fixtures

// oauthIn is a time d from now, by the test's clock, to the microsecond
// Postgres keeps.
func oauthIn(d time.Duration) time.Time { return time.Now().Add(d).Truncate(time.Microsecond) }

// oauthTokenHash returns a unique stand-in for the SHA-256 of a token.
func oauthTokenHash(kind string) string { return "sha256:" + newID(kind+"_secret") }

// s256 is the PKCE S256 challenge of verifier (RFC 7636 §4.2).
func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// oauthParty is who the tokens are for: a user acting in a team through a
// client.
type oauthParty struct{ user, team, client string }

// createOAuthParty makes a team (whose owner is the user) and a client id.
func createOAuthParty(t *testing.T, db stackdb.DB) oauthParty {
	t.Helper()
	team, owner := createTeam(t, db)
	return oauthParty{user: owner, team: team, client: newID("dyn_client")}
}

func createOAuthClient(t *testing.T, q dbsqlc.Querier, teamID *string) dbsqlc.OAuthClient {
	t.Helper()
	c, err := q.OAuthClientInsert(t.Context(), dbsqlc.OAuthClientInsertParams{
		ID:           newID("oc"),
		ClientID:     newID("client"),
		ClientName:   "CLI",
		RedirectUris: json.RawMessage(`["http://localhost:8976/oauth/callback"]`),
		Scope:        "mcp:read offline_access",
		TeamID:       teamID,
	})
	require.NoError(t, err)
	return c
}

func createOAuthAccessToken(t *testing.T, q dbsqlc.Querier, p oauthParty, expiresAt time.Time) dbsqlc.OAuthAccessToken {
	t.Helper()
	tok, err := q.OAuthAccessTokenInsert(t.Context(), dbsqlc.OAuthAccessTokenInsertParams{
		ID: newID("at"), UserID: p.user, TeamID: p.team, ClientID: p.client,
		Scope: "mcp:read", TokenHash: oauthTokenHash("at"), ExpiresAt: expiresAt,
	})
	require.NoError(t, err)
	return tok
}

func createOAuthRefreshToken(t *testing.T, q dbsqlc.Querier, p oauthParty, expiresAt time.Time) dbsqlc.OAuthRefreshToken {
	t.Helper()
	tok, err := q.OAuthRefreshTokenInsert(t.Context(), dbsqlc.OAuthRefreshTokenInsertParams{
		ID: newID("rt"), UserID: p.user, TeamID: p.team, ClientID: p.client,
		TokenHash: oauthTokenHash("rt"), ExpiresAt: expiresAt,
	})
	require.NoError(t, err)
	return tok
}

// oauthTokenKind lets one test cover access and refresh tokens alike.
type oauthTokenKind struct {
	name, table string
	// create makes a token expiring at expiresAt; it returns its id and hash.
	create           func(t *testing.T, q dbsqlc.Querier, p oauthParty, expiresAt time.Time) (id, hash string)
	getByHash        func(ctx context.Context, q dbsqlc.Querier, hash string) (id string, err error)
	revoke           func(ctx context.Context, q dbsqlc.Querier, id string) (int64, error)
	revokeUserClient func(ctx context.Context, q dbsqlc.Querier, user, client string) (int64, error)
	deleteExpired    func(ctx context.Context, q dbsqlc.Querier) (int64, error)
}

var oauthTokenKinds = []oauthTokenKind{
	{
		name:  "access",
		table: "oauth_access_tokens",
		create: func(t *testing.T, q dbsqlc.Querier, p oauthParty, exp time.Time) (string, string) {
			tok := createOAuthAccessToken(t, q, p, exp)
			return tok.ID, tok.TokenHash
		},
		getByHash: func(ctx context.Context, q dbsqlc.Querier, hash string) (string, error) {
			tok, err := q.OAuthAccessTokenGetByTokenHashValid(ctx, hash)
			return tok.ID, err
		},
		revoke: func(ctx context.Context, q dbsqlc.Querier, id string) (int64, error) {
			return q.OAuthAccessTokenRevoke(ctx, id)
		},
		revokeUserClient: func(ctx context.Context, q dbsqlc.Querier, user, client string) (int64, error) {
			return q.OAuthAccessTokenRevokeByUserClient(ctx, dbsqlc.OAuthAccessTokenRevokeByUserClientParams{UserID: user, ClientID: client})
		},
		deleteExpired: func(ctx context.Context, q dbsqlc.Querier) (int64, error) {
			return q.OAuthAccessTokenDeleteExpired(ctx)
		},
	},
	{
		name:  "refresh",
		table: "oauth_refresh_tokens",
		create: func(t *testing.T, q dbsqlc.Querier, p oauthParty, exp time.Time) (string, string) {
			tok := createOAuthRefreshToken(t, q, p, exp)
			return tok.ID, tok.TokenHash
		},
		getByHash: func(ctx context.Context, q dbsqlc.Querier, hash string) (string, error) {
			tok, err := q.OAuthRefreshTokenGetByTokenHashValid(ctx, hash)
			return tok.ID, err
		},
		revoke: func(ctx context.Context, q dbsqlc.Querier, id string) (int64, error) {
			return q.OAuthRefreshTokenRevoke(ctx, id)
		},
		revokeUserClient: func(ctx context.Context, q dbsqlc.Querier, user, client string) (int64, error) {
			return q.OAuthRefreshTokenRevokeByUserClient(ctx, dbsqlc.OAuthRefreshTokenRevokeByUserClientParams{UserID: user, ClientID: client})
		},
		deleteExpired: func(ctx context.Context, q dbsqlc.Querier) (int64, error) {
			return q.OAuthRefreshTokenDeleteExpired(ctx)
		},
	},
}

// requireOAuthConstraint asserts err is a *stackdb.ConstraintError of kind
// on table naming constraint, and that it does not carry secret.
func requireOAuthConstraint(t *testing.T, err error, kind stackdb.ConstraintKind, table, constraint string, secrets ...string) {
	t.Helper()
	var cerr *stackdb.ConstraintError
	require.ErrorAs(t, err, &cerr)
	require.Equal(t, kind, cerr.Kind)
	require.Equal(t, table, cerr.Table)
	require.Equal(t, constraint, cerr.Constraint)
	for _, s := range secrets {
		require.NotContains(t, err.Error(), s)
	}
}

// ---------------------------------------------------------------------------
// oauth_clients

func TestOAuthClient(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	team, owner := createTeam(t, pool)

	created, err := q.OAuthClientInsert(ctx, dbsqlc.OAuthClientInsertParams{
		ID:               "oc_1",
		ClientID:         "client_cli",
		ClientSecretHash: new("argon2:secret"),
		ClientName:       "DeployStack CLI",
		RedirectUris:     json.RawMessage(`["http://localhost:8976/oauth/callback"]`),
		Scope:            "mcp:read",
		TeamID:           &team,
		CreatedByUserID:  &owner,
	})
	require.NoError(t, err)
	require.Equal(t, dbsqlc.OAuthClient{
		ID: "oc_1", ClientID: "client_cli", ClientSecretHash: new("argon2:secret"), ClientName: "DeployStack CLI",
		RedirectUris: created.RedirectUris, Scope: "mcp:read", TeamID: &team, CreatedByUserID: &owner,
		IsActive: true, CreatedAt: created.CreatedAt, UpdatedAt: created.UpdatedAt,
	}, created, "a new client is active")
	require.JSONEq(t, `["http://localhost:8976/oauth/callback"]`, string(created.RedirectUris))

	got, err := q.OAuthClientGetByClientIDActive(ctx, "client_cli")
	require.NoError(t, err)
	require.Equal(t, created, got)
	_, err = q.OAuthClientGetByClientIDActive(ctx, "oc_1")
	require.ErrorIs(t, err, stackdb.ErrNotFound, "looked up by client_id, not id")

	global := createOAuthClient(t, q, nil)
	second := createOAuthClient(t, q, &team)
	list, err := q.OAuthClientListByTeam(ctx, &team)
	require.NoError(t, err)
	require.Len(t, list, 2)
	require.ElementsMatch(t, []string{"client_cli", second.ClientID}, []string{list[0].ClientID, list[1].ClientID})
	require.NotContains(t, []string{list[0].ClientID, list[1].ClientID}, global.ClientID)

	t.Run("deactivated clients are not found", func(t *testing.T) {
		n, err := q.OAuthClientUpdateActive(ctx, dbsqlc.OAuthClientUpdateActiveParams{ClientID: "client_cli", IsActive: false})
		require.NoError(t, err)
		require.EqualValues(t, 1, n)
		_, err = q.OAuthClientGetByClientIDActive(ctx, "client_cli")
		require.ErrorIs(t, err, stackdb.ErrNotFound)
		n, err = q.OAuthClientUpdateActive(ctx, dbsqlc.OAuthClientUpdateActiveParams{ClientID: "client_cli", IsActive: true})
		require.NoError(t, err)
		require.EqualValues(t, 1, n)
		_, err = q.OAuthClientGetByClientIDActive(ctx, "client_cli")
		require.NoError(t, err, "reactivated")
		n, err = q.OAuthClientUpdateActive(ctx, dbsqlc.OAuthClientUpdateActiveParams{ClientID: "client_missing", IsActive: false})
		require.NoError(t, err)
		require.Zero(t, n)
	})

	t.Run("refused inserts", func(t *testing.T) {
		for _, tt := range []struct {
			name       string
			p          dbsqlc.OAuthClientInsertParams
			kind       stackdb.ConstraintKind
			constraint string
		}{
			{"duplicate client_id", dbsqlc.OAuthClientInsertParams{ID: newID("oc"), ClientID: "client_cli", ClientName: "x", RedirectUris: json.RawMessage(`[]`)},
				stackdb.Unique, "oauth_clients_client_id_key"},
			{"unknown team", dbsqlc.OAuthClientInsertParams{ID: newID("oc"), ClientID: newID("client"), ClientName: "x", RedirectUris: json.RawMessage(`[]`), TeamID: new("team_missing")},
				stackdb.ForeignKey, "oauth_clients_team_id_fkey"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				_, err := q.OAuthClientInsert(ctx, tt.p)
				requireOAuthConstraint(t, err, tt.kind, "oauth_clients", tt.constraint)
			})
		}
		require.Equal(t, 3, countRows(t, pool, "oauth_clients", "true"))
	})

	n, err := q.OAuthClientDelete(ctx, "client_cli")
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	n, err = q.OAuthClientDelete(ctx, "client_cli")
	require.NoError(t, err)
	require.Zero(t, n)
}

// ---------------------------------------------------------------------------
// oauth_authorization_codes

// createOAuthCodeRequest stores an authorization request of p, valid for ttl,
// with a PKCE challenge of method for verifier.
func createOAuthCodeRequest(t *testing.T, q dbsqlc.Querier, p oauthParty, method, verifier string, ttl time.Duration) dbsqlc.OAuthAuthorizationCode {
	t.Helper()
	challenge := verifier
	if method == "S256" {
		challenge = s256(verifier)
	}
	code, err := q.OAuthAuthorizationCodeInsert(t.Context(), dbsqlc.OAuthAuthorizationCodeInsertParams{
		ID: newID("req"), UserID: p.user, TeamID: p.team, ClientID: p.client,
		RedirectUri: "http://127.0.0.1:33418/", Scope: "mcp:read offline_access", State: "state-1",
		CodeChallenge: challenge, CodeChallengeMethod: method, Code: newID("pending_"), ExpiresAt: oauthIn(ttl),
	})
	require.NoError(t, err)
	return code
}

// issueOAuthCode approves req and returns the code it was given.
func issueOAuthCode(t *testing.T, q dbsqlc.Querier, req dbsqlc.OAuthAuthorizationCode) string {
	t.Helper()
	issued, err := q.OAuthAuthorizationCodeUpdateCode(t.Context(), dbsqlc.OAuthAuthorizationCodeUpdateCodeParams{ID: req.ID, Code: newID("code")})
	require.NoError(t, err)
	return issued.Code
}

func TestOAuthAuthorizationCodeRequest(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	p := createOAuthParty(t, pool)
	other := createOAuthParty(t, pool)

	// Expired requests: the user's for this client go with the next insert;
	// another user's and another client's stay.
	expired := createOAuthCodeRequest(t, q, p, "S256", "v", -time.Minute)
	otherUsers := createOAuthCodeRequest(t, q, other, "S256", "v", -time.Minute)
	otherClient := createOAuthCodeRequest(t, q, oauthParty{user: p.user, team: p.team, client: "client_other"}, "S256", "v", -time.Minute)
	pendingValid := createOAuthCodeRequest(t, q, p, "S256", "v", 10*time.Minute)

	rec := &stmtRecorder{DB: pool}
	req, err := stackdb.New(rec).OAuthAuthorizationCodeInsert(ctx, dbsqlc.OAuthAuthorizationCodeInsertParams{
		ID: "req_1", UserID: p.user, TeamID: p.team, ClientID: p.client, RedirectUri: "http://127.0.0.1:33418/",
		Scope: "mcp:read", State: "xyz", CodeChallenge: s256("verifier"), CodeChallengeMethod: "S256",
		Code: "pending_abc", Resource: new("https://mcp.example.com/"), ExpiresAt: oauthIn(10 * time.Minute),
	})
	require.NoError(t, err)
	require.Equal(t, 1, rec.calls)
	require.Equal(t, dbsqlc.OAuthAuthorizationCode{
		ID: "req_1", UserID: p.user, TeamID: p.team, ClientID: p.client, RedirectUri: "http://127.0.0.1:33418/",
		Scope: "mcp:read", State: "xyz", CodeChallenge: s256("verifier"), CodeChallengeMethod: "S256",
		Code: "pending_abc", Resource: new("https://mcp.example.com/"), Used: false,
		CreatedAt: req.CreatedAt, ExpiresAt: req.ExpiresAt,
	}, req, "PKCE and resource kept")
	for id, want := range map[string]int{expired.ID: 0, otherUsers.ID: 1, otherClient.ID: 1, pendingValid.ID: 1} {
		require.Equal(t, want, countRows(t, pool, "oauth_authorization_codes", "id = $1", id), id)
	}

	got, err := q.OAuthAuthorizationCodeGetByIDValid(ctx, "req_1")
	require.NoError(t, err)
	require.Equal(t, req, got)
	for name, id := range map[string]string{"expired": otherUsers.ID, "unknown": "req_missing"} {
		_, err := q.OAuthAuthorizationCodeGetByIDValid(ctx, id)
		require.ErrorIs(t, err, stackdb.ErrNotFound, name)
	}

	newTeam, _ := createTeam(t, pool)
	n, err := q.OAuthAuthorizationCodeUpdateTeam(ctx, dbsqlc.OAuthAuthorizationCodeUpdateTeamParams{ID: "req_1", TeamID: newTeam})
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	n, err = q.OAuthAuthorizationCodeUpdateTeam(ctx, dbsqlc.OAuthAuthorizationCodeUpdateTeamParams{ID: otherUsers.ID, TeamID: newTeam})
	require.NoError(t, err)
	require.Zero(t, n, "an expired request keeps its team")

	issued, err := q.OAuthAuthorizationCodeUpdateCode(ctx, dbsqlc.OAuthAuthorizationCodeUpdateCodeParams{ID: "req_1", Code: "code_1"})
	require.NoError(t, err)
	require.Equal(t, "code_1", issued.Code)
	require.Equal(t, newTeam, issued.TeamID)
	for name, id := range map[string]string{"a second time": "req_1", "expired": otherUsers.ID, "unknown": "req_missing"} {
		_, err := q.OAuthAuthorizationCodeUpdateCode(ctx, dbsqlc.OAuthAuthorizationCodeUpdateCodeParams{ID: id, Code: newID("code")})
		require.ErrorIs(t, err, stackdb.ErrNotFound, name)
	}
	require.Equal(t, 1, countRows(t, pool, "oauth_authorization_codes", "id = 'req_1' AND code = 'code_1'"), "the first code stands")

	_, err = q.OAuthAuthorizationCodeUpdateCode(ctx, dbsqlc.OAuthAuthorizationCodeUpdateCodeParams{ID: pendingValid.ID, Code: "code_1"})
	requireOAuthConstraint(t, err, stackdb.Unique, "oauth_authorization_codes", "oauth_authorization_codes_code_key", "code_1")
}

func TestOAuthAuthorizationCodeClaim(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	p := createOAuthParty(t, pool)
	const verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	const redirect = "http://127.0.0.1:33418/"

	// RFC 7636 appendix B: this verifier's S256 challenge.
	require.Equal(t, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", s256(verifier))

	type claim struct{ code, client, redirect, verifier string }
	ok := func(code string) claim { return claim{code, p.client, redirect, verifier} }
	tests := []struct {
		name     string
		method   string // of the stored challenge
		ttl      time.Duration
		issue    bool // the request was approved
		used     bool
		claim    func(code string) claim
		wantUsed bool // the claim succeeds
	}{
		{name: "S256", method: "S256", ttl: time.Minute, issue: true, claim: ok, wantUsed: true},
		{name: "plain", method: "plain", ttl: time.Minute, issue: true, claim: ok, wantUsed: true},
		{name: "wrong verifier", method: "S256", ttl: time.Minute, issue: true,
			claim: func(c string) claim { return claim{c, p.client, redirect, verifier + "x"} }},
		{name: "the challenge as verifier", method: "S256", ttl: time.Minute, issue: true,
			claim: func(c string) claim { return claim{c, p.client, redirect, s256(verifier)} }},
		{name: "unknown method", method: "S512", ttl: time.Minute, issue: true, claim: ok},
		{name: "another client", method: "S256", ttl: time.Minute, issue: true,
			claim: func(c string) claim { return claim{c, "client_other", redirect, verifier} }},
		{name: "another redirect_uri", method: "S256", ttl: time.Minute, issue: true,
			claim: func(c string) claim { return claim{c, p.client, redirect + "x", verifier} }},
		{name: "placeholder code", method: "S256", ttl: time.Minute, issue: false, claim: ok},
		{name: "expired", method: "S256", ttl: -time.Second, issue: true, claim: ok},
		{name: "used", method: "S256", ttl: time.Minute, issue: true, used: true, claim: ok},
		{name: "unknown code", method: "S256", ttl: time.Minute, issue: true,
			claim: func(string) claim { return claim{"code_missing", p.client, redirect, verifier} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ttl := tt.ttl
			if ttl < 0 {
				ttl = time.Minute // issued while valid, then expired below
			}
			req := createOAuthCodeRequest(t, q, p, tt.method, verifier, ttl)
			code := req.Code
			if tt.issue {
				code = issueOAuthCode(t, q, req)
			}
			if tt.ttl < 0 {
				execSQL(t, pool, "UPDATE oauth_authorization_codes SET expires_at = now() - interval '1 second' WHERE id = $1", req.ID)
			}
			if tt.used {
				execSQL(t, pool, "UPDATE oauth_authorization_codes SET used = true WHERE id = $1", req.ID)
			}
			c := tt.claim(code)
			got, err := q.OAuthAuthorizationCodeClaim(ctx, dbsqlc.OAuthAuthorizationCodeClaimParams{
				Code: c.code, ClientID: c.client, RedirectUri: c.redirect, CodeVerifier: c.verifier,
			})
			if !tt.wantUsed {
				require.ErrorIs(t, err, stackdb.ErrNotFound)
				require.Equal(t, tt.used, countRows(t, pool, "oauth_authorization_codes", "id = $1 AND used", req.ID) == 1,
					"a refused claim changes nothing")
				return
			}
			require.NoError(t, err)
			require.Equal(t, req.ID, got.ID)
			require.Equal(t, p.user, got.UserID)
			require.Equal(t, p.team, got.TeamID)
			require.Equal(t, tt.method, got.CodeChallengeMethod)
			require.True(t, got.Used)
			_, err = q.OAuthAuthorizationCodeClaim(ctx, dbsqlc.OAuthAuthorizationCodeClaimParams{
				Code: c.code, ClientID: c.client, RedirectUri: c.redirect, CodeVerifier: c.verifier,
			})
			require.ErrorIs(t, err, stackdb.ErrNotFound, "a code is claimed once")
		})
	}

	t.Run("concurrent claims: exactly one wins", func(t *testing.T) {
		code := issueOAuthCode(t, q, createOAuthCodeRequest(t, q, p, "S256", verifier, time.Minute))
		const n = 4
		errs := make([]error, n)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				<-start
				_, errs[i] = q.OAuthAuthorizationCodeClaim(ctx, dbsqlc.OAuthAuthorizationCodeClaimParams{
					Code: code, ClientID: p.client, RedirectUri: redirect, CodeVerifier: verifier,
				})
			})
		}
		close(start)
		wg.Wait()
		won := 0
		for _, err := range errs {
			if err == nil {
				won++
				continue
			}
			require.ErrorIs(t, err, stackdb.ErrNotFound)
		}
		require.Equal(t, 1, won, "errors: %v", errors.Join(errs...))
	})

	t.Run("expiry sweep", func(t *testing.T) {
		// Each insert swept its party's expired requests; these two are the
		// only ones left.
		for range 2 {
			createOAuthCodeRequest(t, q, createOAuthParty(t, pool), "S256", verifier, -time.Minute)
		}
		before := countRows(t, pool, "oauth_authorization_codes", "true")
		expired := countRows(t, pool, "oauth_authorization_codes", "expires_at < now()")
		require.Equal(t, 2, expired)
		n, err := q.OAuthAuthorizationCodeDeleteExpired(ctx)
		require.NoError(t, err)
		require.EqualValues(t, expired, n)
		require.Equal(t, before-expired, countRows(t, pool, "oauth_authorization_codes", "true"))
		require.Zero(t, countRows(t, pool, "oauth_authorization_codes", "expires_at < now()"))
	})
}

// ---------------------------------------------------------------------------
// oauth_access_tokens, oauth_refresh_tokens

func TestOAuthTokenInsertGet(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	p := createOAuthParty(t, pool)
	exp := oauthIn(time.Hour)

	at, err := q.OAuthAccessTokenInsert(ctx, dbsqlc.OAuthAccessTokenInsertParams{
		ID: "at_1", UserID: p.user, TeamID: p.team, ClientID: p.client, Scope: "mcp:read", TokenHash: "sha256:at_1", ExpiresAt: exp,
	})
	require.NoError(t, err)
	require.Equal(t, dbsqlc.OAuthAccessToken{
		ID: "at_1", UserID: p.user, TeamID: p.team, ClientID: p.client, Scope: "mcp:read", TokenHash: "sha256:at_1",
		CreatedAt: at.CreatedAt, ExpiresAt: exp,
	}, at)
	rt, err := q.OAuthRefreshTokenInsert(ctx, dbsqlc.OAuthRefreshTokenInsertParams{
		ID: "rt_1", UserID: p.user, TeamID: p.team, ClientID: p.client, TokenHash: "sha256:rt_1", ExpiresAt: exp,
	})
	require.NoError(t, err)
	require.Equal(t, dbsqlc.OAuthRefreshToken{
		ID: "rt_1", UserID: p.user, TeamID: p.team, ClientID: p.client, TokenHash: "sha256:rt_1", Used: false,
		CreatedAt: rt.CreatedAt, ExpiresAt: exp,
	}, rt, "a new refresh token is unused")

	got, err := q.OAuthAccessTokenGetByTokenHashValid(ctx, "sha256:at_1")
	require.NoError(t, err)
	require.Equal(t, at, got)
	got, err = q.OAuthAccessTokenGetByIDValid(ctx, "at_1")
	require.NoError(t, err, "DeployStack's lookup: by the id in the token")
	require.Equal(t, at, got)
	gotRT, err := q.OAuthRefreshTokenGetByTokenHashValid(ctx, "sha256:rt_1")
	require.NoError(t, err)
	require.Equal(t, rt, gotRT)

	_, err = q.OAuthAccessTokenGetByTokenHashValid(ctx, "sha256:rt_1")
	require.ErrorIs(t, err, stackdb.ErrNotFound, "a refresh token is no access token")
	_, err = q.OAuthRefreshTokenGetByTokenHashValid(ctx, "sha256:at_1")
	require.ErrorIs(t, err, stackdb.ErrNotFound, "an access token is no refresh token")

	t.Run("refused inserts leak no hash", func(t *testing.T) {
		_, err := q.OAuthAccessTokenInsert(ctx, dbsqlc.OAuthAccessTokenInsertParams{
			ID: newID("at"), UserID: p.user, TeamID: p.team, ClientID: p.client, Scope: "x", TokenHash: "sha256:at_1", ExpiresAt: exp,
		})
		requireOAuthConstraint(t, err, stackdb.Unique, "oauth_access_tokens", "oauth_access_tokens_token_hash_key", "sha256:at_1")
		_, err = q.OAuthRefreshTokenInsert(ctx, dbsqlc.OAuthRefreshTokenInsertParams{
			ID: newID("rt"), UserID: p.user, TeamID: p.team, ClientID: p.client, TokenHash: "sha256:rt_1", ExpiresAt: exp,
		})
		requireOAuthConstraint(t, err, stackdb.Unique, "oauth_refresh_tokens", "oauth_refresh_tokens_token_hash_key", "sha256:rt_1")
		_, err = q.OAuthAccessTokenInsert(ctx, dbsqlc.OAuthAccessTokenInsertParams{
			ID: newID("at"), UserID: p.user, TeamID: "team_missing", ClientID: p.client, Scope: "x", TokenHash: oauthTokenHash("at"), ExpiresAt: exp,
		})
		requireOAuthConstraint(t, err, stackdb.ForeignKey, "oauth_access_tokens", "oauth_access_tokens_team_id_fkey")
	})
}

func TestOAuthTokenValidity(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	p := createOAuthParty(t, pool)

	for _, kind := range oauthTokenKinds {
		t.Run(kind.name, func(t *testing.T) {
			validID, valid := kind.create(t, q, p, oauthIn(time.Minute))
			_, expired := kind.create(t, q, p, oauthIn(-time.Second))
			revokedID, revoked := kind.create(t, q, p, oauthIn(time.Hour))
			n, err := kind.revoke(ctx, q, revokedID)
			require.NoError(t, err)
			require.EqualValues(t, 1, n)
			n, err = kind.revoke(ctx, q, revokedID)
			require.NoError(t, err)
			require.Zero(t, n, "revoking twice counts once")

			for _, tt := range []struct {
				name, hash, wantID string // wantID "" for not found
			}{
				{"valid", valid, validID},
				{"expired", expired, ""},
				{"revoked", revoked, ""},
				{"unknown hash", "sha256:unknown", ""},
				{"hash prefix", valid[:len(valid)-1], ""},
			} {
				t.Run(tt.name, func(t *testing.T) {
					id, err := kind.getByHash(ctx, q, tt.hash)
					if tt.wantID == "" {
						require.ErrorIs(t, err, stackdb.ErrNotFound)
						return
					}
					require.NoError(t, err)
					require.Equal(t, tt.wantID, id)
				})
			}
		})
	}

	t.Run("access by id", func(t *testing.T) {
		valid := createOAuthAccessToken(t, q, p, oauthIn(time.Minute))
		expired := createOAuthAccessToken(t, q, p, oauthIn(-time.Second))
		got, err := q.OAuthAccessTokenGetByIDValid(ctx, valid.ID)
		require.NoError(t, err)
		require.Equal(t, valid, got)
		for _, id := range []string{expired.ID, "at_missing"} {
			_, err := q.OAuthAccessTokenGetByIDValid(ctx, id)
			require.ErrorIs(t, err, stackdb.ErrNotFound, id)
		}
	})

	t.Run("refresh by client, DeployStack's argon2 path", func(t *testing.T) {
		other := oauthParty{user: p.user, team: p.team, client: "client_other"}
		a := createOAuthRefreshToken(t, q, other, oauthIn(time.Hour))
		b := createOAuthRefreshToken(t, q, other, oauthIn(time.Hour))
		createOAuthRefreshToken(t, q, other, oauthIn(-time.Second))
		used := createOAuthRefreshToken(t, q, other, oauthIn(time.Hour))
		n, err := q.OAuthRefreshTokenRevoke(ctx, used.ID)
		require.NoError(t, err)
		require.EqualValues(t, 1, n)
		list, err := q.OAuthRefreshTokenListByClientValid(ctx, "client_other")
		require.NoError(t, err)
		require.ElementsMatch(t, []string{a.ID, b.ID}, []string{list[0].ID, list[1].ID})
		require.Len(t, list, 2, "neither expired nor used tokens, nor other clients'")
	})
}

func TestOAuthTokenRevokeByUserClient(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	p := createOAuthParty(t, pool)
	otherTeam, _ := createTeam(t, pool)
	bob := createOAuthParty(t, pool)

	for _, kind := range oauthTokenKinds {
		t.Run(kind.name, func(t *testing.T) {
			var revoked []string
			for _, party := range []oauthParty{p, p, {user: p.user, team: otherTeam, client: p.client}} {
				_, h := kind.create(t, q, party, oauthIn(time.Hour))
				revoked = append(revoked, h)
			}
			kind.create(t, q, p, oauthIn(-time.Hour)) // expired: revoked too
			_, otherClient := kind.create(t, q, oauthParty{user: p.user, team: p.team, client: "client_other"}, oauthIn(time.Hour))
			_, bobs := kind.create(t, q, oauthParty{user: bob.user, team: bob.team, client: p.client}, oauthIn(time.Hour))

			n, err := kind.revokeUserClient(ctx, q, p.user, p.client)
			require.NoError(t, err)
			require.EqualValues(t, 4, n, "every token of the user and client, in every team")
			for _, h := range revoked {
				_, err := kind.getByHash(ctx, q, h)
				require.ErrorIs(t, err, stackdb.ErrNotFound)
			}
			for _, h := range []string{otherClient, bobs} {
				_, err := kind.getByHash(ctx, q, h)
				require.NoError(t, err, "other clients' and users' tokens stay")
			}
			n, err = kind.revokeUserClient(ctx, q, p.user, p.client)
			require.NoError(t, err)
			require.Zero(t, n)
		})
	}
}

func TestOAuthTokenDeleteExpired(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	p := createOAuthParty(t, pool)

	for _, kind := range oauthTokenKinds {
		t.Run(kind.name, func(t *testing.T) {
			n, err := kind.deleteExpired(ctx, q)
			require.NoError(t, err)
			require.Zero(t, n, "nothing to delete yet")

			var validHashes []string
			for _, d := range []time.Duration{-time.Hour, -time.Millisecond, -48 * time.Hour, time.Hour, time.Minute, 90 * 24 * time.Hour} {
				_, h := kind.create(t, q, p, oauthIn(d))
				if d > 0 {
					validHashes = append(validHashes, h)
				}
			}
			n, err = kind.deleteExpired(ctx, q)
			require.NoError(t, err)
			require.EqualValues(t, 3, n, "exactly the expired tokens")
			for _, h := range validHashes {
				_, err := kind.getByHash(ctx, q, h)
				require.NoError(t, err, "valid tokens stay")
			}
			require.Equal(t, 3, countRows(t, pool, kind.table, "true"))
			n, err = kind.deleteExpired(ctx, q)
			require.NoError(t, err)
			require.Zero(t, n, "a second sweep finds nothing")
		})
	}
}

func TestOAuthRefreshTokenRotate(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	p := createOAuthParty(t, pool)
	bob := createOAuthParty(t, pool)

	counts := func() [2]int {
		return [2]int{countRows(t, pool, "oauth_access_tokens", "true"), countRows(t, pool, "oauth_refresh_tokens", "true")}
	}
	rotateParams := func(oldHash, client string) dbsqlc.OAuthRefreshTokenRotateParams {
		return dbsqlc.OAuthRefreshTokenRotateParams{
			OldTokenHash:     oldHash,
			ClientID:         client,
			Scope:            "mcp:read mcp:tools:execute offline_access",
			AccessTokenID:    newID("at"),
			AccessTokenHash:  oauthTokenHash("at"),
			AccessExpiresAt:  oauthIn(7 * 24 * time.Hour),
			RefreshTokenID:   newID("rt"),
			RefreshTokenHash: oauthTokenHash("rt"),
			RefreshExpiresAt: oauthIn(30 * 24 * time.Hour),
		}
	}

	old := createOAuthRefreshToken(t, q, p, oauthIn(time.Hour))
	bobs := createOAuthRefreshToken(t, q, oauthParty{user: bob.user, team: bob.team, client: p.client}, oauthIn(time.Hour))

	before := counts()
	prm := rotateParams(old.TokenHash, p.client)
	rec := &stmtRecorder{DB: pool}
	got, err := stackdb.New(rec).OAuthRefreshTokenRotate(ctx, prm)
	require.NoError(t, err)
	require.Equal(t, 1, rec.calls, "one round trip")
	require.Equal(t, dbsqlc.OAuthRefreshTokenRotateRow{
		AccessTokenID: prm.AccessTokenID, UserID: p.user, TeamID: p.team, ClientID: p.client, Scope: prm.Scope,
		AccessExpiresAt: prm.AccessExpiresAt, RefreshTokenID: prm.RefreshTokenID, RefreshExpiresAt: prm.RefreshExpiresAt,
	}, got, "the new pair is the old token's user, team and client")
	require.Equal(t, [2]int{before[0] + 1, before[1] + 1}, counts(), "one access and one refresh token inserted")

	newAT, err := q.OAuthAccessTokenGetByTokenHashValid(ctx, prm.AccessTokenHash)
	require.NoError(t, err, "the new access token is valid")
	require.Equal(t, prm.AccessTokenID, newAT.ID)
	require.Equal(t, p.team, newAT.TeamID)
	newRT, err := q.OAuthRefreshTokenGetByTokenHashValid(ctx, prm.RefreshTokenHash)
	require.NoError(t, err, "the new refresh token is valid")
	require.Equal(t, prm.RefreshTokenID, newRT.ID)

	_, err = q.OAuthRefreshTokenGetByTokenHashValid(ctx, old.TokenHash)
	require.ErrorIs(t, err, stackdb.ErrNotFound, "the presented refresh token is used up")
	require.Equal(t, 1, countRows(t, pool, "oauth_refresh_tokens", "id = $1 AND used", old.ID), "and kept, marked used")
	_, err = q.OAuthRefreshTokenGetByTokenHashValid(ctx, bobs.TokenHash)
	require.NoError(t, err, "other refresh tokens are untouched")

	t.Run("invalid tokens insert nothing", func(t *testing.T) {
		expired := createOAuthRefreshToken(t, q, p, oauthIn(-time.Second))
		foreign := createOAuthRefreshToken(t, q, oauthParty{user: p.user, team: p.team, client: "client_other"}, oauthIn(time.Hour))
		for _, tt := range []struct{ name, hash string }{
			{"the old token a second time", old.TokenHash},
			{"expired", expired.TokenHash},
			{"unknown", "sha256:unknown"},
			{"an access token", newAT.TokenHash},
			{"another client's", foreign.TokenHash},
		} {
			t.Run(tt.name, func(t *testing.T) {
				before := counts()
				_, err := q.OAuthRefreshTokenRotate(ctx, rotateParams(tt.hash, p.client))
				require.ErrorIs(t, err, stackdb.ErrNotFound)
				require.Equal(t, before, counts(), "nothing inserted")
			})
		}
		_, err = q.OAuthRefreshTokenGetByTokenHashValid(ctx, foreign.TokenHash)
		require.NoError(t, err, "a token presented by the wrong client is not used up")
		_, err = q.OAuthRefreshTokenGetByTokenHashValid(ctx, newRT.TokenHash)
		require.NoError(t, err, "the pair of the first rotation stays valid")
	})

	t.Run("a new hash that exists already changes nothing", func(t *testing.T) {
		rt := createOAuthRefreshToken(t, q, p, oauthIn(time.Hour))
		for _, tt := range []struct {
			table, constraint, secret string
			set                       func(*dbsqlc.OAuthRefreshTokenRotateParams)
		}{
			{"oauth_access_tokens", "oauth_access_tokens_token_hash_key", newAT.TokenHash,
				func(p *dbsqlc.OAuthRefreshTokenRotateParams) { p.AccessTokenHash = newAT.TokenHash }},
			{"oauth_refresh_tokens", "oauth_refresh_tokens_token_hash_key", bobs.TokenHash,
				func(p *dbsqlc.OAuthRefreshTokenRotateParams) { p.RefreshTokenHash = bobs.TokenHash }},
		} {
			t.Run(tt.table, func(t *testing.T) {
				before := counts()
				prm := rotateParams(rt.TokenHash, p.client)
				tt.set(&prm)
				_, err := q.OAuthRefreshTokenRotate(ctx, prm)
				requireOAuthConstraint(t, err, stackdb.Unique, tt.table, tt.constraint, tt.secret)
				require.Equal(t, before, counts())
				_, err = q.OAuthRefreshTokenGetByTokenHashValid(ctx, rt.TokenHash)
				require.NoError(t, err, "the failed rotation did not use up the presented token")
			})
		}
	})

	t.Run("concurrent rotations: exactly one wins", func(t *testing.T) {
		rt := createOAuthRefreshToken(t, q, p, oauthIn(time.Hour))
		before := counts()
		const n = 4
		errs := make([]error, n)
		params := make([]dbsqlc.OAuthRefreshTokenRotateParams, n)
		for i := range params {
			params[i] = rotateParams(rt.TokenHash, p.client)
		}
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				<-start
				_, errs[i] = q.OAuthRefreshTokenRotate(ctx, params[i])
			})
		}
		close(start)
		wg.Wait()
		won := 0
		for _, err := range errs {
			if err == nil {
				won++
				continue
			}
			require.ErrorIs(t, err, stackdb.ErrNotFound)
		}
		require.Equal(t, 1, won, "errors: %v", errors.Join(errs...))
		require.Equal(t, [2]int{before[0] + 1, before[1] + 1}, counts())
	})
}

// ---------------------------------------------------------------------------
// oauth_team_consents

func TestOAuthTeamConsent(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	p := createOAuthParty(t, pool)
	key := dbsqlc.OAuthTeamConsentGetByUserTeamClientActiveParams{UserID: p.user, TeamID: p.team, ClientID: p.client}

	_, err := q.OAuthTeamConsentGetByUserTeamClientActive(ctx, key)
	require.ErrorIs(t, err, stackdb.ErrNotFound)

	granted, err := q.OAuthTeamConsentUpsert(ctx, dbsqlc.OAuthTeamConsentUpsertParams{
		ID: "consent_1", UserID: p.user, TeamID: p.team, ClientID: p.client, Scope: "mcp:read",
	})
	require.NoError(t, err)
	require.Equal(t, dbsqlc.OAuthTeamConsentUpsertRow{
		ID: "consent_1", UserID: p.user, TeamID: p.team, ClientID: p.client, Scope: "mcp:read",
		GrantedAt: granted.GrantedAt, IsActive: true,
	}, granted)
	got, err := q.OAuthTeamConsentGetByUserTeamClientActive(ctx, key)
	require.NoError(t, err)
	require.Equal(t, dbsqlc.OAuthTeamConsent(granted), got)

	again, err := q.OAuthTeamConsentUpsert(ctx, dbsqlc.OAuthTeamConsentUpsertParams{
		ID: "consent_2", UserID: p.user, TeamID: p.team, ClientID: p.client, Scope: "mcp:read mcp:tools:execute",
	})
	require.NoError(t, err)
	require.Equal(t, "consent_1", again.ID, "a second grant updates the consent")
	require.Equal(t, "mcp:read mcp:tools:execute", again.Scope)
	require.Equal(t, 1, countRows(t, pool, "oauth_team_consents", "true"))

	n, err := q.OAuthTeamConsentUpdateLastUsed(ctx, dbsqlc.OAuthTeamConsentUpdateLastUsedParams(key))
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	got, err = q.OAuthTeamConsentGetByUserTeamClientActive(ctx, key)
	require.NoError(t, err)
	require.NotNil(t, got.LastUsedAt)

	// The client's tokens for the user: in this team they go with the
	// consent; in another team, and other clients', they stay.
	otherTeam, _ := createTeam(t, pool)
	elsewhere := oauthParty{user: p.user, team: otherTeam, client: p.client}
	other := oauthParty{user: p.user, team: p.team, client: "client_other"}
	gone := []string{createOAuthAccessToken(t, q, p, oauthIn(time.Hour)).TokenHash, createOAuthAccessToken(t, q, p, oauthIn(time.Hour)).TokenHash}
	goneRT := createOAuthRefreshToken(t, q, p, oauthIn(time.Hour)).TokenHash
	stays := []string{createOAuthAccessToken(t, q, elsewhere, oauthIn(time.Hour)).TokenHash, createOAuthAccessToken(t, q, other, oauthIn(time.Hour)).TokenHash}
	staysRT := createOAuthRefreshToken(t, q, elsewhere, oauthIn(time.Hour)).TokenHash

	rec := &stmtRecorder{DB: pool}
	revoked, err := stackdb.New(rec).OAuthTeamConsentRevoke(ctx, dbsqlc.OAuthTeamConsentRevokeParams(key))
	require.NoError(t, err)
	require.Equal(t, 1, rec.calls, "consent and tokens in one round trip")
	require.Equal(t, dbsqlc.OAuthTeamConsentRevokeRow{Consents: 1, AccessTokens: 2, RefreshTokens: 1}, revoked)
	_, err = q.OAuthTeamConsentGetByUserTeamClientActive(ctx, key)
	require.ErrorIs(t, err, stackdb.ErrNotFound, "a revoked consent is not found")
	for _, h := range gone {
		_, err := q.OAuthAccessTokenGetByTokenHashValid(ctx, h)
		require.ErrorIs(t, err, stackdb.ErrNotFound)
	}
	_, err = q.OAuthRefreshTokenGetByTokenHashValid(ctx, goneRT)
	require.ErrorIs(t, err, stackdb.ErrNotFound)
	for _, h := range stays {
		_, err := q.OAuthAccessTokenGetByTokenHashValid(ctx, h)
		require.NoError(t, err)
	}
	_, err = q.OAuthRefreshTokenGetByTokenHashValid(ctx, staysRT)
	require.NoError(t, err)

	revoked, err = q.OAuthTeamConsentRevoke(ctx, dbsqlc.OAuthTeamConsentRevokeParams(key))
	require.NoError(t, err)
	require.Zero(t, revoked, "revoking again revokes nothing")
	n, err = q.OAuthTeamConsentUpdateLastUsed(ctx, dbsqlc.OAuthTeamConsentUpdateLastUsedParams(key))
	require.NoError(t, err)
	require.Zero(t, n, "a revoked consent is not used")

	regranted, err := q.OAuthTeamConsentUpsert(ctx, dbsqlc.OAuthTeamConsentUpsertParams{
		ID: "consent_3", UserID: p.user, TeamID: p.team, ClientID: p.client, Scope: "mcp:read",
	})
	require.NoError(t, err)
	require.Equal(t, "consent_1", regranted.ID)
	require.True(t, regranted.IsActive, "granting again reactivates")
}

// DeployStack's oauth_team_consents_unique_user_team_client is not unique:
// real data may hold several rows for one (user, team, client).
func TestOAuthTeamConsentDuplicates(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	p := createOAuthParty(t, pool)
	for i, ago := range []string{"2 days", "1 day"} {
		insert(t, pool, `INSERT INTO oauth_team_consents (id, user_id, team_id, client_id, scope, granted_at, is_active)
			VALUES ($1, $2, $3, $4, 'mcp:read', now() - $5::interval, $6)`,
			[]string{"consent_a", "consent_b"}[i], p.user, p.team, p.client, ago, i == 0)
	}
	key := dbsqlc.OAuthTeamConsentGetByUserTeamClientActiveParams{UserID: p.user, TeamID: p.team, ClientID: p.client}
	got, err := q.OAuthTeamConsentGetByUserTeamClientActive(ctx, key)
	require.NoError(t, err)
	require.Equal(t, "consent_a", got.ID, "the active one")

	up, err := q.OAuthTeamConsentUpsert(ctx, dbsqlc.OAuthTeamConsentUpsertParams{ID: newID("consent"), UserID: p.user, TeamID: p.team, ClientID: p.client, Scope: "offline_access"})
	require.NoError(t, err)
	require.Equal(t, "consent_a", up.ID)
	require.Equal(t, 2, countRows(t, pool, "oauth_team_consents", "is_active AND scope = 'offline_access'"), "every row of the consent is granted")

	revoked, err := q.OAuthTeamConsentRevoke(ctx, dbsqlc.OAuthTeamConsentRevokeParams(key))
	require.NoError(t, err)
	require.EqualValues(t, 2, revoked.Consents)
	require.Zero(t, countRows(t, pool, "oauth_team_consents", "is_active"))
}

// ---------------------------------------------------------------------------
// dynamic_oauth_clients

func createDynamicOAuthClient(t *testing.T, q dbsqlc.Querier, expiresAt *time.Time) dbsqlc.DynamicOAuthClient {
	t.Helper()
	c, err := q.DynamicOAuthClientInsert(t.Context(), dbsqlc.DynamicOAuthClientInsertParams{
		ClientID: newID("dyn"), ClientName: "VS Code", RedirectUris: json.RawMessage(`["http://127.0.0.1:33418"]`),
		GrantTypes: json.RawMessage(`["authorization_code","refresh_token"]`), ResponseTypes: json.RawMessage(`["code"]`),
		Scope: "mcp:read", TokenEndpointAuthMethod: "none", ExpiresAt: expiresAt,
	})
	require.NoError(t, err)
	return c
}

func TestDynamicOAuthClient(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)

	issued := oauthIn(-time.Minute).Truncate(time.Second) // RFC 7591: epoch seconds
	created, err := q.DynamicOAuthClientInsert(ctx, dbsqlc.DynamicOAuthClientInsertParams{
		ClientID: "dyn_1", ClientName: "Dynamically Registered MCP Client",
		RedirectUris: json.RawMessage(`["http://127.0.0.1:33418","https://vscode.dev/redirect"]`),
		GrantTypes:   json.RawMessage(`["authorization_code"]`), ResponseTypes: json.RawMessage(`["code"]`),
		Scope: "mcp:read mcp:tools:execute offline_access", TokenEndpointAuthMethod: "none", ClientIDIssuedAt: &issued,
	})
	require.NoError(t, err)
	require.Equal(t, "dyn_1", created.ClientID)
	require.True(t, issued.Equal(created.ClientIDIssuedAt))
	require.Nil(t, created.ExpiresAt)
	require.JSONEq(t, `["http://127.0.0.1:33418","https://vscode.dev/redirect"]`, string(created.RedirectUris))
	got, err := q.DynamicOAuthClientGetByIDValid(ctx, "dyn_1")
	require.NoError(t, err)
	require.Equal(t, created, got)

	tx, err := pool.Begin(ctx)
	require.NoError(t, err)
	defer tx.Rollback(ctx) //nolint:errcheck
	now := dbNow(t, tx)
	def := createDynamicOAuthClient(t, stackdb.New(tx), nil)
	require.NoError(t, tx.Commit(ctx))
	require.WithinDuration(t, now, def.ClientIDIssuedAt, time.Millisecond, "client_id_issued_at nil is now()")

	expired := createDynamicOAuthClient(t, q, new(oauthIn(-time.Second)))
	later := createDynamicOAuthClient(t, q, new(oauthIn(time.Hour)))
	for _, tt := range []struct {
		name, id string
		found    bool
	}{
		{"never expires", "dyn_1", true},
		{"expires later", later.ClientID, true},
		{"expired", expired.ClientID, false},
		{"unknown", "dyn_missing", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := q.DynamicOAuthClientGetByIDValid(ctx, tt.id)
			if tt.found {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, stackdb.ErrNotFound)
		})
	}

	_, err = q.DynamicOAuthClientInsert(ctx, dbsqlc.DynamicOAuthClientInsertParams{
		ClientID: "dyn_1", ClientName: "x", RedirectUris: json.RawMessage(`[]`), GrantTypes: json.RawMessage(`[]`), ResponseTypes: json.RawMessage(`[]`),
	})
	requireOAuthConstraint(t, err, stackdb.Unique, "dynamic_oauth_clients", "dynamic_oauth_clients_pkey")

	n, err := q.DynamicOAuthClientDeleteExpired(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 1, n, "only the expired client")
	require.Equal(t, 3, countRows(t, pool, "dynamic_oauth_clients", "true"))

	n, err = q.DynamicOAuthClientDelete(ctx, later.ClientID)
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	n, err = q.DynamicOAuthClientDelete(ctx, later.ClientID)
	require.NoError(t, err)
	require.Zero(t, n)
}

// ---------------------------------------------------------------------------
// plans

func TestOAuthQueriesUseIndexes(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	p := createOAuthParty(t, pool)
	var at dbsqlc.OAuthAccessToken
	var rt dbsqlc.OAuthRefreshToken
	for range 50 {
		at = createOAuthAccessToken(t, q, p, oauthIn(time.Hour))
		rt = createOAuthRefreshToken(t, q, p, oauthIn(time.Hour))
	}
	client := createOAuthClient(t, q, nil)
	req := createOAuthCodeRequest(t, q, p, "S256", "v", time.Minute)
	execSQL(t, pool, "ANALYZE")
	tx := noSeqscanTx(t, pool)

	tests := []struct {
		name    string
		run     func(q dbsqlc.Querier) error
		indexes []string // any of them
	}{
		{"access token by hash", func(q dbsqlc.Querier) error {
			_, err := q.OAuthAccessTokenGetByTokenHashValid(ctx, at.TokenHash)
			return err
		}, []string{"oauth_access_tokens_token_hash_key"}},
		{"access token by id", func(q dbsqlc.Querier) error {
			_, err := q.OAuthAccessTokenGetByIDValid(ctx, at.ID)
			return err
		}, []string{"oauth_access_tokens_pkey"}},
		{"refresh token by hash", func(q dbsqlc.Querier) error {
			_, err := q.OAuthRefreshTokenGetByTokenHashValid(ctx, rt.TokenHash)
			return err
		}, []string{"oauth_refresh_tokens_token_hash_key"}},
		{"refresh rotation", func(q dbsqlc.Querier) error {
			_, err := q.OAuthRefreshTokenRotate(ctx, dbsqlc.OAuthRefreshTokenRotateParams{OldTokenHash: "sha256:none", ClientID: p.client})
			if errors.Is(err, stackdb.ErrNotFound) {
				return nil
			}
			return err
		}, []string{"oauth_refresh_tokens_token_hash_key"}},
		{"access revoke by user and client", func(q dbsqlc.Querier) error {
			_, err := q.OAuthAccessTokenRevokeByUserClient(ctx, dbsqlc.OAuthAccessTokenRevokeByUserClientParams{UserID: "user_x", ClientID: "c"})
			return err
		}, []string{"oauth_access_tokens_user_client_idx"}},
		{"refresh revoke by user and client", func(q dbsqlc.Querier) error {
			_, err := q.OAuthRefreshTokenRevokeByUserClient(ctx, dbsqlc.OAuthRefreshTokenRevokeByUserClientParams{UserID: "user_x", ClientID: "c"})
			return err
		}, []string{"oauth_refresh_tokens_user_client_idx"}},
		{"access expiry sweep", func(q dbsqlc.Querier) error {
			_, err := q.OAuthAccessTokenDeleteExpired(ctx)
			return err
		}, []string{"oauth_access_tokens_expires_at_idx"}},
		{"refresh expiry sweep", func(q dbsqlc.Querier) error {
			_, err := q.OAuthRefreshTokenDeleteExpired(ctx)
			return err
		}, []string{"oauth_refresh_tokens_expires_at_idx"}},
		{"consent revoke", func(q dbsqlc.Querier) error {
			_, err := q.OAuthTeamConsentRevoke(ctx, dbsqlc.OAuthTeamConsentRevokeParams{UserID: "user_x", TeamID: "t", ClientID: "c"})
			return err
		}, []string{"oauth_access_tokens_user_client_idx"}},
		{"code claim", func(q dbsqlc.Querier) error {
			_, err := q.OAuthAuthorizationCodeClaim(ctx, dbsqlc.OAuthAuthorizationCodeClaimParams{Code: req.Code, ClientID: p.client, RedirectUri: "x", CodeVerifier: "v"})
			if errors.Is(err, stackdb.ErrNotFound) {
				return nil
			}
			return err
		}, []string{"oauth_authorization_codes_code_key"}},
		{"client by client_id", func(q dbsqlc.Querier) error {
			_, err := q.OAuthClientGetByClientIDActive(ctx, client.ClientID)
			return err
		}, []string{"oauth_clients_client_id_key", "oauth_clients_client_id_idx"}},
		{"consent by user, team, client", func(q dbsqlc.Querier) error {
			_, err := q.OAuthTeamConsentGetByUserTeamClientActive(ctx, dbsqlc.OAuthTeamConsentGetByUserTeamClientActiveParams{UserID: "u", TeamID: "t", ClientID: "c"})
			if errors.Is(err, stackdb.ErrNotFound) {
				return nil
			}
			return err
		}, []string{"oauth_team_consents_user_team_client_idx", "oauth_team_consents_unique_user_team_client"}},
		{"dynamic client expiry sweep", func(q dbsqlc.Querier) error {
			_, err := q.DynamicOAuthClientDeleteExpired(ctx)
			return err
		}, []string{"dynamic_oauth_clients_expires_at_idx"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := explainQuery(t, tx, tt.run)
			used := false
			for _, idx := range tt.indexes {
				used = used || slices.Contains(plan.Indexes(), idx)
			}
			require.True(t, used, "want one of %v; plan:\n%s", tt.indexes, plan.Text())
		})
	}
}
