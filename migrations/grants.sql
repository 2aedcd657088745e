-- Run after every migration: the application role may read and write rows, nothing more.
GRANT USAGE ON SCHEMA public TO peil_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO peil_app;
REVOKE UPDATE, DELETE ON audit_events FROM peil_app;
REVOKE UPDATE, DELETE ON system_audit_events FROM peil_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO peil_app;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO peil_app;
