-- Processes are upserted by SatelliteUpdateHeartbeat (queries/heartbeat.sql)
-- and moved through their states by the satellite's events. Every update is
-- scoped to the reporting satellite, where DeployStack's events match the id
-- alone.

-- name: SatelliteProcessInsert :one
INSERT INTO satellite_processes (id, satellite_id, installation_id, server_name, team_id, status)
VALUES (@id, @satellite_id, sqlc.narg('installation_id'), @server_name, @team_id, @status)
RETURNING *;

-- name: SatelliteProcessGetByID :one
SELECT * FROM satellite_processes WHERE id = @id;

-- SatelliteProcessListBySatellite lists a satellite's processes, all or
-- those in status.
-- name: SatelliteProcessListBySatellite :many
SELECT * FROM satellite_processes
WHERE satellite_id = @satellite_id
  AND (sqlc.narg('status')::process_status IS NULL OR status = sqlc.narg('status')::process_status)
ORDER BY server_name, id;

-- SatelliteProcessListByTeam lists a team's processes, all or those in
-- status.
-- name: SatelliteProcessListByTeam :many
SELECT * FROM satellite_processes
WHERE team_id = @team_id
  AND (sqlc.narg('status')::process_status IS NULL OR status = sqlc.narg('status')::process_status)
ORDER BY server_name, id;

-- SatelliteProcessUpdateRunning records mcp.server.started / respawned /
-- restarted: running and healthy with the new pid, started now, any old
-- error cleared.
-- name: SatelliteProcessUpdateRunning :one
UPDATE satellite_processes
SET status        = 'running',
    health_status = 'healthy',
    process_pid   = sqlc.narg('process_pid'),
    local_port    = coalesce(sqlc.narg('local_port'), local_port),
    started_at    = @started_at,
    error_message = NULL,
    updated_at    = now()
WHERE id = @id AND satellite_id = @satellite_id
RETURNING *;

-- SatelliteProcessUpdateStopped records mcp.server.dormant: stopped,
-- health unknown.
-- name: SatelliteProcessUpdateStopped :one
UPDATE satellite_processes
SET status = 'stopped', health_status = 'unknown', stopped_at = @stopped_at, updated_at = now()
WHERE id = @id AND satellite_id = @satellite_id
RETURNING *;

-- SatelliteProcessFail records mcp.server.crashed: failed and unhealthy,
-- with the error.
-- name: SatelliteProcessFail :one
UPDATE satellite_processes
SET status        = 'failed',
    health_status = 'unhealthy',
    error_message = @error_message,
    stopped_at    = @stopped_at,
    updated_at    = now()
WHERE id = @id AND satellite_id = @satellite_id
RETURNING *;

-- SatelliteProcessDeleteByTeam removes a team's processes (user deletion).
-- name: SatelliteProcessDeleteByTeam :execrows
DELETE FROM satellite_processes WHERE team_id = @team_id;
