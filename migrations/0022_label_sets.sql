-- Labels per survey and per open question (issue 12; OBLIGATIONS AI-2, SVC-4).
--
-- * A label set per survey: customer experience, employee experience, or the customer's own set.
--   surveys.label_set NULL means the default from the survey's kind (eNPS: employee; others:
--   customer). labels.taxonomy now names the set a label belongs to ('own' added); the same id may
--   exist in two sets ("other"), so a label is (tenant_id, taxonomy, id), and response_labels and
--   label_corrections carry the set.
-- * Every open question is labelled: response_labelling, response_labels and label_corrections are
--   keyed by (response, question). Existing rows are the first open question's ("why" in NPS surveys),
--   as before.

-- Migrations run as the tables' owner, whom the forced row-level security also filters: released for
-- the backfill below, forced again at the end.
ALTER TABLE surveys NO FORCE ROW LEVEL SECURITY;
ALTER TABLE labelling_settings NO FORCE ROW LEVEL SECURITY;
ALTER TABLE labels NO FORCE ROW LEVEL SECURITY;
ALTER TABLE response_labelling NO FORCE ROW LEVEL SECURITY;
ALTER TABLE response_labels NO FORCE ROW LEVEL SECURITY;
ALTER TABLE label_corrections NO FORCE ROW LEVEL SECURITY;
ALTER TABLE labelling_cursors NO FORCE ROW LEVEL SECURITY;

-- ---------------------------------------------------------------- the set of a survey

ALTER TABLE surveys ADD COLUMN label_set text CHECK (label_set IN ('customer', 'employee', 'own'));
-- A customer that chose the employee set at activation keeps it for its existing non-eNPS surveys.
UPDATE surveys s SET label_set = 'employee'
  FROM labelling_settings ls
 WHERE ls.tenant_id = s.tenant_id AND ls.taxonomy = 'employee' AND s.kind <> 'enps';

-- ---------------------------------------------------------------- labels: (set, id)

ALTER TABLE labels DROP CONSTRAINT labels_taxonomy_check;
ALTER TABLE labels ADD CONSTRAINT labels_taxonomy_check CHECK (taxonomy IN ('customer', 'employee', 'own'));
-- The customer's own set has only its own labels.
ALTER TABLE labels ADD CONSTRAINT labels_own_not_standard CHECK (taxonomy <> 'own' OR NOT standard);
ALTER TABLE response_labels DROP CONSTRAINT response_labels_tenant_id_label_id_fkey;
ALTER TABLE response_labels DROP CONSTRAINT response_labels_tenant_id_response_id_fkey;
ALTER TABLE labels DROP CONSTRAINT labels_pkey;
ALTER TABLE labels ADD PRIMARY KEY (tenant_id, taxonomy, id);

-- ---------------------------------------------------------------- per open question

ALTER TABLE response_labelling ADD COLUMN question_id text;
UPDATE response_labelling l
   SET question_id = COALESCE((SELECT q.value->>'id'
                                 FROM surveys s, jsonb_array_elements(s.definition->'questions') WITH ORDINALITY AS q(value, n)
                                WHERE s.tenant_id = l.tenant_id AND s.id = l.survey_id AND q.value->>'type' = 'text'
                                ORDER BY q.n LIMIT 1), 'why');
ALTER TABLE response_labelling ALTER COLUMN question_id SET NOT NULL;
ALTER TABLE response_labelling ADD CONSTRAINT response_labelling_question_id_check CHECK (question_id ~ '^[a-z][a-z0-9_]{0,39}$');
ALTER TABLE response_labelling DROP CONSTRAINT response_labelling_pkey;
ALTER TABLE response_labelling ADD PRIMARY KEY (tenant_id, response_id, question_id);
-- The set the row was labelled in (NULL: no text, nothing labelled).
ALTER TABLE response_labelling ADD COLUMN label_set text CHECK (label_set IN ('customer', 'employee', 'own'));
UPDATE response_labelling l
   SET label_set = COALESCE(s.label_set, CASE WHEN s.kind = 'enps' THEN 'employee' ELSE 'customer' END)
  FROM surveys s
 WHERE s.tenant_id = l.tenant_id AND s.id = l.survey_id AND l.has_text;

ALTER TABLE response_labels ADD COLUMN question_id text;
ALTER TABLE response_labels ADD COLUMN label_set text;
UPDATE response_labels rl
   SET question_id = l.question_id, label_set = lb.taxonomy
  FROM response_labelling l, labels lb
 WHERE l.tenant_id = rl.tenant_id AND l.response_id = rl.response_id
   AND lb.tenant_id = rl.tenant_id AND lb.id = rl.label_id;
ALTER TABLE response_labels ALTER COLUMN question_id SET NOT NULL;
ALTER TABLE response_labels ALTER COLUMN label_set SET NOT NULL;
ALTER TABLE response_labels DROP CONSTRAINT response_labels_pkey;
ALTER TABLE response_labels ADD PRIMARY KEY (tenant_id, response_id, question_id, label_id);
ALTER TABLE response_labels ADD FOREIGN KEY (tenant_id, response_id, question_id) REFERENCES response_labelling (tenant_id, response_id, question_id) ON DELETE CASCADE;
ALTER TABLE response_labels ADD FOREIGN KEY (tenant_id, label_set, label_id) REFERENCES labels (tenant_id, taxonomy, id);
DROP INDEX response_labels_survey_label;
CREATE INDEX response_labels_survey_label ON response_labels (tenant_id, survey_id, question_id, label_set, label_id);
DROP INDEX response_labelling_survey;
CREATE INDEX response_labelling_survey ON response_labelling (tenant_id, survey_id, question_id, sentiment);

-- A correction is of one answer to one question, and teaches the model of one set.
ALTER TABLE label_corrections ADD COLUMN question_id text;
ALTER TABLE label_corrections ADD COLUMN label_set text CHECK (label_set IN ('customer', 'employee', 'own'));
UPDATE label_corrections c
   SET question_id = l.question_id, label_set = COALESCE(l.label_set, ls.taxonomy, 'customer')
  FROM response_labelling l LEFT JOIN labelling_settings ls ON ls.tenant_id = l.tenant_id
 WHERE l.tenant_id = c.tenant_id AND l.response_id = c.response_id;
UPDATE label_corrections c SET question_id = 'why', label_set = 'customer' WHERE question_id IS NULL;
ALTER TABLE label_corrections ALTER COLUMN question_id SET NOT NULL;
ALTER TABLE label_corrections ALTER COLUMN label_set SET NOT NULL;
ALTER TABLE label_corrections DROP CONSTRAINT label_corrections_pkey;
ALTER TABLE label_corrections ADD PRIMARY KEY (tenant_id, response_id, question_id);

-- Surveys with more than one open question: their answers are read again from the start, so the other
-- open questions of earlier responses are labelled too (rows that exist are skipped).
DELETE FROM labelling_cursors c
 USING surveys s
 WHERE s.tenant_id = c.tenant_id AND s.id = c.survey_id
   AND (SELECT count(*) FROM jsonb_array_elements(s.definition->'questions') q WHERE q->>'type' = 'text') > 1;

ALTER TABLE surveys FORCE ROW LEVEL SECURITY;
ALTER TABLE labelling_settings FORCE ROW LEVEL SECURITY;
ALTER TABLE labels FORCE ROW LEVEL SECURITY;
ALTER TABLE response_labelling FORCE ROW LEVEL SECURITY;
ALTER TABLE response_labels FORCE ROW LEVEL SECURITY;
ALTER TABLE label_corrections FORCE ROW LEVEL SECURITY;
ALTER TABLE labelling_cursors FORCE ROW LEVEL SECURITY;
