// Global settings and their groups (legacy globalSettingGroups,
// globalSettings).

enum "setting_type" {
  schema = schema.public
  values = ["string", "number", "boolean"]
}

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

table "global_settings" {
  schema = schema.public
  column "key" {
    type = text
  }
  // The value as text; type says how to read it. Encrypted values hold
  // ciphertext and are never logged.
  column "value" {
    type = text
  }
  column "type" {
    type    = enum.setting_type
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
  index "global_settings_group_id_idx" {
    columns = [column.group_id]
  }
}
