-- Issue 11 (OBLIGATIONS END-1..END-5): the end of a customer's agreement.

-- OBLIGATIONS END-1: the reminders to export before the end, each sent once per end date and number
-- of days (60, 30, 7). A tenant table: removed with the customer's other rows at deletion (END-3).
CREATE TABLE ending_reminders (
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  ends_on    date NOT NULL,
  days       integer NOT NULL CHECK (days IN (60, 30, 7)),
  sent_at    timestamptz NOT NULL,
  recipients integer NOT NULL,
  -- 'privacy_contact' or 'owners': who was mailed, never an address.
  notified   text NOT NULL CHECK (notified IN ('privacy_contact', 'owners')),
  PRIMARY KEY (tenant_id, ends_on, days)
);
ALTER TABLE ending_reminders ENABLE ROW LEVEL SECURITY;
ALTER TABLE ending_reminders FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ending_reminders USING (tenant_id = peil_current_tenant())
  WITH CHECK (tenant_id = peil_current_tenant());

-- OBLIGATIONS END-2, END-3: the end of one customer: when it ended, the customer's choice (return or
-- deletion) and its deadline, the return window, and the deletion. One row per customer. It holds no
-- personal data (dates, a choice, the id of the owner who chose, counts) and it is KEPT when the
-- customer's rows are removed: it is the operator's record that and when the contract ended and the
-- data was deleted (features/ending/tables.ts EVIDENCE). Row-level security like every tenant table:
-- the customer's owner reads its own row through the application role.
CREATE TABLE tenant_endings (
  tenant_id          uuid NOT NULL REFERENCES tenants (id),
  ended_at           timestamptz NOT NULL,
  -- 'operator' (ended by hand) or 'agreement' (the end date passed, the tick ended it).
  ended_by           text NOT NULL CHECK (ended_by IN ('operator', 'agreement')),
  choice_deadline    timestamptz NOT NULL,
  return_window_days integer NOT NULL CHECK (return_window_days BETWEEN 0 AND 365),
  choice             text CHECK (choice IN ('return', 'deletion')),
  choice_at          timestamptz,
  choice_by          uuid,
  -- Return: the export stays available until then; deletion follows.
  return_until       timestamptz,
  deletion_started_at timestamptz,
  deleted_at         timestamptz,
  PRIMARY KEY (tenant_id),
  CHECK ((choice IS NULL) = (choice_at IS NULL)),
  CHECK (choice <> 'return' OR return_until IS NOT NULL)
);
ALTER TABLE tenant_endings ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_endings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_endings USING (tenant_id = peil_current_tenant())
  WITH CHECK (tenant_id = peil_current_tenant());

-- OBLIGATIONS END-4: the signed statement of deletion. A global table: when it is written, the
-- customer's rows, users and key are gone, so no customer can read it; the operator downloads it and
-- it is mailed to the customer's privacy contact or owners at deletion. No row-level security and no
-- privilege for the application role (grants.sql): written and read on the owner connection only.
-- The statement is the evidence that remains (with the system log): what was deleted, when, row
-- counts, the key's destruction; it names no person.
CREATE TABLE deletion_statements (
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  -- The signed file exactly as downloaded (JSON, UTF-8).
  document    text NOT NULL,
  key_id      text NOT NULL,
  PRIMARY KEY (tenant_id)
);
