import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../../lib/db/db.js';
import { keyQuestion, scaleOf, type Question, type SurveyDefinition } from '../surveys/definition.js';
import { scoreKindOf, type ScoreKind } from './scores.js';

/**
 * The histograms every result of a survey is made of (OBLIGATIONS SVC-4), counted over the responses
 * aliased `r` that satisfy `span` (a release, the part after a rollup's cursor, a fold's range). One
 * place for the SQL, so that a rollup (rollup.ts) and a count from the responses cannot disagree.
 *
 * Each row is (q, v, n): 'score' (v: responses.score), 'closed:<question>' (v: the answer as JSON
 * text, each choice of a multiple choice apart), 'number:<question>' (v: the number), 'date:<question>'
 * (v: its month, YYYY-MM), 'answered:<question>' (v: ''). The trend's rows are (day, v, n) with v the
 * key answer ('' when none; every response has one such row, so they also count the responses).
 */
export interface HistogramRow {
  q: string;
  v: string;
  n: number;
}

export interface TrendRow {
  /** the Europe/Amsterdam day, YYYY-MM-DD */
  day: string;
  /** the key answer, '' when the response has none */
  v: string;
  n: number;
}

/**
 * What a rollup's rows were counted for: the questions' ids and types, the key question and the
 * first rating (which make the trend's target, results/public.ts keyTarget). A survey whose
 * questions change type is counted again; a change of texts or options is not a change of shape.
 */
export function shapeOf(def: SurveyDefinition): string {
  return JSON.stringify({
    q: def.questions.map((q) => [q.id, q.type, scaleOf(q) ? 1 : 0]),
    key: keyQuestion(def)?.id ?? null,
    rating: def.questions.find((q) => q.type === 'rating')?.id ?? null,
  });
}

export async function histogramRows(
  tx: Tx,
  surveyId: string,
  def: SurveyDefinition,
  span: RawBuilder<boolean>,
): Promise<HistogramRow[]> {
  const key = keyQuestion(def);
  const closed = def.questions
    .filter((q) => q.id !== key?.id && (scaleOf(q) || q.type === 'single' || q.type === 'multiple'))
    .map((q) => q.id);
  const numbers = def.questions.filter((q) => q.type === 'number').map((q) => q.id);
  const dates = def.questions.filter((q) => q.type === 'date').map((q) => q.id);
  const out: HistogramRow[] = [];
  if (closed.length) {
    const rows = await sql<HistogramRow>`
      SELECT 'closed:' || a.key AS q, coalesce(e.value, a.value)::text AS v, count(*)::int AS n
        FROM responses r
       CROSS JOIN LATERAL jsonb_each(r.answers) a
        LEFT JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(a.value) = 'array' THEN a.value ELSE '[]'::jsonb END) e ON true
       WHERE r.survey_id = ${surveyId}::uuid AND r.answers IS NOT NULL AND ${span} AND a.key = ANY(${closed}::text[])
         AND (jsonb_typeof(a.value) <> 'array' OR e.value IS NOT NULL)
       GROUP BY 1, 2`.execute(tx);
    out.push(...rows.rows);
  }
  if (numbers.length) {
    const rows = await sql<HistogramRow>`
      SELECT 'number:' || a.key AS q, ((a.value #>> '{}')::float8)::text AS v, count(*)::int AS n
        FROM responses r CROSS JOIN LATERAL jsonb_each(r.answers) a
       WHERE r.survey_id = ${surveyId}::uuid AND r.answers IS NOT NULL AND ${span}
         AND a.key = ANY(${numbers}::text[]) AND jsonb_typeof(a.value) = 'number'
       GROUP BY 1, 2`.execute(tx);
    out.push(...rows.rows);
  }
  if (dates.length) {
    const rows = await sql<HistogramRow>`
      SELECT 'date:' || a.key AS q, left(a.value #>> '{}', 7) AS v, count(*)::int AS n
        FROM responses r CROSS JOIN LATERAL jsonb_each(r.answers) a
       WHERE r.survey_id = ${surveyId}::uuid AND r.answers IS NOT NULL AND ${span}
         AND a.key = ANY(${dates}::text[]) AND jsonb_typeof(a.value) = 'string'
       GROUP BY 1, 2`.execute(tx);
    out.push(...rows.rows);
  }
  const answered = await sql<HistogramRow>`
    SELECT 'answered:' || a.key AS q, '' AS v, count(*)::int AS n
      FROM responses r CROSS JOIN LATERAL jsonb_object_keys(r.answers) a(key)
     WHERE r.survey_id = ${surveyId}::uuid AND r.answers IS NOT NULL AND ${span} GROUP BY 1`.execute(tx);
  out.push(...answered.rows);
  if (key) {
    const scores = await sql<HistogramRow>`
      SELECT 'score' AS q, r.score::text AS v, count(*)::int AS n FROM responses r
       WHERE r.survey_id = ${surveyId}::uuid AND r.score IS NOT NULL AND ${span} GROUP BY 2`.execute(tx);
    out.push(...scores.rows);
  }
  return out;
}

/** Responses per Europe/Amsterdam day and key answer (`target`: r.score, or a rating in r.answers). */
export async function trendRows(
  tx: Tx,
  surveyId: string,
  target: RawBuilder<number | null> | null,
  span: RawBuilder<boolean>,
): Promise<TrendRow[]> {
  const v = target ? sql`coalesce((${target})::text, '')` : sql`''`;
  const rows = await sql<TrendRow>`
    SELECT to_char(r.submitted_at AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM-DD') AS day, ${v} AS v, count(*)::int AS n
      FROM responses r WHERE r.survey_id = ${surveyId}::uuid AND ${span}
     GROUP BY 1, 2`.execute(tx);
  return rows.rows;
}

/**
 * The question the key score is about: the first NPS, eNPS, CSAT or CES question (its answer is
 * responses.score), else the first rating question (its answer is in responses.answers).
 */
export function keyTarget(
  questions: Question[],
  key: Question | undefined,
): { q: Question; kind: ScoreKind; value: RawBuilder<number | null> } | null {
  if (key) return { q: key, kind: scoreKindOf(key)!, value: sql<number | null>`r.score` };
  const rating = questions.find((q) => q.type === 'rating');
  return rating
    ? {
        q: rating,
        kind: 'rating',
        value: sql<
          number | null
        >`(CASE WHEN jsonb_typeof(r.answers -> ${rating.id}) = 'number' THEN (r.answers ->> ${rating.id})::int END)`,
      }
    : null;
}
