package main

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/legacy"
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
	// --defect-rate spreads them over the large tables.
	out, err = runGenLegacy(t, "--rows", "5000", "--seed", "3", "--defect-rate", "0.05", "--out", filepath.Join(t.TempDir(), "rate.db"))
	require.NoError(t, err)
	require.Regexp(t, `Defects: dangling_reference \d+, invalid_json \d+, outside_value_set \d+\.`, out)
	_, err = runGenLegacy(t, "--rows", "5000", "--defect-rate", "2", "--out", filepath.Join(t.TempDir(), "bad.db"))
	require.EqualError(t, err, "legacygen: --defect-rate is 2; want a share between 0 and 1")

	// The file exists now: a second run refuses to overwrite it.
	_, err = runGenLegacy(t, "--rows", "5000", "--out", path)
	require.ErrorContains(t, err, "exists")

	_, err = runGenLegacy(t, "--rows", "10")
	require.ErrorContains(t, err, `"out" not set`)
	_, err = runGenLegacy(t, "--rows", "10", "--out", filepath.Join(t.TempDir(), "x.db"))
	require.EqualError(t, err, "legacygen: --rows is 10; want at least 1000")
}
