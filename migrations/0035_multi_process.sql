-- Issue 17 (more than one process): Peil runs as N processes on one PostgreSQL, so what must be shared
-- lives here, not in one process's memory.
--
-- rate_limit_counters: fixed-window request counters (sign-in per address and per account, open links,
-- request links, API keys), counted across processes. The key is a SHA-256 of the limit's name and what
-- it counts (an address, an email, a key id): no address or email is stored. Expired rows are pruned.
CREATE TABLE rate_limit_counters (
  key       bytea PRIMARY KEY,
  count     integer NOT NULL,
  reset_at  timestamptz NOT NULL
);
CREATE INDEX rate_limit_counters_reset ON rate_limit_counters (reset_at);

-- tick_leases: a periodic tick (lib/tick.ts) runs in one process at a time: the process that holds the
-- lease runs it, renews it while it runs and lets it go after; a crashed holder's lease runs out.
CREATE TABLE tick_leases (
  name    text PRIMARY KEY,
  holder  text NOT NULL,
  until   timestamptz NOT NULL
);

-- contact_uploads: a contact file between its upload and its commit (features/contacts/imports.ts), so
-- that the commit, the progress and the result can be asked of any process. The file itself is kept in
-- contact_upload_parts, sealed with the customer's key in parts of at most 1 MiB; both are deleted when
-- the import is done or the upload expires (an hour).
CREATE TABLE contact_uploads (
  tenant_id       uuid NOT NULL REFERENCES tenants (id),
  id              uuid NOT NULL,
  file_name_enc   bytea NOT NULL,
  shape           jsonb NOT NULL,
  bytes           bigint NOT NULL,
  total_rows      integer NOT NULL,
  status          text NOT NULL CHECK (status IN ('uploaded', 'importing', 'done', 'failed')),
  processed_rows  integer NOT NULL DEFAULT 0,
  result          jsonb,
  created_at      timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX contact_uploads_expiry ON contact_uploads (tenant_id, expires_at);

CREATE TABLE contact_upload_parts (
  tenant_id  uuid NOT NULL,
  upload_id  uuid NOT NULL,
  n          integer NOT NULL,
  data_enc   bytea NOT NULL,
  PRIMARY KEY (tenant_id, upload_id, n),
  FOREIGN KEY (tenant_id, upload_id) REFERENCES contact_uploads (tenant_id, id) ON DELETE CASCADE
);

ALTER TABLE contact_uploads ENABLE ROW LEVEL SECURITY;
ALTER TABLE contact_uploads FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON contact_uploads USING (tenant_id = peil_current_tenant())
  WITH CHECK (tenant_id = peil_current_tenant());
ALTER TABLE contact_upload_parts ENABLE ROW LEVEL SECURITY;
ALTER TABLE contact_upload_parts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON contact_upload_parts USING (tenant_id = peil_current_tenant())
  WITH CHECK (tenant_id = peil_current_tenant());
