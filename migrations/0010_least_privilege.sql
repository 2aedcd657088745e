-- Least privilege for the application role on global tables; stored mail server replies without
-- addresses (OBLIGATIONS ACC-6, SEC-1, LOG-1; issue 9, points 5 and 6).
--
-- What peil_app may do on each table is written down in grants.sql (re-run after every migration).
-- This migration adds what those grants rest on: row-level security on sessions, and two SECURITY
-- DEFINER functions through which peil_app reaches the one key row and the one tenant column it
-- needs, now that it may no longer read tenant_keys or change tenants itself.
-- Every SECURITY DEFINER function here has a fixed search_path and names its tables with their schema,
-- so that an object a caller creates elsewhere cannot stand in for them.

-- ---------------------------------------------------------------- sessions

-- A session is looked up by the hash of its cookie before the tenant is known. Instead of every
-- session of every customer, a transaction sees the sessions of its own tenant (tenant_isolation: a
-- customer ends its users' sessions) and the one session whose hash it names in app.session_id_hash
-- (session_lookup: resolving a cookie, signing out, an operator's own session).
CREATE FUNCTION peil_current_session() RETURNS bytea
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT decode(nullif(current_setting('app.session_id_hash', true), ''), 'hex') $$;

ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sessions
  USING (tenant_id = peil_current_tenant()) WITH CHECK (tenant_id = peil_current_tenant());
CREATE POLICY session_lookup ON sessions
  USING (id_hash = peil_current_session()) WITH CHECK (id_hash = peil_current_session());

-- ---------------------------------------------------------------- tenant_keys

-- OBLIGATIONS SEC-1: peil_app has no privilege on tenant_keys (grants.sql). The keyring reads the
-- wrapped data key of the tenant its transaction works in, and only that one: a transaction of
-- tenant B that asks for A's key gets no row.
CREATE FUNCTION peil_tenant_key(p_tenant uuid)
  RETURNS TABLE (wrapped_key bytea, master_key_id text, created_at timestamptz, destroyed_at timestamptz, rewrapped_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
    SELECT k.wrapped_key, k.master_key_id, k.created_at, k.destroyed_at, k.rewrapped_at
      FROM public.tenant_keys k
     WHERE k.tenant_id = p_tenant AND p_tenant = public.peil_current_tenant()
  $$;
REVOKE ALL ON FUNCTION peil_tenant_key(uuid) FROM PUBLIC;

-- ---------------------------------------------------------------- tenants

-- OBLIGATIONS ACC-6: peil_app has no UPDATE or DELETE on tenants (grants.sql). The one column a
-- customer changes itself (its owner requires a second factor, ACC-4) is set through this function,
-- for the tenant of the calling transaction only. Operator changes (log retention, creating a
-- customer) run on the owner connection.
CREATE FUNCTION peil_set_require_second_factor(p_tenant uuid, p_value boolean) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
  BEGIN
    IF p_tenant IS NULL OR p_tenant IS DISTINCT FROM public.peil_current_tenant() THEN
      RAISE EXCEPTION 'permission denied: not the tenant of this transaction' USING ERRCODE = '42501';
    END IF;
    UPDATE public.tenants SET require_second_factor = p_value WHERE id = p_tenant;
  END
  $$;
REVOKE ALL ON FUNCTION peil_set_require_second_factor(uuid, boolean) FROM PUBLIC;

-- ---------------------------------------------------------------- password hashes

-- OBLIGATIONS ACC-6: peil_app may read every column of users except password_hash (grants.sql), and
-- no column of operators but id, email and name. A user's hash is read where a password is checked
-- (sign-in, and re-entering the password to change it or the second factor) through this function:
-- in a sign-in transaction only for the email it signs in (app.login_email, as policy login_lookup),
-- otherwise only for a user of the transaction's own tenant. An operator's hash is read on the owner
-- connection, by the operator's sign-in alone.
CREATE FUNCTION peil_password_hash(p_tenant uuid, p_user uuid) RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
    SELECT u.password_hash FROM public.users u
     WHERE u.tenant_id = p_tenant AND u.id = p_user
       AND (u.tenant_id = public.peil_current_tenant() OR u.email = nullif(current_setting('app.login_email', true), ''))
  $$;
REVOKE ALL ON FUNCTION peil_password_hash(uuid, uuid) FROM PUBLIC;

-- ---------------------------------------------------------------- LOG-1: stored mail server replies

-- Replies stored before this migration may quote the recipient's address ("550 5.1.1
-- <jan@example.nl>: Recipient address rejected"). They are scrubbed here the way lib/scrub.ts
-- scrubs new ones: addresses, also URL-, xtext-, quoted-printable- or HTML-encoded, become
-- "address removed". Row-level security is forced, which binds a non-superuser owner too, so it is
-- lifted for these statements and forced again before the end (one transaction, as in 0003).
CREATE FUNCTION peil_scrub_addresses_0010(t text) RETURNS text
  LANGUAGE sql IMMUTABLE
  AS $$
    SELECT regexp_replace(
             regexp_replace(
               regexp_replace(t,
                 '(?:"[^"\r\n]*"|[^\s<>()\[\]"'',;:@]+)(?:@|&commat;|&#0*64;|&#x0*40;|\s?\(at\)\s?|\s?\[at\]\s?)[^\s<>()\[\]"'',;:@./\\%&=+]+(?:(?:\.|%2e)[^\s<>()\[\]"'',;:@./\\%&=+]+)*',
                 'address removed', 'gi'),
               '(?:"[^"\r\n]*"|[^\s<>()\[\]"'',;:@]+)(?:%40|=40|\+40)[^\s<>()\[\]"'',;:@./\\%&=+]+(?:(?:\.|%2e)[^\s<>()\[\]"'',;:@./\\%&=+]+)+',
               'address removed', 'gi'),
             '"[^"<>\r\n]*"\s*<address removed>', '<address removed>', 'g')
  $$;

ALTER TABLE invitations NO FORCE ROW LEVEL SECURITY;
ALTER TABLE suppressions NO FORCE ROW LEVEL SECURITY;
ALTER TABLE webhook_attempts NO FORCE ROW LEVEL SECURITY;
ALTER TABLE webhook_deliveries NO FORCE ROW LEVEL SECURITY;
UPDATE invitations SET last_error = peil_scrub_addresses_0010(last_error)
 WHERE last_error IS NOT NULL AND last_error IS DISTINCT FROM peil_scrub_addresses_0010(last_error);
UPDATE suppressions SET details = jsonb_set(details, '{response}', to_jsonb(peil_scrub_addresses_0010(details ->> 'response')))
 WHERE jsonb_typeof(details -> 'response') = 'string'
   AND details ->> 'response' IS DISTINCT FROM peil_scrub_addresses_0010(details ->> 'response');
UPDATE webhook_attempts SET error = peil_scrub_addresses_0010(error), excerpt = peil_scrub_addresses_0010(excerpt)
 WHERE error IS DISTINCT FROM peil_scrub_addresses_0010(error) OR excerpt IS DISTINCT FROM peil_scrub_addresses_0010(excerpt);
UPDATE webhook_deliveries SET last_error = peil_scrub_addresses_0010(last_error)
 WHERE last_error IS DISTINCT FROM peil_scrub_addresses_0010(last_error);
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
ALTER TABLE suppressions FORCE ROW LEVEL SECURITY;
ALTER TABLE webhook_attempts FORCE ROW LEVEL SECURITY;
ALTER TABLE webhook_deliveries FORCE ROW LEVEL SECURITY;
DROP FUNCTION peil_scrub_addresses_0010(text);
