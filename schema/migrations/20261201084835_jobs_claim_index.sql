-- atlas:txmode none

-- Create index "oauth_access_tokens_expires_at_idx" to table: "oauth_access_tokens"
CREATE INDEX CONCURRENTLY "oauth_access_tokens_expires_at_idx" ON "oauth_access_tokens" ("expires_at");
-- Create index "oauth_access_tokens_user_client_idx" to table: "oauth_access_tokens"
CREATE INDEX CONCURRENTLY "oauth_access_tokens_user_client_idx" ON "oauth_access_tokens" ("user_id", "client_id");
-- Create index "oauth_refresh_tokens_expires_at_idx" to table: "oauth_refresh_tokens"
CREATE INDEX CONCURRENTLY "oauth_refresh_tokens_expires_at_idx" ON "oauth_refresh_tokens" ("expires_at");
-- Create index "oauth_refresh_tokens_user_client_idx" to table: "oauth_refresh_tokens"
CREATE INDEX CONCURRENTLY "oauth_refresh_tokens_user_client_idx" ON "oauth_refresh_tokens" ("user_id", "client_id");
-- Create index "queue_jobs_claim_idx" to table: "queue_jobs"
CREATE INDEX CONCURRENTLY "queue_jobs_claim_idx" ON "queue_jobs" ("scheduled_for", "id") WHERE (status = 'pending'::job_status);
-- Create index "queue_jobs_processing_idx" to table: "queue_jobs"
CREATE INDEX CONCURRENTLY "queue_jobs_processing_idx" ON "queue_jobs" ("updated_at") WHERE (status = 'processing'::job_status);
