/**
 * OBLIGATIONS SVC-6: plans (the operator's), a customer's plan and extensions, the usage overview,
 * the mails at 80 % and 100 % and the recount of totals. The counting itself is limits.ts.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import { audit, auditSystem, AuditAction, systemActor, type Actor } from '../../lib/audit.js';
import { Db, type Tx } from '../../lib/db/db.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { bilingual, bilingualText } from '../../lib/i18n.js';
import { startTick } from '../../lib/tick.js';
import { dayOf, limitOf, METRICS, metricName, MONTHLY, periodOf, totalQuery, used, type Metric } from './limits.js';

export interface PlanInput {
  name: string;
  limits: Record<Metric, number | null>;
  features: { ai: boolean; api: boolean };
}

export interface Plan extends PlanInput {
  id: string;
  customers: number;
  createdAt: string;
  updatedAt: string;
}

interface PlanRow {
  id: string;
  name: string;
  contacts: number | null;
  responses_per_month: number | null;
  surveys: number | null;
  users: number | null;
  labelled_per_month: number | null;
  feature_ai: boolean;
  feature_api: boolean;
  created_at: Date;
  updated_at: Date;
}

function toPlan(r: PlanRow, customers = 0): Plan {
  return {
    id: r.id,
    name: r.name,
    limits: {
      contacts: r.contacts,
      responses: r.responses_per_month,
      surveys: r.surveys,
      users: r.users,
      labelled: r.labelled_per_month,
    },
    features: { ai: r.feature_ai, api: r.feature_api },
    customers,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

const values = (p: PlanInput) => ({
  name: p.name,
  contacts: p.limits.contacts,
  responses_per_month: p.limits.responses,
  surveys: p.limits.surveys,
  users: p.limits.users,
  labelled_per_month: p.limits.labelled,
  feature_ai: p.features.ai,
  feature_api: p.features.api,
});

async function nameTaken(tx: Tx, name: string, except?: string): Promise<void> {
  let q = tx
    .selectFrom('plans')
    .select('id')
    .where(sql`lower(name)`, '=', name.toLowerCase());
  if (except) q = q.where('id', '!=', except);
  if (await q.executeTakeFirst())
    throw new AppError(
      ErrorCode.CONFLICT,
      { key: 'problems:plans.nameTaken', params: { name } },
      {
        errors: [{ pointer: '/body/name', code: 'taken', reason: 'taken', message: { key: 'problems:reasons.taken' } }],
      },
    );
}

// ---------------------------------------------------------------- the operator's plans (global)

/** Plans with the number of customers on each. On the owner connection: assignments of every customer are counted. */
export async function listPlans(ctx: AppContext): Promise<Plan[]> {
  return ctx.db.owner('plans', async (tx) => {
    const rows = await tx.selectFrom('plans').selectAll().orderBy('name').execute();
    const counts = await sql<{
      plan_id: string;
      n: number;
    }>`SELECT plan_id, count(*)::int AS n FROM plan_assignments GROUP BY plan_id`.execute(tx);
    const by = new Map(counts.rows.map((c) => [c.plan_id, Number(c.n)]));
    return rows.map((r) => toPlan(r as PlanRow, by.get(r.id) ?? 0));
  });
}

export async function createPlan(ctx: AppContext, input: PlanInput, actor: Actor): Promise<Plan> {
  return ctx.db.owner('plans', async (tx) => {
    await nameTaken(tx, input.name);
    const row = await tx
      .insertInto('plans')
      .values({ id: randomUUID(), ...values(input) })
      .returningAll()
      .executeTakeFirstOrThrow();
    await auditSystem(tx, actor, AuditAction.PLAN_CREATED, {
      planId: row.id,
      name: input.name,
      limits: input.limits,
      features: input.features,
    });
    return toPlan(row as PlanRow);
  });
}

export async function updatePlan(ctx: AppContext, id: string, input: PlanInput, actor: Actor): Promise<Plan> {
  return ctx.db.owner('plans', async (tx) => {
    const before = await tx.selectFrom('plans').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before) throw AppError.notFound('plan');
    await nameTaken(tx, input.name, id);
    const row = await tx
      .updateTable('plans')
      .set({ ...values(input), updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await auditSystem(tx, actor, AuditAction.PLAN_CHANGED, {
      planId: id,
      before: toPlan(before as PlanRow).limits,
      after: input.limits,
      features: input.features,
      name: input.name,
    });
    const n = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM plan_assignments WHERE plan_id = ${id}::uuid`.execute(tx);
    return toPlan(row as PlanRow, Number(n.rows[0]!.n));
  });
}

/** A plan that customers are on cannot be removed: assign them another first. */
export async function deletePlan(ctx: AppContext, id: string, actor: Actor): Promise<void> {
  await ctx.db.owner('plans', async (tx) => {
    const row = await tx.selectFrom('plans').select(['id', 'name']).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw AppError.notFound('plan');
    const n = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM plan_assignments WHERE plan_id = ${id}::uuid`.execute(tx);
    if (Number(n.rows[0]!.n) > 0)
      throw new AppError(ErrorCode.CONFLICT, { key: 'problems:plans.inUse', params: { n: Number(n.rows[0]!.n) } });
    await tx.deleteFrom('plans').where('id', '=', id).execute();
    await auditSystem(tx, actor, AuditAction.PLAN_DELETED, { planId: id, name: row.name });
  });
}

// ---------------------------------------------------------------- a customer's plan

async function tenantExists(tx: Tx, tenantId: string): Promise<{ id: string; name: string }> {
  const t = await tx.selectFrom('tenants').select(['id', 'name']).where('id', '=', tenantId).executeTakeFirst();
  if (!t) throw AppError.notFound('customer');
  return t;
}

/** Assigns a plan (or none: no limits) to a customer; in the system log and the customer's own log. */
export async function assignPlan(
  ctx: AppContext,
  tenantId: string,
  planId: string | null,
  actor: Actor,
): Promise<Usage> {
  await ctx.db.owner('plans', async (tx) => {
    const t = await tenantExists(tx, tenantId);
    const plan = planId
      ? await tx.selectFrom('plans').select(['id', 'name']).where('id', '=', planId).executeTakeFirst()
      : null;
    if (planId && !plan)
      throw new AppError(
        ErrorCode.VALIDATION,
        { key: 'problems:notFound.plan' },
        {
          errors: [
            {
              pointer: '/body/planId',
              code: 'unknown',
              reason: 'unknown',
              message: { key: 'problems:reasons.unknown' },
            },
          ],
        },
      );
    await Db.switchTenant(tx, t.id);
    const before = await sql<{
      name: string;
    }>`SELECT p.name FROM plan_assignments a JOIN plans p ON p.id = a.plan_id WHERE a.tenant_id = ${t.id}::uuid FOR UPDATE OF a`.execute(
      tx,
    );
    if (plan) {
      await sql`INSERT INTO plan_assignments (tenant_id, plan_id, since, assigned_by) VALUES (${t.id}::uuid, ${plan.id}::uuid, now(), ${actor.id})
                ON CONFLICT (tenant_id) DO UPDATE SET plan_id = excluded.plan_id, since = now(), assigned_by = excluded.assigned_by`.execute(
        tx,
      );
    } else {
      await sql`DELETE FROM plan_assignments WHERE tenant_id = ${t.id}::uuid`.execute(tx);
    }
    const details = { from: before.rows[0]?.name ?? null, to: plan?.name ?? null, planId: plan?.id ?? null };
    await auditSystem(tx, actor, AuditAction.PLAN_ASSIGNED, { tenantId: t.id, ...details });
    await audit(tx, t.id, actor, { action: AuditAction.PLAN_ASSIGNED, subject: { kind: 'tenant', id: t.id }, details });
  });
  return ctx.db.tenant(tenantId, (tx) => usageOf(tx, tenantId));
}

export interface ExtensionInput {
  metric: Metric;
  extra: number;
  validFrom: string;
  validUntil: string;
  reason: string;
}

/** An extension of one limit during the term (never changed afterwards: add another). */
export async function addExtension(
  ctx: AppContext,
  tenantId: string,
  input: ExtensionInput,
  actor: Actor,
): Promise<Usage> {
  if (input.validUntil < input.validFrom)
    throw new AppError(
      ErrorCode.VALIDATION,
      { key: 'problems:plans.extensionReversed' },
      {
        errors: [{ pointer: '/body/validUntil', reason: 'before validFrom' }],
      },
    );
  await ctx.db.owner('plans', async (tx) => {
    const t = await tenantExists(tx, tenantId);
    await Db.switchTenant(tx, t.id);
    const a = await tx
      .selectFrom('plan_assignments')
      .select('plan_id')
      .where('tenant_id', '=', t.id)
      .executeTakeFirst();
    if (!a) throw new AppError(ErrorCode.CONFLICT, { key: 'problems:plans.noPlan' });
    const id = randomUUID();
    await sql`INSERT INTO plan_extensions (tenant_id, id, metric, extra, valid_from, valid_until, reason, created_by)
              VALUES (${t.id}::uuid, ${id}::uuid, ${input.metric}, ${input.extra}, ${input.validFrom}::date, ${input.validUntil}::date, ${input.reason}, ${actor.id})`.execute(
      tx,
    );
    const details = {
      extensionId: id,
      metric: input.metric,
      extra: input.extra,
      validFrom: input.validFrom,
      validUntil: input.validUntil,
      reason: input.reason,
    };
    await auditSystem(tx, actor, AuditAction.PLAN_EXTENDED, { tenantId: t.id, ...details });
    await audit(tx, t.id, actor, { action: AuditAction.PLAN_EXTENDED, subject: { kind: 'tenant', id: t.id }, details });
  });
  return ctx.db.tenant(tenantId, (tx) => usageOf(tx, tenantId));
}

// ---------------------------------------------------------------- usage

export interface UsageLine {
  metric: Metric;
  period: string;
  used: number;
  /** Limit today (plan + valid extensions), null: unlimited. */
  limit: number | null;
  planLimit: number | null;
  extensions: number;
  /** used / limit in whole percent (may exceed 100: answers are never refused), null when unlimited. */
  percent: number | null;
}

export interface Usage {
  plan: { id: string; name: string; since: string; features: { ai: boolean; api: boolean } } | null;
  lines: UsageLine[];
  extensions: Array<{
    id: string;
    metric: Metric;
    extra: number;
    validFrom: string;
    validUntil: string;
    reason: string;
    active: boolean;
    createdAt: string;
  }>;
}

/** The customer's plan, limits with extensions, and usage, read from the counters (no scan). */
export async function usageOf(tx: Tx, tenantId: string, at: Date = new Date()): Promise<Usage> {
  const p = await sql<PlanRow & { since: Date }>`
    SELECT p.*, a.since FROM plan_assignments a JOIN plans p ON p.id = a.plan_id WHERE a.tenant_id = ${tenantId}::uuid`.execute(
    tx,
  );
  const plan = p.rows[0];
  const lines: UsageLine[] = [];
  for (const metric of METRICS) {
    const l = await limitOf(tx, tenantId, metric, at);
    const u = await used(tx, tenantId, metric, at);
    lines.push({
      metric,
      period: periodOf(metric, at),
      used: u,
      limit: l.limit,
      planLimit: l.base,
      extensions: l.extra,
      percent: l.limit === null ? null : l.limit === 0 ? (u > 0 ? 100 : 0) : Math.floor((u * 100) / l.limit),
    });
  }
  const today = dayOf(at);
  const ext = await sql<{
    id: string;
    metric: Metric;
    extra: number;
    valid_from: string;
    valid_until: string;
    reason: string;
    created_at: Date;
  }>`
    SELECT id, metric, extra, valid_from::text AS valid_from, valid_until::text AS valid_until, reason, created_at
      FROM plan_extensions WHERE tenant_id = ${tenantId}::uuid ORDER BY created_at DESC LIMIT 100`.execute(tx);
  return {
    plan: plan
      ? {
          id: plan.id,
          name: plan.name,
          since: new Date(plan.since).toISOString(),
          features: { ai: plan.feature_ai, api: plan.feature_api },
        }
      : null,
    lines,
    extensions: ext.rows.map((e) => ({
      id: e.id,
      metric: e.metric,
      extra: Number(e.extra),
      validFrom: e.valid_from,
      validUntil: e.valid_until,
      reason: e.reason,
      active: today >= e.valid_from && today <= e.valid_until,
      createdAt: new Date(e.created_at).toISOString(),
    })),
  };
}

/** The operator's view of one customer's usage. */
export async function customerUsage(
  ctx: AppContext,
  tenantId: string,
): Promise<Usage & { tenant: { id: string; name: string } }> {
  const t = await ctx.db.global((tx) =>
    tx.selectFrom('tenants').select(['id', 'name']).where('id', '=', tenantId).executeTakeFirst(),
  );
  if (!t) throw AppError.notFound('customer');
  return { tenant: t, ...(await ctx.db.tenant(tenantId, (tx) => usageOf(tx, tenantId))) };
}

// ---------------------------------------------------------------- recount and mails (the tick)

/**
 * Corrects drift of the totals (a path that forgot to count, a restore): one count per table per
 * customer, in the background, never per request. The counter row is locked first, so a change that
 * counts itself meanwhile waits and adds its delta to the recounted value.
 */
export async function recountTotals(
  tx: Tx,
  tenantId: string,
): Promise<Record<string, { before: number | null; after: number }>> {
  const out: Record<string, { before: number | null; after: number }> = {};
  for (const metric of METRICS.filter((m) => !MONTHLY.has(m))) {
    await sql`INSERT INTO usage_counters (tenant_id, metric, period, value) VALUES (${tenantId}::uuid, ${metric}, 'total', 0) ON CONFLICT DO NOTHING`.execute(
      tx,
    );
    const row = await sql<{
      value: number;
    }>`SELECT value FROM usage_counters WHERE tenant_id = ${tenantId}::uuid AND metric = ${metric} AND period = 'total' FOR UPDATE`.execute(
      tx,
    );
    const actual = Number((await totalQuery(metric, tenantId).execute(tx)).rows[0]!.n);
    const before = row.rows[0] ? Number(row.rows[0].value) : null;
    if (before !== actual)
      await sql`UPDATE usage_counters SET value = ${actual}, updated_at = now() WHERE tenant_id = ${tenantId}::uuid AND metric = ${metric} AND period = 'total'`.execute(
        tx,
      );
    out[metric] = { before, after: actual };
  }
  return out;
}

function noticeMail(
  org: string,
  metric: Metric,
  level: 80 | 100,
  usedNow: number,
  limit: number,
  plan: string,
  period: string,
  baseUrl: string,
) {
  const n = metricName(metric);
  const link = `${baseUrl}/app/usage`;
  const lines = bilingual((t, lang) => {
    const params = { limit, used: usedNow, metric: n[lang], period: MONTHLY.has(metric) ? period : 'none', plan };
    return [
      t('mails:staff.dearOwner', { org }),
      '',
      level === 100
        ? t('mails:usage.reached', params)
        : t('mails:usage.near', { ...params, percent: Math.floor((usedNow * 100) / Math.max(limit, 1)) }),
      t(metric === 'responses' || metric === 'labelled' ? 'mails:usage.answersStored' : 'mails:usage.additionsRefused'),
      ...(metric === 'responses' ? [t('mails:usage.invitationsRefused')] : []),
      t('mails:usage.link', { link }),
    ];
  });
  const subject = bilingual((t, lang) =>
    t(level === 100 ? 'mails:usage.reachedSubject' : 'mails:usage.nearSubject', { metric: n[lang] }),
  );
  return { subject: `Peil: ${subject.nl} / ${subject.en}`, text: bilingualText(lines) };
}

/**
 * OBLIGATIONS SVC-6: mails the active owners at 80 % and 100 % of each limit, once per metric, period
 * and level (a customer that jumps past 100 % at once gets the 100 % mail only; both are recorded).
 * The notice rows are claimed first (their own transaction), then the mail goes out outside any
 * transaction (the outbox mailer writes its own); when no mail could be sent the claim is taken back
 * and the next tick tries again. Returns the number of mails sent.
 */
export async function notifyUsage(ctx: AppContext, tenantId: string, at: Date = new Date()): Promise<number> {
  const work = await ctx.db.tenant(tenantId, async (tx) => {
    const u = await usageOf(tx, tenantId, at);
    if (!u.plan) return [];
    const due: Array<{ line: UsageLine; level: 80 | 100 }> = [];
    for (const line of u.lines) {
      if (line.limit === null || (line.limit === 0 && line.used === 0)) continue;
      const level = line.used >= line.limit ? 100 : line.used * 100 >= line.limit * 80 ? 80 : null;
      if (!level) continue;
      const sent = await tx
        .selectFrom('usage_notices')
        .select('level')
        .where('metric', '=', line.metric)
        .where('period', '=', line.period)
        .where('level', '>=', level)
        .executeTakeFirst();
      if (!sent) due.push({ line, level });
    }
    if (!due.length) return [];
    const org = await tx.selectFrom('tenants').select('name').where('id', '=', tenantId).executeTakeFirstOrThrow();
    const owners = await tx
      .selectFrom('users')
      .select('email')
      .where('role', '=', 'owner')
      .where('status', '=', 'active')
      .orderBy('email')
      .execute();
    return due.map((d) => ({ ...d, org: org.name, plan: u.plan!.name, to: owners.map((o) => o.email) }));
  });
  let mails = 0;
  for (const w of work) {
    if (!w.to.length) continue;
    const levels: Array<80 | 100> = w.level === 100 ? [80, 100] : [80];
    const claimed = await ctx.db.tenant(tenantId, async (tx) => {
      let mine = false;
      for (const level of levels) {
        const r = await tx
          .insertInto('usage_notices')
          .values({
            tenant_id: tenantId,
            metric: w.line.metric,
            period: w.line.period,
            level,
            used: w.line.used,
            limit_value: w.line.limit!,
            recipients: w.to.length,
          })
          .onConflict((oc) => oc.doNothing())
          .returning('level')
          .executeTakeFirst();
        if (r && level === w.level) mine = true;
      }
      return mine;
    });
    if (!claimed) continue;
    const mail = noticeMail(
      w.org,
      w.line.metric,
      w.level,
      w.line.used,
      w.line.limit!,
      w.plan,
      w.line.period,
      ctx.env.baseUrl,
    );
    let sent = 0;
    for (const to of w.to)
      if ((await ctx.mailer.send(tenantId, 'usage-notice', { to, ...mail }).catch(() => ({ ok: false }))).ok) sent++;
    await ctx.db.tenant(tenantId, async (tx) => {
      if (sent === 0) {
        await tx
          .deleteFrom('usage_notices')
          .where('metric', '=', w.line.metric)
          .where('period', '=', w.line.period)
          .where('level', '=', w.level)
          .execute();
        return;
      }
      await tx
        .updateTable('usage_notices')
        .set({ recipients: sent })
        .where('metric', '=', w.line.metric)
        .where('period', '=', w.line.period)
        .where('level', '=', w.level)
        .execute();
      await audit(tx, tenantId, systemActor, {
        action: AuditAction.USAGE_NOTIFIED,
        subject: { kind: 'tenant', id: tenantId },
        details: {
          metric: w.line.metric,
          period: w.line.period,
          level: w.level,
          used: w.line.used,
          limit: w.line.limit,
          recipients: sent,
        },
      });
    });
    mails += sent;
  }
  return mails;
}

/** Every active customer with a plan: recount the totals, then the mails. */
export async function plansTick(ctx: AppContext, at: Date = new Date()): Promise<{ mails: number; recounted: number }> {
  const tenants = await ctx.db.global((tx) =>
    tx.selectFrom('tenants').select('id').where('status', '=', 'active').orderBy('created_at').execute(),
  );
  let mails = 0;
  let recounted = 0;
  for (const t of tenants) {
    const hasPlan = await ctx.db.tenant(t.id, async (tx) => {
      const a = await tx.selectFrom('plan_assignments').select('plan_id').executeTakeFirst();
      if (!a) return false;
      const r = await recountTotals(tx, t.id);
      recounted += Object.values(r).filter((x) => x.before !== x.after).length;
      return true;
    });
    if (hasPlan) mails += await notifyUsage(ctx, t.id, at);
  }
  return { mails, recounted };
}

/** At start and every PLANS_TICK_SECONDS (0: never); returns the stop function. */
export function startPlansTick(ctx: AppContext): () => Promise<void> {
  return startTick('[plans] tick', ctx.env.PLANS_TICK_SECONDS, () => plansTick(ctx), { atStart: false, db: ctx.db });
}

export { dayOf };
