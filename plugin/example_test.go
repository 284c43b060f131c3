package plugin_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/deploystack/stackdb"
	"github.com/deploystack/stackdb/plugin"
	"github.com/deploystack/stackdb/stackdbtest"
)

// This example gives the plugin "example-plugin" its table, imports legacy
// rows into it, and reads them back.
func Example() {
	ctx := context.Background()
	url, drop, err := stackdbtest.NewEmptyDatabase(ctx) // an application uses its own database
	if err != nil {
		fmt.Println(err)
		return
	}
	defer drop() //nolint:errcheck
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

	const id = "example-plugin"
	schema, _ := plugin.SchemaName(id)
	fmt.Println("schema:", schema)

	err = plugin.CreateTable(ctx, pool, id, "example_entities", []plugin.Column{
		{Name: "id", Type: plugin.Identity, PrimaryKey: true},
		{Name: "name", Type: plugin.Text, NotNull: true},
		{Name: "description", Type: plugin.Text},
		{Name: "created_at", Type: plugin.Timestamptz, NotNull: true, Default: plugin.DefaultNow()},
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	// An importer copies the legacy rows, ids included.
	n, err := plugin.CopyFrom(ctx, pool, id, "example_entities", []string{"id", "name", "description"},
		pgx.CopyFromRows([][]any{
			{1, "first", "copied from SQLite"},
			{7, "second", nil},
		}))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("copied:", n)

	// The plugin's own statements name its table with Ident; new rows are
	// numbered after the copied ones.
	ident, _ := plugin.Ident(id, "example_entities")
	var newID int64
	err = pool.QueryRow(ctx, "INSERT INTO "+ident.Sanitize()+" (name) VALUES ($1) RETURNING id", "third").Scan(&newID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("new id:", newID)

	count, _ := plugin.Count(ctx, pool, id, "example_entities")
	fmt.Println("count:", count)
	rows, _ := plugin.List(ctx, pool, id, "example_entities", plugin.ListOptions{Limit: 10})
	for _, row := range rows {
		fmt.Println(row["id"], row["name"], row["description"])
	}

	// Ids and names are checked before anything reaches the database.
	_, err = plugin.Tables(ctx, pool, "example.plugin")
	fmt.Println(err)
	err = plugin.CreateTable(ctx, pool, id, "users; DROP TABLE users", nil)
	fmt.Println(errors.Is(err, plugin.ErrInvalidName))

	// Output:
	// schema: plugin_example_plugin
	// copied: 2
	// new id: 8
	// count: 3
	// 1 first copied from SQLite
	// 7 second <nil>
	// 8 third <nil>
	// plugin: invalid plugin id "example.plugin": contains '.'; only lower-case letters a-z, digits and '-' are allowed
	// true
}
