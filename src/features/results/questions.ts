import { sql } from 'kysely';
import { z } from 'zod';
import type { Tx } from '../../lib/db/db.js';
import { keyQuestion, scaleOf, type Question, type SurveyDefinition } from '../surveys/definition.js';
import { summarize } from './nps.js';

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
});
export type QuestionResult = z.infer<typeof questionResult>;

const round1 = (n: number) => Math.round(n * 10) / 10;

export async function questionResults(tx: Tx, surveyId: string, def: SurveyDefinition): Promise<QuestionResult[]> {
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
     WHERE r.survey_id = ${surveyId}::uuid AND r.answers IS NOT NULL
       AND (jsonb_typeof(a.value) <> 'array' OR e.value IS NOT NULL)
     GROUP BY 1, 2`.execute(tx);
  for (const r of rows.rows) if (r.q !== key?.id) add(r.q, String(JSON.parse(r.v) as string | number), r.n);
  const answeredRows = await sql<{ q: string; n: number }>`
    SELECT a.key AS q, count(*)::int AS n FROM responses r CROSS JOIN LATERAL jsonb_object_keys(r.answers) a(key)
     WHERE r.survey_id = ${surveyId}::uuid AND r.answers IS NOT NULL GROUP BY 1`.execute(tx);
  const answered = new Map(answeredRows.rows.map((r) => [r.q, r.n]));
  if (key) {
    const byScore = await tx.selectFrom('responses').select(['score', (eb) => eb.fn.countAll<string>().as('n')]).where('survey_id', '=', surveyId).where('score', 'is not', null).groupBy('score').execute();
    let total = 0;
    for (const r of byScore) {
      add(key.id, String(r.score), Number(r.n));
      total += Number(r.n);
    }
    answered.set(key.id, total);
  }
  return def.questions.map((q) => resultOf(q, counts.get(q.id) ?? new Map(), answered.get(q.id) ?? 0));
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

/** Breakdown of the key score by a profile field; groups smaller than `minGroup` are left out (counted in hiddenGroups). */
export const breakdownResult = z.object({
  field: z.string(),
  minGroupSize: z.number().nullable().describe('groups below this size are not shown (confidential surveys)'),
  groups: z.array(z.object({ value: z.string().nullable(), responses: z.number(), mean: z.number().nullable(), nps: z.number().nullable() })),
  hiddenGroups: z.number().describe('groups left out because they are smaller than minGroupSize'),
});

export async function breakdown(tx: Tx, surveyId: string, field: string, minGroup: number | null): Promise<z.infer<typeof breakdownResult>> {
  const rows = await sql<{ v: string | null; n: number; mean: number | null; p: number; d: number; scored: number }>`
    SELECT c.profile ->> ${field} AS v, count(*)::int AS n, avg(r.score)::float8 AS mean,
           count(*) FILTER (WHERE r.score >= 9)::int AS p, count(*) FILTER (WHERE r.score <= 6)::int AS d, count(r.score)::int AS scored
      FROM responses r
      LEFT JOIN contacts c ON c.tenant_id = r.tenant_id AND c.id = r.contact_id
     WHERE r.survey_id = ${surveyId}::uuid
     GROUP BY 1 ORDER BY 1 NULLS LAST`.execute(tx);
  const shown = rows.rows.filter((r) => minGroup === null || r.n >= minGroup);
  return {
    field,
    minGroupSize: minGroup,
    groups: shown.map((r) => ({ value: r.v, responses: r.n, mean: r.mean === null ? null : round1(r.mean), nps: r.scored ? Math.round(((r.p - r.d) / r.scored) * 100) : null })),
    hiddenGroups: rows.rows.length - shown.length,
  };
}
