// Authentication: roles, users and their sessions
// (legacy tables roles, authUser, authSession).

enum "auth_type" {
  schema = schema.public
  values = ["email_signup", "github"]
}

table "roles" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "name" {
    type = text
  }
  column "description" {
    type = text
    null = true
  }
  // A JSON array of permission names.
  column "permissions" {
    type    = jsonb
    default = sql("'[]'::jsonb")
  }
  column "is_system_role" {
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
  index "roles_name_key" {
    unique  = true
    columns = [column.name]
  }
  check "roles_permissions_is_array" {
    expr = "jsonb_typeof(permissions) = 'array'"
  }
}

table "users" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "username" {
    type = text
  }
  column "email" {
    type = text
  }
  column "auth_type" {
    type = enum.auth_type
  }
  column "first_name" {
    type = text
    null = true
  }
  column "last_name" {
    type = text
    null = true
  }
  column "github_id" {
    type = text
    null = true
  }
  column "hashed_password" {
    type = text
    null = true
  }
  column "email_verified" {
    type    = boolean
    default = false
  }
  column "role_id" {
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
  foreign_key "users_role_id_fkey" {
    columns     = [column.role_id]
    ref_columns = [table.roles.column.id]
    on_delete   = NO_ACTION
  }
  index "users_username_key" {
    unique  = true
    columns = [column.username]
  }
  // Exact-case uniqueness, as in the legacy database.
  index "users_email_key" {
    unique  = true
    columns = [column.email]
  }
  // Case-insensitive lookup by email (UserGetByEmail).
  index "users_email_lower_idx" {
    on {
      expr = "lower(email)"
    }
  }
  index "users_github_id_key" {
    unique  = true
    columns = [column.github_id]
  }
  index "users_role_id_idx" {
    columns = [column.role_id]
  }
}

table "sessions" {
  schema = schema.public
  // The session id is the bearer credential the session cookie carries.
  column "id" {
    type    = text
    comment = "secret: the session token the cookie carries"
  }
  column "user_id" {
    type = text
  }
  column "expires_at" {
    type = timestamptz
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "sessions_user_id_fkey" {
    columns     = [column.user_id]
    ref_columns = [table.users.column.id]
    on_delete   = CASCADE
  }
  index "sessions_user_id_idx" {
    columns = [column.user_id]
  }
  // Expired-session sweeps (SessionDeleteExpired).
  index "sessions_expires_at_idx" {
    columns = [column.expires_at]
  }
}
