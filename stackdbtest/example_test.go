package stackdbtest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/gen/dbsqlc"
	"github.com/deploystack/stackdb/stackdbtest"
)

// In a test, one call gives a fresh database with every migration applied,
// dropped when the test passes and kept when it fails:
//
//	func TestMain(m *testing.M) { stackdbtest.Main(m) }
//
//	func TestRoles(t *testing.T) {
//		t.Parallel()
//		q := stackdb.New(stackdbtest.Pool(t))
//		...
//	}
//
// Code without a testing.T, such as this Example, asks for the database and
// drops it itself.
func Example() {
	ctx := context.Background()
	url, drop, err := stackdbtest.NewDatabase(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer drop() //nolint:errcheck // a leftover goes with the test server

	pool, err := stackdb.OpenPool(ctx, url)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer pool.Close()
	q := stackdb.New(pool)

	_, err = q.RoleInsert(ctx, dbsqlc.RoleInsertParams{ID: "role_member", Name: "member", Permissions: json.RawMessage(`[]`)})
	if err != nil {
		fmt.Println(err)
		return
	}
	role, err := q.RoleGetByID(ctx, "role_member")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("created:", role.Name)

	// Each database is the test's own: nothing another test wrote is there.
	_, err = q.RoleGetByID(ctx, "role_of_another_test")
	fmt.Println("not found:", errors.Is(err, stackdb.ErrNotFound))

	// Output:
	// created: member
	// not found: true
}
