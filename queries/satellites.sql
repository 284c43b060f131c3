-- SatelliteInsert registers a new satellite (POST /api/satellites/register).
-- It starts inactive until an admin activates it, as in DeployStack.
-- api_key_prefix is the public part of the new API key (see
-- SatelliteGetByAPIKeyPrefix).
-- name: SatelliteInsert :one
INSERT INTO satellites (id, name, satellite_type, team_id, status, capabilities, api_key_hash, api_key_prefix,
                        system_info, config, created_by)
VALUES (@id, @name, @satellite_type, sqlc.narg('team_id'), 'inactive', @capabilities, @api_key_hash,
        sqlc.narg('api_key_prefix'), sqlc.narg('system_info'), '{}'::jsonb, @created_by)
RETURNING *;

-- SatelliteUpdateRegistration re-registers an existing satellite (one of
-- the same name, with a new token): new scope, capabilities and API key,
-- back to inactive.
-- name: SatelliteUpdateRegistration :one
UPDATE satellites
SET satellite_type = @satellite_type,
    team_id        = sqlc.narg('team_id'),
    status         = 'inactive',
    capabilities   = @capabilities,
    api_key_hash   = @api_key_hash,
    api_key_prefix = sqlc.narg('api_key_prefix'),
    system_info    = sqlc.narg('system_info'),
    updated_at     = now()
WHERE id = @id
RETURNING *;

-- name: SatelliteGetByID :one
SELECT * FROM satellites WHERE id = @id;

-- SatelliteGetByName finds the satellite a registration re-registers;
-- names are not unique in DeployStack, so it takes the oldest.
-- name: SatelliteGetByName :one
SELECT * FROM satellites WHERE name = @name ORDER BY created_at, id LIMIT 1;

-- SatelliteGetByAPIKeyPrefix is satellite authentication in one index probe
-- (satellites_api_key_prefix_key); the caller then argon2-verifies the one
-- api_key_hash it returns. DeployStack instead reads every satellite and
-- verifies each hash until one matches.
--
-- What the application changes: the API key becomes
-- "deploystack_satellite_api_<type>_<key id>.<secret>" (nanoid has no "."),
-- registration stores api_key_prefix = the key up to its last "." and the
-- hash of the whole key, and authentication looks the prefix up here. A key
-- without "." is an old one: verify it against SatelliteListWithoutAPIKeyPrefix
-- until the satellite re-registers.
-- name: SatelliteGetByAPIKeyPrefix :one
SELECT * FROM satellites WHERE api_key_prefix = @api_key_prefix::text;

-- SatelliteListWithoutAPIKeyPrefix is the fallback scan for old API keys:
-- only the satellites registered before api_key_prefix existed.
-- name: SatelliteListWithoutAPIKeyPrefix :many
SELECT id, name, satellite_type, team_id, status, api_key_hash
FROM satellites
WHERE api_key_prefix IS NULL
ORDER BY id;

-- SatelliteGetByIDWithStatus is the status page (GET
-- /api/satellites/:id/status) in one statement: the satellite, its process
-- counts and the system metrics of its newest heartbeat; DeployStack makes
-- three queries.
-- name: SatelliteGetByIDWithStatus :one
SELECT s.id, s.name, s.status, s.last_heartbeat,
       (SELECT count(*) FROM satellite_processes p WHERE p.satellite_id = s.id) AS process_count,
       (SELECT count(*) FROM satellite_processes p WHERE p.satellite_id = s.id AND p.health_status = 'healthy')
           AS healthy_process_count,
       (SELECT h.system_metrics FROM satellite_heartbeats h WHERE h.satellite_id = s.id
        ORDER BY h."timestamp" DESC, h.id DESC LIMIT 1) AS system_metrics
FROM satellites s
WHERE s.id = @id;

-- name: SatelliteListGlobal :many
SELECT * FROM satellites WHERE satellite_type = 'global' ORDER BY created_at, id;

-- name: SatelliteListByTeam :many
SELECT * FROM satellites WHERE team_id = @team_id::text ORDER BY created_at, id;

-- SatelliteUpdate changes what an admin may edit (manage/update); nil
-- leaves a field as it is.
-- name: SatelliteUpdate :one
UPDATE satellites
SET name          = coalesce(sqlc.narg('name'), name),
    region        = coalesce(sqlc.narg('region'), region),
    satellite_url = coalesce(sqlc.narg('satellite_url'), satellite_url),
    config        = coalesce(sqlc.narg('config'), config),
    updated_at    = now()
WHERE id = @id
RETURNING *;

-- SatelliteUpdateStatus sets the status (manage/status: an admin activates
-- a new satellite or puts it in maintenance).
-- name: SatelliteUpdateStatus :one
UPDATE satellites SET status = @status, updated_at = now() WHERE id = @id RETURNING *;

-- name: SatelliteDelete :execrows
DELETE FROM satellites WHERE id = @id;
