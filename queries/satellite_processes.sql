-- SatelliteProcessStart records a new process in 'starting'. From there each
-- transition is one UPDATE guarded by the states it may leave; it reports
-- rows affected, so 0 means the process is missing or the move is illegal,
-- and nothing changed:
--
--   starting -> running                       SatelliteProcessMarkRunning
--   starting | running -> stopping            SatelliteProcessMarkStopping
--   stopping -> stopped                       SatelliteProcessMarkStopped
--   starting | running -> crashed             SatelliteProcessMarkCrashed
--   crashed | stopped -> starting             SatelliteProcessRestart
-- name: SatelliteProcessStart :one
INSERT INTO satellite_processes (id, satellite_id, installation_id, team_id, process_id, status, started_at)
VALUES (@id, @satellite_id, @installation_id, @team_id, @process_id, 'starting', now())
RETURNING *;

-- name: SatelliteProcessGetByID :one
SELECT * FROM satellite_processes WHERE id = @id;

-- name: SatelliteProcessMarkRunning :execrows
UPDATE satellite_processes
SET status = 'running', updated_at = now()
WHERE id = @id AND status = 'starting';

-- name: SatelliteProcessMarkStopping :execrows
UPDATE satellite_processes
SET status = 'stopping', updated_at = now()
WHERE id = @id AND status IN ('starting', 'running');

-- name: SatelliteProcessMarkStopped :execrows
UPDATE satellite_processes
SET status = 'stopped', stopped_at = now(), updated_at = now()
WHERE id = @id AND status = 'stopping';

-- name: SatelliteProcessMarkCrashed :execrows
UPDATE satellite_processes
SET status = 'crashed', error_message = @error_message::text, stopped_at = now(), updated_at = now()
WHERE id = @id AND status IN ('starting', 'running');

-- SatelliteProcessRestart starts a crashed or stopped process again: it
-- counts the restart, clears stopped_at, error_message and health_status,
-- restarts started_at and takes the new process_id when given.
-- name: SatelliteProcessRestart :execrows
UPDATE satellite_processes
SET status        = 'starting',
    restart_count = restart_count + 1,
    process_id    = coalesce(sqlc.narg('process_id'), process_id),
    started_at    = now(),
    stopped_at    = NULL,
    error_message = NULL,
    health_status = NULL,
    updated_at    = now()
WHERE id = @id AND status IN ('crashed', 'stopped');

-- SatelliteProcessListRunningBySatellite reads
-- satellite_processes_satellite_id_status_idx.
-- name: SatelliteProcessListRunningBySatellite :many
SELECT * FROM satellite_processes
WHERE satellite_id = @satellite_id AND status = 'running'
ORDER BY started_at, id;

-- name: SatelliteProcessGetRestartCount :one
SELECT restart_count FROM satellite_processes WHERE id = @id;

-- SatelliteProcessSumRestartsByInstallation totals the restarts of all of an
-- installation's processes (0 when it has none).
-- name: SatelliteProcessSumRestartsByInstallation :one
SELECT coalesce(sum(restart_count), 0)::bigint AS restarts
FROM satellite_processes
WHERE installation_id = @installation_id;

-- SatelliteProcessUpdateHealth sets health_status ('healthy', 'unhealthy' or
-- 'unknown'; anything else is a check violation).
-- name: SatelliteProcessUpdateHealth :execrows
UPDATE satellite_processes
SET health_status = @health_status::text, updated_at = now()
WHERE id = @id;
