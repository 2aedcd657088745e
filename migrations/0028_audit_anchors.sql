-- Issue 16, points 4 and 5 (OBLIGATIONS LOG-3, ACC-6).
--
-- 4. Evidence the processor cannot rewrite alone. Signed checkpoints live in the same database as
--    the log, so whoever can delete entries can delete the checkpoints after them and move
--    audit_heads back, and `peil audit verify` would still pass. The customer therefore holds signed
--    heads of its own chain OUTSIDE the database (downloaded, and mailed to its privacy contact every
--    AUDIT_ANCHOR_DAYS days): `peil audit verify --head FILE` detects any removal behind a held
--    head. This table records which heads went out, when and to whom (a category and a count, no
--    address): the Privacy page shows it. It is a record, not the evidence: the evidence is the file
--    the customer holds. Append only for the application (grants.sql).
CREATE TABLE audit_anchors (
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  id          bigint GENERATED ALWAYS AS IDENTITY,
  seq         bigint NOT NULL CHECK (seq >= 0),
  hash        bytea NOT NULL,
  -- When the head was signed, with which signing key, and the signature (as in the file).
  signed_at   timestamptz NOT NULL,
  key_id      text NOT NULL,
  signature   bytea NOT NULL,
  -- 'download': a user of the customer downloaded it (user_id); 'mail': mailed on the schedule.
  channel     text NOT NULL CHECK (channel IN ('download', 'mail')),
  sent_to     text CHECK (sent_to IN ('privacy_contact', 'owners')),
  recipients  integer NOT NULL DEFAULT 0,
  user_id     uuid,
  PRIMARY KEY (tenant_id, id),
  CHECK ((channel = 'mail') = (sent_to IS NOT NULL))
);
CREATE INDEX audit_anchors_latest ON audit_anchors (tenant_id, channel, signed_at DESC);

ALTER TABLE audit_anchors ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_anchors FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_anchors
  USING (tenant_id = peil_current_tenant()) WITH CHECK (tenant_id = peil_current_tenant());

-- 5. Least privilege on sessions. Until now a tenant's transaction could update any session of its
--    own customer (policy tenant_isolation for every command): an injected statement in a member's
--    request could lift another user's enrolment-only restriction (ACC-4) or keep a colleague's
--    session from idling out, and plant a session for any user of the customer. Now:
--    - a transaction still sees and may end its own customer's sessions (a customer ends its users'
--      sessions: a user removed, a password changed, a support grant revoked);
--    - it creates, touches or changes only the one session it names (session_lookup: sign-in,
--      resolving a cookie, enrolling a second factor, sign-out);
--    - restricting the customer's users without a second factor to enrolment, when the owner makes
--      it required, goes through peil_restrict_sessions_to_enrolment() below, which can only set the
--      restriction, for the calling transaction's own tenant.
-- The permissive policies of 0010 stay (what a transaction may see); two restrictive ones narrow what
-- it may write. Restrictive policies bind the owner too (row-level security is forced), which is why
-- the owner, never peil_app, may still set the restriction: that is the function below.
CREATE POLICY named_insert ON sessions AS RESTRICTIVE FOR INSERT
  WITH CHECK (id_hash = peil_current_session());
CREATE POLICY named_update ON sessions AS RESTRICTIVE FOR UPDATE
  USING (id_hash = peil_current_session() OR current_user <> 'peil_app')
  WITH CHECK (id_hash = peil_current_session() OR (current_user <> 'peil_app' AND enrolment_only));

CREATE FUNCTION peil_restrict_sessions_to_enrolment(p_tenant uuid) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
  DECLARE n integer;
  BEGIN
    IF p_tenant IS NULL OR p_tenant IS DISTINCT FROM public.peil_current_tenant() THEN
      RAISE EXCEPTION 'permission denied: not the tenant of this transaction' USING ERRCODE = '42501';
    END IF;
    UPDATE public.sessions s SET enrolment_only = true
     WHERE s.tenant_id = p_tenant AND s.kind = 'user' AND NOT s.enrolment_only
       AND s.user_id IN (SELECT u.id FROM public.users u WHERE u.tenant_id = p_tenant AND u.totp_enabled_at IS NULL);
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
  END
  $$;
REVOKE ALL ON FUNCTION peil_restrict_sessions_to_enrolment(uuid) FROM PUBLIC;
