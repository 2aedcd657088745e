import { sql, type RawBuilder } from 'kysely';
import type { AppContext } from '../../context.js';
import type { Tx } from '../../lib/db/db.js';
import { log } from '../../lib/log.js';
import { startTick, yieldToEventLoop } from '../../lib/tick.js';
import { keyQuestion, type SurveyDefinition } from '../surveys/definition.js';
import {
  breakdownRows,
  crossKeys,
  crossRows,
  EVERY_RESPONSE,
  histogramRows,
  keyTarget,
  shapeOf,
  trendRows,
  type CrossPair,
  type HistogramRow,
  type TrendRow,
} from './histograms.js';
import { inRelease, loadRelease, type Release } from './release.js';

/**
 * Issue 17: results from rollups (migration 0036). A survey's histograms (histograms.ts) are kept
 * up to a cursor in arrival order; a view reads the rollup and counts only the responses after the
 * cursor. The cursor passes only settled responses (older than RESULTS_SETTLE_SECONDS), like a
 * release (release.ts): a writer batch that commits late cannot land behind it, and a change behind
 * it (erasure, retention, a restore) deletes the cursor in the same statement (0036's triggers), so a
 * view is always exactly what a count over the responses gives (rollup.test.ts).
 *
 * Shielded surveys (SVC-4): a view over a release uses the rollup only when the cursor is inside the
 * release; the difference up to the release's cutoff is counted from the responses. Nothing shown
 * changes: the same numbers over the same release, only counted sooner.
 */

export interface Cursor {
  at: string;
  id: string;
}

/** Days of the whole survey's histograms (the trend's rows carry their own day). */
const WHOLE = '1970-01-01';

/**
 * The rollup a view may use: the survey's cursor when it was counted for this shape of the survey
 * and lies inside `cutoff` (a release; undefined: every response), else null (count everything).
 */
export async function usableCursor(
  tx: Tx,
  surveyId: string,
  def: SurveyDefinition,
  cutoff: Release['cutoff'] | undefined,
): Promise<Cursor | null> {
  if (cutoff === null) return null;
  const row = await sql<Cursor>`
    SELECT at::text AS at, id FROM response_rollup_cursors
     WHERE survey_id = ${surveyId}::uuid AND shape = ${shapeOf(def)}
       ${cutoff ? sql`AND (at, id) <= (${cutoff.at}::timestamptz, ${cutoff.id}::uuid)` : sql``}`.execute(tx);
  return row.rows[0] ?? null;
}

/** The responses after `cursor` (and inside `cutoff`), aliased r. */
function tail(cursor: Cursor | null, cutoff: Release['cutoff'] | undefined): RawBuilder<boolean> {
  const inside = inRelease(cutoff);
  return cursor
    ? sql<boolean>`${inside} AND (r.submitted_at, r.id) > (${cursor.at}::timestamptz, ${cursor.id}::uuid)`
    : inside;
}

function add<T extends { n: number }>(rows: T[], key: (r: T) => string): T[] {
  const by = new Map<string, T>();
  for (const r of rows) {
    const k = key(r);
    const seen = by.get(k);
    if (seen) seen.n += Number(r.n);
    else by.set(k, { ...r, n: Number(r.n) });
  }
  return [...by.values()];
}

/** The survey's histograms over `cutoff` (a release) or every response: rollup plus tail. */
export async function readHistograms(
  tx: Tx,
  surveyId: string,
  def: SurveyDefinition,
  cutoff: Release['cutoff'] | undefined,
): Promise<HistogramRow[]> {
  if (cutoff === null) return [];
  const cursor = await usableCursor(tx, surveyId, def, cutoff);
  const rows = await histogramRows(tx, surveyId, def, tail(cursor, cutoff));
  if (cursor) {
    const rolled = await sql<HistogramRow>`
      SELECT q, v, n::float8 AS n FROM response_rollups
       WHERE survey_id = ${surveyId}::uuid AND day = ${WHOLE}::date AND q <> 'trend'
         AND q NOT LIKE 'by:%' AND q NOT LIKE 'x:%' AND q NOT LIKE 'xn:%'`.execute(tx);
    rows.push(...rolled.rows);
  }
  return add(rows, (r) => `${r.q}\u0000${r.v}`);
}

/** Responses per day and key answer over `cutoff` (a release) or every response: rollup plus tail. */
export async function readTrend(
  tx: Tx,
  surveyId: string,
  def: SurveyDefinition,
  cutoff: Release['cutoff'] | undefined,
): Promise<TrendRow[]> {
  if (cutoff === null) return [];
  const target = keyTarget(def.questions, keyQuestion(def));
  const cursor = await usableCursor(tx, surveyId, def, cutoff);
  const rows = await trendRows(tx, surveyId, target?.value ?? null, tail(cursor, cutoff));
  if (cursor) {
    const rolled = await sql<TrendRow>`
      SELECT to_char(day, 'YYYY-MM-DD') AS day, v, n::float8 AS n FROM response_rollups
       WHERE survey_id = ${surveyId}::uuid AND q = 'trend'`.execute(tx);
    rows.push(...rolled.rows);
  }
  return add(rows, (r) => `${r.day}\u0000${r.v}`);
}

/** A live breakdown's cell: a raw group value, a key score, how many responses. */
export interface BreakdownCell {
  v: string | null;
  y: number | null;
  n: number;
}

/**
 * An identified survey's live breakdown by `grouping` (crosstab.ts) from the rollup plus the
 * responses after its cursor; null when the survey has no usable rollup (then the caller counts the
 * responses itself, one grouping, which is cheaper than all of them). A profile field's responses
 * without it are every response less those with it.
 */
export async function readBreakdownCells(
  tx: Tx,
  surveyId: string,
  def: SurveyDefinition,
  grouping: string,
): Promise<BreakdownCell[] | null> {
  const cursor = await usableCursor(tx, surveyId, def, undefined);
  if (!cursor) return null;
  const rows = await breakdownRows(tx, surveyId, def, tail(cursor, undefined), grouping);
  const rolled = await sql<HistogramRow>`
    SELECT q, v, n::float8 AS n FROM response_rollups
     WHERE survey_id = ${surveyId}::uuid AND day = ${WHOLE}::date
       AND q IN (${`by:${grouping}`}, ${`by:${EVERY_RESPONSE}`})`.execute(tx);
  rows.push(...rolled.rows);
  const profile = grouping.startsWith('profile.');
  const cells = new Map<string, BreakdownCell>();
  const every = new Map<number | null, number>();
  for (const r of rows) {
    const [v, y] = JSON.parse(r.v) as [string | null, number | null];
    if (r.q === `by:${EVERY_RESPONSE}`) {
      every.set(y, (every.get(y) ?? 0) + Number(r.n));
      continue;
    }
    // A profile field's empty group is derived below, from every response.
    if (profile && v === null) continue;
    const k = JSON.stringify([v, y]);
    const c = cells.get(k);
    if (c) c.n += Number(r.n);
    else cells.set(k, { v, y, n: Number(r.n) });
  }
  if (profile) {
    for (const [y, n] of every) {
      const withValue = [...cells.values()].filter((c) => c.y === y).reduce((s, c) => s + c.n, 0);
      if (n > withValue) cells.set(JSON.stringify([null, y]), { v: null, y, n: n - withValue });
    }
  }
  return [...cells.values()];
}

/**
 * A cross-tab's rows (histograms.ts crossRows) from the rollup plus the responses after its cursor,
 * once the job has folded the pair in; before that, counted from every response. The first view of a
 * pair asks the job to keep it (crosstab_rollups, migration 0043): only pairs someone reads are kept,
 * since every pair of every grouping and closed question would multiply the rollup by the number of
 * questions.
 */
export async function readCrossRows(
  tx: Tx,
  surveyId: string,
  def: SurveyDefinition,
  pair: CrossPair,
): Promise<HistogramRow[]> {
  const kept = (
    await sql<{ folded: boolean }>`
      SELECT folded FROM crosstab_rollups
       WHERE survey_id = ${surveyId}::uuid AND grouping = ${pair.grouping} AND question = ${pair.question}`.execute(tx)
  ).rows[0];
  if (!kept)
    await sql`
      INSERT INTO crosstab_rollups (tenant_id, survey_id, grouping, question)
      VALUES ((SELECT peil_current_tenant()), ${surveyId}::uuid, ${pair.grouping}, ${pair.question})
      ON CONFLICT DO NOTHING`.execute(tx);
  const cursor = kept?.folded ? await usableCursor(tx, surveyId, def, undefined) : null;
  const rows = await crossRows(tx, surveyId, def, tail(cursor, undefined), [pair]);
  if (cursor) {
    const { cells, people } = crossKeys(pair);
    const rolled = await sql<HistogramRow>`
      SELECT q, v, n::float8 AS n FROM response_rollups
       WHERE survey_id = ${surveyId}::uuid AND day = ${WHOLE}::date AND q IN (${cells}, ${people})`.execute(tx);
    rows.push(...rolled.rows);
  }
  return add(rows, (r) => `${r.q}\u0000${r.v}`);
}

// ------------------------------------------------------------------------------------------ folding

export interface FoldOptions {
  settleSeconds: number;
  /** responses folded per transaction */
  chunk: number;
}

/**
 * Folds the next `chunk` settled responses after the survey's cursor into its rollup, in the
 * caller's tenant transaction. Returns how many were folded (0: nothing settled is left).
 */
export async function foldSurvey(
  tx: Tx,
  tenantId: string,
  survey: { id: string; definition: SurveyDefinition },
  opts: FoldOptions & {
    /** shielded surveys: the release's cutoff (a view over the release can only use a rollup inside it) */
    cap?: Cursor | null;
  },
): Promise<number> {
  if (opts.cap === null) return 0;
  // One fold of a survey at a time (two would both add the same range).
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`peil:rollup:${survey.id}`}, 0))`.execute(tx);
  const shape = shapeOf(survey.definition);
  const current = (
    await sql<Cursor & { shape: string }>`
      SELECT at::text AS at, id, shape FROM response_rollup_cursors WHERE survey_id = ${survey.id}::uuid`.execute(tx)
  ).rows[0];
  const cursor: Cursor | null = current && current.shape === shape ? { at: current.at, id: current.id } : null;
  if (!cursor) {
    // No cursor (never counted, forgotten by a change behind it, or counted for another shape):
    // the rows left are stale, and counting starts again.
    await sql`DELETE FROM response_rollups WHERE survey_id = ${survey.id}::uuid`.execute(tx);
    await sql`DELETE FROM response_rollup_cursors WHERE survey_id = ${survey.id}::uuid`.execute(tx);
  }
  // The cross-tabs someone read (readCrossRows). Without a cursor every pair is counted from the start
  // with the rest; a pair asked for since the last fold is first counted up to the cursor. Only the
  // pairs read here are marked: one asked for meanwhile waits for the next fold.
  const pairs = (
    await sql<CrossPair & { folded: boolean }>`
      SELECT grouping, question, folded FROM crosstab_rollups WHERE survey_id = ${survey.id}::uuid`.execute(tx)
  ).rows;
  const fresh = pairs.filter((p) => !p.folded);
  if (cursor && fresh.length) {
    const behind = sql<boolean>`(r.submitted_at, r.id) <= (${cursor.at}::timestamptz, ${cursor.id}::uuid)`;
    await addRollupRows(
      tx,
      tenantId,
      survey.id,
      (await crossRows(tx, survey.id, survey.definition, behind, fresh)).map(asWhole),
    );
  }
  if (fresh.length)
    await sql`
      UPDATE crosstab_rollups SET folded = true
       WHERE survey_id = ${survey.id}::uuid
         AND (grouping, question) IN (SELECT * FROM unnest(${fresh.map((p) => p.grouping)}::text[], ${fresh.map((p) => p.question)}::text[]))`.execute(
      tx,
    );
  const after = cursor ? sql`AND (r.submitted_at, r.id) > (${cursor.at}::timestamptz, ${cursor.id}::uuid)` : sql``;
  const settled = opts.cap
    ? sql`r.submitted_at <= now() - make_interval(secs => ${opts.settleSeconds})
          AND (r.submitted_at, r.id) <= (${opts.cap.at}::timestamptz, ${opts.cap.id}::uuid)`
    : sql`r.submitted_at <= now() - make_interval(secs => ${opts.settleSeconds})`;
  const ahead = await sql<Cursor>`
    SELECT r.submitted_at::text AS at, r.id FROM responses r
     WHERE r.survey_id = ${survey.id}::uuid AND ${settled} ${after}
     ORDER BY r.submitted_at, r.id OFFSET ${opts.chunk - 1} LIMIT 1`.execute(tx);
  const to =
    ahead.rows[0] ??
    (
      await sql<Cursor>`
      SELECT r.submitted_at::text AS at, r.id FROM responses r
       WHERE r.survey_id = ${survey.id}::uuid AND ${settled} ${after}
       ORDER BY r.submitted_at DESC, r.id DESC LIMIT 1`.execute(tx)
    ).rows[0];
  if (!to) return 0;
  const range = sql<boolean>`${cursor ? sql`(r.submitted_at, r.id) > (${cursor.at}::timestamptz, ${cursor.id}::uuid)` : sql`true`}
    AND (r.submitted_at, r.id) <= (${to.at}::timestamptz, ${to.id}::uuid)`;
  const target = keyTarget(survey.definition.questions, keyQuestion(survey.definition));
  const whole = await histogramRows(tx, survey.id, survey.definition, range);
  const days = await trendRows(tx, survey.id, target?.value ?? null, range);
  const groups = await breakdownRows(tx, survey.id, survey.definition, range);
  const crossed = await crossRows(tx, survey.id, survey.definition, range, pairs);
  const rows = [
    ...[...whole, ...groups, ...crossed].map(asWhole),
    ...days.map((r) => ({ day: r.day, q: 'trend', v: r.v, n: Number(r.n) })),
  ];
  const folded = days.reduce((s, r) => s + Number(r.n), 0);
  await addRollupRows(tx, tenantId, survey.id, rows);
  await sql`
    INSERT INTO response_rollup_cursors (tenant_id, survey_id, shape, at, id, responses)
    VALUES (${tenantId}::uuid, ${survey.id}::uuid, ${shape}, ${to.at}::timestamptz, ${to.id}::uuid, ${folded})
    ON CONFLICT (tenant_id, survey_id) DO UPDATE
      SET shape = excluded.shape, at = excluded.at, id = excluded.id,
          responses = response_rollup_cursors.responses + excluded.responses, updated_at = now()`.execute(tx);
  return folded;
}

interface RollupRow {
  day: string;
  q: string;
  v: string;
  n: number;
}

/** A whole-survey histogram row as a rollup row. */
const asWhole = (r: HistogramRow): RollupRow => ({ day: WHOLE, q: r.q, v: r.v, n: Number(r.n) });

/** Adds counts to the survey's rollup rows. */
async function addRollupRows(tx: Tx, tenantId: string, surveyId: string, rows: readonly RollupRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 5_000) {
    const part = rows.slice(i, i + 5_000);
    await sql`
      INSERT INTO response_rollups (tenant_id, survey_id, day, q, v, n)
      SELECT ${tenantId}::uuid, ${surveyId}::uuid, x.day, x.q, x.v, x.n
        FROM unnest(${part.map((r) => r.day)}::date[], ${part.map((r) => r.q)}::text[], ${part.map((r) => r.v)}::text[],
                    ${part.map((r) => r.n)}::bigint[]) AS x(day, q, v, n)
      ON CONFLICT (tenant_id, survey_id, q, day, v) DO UPDATE SET n = response_rollups.n + excluded.n`.execute(tx);
  }
}

/** Surveys of the tenant with settled responses after their cursor (or none), or a cross-tab to take in. */
async function surveysBehind(tx: Tx, settleSeconds: number) {
  return (
    await sql<{
      id: string;
      definition: SurveyDefinition;
      anonymity: string;
      min_group_size: number;
      release_base: number | null;
    }>`
      SELECT s.id, s.definition, s.anonymity, s.min_group_size, s.release_base FROM surveys s
        LEFT JOIN response_rollup_cursors c ON c.tenant_id = s.tenant_id AND c.survey_id = s.id
       WHERE EXISTS (SELECT 1 FROM responses r
                      WHERE r.survey_id = s.id AND r.submitted_at <= now() - make_interval(secs => ${settleSeconds})
                        AND (c.survey_id IS NULL OR (r.submitted_at, r.id) > (c.at, c.id)))
          OR EXISTS (SELECT 1 FROM crosstab_rollups p WHERE p.survey_id = s.id AND NOT p.folded)`.execute(tx)
  ).rows;
}

/** One pass over every customer: each survey's settled responses folded, a chunk per transaction. */
export async function foldAll(ctx: AppContext): Promise<number> {
  // PGlite is one connection: a fold holds it, so requests wait for at most 10,000 answers' worth.
  const chunk = ctx.db.kind === 'pglite' ? Math.min(ctx.env.ROLLUP_CHUNK, 10_000) : ctx.env.ROLLUP_CHUNK;
  const opts = { settleSeconds: ctx.env.RESULTS_SETTLE_SECONDS, chunk };
  const tenants = await ctx.db.global((tx) =>
    tx.selectFrom('tenants').select('id').where('status', '<>', 'ended').execute(),
  );
  let total = 0;
  for (const t of tenants) {
    const surveys = await ctx.db.tenant(t.id, (tx) => surveysBehind(tx, opts.settleSeconds));
    for (const s of surveys) {
      for (;;) {
        const n = await ctx.db.tenant(t.id, async (tx) => {
          // SVC-4: a shielded survey's views read its release; the rollup stays inside it.
          const cap =
            s.anonymity === 'identified'
              ? undefined
              : (await loadRelease(tx, s.id, s.min_group_size, opts.settleSeconds, s.release_base ?? s.min_group_size))
                  .cutoff;
          return foldSurvey(tx, t.id, s, { ...opts, cap });
        });
        total += n;
        // PGlite is one connection: requests get their turn between chunks.
        await yieldToEventLoop();
        if (n < chunk) break;
      }
    }
  }
  return total;
}

/** The fold every ROLLUP_SECONDS; the stop function waits for a running one. */
export function startRollups(ctx: AppContext): () => Promise<void> {
  return startTick('[results] rollups', ctx.env.ROLLUP_SECONDS, async () => {
    const n = await foldAll(ctx);
    if (n) log.debug({ folded: n }, 'results rollups folded');
  });
}
