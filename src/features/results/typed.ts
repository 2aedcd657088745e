import { sql } from 'kysely';
import type { Tx } from '../../lib/db/db.js';
import { commentQuestion, isAnsweredText, sealedText, type SurveyDefinition } from '../surveys/definition.js';

/**
 * Issue 12: number and date answers are stored in clear in responses.answers (surveys/definition.ts
 * splitForStorage). Responses written before that have them only in the sealed answers_enc; this
 * copies them into responses.answers, once per survey (surveys.typed_answers_clear, migration 0023).
 * Issue 17: the same for whether each open question was answered (`true`, never the text;
 * surveys.text_answers_flagged, migration 0040), from which the results count comments.
 *
 * When: the first time the survey's results are read, in the same transaction and before anything is
 * aggregated, so that no result is ever computed over half-copied answers and nothing runs for surveys
 * nobody reads. Idempotent: it merges the sealed values over the clear ones (the same values), so a
 * second run, or two readers at once, write the same thing. Only the survey's current number and date
 * questions are copied, and only values of the right type. After erase-key nothing can run here: the
 * key is gone (the keyring refuses), and migration 0012 would refuse the clear values anyway. After
 * retention the sealed copy no longer holds numbers or dates, so nothing comes back.
 */
export async function ensureTypedAnswersClear(
  tx: Tx,
  open: (blob: Buffer) => { answers?: Record<string, unknown>; why?: string | null },
  survey: { id: string; definition: SurveyDefinition },
): Promise<number> {
  const flags = await tx
    .selectFrom('surveys')
    .select(['typed_answers_clear', 'text_answers_flagged'])
    .where('id', '=', survey.id)
    .executeTakeFirst();
  if (!flags || (flags.typed_answers_clear && flags.text_answers_flagged)) return 0;
  const questions = survey.definition.questions;
  const typed = flags.typed_answers_clear ? [] : questions.filter((q) => q.type === 'number' || q.type === 'date');
  // Issue 17 (0040): `true` for each open question answered, so the rollup counts the comments.
  const texts = flags.text_answers_flagged ? [] : questions.filter((q) => q.type === 'text');
  const comment = commentQuestion(survey.definition);
  let copied = 0;
  if (typed.length || texts.length) {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = await tx
        .selectFrom('responses')
        .select(['id', 'answers_enc'])
        .where('survey_id', '=', survey.id)
        .where('id', '>', after)
        .orderBy('id')
        .limit(1000)
        .execute();
      if (!rows.length) break;
      after = rows.at(-1)!.id;
      const ids: string[] = [];
      const values: string[] = [];
      for (const r of rows) {
        const opened = open(r.answers_enc);
        const sealed = opened.answers ?? {};
        const add: Record<string, number | string | true> = {};
        for (const q of typed) {
          const v = sealed[q.id];
          if (q.type === 'number' && typeof v === 'number' && Number.isFinite(v)) add[q.id] = v;
          if (q.type === 'date' && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) add[q.id] = v;
        }
        for (const q of texts) if (isAnsweredText(sealedText(opened, q.id, q.id === comment?.id))) add[q.id] = true;
        if (Object.keys(add).length) {
          ids.push(r.id);
          values.push(JSON.stringify(add));
        }
      }
      if (ids.length) {
        await sql`
          UPDATE responses r SET answers = coalesce(r.answers, '{}'::jsonb) || u.add
            FROM unnest(${ids}::uuid[], ${values}::jsonb[]) AS u(id, add)
           WHERE r.survey_id = ${survey.id}::uuid AND r.id = u.id`.execute(tx);
        copied += ids.length;
      }
    }
  }
  await tx
    .updateTable('surveys')
    .set({ typed_answers_clear: true, text_answers_flagged: true })
    .where('id', '=', survey.id)
    .execute();
  return copied;
}
