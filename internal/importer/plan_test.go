package importer

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestLoadOrder(t *testing.T) {
	t.Parallel()
	table := func(name string, rows int64, parents ...*tablePlan) *tablePlan {
		tp := &tablePlan{target: name, total: rows}
		for _, p := range parents {
			tp.fks = append(tp.fks, &fkPlan{parent: &uniqueIndex{table: p}})
		}
		return tp
	}
	names := func(plans []*tablePlan) []string {
		var out []string
		for _, tp := range plans {
			out = append(out, tp.target)
		}
		return out
	}
	teams := table("teams", 50)
	users := table("users", 500)
	satellites := table("satellites", 20, teams)
	executions := table("executions", 1_000_000, satellites, users)
	heartbeats := table("heartbeats", 500_000, satellites)
	jobs := table("jobs", 100_000)
	audit := table("audit", 200_000, users, teams)
	members := table("members", 500, users, teams)

	for _, tc := range []struct {
		name  string
		plans []*tablePlan
		want  []string
	}{
		{"parents first, then smallest first",
			[]*tablePlan{users, teams, satellites, heartbeats, executions, jobs, audit, members},
			[]string{"teams", "satellites", "users", "members", "jobs", "audit", "heartbeats", "executions"}},
		{"a small child waits for a large parent",
			[]*tablePlan{table("child", 1, executions), executions, satellites, users, teams},
			[]string{"teams", "satellites", "users", "executions", "child"}},
		{"equal sizes keep the given order",
			[]*tablePlan{table("b", 7), table("a", 7), table("c", 7)},
			[]string{"b", "a", "c"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := loadOrder(tc.plans)
			require.NoError(t, err)
			require.Equal(t, tc.want, names(got))
		})
	}

	a, b := table("a", 1), table("b", 1)
	a.fks = append(a.fks, &fkPlan{parent: &uniqueIndex{table: b}})
	b.fks = append(b.fks, &fkPlan{parent: &uniqueIndex{table: a}})
	_, err := loadOrder([]*tablePlan{a, b})
	require.ErrorIs(t, err, ErrSchema)
}
