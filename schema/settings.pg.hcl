// Global settings and their groups, team cloud credentials, deployment credentials and settings (settings.ts).
// Generated once from DeployStack's real model; edit by hand from here on.

// DeployStack: globalSettingGroups.
table "global_setting_groups" {
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
  column "icon" {
    type = text
    null = true
  }
  column "sort_order" {
    type    = integer
    default = 0
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
}

// DeployStack: globalSettings.
table "global_settings" {
  schema = schema.public
  column "key" {
    type = text
  }
  column "name" {
    type = text
    null = true
  }
  column "value" {
    type = text
  }
  column "type" {
    type    = text
    default = "string"
  }
  column "description" {
    type = text
    null = true
  }
  column "is_encrypted" {
    type    = boolean
    default = false
  }
  column "group_id" {
    type = text
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
    columns = [column.key]
  }
  foreign_key "global_settings_group_id_fkey" {
    columns     = [column.group_id]
    ref_columns = [table.global_setting_groups.column.id]
    on_delete   = NO_ACTION
  }
}

// DeployStack: teamCloudCredentials.
table "team_cloud_credentials" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "team_id" {
    type = text
  }
  column "provider_id" {
    type = text
  }
  column "name" {
    type = text
  }
  column "comment" {
    type = text
    null = true
  }
  // Encrypted JSON: opaque ciphertext, kept as text.
  column "credentials" {
    type = text
  }
  column "created_by" {
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
  foreign_key "team_cloud_credentials_team_id_fkey" {
    columns     = [column.team_id]
    ref_columns = [table.teams.column.id]
    on_delete   = CASCADE
  }
  foreign_key "team_cloud_credentials_created_by_fkey" {
    columns     = [column.created_by]
    ref_columns = [table.users.column.id]
    on_delete   = NO_ACTION
  }
  // The values DeployStack documents for provider_id.
  check "team_cloud_credentials_provider_id_check" {
    expr = "provider_id IN ('render', 'aws')"
  }
  // stackdb: TeamCloudCredentialListByTeam and the cascade from teams.
  index "team_cloud_credentials_team_id_idx" {
    columns = [column.team_id]
  }
}

// DeployStack: deploymentCredentials.
table "deployment_credentials" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "team_id" {
    type = text
  }
  column "source" {
    type = text
  }
  column "auth_type" {
    type    = text
    default = "oauth"
  }
  column "access_token_encrypted" {
    type = text
    null = true
  }
  column "refresh_token_encrypted" {
    type = text
    null = true
  }
  column "installation_id" {
    type = text
    null = true
  }
  column "account_login" {
    type = text
    null = true
  }
  column "account_id" {
    type = text
    null = true
  }
  column "scopes" {
    type = sql("text[]")
    null = true
  }
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
    columns = [column.id]
  }
  foreign_key "deployment_credentials_team_id_fkey" {
    columns     = [column.team_id]
    ref_columns = [table.teams.column.id]
    on_delete   = CASCADE
  }
  index "deployment_credentials_team_id_source_key" {
    unique  = true
    columns = [column.team_id, column.source]
  }
  // The values DeployStack documents for source.
  check "deployment_credentials_source_check" {
    expr = "source IN ('github', 'gitlab', 'docker')"
  }
  // The values DeployStack documents for auth_type.
  check "deployment_credentials_auth_type_check" {
    expr = "auth_type IN ('oauth', 'installation')"
  }
}

// DeployStack: deploymentSettings.
table "deployment_settings" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "server_id" {
    type = text
  }
  column "auto_deploy_enabled" {
    type    = boolean
    default = true
  }
  column "webhook_id" {
    type = text
    null = true
  }
  column "webhook_secret" {
    type = text
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
    columns = [column.id]
  }
  foreign_key "deployment_settings_server_id_fkey" {
    columns     = [column.server_id]
    ref_columns = [table.mcp_servers.column.id]
    on_delete   = CASCADE
  }
  index "deployment_settings_server_id_key" {
    unique  = true
    columns = [column.server_id]
  }
}
