-- Issue 10 (OBLIGATIONS AGR-3): acceptances of the processing agreement and its new versions.
--
-- agreement_acceptances: an owner accepted the agreement digitally: which version, in which language,
-- and the SHA-256 of the exact text shown (the Markdown rendering of the document in that language,
-- features/agreement/render.ts). The text itself and the owner's name are kept as evidence, sealed with
-- the customer's key (they name contact persons): evidence_enc = {"name", "text"}.
CREATE TABLE agreement_acceptances (
  tenant_id    uuid NOT NULL REFERENCES tenants (id),
  id           uuid NOT NULL,
  version      text NOT NULL CHECK (length(version) BETWEEN 1 AND 40),
  lang         text NOT NULL CHECK (lang IN ('nl', 'en')),
  sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  accepted_by  uuid NOT NULL,
  accepted_at  timestamptz NOT NULL DEFAULT now(),
  evidence_enc bytea NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
ALTER TABLE agreement_acceptances ENABLE ROW LEVEL SECURITY;
ALTER TABLE agreement_acceptances FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON agreement_acceptances USING (tenant_id = peil_current_tenant())
  WITH CHECK (tenant_id = peil_current_tenant());

-- agreement_proposals: a new version proposed to one customer, either published by the operator for
-- several customers (origin 'release', the rows of one publication share release_id) or an operator's
-- change of this customer's terms after its first acceptance (origin 'terms'). `changes` holds the
-- agreement columns and their new values (terms, dates and the version label; never contact
-- details). It is announced by mail (announced_at, to the privacy contact or else the owners), and
-- deemed accepted after `working_days` Dutch working days: `deadline` is the last day an objection can
-- be made (Europe/Amsterdam). An objection (who, when, the reason sealed) keeps the customer on its
-- version until the operator resolves it: withdrawn, or re-announced (a new row, previous_id).
CREATE TABLE agreement_proposals (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  id            uuid NOT NULL,
  release_id    uuid NOT NULL,
  previous_id   uuid,
  origin        text NOT NULL CHECK (origin IN ('release', 'terms')),
  from_version  text NOT NULL CHECK (length(from_version) BETWEEN 1 AND 40),
  to_version    text NOT NULL CHECK (length(to_version) BETWEEN 1 AND 40),
  changes       jsonb NOT NULL DEFAULT '{}',
  summary_nl    text NOT NULL CHECK (length(summary_nl) <= 4000),
  summary_en    text NOT NULL CHECK (length(summary_en) <= 4000),
  working_days  integer NOT NULL CHECK (working_days BETWEEN 1 AND 30),
  proposed_at   timestamptz NOT NULL,
  proposed_by   uuid,
  announced_at  timestamptz,
  notified      text CHECK (notified IN ('privacy_contact', 'owners')),
  recipients    integer,
  deadline      date,
  state         text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'objected', 'accepted', 'withdrawn', 'reannounced')),
  settled_at    timestamptz,
  objected_at   timestamptz,
  objected_by   uuid,
  objection_enc bytea,
  resolved_at   timestamptz,
  resolved_by   uuid,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, previous_id) REFERENCES agreement_proposals (tenant_id, id)
);
CREATE INDEX agreement_proposals_open ON agreement_proposals (tenant_id, state) WHERE state = 'pending';
ALTER TABLE agreement_proposals ENABLE ROW LEVEL SECURITY;
ALTER TABLE agreement_proposals FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON agreement_proposals USING (tenant_id = peil_current_tenant())
  WITH CHECK (tenant_id = peil_current_tenant());
