-- Integrations (OBLIGATIONS SVC-5): API keys, idempotency keys, webhooks and their delivery log.

-- An API key acts inside one customer with a set of scopes (a subset of the permissions). Only the
-- SHA-256 of the key is kept: keys are 32 random bytes, so a fast hash is the right one. The key
-- carries its tenant, so the look-up runs inside that tenant's row-level security.
CREATE TABLE api_keys (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  id            uuid NOT NULL,
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  prefix        text NOT NULL,
  secret_hash   bytea NOT NULL,
  scopes        text[] NOT NULL,
  created_by    uuid,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz,
  last_used_at  timestamptz,
  last_used_ip  text,
  revoked_at    timestamptz,
  revoked_by    uuid,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, secret_hash)
);

-- The audit log names an API key as actor.
ALTER TABLE audit_events DROP CONSTRAINT audit_events_actor_kind_check;
ALTER TABLE audit_events ADD CONSTRAINT audit_events_actor_kind_check
  CHECK (actor_kind IN ('user', 'operator', 'system', 'respondent', 'anonymous', 'apikey'));

-- Idempotency-Key on POST: the first answer, sealed with the tenant key, per tenant and principal.
CREATE TABLE idempotency_keys (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  principal     text NOT NULL,
  key           text NOT NULL,
  request_hash  bytea NOT NULL,
  state         text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'done')),
  status_code   integer,
  response_enc  bytea,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL DEFAULT now() + interval '24 hours',
  PRIMARY KEY (tenant_id, principal, key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);

-- Webhooks: a URL that receives signed events. The secret is sealed with the tenant key. The cursor
-- (submitted_at, id) says up to which response events have been created, so no event is lost across
-- a restart and none is created twice (UNIQUE below).
CREATE TABLE webhooks (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  id            uuid NOT NULL,
  url           text NOT NULL,
  events        text[] NOT NULL,
  secret_enc    bytea NOT NULL,
  active        boolean NOT NULL DEFAULT true,
  created_by    uuid,
  created_at    timestamptz NOT NULL DEFAULT now(),
  -- Responses from before this moment give no events (set at creation and at reactivation).
  events_from   timestamptz NOT NULL DEFAULT now(),
  cursor_at     timestamptz NOT NULL DEFAULT now(),
  cursor_id     uuid NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000',
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE webhook_deliveries (
  tenant_id        uuid NOT NULL,
  id               uuid NOT NULL,
  webhook_id       uuid NOT NULL,
  event_id         uuid NOT NULL,
  event_type       text NOT NULL,
  payload_enc      bytea NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  last_status_code integer,
  last_error       text,
  delivered_at     timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, webhook_id, event_id),
  FOREIGN KEY (tenant_id, webhook_id) REFERENCES webhooks (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_created ON webhook_deliveries (created_at) WHERE status <> 'pending';
CREATE INDEX webhook_deliveries_list ON webhook_deliveries (tenant_id, webhook_id, created_at DESC);

-- Every attempt, with the receiver's status and a short excerpt of its answer (never more).
CREATE TABLE webhook_attempts (
  tenant_id    uuid NOT NULL,
  id           uuid NOT NULL,
  delivery_id  uuid NOT NULL,
  attempt      integer NOT NULL,
  at           timestamptz NOT NULL DEFAULT now(),
  status_code  integer,
  error        text,
  duration_ms  integer NOT NULL,
  excerpt      text,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, delivery_id) REFERENCES webhook_deliveries (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (tenant_id, delivery_id, attempt);

DO $$
DECLARE t text;
BEGIN
  FOR t IN SELECT unnest(ARRAY['api_keys', 'idempotency_keys', 'webhooks', 'webhook_deliveries', 'webhook_attempts'])
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = peil_current_tenant()) '
                   'WITH CHECK (tenant_id = peil_current_tenant())', t);
  END LOOP;
END $$;

-- The dispatcher finds the customers with work (active webhooks, due deliveries) in one read that
-- names its purpose (Db.crossTenant('integrations')); it then works inside each tenant. The prune
-- removes expired idempotency keys of every customer, and nothing else.
CREATE POLICY integrations_dispatch ON webhooks FOR SELECT
  USING (current_setting('app.cross_tenant', true) = 'integrations');
CREATE POLICY integrations_dispatch ON webhook_deliveries FOR SELECT
  USING (current_setting('app.cross_tenant', true) = 'integrations');
CREATE POLICY integrations_prune ON idempotency_keys FOR SELECT
  USING (current_setting('app.cross_tenant', true) = 'integrations' AND expires_at < now());
CREATE POLICY integrations_prune_delete ON idempotency_keys FOR DELETE
  USING (current_setting('app.cross_tenant', true) = 'integrations' AND expires_at < now());
-- The delivery log (its sealed payloads hold answers) is kept for 30 days after the last attempt.
CREATE POLICY integrations_prune ON webhook_deliveries FOR DELETE
  USING (current_setting('app.cross_tenant', true) = 'integrations' AND status <> 'pending' AND created_at < now() - interval '30 days');
