-- Run after every migration: the application role may read and write rows, nothing more.
GRANT USAGE ON SCHEMA public TO peil_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO peil_app;
REVOKE UPDATE, DELETE ON audit_events FROM peil_app;
REVOKE UPDATE, DELETE ON system_audit_events FROM peil_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO peil_app;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO peil_app;
-- OBLIGATIONS LOG-3: the chain's signed checkpoints and verification results are append-only for the
-- application; the head row is moved forward by audit(), never removed. Pruning (LOG-4) and
-- re-signing after a master key rotation run on the owner connection.
REVOKE UPDATE, DELETE ON audit_checkpoints, audit_verifications FROM peil_app;
REVOKE DELETE ON audit_heads FROM peil_app;
-- Backups and key rotations are recorded by operator commands on the owner connection.
REVOKE INSERT, UPDATE, DELETE ON backups, master_key_rotations, audit_chain_backfill FROM peil_app;
