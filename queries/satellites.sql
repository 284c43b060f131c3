-- SatelliteRegister creates a satellite; it starts 'inactive' until its
-- first heartbeat.
-- name: SatelliteRegister :one
INSERT INTO satellites (id, name, satellite_type, team_id, satellite_url, region, version, system_info, created_by)
VALUES (@id, @name, @satellite_type, sqlc.narg('team_id'), @satellite_url, sqlc.narg('region'), sqlc.narg('version'),
        sqlc.narg('system_info')::jsonb, @created_by)
RETURNING *;

-- name: SatelliteGetByID :one
SELECT * FROM satellites WHERE id = @id;

-- SatelliteListActive lists active satellites, most recent heartbeat first;
-- it reads the partial index satellites_active_idx.
-- name: SatelliteListActive :many
SELECT * FROM satellites
WHERE status = 'active'
ORDER BY last_heartbeat DESC, id;

-- SatelliteRecordHeartbeat stores a heartbeat and, in the same statement,
-- sets the satellite's last_heartbeat (= the heartbeat's created_at), status,
-- version (when given) and updated_at; it returns the heartbeat. For an
-- unknown satellite nothing is written and the result is ErrNotFound.
-- name: SatelliteRecordHeartbeat :one
WITH sat AS (
    UPDATE satellites
    SET last_heartbeat = now(),
        status         = @status,
        version        = coalesce(sqlc.narg('version')::text, version),
        updated_at     = now()
    WHERE satellites.id = @satellite_id
    RETURNING satellites.id, satellites.last_heartbeat
)
INSERT INTO satellite_heartbeats (id, satellite_id, status, system_metrics, process_count, error_count, version, created_at)
SELECT @id, sat.id, @status, @system_metrics::jsonb, @process_count::int, @error_count::int, sqlc.narg('version')::text,
       sat.last_heartbeat
FROM sat
RETURNING *;

-- SatelliteMarkStaleInactive sets active satellites whose last heartbeat is
-- older than stale_seconds (or that never sent one) to 'inactive' and
-- returns how many it changed. Other statuses are left alone.
-- name: SatelliteMarkStaleInactive :execrows
UPDATE satellites
SET status = 'inactive', updated_at = now()
WHERE status = 'active'
  AND (last_heartbeat IS NULL OR last_heartbeat < now() - make_interval(secs => @stale_seconds::int));

-- name: SatelliteDelete :execrows
DELETE FROM satellites WHERE id = @id;
