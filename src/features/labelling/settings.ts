// The module's state for one customer: its own choices, the operator's switches and the month's
// usage, read in the caller's transaction. OBLIGATIONS AI-1 (off by default), AI-4 (quota, switches).

import { sql } from 'kysely';
import { z } from 'zod';
import type { Env } from '../../lib/env.js';
import type { Tx } from '../../lib/db/db.js';
import type { TaxonomyName } from '../../lib/db/schema.js';
import { LABELLING_TERMS, termsHash } from './terms.js';
import { subprocessorAllowed } from '../subprocessors/service.js';
import { hasFeature, limitOf } from '../plans/limits.js';
import { amsterdamMonth } from '../../lib/amsterdam.js';

export interface SettingsRow {
  enabled: boolean;
  taxonomy: TaxonomyName;
  allowExternal: boolean;
  termsVersion: string | null;
  termsHash: string | null;
  acceptedBy: string | null;
  acceptedAt: Date | null;
  monthlyQuota: number | null;
  operatorBlocked: boolean;
  operatorReason: string | null;
  operatorChangedAt: Date | null;
  modelVersion: number;
}

const DEFAULTS: SettingsRow = {
  enabled: false,
  taxonomy: 'customer',
  allowExternal: false,
  termsVersion: null,
  termsHash: null,
  acceptedBy: null,
  acceptedAt: null,
  monthlyQuota: null,
  operatorBlocked: false,
  operatorReason: null,
  operatorChangedAt: null,
  modelVersion: 0,
};

export interface GlobalSwitch {
  enabled: boolean;
  reason: string | null;
  changedAt: Date;
}

export type LabellingStatus = 'off' | 'active' | 'blocked_by_operator' | 'switched_off_for_all' | 'quota_reached';

export interface LabellingState {
  settings: SettingsRow;
  global: GlobalSwitch;
  month: string;
  used: number;
  external: number;
  quota: number;
  quotaReachedAt: Date | null;
  status: LabellingStatus;
  /** Whether the background run may label texts now. */
  active: boolean;
}

/** The calendar month of a moment in the Netherlands, 'YYYY-MM': quotas are per Dutch month. */
export const monthOf = amsterdamMonth;

export async function loadSettings(tx: Tx, tenantId: string): Promise<SettingsRow> {
  const r = await tx.selectFrom('labelling_settings').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
  if (!r) return { ...DEFAULTS };
  return {
    enabled: r.enabled,
    taxonomy: r.taxonomy,
    allowExternal: r.allow_external,
    termsVersion: r.terms_version,
    termsHash: r.terms_hash,
    acceptedBy: r.accepted_by,
    acceptedAt: r.accepted_at,
    monthlyQuota: r.monthly_quota,
    operatorBlocked: r.operator_blocked,
    operatorReason: r.operator_reason,
    operatorChangedAt: r.operator_changed_at,
    modelVersion: r.model_version,
  };
}

/** Creates the customer's settings row if there is none, so updates can be plain UPDATEs. */
export async function ensureSettings(tx: Tx, tenantId: string): Promise<void> {
  await tx
    .insertInto('labelling_settings')
    .values({ tenant_id: tenantId })
    .onConflict((oc) => oc.column('tenant_id').doNothing())
    .execute();
}

export async function loadGlobalSwitch(tx: Tx): Promise<GlobalSwitch> {
  const r = await tx.selectFrom('ai_module_switch').select(['enabled', 'reason', 'changed_at']).executeTakeFirst();
  return r
    ? { enabled: r.enabled, reason: r.reason, changedAt: r.changed_at }
    : { enabled: true, reason: null, changedAt: new Date(0) };
}

export async function loadState(tx: Tx, tenantId: string, env: Env): Promise<LabellingState> {
  const settings = await loadSettings(tx, tenantId);
  const global = await loadGlobalSwitch(tx);
  const month = monthOf();
  const usage = await tx
    .selectFrom('labelling_usage')
    .select(['labelled', 'external', 'quota_reached_at'])
    .where('month', '=', month)
    .executeTakeFirst();
  const used = usage?.labelled ?? 0;
  // OBLIGATIONS SVC-6: the plan's labelled answers per month (with extensions) caps the quota, and a
  // plan without the AI module stops it as the operator's switch does.
  const planLimit = (await limitOf(tx, tenantId, 'labelled')).limit;
  const quota = Math.min(
    settings.monthlyQuota ?? env.LABELLING_DEFAULT_MONTHLY_QUOTA,
    planLimit ?? Number.MAX_SAFE_INTEGER,
  );
  const status: LabellingStatus = !settings.enabled
    ? 'off'
    : !global.enabled
      ? 'switched_off_for_all'
      : settings.operatorBlocked || !(await hasFeature(tx, tenantId, 'ai'))
        ? 'blocked_by_operator'
        : used >= quota
          ? 'quota_reached'
          : 'active';
  return {
    settings,
    global,
    month,
    used,
    external: usage?.external ?? 0,
    quota,
    quotaReachedAt: usage?.quota_reached_at ?? null,
    status,
    active: status === 'active',
  };
}

// ------------------------------------------------------------------ what GET /api/v1/labelling shows

const localizedText = z.object({ nl: z.string(), en: z.string() });

export const labellingStateDto = z.object({
  enabled: z.boolean().describe("the customer's own choice (AI-1: false until the owner accepts the terms)"),
  active: z.boolean().describe('whether answers are being labelled now'),
  status: z.enum(['off', 'active', 'blocked_by_operator', 'switched_off_for_all', 'quota_reached']),
  taxonomy: z.enum(['customer', 'employee']),
  allowExternalProvider: z.boolean(),
  externalProvider: z.object({
    configured: z.boolean(),
    name: z.string().nullable(),
    inUse: z
      .boolean()
      .describe(
        'configured, allowed by the customer, active, and in the sub-processor register applied to this customer (SUB-3)',
      ),
  }),
  terms: z.object({ version: z.string(), hash: z.string(), text: localizedText }),
  acceptance: z
    .object({
      termsVersion: z.string(),
      termsHash: z.string(),
      acceptedBy: z.object({ id: z.string(), name: z.string().nullable() }),
      acceptedAt: z.string(),
      current: z.boolean(),
    })
    .nullable(),
  operator: z.object({ blocked: z.boolean(), reason: z.string().nullable(), changedAt: z.string().nullable() }),
  global: z.object({ enabled: z.boolean(), reason: z.string().nullable(), changedAt: z.string() }),
  quota: z.object({
    month: z.string(),
    monthly: z.number(),
    used: z.number(),
    external: z.number(),
    remaining: z.number(),
    reachedAt: z.string().nullable(),
  }),
});
export type LabellingStateDto = z.infer<typeof labellingStateDto>;

export function providerLabel(env: Env): string | null {
  if (!env.AI_PROVIDER_URL) return null;
  return env.AI_PROVIDER_NAME ?? new URL(env.AI_PROVIDER_URL).host;
}

export async function stateDto(tx: Tx, tenantId: string, env: Env): Promise<LabellingStateDto> {
  const s = await loadState(tx, tenantId, env);
  const acceptedBy = s.settings.acceptedBy
    ? await tx.selectFrom('users').select(['id', 'name']).where('id', '=', s.settings.acceptedBy).executeTakeFirst()
    : undefined;
  const configured = Boolean(env.AI_PROVIDER_URL);
  return {
    enabled: s.settings.enabled,
    active: s.active,
    status: s.status,
    taxonomy: s.settings.taxonomy,
    allowExternalProvider: s.settings.allowExternal,
    // OBLIGATIONS SUB-3: and only when the register holds it for this customer, applied (run.ts asks the same).
    externalProvider: {
      configured,
      name: providerLabel(env),
      inUse: configured && s.settings.allowExternal && s.active && (await subprocessorAllowed(tx, 'ai')),
    },
    terms: { version: LABELLING_TERMS.version, hash: termsHash(), text: LABELLING_TERMS.text },
    acceptance:
      s.settings.termsVersion && s.settings.termsHash && s.settings.acceptedBy && s.settings.acceptedAt
        ? {
            termsVersion: s.settings.termsVersion,
            termsHash: s.settings.termsHash,
            acceptedBy: { id: s.settings.acceptedBy, name: acceptedBy?.name ?? null },
            acceptedAt: new Date(s.settings.acceptedAt).toISOString(),
            current: s.settings.termsHash === termsHash(),
          }
        : null,
    operator: {
      blocked: s.settings.operatorBlocked,
      reason: s.settings.operatorReason,
      changedAt: s.settings.operatorChangedAt ? new Date(s.settings.operatorChangedAt).toISOString() : null,
    },
    global: {
      enabled: s.global.enabled,
      reason: s.global.reason,
      changedAt: new Date(s.global.changedAt).toISOString(),
    },
    quota: {
      month: s.month,
      monthly: s.quota,
      used: s.used,
      external: s.external,
      remaining: Math.max(0, s.quota - s.used),
      reachedAt: s.quotaReachedAt ? new Date(s.quotaReachedAt).toISOString() : null,
    },
  };
}

/** Raises the model version: every process retrains this customer's model before its next use. */
export async function bumpModelVersion(tx: Tx, tenantId: string): Promise<void> {
  await ensureSettings(tx, tenantId);
  await sql`UPDATE labelling_settings SET model_version = model_version + 1 WHERE tenant_id = ${tenantId}::uuid`.execute(
    tx,
  );
}
