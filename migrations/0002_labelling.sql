-- The labelling module (issue 5; OBLIGATIONS AI-1..AI-5).
--
-- Same rules as 0001: tenant_id in every primary, unique and foreign key; row-level security enabled
-- and forced on every tenant table; what a respondent typed stays encrypted with the tenant's key.
-- Labels and sentiment are stored in clear: they are what results aggregate, and they are the
-- customer's categories, not the respondent's words.

-- ---------------------------------------------------------------- global

-- OBLIGATIONS AI-4: the operator's switch for all customers at once. One row.
CREATE TABLE ai_module_switch (
  id          boolean PRIMARY KEY DEFAULT true CHECK (id),
  enabled     boolean NOT NULL DEFAULT true,
  reason      text,
  changed_by  uuid REFERENCES operators (id) ON DELETE SET NULL,
  changed_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO ai_module_switch (id) VALUES (true);

-- ---------------------------------------------------------------- tenant tables

-- One row per customer, created on first use. The customer's choices (enabled, taxonomy, external
-- provider) and the operator's (quota, block) sit side by side; each route changes only its own.
CREATE TABLE labelling_settings (
  tenant_id            uuid PRIMARY KEY REFERENCES tenants (id),
  -- OBLIGATIONS AI-1: off by default; on only with a recorded acceptance of the module's terms.
  enabled              boolean NOT NULL DEFAULT false,
  taxonomy             text NOT NULL DEFAULT 'customer' CHECK (taxonomy IN ('customer', 'employee')),
  -- OBLIGATIONS SUB-3: the external provider is a sub-processor, used only when the customer allowed it.
  allow_external       boolean NOT NULL DEFAULT false,
  terms_version        text,
  terms_hash           text CHECK (terms_hash ~ '^[0-9a-f]{64}$'),
  accepted_by          uuid,
  accepted_at          timestamptz,
  changed_by           uuid,
  changed_at           timestamptz NOT NULL DEFAULT now(),
  -- OBLIGATIONS AI-4: fair use. NULL quota means the plan's default (LABELLING_DEFAULT_MONTHLY_QUOTA).
  monthly_quota        integer CHECK (monthly_quota >= 0),
  operator_blocked     boolean NOT NULL DEFAULT false,
  operator_reason      text,
  operator_changed_by  uuid,
  operator_changed_at  timestamptz,
  -- Raised by every correction and label change: a cached model of an older version is retrained.
  model_version        integer NOT NULL DEFAULT 0,
  CHECK (NOT enabled OR (terms_version IS NOT NULL AND terms_hash IS NOT NULL AND accepted_by IS NOT NULL AND accepted_at IS NOT NULL))
);

-- OBLIGATIONS AI-1: every acceptance of the module's terms, kept (who, when, which version, text hash).
CREATE TABLE labelling_terms_acceptances (
  tenant_id       uuid NOT NULL REFERENCES tenants (id),
  id              uuid NOT NULL,
  terms_version   text NOT NULL,
  terms_hash      text NOT NULL CHECK (terms_hash ~ '^[0-9a-f]{64}$'),
  allow_external  boolean NOT NULL,
  taxonomy        text NOT NULL,
  accepted_by     uuid NOT NULL,
  accepted_at     timestamptz NOT NULL DEFAULT now(),
  ip              text,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, accepted_by) REFERENCES users (tenant_id, id)
);

-- The customer's labels: the standard taxonomy (copied at activation, with stable ids) plus its own.
-- A renamed standard label keeps its id; names left NULL follow the built-in text. A retired label
-- is given to no new answer but keeps the answers it has, so results keep their history.
CREATE TABLE labels (
  tenant_id      uuid NOT NULL REFERENCES tenants (id),
  id             text NOT NULL CHECK (id ~ '^[a-z][a-z0-9_]{1,62}$'),
  taxonomy       text NOT NULL CHECK (taxonomy IN ('customer', 'employee')),
  standard       boolean NOT NULL,
  name_nl        text CHECK (length(name_nl) BETWEEN 1 AND 100),
  name_en        text CHECK (length(name_en) BETWEEN 1 AND 100),
  definition_nl  text CHECK (length(definition_nl) <= 500),
  definition_en  text CHECK (length(definition_en) <= 500),
  position       integer NOT NULL DEFAULT 0,
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
  created_by     uuid,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  retired_at     timestamptz,
  PRIMARY KEY (tenant_id, id),
  CHECK (standard OR (name_nl IS NOT NULL AND name_en IS NOT NULL)),
  CHECK ((status = 'retired') = (retired_at IS NOT NULL))
);

-- One row per response the module has looked at (also the ones without text, so they are not read
-- again). survey_id and submitted_at are copied from the response for counting without a join.
CREATE TABLE response_labelling (
  tenant_id     uuid NOT NULL,
  response_id   uuid NOT NULL,
  survey_id     uuid NOT NULL,
  submitted_at  timestamptz NOT NULL,
  has_text      boolean NOT NULL,
  sentiment     text CHECK (sentiment IN ('positive', 'negative', 'neutral', 'mixed')),
  -- model: the built-in labeller; external: the external provider; human: a user's correction (wins).
  source        text NOT NULL CHECK (source IN ('none', 'model', 'external', 'human')),
  model_version integer,
  labelled_at   timestamptz NOT NULL DEFAULT now(),
  corrected_by  uuid,
  corrected_at  timestamptz,
  PRIMARY KEY (tenant_id, response_id),
  -- Into responses, not out of it: the response writer's statement stays free of foreign keys (0001),
  -- and erasing a response erases what was derived from it.
  FOREIGN KEY (tenant_id, response_id) REFERENCES responses (tenant_id, id) ON DELETE CASCADE,
  CHECK (has_text OR (sentiment IS NULL AND source = 'none'))
);
CREATE INDEX response_labelling_survey ON response_labelling (tenant_id, survey_id, sentiment);

CREATE TABLE response_labels (
  tenant_id    uuid NOT NULL,
  response_id  uuid NOT NULL,
  label_id     text NOT NULL,
  survey_id    uuid NOT NULL,
  source       text NOT NULL CHECK (source IN ('model', 'external', 'human')),
  PRIMARY KEY (tenant_id, response_id, label_id),
  FOREIGN KEY (tenant_id, response_id) REFERENCES response_labelling (tenant_id, response_id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, label_id) REFERENCES labels (tenant_id, id)
);
CREATE INDEX response_labels_survey_label ON response_labels (tenant_id, survey_id, label_id);

-- Where the background run stands per survey. Responses are read from a little before this point
-- (LOOKBACK in features/labelling/run.ts), because a response batch that committed late may carry
-- an earlier submitted_at; rows already in response_labelling are skipped.
CREATE TABLE labelling_cursors (
  tenant_id  uuid NOT NULL,
  survey_id  uuid NOT NULL,
  after_at   timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, survey_id),
  FOREIGN KEY (tenant_id, survey_id) REFERENCES surveys (tenant_id, id) ON DELETE CASCADE
);

-- OBLIGATIONS AI-2: a human correction is kept and becomes a training example of this customer's
-- model. The text is what the respondent typed, so it is encrypted with the tenant's key (SEC-1).
CREATE TABLE label_corrections (
  tenant_id     uuid NOT NULL,
  response_id   uuid NOT NULL,
  text_enc      bytea NOT NULL,
  lang          text NOT NULL CHECK (lang IN ('nl', 'en')),
  labels        text[] NOT NULL,
  sentiment     text NOT NULL CHECK (sentiment IN ('positive', 'negative', 'neutral', 'mixed')),
  corrected_by  uuid NOT NULL,
  corrected_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, response_id),
  FOREIGN KEY (tenant_id, response_id) REFERENCES responses (tenant_id, id) ON DELETE CASCADE
);

-- A correction that is erased (with its response, DSR-2) must leave the customer's model too: the
-- version goes up, so every process retrains without it before labelling anything else.
CREATE FUNCTION peil_label_correction_erased() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE labelling_settings SET model_version = model_version + 1 WHERE tenant_id = OLD.tenant_id;
  RETURN NULL;
END $$;
CREATE TRIGGER label_corrections_erased AFTER DELETE ON label_corrections FOR EACH ROW EXECUTE FUNCTION peil_label_correction_erased();

-- OBLIGATIONS AI-4: texts labelled per calendar month (Europe/Amsterdam), against the quota.
CREATE TABLE labelling_usage (
  tenant_id         uuid NOT NULL REFERENCES tenants (id),
  month             text NOT NULL CHECK (month ~ '^[0-9]{4}-[0-9]{2}$'),
  labelled          integer NOT NULL DEFAULT 0,
  external          integer NOT NULL DEFAULT 0,
  quota_reached_at  timestamptz,
  PRIMARY KEY (tenant_id, month)
);

-- ---------------------------------------------------------------- isolation

DO $$
DECLARE t text;
BEGIN
  FOR t IN SELECT unnest(ARRAY['labelling_settings', 'labelling_terms_acceptances', 'labels', 'response_labelling',
                               'response_labels', 'labelling_cursors', 'label_corrections', 'labelling_usage'])
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = peil_current_tenant()) '
                   'WITH CHECK (tenant_id = peil_current_tenant())', t);
  END LOOP;
END $$;

-- The background sweep and the operator's overview need to know which customers use the module and
-- how much, without a transaction per customer. Like login_lookup on users, this second policy shows
-- exactly these two tables (settings and counts, no personal data), for reading only, to a
-- transaction that names the purpose (Db.crossTenant).
CREATE POLICY labelling_overview ON labelling_settings FOR SELECT
  USING (current_setting('app.cross_tenant', true) = 'labelling');
CREATE POLICY labelling_overview ON labelling_usage FOR SELECT
  USING (current_setting('app.cross_tenant', true) = 'labelling');
