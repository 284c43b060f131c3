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

-- SatelliteUpdateHeartbeatMany records many heartbeats in one statement,
-- one round trip and one commit: what SatelliteUpdateHeartbeat run once per
-- heartbeat, in order, writes, but that every heartbeat of the batch has the
-- same now(). It is the statement of the heartbeat ingester
-- (stackdb.NewHeartbeatIngester), which builds the document.
--
-- heartbeats is a JSON array of SatelliteUpdateHeartbeat's parameters, one
-- object per heartbeat in the order they count: {"id", "satellite_id",
-- "status", "system_metrics", "error_count", "uptime_seconds", "version",
-- "satellite_url", "mcp_status", "processes"}; an absent key is NULL. A
-- satellite reported more than once is updated once, its url and mcp
-- status from its last heartbeat that sends them. A process reported in
-- several heartbeats is written once, as the sequence would leave it: an
-- existing one by its own satellite only, a new one owned by the first team
-- satellite that reports it (with that report's server name), the values of
-- its owner's last report. Heartbeats of unknown satellites write nothing;
-- the statement returns the positions (1-based) of the heartbeats written,
-- so a missing one is ErrNotFound. Any error writes nothing.
-- name: SatelliteUpdateHeartbeatMany :many
WITH hb AS (
    SELECT x.n, e ->> 'id' AS id, e ->> 'satellite_id' AS satellite_id,
           (e ->> 'status')::heartbeat_status AS status, e -> 'system_metrics' AS system_metrics,
           (e ->> 'error_count')::int AS error_count, (e ->> 'uptime_seconds')::int AS uptime_seconds,
           e ->> 'version' AS version, e ->> 'satellite_url' AS satellite_url, e -> 'mcp_status' AS mcp_status,
           coalesce(e -> 'processes', '[]'::jsonb) AS processes
    FROM jsonb_array_elements(@heartbeats::jsonb) WITH ORDINALITY AS x(e, n)
),
reported AS (
    SELECT DISTINCT ON (hb.n, p ->> 'id') hb.n, hb.satellite_id, p ->> 'id' AS id, p ->> 'server_name' AS server_name,
           (p ->> 'status')::process_status AS status,
           (p ->> 'health_status')::process_health_status AS health_status,
           nullif(p -> 'performance_metrics', 'null'::jsonb) AS performance_metrics
    FROM hb CROSS JOIN jsonb_array_elements(hb.processes) WITH ORDINALITY AS y(p, k)
    ORDER BY hb.n, p ->> 'id', y.k DESC
),
sat_in AS (
    SELECT hb.satellite_id,
           (array_agg(hb.satellite_url ORDER BY hb.n DESC) FILTER (WHERE hb.satellite_url IS NOT NULL))[1] AS satellite_url,
           (array_agg(hb.mcp_status ORDER BY hb.n DESC) FILTER (WHERE hb.mcp_status IS NOT NULL))[1] AS mcp_status
    FROM hb
    GROUP BY hb.satellite_id
    ORDER BY hb.satellite_id
),
sat AS (
    UPDATE satellites
    SET last_heartbeat = now(),
        status         = 'active',
        satellite_url  = coalesce(sat_in.satellite_url, satellites.satellite_url),
        mcp_status     = coalesce(sat_in.mcp_status, satellites.mcp_status),
        updated_at     = now()
    FROM sat_in
    WHERE satellites.id = sat_in.satellite_id
    RETURNING satellites.id, satellites.team_id
),
counts AS (
    SELECT reported.n, count(*) AS process_count,
           count(*) FILTER (WHERE reported.health_status = 'healthy') AS healthy_process_count
    FROM reported
    GROUP BY reported.n
),
ins AS (
    INSERT INTO satellite_heartbeats (id, satellite_id, status, system_metrics, process_count,
                                      healthy_process_count, error_count, uptime_seconds, version, "timestamp")
    SELECT hb.id, sat.id, hb.status, hb.system_metrics, coalesce(counts.process_count, 0),
           coalesce(counts.healthy_process_count, 0), hb.error_count, hb.uptime_seconds, hb.version, now()
    FROM hb
    JOIN sat ON sat.id = hb.satellite_id
    LEFT JOIN counts ON counts.n = hb.n
),
writable AS (
    SELECT r.n, r.id, r.satellite_id, r.server_name, r.status, r.health_status, r.performance_metrics,
           coalesce(sat.team_id, existing.team_id) AS team_id,
           coalesce(existing.satellite_id, first_value(r.satellite_id) OVER (PARTITION BY r.id ORDER BY r.n)) AS owner
    FROM reported r
    JOIN sat ON sat.id = r.satellite_id
    LEFT JOIN satellite_processes existing ON existing.id = r.id
    WHERE existing.id IS NOT NULL OR sat.team_id IS NOT NULL
),
written AS (
    SELECT DISTINCT ON (w.id) w.id, w.satellite_id, w.team_id, w.status, w.health_status, w.performance_metrics,
           first_value(w.server_name) OVER (PARTITION BY w.id ORDER BY w.n) AS server_name
    FROM writable w
    WHERE w.satellite_id = w.owner
    ORDER BY w.id, w.n DESC
),
procs AS (
    INSERT INTO satellite_processes AS sp (id, satellite_id, server_name, team_id, status, health_status,
                                           performance_metrics, created_at, updated_at)
    SELECT written.id, written.satellite_id, written.server_name, written.team_id, written.status,
           written.health_status, written.performance_metrics, now(), now()
    FROM written
    ORDER BY written.id
    ON CONFLICT (id) DO UPDATE
    SET status              = EXCLUDED.status,
        health_status       = EXCLUDED.health_status,
        performance_metrics = EXCLUDED.performance_metrics,
        updated_at          = EXCLUDED.updated_at
    WHERE sp.satellite_id = EXCLUDED.satellite_id
)
SELECT hb.n::int AS position
FROM hb
JOIN sat ON sat.id = hb.satellite_id
ORDER BY hb.n;
