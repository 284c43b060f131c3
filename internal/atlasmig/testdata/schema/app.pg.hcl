enum "user_kind" {
  schema = schema.public
  values = ["person", "robot"]
}

table "users" {
  schema = schema.public
  column "id" {
    type = text
  }
  column "email" {
    type = text
  }
  column "kind" {
    type    = enum.user_kind
    default = "person"
  }
  column "created_at" {
    type    = timestamptz
    default = sql("now()")
  }
  primary_key {
    columns = [column.id]
  }
  index "users_email_key" {
    unique  = true
    columns = [column.email]
  }
}

table "posts" {
  schema = schema.public
  column "id" {
    type = bigint
    identity {
      generated = ALWAYS
    }
  }
  column "user_id" {
    type = text
  }
  column "body" {
    type = text
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "posts_user_id_fkey" {
    columns     = [column.user_id]
    ref_columns = [table.users.column.id]
    on_delete   = CASCADE
  }
  index "posts_user_id_idx" {
    columns = [column.user_id]
  }
  check "posts_body_not_empty" {
    expr = "body <> ''"
  }
}
