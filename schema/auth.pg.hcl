// Authentication: roles, users, sessions, keys and the email/password token tables (auth.ts).
// Generated once from DeployStack's real model; edit by hand from here on.

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
  column "permissions" {
    type = jsonb
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

// DeployStack: authUser.
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
    type = text
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
  column "role_id" {
    type = text
    null = true
  }
  column "email_verified" {
    type    = boolean
    default = false
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "users_role_id_fkey" {
    columns     = [column.role_id]
    ref_columns = [table.roles.column.id]
    on_delete   = NO_ACTION
  }
  index "users_email_key" {
    unique  = true
    columns = [column.email]
  }
  index "users_github_id_key" {
    unique  = true
    columns = [column.github_id]
  }
  // stackdb: UserGetByEmail and UserGetByLogin match lower(email), as
  // DeployStack lowercases every email it writes and looks up. Not unique:
  // users_email_key is the real constraint, and rows written before
  // lowercasing may differ in case only.
  index "users_lower_email_idx" {
    on {
      expr = "lower(email)"
    }
  }
  // stackdb: UserGetByLogin matches the username too. Not unique: the real
  // username has no unique key.
  index "users_username_idx" {
    columns = [column.username]
  }
}

// DeployStack: authSession.
table "sessions" {
  schema = schema.public
  column "id" {
    type    = text
    comment = "secret: the session token the cookie carries"
  }
  column "user_id" {
    type = text
  }
  // DeployStack stores epoch MILLISECONDS (Date.now()+30d in routes/auth/loginEmail.ts).
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
  // stackdb: SessionDeleteByUser (sign out everywhere, password reset) and
  // the cascade from users.
  index "sessions_user_id_idx" {
    columns = [column.user_id]
  }
  // stackdb: SessionDeleteExpired, the periodic sweep.
  index "sessions_expires_at_idx" {
    columns = [column.expires_at]
  }
}

// DeployStack: authKey.
table "auth_keys" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "user_id" {
    type = text
  }
  column "primary_key" {
    type = text
  }
  column "hashed_password" {
    type = text
    null = true
  }
  // DeployStack stores epoch number (legacy Lucia key; bigint in PG since 0001).
  column "expires" {
    type = timestamptz
    null = true
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "auth_keys_user_id_fkey" {
    columns     = [column.user_id]
    ref_columns = [table.users.column.id]
    on_delete   = CASCADE
  }
}

// DeployStack: emailVerificationTokens.
table "email_verification_tokens" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "user_id" {
    type = text
  }
  column "token_hash" {
    type = text
  }
  column "expires_at" {
    type = timestamptz
  }
  column "created_at" {
    type    = timestamptz
    default = sql("now()")
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "email_verification_tokens_user_id_fkey" {
    columns     = [column.user_id]
    ref_columns = [table.users.column.id]
    on_delete   = CASCADE
  }
  // stackdb: the insert replaces the user's earlier tokens, and the cascade
  // from users.
  index "email_verification_tokens_user_id_idx" {
    columns = [column.user_id]
  }
}

// DeployStack: passwordResetTokens.
table "password_reset_tokens" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "user_id" {
    type = text
  }
  column "token_hash" {
    type = text
  }
  column "expires_at" {
    type = timestamptz
  }
  column "created_at" {
    type    = timestamptz
    default = sql("now()")
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "password_reset_tokens_user_id_fkey" {
    columns     = [column.user_id]
    ref_columns = [table.users.column.id]
    on_delete   = CASCADE
  }
  // stackdb: the insert replaces the user's earlier tokens, and the cascade
  // from users.
  index "password_reset_tokens_user_id_idx" {
    columns = [column.user_id]
  }
}
