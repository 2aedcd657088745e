-- Issue 10 (OBLIGATIONS SUB-2, AUD-1): objection windows for sub-processor changes, and audit requests.

-- OBLIGATIONS SUB-2: one row per customer per announced change of the register: an entry that starts
-- to apply to the customer ('added': a new entry for all, or assigned to it) or an entry that applies and
-- changed ('changed'). The change is not applied to the customer while it is 'pending' (its objection
-- window runs, from the day the notice went out, for the customer's agreed subprocessor_objection_days)
-- or 'objected' (until the operator resolves it: 'withdrawn' or 'overridden'). The settle job moves a
-- pending change whose window has passed to 'applied' (silence is consent). A newer change of the same
-- entry supersedes a pending one; an objection is never superseded.
-- `entry` and `previous` are the register entry as announced and as it was: the operator's register,
-- no personal data. The objection's reason and the operator's note are free text: sealed with the
-- customer's key (bytea), so erasing the key erases them.
CREATE TABLE subprocessor_changes (
  tenant_id            uuid NOT NULL REFERENCES tenants (id),
  id                   uuid NOT NULL,
  subprocessor_id      uuid NOT NULL REFERENCES subprocessors (id),
  change               text NOT NULL CHECK (change IN ('added', 'changed')),
  entry                jsonb NOT NULL,
  previous             jsonb,
  status               text NOT NULL DEFAULT 'pending'
                         CHECK (status IN ('pending', 'objected', 'applied', 'withdrawn', 'overridden', 'superseded')),
  objection_days       integer NOT NULL CHECK (objection_days BETWEEN 1 AND 365),
  created_at           timestamptz NOT NULL DEFAULT now(),
  created_by           uuid,
  notified_at          timestamptz,
  notified_to          text CHECK (notified_to IN ('privacy_contact', 'owners', 'nobody')),
  -- The last day (inclusive, Europe/Amsterdam) on which the customer can object; null until notified.
  window_ends_on       date,
  objected_at          timestamptz,
  objected_by          uuid,
  objection_reason_enc bytea,
  resolved_at          timestamptz,
  resolved_by          uuid,
  resolution_note_enc  bytea,
  applied_at           timestamptz,
  PRIMARY KEY (tenant_id, id),
  CHECK (status <> 'objected' OR (objected_at IS NOT NULL AND objected_by IS NOT NULL AND objection_reason_enc IS NOT NULL))
);
CREATE INDEX subprocessor_changes_open ON subprocessor_changes (tenant_id, subprocessor_id, created_at);
ALTER TABLE subprocessor_changes ENABLE ROW LEVEL SECURITY;
ALTER TABLE subprocessor_changes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON subprocessor_changes USING (tenant_id = peil_current_tenant())
  WITH CHECK (tenant_id = peil_current_tenant());

-- OBLIGATIONS AUD-1: a customer's audit requests. Stored only when accepted (within the agreed number
-- per calendar year of the proposed date, with at least the agreed notice); the operator marks one done
-- or cancelled (a cancelled request no longer counts). The auditor's name and the scope are sealed with
-- the customer's key.
CREATE TABLE audit_requests (
  tenant_id         uuid NOT NULL REFERENCES tenants (id),
  id                uuid NOT NULL,
  requested_by      uuid NOT NULL,
  requested_at      timestamptz NOT NULL DEFAULT now(),
  proposed_date     date NOT NULL,
  auditor_name_enc  bytea NOT NULL,
  scope_enc         bytea NOT NULL,
  status            text NOT NULL DEFAULT 'accepted' CHECK (status IN ('accepted', 'done', 'cancelled')),
  status_changed_at timestamptz,
  status_changed_by uuid,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_requests_year ON audit_requests (tenant_id, proposed_date);
ALTER TABLE audit_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_requests FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_requests USING (tenant_id = peil_current_tenant())
  WITH CHECK (tenant_id = peil_current_tenant());
