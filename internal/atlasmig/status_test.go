package atlasmig_test

import (
	"context"
	"testing"

	migrate "ariga.io/atlas/sql/migrate"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/atlasmig"
	"github.com/deploystack/stackdb/internal/config"
	"github.com/deploystack/stackdb/stackdbtest"
)

// statusDir builds a hashed in-memory migration directory of its own, so
// these tests do not depend on the fixtures of atlasmig_test.go.
func statusDir(t *testing.T, files ...string) migrate.Dir {
	t.Helper()
	dir := &migrate.MemDir{}
	for i := 0; i < len(files); i += 2 {
		require.NoError(t, dir.WriteFile(files[i], []byte(files[i+1])))
	}
	require.NoError(t, atlasmig.WriteSum(dir))
	return dir
}

func statusConn(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

// A file that fails half-way (outside a transaction, so its first
// statement stays) is reported as failed, with its error, and not as
// applied; the file before it is applied.
func TestStatusReportsFailedFileAsFailed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := stackdbtest.EmptyURL(t)
	const (
		first = "20250101000000_first.sql"
		half  = "20250102000000_half.sql"
		bad   = "INSERT INTO missing VALUES (1);"
	)
	dir := statusDir(t,
		first, "CREATE TABLE one (id int);\n",
		half, "-- atlas:txmode none\n\nCREATE TABLE two (id int);\n"+bad+"\n",
	)
	_, err := atlasmig.Apply(ctx, url, dir, atlasmig.ApplyOptions{})
	var aerr *atlasmig.ApplyError
	require.ErrorAs(t, err, &aerr)

	st, err := atlasmig.Status(ctx, url, dir)
	require.NoError(t, err)
	require.Equal(t, "20250101000000", st.Current)
	require.Len(t, st.Applied, 1, "only the first file is applied")
	require.Equal(t, "20250101000000", st.Applied[0].Version)
	require.NotNil(t, st.Failed)
	require.Equal(t, "20250102000000", st.Failed.Version)
	require.Contains(t, st.Failed.Error, `relation "missing" does not exist`)
	require.Equal(t, bad, st.Failed.ErrorStmt)
	require.EqualValues(t, 1, st.Failed.Applied, "one statement of the failed file ran")
	require.EqualValues(t, 2, st.Failed.Total)
	require.Equal(t, []string{half}, st.Pending, "the failed file is still to be applied")
}

// A refused apply (a database with objects, no revisions, no baseline)
// leaves the database exactly as it was: not even the revisions schema.
func TestApplyRefusedLeavesNothingBehind(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := stackdbtest.EmptyURL(t)
	conn := statusConn(t, url)
	_, err := conn.Exec(ctx, "CREATE TABLE existing (id int)")
	require.NoError(t, err)
	dir := statusDir(t, "20250101000000_first.sql", "CREATE TABLE one (id int);\n")

	_, err = atlasmig.Apply(ctx, url, dir, atlasmig.ApplyOptions{})
	require.EqualError(t, err, `migrate: the database has objects but no revisions (found schema "public"); `+
		"a baseline is needed: name the last version it already has with Baseline")
	var oerr *config.OptionError
	require.ErrorAs(t, err, &oerr)
	require.Equal(t, "Baseline", oerr.Option)
	var notClean *migrate.NotCleanError
	require.ErrorAs(t, err, &notClean, "Atlas's error stays reachable")

	var schemaExists bool
	require.NoError(t, conn.QueryRow(ctx, "SELECT to_regnamespace('atlas_schema_revisions') IS NOT NULL").Scan(&schemaExists))
	require.False(t, schemaExists, "a refused apply creates no revisions schema")

	// With a baseline the same apply goes ahead and creates the table.
	_, err = atlasmig.Apply(ctx, url, dir, atlasmig.ApplyOptions{Baseline: "20250101000000"})
	require.NoError(t, err)
	require.NoError(t, conn.QueryRow(ctx, "SELECT to_regclass('atlas_schema_revisions.atlas_schema_revisions') IS NOT NULL").Scan(&schemaExists))
	require.True(t, schemaExists)
}

func TestApplyUnknownVersionNamesTheOption(t *testing.T) {
	t.Parallel()
	dir := statusDir(t, "20250101000000_first.sql", "CREATE TABLE one (id int);\n")
	for _, tc := range []struct {
		opts   atlasmig.ApplyOptions
		option string
	}{
		{atlasmig.ApplyOptions{To: "20990101000000"}, "To"},
		{atlasmig.ApplyOptions{Baseline: "20990101000000"}, "Baseline"},
	} {
		_, err := atlasmig.Apply(context.Background(), "postgres://nobody@127.0.0.1:1/x", dir, tc.opts)
		require.EqualError(t, err, "migrate: "+tc.option+" 20990101000000: no migration file has that version")
		var oerr *config.OptionError
		require.ErrorAs(t, err, &oerr)
		require.Equal(t, tc.option, oerr.Option)
	}
}
