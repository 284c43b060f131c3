package importer_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/deploystack"
	"github.com/deploystack/stackdb/internal/importer"
	"github.com/deploystack/stackdb/internal/legacygen"
	"github.com/deploystack/stackdb/stackdbtest"
)

func runPGImport(t testing.TB, from, to string, opts ...func(*importer.Options)) (*importer.Report, error) {
	t.Helper()
	o := importer.Options{From: from, Source: importer.Postgres, To: to}
	for _, f := range opts {
		f(&o)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	rep, err := importer.Run(ctx, o)
	t.Cleanup(func() { require.NoError(t, rep.Close()) })
	return rep, err
}

// requirePGUnchanged checks that no table of the real model holds a row in
// the target.
func requirePGUnchanged(t testing.TB, url string) {
	t.Helper()
	pool := openPool(t, url)
	for _, tb := range deploystack.Tables {
		require.Zero(t, count(t, pool, tb.Name), "rows in %s", tb.Name)
	}
}

func TestPGImportClean(t *testing.T) {
	t.Parallel()
	src := pgSource(t,
		// A second role: the last microsecond of a leap day, and JSON that
		// jsonb normalises.
		copyRow("roles", "roles-1", "roles-2", `name = 'second', created_at = '2024-02-29 23:59:59.999999+00', permissions = ' ["b",  "a"] '`),
		// An empty array and one that needs quoting throughout.
		copyRow("deploymentCredentials", "deploymentCredentials-1", "deploymentCredentials-2", `source = 'gitlab', scopes = '{}'`),
		copyRow("deploymentCredentials", "deploymentCredentials-1", "deploymentCredentials-3", `source = 'docker', scopes = ARRAY['', 'NULL', 'a"b', 'c\d', '{x}', 'é ü']`),
		// Another offset in ISO-8601 text: the same instant, in UTC.
		copyRow("satelliteRegistrationTokens", "satelliteRegistrationTokens-1", "satelliteRegistrationTokens-2",
			`token_hash = 'h2', expires_at = '2023-11-15T00:13:20.5+02:00'`),
	)
	to := stackdbtest.URL(t)
	rep, err := runPGImport(t, src, to)
	require.NoError(t, err)
	require.True(t, rep.Committed)
	require.Empty(t, rep.Defects)
	require.Len(t, rep.Tables, 42)
	require.Equal(t, []importer.SkippedTable(nil), rep.Skipped) // the history is in schema drizzle
	pool := openPool(t, to)
	for _, tr := range rep.Tables {
		real, ok := deploystack.Lookup(tr.Legacy)
		require.True(t, ok, tr.Legacy)
		require.Equal(t, real.Name, tr.Target)
		require.True(t, tr.ChecksumOK, tr.Legacy)
		require.Zero(t, tr.Rejected, tr.Legacy)
		require.Equal(t, tr.SourceRows, tr.Imported, tr.Legacy)
		require.Equal(t, int64(count(t, pool, tr.Target)), tr.Imported, tr.Legacy)
	}
	require.EqualValues(t, 2, tableReport(t, rep, "roles").Imported)
	require.EqualValues(t, 3, tableReport(t, rep, "deploymentCredentials").Imported)

	// Each storage of a point in time arrives exactly, to the microsecond.
	for _, tc := range []struct{ query, want string }{
		{`SELECT created_at FROM roles WHERE id = 'roles-1'`, "2023-11-14T22:13:20.123456Z"},
		{`SELECT created_at FROM roles WHERE id = 'roles-2'`, "2024-02-29T23:59:59.999999Z"},
		{`SELECT expires_at FROM sessions`, "2023-11-14T22:13:20.123Z"},                      // bigint milliseconds
		{`SELECT bucket_timestamp FROM mcp_client_activity_metrics`, "2023-11-14T22:13:20Z"}, // integer seconds
		{`SELECT client_id_issued_at FROM dynamic_oauth_clients`, "2023-11-14T22:13:20Z"},
		{`SELECT expires_at FROM satellite_registration_tokens WHERE id = 'satelliteRegistrationTokens-1'`, "2023-11-14T22:13:20.123Z"}, // ISO text
		{`SELECT expires_at FROM satellite_registration_tokens WHERE id = 'satelliteRegistrationTokens-2'`, "2023-11-14T22:13:20.5Z"},
	} {
		var got time.Time
		require.NoError(t, pool.QueryRow(context.Background(), tc.query).Scan(&got), tc.query)
		require.Equal(t, tc.want, got.UTC().Format(time.RFC3339Nano), tc.query)
	}
	for _, tc := range []struct{ query, want string }{
		{`SELECT permissions::text FROM roles WHERE id = 'roles-2'`, `["b", "a"]`},
		{`SELECT scopes::text FROM deployment_credentials WHERE id = 'deploymentCredentials-1'`, `{repo,"read org",NULL}`},
		{`SELECT scopes::text FROM deployment_credentials WHERE id = 'deploymentCredentials-2'`, `{}`},
		{`SELECT scopes::text FROM deployment_credentials WHERE id = 'deploymentCredentials-3'`, `{"","NULL","a\"b","c\\d","{x}","é ü"}`},
		{`SELECT email_verified::text FROM users`, "true"},
		{`SELECT date_partition::text FROM satellite_usage_logs`, "2023-11-14"},
	} {
		var got string
		require.NoError(t, pool.QueryRow(context.Background(), tc.query).Scan(&got), tc.query)
		require.Equal(t, tc.want, got, tc.query)
	}
}

// TestPGImportDefects: each kind of defect a Postgres installation can
// hold is reported with its table, key, column and value, and nothing is
// imported.
func TestPGImportDefects(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, fix         string
		table, pk, column string
		class             importer.DefectClass
		value, reason     string
	}{
		{"value outside a value set", `UPDATE "queueJobs" SET status = 'done'`,
			"queueJobs", "queueJobs-1", "status", importer.DefectInvalidEnum, "done", "not a value of enum job_status"},
		{"invalid JSON text", `UPDATE "queueJobs" SET payload = '{"a":'`,
			"queueJobs", "queueJobs-1", "payload", importer.DefectInvalidJSON, `{"a":`, "invalid JSON"},
		{"JSON of the wrong shape", `UPDATE roles SET permissions = '{}'`,
			"roles", "roles-1", "permissions", importer.DefectJSONShape, "{}", "must be a JSON array"},
		// Postgres enforced the foreign key, unless it was switched off
		// (a restore with session_replication_role = replica, say).
		{"dangling reference", `SET session_replication_role = replica; UPDATE "teamMemberships" SET user_id = 'nobody'`,
			"teamMemberships", "teamMemberships-1", "user_id", importer.DefectOrphan, "nobody", "no such row"},
		{"duplicate where stackdb is stricter", copyRow("mcpToolMetadata", "mcpToolMetadata-1", "mcpToolMetadata-2", ""),
			"mcpToolMetadata", "mcpToolMetadata-2", "installation_id,tool_name", importer.DefectDuplicate, "", "stricter"},
		{"unparsable ISO-8601 text", `UPDATE "satelliteRegistrationTokens" SET expires_at = 'tomorrow'`,
			"satelliteRegistrationTokens", "satelliteRegistrationTokens-1", "expires_at", importer.DefectInvalidTimestamp, "tomorrow", "not an ISO-8601"},
		{"seconds in a milliseconds column", `UPDATE "authSession" SET expires_at = 1700000000`,
			"authSession", "authSession-1", "expires_at", importer.DefectInvalidTimestamp, "1700000000", "looks like seconds"},
		{"epoch out of range", `UPDATE "mcpClientActivityMetrics" SET bucket_timestamp = -5`,
			"mcpClientActivityMetrics", "mcpClientActivityMetrics-1", "bucket_timestamp", importer.DefectInvalidTimestamp, "-5", "negative"},
		{"infinite timestamptz", `UPDATE "mcpCategories" SET created_at = 'infinity'`,
			"mcpCategories", "mcpCategories-1", "created_at", importer.DefectInvalidTimestamp, "infinity", "not an ISO-8601"},
		{"timestamptz before 1970", `UPDATE "mcpCategories" SET created_at = '1969-12-31 23:59:59+00'`,
			"mcpCategories", "mcpCategories-1", "created_at", importer.DefectInvalidTimestamp, "1969-12-31T23:59:59Z", "before 1970"},
		{"derived day that disagrees", `UPDATE "satelliteUsageLogs" SET date_partition = '2023-11-15'`,
			"satelliteUsageLogs", "satelliteUsageLogs-1", "date_partition", importer.DefectDerived, "2023-11-15", "UTC day"},
		{"multi-dimensional array", `UPDATE "deploymentCredentials" SET scopes = '{{a,b},{c,d}}'`,
			"deploymentCredentials", "deploymentCredentials-1", "scopes", importer.DefectWrongType, "{{a,b},{c,d}}", "not a one-dimensional text array"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			src, to := pgSource(t, tc.fix), stackdbtest.URL(t)
			rep, err := runPGImport(t, src, to)
			require.ErrorIs(t, err, importer.ErrDefects)
			require.False(t, rep.Committed)
			d, ok := findDefect(rep, tc.table, tc.pk, tc.column)
			require.True(t, ok, "defects: %v", rep.Defects)
			require.Equal(t, tc.class, d.Class, d.String())
			if tc.value != "" {
				require.Equal(t, tc.value, d.Value, d.String())
			}
			require.Contains(t, d.Reason, tc.reason)
			requirePGUnchanged(t, to)
		})
	}
}

func TestPGImportSkip(t *testing.T) {
	t.Parallel()
	src := pgSource(t,
		copyRow("satelliteRegistrationTokens", "satelliteRegistrationTokens-1", "satelliteRegistrationTokens-2", `token_hash = 'h2', expires_at = 'soon'`))
	to := stackdbtest.URL(t)
	var written []importer.RejectedRow
	rep, err := runPGImport(t, src, to, func(o *importer.Options) {
		o.OnError = importer.Skip
		o.WriteRejected = func(rows io.Reader) error {
			b, err := io.ReadAll(rows)
			written = rejectedLines(t, b)
			return err
		}
	})
	require.NoError(t, err)
	require.True(t, rep.Committed)
	require.Len(t, written, 1)
	require.Equal(t, "satelliteRegistrationTokens-2", written[0].PK)
	require.Contains(t, string(written[0].Values), `"expires_at":"soon"`)
	tr := tableReport(t, rep, "satelliteRegistrationTokens")
	require.EqualValues(t, 2, tr.SourceRows)
	require.EqualValues(t, 1, tr.Imported)
	require.EqualValues(t, 1, tr.Rejected)
	pool := openPool(t, to)
	require.Equal(t, 1, count(t, pool, "satellite_registration_tokens"))
	require.Equal(t, 1, count(t, pool, "users"))
}

// TestPGImportRefusesOtherVersions: a database at another Drizzle
// migration, or with another layout, is refused before the target is
// touched, saying what was found and what is supported.
func TestPGImportRefusesOtherVersions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, fix string
		err       error
		msgs      []string
	}{
		{"no migration history", `DROP SCHEMA drizzle CASCADE`, importer.ErrVersion,
			[]string{"no migration history", "0028_typical_falcon", "1771275726880"}},
		{"empty history", `DELETE FROM drizzle.__drizzle_migrations`, importer.ErrVersion,
			[]string{"is empty", "0028_typical_falcon"}},
		{"older", `DELETE FROM drizzle.__drizzle_migrations WHERE created_at = 1771275726880`, importer.ErrVersion,
			[]string{"the newest of the 1 migrations in drizzle.__drizzle_migrations has created_at 1770000000000", "0028_typical_falcon", "upgrade DeployStack"}},
		{"newer", `INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ('h0029', 1780000000000)`, importer.ErrVersion,
			[]string{"created_at 1780000000000", "newer than this stackdb knows"}},
		{"older, by the backend's runner", `DROP SCHEMA drizzle CASCADE; ` + runnerHistory + `DELETE FROM __drizzle_migrations WHERE migration_name LIKE '0028%'`,
			importer.ErrVersion, []string{"the newest of the 2 migrations in public.__drizzle_migrations has migration_name 0027_stormy_texas_twister.sql", "upgrade"}},
		{"newer, by the backend's runner", `DROP SCHEMA drizzle CASCADE; ` + runnerHistory + `INSERT INTO __drizzle_migrations (migration_name) VALUES ('0029_next.sql')`,
			importer.ErrVersion, []string{"has migration_name 0029_next.sql", "newer"}},
		{"an extra column", `ALTER TABLE roles ADD COLUMN colour text`, importer.ErrSource,
			[]string{"unknown column roles.colour (text)", "0028_typical_falcon"}},
		{"another type", `ALTER TABLE "authUser" ALTER COLUMN email_verified TYPE text`, importer.ErrSource,
			[]string{"column authUser.email_verified is text, the supported schema has boolean"}},
		{"a missing table", `DROP TABLE "userPreferences"`, importer.ErrSource,
			[]string{`table "userPreferences" is missing`}},
		{"an unknown table", `CREATE TABLE notes (id text PRIMARY KEY)`, importer.ErrSource,
			[]string{`unknown table "notes"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			src, to := pgSource(t, tc.fix), stackdbtest.URL(t)
			_, err := runPGImport(t, src, to)
			require.ErrorIs(t, err, tc.err)
			for _, m := range tc.msgs {
				require.ErrorContains(t, err, m)
			}
			requirePGUnchanged(t, to)
		})
	}
}

// runnerHistory is the history the backend's own migration runner keeps.
const runnerHistory = `CREATE TABLE __drizzle_migrations (id SERIAL PRIMARY KEY, migration_name TEXT UNIQUE NOT NULL, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL);
INSERT INTO __drizzle_migrations (migration_name) VALUES ('0000_perfect_rogue.sql'), ('0027_stormy_texas_twister.sql'), ('0028_typical_falcon.sql');
`

// TestPGImportRunnerHistory: the backend's runner keeps its history in the
// application schema; it is recognised, and skipped.
func TestPGImportRunnerHistory(t *testing.T) {
	t.Parallel()
	src, to := pgSource(t, `DROP SCHEMA drizzle CASCADE; `+runnerHistory+
		`CREATE TABLE __plugin_migrations (id SERIAL PRIMARY KEY, plugin_id TEXT NOT NULL, table_name TEXT NOT NULL, schema_hash TEXT NOT NULL, applied_at TIMESTAMPTZ DEFAULT now() NOT NULL)`), stackdbtest.URL(t)
	rep, err := runPGImport(t, src, to)
	require.NoError(t, err)
	require.True(t, rep.Committed)
	var skipped []string
	for _, s := range rep.Skipped {
		skipped = append(skipped, s.Table)
	}
	require.Equal(t, []string{"__drizzle_migrations", "__plugin_migrations"}, skipped)
}

// TestPGImportReadOnlySource: the source user may only read; the import
// needs nothing more, and its password appears nowhere.
func TestPGImportReadOnlySource(t *testing.T) {
	t.Parallel()
	src := pgSource(t)
	conn, err := pgx.Connect(context.Background(), src)
	require.NoError(t, err)
	defer conn.Close(context.Background())
	var db string
	require.NoError(t, conn.QueryRow(context.Background(), "SELECT current_database()").Scan(&db))
	role := "reader_" + strings.ReplaceAll(db, "-", "_")
	_, err = conn.Exec(context.Background(), fmt.Sprintf(`CREATE ROLE %[1]s LOGIN PASSWORD 's3cret-pw';
REVOKE ALL ON DATABASE %[2]s FROM PUBLIC; REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT CONNECT ON DATABASE %[2]s TO %[1]s; GRANT USAGE ON SCHEMA public, drizzle TO %[1]s;
GRANT SELECT ON ALL TABLES IN SCHEMA public, drizzle TO %[1]s`, role, pgx.Identifier{db}.Sanitize()))
	require.NoError(t, err)
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), src)
		if err == nil {
			_, _ = c.Exec(context.Background(), "DROP OWNED BY "+role+"; DROP ROLE "+role)
			c.Close(context.Background())
		}
	})
	u, err := url.Parse(src)
	require.NoError(t, err)
	u.User = url.UserPassword(role, "s3cret-pw")

	reader, err := pgx.Connect(context.Background(), u.String())
	require.NoError(t, err)
	_, err = reader.Exec(context.Background(), `UPDATE roles SET name = 'x'`)
	require.ErrorContains(t, err, "permission denied", "the role must not be able to write")
	reader.Close(context.Background())

	to := stackdbtest.URL(t)
	rep, err := runPGImport(t, u.String(), to)
	require.NoError(t, err)
	require.True(t, rep.Committed)
	require.NotContains(t, rep.Source, "s3cret-pw")

	// A refused source: the error names it, without the password.
	_, err = conn.Exec(context.Background(), `ALTER TABLE roles ADD COLUMN colour text`)
	require.NoError(t, err)
	rep, err = runPGImport(t, u.String(), stackdbtest.URL(t))
	require.ErrorIs(t, err, importer.ErrSource)
	require.NotContains(t, err.Error(), "s3cret-pw")
	require.Contains(t, err.Error(), role)
	require.NotContains(t, rep.Source, "s3cret-pw")
}

// TestPGImportSnapshot: rows the application commits while the import
// reads are not imported, in any table: everything is read from the
// snapshot taken when the import began.
func TestPGImportSnapshot(t *testing.T) {
	t.Parallel()
	src, to := pgSource(t), stackdbtest.URL(t)
	writer, err := pgx.Connect(context.Background(), src)
	require.NoError(t, err)
	defer writer.Close(context.Background())
	var once sync.Once
	var werr error
	rep, err := runPGImport(t, src, to, func(o *importer.Options) {
		o.Progress = func(importer.ProgressEvent) {
			once.Do(func() {
				// A second row in every table, and a change to the first.
				_, werr = writer.Exec(context.Background(), fixtureInserts(pgFactsFor(t), 2)+`UPDATE roles SET name = 'renamed' WHERE id = 'roles-1'`)
			})
		}
	})
	require.NoError(t, werr)
	require.NoError(t, err)
	require.True(t, rep.Committed)
	pool := openPool(t, to)
	for _, tb := range deploystack.Tables {
		require.Equal(t, 1, count(t, pool, tb.Name), tb.Name)
	}
	var name string
	require.NoError(t, pool.QueryRow(context.Background(), "SELECT name FROM roles").Scan(&name))
	require.NotEqual(t, "renamed", name)
	var n int
	require.NoError(t, writer.QueryRow(context.Background(), `SELECT count(*) FROM "authUser"`).Scan(&n))
	require.Equal(t, 2, n, "the writer committed")
}

func TestPGImportBadURL(t *testing.T) {
	t.Parallel()
	_, err := runPGImport(t, "postgres://u:hunter2@127.0.0.1:1/db?connect_timeout=2", stackdbtest.URL(t))
	require.ErrorIs(t, err, importer.ErrSource)
	require.NotContains(t, err.Error(), "hunter2")
	require.False(t, errors.Is(err, importer.ErrVersion))
}

// TestPGImportGenerated: a generated installation in the real Postgres
// layout (legacygen.GeneratePostgres, with its plugin table) imports clean
// and verified.
func TestPGImportGenerated(t *testing.T) {
	t.Parallel()
	src, to := stackdbtest.EmptyURL(t), stackdbtest.URL(t)
	_, err := legacygen.GeneratePostgres(context.Background(), src, legacygen.Options{Rows: legacygen.MinRows, Seed: 5})
	require.NoError(t, err)
	rep, err := runPGImport(t, src, to)
	for _, d := range rep.Defects[:min(len(rep.Defects), 20)] {
		t.Log(d)
	}
	require.NoError(t, err)
	require.True(t, rep.Committed)
	require.Len(t, rep.Tables, 43)
	var rows int64
	for _, tr := range rep.Tables {
		require.True(t, tr.ChecksumOK, tr.Legacy)
		require.Equal(t, tr.SourceRows, tr.Imported, tr.Legacy)
		rows += tr.Imported
	}
	require.Greater(t, rows, int64(legacygen.MinRows))
	require.Equal(t, "plugin_example_plugin.example_entities", rep.Tables[len(rep.Tables)-1].Target)
}

// TestPGImportGeneratedDefects: the defects a real installation's keys
// allow (legacygen's Postgres defects) are each reported, not errors, and
// skip mode imports the rest.
func TestPGImportGeneratedDefects(t *testing.T) {
	t.Parallel()
	src := stackdbtest.EmptyURL(t)
	_, err := legacygen.GeneratePostgres(context.Background(), src, legacygen.Options{Rows: legacygen.MinRows, Seed: 7, Defects: true})
	require.NoError(t, err)
	to := stackdbtest.URL(t)
	rep, err := runPGImport(t, src, to)
	require.ErrorIs(t, err, importer.ErrDefects)
	classes := map[importer.DefectClass]bool{}
	for _, d := range rep.Defects {
		classes[d.Class] = true
		require.NotEmpty(t, d.PK, d.String())
	}
	for _, c := range []importer.DefectClass{importer.DefectInvalidEnum, importer.DefectDuplicate, importer.DefectInvalidJSON, importer.DefectInvalidTimestamp} {
		require.True(t, classes[c], "no %s among %v", c, classes)
	}
	requirePGUnchanged(t, to)

	rep, err = runPGImport(t, src, to, func(o *importer.Options) { o.OnError = importer.Skip })
	require.NoError(t, err)
	require.True(t, rep.Committed)
	require.NotEmpty(t, rep.Rejected)
	for _, tr := range rep.Tables {
		require.True(t, tr.ChecksumOK, tr.Legacy)
		require.Equal(t, tr.SourceRows, tr.Imported+tr.Rejected, tr.Legacy)
	}
}
