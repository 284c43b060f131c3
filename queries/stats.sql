-- StatsListTables reports each table's size (heap with TOAST, indexes, total, in
-- bytes), live and dead tuples, scans, last (auto)vacuum and (auto)analyze,
-- and buffer hits and reads, from the cumulative statistics views (counted
-- since the last statistics reset). Only the public schema, stackdb's own,
-- unless include_all adds every other user schema (atlas_schema_revisions,
-- plugin_*). pg_catalog is named because sqlc resolves unqualified names in
-- public only.
-- name: StatsListTables :many
SELECT t.schemaname::text                     AS schema_name,
       t.relname::text                        AS table_name,
       pg_table_size(t.relid)                 AS table_bytes,
       pg_indexes_size(t.relid)               AS index_bytes,
       pg_total_relation_size(t.relid)        AS total_bytes,
       coalesce(t.n_live_tup, 0)::bigint      AS live_tuples,
       coalesce(t.n_dead_tup, 0)::bigint      AS dead_tuples,
       coalesce(t.seq_scan, 0)::bigint        AS seq_scans,
       coalesce(t.idx_scan, 0)::bigint        AS index_scans,
       t.last_vacuum,
       t.last_autovacuum,
       t.last_analyze,
       t.last_autoanalyze,
       coalesce(io.heap_blks_hit, 0)::bigint  AS heap_blocks_hit,
       coalesce(io.heap_blks_read, 0)::bigint AS heap_blocks_read
FROM pg_catalog.pg_stat_user_tables t
JOIN pg_catalog.pg_statio_user_tables io ON io.relid = t.relid
WHERE t.schemaname = 'public' OR @include_all::boolean
ORDER BY total_bytes DESC, schema_name, table_name;

-- StatsListIndexes reports each index's size and scans, in the same schemas as
-- StatsListTables. An index is unused when it was never scanned and enforces no
-- constraint (primary key, unique, exclusion): dropping it changes no
-- behaviour, only the plans that never chose it.
-- name: StatsListIndexes :many
SELECT s.schemaname::text                     AS schema_name,
       s.relname::text                        AS table_name,
       s.indexrelname::text                   AS index_name,
       pg_relation_size(s.indexrelid)         AS index_bytes,
       coalesce(s.idx_scan, 0)::bigint        AS index_scans,
       coalesce(s.idx_tup_read, 0)::bigint    AS tuples_read,
       coalesce(s.idx_tup_fetch, 0)::bigint   AS tuples_fetched,
       i.indisprimary                         AS is_primary,
       i.indisunique                          AS is_unique,
       (coalesce(s.idx_scan, 0) = 0 AND NOT i.indisunique AND NOT i.indisexclusion)::boolean AS unused
FROM pg_catalog.pg_stat_user_indexes s
JOIN pg_catalog.pg_index i ON i.indexrelid = s.indexrelid
WHERE s.schemaname = 'public' OR @include_all::boolean
ORDER BY schema_name, table_name, index_name;

-- StatsGetResetTime is when this database's statistics counters were last reset
-- (nil: never since the cluster was created), the start of the window the
-- scan and tuple counters cover.
-- name: StatsGetResetTime :one
SELECT stats_reset FROM pg_catalog.pg_stat_database WHERE datname = current_database();
