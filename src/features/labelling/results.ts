// Labels in the results of a survey: counts and sentiment per label, and each comment's labels.
// Called by features/results inside its own transaction.

import { sql } from 'kysely';
import { z } from 'zod';
import type { Tx } from '../../lib/db/db.js';
import type { LabelSource, Sentiment } from '../../lib/db/schema.js';
import { loadLabels, toLabelDto } from './labels.js';
import { redact } from './redact.js';
import { loadGlobalSwitch, loadSettings } from './settings.js';
import { SENTIMENTS } from './taxonomies.js';

const sentimentCounts = z.object({ positive: z.number(), negative: z.number(), neutral: z.number(), mixed: z.number() });
type SentimentCounts = z.infer<typeof sentimentCounts>;

export const labelResults = z.object({
  enabled: z.boolean().describe('whether the customer has the labelling module switched on'),
  taxonomy: z.enum(['customer', 'employee']),
  labelled: z.number().describe('answers with text that have labels and a sentiment'),
  sentiment: sentimentCounts,
  labels: z.array(
    z.object({
      id: z.string(),
      name: z.object({ nl: z.string(), en: z.string() }),
      retired: z.boolean(),
      count: z.number(),
      sentiment: sentimentCounts,
    }),
  ).describe('active labels, and retired labels that still have answers; most answers first'),
});
export type LabelResults = z.infer<typeof labelResults>;

export const commentLabelFields = {
  labels: z.array(z.string()).describe('label ids; names are in labelling.labels'),
  sentiment: z.enum(SENTIMENTS).nullable(),
  labelSource: z.enum(['model', 'external', 'human']).nullable().describe('human: corrected by a user, and kept'),
};

const zero = (): SentimentCounts => ({ positive: 0, negative: 0, neutral: 0, mixed: 0 });

/**
 * `within`: only the responses up to this one in arrival order, (submitted_at, id): the release of a
 * confidential or anonymous survey (features/results/release.ts); null: none; undefined: all.
 */
export async function labelSummary(tx: Tx, tenantId: string, surveyId: string, within?: { at: string; id: string } | null): Promise<LabelResults & { active: boolean }> {
  const settings = await loadSettings(tx, tenantId);
  const global = await loadGlobalSwitch(tx);
  const released = within === undefined
    ? sql<boolean>`true`
    : within === null
      ? sql<boolean>`false`
      : sql<boolean>`EXISTS (SELECT 1 FROM responses r WHERE r.tenant_id = l.tenant_id AND r.id = l.response_id AND (r.submitted_at, r.id) <= (${within.at}::timestamptz, ${within.id}::uuid))`;
  const bySentiment = await tx
    .selectFrom('response_labelling as l')
    .select(['l.sentiment', (eb) => eb.fn.countAll<string>().as('n')])
    .where('l.survey_id', '=', surveyId)
    .where('l.has_text', '=', true)
    .where(released)
    .groupBy('l.sentiment')
    .execute();
  const byLabel = await tx
    .selectFrom('response_labels as rl')
    .innerJoin('response_labelling as l', (j) => j.onRef('l.tenant_id', '=', 'rl.tenant_id').onRef('l.response_id', '=', 'rl.response_id'))
    .select(['rl.label_id', 'l.sentiment', (eb) => eb.fn.countAll<string>().as('n')])
    .where('rl.survey_id', '=', surveyId)
    .where(released)
    .groupBy(['rl.label_id', 'l.sentiment'])
    .execute();
  const sentiment = zero();
  let labelled = 0;
  for (const r of bySentiment) {
    labelled += Number(r.n);
    if (r.sentiment) sentiment[r.sentiment] += Number(r.n);
  }
  const counts = new Map<string, { count: number; sentiment: SentimentCounts }>();
  for (const r of byLabel) {
    const c = counts.get(r.label_id) ?? { count: 0, sentiment: zero() };
    c.count += Number(r.n);
    if (r.sentiment) c.sentiment[r.sentiment as Sentiment] += Number(r.n);
    counts.set(r.label_id, c);
  }
  const labels = (await loadLabels(tx))
    .map(toLabelDto)
    .filter((l) => l.status === 'active' || counts.has(l.id))
    .map((l) => ({ id: l.id, name: l.name, retired: l.status === 'retired', ...(counts.get(l.id) ?? { count: 0, sentiment: zero() }) }))
    .sort((a, b) => b.count - a.count);
  return { enabled: settings.enabled, active: settings.enabled && global.enabled && !settings.operatorBlocked, taxonomy: settings.taxonomy, labelled, sentiment, labels };
}

export interface CommentLabels {
  labels: string[];
  sentiment: Sentiment | null;
  labelSource: LabelSource | null;
}

export async function labelsOfResponses(tx: Tx, responseIds: string[]): Promise<Map<string, CommentLabels>> {
  const out = new Map<string, CommentLabels>();
  if (responseIds.length === 0) return out;
  const rows = await tx.selectFrom('response_labelling').select(['response_id', 'sentiment', 'source']).where('response_id', 'in', responseIds).execute();
  for (const r of rows) out.set(r.response_id, { labels: [], sentiment: r.sentiment, labelSource: r.source === 'none' ? null : r.source });
  const labels = await tx.selectFrom('response_labels').select(['response_id', 'label_id']).where('response_id', 'in', responseIds).orderBy('label_id').execute();
  for (const l of labels) out.get(l.response_id)?.labels.push(l.label_id);
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
