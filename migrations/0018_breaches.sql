-- Issue 11 (OBLIGATIONS BRE-1..BRE-4): the breach register.

-- BRE-1: the operator's register of personal data breaches. Global: one breach can concern many
-- customers, and what the operator knows about it (cause, description, contact point) is the
-- operator's own record. peil_app holds nothing on it (grants.sql): the operator reads and writes it on
-- the owner connection (Db.owner 'breaches'); a customer reads only the copy it was sent
-- (breach_notice_messages, sealed with its key). `details` holds the fields of BRE-1 (description,
-- cause, categories, approximate numbers, consequences, encryption, measures with a timeline, expected
-- recovery, contact point); the two moments that deadlines are computed from are columns.
CREATE TABLE breaches (
  id            uuid PRIMARY KEY,
  number        integer GENERATED ALWAYS AS IDENTITY UNIQUE,
  status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  started_at    timestamptz NOT NULL,
  discovered_at timestamptz NOT NULL,
  details       jsonb NOT NULL,
  created_at    timestamptz NOT NULL,
  created_by    uuid,
  updated_at    timestamptz NOT NULL,
  closed_at     timestamptz,
  CHECK (discovered_at >= started_at)
);

-- Every change of a breach, dated, with what changed (field -> {from, to}) and the operator's note:
-- nothing is overwritten without a trace. Kinds: created, updated, scope (a scope was recorded),
-- notified (customers were told), closed.
CREATE TABLE breach_updates (
  breach_id  uuid NOT NULL REFERENCES breaches (id),
  seq        integer NOT NULL,
  at         timestamptz NOT NULL,
  operator_id uuid,
  kind       text NOT NULL CHECK (kind IN ('created', 'updated', 'scope', 'notified', 'closed')),
  note       text,
  changes    jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (breach_id, seq)
);

-- BRE-2, BRE-3, BRE-4: one affected customer's part of a breach. The numbers were computed by Peil
-- (features/breaches/scope.ts) from this customer's own data and log, with the scope that produced
-- them (ids, dates, categories; an email address of the scope is stored as the user ids it resolved
-- to, never in clear). The deadline is discovery + this customer's agreed breach notice hours.
-- Alerts to the operators are recorded once per threshold (near, overdue).
CREATE TABLE breach_notices (
  tenant_id        uuid NOT NULL REFERENCES tenants (id),
  breach_id        uuid NOT NULL REFERENCES breaches (id),
  scope            jsonb NOT NULL,
  contacts         integer NOT NULL CHECK (contacts >= 0),
  responses        integer NOT NULL CHECK (responses >= 0),
  users            integer NOT NULL CHECK (users >= 0),
  categories       text[] NOT NULL DEFAULT '{}',
  basis            jsonb NOT NULL DEFAULT '{}',
  computed_at      timestamptz NOT NULL,
  notice_hours     integer NOT NULL CHECK (notice_hours BETWEEN 1 AND 720),
  deadline         timestamptz NOT NULL,
  notified_at      timestamptz,
  notified_to      text CHECK (notified_to IN ('privacy_contact', 'owners', 'nobody')),
  alert_near_at    timestamptz,
  alert_overdue_at timestamptz,
  PRIMARY KEY (tenant_id, breach_id)
);
CREATE INDEX breach_notices_breach ON breach_notices (breach_id);
ALTER TABLE breach_notices ENABLE ROW LEVEL SECURITY;
ALTER TABLE breach_notices FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON breach_notices USING (tenant_id = peil_current_tenant())
  WITH CHECK (tenant_id = peil_current_tenant());

-- BRE-4: what was mailed to the customer (the notice, each update, the closing), as sent: the fields
-- of the breach at that moment and this customer's own numbers, sealed with the customer's key. The
-- customer's breach log and its draft report to the Autoriteit Persoonsgegevens are read from here.
CREATE TABLE breach_notice_messages (
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  breach_id   uuid NOT NULL,
  seq         integer NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('notice', 'update', 'closing')),
  sent_at     timestamptz NOT NULL,
  sent_to     text NOT NULL CHECK (sent_to IN ('privacy_contact', 'owners', 'nobody')),
  content_enc bytea NOT NULL,
  PRIMARY KEY (tenant_id, breach_id, seq),
  FOREIGN KEY (tenant_id, breach_id) REFERENCES breach_notices (tenant_id, breach_id)
);
ALTER TABLE breach_notice_messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE breach_notice_messages FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON breach_notice_messages USING (tenant_id = peil_current_tenant())
  WITH CHECK (tenant_id = peil_current_tenant());

-- The operator's board and the alert tick read every customer's part (numbers, deadlines, states; no
-- personal data) through Db.crossTenant('breaches'), for reading only.
CREATE POLICY breaches_overview ON breach_notices FOR SELECT
  USING (current_setting('app.cross_tenant', true) = 'breaches');
