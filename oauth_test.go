package stackdb_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/gen/dbsqlc"
)

// ---------------------------------------------------------------------------
// Fixtures

func createOAuthClient(t *testing.T, q dbsqlc.Querier, scope string) dbsqlc.OAuthClient {
	t.Helper()
	c, err := q.OAuthClientCreate(t.Context(), dbsqlc.OAuthClientCreateParams{
		ClientID:     newID("client"),
		ClientName:   "CLI",
		RedirectUris: json.RawMessage(`["http://localhost:8976/callback"]`),
		GrantTypes:   json.RawMessage(`["authorization_code", "refresh_token"]`),
		Scope:        scope,
	})
	require.NoError(t, err)
	return c
}

// tokenHash returns a unique stand-in for the hash of a token.
func tokenHash(kind string) string { return "sha256:" + newID(kind+"_secret") }

func createAccessToken(t *testing.T, q dbsqlc.Querier, clientID, userID string, expiresAt time.Time) dbsqlc.OAuthAccessToken {
	t.Helper()
	tok, err := q.OAuthAccessTokenCreate(t.Context(), dbsqlc.OAuthAccessTokenCreateParams{
		ID:        newID("at"),
		TokenHash: tokenHash("at"),
		ClientID:  clientID,
		UserID:    userID,
		Scope:     "mcp:read",
		ExpiresAt: expiresAt,
	})
	require.NoError(t, err)
	return tok
}

func createRefreshToken(t *testing.T, q dbsqlc.Querier, clientID, userID string, accessTokenID *string, expiresAt time.Time) dbsqlc.OAuthRefreshToken {
	t.Helper()
	tok, err := q.OAuthRefreshTokenCreate(t.Context(), dbsqlc.OAuthRefreshTokenCreateParams{
		ID:            newID("rt"),
		TokenHash:     tokenHash("rt"),
		AccessTokenID: accessTokenID,
		ClientID:      clientID,
		UserID:        userID,
		ExpiresAt:     expiresAt,
	})
	require.NoError(t, err)
	return tok
}

// tokenKind lets one test cover access and refresh tokens alike.
type tokenKind struct {
	name      string
	table     string
	hashIndex string
	// create makes a token of the user expiring at expiresAt; it returns its
	// id and hash.
	create          func(t *testing.T, q dbsqlc.Querier, clientID, userID string, expiresAt time.Time) (id, hash string)
	getValid        func(ctx context.Context, q dbsqlc.Querier, hash string) (id string, err error)
	revoke          func(ctx context.Context, q dbsqlc.Querier, id string) (int64, error)
	revokeAllByUser func(ctx context.Context, q dbsqlc.Querier, userID string) (int64, error)
	revokeExpired   func(ctx context.Context, q dbsqlc.Querier) (int64, error)
}

var tokenKinds = []tokenKind{
	{
		name:      "access",
		table:     "oauth_access_tokens",
		hashIndex: "oauth_access_tokens_token_hash_key",
		create: func(t *testing.T, q dbsqlc.Querier, clientID, userID string, expiresAt time.Time) (string, string) {
			tok := createAccessToken(t, q, clientID, userID, expiresAt)
			return tok.ID, tok.TokenHash
		},
		getValid: func(ctx context.Context, q dbsqlc.Querier, hash string) (string, error) {
			tok, err := q.OAuthAccessTokenGetValid(ctx, hash)
			return tok.ID, err
		},
		revoke: func(ctx context.Context, q dbsqlc.Querier, id string) (int64, error) {
			return q.OAuthAccessTokenRevoke(ctx, id)
		},
		revokeAllByUser: func(ctx context.Context, q dbsqlc.Querier, u string) (int64, error) {
			return q.OAuthAccessTokenRevokeAllByUser(ctx, u)
		},
		revokeExpired: func(ctx context.Context, q dbsqlc.Querier) (int64, error) {
			return q.OAuthAccessTokenRevokeExpired(ctx)
		},
	},
	{
		name:      "refresh",
		table:     "oauth_refresh_tokens",
		hashIndex: "oauth_refresh_tokens_token_hash_key",
		create: func(t *testing.T, q dbsqlc.Querier, clientID, userID string, expiresAt time.Time) (string, string) {
			tok := createRefreshToken(t, q, clientID, userID, nil, expiresAt)
			return tok.ID, tok.TokenHash
		},
		getValid: func(ctx context.Context, q dbsqlc.Querier, hash string) (string, error) {
			tok, err := q.OAuthRefreshTokenGetValid(ctx, hash)
			return tok.ID, err
		},
		revoke: func(ctx context.Context, q dbsqlc.Querier, id string) (int64, error) {
			return q.OAuthRefreshTokenRevoke(ctx, id)
		},
		revokeAllByUser: func(ctx context.Context, q dbsqlc.Querier, u string) (int64, error) {
			return q.OAuthRefreshTokenRevokeAllByUser(ctx, u)
		},
		revokeExpired: func(ctx context.Context, q dbsqlc.Querier) (int64, error) {
			return q.OAuthRefreshTokenRevokeExpired(ctx)
		},
	},
}

// oauthFixture is a client and two users (neither owns a team, so both can
// be deleted).
func oauthFixture(t *testing.T, q dbsqlc.Querier) (client dbsqlc.OAuthClient, alice, bob dbsqlc.User) {
	t.Helper()
	role := createRole(t, q, "member")
	return createOAuthClient(t, q, "mcp:read mcp:write"),
		createUser(t, q, role.ID, "alice@example.com"),
		createUser(t, q, role.ID, "bob@example.com")
}

// ---------------------------------------------------------------------------
// oauth_clients

func TestOAuthClientCreateGet(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)

	created, err := q.OAuthClientCreate(ctx, dbsqlc.OAuthClientCreateParams{
		ClientID:     "client_cli",
		ClientName:   "DeployStack CLI",
		RedirectUris: json.RawMessage(`["http://localhost:8976/callback"]`),
		GrantTypes:   json.RawMessage(`["authorization_code"]`),
		Scope:        "mcp:read",
	})
	require.NoError(t, err)
	require.Equal(t, "client_cli", created.ClientID)
	require.Equal(t, "DeployStack CLI", created.ClientName)
	require.JSONEq(t, `["http://localhost:8976/callback"]`, string(created.RedirectUris))
	require.JSONEq(t, `["authorization_code"]`, string(created.GrantTypes))
	require.Equal(t, "mcp:read", created.Scope)
	require.WithinDuration(t, time.Now(), created.CreatedAt, time.Minute)

	got, err := q.OAuthClientGet(ctx, "client_cli")
	require.NoError(t, err)
	require.Equal(t, created, got)
	_, err = q.OAuthClientGet(ctx, "client_missing")
	require.ErrorIs(t, err, stackdb.ErrNotFound)

	_, err = q.OAuthClientCreate(ctx, dbsqlc.OAuthClientCreateParams{
		ClientID: "client_cli", ClientName: "again", RedirectUris: json.RawMessage(`[]`), GrantTypes: json.RawMessage(`[]`),
	})
	requireConstraintError(t, err, stackdb.Unique, "oauth_clients", "oauth_clients_pkey")

	for _, tt := range []struct {
		redirect, grants, constraint string
	}{
		{`"http://x"`, `[]`, "oauth_clients_redirect_uris_is_array"},
		{`{}`, `[]`, "oauth_clients_redirect_uris_is_array"},
		{`[]`, `"authorization_code"`, "oauth_clients_grant_types_is_array"},
		{`[]`, `null`, "oauth_clients_grant_types_is_array"},
	} {
		_, err = q.OAuthClientCreate(ctx, dbsqlc.OAuthClientCreateParams{
			ClientID: newID("client"), ClientName: "x", RedirectUris: json.RawMessage(tt.redirect), GrantTypes: json.RawMessage(tt.grants),
		})
		requireConstraintError(t, err, stackdb.Check, "oauth_clients", tt.constraint)
	}
}

// ---------------------------------------------------------------------------
// oauth_access_tokens, oauth_refresh_tokens

func TestOAuthTokenCreateGet(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)
	client, alice, _ := oauthFixture(t, q)

	exp := in(time.Hour)
	at, err := q.OAuthAccessTokenCreate(ctx, dbsqlc.OAuthAccessTokenCreateParams{
		ID: "at_1", TokenHash: "sha256:at_1", ClientID: client.ClientID, UserID: alice.ID, Scope: "mcp:read", ExpiresAt: exp,
	})
	require.NoError(t, err)
	require.Equal(t, dbsqlc.OAuthAccessToken{
		ID: "at_1", TokenHash: "sha256:at_1", ClientID: client.ClientID, UserID: alice.ID, Scope: "mcp:read",
		ExpiresAt: at.ExpiresAt, CreatedAt: at.CreatedAt,
	}, at, "a new token is not revoked")
	require.True(t, exp.Equal(at.ExpiresAt))
	require.WithinDuration(t, time.Now(), at.CreatedAt, time.Minute)

	rt, err := q.OAuthRefreshTokenCreate(ctx, dbsqlc.OAuthRefreshTokenCreateParams{
		ID: "rt_1", TokenHash: "sha256:rt_1", AccessTokenID: &at.ID, ClientID: client.ClientID, UserID: alice.ID, ExpiresAt: exp,
	})
	require.NoError(t, err)
	require.Equal(t, dbsqlc.OAuthRefreshToken{
		ID: "rt_1", TokenHash: "sha256:rt_1", AccessTokenID: &at.ID, ClientID: client.ClientID, UserID: alice.ID,
		ExpiresAt: rt.ExpiresAt, CreatedAt: rt.CreatedAt,
	}, rt)

	gotAT, err := q.OAuthAccessTokenGetValid(ctx, "sha256:at_1")
	require.NoError(t, err)
	require.Equal(t, at, gotAT)
	gotRT, err := q.OAuthRefreshTokenGetValid(ctx, "sha256:rt_1")
	require.NoError(t, err)
	require.Equal(t, rt, gotRT)

	_, err = q.OAuthAccessTokenGetValid(ctx, "sha256:rt_1")
	require.ErrorIs(t, err, stackdb.ErrNotFound, "a refresh token is no access token")
	_, err = q.OAuthRefreshTokenGetValid(ctx, "sha256:at_1")
	require.ErrorIs(t, err, stackdb.ErrNotFound, "an access token is no refresh token")
}

func TestOAuthTokenGetValid(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)
	client, alice, _ := oauthFixture(t, q)

	for _, kind := range tokenKinds {
		t.Run(kind.name, func(t *testing.T) {
			validID, valid := kind.create(t, q, client.ClientID, alice.ID, in(time.Minute))
			_, expired := kind.create(t, q, client.ClientID, alice.ID, in(-time.Second))
			_, longExpired := kind.create(t, q, client.ClientID, alice.ID, in(-30*24*time.Hour))
			revokedID, revoked := kind.create(t, q, client.ClientID, alice.ID, in(time.Hour))
			n, err := kind.revoke(ctx, q, revokedID)
			require.NoError(t, err)
			require.EqualValues(t, 1, n)

			tests := []struct {
				name, hash, wantID string // wantID "" for not found
			}{
				{"valid", valid, validID},
				{"expired", expired, ""},
				{"long expired", longExpired, ""},
				{"revoked", revoked, ""},
				{"unknown hash", "sha256:unknown", ""},
				{"hash prefix", valid[:len(valid)-1], ""},
				{"empty", "", ""},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					id, err := kind.getValid(ctx, q, tt.hash)
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
}

func TestOAuthTokenRevoke(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)
	client, alice, bob := oauthFixture(t, q)

	for _, kind := range tokenKinds {
		t.Run(kind.name, func(t *testing.T) {
			id, hash := kind.create(t, q, client.ClientID, alice.ID, in(time.Hour))
			otherID, other := kind.create(t, q, client.ClientID, alice.ID, in(time.Hour))

			n, err := kind.revoke(ctx, q, id)
			require.NoError(t, err)
			require.EqualValues(t, 1, n)
			_, err = kind.getValid(ctx, q, hash)
			require.ErrorIs(t, err, stackdb.ErrNotFound, "a revoked token is no longer valid")
			got, err := kind.getValid(ctx, q, other)
			require.NoError(t, err, "only the named token is revoked")
			require.Equal(t, otherID, got)

			n, err = kind.revoke(ctx, q, id)
			require.NoError(t, err)
			require.Zero(t, n, "revoking a revoked token counts nothing")
			n, err = kind.revoke(ctx, q, "missing")
			require.NoError(t, err)
			require.Zero(t, n)
		})
	}

	t.Run("all of a user's tokens", func(t *testing.T) {
		for _, kind := range tokenKinds {
			var aliceHashes []string
			for range 3 {
				_, h := kind.create(t, q, client.ClientID, alice.ID, in(time.Hour))
				aliceHashes = append(aliceHashes, h)
			}
			kind.create(t, q, client.ClientID, alice.ID, in(-time.Hour)) // expired, not yet revoked: revoked too
			bobID, bobHash := kind.create(t, q, client.ClientID, bob.ID, in(time.Hour))

			// The subtest above left alice one revoked and one valid token
			// of this kind: 3 + 1 + 1 are revoked now.
			n, err := kind.revokeAllByUser(ctx, q, alice.ID)
			require.NoError(t, err)
			require.EqualValues(t, 5, n, kind.name)
			for _, h := range aliceHashes {
				_, err := kind.getValid(ctx, q, h)
				require.ErrorIs(t, err, stackdb.ErrNotFound)
			}
			got, err := kind.getValid(ctx, q, bobHash)
			require.NoError(t, err, "other users' tokens stay valid")
			require.Equal(t, bobID, got)

			n, err = kind.revokeAllByUser(ctx, q, alice.ID)
			require.NoError(t, err)
			require.Zero(t, n, kind.name)
		}
	})
}

func TestOAuthTokenRevokeExpired(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	client, alice, bob := oauthFixture(t, q)

	for _, kind := range tokenKinds {
		t.Run(kind.name, func(t *testing.T) {
			n, err := kind.revokeExpired(ctx, q)
			require.NoError(t, err)
			require.Zero(t, n, "nothing to revoke yet")

			var validHashes []string
			for _, tok := range []struct {
				user string
				in   time.Duration
			}{
				{alice.ID, -time.Hour}, {alice.ID, -time.Millisecond}, {bob.ID, -48 * time.Hour}, {bob.ID, -time.Minute},
				{alice.ID, time.Hour}, {bob.ID, time.Minute}, {bob.ID, 90 * 24 * time.Hour},
			} {
				_, h := kind.create(t, q, client.ClientID, tok.user, in(tok.in))
				if tok.in > 0 {
					validHashes = append(validHashes, h)
				}
			}
			// Expired and already revoked: not counted again.
			id, _ := kind.create(t, q, client.ClientID, alice.ID, in(-time.Hour))
			_, err = kind.revoke(ctx, q, id)
			require.NoError(t, err)

			n, err = kind.revokeExpired(ctx, q)
			require.NoError(t, err)
			require.EqualValues(t, 4, n, "exactly the expired tokens not yet revoked")
			for _, h := range validHashes {
				_, err := kind.getValid(ctx, q, h)
				require.NoError(t, err, "valid tokens stay valid")
			}
			require.Equal(t, 8, countRows(t, pool, kind.table, "true"), "tokens are revoked, not deleted")
			require.Equal(t, 5, countRows(t, pool, kind.table, "revoked"))
			require.Equal(t, 0, countRows(t, pool, kind.table, "NOT revoked AND expires_at <= now()"))

			n, err = kind.revokeExpired(ctx, q)
			require.NoError(t, err)
			require.Zero(t, n, "a second sweep finds nothing")
		})
	}

	t.Run("a valid refresh token survives its expired access token", func(t *testing.T) {
		at := createAccessToken(t, q, client.ClientID, alice.ID, in(-time.Minute))
		rt := createRefreshToken(t, q, client.ClientID, alice.ID, &at.ID, in(time.Hour))
		n, err := q.OAuthAccessTokenRevokeExpired(ctx)
		require.NoError(t, err)
		require.EqualValues(t, 1, n)
		got, err := q.OAuthRefreshTokenGetValid(ctx, rt.TokenHash)
		require.NoError(t, err)
		require.Equal(t, rt, got)
	})
}

func TestOAuthTokenQueriesUseIndexes(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	client, alice, _ := oauthFixture(t, q)
	var hashes []string
	for _, kind := range tokenKinds {
		for range 20 {
			_, h := kind.create(t, q, client.ClientID, alice.ID, in(time.Hour))
			hashes = append(hashes, h)
		}
	}
	tx := noSeqscanTx(t, pool)

	tests := []struct {
		name  string
		run   func(q dbsqlc.Querier) error
		index string
	}{
		{"access by hash", func(q dbsqlc.Querier) error {
			_, err := q.OAuthAccessTokenGetValid(ctx, hashes[3])
			return err
		}, "oauth_access_tokens_token_hash_key"},
		{"refresh by hash", func(q dbsqlc.Querier) error {
			_, err := q.OAuthRefreshTokenGetValid(ctx, hashes[23])
			return err
		}, "oauth_refresh_tokens_token_hash_key"},
		{"access revoke expired", func(q dbsqlc.Querier) error {
			_, err := q.OAuthAccessTokenRevokeExpired(ctx)
			return err
		}, "oauth_access_tokens_expires_at_idx"},
		{"refresh revoke expired", func(q dbsqlc.Querier) error {
			_, err := q.OAuthRefreshTokenRevokeExpired(ctx)
			return err
		}, "oauth_refresh_tokens_expires_at_idx"},
		{"access revoke all by user", func(q dbsqlc.Querier) error {
			_, err := q.OAuthAccessTokenRevokeAllByUser(ctx, "user_x")
			return err
		}, "oauth_access_tokens_user_id_idx"},
		{"refresh revoke all by user", func(q dbsqlc.Querier) error {
			_, err := q.OAuthRefreshTokenRevokeAllByUser(ctx, "user_x")
			return err
		}, "oauth_refresh_tokens_user_id_idx"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := explainQuery(t, tx, tt.run)
			require.Contains(t, plan.Indexes(), tt.index, "plan:\n%s", plan)
		})
	}
}

func TestOAuthRefreshTokenRotate(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	client, alice, bob := oauthFixture(t, q)

	counts := func() [2]int {
		return [2]int{countRows(t, pool, "oauth_access_tokens", "true"), countRows(t, pool, "oauth_refresh_tokens", "true")}
	}
	// rotateParams asks for a new pair with fresh ids and hashes.
	rotateParams := func(oldHash string) dbsqlc.OAuthRefreshTokenRotateParams {
		return dbsqlc.OAuthRefreshTokenRotateParams{
			OldTokenHash:     oldHash,
			ClientID:         client.ClientID,
			AccessTokenID:    newID("at"),
			AccessTokenHash:  tokenHash("at"),
			AccessExpiresAt:  in(time.Hour),
			RefreshTokenID:   newID("rt"),
			RefreshTokenHash: tokenHash("rt"),
			RefreshExpiresAt: in(30 * 24 * time.Hour),
		}
	}

	oldAT := createAccessToken(t, q, client.ClientID, alice.ID, in(time.Minute))
	oldRT := createRefreshToken(t, q, client.ClientID, alice.ID, &oldAT.ID, in(time.Hour))
	bobRT := createRefreshToken(t, q, client.ClientID, bob.ID, nil, in(time.Hour))

	before := counts()
	p := rotateParams(oldRT.TokenHash)
	got, err := q.OAuthRefreshTokenRotate(ctx, p)
	require.NoError(t, err)
	require.Equal(t, dbsqlc.OAuthRefreshTokenRotateRow{
		AccessTokenID:    p.AccessTokenID,
		ClientID:         client.ClientID,
		UserID:           alice.ID,
		Scope:            oldAT.Scope,
		AccessExpiresAt:  got.AccessExpiresAt,
		RefreshTokenID:   p.RefreshTokenID,
		RefreshExpiresAt: got.RefreshExpiresAt,
	}, got, "the new pair is the old token's client and user; the scope carries over")
	require.True(t, p.AccessExpiresAt.Equal(got.AccessExpiresAt))
	require.True(t, p.RefreshExpiresAt.Equal(got.RefreshExpiresAt))
	require.Equal(t, [2]int{before[0] + 1, before[1] + 1}, counts(), "one access and one refresh token inserted")

	newAT, err := q.OAuthAccessTokenGetValid(ctx, p.AccessTokenHash)
	require.NoError(t, err, "the new access token is valid")
	require.Equal(t, dbsqlc.OAuthAccessToken{
		ID: p.AccessTokenID, TokenHash: p.AccessTokenHash, ClientID: client.ClientID, UserID: alice.ID, Scope: oldAT.Scope,
		ExpiresAt: newAT.ExpiresAt, CreatedAt: newAT.CreatedAt,
	}, newAT)
	newRT, err := q.OAuthRefreshTokenGetValid(ctx, p.RefreshTokenHash)
	require.NoError(t, err, "the new refresh token is valid")
	require.Equal(t, dbsqlc.OAuthRefreshToken{
		ID: p.RefreshTokenID, TokenHash: p.RefreshTokenHash, AccessTokenID: &p.AccessTokenID, ClientID: client.ClientID,
		UserID: alice.ID, ExpiresAt: newRT.ExpiresAt, CreatedAt: newRT.CreatedAt,
	}, newRT, "the new refresh token belongs to the new access token")

	_, err = q.OAuthRefreshTokenGetValid(ctx, oldRT.TokenHash)
	require.ErrorIs(t, err, stackdb.ErrNotFound, "the presented refresh token is revoked")
	_, err = q.OAuthRefreshTokenGetValid(ctx, bobRT.TokenHash)
	require.NoError(t, err, "other refresh tokens are untouched")

	t.Run("the old token a second time", func(t *testing.T) {
		before := counts()
		p := rotateParams(oldRT.TokenHash)
		_, err := q.OAuthRefreshTokenRotate(ctx, p)
		require.ErrorIs(t, err, stackdb.ErrNotFound)
		require.Equal(t, before, counts(), "nothing inserted")
		_, err = q.OAuthAccessTokenGetValid(ctx, p.AccessTokenHash)
		require.ErrorIs(t, err, stackdb.ErrNotFound)
		_, err = q.OAuthRefreshTokenGetValid(ctx, newRT.TokenHash)
		require.NoError(t, err, "the pair of the first rotation stays valid")
	})

	t.Run("invalid tokens insert nothing", func(t *testing.T) {
		expired := createRefreshToken(t, q, client.ClientID, alice.ID, nil, in(-time.Second))
		revoked := createRefreshToken(t, q, client.ClientID, alice.ID, nil, in(time.Hour))
		n, err := q.OAuthRefreshTokenRevoke(ctx, revoked.ID)
		require.NoError(t, err)
		require.EqualValues(t, 1, n)
		otherClient := createOAuthClient(t, q, "x")
		foreign := createRefreshToken(t, q, otherClient.ClientID, alice.ID, nil, in(time.Hour))

		for name, hash := range map[string]string{
			"expired":          expired.TokenHash,
			"revoked":          revoked.TokenHash,
			"unknown":          "sha256:unknown",
			"access token":     newAT.TokenHash,
			"another client's": foreign.TokenHash,
		} {
			before := counts()
			_, err := q.OAuthRefreshTokenRotate(ctx, rotateParams(hash))
			require.ErrorIs(t, err, stackdb.ErrNotFound, name)
			require.Equal(t, before, counts(), "%s: nothing inserted", name)
		}
		_, err = q.OAuthRefreshTokenGetValid(ctx, foreign.TokenHash)
		require.NoError(t, err, "a token presented by the wrong client is not revoked")
		require.Equal(t, 0, countRows(t, pool, "oauth_refresh_tokens", "id = $1 AND revoked", expired.ID),
			"an expired token is left as it was")
	})

	t.Run("scope: given, else the old access token's, else the client's", func(t *testing.T) {
		rt := createRefreshToken(t, q, client.ClientID, bob.ID, nil, in(time.Hour))
		got, err := q.OAuthRefreshTokenRotate(ctx, rotateParams(rt.TokenHash))
		require.NoError(t, err)
		require.Equal(t, client.Scope, got.Scope, "no access token to inherit from")
		require.Equal(t, bob.ID, got.UserID)

		rt = createRefreshToken(t, q, client.ClientID, bob.ID, nil, in(time.Hour))
		p := rotateParams(rt.TokenHash)
		p.Scope = new("mcp:read")
		got, err = q.OAuthRefreshTokenRotate(ctx, p)
		require.NoError(t, err)
		require.Equal(t, "mcp:read", got.Scope)
		at, err := q.OAuthAccessTokenGetValid(ctx, p.AccessTokenHash)
		require.NoError(t, err)
		require.Equal(t, "mcp:read", at.Scope)
	})

	t.Run("a new hash that exists already changes nothing", func(t *testing.T) {
		rt := createRefreshToken(t, q, client.ClientID, alice.ID, nil, in(time.Hour))
		for _, tt := range []struct {
			table, constraint string
			set               func(*dbsqlc.OAuthRefreshTokenRotateParams)
		}{
			{"oauth_access_tokens", "oauth_access_tokens_token_hash_key", func(p *dbsqlc.OAuthRefreshTokenRotateParams) {
				p.AccessTokenHash = newAT.TokenHash
			}},
			{"oauth_refresh_tokens", "oauth_refresh_tokens_token_hash_key", func(p *dbsqlc.OAuthRefreshTokenRotateParams) {
				p.RefreshTokenHash = bobRT.TokenHash
			}},
		} {
			before := counts()
			p := rotateParams(rt.TokenHash)
			tt.set(&p)
			_, err := q.OAuthRefreshTokenRotate(ctx, p)
			requireConstraintError(t, err, stackdb.Unique, tt.table, tt.constraint, newAT.TokenHash, bobRT.TokenHash)
			require.Equal(t, before, counts())
			_, err = q.OAuthRefreshTokenGetValid(ctx, rt.TokenHash)
			require.NoError(t, err, "the failed rotation did not revoke the presented token")
		}
	})
}

// Concurrent rotations of one refresh token: exactly one wins.
func TestOAuthRefreshTokenRotateConcurrently(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	client, alice, _ := oauthFixture(t, q)
	rt := createRefreshToken(t, q, client.ClientID, alice.ID, nil, in(time.Hour))

	const n = 8
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			_, errs[i] = q.OAuthRefreshTokenRotate(ctx, dbsqlc.OAuthRefreshTokenRotateParams{
				OldTokenHash:     rt.TokenHash,
				ClientID:         client.ClientID,
				AccessTokenID:    newID("at"),
				AccessTokenHash:  tokenHash("at"),
				AccessExpiresAt:  in(time.Hour),
				RefreshTokenID:   newID("rt"),
				RefreshTokenHash: tokenHash("rt"),
				RefreshExpiresAt: in(time.Hour),
			})
		})
	}
	close(start)
	wg.Wait()

	var won int
	for _, err := range errs {
		if err == nil {
			won++
			continue
		}
		require.ErrorIs(t, err, stackdb.ErrNotFound)
	}
	require.Equal(t, 1, won, "errors: %v", errors.Join(errs...))
	require.Equal(t, 1, countRows(t, pool, "oauth_access_tokens", "true"))
	require.Equal(t, 2, countRows(t, pool, "oauth_refresh_tokens", "true"))
	require.Equal(t, 1, countRows(t, pool, "oauth_refresh_tokens", "NOT revoked"))
}

func TestOAuthTokenConstraints(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)
	client, alice, bob := oauthFixture(t, q)
	at := createAccessToken(t, q, client.ClientID, alice.ID, in(time.Hour))
	rt := createRefreshToken(t, q, client.ClientID, alice.ID, &at.ID, in(time.Hour))

	t.Run("token hashes are unique", func(t *testing.T) {
		_, err := q.OAuthAccessTokenCreate(ctx, dbsqlc.OAuthAccessTokenCreateParams{
			ID: newID("at"), TokenHash: at.TokenHash, ClientID: client.ClientID, UserID: bob.ID, Scope: "x", ExpiresAt: in(time.Hour),
		})
		requireConstraintError(t, err, stackdb.Unique, "oauth_access_tokens", "oauth_access_tokens_token_hash_key", at.TokenHash)
		require.True(t, stackdb.IsUniqueViolation(err, "oauth_access_tokens_token_hash_key"))

		_, err = q.OAuthRefreshTokenCreate(ctx, dbsqlc.OAuthRefreshTokenCreateParams{
			ID: newID("rt"), TokenHash: rt.TokenHash, ClientID: client.ClientID, UserID: bob.ID, ExpiresAt: in(time.Hour),
		})
		requireConstraintError(t, err, stackdb.Unique, "oauth_refresh_tokens", "oauth_refresh_tokens_token_hash_key", rt.TokenHash)
		require.NotContains(t, fmt.Sprintf("%+v", err), rt.TokenHash)

		// The same hash may appear once per table.
		_, err = q.OAuthRefreshTokenCreate(ctx, dbsqlc.OAuthRefreshTokenCreateParams{
			ID: newID("rt"), TokenHash: at.TokenHash, ClientID: client.ClientID, UserID: bob.ID, ExpiresAt: in(time.Hour),
		})
		require.NoError(t, err)
	})

	t.Run("foreign keys", func(t *testing.T) {
		_, err := q.OAuthAccessTokenCreate(ctx, dbsqlc.OAuthAccessTokenCreateParams{
			ID: newID("at"), TokenHash: tokenHash("at"), ClientID: "client_missing", UserID: alice.ID, Scope: "x", ExpiresAt: in(time.Hour),
		})
		requireConstraintError(t, err, stackdb.ForeignKey, "oauth_access_tokens", "oauth_access_tokens_client_id_fkey")
		_, err = q.OAuthAccessTokenCreate(ctx, dbsqlc.OAuthAccessTokenCreateParams{
			ID: newID("at"), TokenHash: tokenHash("at"), ClientID: client.ClientID, UserID: "user_missing", Scope: "x", ExpiresAt: in(time.Hour),
		})
		requireConstraintError(t, err, stackdb.ForeignKey, "oauth_access_tokens", "oauth_access_tokens_user_id_fkey")
		_, err = q.OAuthRefreshTokenCreate(ctx, dbsqlc.OAuthRefreshTokenCreateParams{
			ID: newID("rt"), TokenHash: tokenHash("rt"), AccessTokenID: new("at_missing"), ClientID: client.ClientID, UserID: alice.ID, ExpiresAt: in(time.Hour),
		})
		requireConstraintError(t, err, stackdb.ForeignKey, "oauth_refresh_tokens", "oauth_refresh_tokens_access_token_id_fkey")
	})
}

func TestOAuthUserDeleteCascadesTokens(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	client, alice, bob := oauthFixture(t, q)
	aliceAT := createAccessToken(t, q, client.ClientID, alice.ID, in(time.Hour))
	aliceRT := createRefreshToken(t, q, client.ClientID, alice.ID, &aliceAT.ID, in(time.Hour))
	createRefreshToken(t, q, client.ClientID, alice.ID, nil, in(time.Hour))
	bobAT := createAccessToken(t, q, client.ClientID, bob.ID, in(time.Hour))
	bobRT := createRefreshToken(t, q, client.ClientID, bob.ID, &bobAT.ID, in(time.Hour))

	n, err := q.UserDelete(ctx, alice.ID)
	require.NoError(t, err)
	require.EqualValues(t, 1, n)

	for _, table := range []string{"oauth_access_tokens", "oauth_refresh_tokens"} {
		require.Equal(t, 0, countRows(t, pool, table, "user_id = $1", alice.ID), "%s of the user are deleted", table)
		require.Equal(t, 1, countRows(t, pool, table, "user_id = $1", bob.ID), "%s of others stay", table)
	}
	_, err = q.OAuthAccessTokenGetValid(ctx, aliceAT.TokenHash)
	require.ErrorIs(t, err, stackdb.ErrNotFound)
	_, err = q.OAuthRefreshTokenGetValid(ctx, aliceRT.TokenHash)
	require.ErrorIs(t, err, stackdb.ErrNotFound)
	got, err := q.OAuthRefreshTokenGetValid(ctx, bobRT.TokenHash)
	require.NoError(t, err)
	require.Equal(t, bobRT, got)
	_, err = q.OAuthClientGet(ctx, client.ClientID)
	require.NoError(t, err, "the client stays")
}
