-- Access protection (OBLIGATIONS ACC-1, ACC-3, ACC-4).

-- ACC-4: lockout after repeated failed sign-ins, and a second factor (TOTP) a customer can require.
ALTER TABLE tenants ADD COLUMN require_second_factor boolean NOT NULL DEFAULT false;

ALTER TABLE users
  ADD COLUMN failed_sign_ins integer NOT NULL DEFAULT 0,
  ADD COLUMN locked_until timestamptz,
  -- The TOTP secret is encrypted with the tenant's key; pending until the first code confirms it.
  ADD COLUMN totp_secret_enc bytea,
  ADD COLUMN totp_pending_enc bytea,
  ADD COLUMN totp_enabled_at timestamptz;

ALTER TABLE operators
  ADD COLUMN failed_sign_ins integer NOT NULL DEFAULT 0,
  ADD COLUMN locked_until timestamptz;

-- One-time recovery codes for a lost authenticator; only their hashes are kept.
CREATE TABLE user_recovery_codes (
  tenant_id  uuid NOT NULL,
  id         uuid NOT NULL,
  user_id    uuid NOT NULL,
  code_hash  bytea NOT NULL,
  used_at    timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, code_hash),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);

-- ACC-3: the operator's staff see a customer's data only through a grant the customer's owner gave,
-- limited in scope and time, revocable; every use is recorded in the customer's own log.
CREATE TABLE support_grants (
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  id          uuid NOT NULL,
  granted_by  uuid NOT NULL,
  scope       text NOT NULL CHECK (scope IN ('results', 'contacts')),
  reason      text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz,
  revoked_by  uuid,
  PRIMARY KEY (tenant_id, id),
  CHECK (expires_at > created_at AND expires_at <= created_at + interval '7 days')
);

-- A support session belongs to an operator, inside one tenant, under one grant.
ALTER TABLE sessions
  DROP CONSTRAINT sessions_kind_check,
  DROP CONSTRAINT sessions_check1,
  ADD COLUMN support_grant_id uuid,
  -- Signed in with the password, but the customer requires a second factor the user has not set up:
  -- only enrolment is allowed in such a session.
  ADD COLUMN enrolment_only boolean NOT NULL DEFAULT false,
  ADD CONSTRAINT sessions_kind_check CHECK (kind IN ('user', 'operator', 'support')),
  ADD CONSTRAINT sessions_operator_check CHECK ((kind IN ('operator', 'support')) = (operator_id IS NOT NULL)),
  ADD CONSTRAINT sessions_support_check CHECK ((kind = 'support') = (support_grant_id IS NOT NULL AND tenant_id IS NOT NULL));

DO $$
DECLARE t text;
BEGIN
  FOR t IN SELECT unnest(ARRAY['user_recovery_codes', 'support_grants'])
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = peil_current_tenant()) '
                   'WITH CHECK (tenant_id = peil_current_tenant())', t);
  END LOOP;
END $$;
