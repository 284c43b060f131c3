-- AuditLogInsert adds an entry; id comes from the identity. created_at
-- defaults to now(); pass it only to keep the original time (imports).
-- name: AuditLogInsert :one
INSERT INTO audit_logs (actor_user_id, team_id, action, target_type, target_id, ip_address, user_agent, metadata, created_at)
VALUES (sqlc.narg('actor_user_id'), sqlc.narg('team_id'), @action, sqlc.narg('target_type'), sqlc.narg('target_id'),
        sqlc.narg('ip_address'), sqlc.narg('user_agent'), sqlc.narg('metadata')::jsonb,
        coalesce(sqlc.narg('created_at')::timestamptz, now()))
RETURNING *;

-- AuditLogListByTeamPage returns one page of a team's entries created in
-- [created_from, created_to), newest first (created_at DESC, id DESC). The
-- first page has a nil cursor; the next page passes the created_at and id of
-- the previous page's last row. The cursor is one row comparison, so the
-- whole keyset condition is an index condition on
-- audit_logs_team_id_created_at_idx: no page rescans the rows before it.
-- name: AuditLogListByTeamPage :many
SELECT * FROM audit_logs
WHERE team_id = @team_id::text
  AND created_at >= @created_from
  AND created_at < @created_to
  AND (created_at, id) < (coalesce(sqlc.narg('cursor_created_at')::timestamptz, 'infinity'),
                          coalesce(sqlc.narg('cursor_id')::bigint, 9223372036854775807))
ORDER BY created_at DESC, id DESC
LIMIT @max_rows;

-- AuditLogListByActorPage is AuditLogListByTeamPage for the entries of one actor
-- (audit_logs_actor_user_id_created_at_idx).
-- name: AuditLogListByActorPage :many
SELECT * FROM audit_logs
WHERE actor_user_id = @actor_user_id::text
  AND created_at >= @created_from
  AND created_at < @created_to
  AND (created_at, id) < (coalesce(sqlc.narg('cursor_created_at')::timestamptz, 'infinity'),
                          coalesce(sqlc.narg('cursor_id')::bigint, 9223372036854775807))
ORDER BY created_at DESC, id DESC
LIMIT @max_rows;

-- AuditLogDeleteOlderThan is the retention sweep (BRIN index on created_at).
-- name: AuditLogDeleteOlderThan :execrows
DELETE FROM audit_logs WHERE created_at < @before;
