-- Run after every migration (lib/db/migrate.ts): what the application role peil_app may do, and nothing
-- more (OBLIGATIONS ACC-6, SEC-1). Every request and job runs as peil_app (Db.tenant, Db.global, ...),
-- on PostgreSQL on a connection that signs in as peil_app (end of this file), so these grants are what
-- a bug in a feature, or an injected statement, can do at most. Operator commands that change customers, keys or operators run on the owner connection
-- (Db.owner, Db.maintenance) instead.
--
-- Default: nothing. Everything is revoked first and granted again below, so this file alone says what
-- the role holds, and re-running it after a migration converges on exactly that.
GRANT USAGE ON SCHEMA public TO peil_app;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM peil_app;

-- ---------------------------------------------------------------- tenant tables
-- Rows are read and written only through row-level security, enabled and forced, with a policy on the
-- tenant column (src/lib/db/isolation.test.ts finds every such table and checks it). So: every table
-- whose row-level security is forced gets SELECT, INSERT, UPDATE, DELETE; a new table without it gets
-- nothing, and a feature that forgot its policy fails loudly instead of reading across customers.
DO $$
DECLARE t regclass;
BEGIN
  FOR t IN SELECT c.oid::regclass FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relrowsecurity AND c.relforcerowsecurity
  LOOP
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO peil_app', t);
  END LOOP;
END $$;

-- users: every column but password_hash. A hash is read only where a password is checked, through
-- peil_password_hash() (0010): for the email a sign-in names, or a user of the transaction's own
-- tenant re-entering a password. The column list is taken from the catalog, so a column added later
-- is readable unless it is named here.
REVOKE SELECT ON users FROM peil_app;
DO $$
BEGIN
  EXECUTE (SELECT format('GRANT SELECT (%s) ON users TO peil_app', string_agg(quote_ident(attname), ', ' ORDER BY attnum))
             FROM pg_attribute
            WHERE attrelid = 'public.users'::regclass AND attnum > 0 AND NOT attisdropped AND attname NOT IN ('password_hash'));
END $$;

-- OBLIGATIONS LOG-3: the audit log, the chain's signed checkpoints and verification results are
-- append-only for the application; the head row is moved forward by audit(), never removed. Pruning
-- (LOG-4) and re-signing after a master key rotation run on the owner connection (Db.maintenance).
REVOKE UPDATE, DELETE ON audit_events, audit_checkpoints, audit_verifications FROM peil_app;
REVOKE DELETE ON audit_heads FROM peil_app;

-- OBLIGATIONS DSR-2 (0019): erasure tombstones are written once and never changed or removed by a
-- request (a restore re-applies them on the owner connection); a contact's image key is created and,
-- by an erasure, deleted, never changed. The tables come with 0019: grants.sql also runs after a
-- partial migration, so the revokes wait until they exist.
DO $$
BEGIN
  IF to_regclass('public.erasure_tombstones') IS NOT NULL THEN
    REVOKE UPDATE, DELETE ON erasure_tombstones FROM peil_app;
    REVOKE UPDATE ON contact_image_keys FROM peil_app;
  END IF;
END $$;

-- OBLIGATIONS SVC-6 (0026): a customer's plan and its extensions are the operator's decision: a
-- customer's request reads them (its limits) but cannot raise them. Written on the owner connection
-- (Db.owner 'plans') with the tenant set. The counters and the notices stay writable (the changes
-- count themselves in their own transaction).
DO $$
BEGIN
  IF to_regclass('public.plan_assignments') IS NOT NULL THEN
    REVOKE INSERT, UPDATE, DELETE ON plan_assignments, plan_extensions FROM peil_app;
  END IF;
END $$;

-- OBLIGATIONS LOG-3 (0028): the record of the signed heads that went out to the customer (downloaded,
-- mailed to its privacy contact) is written once and never changed or removed by a request. It is a
-- record only: the evidence is the head the customer holds, outside this database.
DO $$
BEGIN
  IF to_regclass('public.audit_anchors') IS NOT NULL THEN
    REVOKE UPDATE, DELETE ON audit_anchors FROM peil_app;
  END IF;
END $$;

-- ---------------------------------------------------------------- global tables, one by one
-- (src/lib/db/privileges.test.ts holds the same list and fails on any difference, and on a global
-- table that is not listed here.)

-- tenants: SELECT only. Requests read their customer's name, status and settings; sign-in, the
-- operator's list and the distribution tick read across customers (no personal data: name, slug,
-- status, sector, settings). No INSERT, UPDATE or DELETE: a customer is created by the operator on the
-- owner connection (Db.owner 'tenant-create'), its log retention is set there too (Db.maintenance);
-- the one setting a customer changes itself goes through peil_set_require_second_factor() (0010),
-- which changes that column of the calling transaction's own tenant and nothing else.
REVOKE ALL ON tenants FROM peil_app;
GRANT SELECT ON tenants TO peil_app;

-- tenant_keys: nothing (OBLIGATIONS SEC-1). The keyring gets the wrapped data key of the tenant its
-- transaction works in through peil_tenant_key() (0010), one row, never another customer's. Keys
-- are created, rotated and destroyed by operator commands on the owner connection.
REVOKE ALL ON tenant_keys FROM peil_app;

-- operators: the columns a resolved session shows (id, email, name), nothing else. No password hash:
-- the operator's sign-in reads its row, and records failures and the lock-out, on the owner
-- connection (Db.owner 'operator-sign-in'); the first operator is created there too ('setup').
-- Nothing else of an operator is a customer's business, and no request may create one. The
-- operator's language (0034) is read with the session; it is changed on the owner connection
-- (Db.owner 'operator-settings'), so a customer's transaction cannot change an operator's row.
REVOKE ALL ON operators FROM peil_app;
GRANT SELECT (id, email, name) ON operators TO peil_app;
-- Issue 14 (0034): the admin app's language an operator chose; grants run after every migration,
-- also on a database migrated only part of the way (tests of old migrations), so only when it exists.
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'operators' AND column_name = 'locale') THEN
    GRANT SELECT (locale) ON operators TO peil_app;
  END IF;
END $$;

-- sessions: row-level security (0010, 0028) shows a transaction its own tenant's sessions, and the
-- one session whose hash it names (Db.session; createSession and destroySession name theirs). Rows are
-- created and removed at sign-in and sign-out; of a live session only the last-seen time and the
-- enrolment flag change. Other tenants' sessions and other operators' sessions stay invisible. Since
-- 0028 the policies split by command: a tenant's transaction reads and ends its customer's sessions,
-- but creates, touches or changes only the session it names; restricting colleagues to enrolment
-- goes through peil_restrict_sessions_to_enrolment(), which can set that flag and nothing else.
REVOKE ALL ON sessions FROM peil_app;
GRANT SELECT, INSERT, DELETE ON sessions TO peil_app;
GRANT UPDATE (last_seen_at, enrolment_only) ON sessions TO peil_app;

-- system_audit_events: append only (sign-ins of operators, failed sign-ins of unknown accounts). The
-- application never reads it back: it holds operator emails and addresses.
REVOKE ALL ON system_audit_events FROM peil_app;
GRANT INSERT ON system_audit_events TO peil_app;

-- ai_module_switch: read by the labelling module and the operator's overview. The operator switches it
-- on the owner connection (Db.owner 'ai-switch'), so no request can switch the module back on.
REVOKE ALL ON ai_module_switch FROM peil_app;
GRANT SELECT ON ai_module_switch TO peil_app;

-- backups: read for the security measures page (the last successful backup); written by the backup
-- command on the owner connection.
REVOKE ALL ON backups FROM peil_app;
GRANT SELECT ON backups TO peil_app;

-- subprocessors (OBLIGATIONS SUB-1): the operator's register of sub-processors, no personal data.
-- Read by customers' requests (the list that applies to them), the security measures and the
-- labelling run (SUB-3); written by the operator on the owner connection (Db.owner 'subprocessors'),
-- so no customer's request can add, change or remove an entry. The table comes with migration 0014:
-- grants.sql also runs after a partial migration (a restore of an older backup, a test of an older
-- migration), so the grant waits until the table exists.
DO $$
BEGIN
  IF to_regclass('public.subprocessors') IS NOT NULL THEN
    REVOKE ALL ON subprocessors FROM peil_app;
    GRANT SELECT ON subprocessors TO peil_app;
  END IF;
END $$;

-- breaches, breach_updates (OBLIGATIONS BRE-1): nothing. The operator's register of personal data
-- breaches describes incidents across customers (which customers, causes, contact point): no
-- customer's request may read or change it, so it is read and written only on the owner connection
-- (Db.owner 'breaches') by operator routes and the alert tick. A customer reads its own part in the
-- tenant tables breach_notices and breach_notice_messages (row-level security). The tables come with
-- 0018 (see subprocessors above for why the revoke waits until they exist).
DO $$
BEGIN
  IF to_regclass('public.breaches') IS NOT NULL THEN
    REVOKE ALL ON breaches, breach_updates FROM peil_app;
  END IF;
END $$;

-- deletion_statements (OBLIGATIONS END-4): nothing. The signed statement of deletion is written when
-- the customer's rows, users and key are gone, so there is no customer left to read it; the operator
-- downloads it and the deletion mails it, both on the owner connection (Db.owner 'tenant-delete').
-- A global table for that reason: it must outlive every tenant row it describes.
DO $$
BEGIN
  IF to_regclass('public.deletion_statements') IS NOT NULL THEN
    REVOKE ALL ON deletion_statements FROM peil_app;
  END IF;
END $$;

-- plans (OBLIGATIONS SVC-6): the operator's plans (names, limits, features), no personal data. Read
-- by customers' requests (their own plan's limits) and the plans tick; written by the operator on the
-- owner connection (Db.owner 'plans'). The table comes with 0026 (see subprocessors above).
DO $$
BEGIN
  IF to_regclass('public.plans') IS NOT NULL THEN
    REVOKE ALL ON plans FROM peil_app;
    GRANT SELECT ON plans TO peil_app;
  END IF;
END $$;

-- The benchmark (OBLIGATIONS BEN-1, END-5; 0024). benchmark_sectors, benchmark_settings: SELECT (a
-- customer's page names its sector and the rules); the operator writes them on the owner connection
-- (Db.owner 'benchmark'). benchmark_cells: SELECT: what is published (suppressed cells carry no
-- numbers). benchmark_contributions and benchmark_cell_stats: nothing. They hold one row per customer
-- and cell (under a random id) and the unpublished numbers of suppressed cells; only the job and the
-- operator read them, on the owner connection. A customer sees the percentile of its own
-- contributions through peil_benchmark_percentiles() (0024).
DO $$
BEGIN
  IF to_regclass('public.benchmark_sectors') IS NOT NULL THEN
    REVOKE ALL ON benchmark_sectors, benchmark_settings, benchmark_cells, benchmark_contributions, benchmark_cell_stats FROM peil_app;
    GRANT SELECT ON benchmark_sectors, benchmark_settings, benchmark_cells TO peil_app;
  END IF;
END $$;

-- master_key_rotations, audit_chain_backfill, peil_migrations: nothing. Written and read only by
-- operator commands, the start-up and the migrations, all on the owner connection.
REVOKE ALL ON master_key_rotations, audit_chain_backfill FROM peil_app;
REVOKE ALL ON peil_migrations FROM peil_app;
-- peil_setting_key (0041): nothing. The key that signs the settings row-level security trusts; read by
-- the owner connection at start and by peil_signed_setting() (SECURITY DEFINER) alone.
DO $$
BEGIN
  IF to_regclass('public.peil_setting_key') IS NOT NULL THEN
    REVOKE ALL ON peil_setting_key FROM peil_app;
  END IF;
END $$;

-- Issue 17 (0035): rate_limit_counters are counted by requests of every process (hashed keys and
-- numbers only). tick_leases: nothing; the ticks claim them on the owner connection (Db.owner 'ticks').
DO $$
BEGIN
  IF to_regclass('public.rate_limit_counters') IS NOT NULL THEN
    GRANT SELECT, INSERT, UPDATE, DELETE ON rate_limit_counters TO peil_app;
    REVOKE ALL ON tick_leases FROM peil_app;
  END IF;
END $$;

-- ---------------------------------------------------------------- sequences and functions
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO peil_app;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO peil_app;

-- ---------------------------------------------------------------- signing in as peil_app
-- OBLIGATIONS ACC-6, SEC-3: the application's pool signs in AS peil_app (DATABASE_APP_URL; by default
-- DATABASE_URL with the user peil_app), not as the owner. A statement an attacker gets executed in a
-- request can then not leave the role: RESET ROLE lands on peil_app itself, and SET ROLE to the owner,
-- SET SESSION AUTHORIZATION and set_config('role', ...) are refused, because peil_app is a member of
-- no role and no superuser. Its password is set at start from DATABASE_APP_URL (lib/db/app-role.ts),
-- never here. An owner without the right to alter the role (a role created by someone else) leaves
-- it to the database administrator; the start then says what is missing.
DO $$
BEGIN
  IF NOT (SELECT rolcanlogin FROM pg_roles WHERE rolname = 'peil_app') THEN
    ALTER ROLE peil_app LOGIN;
  END IF;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'peil_app cannot be given LOGIN by this owner; a database administrator must (ALTER ROLE peil_app LOGIN PASSWORD ...)';
END $$;
