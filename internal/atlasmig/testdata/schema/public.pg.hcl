// The fixture schema of the diff tests: small, and independent of the
// project's schema/ so that changing the project's schema never changes
// what these tests expect.
schema "public" {
  comment = "standard public schema"
}
