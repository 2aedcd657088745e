-- Issue 17: a contact import is staged before it is merged. The commit reads, checks and seals the
-- file's rows and writes them here in many short transactions (features/contacts/imports.ts); then
-- one transaction merges them into contacts, set-based, or nothing at all (the all-or-nothing promise
-- of a file import kept without one transaction that parses and encrypts for many minutes). The rows
-- hold what the contacts table would: sealed personal values under the customer's key, the email's
-- blind index, and the plain grouping fields; they go when the import is done, fails or expires (with
-- their upload), and at key erasure.
--
-- UNLOGGED: the rows live for the minutes of one import. After a crash of the database they are gone,
-- and so is the import's connection: the import fails as a whole and can be committed again.
CREATE UNLOGGED TABLE contact_import_rows (
  tenant_id       uuid NOT NULL,
  upload_id       uuid NOT NULL,
  seq             integer NOT NULL,
  email_hmac      bytea NOT NULL,
  email_enc       bytea NOT NULL,
  first_name_enc  bytea,
  infix_enc       bytea,
  last_name_enc   bytea,
  phone_enc       bytea,
  gender          text,
  language        text,
  function        text,
  profile         jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (tenant_id, upload_id, seq),
  FOREIGN KEY (tenant_id, upload_id) REFERENCES contact_uploads (tenant_id, id) ON DELETE CASCADE
);

ALTER TABLE contact_import_rows ENABLE ROW LEVEL SECURITY;
ALTER TABLE contact_import_rows FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON contact_import_rows USING (tenant_id = peil_current_tenant())
  WITH CHECK (tenant_id = peil_current_tenant());
