package stackdb_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/plugin"
	"github.com/deploystack/stackdb/stackdbtest"
)

// TestMigrateRefuseDrift: with RefuseDrift, Migrate starts on a database
// that matches its migrations and refuses one changed by hand; without it,
// the change goes unnoticed as before.
func TestMigrateRefuseDrift(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name   string
		devURL func(testing.TB) string
	}{
		{"dev database", stackdbtest.EmptyURL},
		{"scratch database", func(testing.TB) string { return "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			url := stackdbtest.EmptyURL(t)
			require.NoError(t, stackdb.Migrate(ctx, url, stackdb.RefuseDrift(tt.devURL(t))), "an empty database has no drift")
			require.NoError(t, stackdb.Migrate(ctx, url, stackdb.RefuseDrift(tt.devURL(t))), "a freshly migrated one neither")

			conn, err := pgx.Connect(ctx, url)
			require.NoError(t, err)
			defer conn.Close(ctx) //nolint:errcheck
			_, err = conn.Exec(ctx, "ALTER TABLE users ADD COLUMN nickname text")
			require.NoError(t, err)

			err = stackdb.Migrate(ctx, url, stackdb.RefuseDrift(tt.devURL(t)))
			require.ErrorIs(t, err, stackdb.ErrDrift)
			require.ErrorContains(t, err, `DROP COLUMN "nickname"`)
			require.NoError(t, stackdb.Migrate(ctx, url), "off by default")
		})
	}
}

// TestMigrateRefuseDriftPluginTables: the schemas the plugin package makes
// at run time are not drift.
func TestMigrateRefuseDriftPluginTables(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := stackdbtest.URL(t)
	p, err := stackdb.OpenPool(ctx, url)
	require.NoError(t, err)
	defer p.Close()
	require.NoError(t, plugin.CreateTable(ctx, p, "example-plugin", "entities", []plugin.Column{
		{Name: "id", Type: plugin.Identity, PrimaryKey: true},
	}))
	require.NoError(t, stackdb.Migrate(ctx, url, stackdb.RefuseDrift(stackdbtest.EmptyURL(t))))
}
