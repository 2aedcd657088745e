-- Issue 17: cross-tabs from the rollup. A cross-tab of a closed question by a grouping counted every
-- response on every view (1M: 1.9 s). Keeping every pair of grouping and closed question in the
-- rollup would multiply it by the number of questions, so only the pairs someone has read are kept:
-- the first view of a pair adds it here (and is counted as before); the rollup job then counts it up
-- to the survey's cursor once (folded) and with every chunk after that (results/rollup.ts). Its rows
-- live in response_rollups ('x:<grouping>|<question>' and 'xn:…'), so a change behind the cursor
-- forgets them with the rest (0036, 0037). Names of a grouping and a question only: no answer, no person.
CREATE TABLE crosstab_rollups (
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  survey_id  uuid NOT NULL,
  grouping   text NOT NULL CHECK (length(grouping) <= 200),
  question   text NOT NULL CHECK (length(question) <= 40),
  folded     boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, survey_id, grouping, question),
  FOREIGN KEY (tenant_id, survey_id) REFERENCES surveys (tenant_id, id) ON DELETE CASCADE
);
ALTER TABLE crosstab_rollups ENABLE ROW LEVEL SECURITY;
ALTER TABLE crosstab_rollups FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON crosstab_rollups USING (tenant_id = (SELECT peil_current_tenant()))
  WITH CHECK (tenant_id = (SELECT peil_current_tenant()));
