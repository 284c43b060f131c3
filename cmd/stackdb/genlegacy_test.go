package main

import (
	"bytes"
	"context"
	"fmt"
	neturl "net/url"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/legacy"
	"github.com/deploystack/stackdb/stackdbtest"
)

func runGenLegacy(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := (&app{}).genLegacyCmd()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	err := execute(context.Background(), cmd)
	return out.String(), err
}

func TestGenLegacy(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "legacy.db")
	out, err := runGenLegacy(t, "--rows", "5000", "--seed", "3", "--out", path)
	require.NoError(t, err)
	t.Log("\n" + out)
	require.Regexp(t, `satelliteUsageLogs\s+\d+\s+[\d.]+%`, out)
	require.Regexp(t, `satelliteHeartbeats\s+\d+\s+[\d.]+%`, out)
	require.NotContains(t, out, "Defects")
	require.Regexp(t, `Wrote \d+ rows to .*legacy\.db in .* \(seed 3\)\.`, out)

	db, err := legacy.Open(path)
	require.NoError(t, err)
	defer db.Close()
	var users int
	require.NoError(t, db.QueryRow(`SELECT count(*) FROM authUser`).Scan(&users))
	require.Positive(t, users)

	// --defects adds them and says which.
	out, err = runGenLegacy(t, "--rows", "5000", "--seed", "3", "--defects", "--out", filepath.Join(t.TempDir(), "defects.db"))
	require.NoError(t, err)
	require.Contains(t, out, "Defects: dangling_reference 2, duplicate 4, invalid_json 1, outside_value_set 3.")

	// The file exists now: a second run refuses to overwrite it.
	_, err = runGenLegacy(t, "--rows", "5000", "--out", path)
	require.ErrorContains(t, err, "exists")

	_, err = runGenLegacy(t, "--rows", "10")
	require.ErrorContains(t, err, "at least one of the flags in the group [out postgres] is required")
	_, err = runGenLegacy(t, "--rows", "10", "--out", "x.db", "--postgres", "postgres://u@localhost/db")
	require.ErrorContains(t, err, "none of the others can be")
	_, err = runGenLegacy(t, "--rows", "10", "--out", filepath.Join(t.TempDir(), "x.db"))
	require.EqualError(t, err, "legacygen: --rows is 10; want at least 1000")
}

func TestGenLegacyPostgres(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// The same seed and rows give the same rows, in databases named by URL.
	var sums []map[string]string
	for range 2 {
		url := stackdbtest.EmptyURL(t)
		out, err := runGenLegacy(t, "--rows", "3000", "--seed", "5", "--defects", "--postgres", url)
		require.NoError(t, err)
		require.Regexp(t, `mcpRequestLogs\s+\d+\s+[\d.]+%`, out)
		require.Regexp(t, `Wrote \d+ rows to database postgres://\S+ in .* \(seed 5\)\.`, out)
		if u, err := neturl.Parse(url); err == nil {
			if pw, ok := u.User.Password(); ok {
				require.NotContains(t, out, ":"+pw+"@") // the URL is redacted
			}
		}
		require.Contains(t, out, "Defects: duplicate 4, email_case_duplicate 1, invalid_json 1, outside_value_set ")

		conn, err := pgx.Connect(ctx, url)
		require.NoError(t, err)
		defer conn.Close(ctx)
		rows, err := conn.Query(ctx, `SELECT relname::text FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' ORDER BY 1`)
		require.NoError(t, err)
		tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
		require.NoError(t, err)
		require.Len(t, tables, 45)
		sum := map[string]string{}
		for _, tbl := range tables {
			var s string
			var n int64
			q := fmt.Sprintf(`SELECT count(*), coalesce(md5(string_agg(r::text, E'\n' ORDER BY r::text)), '') FROM %s r`, pgx.Identifier{tbl}.Sanitize())
			require.NoError(t, conn.QueryRow(ctx, q).Scan(&n, &s))
			require.Positive(t, n, tbl)
			sum[tbl] = s
		}
		sums = append(sums, sum)

		// A second run refuses the database it filled.
		_, err = runGenLegacy(t, "--rows", "3000", "--postgres", url)
		require.ErrorContains(t, err, "is not empty")
	}
	require.Equal(t, sums[0], sums[1])
}
