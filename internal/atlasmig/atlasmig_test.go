package atlasmig_test

import (
	"bytes"
	"context"
	"errors"
	"hash/fnv"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	migrate "ariga.io/atlas/sql/migrate"
	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/atlasmig"
	"github.com/deploystack/stackdb/schema"
	"github.com/deploystack/stackdb/stackdbtest"
)

func TestMain(m *testing.M) { stackdbtest.Main(m) }

// A small three-file directory used by most tests.
const (
	v1 = "20250101000000"
	v2 = "20250102000000"
	v3 = "20250103000000"

	fileA = v1 + "_create_a.sql"
	fileB = v2 + "_create_b.sql"
	fileC = v3 + "_index_b.sql"

	stmtA  = "CREATE TABLE a (id int PRIMARY KEY);"
	stmtB1 = "CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a (id));"
	stmtB2 = "INSERT INTO a (id) VALUES (1);"
	stmtC  = "CREATE INDEX b_a_id_idx ON b (a_id);"
)

func threeFiles() map[string]string {
	return map[string]string{
		fileA: "-- the first table\n" + stmtA + "\n",
		fileB: stmtB1 + "\n" + stmtB2 + "\n",
		fileC: stmtC + "\n",
	}
}

// writeDir writes files into a new temporary directory, hashes it and
// returns its path.
func writeDir(t *testing.T, files map[string]string) string {
	t.Helper()
	path := t.TempDir()
	for name, content := range files {
		writeFile(t, path, name, content)
	}
	rehash(t, path)
	return path
}

func writeFile(t *testing.T, dir, name, content string) {
	t.Helper()
	require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
}

func rehash(t *testing.T, path string) {
	t.Helper()
	require.NoError(t, atlasmig.WriteSum(openDir(t, path)))
}

func openDir(t *testing.T, path string) *migrate.LocalDir {
	t.Helper()
	dir, err := atlasmig.OpenDir(path)
	require.NoError(t, err)
	return dir
}

// copyFiles copies the files matching pattern into dst.
func copyFiles(t *testing.T, pattern, dst string) []string {
	t.Helper()
	paths, err := filepath.Glob(pattern)
	require.NoError(t, err)
	require.NotEmpty(t, paths, pattern)
	var names []string
	for _, p := range paths {
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dst, filepath.Base(p)), b, 0o644))
		names = append(names, filepath.Base(p))
	}
	return names
}

func sqlFiles(t *testing.T, dir string) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.sql"))
	require.NoError(t, err)
	names := make([]string, len(paths))
	for i, p := range paths {
		names[i] = filepath.Base(p)
	}
	return names
}

func fileHash(t *testing.T, dir migrate.Dir, name string) string {
	t.Helper()
	sum, err := dir.Checksum()
	require.NoError(t, err)
	h, err := sum.SumByName(name)
	require.NoError(t, err)
	return h
}

func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

func exec(t *testing.T, conn *pgx.Conn, sql string, args ...any) {
	t.Helper()
	_, err := conn.Exec(context.Background(), sql, args...)
	require.NoError(t, err)
}

func apply(t *testing.T, url string, dir migrate.Dir, opts atlasmig.ApplyOptions) *atlasmig.Report {
	t.Helper()
	report, err := atlasmig.Apply(context.Background(), url, dir, opts)
	require.NoError(t, err)
	require.NotNil(t, report)
	return report
}

func appliedNames(r *atlasmig.Report) []string {
	names := []string{}
	for _, f := range r.Applied {
		names = append(names, f.Name)
	}
	return names
}

// tables lists the tables of the public schema.
func tables(t *testing.T, conn *pgx.Conn) []string {
	t.Helper()
	rows, err := conn.Query(context.Background(),
		"SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
	require.NoError(t, err)
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	if names == nil {
		names = []string{}
	}
	return names
}

func revisionsSchemaExists(t *testing.T, conn *pgx.Conn) bool {
	t.Helper()
	var ok bool
	require.NoError(t, conn.QueryRow(context.Background(),
		"SELECT to_regnamespace('atlas_schema_revisions') IS NOT NULL").Scan(&ok))
	return ok
}

type revision struct {
	Version         string
	Description     string
	Type            int64
	Applied         int64
	Total           int64
	ExecutedAt      time.Time
	ExecutionTime   int64
	Error           *string
	ErrorStmt       *string
	Hash            string
	PartialHashes   *string
	OperatorVersion string
}

// revisions reads the revisions table (nil when it does not exist).
func revisions(t *testing.T, conn *pgx.Conn) []revision {
	t.Helper()
	var exists bool
	require.NoError(t, conn.QueryRow(context.Background(),
		`SELECT to_regclass('"atlas_schema_revisions"."atlas_schema_revisions"') IS NOT NULL`).Scan(&exists))
	if !exists {
		return nil
	}
	rows, err := conn.Query(context.Background(), `SELECT version, description, type, applied, total,
	executed_at, execution_time, error, error_stmt, hash, partial_hashes::text, operator_version
FROM atlas_schema_revisions.atlas_schema_revisions ORDER BY version`)
	require.NoError(t, err)
	revs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[revision])
	require.NoError(t, err)
	return revs
}

func revisionByVersion(t *testing.T, conn *pgx.Conn, version string) revision {
	t.Helper()
	for _, r := range revisions(t, conn) {
		if r.Version == version {
			return r
		}
	}
	t.Fatalf("no revision %s", version)
	return revision{}
}

func TestApplyEmptyDatabase(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		open func(t *testing.T, path string) migrate.Dir
	}{
		{"OpenDir", func(t *testing.T, path string) migrate.Dir { return openDir(t, path) }},
		{"FromFS", func(t *testing.T, path string) migrate.Dir {
			// As an embed.FS would hold it: the directory under a root, plus
			// a stray sub-directory that must be ignored.
			fsys := fstest.MapFS{"migrations/nested/ignored.sql": {Data: []byte("SELECT broken(")}}
			for _, name := range append(sqlFiles(t, path), migrate.HashFileName) {
				b, err := os.ReadFile(filepath.Join(path, name))
				require.NoError(t, err)
				fsys["migrations/"+name] = &fstest.MapFile{Data: b}
			}
			dir, err := atlasmig.FromFS(fsys, "migrations")
			require.NoError(t, err)
			return dir
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			url := stackdbtest.EmptyURL(t)
			dir := tc.open(t, writeDir(t, threeFiles()))
			var log bytes.Buffer

			before := time.Now()
			report := apply(t, url, dir, atlasmig.ApplyOptions{Log: &log})
			require.Equal(t, v3, report.Current)
			require.Equal(t, []string{fileA, fileB, fileC}, appliedNames(report))
			for i, want := range []struct {
				version    string
				statements int
			}{{v1, 1}, {v2, 2}, {v3, 1}} {
				require.Equal(t, want.version, report.Applied[i].Version)
				require.Equal(t, want.statements, report.Applied[i].Statements)
				require.Positive(t, report.Applied[i].Duration)
			}
			for _, name := range []string{fileA, fileB, fileC} {
				require.Contains(t, log.String(), "applying "+name)
				require.Contains(t, log.String(), "applied  "+name)
			}

			conn := connect(t, url)
			require.Equal(t, []string{"a", "b"}, tables(t, conn))
			var n int
			require.NoError(t, conn.QueryRow(ctx, "SELECT count(*) FROM a").Scan(&n))
			require.Equal(t, 1, n, "the INSERT of file 2 ran")
			require.NoError(t, conn.QueryRow(ctx, "SELECT count(*) FROM pg_indexes WHERE indexname = 'b_a_id_idx'").Scan(&n))
			require.Equal(t, 1, n, "file 3 ran")

			revs := revisions(t, conn)
			require.Len(t, revs, 3)
			for i, want := range []struct {
				version, desc, file string
				total               int64
			}{{v1, "create_a", fileA, 1}, {v2, "create_b", fileB, 2}, {v3, "index_b", fileC, 1}} {
				r := revs[i]
				require.Equal(t, want.version, r.Version)
				require.Equal(t, want.desc, r.Description)
				require.EqualValues(t, migrate.RevisionTypeExecute, r.Type)
				require.EqualValues(t, 2, r.Type)
				require.Equal(t, want.total, r.Total)
				require.Equal(t, want.total, r.Applied)
				require.Equal(t, fileHash(t, dir, want.file), r.Hash)
				require.Equal(t, atlasmig.OperatorVersion, r.OperatorVersion)
				require.Equal(t, "stackdb", r.OperatorVersion)
				require.Nil(t, r.Error)
				require.Nil(t, r.ErrorStmt)
				require.Nil(t, r.PartialHashes, "partial hashes are cleared once a file completes")
				require.WithinDuration(t, before, r.ExecutedAt, time.Minute)
				require.GreaterOrEqual(t, r.ExecutionTime, int64(0))
			}

			// A second run is a no-op.
			again := apply(t, url, dir, atlasmig.ApplyOptions{})
			require.Empty(t, again.Applied)
			require.Equal(t, v3, again.Current)
			require.Equal(t, revs, revisions(t, conn), "the revisions are not rewritten")
			require.NoError(t, conn.QueryRow(ctx, "SELECT count(*) FROM a").Scan(&n))
			require.Equal(t, 1, n, "no file ran twice")
		})
	}
}

func TestApplyEmptyDirectory(t *testing.T) {
	t.Parallel()
	url := stackdbtest.EmptyURL(t)
	report := apply(t, url, openDir(t, writeDir(t, nil)), atlasmig.ApplyOptions{})
	require.Empty(t, report.Applied)
	require.Empty(t, report.Current)
	conn := connect(t, url)
	require.Empty(t, tables(t, conn))
	require.Empty(t, revisions(t, conn))
}

func TestApplyConcurrent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := stackdbtest.EmptyURL(t)
	path := writeDir(t, map[string]string{
		v1 + "_log.sql": "CREATE TABLE apply_log (file text NOT NULL);\nINSERT INTO apply_log VALUES ('1');\n",
		// The sleep widens the window in which a second runner could slip in.
		v2 + "_two.sql":   "INSERT INTO apply_log VALUES ('2');\nSELECT pg_sleep(0.1);\n",
		v3 + "_three.sql": "INSERT INTO apply_log VALUES ('3');\n",
	})

	const runners = 8
	var (
		wg      sync.WaitGroup
		start   = make(chan struct{})
		reports = make([]*atlasmig.Report, runners)
		errs    = make([]error, runners)
	)
	for i := range runners {
		wg.Go(func() {
			dir, err := atlasmig.OpenDir(path)
			if err != nil {
				errs[i] = err
				return
			}
			<-start
			reports[i], errs[i] = atlasmig.Apply(ctx, url, dir, atlasmig.ApplyOptions{LockTimeout: time.Minute})
		})
	}
	close(start)
	wg.Wait()

	applied, appliers := 0, 0
	for i := range runners {
		require.NoError(t, errs[i], "runner %d", i)
		require.Equal(t, v3, reports[i].Current, "runner %d", i)
		applied += len(reports[i].Applied)
		if len(reports[i].Applied) > 0 {
			appliers++
			require.Equal(t, []string{v1 + "_log.sql", v2 + "_two.sql", v3 + "_three.sql"}, appliedNames(reports[i]))
		}
	}
	require.Equal(t, 3, applied, "each file is reported applied once in total")
	require.Equal(t, 1, appliers, "the first runner applies everything; the others find nothing pending")

	conn := connect(t, url)
	rows, err := conn.Query(ctx, "SELECT file, count(*)::int FROM apply_log GROUP BY file ORDER BY file")
	require.NoError(t, err)
	type count struct {
		File string
		N    int
	}
	counts, err := pgx.CollectRows(rows, pgx.RowToStructByPos[count])
	require.NoError(t, err)
	require.Equal(t, []count{{"1", 1}, {"2", 1}, {"3", 1}}, counts)
	require.Len(t, revisions(t, conn), 3)
}

func TestApplyLockTimeout(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := stackdbtest.EmptyURL(t)
	dir := openDir(t, writeDir(t, threeFiles()))

	// Hold the lock the way the Atlas CLI (or another stackdb) would.
	h := fnv.New32()
	_, _ = h.Write([]byte(atlasmig.LockName))
	holder := connect(t, url)
	exec(t, holder, "SELECT pg_advisory_lock($1::bigint)", int64(h.Sum32()))

	start := time.Now()
	_, err := atlasmig.Apply(ctx, url, dir, atlasmig.ApplyOptions{LockTimeout: 200 * time.Millisecond})
	require.ErrorContains(t, err, atlasmig.LockName)
	require.Less(t, time.Since(start), 10*time.Second)
	conn := connect(t, url)
	require.Empty(t, tables(t, conn))
	require.False(t, revisionsSchemaExists(t, conn), "nothing is written without the lock")

	exec(t, holder, "SELECT pg_advisory_unlock($1::bigint)", int64(h.Sum32()))
	report := apply(t, url, dir, atlasmig.ApplyOptions{LockTimeout: 200 * time.Millisecond})
	require.Len(t, report.Applied, 3)
}

func TestApplyRefusesTamperedDirectory(t *testing.T) {
	t.Parallel()
	const added = "20250102120000_added.sql"
	for _, tc := range []struct {
		name       string
		tamper     func(t *testing.T, path string)
		wantFile   string
		wantReason string
	}{
		{
			name: "applied file edited",
			tamper: func(t *testing.T, path string) {
				writeFile(t, path, fileA, stmtA+"\nCREATE TABLE tampered (id int);\n")
			},
			wantFile: fileA, wantReason: "edited",
		},
		{
			name: "pending file edited",
			tamper: func(t *testing.T, path string) {
				writeFile(t, path, fileB, stmtB1+"\nCREATE TABLE tampered (id int);\n")
			},
			wantFile: fileB, wantReason: "edited",
		},
		{
			name: "file added at the end",
			tamper: func(t *testing.T, path string) {
				writeFile(t, path, "20250104000000_added.sql", "CREATE TABLE tampered (id int);\n")
			},
			wantFile: "20250104000000_added.sql", wantReason: "added",
		},
		{
			name: "file added in the middle",
			tamper: func(t *testing.T, path string) {
				writeFile(t, path, added, "CREATE TABLE tampered (id int);\n")
			},
			wantFile: added, wantReason: "added",
		},
		{
			name: "file removed",
			tamper: func(t *testing.T, path string) {
				require.NoError(t, os.Remove(filepath.Join(path, fileC)))
			},
			wantFile: fileC, wantReason: "removed",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			url := stackdbtest.EmptyURL(t)
			path := writeDir(t, threeFiles())
			dir := openDir(t, path)
			apply(t, url, dir, atlasmig.ApplyOptions{To: v1})
			conn := connect(t, url)
			revsBefore := revisions(t, conn)
			require.Len(t, revsBefore, 1)

			tc.tamper(t, path)

			_, err := atlasmig.Apply(ctx, url, dir, atlasmig.ApplyOptions{})
			var cerr *atlasmig.ChecksumError
			require.ErrorAs(t, err, &cerr)
			require.Equal(t, tc.wantFile, cerr.File)
			require.Equal(t, tc.wantReason, cerr.Reason)
			require.ErrorIs(t, err, migrate.ErrChecksumMismatch)
			require.ErrorContains(t, err, tc.wantFile)
			require.ErrorContains(t, err, "atlas.sum")

			require.Equal(t, []string{"a"}, tables(t, conn), "no file ran")
			require.Equal(t, revsBefore, revisions(t, conn), "no revision was written")

			_, err = atlasmig.Status(ctx, url, dir)
			require.ErrorAs(t, err, &cerr, "status refuses the directory too")
			require.Equal(t, tc.wantFile, cerr.File)

			// Once re-hashed, the directory is accepted again.
			rehash(t, path)
			require.NoError(t, atlasmig.VerifySum(dir))
		})
	}

	t.Run("atlas.sum missing", func(t *testing.T) {
		t.Parallel()
		url := stackdbtest.EmptyURL(t)
		path := writeDir(t, threeFiles())
		require.NoError(t, os.Remove(filepath.Join(path, migrate.HashFileName)))
		_, err := atlasmig.Apply(context.Background(), url, openDir(t, path), atlasmig.ApplyOptions{})
		require.ErrorContains(t, err, "atlas.sum is missing")
		conn := connect(t, url)
		require.Empty(t, tables(t, conn))
		require.False(t, revisionsSchemaExists(t, conn))
	})

	t.Run("atlas.sum edited by hand", func(t *testing.T) {
		t.Parallel()
		path := writeDir(t, threeFiles())
		sum, err := os.ReadFile(filepath.Join(path, migrate.HashFileName))
		require.NoError(t, err)
		// Change the total hash only: every file line still matches.
		lines := strings.SplitN(string(sum), "\n", 2)
		writeFile(t, path, migrate.HashFileName, "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"+lines[1])
		err = atlasmig.VerifySum(openDir(t, path))
		require.ErrorIs(t, err, migrate.ErrChecksumMismatch)
		var cerr *atlasmig.ChecksumError
		require.False(t, errors.As(err, &cerr), "no file to blame")
	})
}

func TestApplyFailingMigration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := stackdbtest.EmptyURL(t)
	const bad = "INSERT INTO missing (id) VALUES (1);"
	files := threeFiles()
	files[fileB] = stmtB1 + "\n" + bad + "\n"
	path := writeDir(t, files)
	dir := openDir(t, path)

	report, err := atlasmig.Apply(ctx, url, dir, atlasmig.ApplyOptions{})
	var aerr *atlasmig.ApplyError
	require.ErrorAs(t, err, &aerr)
	require.Equal(t, fileB, aerr.File)
	require.Equal(t, bad, strings.TrimSpace(aerr.Stmt))
	require.ErrorContains(t, err, fileB)
	require.ErrorContains(t, err, bad)
	var pgErr *pgconn.PgError
	require.ErrorAs(t, err, &pgErr, "the Postgres error is wrapped")
	require.Equal(t, pgerrcode.UndefinedTable, pgErr.Code)
	require.NotNil(t, report, "the report lists what was applied before the failure")
	require.Equal(t, []string{fileA}, appliedNames(report))

	conn := connect(t, url)
	require.Equal(t, []string{"a"}, tables(t, conn), "the good statement of file 2 was rolled back; file 3 did not run")
	revs := revisions(t, conn)
	require.Len(t, revs, 2)
	require.Equal(t, v1, revs[0].Version)
	require.Nil(t, revs[0].Error)
	require.EqualValues(t, 1, revs[0].Applied)
	failed := revs[1]
	require.Equal(t, v2, failed.Version)
	require.Equal(t, "create_b", failed.Description)
	require.EqualValues(t, 0, failed.Applied, "nothing of the file survived the rollback")
	require.EqualValues(t, 2, failed.Total)
	require.NotNil(t, failed.Error)
	require.Contains(t, *failed.Error, `relation "missing" does not exist`)
	require.NotNil(t, failed.ErrorStmt)
	require.Equal(t, bad, strings.TrimSpace(*failed.ErrorStmt))
	require.Equal(t, fileHash(t, dir, fileB), failed.Hash)
	require.Equal(t, atlasmig.OperatorVersion, failed.OperatorVersion)

	status, err := atlasmig.Status(ctx, url, dir)
	require.NoError(t, err)
	require.Equal(t, v1, status.Current)
	require.NotNil(t, status.Failed)
	require.Equal(t, v2, status.Failed.Version)
	require.Equal(t, bad, strings.TrimSpace(status.Failed.ErrorStmt))
	require.Equal(t, []string{fileB, fileC}, status.Pending)

	// Running again without a fix fails the same way and changes nothing.
	_, err = atlasmig.Apply(ctx, url, dir, atlasmig.ApplyOptions{})
	require.ErrorAs(t, err, &aerr)
	require.Equal(t, fileB, aerr.File)
	require.Equal(t, []string{"a"}, tables(t, conn))

	// Fix the file, re-hash, and apply again.
	writeFile(t, path, fileB, stmtB1+"\n"+stmtB2+"\n")
	rehash(t, path)
	report = apply(t, url, dir, atlasmig.ApplyOptions{})
	require.Equal(t, []string{fileB, fileC}, appliedNames(report))
	require.Equal(t, v3, report.Current)
	require.Equal(t, []string{"a", "b"}, tables(t, conn))
	revs = revisions(t, conn)
	require.Len(t, revs, 3)
	fixed := revs[1]
	require.Nil(t, fixed.Error, "the error is cleared")
	require.Nil(t, fixed.ErrorStmt, "the error statement is cleared")
	require.EqualValues(t, 2, fixed.Applied)
	require.EqualValues(t, 2, fixed.Total)
	require.Equal(t, fileHash(t, dir, fileB), fixed.Hash, "the hash is that of the file that was applied")
	require.Nil(t, revs[2].Error)

	status, err = atlasmig.Status(ctx, url, dir)
	require.NoError(t, err)
	require.Nil(t, status.Failed)
	require.Empty(t, status.Pending)
	require.Equal(t, v3, status.Current)
}

// A file applied outside a transaction keeps the statements that ran before
// the failure; the next run resumes at the failed statement.
func TestApplyTxModeNoneResumesPartialFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := stackdbtest.EmptyURL(t)
	const (
		file = v1 + "_partial.sql"
		bad  = "INSERT INTO missing VALUES (1);"
		good = "INSERT INTO p VALUES (1);"
		head = "-- atlas:txmode none\n\nCREATE TABLE p (id int);\n"
	)
	path := writeDir(t, map[string]string{file: head + bad + "\n"})
	dir := openDir(t, path)

	_, err := atlasmig.Apply(ctx, url, dir, atlasmig.ApplyOptions{})
	var aerr *atlasmig.ApplyError
	require.ErrorAs(t, err, &aerr)
	require.Equal(t, file, aerr.File)
	conn := connect(t, url)
	require.Equal(t, []string{"p"}, tables(t, conn), "without a transaction the first statement stays")
	rev := revisionByVersion(t, conn, v1)
	require.EqualValues(t, 1, rev.Applied)
	require.EqualValues(t, 2, rev.Total)
	require.NotNil(t, rev.Error)
	require.Equal(t, bad, strings.TrimSpace(*rev.ErrorStmt))
	require.NotNil(t, rev.PartialHashes, "the applied statement's hash is kept to detect edits")

	status, err := atlasmig.Status(ctx, url, dir)
	require.NoError(t, err)
	require.Empty(t, status.Current)
	require.Equal(t, []string{file}, status.Pending)

	// Re-running CREATE TABLE p would fail: the run must resume at statement 2.
	writeFile(t, path, file, head+good+"\n")
	rehash(t, path)
	report := apply(t, url, dir, atlasmig.ApplyOptions{})
	require.Equal(t, []string{file}, appliedNames(report))
	require.Equal(t, v1, report.Current)
	var n int
	require.NoError(t, conn.QueryRow(ctx, "SELECT count(*) FROM p").Scan(&n))
	require.Equal(t, 1, n)
	rev = revisionByVersion(t, conn, v1)
	require.EqualValues(t, 2, rev.Applied)
	require.Nil(t, rev.Error)
	require.Nil(t, rev.ErrorStmt)
	require.Nil(t, rev.PartialHashes)
	require.Equal(t, fileHash(t, dir, file), rev.Hash, "the hash is that of the fixed file")
}

func TestApplyTxMode(t *testing.T) {
	t.Parallel()
	const (
		create = v1 + "_create_t.sql"
		index  = v2 + "_index_t.sql"
		stmt   = "CREATE INDEX CONCURRENTLY t_x_idx ON t (x);"
	)
	for _, tc := range []struct {
		name    string
		content string
		// wantCode is the Postgres error of a failing file; "" for success.
		wantCode string
		wantErr  string
	}{
		{name: "none", content: "-- atlas:txmode none\n\n" + stmt + "\n"},
		{name: "default", content: stmt + "\n", wantCode: pgerrcode.ActiveSQLTransaction},
		{name: "file", content: "-- atlas:txmode file\n\n" + stmt + "\n", wantCode: pgerrcode.ActiveSQLTransaction},
		// Without the blank line the comment belongs to the statement and is
		// not a file directive (Atlas's rule).
		{name: "directive without blank line", content: "-- atlas:txmode none\n" + stmt + "\n", wantCode: pgerrcode.ActiveSQLTransaction},
		{name: "unsupported", content: "-- atlas:txmode all\n\n" + stmt + "\n", wantErr: "unsupported atlas:txmode"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			url := stackdbtest.EmptyURL(t)
			dir := openDir(t, writeDir(t, map[string]string{
				create: "CREATE TABLE t (x int);\n",
				index:  tc.content,
			}))
			report, err := atlasmig.Apply(ctx, url, dir, atlasmig.ApplyOptions{})
			conn := connect(t, url)
			var valid []bool
			rows, qerr := conn.Query(ctx, `SELECT i.indisvalid FROM pg_index i
JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 't_x_idx'`)
			require.NoError(t, qerr)
			valid, qerr = pgx.CollectRows(rows, pgx.RowTo[bool])
			require.NoError(t, qerr)

			switch {
			case tc.wantCode == "" && tc.wantErr == "":
				require.NoError(t, err)
				require.Equal(t, []string{create, index}, appliedNames(report))
				require.Equal(t, []bool{true}, valid, "the index exists and is valid")
				rev := revisionByVersion(t, conn, v2)
				require.EqualValues(t, 1, rev.Applied)
				require.EqualValues(t, 1, rev.Total)
				require.Nil(t, rev.Error)
			case tc.wantCode != "":
				var aerr *atlasmig.ApplyError
				require.ErrorAs(t, err, &aerr)
				require.Equal(t, index, aerr.File)
				require.Equal(t, stmt, strings.TrimSpace(aerr.Stmt[strings.Index(aerr.Stmt, "CREATE"):]))
				var pgErr *pgconn.PgError
				require.ErrorAs(t, err, &pgErr)
				require.Equal(t, tc.wantCode, pgErr.Code)
				require.Contains(t, pgErr.Message, "cannot run inside a transaction block")
				require.Empty(t, valid, "no index")
				rev := revisionByVersion(t, conn, v2)
				require.NotNil(t, rev.Error)
				require.EqualValues(t, 0, rev.Applied)
			default:
				require.ErrorContains(t, err, tc.wantErr)
				require.ErrorContains(t, err, index)
				require.Empty(t, valid, "no index")
				require.Equal(t, []string{create}, appliedNames(report))
			}
		})
	}
}

func TestApplyBaseline(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		baseline    string
		existing    []string // statements already run on the database
		wantApplied []string
		wantTables  []string
	}{
		{baseline: v1, existing: []string{stmtA}, wantApplied: []string{fileB, fileC}, wantTables: []string{"a", "b"}},
		{baseline: v2, existing: []string{stmtA, stmtB1}, wantApplied: []string{fileC}, wantTables: []string{"a", "b"}},
		{baseline: v3, existing: []string{stmtA, stmtB1, stmtC}, wantApplied: []string{}, wantTables: []string{"a", "b"}},
	} {
		t.Run(tc.baseline, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			url := stackdbtest.EmptyURL(t)
			dir := openDir(t, writeDir(t, threeFiles()))
			conn := connect(t, url)
			for _, s := range tc.existing {
				exec(t, conn, s)
			}

			_, err := atlasmig.Apply(ctx, url, dir, atlasmig.ApplyOptions{})
			require.ErrorContains(t, err, "baseline")
			require.ErrorContains(t, err, `found schema "public"`, "the error says what makes the database not clean")
			require.Empty(t, revisions(t, conn), "nothing was recorded")
			var n int
			require.NoError(t, conn.QueryRow(ctx, "SELECT count(*) FROM a").Scan(&n))
			require.Zero(t, n, "file 2 did not run")

			status, err := atlasmig.Status(ctx, url, dir)
			require.NoError(t, err)
			require.NotEmpty(t, status.NotClean)
			require.Empty(t, status.Current)

			_, err = atlasmig.Apply(ctx, url, dir, atlasmig.ApplyOptions{Baseline: "20990101000000"})
			require.ErrorContains(t, err, "20990101000000")
			require.Empty(t, revisions(t, conn), "an unknown baseline records nothing")

			report := apply(t, url, dir, atlasmig.ApplyOptions{Baseline: tc.baseline})
			require.Equal(t, tc.wantApplied, appliedNames(report))
			require.Equal(t, v3, report.Current)
			require.Equal(t, tc.wantTables, tables(t, conn))

			revs := revisions(t, conn)
			require.Len(t, revs, 1+len(tc.wantApplied))
			require.Equal(t, tc.baseline, revs[0].Version)
			require.EqualValues(t, migrate.RevisionTypeBaseline, revs[0].Type)
			require.EqualValues(t, 1, revs[0].Type)
			require.Equal(t, atlasmig.OperatorVersion, revs[0].OperatorVersion)
			for _, r := range revs[1:] {
				require.EqualValues(t, 2, r.Type)
				require.Equal(t, r.Total, r.Applied)
			}
			wantB := int64(0)
			if tc.baseline == v1 {
				wantB = 1 // file 2's INSERT ran
			}
			require.NoError(t, conn.QueryRow(ctx, "SELECT count(*) FROM a").Scan(&n))
			require.EqualValues(t, wantB, n)

			status, err = atlasmig.Status(ctx, url, dir)
			require.NoError(t, err)
			require.Equal(t, v3, status.Current)
			require.Empty(t, status.Pending)
			require.Empty(t, status.NotClean)
		})
	}
}

func TestApplyDryRun(t *testing.T) {
	t.Parallel()

	t.Run("empty database", func(t *testing.T) {
		t.Parallel()
		url := stackdbtest.EmptyURL(t)
		dir := openDir(t, writeDir(t, threeFiles()))
		var log bytes.Buffer
		report := apply(t, url, dir, atlasmig.ApplyOptions{DryRun: true, Log: &log})
		require.Equal(t, []string{fileA, fileB, fileC}, appliedNames(report))
		require.Equal(t, []int{1, 2, 1}, []int{report.Applied[0].Statements, report.Applied[1].Statements, report.Applied[2].Statements})
		require.Empty(t, report.Current, "nothing was applied")
		for _, s := range []string{fileA, fileB, fileC, stmtA, stmtB1, stmtB2, stmtC} {
			require.Contains(t, log.String(), s)
		}
		require.Contains(t, log.String(), "dry run")

		conn := connect(t, url)
		require.Empty(t, tables(t, conn))
		require.False(t, revisionsSchemaExists(t, conn), "a dry run does not create the revisions table")

		// The dry run is repeatable and a real run still applies everything.
		require.Len(t, apply(t, url, dir, atlasmig.ApplyOptions{DryRun: true}).Applied, 3)
		require.Len(t, apply(t, url, dir, atlasmig.ApplyOptions{}).Applied, 3)
	})

	t.Run("partly applied", func(t *testing.T) {
		t.Parallel()
		url := stackdbtest.EmptyURL(t)
		dir := openDir(t, writeDir(t, threeFiles()))
		apply(t, url, dir, atlasmig.ApplyOptions{To: v1})
		conn := connect(t, url)
		revs := revisions(t, conn)
		var log bytes.Buffer
		report := apply(t, url, dir, atlasmig.ApplyOptions{DryRun: true, Log: &log})
		require.Equal(t, []string{fileB, fileC}, appliedNames(report))
		require.Equal(t, v1, report.Current)
		require.NotContains(t, log.String(), stmtA, "applied files are not listed")
		require.Contains(t, log.String(), stmtB1)
		require.Equal(t, []string{"a"}, tables(t, conn))
		require.Equal(t, revs, revisions(t, conn))
	})

	t.Run("with baseline", func(t *testing.T) {
		t.Parallel()
		url := stackdbtest.EmptyURL(t)
		dir := openDir(t, writeDir(t, threeFiles()))
		conn := connect(t, url)
		exec(t, conn, stmtA)
		report := apply(t, url, dir, atlasmig.ApplyOptions{DryRun: true, Baseline: v1})
		require.Equal(t, []string{fileB, fileC}, appliedNames(report))
		require.Equal(t, v1, report.Current, "the baseline is reported as the current version")
		require.Equal(t, []string{"a"}, tables(t, conn))
		require.False(t, revisionsSchemaExists(t, conn), "the baseline is not written")
	})
}

func TestApplyTo(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := stackdbtest.EmptyURL(t)
	dir := openDir(t, writeDir(t, threeFiles()))
	conn := connect(t, url)

	_, err := atlasmig.Apply(ctx, url, dir, atlasmig.ApplyOptions{To: "20250101000001"})
	require.ErrorContains(t, err, "20250101000001")
	require.ErrorContains(t, err, "no migration file")
	require.Empty(t, tables(t, conn))
	require.Empty(t, revisions(t, conn))

	report := apply(t, url, dir, atlasmig.ApplyOptions{To: v2})
	require.Equal(t, []string{fileA, fileB}, appliedNames(report))
	require.Equal(t, v2, report.Current)
	require.Equal(t, []string{"a", "b"}, tables(t, conn))
	require.Len(t, revisions(t, conn), 2)

	// To an already applied version: nothing to do.
	report = apply(t, url, dir, atlasmig.ApplyOptions{To: v1})
	require.Empty(t, report.Applied)
	require.Equal(t, v2, report.Current)

	_, err = atlasmig.Apply(ctx, url, dir, atlasmig.ApplyOptions{To: "nope"})
	require.ErrorContains(t, err, "nope")
	require.Len(t, revisions(t, conn), 2)

	report = apply(t, url, dir, atlasmig.ApplyOptions{})
	require.Equal(t, []string{fileC}, appliedNames(report))
	require.Equal(t, v3, report.Current)
	require.Len(t, revisions(t, conn), 3)
}

func TestStatus(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := stackdbtest.EmptyURL(t)
	dir := openDir(t, writeDir(t, threeFiles()))
	conn := connect(t, url)

	status, err := atlasmig.Status(ctx, url, dir)
	require.NoError(t, err)
	require.Empty(t, status.Current)
	require.Empty(t, status.Applied)
	require.Equal(t, []string{fileA, fileB, fileC}, status.Pending)
	require.Nil(t, status.Failed)
	require.Empty(t, status.NotClean)
	require.False(t, revisionsSchemaExists(t, conn), "status is read-only")

	apply(t, url, dir, atlasmig.ApplyOptions{To: v1})
	status, err = atlasmig.Status(ctx, url, dir)
	require.NoError(t, err)
	require.Equal(t, v1, status.Current)
	require.Len(t, status.Applied, 1)
	require.Equal(t, []string{fileB, fileC}, status.Pending)

	apply(t, url, dir, atlasmig.ApplyOptions{})
	status, err = atlasmig.Status(ctx, url, dir)
	require.NoError(t, err)
	require.Equal(t, v3, status.Current)
	require.Empty(t, status.Pending)
	require.Nil(t, status.Failed)
	var versions []string
	for _, r := range status.Applied {
		versions = append(versions, r.Version)
		require.Equal(t, migrate.RevisionTypeExecute, r.Type)
		require.Equal(t, r.Total, r.Applied)
	}
	require.Equal(t, []string{v1, v2, v3}, versions)
}

func TestBadURL(t *testing.T) {
	t.Parallel()
	dir := openDir(t, writeDir(t, threeFiles()))
	for _, tc := range []struct{ url, want string }{
		{"mysql://user:s3cret@localhost/db", "invalid database URL"},
		{"::not a url", "invalid database URL"},
		{"postgres://user:s3cret@127.0.0.1:1/db?sslmode=disable", "connect to"},
	} {
		t.Run(tc.url, func(t *testing.T) {
			t.Parallel()
			_, err := atlasmig.Apply(context.Background(), tc.url, dir, atlasmig.ApplyOptions{})
			require.ErrorContains(t, err, tc.want)
			require.NotContains(t, err.Error(), "s3cret", "the password is never echoed")
			_, err = atlasmig.Status(context.Background(), tc.url, dir)
			require.ErrorContains(t, err, tc.want)
			require.NotContains(t, err.Error(), "s3cret")
		})
	}
}

// fixtureSchema is the diff tests' own schema. They never read the project's
// schema/: a change to it (such as the README's users.nickname example) must
// not change what they expect.
const fixtureSchema = "testdata/schema"

// addNickname copies the fixture schema into a new directory and adds a
// users.nickname column there, as the README's schema-change example does to
// the project's schema.
func addNickname(t *testing.T) string {
	t.Helper()
	schemaDir := t.TempDir()
	copyFiles(t, filepath.Join(fixtureSchema, "*.hcl"), schemaDir)
	app := filepath.Join(schemaDir, "app.pg.hcl")
	b, err := os.ReadFile(app)
	require.NoError(t, err)
	const users = "table \"users\" {\n  schema = schema.public\n"
	require.Equal(t, 1, strings.Count(string(b), users))
	changed := strings.Replace(string(b), users, users+"  column \"nickname\" {\n    type = text\n    null = true\n  }\n", 1)
	require.NoError(t, os.WriteFile(app, []byte(changed), 0o644))
	return schemaDir
}

func TestDiff(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dev := stackdbtest.EmptyURL(t)
	migrations := writeDir(t, nil)
	dir := openDir(t, migrations)

	// From an empty directory: check mode reports the difference and writes
	// nothing; then the first file creates everything.
	opts := atlasmig.DiffOptions{DevURL: dev, SchemaDir: fixtureSchema, Dir: dir, Name: "init", Check: true}
	name, err := atlasmig.Diff(ctx, opts)
	require.ErrorIs(t, err, atlasmig.ErrOutOfSync)
	require.Empty(t, name)
	require.Empty(t, sqlFiles(t, migrations), "check mode writes nothing")

	opts.Check = false
	initName, err := atlasmig.Diff(ctx, opts)
	require.NoError(t, err)
	require.True(t, strings.HasSuffix(initName, "_init.sql"), initName)
	require.Equal(t, []string{initName}, sqlFiles(t, migrations))
	content, err := os.ReadFile(filepath.Join(migrations, initName))
	require.NoError(t, err)
	for _, want := range []string{
		`CREATE TYPE "user_kind" AS ENUM ('person', 'robot')`,
		`CREATE TABLE "users"`,
		`CREATE UNIQUE INDEX "users_email_key" ON "users" ("email")`,
		`CREATE TABLE "posts"`,
		`CONSTRAINT "posts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("id")`,
		`CONSTRAINT "posts_body_not_empty" CHECK`,
	} {
		require.Contains(t, string(content), want)
	}
	require.NotContains(t, string(content), `"public".`, "files carry no schema qualifier")
	require.NoError(t, atlasmig.VerifySum(dir))

	// In sync: no file, in either mode.
	original := sqlFiles(t, migrations)
	for _, check := range []bool{false, true} {
		name, err = atlasmig.Diff(ctx, atlasmig.DiffOptions{DevURL: dev, SchemaDir: fixtureSchema, Dir: dir, Name: "noop", Check: check})
		require.NoError(t, err, "check=%v", check)
		require.Empty(t, name, "check=%v", check)
		require.Equal(t, original, sqlFiles(t, migrations), "no file is written when in sync")
	}

	// Add a column to users.
	opts = atlasmig.DiffOptions{DevURL: dev, SchemaDir: addNickname(t), Dir: dir, Name: "add_nickname", Check: true}
	name, err = atlasmig.Diff(ctx, opts)
	require.ErrorIs(t, err, atlasmig.ErrOutOfSync)
	require.Empty(t, name)
	require.Equal(t, original, sqlFiles(t, migrations), "check mode writes nothing")

	opts.Check = false
	name, err = atlasmig.Diff(ctx, opts)
	require.NoError(t, err)
	require.True(t, strings.HasSuffix(name, "_add_nickname.sql"), name)
	require.Equal(t, append(append([]string{}, original...), name), sqlFiles(t, migrations), "exactly one new file, sorted last")
	content, err = os.ReadFile(filepath.Join(migrations, name))
	require.NoError(t, err)
	require.Equal(t, "-- Modify \"users\" table\nALTER TABLE \"users\" ADD COLUMN \"nickname\" text NULL;\n", string(content))
	require.NoError(t, atlasmig.VerifySum(dir))

	opts.Name = "again"
	name2, err := atlasmig.Diff(ctx, opts)
	require.NoError(t, err)
	require.Empty(t, name2, "in sync after the new file")
	opts.Check = true
	_, err = atlasmig.Diff(ctx, opts)
	require.NoError(t, err)

	// The generated files apply.
	url := stackdbtest.EmptyURL(t)
	report := apply(t, url, dir, atlasmig.ApplyOptions{})
	require.Equal(t, []string{initName, name}, appliedNames(report))
	conn := connect(t, url)
	require.Equal(t, []string{"posts", "users"}, tables(t, conn))
	var n int
	require.NoError(t, conn.QueryRow(ctx,
		"SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'nickname'").Scan(&n))
	require.Equal(t, 1, n)
}

// A new file is versioned with the current second, or one past the last
// file when that is not in the past: written the same second, or by a clock
// that ran ahead.
func TestDiffVersion(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, last string
		want       func(t *testing.T, version string)
	}{
		{"last in the past", "20250101000000", func(t *testing.T, version string) {
			v, err := time.Parse("20060102150405", version)
			require.NoError(t, err)
			require.WithinDuration(t, time.Now(), v, time.Minute, "the current second")
		}},
		{"last ahead of the clock", "20990101000000", func(t *testing.T, version string) {
			require.Equal(t, "20990101000001", version)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			last := tc.last + "_last.sql"
			migrations := writeDir(t, map[string]string{last: "CREATE TABLE last (id int);\n"})
			name, err := atlasmig.Diff(context.Background(), atlasmig.DiffOptions{
				DevURL: stackdbtest.EmptyURL(t), SchemaDir: fixtureSchema, Dir: openDir(t, migrations), Name: "next",
			})
			require.NoError(t, err)
			version, ok := strings.CutSuffix(name, "_next.sql")
			require.True(t, ok, name)
			tc.want(t, version)
			require.Equal(t, []string{last, name}, sqlFiles(t, migrations), "the returned name is the file written, sorted last")
		})
	}
}

func TestDiffRejects(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	migrations := writeDir(t, nil)

	_, err := atlasmig.Diff(ctx, atlasmig.DiffOptions{SchemaDir: fixtureSchema, Dir: openDir(t, migrations), Name: "Bad-Name"})
	require.ErrorContains(t, err, "Bad-Name")

	writeFile(t, migrations, "20990101000000_unhashed.sql", "SELECT 1;\n")
	_, err = atlasmig.Diff(ctx, atlasmig.DiffOptions{SchemaDir: fixtureSchema, Dir: openDir(t, migrations), Name: "x"})
	var cerr *atlasmig.ChecksumError
	require.ErrorAs(t, err, &cerr)
	require.Equal(t, "20990101000000_unhashed.sql", cerr.File)

	_, err = atlasmig.Diff(ctx, atlasmig.DiffOptions{SchemaDir: t.TempDir(), Dir: openDir(t, writeDir(t, nil)), Name: "x"})
	require.ErrorContains(t, err, "no *.hcl schema files")
}

func TestValidate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("real directory", func(t *testing.T) {
		t.Parallel()
		require.NoError(t, atlasmig.Validate(ctx, stackdbtest.EmptyURL(t), openDir(t, "../../schema/migrations")))
	})

	t.Run("embedded directory", func(t *testing.T) {
		t.Parallel()
		dir, err := schema.Dir()
		require.NoError(t, err)
		require.NoError(t, atlasmig.Validate(ctx, stackdbtest.EmptyURL(t), dir))
		// The embedded copy is the directory on disk.
		want, err := atlasmig.DirHash(openDir(t, "../../schema/migrations"))
		require.NoError(t, err)
		got, err := atlasmig.DirHash(dir)
		require.NoError(t, err)
		require.Equal(t, want, got)
	})

	t.Run("broken statement", func(t *testing.T) {
		t.Parallel()
		const bad = "CREATE TABLE b (id int REFERENCES nope (id));"
		files := threeFiles()
		files[fileB] = bad + "\n"
		err := atlasmig.Validate(ctx, stackdbtest.EmptyURL(t), openDir(t, writeDir(t, files)))
		require.ErrorContains(t, err, v2)
		require.ErrorContains(t, err, bad)
		require.ErrorContains(t, err, `relation "nope" does not exist`)
	})

	t.Run("unhashed file", func(t *testing.T) {
		t.Parallel()
		path := writeDir(t, threeFiles())
		writeFile(t, path, fileC, "SELECT 1;\n")
		err := atlasmig.Validate(ctx, stackdbtest.EmptyURL(t), openDir(t, path))
		var cerr *atlasmig.ChecksumError
		require.ErrorAs(t, err, &cerr)
		require.Equal(t, fileC, cerr.File)
		require.Equal(t, "edited", cerr.Reason)
	})
}

func TestDirHash(t *testing.T) {
	t.Parallel()
	path := writeDir(t, threeFiles())
	dir := openDir(t, path)
	h1, err := atlasmig.DirHash(dir)
	require.NoError(t, err)
	sum, err := os.ReadFile(filepath.Join(path, migrate.HashFileName))
	require.NoError(t, err)
	require.Equal(t, "h1:"+h1, strings.SplitN(string(sum), "\n", 2)[0], "the first line of atlas.sum, without its h1: prefix")

	writeFile(t, path, fileC, stmtC+"\n-- a comment\n")
	h2, err := atlasmig.DirHash(dir)
	require.NoError(t, err)
	require.NotEqual(t, h1, h2, "any edit changes the hash")
}

// The revisions table is the Atlas CLI's, so either tool can continue what
// the other started.
func TestRevisionsTableMatchesAtlasCLI(t *testing.T) {
	t.Parallel()

	t.Run("columns", func(t *testing.T) {
		t.Parallel()
		ctx := context.Background()
		url := stackdbtest.EmptyURL(t)
		apply(t, url, openDir(t, writeDir(t, threeFiles())), atlasmig.ApplyOptions{})
		conn := connect(t, url)

		type column struct {
			Name     string
			Type     string
			Nullable string
			Default  *string
		}
		rows, err := conn.Query(ctx, `SELECT column_name, data_type, is_nullable, column_default
FROM information_schema.columns
WHERE table_schema = 'atlas_schema_revisions' AND table_name = 'atlas_schema_revisions'
ORDER BY ordinal_position`)
		require.NoError(t, err)
		cols, err := pgx.CollectRows(rows, pgx.RowToStructByPos[column])
		require.NoError(t, err)
		def := func(s string) *string { return &s }
		require.Equal(t, []column{
			{"version", "character varying", "NO", nil},
			{"description", "character varying", "NO", nil},
			{"type", "bigint", "NO", def("2")},
			{"applied", "bigint", "NO", def("0")},
			{"total", "bigint", "NO", def("0")},
			{"executed_at", "timestamp with time zone", "NO", nil},
			{"execution_time", "bigint", "NO", nil},
			{"error", "text", "YES", nil},
			{"error_stmt", "text", "YES", nil},
			{"hash", "character varying", "NO", nil},
			{"partial_hashes", "jsonb", "YES", nil},
			{"operator_version", "character varying", "NO", nil},
		}, cols)

		rows, err = conn.Query(ctx, `SELECT k.column_name
FROM information_schema.table_constraints c
JOIN information_schema.key_column_usage k USING (constraint_schema, constraint_name)
WHERE c.table_schema = 'atlas_schema_revisions' AND c.table_name = 'atlas_schema_revisions'
	AND c.constraint_type = 'PRIMARY KEY'`)
		require.NoError(t, err)
		pk, err := pgx.CollectRows(rows, pgx.RowTo[string])
		require.NoError(t, err)
		require.Equal(t, []string{"version"}, pk)

		var tablesInSchema int
		require.NoError(t, conn.QueryRow(ctx,
			"SELECT count(*) FROM pg_tables WHERE schemaname = 'atlas_schema_revisions'").Scan(&tablesInSchema))
		require.Equal(t, 1, tablesInSchema)
	})

	t.Run("cloud identifier is ignored", func(t *testing.T) {
		t.Parallel()
		ctx := context.Background()
		url := stackdbtest.EmptyURL(t)
		path := writeDir(t, threeFiles())
		dir := openDir(t, path)
		conn := connect(t, url)
		createCLITable(t, conn)
		const id = "b0f4a7c2-1d3e-4c5f-9a8b-7e6d5c4b3a21"
		exec(t, conn, `INSERT INTO atlas_schema_revisions.atlas_schema_revisions
	(version, description, type, applied, total, executed_at, execution_time, hash, operator_version)
VALUES ('.atlas_cloud_identifier', $1, 0, 0, 0, now(), 0, '', 'Atlas CLI v0.32.0')`, id)

		status, err := atlasmig.Status(ctx, url, dir)
		require.NoError(t, err)
		require.Empty(t, status.Current)
		require.Empty(t, status.Applied)
		require.Empty(t, status.NotClean)
		require.Equal(t, []string{fileA, fileB, fileC}, status.Pending)

		report := apply(t, url, dir, atlasmig.ApplyOptions{})
		require.Equal(t, []string{fileA, fileB, fileC}, appliedNames(report))
		require.Equal(t, v3, report.Current)

		writeFile(t, path, "20250104000000_d.sql", "CREATE TABLE d (id int);\n")
		rehash(t, path)
		report = apply(t, url, dir, atlasmig.ApplyOptions{})
		require.Equal(t, []string{"20250104000000_d.sql"}, appliedNames(report))
		require.Equal(t, "20250104000000", report.Current)

		status, err = atlasmig.Status(ctx, url, dir)
		require.NoError(t, err)
		require.Equal(t, "20250104000000", status.Current)
		require.Len(t, status.Applied, 4)
		for _, r := range status.Applied {
			require.NotEqual(t, ".atlas_cloud_identifier", r.Version)
		}

		cloud := revisionByVersion(t, conn, ".atlas_cloud_identifier")
		require.Equal(t, id, cloud.Description, "the CLI's row is left alone")
		require.EqualValues(t, 0, cloud.Type)
		require.Equal(t, "Atlas CLI v0.32.0", cloud.OperatorVersion)
	})

	t.Run("continues what the CLI applied", func(t *testing.T) {
		t.Parallel()
		ctx := context.Background()
		url := stackdbtest.EmptyURL(t)
		dir := openDir(t, writeDir(t, threeFiles()))
		conn := connect(t, url)
		// The state `atlas migrate apply 1` leaves behind.
		createCLITable(t, conn)
		exec(t, conn, stmtA)
		exec(t, conn, `INSERT INTO atlas_schema_revisions.atlas_schema_revisions
	(version, description, type, applied, total, executed_at, execution_time, hash, operator_version)
VALUES ($1, 'create_a', 2, 1, 1, now(), 1000, $2, 'Atlas CLI v0.32.0')`, v1, fileHash(t, dir, fileA))

		status, err := atlasmig.Status(ctx, url, dir)
		require.NoError(t, err)
		require.Equal(t, v1, status.Current)
		require.Equal(t, []string{fileB, fileC}, status.Pending)

		report := apply(t, url, dir, atlasmig.ApplyOptions{})
		require.Equal(t, []string{fileB, fileC}, appliedNames(report))
		revs := revisions(t, conn)
		require.Len(t, revs, 3)
		require.Equal(t, "Atlas CLI v0.32.0", revs[0].OperatorVersion)
		require.Equal(t, atlasmig.OperatorVersion, revs[1].OperatorVersion)
		require.Equal(t, atlasmig.OperatorVersion, revs[2].OperatorVersion)
	})
}

// createCLITable creates the revisions table as the Atlas CLI does.
func createCLITable(t *testing.T, conn *pgx.Conn) {
	t.Helper()
	exec(t, conn, `CREATE SCHEMA "atlas_schema_revisions"`)
	exec(t, conn, `CREATE TABLE "atlas_schema_revisions"."atlas_schema_revisions" (
	"version" character varying NOT NULL,
	"description" character varying NOT NULL,
	"type" bigint NOT NULL DEFAULT 2,
	"applied" bigint NOT NULL DEFAULT 0,
	"total" bigint NOT NULL DEFAULT 0,
	"executed_at" timestamptz NOT NULL,
	"execution_time" bigint NOT NULL,
	"error" text NULL,
	"error_stmt" text NULL,
	"hash" character varying NOT NULL,
	"partial_hashes" jsonb NULL,
	"operator_version" character varying NOT NULL,
	PRIMARY KEY ("version")
)`)
}
