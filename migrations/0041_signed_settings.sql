-- OBLIGATIONS ACC-6, SEC-3 (issue 16): the transaction settings that row-level security trusts
-- (app.tenant_id, app.session_id_hash, app.login_email, app.cross_tenant) are signed by Peil.
--
-- A custom setting can be changed by any role, peil_app included: a statement an attacker got
-- executed inside a customer's transaction could set app.tenant_id to another customer's id and
-- read its rows, or name a session it plants for another customer's user. From now on a setting's
-- value is `<value>.<mac>`, where the mac is sha256(k || sha256(k || name ':' value)) in hex and k is
-- the random key below. peil_app cannot read the key (grants.sql revokes every table from it and
-- grants only tables with forced row-level security); Peil's process reads it through the owner's
-- connection at start (lib/db/db.ts) and signs each setting it makes. The checks run in
-- peil_signed_setting(), a SECURITY DEFINER function: a value that is not signed is refused with
-- insufficient_privilege, so a forged tenant reads nothing and learns that it was refused.
-- (pgcrypto's hmac() is not used: it is an extension that PGlite and a managed server may lack;
-- sha256() is built in since PostgreSQL 11. The nested construction, with the key on both levels,
-- has no length extension.)
CREATE TABLE peil_setting_key (
  one boolean PRIMARY KEY DEFAULT true CHECK (one),
  key bytea NOT NULL CHECK (length(key) = 32)
);
-- 256 bits from the server's strong random source (gen_random_uuid: pg_strong_random; 244 of them
-- random), without pgcrypto.
INSERT INTO peil_setting_key (key)
  VALUES (sha256(decode(replace(gen_random_uuid()::text || gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex')));
REVOKE ALL ON peil_setting_key FROM PUBLIC;

CREATE FUNCTION peil_signed_setting(p_name text) RETURNS text
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  v text := current_setting('app.' || p_name, true);
  cut int;
  k bytea;
BEGIN
  IF v IS NULL OR v = '' THEN
    RETURN NULL;
  END IF;
  cut := length(v) - 64;
  IF cut >= 1 AND substr(v, cut, 1) = '.' THEN
    SELECT s.key INTO k FROM public.peil_setting_key s;
    IF encode(sha256(k || sha256(k || convert_to(p_name || ':' || substr(v, 1, cut - 1), 'UTF8'))), 'hex') = substr(v, cut + 1) THEN
      RETURN substr(v, 1, cut - 1);
    END IF;
  END IF;
  RAISE EXCEPTION 'app.% is not signed by Peil', p_name USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE OR REPLACE FUNCTION peil_current_tenant() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT public.peil_signed_setting('tenant_id')::uuid $$;

CREATE OR REPLACE FUNCTION peil_current_session() RETURNS bytea
  LANGUAGE sql STABLE
  AS $$ SELECT decode(public.peil_signed_setting('session_id_hash'), 'hex') $$;

CREATE OR REPLACE FUNCTION peil_password_hash(p_tenant uuid, p_user uuid) RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
    SELECT u.password_hash FROM public.users u
     WHERE u.tenant_id = p_tenant AND u.id = p_user
       AND (u.tenant_id = public.peil_current_tenant() OR u.email = public.peil_signed_setting('login_email'))
  $$;
REVOKE ALL ON FUNCTION peil_password_hash(uuid, uuid) FROM PUBLIC;

-- Every policy reads the settings through these functions, each wrapped in a scalar subquery: the
-- check then runs once per statement (an init plan), not once per row a scan filters.
DO $$
DECLARE
  p record;
  q text;
  c text;
BEGIN
  FOR p IN
    SELECT pol.polname, cl.relname, pg_get_expr(pol.polqual, pol.polrelid) AS qual,
           pg_get_expr(pol.polwithcheck, pol.polrelid) AS chk
      FROM pg_policy pol
      JOIN pg_class cl ON cl.oid = pol.polrelid
      JOIN pg_namespace n ON n.oid = cl.relnamespace
     WHERE n.nspname = 'public'
  LOOP
    q := p.qual;
    c := p.chk;
    q := replace(q, 'peil_current_tenant()', '(SELECT peil_current_tenant())');
    c := replace(c, 'peil_current_tenant()', '(SELECT peil_current_tenant())');
    q := replace(q, 'peil_current_session()', '(SELECT peil_current_session())');
    c := replace(c, 'peil_current_session()', '(SELECT peil_current_session())');
    q := replace(q, 'current_setting(''app.cross_tenant''::text, true)', '(SELECT peil_signed_setting(''cross_tenant''::text))');
    c := replace(c, 'current_setting(''app.cross_tenant''::text, true)', '(SELECT peil_signed_setting(''cross_tenant''::text))');
    q := replace(q, 'NULLIF(current_setting(''app.login_email''::text, true), ''''::text)', '(SELECT peil_signed_setting(''login_email''::text))');
    c := replace(c, 'NULLIF(current_setting(''app.login_email''::text, true), ''''::text)', '(SELECT peil_signed_setting(''login_email''::text))');
    IF q IS DISTINCT FROM p.qual OR c IS DISTINCT FROM p.chk THEN
      EXECUTE format('ALTER POLICY %I ON public.%I', p.polname, p.relname)
        || CASE WHEN q IS NOT NULL THEN ' USING (' || q || ')' ELSE '' END
        || CASE WHEN c IS NOT NULL THEN ' WITH CHECK (' || c || ')' ELSE '' END;
    END IF;
  END LOOP;
  -- No policy may read a setting unsigned any more (src/lib/db/isolation.test.ts checks it too).
  IF EXISTS (SELECT 1 FROM pg_policy pol
              WHERE coalesce(pg_get_expr(pol.polqual, pol.polrelid), '') || coalesce(pg_get_expr(pol.polwithcheck, pol.polrelid), '')
                    LIKE '%current_setting(%') THEN
    RAISE EXCEPTION 'a policy still reads current_setting() unsigned';
  END IF;
END $$;
