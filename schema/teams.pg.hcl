// Teams and their members (legacy tables teams, teamMemberships).

enum "team_role" {
  schema = schema.public
  values = ["team_admin", "team_user"]
}

table "teams" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "name" {
    type = text
  }
  column "slug" {
    type = text
  }
  column "description" {
    type = text
    null = true
  }
  column "owner_id" {
    type = text
  }
  column "is_default" {
    type    = boolean
    default = false
  }
  column "created_at" {
    type    = timestamptz
    default = sql("now()")
  }
  column "updated_at" {
    type    = timestamptz
    default = sql("now()")
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "teams_owner_id_fkey" {
    columns     = [column.owner_id]
    ref_columns = [table.users.column.id]
    on_delete   = NO_ACTION
  }
  index "teams_slug_key" {
    unique  = true
    columns = [column.slug]
  }
  index "teams_owner_id_idx" {
    columns = [column.owner_id]
  }
}

table "team_members" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "team_id" {
    type = text
  }
  column "user_id" {
    type = text
  }
  column "role" {
    type = enum.team_role
  }
  column "joined_at" {
    type    = timestamptz
    default = sql("now()")
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "team_members_team_id_fkey" {
    columns     = [column.team_id]
    ref_columns = [table.teams.column.id]
    on_delete   = CASCADE
  }
  foreign_key "team_members_user_id_fkey" {
    columns     = [column.user_id]
    ref_columns = [table.users.column.id]
    on_delete   = CASCADE
  }
  index "team_members_team_id_user_id_key" {
    unique  = true
    columns = [column.team_id, column.user_id]
  }
  // Teams of a user (TeamListByUser).
  index "team_members_user_id_idx" {
    columns = [column.user_id]
  }
}
