package stackdb_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/gen/dbsqlc"
)

func createSettingGroup(t *testing.T, q dbsqlc.Querier, name string, sortOrder int32) dbsqlc.GlobalSettingGroup {
	t.Helper()
	g, err := q.GlobalSettingGroupCreate(t.Context(), dbsqlc.GlobalSettingGroupCreateParams{
		ID: newID("group"), Name: name, SortOrder: sortOrder,
	})
	require.NoError(t, err)
	return g
}

func createSetting(t *testing.T, q dbsqlc.Querier, key, value string, groupID *string) dbsqlc.GlobalSetting {
	t.Helper()
	s, err := q.GlobalSettingCreate(t.Context(), dbsqlc.GlobalSettingCreateParams{
		Key: key, Value: value, Type: dbsqlc.SettingTypeString, GroupID: groupID,
	})
	require.NoError(t, err)
	return s
}

// ---------------------------------------------------------------------------
// global_setting_groups

func TestSettingGroupCreateGetDelete(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)

	full, err := q.GlobalSettingGroupCreate(ctx, dbsqlc.GlobalSettingGroupCreateParams{
		ID: "smtp", Name: "SMTP", Description: new("Outgoing mail"), Icon: new("mail"), SortOrder: 3,
	})
	require.NoError(t, err)
	require.Equal(t, dbsqlc.GlobalSettingGroup{
		ID: "smtp", Name: "SMTP", Description: new("Outgoing mail"), Icon: new("mail"), SortOrder: 3,
		CreatedAt: full.CreatedAt, UpdatedAt: full.UpdatedAt,
	}, full)
	require.WithinDuration(t, time.Now(), full.CreatedAt, time.Minute)
	require.Equal(t, full.CreatedAt, full.UpdatedAt)

	minimal, err := q.GlobalSettingGroupCreate(ctx, dbsqlc.GlobalSettingGroupCreateParams{ID: "global", Name: "Global"})
	require.NoError(t, err)
	require.Nil(t, minimal.Description)
	require.Nil(t, minimal.Icon)
	require.Zero(t, minimal.SortOrder)

	got, err := q.GlobalSettingGroupGet(ctx, "smtp")
	require.NoError(t, err)
	require.Equal(t, full, got)
	_, err = q.GlobalSettingGroupGet(ctx, "missing")
	require.ErrorIs(t, err, stackdb.ErrNotFound)

	_, err = q.GlobalSettingGroupCreate(ctx, dbsqlc.GlobalSettingGroupCreateParams{ID: "smtp", Name: "again"})
	requireConstraintError(t, err, stackdb.Unique, "global_setting_groups", "global_setting_groups_pkey")

	n, err := q.GlobalSettingGroupDelete(ctx, "smtp")
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	n, err = q.GlobalSettingGroupDelete(ctx, "smtp")
	require.NoError(t, err)
	require.Zero(t, n)
	_, err = q.GlobalSettingGroupGet(ctx, "smtp")
	require.ErrorIs(t, err, stackdb.ErrNotFound)
	_, err = q.GlobalSettingGroupGet(ctx, "global")
	require.NoError(t, err, "only the named group is deleted")

	t.Run("a group with settings cannot be deleted", func(t *testing.T) {
		createSetting(t, q, "global.name", "DeployStack", &minimal.ID)
		n, err := q.GlobalSettingGroupDelete(ctx, minimal.ID)
		requireConstraintError(t, err, stackdb.ForeignKey, "global_settings", "global_settings_group_id_fkey")
		require.Zero(t, n)
		_, err = q.GlobalSettingGroupGet(ctx, minimal.ID)
		require.NoError(t, err)
	})
}

func TestSettingGroupList(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)

	groups, err := q.GlobalSettingGroupList(ctx)
	require.NoError(t, err)
	require.NotNil(t, groups)
	require.Empty(t, groups)

	for _, g := range []struct {
		name  string
		order int32
	}{{"smtp", 2}, {"github", 1}, {"global", 1}, {"auth", 2}, {"zeta", 0}, {"beta", -1}} {
		createSettingGroup(t, q, g.name, g.order)
	}
	groups, err = q.GlobalSettingGroupList(ctx)
	require.NoError(t, err)
	var names []string
	for _, g := range groups {
		names = append(names, g.Name)
	}
	require.Equal(t, []string{"beta", "zeta", "github", "global", "auth", "smtp"}, names, "by sort_order, then name")
}

func TestSettingGroupUpdate(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)

	tests := []struct {
		name   string
		params dbsqlc.GlobalSettingGroupUpdateParams
		want   func(*dbsqlc.GlobalSettingGroup)
	}{
		{"nothing", dbsqlc.GlobalSettingGroupUpdateParams{}, func(*dbsqlc.GlobalSettingGroup) {}},
		{"name", dbsqlc.GlobalSettingGroupUpdateParams{Name: new("renamed")}, func(g *dbsqlc.GlobalSettingGroup) { g.Name = "renamed" }},
		{"description", dbsqlc.GlobalSettingGroupUpdateParams{Description: new("d")}, func(g *dbsqlc.GlobalSettingGroup) { g.Description = new("d") }},
		{"icon", dbsqlc.GlobalSettingGroupUpdateParams{Icon: new("i")}, func(g *dbsqlc.GlobalSettingGroup) { g.Icon = new("i") }},
		{"sort order to zero", dbsqlc.GlobalSettingGroupUpdateParams{SortOrder: new(int32(0))}, func(g *dbsqlc.GlobalSettingGroup) { g.SortOrder = 0 }},
		{"all", dbsqlc.GlobalSettingGroupUpdateParams{Name: new("a"), Description: new("b"), Icon: new("c"), SortOrder: new(int32(9))},
			func(g *dbsqlc.GlobalSettingGroup) {
				g.Name, g.Description, g.Icon, g.SortOrder = "a", new("b"), new("c"), 9
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, err := q.GlobalSettingGroupCreate(ctx, dbsqlc.GlobalSettingGroupCreateParams{
				ID: newID("group"), Name: "old", Description: new("old description"), Icon: new("old-icon"), SortOrder: 5,
			})
			require.NoError(t, err)

			params := tt.params
			params.ID = before.ID
			n, err := q.GlobalSettingGroupUpdate(ctx, params)
			require.NoError(t, err)
			require.EqualValues(t, 1, n)

			after, err := q.GlobalSettingGroupGet(ctx, before.ID)
			require.NoError(t, err)
			require.True(t, after.UpdatedAt.After(before.UpdatedAt), "updated_at is bumped")
			want := before
			tt.want(&want)
			want.UpdatedAt = after.UpdatedAt
			require.Equal(t, want, after, "columns not given keep their values")
		})
	}

	n, err := q.GlobalSettingGroupUpdate(ctx, dbsqlc.GlobalSettingGroupUpdateParams{ID: "missing", Name: new("x")})
	require.NoError(t, err)
	require.Zero(t, n)
}

// ---------------------------------------------------------------------------
// global_settings

func TestSettingCreateGetDelete(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)
	smtp := createSettingGroup(t, q, "SMTP", 0)

	full, err := q.GlobalSettingCreate(ctx, dbsqlc.GlobalSettingCreateParams{
		Key: "smtp.port", Value: "587", Type: dbsqlc.SettingTypeNumber, Description: new("Port"), IsEncrypted: false, GroupID: &smtp.ID,
	})
	require.NoError(t, err)
	require.Equal(t, dbsqlc.GlobalSetting{
		Key: "smtp.port", Value: "587", Type: dbsqlc.SettingTypeNumber, Description: new("Port"), GroupID: &smtp.ID,
		CreatedAt: full.CreatedAt, UpdatedAt: full.UpdatedAt,
	}, full)
	require.WithinDuration(t, time.Now(), full.CreatedAt, time.Minute)

	minimal, err := q.GlobalSettingCreate(ctx, dbsqlc.GlobalSettingCreateParams{Key: "app.name", Value: "", Type: dbsqlc.SettingTypeString, IsEncrypted: true})
	require.NoError(t, err)
	require.Equal(t, "", minimal.Value, "an empty value is a value")
	require.True(t, minimal.IsEncrypted)
	require.Nil(t, minimal.Description)
	require.Nil(t, minimal.GroupID)

	got, err := q.GlobalSettingGet(ctx, "smtp.port")
	require.NoError(t, err)
	require.Equal(t, full, got)
	_, err = q.GlobalSettingGet(ctx, "SMTP.PORT")
	require.ErrorIs(t, err, stackdb.ErrNotFound, "keys are case-sensitive")

	_, err = q.GlobalSettingCreate(ctx, dbsqlc.GlobalSettingCreateParams{Key: "x", Value: "1", Type: "integer"})
	require.Error(t, err, "the type must be a setting_type")
	_, err = q.GlobalSettingCreate(ctx, dbsqlc.GlobalSettingCreateParams{Key: "x", Value: "1", Type: dbsqlc.SettingTypeNumber, GroupID: new("missing")})
	requireConstraintError(t, err, stackdb.ForeignKey, "global_settings", "global_settings_group_id_fkey")
	_, err = q.GlobalSettingGet(ctx, "x")
	require.ErrorIs(t, err, stackdb.ErrNotFound)

	n, err := q.GlobalSettingDelete(ctx, "smtp.port")
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	n, err = q.GlobalSettingDelete(ctx, "smtp.port")
	require.NoError(t, err)
	require.Zero(t, n)
	_, err = q.GlobalSettingGet(ctx, "smtp.port")
	require.ErrorIs(t, err, stackdb.ErrNotFound)
	_, err = q.GlobalSettingGet(ctx, "app.name")
	require.NoError(t, err, "only the named setting is deleted")
}

func TestSettingList(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)
	smtp := createSettingGroup(t, q, "SMTP", 0)
	github := createSettingGroup(t, q, "GitHub", 1)
	empty := createSettingGroup(t, q, "Empty", 2)
	for _, s := range []struct {
		key   string
		group *string
	}{
		{"smtp.port", &smtp.ID}, {"smtp.host", &smtp.ID}, {"github.client_id", &github.ID}, {"smtp.user", &smtp.ID}, {"app.name", nil},
	} {
		createSetting(t, q, s.key, "v", s.group)
	}

	keys := func(ss []dbsqlc.GlobalSetting) []string {
		out := []string{}
		for _, s := range ss {
			out = append(out, s.Key)
		}
		return out
	}
	tests := []struct {
		group string
		want  []string
	}{
		{smtp.ID, []string{"smtp.host", "smtp.port", "smtp.user"}},
		{github.ID, []string{"github.client_id"}},
		{empty.ID, []string{}},
		{"missing", []string{}},
	}
	for _, tt := range tests {
		got, err := q.GlobalSettingListByGroup(ctx, tt.group)
		require.NoError(t, err)
		require.NotNil(t, got)
		require.Equal(t, tt.want, keys(got), tt.group)
	}

	all, err := q.GlobalSettingList(ctx)
	require.NoError(t, err)
	require.Equal(t, []string{"app.name", "github.client_id", "smtp.host", "smtp.port", "smtp.user"}, keys(all), "ordered by key")
}

func TestSettingUpdateValue(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)
	group := createSettingGroup(t, q, "SMTP", 0)
	before := createSetting(t, q, "smtp.host", "old.example.com", &group.ID)
	other := createSetting(t, q, "smtp.port", "25", &group.ID)

	n, err := q.GlobalSettingUpdateValue(ctx, dbsqlc.GlobalSettingUpdateValueParams{Key: "smtp.host", Value: "mail.example.com"})
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	after, err := q.GlobalSettingGet(ctx, "smtp.host")
	require.NoError(t, err)
	require.True(t, after.UpdatedAt.After(before.UpdatedAt), "updated_at is bumped")
	want := before
	want.Value, want.UpdatedAt = "mail.example.com", after.UpdatedAt
	require.Equal(t, want, after, "only the value changes")

	got, err := q.GlobalSettingGet(ctx, "smtp.port")
	require.NoError(t, err)
	require.Equal(t, other, got, "other settings are untouched")

	n, err = q.GlobalSettingUpdateValue(ctx, dbsqlc.GlobalSettingUpdateValueParams{Key: "missing", Value: "x"})
	require.NoError(t, err)
	require.Zero(t, n)
	_, err = q.GlobalSettingGet(ctx, "missing")
	require.ErrorIs(t, err, stackdb.ErrNotFound, "updating a missing key does not create it")
}

func TestSettingInitDefaults(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)
	smtp := createSettingGroup(t, q, "SMTP", 0)
	global := createSettingGroup(t, q, "Global", 1)

	// An administrator changed smtp.port before; its type and description
	// differ from the defaults too.
	customised, err := q.GlobalSettingCreate(ctx, dbsqlc.GlobalSettingCreateParams{
		Key: "smtp.port", Value: "2525", Type: dbsqlc.SettingTypeString, Description: new("mine"), GroupID: &global.ID,
	})
	require.NoError(t, err)

	defaults := dbsqlc.GlobalSettingInitDefaultsParams{
		Keys:         []string{"smtp.host", "smtp.port", "smtp.password", "global.enable_login", "global.name"},
		Values:       []string{"localhost", "587", "", "true", "DeployStack"},
		Types:        []string{"string", "number", "string", "boolean", "string"},
		Descriptions: []string{"Host", "Port", "Password", "", "Name"},
		IsEncrypted:  []bool{false, false, true, false, false},
		GroupIds:     []string{smtp.ID, smtp.ID, smtp.ID, global.ID, ""},
	}
	n, err := q.GlobalSettingInitDefaults(ctx, defaults)
	require.NoError(t, err)
	require.EqualValues(t, 4, n, "only the missing keys are inserted")

	got, err := q.GlobalSettingGet(ctx, "smtp.port")
	require.NoError(t, err)
	require.Equal(t, customised, got, "an existing setting is never overwritten")

	all, err := q.GlobalSettingList(ctx)
	require.NoError(t, err)
	require.Len(t, all, 5)
	byKey := map[string]dbsqlc.GlobalSetting{}
	for _, s := range all {
		byKey[s.Key] = s
	}
	for key, want := range map[string]dbsqlc.GlobalSetting{
		"smtp.host":           {Value: "localhost", Type: dbsqlc.SettingTypeString, Description: new("Host"), GroupID: &smtp.ID},
		"smtp.password":       {Value: "", Type: dbsqlc.SettingTypeString, Description: new("Password"), IsEncrypted: true, GroupID: &smtp.ID},
		"global.enable_login": {Value: "true", Type: dbsqlc.SettingTypeBoolean, GroupID: &global.ID},
		"global.name":         {Value: "DeployStack", Type: dbsqlc.SettingTypeString, Description: new("Name")},
	} {
		s, ok := byKey[key]
		require.True(t, ok, key)
		want.Key, want.CreatedAt, want.UpdatedAt = key, s.CreatedAt, s.UpdatedAt
		require.Equal(t, want, s, "element i of every array is one setting; empty description and group id are NULL")
	}

	// The application changes a value, then starts again: nothing changes.
	n, err = q.GlobalSettingUpdateValue(ctx, dbsqlc.GlobalSettingUpdateValueParams{Key: "smtp.host", Value: "mail.example.com"})
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	n, err = q.GlobalSettingInitDefaults(ctx, defaults)
	require.NoError(t, err)
	require.Zero(t, n, "a second run inserts nothing")
	host, err := q.GlobalSettingGet(ctx, "smtp.host")
	require.NoError(t, err)
	require.Equal(t, "mail.example.com", host.Value)

	t.Run("a new default among existing ones", func(t *testing.T) {
		more := defaults
		more.Keys = append(append([]string{}, defaults.Keys...), "smtp.secure")
		more.Values = append(append([]string{}, defaults.Values...), "false")
		more.Types = append(append([]string{}, defaults.Types...), "boolean")
		more.Descriptions = append(append([]string{}, defaults.Descriptions...), "TLS")
		more.IsEncrypted = append(append([]bool{}, defaults.IsEncrypted...), false)
		more.GroupIds = append(append([]string{}, defaults.GroupIds...), smtp.ID)
		n, err := q.GlobalSettingInitDefaults(ctx, more)
		require.NoError(t, err)
		require.EqualValues(t, 1, n)
		s, err := q.GlobalSettingGet(ctx, "smtp.secure")
		require.NoError(t, err)
		require.Equal(t, dbsqlc.SettingTypeBoolean, s.Type)
	})

	t.Run("a key twice in one call is inserted once", func(t *testing.T) {
		n, err := q.GlobalSettingInitDefaults(ctx, dbsqlc.GlobalSettingInitDefaultsParams{
			Keys: []string{"dup", "dup"}, Values: []string{"a", "b"}, Types: []string{"string", "string"},
			Descriptions: []string{"", ""}, IsEncrypted: []bool{false, false}, GroupIds: []string{"", ""},
		})
		require.NoError(t, err)
		require.EqualValues(t, 1, n)
	})

	t.Run("empty and nil arrays insert nothing", func(t *testing.T) {
		for _, p := range []dbsqlc.GlobalSettingInitDefaultsParams{
			{},
			{Keys: []string{}, Values: []string{}, Types: []string{}, Descriptions: []string{}, IsEncrypted: []bool{}, GroupIds: []string{}},
		} {
			n, err := q.GlobalSettingInitDefaults(ctx, p)
			require.NoError(t, err)
			require.Zero(t, n)
		}
	})

	t.Run("bad input inserts nothing", func(t *testing.T) {
		before, err := q.GlobalSettingList(ctx)
		require.NoError(t, err)
		one := func(key string) dbsqlc.GlobalSettingInitDefaultsParams {
			return dbsqlc.GlobalSettingInitDefaultsParams{
				Keys: []string{"new.a", key}, Values: []string{"1", "2"}, Types: []string{"number", "number"},
				Descriptions: []string{"", ""}, IsEncrypted: []bool{false, false}, GroupIds: []string{"", ""},
			}
		}

		p := one("new.b")
		p.Types[1] = "integer"
		_, err = q.GlobalSettingInitDefaults(ctx, p)
		var pgErr *pgconn.PgError
		require.ErrorAs(t, err, &pgErr)
		require.Equal(t, "22P02", pgErr.Code, "not a setting_type: %v", err)

		p = one("new.b")
		p.Values = p.Values[:1]
		_, err = q.GlobalSettingInitDefaults(ctx, p)
		var cerr *stackdb.ConstraintError
		require.ErrorAs(t, err, &cerr, "a short array")
		require.Equal(t, stackdb.NotNull, cerr.Kind)
		require.Equal(t, "value", cerr.Column)

		p = one("new.b")
		p.GroupIds[1] = "missing"
		_, err = q.GlobalSettingInitDefaults(ctx, p)
		requireConstraintError(t, err, stackdb.ForeignKey, "global_settings", "global_settings_group_id_fkey")

		after, err := q.GlobalSettingList(ctx)
		require.NoError(t, err)
		require.Equal(t, before, after, "one statement: all or nothing")
	})
}

// An encrypted setting's value (ciphertext) must not show in any error a
// write involving it can return.
func TestSettingEncryptedValueNotInErrors(t *testing.T) {
	t.Parallel()
	ctx, _, q := setup(t)
	const secret = "enc:v1:c2VjcmV0LWNpcGhlcnRleHQtZG8tbm90LWxvZw=="
	group := createSettingGroup(t, q, "SMTP", 0)
	_, err := q.GlobalSettingCreate(ctx, dbsqlc.GlobalSettingCreateParams{
		Key: "smtp.password", Value: secret, Type: dbsqlc.SettingTypeString, IsEncrypted: true, GroupID: &group.ID,
	})
	require.NoError(t, err)

	encrypted := func(key, groupID string) dbsqlc.GlobalSettingInitDefaultsParams {
		return dbsqlc.GlobalSettingInitDefaultsParams{
			Keys: []string{key}, Values: []string{secret}, Types: []string{"string"},
			Descriptions: []string{""}, IsEncrypted: []bool{true}, GroupIds: []string{groupID},
		}
	}
	tests := []struct {
		name string
		run  func() error
		kind stackdb.ConstraintKind // "" when not a constraint error
		// serverHasIt: the server's own error detail carries the value, so
		// only stackdb's message keeps it out (proof this case can fail).
		serverHasIt bool
	}{
		{"duplicate key", func() error {
			_, err := q.GlobalSettingCreate(ctx, dbsqlc.GlobalSettingCreateParams{
				Key: "smtp.password", Value: secret, Type: dbsqlc.SettingTypeString, IsEncrypted: true,
			})
			return err
		}, stackdb.Unique, false},
		{"unknown group", func() error {
			_, err := q.GlobalSettingCreate(ctx, dbsqlc.GlobalSettingCreateParams{
				Key: "other.password", Value: secret, Type: dbsqlc.SettingTypeString, IsEncrypted: true, GroupID: new("missing"),
			})
			return err
		}, stackdb.ForeignKey, false},
		{"bad type", func() error {
			_, err := q.GlobalSettingCreate(ctx, dbsqlc.GlobalSettingCreateParams{
				Key: "other.password", Value: secret, Type: "secret", IsEncrypted: true,
			})
			return err
		}, "", false},
		{"defaults: unknown group", func() error {
			_, err := q.GlobalSettingInitDefaults(ctx, encrypted("other.password", "missing"))
			return err
		}, stackdb.ForeignKey, false},
		{"defaults: missing key", func() error {
			p := encrypted("other.password", "")
			p.Keys = nil // the row holds NULL as key and the secret as value
			_, err := q.GlobalSettingInitDefaults(ctx, p)
			return err
		}, stackdb.NotNull, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.run()
			require.Error(t, err)
			if tt.kind != "" {
				var cerr *stackdb.ConstraintError
				require.ErrorAs(t, err, &cerr)
				require.Equal(t, tt.kind, cerr.Kind)
			}
			var pgErr *pgconn.PgError
			require.ErrorAs(t, err, &pgErr)
			require.Equal(t, tt.serverHasIt, strings.Contains(pgErr.Detail, secret), "detail: %s", pgErr.Detail)
			for _, text := range []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err.Error())} {
				require.NotContains(t, text, secret)
			}
		})
	}

	got, err := q.GlobalSettingGet(ctx, "smtp.password")
	require.NoError(t, err)
	require.Equal(t, secret, got.Value, "the stored value is unchanged")
}
