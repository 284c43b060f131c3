// Teams, their members and user preferences (teams.ts).
// Generated once from DeployStack's real model; edit by hand from here on.

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
  column "non_http_mcp_limit" {
    type    = integer
    default = 1
  }
  column "mcp_server_limit" {
    type    = integer
    default = 5
  }
  column "member_limit" {
    type    = integer
    default = 3
  }
  column "allow_remote_mcp" {
    type    = boolean
    default = false
  }
  column "allow_github_mcp" {
    type    = boolean
    default = false
  }
  column "allow_private_github_repos" {
    type    = boolean
    default = false
  }
  column "github_mcp_limit" {
    type    = integer
    default = 1
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
    on_delete   = CASCADE
  }
  index "teams_slug_key" {
    unique  = true
    columns = [column.slug]
  }
  // stackdb: TeamGetDefaultByOwner and the cascade from users.
  index "teams_owner_id_idx" {
    columns = [column.owner_id]
  }
}

// DeployStack: teamMemberships.
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
    type = text
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
  // The values DeployStack documents for role.
  check "team_members_role_check" {
    expr = "role IN ('team_admin', 'team_user')"
  }
  // stackdb: a team's members and one member's role (TeamMemberListByTeam,
  // TeamMemberGetByTeamAndUser, ...). Not unique: real data holds duplicate
  // memberships.
  index "team_members_team_id_user_id_idx" {
    columns = [column.team_id, column.user_id]
  }
  // stackdb: a user's teams (TeamListByUser) and the cascade from users.
  index "team_members_user_id_idx" {
    columns = [column.user_id]
  }
}

// DeployStack: userPreferences.
table "user_preferences" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "user_id" {
    type = text
  }
  column "preference_key" {
    type = text
  }
  column "preference_value" {
    type = text
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
  foreign_key "user_preferences_user_id_fkey" {
    columns     = [column.user_id]
    ref_columns = [table.users.column.id]
    on_delete   = CASCADE
  }
  index "user_preferences_user_key_idx" {
    columns = [column.user_id, column.preference_key]
  }
  index "user_preferences_user_idx" {
    columns = [column.user_id]
  }
  index "user_preferences_key_idx" {
    columns = [column.preference_key]
  }
  index "user_preferences_unique_user_key" {
    columns = [column.user_id, column.preference_key]
  }
}
