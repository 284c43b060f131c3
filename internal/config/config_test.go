package config

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDatabaseFromEnv(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		env     map[string]string
		want    string // ConnString
		wantErr string
	}{
		{name: "nothing set names no database", env: nil, want: ""},
		{
			name: "DATABASE_URL wins over POSTGRES_*",
			env:  map[string]string{"DATABASE_URL": "postgres://u:pw@db:5433/app", "POSTGRES_HOST": "other"},
			want: "postgres://u:pw@db:5433/app",
		},
		{
			name: "POSTGRES_* with defaults",
			env:  map[string]string{"POSTGRES_HOST": "db"},
			want: "postgres://postgres@db:5432/postgres?sslmode=disable",
		},
		{
			name: "POSTGRES_* complete",
			env: map[string]string{
				"POSTGRES_HOST": "db.internal", "POSTGRES_PORT": "6432", "POSTGRES_DATABASE": "stack",
				"POSTGRES_USER": "app", "POSTGRES_PASSWORD": "p@ss/word", "POSTGRES_SSL": "true",
			},
			want: "postgres://app:p%40ss%2Fword@db.internal:6432/stack?sslmode=require",
		},
		{name: "sslmode value passes through", env: map[string]string{"POSTGRES_HOST": "db", "POSTGRES_SSL": "verify-full"}, want: "postgres://postgres@db:5432/postgres?sslmode=verify-full"},
		{name: "port not a number", env: map[string]string{"POSTGRES_HOST": "db", "POSTGRES_PORT": "x"}, wantErr: `POSTGRES_PORT="x" is not a number`},
		{name: "port out of range", env: map[string]string{"POSTGRES_HOST": "db", "POSTGRES_PORT": "70000"}, wantErr: "out of range"},
		{name: "bad ssl", env: map[string]string{"POSTGRES_HOST": "db", "POSTGRES_SSL": "maybe"}, wantErr: `POSTGRES_SSL="maybe"`},
		{name: "DATABASE_URL not postgres", env: map[string]string{"DATABASE_URL": "mysql://u:secret@h/db"}, wantErr: `config: DATABASE_URL: invalid database URL: scheme "mysql": want postgres or postgresql`},
		{name: "DATABASE_URL bad port", env: map[string]string{"DATABASE_URL": "postgres://u:secret@h:54x/db"}, wantErr: `config: DATABASE_URL: invalid database URL: invalid port ":54x" after host`},
		{
			name:    "a password without a host is an error, not the defaults",
			env:     map[string]string{"POSTGRES_PASSWORD": "secret"},
			wantErr: "config: POSTGRES_PASSWORD set but POSTGRES_HOST is not: set POSTGRES_HOST too, or DATABASE_URL",
		},
		{
			name:    "every partial variable is named",
			env:     map[string]string{"POSTGRES_USER": "app", "POSTGRES_PORT": "6432"},
			wantErr: "config: POSTGRES_PORT, POSTGRES_USER set but POSTGRES_HOST is not",
		},
		{
			name: "DATABASE_URL makes POSTGRES_* irrelevant",
			env:  map[string]string{"DATABASE_URL": "postgres://u@db/app", "POSTGRES_PASSWORD": "secret"},
			want: "postgres://u@db/app",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, err := databaseFrom(func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				require.NotContains(t, err.Error(), "secret", "errors never carry the password")
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, d.ConnString())
		})
	}
}

func TestDatabaseStringRedactsPassword(t *testing.T) {
	t.Parallel()
	for _, d := range []Database{
		{URL: "postgres://app:hunter2@db/app"},
		{Host: "db", Port: 5432, User: "app", Password: "hunter2", Database: "app"},
	} {
		require.NotContains(t, d.String(), "hunter2")
		require.Contains(t, d.String(), "app:xxxxx@db")
	}
}

func TestLoadEnvFromProjectFile(t *testing.T) {
	t.Parallel()
	env, err := LoadEnv(filepath.Join("..", "..", DefaultProjectFile), "local")
	require.NoError(t, err)
	require.Equal(t, filepath.Join("..", "..", "schema"), env.SchemaDir, "paths are relative to the project file")
	require.Equal(t, filepath.Join("..", "..", "schema", "migrations"), env.Dir)
	require.True(t, env.UsesThrowawayDev(), "the local env's docker:// dev URL means a throwaway cluster")

	_, err = LoadEnv(filepath.Join("..", "..", DefaultProjectFile), "staging")
	require.ErrorContains(t, err, `no env "staging" (it has local, ci, prod)`)
}

func TestLoadEnvGetenv(t *testing.T) {
	// Not parallel: sets environment variables.
	path := filepath.Join(t.TempDir(), "atlas.hcl")
	require.NoError(t, os.WriteFile(path, []byte(`
locals {
  dir = "file://db/migrations"
}
env "ci" {
  src = "file://db/schema"
  url = getenv("STACKDB_TEST_URL")
  dev = getenv("STACKDB_TEST_DEV")
  migration {
    dir = local.dir
  }
}
env "broken" {
  src = "db/schema"
}
`), 0o644))
	t.Setenv("STACKDB_TEST_URL", "postgres://a@b/c")
	t.Setenv("STACKDB_TEST_DEV", "postgres://a@b/dev")
	env, err := LoadEnv(path, "ci")
	require.NoError(t, err)
	base := filepath.Dir(path)
	require.Equal(t, &Env{
		Name: "ci", SchemaDir: filepath.Join(base, "db/schema"), URL: "postgres://a@b/c",
		DevURL: "postgres://a@b/dev", Dir: filepath.Join(base, "db/migrations"),
	}, env)
	require.False(t, env.UsesThrowawayDev())
	require.NoError(t, env.DevErr())

	// An unset variable is not a request for a throwaway.
	t.Setenv("STACKDB_TEST_DEV", "")
	env, err = LoadEnv(path, "ci")
	require.NoError(t, err, "loading succeeds: commands that need no dev database still work")
	require.False(t, env.UsesThrowawayDev())
	require.EqualError(t, env.DevErr(), `config: env "ci": dev reads STACKDB_TEST_DEV, which is not set`)

	_, err = LoadEnv(path, "broken")
	require.ErrorContains(t, err, `env "broken": src: want a file:// URL`)
}
