package stackdb_test

import (
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/gen/dbsqlc"
)

// ---------------------------------------------------------------------------
// Fixtures of the auth tables (users, sessions and tokens go through the
// queries under test only where a test is about them).

// createSession signs userID in for ttl (negative: already expired).
func createSession(t *testing.T, db stackdb.DB, userID string, ttl time.Duration) string {
	t.Helper()
	id := newID("sess")
	insert(t, db, `INSERT INTO sessions (id, user_id, expires_at) VALUES ($1, $2, now() + $3::interval)`,
		id, userID, ttl.String())
	return id
}

// createAuthToken issues a token of table (email_verification_tokens or
// password_reset_tokens) to userID for ttl.
func createAuthToken(t *testing.T, db stackdb.DB, table, userID string, ttl time.Duration) string {
	t.Helper()
	id := newID("tok")
	insert(t, db, `INSERT INTO `+table+` (id, user_id, token_hash, expires_at) VALUES ($1, $2, 'argon2-hash', now() + $3::interval)`,
		id, userID, ttl.String())
	return id
}

func requireConstraint(t *testing.T, err error, kind stackdb.ConstraintKind, constraint string) {
	t.Helper()
	var cerr *stackdb.ConstraintError
	require.ErrorAs(t, err, &cerr)
	require.Equal(t, kind, cerr.Kind, "%v", err)
	require.Equal(t, constraint, cerr.Constraint, "%v", err)
}

// ---------------------------------------------------------------------------
// roles

func TestRoleQueries(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)

	role, err := q.RoleInsert(ctx, dbsqlc.RoleInsertParams{ID: "role_a", Name: "a", Description: new("A role")})
	require.NoError(t, err)
	require.JSONEq(t, `[]`, string(role.Permissions), "permissions default to none")
	require.False(t, role.IsSystemRole)

	got, err := q.RoleGetByID(ctx, "role_a")
	require.NoError(t, err)
	require.Equal(t, role, got)
	_, err = q.RoleGetByID(ctx, "role_missing")
	require.ErrorIs(t, err, stackdb.ErrNotFound)

	_, err = q.RoleInsert(ctx, dbsqlc.RoleInsertParams{ID: "role_b", Name: "a"})
	require.True(t, stackdb.IsUniqueViolation(err, "roles_name_key"), "%v", err)
	_, err = q.RoleInsert(ctx, dbsqlc.RoleInsertParams{ID: "role_c", Name: "c", Permissions: json.RawMessage(`{"no": "array"}`)})
	requireConstraint(t, err, stackdb.Check, "roles_permissions_is_array")

	n, err := q.RoleUpdate(ctx, dbsqlc.RoleUpdateParams{ID: "role_a", Permissions: json.RawMessage(`["teams.read"]`)})
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	got, err = q.RoleGetByID(ctx, "role_a")
	require.NoError(t, err)
	require.JSONEq(t, `["teams.read"]`, string(got.Permissions))
	require.Equal(t, "a", got.Name, "nil keeps the name")
	require.Equal(t, "A role", *got.Description)
	n, err = q.RoleUpdate(ctx, dbsqlc.RoleUpdateParams{ID: "role_missing", Name: new("x")})
	require.NoError(t, err)
	require.Zero(t, n)

	held := createRole(t, pool)
	insert(t, pool, `INSERT INTO users (id, username, email, auth_type, role_id) VALUES ('u_held', 'u', 'u@example.com', 'email_signup', $1)`, held)
	roles, err := q.RoleList(ctx)
	require.NoError(t, err)
	require.Len(t, roles, 2)
	require.Equal(t, "a", roles[0].Name, "by name")

	_, err = q.RoleDelete(ctx, held)
	requireConstraint(t, err, stackdb.ForeignKey, "users_role_id_fkey")
	n, err = q.RoleDelete(ctx, "role_a")
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	n, err = q.RoleDelete(ctx, "role_a")
	require.NoError(t, err)
	require.Zero(t, n)
}

// ---------------------------------------------------------------------------
// users

func TestUserInsertAndGet(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	role := createRole(t, pool)

	alice, err := q.UserInsert(ctx, dbsqlc.UserInsertParams{
		ID: "user_alice", Username: "alice", Email: "Alice@Example.COM", AuthType: "email_signup",
		FirstName: new("Alice"), HashedPassword: new("argon2-hash"), RoleID: &role,
	})
	require.NoError(t, err)
	require.Equal(t, dbsqlc.User{
		ID: "user_alice", Username: "alice", Email: "alice@example.com", AuthType: "email_signup",
		FirstName: new("Alice"), HashedPassword: new("argon2-hash"), RoleID: &role,
	}, alice, "the email is stored lowercased; unset fields are NULL or their default")
	gh, err := q.UserInsert(ctx, dbsqlc.UserInsertParams{
		ID: "user_gh", Username: "alice", Email: "octo@example.com", AuthType: "github", GithubID: new("4242"), EmailVerified: true,
	})
	require.NoError(t, err, "usernames are not unique, as in DeployStack")
	// An imported row written before DeployStack lowercased emails.
	insert(t, pool, `INSERT INTO users (id, username, email, auth_type) VALUES ('user_bob', 'bob', 'Bob@Example.com', 'email_signup')`)

	tests := []struct {
		name   string
		get    func() (dbsqlc.User, error)
		wantID string // empty: ErrNotFound
	}{
		{"by id", func() (dbsqlc.User, error) { return q.UserGetByID(ctx, "user_alice") }, "user_alice"},
		{"by id missing", func() (dbsqlc.User, error) { return q.UserGetByID(ctx, "user_missing") }, ""},
		{"by email, any case", func() (dbsqlc.User, error) { return q.UserGetByEmail(ctx, "ALICE@example.com") }, "user_alice"},
		{"by email, imported mixed case", func() (dbsqlc.User, error) { return q.UserGetByEmail(ctx, "bob@example.com") }, "user_bob"},
		{"by email missing", func() (dbsqlc.User, error) { return q.UserGetByEmail(ctx, "carol@example.com") }, ""},
		{"by github id", func() (dbsqlc.User, error) { return q.UserGetByGithubID(ctx, "4242") }, "user_gh"},
		{"by github id missing", func() (dbsqlc.User, error) { return q.UserGetByGithubID(ctx, "1") }, ""},
		{"login by email", func() (dbsqlc.User, error) { return q.UserGetByLogin(ctx, "octo@EXAMPLE.com") }, "user_gh"},
		{"login by username, oldest id of two", func() (dbsqlc.User, error) { return q.UserGetByLogin(ctx, "alice") }, "user_alice"},
		{"login by username is exact", func() (dbsqlc.User, error) { return q.UserGetByLogin(ctx, "Alice") }, ""},
		{"login missing", func() (dbsqlc.User, error) { return q.UserGetByLogin(ctx, "carol") }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := tt.get()
			if tt.wantID == "" {
				require.ErrorIs(t, err, stackdb.ErrNotFound)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.wantID, u.ID)
		})
	}
	got, err := q.UserGetByGithubID(ctx, "4242")
	require.NoError(t, err)
	require.Equal(t, gh, got)

	t.Run("an email login wins over a username login", func(t *testing.T) {
		// user_z's username is user_y's email.
		insert(t, pool, `INSERT INTO users (id, username, email, auth_type) VALUES ('user_z', 'y@example.com', 'z@example.com', 'email_signup')`)
		insert(t, pool, `INSERT INTO users (id, username, email, auth_type) VALUES ('user_y', 'y', 'y@example.com', 'email_signup')`)
		u, err := q.UserGetByLogin(ctx, "y@example.com")
		require.NoError(t, err)
		require.Equal(t, "user_y", u.ID)
	})

	t.Run("refused inserts", func(t *testing.T) {
		_, err := q.UserInsert(ctx, dbsqlc.UserInsertParams{ID: "user_a2", Username: "a2", Email: "ALICE@example.com", AuthType: "email_signup"})
		require.True(t, stackdb.IsUniqueViolation(err, "users_email_key"), "lowercased, the email is taken: %v", err)
		_, err = q.UserInsert(ctx, dbsqlc.UserInsertParams{ID: "user_g2", Username: "g2", Email: "g2@example.com", AuthType: "github", GithubID: new("4242")})
		require.True(t, stackdb.IsUniqueViolation(err, "users_github_id_key"), "%v", err)
		_, err = q.UserInsert(ctx, dbsqlc.UserInsertParams{ID: "user_r", Username: "r", Email: "r@example.com", AuthType: "email_signup", RoleID: new("role_missing")})
		requireConstraint(t, err, stackdb.ForeignKey, "users_role_id_fkey")
		require.Zero(t, countRows(t, pool, "users", "id IN ('user_a2', 'user_g2', 'user_r')"))
	})
}

func TestUserUpdates(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	id := createUser(t, pool)
	other := createRole(t, pool)

	user := func() dbsqlc.User {
		u, err := q.UserGetByID(ctx, id)
		require.NoError(t, err)
		return u
	}
	before := user()

	t.Run("profile", func(t *testing.T) {
		u, err := q.UserUpdateProfile(ctx, dbsqlc.UserUpdateProfileParams{ID: id, FirstName: new("Ada"), Email: new("Ada@Example.com")})
		require.NoError(t, err)
		want := before
		want.FirstName, want.Email = new("Ada"), "ada@example.com"
		require.Equal(t, want, u, "only the fields given change; the email is lowercased")
		require.Equal(t, want, user())
		_, err = q.UserUpdateProfile(ctx, dbsqlc.UserUpdateProfileParams{ID: "user_missing", Username: new("x")})
		require.ErrorIs(t, err, stackdb.ErrNotFound)
	})

	tests := []struct {
		name   string
		update func(id string) (int64, error)
		check  func(t *testing.T, u dbsqlc.User)
	}{
		{"role", func(id string) (int64, error) {
			return q.UserUpdateRole(ctx, dbsqlc.UserUpdateRoleParams{ID: id, RoleID: &other})
		}, func(t *testing.T, u dbsqlc.User) { require.Equal(t, other, *u.RoleID) }},
		{"password", func(id string) (int64, error) {
			return q.UserUpdatePassword(ctx, dbsqlc.UserUpdatePasswordParams{ID: id, HashedPassword: new("new-hash")})
		}, func(t *testing.T, u dbsqlc.User) { require.Equal(t, "new-hash", *u.HashedPassword) }},
		{"email verified", func(id string) (int64, error) {
			return q.UserUpdateEmailVerified(ctx, dbsqlc.UserUpdateEmailVerifiedParams{ID: id, EmailVerified: true})
		}, func(t *testing.T, u dbsqlc.User) { require.True(t, u.EmailVerified) }},
		{"github id", func(id string) (int64, error) {
			return q.UserUpdateGithubID(ctx, dbsqlc.UserUpdateGithubIDParams{ID: id, GithubID: new("77")})
		}, func(t *testing.T, u dbsqlc.User) { require.Equal(t, "77", *u.GithubID) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := tt.update(id)
			require.NoError(t, err)
			require.EqualValues(t, 1, n)
			tt.check(t, user())
			n, err = tt.update("user_missing")
			require.NoError(t, err)
			require.Zero(t, n)
		})
	}
}

func TestUserListAndCount(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	admin := createRole(t, pool)
	insert(t, pool, `INSERT INTO users (id, username, email, auth_type, role_id) VALUES
		('u1', 'carol', 'c@example.com', 'email_signup', $1),
		('u2', 'alice', 'a@example.com', 'email_signup', $1),
		('u3', 'bob', 'b@example.com', 'github', NULL)`, admin)

	n, err := q.UserCount(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 3, n)

	all, err := q.UserList(ctx)
	require.NoError(t, err)
	require.Len(t, all, 3)
	require.Equal(t, []string{"alice", "bob", "carol"}, []string{all[0].User.Username, all[1].User.Username, all[2].User.Username})
	require.Equal(t, admin, *all[0].RoleName, "the fixture's role is named after its id")
	require.Nil(t, all[1].RoleName, "no role")

	byRole, err := q.UserListByRole(ctx, admin)
	require.NoError(t, err)
	require.Equal(t, []string{"u2", "u1"}, []string{byRole[0].ID, byRole[1].ID})
	none, err := q.UserListByRole(ctx, "role_missing")
	require.NoError(t, err)
	require.Empty(t, none)

	counts, err := q.UserCountByRole(ctx)
	require.NoError(t, err)
	require.Equal(t, []dbsqlc.UserCountByRoleRow{{RoleID: nil, Users: 1}, {RoleID: &admin, Users: 2}}, counts)
}

// Deleting a user takes their sessions, keys, tokens, owned teams and
// memberships with them.
func TestUserDeleteCascades(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	teamID, owner := createTeam(t, pool)
	insert(t, pool, `INSERT INTO team_members (id, team_id, user_id, role) VALUES ('m1', $1, $2, 'team_admin')`, teamID, owner)
	createSession(t, pool, owner, time.Hour)
	createAuthToken(t, pool, "email_verification_tokens", owner, time.Hour)
	createAuthToken(t, pool, "password_reset_tokens", owner, time.Hour)
	insert(t, pool, `INSERT INTO auth_keys (id, user_id, primary_key) VALUES ('k1', $1, 'email:x')`, owner)
	keep := createUser(t, pool)
	createSession(t, pool, keep, time.Hour)

	n, err := q.UserDelete(ctx, owner)
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	for _, table := range []string{"sessions", "email_verification_tokens", "password_reset_tokens", "auth_keys", "team_members"} {
		require.Zero(t, countRows(t, pool, table, "user_id = $1", owner), table)
	}
	require.Zero(t, countRows(t, pool, "teams", "id = $1", teamID))
	require.Equal(t, 1, countRows(t, pool, "sessions", "user_id = $1", keep), "others' rows stay")
	n, err = q.UserDelete(ctx, owner)
	require.NoError(t, err)
	require.Zero(t, n)
}

// ---------------------------------------------------------------------------
// sessions

func TestSessionQueries(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	userID := createUser(t, pool)
	noRole := newID("user")
	insert(t, pool, `INSERT INTO users (id, username, email, auth_type) VALUES ($1, $1, $1 || '@example.com', 'github')`, noRole)

	expires := time.Now().Add(30 * 24 * time.Hour).Truncate(time.Microsecond)
	s, err := q.SessionInsert(ctx, dbsqlc.SessionInsertParams{ID: "sess_live", UserID: userID, ExpiresAt: expires})
	require.NoError(t, err)
	require.Equal(t, dbsqlc.Session{ID: "sess_live", UserID: userID, ExpiresAt: s.ExpiresAt}, s)
	require.True(t, expires.Equal(s.ExpiresAt))
	_, err = q.SessionInsert(ctx, dbsqlc.SessionInsertParams{ID: "sess_x", UserID: "user_missing", ExpiresAt: expires})
	requireConstraint(t, err, stackdb.ForeignKey, "sessions_user_id_fkey")

	expired := createSession(t, pool, userID, -time.Second)
	roleless := createSession(t, pool, noRole, time.Hour)

	t.Run("get valid", func(t *testing.T) {
		got, err := q.SessionGetValidByID(ctx, "sess_live")
		require.NoError(t, err)
		require.Equal(t, s, got.Session)
		user, err := q.UserGetByID(ctx, userID)
		require.NoError(t, err)
		require.Equal(t, user, got.User)
		require.JSONEq(t, `["teams.read"]`, string(got.RolePermissions), "the permissions of the user's role")

		got, err = q.SessionGetValidByID(ctx, roleless)
		require.NoError(t, err)
		require.Equal(t, noRole, got.User.ID)
		require.Nil(t, got.RolePermissions, "a user without a role has no permissions")

		for _, id := range []string{expired, "sess_missing"} {
			_, err = q.SessionGetValidByID(ctx, id)
			require.ErrorIs(t, err, stackdb.ErrNotFound, id)
		}
	})

	t.Run("extend", func(t *testing.T) {
		later := expires.Add(time.Hour)
		n, err := q.SessionUpdateExpiresAt(ctx, dbsqlc.SessionUpdateExpiresAtParams{ID: "sess_live", ExpiresAt: later})
		require.NoError(t, err)
		require.EqualValues(t, 1, n)
		got, err := q.SessionGetValidByID(ctx, "sess_live")
		require.NoError(t, err)
		require.True(t, later.Equal(got.Session.ExpiresAt))
		n, err = q.SessionUpdateExpiresAt(ctx, dbsqlc.SessionUpdateExpiresAtParams{ID: expired, ExpiresAt: later})
		require.NoError(t, err)
		require.Zero(t, n, "an expired session stays expired")
	})

	t.Run("delete expired", func(t *testing.T) {
		n, err := q.SessionDeleteExpired(ctx)
		require.NoError(t, err)
		require.EqualValues(t, 1, n)
		require.Zero(t, countRows(t, pool, "sessions", "id = $1", expired))
		require.Equal(t, 2, countRows(t, pool, "sessions", "true"))
	})

	t.Run("delete", func(t *testing.T) {
		n, err := q.SessionDelete(ctx, roleless)
		require.NoError(t, err)
		require.EqualValues(t, 1, n)
		n, err = q.SessionDelete(ctx, roleless)
		require.NoError(t, err)
		require.Zero(t, n)
	})

	t.Run("delete by user", func(t *testing.T) {
		createSession(t, pool, userID, time.Hour)
		other := createSession(t, pool, noRole, time.Hour)
		n, err := q.SessionDeleteByUser(ctx, userID)
		require.NoError(t, err)
		require.EqualValues(t, 2, n)
		require.Equal(t, 1, countRows(t, pool, "sessions", "true"))
		require.Equal(t, 1, countRows(t, pool, "sessions", "id = $1", other))
	})
}

// ---------------------------------------------------------------------------
// auth_keys

func TestAuthKeyQueries(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	userID := createUser(t, pool)
	exp := time.Now().Add(time.Hour).Truncate(time.Microsecond)

	k, err := q.AuthKeyInsert(ctx, dbsqlc.AuthKeyInsertParams{ID: "key_1", UserID: userID, PrimaryKey: "email:a@example.com", HashedPassword: new("h"), Expires: &exp})
	require.NoError(t, err)
	require.True(t, exp.Equal(*k.Expires))
	got, err := q.AuthKeyGetByID(ctx, "key_1")
	require.NoError(t, err)
	require.Equal(t, k, got)
	_, err = q.AuthKeyGetByID(ctx, "key_missing")
	require.ErrorIs(t, err, stackdb.ErrNotFound)
	bare, err := q.AuthKeyInsert(ctx, dbsqlc.AuthKeyInsertParams{ID: "key_2", UserID: userID, PrimaryKey: "github:1"})
	require.NoError(t, err)
	require.Nil(t, bare.HashedPassword)
	require.Nil(t, bare.Expires)

	n, err := q.AuthKeyDelete(ctx, "key_1")
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	n, err = q.AuthKeyDelete(ctx, "key_1")
	require.NoError(t, err)
	require.Zero(t, n)
}

// ---------------------------------------------------------------------------
// email_verification_tokens, password_reset_tokens

// authTokenQueries runs the same queries on either token table.
type authTokenQueries struct {
	table        string
	insert       func(q dbsqlc.Querier, id, userID string, expires time.Time) (id2, userID2 string, err error)
	getValid     func(q dbsqlc.Querier, id string) error
	deleteByUser func(q dbsqlc.Querier, userID string) (int64, error)
	sweep        func(q dbsqlc.Querier) (int64, error)
}

func authTokenKinds(t *testing.T) []authTokenQueries {
	ctx := t.Context()
	return []authTokenQueries{{
		table: "email_verification_tokens",
		insert: func(q dbsqlc.Querier, id, userID string, expires time.Time) (string, string, error) {
			tok, err := q.EmailVerificationTokenInsert(ctx, dbsqlc.EmailVerificationTokenInsertParams{ID: id, UserID: userID, TokenHash: "h", ExpiresAt: expires})
			return tok.ID, tok.UserID, err
		},
		getValid: func(q dbsqlc.Querier, id string) error {
			_, err := q.EmailVerificationTokenGetValidByID(ctx, id)
			return err
		},
		deleteByUser: func(q dbsqlc.Querier, userID string) (int64, error) {
			return q.EmailVerificationTokenDeleteByUser(ctx, userID)
		},
		sweep: func(q dbsqlc.Querier) (int64, error) { return q.EmailVerificationTokenDeleteExpired(ctx) },
	}, {
		table: "password_reset_tokens",
		insert: func(q dbsqlc.Querier, id, userID string, expires time.Time) (string, string, error) {
			tok, err := q.PasswordResetTokenInsert(ctx, dbsqlc.PasswordResetTokenInsertParams{ID: id, UserID: userID, TokenHash: "h", ExpiresAt: expires})
			return tok.ID, tok.UserID, err
		},
		getValid: func(q dbsqlc.Querier, id string) error {
			_, err := q.PasswordResetTokenGetValidByID(ctx, id)
			return err
		},
		deleteByUser: func(q dbsqlc.Querier, userID string) (int64, error) {
			return q.PasswordResetTokenDeleteByUser(ctx, userID)
		},
		sweep: func(q dbsqlc.Querier) (int64, error) { return q.PasswordResetTokenDeleteExpired(ctx) },
	}}
}

func TestAuthTokenQueries(t *testing.T) {
	t.Parallel()
	for _, kind := range authTokenKinds(t) {
		t.Run(kind.table, func(t *testing.T) {
			t.Parallel()
			_, pool, q := setup(t)
			userID, other := createUser(t, pool), createUser(t, pool)
			otherToken := createAuthToken(t, pool, kind.table, other, time.Hour)
			soon := time.Now().Add(10 * time.Minute)

			id, uid, err := kind.insert(q, "tok_first", userID, soon)
			require.NoError(t, err)
			require.Equal(t, "tok_first", id)
			require.Equal(t, userID, uid)
			require.NoError(t, kind.getValid(q, "tok_first"))

			_, _, err = kind.insert(q, "tok_second", userID, soon)
			require.NoError(t, err)
			require.ErrorIs(t, kind.getValid(q, "tok_first"), stackdb.ErrNotFound, "a new token replaces the user's earlier ones")
			require.NoError(t, kind.getValid(q, "tok_second"))
			require.NoError(t, kind.getValid(q, otherToken), "other users' tokens stay")

			_, _, err = kind.insert(q, "tok_x", "user_missing", soon)
			require.Error(t, err)
			require.Equal(t, 2, countRows(t, pool, kind.table, "true"))

			expired := createAuthToken(t, pool, kind.table, other, -time.Second)
			require.ErrorIs(t, kind.getValid(q, expired), stackdb.ErrNotFound, "expired")
			n, err := kind.sweep(q)
			require.NoError(t, err)
			require.EqualValues(t, 1, n)
			require.Zero(t, countRows(t, pool, kind.table, "id = $1", expired))
			require.Equal(t, 2, countRows(t, pool, kind.table, "true"))

			n, err = kind.deleteByUser(q, userID)
			require.NoError(t, err)
			require.EqualValues(t, 1, n)
			require.Equal(t, 1, countRows(t, pool, kind.table, "id = $1", otherToken))
		})
	}
}

func TestUserUpdateEmailVerifiedByToken(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	userID := createUser(t, pool)
	token := createAuthToken(t, pool, "email_verification_tokens", userID, time.Hour)

	rec := &stmtRecorder{DB: pool}
	u, err := stackdb.New(rec).UserUpdateEmailVerifiedByToken(ctx, token)
	require.NoError(t, err)
	require.Equal(t, 1, rec.calls, "one round trip")
	require.Equal(t, userID, u.ID)
	require.True(t, u.EmailVerified)
	require.Zero(t, countRows(t, pool, "email_verification_tokens", "true"), "the token is consumed")

	_, err = q.UserUpdateEmailVerifiedByToken(ctx, token)
	require.ErrorIs(t, err, stackdb.ErrNotFound, "a token verifies once")

	late := createUser(t, pool)
	expired := createAuthToken(t, pool, "email_verification_tokens", late, -time.Second)
	_, err = q.UserUpdateEmailVerifiedByToken(ctx, expired)
	require.ErrorIs(t, err, stackdb.ErrNotFound)
	lateUser, err := q.UserGetByID(ctx, late)
	require.NoError(t, err)
	require.False(t, lateUser.EmailVerified, "an expired token verifies nothing")
	require.Equal(t, 1, countRows(t, pool, "email_verification_tokens", "id = $1", expired), "and is left to the sweep")
}

func TestUserUpdatePasswordByResetToken(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	userID := createUser(t, pool)
	createSession(t, pool, userID, time.Hour)
	createSession(t, pool, userID, time.Hour)
	bystander := createUser(t, pool)
	kept := createSession(t, pool, bystander, time.Hour)
	token := createAuthToken(t, pool, "password_reset_tokens", userID, time.Hour)

	rec := &stmtRecorder{DB: pool}
	u, err := stackdb.New(rec).UserUpdatePasswordByResetToken(ctx, dbsqlc.UserUpdatePasswordByResetTokenParams{TokenID: token, HashedPassword: new("new-hash")})
	require.NoError(t, err)
	require.Equal(t, 1, rec.calls, "one round trip")
	require.Equal(t, userID, u.ID)
	require.Equal(t, "new-hash", *u.HashedPassword)
	require.Zero(t, countRows(t, pool, "password_reset_tokens", "true"), "the token is consumed")
	require.Zero(t, countRows(t, pool, "sessions", "user_id = $1", userID), "the user is signed out everywhere")
	require.Equal(t, 1, countRows(t, pool, "sessions", "id = $1", kept), "others stay signed in")

	_, err = q.UserUpdatePasswordByResetToken(ctx, dbsqlc.UserUpdatePasswordByResetTokenParams{TokenID: token, HashedPassword: new("again")})
	require.ErrorIs(t, err, stackdb.ErrNotFound, "a token resets once")

	tests := []struct {
		name     string
		authType string
		ttl      time.Duration
	}{
		{"expired", "email_signup", -time.Second},
		{"not an email_signup user", "github", time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := newID("user")
			insert(t, pool, `INSERT INTO users (id, username, email, auth_type, hashed_password) VALUES ($1, $1, $1 || '@example.com', $2, 'old')`, id, tt.authType)
			session := createSession(t, pool, id, time.Hour)
			tok := createAuthToken(t, pool, "password_reset_tokens", id, tt.ttl)
			_, err := q.UserUpdatePasswordByResetToken(ctx, dbsqlc.UserUpdatePasswordByResetTokenParams{TokenID: tok, HashedPassword: new("new")})
			require.ErrorIs(t, err, stackdb.ErrNotFound)
			user, err := q.UserGetByID(ctx, id)
			require.NoError(t, err)
			require.Equal(t, "old", *user.HashedPassword, "nothing changes")
			require.Equal(t, 1, countRows(t, pool, "sessions", "id = $1", session))
			require.Equal(t, 1, countRows(t, pool, "password_reset_tokens", "id = $1", tok), "the token stays")
		})
	}
}

// Racing consumers of one token: exactly one wins.
func TestAuthTokenConsumedOnceUnderRace(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	userID := createUser(t, pool)
	verify := createAuthToken(t, pool, "email_verification_tokens", userID, time.Hour)
	reset := createAuthToken(t, pool, "password_reset_tokens", userID, time.Hour)

	tests := []struct {
		name    string
		consume func() error
	}{
		{"verify email", func() error {
			_, err := q.UserUpdateEmailVerifiedByToken(ctx, verify)
			return err
		}},
		{"reset password", func() error {
			_, err := q.UserUpdatePasswordByResetToken(ctx, dbsqlc.UserUpdatePasswordByResetTokenParams{TokenID: reset, HashedPassword: new("h")})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const racers = 8
			errs := make(chan error, racers)
			var wg sync.WaitGroup
			for range racers {
				wg.Go(func() { errs <- tt.consume() })
			}
			wg.Wait()
			close(errs)
			won := 0
			for err := range errs {
				if err == nil {
					won++
					continue
				}
				require.True(t, errors.Is(err, stackdb.ErrNotFound), "%v", err)
			}
			require.Equal(t, 1, won)
		})
	}
}

// ---------------------------------------------------------------------------
// Index use

func TestAuthQueriesUseIndexes(t *testing.T) {
	t.Parallel()
	ctx, pool, _ := setup(t)
	userID := createUser(t, pool)
	insert(t, pool, `UPDATE users SET github_id = '99' WHERE id = $1`, userID)
	session := createSession(t, pool, userID, time.Hour)
	// Enough rows that the plans are those of a real table, not of a tiny
	// one that any index scan covers whole.
	insert(t, pool, `INSERT INTO users (id, username, email, auth_type, github_id)
		SELECT 'bulk_' || i, 'bulk_' || i, 'bulk_' || i || '@example.com', 'github', 'gh_' || i FROM generate_series(1, 2000) i`)
	insert(t, pool, `INSERT INTO sessions (id, user_id, expires_at)
		SELECT 'bulk_sess_' || i, 'bulk_' || (i % 2000 + 1), now() + i * interval '1 minute' FROM generate_series(1, 4000) i`)
	tx := noSeqscanTx(t, pool)
	execSQL(t, tx, "ANALYZE users, sessions, roles, email_verification_tokens, password_reset_tokens")

	tests := []struct {
		name    string
		query   func(q dbsqlc.Querier) error
		indexes []string
	}{
		{"UserGetByEmail", func(q dbsqlc.Querier) error {
			_, err := q.UserGetByEmail(ctx, "X@example.com")
			return ignoreNotFound(err)
		}, []string{"users_lower_email_idx"}},
		{"UserGetByLogin", func(q dbsqlc.Querier) error {
			_, err := q.UserGetByLogin(ctx, "x")
			return ignoreNotFound(err)
		}, []string{"users_lower_email_idx", "users_username_idx"}},
		{"UserGetByGithubID", func(q dbsqlc.Querier) error {
			_, err := q.UserGetByGithubID(ctx, "99")
			return err
		}, []string{"users_github_id_key"}},
		{"SessionGetValidByID", func(q dbsqlc.Querier) error {
			_, err := q.SessionGetValidByID(ctx, session)
			return err
		}, []string{"sessions_pkey", "users_pkey", "roles_pkey"}},
		{"SessionDeleteByUser", func(q dbsqlc.Querier) error {
			_, err := q.SessionDeleteByUser(ctx, "user_missing")
			return err
		}, []string{"sessions_user_id_idx"}},
		{"SessionDeleteExpired", func(q dbsqlc.Querier) error {
			_, err := q.SessionDeleteExpired(ctx)
			return err
		}, []string{"sessions_expires_at_idx"}},
		{"EmailVerificationTokenInsert", func(q dbsqlc.Querier) error {
			_, err := q.EmailVerificationTokenInsert(ctx, dbsqlc.EmailVerificationTokenInsertParams{ID: "t1", UserID: userID, TokenHash: "h", ExpiresAt: time.Now().Add(time.Hour)})
			return err
		}, []string{"email_verification_tokens_user_id_idx"}},
		{"PasswordResetTokenInsert", func(q dbsqlc.Querier) error {
			_, err := q.PasswordResetTokenInsert(ctx, dbsqlc.PasswordResetTokenInsertParams{ID: "t2", UserID: userID, TokenHash: "h", ExpiresAt: time.Now().Add(time.Hour)})
			return err
		}, []string{"password_reset_tokens_user_id_idx"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &stmtRecorder{DB: tx}
			require.NoError(t, tt.query(stackdb.New(rec)))
			// The custom plan, and the generic one a prepared statement run
			// often may settle on.
			plans := []queryPlan{explain(t, tx, rec)}
			if len(rec.args) > 0 { // without parameters the plan is generic already
				plans = append(plans, explainGeneric(t, tx, rec))
			}
			for _, plan := range plans {
				for _, index := range tt.indexes {
					require.Contains(t, plan.Indexes(), index, "plan:\n%s", plan.Text())
				}
			}
		})
	}
}

func ignoreNotFound(err error) error {
	if errors.Is(err, stackdb.ErrNotFound) {
		return nil
	}
	return err
}
