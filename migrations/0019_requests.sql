-- Issue 11 (OBLIGATIONS DSR-1, DSR-2): requests of respondents, erasure everywhere.

-- OBLIGATIONS DSR-1: a respondent's request (access, rectification, erasure, objection, portability),
-- filed on the public request page. It is forwarded to the customer (the controller, who decides) only
-- after the respondent confirmed it from the mail sent to the address: 'unconfirmed' rows are visible
-- to nobody at the customer and expire. The requester's address is sealed with the customer key and
-- found by its blind index, like a contact's. `contact_id` is set when the request came from an
-- invitation, or when the confirmed address matches a contact (the customer's own data); it has no
-- foreign key, because erasing the contact must not erase the record of the request.
-- Dates: `received_at` is the confirmation (the request reaches the customer then); `due_on` the last
-- day to answer (one calendar month later, Europe/Amsterdam, GDPR art. 12(3)); an extension moves it by
-- two further months once, with a reason, and keeps `original_due_on`.
CREATE TABLE data_subject_requests (
  tenant_id            uuid NOT NULL REFERENCES tenants (id),
  id                   uuid NOT NULL,
  kind                 text NOT NULL CHECK (kind IN ('access', 'rectification', 'erasure', 'objection', 'portability')),
  lang                 text NOT NULL CHECK (lang IN ('nl', 'en')),
  source               text NOT NULL CHECK (source IN ('invitation', 'open')),
  invitation_id        uuid,
  contact_id           uuid,
  email_hmac           bytea NOT NULL,
  -- Null once the person was erased or the request expired unconfirmed: only the blind index stays.
  email_enc            bytea,
  message_enc          bytea,
  status               text NOT NULL DEFAULT 'unconfirmed'
                         CHECK (status IN ('unconfirmed', 'received', 'extended', 'done', 'refused', 'expired')),
  confirm_hash         bytea,
  confirm_expires_at   timestamptz NOT NULL,
  created_at           timestamptz NOT NULL DEFAULT now(),
  received_at          timestamptz,
  due_on               date,
  original_due_on      date,
  extended_at          timestamptz,
  extension_reason_enc bytea,
  forwarded_to         text CHECK (forwarded_to IN ('privacy_contact', 'owners', 'nobody')),
  reminded_for         date,
  decided_at           timestamptz,
  decided_by           uuid,
  decision_reason_enc  bytea,
  PRIMARY KEY (tenant_id, id),
  CHECK (status = 'unconfirmed' OR status = 'expired' OR (received_at IS NOT NULL AND due_on IS NOT NULL))
);
CREATE UNIQUE INDEX data_subject_requests_confirm ON data_subject_requests (tenant_id, confirm_hash) WHERE confirm_hash IS NOT NULL;
CREATE INDEX data_subject_requests_email ON data_subject_requests (tenant_id, email_hmac, created_at);
CREATE INDEX data_subject_requests_open ON data_subject_requests (tenant_id, due_on) WHERE status IN ('received', 'extended');
ALTER TABLE data_subject_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE data_subject_requests FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON data_subject_requests USING (tenant_id = peil_current_tenant())
  WITH CHECK (tenant_id = peil_current_tenant());

-- OBLIGATIONS DSR-2, LOG-2: the key that seals a contact's before/after images in the audit log
-- (contacts/history.ts). A random 32-byte key per contact, itself sealed with the customer key. A
-- deletion keeps it (the deletion can be undone from the log); an erasure (DSR-2) deletes it, so every
-- image of that person in the log becomes unreadable while the log rows, and so the hash chain, stay
-- exactly as they were. No foreign key to contacts: the key outlives an (undoable) deletion.
CREATE TABLE contact_image_keys (
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  contact_id uuid NOT NULL,
  key_enc    bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, contact_id)
);
ALTER TABLE contact_image_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE contact_image_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON contact_image_keys USING (tenant_id = peil_current_tenant())
  WITH CHECK (tenant_id = peil_current_tenant());

-- OBLIGATIONS DSR-2: one row per erased person: the contact id (a pseudonym once the contact is gone)
-- and the blind index of its address, no clear data. A restore re-applies every tombstone the restored
-- database lacks (features/backup/restore.ts), so an older backup does not bring the person back.
CREATE TABLE erasure_tombstones (
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  contact_id uuid NOT NULL,
  email_hmac bytea NOT NULL,
  erased_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, contact_id)
);
CREATE INDEX erasure_tombstones_email ON erasure_tombstones (tenant_id, email_hmac);
ALTER TABLE erasure_tombstones ENABLE ROW LEVEL SECURITY;
ALTER TABLE erasure_tombstones FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON erasure_tombstones USING (tenant_id = peil_current_tenant())
  WITH CHECK (tenant_id = peil_current_tenant());
