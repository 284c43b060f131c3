// The one Postgres schema stackdb manages. Every table lives here; migration
// files carry no schema qualifier (the dev database is bound to "public").
schema "public" {
  comment = "standard public schema"
}
