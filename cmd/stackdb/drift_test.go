package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/atlasmig"
	"github.com/deploystack/stackdb/stackdbtest"
)

// TestMigrateDrift: nothing on a freshly migrated database; a column added
// by hand and an applied file edited afterwards are reported, and fail.
func TestMigrateDrift(t *testing.T) {
	t.Parallel()
	project := copyProject(t)
	url := stackdbtest.EmptyURL(t)
	_, err := run(t, project, "migrate", "apply", "--url", url)
	require.NoError(t, err)

	out, err := run(t, project, "migrate", "drift", "--url", url, "--dev-url", stackdbtest.EmptyURL(t))
	require.NoError(t, err, out)
	require.Contains(t, out, "No drift")

	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	defer conn.Close(ctx) //nolint:errcheck
	_, err = conn.Exec(ctx, "ALTER TABLE users ADD COLUMN nickname text")
	require.NoError(t, err)
	files, err := filepath.Glob(filepath.Join(filepath.Dir(project), "schema", "migrations", "*.sql"))
	require.NoError(t, err)
	last := files[len(files)-1]
	f, err := os.OpenFile(last, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString("-- edited after it was applied\n")
	require.NoError(t, err)
	require.NoError(t, f.Close())
	_, err = run(t, project, "migrate", "hash")
	require.NoError(t, err)

	out, err = run(t, project, "migrate", "drift", "--url", url, "--dev-url", stackdbtest.EmptyURL(t))
	require.ErrorIs(t, err, atlasmig.ErrDrift)
	require.Contains(t, out, "Edited after it was applied: "+filepath.Base(last))
	require.Contains(t, out, `ALTER TABLE "public"."users" DROP COLUMN "nickname";`)

	out, err = run(t, project, "migrate", "drift", "--url", url, "--dev-url", stackdbtest.EmptyURL(t), "--format", "json")
	require.ErrorIs(t, err, atlasmig.ErrDrift)
	var report struct {
		Drifted    bool
		Statements []string
		Edited     []atlasmig.EditedFile
	}
	require.NoError(t, json.Unmarshal([]byte(out), &report), out)
	require.True(t, report.Drifted)
	require.Equal(t, []string{`ALTER TABLE "public"."users" DROP COLUMN "nickname";`}, report.Statements)
	require.Equal(t, filepath.Base(last), report.Edited[0].File)
}
