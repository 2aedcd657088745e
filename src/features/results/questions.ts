import { z } from 'zod';
import { commentLabelFields, labelResults } from '../labelling/results.js';
import type { Tx } from '../../lib/db/db.js';
import { keyQuestion, scaleOf, type Question, type SurveyDefinition } from '../surveys/definition.js';
import type { Release } from './release.js';
import { readHistograms } from './rollup.js';
import { scaleSummary, scoreKindOf, summarizeScale } from './scores.js';
import {
  groupedMedian,
  meanInterval,
  median,
  moments,
  niceWidth,
  round1,
  round2,
  SMALL_BASE,
  type Histogram,
} from './stats.js';

/**
 * Per-question results (OBLIGATIONS SVC-4), from the answers stored in clear (responses.answers:
 * scales, choices, numbers, dates) and the key score (responses.score, which older NPS responses
 * have too). Open text is encrypted: its comments are read by the route (routes.ts) and attached here.
 *
 * Every aggregate is a histogram (value → count) per question, so it can come from a rollup later.
 */
const localized = z.object({ nl: z.string(), en: z.string() });
const count = z.object({
  value: z.union([z.string(), z.number()]).describe('scale point, option value, or month (YYYY-MM) of a date question'),
  label: localized.optional().describe('choices: the option label in each language'),
  count: z.number(),
  percent: z
    .number()
    .optional()
    .describe(
      'of the respondents who answered the question (multiple choice: of respondents, not of mentions, so they can add up to more than 100)',
    ),
});
const interval = z.object({ low: z.number(), high: z.number() });
export const numberResult = z.object({
  n: z.number(),
  mean: z.number().nullable(),
  meanInterval: interval.nullable().describe('95% Student t interval (null below 2 answers)'),
  margin: z.number().nullable().describe('± half width of the 95% interval of the mean'),
  median: z
    .number()
    .nullable()
    .describe(
      "identified surveys: the median answer; confidential and anonymous surveys: interpolated inside its bin (grouped median), so it is never one respondent's exact answer",
    ),
  min: z.number().nullable().describe('identified surveys only (null for confidential and anonymous surveys)'),
  max: z.number().nullable().describe('identified surveys only (null for confidential and anonymous surveys)'),
  bins: z
    .array(z.object({ from: z.number(), to: z.number(), count: z.number(), percent: z.number() }))
    .describe(
      "fixed-width bins [from, to); the last includes `to`. From the question's min and max when it has them; else rounded to a 1-2-5 width",
    ),
});
export const partialLabelFields = {
  labels: commentLabelFields.labels.optional(),
  sentiment: commentLabelFields.sentiment.optional(),
  labelSource: commentLabelFields.labelSource.optional(),
};
const commentList = z.object({
  count: z.number().describe('answers to this open question (of the release), exact'),
  complete: z
    .boolean()
    .describe(
      'always true since issue 17: count is exact (it used to count only among the latest responses read, and then was false)',
    ),
  items: z.array(
    z.object({
      id: z.string().describe('the response id'),
      comment: z
        .string()
        .describe('the full text (at most 5000 characters); confidential and anonymous surveys: redacted (AI-3)'),
      submittedAt: z.string().nullable().describe('null for confidential and anonymous surveys'),
      ...partialLabelFields,
    }),
  ),
  labelling: labelResults
    .optional()
    .describe(
      "this open question's label counts and sentiment per label (OBLIGATIONS AI-2), in the survey's label set",
    ),
});
export const questionResult = z.object({
  id: z.string(),
  type: z.string(),
  text: localized,
  answered: z
    .number()
    .nullable()
    .describe('respondents who answered this question (open questions: see comments.count)'),
  distribution: z
    .array(count)
    .describe('scales: answers per scale point; choices: per option, by label; dates: per month'),
  mean: z.number().nullable().describe('mean of a scale or number question'),
  scale: scaleSummary
    .optional()
    .describe(
      'scale questions (NPS, eNPS, CSAT, CES, rating): the question summarized as its own kind, with its groups and 95% margins',
    ),
  number: numberResult.optional().describe('number questions'),
  comments: commentList
    .optional()
    .describe(
      'open questions: their comments, newest first (confidential and anonymous surveys: released ones, in an order that carries nothing)',
    ),
  smallBase: z.boolean().optional().describe(`fewer than ${SMALL_BASE} answers`),
  nps: z.number().nullable().optional().describe('deprecated (use scale): NPS/eNPS from −100 to 100'),
  promoters: z.number().optional().describe('deprecated (use scale.groups)'),
  passives: z.number().optional().describe('deprecated (use scale.groups)'),
  detractors: z.number().optional().describe('deprecated (use scale.groups)'),
  satisfiedPercent: z.number().nullable().optional().describe('deprecated (use scale.share): CSAT share of 4 and 5'),
  suppressed: z
    .boolean()
    .optional()
    .describe(
      'confidential and anonymous surveys: fewer than minGroupSize of the released responses answered this question, so its answers are not shown',
    ),
});
export type QuestionResult = z.infer<typeof questionResult>;
export type CommentList = z.infer<typeof commentList>;
/** An open question's comments as the route reads them; its count comes from the histograms. */
export type CommentItems = Omit<CommentList, 'count' | 'complete'>;

const pct = (k: number, n: number) => (n ? round1((k / n) * 100) : 0);

export interface QuestionOptions {
  /** the release of a shielded survey (release.ts); undefined: every response */
  cutoff?: Release['cutoff'];
  /** shielded surveys: a question answered by fewer released respondents shows only that count */
  minGroup?: number;
  /** shielded surveys: no minimum, maximum or exact median of numbers */
  shielded?: boolean;
  /** open questions: their comments, read by the caller */
  comments?: Map<string, CommentItems>;
}

/** Per-question results of a survey. */
export async function questionResults(
  tx: Tx,
  surveyId: string,
  def: SurveyDefinition,
  opts: QuestionOptions = {},
): Promise<QuestionResult[]> {
  const { cutoff, minGroup } = opts;
  const key = keyQuestion(def);
  const counts = new Map<string, Map<string, number>>();
  const add = (q: string, v: string, n: number) => {
    const m = counts.get(q) ?? new Map<string, number>();
    m.set(v, (m.get(v) ?? 0) + n);
    counts.set(q, m);
  };
  const nums = new Map<string, Array<{ value: number; count: number }>>();
  const answered = new Map<string, number>();
  let scored = 0;
  // Issue 17: from the survey's rollup and the responses after it (rollup.ts), or every response.
  for (const r of await readHistograms(tx, surveyId, def, cutoff)) {
    const at = r.q.indexOf(':');
    const kind = at < 0 ? r.q : r.q.slice(0, at);
    const q = r.q.slice(at + 1);
    const n = Number(r.n);
    if (kind === 'closed') add(q, String(JSON.parse(r.v) as string | number), n);
    else if (kind === 'number') nums.set(q, [...(nums.get(q) ?? []), { value: Number(r.v), count: n }]);
    else if (kind === 'date') add(q, r.v, n);
    else if (kind === 'answered') answered.set(q, n);
    else if (kind === 'score' && key) {
      add(key.id, r.v, n);
      scored += n;
    }
  }
  if (key) answered.set(key.id, scored);
  return def.questions.map((q) => {
    const r = resultOf(q, counts.get(q.id) ?? new Map(), answered.get(q.id) ?? 0, nums.get(q.id) ?? [], opts);
    const n = r.answered;
    if (minGroup === undefined || n === null || n >= minGroup) return r;
    return {
      id: r.id,
      type: r.type,
      text: r.text,
      answered: r.answered,
      distribution: [],
      mean: null,
      ...(r.comments ? { comments: { ...r.comments, items: [] } } : {}),
      suppressed: true,
    };
  });
}

function resultOf(
  q: Question,
  m: Map<string, number>,
  answered: number,
  nums: Histogram,
  opts: QuestionOptions,
): QuestionResult {
  const base = { id: q.id, type: q.type, text: q.text };
  const scale = scaleOf(q);
  const kind = scoreKindOf(q);
  if (scale && kind) {
    const h = Array.from(m, ([v, count]) => ({ value: Number(v), count }));
    const s = summarizeScale(kind, h, scale);
    const out: QuestionResult = {
      ...base,
      answered: s.n,
      distribution: s.distribution,
      mean: s.mean === null ? null : round1(s.mean),
      scale: s,
      smallBase: s.smallBase,
    };
    if (kind === 'nps' || kind === 'enps') {
      const g = (c: string) => s.groups.find((x) => x.category === c)!.count;
      Object.assign(out, {
        nps: s.value,
        promoters: g('promoter'),
        passives: g('passive'),
        detractors: g('detractor'),
      });
    }
    if (kind === 'csat') out.satisfiedPercent = s.n ? s.value : null;
    return out;
  }
  if (q.type === 'single' || q.type === 'multiple') {
    return {
      ...base,
      answered,
      distribution: q.options.map((o) => ({
        value: o.value,
        label: o.label,
        count: m.get(o.value) ?? 0,
        percent: pct(m.get(o.value) ?? 0, answered),
      })),
      mean: null,
      smallBase: answered < SMALL_BASE,
    };
  }
  if (q.type === 'number') {
    const number = numberSummary(nums, { min: q.min, max: q.max, integer: q.integer ?? false }, opts.shielded ?? false);
    return {
      ...base,
      answered: number.n,
      distribution: [],
      mean: number.mean,
      number,
      smallBase: number.n < SMALL_BASE,
    };
  }
  if (q.type === 'date') {
    const distribution = [...m]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([value, c]) => ({ value, count: c, percent: pct(c, answered) }));
    return { ...base, answered, distribution, mean: null, smallBase: answered < SMALL_BASE };
  }
  // Issue 17: the number of comments is the open question's 'answered' count (exact, from the rollup);
  // the caller's list holds the newest of them.
  const comments = { items: [], ...opts.comments?.get(q.id), count: answered, complete: true };
  return { ...base, answered, distribution: [], mean: null, comments };
}

/**
 * A number question's histogram as n, mean (with its 95% t interval), median and fixed-width bins.
 * Shielded surveys: no minimum, maximum or exact median (a position inside a bin instead).
 */
export function numberSummary(
  h: Histogram,
  bounds: { min?: number; max?: number; integer: boolean },
  shielded: boolean,
): z.infer<typeof numberResult> {
  const m = moments(h);
  if (m.n === 0)
    return { n: 0, mean: null, meanInterval: null, margin: null, median: null, min: null, max: null, bins: [] };
  const values = h.filter((x) => x.count > 0).map((x) => x.value);
  const dataMin = Math.min(...values);
  const dataMax = Math.max(...values);
  // Bins from the declared bounds when the question has them (then they say nothing about the data);
  // else a 1-2-5 width over the answers, with edges on multiples of the width.
  const declared = bounds.min !== undefined && bounds.max !== undefined && bounds.max > bounds.min;
  const lo0 = declared ? bounds.min! : dataMin;
  const hi0 = declared ? bounds.max! : dataMax;
  const width = niceWidth(hi0 - lo0, 10, bounds.integer);
  const lo = declared ? lo0 : Math.floor(lo0 / width) * width;
  const count = Math.max(1, Math.ceil((hi0 - lo) / width - 1e-9));
  const bins = Array.from({ length: count }, (_, i) => ({
    from: round2(lo + i * width),
    to: round2(declared ? Math.min(lo + (i + 1) * width, hi0) : lo + (i + 1) * width),
    count: 0,
    percent: 0,
  }));
  for (const x of h) {
    const i = Math.min(count - 1, Math.max(0, Math.floor((x.value - lo) / width)));
    bins[i]!.count += x.count;
  }
  for (const b of bins) b.percent = pct(b.count, m.n);
  const ci = meanInterval(m);
  const med = shielded ? groupedMedian(bins) : median(h);
  return {
    n: m.n,
    mean: round2(m.mean!),
    meanInterval: ci ? { low: round2(ci.low), high: round2(ci.high) } : null,
    margin: ci ? round2(ci.margin) : null,
    median: med === null ? null : round2(med),
    min: shielded ? null : dataMin,
    max: shielded ? null : dataMax,
    bins,
  };
}
