import { z } from 'zod';
import type { Question } from '../surveys/definition.js';
import {
  meanInterval,
  moments,
  npsWithMargin,
  round1,
  round2,
  SMALL_BASE,
  wilson,
  type Estimate,
  type Histogram,
  type Interval,
} from './stats.js';

/**
 * What a key score means, in one place (OBLIGATIONS SVC-4): each scale question is reported as
 * itself. NPS and eNPS: 0–10, promoters 9–10, passives 7–8, detractors 0–6, score −100..100.
 * CSAT: 1–5, satisfied 4–5, neutral 3, dissatisfied 1–2 (headline: % satisfied, and the mean).
 * CES as Peil asks it ("how much effort did it take", 1 = very little, 7 = a lot): easy 1–3,
 * neutral 4, difficult 5–7 (headline: the mean, lower is better, and % easy).
 * Rating scales have no groups: mean and distribution.
 */
export type ScoreKind = 'nps' | 'enps' | 'csat' | 'ces' | 'rating';
export type ScoreCategory =
  'promoter' | 'passive' | 'detractor' | 'satisfied' | 'neutral' | 'dissatisfied' | 'easy' | 'difficult';
export interface Localized {
  nl: string;
  en: string;
}

export const SCORE_NAMES: Record<ScoreKind, Localized> = {
  nps: { nl: 'Net Promoter Score (NPS)', en: 'Net Promoter Score (NPS)' },
  enps: { nl: 'Employee Net Promoter Score (eNPS)', en: 'Employee Net Promoter Score (eNPS)' },
  csat: { nl: 'Klanttevredenheid (CSAT)', en: 'Customer satisfaction (CSAT)' },
  ces: { nl: 'Klantinspanning (CES)', en: 'Customer effort (CES)' },
  rating: { nl: 'Beoordeling', en: 'Rating' },
};

export const CATEGORY_NAMES: Record<ScoreCategory, Localized> = {
  promoter: { nl: 'Promotor', en: 'Promoter' },
  passive: { nl: 'Passief', en: 'Passive' },
  detractor: { nl: 'Criticus', en: 'Detractor' },
  satisfied: { nl: 'Tevreden', en: 'Satisfied' },
  neutral: { nl: 'Neutraal', en: 'Neutral' },
  dissatisfied: { nl: 'Ontevreden', en: 'Dissatisfied' },
  easy: { nl: 'Makkelijk', en: 'Easy' },
  difficult: { nl: 'Moeilijk', en: 'Difficult' },
};

/** The groups of a kind, best first, with the scale values each holds. Rating: none. */
export const GROUPS: Record<ScoreKind, Array<{ category: ScoreCategory; min: number; max: number }>> = {
  nps: [
    { category: 'promoter', min: 9, max: 10 },
    { category: 'passive', min: 7, max: 8 },
    { category: 'detractor', min: 0, max: 6 },
  ],
  enps: [
    { category: 'promoter', min: 9, max: 10 },
    { category: 'passive', min: 7, max: 8 },
    { category: 'detractor', min: 0, max: 6 },
  ],
  csat: [
    { category: 'satisfied', min: 4, max: 5 },
    { category: 'neutral', min: 3, max: 3 },
    { category: 'dissatisfied', min: 1, max: 2 },
  ],
  ces: [
    { category: 'easy', min: 1, max: 3 },
    { category: 'neutral', min: 4, max: 4 },
    { category: 'difficult', min: 5, max: 7 },
  ],
  rating: [],
};

/** The kind of a scale question, or null for other questions. */
export function scoreKindOf(q: Pick<Question, 'type'>): ScoreKind | null {
  return q.type === 'nps' || q.type === 'enps' || q.type === 'csat' || q.type === 'ces' || q.type === 'rating'
    ? q.type
    : null;
}

/** The group a value falls in (null for rating scales or a value outside the scale). */
export function categoryOf(kind: ScoreKind, value: number): ScoreCategory | null {
  return GROUPS[kind].find((g) => value >= g.min && value <= g.max)?.category ?? null;
}

/**
 * The closed-loop trigger (a detractor, a dissatisfied or a difficult answer): the worst group of
 * the kind. Rating scales have none.
 */
export function isUnhappy(kind: ScoreKind, value: number): boolean {
  const worst = GROUPS[kind].at(-1);
  return worst !== undefined && value >= worst.min && value <= worst.max;
}

// ------------------------------------------------------------------ a scale, summarized as itself

/**
 * A scale question summarized as its kind (OBLIGATIONS SVC-4): the headline `value` is
 * - NPS/eNPS: the score −100..100 (unit 'nps'), margin = the 95% margin of error (stats.ts);
 * - CSAT: % satisfied (4–5) (unit 'percent'), interval = 95% Wilson; the mean beside it;
 * - CES: the mean effort 1–7, lower is better (unit 'mean'), 95% t interval; % easy (1–3) beside it;
 * - rating: the mean (unit 'mean'), 95% t interval.
 */
export const scaleSummary = z.object({
  kind: z.enum(['nps', 'enps', 'csat', 'ces', 'rating']),
  name: z
    .object({ nl: z.string(), en: z.string() })
    .describe('the name of the score, e.g. "Klanttevredenheid (CSAT)"; eNPS is called eNPS'),
  unit: z
    .enum(['nps', 'percent', 'mean'])
    .describe(
      'nps: −100..100; percent: 0..100 (CSAT % satisfied); mean: on the scale (CES 1–7, lower is better; rating min–max)',
    ),
  value: z.number().nullable().describe('the headline number (null without answers)'),
  margin: z
    .number()
    .nullable()
    .describe(
      '95% margin, ± points of `value`: NPS/eNPS 1.96·100·√((p+d−(p−d)²)/n); means: Student t; CSAT: half the width of the Wilson interval (which is asymmetric: see interval)',
    ),
  interval: z.object({ low: z.number(), high: z.number() }).nullable().describe('95% interval of `value`'),
  lowerIsBetter: z.boolean().describe('true for CES'),
  mean: z.number().nullable().describe('the mean answer on the scale'),
  meanInterval: z
    .object({ low: z.number(), high: z.number() })
    .nullable()
    .describe('95% Student t interval of the mean (null below 2 answers)'),
  share: z
    .object({
      category: z.string(),
      percent: z.number(),
      interval: z.object({ low: z.number(), high: z.number() }).nullable(),
    })
    .nullable()
    .describe('CSAT: % satisfied; CES: % easy; with the 95% Wilson interval; null for NPS and rating'),
  groups: z
    .array(
      z.object({
        category: z.string(),
        name: z.object({ nl: z.string(), en: z.string() }),
        range: z.string(),
        count: z.number(),
        percent: z.number(),
      }),
    )
    .describe("the kind's groups, best first (none for rating)"),
  distribution: z.array(z.object({ value: z.number(), count: z.number(), percent: z.number() })),
  n: z.number().describe('answers'),
  smallBase: z.boolean().describe(`fewer than ${SMALL_BASE} answers: margins are wide`),
});
export type ScaleSummary = z.infer<typeof scaleSummary>;

const pct1 = (k: number, n: number) => (n ? round1((k / n) * 100) : 0);
const iv = (i: Interval | null, f: (x: number) => number) => (i ? { low: f(i.low), high: f(i.high) } : null);

/** Per kind, the estimate a significance test compares (stats.ts compare): value and one answer's variance. */
export function estimateOf(kind: ScoreKind, h: Histogram): Estimate {
  const m = moments(h);
  const count = (c: ScoreCategory) => h.filter((x) => categoryOf(kind, x.value) === c).reduce((s, x) => s + x.count, 0);
  if (m.n === 0) return { n: 0, value: null, unitVariance: null };
  if (kind === 'nps' || kind === 'enps') {
    const r = npsWithMargin(count('promoter'), count('passive'), count('detractor'));
    return { n: r.n, value: r.nps, unitVariance: r.variance! * 100 * 100 };
  }
  if (kind === 'csat') {
    const p = count('satisfied') / m.n;
    return { n: m.n, value: p * 100, unitVariance: p * (1 - p) * 100 * 100 };
  }
  return { n: m.n, value: m.mean, unitVariance: m.variance };
}

/** The headline value, its margin and interval, for a histogram of one kind. */
export function headlineOf(
  kind: ScoreKind,
  h: Histogram,
): { value: number | null; margin: number | null; interval: { low: number; high: number } | null } {
  const m = moments(h);
  const count = (c: ScoreCategory) => h.filter((x) => categoryOf(kind, x.value) === c).reduce((s, x) => s + x.count, 0);
  if (m.n === 0) return { value: null, margin: null, interval: null };
  if (kind === 'nps' || kind === 'enps') {
    const r = npsWithMargin(count('promoter'), count('passive'), count('detractor'));
    const v = Math.round(r.nps!);
    return {
      value: v,
      margin: round1(r.margin!),
      interval: { low: round1(Math.max(-100, r.nps! - r.margin!)), high: round1(Math.min(100, r.nps! + r.margin!)) },
    };
  }
  if (kind === 'csat') {
    const w = wilson(count('satisfied'), m.n)!;
    return {
      value: pct1(count('satisfied'), m.n),
      margin: round1(((w.high - w.low) / 2) * 100),
      interval: iv(w, (x) => round1(x * 100)),
    };
  }
  const ci = meanInterval(m);
  return { value: round2(m.mean!), margin: ci ? round2(ci.margin) : null, interval: iv(ci, round2) };
}

/** A scale question's histogram summarized as its kind; `scale` gives every point of the scale. */
export function summarizeScale(kind: ScoreKind, h: Histogram, scale: { min: number; max: number }): ScaleSummary {
  const m = moments(h);
  const countOf = (v: number) => h.filter((x) => x.value === v).reduce((s, x) => s + x.count, 0);
  const distribution = Array.from({ length: scale.max - scale.min + 1 }, (_, i) => scale.min + i).map((value) => ({
    value,
    count: countOf(value),
    percent: pct1(countOf(value), m.n),
  }));
  const groups = GROUPS[kind].map((g) => {
    const count = distribution.filter((d) => d.value >= g.min && d.value <= g.max).reduce((s, d) => s + d.count, 0);
    return {
      category: g.category,
      name: CATEGORY_NAMES[g.category],
      range: g.min === g.max ? String(g.min) : `${g.min}–${g.max}`,
      count,
      percent: pct1(count, m.n),
    };
  });
  const good =
    kind === 'csat'
      ? groups.find((g) => g.category === 'satisfied')
      : kind === 'ces'
        ? groups.find((g) => g.category === 'easy')
        : undefined;
  const ci = meanInterval(m);
  return {
    kind,
    name: SCORE_NAMES[kind],
    unit: kind === 'nps' || kind === 'enps' ? 'nps' : kind === 'csat' ? 'percent' : 'mean',
    ...headlineOf(kind, h),
    lowerIsBetter: kind === 'ces',
    mean: m.mean === null ? null : round2(m.mean),
    meanInterval: iv(ci, round2),
    share: good
      ? {
          category: good.category,
          percent: good.percent,
          interval: iv(wilson(good.count, m.n), (x) => round1(x * 100)),
        }
      : null,
    groups,
    distribution,
    n: m.n,
    smallBase: m.n < SMALL_BASE,
  };
}
