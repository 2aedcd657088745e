import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import type { Tx } from '../../lib/db/db.js';
import type { BenchmarkKind } from '../../lib/db/schema.js';
import { estimateOf, headlineOf } from '../results/scores.js';
import type { Histogram } from '../results/stats.js';
import { keyQuestion, scaleOf, type SurveyDefinition } from '../surveys/definition.js';
import { log } from '../../lib/log.js';

/**
 * OBLIGATIONS BEN-1, END-5: the anonymous sector benchmark (issue 13).
 *
 * The job (sweepBenchmark) has two steps.
 *
 * 1. Counting, per customer in a sector, in one owner transaction with the customer set
 *    (Db.maintenance): the answers of its surveys whose key question is NPS, eNPS, CSAT or CES,
 *    submitted in [processed_to, T) with T = now − LAG_SECONDS, are added per key type and quarter
 *    (Europe/Amsterdam) to its own row (benchmark_own) and to the anonymous contribution that row
 *    points at (benchmark_contributions, random id, no tenant); the cursor moves to T. Same
 *    transaction, so a crash counts nothing twice. The lag is far longer than a writer batch can take
 *    to commit, so an answer is never missed behind the cursor.
 * 2. Cells, on the owner connection: a quarter is computed once, when T has passed its end (every
 *    contribution to it is final then): per sector x key type x quarter the pooled score with its 95%
 *    margin (scores.ts headlineOf), customers, respondents, the two largest contributions, quartiles
 *    of the customers' scores and each contribution's percentile. Those numbers never change again.
 *    What is published is then rebuilt from them under the operator's current rules (publishCells).
 *
 * Why cells are final: an answer's quarter is fixed and the cursor only moves forward; a customer put
 * in a sector starts counting at that moment (no back-fill into published quarters); a customer that
 * leaves, ends or has answers erased leaves its contribution as it was (END-5). So no two published
 * versions of a cell ever differ by one customer or one answer. Cells do not overlap: no totals over
 * periods, sectors or key types are published.
 */

export const KINDS: readonly BenchmarkKind[] = ['nps', 'enps', 'csat', 'ces'];
/** Answers younger than this are counted by a later sweep (a writer batch commits within milliseconds). */
export const LAG_SECONDS = 600;
/** Customers counted at once on PostgreSQL. */
const COUNT_WORKERS = 4;

export interface BenchmarkRules {
  minCustomers: number;
  minRespondents: number;
  dominanceOnePercent: number;
  dominanceTwoPercent: number;
  quartileMinCustomers: number;
}

export type SuppressionReason = 'customers' | 'respondents' | 'dominance';

export interface CellStats {
  sector: string;
  kind: BenchmarkKind;
  period: string;
  customers: number;
  respondents: number;
  top1: number;
  top2: number;
  value: number | null;
  margin: number | null;
  low: number | null;
  high: number | null;
  q1: number | null;
  median: number | null;
  q3: number | null;
}

const histogramOf = (counts: readonly number[]): Histogram =>
  counts.map((count, value) => ({ value, count })).filter((x) => x.count > 0);
const sumOf = (counts: readonly number[]) => counts.reduce((s, c) => s + c, 0);

/** The headline of one key type from 11 counts (index = score): scores.ts decides what it means. */
export function headline(kind: BenchmarkKind, counts: readonly number[]) {
  return headlineOf(kind, histogramOf(counts));
}

/** The reason a cell is not published under these rules, or null. */
export function suppressionOf(
  s: Pick<CellStats, 'customers' | 'respondents' | 'top1' | 'top2'>,
  r: BenchmarkRules,
): SuppressionReason | null {
  if (s.customers < r.minCustomers) return 'customers';
  if (s.respondents < r.minRespondents) return 'respondents';
  if (s.top1 * 100 > r.dominanceOnePercent * s.respondents || s.top2 * 100 > r.dominanceTwoPercent * s.respondents)
    return 'dominance';
  return null;
}

/** Linear interpolation between order statistics (type 7), so a quartile of 10 or more is rarely one customer's score. */
function quantile(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return sorted[lo]! + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]!) - sorted[lo]!);
}

/** Published precision of a customer-level number: NPS/eNPS and CSAT whole points, CES one decimal. */
const roundFor = (kind: BenchmarkKind, x: number) => (kind === 'ces' ? Math.round(x * 10) / 10 : Math.round(x));

/** One cell from its contributions; also each contribution's percentile rank. Pure. */
export function computeCell(
  sector: string,
  kind: BenchmarkKind,
  period: string,
  parts: ReadonlyArray<{ id: string; counts: readonly number[] }>,
): { stats: CellStats; percentiles: Map<string, number> } {
  const live = parts.filter((p) => sumOf(p.counts) > 0);
  const pooled = Array.from({ length: 11 }, (_, v) => live.reduce((s, p) => s + (p.counts[v] ?? 0), 0));
  const sizes = live.map((p) => sumOf(p.counts)).sort((a, b) => b - a);
  const h = headline(kind, pooled);
  // Each customer's score, unrounded (estimateOf: NPS −100..100, CSAT % satisfied, CES mean effort).
  const scores = live.map((p) => ({ id: p.id, score: estimateOf(kind, histogramOf(p.counts)).value! }));
  const sorted = scores.map((s) => s.score).sort((a, b) => a - b);
  const percentiles = new Map<string, number>();
  for (const s of scores) {
    // Percentile rank: customers that score worse, plus half of those that score the same (itself
    // included), as a share of all. CES: lower is better.
    const worse = scores.filter((o) => (kind === 'ces' ? o.score > s.score : o.score < s.score)).length;
    const same = scores.filter((o) => o.score === s.score).length;
    percentiles.set(s.id, Math.round(((worse + same / 2) / scores.length) * 100));
  }
  const q = sorted.length
    ? {
        q1: roundFor(kind, quantile(sorted, 0.25)),
        median: roundFor(kind, quantile(sorted, 0.5)),
        q3: roundFor(kind, quantile(sorted, 0.75)),
      }
    : { q1: null, median: null, q3: null };
  return {
    stats: {
      sector,
      kind,
      period,
      customers: live.length,
      respondents: sumOf(pooled),
      top1: sizes[0] ?? 0,
      top2: (sizes[0] ?? 0) + (sizes[1] ?? 0),
      value: h.value,
      margin: h.margin,
      low: h.interval?.low ?? null,
      high: h.interval?.high ?? null,
      ...q,
    },
    percentiles,
  };
}

export async function readRules(tx: Tx): Promise<BenchmarkRules> {
  const r = await tx.selectFrom('benchmark_settings').selectAll().executeTakeFirstOrThrow();
  return {
    minCustomers: r.min_customers,
    minRespondents: r.min_respondents,
    dominanceOnePercent: r.dominance_one_percent,
    dominanceTwoPercent: r.dominance_two_percent,
    quartileMinCustomers: r.quartile_min_customers,
  };
}

// ------------------------------------------------------------------ step 1: counting

/** Counts one customer's new answers up to `until`. Returns the number of answers added. */
export async function countCustomer(ctx: AppContext, tenantId: string, sector: string, until: Date): Promise<number> {
  return ctx.db.maintenance(tenantId, async (tx) => {
    // The owner connection: every statement names the tenant (a superuser owner is not bound by RLS).
    // A customer seen for the first time (put in a sector at its creation, or a sector created with
    // the code it already had) starts counting now: never back into quarters that may be published.
    // Customers that had a sector before 0024 got a cursor there that counts from the beginning.
    const created =
      await sql`INSERT INTO benchmark_cursors (tenant_id, processed_to) VALUES (${tenantId}, ${until}) ON CONFLICT (tenant_id) DO NOTHING`.execute(
        tx,
      );
    if (Number(created.numAffectedRows ?? 0) > 0) return 0;
    const cursor = (
      await sql<{
        processed_to: Date | null;
      }>`SELECT processed_to FROM benchmark_cursors WHERE tenant_id = ${tenantId} FOR UPDATE`.execute(tx)
    ).rows[0]!;
    const from = cursor.processed_to;
    if (from && from.getTime() >= until.getTime()) return 0;
    const surveys = await sql<{ id: string; definition: SurveyDefinition; anonymity: string }>`
      SELECT id, definition, anonymity FROM surveys WHERE tenant_id = ${tenantId}`.execute(tx);
    const keyed = new Map<string, { kind: BenchmarkKind; shielded: boolean; min: number; max: number }>();
    for (const s of surveys.rows) {
      const q = Array.isArray(s.definition?.questions) ? keyQuestion(s.definition) : undefined;
      const scale = q ? scaleOf(q) : null;
      if (q && scale && (KINDS as readonly string[]).includes(q.type))
        keyed.set(s.id, { kind: q.type as BenchmarkKind, shielded: s.anonymity !== 'identified', ...scale });
    }
    let added = 0;
    if (keyed.size) {
      // By survey (the index responses_survey: tenant, survey, submitted_at), only the new answers.
      const rows = await sql<{ survey_id: string; period: string; score: number; n: number }>`
        SELECT survey_id, to_char(submitted_at AT TIME ZONE 'Europe/Amsterdam', 'YYYY-"Q"Q') AS period, score, count(*)::int AS n
          FROM responses
         WHERE tenant_id = ${tenantId} AND survey_id = ANY(${[...keyed.keys()]}::uuid[]) AND score IS NOT NULL
           AND submitted_at < ${until} ${from ? sql`AND submitted_at >= ${from}` : sql``}
         GROUP BY 1, 2, 3`.execute(tx);
      const cells = new Map<string, { kind: BenchmarkKind; period: string; counts: number[]; shielded: number }>();
      for (const r of rows.rows) {
        const s = keyed.get(r.survey_id)!;
        if (r.score < s.min || r.score > s.max) continue;
        const key = `${s.kind}|${r.period}`;
        const c = cells.get(key) ?? {
          kind: s.kind,
          period: r.period,
          counts: new Array<number>(11).fill(0),
          shielded: 0,
        };
        c.counts[r.score]! += r.n;
        if (s.shielded) c.shielded += r.n;
        cells.set(key, c);
        added += r.n;
      }
      // Set-based: the customer's rows of this sector read once, then one statement per kind of write.
      const own = new Map(
        (
          await sql<{ contribution_id: string; kind: string; period: string; counts: number[]; shielded: number }>`
        SELECT contribution_id, kind, period, counts, shielded FROM benchmark_own WHERE tenant_id = ${tenantId} AND sector = ${sector}`.execute(
            tx,
          )
        ).rows.map((o) => [`${o.kind}|${o.period}`, o]),
      );
      const upd = { ids: [] as string[], counts: [] as string[], shielded: [] as number[] };
      const ins = {
        ids: [] as string[],
        kinds: [] as string[],
        periods: [] as string[],
        counts: [] as string[],
        shielded: [] as number[],
      };
      const literal = (xs: number[]) => `{${xs.join(',')}}`;
      for (const [key, c] of cells) {
        const o = own.get(key);
        if (o) {
          upd.ids.push(o.contribution_id);
          upd.counts.push(literal(o.counts.map((x, i) => x + c.counts[i]!)));
          upd.shielded.push(o.shielded + c.shielded);
        } else {
          ins.ids.push(randomUUID());
          ins.kinds.push(c.kind);
          ins.periods.push(c.period);
          ins.counts.push(literal(c.counts));
          ins.shielded.push(c.shielded);
        }
      }
      if (upd.ids.length) {
        await sql`UPDATE benchmark_own o SET counts = u.c::int[], shielded = u.sh
                    FROM unnest(${upd.ids}::uuid[], ${upd.counts}::text[], ${upd.shielded}::int[]) AS u(id, c, sh)
                   WHERE o.tenant_id = ${tenantId} AND o.contribution_id = u.id`.execute(tx);
        await sql`UPDATE benchmark_contributions b SET counts = u.c::int[]
                    FROM unnest(${upd.ids}::uuid[], ${upd.counts}::text[]) AS u(id, c) WHERE b.id = u.id`.execute(tx);
      }
      if (ins.ids.length) {
        await sql`INSERT INTO benchmark_own (tenant_id, contribution_id, sector, kind, period, counts, shielded)
                  SELECT ${tenantId}, u.id, ${sector}, u.k, u.p, u.c::int[], u.sh
                    FROM unnest(${ins.ids}::uuid[], ${ins.kinds}::text[], ${ins.periods}::text[], ${ins.counts}::text[], ${ins.shielded}::int[]) AS u(id, k, p, c, sh)`.execute(
          tx,
        );
        await sql`INSERT INTO benchmark_contributions (id, sector, kind, period, counts)
                  SELECT u.id, ${sector}, u.k, u.p, u.c::int[]
                    FROM unnest(${ins.ids}::uuid[], ${ins.kinds}::text[], ${ins.periods}::text[], ${ins.counts}::text[]) AS u(id, k, p, c)`.execute(
          tx,
        );
      }
    }
    await sql`UPDATE benchmark_cursors SET processed_to = ${until} WHERE tenant_id = ${tenantId}`.execute(tx);
    return added;
  });
}

// ------------------------------------------------------------------ step 2: cells

/** The quarter (Europe/Amsterdam) a moment falls in, as 'YYYY-Qn'. */
export async function quarterOf(tx: Tx, at: Date): Promise<string> {
  return (
    await sql<{
      q: string;
    }>`SELECT to_char(${at}::timestamptz AT TIME ZONE 'Europe/Amsterdam', 'YYYY-"Q"Q') AS q`.execute(tx)
  ).rows[0]!.q;
}

/** Computes every cell of a quarter that ended before `until` and has no cell yet; then publishes. */
export async function computeCells(ctx: AppContext, until: Date): Promise<{ computed: number }> {
  return ctx.db.owner('benchmark', async (tx) => {
    // One computation at a time across processes; a second waits and then finds the cells done.
    await sql`SELECT pg_advisory_xact_lock(727313, 1)`.execute(tx);
    const open = await quarterOf(tx, until);
    const parts = await sql<{ id: string; sector: string; kind: BenchmarkKind; period: string; counts: number[] }>`
      SELECT c.id, c.sector, c.kind, c.period, c.counts FROM benchmark_contributions c
       WHERE c.period < ${open}
         AND NOT EXISTS (SELECT 1 FROM benchmark_cell_stats s WHERE s.sector = c.sector AND s.kind = c.kind AND s.period = c.period)`.execute(
      tx,
    );
    const groups = new Map<string, typeof parts.rows>();
    for (const p of parts.rows) {
      const key = `${p.sector}|${p.kind}|${p.period}`;
      groups.set(key, [...(groups.get(key) ?? []), p]);
    }
    const ids: string[] = [];
    const pcts: number[] = [];
    const all: CellStats[] = [];
    for (const list of groups.values()) {
      const { stats, percentiles } = computeCell(list[0]!.sector, list[0]!.kind, list[0]!.period, list);
      all.push(stats);
      for (const [id, p] of percentiles) {
        ids.push(id);
        pcts.push(p);
      }
    }
    for (let i = 0; i < all.length; i += 1000)
      await tx
        .insertInto('benchmark_cell_stats')
        .values(all.slice(i, i + 1000))
        .onConflict((oc) => oc.doNothing())
        .execute();
    if (ids.length) {
      await sql`UPDATE benchmark_contributions c SET percentile = u.p FROM unnest(${ids}::uuid[], ${pcts}::int[]) AS u(id, p) WHERE c.id = u.id`.execute(
        tx,
      );
    }
    await publishCells(tx);
    return { computed: groups.size };
  });
}

/**
 * Rebuilds benchmark_cells from the computed cells under the current rules: a published cell carries
 * its numbers (quartiles only from quartile_min_customers on), a suppressed one only that it is not
 * published. Called after computing and after the operator changes the rules (owner connection).
 */
export async function publishCells(tx: Tx): Promise<{ published: number; suppressed: number }> {
  const rules = await readRules(tx);
  const stats = await tx.selectFrom('benchmark_cell_stats').selectAll().execute();
  await sql`DELETE FROM benchmark_cells`.execute(tx);
  let published = 0;
  const rows = stats.map((s) => {
    const shown = suppressionOf(s, rules) === null;
    if (shown) published += 1;
    const quartiles = shown && s.customers >= rules.quartileMinCustomers;
    return {
      sector: s.sector,
      kind: s.kind,
      period: s.period,
      published: shown,
      customers: shown ? s.customers : null,
      respondents: shown ? s.respondents : null,
      value: shown ? s.value : null,
      margin: shown ? s.margin : null,
      low: shown ? s.low : null,
      high: shown ? s.high : null,
      q1: quartiles ? s.q1 : null,
      median: quartiles ? s.median : null,
      q3: quartiles ? s.q3 : null,
    };
  });
  for (let i = 0; i < rows.length; i += 1000)
    await tx
      .insertInto('benchmark_cells')
      .values(rows.slice(i, i + 1000))
      .execute();
  return { published, suppressed: rows.length - published };
}

// ------------------------------------------------------------------ the sweep

export interface SweepResult {
  customers: number;
  answers: number;
  failed: number;
  cellsComputed: number;
  countSeconds: number;
  cellSeconds: number;
}

let running: Promise<SweepResult> | null = null;

/**
 * The job: counts every customer in a sector (not ended), then computes the cells of closed quarters.
 * Cells are computed only when every customer was counted, so a customer whose counting failed is not
 * missing from a cell that can never change again. One sweep at a time in this process.
 */
export function sweepBenchmark(ctx: AppContext, opts: { now?: Date } = {}): Promise<SweepResult> {
  const run = (running ?? Promise.resolve()).catch(() => undefined).then(() => sweepOnce(ctx, opts.now ?? new Date()));
  running = run;
  return run.finally(() => {
    if (running === run) running = null;
  });
}

async function sweepOnce(ctx: AppContext, now: Date): Promise<SweepResult> {
  const until = new Date(now.getTime() - LAG_SECONDS * 1000);
  const t0 = performance.now();
  const customers = await ctx.db.global((tx) =>
    tx
      .selectFrom('tenants as t')
      .innerJoin('benchmark_sectors as s', 's.code', 't.sector')
      .select(['t.id', 't.sector'])
      .where('t.status', '<>', 'ended')
      .orderBy('t.id')
      .execute(),
  );
  let answers = 0;
  let failed = 0;
  // A few customers at once on PostgreSQL (each its own short transaction); PGlite has one connection.
  let next = 0;
  const worker = async () => {
    while (next < customers.length) {
      const c = customers[next++]!;
      try {
        const n = await countCustomer(ctx, c.id, c.sector!, until);
        answers += n;
      } catch (err) {
        failed += 1;
        log.error(
          { worker: 'benchmark sweep', code: String((err as { code?: unknown }).code ?? (err as Error).name) },
          `benchmark: counting a customer failed (${String((err as { code?: unknown }).code ?? (err as Error).name)}); it is counted at the next sweep`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: ctx.db.kind === 'pglite' ? 1 : COUNT_WORKERS }, worker));
  const t1 = performance.now();
  const { computed } = failed ? { computed: 0 } : await computeCells(ctx, until);
  return {
    customers: customers.length,
    answers,
    failed,
    cellsComputed: computed,
    countSeconds: (t1 - t0) / 1000,
    cellSeconds: (performance.now() - t1) / 1000,
  };
}
