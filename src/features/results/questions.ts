import { sql } from 'kysely';
import { z } from 'zod';
import type { Tx } from '../../lib/db/db.js';
import { keyQuestion, scaleOf, type Question, type SurveyDefinition } from '../surveys/definition.js';
import { summarize } from './nps.js';
import { inRelease, type Release } from './release.js';

/**
 * Per-question results (OBLIGATIONS SVC-4), from the closed answers stored in clear
 * (responses.answers) and the key score (responses.score, which older NPS responses have too).
 * Typed answers (open text, numbers, dates) are encrypted and not aggregated here.
 */
const count = z.object({ value: z.union([z.string(), z.number()]), count: z.number() });
export const questionResult = z.object({
  id: z.string(),
  type: z.string(),
  text: z.object({ nl: z.string(), en: z.string() }),
  answered: z.number().nullable().describe('answers to this question (null for typed answers, which are encrypted)'),
  distribution: z.array(count).describe('answers per scale point or option'),
  mean: z.number().nullable().describe('mean of a scale (CES, CSAT, rating, NPS)'),
  nps: z.number().nullable().optional().describe('NPS/eNPS from −100 to 100'),
  promoters: z.number().optional(),
  passives: z.number().optional(),
  detractors: z.number().optional(),
  satisfiedPercent: z.number().nullable().optional().describe('CSAT: share of 4 and 5'),
  suppressed: z.boolean().optional().describe('confidential and anonymous surveys: fewer than minGroupSize of the released responses answered this question, so its answers are not shown'),
});
export type QuestionResult = z.infer<typeof questionResult>;

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * `cutoff`: the release of a shielded survey (release.ts; undefined: every response). With
 * `minGroup`, a question answered by fewer of the released respondents shows only that count.
 */
export async function questionResults(tx: Tx, surveyId: string, def: SurveyDefinition, cutoff?: Release['cutoff'], minGroup?: number): Promise<QuestionResult[]> {
  const key = keyQuestion(def);
  const counts = new Map<string, Map<string, number>>();
  const add = (q: string, v: string, n: number) => {
    const m = counts.get(q) ?? new Map<string, number>();
    m.set(v, (m.get(v) ?? 0) + n);
    counts.set(q, m);
  };
  const rows = await sql<{ q: string; v: string; n: number }>`
    SELECT a.key AS q, coalesce(e.value, a.value)::text AS v, count(*)::int AS n
      FROM responses r
     CROSS JOIN LATERAL jsonb_each(r.answers) a
      LEFT JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(a.value) = 'array' THEN a.value ELSE '[]'::jsonb END) e ON true
     WHERE r.survey_id = ${surveyId}::uuid AND r.answers IS NOT NULL AND ${inRelease(cutoff)}
       AND (jsonb_typeof(a.value) <> 'array' OR e.value IS NOT NULL)
     GROUP BY 1, 2`.execute(tx);
  for (const r of rows.rows) if (r.q !== key?.id) add(r.q, String(JSON.parse(r.v) as string | number), r.n);
  const answeredRows = await sql<{ q: string; n: number }>`
    SELECT a.key AS q, count(*)::int AS n FROM responses r CROSS JOIN LATERAL jsonb_object_keys(r.answers) a(key)
     WHERE r.survey_id = ${surveyId}::uuid AND r.answers IS NOT NULL AND ${inRelease(cutoff)} GROUP BY 1`.execute(tx);
  const answered = new Map(answeredRows.rows.map((r) => [r.q, r.n]));
  if (key) {
    const byScore = await tx.selectFrom('responses as r').select(['r.score', (eb) => eb.fn.countAll<string>().as('n')]).where('r.survey_id', '=', surveyId).where('r.score', 'is not', null).where(inRelease(cutoff)).groupBy('r.score').execute();
    let total = 0;
    for (const r of byScore) {
      add(key.id, String(r.score), Number(r.n));
      total += Number(r.n);
    }
    answered.set(key.id, total);
  }
  return def.questions.map((q) => {
    const r = resultOf(q, counts.get(q.id) ?? new Map(), answered.get(q.id) ?? 0);
    if (minGroup === undefined || r.answered === null || r.answered >= minGroup) return r;
    return { id: r.id, type: r.type, text: r.text, answered: r.answered, distribution: [], mean: null, suppressed: true };
  });
}

function resultOf(q: Question, m: Map<string, number>, answered: number): QuestionResult {
  const base = { id: q.id, type: q.type, text: q.text };
  const scale = scaleOf(q);
  if (scale) {
    const distribution = Array.from({ length: scale.max - scale.min + 1 }, (_, i) => ({ value: scale.min + i, count: m.get(String(scale.min + i)) ?? 0 }));
    const n = distribution.reduce((s, d) => s + d.count, 0);
    const mean = n ? round1(distribution.reduce((s, d) => s + d.value * d.count, 0) / n) : null;
    const out: QuestionResult = { ...base, answered: n, distribution, mean };
    if (q.type === 'nps' || q.type === 'enps') {
      const by = (lo: number, hi: number) => distribution.filter((d) => d.value >= lo && d.value <= hi).reduce((s, d) => s + d.count, 0);
      const sum = summarize(by(9, 10), by(7, 8), by(0, 6));
      Object.assign(out, { nps: sum.nps, promoters: sum.promoters.count, passives: sum.passives.count, detractors: sum.detractors.count });
    }
    if (q.type === 'csat') out.satisfiedPercent = n ? round1((distribution.filter((d) => d.value >= 4).reduce((s, d) => s + d.count, 0) / n) * 100) : null;
    return out;
  }
  if (q.type === 'single' || q.type === 'multiple') {
    return { ...base, answered, distribution: q.options.map((o) => ({ value: o.value, count: m.get(o.value) ?? 0 })), mean: null };
  }
  return { ...base, answered: null, distribution: [], mean: null };
}
