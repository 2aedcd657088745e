-- Survey model in depth (OBLIGATIONS SVC-2, SVC-3 open link, SVC-4 anonymity thresholds).

-- Survey kinds beside NPS: the template a survey started from (its questions are in `definition`).
ALTER TABLE surveys DROP CONSTRAINT surveys_kind_check;
ALTER TABLE surveys ADD CONSTRAINT surveys_kind_check CHECK (kind IN ('nps', 'enps', 'csat', 'ces', 'custom'));

-- Anonymity: identified (answers linked to the contact), confidential (linked, but customer staff see
-- only groups of at least min_group_size), anonymous (no link at all between response and contact).
ALTER TABLE surveys
  ADD COLUMN anonymity text NOT NULL DEFAULT 'identified' CHECK (anonymity IN ('identified', 'confidential', 'anonymous')),
  ADD COLUMN min_group_size integer NOT NULL DEFAULT 5 CHECK (min_group_size BETWEEN 2 AND 1000),
  -- The open link (/s/o/<token>): off until enabled; optionally one response per browser (a cookie).
  ADD COLUMN open_link_enabled boolean NOT NULL DEFAULT false,
  ADD COLUMN open_link_once_per_browser boolean NOT NULL DEFAULT false;

-- Closed answers (scales, choices) in clear, for aggregation: {"<question id>": 7 | "option" | ["a","b"]}.
-- What a respondent typed (open text, numbers, dates) stays in answers_enc only.
ALTER TABLE responses ADD COLUMN answers jsonb;

-- A draft's responses would be previews; drafts are answered by nobody (the writer requires 'open').
