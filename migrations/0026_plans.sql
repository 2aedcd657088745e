-- Issue 13 (OBLIGATIONS SVC-6): plans and usage. The operator defines plans (limits per customer and
-- the features a plan includes), assigns one per customer and extends a limit during the term. Usage
-- is counted in the transaction of the change (one upsert on a counter row), never by a scan per
-- request. A customer without a plan has no limits: customers from before this migration keep working
-- until the operator assigns them a plan.

-- The operator's plans (global: a plan is offered to many customers). A null limit is unlimited.
-- Read by customers' requests (their own plan's limits, through plan_assignments); written by the
-- operator on the owner connection (Db.owner 'plans'), so no customer's request can change a plan.
CREATE TABLE plans (
  id                   uuid PRIMARY KEY,
  name                 text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
  contacts             integer CHECK (contacts >= 0),
  responses_per_month  integer CHECK (responses_per_month >= 0),
  surveys              integer CHECK (surveys >= 0),
  users                integer CHECK (users >= 1),
  labelled_per_month   integer CHECK (labelled_per_month >= 0),
  feature_ai           boolean NOT NULL DEFAULT true,
  feature_api          boolean NOT NULL DEFAULT true,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);

-- A customer's plan (one row, or none: no limits). `since`: when it was assigned.
CREATE TABLE plan_assignments (
  tenant_id    uuid NOT NULL REFERENCES tenants (id),
  plan_id      uuid NOT NULL REFERENCES plans (id),
  since        timestamptz NOT NULL DEFAULT now(),
  assigned_by  uuid,
  PRIMARY KEY (tenant_id)
);
CREATE INDEX plan_assignments_plan ON plan_assignments (plan_id);

-- An extension during the term: `extra` more of one limit, from `valid_from` to `valid_until`
-- (inclusive; days in Europe/Amsterdam). Added by the operator, with a reason; never changed.
CREATE TABLE plan_extensions (
  tenant_id    uuid NOT NULL REFERENCES tenants (id),
  id           uuid NOT NULL,
  metric       text NOT NULL CHECK (metric IN ('contacts', 'responses', 'surveys', 'users', 'labelled')),
  extra        integer NOT NULL CHECK (extra > 0),
  valid_from   date NOT NULL,
  valid_until  date NOT NULL,
  reason       text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
  created_by   uuid,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CHECK (valid_until >= valid_from)
);

-- The counters. `period`: 'total' for current totals (contacts, surveys, users), or the month
-- 'YYYY-MM' in Europe/Amsterdam for per-month metrics (responses, labelled). A total's row is created
-- from one count of the table the first time it is needed (features/plans/limits.ts), then kept by
-- the changes; the plans tick recounts totals to correct drift.
CREATE TABLE usage_counters (
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  metric      text NOT NULL CHECK (metric IN ('contacts', 'responses', 'surveys', 'users', 'labelled')),
  period      text NOT NULL CHECK (period = 'total' OR period ~ '^[0-9]{4}-[0-9]{2}$'),
  value       bigint NOT NULL DEFAULT 0,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, metric, period)
);

-- The mails at 80 % and 100 % of a limit: once per metric, period and level.
CREATE TABLE usage_notices (
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  metric      text NOT NULL CHECK (metric IN ('contacts', 'responses', 'surveys', 'users', 'labelled')),
  period      text NOT NULL,
  level       smallint NOT NULL CHECK (level IN (80, 100)),
  used        bigint NOT NULL,
  limit_value bigint NOT NULL,
  recipients  integer NOT NULL,
  sent_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, metric, period, level)
);

DO $$
DECLARE t text;
BEGIN
  FOR t IN SELECT unnest(ARRAY['plan_assignments', 'plan_extensions', 'usage_counters', 'usage_notices'])
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = peil_current_tenant()) '
                   'WITH CHECK (tenant_id = peil_current_tenant())', t);
  END LOOP;
END $$;
