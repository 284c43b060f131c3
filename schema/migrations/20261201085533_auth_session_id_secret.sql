-- Set comment to column: "id" on table: "sessions"
COMMENT ON COLUMN "sessions"."id" IS 'secret: the session token the cookie carries';
