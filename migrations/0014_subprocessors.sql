-- Issue 10 (OBLIGATIONS SUB-1, SUB-3, SUB-4): the operator's register of sub-processors.

-- The register itself: one row per sub-processor, global (a reference table on Citus), written by the
-- operator on the owner connection (Db.owner 'subprocessors'), read by every customer's request.
-- Whether it is inside the EEA is not stored: it is derived from the country with a fixed list
-- (features/subprocessors/eea.ts), so nobody can type it wrong. A removed entry keeps its row
-- (removed_at), so the consents and assignments that named it keep pointing at something.
CREATE TABLE subprocessors (
  id              uuid PRIMARY KEY,
  name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  service         text NOT NULL CHECK (length(service) BETWEEN 1 AND 500),
  location        text NOT NULL CHECK (length(location) BETWEEN 1 AND 200),
  country         text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  safeguards      text[] NOT NULL DEFAULT '{}',
  safeguards_note text CHECK (length(safeguards_note) <= 1000),
  kind            text NOT NULL CHECK (kind IN ('hosting', 'smtp', 'ai', 'other')),
  applies_to      text NOT NULL CHECK (applies_to IN ('all', 'listed')),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  removed_at      timestamptz
);

-- Which customers a sub-processor with applies_to = 'listed' applies to. A tenant table: each customer
-- reads only its own rows; the operator writes them in a transaction of that customer (Db.tenant), with
-- the audit row in the customer's chain.
CREATE TABLE subprocessor_assignments (
  tenant_id       uuid NOT NULL REFERENCES tenants (id),
  subprocessor_id uuid NOT NULL REFERENCES subprocessors (id),
  assigned_by     uuid,
  assigned_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, subprocessor_id)
);
ALTER TABLE subprocessor_assignments ENABLE ROW LEVEL SECURITY;
ALTER TABLE subprocessor_assignments FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON subprocessor_assignments USING (tenant_id = peil_current_tenant())
  WITH CHECK (tenant_id = peil_current_tenant());

-- OBLIGATIONS SUB-3: a customer's explicit prior consent to a sub-processor outside the EEA, given by
-- an owner. It names the country consented to: an entry that moves to another country needs consent
-- again.
CREATE TABLE subprocessor_consents (
  tenant_id       uuid NOT NULL REFERENCES tenants (id),
  subprocessor_id uuid NOT NULL REFERENCES subprocessors (id),
  country         text NOT NULL,
  consented_by    uuid NOT NULL,
  consented_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, subprocessor_id)
);
ALTER TABLE subprocessor_consents ENABLE ROW LEVEL SECURITY;
ALTER TABLE subprocessor_consents FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON subprocessor_consents USING (tenant_id = peil_current_tenant())
  WITH CHECK (tenant_id = peil_current_tenant());

-- The operator's register shows, per entry, the customers it applies to and which of them consented:
-- these two tables (ids and countries, no personal data) open for reading only to a transaction that
-- names the purpose (Db.crossTenant 'subprocessors').
CREATE POLICY subprocessors_overview ON subprocessor_assignments FOR SELECT
  USING (current_setting('app.cross_tenant', true) = 'subprocessors');
CREATE POLICY subprocessors_overview ON subprocessor_consents FOR SELECT
  USING (current_setting('app.cross_tenant', true) = 'subprocessors');
