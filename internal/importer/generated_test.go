package importer_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/importer"
	"github.com/deploystack/stackdb/internal/legacygen"
	"github.com/deploystack/stackdb/stackdbtest"
)

// generatedFile writes a real-layout file with legacygen.
func generatedFile(t testing.TB, opts legacygen.Options) (string, legacygen.Stats) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "generated.db")
	st, err := legacygen.Generate(context.Background(), path, opts)
	require.NoError(t, err)
	return path, st
}

// TestImportGeneratedFile: a generated file of a few thousand rows in the
// real layout (every value of every value set, every unit) imports
// exactly: every row, every table verified.
func TestImportGeneratedFile(t *testing.T) {
	t.Parallel()
	path, st := generatedFile(t, legacygen.Options{Rows: 5000, Seed: 7})
	url := stackdbtest.URL(t)
	rep, err := runImport(t, path, url)
	require.NoError(t, err, "%v", rep.Defects)
	require.True(t, rep.Committed)
	require.Empty(t, rep.Defects)
	var total int64
	for _, tr := range rep.Tables {
		require.True(t, tr.ChecksumOK, tr.Legacy)
		require.Equal(t, st.Tables[tr.Legacy], tr.SourceRows, tr.Legacy)
		require.Equal(t, tr.SourceRows, tr.Imported, tr.Legacy)
		total += tr.Imported
	}
	for _, sk := range rep.Skipped { // the bookkeeping tables
		total += st.Tables[sk.Table]
	}
	require.Equal(t, st.Total, total, "every generated row is imported or in a skipped bookkeeping table")
	pool := openPool(t, url)
	for _, tr := range rep.Tables {
		require.Equal(t, int(tr.Imported), count(t, pool, tr.Target), tr.Target)
	}
}

// TestImportGeneratedDefects: the defects legacygen injects, as real files
// hold them, are each reported.
func TestImportGeneratedDefects(t *testing.T) {
	t.Parallel()
	path, st := generatedFile(t, legacygen.Options{Rows: 2000, Seed: 5, Defects: true})
	url := stackdbtest.URL(t)
	rep, err := runImport(t, path, url)
	require.ErrorIs(t, err, importer.ErrDefects)
	classes := map[importer.DefectClass]int{}
	for _, d := range rep.Defects {
		classes[d.Class]++
	}
	require.Equal(t, st.Defects[legacygen.DefectOutsideValueSet], classes[importer.DefectInvalidEnum]+classes[importer.DefectCheck])
	require.Equal(t, st.Defects[legacygen.DefectDanglingReference], classes[importer.DefectOrphan])
	require.Equal(t, st.Defects[legacygen.DefectInvalidJSON], classes[importer.DefectInvalidJSON])
	// Duplicates are defects only where the target has a unique index
	// DeployStack lacks (TestDuplicatesWhereStackdbIsStricter).
	// (mcp_client_activity's, say: deploystack.StricterThanDeployStack).
	require.Positive(t, classes[importer.DefectDuplicate])
	require.LessOrEqual(t, classes[importer.DefectDuplicate], st.Defects[legacygen.DefectDuplicate])
	require.Len(t, rep.Defects, classes[importer.DefectInvalidEnum]+classes[importer.DefectCheck]+classes[importer.DefectOrphan]+
		classes[importer.DefectInvalidJSON]+classes[importer.DefectDuplicate], "%v", rep.Defects)
	requireUnchanged(t, url)
}
