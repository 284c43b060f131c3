package pgwaits_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb/internal/pgwaits"
	"github.com/deploystack/stackdb/stackdbtest"
)

func TestMain(m *testing.M) { stackdbtest.Main(m) }

func connect(t *testing.T, url, app string) *pgx.Conn {
	t.Helper()
	cfg, err := pgx.ParseConfig(url)
	require.NoError(t, err)
	if app != "" {
		cfg.RuntimeParams["application_name"] = app
	}
	conn, err := pgx.ConnectConfig(t.Context(), cfg)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

// A backend sleeping in pg_sleep is seen waiting on PgSleep, an idle one
// as waiting for its client; backends of other applications are not
// counted.
func TestSampleNamesWhatTheBackendsDo(t *testing.T) {
	t.Parallel()
	url := stackdbtest.URL(t)
	admin := connect(t, url, "")
	sleeper := connect(t, url, "pgwaits-test")
	connect(t, url, "pgwaits-test") // idle
	connect(t, url, "someone-else")

	stop := pgwaits.Sample(t.Context(), admin, "pgwaits-test", pgwaits.Every)
	_, err := sleeper.Exec(t.Context(), "SELECT pg_sleep(0.3)")
	require.NoError(t, err)
	time.Sleep(2 * pgwaits.Every)
	shares := stop()

	require.Greater(t, shares["Timeout:PgSleep"], 0.0, "%v", shares)
	require.Greater(t, shares["Client"], 0.0, "%v", shares)
	var sum float64
	for what, share := range shares {
		require.Contains(t, []string{"Timeout:PgSleep", "Client", "CPU"}, what)
		sum += share
	}
	require.InDelta(t, 1, sum, 0.01, "shares of all samples")

	require.Nil(t, pgwaits.Sample(t.Context(), admin, "nobody-uses-this", pgwaits.Every)(), "no backend, no shares")
}
