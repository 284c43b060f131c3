-- The command queue: the backend inserts, the satellite claims (polls) and
-- reports results. Claimed commands are acknowledged in the same statement,
-- so a second poller never receives them; SatelliteCommandRetryStale puts
-- commands whose satellite went silent back in the queue.

-- name: SatelliteCommandInsert :one
INSERT INTO satellite_commands (id, satellite_id, command_type, priority, payload, target_team_id, correlation_id,
                                created_by)
VALUES (@id, @satellite_id, @command_type, @priority, @payload, sqlc.narg('target_team_id'),
        sqlc.narg('correlation_id'), sqlc.narg('created_by'))
RETURNING *;

-- SatelliteCommandInsertManyGlobal queues one command for every active
-- global satellite in one statement (createCommandForAllGlobalSatellites);
-- ids are generated here.
-- name: SatelliteCommandInsertManyGlobal :many
INSERT INTO satellite_commands (id, satellite_id, command_type, priority, payload, target_team_id, correlation_id,
                                created_by)
SELECT gen_random_uuid()::text, s.id, @command_type, @priority, @payload, sqlc.narg('target_team_id'),
       sqlc.narg('correlation_id'), sqlc.narg('created_by')
FROM satellites s
WHERE s.satellite_type = 'global' AND s.status = 'active'
RETURNING *;

-- SatelliteCommandInsertManyByTeam queues one command for every active
-- satellite of a team (createCommandForTeamSatellites).
-- name: SatelliteCommandInsertManyByTeam :many
INSERT INTO satellite_commands (id, satellite_id, command_type, priority, payload, target_team_id, correlation_id,
                                created_by)
SELECT gen_random_uuid()::text, s.id, @command_type, @priority, @payload, s.team_id,
       sqlc.narg('correlation_id'), sqlc.narg('created_by')
FROM satellites s
WHERE s.team_id = @team_id::text AND s.status = 'active'
RETURNING *;

-- SatelliteCommandClaim is the satellite's poll: up to max_commands of its
-- pending commands, immediate > high > normal > low, oldest first, set to
-- acknowledged and returned in that order. Commands another poller holds
-- are skipped (SKIP LOCKED), never returned twice. A satellite that is not
-- active gets none, as in DeployStack. One statement on
-- satellite_commands_pending_idx, where DeployStack reads the satellite and
-- then the commands.
-- name: SatelliteCommandClaim :many
WITH claimable AS (
    SELECT c.id
    FROM satellite_commands c
    WHERE c.satellite_id = @satellite_id
      AND c.status = 'pending'
      AND EXISTS (SELECT 1 FROM satellites s WHERE s.id = c.satellite_id AND s.status = 'active')
    ORDER BY c.priority, c.created_at, c.id
    LIMIT @max_commands
    FOR UPDATE OF c SKIP LOCKED
),
claimed AS (
    UPDATE satellite_commands c
    SET status = 'acknowledged', updated_at = now()
    FROM claimable
    WHERE c.id = claimable.id
    RETURNING c.*
)
SELECT * FROM claimed ORDER BY priority, created_at, id;

-- SatelliteCommandAck records the satellite's "acknowledged" report; it is
-- idempotent (a claimed command is already acknowledged). A command of
-- another satellite, or one already executing or finished, is ErrNotFound.
-- name: SatelliteCommandAck :one
UPDATE satellite_commands
SET status = 'acknowledged', updated_at = now()
WHERE id = @id AND satellite_id = @satellite_id AND status IN ('pending', 'acknowledged')
RETURNING *;

-- SatelliteCommandUpdateExecuting records the "executing" report.
-- name: SatelliteCommandUpdateExecuting :one
UPDATE satellite_commands
SET status = 'executing', updated_at = now()
WHERE id = @id AND satellite_id = @satellite_id AND status IN ('pending', 'acknowledged', 'executing')
RETURNING *;

-- SatelliteCommandComplete records success and its result. A finished
-- command stays finished (ErrNotFound), where DeployStack overwrites it.
-- name: SatelliteCommandComplete :one
UPDATE satellite_commands
SET status = 'completed', result = coalesce(sqlc.narg('result'), result), updated_at = now()
WHERE id = @id AND satellite_id = @satellite_id AND status IN ('pending', 'acknowledged', 'executing')
RETURNING *;

-- SatelliteCommandFail records failure with its error and optional result.
-- name: SatelliteCommandFail :one
UPDATE satellite_commands
SET status        = 'failed',
    error_message = coalesce(sqlc.narg('error_message'), error_message),
    result        = coalesce(sqlc.narg('result'), result),
    updated_at    = now()
WHERE id = @id AND satellite_id = @satellite_id AND status IN ('pending', 'acknowledged', 'executing')
RETURNING *;

-- SatelliteCommandRetryStale handles commands claimed (acknowledged or
-- executing) but not reported on since stale_before: back to pending with
-- retry_count + 1 while retry_count < max_retries, otherwise failed. It
-- returns the commands it changed.
-- name: SatelliteCommandRetryStale :many
UPDATE satellite_commands
SET status        = CASE WHEN retry_count < max_retries THEN 'pending' ELSE 'failed' END::command_status,
    retry_count   = CASE WHEN retry_count < max_retries THEN retry_count + 1 ELSE retry_count END,
    error_message = CASE WHEN retry_count < max_retries THEN error_message
                         ELSE 'no result after ' || (retry_count + 1) || ' attempts' END,
    updated_at    = now()
WHERE status IN ('acknowledged', 'executing') AND updated_at < @stale_before
RETURNING *;

-- name: SatelliteCommandGetByID :one
SELECT * FROM satellite_commands WHERE id = @id;

-- SatelliteCommandListBySatellitePage is a page of a satellite's commands,
-- newest first (manage/commands).
-- name: SatelliteCommandListBySatellitePage :many
SELECT * FROM satellite_commands
WHERE satellite_id = @satellite_id
ORDER BY created_at DESC, id DESC
LIMIT @max_rows OFFSET @skip_rows;

-- name: SatelliteCommandCountBySatellite :one
SELECT count(*) FROM satellite_commands WHERE satellite_id = @satellite_id;

-- SatelliteCommandListByCorrelation lists the commands of one fan-out.
-- name: SatelliteCommandListByCorrelation :many
SELECT * FROM satellite_commands WHERE correlation_id = @correlation_id::text ORDER BY satellite_id, id;
