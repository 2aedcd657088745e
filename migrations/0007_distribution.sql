-- Issue 4, distribution (OBLIGATIONS SVC-3, DSR-3): suppression list, email templates, throttling,
-- selections, scheduling and reminders.

-- DSR-3: addresses that get no mail from this customer any more. Keyed by the email's blind index, so
-- a suppression survives re-imports and the deletion of the contact. email_enc (sealed with the tenant
-- key) is kept to show the list to those who may read contact details; it is NULL for 'erased', where
-- only the blind index remains.
CREATE TABLE suppressions (
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  email_hmac  bytea NOT NULL,
  email_enc   bytea,
  reason      text NOT NULL CHECK (reason IN ('unsubscribed', 'erased', 'bounced', 'manual')),
  source      text NOT NULL,
  details     jsonb NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, email_hmac)
);

-- Texts of invitation and reminder mails (not personal data: clear text). At most one default per kind.
CREATE TABLE email_templates (
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  id          uuid NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('invitation', 'reminder')),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  subject     jsonb NOT NULL,
  body        jsonb NOT NULL,
  is_default  boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX email_templates_default ON email_templates (tenant_id, kind) WHERE is_default;

-- One row per customer: throttle_days = 0 means off.
CREATE TABLE distribution_settings (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  throttle_days integer NOT NULL DEFAULT 0 CHECK (throttle_days BETWEEN 0 AND 365),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id)
);

-- A distribution is 'scheduled' until its send_at (the row is the truth: a tick claims due rows),
-- 'sending' once released to the send job, or 'cancelled' before it started.
ALTER TABLE distributions
  ADD COLUMN kind text NOT NULL DEFAULT 'selection' CHECK (kind IN ('selection', 'api')),
  ADD COLUMN status text NOT NULL DEFAULT 'sending' CHECK (status IN ('scheduled', 'sending', 'cancelled')),
  ADD COLUMN send_at timestamptz,
  ADD COLUMN selection jsonb,
  ADD COLUMN template_id uuid,
  ADD COLUMN reminder_template_id uuid,
  ADD COLUMN reminders_max integer NOT NULL DEFAULT 0 CHECK (reminders_max BETWEEN 0 AND 5),
  ADD COLUMN reminder_interval_days integer NOT NULL DEFAULT 7 CHECK (reminder_interval_days >= 1),
  ADD COLUMN cancelled_at timestamptz;
CREATE INDEX distributions_scheduled ON distributions (tenant_id, send_at) WHERE status = 'scheduled';

ALTER TABLE invitations DROP CONSTRAINT invitations_status_check;
ALTER TABLE invitations
  ADD CONSTRAINT invitations_status_check CHECK (status IN ('queued', 'sent', 'failed', 'suppressed')),
  ADD COLUMN reminders_sent integer NOT NULL DEFAULT 0,
  ADD COLUMN last_reminded_at timestamptz;
-- Throttling looks up a contact's recent invitations across all surveys.
CREATE INDEX invitations_contact ON invitations (tenant_id, contact_id, created_at);
CREATE INDEX invitations_reminders ON invitations (tenant_id, distribution_id) WHERE status = 'sent' AND responded_at IS NULL;

DO $$
DECLARE t text;
BEGIN
  FOR t IN SELECT unnest(ARRAY['suppressions', 'email_templates', 'distribution_settings'])
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = peil_current_tenant()) '
                   'WITH CHECK (tenant_id = peil_current_tenant())', t);
  END LOOP;
END $$;
