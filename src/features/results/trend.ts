import { sql, type RawBuilder } from 'kysely';
import { z } from 'zod';
import type { Tx } from '../../lib/db/db.js';
import type { SurveyDefinition } from '../surveys/definition.js';
import { inRelease, type Release } from './release.js';
import type { TrendRow } from './histograms.js';
import { readTrend } from './rollup.js';
import { estimateOf, headlineOf, type ScoreKind } from './scores.js';
import { compare, round2, type Histogram } from './stats.js';

/**
 * The key score over time (OBLIGATIONS SVC-4), for the key score's own kind (NPS, eNPS, CSAT, CES or
 * rating), with the 95% margin of each point and whether it differs significantly from the point
 * before (stats.ts compare). Identified surveys: per day, ISO week (from Monday), month or quarter in
 * Europe/Amsterdam. Shielded surveys: per release step (release.ts), whatever interval is asked: a
 * calendar period could hold a single answer and be subtracted from the total.
 */
export const INTERVALS = ['day', 'week', 'month', 'quarter'] as const;
export type TrendInterval = (typeof INTERVALS)[number];

const change = z.object({
  delta: z.number().describe('this value minus the previous one'),
  z: z.number().nullable().describe('two-sample z (unpooled); null when a side has no variance'),
  significant: z.boolean().describe('|z| ≥ 1.96: a change at the 5% level'),
});

export const trendPoint = z.object({
  day: z
    .string()
    .describe(
      'identified surveys: the first day of the period (per day: the day); shielded surveys: the last day of the release step',
    ),
  from: z.string().optional().describe('shielded surveys: the first day of the release step'),
  to: z.string().optional().describe('identified surveys: the last day of the period'),
  period: z.string().describe('the period: 2026-11-18, 2026-W47, 2026-11, 2026-Q4; shielded surveys: step 1, 2, …'),
  complete: z
    .boolean()
    .describe(
      'the period has ended (the current day, week, month or quarter has not); release steps are always complete',
    ),
  responses: z.number().describe('responses in the period'),
  n: z.number().describe('answers to the key question in the period'),
  value: z.number().nullable().describe('the key score of the period, in the unit of keyScore'),
  margin: z.number().nullable().describe('95% margin of value (± points)'),
  nps: z
    .number()
    .nullable()
    .describe('deprecated (use value): the NPS of the period, null unless the key score is NPS or eNPS'),
  change: change.nullable().describe('against the previous point'),
});
export type TrendPoint = z.infer<typeof trendPoint>;

export const comparison = z.object({
  previous: z.string().describe('the period before'),
  last: z.string().describe('the last complete period (identified surveys) or the last release step'),
  previousValue: z.number().nullable(),
  lastValue: z.number().nullable(),
  ...change.shape,
});

interface Row {
  /** the point's key: rows of one point are adjacent */
  k: number | string;
  label: string;
  first: string;
  last: string;
  complete: boolean;
  v: number | null;
  n: number;
}

function pointsOf(rows: Row[], kind: ScoreKind): { points: TrendPoint[]; hist: Histogram[] } {
  const byK = new Map<number | string, Row[]>();
  for (const r of rows) {
    const group = byK.get(r.k);
    if (group) group.push(r);
    else byK.set(r.k, [r]);
  }
  const points: TrendPoint[] = [];
  const hist: Histogram[] = [];
  for (const group of [...byK.values()]) {
    const h = group.filter((r) => r.v !== null).map((r) => ({ value: Number(r.v), count: r.n }));
    const head = headlineOf(kind, h);
    const g = group[0]!;
    const prev = hist.at(-1);
    const c = prev ? compare(estimateOf(kind, prev), estimateOf(kind, h)) : null;
    points.push({
      day: g.first,
      period: g.label,
      to: g.last,
      complete: g.complete,
      responses: group.reduce((s, r) => s + r.n, 0),
      n: h.reduce((s, x) => s + x.count, 0),
      value: head.value,
      margin: head.margin,
      nps: kind === 'nps' || kind === 'enps' ? head.value : null,
      change: c ? { delta: round2(c.delta), z: c.z === null ? null : round2(c.z), significant: c.significant } : null,
    });
    hist.push(h);
  }
  return { points, hist };
}

/** The last two complete points compared (identified: the periods that have ended; shielded: the steps). */
export function headlineComparison(
  points: TrendPoint[],
  hist: Histogram[],
  kind: ScoreKind,
): z.infer<typeof comparison> | null {
  const done = points.map((p, i) => ({ p, h: hist[i]! })).filter((x) => x.p.complete && x.p.n > 0);
  if (done.length < 2) return null;
  const [a, b] = done.slice(-2) as [{ p: TrendPoint; h: Histogram }, { p: TrendPoint; h: Histogram }];
  const c = compare(estimateOf(kind, a.h), estimateOf(kind, b.h))!;
  return {
    previous: a.p.period,
    last: b.p.period,
    previousValue: a.p.value,
    lastValue: b.p.value,
    delta: round2(c.delta),
    z: c.z === null ? null : round2(c.z),
    significant: c.significant,
  };
}

const DAY_MS = 86_400_000;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const ymd = (t: number) => {
  const d = new Date(t);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
};
const amsterdamDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Amsterdam',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

interface Period {
  /** the first day, YYYY-MM-DD (sorts as the period does) */
  first: string;
  last: string;
  label: string;
}

/**
 * The calendar period of a Europe/Amsterdam day, as PostgreSQL's date_trunc and to_char name it
 * (ISO week from Monday, `IYYY-"W"IW`; `YYYY-MM`; `YYYY-"Q"Q`). Computed here rather than in a
 * statement: the days come from the rollup, and sending a year of days and key answers to the
 * database only to truncate them was a round trip and ~10 ms of a results view (issue 17, measured).
 */
export function periodOf(day: string, interval: TrendInterval): Period {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  if (interval === 'day') return { first: day, last: day, label: day };
  if (interval === 'week') {
    const t = Date.UTC(y, m - 1, d);
    const monday = t - ((new Date(t).getUTCDay() + 6) % 7) * DAY_MS;
    // The ISO year and week are those of the week's Thursday.
    const thursday = new Date(monday + 3 * DAY_MS);
    const isoYear = thursday.getUTCFullYear();
    const week = 1 + Math.floor((thursday.getTime() - Date.UTC(isoYear, 0, 1)) / DAY_MS / 7);
    return { first: ymd(monday), last: ymd(monday + 6 * DAY_MS), label: `${isoYear}-W${pad(week)}` };
  }
  const months = interval === 'month' ? 1 : 3;
  const m0 = interval === 'month' ? m - 1 : Math.floor((m - 1) / 3) * 3;
  return {
    first: `${y}-${pad(m0 + 1)}-01`,
    last: ymd(Date.UTC(y, m0 + months, 1) - DAY_MS),
    label: interval === 'month' ? `${y}-${pad(m)}` : `${y}-Q${m0 / 3 + 1}`,
  };
}

/**
 * Identified surveys: per period, from the responses per day and key answer (rollup.ts: the rollup
 * and the responses after it). A period is the Europe/Amsterdam day truncated, as it always was.
 */
export async function periodTrend(
  tx: Tx,
  survey: { id: string; definition: SurveyDefinition },
  kind: ScoreKind,
  interval: TrendInterval,
  now: Date,
  /** the survey's responses per day and key answer, when the caller has read them already */
  read?: TrendRow[],
) {
  const days = read ?? (await readTrend(tx, survey.id, survey.definition, undefined));
  if (!days.length) return pointsOf([], kind);
  const current = periodOf(amsterdamDay.format(now), interval).first;
  // Per period and key answer: the sum of the days' counts.
  const cells = new Map<string, { period: Period; counts: Map<string, number> }>();
  for (const d of days) {
    const period = periodOf(d.day, interval);
    let cell = cells.get(period.first);
    if (!cell) cells.set(period.first, (cell = { period, counts: new Map() }));
    cell.counts.set(d.v, (cell.counts.get(d.v) ?? 0) + d.n);
  }
  const rows: Row[] = [];
  for (const [first, { period, counts }] of [...cells].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const values = [...counts].map(([v, n]) => ({ v: v === '' ? null : Number(v), n }));
    // Ascending, no answer last (as ORDER BY v did).
    values.sort((a, b) => (a.v === null ? 1 : b.v === null ? -1 : a.v - b.v));
    for (const { v, n } of values)
      rows.push({ k: first, label: period.label, first, last: period.last, complete: first < current, v, n });
  }
  return pointsOf(rows, kind);
}

/**
 * OBLIGATIONS SVC-4: per release step, for shielded surveys. A day-by-day trend could be
 * subtracted from the total (the one answer of a quiet day); a step holds at least minGroupSize
 * answers and never changes once shown.
 */
export async function stepTrend(
  tx: Tx,
  surveyId: string,
  release: Release,
  kind: ScoreKind,
  value: RawBuilder<number | null>,
) {
  if (release.released === 0) return { points: [], hist: [] };
  const bounds = [1, ...release.steps.slice(0, -1).map((p) => p + 1)];
  const rows = await sql<Row & { all: number }>`
    SELECT s.k, 'step ' || s.k AS label, s.first, s.last, true AS complete, y.v, count(y.*)::int AS n
      FROM (SELECT width_bucket(x.rn, ${bounds}::int[]) AS k,
                   to_char(min(x.at) AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM-DD') AS first,
                   to_char(max(x.at) AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM-DD') AS last
              FROM (SELECT r.submitted_at AS at, row_number() OVER (ORDER BY r.submitted_at, r.id)::int AS rn
                      FROM responses r WHERE r.survey_id = ${surveyId}::uuid AND ${inRelease(release.cutoff)}) x
             GROUP BY 1) s
      JOIN (SELECT width_bucket(row_number() OVER (ORDER BY r.submitted_at, r.id)::int, ${bounds}::int[]) AS k, ${value} AS v
              FROM responses r WHERE r.survey_id = ${surveyId}::uuid AND ${inRelease(release.cutoff)}) y ON y.k = s.k
     GROUP BY s.k, s.first, s.last, y.v ORDER BY s.k, y.v`.execute(tx);
  const out = pointsOf(rows.rows, kind);
  // A step's `day` is its last day and `from` its first, as before.
  for (const p of out.points) {
    p.from = p.day;
    p.day = p.to!;
    delete p.to;
  }
  return out;
}
