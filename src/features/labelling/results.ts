// Labels in the results of a survey: counts and sentiment per label, and each comment's labels.
// Called by features/results inside its own transaction.

import { sql } from 'kysely';
import { z } from 'zod';
import type { Tx } from '../../lib/db/db.js';
import type { LabelSetName, LabelSource, Sentiment } from '../../lib/db/schema.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { loadLabels, standardLabelDtos, toLabelDto } from './labels.js';
import { openQuestionIds, setOfSurvey } from './sets.js';
import { redact } from './redact.js';
import { loadGlobalSwitch, loadSettings } from './settings.js';
import { SENTIMENTS } from './taxonomies.js';

const sentimentCounts = z.object({
  positive: z.number(),
  negative: z.number(),
  neutral: z.number(),
  mixed: z.number(),
});
type SentimentCounts = z.infer<typeof sentimentCounts>;

export const labelResults = z.object({
  enabled: z.boolean().describe('whether the customer has the labelling module switched on'),
  taxonomy: z.enum(['customer', 'employee', 'own']).describe("the survey's label set (issue 12: per survey)"),
  questionId: z
    .string()
    .nullable()
    .optional()
    .describe('the open question these counts are of (default: the first); null when the survey has none'),
  labelled: z.number().describe('answers with text that have labels and a sentiment'),
  sentiment: sentimentCounts,
  labels: z
    .array(
      z.object({
        id: z.string(),
        name: z.object({ nl: z.string(), en: z.string() }),
        retired: z.boolean(),
        count: z.number(),
        sentiment: sentimentCounts,
      }),
    )
    .describe('active labels, and retired labels that still have answers; most answers first'),
});
export type LabelResults = z.infer<typeof labelResults>;

export const commentLabelFields = {
  labels: z.array(z.string()).describe('label ids; names are in labelling.labels'),
  sentiment: z.enum(SENTIMENTS).nullable(),
  labelSource: z.enum(['model', 'external', 'human']).nullable().describe('human: corrected by a user, and kept'),
};

const zero = (): SentimentCounts => ({ positive: 0, negative: 0, neutral: 0, mixed: 0 });

/** The survey's set and open questions; `questionId` must be one of them (default: the first). */
async function surveyOf(
  tx: Tx,
  surveyId: string,
  questionId?: string,
): Promise<{ set: LabelSetName; questionId: string | null; first: string | null }> {
  const s = await tx
    .selectFrom('surveys')
    .select(['kind', 'label_set', 'definition'])
    .where('id', '=', surveyId)
    .executeTakeFirst();
  if (!s) throw AppError.notFound('survey');
  const open = openQuestionIds(s.definition);
  if (questionId !== undefined && !open.includes(questionId)) {
    throw new AppError(
      ErrorCode.VALIDATION,
      { key: 'problems:labelling.notOpenQuestion' },
      {
        errors: [
          { pointer: '/query/questionId', reason: 'not an open (text) question of this survey', value: questionId },
        ],
      },
    );
  }
  return { set: setOfSurvey(s).set, questionId: questionId ?? open[0] ?? null, first: open[0] ?? null };
}

/** label_counts' day of the whole survey's counts (as response_rollups'). */
const WHOLE = '1970-01-01';

/** Answers per (label, sentiment): label '' is every labelled answer, sentiment '' none. */
interface CountRow {
  label_id: string;
  sentiment: Sentiment | '';
  n: number;
}

/**
 * Counts of one open question in one set from label_counts (0042, kept by triggers): the whole
 * survey's rows, or for a release the days before its cutoff's UTC day plus that day counted from the
 * rows up to the cutoff, in arrival order (submitted_at, id) as release.ts orders responses.
 */
async function countsOf(
  tx: Tx,
  surveyId: string,
  questionId: string,
  set: LabelSetName,
  within: { at: string; id: string } | undefined,
): Promise<CountRow[]> {
  const dayOfCutoff = within ? sql`(${within.at}::timestamptz AT TIME ZONE 'UTC')::date` : sql``;
  const kept = await sql<CountRow>`
    SELECT label_id, sentiment, sum(n)::float8 AS n FROM label_counts
     WHERE survey_id = ${surveyId}::uuid AND question_id = ${questionId} AND label_set = ${set}
       AND ${within ? sql`day > ${WHOLE}::date AND day < ${dayOfCutoff}` : sql`day = ${WHOLE}::date`}
     GROUP BY 1, 2`.execute(tx);
  if (!within) return kept.rows;
  const lastDay = sql<boolean>`submitted_at >= (${dayOfCutoff})::timestamp AT TIME ZONE 'UTC'
    AND (submitted_at, response_id) <= (${within.at}::timestamptz, ${within.id}::uuid)`;
  const tail = await sql<CountRow>`
    SELECT '' AS label_id, coalesce(sentiment, '') AS sentiment, count(*)::float8 AS n FROM response_labelling
     WHERE survey_id = ${surveyId}::uuid AND question_id = ${questionId} AND label_set = ${set} AND has_text AND ${lastDay}
     GROUP BY 2
    UNION ALL
    SELECT label_id, coalesce(sentiment, ''), count(*)::float8 FROM response_labels
     WHERE survey_id = ${surveyId}::uuid AND question_id = ${questionId} AND label_set = ${set} AND ${lastDay}
     GROUP BY 1, 2`.execute(tx);
  return [...kept.rows, ...tail.rows];
}

/**
 * Label counts and sentiment of one open question of a survey (default: the first), in the survey's
 * label set. `within`: only the responses up to this one in arrival order, (submitted_at, id): the
 * release of a confidential or anonymous survey (features/results/release.ts); null: none; undefined: all.
 * Issue 17: from the counts the database keeps (label_counts), never a count of the answers per view.
 */
export async function labelSummary(
  tx: Tx,
  tenantId: string,
  surveyId: string,
  within?: { at: string; id: string } | null,
  questionId?: string,
): Promise<LabelResults & { active: boolean }> {
  const settings = await loadSettings(tx, tenantId);
  const global = await loadGlobalSwitch(tx);
  const survey = await surveyOf(tx, surveyId, questionId);
  // Rows labelled in another set (before the survey's set was changed, and not yet labelled again) do not count.
  const rows =
    within === null || survey.questionId === null
      ? []
      : await countsOf(tx, surveyId, survey.questionId, survey.set, within);
  const sentiment = zero();
  let labelled = 0;
  const counts = new Map<string, { count: number; sentiment: SentimentCounts }>();
  for (const r of rows) {
    const n = Number(r.n);
    if (r.label_id === '') {
      labelled += n;
      if (r.sentiment) sentiment[r.sentiment] += n;
      continue;
    }
    const c = counts.get(r.label_id) ?? { count: 0, sentiment: zero() };
    c.count += n;
    if (r.sentiment) c.sentiment[r.sentiment] += n;
    counts.set(r.label_id, c);
  }
  // Kept counts of labels no answer has any more are 0.
  for (const [id, c] of counts) if (c.count === 0) counts.delete(id);
  const stored = await loadLabels(tx, survey.set);
  const dtos = stored.length === 0 && survey.set !== 'own' ? standardLabelDtos(survey.set) : stored.map(toLabelDto);
  const labels = dtos
    .filter((l) => l.status === 'active' || counts.has(l.id))
    .map((l) => ({
      id: l.id,
      name: l.name,
      retired: l.status === 'retired',
      ...(counts.get(l.id) ?? { count: 0, sentiment: zero() }),
    }))
    .sort((a, b) => b.count - a.count);
  return {
    enabled: settings.enabled,
    active: settings.enabled && global.enabled && !settings.operatorBlocked,
    taxonomy: survey.set,
    questionId: survey.questionId,
    labelled,
    sentiment,
    labels,
  };
}

export interface CommentLabels {
  labels: string[];
  sentiment: Sentiment | null;
  labelSource: LabelSource | null;
}

/**
 * Each answer's labels for one open question (default: the first open question of the answer's
 * survey, as before issue 12). Rows of another set than the survey's current one are left out.
 */
export async function labelsOfResponses(
  tx: Tx,
  responseIds: string[],
  questionId?: string,
): Promise<Map<string, CommentLabels>> {
  const out = new Map<string, CommentLabels>();
  if (responseIds.length === 0) return out;
  const rows = await tx
    .selectFrom('response_labelling as l')
    .innerJoin('surveys as s', (j) => j.onRef('s.tenant_id', '=', 'l.tenant_id').onRef('s.id', '=', 'l.survey_id'))
    .select([
      'l.response_id',
      'l.question_id',
      'l.sentiment',
      'l.source',
      'l.label_set',
      's.id as survey_id',
      's.kind',
      's.label_set as survey_set',
      's.definition',
    ])
    .where('l.response_id', 'in', responseIds)
    .$if(questionId !== undefined, (qb) => qb.where('l.question_id', '=', questionId as string))
    .execute();
  const firstOf = new Map<string, string | undefined>();
  const wanted = new Map<string, { questionId: string; set: LabelSetName }>();
  for (const r of rows) {
    if (!firstOf.has(r.survey_id)) firstOf.set(r.survey_id, openQuestionIds(r.definition)[0]);
    if (r.question_id !== (questionId ?? firstOf.get(r.survey_id))) continue;
    const set = setOfSurvey({ kind: r.kind, label_set: r.survey_set }).set;
    if (r.label_set !== null && r.label_set !== set) continue;
    wanted.set(r.response_id, { questionId: r.question_id, set });
    out.set(r.response_id, { labels: [], sentiment: r.sentiment, labelSource: r.source === 'none' ? null : r.source });
  }
  if (wanted.size === 0) return out;
  const labels = await tx
    .selectFrom('response_labels')
    .select(['response_id', 'question_id', 'label_set', 'label_id'])
    .where('response_id', 'in', [...wanted.keys()])
    .orderBy('label_id')
    .execute();
  for (const l of labels) {
    const w = wanted.get(l.response_id);
    if (w && w.questionId === l.question_id && w.set === l.label_set) out.get(l.response_id)?.labels.push(l.label_id);
  }
  return out;
}

/**
 * The text of a comment as shown to the customer's users. OBLIGATIONS AI-3: where a survey is
 * anonymous, personal data the respondent typed is shown redacted. (Surveys have no anonymity mode
 * yet; the results route passes the survey's mode here once they do.)
 */
export function displayComment(text: string, opts: { anonymous: boolean }): string {
  return opts.anonymous ? redact(text).text : text;
}
