package ingestbench_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/ingestbench"
)

// TestRunEveryPath runs every path briefly (1 and 2 clients, 1 s steps) on
// a throwaway cluster: both sides must do work, and the JSON and SVG must
// be well-formed.
func TestRunEveryPath(t *testing.T) {
	t.Parallel()
	var progress bytes.Buffer
	rep, err := ingestbench.Run(context.Background(), ingestbench.Config{
		Clients:  []int{1, 2},
		Duration: time.Second,
		CopyRows: 6000,
		Progress: &progress,
	})
	require.NoError(t, err)
	t.Log("\n" + progress.String())
	require.Len(t, rep.Results, 2*len(ingestbench.PathNames()))
	for _, r := range rep.Results {
		require.Empty(t, r.Stackdb.Error, "%s, %d clients: stackdb", r.Path, r.Clients)
		require.Empty(t, r.Base.Error, "%s, %d clients: %s", r.Path, r.Clients, r.Baseline)
		require.Positive(t, r.Stackdb.Rate, "%s, %d clients: stackdb", r.Path, r.Clients)
		require.Positive(t, r.Base.Rate, "%s, %d clients: %s", r.Path, r.Clients, r.Baseline)
		require.Positive(t, r.Ratio, "%s, %d clients", r.Path, r.Clients)
		require.Positive(t, r.Stackdb.P99Ms, "%s, %d clients", r.Path, r.Clients)
		require.GreaterOrEqual(t, r.Base.P99Ms, r.Base.P50Ms, "%s, %d clients", r.Path, r.Clients)
	}

	var table, js, svg bytes.Buffer
	require.NoError(t, rep.WriteTable(&table))
	t.Log("\n" + table.String())
	require.NoError(t, rep.WriteJSON(&js))
	var back ingestbench.Report
	require.NoError(t, json.Unmarshal(js.Bytes(), &back))
	require.Equal(t, rep.Results, back.Results)

	require.NoError(t, rep.WriteSVG(&svg))
	dec := xml.NewDecoder(&svg)
	var root string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
		}
	}
	require.Equal(t, "svg", root)
}
