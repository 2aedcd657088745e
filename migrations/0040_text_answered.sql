-- Issue 17: each open question's number of comments from the rollup (its 'answered:' histogram)
-- instead of decrypting the newest 2,000 answers on every view. The writer now stores `true` in
-- responses.answers for an open question that was answered (surveys/definition.ts splitForStorage):
-- whether, never what. Responses written before have it only in the sealed answers_enc;
-- results/typed.ts sets it once per survey, the first time its results are read, as 0023 does for
-- numbers and dates. This column says whether that is done: false for every survey that existed
-- before this migration, true for surveys created after it.
ALTER TABLE surveys ADD COLUMN text_answers_flagged boolean NOT NULL DEFAULT false;
ALTER TABLE surveys ALTER COLUMN text_answers_flagged SET DEFAULT true;
