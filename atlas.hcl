// Atlas project file. It is valid for the Atlas CLI (`atlas migrate apply
// --env prod`) and it is where stackdb reads the schema and migration paths
// (`stackdb migrate ... --env NAME`, default "local").
//
// The paths are named once, here (sqlc.yaml reads the same directory).
locals {
  src = "file://schema"
  dir = "file://schema/migrations"
}

// Development: stackdb starts a throwaway Postgres for the dev database; the
// Atlas CLI starts the docker image named here.
env "local" {
  src = local.src
  url = getenv("DATABASE_URL")
  dev = "docker://postgres/15/dev?search_path=public"
  migration {
    dir              = local.dir
    revisions_schema = "atlas_schema_revisions"
  }
}

// CI: a clean database for replaying and diffing comes from DEV_DATABASE_URL.
env "ci" {
  src = local.src
  url = getenv("DATABASE_URL")
  dev = getenv("DEV_DATABASE_URL")
  migration {
    dir              = local.dir
    revisions_schema = "atlas_schema_revisions"
  }
}

// Production: apply only; never diff against it.
env "prod" {
  src = local.src
  url = getenv("DATABASE_URL")
  dev = "docker://postgres/15/dev?search_path=public"
  migration {
    dir              = local.dir
    revisions_schema = "atlas_schema_revisions"
  }
}
