-- Create index "email_verification_tokens_user_id_idx" to table: "email_verification_tokens"
CREATE INDEX "email_verification_tokens_user_id_idx" ON "email_verification_tokens" ("user_id");
-- Create index "password_reset_tokens_user_id_idx" to table: "password_reset_tokens"
CREATE INDEX "password_reset_tokens_user_id_idx" ON "password_reset_tokens" ("user_id");
-- Create index "sessions_expires_at_idx" to table: "sessions"
CREATE INDEX "sessions_expires_at_idx" ON "sessions" ("expires_at");
-- Create index "sessions_user_id_idx" to table: "sessions"
CREATE INDEX "sessions_user_id_idx" ON "sessions" ("user_id");
-- Create index "team_cloud_credentials_team_id_idx" to table: "team_cloud_credentials"
CREATE INDEX "team_cloud_credentials_team_id_idx" ON "team_cloud_credentials" ("team_id");
-- Create index "team_members_team_id_user_id_idx" to table: "team_members"
CREATE INDEX "team_members_team_id_user_id_idx" ON "team_members" ("team_id", "user_id");
-- Create index "team_members_user_id_idx" to table: "team_members"
CREATE INDEX "team_members_user_id_idx" ON "team_members" ("user_id");
-- Create index "teams_owner_id_idx" to table: "teams"
CREATE INDEX "teams_owner_id_idx" ON "teams" ("owner_id");
-- Create index "users_lower_email_idx" to table: "users"
CREATE INDEX "users_lower_email_idx" ON "users" ((lower(email)));
-- Create index "users_username_idx" to table: "users"
CREATE INDEX "users_username_idx" ON "users" ("username");
