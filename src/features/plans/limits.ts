/**
 * OBLIGATIONS SVC-6: THE public surface of plans and usage for the other features. Everything here
 * runs in the caller's tenant transaction, so a count and the change it counts commit (or roll back)
 * together.
 *
 *   count(tx, t, metric, delta)          counts a change; never refuses (responses, labelled answers,
 *                                        deletions): a respondent's answer is never refused or lost
 *   countWithin(tx, t, metric, adding)   counts `adding` more and refuses (limit_reached, the whole
 *                                        transaction rolls back) when the new value exceeds the limit
 *   assertWithin(tx, t, metric, adding)  refuses when `adding` more would exceed the limit; counts
 *                                        nothing (new invitations against the month's responses)
 *   assertFeature(tx, t, feature)        refuses when the plan does not include the AI module / API
 *
 * Race-free without a lock of its own: the counter row is updated (and so locked until commit)
 * BEFORE the limit is compared, so of two parallel imports the second waits for the first's commit
 * and then compares with both counted. The cost per change is one upsert of one row (plus two
 * primary-key reads when a limit is compared); never a count(*) per request. A total's row is made
 * from one count of its table the first time it is needed; the plans tick recounts totals to correct
 * drift (plans/service.ts recountTotals).
 */
import { sql } from 'kysely';
import type { Tx } from '../../lib/db/db.js';
import type { UsageMetric } from '../../lib/db/schema.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { amsterdamDay, amsterdamMonth } from '../../lib/amsterdam.js';

export type Metric = UsageMetric;
export const METRICS: readonly Metric[] = ['contacts', 'responses', 'surveys', 'users', 'labelled'];
/** Per month (Europe/Amsterdam); the others are current totals. */
export const MONTHLY: ReadonlySet<Metric> = new Set<Metric>(['responses', 'labelled']);
export type Feature = 'ai' | 'api';

/** The calendar month of a moment in the Netherlands, 'YYYY-MM' (per-month limits are Dutch months). */
export const monthOf = amsterdamMonth;

/** The calendar day of a moment in the Netherlands, 'YYYY-MM-DD' (extensions run from day to day). */
export const dayOf = amsterdamDay;

export const periodOf = (metric: Metric, at: Date = new Date()): string =>
  MONTHLY.has(metric) ? monthOf(at) : 'total';

/** What a total is, counted from its table (only to create its counter row, and in the recount). */
export function totalQuery(metric: Metric, tenantId: string) {
  switch (metric) {
    case 'contacts':
      return sql<{ n: number }>`SELECT count(*)::bigint AS n FROM contacts WHERE tenant_id = ${tenantId}::uuid`;
    case 'surveys':
      return sql<{ n: number }>`SELECT count(*)::bigint AS n FROM surveys WHERE tenant_id = ${tenantId}::uuid`;
    case 'users':
      return sql<{
        n: number;
      }>`SELECT count(*)::bigint AS n FROM users WHERE tenant_id = ${tenantId}::uuid AND status <> 'disabled'`;
    default:
      throw new Error(`${metric} is counted per month, not as a total`);
  }
}

/**
 * Adds `delta` to the counter of `metric` in its current period; returns the new value. One UPDATE;
 * the first time for a total, one count of its table. Call it AFTER the change it counts (in the same
 * transaction): that first count sees the change and must not add it twice.
 */
export async function count(
  tx: Tx,
  tenantId: string,
  metric: Metric,
  delta: number,
  at: Date = new Date(),
): Promise<number> {
  const period = periodOf(metric, at);
  const upd = await sql<{ value: number }>`
    UPDATE usage_counters SET value = greatest(value + ${delta}::bigint, 0), updated_at = now()
     WHERE tenant_id = ${tenantId}::uuid AND metric = ${metric} AND period = ${period}
    RETURNING value`.execute(tx);
  if (upd.rows[0]) return Number(upd.rows[0].value);
  // No row yet: a month starts at this change; a total starts from its table (which already holds
  // the caller's change). Two first changes at once: one insert wins, the other adds its delta.
  const initial = MONTHLY.has(metric) ? sql`${Math.max(delta, 0)}::bigint` : sql`(${totalQuery(metric, tenantId)})`;
  const ins = await sql<{ value: number }>`
    INSERT INTO usage_counters AS u (tenant_id, metric, period, value) VALUES (${tenantId}::uuid, ${metric}, ${period}, ${initial})
    ON CONFLICT (tenant_id, metric, period) DO UPDATE SET value = greatest(u.value + ${delta}::bigint, 0), updated_at = now()
    RETURNING value`.execute(tx);
  return Number(ins.rows[0]!.value);
}

/** The current value of a metric (creating a total's row from its table the first time). */
export async function used(tx: Tx, tenantId: string, metric: Metric, at: Date = new Date()): Promise<number> {
  const period = periodOf(metric, at);
  const row = await sql<{
    value: number;
  }>`SELECT value FROM usage_counters WHERE tenant_id = ${tenantId}::uuid AND metric = ${metric} AND period = ${period}`.execute(
    tx,
  );
  if (row.rows[0]) return Number(row.rows[0].value);
  if (MONTHLY.has(metric)) return 0;
  return count(tx, tenantId, metric, 0, at);
}

export interface EffectiveLimit {
  plan: { id: string; name: string } | null;
  /** The plan's limit; null: unlimited (or no plan). */
  base: number | null;
  /** Extensions valid today. */
  extra: number;
  /** base + extra, or null (unlimited). */
  limit: number | null;
}

/** The limit of one metric today: the plan's, plus the extensions valid on this Dutch day. */
export async function limitOf(
  tx: Tx,
  tenantId: string,
  metric: Metric,
  at: Date = new Date(),
): Promise<EffectiveLimit> {
  const column = {
    contacts: 'contacts',
    responses: 'responses_per_month',
    surveys: 'surveys',
    users: 'users',
    labelled: 'labelled_per_month',
  }[metric];
  const r = await sql<{ id: string; name: string; base: number | null; extra: number }>`
    SELECT p.id, p.name, p.${sql.raw(column)} AS base,
           (SELECT coalesce(sum(e.extra), 0)::bigint FROM plan_extensions e
             WHERE e.tenant_id = a.tenant_id AND e.metric = ${metric} AND ${dayOf(at)}::date BETWEEN e.valid_from AND e.valid_until) AS extra
      FROM plan_assignments a JOIN plans p ON p.id = a.plan_id
     WHERE a.tenant_id = ${tenantId}::uuid`.execute(tx);
  const row = r.rows[0];
  if (!row) return { plan: null, base: null, extra: 0, limit: null };
  const base = row.base === null ? null : Number(row.base);
  const extra = Number(row.extra);
  return { plan: { id: row.id, name: row.name }, base, extra, limit: base === null ? null : base + extra };
}

const NAMES: Record<Metric, { nl: string; en: string }> = {
  contacts: { nl: 'contactpersonen', en: 'contacts' },
  responses: { nl: 'antwoorden per maand', en: 'responses per month' },
  surveys: { nl: 'enquêtes', en: 'surveys' },
  users: { nl: 'gebruikers', en: 'users' },
  labelled: { nl: 'gelabelde antwoorden per maand', en: 'labelled answers per month' },
};
export const metricName = (m: Metric) => NAMES[m];

/**
 * What a request adds, by the English words callers pass, as the select value of
 * problems:plans.limitReached (which holds both languages' words); anything else is "This request".
 */
const WHAT: Record<string, string> = {
  'This colleague': 'colleague',
  'This invitation': 'invitation',
  'Restoring this contact': 'restoreContact',
  'Adding contacts': 'addContacts',
  'This import': 'import',
  'A new survey': 'newSurvey',
  'New invitations': 'newInvitations',
};

/** The problem at a limit (409 limit_reached): names the limit, the plan, the usage and what the request would add. */
export function limitReached(
  metric: Metric,
  l: EffectiveLimit,
  usedBefore: number,
  adding: number,
  period: string,
  what?: { nl: string; en: string },
): AppError {
  const plan = l.plan?.name ?? '-';
  // Both languages take their words for what was asked and the metric from problems:plans.limitReached.
  const params = {
    what: (what && WHAT[what.en]) ?? 'request',
    limit: l.limit ?? 0,
    metric,
    plan,
    used: usedBefore,
    adding,
  };
  return new AppError(
    ErrorCode.LIMIT_REACHED,
    { key: 'problems:plans.limitReached', params },
    {
      extra: {
        limit: {
          metric,
          period,
          limit: l.limit,
          planLimit: l.base,
          extensions: l.extra,
          plan: l.plan?.name ?? null,
          used: usedBefore,
          adding,
        },
      },
    },
  );
}

/**
 * Counts `adding` more of `metric` and refuses the request when the new value exceeds the limit
 * (the caller's transaction then rolls back, the count with it). `adding` 0 only compares (after a
 * caller counted itself). Returns the new value.
 */
export async function countWithin(
  tx: Tx,
  tenantId: string,
  metric: Metric,
  adding: number,
  what?: { nl: string; en: string },
  at: Date = new Date(),
): Promise<number> {
  const after = await count(tx, tenantId, metric, adding, at);
  if (adding <= 0) return after;
  const l = await limitOf(tx, tenantId, metric, at);
  if (l.limit !== null && after > l.limit)
    throw limitReached(metric, l, after - adding, adding, periodOf(metric, at), what);
  return after;
}

/** Refuses when `adding` more of `metric` would exceed the limit; counts nothing. */
export async function assertWithin(
  tx: Tx,
  tenantId: string,
  metric: Metric,
  adding: number,
  what?: { nl: string; en: string },
  at: Date = new Date(),
): Promise<void> {
  const l = await limitOf(tx, tenantId, metric, at);
  if (l.limit === null) return;
  const now = await used(tx, tenantId, metric, at);
  if (now + adding > l.limit) throw limitReached(metric, l, now, adding, periodOf(metric, at), what);
}

/** Whether the customer's plan includes a feature (no plan: everything). */
export async function hasFeature(tx: Tx, tenantId: string, feature: Feature): Promise<boolean> {
  const r = await sql<{ ok: boolean }>`
    SELECT ${feature === 'ai' ? sql`p.feature_ai` : sql`p.feature_api`} AS ok FROM plan_assignments a JOIN plans p ON p.id = a.plan_id WHERE a.tenant_id = ${tenantId}::uuid`.execute(
    tx,
  );
  return r.rows[0]?.ok ?? true;
}

/** Refuses (409 limit_reached) when the customer's plan does not include the AI module or API access. */
export async function assertFeature(tx: Tx, tenantId: string, feature: Feature): Promise<void> {
  if (await hasFeature(tx, tenantId, feature)) return;
  const plan = await sql<{
    name: string;
  }>`SELECT p.name FROM plan_assignments a JOIN plans p ON p.id = a.plan_id WHERE a.tenant_id = ${tenantId}::uuid`.execute(
    tx,
  );
  const name = plan.rows[0]?.name ?? '-';
  throw new AppError(
    ErrorCode.LIMIT_REACHED,
    { key: 'problems:plans.featureMissing', params: { plan: name, feature } },
    { extra: { limit: { feature, plan: name } } },
  );
}
