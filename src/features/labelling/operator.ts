// OBLIGATIONS AI-4: the operator restricts (quota) or switches off the module for one customer or
// for all, and the customer is told (notices.ts, and the status in GET /api/v1/labelling). The
// operator sees settings and counts only, never an answer (ACC-3).

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { audit, AuditAction, auditSystem } from '../../lib/audit.js';
import { isUuid } from '../../lib/db/db.js';
import { AppError } from '../../lib/errors.js';
import { actorOf, operatorOf } from '../auth/guard.js';
import { sendNotice, sendNotices, type NoticeJob } from './notices.js';
import { enqueueLabelling } from './run.js';
import { ensureSettings, loadGlobalSwitch, loadSettings, monthOf, providerLabel } from './settings.js';

const globalDto = z.object({ enabled: z.boolean(), reason: z.string().nullable(), changedAt: z.string() });

const overview = z.object({
  global: globalDto,
  externalProvider: z.object({ configured: z.boolean(), name: z.string().nullable() }),
  defaultMonthlyQuota: z.number(),
  month: z.string(),
  tenants: z.array(
    z.object({
      tenantId: z.string(),
      name: z.string(),
      slug: z.string(),
      enabled: z.boolean(),
      allowExternalProvider: z.boolean(),
      blocked: z.boolean(),
      reason: z.string().nullable(),
      monthlyQuota: z.number().nullable().describe('null: the default quota'),
      used: z.number(),
      external: z.number(),
    }),
  ),
});

const tenantSwitchInput = z
  .object({
    blocked: z.boolean().optional().describe('true: the module is off for this customer, whatever the customer chose'),
    monthlyQuota: z
      .number()
      .int()
      .min(0)
      .max(10_000_000)
      .nullable()
      .optional()
      .describe('texts per month; null: back to the default'),
    reason: z.string().trim().max(500).optional().describe('told to the customer'),
  })
  .refine((v) => v.blocked !== undefined || v.monthlyQuota !== undefined, {
    message: 'give blocked, monthlyQuota or both',
  });

export function operatorRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/operator/labelling',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary: 'The labelling module across customers: global switch, per-customer switch, quota and usage',
          response: { 200: overview },
        },
      },
      async () => {
        const month = monthOf();
        const tenants = await ctx.db.global((tx) =>
          tx.selectFrom('tenants').select(['id', 'name', 'slug']).orderBy('created_at').execute(),
        );
        const global = await ctx.db.global(loadGlobalSwitch);
        const { settings, usage } = await ctx.db.crossTenant('labelling', async (tx) => ({
          settings: await tx
            .selectFrom('labelling_settings')
            .select(['tenant_id', 'enabled', 'allow_external', 'operator_blocked', 'operator_reason', 'monthly_quota'])
            .execute(),
          usage: await tx
            .selectFrom('labelling_usage')
            .select(['tenant_id', 'labelled', 'external'])
            .where('month', '=', month)
            .execute(),
        }));
        const s = new Map(settings.map((r) => [r.tenant_id, r]));
        const u = new Map(usage.map((r) => [r.tenant_id, r]));
        return {
          global: {
            enabled: global.enabled,
            reason: global.reason,
            changedAt: new Date(global.changedAt).toISOString(),
          },
          externalProvider: { configured: Boolean(ctx.env.AI_PROVIDER_URL), name: providerLabel(ctx.env) },
          defaultMonthlyQuota: ctx.env.LABELLING_DEFAULT_MONTHLY_QUOTA,
          month,
          tenants: tenants.map((t) => ({
            tenantId: t.id,
            name: t.name,
            slug: t.slug,
            enabled: s.get(t.id)?.enabled ?? false,
            allowExternalProvider: s.get(t.id)?.allow_external ?? false,
            blocked: s.get(t.id)?.operator_blocked ?? false,
            reason: s.get(t.id)?.operator_reason ?? null,
            monthlyQuota: s.get(t.id)?.monthly_quota ?? null,
            used: u.get(t.id)?.labelled ?? 0,
            external: u.get(t.id)?.external ?? 0,
          })),
        };
      },
    );

    app.put(
      '/api/v1/operator/labelling',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary: 'Switch the labelling module off (or on again) for all customers; customers using it are told',
          body: z.object({ enabled: z.boolean(), reason: z.string().trim().max(500).optional() }),
          response: { 200: globalDto },
        },
      },
      async (request) => {
        const op = operatorOf(request);
        const { enabled, reason } = request.body;
        // The owner connection: peil_app may only read the switch (grants.sql), so no request can turn it.
        const changed = await ctx.db.owner('ai-switch', async (tx) => {
          const before = await loadGlobalSwitch(tx);
          await tx
            .updateTable('ai_module_switch')
            .set({ enabled, reason: reason ?? null, changed_by: op.operatorId, changed_at: new Date() })
            .execute();
          await auditSystem(tx, actorOf(request, op), 'labelling.global_switch', { enabled, reason: reason ?? null });
          return before.enabled !== enabled;
        });
        if (changed) {
          const using = await ctx.db.crossTenant('labelling', (tx) =>
            tx
              .selectFrom('labelling_settings')
              .select('tenant_id')
              .where('enabled', '=', true)
              .where('operator_blocked', '=', false)
              .execute(),
          );
          await sendNotices(
            ctx,
            using.map((r): NoticeJob => ({
              tenantId: r.tenant_id,
              kind: enabled ? 'switched_on_for_all' : 'switched_off_for_all',
              reason: reason ?? null,
            })),
          );
          if (enabled) for (const r of using) await enqueueLabelling(ctx, r.tenant_id);
        }
        const g = await ctx.db.global(loadGlobalSwitch);
        return { enabled: g.enabled, reason: g.reason, changedAt: new Date(g.changedAt).toISOString() };
      },
    );

    app.put(
      '/api/v1/operator/tenants/:tenantId/labelling',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary:
            "Switch the module off or on for one customer and/or set its monthly quota; the customer's owners are told",
          params: z.object({ tenantId: z.string() }),
          body: tenantSwitchInput,
          response: {
            200: z.object({
              tenantId: z.string(),
              blocked: z.boolean(),
              reason: z.string().nullable(),
              monthlyQuota: z.number().nullable(),
            }),
          },
        },
      },
      async (request) => {
        const op = operatorOf(request);
        const { tenantId } = request.params;
        if (!isUuid(tenantId)) throw AppError.notFound('customer');
        const { blocked, monthlyQuota, reason } = request.body;
        const result = await ctx.db.tenant(tenantId, async (tx) => {
          const tenant = await tx.selectFrom('tenants').select('id').where('id', '=', tenantId).executeTakeFirst();
          if (!tenant) throw AppError.notFound('customer');
          await ensureSettings(tx, tenantId);
          const before = await loadSettings(tx, tenantId);
          const notices: NoticeJob[] = [];
          const now = new Date();
          if (blocked !== undefined && blocked !== before.operatorBlocked) {
            await tx
              .updateTable('labelling_settings')
              .set({
                operator_blocked: blocked,
                operator_reason: reason ?? null,
                operator_changed_by: op.operatorId,
                operator_changed_at: now,
              })
              .where('tenant_id', '=', tenantId)
              .execute();
            await audit(tx, tenantId, actorOf(request, op), {
              action: AuditAction.LABELLING_OPERATOR_SWITCHED,
              details: { blocked, reason: reason ?? null },
            });
            notices.push({ tenantId, kind: blocked ? 'blocked' : 'unblocked', reason: reason ?? null });
          }
          if (monthlyQuota !== undefined && monthlyQuota !== before.monthlyQuota) {
            await tx
              .updateTable('labelling_settings')
              .set({ monthly_quota: monthlyQuota, operator_changed_by: op.operatorId, operator_changed_at: now })
              .where('tenant_id', '=', tenantId)
              .execute();
            // A new quota reopens the month: "reached" is recorded again if the new one runs out too.
            await tx
              .updateTable('labelling_usage')
              .set({ quota_reached_at: null })
              .where('month', '=', monthOf())
              .execute();
            await audit(tx, tenantId, actorOf(request, op), {
              action: AuditAction.LABELLING_QUOTA_SET,
              details: { from: before.monthlyQuota, to: monthlyQuota, reason: reason ?? null },
            });
            notices.push({
              tenantId,
              kind: 'quota_set',
              quota: monthlyQuota ?? ctx.env.LABELLING_DEFAULT_MONTHLY_QUOTA,
              reason: reason ?? null,
            });
          }
          const after = await loadSettings(tx, tenantId);
          return {
            notices,
            dto: {
              tenantId,
              blocked: after.operatorBlocked,
              reason: after.operatorReason,
              monthlyQuota: after.monthlyQuota,
            },
          };
        });
        for (const n of result.notices) await sendNotice(ctx, n);
        if (result.notices.length) await enqueueLabelling(ctx, tenantId);
        return result.dto;
      },
    );
  };
}
