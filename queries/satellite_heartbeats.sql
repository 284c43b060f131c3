-- Heartbeats are written by SatelliteUpdateHeartbeat (queries/heartbeat.sql).

-- SatelliteHeartbeatGetLatestBySatellite is the satellite's newest
-- heartbeat (the status page's system metrics): one probe of
-- satellite_heartbeats_satellite_timestamp_idx.
-- name: SatelliteHeartbeatGetLatestBySatellite :one
SELECT * FROM satellite_heartbeats
WHERE satellite_id = @satellite_id
ORDER BY "timestamp" DESC, id DESC
LIMIT 1;

-- SatelliteHeartbeatListLatest is the newest heartbeat of every satellite
-- that has one, one index probe per satellite.
-- name: SatelliteHeartbeatListLatest :many
SELECT h.*
FROM satellites s
CROSS JOIN LATERAL (
    SELECT * FROM satellite_heartbeats
    WHERE satellite_heartbeats.satellite_id = s.id
    ORDER BY satellite_heartbeats."timestamp" DESC, satellite_heartbeats.id DESC
    LIMIT 1
) h
ORDER BY s.id;

-- SatelliteHeartbeatListBySatellitePage is a page of a satellite's
-- heartbeats, newest first (manage/heartbeats).
-- name: SatelliteHeartbeatListBySatellitePage :many
SELECT * FROM satellite_heartbeats
WHERE satellite_id = @satellite_id
ORDER BY "timestamp" DESC, id DESC
LIMIT @max_rows OFFSET @skip_rows;

-- name: SatelliteHeartbeatCountBySatellite :one
SELECT count(*) FROM satellite_heartbeats WHERE satellite_id = @satellite_id;

-- SatelliteHeartbeatDeleteBeyondLimit is the retention sweep: it keeps the
-- newest global_keep heartbeats of each global satellite and team_keep of
-- each team satellite, in one statement. Per satellite, one index probe
-- finds the oldest heartbeat to keep, and an index range below it is
-- deleted; DeployStack counts and windows each satellite separately.
-- name: SatelliteHeartbeatDeleteBeyondLimit :execrows
DELETE FROM satellite_heartbeats h
USING satellites s
CROSS JOIN LATERAL (
    SELECT k."timestamp", k.id
    FROM satellite_heartbeats k
    WHERE k.satellite_id = s.id
    ORDER BY k."timestamp" DESC, k.id DESC
    OFFSET (CASE WHEN s.satellite_type = 'global' THEN @global_keep::int ELSE @team_keep::int END) - 1
    LIMIT 1
) oldest
WHERE h.satellite_id = s.id
  AND (h."timestamp" < oldest."timestamp" OR (h."timestamp" = oldest."timestamp" AND h.id < oldest.id));
