-- Logs as evidence, keys and backups (OBLIGATIONS LOG-2, LOG-3, LOG-4, SEC-1, SEC-2, SEC-4).
--
-- This migration may run as a table owner that is not a superuser. FORCE ROW LEVEL SECURITY applies
-- to the owner too, so the audit table is un-forced for the few statements that number every
-- tenant's existing rows, and forced again before the end (all in the migration's one transaction).

-- ---------------------------------------------------------------- LOG-4: agreed log retention

-- OBLIGATIONS LOG-4, AGR-2: log retention is a term of the customer's agreement (default 6 months,
-- at least 2, L 12.8). It lives on the tenant until the agreement becomes data (AGR-2), which may
-- move it there.
ALTER TABLE tenants ADD COLUMN audit_retention_months integer NOT NULL DEFAULT 6
  CHECK (audit_retention_months BETWEEN 2 AND 120);

-- ---------------------------------------------------------------- LOG-3: the hash chain

ALTER TABLE audit_events NO FORCE ROW LEVEL SECURITY;

-- seq: per tenant, gap-free, 1, 2, 3, ...; hash = SHA-256(prev_hash || canonical entry), see
-- src/lib/audit-chain.ts. Rows written before this migration are numbered here in id order; their
-- hashes are computed by the application at its next start (the canonical form is defined in
-- TypeScript, not SQL), listed in audit_chain_backfill until then.
ALTER TABLE audit_events ADD COLUMN seq bigint, ADD COLUMN prev_hash bytea, ADD COLUMN hash bytea;
-- The canonical form carries milliseconds; legacy rows are brought to the same precision.
UPDATE audit_events e
   SET seq = n.seq, at = date_trunc('milliseconds', e.at)
  FROM (SELECT tenant_id, id, row_number() OVER (PARTITION BY tenant_id ORDER BY id) AS seq FROM audit_events) n
 WHERE e.tenant_id = n.tenant_id AND e.id = n.id;
ALTER TABLE audit_events ALTER COLUMN seq SET NOT NULL;
ALTER TABLE audit_events ADD CONSTRAINT audit_events_seq UNIQUE (tenant_id, seq);

-- The head of each tenant's chain. audit() locks this row (SELECT ... FOR UPDATE) in the caller's
-- transaction, so appends of one tenant are serialised and seq stays gap-free; other tenants are
-- not blocked.
CREATE TABLE audit_heads (
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  seq        bigint NOT NULL,
  hash       bytea NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id)
);
INSERT INTO audit_heads (tenant_id, seq, hash)
  SELECT tenant_id, max(seq), '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea
    FROM audit_events GROUP BY tenant_id;

-- Tenants whose legacy rows still need their hashes (global; emptied at the next start).
CREATE TABLE audit_chain_backfill (
  tenant uuid PRIMARY KEY REFERENCES tenants (id)
);
INSERT INTO audit_chain_backfill (tenant) SELECT DISTINCT tenant_id FROM audit_events;

ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;

-- Signed checkpoints of the chain head (Ed25519, key derived from the master key). A rewrite of the
-- whole audit table with fresh, consistent hashes no longer matches a signature it cannot make.
-- reason 'prune': the entries up to seq were removed by retention (LOG-4) and verification starts
-- here; only a signed prune checkpoint may stand in for removed entries.
CREATE TABLE audit_checkpoints (
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  id         bigint GENERATED ALWAYS AS IDENTITY,
  seq        bigint NOT NULL CHECK (seq > 0),
  hash       bytea NOT NULL,
  at         timestamptz NOT NULL,
  reason     text NOT NULL CHECK (reason IN ('periodic', 'prune', 'manual')),
  key_id     text NOT NULL,
  signature  bytea NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, seq, reason)
);

-- Results of `peil audit verify` and of the customer's own verification (shown in SEC-4).
CREATE TABLE audit_verifications (
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  id         bigint GENERATED ALWAYS AS IDENTITY,
  at         timestamptz NOT NULL DEFAULT now(),
  ok         boolean NOT NULL,
  from_seq   bigint,
  to_seq     bigint,
  entries    bigint NOT NULL DEFAULT 0,
  problem    text,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_verifications_at ON audit_verifications (tenant_id, at DESC);

DO $$
DECLARE t text;
BEGIN
  FOR t IN SELECT unnest(ARRAY['audit_heads', 'audit_checkpoints', 'audit_verifications'])
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = peil_current_tenant()) '
                   'WITH CHECK (tenant_id = peil_current_tenant())', t);
  END LOOP;
END $$;

-- ---------------------------------------------------------------- SEC-1: keys

-- Master key rotation re-wraps every tenant key; the key it replaced is kept for reference.
ALTER TABLE tenant_keys ADD COLUMN previous_master_key_id text, ADD COLUMN rewrapped_at timestamptz;

CREATE TABLE master_key_rotations (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at            timestamptz NOT NULL DEFAULT now(),
  from_key_id   text NOT NULL,
  to_key_id     text NOT NULL,
  tenant_keys   integer NOT NULL,
  checkpoints   integer NOT NULL
);

-- ---------------------------------------------------------------- SEC-2: backups

-- One row per successful backup, written after the file is complete (SEC-4 shows the last one).
CREATE TABLE backups (
  id             uuid PRIMARY KEY,
  started_at     timestamptz NOT NULL,
  finished_at    timestamptz NOT NULL,
  database_kind  text NOT NULL,
  trigger        text NOT NULL CHECK (trigger IN ('command', 'schedule')),
  file_name      text NOT NULL,
  bytes          bigint NOT NULL,
  sha256         text NOT NULL,
  master_key_id  text NOT NULL,
  tables         integer NOT NULL,
  rows           bigint NOT NULL
);
CREATE INDEX backups_finished ON backups (finished_at DESC);
