package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/stackdbtest"
)

func TestFlagName(t *testing.T) {
	t.Parallel()
	for field, flag := range map[string]string{
		"Truncate": "truncate", "Rows": "rows", "OnError": "on-error", "To": "to", "LockTimeout": "lock-timeout",
	} {
		require.Equal(t, flag, flagName(field))
	}
}

// Errors of the Go APIs name Options fields; the command line names its
// flags instead.
func TestErrorsSpeakInFlags(t *testing.T) {
	t.Parallel()
	goField := regexp.MustCompile(`\b(Truncate|Rows|Baseline|To|From|OnError)\b`)

	_, err := runGenLegacy(t, "--rows", "10", "--out", filepath.Join(t.TempDir(), "x.db"))
	require.EqualError(t, err, "legacygen: --rows is 10; want at least 1000")

	url := stackdbtest.EmptyURL(t)
	_, err = run(t, "", "migrate", "apply", "--url", url, "--to", "20990101000000")
	require.EqualError(t, err, "migrate: --to 20990101000000: no migration file has that version")

	conn, err := pgx.Connect(context.Background(), url)
	require.NoError(t, err)
	defer conn.Close(context.Background())
	_, err = conn.Exec(context.Background(), "CREATE TABLE existing (id int)")
	require.NoError(t, err)
	_, err = run(t, "", "migrate", "apply", "--url", url)
	require.EqualError(t, err, `migrate: the database has objects but no revisions (found schema "public"); `+
		"a baseline is needed: name the last version it already has with --baseline")
	var schemaExists bool
	require.NoError(t, conn.QueryRow(context.Background(), "SELECT to_regnamespace('atlas_schema_revisions') IS NOT NULL").Scan(&schemaExists))
	require.False(t, schemaExists, "the refused apply left nothing behind")

	// A filled target: the refusal names --truncate, not the Go field.
	from, to := legacyFile(t, ""), stackdbtest.URL(t)
	_, err = run(t, "", "import-sqlite", "--from", from, "--to", to, "--json")
	require.NoError(t, err)
	_, err = run(t, "", "import-sqlite", "--from", from, "--to", to, "--json")
	require.Error(t, err)
	require.Regexp(t, `^importer: the target database already holds application data \(rows in .*users.*\); import into an empty database, or use --truncate to replace them$`, err.Error())
	require.NotRegexp(t, goField, err.Error())
}

// migrate status shows a file that failed as failed, with its error, and
// does not count it as applied.
func TestMigrateStatusShowsFailedFile(t *testing.T) {
	t.Parallel()
	project := copyProject(t)
	migrations := filepath.Join(filepath.Dir(project), "schema", "migrations")
	bad := filepath.Join(migrations, "20990101000000_broken.sql")
	require.NoError(t, os.WriteFile(bad, []byte("-- atlas:txmode none\n\nCREATE TABLE broken_ok (id int);\nINSERT INTO nowhere VALUES (1);\n"), 0o644))
	_, err := run(t, project, "migrate", "hash")
	require.NoError(t, err)
	files, err := filepath.Glob(filepath.Join(migrations, "*.sql"))
	require.NoError(t, err)

	url := stackdbtest.EmptyURL(t)
	_, err = run(t, project, "migrate", "apply", "--url", url)
	require.ErrorContains(t, err, "20990101000000_broken.sql failed")

	out, err := run(t, project, "migrate", "status", "--url", url)
	require.NoError(t, err)
	t.Log("\n" + out)
	require.Regexp(t, `Applied:\s+`+regexp.QuoteMeta(itoa(len(files)-1))+`\n`, out, "the failed file is not counted as applied")
	require.Contains(t, out, `Failed:           version 20990101000000 (1 of 2 statements applied): ERROR: relation "nowhere" does not exist (SQLSTATE 42P01)`)
	require.Contains(t, out, "statement: INSERT INTO nowhere VALUES (1);")
	require.Regexp(t, `Pending:\s+1\n\s+20990101000000_broken.sql`, out)
}

func TestImportSQLiteDryRun(t *testing.T) {
	t.Parallel()
	out, err := run(t, "", "import-sqlite", "--from", legacyFile(t, ""), "--dry-run")
	require.NoError(t, err)
	require.Contains(t, out, "dry run: importing into a throwaway Postgres that is removed afterwards")
	require.Contains(t, out, "dry run: the import would succeed")

	_, err = run(t, "", "import-sqlite", "--from", "x.db", "--dry-run", "--to", stackdbtest.URL(t))
	require.ErrorContains(t, err, "[dry-run to] were all set")
}

func itoa(n int) string { return strconv.Itoa(n) }
