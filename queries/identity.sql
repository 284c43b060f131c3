-- IdentitySequencesReset moves the sequence of every identity column past
-- the largest id of its table, so inserts without an id do not collide with
-- rows inserted with explicit ids. A sequence never moves backwards: it also
-- stays past the last value it handed out, including to inserts not yet
-- committed. Returns the id each table's next insert gets. Keep the list in
-- step with the identity columns of the schema
-- (TestIdentitySequencesResetCoversEveryIdentity).
-- name: IdentitySequencesReset :one
SELECT setval(pg_get_serial_sequence('audit_logs', 'id'),
              greatest((SELECT max(id) FROM audit_logs),
                       pg_sequence_last_value(pg_get_serial_sequence('audit_logs', 'id')::regclass),
                       0) + 1,
              false) AS audit_logs_next_id;
