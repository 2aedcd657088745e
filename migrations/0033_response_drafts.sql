-- Issue 14: every step of a multi-page survey is a POST answered by 303 to a GET, so the browser's
-- Back button never asks to resubmit a form. The answers entered so far wait here between steps
-- (they used to travel along as hidden fields), sealed with the customer's key like stored answers.
-- A draft names its survey but neither invitation nor contact: the respondent's link carries the
-- draft's random id, so nothing in the database ties the answers of an anonymous survey to a person
-- (SVC-4). The final submit deletes the draft; a draft not finished expires (RESPONSE_DRAFT_HOURS).
CREATE TABLE response_drafts (
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  id          uuid NOT NULL,
  survey_id   uuid NOT NULL,
  values_enc  bytea NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, survey_id) REFERENCES surveys (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX response_drafts_expiry ON response_drafts (tenant_id, expires_at);

ALTER TABLE response_drafts ENABLE ROW LEVEL SECURITY;
ALTER TABLE response_drafts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON response_drafts USING (tenant_id = peil_current_tenant())
  WITH CHECK (tenant_id = peil_current_tenant());
