package importer_test

import (
	"io"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/importer"
	"github.com/deploystack/stackdb/internal/legacygen"
	"github.com/deploystack/stackdb/stackdbtest"
)

// TestDefectsSpooledNotHeld: the Report's memory does not grow with the
// defects. Of a file with hundreds of defective rows, it keeps counts and
// the first Options.Examples defects and rejected rows; EachDefect and
// Options.WriteRejected get every one, in the order they were found.
func TestDefectsSpooledNotHeld(t *testing.T) {
	t.Parallel()
	const examples = 7
	path, st := generatedFile(t, legacygen.Options{Rows: 5000, Seed: 11, DefectRate: 0.2})
	injected := 0
	for _, n := range st.Defects {
		injected += n
	}
	require.Greater(t, injected, 20*examples)

	for name, mode := range map[string]importer.Mode{"abort": importer.Abort, "skip": importer.Skip} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			url := stackdbtest.URL(t)
			var written []byte
			rep, err := runImport(t, path, url, func(o *importer.Options) {
				o.OnError, o.Examples = mode, examples
				o.WriteRejected = func(rows io.Reader) error {
					var err error
					written, err = io.ReadAll(rows)
					return err
				}
			})
			if mode == importer.Abort {
				require.ErrorIs(t, err, importer.ErrDefects)
				require.ErrorContains(t, err, "defects in ")
			} else {
				require.NoError(t, err)
				require.True(t, rep.Committed)
			}

			// Each injected defect is one bad value of its own row.
			require.Equal(t, int64(injected), rep.DefectCount)
			require.Equal(t, injected, rep.RootDefects())
			require.Len(t, rep.Defects, examples)
			var all []importer.Defect
			require.NoError(t, rep.EachDefect(func(d importer.Defect) error {
				all = append(all, d)
				return nil
			}))
			require.Len(t, all, injected)
			require.Equal(t, rep.Defects, all[:examples])
			byClass := map[importer.DefectClass]int{}
			for _, d := range all {
				require.NotEmpty(t, d.PK)
				require.NotEmpty(t, d.Reason)
				byClass[d.Class]++
			}
			require.Equal(t, map[importer.DefectClass]int{
				importer.DefectOrphan:      st.Defects[legacygen.DefectDanglingReference],
				importer.DefectInvalidJSON: st.Defects[legacygen.DefectInvalidJSON],
				importer.DefectInvalidEnum: st.Defects[legacygen.DefectOutsideValueSet],
			}, byClass)
			tallied := map[importer.DefectClass]int{}
			for _, c := range rep.Tally {
				require.Zero(t, c.KnockOn)
				tallied[c.Class] += int(c.Count)
			}
			require.Equal(t, byClass, tallied)

			var rejected int64
			for _, tr := range rep.Tables {
				rejected += tr.Rejected
			}
			require.Equal(t, int64(injected), rejected)
			if mode == importer.Abort {
				require.Empty(t, rep.Rejected)
				require.Nil(t, written, "nothing to write: nothing is committed")
				return
			}
			require.Len(t, rep.Rejected, examples)
			rows := rejectedLines(t, written)
			require.Len(t, rows, injected)
			require.Equal(t, rep.Rejected, rows[:examples])
			for i, r := range rows {
				require.Equal(t, all[i].PK, r.PK)
				require.Equal(t, all[i].Table, r.Table)
				require.Len(t, r.Reasons, 1)
			}
		})
	}
}

// TestDuplicateKeyOfMixedStorageClasses: a legacy unique key holds
// distinct values, but values of different storage classes are distinct
// in SQLite and may be equal once converted: a BLOB and a TEXT of the same
// bytes, an epoch INTEGER and the same time as TEXT. The key is then
// tracked, not taken as guaranteed, and the later row is the duplicate.
func TestDuplicateKeyOfMixedStorageClasses(t *testing.T) {
	t.Parallel()
	beat := func(id string) string {
		return `INSERT INTO satelliteHeartbeats VALUES (` + id + `, 'sat1', 'active', '{}', 0, 0, 0, NULL, NULL, NULL, 1700000000)`
	}
	for _, tc := range []struct {
		name          string
		rows          []string
		table, pk     string
		column, index string
	}{
		{"blob and text", []string{beat(`CAST('hbX' AS BLOB)`), beat(`'hbX'`), beat(`'hbY'`)},
			"satelliteHeartbeats", "hbX", "id,timestamp", "satellite_heartbeats_pkey"},
		{"epoch and text time", []string{`INSERT INTO mcpClientActivityMetrics VALUES ('cm2', 'u1', 't1', 'sat1', 'cl1', '2023-11-14 22:13:20', '15m', 1, 1, 1, 1700000000)`},
			"mcpClientActivityMetrics", "cm2", "user_id,team_id,satellite_id,auth_identifier,bucket_timestamp,bucket_interval", "mcp_activity_metrics_unique_bucket"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rep, err := runImport(t, legacyFile(t, tc.rows...), stackdbtest.URL(t), func(o *importer.Options) { o.OnError = importer.Skip })
			require.NoError(t, err)
			require.Len(t, rep.Defects, 1)
			d := rep.Defects[0]
			require.Equal(t, importer.DefectDuplicate, d.Class)
			require.Equal(t, tc.table, d.Table)
			require.Equal(t, tc.pk, d.PK)
			require.Equal(t, tc.column, d.Column)
			require.Contains(t, d.Reason, tc.index+" requires it to be unique")
			tr := tableReport(t, rep, tc.table)
			require.Equal(t, int64(1), tr.Rejected)
			require.Equal(t, tr.SourceRows-1, tr.Imported)
		})
	}
}
