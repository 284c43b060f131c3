package stackdb_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/gen/dbsqlc"
	"github.com/deploystack/stackdb/stackdbtest"
)

func TestMain(m *testing.M) { stackdbtest.Main(m) }

// ---------------------------------------------------------------------------
// Fixtures

var seq atomic.Int64

// newID returns an id unique within the test binary.
func newID(prefix string) string { return fmt.Sprintf("%s_%03d", prefix, seq.Add(1)) }

// setup gives the test its own freshly migrated database.
func setup(t *testing.T) (context.Context, *pgxpool.Pool, dbsqlc.Querier) {
	t.Helper()
	pool := stackdbtest.Pool(t)
	return t.Context(), pool, stackdb.New(pool)
}

func createRole(t *testing.T, q dbsqlc.Querier, name string) dbsqlc.Role {
	t.Helper()
	role, err := q.RoleCreate(t.Context(), dbsqlc.RoleCreateParams{
		ID:          newID("role"),
		Name:        name,
		Permissions: json.RawMessage(`["teams.read"]`),
	})
	require.NoError(t, err)
	return role
}

func createUser(t *testing.T, q dbsqlc.Querier, roleID, email string) dbsqlc.User {
	t.Helper()
	id := newID("user")
	user, err := q.UserCreate(t.Context(), dbsqlc.UserCreateParams{
		ID:       id,
		Username: "name_" + id,
		Email:    email,
		AuthType: dbsqlc.AuthTypeEmailSignup,
		RoleID:   roleID,
	})
	require.NoError(t, err)
	return user
}

func createTeam(t *testing.T, q dbsqlc.Querier, ownerID, name, slug string) dbsqlc.Team {
	t.Helper()
	team, err := q.TeamCreate(t.Context(), dbsqlc.TeamCreateParams{
		ID:      newID("team"),
		Name:    name,
		Slug:    slug,
		OwnerID: ownerID,
	})
	require.NoError(t, err)
	return team
}

func addMember(t *testing.T, q dbsqlc.Querier, teamID, userID string, role dbsqlc.TeamRole) dbsqlc.TeamMember {
	t.Helper()
	m, err := q.TeamMemberCreate(t.Context(), dbsqlc.TeamMemberCreateParams{
		ID:     newID("member"),
		TeamID: teamID,
		UserID: userID,
		Role:   role,
	})
	require.NoError(t, err)
	return m
}

func createSession(t *testing.T, q dbsqlc.Querier, userID string, expiresAt time.Time) dbsqlc.Session {
	t.Helper()
	s, err := q.SessionCreate(t.Context(), dbsqlc.SessionCreateParams{
		ID:        newID("session"),
		UserID:    userID,
		ExpiresAt: expiresAt,
	})
	require.NoError(t, err)
	return s
}

// in returns now+d at the microsecond precision of timestamptz, so times
// round-trip exactly.
func in(d time.Duration) time.Time { return time.Now().Add(d).Truncate(time.Microsecond) }

// requireConstraintError asserts err is a *stackdb.ConstraintError of the
// given kind, table and constraint that still unwraps to the server's error,
// and that its message leaks none of secrets.
func requireConstraintError(t *testing.T, err error, kind stackdb.ConstraintKind, table, constraint string, secrets ...string) {
	t.Helper()
	var cerr *stackdb.ConstraintError
	require.ErrorAs(t, err, &cerr)
	require.Equal(t, kind, cerr.Kind)
	require.Equal(t, table, cerr.Table)
	require.Equal(t, constraint, cerr.Constraint)
	var pgErr *pgconn.PgError
	require.ErrorAs(t, err, &pgErr, "ConstraintError unwraps to the server's error")
	for _, s := range secrets {
		require.NotContains(t, err.Error(), s, "the error message must not carry the offending value")
	}
}

// ---------------------------------------------------------------------------
// roles

func TestRoleCreateGetDelete(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)

	created, err := q.RoleCreate(ctx, dbsqlc.RoleCreateParams{
		ID:           "role_admin",
		Name:         "admin",
		Description:  new("Full access"),
		Permissions:  json.RawMessage(`["users.read","users.write"]`),
		IsSystemRole: true,
	})
	require.NoError(t, err)
	require.Equal(t, "role_admin", created.ID)
	require.Equal(t, "admin", created.Name)
	require.Equal(t, new("Full access"), created.Description)
	require.JSONEq(t, `["users.read","users.write"]`, string(created.Permissions))
	require.True(t, created.IsSystemRole)
	require.WithinDuration(t, time.Now(), created.CreatedAt, time.Minute)
	require.Equal(t, created.CreatedAt, created.UpdatedAt)

	minimal, err := q.RoleCreate(ctx, dbsqlc.RoleCreateParams{ID: "role_viewer", Name: "viewer", Permissions: json.RawMessage(`[]`)})
	require.NoError(t, err)
	require.Nil(t, minimal.Description, "a nil pointer is NULL")
	require.False(t, minimal.IsSystemRole)

	got, err := q.RoleGetByID(ctx, "role_admin")
	require.NoError(t, err)
	require.Equal(t, created, got)

	_, err = q.RoleGetByID(ctx, "role_missing")
	require.ErrorIs(t, err, stackdb.ErrNotFound)
	require.NotErrorIs(t, err, pgx.ErrNoRows, "pgx's sentinel does not leak through the API")

	n, err := q.RoleDelete(ctx, "role_admin")
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	n, err = q.RoleDelete(ctx, "role_admin")
	require.NoError(t, err)
	require.EqualValues(t, 0, n, "deleting a missing id affects no row")
	_, err = q.RoleGetByID(ctx, "role_admin")
	require.ErrorIs(t, err, stackdb.ErrNotFound)
	_, err = q.RoleGetByID(ctx, "role_viewer")
	require.NoError(t, err, "only the named role is deleted")
}

func TestRoleList(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)

	roles, err := q.RoleList(ctx)
	require.NoError(t, err)
	require.NotNil(t, roles, "an empty list is an empty slice, not nil")
	require.Empty(t, roles)

	for _, name := range []string{"viewer", "admin", "member"} {
		createRole(t, q, name)
	}
	roles, err = q.RoleList(ctx)
	require.NoError(t, err)
	var names []string
	for _, r := range roles {
		names = append(names, r.Name)
	}
	require.Equal(t, []string{"admin", "member", "viewer"}, names, "ordered by name")
}

func TestRoleUpdate(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)

	tests := []struct {
		name   string
		params dbsqlc.RoleUpdateParams
		want   func(*dbsqlc.Role)
	}{
		{
			name:   "nothing",
			params: dbsqlc.RoleUpdateParams{},
			want:   func(*dbsqlc.Role) {},
		},
		{
			name:   "name only",
			params: dbsqlc.RoleUpdateParams{Name: new("renamed")},
			want:   func(r *dbsqlc.Role) { r.Name = "renamed" },
		},
		{
			name:   "description only",
			params: dbsqlc.RoleUpdateParams{Description: new("new description")},
			want:   func(r *dbsqlc.Role) { r.Description = new("new description") },
		},
		{
			name:   "permissions only",
			params: dbsqlc.RoleUpdateParams{Permissions: json.RawMessage(`["a", "b"]`)},
			want:   func(r *dbsqlc.Role) { r.Permissions = json.RawMessage(`["a", "b"]`) },
		},
		{
			name:   "all",
			params: dbsqlc.RoleUpdateParams{Name: new("all"), Description: new("d"), Permissions: json.RawMessage(`[]`)},
			want: func(r *dbsqlc.Role) {
				r.Name, r.Description, r.Permissions = "all", new("d"), json.RawMessage(`[]`)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, err := q.RoleCreate(ctx, dbsqlc.RoleCreateParams{
				ID:          newID("role"),
				Name:        newID("name"),
				Description: new("old description"),
				Permissions: json.RawMessage(`["x"]`),
			})
			require.NoError(t, err)

			params := tt.params
			params.ID = before.ID
			n, err := q.RoleUpdate(ctx, params)
			require.NoError(t, err)
			require.EqualValues(t, 1, n)

			after, err := q.RoleGetByID(ctx, before.ID)
			require.NoError(t, err)
			require.True(t, after.UpdatedAt.After(before.UpdatedAt), "updated_at is bumped")
			want := before
			tt.want(&want)
			want.UpdatedAt = after.UpdatedAt
			require.Equal(t, want, after, "columns not given keep their values")
		})
	}

	n, err := q.RoleUpdate(ctx, dbsqlc.RoleUpdateParams{ID: "role_missing", Name: new("x")})
	require.NoError(t, err)
	require.EqualValues(t, 0, n)
}

func TestRoleConstraints(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)
	admin := createRole(t, q, "admin")

	t.Run("name is unique", func(t *testing.T) {
		_, err := q.RoleCreate(ctx, dbsqlc.RoleCreateParams{ID: newID("role"), Name: "admin", Permissions: json.RawMessage(`[]`)})
		requireConstraintError(t, err, stackdb.Unique, "roles", "roles_name_key")
		require.True(t, stackdb.IsUniqueViolation(err, "roles_name_key"))

		other := createRole(t, q, "other")
		_, err = q.RoleUpdate(ctx, dbsqlc.RoleUpdateParams{ID: other.ID, Name: new("admin")})
		requireConstraintError(t, err, stackdb.Unique, "roles", "roles_name_key")
	})

	t.Run("permissions must be a JSON array", func(t *testing.T) {
		for _, perms := range []string{`{"a":1}`, `"users.read"`, `null`, `1`} {
			_, err := q.RoleCreate(ctx, dbsqlc.RoleCreateParams{ID: newID("role"), Name: newID("name"), Permissions: json.RawMessage(perms)})
			requireConstraintError(t, err, stackdb.Check, "roles", "roles_permissions_is_array")
		}
		_, err := q.RoleUpdate(ctx, dbsqlc.RoleUpdateParams{ID: admin.ID, Permissions: json.RawMessage(`{"a":1}`)})
		requireConstraintError(t, err, stackdb.Check, "roles", "roles_permissions_is_array")
		got, err := q.RoleGetByID(ctx, admin.ID)
		require.NoError(t, err)
		require.JSONEq(t, `["teams.read"]`, string(got.Permissions), "a refused update changes nothing")
	})

	t.Run("nil permissions means no permissions", func(t *testing.T) {
		role, err := q.RoleCreate(ctx, dbsqlc.RoleCreateParams{ID: newID("role"), Name: newID("name")})
		require.NoError(t, err)
		require.JSONEq(t, `[]`, string(role.Permissions))
	})

	t.Run("a role in use cannot be deleted", func(t *testing.T) {
		createUser(t, q, admin.ID, "a@example.com")
		n, err := q.RoleDelete(ctx, admin.ID)
		requireConstraintError(t, err, stackdb.ForeignKey, "users", "users_role_id_fkey", admin.ID)
		require.Zero(t, n)
		_, err = q.RoleGetByID(ctx, admin.ID)
		require.NoError(t, err, "the role is still there")
	})
}

// ---------------------------------------------------------------------------
// users

func TestUserCreateGetDelete(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)
	role := createRole(t, q, "member")

	full, err := q.UserCreate(ctx, dbsqlc.UserCreateParams{
		ID:             "user_alice",
		Username:       "alice",
		Email:          "alice@example.com",
		AuthType:       dbsqlc.AuthTypeGithub,
		FirstName:      new("Alice"),
		LastName:       new("Liddell"),
		GithubID:       new("gh-1"),
		HashedPassword: new("$argon2id$hash"),
		EmailVerified:  true,
		RoleID:         role.ID,
	})
	require.NoError(t, err)
	require.Equal(t, dbsqlc.User{
		ID:             "user_alice",
		Username:       "alice",
		Email:          "alice@example.com",
		AuthType:       dbsqlc.AuthTypeGithub,
		FirstName:      new("Alice"),
		LastName:       new("Liddell"),
		GithubID:       new("gh-1"),
		HashedPassword: new("$argon2id$hash"),
		EmailVerified:  true,
		RoleID:         role.ID,
		CreatedAt:      full.CreatedAt,
		UpdatedAt:      full.UpdatedAt,
	}, full)
	require.WithinDuration(t, time.Now(), full.CreatedAt, time.Minute)
	require.Equal(t, full.CreatedAt, full.UpdatedAt)

	minimal := createUser(t, q, role.ID, "bob@example.com")
	require.Nil(t, minimal.FirstName)
	require.Nil(t, minimal.LastName)
	require.Nil(t, minimal.GithubID)
	require.Nil(t, minimal.HashedPassword)
	require.False(t, minimal.EmailVerified)
	require.Equal(t, dbsqlc.AuthTypeEmailSignup, minimal.AuthType)

	got, err := q.UserGetByID(ctx, "user_alice")
	require.NoError(t, err)
	require.Equal(t, full, got)
	_, err = q.UserGetByID(ctx, "user_missing")
	require.ErrorIs(t, err, stackdb.ErrNotFound)

	n, err := q.UserDelete(ctx, "user_alice")
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	n, err = q.UserDelete(ctx, "user_alice")
	require.NoError(t, err)
	require.EqualValues(t, 0, n)
	_, err = q.UserGetByID(ctx, "user_alice")
	require.ErrorIs(t, err, stackdb.ErrNotFound)
	_, err = q.UserGetByID(ctx, minimal.ID)
	require.NoError(t, err, "only the named user is deleted")
}

func TestUserGetByEmail(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)
	role := createRole(t, q, "member")
	alice := createUser(t, q, role.ID, "alice@example.com")
	createUser(t, q, role.ID, "bob@example.com")

	tests := []struct {
		email  string
		wantID string // "" for not found
	}{
		{"alice@example.com", alice.ID},
		{"Alice@Example.COM", alice.ID},
		{"ALICE@EXAMPLE.COM", alice.ID},
		{"alice@example.co", ""},
		{"alice@example.com ", ""},
		{"carol@example.com", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.email), func(t *testing.T) {
			got, err := q.UserGetByEmail(ctx, tt.email)
			if tt.wantID == "" {
				require.ErrorIs(t, err, stackdb.ErrNotFound)
				return
			}
			require.NoError(t, err)
			require.Equal(t, alice, got)
		})
	}

	t.Run("emails differing only in case: the earliest user wins", func(t *testing.T) {
		// users_email_key is exact-case, as in the legacy database, so both
		// rows may exist; the query picks the first created.
		upper := createUser(t, q, role.ID, "ALICE@example.com")
		got, err := q.UserGetByEmail(ctx, "alice@EXAMPLE.com")
		require.NoError(t, err)
		require.Equal(t, alice.ID, got.ID)
		require.NotEqual(t, upper.ID, got.ID)
	})
}

func TestUserGetByEmailUsesLowerEmailIndex(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	role := createRole(t, q, "member")
	for i := range 20 {
		createUser(t, q, role.ID, fmt.Sprintf("user%02d@example.com", i))
	}

	// The table is tiny, so the planner would rightly prefer a sequential
	// scan; forbidding it shows the index applies to the query.
	tx := noSeqscanTx(t, pool)

	rec := &stmtRecorder{DB: tx}
	got, err := stackdb.New(rec).UserGetByEmail(ctx, "USER07@Example.com")
	require.NoError(t, err)
	require.Equal(t, "user07@example.com", got.Email)
	require.Contains(t, rec.sql, "lower(email)")

	plan := explain(t, tx, rec)
	require.Contains(t, plan.Indexes(), "users_email_lower_idx", "plan:\n%s", plan)
}

func TestUserList(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)
	role := createRole(t, q, "member")

	users, err := q.UserList(ctx, dbsqlc.UserListParams{MaxRows: 10})
	require.NoError(t, err)
	require.NotNil(t, users)
	require.Empty(t, users)

	var ids []string
	for i := range 5 {
		ids = append(ids, createUser(t, q, role.ID, fmt.Sprintf("u%d@example.com", i)).ID)
	}
	tests := []struct {
		skip, max int32
		want      []string
	}{
		{0, 10, ids},
		{0, 2, ids[:2]},
		{2, 2, ids[2:4]},
		{4, 2, ids[4:]},
		{5, 2, []string{}},
		{0, 0, []string{}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("skip %d max %d", tt.skip, tt.max), func(t *testing.T) {
			users, err := q.UserList(ctx, dbsqlc.UserListParams{SkipRows: tt.skip, MaxRows: tt.max})
			require.NoError(t, err)
			got := []string{}
			for _, u := range users {
				got = append(got, u.ID)
			}
			require.Equal(t, tt.want, got, "ordered by creation")
		})
	}
}

func TestUserUpdate(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)
	member := createRole(t, q, "member")
	admin := createRole(t, q, "admin")

	tests := []struct {
		name   string
		params dbsqlc.UserUpdateParams
		want   func(*dbsqlc.User)
	}{
		{"nothing", dbsqlc.UserUpdateParams{}, func(*dbsqlc.User) {}},
		{"username", dbsqlc.UserUpdateParams{Username: new("renamed")}, func(u *dbsqlc.User) { u.Username = "renamed" }},
		{"email", dbsqlc.UserUpdateParams{Email: new("new@example.com")}, func(u *dbsqlc.User) { u.Email = "new@example.com" }},
		{"first name", dbsqlc.UserUpdateParams{FirstName: new("Ann")}, func(u *dbsqlc.User) { u.FirstName = new("Ann") }},
		{"last name", dbsqlc.UserUpdateParams{LastName: new("Lee")}, func(u *dbsqlc.User) { u.LastName = new("Lee") }},
		{"password", dbsqlc.UserUpdateParams{HashedPassword: new("h2")}, func(u *dbsqlc.User) { u.HashedPassword = new("h2") }},
		{"email verified", dbsqlc.UserUpdateParams{EmailVerified: new(true)}, func(u *dbsqlc.User) { u.EmailVerified = true }},
		{"role", dbsqlc.UserUpdateParams{RoleID: new(admin.ID)}, func(u *dbsqlc.User) { u.RoleID = admin.ID }},
		{
			"several",
			dbsqlc.UserUpdateParams{FirstName: new("Ann"), EmailVerified: new(true), RoleID: new(admin.ID)},
			func(u *dbsqlc.User) { u.FirstName, u.EmailVerified, u.RoleID = new("Ann"), true, admin.ID },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := newID("user")
			before, err := q.UserCreate(ctx, dbsqlc.UserCreateParams{
				ID:             id,
				Username:       "name_" + id,
				Email:          id + "@example.com",
				AuthType:       dbsqlc.AuthTypeEmailSignup,
				FirstName:      new("First"),
				LastName:       new("Last"),
				HashedPassword: new("h1"),
				RoleID:         member.ID,
			})
			require.NoError(t, err)

			params := tt.params
			params.ID = id
			n, err := q.UserUpdate(ctx, params)
			require.NoError(t, err)
			require.EqualValues(t, 1, n)

			after, err := q.UserGetByID(ctx, id)
			require.NoError(t, err)
			require.True(t, after.UpdatedAt.After(before.UpdatedAt), "updated_at is bumped")
			want := before
			tt.want(&want)
			want.UpdatedAt = after.UpdatedAt
			require.Equal(t, want, after, "columns not given keep their values")
		})
	}

	n, err := q.UserUpdate(ctx, dbsqlc.UserUpdateParams{ID: "user_missing", FirstName: new("x")})
	require.NoError(t, err)
	require.EqualValues(t, 0, n)
}

func TestUserConstraints(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)
	role := createRole(t, q, "member")
	_, err := q.UserCreate(ctx, dbsqlc.UserCreateParams{
		ID: "user_alice", Username: "alice", Email: "alice@example.com",
		AuthType: dbsqlc.AuthTypeGithub, GithubID: new("gh-alice"), RoleID: role.ID,
	})
	require.NoError(t, err)
	bob := createUser(t, q, role.ID, "bob@example.com")

	creates := []struct {
		name       string
		params     dbsqlc.UserCreateParams
		kind       stackdb.ConstraintKind
		constraint string
		secret     string
	}{
		{
			name:   "duplicate email",
			params: dbsqlc.UserCreateParams{ID: "u1", Username: "u1", Email: "alice@example.com", RoleID: role.ID},
			kind:   stackdb.Unique, constraint: "users_email_key", secret: "alice@example.com",
		},
		{
			name:   "duplicate username",
			params: dbsqlc.UserCreateParams{ID: "u2", Username: "alice", Email: "u2@example.com", RoleID: role.ID},
			kind:   stackdb.Unique, constraint: "users_username_key", secret: "alice",
		},
		{
			name:   "duplicate github id",
			params: dbsqlc.UserCreateParams{ID: "u3", Username: "u3", Email: "u3@example.com", GithubID: new("gh-alice"), RoleID: role.ID},
			kind:   stackdb.Unique, constraint: "users_github_id_key", secret: "gh-alice",
		},
		{
			name:   "duplicate id",
			params: dbsqlc.UserCreateParams{ID: "user_alice", Username: "u4", Email: "u4@example.com", RoleID: role.ID},
			kind:   stackdb.Unique, constraint: "users_pkey", secret: "user_alice",
		},
		{
			name:   "unknown role",
			params: dbsqlc.UserCreateParams{ID: "u5", Username: "u5", Email: "u5@example.com", RoleID: "role_nonexistent"},
			kind:   stackdb.ForeignKey, constraint: "users_role_id_fkey", secret: "role_nonexistent",
		},
	}
	for _, tt := range creates {
		t.Run("create/"+tt.name, func(t *testing.T) {
			tt.params.AuthType = dbsqlc.AuthTypeEmailSignup
			_, err := q.UserCreate(ctx, tt.params)
			requireConstraintError(t, err, tt.kind, "users", tt.constraint, tt.secret)
			require.Equal(t, tt.kind == stackdb.Unique, stackdb.IsUniqueViolation(err))
			require.Equal(t, tt.kind == stackdb.Unique, stackdb.IsUniqueViolation(err, tt.constraint))
		})
	}

	updates := []struct {
		name       string
		params     dbsqlc.UserUpdateParams
		kind       stackdb.ConstraintKind
		constraint string
		secret     string
	}{
		{"email taken", dbsqlc.UserUpdateParams{Email: new("alice@example.com")}, stackdb.Unique, "users_email_key", "alice@example.com"},
		{"username taken", dbsqlc.UserUpdateParams{Username: new("alice")}, stackdb.Unique, "users_username_key", "alice"},
		{"unknown role", dbsqlc.UserUpdateParams{RoleID: new("role_nonexistent")}, stackdb.ForeignKey, "users_role_id_fkey", "role_nonexistent"},
	}
	for _, tt := range updates {
		t.Run("update/"+tt.name, func(t *testing.T) {
			tt.params.ID = bob.ID
			n, err := q.UserUpdate(ctx, tt.params)
			requireConstraintError(t, err, tt.kind, "users", tt.constraint, tt.secret)
			require.Zero(t, n)
			got, err := q.UserGetByID(ctx, bob.ID)
			require.NoError(t, err)
			require.Equal(t, bob, got, "a refused update changes nothing")
		})
	}
}

func TestUserDeleteCascades(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)
	role := createRole(t, q, "member")
	owner := createUser(t, q, role.ID, "owner@example.com")
	leaver := createUser(t, q, role.ID, "leaver@example.com")
	team := createTeam(t, q, owner.ID, "Core", "core")
	addMember(t, q, team.ID, owner.ID, dbsqlc.TeamRoleTeamAdmin)
	addMember(t, q, team.ID, leaver.ID, dbsqlc.TeamRoleTeamUser)
	leaverSession := createSession(t, q, leaver.ID, in(time.Hour))
	ownerSession := createSession(t, q, owner.ID, in(time.Hour))

	n, err := q.UserDelete(ctx, leaver.ID)
	require.NoError(t, err)
	require.EqualValues(t, 1, n)

	sessions, err := q.SessionListByUser(ctx, leaver.ID)
	require.NoError(t, err)
	require.Empty(t, sessions, "the user's sessions are deleted with it")
	_, err = q.SessionGetValid(ctx, leaverSession.ID)
	require.ErrorIs(t, err, stackdb.ErrNotFound)
	_, err = q.TeamMemberGet(ctx, dbsqlc.TeamMemberGetParams{TeamID: team.ID, UserID: leaver.ID})
	require.ErrorIs(t, err, stackdb.ErrNotFound, "the user's memberships are deleted with it")

	members, err := q.TeamMemberListWithUsers(ctx, team.ID)
	require.NoError(t, err)
	require.Len(t, members, 1)
	require.Equal(t, owner.ID, members[0].User.ID, "other members stay")
	_, err = q.SessionGetValid(ctx, ownerSession.ID)
	require.NoError(t, err, "other users' sessions stay")

	// teams.owner_id is NO ACTION: a team's owner cannot be deleted.
	n, err = q.UserDelete(ctx, owner.ID)
	requireConstraintError(t, err, stackdb.ForeignKey, "teams", "teams_owner_id_fkey", owner.ID)
	require.Zero(t, n)
	_, err = q.UserGetByID(ctx, owner.ID)
	require.NoError(t, err)
}

// ---------------------------------------------------------------------------
// sessions

func TestSessionCreateGetDelete(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)
	role := createRole(t, q, "member")
	user := createUser(t, q, role.ID, "a@example.com")

	expires := in(time.Hour)
	s, err := q.SessionCreate(ctx, dbsqlc.SessionCreateParams{ID: "sess_token_hash", UserID: user.ID, ExpiresAt: expires})
	require.NoError(t, err)
	require.Equal(t, "sess_token_hash", s.ID)
	require.Equal(t, user.ID, s.UserID)
	require.True(t, expires.Equal(s.ExpiresAt), "expires_at round-trips: %v != %v", expires, s.ExpiresAt)

	got, err := q.SessionGetValid(ctx, s.ID)
	require.NoError(t, err)
	require.Equal(t, s, got)

	expired := createSession(t, q, user.ID, in(-time.Second))
	_, err = q.SessionGetValid(ctx, expired.ID)
	require.ErrorIs(t, err, stackdb.ErrNotFound, "an expired session is not valid")
	_, err = q.SessionGetValid(ctx, "sess_missing")
	require.ErrorIs(t, err, stackdb.ErrNotFound)

	n, err := q.SessionDelete(ctx, s.ID)
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	n, err = q.SessionDelete(ctx, s.ID)
	require.NoError(t, err)
	require.EqualValues(t, 0, n)
	_, err = q.SessionGetValid(ctx, s.ID)
	require.ErrorIs(t, err, stackdb.ErrNotFound)

	n, err = q.SessionDelete(ctx, expired.ID)
	require.NoError(t, err)
	require.EqualValues(t, 1, n, "an expired session can be deleted by id")
}

func TestSessionListByUser(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)
	role := createRole(t, q, "member")
	alice := createUser(t, q, role.ID, "alice@example.com")
	bob := createUser(t, q, role.ID, "bob@example.com")

	sessions, err := q.SessionListByUser(ctx, alice.ID)
	require.NoError(t, err)
	require.NotNil(t, sessions)
	require.Empty(t, sessions)

	soon := createSession(t, q, alice.ID, in(time.Minute))
	expired := createSession(t, q, alice.ID, in(-time.Hour))
	later := createSession(t, q, alice.ID, in(24*time.Hour))
	createSession(t, q, bob.ID, in(time.Hour))

	sessions, err = q.SessionListByUser(ctx, alice.ID)
	require.NoError(t, err)
	require.Equal(t, []dbsqlc.Session{later, soon, expired}, sessions,
		"only the user's sessions, expired ones included, latest expiry first")
}

func TestSessionExtend(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)
	role := createRole(t, q, "member")
	user := createUser(t, q, role.ID, "a@example.com")
	s := createSession(t, q, user.ID, in(-time.Minute))

	_, err := q.SessionGetValid(ctx, s.ID)
	require.ErrorIs(t, err, stackdb.ErrNotFound)

	newExpiry := in(30 * 24 * time.Hour)
	n, err := q.SessionExtend(ctx, dbsqlc.SessionExtendParams{ID: s.ID, ExpiresAt: newExpiry})
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	got, err := q.SessionGetValid(ctx, s.ID)
	require.NoError(t, err, "an extended session is valid again")
	require.True(t, newExpiry.Equal(got.ExpiresAt))

	n, err = q.SessionExtend(ctx, dbsqlc.SessionExtendParams{ID: "sess_missing", ExpiresAt: newExpiry})
	require.NoError(t, err)
	require.EqualValues(t, 0, n)
}

func TestSessionDeleteExpired(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)
	role := createRole(t, q, "member")
	alice := createUser(t, q, role.ID, "alice@example.com")
	bob := createUser(t, q, role.ID, "bob@example.com")

	n, err := q.SessionDeleteExpired(ctx)
	require.NoError(t, err)
	require.Zero(t, n, "nothing to sweep in an empty table")

	var valid []dbsqlc.Session
	for _, exp := range []struct {
		user string
		in   time.Duration
	}{
		{alice.ID, -time.Hour}, {alice.ID, -time.Second}, {bob.ID, -48 * time.Hour},
		{alice.ID, time.Hour}, {bob.ID, time.Minute},
	} {
		s := createSession(t, q, exp.user, in(exp.in))
		if exp.in > 0 {
			valid = append(valid, s)
		}
	}

	n, err = q.SessionDeleteExpired(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 3, n, "exactly the expired sessions")
	for _, s := range valid {
		got, err := q.SessionGetValid(ctx, s.ID)
		require.NoError(t, err, "valid sessions stay")
		require.Equal(t, s, got)
	}
	for _, user := range []string{alice.ID, bob.ID} {
		left, err := q.SessionListByUser(ctx, user)
		require.NoError(t, err)
		require.Len(t, left, 1)
	}

	n, err = q.SessionDeleteExpired(ctx)
	require.NoError(t, err)
	require.Zero(t, n, "a second sweep finds nothing")
}

func TestSessionConstraints(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)
	role := createRole(t, q, "member")
	user := createUser(t, q, role.ID, "a@example.com")
	const token = "sess_secret_token_hash"
	_, err := q.SessionCreate(ctx, dbsqlc.SessionCreateParams{ID: token, UserID: user.ID, ExpiresAt: in(time.Hour)})
	require.NoError(t, err)

	_, err = q.SessionCreate(ctx, dbsqlc.SessionCreateParams{ID: token, UserID: user.ID, ExpiresAt: in(time.Hour)})
	requireConstraintError(t, err, stackdb.Unique, "sessions", "sessions_pkey", token)

	_, err = q.SessionCreate(ctx, dbsqlc.SessionCreateParams{ID: newID("session"), UserID: "user_nonexistent", ExpiresAt: in(time.Hour)})
	requireConstraintError(t, err, stackdb.ForeignKey, "sessions", "sessions_user_id_fkey", "user_nonexistent")
}

// ---------------------------------------------------------------------------
// teams

func TestTeamCreateGetDelete(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)
	role := createRole(t, q, "member")
	owner := createUser(t, q, role.ID, "owner@example.com")

	team, err := q.TeamCreate(ctx, dbsqlc.TeamCreateParams{
		ID: "team_core", Name: "Core", Slug: "core", Description: new("The core team"), OwnerID: owner.ID, IsDefault: true,
	})
	require.NoError(t, err)
	require.Equal(t, dbsqlc.Team{
		ID: "team_core", Name: "Core", Slug: "core", Description: new("The core team"), OwnerID: owner.ID, IsDefault: true,
		CreatedAt: team.CreatedAt, UpdatedAt: team.UpdatedAt,
	}, team)
	require.WithinDuration(t, time.Now(), team.CreatedAt, time.Minute)
	require.Equal(t, team.CreatedAt, team.UpdatedAt)
	minimal := createTeam(t, q, owner.ID, "Other", "other")
	require.Nil(t, minimal.Description)
	require.False(t, minimal.IsDefault)

	byID, err := q.TeamGetByID(ctx, "team_core")
	require.NoError(t, err)
	require.Equal(t, team, byID)
	bySlug, err := q.TeamGetBySlug(ctx, "core")
	require.NoError(t, err)
	require.Equal(t, team, bySlug)
	_, err = q.TeamGetByID(ctx, "team_missing")
	require.ErrorIs(t, err, stackdb.ErrNotFound)
	_, err = q.TeamGetBySlug(ctx, "Core")
	require.ErrorIs(t, err, stackdb.ErrNotFound, "slugs match exactly")

	n, err := q.TeamDelete(ctx, "team_core")
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	n, err = q.TeamDelete(ctx, "team_core")
	require.NoError(t, err)
	require.EqualValues(t, 0, n)
	_, err = q.TeamGetBySlug(ctx, "core")
	require.ErrorIs(t, err, stackdb.ErrNotFound)
	_, err = q.TeamGetByID(ctx, minimal.ID)
	require.NoError(t, err, "only the named team is deleted")
}

func TestTeamList(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)
	role := createRole(t, q, "member")
	owner := createUser(t, q, role.ID, "owner@example.com")

	teams, err := q.TeamList(ctx, dbsqlc.TeamListParams{MaxRows: 10})
	require.NoError(t, err)
	require.NotNil(t, teams)
	require.Empty(t, teams)

	// Two teams share a name: the id breaks the tie.
	for _, tm := range []struct{ id, name string }{
		{"t_c", "Charlie"}, {"t_b2", "Bravo"}, {"t_a", "Alpha"}, {"t_b1", "Bravo"},
	} {
		_, err := q.TeamCreate(ctx, dbsqlc.TeamCreateParams{ID: tm.id, Name: tm.name, Slug: tm.id, OwnerID: owner.ID})
		require.NoError(t, err)
	}
	tests := []struct {
		skip, max int32
		want      []string
	}{
		{0, 10, []string{"t_a", "t_b1", "t_b2", "t_c"}},
		{0, 2, []string{"t_a", "t_b1"}},
		{2, 2, []string{"t_b2", "t_c"}},
		{3, 5, []string{"t_c"}},
		{4, 5, []string{}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("skip %d max %d", tt.skip, tt.max), func(t *testing.T) {
			teams, err := q.TeamList(ctx, dbsqlc.TeamListParams{SkipRows: tt.skip, MaxRows: tt.max})
			require.NoError(t, err)
			got := []string{}
			for _, tm := range teams {
				got = append(got, tm.ID)
			}
			require.Equal(t, tt.want, got, "ordered by name, then id")
		})
	}
}

func TestTeamListByUser(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)
	role := createRole(t, q, "member")
	alice := createUser(t, q, role.ID, "alice@example.com")
	bob := createUser(t, q, role.ID, "bob@example.com")
	zulu := createTeam(t, q, bob.ID, "Zulu", "zulu")
	alpha := createTeam(t, q, bob.ID, "Alpha", "alpha")
	owned := createTeam(t, q, alice.ID, "Mike", "mike") // alice owns it but is no member
	addMember(t, q, zulu.ID, alice.ID, dbsqlc.TeamRoleTeamAdmin)
	addMember(t, q, alpha.ID, alice.ID, dbsqlc.TeamRoleTeamUser)
	addMember(t, q, zulu.ID, bob.ID, dbsqlc.TeamRoleTeamUser)
	addMember(t, q, owned.ID, bob.ID, dbsqlc.TeamRoleTeamAdmin)

	got, err := q.TeamListByUser(ctx, alice.ID)
	require.NoError(t, err)
	require.Equal(t, []dbsqlc.TeamListByUserRow{
		{Team: alpha, Role: dbsqlc.TeamRoleTeamUser},
		{Team: zulu, Role: dbsqlc.TeamRoleTeamAdmin},
	}, got, "the user's teams by name, each with the user's role in it")

	got, err = q.TeamListByUser(ctx, bob.ID)
	require.NoError(t, err)
	require.Equal(t, []dbsqlc.TeamListByUserRow{
		{Team: owned, Role: dbsqlc.TeamRoleTeamAdmin},
		{Team: zulu, Role: dbsqlc.TeamRoleTeamUser},
	}, got)

	carol := createUser(t, q, role.ID, "carol@example.com")
	got, err = q.TeamListByUser(ctx, carol.ID)
	require.NoError(t, err)
	require.NotNil(t, got)
	require.Empty(t, got)
}

func TestTeamUpdate(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)
	role := createRole(t, q, "member")
	owner := createUser(t, q, role.ID, "owner@example.com")
	heir := createUser(t, q, role.ID, "heir@example.com")

	tests := []struct {
		name   string
		params dbsqlc.TeamUpdateParams
		want   func(*dbsqlc.Team)
	}{
		{"nothing", dbsqlc.TeamUpdateParams{}, func(*dbsqlc.Team) {}},
		{"name", dbsqlc.TeamUpdateParams{Name: new("Renamed")}, func(tm *dbsqlc.Team) { tm.Name = "Renamed" }},
		{"slug", dbsqlc.TeamUpdateParams{Slug: new("new-slug")}, func(tm *dbsqlc.Team) { tm.Slug = "new-slug" }},
		{"description", dbsqlc.TeamUpdateParams{Description: new("d2")}, func(tm *dbsqlc.Team) { tm.Description = new("d2") }},
		{"owner", dbsqlc.TeamUpdateParams{OwnerID: new(heir.ID)}, func(tm *dbsqlc.Team) { tm.OwnerID = heir.ID }},
		{"is default", dbsqlc.TeamUpdateParams{IsDefault: new(true)}, func(tm *dbsqlc.Team) { tm.IsDefault = true }},
		{
			"several",
			dbsqlc.TeamUpdateParams{Name: new("N"), IsDefault: new(true)},
			func(tm *dbsqlc.Team) { tm.Name, tm.IsDefault = "N", true },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := newID("team")
			before, err := q.TeamCreate(ctx, dbsqlc.TeamCreateParams{
				ID: id, Name: "Team " + id, Slug: id, Description: new("d1"), OwnerID: owner.ID,
			})
			require.NoError(t, err)

			params := tt.params
			params.ID = id
			n, err := q.TeamUpdate(ctx, params)
			require.NoError(t, err)
			require.EqualValues(t, 1, n)

			after, err := q.TeamGetByID(ctx, id)
			require.NoError(t, err)
			require.True(t, after.UpdatedAt.After(before.UpdatedAt), "updated_at is bumped")
			want := before
			tt.want(&want)
			want.UpdatedAt = after.UpdatedAt
			require.Equal(t, want, after, "columns not given keep their values")
		})
	}

	t.Run("is default back to false", func(t *testing.T) {
		tm, err := q.TeamCreate(ctx, dbsqlc.TeamCreateParams{ID: newID("team"), Name: "D", Slug: newID("slug"), OwnerID: owner.ID, IsDefault: true})
		require.NoError(t, err)
		n, err := q.TeamUpdate(ctx, dbsqlc.TeamUpdateParams{ID: tm.ID, IsDefault: new(false)})
		require.NoError(t, err)
		require.EqualValues(t, 1, n)
		got, err := q.TeamGetByID(ctx, tm.ID)
		require.NoError(t, err)
		require.False(t, got.IsDefault, "a pointer to false is a value, not 'unchanged'")
	})

	n, err := q.TeamUpdate(ctx, dbsqlc.TeamUpdateParams{ID: "team_missing", Name: new("x")})
	require.NoError(t, err)
	require.EqualValues(t, 0, n)
}

func TestTeamConstraints(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)
	role := createRole(t, q, "member")
	owner := createUser(t, q, role.ID, "owner@example.com")
	createTeam(t, q, owner.ID, "Core", "core-secret-slug")
	other := createTeam(t, q, owner.ID, "Other", "other")

	_, err := q.TeamCreate(ctx, dbsqlc.TeamCreateParams{ID: newID("team"), Name: "Core 2", Slug: "core-secret-slug", OwnerID: owner.ID})
	requireConstraintError(t, err, stackdb.Unique, "teams", "teams_slug_key", "core-secret-slug")
	require.True(t, stackdb.IsUniqueViolation(err, "teams_slug_key"))

	n, err := q.TeamUpdate(ctx, dbsqlc.TeamUpdateParams{ID: other.ID, Slug: new("core-secret-slug")})
	requireConstraintError(t, err, stackdb.Unique, "teams", "teams_slug_key", "core-secret-slug")
	require.Zero(t, n)

	_, err = q.TeamCreate(ctx, dbsqlc.TeamCreateParams{ID: newID("team"), Name: "X", Slug: "x", OwnerID: "user_nonexistent"})
	requireConstraintError(t, err, stackdb.ForeignKey, "teams", "teams_owner_id_fkey", "user_nonexistent")

	_, err = q.TeamUpdate(ctx, dbsqlc.TeamUpdateParams{ID: other.ID, OwnerID: new("user_nonexistent")})
	requireConstraintError(t, err, stackdb.ForeignKey, "teams", "teams_owner_id_fkey", "user_nonexistent")
}

func TestTeamDeleteCascadesMembers(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)
	role := createRole(t, q, "member")
	owner := createUser(t, q, role.ID, "owner@example.com")
	member := createUser(t, q, role.ID, "member@example.com")
	doomed := createTeam(t, q, owner.ID, "Doomed", "doomed")
	kept := createTeam(t, q, owner.ID, "Kept", "kept")
	addMember(t, q, doomed.ID, owner.ID, dbsqlc.TeamRoleTeamAdmin)
	addMember(t, q, doomed.ID, member.ID, dbsqlc.TeamRoleTeamUser)
	addMember(t, q, kept.ID, member.ID, dbsqlc.TeamRoleTeamUser)

	n, err := q.TeamDelete(ctx, doomed.ID)
	require.NoError(t, err)
	require.EqualValues(t, 1, n)

	members, err := q.TeamMemberListWithUsers(ctx, doomed.ID)
	require.NoError(t, err)
	require.Empty(t, members, "the team's memberships are deleted with it")
	teams, err := q.TeamListByUser(ctx, member.ID)
	require.NoError(t, err)
	require.Len(t, teams, 1)
	require.Equal(t, kept.ID, teams[0].Team.ID, "memberships of other teams stay")
	for _, u := range []string{owner.ID, member.ID} {
		_, err := q.UserGetByID(ctx, u)
		require.NoError(t, err, "users stay")
	}
}

// ---------------------------------------------------------------------------
// team_members

func TestTeamMemberCreateGetUpdateDelete(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)
	role := createRole(t, q, "member")
	owner := createUser(t, q, role.ID, "owner@example.com")
	user := createUser(t, q, role.ID, "user@example.com")
	team := createTeam(t, q, owner.ID, "Core", "core")
	key := dbsqlc.TeamMemberGetParams{TeamID: team.ID, UserID: user.ID}

	m, err := q.TeamMemberCreate(ctx, dbsqlc.TeamMemberCreateParams{ID: "tm_1", TeamID: team.ID, UserID: user.ID, Role: dbsqlc.TeamRoleTeamUser})
	require.NoError(t, err)
	require.Equal(t, dbsqlc.TeamMember{ID: "tm_1", TeamID: team.ID, UserID: user.ID, Role: dbsqlc.TeamRoleTeamUser, JoinedAt: m.JoinedAt}, m)
	require.WithinDuration(t, time.Now(), m.JoinedAt, time.Minute)

	got, err := q.TeamMemberGet(ctx, key)
	require.NoError(t, err)
	require.Equal(t, m, got)
	_, err = q.TeamMemberGet(ctx, dbsqlc.TeamMemberGetParams{TeamID: team.ID, UserID: owner.ID})
	require.ErrorIs(t, err, stackdb.ErrNotFound, "the owner is not a member until added")

	n, err := q.TeamMemberUpdateRole(ctx, dbsqlc.TeamMemberUpdateRoleParams{TeamID: team.ID, UserID: user.ID, Role: dbsqlc.TeamRoleTeamAdmin})
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	got, err = q.TeamMemberGet(ctx, key)
	require.NoError(t, err)
	want := m
	want.Role = dbsqlc.TeamRoleTeamAdmin
	require.Equal(t, want, got, "only the role changes")

	n, err = q.TeamMemberUpdateRole(ctx, dbsqlc.TeamMemberUpdateRoleParams{TeamID: team.ID, UserID: owner.ID, Role: dbsqlc.TeamRoleTeamAdmin})
	require.NoError(t, err)
	require.EqualValues(t, 0, n, "no membership, no row")

	n, err = q.TeamMemberDelete(ctx, dbsqlc.TeamMemberDeleteParams{TeamID: team.ID, UserID: user.ID})
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	n, err = q.TeamMemberDelete(ctx, dbsqlc.TeamMemberDeleteParams{TeamID: team.ID, UserID: user.ID})
	require.NoError(t, err)
	require.EqualValues(t, 0, n)
	_, err = q.TeamMemberGet(ctx, key)
	require.ErrorIs(t, err, stackdb.ErrNotFound)
	_, err = q.UserGetByID(ctx, user.ID)
	require.NoError(t, err, "leaving a team keeps the user")
	_, err = q.TeamGetByID(ctx, team.ID)
	require.NoError(t, err, "and the team")
}

func TestTeamMemberListWithUsers(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	role := createRole(t, q, "member")
	owner := createUser(t, q, role.ID, "owner@example.com")
	team := createTeam(t, q, owner.ID, "Core", "core")
	otherTeam := createTeam(t, q, owner.ID, "Other", "other")
	u1 := createUser(t, q, role.ID, "u1@example.com")
	u2 := createUser(t, q, role.ID, "u2@example.com")
	u3 := createUser(t, q, role.ID, "u3@example.com")

	empty, err := q.TeamMemberListWithUsers(ctx, team.ID)
	require.NoError(t, err)
	require.NotNil(t, empty)
	require.Empty(t, empty)

	// Joined one after the other, with ids that sort in another order.
	var joined []dbsqlc.TeamMember
	for _, m := range []struct {
		id   string
		user dbsqlc.User
		role dbsqlc.TeamRole
	}{
		{"tm_3", u3, dbsqlc.TeamRoleTeamUser},
		{"tm_1", u1, dbsqlc.TeamRoleTeamAdmin},
		{"tm_2", u2, dbsqlc.TeamRoleTeamUser},
	} {
		tm, err := q.TeamMemberCreate(ctx, dbsqlc.TeamMemberCreateParams{ID: m.id, TeamID: team.ID, UserID: m.user.ID, Role: m.role})
		require.NoError(t, err)
		joined = append(joined, tm)
	}
	addMember(t, q, otherTeam.ID, u1.ID, dbsqlc.TeamRoleTeamUser)

	rows, err := q.TeamMemberListWithUsers(ctx, team.ID)
	require.NoError(t, err)
	require.Equal(t, []dbsqlc.TeamMemberListWithUsersRow{
		{TeamMember: joined[0], User: u3},
		{TeamMember: joined[1], User: u1},
		{TeamMember: joined[2], User: u2},
	}, rows, "members of this team only, in join order, each with its full user row")

	// Members added in one transaction join at the same instant: the id
	// breaks the tie.
	late := createTeam(t, q, owner.ID, "Late", "late")
	require.NoError(t, stackdb.InTx(ctx, pool, func(_ pgx.Tx, q dbsqlc.Querier) error {
		for _, m := range []struct {
			id   string
			user string
		}{{"tm_b", u1.ID}, {"tm_a", u2.ID}} {
			if _, err := q.TeamMemberCreate(ctx, dbsqlc.TeamMemberCreateParams{ID: m.id, TeamID: late.ID, UserID: m.user, Role: dbsqlc.TeamRoleTeamUser}); err != nil {
				return err
			}
		}
		return nil
	}))
	rows, err = q.TeamMemberListWithUsers(ctx, late.ID)
	require.NoError(t, err)
	require.Len(t, rows, 2)
	require.Equal(t, rows[0].TeamMember.JoinedAt, rows[1].TeamMember.JoinedAt)
	require.Equal(t, []string{"tm_a", "tm_b"}, []string{rows[0].TeamMember.ID, rows[1].TeamMember.ID})
	require.Equal(t, []string{u2.ID, u1.ID}, []string{rows[0].User.ID, rows[1].User.ID})
}

func TestTeamMemberConstraints(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)
	role := createRole(t, q, "member")
	owner := createUser(t, q, role.ID, "owner@example.com")
	user := createUser(t, q, role.ID, "user@example.com")
	team := createTeam(t, q, owner.ID, "Core", "core")
	addMember(t, q, team.ID, user.ID, dbsqlc.TeamRoleTeamUser)

	tests := []struct {
		name       string
		params     dbsqlc.TeamMemberCreateParams
		kind       stackdb.ConstraintKind
		constraint string
		secret     string
	}{
		{
			"already a member",
			dbsqlc.TeamMemberCreateParams{TeamID: team.ID, UserID: user.ID, Role: dbsqlc.TeamRoleTeamAdmin},
			stackdb.Unique, "team_members_team_id_user_id_key", user.ID,
		},
		{
			"unknown team",
			dbsqlc.TeamMemberCreateParams{TeamID: "team_nonexistent", UserID: user.ID, Role: dbsqlc.TeamRoleTeamUser},
			stackdb.ForeignKey, "team_members_team_id_fkey", "team_nonexistent",
		},
		{
			"unknown user",
			dbsqlc.TeamMemberCreateParams{TeamID: team.ID, UserID: "user_nonexistent", Role: dbsqlc.TeamRoleTeamUser},
			stackdb.ForeignKey, "team_members_user_id_fkey", "user_nonexistent",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.params.ID = newID("member")
			_, err := q.TeamMemberCreate(ctx, tt.params)
			requireConstraintError(t, err, tt.kind, "team_members", tt.constraint, tt.secret)
		})
	}

	got, err := q.TeamMemberGet(ctx, dbsqlc.TeamMemberGetParams{TeamID: team.ID, UserID: user.ID})
	require.NoError(t, err)
	require.Equal(t, dbsqlc.TeamRoleTeamUser, got.Role, "the refused duplicate changed nothing")
}

// ---------------------------------------------------------------------------
// errors and transactions

func TestIsUniqueViolation(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)
	role := createRole(t, q, "member")
	_, uniqueErr := q.RoleCreate(ctx, dbsqlc.RoleCreateParams{ID: newID("role"), Name: role.Name, Permissions: json.RawMessage(`[]`)})
	_, fkErr := q.UserCreate(ctx, dbsqlc.UserCreateParams{ID: "u", Username: "u", Email: "u@example.com", AuthType: dbsqlc.AuthTypeEmailSignup, RoleID: "nope"})
	_, notFound := q.RoleGetByID(ctx, "nope")

	tests := []struct {
		name       string
		err        error
		constraint []string
		want       bool
	}{
		{"unique, any constraint", uniqueErr, nil, true},
		{"unique, that constraint", uniqueErr, []string{"roles_name_key"}, true},
		{"unique, other constraint", uniqueErr, []string{"users_email_key"}, false},
		{"wrapped unique", fmt.Errorf("create role: %w", uniqueErr), []string{"roles_name_key"}, true},
		{"foreign key", fkErr, nil, false},
		{"not found", notFound, nil, false},
		{"nil", nil, nil, false},
		{"plain error", errors.New("roles_name_key"), nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, stackdb.IsUniqueViolation(tt.err, tt.constraint...))
		})
	}

	var pgErr *pgconn.PgError
	require.ErrorAs(t, uniqueErr, &pgErr)
	require.Equal(t, pgerrcode.UniqueViolation, pgErr.Code)
}

func TestInTxCommits(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)

	err := stackdb.InTx(ctx, pool, func(tx pgx.Tx, txq dbsqlc.Querier) error {
		role, err := txq.RoleCreate(ctx, dbsqlc.RoleCreateParams{ID: "role_tx", Name: "tx", Permissions: json.RawMessage(`[]`)})
		if err != nil {
			return err
		}
		// The caller's own statements join through tx.
		if _, err := tx.Exec(ctx, `INSERT INTO users (id, username, email, auth_type, role_id)
			VALUES ('user_tx', 'tx', 'tx@example.com', 'email_signup', $1)`, role.ID); err != nil {
			return err
		}
		if _, err := txq.UserGetByID(ctx, "user_tx"); err != nil {
			return fmt.Errorf("the queries do not see tx's writes: %w", err)
		}
		// Not committed yet: invisible outside the transaction.
		if _, err := q.RoleGetByID(ctx, "role_tx"); !errors.Is(err, stackdb.ErrNotFound) {
			return fmt.Errorf("uncommitted role visible outside: %v", err)
		}
		return nil
	})
	require.NoError(t, err)

	_, err = q.RoleGetByID(ctx, "role_tx")
	require.NoError(t, err, "committed")
	user, err := q.UserGetByID(ctx, "user_tx")
	require.NoError(t, err, "committed")
	require.Equal(t, "role_tx", user.RoleID)
}

func TestInTxRollsBack(t *testing.T) {
	t.Parallel()
	errAbort := errors.New("abort")

	tests := []struct {
		name  string
		fail  func(q dbsqlc.Querier) error // runs after the writes
		check func(t *testing.T, err error)
	}{
		{
			name: "fn returns an error",
			fail: func(dbsqlc.Querier) error { return fmt.Errorf("sign-up: %w", errAbort) },
			check: func(t *testing.T, err error) {
				require.ErrorIs(t, err, errAbort)
			},
		},
		{
			name: "a query fails",
			fail: func(q dbsqlc.Querier) error {
				_, err := q.RoleCreate(context.Background(), dbsqlc.RoleCreateParams{ID: "role_dup", Name: "rolled", Permissions: json.RawMessage(`[]`)})
				return err
			},
			check: func(t *testing.T, err error) {
				requireConstraintError(t, err, stackdb.Unique, "roles", "roles_name_key")
				require.True(t, stackdb.IsUniqueViolation(err, "roles_name_key"))
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx, pool, q := setup(t)
			err := stackdb.InTx(ctx, pool, func(_ pgx.Tx, q dbsqlc.Querier) error {
				role := createRole(t, q, "rolled")
				owner := createUser(t, q, role.ID, "rolled@example.com")
				createTeam(t, q, owner.ID, "Rolled", "rolled")
				return tt.fail(q)
			})
			require.Error(t, err)
			tt.check(t, err)

			roles, err := q.RoleList(ctx)
			require.NoError(t, err)
			require.Empty(t, roles, "the role is rolled back")
			_, err = q.UserGetByEmail(ctx, "rolled@example.com")
			require.ErrorIs(t, err, stackdb.ErrNotFound, "the user is rolled back")
			_, err = q.TeamGetBySlug(ctx, "rolled")
			require.ErrorIs(t, err, stackdb.ErrNotFound, "the team is rolled back")
		})
	}

	t.Run("fn panics", func(t *testing.T) {
		t.Parallel()
		ctx, pool, q := setup(t)
		require.PanicsWithValue(t, "boom", func() {
			_ = stackdb.InTx(ctx, pool, func(_ pgx.Tx, q dbsqlc.Querier) error {
				createRole(t, q, "rolled")
				panic("boom")
			})
		})
		roles, err := q.RoleList(ctx)
		require.NoError(t, err)
		require.Empty(t, roles, "the role is rolled back")
	})

	t.Run("nested: the inner savepoint alone rolls back", func(t *testing.T) {
		t.Parallel()
		ctx, pool, q := setup(t)
		err := stackdb.InTx(ctx, pool, func(tx pgx.Tx, q dbsqlc.Querier) error {
			createRole(t, q, "outer")
			inner := stackdb.InTx(ctx, tx, func(_ pgx.Tx, q dbsqlc.Querier) error {
				createRole(t, q, "inner")
				return errAbort
			})
			if !errors.Is(inner, errAbort) {
				return fmt.Errorf("inner: %v", inner)
			}
			return nil
		})
		require.NoError(t, err)
		roles, err := q.RoleList(ctx)
		require.NoError(t, err)
		require.Len(t, roles, 1)
		require.Equal(t, "outer", roles[0].Name)
	})
}

func TestInTxKeepsCallersErrorWrapping(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	createRole(t, q, "taken")
	errSignup := errors.New("signup")

	err := stackdb.InTx(ctx, pool, func(_ pgx.Tx, txq dbsqlc.Querier) error {
		_, err := txq.RoleCreate(ctx, dbsqlc.RoleCreateParams{ID: newID("role"), Name: "taken"})
		return fmt.Errorf("%w: create role: %w", errSignup, err)
	})
	require.ErrorIs(t, err, errSignup, "the caller's own sentinel survives")
	require.True(t, stackdb.IsUniqueViolation(err, "roles_name_key"), "and so does the interpreted database error")
	require.Contains(t, err.Error(), "create role:")
}
