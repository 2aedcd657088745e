import { SMALL_BASE, meanInterval as statsMeanInterval, npsWithMargin, wilson } from './stats.js';

export { wilson };
import { sql, type RawBuilder } from 'kysely';
import { z } from 'zod';
import type { Tx } from '../../lib/db/db.js';
import type { TenantKeys } from '../../lib/crypto/keyring.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import type { Message } from '../../lib/i18n.js';
import { keyQuestion, scaleOf, type Question, type SurveyDefinition } from '../surveys/definition.js';
import { groupsToShow, smallestIsolatable } from './disclosure.js';
import { crossKeys, groupable, groupingValues } from './histograms.js';
import { inRelease, type Release } from './release.js';
import { readBreakdownCells, readCrossRows } from './rollup.js';
import {
  CATEGORY_NAMES,
  GROUPS,
  SCORE_NAMES,
  categoryOf,
  scoreKindOf,
  type Localized,
  type ScoreKind,
} from './scores.js';

/**
 * Breakdowns and cross-tabs (OBLIGATIONS SVC-4): the key score per group, or a closed question's
 * answers per group, where a group is a value of a contact field (the built-ins language, gender and
 * function), of a profile field, or the answer to a closed question of the survey. Who may use which
 * grouping, and what a shielded survey releases, is decided by the caller (breakdown.ts).
 */

// ------------------------------------------------------------------------------------- margins

const round1 = (n: number) => Math.round(n * 10) / 10;

/** The 95% margin of an NPS in points (stats.ts npsWithMargin). */
export function npsMargin(promoters: number, detractors: number, n: number): number | null {
  return npsWithMargin(promoters, n - promoters - detractors, detractors).margin;
}

/** The 95% t interval of a mean from n, the sum and the sum of squares (stats.ts meanInterval); null below 2 answers. */
export function meanInterval(
  n: number,
  sum: number,
  sumSquares: number,
): { mean: number; low: number; high: number } | null {
  if (n < 2) return null;
  const mean = sum / n;
  const ci = statsMeanInterval({ n, mean, variance: Math.max(0, (sumSquares - n * mean * mean) / (n - 1)) });
  return ci ? { mean, low: ci.low, high: ci.high } : null;
}

// ------------------------------------------------------------------------------------ groupings

export type Grouping =
  | { kind: 'contact'; id: string; field: 'language' | 'gender' | 'function'; label: Localized }
  | { kind: 'profile'; id: string; key: string; label: Localized }
  | { kind: 'answer'; id: string; question: Question; label: Localized; overlapping: boolean };

export const CONTACT_FIELDS: Record<'language' | 'gender' | 'function', Localized> = {
  language: { nl: 'Taal', en: 'Language' },
  gender: { nl: 'Geslacht', en: 'Gender' },
  function: { nl: 'Functie', en: 'Function' },
};
const LANGUAGES: Record<string, Localized> = {
  nl: { nl: 'Nederlands', en: 'Dutch' },
  en: { nl: 'Engels', en: 'English' },
};
const GENDERS: Record<string, Localized> = {
  female: { nl: 'Vrouw', en: 'Female' },
  male: { nl: 'Man', en: 'Male' },
  other: { nl: 'Anders', en: 'Other' },
  unknown: { nl: 'Onbekend', en: 'Unknown' },
};
const NO_VALUE: Localized = { nl: 'Geen waarde', en: 'No value' };
const NOT_ANSWERED: Localized = { nl: 'Niet beantwoord', en: 'Not answered' };

export { groupable };

/**
 * A grouping id: `language`, `gender`, `function` (contact fields), `profile.<key>` (or a bare
 * profile key, as `?breakdown=` takes it), `answer.<question id>`.
 */
export async function resolveGrouping(tx: Tx, def: SurveyDefinition, by: string): Promise<Grouping> {
  const bad = (reason: string, message: Message) =>
    new AppError(ErrorCode.VALIDATION, message, { errors: [{ pointer: '/query/by', reason }] });
  if (by === 'language' || by === 'gender' || by === 'function')
    return { kind: 'contact', id: by, field: by, label: CONTACT_FIELDS[by] };
  if (by.startsWith('answer.')) {
    const q = def.questions.find((x) => x.id === by.slice('answer.'.length));
    if (!q) throw bad('unknown question', { key: 'problems:results.noQuestion', params: { id: by.slice(7) } });
    if (!groupable(q))
      throw bad('not a closed question', { key: 'problems:results.notGroupable', params: { id: q.id, type: q.type } });
    return { kind: 'answer', id: by, question: q, label: q.text, overlapping: q.type === 'multiple' };
  }
  const key = by.startsWith('profile.') ? by.slice('profile.'.length) : by;
  const def2 = await tx
    .selectFrom('profile_fields')
    .select(['key', 'label_nl', 'label_en'])
    .where('key', '=', key)
    .executeTakeFirst();
  if (!def2) throw bad('unknown grouping', { key: 'problems:results.unknownGrouping', params: { by } });
  return { kind: 'profile', id: `profile.${key}`, key, label: { nl: def2.label_nl, en: def2.label_en } };
}

/** The stored name of a grouping in released_breakdowns.field: a profile field by its bare key (as before). */
export function storedField(g: Grouping): string {
  return g.kind === 'profile' ? g.key : g.kind === 'contact' ? `contact.${g.field}` : g.id;
}

/** The raw group value(s) of the response `x` (a row of responses with its contact `c`): a set-returning lateral. */
function groupValues(g: Grouping, def: SurveyDefinition, key: Question | undefined): RawBuilder<unknown> {
  // Every grouping resolves: an answer grouping is made from the survey's own question.
  return groupingValues(g.id, def, key)!;
}

interface GroupKey {
  value: string | null;
  label: Localized;
}

/** The group of a raw value, and every group in display order. */
function groupsOf(
  g: Grouping,
  raw: Array<string | null>,
): { keyOf: (v: string | null) => string | null; order: GroupKey[] } {
  if (g.kind === 'answer') {
    const q = g.question;
    const kind = scoreKindOf(q);
    const none = { value: null, label: NOT_ANSWERED };
    if (q.type === 'single' || q.type === 'multiple') {
      const known = new Set(q.options.map((o) => o.value));
      return {
        keyOf: (v) => (v !== null && known.has(v) ? v : null),
        order: [...q.options.map((o) => ({ value: o.value, label: o.label })), none],
      };
    }
    if (kind && kind !== 'rating') {
      return {
        keyOf: (v) => (v === null ? null : categoryOf(kind, Number(v))),
        order: [...GROUPS[kind].map((x) => ({ value: x.category, label: CATEGORY_NAMES[x.category] })), none],
      };
    }
    const scale = scaleOf(q)!;
    const points = Array.from({ length: scale.max - scale.min + 1 }, (_, i) => String(scale.min + i));
    return {
      keyOf: (v) => (v !== null && points.includes(v) ? v : null),
      order: [...points.map((p) => ({ value: p, label: { nl: p, en: p } })), none],
    };
  }
  const values = [...new Set(raw.filter((v): v is string => v !== null))].sort((a, b) => a.localeCompare(b, 'nl'));
  const names =
    g.kind === 'contact' && g.field === 'language'
      ? LANGUAGES
      : g.kind === 'contact' && g.field === 'gender'
        ? GENDERS
        : {};
  return {
    keyOf: (v) => v,
    order: [
      ...values.map((v) => ({ value: v, label: names[v] ?? { nl: v, en: v } })),
      { value: null, label: NO_VALUE },
    ],
  };
}

// ----------------------------------------------------------------------------------- breakdown

const localized = z.object({ nl: z.string(), en: z.string() });
const interval = z.object({ low: z.number(), high: z.number() });
export const breakdownGroup = z.object({
  value: z
    .string()
    .nullable()
    .describe(
      'the group: a field value, an option value or scale group (promoter, satisfied, …); null: no value / not answered',
    ),
  label: localized,
  n: z.number().describe('responses in the group'),
  answered: z.number().describe('of those, with an answer to the key question'),
  mean: z.number().nullable().describe('mean of the key question'),
  meanInterval: interval.nullable().describe('95% confidence interval of the mean (Student t)'),
  nps: z.number().nullable().optional().describe('NPS/eNPS: −100..100'),
  npsMargin: z.number().nullable().optional().describe('NPS/eNPS: 95% margin in points, 1.96·100·√((p+d−(p−d)²)/n)'),
  shares: z
    .array(z.object({ category: z.string(), label: localized, count: z.number(), percent: z.number() }))
    .describe(
      'NPS: promoters, passives, detractors; CSAT: satisfied, neutral, dissatisfied; CES: easy, neutral, difficult',
    ),
  percent: z
    .object({ category: z.string(), value: z.number(), low: z.number(), high: z.number() })
    .nullable()
    .optional()
    .describe('CSAT: % satisfied (4–5); CES: % easy (1–3); with its 95% Wilson interval'),
  smallBase: z.boolean().describe(`fewer than ${SMALL_BASE} answers: read with care`),
});
export type BreakdownGroup = z.infer<typeof breakdownGroup>;

export const groupingInfo = z.object({
  id: z.string(),
  kind: z.enum(['contact', 'profile', 'answer']),
  label: localized,
  overlapping: z.boolean().describe('multiple choice: a respondent is in every group she chose'),
});

export const breakdownBody = z.object({
  surveyId: z.string(),
  grouping: groupingInfo,
  score: z
    .object({ kind: z.enum(['nps', 'enps', 'csat', 'ces', 'rating']), name: localized })
    .nullable()
    .describe('the key question the groups are scored on; null when the survey has none'),
  minGroupSize: z.number().nullable().describe('groups below this size are not shown (null: every group is shown)'),
  groups: z.array(breakdownGroup),
  hiddenGroups: z
    .number()
    .describe(
      'groups left out: below minGroupSize, or suppressed so that no hidden group follows from the shown ones by subtraction',
    ),
  released: z
    .number()
    .nullable()
    .describe(
      'confidential and anonymous surveys: the responses the table was computed over, once, when first asked for after closing',
    ),
});
export type BreakdownBody = z.infer<typeof breakdownBody>;

export interface ScoreHist {
  n: number;
  byValue: Map<number, number>;
}

/** What a group shows, from the histogram of its key answers. */
export function scoreGroup(kind: ScoreKind | null, key: GroupKey, hist: ScoreHist): BreakdownGroup {
  let answered = 0;
  let sum = 0;
  let sq = 0;
  for (const [v, c] of hist.byValue) {
    answered += c;
    sum += v * c;
    sq += v * v * c;
  }
  const ci = meanInterval(answered, sum, sq);
  const out: BreakdownGroup = {
    value: key.value,
    label: key.label,
    n: hist.n,
    answered,
    mean: answered ? round1(sum / answered) : null,
    meanInterval: ci ? { low: round1(ci.low), high: round1(ci.high) } : null,
    shares: [],
    smallBase: answered < SMALL_BASE,
  };
  if (!kind) return out;
  const count = (min: number, max: number) =>
    [...hist.byValue].filter(([v]) => v >= min && v <= max).reduce((s, [, c]) => s + c, 0);
  out.shares = GROUPS[kind].map((x) => {
    const c = count(x.min, x.max);
    return {
      category: x.category,
      label: CATEGORY_NAMES[x.category],
      count: c,
      percent: answered ? round1((c / answered) * 100) : 0,
    };
  });
  if (kind === 'nps' || kind === 'enps') {
    const p = count(9, 10);
    const d = count(0, 6);
    out.nps = answered ? Math.round(((p - d) / answered) * 100) : null;
    const m = npsMargin(p, d, answered);
    out.npsMargin = m === null ? null : round1(m);
  }
  if (kind === 'csat' || kind === 'ces') {
    const g = GROUPS[kind][0]!;
    const x = count(g.min, g.max);
    const w = wilson(x, answered);
    out.percent = w
      ? {
          category: g.category,
          value: round1((x / answered) * 100),
          low: round1(w.low * 100),
          high: round1(w.high * 100),
        }
      : null;
  }
  return out;
}

interface ScoreCell {
  step: number;
  v: string | null;
  y: number | null;
  n: number;
}

/** Counts per (release step, raw group value, key score). Identified surveys: one step. */
async function scoreCells(
  tx: Tx,
  surveyId: string,
  g: Grouping,
  key: Question | undefined,
  release: Release | null,
  def: SurveyDefinition,
): Promise<ScoreCell[]> {
  // Issue 17: an identified survey's live breakdown from the rollup (shielded surveys are counted
  // once, over their release, and kept: breakdown.ts).
  if (!release) {
    const rolled = await readBreakdownCells(tx, surveyId, def, g.id);
    if (rolled) return rolled.map((c) => ({ step: 1, ...c }));
  }
  const bounds = release ? [1, ...release.steps.slice(0, -1).map((p) => p + 1)] : [1];
  const rows = await sql<ScoreCell>`
    SELECT width_bucket(x.rn, ${bounds}::int[]) AS step, gv.v, x.score AS y, count(*)::int AS n
      FROM (SELECT r.tenant_id, r.id, r.contact_id, r.language, r.answers, r.score, row_number() OVER (ORDER BY r.submitted_at, r.id)::int AS rn
              FROM responses r WHERE r.survey_id = ${surveyId}::uuid AND ${inRelease(release ? release.cutoff : undefined)}) x
      LEFT JOIN contacts c ON c.tenant_id = x.tenant_id AND c.id = x.contact_id
      LEFT JOIN LATERAL ${groupValues(g, def, key)} gv ON true
     GROUP BY 1, 2, 3`.execute(tx);
  return rows.rows;
}

/**
 * The key score per group. `minGroup` null: every group (but a group nobody is in); else groups of at
 * least minGroup with complementary suppression over release steps × groups (disclosure.ts), and
 * never the group without a value.
 */
export async function scoreBreakdown(
  tx: Tx,
  survey: { id: string; definition: SurveyDefinition },
  g: Grouping,
  minGroup: number | null,
  release: Release | null,
): Promise<BreakdownBody> {
  const key = keyQuestion(survey.definition);
  const kind = key ? scoreKindOf(key) : null;
  const cells = await scoreCells(tx, survey.id, g, key, release, survey.definition);
  const { keyOf, order } = groupsOf(
    g,
    cells.map((c) => c.v),
  );
  const index = new Map(order.map((o, i) => [o.value, i]));
  const steps = release ? release.steps.length : 1;
  const matrix = Array.from({ length: steps }, () => new Array<number>(order.length).fill(0));
  const hists: ScoreHist[] = order.map(() => ({ n: 0, byValue: new Map() }));
  for (const c of cells) {
    const i = index.get(keyOf(c.v))!;
    matrix[c.step - 1]![i]! += c.n;
    hists[i]!.n += c.n;
    if (c.y !== null) hists[i]!.byValue.set(c.y, (hists[i]!.byValue.get(c.y) ?? 0) + c.n);
  }
  let shown: Set<number>;
  if (minGroup === null) shown = new Set(order.flatMap((_, i) => (hists[i]!.n > 0 ? [i] : [])));
  else shown = groupsToShow(matrix, order.length, minGroup, (i) => order[i]!.value !== null);
  const present = order.filter((_, i) => hists[i]!.n > 0).length;
  return {
    surveyId: survey.id,
    grouping: { id: g.id, kind: g.kind, label: g.label, overlapping: g.kind === 'answer' && g.overlapping },
    score: kind ? { kind, name: SCORE_NAMES[kind] } : null,
    minGroupSize: minGroup,
    groups: order.flatMap((o, i) => (shown.has(i) ? [scoreGroup(kind, o, hists[i]!)] : [])),
    hiddenGroups: present - [...shown].filter((i) => hists[i]!.n > 0).length,
    released: release ? release.released : null,
  };
}

// ------------------------------------------------------------------------------------ cross-tab

export const crossTabBody = z.object({
  surveyId: z.string(),
  grouping: groupingInfo,
  question: z.object({ id: z.string(), type: z.string(), text: localized }),
  minGroupSize: z
    .number()
    .nullable()
    .describe('cells and groups below this size are not shown (null: everything is shown)'),
  columns: z
    .array(
      z.object({
        value: z.string().nullable(),
        label: localized,
        n: z.number().describe('respondents in the group who answered the question'),
        mean: z.number().nullable().optional().describe('number and scale questions: the mean in this group'),
        meanInterval: interval.nullable().optional(),
        smallBase: z.boolean(),
      }),
    )
    .describe('the groups'),
  rows: z
    .array(
      z.object({
        value: z.string(),
        label: localized,
        cells: z.array(
          z.object({
            count: z
              .number()
              .nullable()
              .describe('null: suppressed (below minGroupSize, or it would follow from the totals)'),
            percent: z.number().nullable().describe('column percent'),
          }),
        ),
      }),
    )
    .describe("the question's options or scale points; empty for a number question"),
  hiddenGroups: z.number(),
  hiddenCells: z.number(),
});
export type CrossTabBody = z.infer<typeof crossTabBody>;

/** The rows of a closed question: its options or scale points. */
function rowsOf(q: Question): Array<{ value: string; label: Localized }> {
  if (q.type === 'single' || q.type === 'multiple') return q.options.map((o) => ({ value: o.value, label: o.label }));
  const scale = scaleOf(q)!;
  return Array.from({ length: scale.max - scale.min + 1 }, (_, i) => {
    const v = String(scale.min + i);
    const end =
      q.type === 'rating' ? (i === 0 ? q.minLabel : scale.min + i === scale.max ? q.maxLabel : undefined) : undefined;
    return { value: v, label: end ? { nl: `${v} (${end.nl})`, en: `${v} (${end.en})` } : { nl: v, en: v } };
  });
}

/**
 * Which cells of a cross-tab an analyst may see (identified survey, a grouping field): cells of at
 * least `minGroup`, with complementary suppression. What is public: the question's distribution over
 * all respondents (row totals), the sizes of the shown groups (column n), the shown cells. Take the
 * shown cells out of those margins: the hidden cells are the edges of a bipartite graph (options ×
 * shown groups, plus one node for every hidden group together) whose node sums are all known, and a
 * combination of the sums isolates exactly the cells of a cut (disclosure.ts). So every connected part
 * of that graph must have its minimum cut ≥ minGroup; while one does not, its smallest shown cell in
 * the same rows or columns is hidden too.
 */
export function cellsToShow(counts: number[][], shownColumns: boolean[], minGroup: number): boolean[][] {
  const rows = counts.length;
  const cols = shownColumns.length;
  const show = counts.map((row) => row.map((c, j) => shownColumns[j]! && (c === 0 || c >= minGroup)));
  for (;;) {
    // Nodes: rows, then shown columns, then one node for the hidden columns.
    const colNode = (j: number) => (shownColumns[j] ? rows + j : rows + cols);
    const n = rows + cols + 1;
    const w = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const c = counts[i]![j]!;
        if (show[i]![j] || !c) continue;
        w[i]![colNode(j)]! += c;
        w[colNode(j)]![i]! += c;
      }
    }
    if (smallestIsolatable(w) >= minGroup) return show;
    // Hide the smallest shown non-empty cell that touches a hidden one (its row or its column).
    let best: [number, number] | null = null;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        if (!show[i]![j] || !counts[i]![j]) continue;
        const touches =
          counts[i]!.some((c, k) => c > 0 && !show[i]![k]) || counts.some((r, k) => r[j]! > 0 && !show[k]![j]);
        if (touches && (!best || counts[i]![j]! < counts[best[0]]![best[1]]!)) best = [i, j];
      }
    }
    if (!best) {
      // Nothing left to hide next to a small part: hide every cell (never reached with sane input).
      return show.map((r) => r.map(() => false));
    }
    show[best[0]]![best[1]] = false;
  }
}

/**
 * A cross-tab of `question` by `g` (identified surveys only; see breakdown.ts for shielded ones).
 * `minGroup` null: every cell; else groups below minGroup hidden, cells below it suppressed with
 * complementary suppression (cellsToShow). A number question: its mean per group.
 */
export async function crossTab(
  tx: Tx,
  keys: TenantKeys,
  survey: { id: string; definition: SurveyDefinition },
  g: Grouping,
  question: Question,
  minGroup: number | null,
): Promise<CrossTabBody> {
  const key = keyQuestion(survey.definition);
  const head = {
    surveyId: survey.id,
    grouping: { id: g.id, kind: g.kind, label: g.label, overlapping: g.kind === 'answer' && g.overlapping },
    question: { id: question.id, type: question.type, text: question.text },
    minGroupSize: minGroup,
  };
  const base = sql`
    FROM (SELECT r.tenant_id, r.id, r.contact_id, r.language, r.answers, r.answers_enc, r.score FROM responses r WHERE r.survey_id = ${survey.id}::uuid) x
    LEFT JOIN contacts c ON c.tenant_id = x.tenant_id AND c.id = x.contact_id
    LEFT JOIN LATERAL ${groupValues(g, survey.definition, key)} gv ON true`;
  if (question.type === 'number') {
    // Numbers are kept encrypted with the rest of the typed answers: read, per response, here.
    const rows = await sql<{
      id: string;
      v: string | null;
      clear: unknown;
      answers_enc: Buffer;
    }>`SELECT x.id, gv.v, x.answers -> ${question.id} AS clear, x.answers_enc ${base}`.execute(tx);
    const { keyOf, order } = groupsOf(
      g,
      rows.rows.map((r) => r.v),
    );
    const index = new Map(order.map((o, i) => [o.value, i]));
    const acc = order.map(() => ({ n: 0, sum: 0, sq: 0 }));
    const cache = new Map<string, number | null>();
    for (const r of rows.rows) {
      let v = cache.get(r.id);
      if (v === undefined) {
        const clear = typeof r.clear === 'number' ? r.clear : null;
        const sealed =
          clear === null
            ? keys.openJson<{ answers?: Record<string, unknown> }>(r.answers_enc).answers?.[question.id]
            : clear;
        v = typeof sealed === 'number' ? sealed : null;
        cache.set(r.id, v);
      }
      if (v === null) continue;
      const a = acc[index.get(keyOf(r.v))!]!;
      a.n++;
      a.sum += v;
      a.sq += v * v;
    }
    const shown =
      minGroup === null
        ? new Set(order.flatMap((_, i) => (acc[i]!.n ? [i] : [])))
        : groupsToShow([acc.map((a) => a.n)], order.length, minGroup, (i) => order[i]!.value !== null);
    const present = acc.filter((a) => a.n > 0).length;
    return {
      ...head,
      columns: order.flatMap((o, i) => {
        if (!shown.has(i)) return [];
        const a = acc[i]!;
        const ci = meanInterval(a.n, a.sum, a.sq);
        return [
          {
            value: o.value,
            label: o.label,
            n: a.n,
            mean: a.n ? round1(a.sum / a.n) : null,
            meanInterval: ci ? { low: round1(ci.low), high: round1(ci.high) } : null,
            smallBase: a.n < SMALL_BASE,
          },
        ];
      }),
      rows: [],
      hiddenGroups: present - [...shown].filter((i) => acc[i]!.n > 0).length,
      hiddenCells: 0,
    };
  }
  if (!groupable(question)) {
    throw new AppError(
      ErrorCode.VALIDATION,
      { key: 'problems:results.crossTabQuestion', params: { id: question.id, type: question.type } },
      { errors: [{ pointer: '/query/question', reason: 'not a closed question' }] },
    );
  }
  if (minGroup !== null && question.type === 'multiple') {
    throw new AppError(
      ErrorCode.CONFLICT,
      { key: 'problems:results.crossTabMultiple' },
      { errors: [{ pointer: '/query/question', reason: 'multiple choice within minimum group size' }] },
    );
  }
  // Issue 17: from the rollup once the job keeps this pair (the first view asks it to), else counted.
  const pair = { grouping: g.id, question: question.id };
  const { cells: cellsKey } = crossKeys(pair);
  const cells: Array<{ v: string | null; y: string | null; n: number }> = [];
  const people: Array<{ v: string | null; n: number }> = [];
  for (const r of await readCrossRows(tx, survey.id, survey.definition, pair)) {
    if (r.q === cellsKey) {
      const [v, y] = JSON.parse(r.v) as [string | null, string | null];
      cells.push({ v, y, n: Number(r.n) });
    } else {
      const [v] = JSON.parse(r.v) as [string | null];
      people.push({ v, n: Number(r.n) });
    }
  }
  const { keyOf, order } = groupsOf(
    g,
    cells.map((c) => c.v),
  );
  const index = new Map(order.map((o, i) => [o.value, i]));
  const rowDefs = rowsOf(question);
  const rowIndex = new Map(rowDefs.map((r, i) => [r.value, i]));
  const counts = rowDefs.map(() => new Array<number>(order.length).fill(0));
  const colN = new Array<number>(order.length).fill(0);
  for (const c of cells) {
    const j = index.get(keyOf(c.v))!;
    const i = c.y === null ? undefined : rowIndex.get(c.y);
    if (i !== undefined) counts[i]![j]! += c.n;
  }
  for (const p of people) colN[index.get(keyOf(p.v))!]! += p.n;
  const shownCols =
    minGroup === null
      ? order.map((_, j) => colN[j]! > 0)
      : (() => {
          const s = groupsToShow([colN], order.length, minGroup, (j) => order[j]!.value !== null);
          return order.map((_, j) => s.has(j));
        })();
  const showCell =
    minGroup === null ? counts.map((r) => r.map((_, j) => shownCols[j]!)) : cellsToShow(counts, shownCols, minGroup);
  const cols = order.flatMap((o, j) => (shownCols[j] ? [j] : []));
  let hiddenCells = 0;
  const rows = rowDefs.map((r, i) => ({
    value: r.value,
    label: r.label,
    cells: cols.map((j) => {
      if (!showCell[i]![j]) {
        hiddenCells++;
        return { count: null, percent: null };
      }
      const c = counts[i]![j]!;
      return { count: c, percent: colN[j] ? round1((c / colN[j]!) * 100) : 0 };
    }),
  }));
  const scale = scaleOf(question);
  return {
    ...head,
    columns: cols.map((j) => {
      const col = { value: order[j]!.value, label: order[j]!.label, n: colN[j]!, smallBase: colN[j]! < SMALL_BASE };
      if (!scale) return col;
      let sum = 0;
      let sq = 0;
      let n = 0;
      rowDefs.forEach((r, i) => {
        const c = counts[i]![j]!;
        n += c;
        sum += Number(r.value) * c;
        sq += Number(r.value) ** 2 * c;
      });
      // A mean gives nothing a hidden cell would hide only when every cell of its column is shown.
      const whole = rowDefs.every((_, i) => showCell[i]![j]);
      const ci = meanInterval(n, sum, sq);
      return {
        ...col,
        mean: whole && n ? round1(sum / n) : null,
        meanInterval: whole && ci ? { low: round1(ci.low), high: round1(ci.high) } : null,
      };
    }),
    rows,
    hiddenGroups: order.filter((_, j) => colN[j]! > 0 && !shownCols[j]).length,
    hiddenCells,
  };
}
