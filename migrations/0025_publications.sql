-- Issue 13 (OBLIGATIONS BEN-2): publications of results. An owner publishes chosen aggregates of one
-- survey as a public page (/p/<token>), a widget for an iframe (/p/<token>/widget) and an SVG badge
-- (/p/<token>/badge.svg). The token is not stored: it is tenant id + publication id + a MAC with a key
-- derived from the customer's data key (features/publications/token.ts), so it cannot be guessed,
-- names the row, and dies with the key (erase-key).
--
-- What is public is a SNAPSHOT (`content`): computed by one function (features/publications/content.ts)
-- when the owner publishes or refreshes, from the preview the owner approved (`content_sha256` must equal
-- the hash of the preview shown, else 409). It holds aggregates only, computed under the survey's
-- disclosure rules (results/public.ts): never a comment, never a number below the minimum group size.
CREATE TABLE publications (
  tenant_id      uuid NOT NULL REFERENCES tenants (id),
  id             uuid NOT NULL,
  survey_id      uuid NOT NULL,
  -- Which forms are served: the page, the widget, the badge (at least one).
  kinds          text[] NOT NULL CHECK (cardinality(kinds) > 0 AND kinds <@ ARRAY['page', 'widget', 'badge']),
  -- What is shown beside the key score: the response count, the trend, closed questions by id.
  show_responses boolean NOT NULL DEFAULT true,
  show_trend     boolean NOT NULL DEFAULT false,
  question_ids   text[] NOT NULL DEFAULT '{}',
  -- The title the owner chose ({nl, en}); null: the key score's name.
  title          jsonb,
  content        jsonb NOT NULL,
  content_sha256 text NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
  published_at   timestamptz NOT NULL DEFAULT now(),
  created_by     uuid,
  created_at     timestamptz NOT NULL DEFAULT now(),
  withdrawn_by   uuid,
  withdrawn_at   timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, survey_id) REFERENCES surveys (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id) ON DELETE SET NULL (created_by),
  FOREIGN KEY (tenant_id, withdrawn_by) REFERENCES users (tenant_id, id) ON DELETE SET NULL (withdrawn_by)
);
CREATE INDEX publications_survey ON publications (tenant_id, survey_id);

ALTER TABLE publications ENABLE ROW LEVEL SECURITY;
ALTER TABLE publications FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON publications USING (tenant_id = peil_current_tenant())
  WITH CHECK (tenant_id = peil_current_tenant());
