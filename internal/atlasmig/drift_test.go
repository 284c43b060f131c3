package atlasmig_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/atlasmig"
	"github.com/deploystack/stackdb/schema"
	"github.com/deploystack/stackdb/stackdbtest"
)

func drift(t *testing.T, url string, path string, opts atlasmig.DriftOptions) *atlasmig.DriftReport {
	t.Helper()
	if opts.DevURL == "" {
		opts.DevURL = stackdbtest.EmptyURL(t)
	}
	r, err := atlasmig.Drift(context.Background(), url, openDir(t, path), opts)
	require.NoError(t, err)
	return r
}

// TestDriftNoneOnFreshDatabase: the real migrations, freshly applied, are
// exactly what they say.
func TestDriftNoneOnFreshDatabase(t *testing.T) {
	t.Parallel()
	dir, err := schema.Dir()
	require.NoError(t, err)
	r, err := atlasmig.Drift(context.Background(), stackdbtest.URL(t), dir, atlasmig.DriftOptions{DevURL: stackdbtest.EmptyURL(t)})
	require.NoError(t, err)
	require.False(t, r.Drifted(), "statements: %v, edited: %v", r.Statements, r.Edited)
	require.Empty(t, r.Pending)
	require.NotEmpty(t, r.Current)
}

func TestDrift(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		change  func(t *testing.T, url, path string)
		opts    atlasmig.DriftOptions
		want    []string // reconciling statements
		edited  []string // edited files
		ignored []string
	}{
		{name: "none"},
		{
			name: "column added by hand",
			change: func(t *testing.T, url, _ string) {
				exec(t, connect(t, url), "ALTER TABLE b ADD COLUMN note text")
			},
			want: []string{`ALTER TABLE "public"."b" DROP COLUMN "note";`},
		},
		{
			name: "index dropped by hand",
			change: func(t *testing.T, url, _ string) {
				exec(t, connect(t, url), "DROP INDEX b_a_id_idx")
			},
			want: []string{`CREATE INDEX "b_a_id_idx" ON "public"."b" ("a_id");`},
		},
		{
			name: "applied file edited and re-hashed",
			change: func(t *testing.T, _, path string) {
				writeFile(t, path, fileB, "CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a (id), extra int);\n"+stmtB2+"\n")
				rehash(t, path)
			},
			want:   []string{`ALTER TABLE "public"."b" ADD COLUMN "extra" integer NULL;`},
			edited: []string{fileB},
		},
		{
			name: "plugin schema is not drift",
			change: func(t *testing.T, url, _ string) {
				exec(t, connect(t, url), "CREATE SCHEMA plugin_x; CREATE TABLE plugin_x.t (id int PRIMARY KEY)")
			},
			ignored: []string{"plugin_x"},
		},
		{
			name: "plugin schema included",
			change: func(t *testing.T, url, _ string) {
				exec(t, connect(t, url), "CREATE SCHEMA plugin_x; CREATE TABLE plugin_x.t (id int PRIMARY KEY)")
			},
			opts: atlasmig.DriftOptions{IncludeRuntime: true},
			want: []string{`DROP SCHEMA "plugin_x" CASCADE;`},
		},
		{
			name: "other schema made by hand",
			change: func(t *testing.T, url, _ string) {
				exec(t, connect(t, url), "CREATE SCHEMA scratch")
			},
			want: []string{`DROP SCHEMA "scratch" CASCADE;`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := writeDir(t, threeFiles())
			url := stackdbtest.EmptyURL(t)
			apply(t, url, openDir(t, path), atlasmig.ApplyOptions{})
			if tt.change != nil {
				tt.change(t, url, path)
			}
			r := drift(t, url, path, tt.opts)
			want := tt.want
			if want == nil {
				want = []string{}
			}
			require.Equal(t, want, r.Statements)
			var edited []string
			for _, e := range r.Edited {
				edited = append(edited, e.File)
				require.NotEqual(t, e.Applied, e.Current)
			}
			require.Equal(t, tt.edited, edited)
			if tt.ignored == nil {
				tt.ignored = []string{}
			}
			require.Equal(t, tt.ignored, r.Ignored)
			require.Equal(t, len(tt.want) > 0 || len(tt.edited) > 0, r.Drifted())
			require.Equal(t, v3, r.Current)
		})
	}
}

// TestDriftPendingIsNotDrift: a database behind the directory matches the
// files it has applied.
func TestDriftPendingIsNotDrift(t *testing.T) {
	t.Parallel()
	path := writeDir(t, threeFiles())
	url := stackdbtest.EmptyURL(t)
	apply(t, url, openDir(t, path), atlasmig.ApplyOptions{To: v2})
	r := drift(t, url, path, atlasmig.DriftOptions{})
	require.False(t, r.Drifted(), "statements: %v", r.Statements)
	require.Equal(t, v2, r.Current)
	require.Equal(t, []string{fileC}, r.Pending)
}

// TestDriftScratchDevDatabase: without a dev URL, the files are replayed on
// a scratch database of the same server, which is dropped afterwards.
func TestDriftScratchDevDatabase(t *testing.T) {
	t.Parallel()
	path := writeDir(t, threeFiles())
	url := stackdbtest.EmptyURL(t)
	apply(t, url, openDir(t, path), atlasmig.ApplyOptions{})
	conn := connect(t, url)
	exec(t, conn, "ALTER TABLE a ADD COLUMN note text")
	r, err := atlasmig.Drift(context.Background(), url, openDir(t, path), atlasmig.DriftOptions{})
	require.NoError(t, err)
	require.Equal(t, []string{`ALTER TABLE "public"."a" DROP COLUMN "note";`}, r.Statements)
	var scratch int
	require.NoError(t, conn.QueryRow(context.Background(), "SELECT count(*) FROM pg_database WHERE datname LIKE 'stackdb_drift_%'").Scan(&scratch))
	require.Zero(t, scratch)
}
