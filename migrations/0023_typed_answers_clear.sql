-- OBLIGATIONS SVC-4 (issue 12): answers to number and date questions are stored in clear in
-- responses.answers beside the closed answers (surveys/definition.ts splitForStorage), so that results
-- can aggregate them in SQL. Responses written before this migration have them only in answers_enc;
-- results/typed.ts copies them once per survey, the first time its results are read (it needs the
-- tenant key, which SQL does not have). This column says whether that copy is done: false for every
-- survey that existed before this migration, true for surveys created after it.
ALTER TABLE surveys ADD COLUMN typed_answers_clear boolean NOT NULL DEFAULT false;
ALTER TABLE surveys ALTER COLUMN typed_answers_clear SET DEFAULT true;
