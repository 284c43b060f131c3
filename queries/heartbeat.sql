-- The satellite heartbeat (POST /api/satellites/:id/heartbeat): one
-- statement, so one round trip and one transaction, where DeployStack makes
-- 3 + 2 per reported process.

-- SatelliteUpdateHeartbeat records a heartbeat: it marks the satellite
-- active with last_heartbeat = now() (and satellite_url / mcp_status when
-- given), inserts the heartbeat row with the process counts derived from
-- processes, and upserts every reported process.
--
-- processes is the heartbeat body's "processes" array as sent, a JSON array
-- of {"id", "server_name", "status", "health_status", "performance_metrics"}
-- (NULL or [] for none); an unknown status is an error and nothing is
-- written. A process id that exists on another satellite is left alone (no
-- hijacking); a new process takes the satellite's team, and a new process on
-- a global satellite (which has no team) is skipped, where DeployStack fails
-- on the foreign key. A process id reported twice counts once (the last
-- report wins). processes_upserted says how many processes were written.
-- An unknown satellite writes nothing and is ErrNotFound.
-- name: SatelliteUpdateHeartbeat :one
WITH sat AS (
    UPDATE satellites
    SET last_heartbeat = now(),
        status         = 'active',
        satellite_url  = coalesce(sqlc.narg('satellite_url')::text, satellite_url),
        mcp_status     = coalesce(sqlc.narg('mcp_status')::jsonb, mcp_status),
        updated_at     = now()
    WHERE satellites.id = @satellite_id
    RETURNING satellites.id, satellites.team_id
),
reported AS (
    SELECT DISTINCT ON (e ->> 'id') e ->> 'id' AS id, e ->> 'server_name' AS server_name,
           (e ->> 'status')::process_status AS status,
           (e ->> 'health_status')::process_health_status AS health_status,
           nullif(e -> 'performance_metrics', 'null'::jsonb) AS performance_metrics
    FROM jsonb_array_elements(coalesce(sqlc.narg('processes')::jsonb, '[]'::jsonb)) WITH ORDINALITY AS x(e, n)
    ORDER BY e ->> 'id', n DESC
),
hb AS (
    INSERT INTO satellite_heartbeats (id, satellite_id, status, system_metrics, process_count,
                                      healthy_process_count, error_count, uptime_seconds, version, "timestamp")
    SELECT @id, sat.id, @status::heartbeat_status, @system_metrics::jsonb,
           (SELECT count(*) FROM reported),
           (SELECT count(*) FROM reported WHERE reported.health_status = 'healthy'),
           @error_count::int, sqlc.narg('uptime_seconds')::int, sqlc.narg('version')::text, now()
    FROM sat
    RETURNING *
),
procs AS (
    INSERT INTO satellite_processes AS sp (id, satellite_id, server_name, team_id, status, health_status,
                                           performance_metrics, created_at, updated_at)
    SELECT r.id, sat.id, r.server_name, coalesce(sat.team_id, existing.team_id), r.status, r.health_status,
           r.performance_metrics, now(), now()
    FROM reported r
    CROSS JOIN sat
    LEFT JOIN satellite_processes existing ON existing.id = r.id
    WHERE coalesce(sat.team_id, existing.team_id) IS NOT NULL
    ON CONFLICT (id) DO UPDATE
    SET status              = EXCLUDED.status,
        health_status       = EXCLUDED.health_status,
        performance_metrics = EXCLUDED.performance_metrics,
        updated_at          = EXCLUDED.updated_at
    WHERE sp.satellite_id = EXCLUDED.satellite_id
    RETURNING sp.id
)
SELECT hb.id, hb.satellite_id, hb.status, hb.system_metrics, hb.process_count, hb.healthy_process_count,
       hb.error_count, hb.response_time_ms, hb.uptime_seconds, hb.version, hb."timestamp",
       (SELECT count(*) FROM procs) AS processes_upserted
FROM hb;
