import { z } from 'zod';
import { keyQuestion, commentQuestion, scaleOf, type AnswerValue, type SurveyDefinition } from './definition.js';

/**
 * THE shape of one response's answers outside Peil (issue 15): per question id of the survey, typed per
 * question type. Used by the responses API (GET /api/v1/surveys/{id}/responses) and by the
 * `response.completed` webhook event, so both say the same and the OpenAPI document describes both.
 *
 * - nps, enps, csat, ces, rating, number: a number
 * - single: the option value (string); multiple: the option values (string[], in the options' order)
 * - text: the text; date: `YYYY-MM-DD`
 *
 * A question that was not answered (or not shown) is absent. What is stored (answers_enc) is the
 * wrapper `{score, why, answers}` of splitForStorage; responses from before typed answers hold only
 * `score` and `why`, which are put under the survey's key question and comment question.
 */
export const answerValue = z.union([z.number(), z.string(), z.array(z.string())]);
export const answersById = z
  .record(z.string(), answerValue)
  .describe(
    "The respondent's answers per question id of the survey (questions not answered or not shown are absent): a number for nps, enps, csat, ces, rating and number questions; the option value for single, the option values (array) for multiple; the text for text questions; `YYYY-MM-DD` for date questions.",
  )
  .meta({
    examples: [{ score: 9, why: 'Snel geholpen', channel: 'phone', topics: ['price', 'speed'], visit: '2026-11-20' }],
  });
export type AnswersById = z.infer<typeof answersById>;

interface Sealed {
  score?: number | null;
  why?: string | null;
  answers?: Record<string, unknown>;
}

/** The stored (sealed, decrypted) answers of one response as answers per question id. */
export function answersByQuestion(def: SurveyDefinition, sealed: Sealed): AnswersById {
  const stored: Record<string, unknown> = { ...(sealed.answers ?? {}) };
  const key = keyQuestion(def);
  const comment = commentQuestion(def);
  if (key && stored[key.id] === undefined && typeof sealed.score === 'number') stored[key.id] = sealed.score;
  if (comment && stored[comment.id] === undefined && typeof sealed.why === 'string' && sealed.why)
    stored[comment.id] = sealed.why;
  const out: AnswersById = {};
  for (const q of def.questions) {
    const v = typed(q.type, stored[q.id], scaleOf(q) !== null);
    if (v !== undefined) out[q.id] = v;
  }
  return out;
}

function typed(
  type: SurveyDefinition['questions'][number]['type'],
  v: unknown,
  scale: boolean,
): AnswerValue | undefined {
  if (v === undefined || v === null) return undefined;
  if (scale || type === 'number') {
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    return Number.isFinite(n) ? n : undefined;
  }
  if (type === 'multiple') return (Array.isArray(v) ? v : [v]).map(String);
  if (Array.isArray(v)) return v.length ? String(v[0]) : undefined;
  return String(v);
}
