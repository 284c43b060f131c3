-- Heartbeats are written by SatelliteRecordHeartbeat (queries/satellites.sql),
-- which also updates the satellite.

-- SatelliteHeartbeatListLatest returns the newest heartbeat of every
-- satellite that has one (one row per satellite), one index probe of
-- satellite_heartbeats_satellite_id_created_at_idx per satellite.
-- name: SatelliteHeartbeatListLatest :many
SELECT h.id, h.satellite_id, h.status, h.system_metrics, h.process_count, h.error_count, h.version, h.created_at
FROM satellites s
CROSS JOIN LATERAL (
    SELECT *
    FROM satellite_heartbeats
    WHERE satellite_heartbeats.satellite_id = s.id
    ORDER BY satellite_heartbeats.created_at DESC, satellite_heartbeats.id DESC
    LIMIT 1
) h
ORDER BY s.id;

-- SatelliteHeartbeatListRecent returns a satellite's latest heartbeats,
-- newest first.
-- name: SatelliteHeartbeatListRecent :many
SELECT * FROM satellite_heartbeats
WHERE satellite_id = @satellite_id
ORDER BY created_at DESC, id DESC
LIMIT @max_rows;

-- SatelliteHeartbeatDeleteOlderThan is the retention sweep: heartbeats are
-- append-only and time-ordered, so the BRIN index on created_at finds the
-- old block ranges without a full scan.
-- name: SatelliteHeartbeatDeleteOlderThan :execrows
DELETE FROM satellite_heartbeats WHERE created_at < @before;
