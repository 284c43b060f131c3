package stackdb_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/gen/dbsqlc"
)

// Fixtures (satSetup, satRegister, satInstall, satStartProcess, ...) are in
// satellites_test.go.

func TestProcessStartGet(t *testing.T) {
	t.Parallel()
	e := satSetup(t)
	s := satRegister(t, e)
	inst := satInstall(t, e)

	p, err := e.q.SatelliteProcessStart(e.ctx, dbsqlc.SatelliteProcessStartParams{
		ID: "proc_a", SatelliteID: s.ID, InstallationID: inst, TeamID: e.team.ID, ProcessID: "pid-4242",
	})
	require.NoError(t, err)
	require.Equal(t, dbsqlc.ProcessStatusStarting, p.Status, "a process starts in 'starting'")
	require.Equal(t, s.ID, p.SatelliteID)
	require.Equal(t, inst, p.InstallationID)
	require.Equal(t, e.team.ID, p.TeamID)
	require.Equal(t, "pid-4242", p.ProcessID)
	require.Nil(t, p.HealthStatus)
	require.Nil(t, p.StoppedAt)
	require.Nil(t, p.ErrorMessage)
	require.Zero(t, p.RestartCount)
	require.WithinDuration(t, time.Now(), p.StartedAt, time.Minute)
	require.Equal(t, p.StartedAt, p.CreatedAt)
	require.Equal(t, p.CreatedAt, p.UpdatedAt)

	got, err := e.q.SatelliteProcessGetByID(e.ctx, "proc_a")
	require.NoError(t, err)
	require.Equal(t, p, got)
	_, err = e.q.SatelliteProcessGetByID(e.ctx, "proc_missing")
	require.ErrorIs(t, err, stackdb.ErrNotFound)

	for _, tt := range []struct {
		name       string
		mod        func(*dbsqlc.SatelliteProcessStartParams)
		kind       stackdb.ConstraintKind
		constraint string
	}{
		{"duplicate id", func(p *dbsqlc.SatelliteProcessStartParams) { p.ID = "proc_a" }, stackdb.Unique, "satellite_processes_pkey"},
		{"unknown satellite", func(p *dbsqlc.SatelliteProcessStartParams) { p.SatelliteID = "sat_missing" }, stackdb.ForeignKey, "satellite_processes_satellite_id_fkey"},
		{"unknown installation", func(p *dbsqlc.SatelliteProcessStartParams) { p.InstallationID = "inst_missing" }, stackdb.ForeignKey, "satellite_processes_installation_id_fkey"},
		{"unknown team", func(p *dbsqlc.SatelliteProcessStartParams) { p.TeamID = "team_missing" }, stackdb.ForeignKey, "satellite_processes_team_id_fkey"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			params := dbsqlc.SatelliteProcessStartParams{ID: newID("proc"), SatelliteID: s.ID, InstallationID: inst, TeamID: e.team.ID, ProcessID: "pid"}
			tt.mod(&params)
			_, err := e.q.SatelliteProcessStart(e.ctx, params)
			requireConstraintError(t, err, tt.kind, "satellite_processes", tt.constraint)
		})
	}
}

// procTransition is one life-cycle query and the states it may leave.
type procTransition struct {
	name string
	from []dbsqlc.ProcessStatus
	to   dbsqlc.ProcessStatus
	run  func(ctx context.Context, q dbsqlc.Querier, id string) (int64, error)
	// check asserts the fields besides status a legal move sets.
	check func(t *testing.T, before, after dbsqlc.SatelliteProcess)
}

var procTransitions = []procTransition{
	{
		name: "MarkRunning", from: []dbsqlc.ProcessStatus{dbsqlc.ProcessStatusStarting}, to: dbsqlc.ProcessStatusRunning,
		run: func(ctx context.Context, q dbsqlc.Querier, id string) (int64, error) {
			return q.SatelliteProcessMarkRunning(ctx, id)
		},
		check: func(t *testing.T, before, after dbsqlc.SatelliteProcess) {
			require.Equal(t, before.StoppedAt, after.StoppedAt)
			require.Equal(t, before.RestartCount, after.RestartCount)
		},
	},
	{
		name: "MarkStopping", from: []dbsqlc.ProcessStatus{dbsqlc.ProcessStatusStarting, dbsqlc.ProcessStatusRunning}, to: dbsqlc.ProcessStatusStopping,
		run: func(ctx context.Context, q dbsqlc.Querier, id string) (int64, error) {
			return q.SatelliteProcessMarkStopping(ctx, id)
		},
		check: func(t *testing.T, before, after dbsqlc.SatelliteProcess) {
			require.Nil(t, after.StoppedAt, "stopping is not stopped yet")
		},
	},
	{
		name: "MarkStopped", from: []dbsqlc.ProcessStatus{dbsqlc.ProcessStatusStopping}, to: dbsqlc.ProcessStatusStopped,
		run: func(ctx context.Context, q dbsqlc.Querier, id string) (int64, error) {
			return q.SatelliteProcessMarkStopped(ctx, id)
		},
		check: func(t *testing.T, before, after dbsqlc.SatelliteProcess) {
			require.NotNil(t, after.StoppedAt)
			require.True(t, after.StoppedAt.Equal(after.UpdatedAt), "stopped_at is the time of the move")
			require.Nil(t, after.ErrorMessage)
		},
	},
	{
		name: "MarkCrashed", from: []dbsqlc.ProcessStatus{dbsqlc.ProcessStatusStarting, dbsqlc.ProcessStatusRunning}, to: dbsqlc.ProcessStatusCrashed,
		run: func(ctx context.Context, q dbsqlc.Querier, id string) (int64, error) {
			return q.SatelliteProcessMarkCrashed(ctx, dbsqlc.SatelliteProcessMarkCrashedParams{ID: id, ErrorMessage: "exit status 137"})
		},
		check: func(t *testing.T, before, after dbsqlc.SatelliteProcess) {
			require.Equal(t, new("exit status 137"), after.ErrorMessage)
			require.NotNil(t, after.StoppedAt)
			require.True(t, after.StoppedAt.Equal(after.UpdatedAt), "stopped_at is the time of the crash")
		},
	},
	{
		name: "Restart", from: []dbsqlc.ProcessStatus{dbsqlc.ProcessStatusCrashed, dbsqlc.ProcessStatusStopped}, to: dbsqlc.ProcessStatusStarting,
		run: func(ctx context.Context, q dbsqlc.Querier, id string) (int64, error) {
			return q.SatelliteProcessRestart(ctx, dbsqlc.SatelliteProcessRestartParams{ID: id, ProcessID: new("pid-restarted")})
		},
		check: func(t *testing.T, before, after dbsqlc.SatelliteProcess) {
			require.Equal(t, before.RestartCount+1, after.RestartCount)
			require.Nil(t, after.StoppedAt)
			require.Nil(t, after.ErrorMessage)
			require.Nil(t, after.HealthStatus)
			require.Equal(t, "pid-restarted", after.ProcessID)
			require.True(t, after.StartedAt.After(before.StartedAt), "started_at is the restart")
		},
	},
}

// procPaths are the legal moves that bring a new process into each state.
var procPaths = map[dbsqlc.ProcessStatus][]string{
	dbsqlc.ProcessStatusStarting: {},
	dbsqlc.ProcessStatusRunning:  {"MarkRunning"},
	dbsqlc.ProcessStatusStopping: {"MarkRunning", "MarkStopping"},
	dbsqlc.ProcessStatusStopped:  {"MarkRunning", "MarkStopping", "MarkStopped"},
	dbsqlc.ProcessStatusCrashed:  {"MarkRunning", "MarkCrashed"},
}

func procTransitionNamed(name string) procTransition {
	for _, tr := range procTransitions {
		if tr.name == name {
			return tr
		}
	}
	panic("no transition " + name)
}

// procInState starts a process and moves it to state with legal moves; it
// also sets a health status so a restart has something to clear.
func procInState(t *testing.T, e satEnv, satelliteID, inst string, state dbsqlc.ProcessStatus) dbsqlc.SatelliteProcess {
	t.Helper()
	p := satStartProcess(t, e, satelliteID, inst)
	n, err := e.q.SatelliteProcessUpdateHealth(e.ctx, dbsqlc.SatelliteProcessUpdateHealthParams{ID: p.ID, HealthStatus: "healthy"})
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	for _, step := range procPaths[state] {
		n, err := procTransitionNamed(step).run(e.ctx, e.q, p.ID)
		require.NoError(t, err)
		require.EqualValues(t, 1, n, "path to %s: %s", state, step)
	}
	p, err = e.q.SatelliteProcessGetByID(e.ctx, p.ID)
	require.NoError(t, err)
	require.Equal(t, state, p.Status)
	return p
}

// TestProcessTransitions tries every transition from every state: a legal
// move changes exactly that row and reports 1; an illegal one reports 0 and
// leaves the row as it was.
func TestProcessTransitions(t *testing.T) {
	t.Parallel()
	e := satSetup(t)
	s := satRegister(t, e)
	inst := satInstall(t, e)

	states := dbsqlc.AllProcessStatusValues()
	require.Len(t, states, 5)
	legal := 0
	for _, from := range states {
		for _, tr := range procTransitions {
			isLegal := slices.Contains(tr.from, from)
			if isLegal {
				legal++
			}
			t.Run(fmt.Sprintf("%s from %s", tr.name, from), func(t *testing.T) {
				t.Parallel()
				p := procInState(t, e, s.ID, inst, from)
				bystander := procInState(t, e, s.ID, inst, from)

				n, err := tr.run(e.ctx, e.q, p.ID)
				require.NoError(t, err)
				after, err := e.q.SatelliteProcessGetByID(e.ctx, p.ID)
				require.NoError(t, err)
				if isLegal {
					require.EqualValues(t, 1, n, "legal move")
					require.Equal(t, tr.to, after.Status)
					require.True(t, after.UpdatedAt.After(p.UpdatedAt), "updated_at moves")
					tr.check(t, p, after)
				} else {
					require.Zero(t, n, "illegal move reports no row")
					require.Equal(t, p, after, "illegal move changes nothing (status, restart_count, updated_at, ...)")
				}

				other, err := e.q.SatelliteProcessGetByID(e.ctx, bystander.ID)
				require.NoError(t, err)
				require.Equal(t, bystander, other, "only the named process moves")
			})
		}
	}
	require.Equal(t, 8, legal, "the life cycle has eight legal (state, move) pairs")

	t.Run("missing process", func(t *testing.T) {
		t.Parallel()
		for _, tr := range procTransitions {
			n, err := tr.run(e.ctx, e.q, "proc_missing")
			require.NoError(t, err)
			require.Zero(t, n, tr.name)
		}
	})
}

func TestProcessRestartCounts(t *testing.T) {
	t.Parallel()
	e := satSetup(t)
	s := satRegister(t, e)
	inst, otherInst := satInstall(t, e), satInstall(t, e)
	p := satStartProcess(t, e, s.ID, inst)
	sibling := satStartProcess(t, e, s.ID, inst)
	satStartProcess(t, e, s.ID, otherInst)

	restarts := func(id string) int32 {
		t.Helper()
		n, err := e.q.SatelliteProcessGetRestartCount(e.ctx, id)
		require.NoError(t, err)
		return n
	}
	perInstallation := func(id string) int64 {
		t.Helper()
		n, err := e.q.SatelliteProcessSumRestartsByInstallation(e.ctx, id)
		require.NoError(t, err)
		return n
	}
	step := func(id string, moves ...string) {
		t.Helper()
		for _, m := range moves {
			n, err := procTransitionNamed(m).run(e.ctx, e.q, id)
			require.NoError(t, err)
			require.EqualValues(t, 1, n, m)
		}
	}
	require.Zero(t, restarts(p.ID))
	require.Zero(t, perInstallation(inst))

	step(p.ID, "MarkRunning", "MarkCrashed", "Restart")
	require.EqualValues(t, 1, restarts(p.ID), "a restart after a crash counts")
	step(p.ID, "MarkRunning", "MarkStopping", "MarkStopped", "Restart")
	require.EqualValues(t, 2, restarts(p.ID), "a restart after a stop counts")
	n, err := e.q.SatelliteProcessRestart(e.ctx, dbsqlc.SatelliteProcessRestartParams{ID: p.ID})
	require.NoError(t, err)
	require.Zero(t, n, "a starting process cannot be restarted")
	require.EqualValues(t, 2, restarts(p.ID), "an illegal restart does not count")

	got, err := e.q.SatelliteProcessGetByID(e.ctx, p.ID)
	require.NoError(t, err)
	require.EqualValues(t, 2, got.RestartCount)
	require.Equal(t, "pid-restarted", got.ProcessID)

	// A restart without a new process id keeps the old one.
	step(sibling.ID, "MarkCrashed")
	n, err = e.q.SatelliteProcessRestart(e.ctx, dbsqlc.SatelliteProcessRestartParams{ID: sibling.ID})
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	got, err = e.q.SatelliteProcessGetByID(e.ctx, sibling.ID)
	require.NoError(t, err)
	require.Equal(t, sibling.ProcessID, got.ProcessID)

	require.EqualValues(t, 3, perInstallation(inst), "restarts of all the installation's processes")
	require.Zero(t, perInstallation(otherInst), "other installations are not counted")
	require.Zero(t, perInstallation("inst_missing"), "no processes: 0, not an error")

	_, err = e.q.SatelliteProcessGetRestartCount(e.ctx, "proc_missing")
	require.ErrorIs(t, err, stackdb.ErrNotFound)
}

func TestProcessListRunningBySatellite(t *testing.T) {
	t.Parallel()
	e := satSetup(t)
	s, other := satRegister(t, e), satRegister(t, e)
	inst := satInstall(t, e)

	running, err := e.q.SatelliteProcessListRunningBySatellite(e.ctx, s.ID)
	require.NoError(t, err)
	require.NotNil(t, running)
	require.Empty(t, running)

	var want []string
	for _, state := range []dbsqlc.ProcessStatus{
		dbsqlc.ProcessStatusRunning, dbsqlc.ProcessStatusStarting, dbsqlc.ProcessStatusRunning,
		dbsqlc.ProcessStatusStopping, dbsqlc.ProcessStatusStopped, dbsqlc.ProcessStatusCrashed, dbsqlc.ProcessStatusRunning,
	} {
		p := procInState(t, e, s.ID, inst, state)
		if state == dbsqlc.ProcessStatusRunning {
			want = append(want, p.ID)
		}
	}
	procInState(t, e, other.ID, inst, dbsqlc.ProcessStatusRunning)

	running, err = e.q.SatelliteProcessListRunningBySatellite(e.ctx, s.ID)
	require.NoError(t, err)
	var got []string
	for _, p := range running {
		require.Equal(t, dbsqlc.ProcessStatusRunning, p.Status)
		require.Equal(t, s.ID, p.SatelliteID)
		got = append(got, p.ID)
	}
	require.Equal(t, want, got, "the satellite's running processes, oldest first")
}

func TestProcessUpdateHealth(t *testing.T) {
	t.Parallel()
	e := satSetup(t)
	s := satRegister(t, e)
	p := satStartProcess(t, e, s.ID, satInstall(t, e))

	for _, health := range []string{"healthy", "unhealthy", "unknown"} {
		t.Run(health, func(t *testing.T) {
			before, err := e.q.SatelliteProcessGetByID(e.ctx, p.ID)
			require.NoError(t, err)
			n, err := e.q.SatelliteProcessUpdateHealth(e.ctx, dbsqlc.SatelliteProcessUpdateHealthParams{ID: p.ID, HealthStatus: health})
			require.NoError(t, err)
			require.EqualValues(t, 1, n)
			after, err := e.q.SatelliteProcessGetByID(e.ctx, p.ID)
			require.NoError(t, err)
			require.Equal(t, &health, after.HealthStatus)
			require.True(t, after.UpdatedAt.After(before.UpdatedAt))
			require.Equal(t, before.Status, after.Status, "health does not move the life cycle")
		})
	}

	t.Run("invalid health status", func(t *testing.T) {
		before, err := e.q.SatelliteProcessGetByID(e.ctx, p.ID)
		require.NoError(t, err)
		n, err := e.q.SatelliteProcessUpdateHealth(e.ctx, dbsqlc.SatelliteProcessUpdateHealthParams{ID: p.ID, HealthStatus: "sick"})
		requireConstraintError(t, err, stackdb.Check, "satellite_processes", "satellite_processes_health_status")
		require.Zero(t, n)
		after, err := e.q.SatelliteProcessGetByID(e.ctx, p.ID)
		require.NoError(t, err)
		require.Equal(t, before, after)
	})

	t.Run("missing process", func(t *testing.T) {
		n, err := e.q.SatelliteProcessUpdateHealth(e.ctx, dbsqlc.SatelliteProcessUpdateHealthParams{ID: "proc_missing", HealthStatus: "healthy"})
		require.NoError(t, err)
		require.Zero(t, n)
	})
}
