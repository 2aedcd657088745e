-- Issue 12 (OBLIGATIONS SVC-4): the closed loop. In IDENTIFIED surveys only, an unhappy answer (or a
-- key score at or below a threshold) creates a follow-up for a chosen colleague, who is mailed a link,
-- and/or a signed `followup.created` event for the customer's webhooks.

-- One alert rule per survey. The sweep (features/followups/service.ts) reads the survey's responses
-- past the cursor (submitted_at, id), from 60 s before it, because a writer batch that started earlier
-- can commit later (as the webhooks do); responses from before `applies_from` (creation, or turning it
-- on again) create nothing. The survey must be identified: the API refuses the rule otherwise (409),
-- and the sweep reads only responses of identified surveys, whatever the rule says.
CREATE TABLE alert_rules (
  tenant_id       uuid NOT NULL REFERENCES tenants (id),
  survey_id       uuid NOT NULL,
  active          boolean NOT NULL DEFAULT true,
  -- 'unhappy': the worst group of the key score (NPS/eNPS detractor 0–6, CSAT 1–2, CES 5–7);
  -- 'threshold': key score <= threshold.
  trigger         text NOT NULL CHECK (trigger IN ('unhappy', 'threshold')),
  threshold       smallint CHECK (threshold BETWEEN 0 AND 10),
  -- The colleague who owns new follow-ups and is mailed (null: webhooks only).
  assignee_id     uuid,
  notify_email    boolean NOT NULL DEFAULT true,
  notify_webhooks boolean NOT NULL DEFAULT false,
  -- Hours, counted from the answer (calendar hours, not working days).
  due_hours       integer NOT NULL DEFAULT 48 CHECK (due_hours BETWEEN 1 AND 2160),
  applies_from    timestamptz NOT NULL DEFAULT now(),
  cursor_at       timestamptz NOT NULL DEFAULT now(),
  cursor_id       uuid NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000',
  created_by      uuid,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, survey_id),
  CHECK (trigger <> 'threshold' OR threshold IS NOT NULL),
  FOREIGN KEY (tenant_id, survey_id) REFERENCES surveys (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, assignee_id) REFERENCES users (tenant_id, id) ON DELETE SET NULL (assignee_id)
);

-- A follow-up of one response. Derived from the response: erasing the response (DSR-2, retention)
-- erases its follow-up (ON DELETE CASCADE), like the labels. Notes are personal data (what was said
-- to whom): sealed with the tenant key as a JSON list of {at, by, text}.
CREATE TABLE follow_ups (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  id            uuid NOT NULL,
  survey_id     uuid NOT NULL,
  response_id   uuid NOT NULL,
  contact_id    uuid,
  status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'done')),
  owner_id      uuid,
  notes_enc     bytea,
  answered_at   timestamptz NOT NULL,
  due_at        timestamptz NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  started_at    timestamptz,
  done_at       timestamptz,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  -- The mail to the owner: 'none' (no mail asked), 'pending' (the sweep sends it), 'sent', 'failed'.
  mail_status   text NOT NULL DEFAULT 'none' CHECK (mail_status IN ('none', 'pending', 'sent', 'failed')),
  mail_attempts integer NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, response_id),
  CHECK ((status = 'done') = (done_at IS NOT NULL)),
  FOREIGN KEY (tenant_id, response_id) REFERENCES responses (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, survey_id) REFERENCES surveys (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, owner_id) REFERENCES users (tenant_id, id) ON DELETE SET NULL (owner_id)
);
CREATE INDEX follow_ups_list ON follow_ups (tenant_id, status, due_at);
CREATE INDEX follow_ups_survey ON follow_ups (tenant_id, survey_id);
CREATE INDEX follow_ups_mail ON follow_ups (tenant_id) WHERE mail_status = 'pending';

DO $$
DECLARE t text;
BEGIN
  FOR t IN SELECT unnest(ARRAY['alert_rules', 'follow_ups'])
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = peil_current_tenant()) '
                   'WITH CHECK (tenant_id = peil_current_tenant())', t);
  END LOOP;
END $$;

-- The sweep finds the customers with work (an active rule, a mail to send) in one read that names its
-- purpose (Db.crossTenant('followups')); it then works inside each tenant. Only tenant ids are read.
CREATE POLICY followups_sweep ON alert_rules FOR SELECT
  USING (current_setting('app.cross_tenant', true) = 'followups' AND active);
CREATE POLICY followups_sweep ON follow_ups FOR SELECT
  USING (current_setting('app.cross_tenant', true) = 'followups' AND mail_status = 'pending');
