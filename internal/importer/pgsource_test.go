package importer_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/importer"
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
	return importer.Run(ctx, o)
}

func TestPGImportClean(t *testing.T) {
	t.Parallel()
	src := pgSource(t)
	to := stackdbtest.URL(t)
	rep, err := runPGImport(t, src, to)
	for _, d := range rep.Defects {
		t.Log(d)
	}
	require.NoError(t, err)
	require.True(t, rep.Committed)
	require.Len(t, rep.Tables, 42)
}
