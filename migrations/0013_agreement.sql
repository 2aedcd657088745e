-- Issue 10 (OBLIGATIONS AGR-1, AGR-2, AGR-5, LOG-4): the processing agreement of each customer as a record.
--
-- One current agreement per customer, created with the defaults when the customer is created
-- (setup/service.ts) and here for the customers that exist already. The parties are not stored: the
-- processor is the operator's organisation (configuration), the controller the customer's name.
-- Every term the seeds leave to the parties is a typed column with its default and its bounds; the
-- same bounds are in features/agreement/terms.ts (zod), these CHECKs are the last line.
CREATE TABLE agreements (
  tenant_id                        uuid NOT NULL REFERENCES tenants (id),
  version                          text NOT NULL DEFAULT '1.0' CHECK (length(version) BETWEEN 1 AND 40),
  preset                           text CHECK (length(preset) <= 40),
  start_date                       date NOT NULL DEFAULT current_date,
  term_months                      integer NOT NULL DEFAULT 12 CHECK (term_months BETWEEN 1 AND 120),
  -- null: no automatic renewal, the agreement ends after its term.
  renewal_months                   integer DEFAULT 12 CHECK (renewal_months BETWEEN 1 AND 120),
  notice_months                    integer NOT NULL DEFAULT 2 CHECK (notice_months BETWEEN 0 AND 24),
  processor_contact_name           text CHECK (length(processor_contact_name) <= 200),
  processor_contact_email          text CHECK (length(processor_contact_email) <= 254),
  customer_contact_name            text CHECK (length(customer_contact_name) <= 200),
  customer_contact_email           text CHECK (length(customer_contact_email) <= 254),
  privacy_contact_email            text CHECK (length(privacy_contact_email) <= 254),
  breach_notice_hours              integer NOT NULL DEFAULT 24 CHECK (breach_notice_hours BETWEEN 1 AND 72),
  subprocessor_objection_days      integer NOT NULL DEFAULT 30 CHECK (subprocessor_objection_days BETWEEN 1 AND 90),
  dpa_change_objection_working_days integer NOT NULL DEFAULT 5 CHECK (dpa_change_objection_working_days BETWEEN 1 AND 30),
  audits_per_year                  integer NOT NULL DEFAULT 1 CHECK (audits_per_year BETWEEN 0 AND 12),
  audit_notice_days                integer NOT NULL DEFAULT 14 CHECK (audit_notice_days BETWEEN 0 AND 90),
  return_window_days               integer NOT NULL DEFAULT 30 CHECK (return_window_days BETWEEN 0 AND 365),
  choice_deadline_days             integer NOT NULL DEFAULT 14 CHECK (choice_deadline_days BETWEEN 0 AND 365),
  log_retention_months             integer NOT NULL DEFAULT 6 CHECK (log_retention_months BETWEEN 2 AND 120),
  processing_location              text NOT NULL DEFAULT 'EU' CHECK (processing_location IN ('EU', 'NL')),
  special_categories_allowed       boolean NOT NULL DEFAULT false,
  -- AGR-5: the customer's termination notice (who, when); late: given after the notice deadline, so
  -- the agreement runs to the end of the renewed term; ends_on: the day it ends (exclusive).
  notice_given_at                  timestamptz,
  notice_given_by                  uuid,
  notice_late                      boolean,
  notice_ends_on                   date,
  updated_at                       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id)
);
ALTER TABLE agreements ENABLE ROW LEVEL SECURITY;
ALTER TABLE agreements FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON agreements USING (tenant_id = peil_current_tenant())
  WITH CHECK (tenant_id = peil_current_tenant());

-- Existing customers: the defaults, started on the day they were created, with the log retention
-- they had (LOG-4 reads it from the agreement from now on; tenants.audit_retention_months is no
-- longer read).
INSERT INTO agreements (tenant_id, start_date, log_retention_months)
SELECT id, (created_at AT TIME ZONE 'Europe/Amsterdam')::date, audit_retention_months FROM tenants
ON CONFLICT DO NOTHING;
