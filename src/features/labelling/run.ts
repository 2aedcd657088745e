// The background run (OBLIGATIONS AI-2, AI-4, AI-5): labels every stored answer of one customer that
// the module has not looked at yet, survey by survey, a chunk at a time, within the month's quota.
//
// It is a pg-boss job with the 'stately' policy and the tenant id as singleton key: at most one run
// per customer is queued and one active, however often it is asked for. It is asked for after
// activation, after a correction, when results are read, and by a sweep every
// LABELLING_SWEEP_SECONDS. The response writer is not touched: its hot path stays as it is.
//
// Where a run stands is a cursor per survey (labelling_cursors). Reading starts LOOKBACK before it,
// because a response batch that started earlier may commit later; rows already in
// response_labelling are skipped.

import { startTick, yieldToEventLoop } from '../../lib/tick.js';
import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import { audit, AuditAction, systemActor } from '../../lib/audit.js';
import type { Tx } from '../../lib/db/db.js';
import type { LabelSource, Sentiment } from '../../lib/db/schema.js';
import type { LabelSetName } from '../../lib/db/schema.js';
import { loadLabels, toLabelDto } from './labels.js';
import { ensureStandardSets, openAnswer, openQuestionIds, setOfSurvey } from './sets.js';
import { cachedModel, loadModelInputs, trainModel, type ModelInputs, type TenantModel } from './model.js';
import { sendNotice } from './notices.js';
import { subprocessorAllowed } from '../subprocessors/service.js';
import { providerFromEnv, type LabelProvider, type PromptLabel } from './provider.js';
import { loadState, type LabellingState } from './settings.js';
import { count as countUsage } from '../plans/limits.js';
import { log } from '../../lib/log.js';

export const RUN_QUEUE = 'labelling-run';
const CHUNK = 200;
const LOOKBACK = '60 seconds';
const PROVIDER_CONCURRENCY = 4;

export interface RunJob {
  tenantId: string;
}

export interface RunSummary {
  skipped?: LabellingState['status'];
  labelled: number;
  external: number;
  fallbacks: number;
  withoutText: number;
  quotaReached: boolean;
}

/** Asks for a run of this customer (deduplicated per customer by the queue). */
export async function enqueueLabelling(ctx: AppContext, tenantId: string): Promise<void> {
  await ctx.jobs.send<RunJob>(RUN_QUEUE, { tenantId }, { singletonKey: tenantId, policy: 'stately' });
}

/** The same, for callers that must not wait for or fail on it (a results page). */
export function nudgeLabelling(ctx: AppContext, tenantId: string): void {
  enqueueLabelling(ctx, tenantId).catch((err: Error) =>
    log.error({ worker: 'labelling' }, `[labelling] could not queue a run: ${err.message}`),
  );
}

const providers = new WeakMap<AppContext, LabelProvider | null>();
export function providerOf(ctx: AppContext): LabelProvider | null {
  if (!providers.has(ctx)) providers.set(ctx, providerFromEnv(ctx.env));
  return providers.get(ctx) ?? null;
}

interface Item {
  id: string;
  at: string;
  questionId: string;
  text: string | null;
}

interface Outcome {
  id: string;
  at: string;
  questionId: string;
  hasText: boolean;
  sentiment: Sentiment | null;
  labels: string[];
  source: 'none' | LabelSource;
  fallback: boolean;
}

export async function runLabelling(
  ctx: AppContext,
  tenantId: string,
  opts: { provider?: LabelProvider | null } = {},
): Promise<RunSummary> {
  const summary: RunSummary = { labelled: 0, external: 0, fallbacks: 0, withoutText: 0, quotaReached: false };
  const provider = opts.provider === undefined ? providerOf(ctx) : opts.provider;

  const first = await ctx.db.tenant(tenantId, async (tx) => {
    const state = await loadState(tx, tenantId, ctx.env);
    if (!state.active) return { state };
    const s = state.settings;
    // Issue 12: each survey has its label set and is labelled on every open question.
    await ensureStandardSets(tx, tenantId);
    const surveys = (
      await tx.selectFrom('surveys').select(['id', 'kind', 'label_set', 'definition']).orderBy('created_at').execute()
    )
      .map((r) => ({ id: r.id, set: setOfSurvey(r).set, questions: openQuestionIds(r.definition) }))
      .filter((r) => r.questions.length > 0);
    const sets = [...new Set(surveys.map((r) => r.set))];
    const perSet = new Map<LabelSetName, { model?: TenantModel; inputs?: ModelInputs; labels: PromptLabel[] }>();
    for (const set of sets) {
      const model = cachedModel(ctx, tenantId, s.modelVersion, set);
      const inputs = model ? undefined : await loadModelInputs(ctx, tx, tenantId, s.modelVersion, set);
      const labels = (await loadLabels(tx, set))
        .filter((l) => l.status === 'active')
        .map(toLabelDto)
        .map((l) => ({ id: l.id, name: l.name, definition: l.definition }));
      perSet.set(set, { ...(model ? { model } : {}), ...(inputs ? { inputs } : {}), labels });
    }
    // OBLIGATIONS SUB-1, SUB-3: the external provider only when the register holds it for this
    // customer and it is applied (inside the EEA, or the customer consented).
    const externalAllowed = provider && s.allowExternal ? await subprocessorAllowed(tx, 'ai') : false;
    return { state, perSet, surveys, externalAllowed };
  });
  if (!first.state.active) {
    // A run that finds the quota used up records that (once per month) and tells the customer.
    if (first.state.status === 'quota_reached') await markQuotaReached(ctx, tenantId, first.state);
    return { ...summary, skipped: first.state.status };
  }
  // Training happens outside any transaction: it is CPU work, and PGlite has one connection.
  const models = new Map<LabelSetName, { model: TenantModel; labels: PromptLabel[] }>();
  for (const [set, p] of first.perSet!)
    models.set(set, { model: p.model ?? trainModel(ctx, tenantId, p.inputs as ModelInputs), labels: p.labels });
  const useProvider = provider && first.state.settings.allowExternal && first.externalAllowed ? provider : null;
  const keys = await ctx.keyring.forTenant(tenantId);

  for (const survey of first.surveys!) {
    const surveyId = survey.id;
    const { model, labels: promptLabels } = models.get(survey.set)!;
    for (;;) {
      const chunk = await ctx.db.tenant(tenantId, async (tx) => {
        const state = await loadState(tx, tenantId, ctx.env);
        if (!state.active) return { state, rows: [] };
        const cursor = await tx
          .selectFrom('labelling_cursors')
          .select(sql<string>`after_at::text`.as('at'))
          .where('survey_id', '=', surveyId)
          .executeTakeFirst();
        // A response is done when each open question has its row.
        const rows = await sql<{ id: string; at: string; answers_enc: Buffer; done: string[] }>`
          SELECT r.id, r.submitted_at::text AS at, r.answers_enc,
                 ARRAY(SELECT l.question_id FROM response_labelling l WHERE l.tenant_id = r.tenant_id AND l.response_id = r.id) AS done
            FROM responses r
           WHERE r.survey_id = ${surveyId}::uuid
             AND r.submitted_at > ${cursor?.at ?? '-infinity'}::timestamptz - ${LOOKBACK}::interval
             AND (SELECT count(*) FROM response_labelling l WHERE l.tenant_id = r.tenant_id AND l.response_id = r.id AND l.question_id = ANY(${survey.questions}::text[])) < ${survey.questions.length}
           ORDER BY r.submitted_at, r.id
           LIMIT ${CHUNK}`.execute(tx);
        return { state, rows: rows.rows };
      });
      if (!chunk.state.active) {
        if (chunk.state.status === 'quota_reached') await markQuotaReached(ctx, tenantId, chunk.state);
        summary.quotaReached ||= chunk.state.status === 'quota_reached';
        return summary;
      }
      if (chunk.rows.length === 0) break;

      let items: Item[] = chunk.rows.flatMap((r) => {
        const sealed = keys.openJson<{ why?: string | null; answers?: Record<string, unknown> }>(r.answers_enc);
        const done = new Set(r.done);
        return survey.questions
          .filter((q) => !done.has(q))
          .map((q) => ({ id: r.id, at: r.at, questionId: q, text: openAnswer(sealed, q, q === survey.questions[0]) }));
      });
      // OBLIGATIONS AI-4: no more texts than the month's quota leaves.
      let remaining = chunk.state.quota - chunk.state.used;
      let cut = items.length;
      for (let i = 0; i < items.length; i++) {
        if (items[i]!.text === null) continue;
        if (remaining === 0) {
          cut = i;
          break;
        }
        remaining--;
      }
      const stoppedByQuota = cut < items.length;
      items = items.slice(0, cut);

      const outcomes = await labelItems(items, model, useProvider, promptLabels);
      const stored = await ctx.db.tenant(tenantId, (tx) =>
        store(tx, tenantId, surveyId, survey.set, model.version, outcomes, chunk.state.month),
      );
      // The survey moved to another set while this chunk was labelled: nothing was stored, and the
      // run that the change queued labels it in its new set.
      if (!stored) break;
      for (const o of outcomes) {
        if (!o.hasText) summary.withoutText++;
        else summary.labelled++;
        if (o.source === 'external') summary.external++;
        if (o.fallback) summary.fallbacks++;
      }
      if (stoppedByQuota) {
        const state = await ctx.db.tenant(tenantId, (tx) => loadState(tx, tenantId, ctx.env));
        await markQuotaReached(ctx, tenantId, state);
        summary.quotaReached = true;
        return summary;
      }
      if (chunk.rows.length < CHUNK) break;
      await yieldToEventLoop();
    }
  }
  return summary;
}

async function labelItems(
  items: Item[],
  model: TenantModel,
  provider: LabelProvider | null,
  promptLabels: PromptLabel[],
): Promise<Outcome[]> {
  const out: Outcome[] = new Array(items.length);
  const builtIn = (item: Item, fallback: boolean): Outcome => {
    const r = model.labeller.label(item.text as string);
    return {
      id: item.id,
      at: item.at,
      questionId: item.questionId,
      hasText: true,
      sentiment: r.sentiment,
      labels: r.labels.filter((l) => model.active.has(l)),
      source: 'model',
      fallback,
    };
  };
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      const item = items[i]!;
      if (item.text === null) {
        out[i] = {
          id: item.id,
          at: item.at,
          questionId: item.questionId,
          hasText: false,
          sentiment: null,
          labels: [],
          source: 'none',
          fallback: false,
        };
      } else if (!provider) {
        out[i] = builtIn(item, false);
      } else {
        try {
          const a = await provider.label(item.text, promptLabels);
          out[i] = {
            id: item.id,
            at: item.at,
            questionId: item.questionId,
            hasText: true,
            sentiment: a.sentiment,
            labels: a.labels.filter((l) => model.active.has(l)),
            source: 'external',
            fallback: false,
          };
        } catch {
          // Any failure of the external provider: the built-in labeller answers (AI-5). The error
          // itself is not logged: it may quote the request, and the request holds the answer.
          out[i] = builtIn(item, true);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: provider ? PROVIDER_CONCURRENCY : 1 }, worker));
  return out;
}

async function store(
  tx: Tx,
  tenantId: string,
  surveyId: string,
  set: LabelSetName,
  version: number,
  outcomes: Outcome[],
  month: string,
): Promise<boolean> {
  if (outcomes.length === 0) return true;
  // Labels of the set the survey is in now, or none: a change of set (routes.ts) updates this row and
  // deletes the survey's labels in one transaction, so the share lock orders this store before that
  // change (whose delete then removes these rows) or after it (and this chunk, labelled in the old
  // set, is dropped). Found by CI on PostgreSQL, where the run queued by the change overlapped a run.
  const now = await tx
    .selectFrom('surveys')
    .select(['kind', 'label_set'])
    .where('id', '=', surveyId)
    .forShare()
    .executeTakeFirst();
  if (!now || setOfSurvey(now).set !== set) return false;
  // A human correction that arrived meanwhile wins: ON CONFLICT DO NOTHING, and labels only for the
  // rows this statement inserted.
  const inserted = await sql<{ response_id: string; question_id: string }>`
    INSERT INTO response_labelling (tenant_id, response_id, question_id, survey_id, submitted_at, has_text, sentiment, source, model_version, label_set)
    SELECT ${tenantId}::uuid, u.id, u.q, ${surveyId}::uuid, u.at, u.has_text, u.sentiment, u.source, ${version}::int, CASE WHEN u.has_text THEN ${set}::text END
      FROM unnest(${outcomes.map((o) => o.id)}::uuid[], ${outcomes.map((o) => o.questionId)}::text[], ${outcomes.map((o) => o.at)}::timestamptz[], ${outcomes.map((o) => o.hasText)}::boolean[],
                  ${outcomes.map((o) => o.sentiment)}::text[], ${outcomes.map((o) => o.source)}::text[]) AS u(id, q, at, has_text, sentiment, source)
    ON CONFLICT DO NOTHING
    RETURNING response_id, question_id`.execute(tx);
  const key = (id: string, q: string) => `${id}/${q}`;
  const ok = new Set(inserted.rows.map((r) => key(r.response_id, r.question_id)));
  const isNew = (o: Outcome) => ok.has(key(o.id, o.questionId));
  const pairs = outcomes
    .filter(isNew)
    .flatMap((o) => o.labels.map((l) => ({ id: o.id, q: o.questionId, label: l, source: o.source as LabelSource })));
  if (pairs.length) {
    await sql`
      INSERT INTO response_labels (tenant_id, response_id, question_id, label_set, label_id, survey_id, source)
      SELECT ${tenantId}::uuid, u.id, u.q, ${set}::text, u.label, ${surveyId}::uuid, u.source
        FROM unnest(${pairs.map((p) => p.id)}::uuid[], ${pairs.map((p) => p.q)}::text[], ${pairs.map((p) => p.label)}::text[], ${pairs.map((p) => p.source)}::text[]) AS u(id, q, label, source)
      ON CONFLICT DO NOTHING`.execute(tx);
  }
  // OBLIGATIONS AI-4: the quota counts texts, one per open answer.
  const counted = outcomes.filter((o) => isNew(o) && o.hasText);
  const external = counted.filter((o) => o.source === 'external').length;
  // OBLIGATIONS SVC-6: the plan's labelled answers per month (counted; the AI-4 quota refuses).
  if (counted.length) await countUsage(tx, tenantId, 'labelled', counted.length);
  if (counted.length) {
    await sql`
      INSERT INTO labelling_usage (tenant_id, month, labelled, external) VALUES (${tenantId}::uuid, ${month}, ${counted.length}, ${external})
      ON CONFLICT (tenant_id, month) DO UPDATE SET labelled = labelling_usage.labelled + excluded.labelled, external = labelling_usage.external + excluded.external`.execute(
      tx,
    );
  }
  const last = outcomes[outcomes.length - 1]!.at;
  await sql`
    INSERT INTO labelling_cursors (tenant_id, survey_id, after_at) VALUES (${tenantId}::uuid, ${surveyId}::uuid, ${last}::timestamptz)
    ON CONFLICT (tenant_id, survey_id) DO UPDATE SET after_at = greatest(labelling_cursors.after_at, excluded.after_at)`.execute(
    tx,
  );
  // OBLIGATIONS LOG-1: answers were read (and, if so, sent to the external provider) by the system.
  if (counted.length) {
    await audit(tx, tenantId, systemActor, {
      action: AuditAction.LABELLING_RUN,
      subject: { kind: 'survey', id: surveyId },
      details: {
        labelled: counted.length,
        external,
        fallbacks: outcomes.filter((o) => o.fallback && isNew(o)).length,
        modelVersion: version,
      },
    });
  }
  return true;
}

/** Records, once per month, that the quota is used up; tells the customer (AI-4). */
async function markQuotaReached(ctx: AppContext, tenantId: string, state: LabellingState): Promise<void> {
  const first = await ctx.db.tenant(tenantId, async (tx) => {
    const r = await sql<{ month: string }>`
      INSERT INTO labelling_usage (tenant_id, month, quota_reached_at) VALUES (${tenantId}::uuid, ${state.month}, now())
      ON CONFLICT (tenant_id, month) DO UPDATE SET quota_reached_at = now() WHERE labelling_usage.quota_reached_at IS NULL
      RETURNING month`.execute(tx);
    if (r.rows.length === 0) return false;
    await audit(tx, tenantId, systemActor, {
      action: AuditAction.LABELLING_QUOTA_REACHED,
      details: { month: state.month, quota: state.quota, used: state.used },
    });
    return true;
  });
  if (first) await sendNotice(ctx, { tenantId, kind: 'quota_reached', month: state.month, quota: state.quota });
}

export async function registerRunWorker(ctx: AppContext): Promise<void> {
  await ctx.jobs.work<RunJob>(
    RUN_QUEUE,
    async (data) => {
      await runLabelling(ctx, data.tenantId);
    },
    { policy: 'stately' },
  );
}

/** Every customer with the module on gets a run; the queue drops the ones already waiting. */
export async function sweep(ctx: AppContext): Promise<number> {
  const global = await ctx.db.global((tx) => tx.selectFrom('ai_module_switch').select('enabled').executeTakeFirst());
  if (global && !global.enabled) return 0;
  const rows = await ctx.db.crossTenant('labelling', (tx) =>
    tx
      .selectFrom('labelling_settings')
      .select('tenant_id')
      .where('enabled', '=', true)
      .where('operator_blocked', '=', false)
      .execute(),
  );
  for (const r of rows) await enqueueLabelling(ctx, r.tenant_id);
  return rows.length;
}

/** The sweep every LABELLING_SWEEP_SECONDS (not at start); the stop function waits for a running one. */
export function startSweep(ctx: AppContext): () => Promise<void> {
  return startTick('[labelling] sweep', ctx.env.LABELLING_SWEEP_SECONDS, () => sweep(ctx), {
    atStart: false,
    db: ctx.db,
  });
}
