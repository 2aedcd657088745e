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
 * (v: its month, YYYY-MM), 'answered:<question>' (v: ''; open questions too, from their `true`:
 * the number of comments). The trend's rows are (day, v, n) with v the
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
    // 2: with the breakdowns' rows (by:…); rollups of an earlier version are counted again
    version: 2,
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
  // One statement, one pass over the responses in `span` (issue 17: five statements each scanned
  // them again; the results view counts the responses after the rollup's cursor this way).
  const parts: RawBuilder<unknown>[] = [];
  if (closed.length)
    parts.push(sql`
      SELECT 'closed:' || a.key AS q, coalesce(e.value, a.value)::text AS v, count(*)::int AS n
        FROM x CROSS JOIN LATERAL jsonb_each(x.answers) a
        LEFT JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(a.value) = 'array' THEN a.value ELSE '[]'::jsonb END) e ON true
       WHERE x.answers IS NOT NULL AND a.key = ANY(${closed}::text[])
         AND (jsonb_typeof(a.value) <> 'array' OR e.value IS NOT NULL) AND jsonb_typeof(a.value) <> 'boolean'
       GROUP BY 1, 2`);
  if (numbers.length)
    parts.push(sql`
      SELECT 'number:' || a.key AS q, ((a.value #>> '{}')::float8)::text AS v, count(*)::int AS n
        FROM x CROSS JOIN LATERAL jsonb_each(x.answers) a
       WHERE x.answers IS NOT NULL AND a.key = ANY(${numbers}::text[]) AND jsonb_typeof(a.value) = 'number'
       GROUP BY 1, 2`);
  if (dates.length)
    parts.push(sql`
      SELECT 'date:' || a.key AS q, left(a.value #>> '{}', 7) AS v, count(*)::int AS n
        FROM x CROSS JOIN LATERAL jsonb_each(x.answers) a
       WHERE x.answers IS NOT NULL AND a.key = ANY(${dates}::text[]) AND jsonb_typeof(a.value) = 'string'
       GROUP BY 1, 2`);
  parts.push(sql`
    SELECT 'answered:' || a.key AS q, '' AS v, count(*)::int AS n
      FROM x CROSS JOIN LATERAL jsonb_object_keys(x.answers) a(key)
     WHERE x.answers IS NOT NULL GROUP BY 1`);
  if (key)
    parts.push(
      sql`SELECT 'score' AS q, x.score::text AS v, count(*)::int AS n FROM x WHERE x.score IS NOT NULL GROUP BY 2`,
    );
  const rows = await sql<HistogramRow>`
    WITH x AS MATERIALIZED (SELECT r.answers, r.score FROM responses r WHERE r.survey_id = ${surveyId}::uuid AND ${span})
    ${sql.join(parts, sql` UNION ALL `)}`.execute(tx);
  return rows.rows;
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

/** Questions whose answer can group respondents: single and multiple choice, scales. */
export function groupable(q: Question): boolean {
  return q.type === 'single' || q.type === 'multiple' || scaleOf(q) !== null;
}

/**
 * The group value(s) of question `q`'s answer in the response aliased `x`: a set-returning lateral
 * (a multiple choice gives one row per choice, none when nothing was chosen).
 */
export function answerValues(q: Question, key: Question | undefined): RawBuilder<unknown> {
  if (q.type === 'multiple')
    return sql`(SELECT e AS v FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(x.answers -> ${q.id}) = 'array' THEN x.answers -> ${q.id} ELSE '[]'::jsonb END) e)`;
  if (key && q.id === key.id) return sql`(SELECT coalesce(x.answers ->> ${q.id}, x.score::text) AS v)`;
  return sql`(SELECT x.answers ->> ${q.id} AS v)`;
}

/** The rows of breakdowns (by:…) count every response once under this grouping. */
export const EVERY_RESPONSE = '*';

/**
 * The cells of every live breakdown (results/crosstab.ts scoreBreakdown) over the responses that
 * satisfy `span`: per grouping, group value and key score, (q: 'by:<grouping>', v: JSON [value,
 * score], n). The groupings are those a breakdown offers: the response's language, the contact's
 * gender, function and each profile field it has, and each closed question's answer (a multiple
 * choice once per choice, `null` when unanswered); 'by:*' counts every response once, so that the
 * responses without a profile field follow by subtraction (a contact has only the fields it has).
 * `only`: just that grouping (and 'by:*').
 */
export async function breakdownRows(
  tx: Tx,
  surveyId: string,
  def: SurveyDefinition,
  span: RawBuilder<boolean>,
  only?: string,
): Promise<HistogramRow[]> {
  const key = keyQuestion(def);
  const want = (id: string) => only === undefined || only === id;
  const parts: RawBuilder<unknown>[] = [sql`SELECT ${EVERY_RESPONSE}::text AS id, NULL::text AS v`];
  if (want('language')) parts.push(sql`SELECT 'language', x.language::text`);
  if (want('gender')) parts.push(sql`SELECT 'gender', c.gender::text`);
  if (want('function')) parts.push(sql`SELECT 'function', c.function::text`);
  if (only === undefined)
    parts.push(sql`SELECT 'profile.' || p.key, p.value
      FROM jsonb_each_text(CASE WHEN jsonb_typeof(c.profile) = 'object' THEN c.profile END) p`);
  else if (only.startsWith('profile.'))
    parts.push(sql`SELECT ${only}::text, c.profile ->> ${only.slice('profile.'.length)}`);
  for (const q of def.questions.filter(groupable))
    if (want(`answer.${q.id}`))
      parts.push(
        sql`SELECT ${`answer.${q.id}`}::text, gv.v FROM (SELECT 1) one LEFT JOIN LATERAL ${answerValues(q, key)} gv ON true`,
      );
  const rows = await sql<HistogramRow>`
    SELECT 'by:' || g.id AS q, jsonb_build_array(g.v, x.score)::text AS v, count(*)::int AS n
      FROM (SELECT r.tenant_id, r.contact_id, r.language, r.answers, r.score FROM responses r
             WHERE r.survey_id = ${surveyId}::uuid AND ${span}) x
      LEFT JOIN contacts c ON c.tenant_id = x.tenant_id AND c.id = x.contact_id
     CROSS JOIN LATERAL (${sql.join(parts, sql` UNION ALL `)}) g
     GROUP BY 1, 2`.execute(tx);
  return rows.rows;
}

/**
 * The raw group value(s) of the response aliased `x` (with its contact `c`) under a grouping id as
 * breakdowns name them ('language', 'gender', 'function', 'profile.<key>', 'answer.<question>'): a
 * set-returning lateral. Null for an answer grouping whose question the survey does not have.
 */
export function groupingValues(
  id: string,
  def: SurveyDefinition,
  key: Question | undefined,
): RawBuilder<unknown> | null {
  if (id === 'language') return sql`(SELECT x.language::text AS v)`;
  if (id === 'gender') return sql`(SELECT c.gender::text AS v)`;
  if (id === 'function') return sql`(SELECT c.function::text AS v)`;
  if (id.startsWith('profile.')) return sql`(SELECT c.profile ->> ${id.slice('profile.'.length)} AS v)`;
  const q = def.questions.find((x) => `answer.${x.id}` === id);
  return q ? answerValues(q, key) : null;
}

/** A cross-tab of a closed question by a grouping (results/crosstab.ts crossTab). */
export interface CrossPair {
  grouping: string;
  question: string;
}

/** The rollup rows of a pair: its cells, and the responses per group that answered. */
export const crossKeys = (p: CrossPair): { cells: string; people: string } => ({
  cells: `x:${p.grouping}|${p.question}`,
  people: `xn:${p.grouping}|${p.question}`,
});

/**
 * The cells of cross-tabs over the responses that satisfy `span`, per pair: (q: 'x:<grouping>|<question>',
 * v: JSON [group value, answer value], n) for every response (null when there is none), and (q:
 * 'xn:<grouping>|<question>', v: JSON [group value], n) the responses per group that answered the
 * question (each once, whatever it chose). Counts over disjoint spans add up, so a rollup keeps them.
 * Pairs whose grouping or question the survey does not have (or is not closed) give no rows.
 */
export async function crossRows(
  tx: Tx,
  surveyId: string,
  def: SurveyDefinition,
  span: RawBuilder<boolean>,
  pairs: readonly CrossPair[],
): Promise<HistogramRow[]> {
  const key = keyQuestion(def);
  const parts: RawBuilder<unknown>[] = [];
  for (const p of pairs) {
    const q = def.questions.find((x) => x.id === p.question);
    const gv = groupingValues(p.grouping, def, key);
    if (!q || !gv || !groupable(q)) continue;
    const { cells, people } = crossKeys(p);
    const answered =
      q.type === 'multiple'
        ? sql`jsonb_typeof(x.answers -> ${q.id}) = 'array' AND jsonb_array_length(x.answers -> ${q.id}) > 0`
        : sql`${answerValues(q, key)} IS NOT NULL`;
    parts.push(sql`
      SELECT ${cells}::text AS q, jsonb_build_array(gv.v, qv.v)::text AS v, count(*)::int AS n
        FROM x LEFT JOIN contacts c ON c.tenant_id = x.tenant_id AND c.id = x.contact_id
        LEFT JOIN LATERAL ${gv} gv ON true LEFT JOIN LATERAL ${answerValues(q, key)} qv ON true
       GROUP BY 1, 2`);
    parts.push(sql`
      SELECT ${people}::text, jsonb_build_array(gv.v)::text, count(DISTINCT x.id)::int
        FROM x LEFT JOIN contacts c ON c.tenant_id = x.tenant_id AND c.id = x.contact_id
        LEFT JOIN LATERAL ${gv} gv ON true
       WHERE ${answered}
       GROUP BY 1, 2`);
  }
  if (parts.length === 0) return [];
  const rows = await sql<HistogramRow>`
    WITH x AS MATERIALIZED (SELECT r.tenant_id, r.id, r.contact_id, r.language, r.answers, r.score FROM responses r
                             WHERE r.survey_id = ${surveyId}::uuid AND ${span})
    ${sql.join(parts, sql` UNION ALL `)}`.execute(tx);
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
