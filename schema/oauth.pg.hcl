// DeployStack's own OAuth server: clients, codes, tokens, consents, dynamic clients (oauth.ts).
// Generated once from DeployStack's real model; edit by hand from here on.

table "oauth_authorization_codes" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "user_id" {
    type = text
  }
  column "team_id" {
    type = text
  }
  column "client_id" {
    type = text
  }
  column "redirect_uri" {
    type = text
  }
  column "scope" {
    type = text
  }
  column "state" {
    type = text
  }
  column "code_challenge" {
    type = text
  }
  column "code_challenge_method" {
    type = text
  }
  column "code" {
    type = text
  }
  column "resource" {
    type = text
    null = true
  }
  column "used" {
    type    = boolean
    default = false
  }
  column "created_at" {
    type    = timestamptz
    default = sql("now()")
  }
  column "expires_at" {
    type = timestamptz
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "oauth_authorization_codes_user_id_fkey" {
    columns     = [column.user_id]
    ref_columns = [table.users.column.id]
    on_delete   = CASCADE
  }
  foreign_key "oauth_authorization_codes_team_id_fkey" {
    columns     = [column.team_id]
    ref_columns = [table.teams.column.id]
    on_delete   = CASCADE
  }
  index "oauth_authorization_codes_code_key" {
    unique  = true
    columns = [column.code]
  }
}

table "oauth_access_tokens" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "user_id" {
    type = text
  }
  column "team_id" {
    type = text
  }
  column "client_id" {
    type = text
  }
  column "scope" {
    type = text
  }
  column "token_hash" {
    type = text
  }
  column "created_at" {
    type    = timestamptz
    default = sql("now()")
  }
  column "expires_at" {
    type = timestamptz
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "oauth_access_tokens_user_id_fkey" {
    columns     = [column.user_id]
    ref_columns = [table.users.column.id]
    on_delete   = CASCADE
  }
  foreign_key "oauth_access_tokens_team_id_fkey" {
    columns     = [column.team_id]
    ref_columns = [table.teams.column.id]
    on_delete   = CASCADE
  }
  index "oauth_access_tokens_token_hash_key" {
    unique  = true
    columns = [column.token_hash]
  }
  // stackdb: revoking a user's tokens of a client (and of a team, when a
  // consent is revoked), and deleting a user's tokens when the user goes.
  index "oauth_access_tokens_user_client_idx" {
    columns = [column.user_id, column.client_id]
  }
  // stackdb: the expiry sweep.
  index "oauth_access_tokens_expires_at_idx" {
    columns = [column.expires_at]
  }
}

table "oauth_refresh_tokens" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "user_id" {
    type = text
  }
  column "team_id" {
    type = text
  }
  column "client_id" {
    type = text
  }
  column "token_hash" {
    type = text
  }
  column "used" {
    type    = boolean
    default = false
  }
  column "created_at" {
    type    = timestamptz
    default = sql("now()")
  }
  column "expires_at" {
    type = timestamptz
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "oauth_refresh_tokens_user_id_fkey" {
    columns     = [column.user_id]
    ref_columns = [table.users.column.id]
    on_delete   = CASCADE
  }
  foreign_key "oauth_refresh_tokens_team_id_fkey" {
    columns     = [column.team_id]
    ref_columns = [table.teams.column.id]
    on_delete   = CASCADE
  }
  index "oauth_refresh_tokens_token_hash_key" {
    unique  = true
    columns = [column.token_hash]
  }
  // stackdb: revoking a user's tokens of a client (and of a team, when a
  // consent is revoked), and deleting a user's tokens when the user goes.
  index "oauth_refresh_tokens_user_client_idx" {
    columns = [column.user_id, column.client_id]
  }
  // stackdb: the expiry sweep.
  index "oauth_refresh_tokens_expires_at_idx" {
    columns = [column.expires_at]
  }
}

table "oauth_clients" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "client_id" {
    type = text
  }
  column "client_secret_hash" {
    type = text
    null = true
  }
  column "client_name" {
    type = text
  }
  column "redirect_uris" {
    type = jsonb
  }
  column "scope" {
    type = text
  }
  column "team_id" {
    type = text
    null = true
  }
  column "created_by_user_id" {
    type = text
    null = true
  }
  column "is_active" {
    type    = boolean
    default = true
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
  foreign_key "oauth_clients_team_id_fkey" {
    columns     = [column.team_id]
    ref_columns = [table.teams.column.id]
    on_delete   = NO_ACTION
  }
  foreign_key "oauth_clients_created_by_user_id_fkey" {
    columns     = [column.created_by_user_id]
    ref_columns = [table.users.column.id]
    on_delete   = NO_ACTION
  }
  index "oauth_clients_client_id_key" {
    unique  = true
    columns = [column.client_id]
  }
  index "oauth_clients_client_id_idx" {
    columns = [column.client_id]
  }
  index "oauth_clients_team_idx" {
    columns = [column.team_id]
  }
  index "oauth_clients_active_idx" {
    columns = [column.is_active]
  }
}

table "oauth_team_consents" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "user_id" {
    type = text
  }
  column "team_id" {
    type = text
  }
  column "client_id" {
    type = text
  }
  column "scope" {
    type = text
  }
  column "granted_at" {
    type    = timestamptz
    default = sql("now()")
  }
  column "last_used_at" {
    type = timestamptz
    null = true
  }
  column "is_active" {
    type    = boolean
    default = true
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "oauth_team_consents_user_id_fkey" {
    columns     = [column.user_id]
    ref_columns = [table.users.column.id]
    on_delete   = CASCADE
  }
  foreign_key "oauth_team_consents_team_id_fkey" {
    columns     = [column.team_id]
    ref_columns = [table.teams.column.id]
    on_delete   = CASCADE
  }
  index "oauth_team_consents_user_team_client_idx" {
    columns = [column.user_id, column.team_id, column.client_id]
  }
  index "oauth_team_consents_team_idx" {
    columns = [column.team_id]
  }
  index "oauth_team_consents_client_idx" {
    columns = [column.client_id]
  }
  index "oauth_team_consents_active_idx" {
    columns = [column.is_active]
  }
  index "oauth_team_consents_unique_user_team_client" {
    columns = [column.user_id, column.team_id, column.client_id]
  }
}

table "dynamic_oauth_clients" {
  schema = schema.public
  column "client_id" {
    type = text
  }
  column "client_name" {
    type = text
  }
  column "redirect_uris" {
    type = jsonb
  }
  column "grant_types" {
    type = jsonb
  }
  column "response_types" {
    type = jsonb
  }
  column "scope" {
    type = text
  }
  column "token_endpoint_auth_method" {
    type = text
  }
  // DeployStack stores integer epoch SECONDS (RFC 7591).
  column "client_id_issued_at" {
    type = timestamptz
  }
  // DeployStack stores integer epoch (RFC 7591 client_secret_expires_at, seconds).
  column "expires_at" {
    type = timestamptz
    null = true
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
    columns = [column.client_id]
  }
  index "dynamic_oauth_clients_expires_at_idx" {
    columns = [column.expires_at]
  }
  index "dynamic_oauth_clients_created_at_idx" {
    columns = [column.created_at]
  }
}
