package stackdb_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/gen/dbsqlc"
	"github.com/deploystack/stackdb/stackdbtest"
)

// This example is an application's start-up and first queries: migrate the
// database, open a pool, and run typed queries whose errors are already
// interpreted.
func Example() {
	ctx := context.Background()
	url, drop := exampleDatabase() // an application reads its own, e.g. os.Getenv("DATABASE_URL")
	defer drop()

	// Every instance may call Migrate at start-up; each migration is
	// applied exactly once.
	if err := stackdb.Migrate(ctx, url); err != nil {
		fmt.Println(err)
		return
	}
	pool, err := stackdb.OpenPool(ctx, url)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer pool.Close()
	q := stackdb.New(pool)

	role, err := q.RoleInsert(ctx, dbsqlc.RoleInsertParams{
		ID:          "role_member",
		Name:        "member",
		Permissions: json.RawMessage(`["teams.read"]`),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = q.UserInsert(ctx, dbsqlc.UserInsertParams{
		ID:       "user_alice",
		Username: "alice",
		Email:    "Alice@Example.com", // stored lowercased
		AuthType: "email_signup",
		RoleID:   &role.ID,
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	// Emails are looked up case-insensitively.
	user, err := q.UserGetByEmail(ctx, "Alice@Example.COM")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("found:", user.ID, user.Email, *user.RoleID)

	// A missing row is stackdb.ErrNotFound, not pgx.ErrNoRows.
	_, err = q.UserGetByEmail(ctx, "bob@example.com")
	fmt.Println("bob not found:", errors.Is(err, stackdb.ErrNotFound))

	// A refused write is a *stackdb.ConstraintError naming the constraint,
	// never the offending value.
	_, err = q.UserInsert(ctx, dbsqlc.UserInsertParams{
		ID:       "user_alice2",
		Username: "alice2",
		Email:    "ALICE@example.com",
		AuthType: "email_signup",
	})
	fmt.Println("email taken:", stackdb.IsUniqueViolation(err, "users_email_key"))
	fmt.Println(err)

	// Output:
	// found: user_alice alice@example.com role_member
	// bob not found: true
	// email taken: true
	// stackdb: unique constraint "users_email_key" on table "users" violated
}

// InTx commits when fn returns nil and rolls back everything fn did when it
// returns an error.
func ExampleInTx() {
	ctx := context.Background()
	url, drop := exampleDatabase()
	defer drop()
	if err := stackdb.Migrate(ctx, url); err != nil {
		fmt.Println(err)
		return
	}
	pool, err := stackdb.OpenPool(ctx, url)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer pool.Close()

	// Sign-up: the role and the user are created together or not at all.
	err = stackdb.InTx(ctx, pool, func(tx pgx.Tx, q dbsqlc.Querier) error {
		role, err := q.RoleInsert(ctx, dbsqlc.RoleInsertParams{ID: "role_owner", Name: "owner", Permissions: json.RawMessage(`[]`)})
		if err != nil {
			return err
		}
		_, err = q.UserInsert(ctx, dbsqlc.UserInsertParams{
			ID: "user_carol", Username: "carol", Email: "carol@example.com",
			AuthType: "email_signup", RoleID: &role.ID,
		})
		return err
	})
	fmt.Println("sign-up:", err)

	// fn returns an error after creating a team: the team is rolled back.
	errQuota := errors.New("team quota exceeded")
	err = stackdb.InTx(ctx, pool, func(tx pgx.Tx, q dbsqlc.Querier) error {
		if _, err := q.TeamInsertWithOwner(ctx, dbsqlc.TeamInsertWithOwnerParams{
			ID: "team_ops", Name: "Ops", Slug: "ops", OwnerID: "user_carol", MembershipID: "mem_ops",
		}); err != nil {
			return err
		}
		// Statements of your own join the transaction through tx.
		var teams int
		if err := tx.QueryRow(ctx, "SELECT count(*) FROM teams WHERE owner_id = $1", "user_carol").Scan(&teams); err != nil {
			return err
		}
		if teams > 0 {
			return errQuota
		}
		return nil
	})
	fmt.Println("create team:", errors.Is(err, errQuota))

	q := stackdb.New(pool)
	_, err = q.TeamGetBySlug(ctx, "ops")
	fmt.Println("team rolled back:", errors.Is(err, stackdb.ErrNotFound))
	teams, err := q.TeamListByUser(ctx, "user_carol")
	fmt.Println("carol's teams:", len(teams), err)
	user, err := q.UserGetByID(ctx, "user_carol")
	fmt.Println("user committed:", user.Email, err)

	// Output:
	// sign-up: <nil>
	// create team: true
	// team rolled back: true
	// carol's teams: 0 <nil>
	// user committed: carol@example.com <nil>
}

// exampleDatabase returns the URL of a fresh, empty database for an Example,
// which has no *testing.T to give stackdbtest.EmptyURL, and a function that drops
// it. It panics if the test server cannot start: nothing else would run.
func exampleDatabase() (url string, drop func()) {
	url, dropDB, err := stackdbtest.NewEmptyDatabase(context.Background())
	if err != nil {
		panic(err)
	}
	return url, func() { _ = dropDB() }
}
