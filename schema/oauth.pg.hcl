// OAuth clients and tokens (legacy oauthClients, oauthAccessTokens,
// oauthRefreshTokens). Tokens are stored only as hashes.

table "oauth_clients" {
  schema = schema.public
  column "client_id" {
    type = text
  }
  column "client_name" {
    type = text
  }
  // JSON array of allowed redirect URIs.
  column "redirect_uris" {
    type = jsonb
  }
  // JSON array of grant types.
  column "grant_types" {
    type = jsonb
  }
  column "scope" {
    type = text
  }
  column "created_at" {
    type    = timestamptz
    default = sql("now()")
  }
  primary_key {
    columns = [column.client_id]
  }
  check "oauth_clients_redirect_uris_is_array" {
    expr = "jsonb_typeof(redirect_uris) = 'array'"
  }
  check "oauth_clients_grant_types_is_array" {
    expr = "jsonb_typeof(grant_types) = 'array'"
  }
}

table "oauth_access_tokens" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "token_hash" {
    type = text
  }
  column "client_id" {
    type = text
  }
  column "user_id" {
    type = text
  }
  column "scope" {
    type = text
  }
  column "expires_at" {
    type = timestamptz
  }
  column "revoked" {
    type    = boolean
    default = false
  }
  column "created_at" {
    type    = timestamptz
    default = sql("now()")
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "oauth_access_tokens_client_id_fkey" {
    columns     = [column.client_id]
    ref_columns = [table.oauth_clients.column.client_id]
    on_delete   = CASCADE
  }
  foreign_key "oauth_access_tokens_user_id_fkey" {
    columns     = [column.user_id]
    ref_columns = [table.users.column.id]
    on_delete   = CASCADE
  }
  index "oauth_access_tokens_token_hash_key" {
    unique  = true
    columns = [column.token_hash]
  }
  index "oauth_access_tokens_user_id_idx" {
    columns = [column.user_id]
  }
  index "oauth_access_tokens_client_id_idx" {
    columns = [column.client_id]
  }
  index "oauth_access_tokens_expires_at_idx" {
    columns = [column.expires_at]
    where   = "NOT revoked"
  }
}

table "oauth_refresh_tokens" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "token_hash" {
    type = text
  }
  column "access_token_id" {
    type = text
    null = true
  }
  column "client_id" {
    type = text
  }
  column "user_id" {
    type = text
  }
  column "expires_at" {
    type = timestamptz
  }
  column "revoked" {
    type    = boolean
    default = false
  }
  column "created_at" {
    type    = timestamptz
    default = sql("now()")
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "oauth_refresh_tokens_access_token_id_fkey" {
    columns     = [column.access_token_id]
    ref_columns = [table.oauth_access_tokens.column.id]
    on_delete   = CASCADE
  }
  foreign_key "oauth_refresh_tokens_client_id_fkey" {
    columns     = [column.client_id]
    ref_columns = [table.oauth_clients.column.client_id]
    on_delete   = CASCADE
  }
  foreign_key "oauth_refresh_tokens_user_id_fkey" {
    columns     = [column.user_id]
    ref_columns = [table.users.column.id]
    on_delete   = CASCADE
  }
  index "oauth_refresh_tokens_token_hash_key" {
    unique  = true
    columns = [column.token_hash]
  }
  index "oauth_refresh_tokens_access_token_id_idx" {
    columns = [column.access_token_id]
  }
  index "oauth_refresh_tokens_user_id_idx" {
    columns = [column.user_id]
  }
  index "oauth_refresh_tokens_client_id_idx" {
    columns = [column.client_id]
  }
  index "oauth_refresh_tokens_expires_at_idx" {
    columns = [column.expires_at]
    where   = "NOT revoked"
  }
}
