-- Issue 10 (OBLIGATIONS REG-1..REG-4): the register of processing (Annex 1 / Bijlage A of the seeds).
--
-- The register of a customer is records: the categories of personal data it covers, the categories of
-- data subjects, the purposes and the processing operations (register_items, one row each), and its
-- retention (register_settings for the contacts data set, survey_retention per survey). A new customer
-- gets a default register derived from what Peil stores (features/register/service.ts); the owner edits
-- it. What is really stored (contact fields, profile fields, questions) is compared with it on every
-- read: a category the register lacks is drift.

CREATE TABLE register_items (
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  kind        text NOT NULL CHECK (kind IN ('category', 'subject', 'purpose', 'operation')),
  code        text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$' AND length(code) <= 80),
  -- Standard codes take their labels from the vocabulary (features/register/vocabulary.ts); own ones carry them.
  label_nl    text CHECK (length(label_nl) BETWEEN 1 AND 200),
  label_en    text CHECK (length(label_en) BETWEEN 1 AND 200),
  note        text CHECK (length(note) <= 1000),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, kind, code)
);
ALTER TABLE register_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE register_items FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON register_items USING (tenant_id = peil_current_tenant())
  WITH CHECK (tenant_id = peil_current_tenant());

-- One row per customer: created with the default register; the contacts data set's retention
-- (REG-4): a contact not created, changed, invited or answering for this many months is erased.
CREATE TABLE register_settings (
  tenant_id                 uuid NOT NULL REFERENCES tenants (id),
  contacts_inactive_months  integer CHECK (contacts_inactive_months BETWEEN 1 AND 120),
  created_at                timestamptz NOT NULL DEFAULT now(),
  updated_at                timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id)
);
ALTER TABLE register_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE register_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON register_settings USING (tenant_id = peil_current_tenant())
  WITH CHECK (tenant_id = peil_current_tenant());

-- REG-4: a survey's personal data (free text, typed answers, the link between a response and a person,
-- its invitations) is erased this many months after the survey closed; erased_at: done (the scores
-- and closed answers stay).
CREATE TABLE survey_retention (
  tenant_id           uuid NOT NULL,
  survey_id           uuid NOT NULL,
  months_after_close  integer NOT NULL CHECK (months_after_close BETWEEN 1 AND 120),
  erased_at           timestamptz,
  updated_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, survey_id),
  FOREIGN KEY (tenant_id, survey_id) REFERENCES surveys (tenant_id, id) ON DELETE CASCADE
);
ALTER TABLE survey_retention ENABLE ROW LEVEL SECURITY;
ALTER TABLE survey_retention FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON survey_retention USING (tenant_id = peil_current_tenant())
  WITH CHECK (tenant_id = peil_current_tenant());

-- REG-3: free text that looks like a BSN, an IBAN or health data, counted per survey (never the texts).
-- The scan reads responses after the cursor (submitted_at, id) once they are older than the results'
-- settle time, so a response written late by a concurrent batch is not passed over.
CREATE TABLE register_text_scans (
  tenant_id   uuid NOT NULL,
  survey_id   uuid NOT NULL,
  texts       integer NOT NULL DEFAULT 0,
  bsn         integer NOT NULL DEFAULT 0,
  iban        integer NOT NULL DEFAULT 0,
  health      integer NOT NULL DEFAULT 0,
  cursor_at   timestamptz,
  cursor_id   uuid,
  PRIMARY KEY (tenant_id, survey_id),
  FOREIGN KEY (tenant_id, survey_id) REFERENCES surveys (tenant_id, id) ON DELETE CASCADE
);
ALTER TABLE register_text_scans ENABLE ROW LEVEL SECURITY;
ALTER TABLE register_text_scans FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON register_text_scans USING (tenant_id = peil_current_tenant())
  WITH CHECK (tenant_id = peil_current_tenant());

-- REG-2: a profile field's category (null: profile.<key>).
ALTER TABLE profile_fields ADD COLUMN category text CHECK (category ~ '^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$' AND length(category) <= 80);

-- REG-4: when a survey closed (retention counts from there), and how many invitations retention
-- erased (the results keep showing the number invited).
ALTER TABLE surveys ADD COLUMN closed_at timestamptz;
ALTER TABLE surveys ADD COLUMN invitations_erased integer NOT NULL DEFAULT 0;
-- Surveys closed before this migration: their retention counts from now (the day is unknown).
UPDATE surveys SET closed_at = now() WHERE status = 'closed';
