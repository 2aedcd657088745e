-- Issue 9 (OBLIGATIONS SVC-4, ACC-2): disclosure control for shielded surveys.

-- A profile field the customer marked as a grouping field may be used to break results down by
-- users who may not read contact details (analysts, viewers), with the survey's minimum group size.
ALTER TABLE profile_fields ADD COLUMN grouping boolean NOT NULL DEFAULT false;

-- The breakdown of a confidential survey, computed once over one release (results/disclosure.ts) and
-- then only read: a breakdown recomputed after a contact moved to another group, or after more
-- answers came in, would give a second table to subtract from the first. One field per survey: two
-- breakdowns of the same answers by different fields can be subtracted from each other too.
CREATE TABLE released_breakdowns (
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  survey_id  uuid NOT NULL,
  field      text NOT NULL,
  released   integer NOT NULL,
  result     jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, survey_id),
  FOREIGN KEY (tenant_id, survey_id) REFERENCES surveys (tenant_id, id) ON DELETE CASCADE
);
ALTER TABLE released_breakdowns ENABLE ROW LEVEL SECURITY;
ALTER TABLE released_breakdowns FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON released_breakdowns USING (tenant_id = peil_current_tenant())
  WITH CHECK (tenant_id = peil_current_tenant());

-- The minimum group size whose release schedule a survey keeps when its size is raised after answers
-- came in (results/release.ts); null: its min_group_size.
ALTER TABLE surveys ADD COLUMN release_base integer CHECK (release_base BETWEEN 2 AND 1000);
