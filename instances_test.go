package stackdb_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/gen/dbsqlc"
)

// mcpInstanceStatuses is DeployStack's value set for
// mcpServerInstances.status (a comment in mcp-instances.ts).
var mcpInstanceStatuses = []string{
	"provisioning", "command_received", "connecting", "discovering_tools", "syncing_tools", "online",
	"restarting", "offline", "error", "requires_reauth", "permanently_failed", "awaiting_user_config",
}

func insertMcpServerInstance(t *testing.T, q dbsqlc.Querier, installationID, userID string) dbsqlc.McpServerInstance {
	t.Helper()
	id := newID("mi")
	inst, err := q.McpServerInstanceInsert(t.Context(), dbsqlc.McpServerInstanceInsertParams{
		ID: id, InstallationID: installationID, UserID: userID, InstancePath: mcpPtr("/i/" + id), InstanceToken: mcpPtr("enc-" + id),
	})
	require.NoError(t, err)
	return inst
}

func TestMcpServerInstanceInsertGet(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	installation, _ := createInstallation(t, pool)
	user := createUser(t, pool)

	inst := insertMcpServerInstance(t, q, installation, user)
	require.Equal(t, "provisioning", inst.Status, "the real default")
	require.NotNil(t, inst.StatusUpdatedAt)

	for name, get := range map[string]func() (dbsqlc.McpServerInstance, error){
		"by id": func() (dbsqlc.McpServerInstance, error) { return q.McpServerInstanceGetByID(ctx, inst.ID) },
		"by installation and user": func() (dbsqlc.McpServerInstance, error) {
			return q.McpServerInstanceGetByInstallationUser(ctx, dbsqlc.McpServerInstanceGetByInstallationUserParams{InstallationID: installation, UserID: user})
		},
		"by instance path": func() (dbsqlc.McpServerInstance, error) {
			return q.McpServerInstanceGetByInstancePath(ctx, *inst.InstancePath)
		},
	} {
		got, err := get()
		require.NoError(t, err, name)
		require.Equal(t, inst, got, name)
	}
	for name, get := range map[string]func() (dbsqlc.McpServerInstance, error){
		"by id": func() (dbsqlc.McpServerInstance, error) { return q.McpServerInstanceGetByID(ctx, "missing") },
		"by installation and user": func() (dbsqlc.McpServerInstance, error) {
			return q.McpServerInstanceGetByInstallationUser(ctx, dbsqlc.McpServerInstanceGetByInstallationUserParams{InstallationID: installation, UserID: "missing"})
		},
		"by instance path": func() (dbsqlc.McpServerInstance, error) { return q.McpServerInstanceGetByInstancePath(ctx, "/missing") },
	} {
		_, err := get()
		require.ErrorIs(t, err, stackdb.ErrNotFound, name)
	}

	for _, tc := range []struct {
		name       string
		params     dbsqlc.McpServerInstanceInsertParams
		kind       stackdb.ConstraintKind
		constraint string
	}{
		{"second instance of a user", dbsqlc.McpServerInstanceInsertParams{ID: newID("mi"), InstallationID: installation, UserID: user},
			stackdb.Unique, "mcp_instances_installation_user_idx"},
		{"path taken", dbsqlc.McpServerInstanceInsertParams{ID: newID("mi"), InstallationID: installation, UserID: createUser(t, pool), InstancePath: inst.InstancePath},
			stackdb.Unique, "mcp_instances_instance_path_idx"},
		{"status outside the real set", dbsqlc.McpServerInstanceInsertParams{ID: newID("mi"), InstallationID: installation, UserID: createUser(t, pool), Status: mcpPtr("crashed")},
			stackdb.Check, "mcp_server_instances_status_check"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := q.McpServerInstanceInsert(ctx, tc.params)
			requireMcpConstraint(t, err, tc.kind, tc.constraint)
		})
	}
	require.Equal(t, 1, countRows(t, pool, "mcp_server_instances", "true"), "refused inserts leave nothing behind")
}

func TestMcpServerInstanceInsertMany(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	installation, _ := createInstallation(t, pool)
	a, b, c := createUser(t, pool), createUser(t, pool), createUser(t, pool)
	existing := insertMcpServerInstance(t, q, installation, a)

	// Every team member at once; a's instance exists and is left alone.
	rec := &stmtRecorder{DB: pool}
	n, err := stackdb.New(rec).McpServerInstanceInsertMany(ctx, dbsqlc.McpServerInstanceInsertManyParams{
		InstallationID: installation, Ids: []string{newID("mi"), newID("mi"), newID("mi")}, UserIds: []string{a, b, c},
		Status: "awaiting_user_config",
	})
	require.NoError(t, err)
	require.Equal(t, 1, rec.calls)
	require.EqualValues(t, 2, n)

	list, err := q.McpServerInstanceListByInstallation(ctx, installation)
	require.NoError(t, err)
	require.Len(t, list, 3)
	require.Equal(t, existing, list[0])
	for _, inst := range list[1:] {
		require.Equal(t, "awaiting_user_config", inst.Status)
	}

	_, err = q.McpServerInstanceInsertMany(ctx, dbsqlc.McpServerInstanceInsertManyParams{
		InstallationID: installation, Ids: []string{newID("mi")}, UserIds: []string{createUser(t, pool)}, Status: "bogus",
	})
	requireMcpConstraint(t, err, stackdb.Check, "mcp_server_instances_status_check")
	require.Equal(t, 3, countRows(t, pool, "mcp_server_instances", "true"))
}

func TestMcpServerInstanceUpdateStatus(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	installation, _ := createInstallation(t, pool)
	user := createUser(t, pool)
	inst := insertMcpServerInstance(t, q, installation, user)
	key := dbsqlc.McpServerInstanceGetByInstallationUserParams{InstallationID: installation, UserID: user}

	// Walk every real status; each transition reports the status it left.
	previous := inst.Status
	for _, status := range append(mcpInstanceStatuses[1:], mcpInstanceStatuses[0]) {
		t.Run(status, func(t *testing.T) {
			got, err := q.McpServerInstanceUpdateStatus(ctx, dbsqlc.McpServerInstanceUpdateStatusParams{
				InstallationID: installation, UserID: user, Status: status, StatusMessage: mcpPtr("now " + status),
			})
			require.NoError(t, err)
			require.Equal(t, status, got.Status)
			require.Equal(t, previous, got.PreviousStatus)
			require.Equal(t, "now "+status, *got.StatusMessage)
			require.Equal(t, inst.ID, got.ID)
			previous = status
		})
	}

	_, err := q.McpServerInstanceUpdateStatus(ctx, dbsqlc.McpServerInstanceUpdateStatusParams{InstallationID: installation, UserID: user, Status: "crashed"})
	requireMcpConstraint(t, err, stackdb.Check, "mcp_server_instances_status_check")
	got, err := q.McpServerInstanceGetByInstallationUser(ctx, key)
	require.NoError(t, err)
	require.Equal(t, previous, got.Status, "a refused status changes nothing")

	_, err = q.McpServerInstanceUpdateStatus(ctx, dbsqlc.McpServerInstanceUpdateStatusParams{InstallationID: installation, UserID: "missing", Status: "online"})
	require.ErrorIs(t, err, stackdb.ErrNotFound)
}

func TestMcpServerInstanceUpdateByInstallation(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	installation, _ := createInstallation(t, pool)
	other, _ := createInstallation(t, pool)
	a, b := createUser(t, pool), createUser(t, pool)
	insertMcpServerInstance(t, q, installation, a)
	insertMcpServerInstance(t, q, installation, b)
	untouched := insertMcpServerInstance(t, q, other, a)

	n, err := q.McpServerInstanceUpdateStatusByInstallation(ctx, dbsqlc.McpServerInstanceUpdateStatusByInstallationParams{
		InstallationID: installation, Status: "restarting", StatusMessage: mcpPtr("config changed"),
	})
	require.NoError(t, err)
	require.EqualValues(t, 2, n)
	require.Equal(t, 2, countRows(t, pool, "mcp_server_instances", "installation_id = $1 AND status = 'restarting'", installation))
	got, err := q.McpServerInstanceGetByID(ctx, untouched.ID)
	require.NoError(t, err)
	require.Equal(t, untouched, got)

	_, err = q.McpServerInstanceUpdateStatusByInstallation(ctx, dbsqlc.McpServerInstanceUpdateStatusByInstallationParams{InstallationID: installation, Status: "crashed"})
	requireMcpConstraint(t, err, stackdb.Check, "mcp_server_instances_status_check")
	require.Equal(t, 2, countRows(t, pool, "mcp_server_instances", "installation_id = $1 AND status = 'restarting'", installation))

	for _, tc := range []struct {
		name        string
		credentials bool
	}{{"health only", false}, {"health and credentials", true}} {
		t.Run(tc.name, func(t *testing.T) {
			execSQL(t, pool, "UPDATE mcp_server_instances SET last_health_check_at = NULL, last_credential_check_at = NULL")
			n, err := q.McpServerInstanceUpdateHealthCheck(ctx, dbsqlc.McpServerInstanceUpdateHealthCheckParams{
				InstallationID: installation, UserID: a, CredentialsChecked: tc.credentials,
			})
			require.NoError(t, err)
			require.EqualValues(t, 1, n)
			got, err := q.McpServerInstanceGetByInstallationUser(ctx, dbsqlc.McpServerInstanceGetByInstallationUserParams{InstallationID: installation, UserID: a})
			require.NoError(t, err)
			require.NotNil(t, got.LastHealthCheckAt)
			require.Equal(t, tc.credentials, got.LastCredentialCheckAt != nil)
		})
	}
	n, err = q.McpServerInstanceUpdateHealthCheck(ctx, dbsqlc.McpServerInstanceUpdateHealthCheckParams{InstallationID: installation, UserID: "missing"})
	require.NoError(t, err)
	require.EqualValues(t, 0, n)
}

func TestMcpServerInstanceList(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	inst1, _ := createInstallation(t, pool)
	inst2, _ := createInstallation(t, pool)
	a, b := createUser(t, pool), createUser(t, pool)
	a1 := insertMcpServerInstance(t, q, inst1, a)
	b1 := insertMcpServerInstance(t, q, inst1, b)
	a2 := insertMcpServerInstance(t, q, inst2, a)
	execSQL(t, pool, "UPDATE mcp_server_instances SET status = 'requires_reauth', status_updated_at = now() - interval '1 hour' WHERE id = $1", a2.ID)
	execSQL(t, pool, "UPDATE mcp_server_instances SET status = 'requires_reauth', status_updated_at = now() - interval '2 hours' WHERE id = $1", b1.ID)

	ids := func(list []dbsqlc.McpServerInstance, err error) []string {
		t.Helper()
		require.NoError(t, err)
		out := []string{}
		for _, i := range list {
			out = append(out, i.ID)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		got  []string
		want []string
	}{
		{"by installation", ids(q.McpServerInstanceListByInstallation(ctx, inst1)), []string{a1.ID, b1.ID}},
		{"by user", ids(q.McpServerInstanceListByUser(ctx, a)), []string{a1.ID, a2.ID}},
		{"by status, longest first", ids(q.McpServerInstanceListByStatus(ctx, dbsqlc.McpServerInstanceListByStatusParams{Status: "requires_reauth", MaxRows: 10})),
			[]string{b1.ID, a2.ID}},
		{"by status, limited", ids(q.McpServerInstanceListByStatus(ctx, dbsqlc.McpServerInstanceListByStatusParams{Status: "requires_reauth", MaxRows: 1})),
			[]string{b1.ID}},
		{"no such status", ids(q.McpServerInstanceListByStatus(ctx, dbsqlc.McpServerInstanceListByStatusParams{Status: "online", MaxRows: 10})),
			[]string{}},
	} {
		require.Equal(t, tc.want, tc.got, tc.name)
	}

	n, err := q.McpServerInstanceDelete(ctx, dbsqlc.McpServerInstanceDeleteParams{InstallationID: inst1, UserID: a})
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	n, err = q.McpServerInstanceDelete(ctx, dbsqlc.McpServerInstanceDeleteParams{InstallationID: inst1, UserID: a})
	require.NoError(t, err)
	require.EqualValues(t, 0, n)
}

// TestInstancesIndexes proves the instance lookups use their indexes. The
// user has instances of 300 installations, so that only the unique index
// finds one instance of theirs at once.
func TestInstancesIndexes(t *testing.T) {
	t.Parallel()
	ctx, pool, q := setup(t)
	installation, _ := createInstallation(t, pool)
	user := createUser(t, pool)
	inst := insertMcpServerInstance(t, q, installation, user)
	execSQL(t, pool, `INSERT INTO mcp_server_installations (id, team_id, server_id, created_by, installation_name)
		SELECT $1 || '_' || n, team_id, server_id, created_by, 'copy ' || n
		FROM mcp_server_installations, generate_series(1, 300) n WHERE id = $1`, installation)
	execSQL(t, pool, `INSERT INTO mcp_server_instances (id, installation_id, user_id, status)
		SELECT 'mi_' || i.id, i.id, $2, 'online' FROM mcp_server_installations i WHERE i.id LIKE $1 || '\_%'`, installation, user)
	execSQL(t, pool, "ANALYZE mcp_server_installations, mcp_server_instances")

	for _, tc := range []struct {
		name  string
		query func(q dbsqlc.Querier) error
		index string
	}{
		{"by installation and user", func(q dbsqlc.Querier) error {
			_, err := q.McpServerInstanceGetByInstallationUser(ctx, dbsqlc.McpServerInstanceGetByInstallationUserParams{InstallationID: installation, UserID: user})
			return err
		}, "mcp_instances_installation_user_idx"},
		{"status update", func(q dbsqlc.Querier) error {
			_, err := q.McpServerInstanceUpdateStatus(ctx, dbsqlc.McpServerInstanceUpdateStatusParams{InstallationID: installation, UserID: user, Status: "online"})
			return err
		}, "mcp_instances_installation_user_idx"},
		{"by instance path", func(q dbsqlc.Querier) error {
			_, err := q.McpServerInstanceGetByInstancePath(ctx, *inst.InstancePath)
			return err
		},
			"mcp_instances_instance_path_idx"},
		{"by user", func(q dbsqlc.Querier) error { _, err := q.McpServerInstanceListByUser(ctx, user); return err }, "mcp_instances_user_idx"},
		{"by status", func(q dbsqlc.Querier) error {
			_, err := q.McpServerInstanceListByStatus(ctx, dbsqlc.McpServerInstanceListByStatusParams{Status: "online", MaxRows: 10})
			return err
		}, "mcp_instances_status_idx"},
		{"by installation", func(q dbsqlc.Querier) error {
			_, err := q.McpServerInstanceListByInstallation(ctx, installation)
			return err
		},
			"mcp_instances_installation_user_idx"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tx := noSeqscanTx(t, pool)
			plan := explainQuery(t, tx, tc.query)
			require.Contains(t, plan.Indexes(), tc.index, plan.Text())
		})
	}
}
