import type { AppContext } from '../../context.js';
import { audit, auditSystem, AuditAction, type Actor } from '../../lib/audit.js';
import { Db } from '../../lib/db/db.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { forgetSessions } from '../auth/sessions.js';
import { forgetTenantKeys } from '../auth/api-keys.js';
import { forgetTenantLookups } from '../respond/lookup.js';
import { SEND_QUEUE, type SendJob } from '../distribution/send.js';

export interface StatusChange {
  id: string;
  slug: string;
  status: 'active' | 'suspended';
  at: string;
  /** On resume: distributions whose queued invitations were handed to the send job again. */
  requeued?: number;
}

/**
 * OBLIGATIONS AGR-6: the operator suspends or resumes a customer. peil_app may not update `tenants`
 * (grants.sql), so the change runs on the owner connection (purpose 'tenant-suspend'), with a row in
 * the system log and one in the customer's own chain, in the same transaction. Nothing is deleted.
 *
 * Effect in time: this process forgets its cached sessions, API keys and respondent-link look-ups of
 * the customer at once; another process's caches (5 s for sessions and keys, 1 s for link look-ups)
 * run out within that window, after which every path reads the new status.
 */
export async function setTenantStatus(
  ctx: AppContext,
  tenantId: string,
  to: 'active' | 'suspended',
  reason: string,
  actor: Actor,
): Promise<StatusChange> {
  const change = await ctx.db.owner('tenant-suspend', async (tx) => {
    const t = await tx
      .selectFrom('tenants')
      .select(['id', 'slug', 'status'])
      .where('id', '=', tenantId)
      .forUpdate()
      .executeTakeFirst();
    if (!t) throw AppError.notFound('customer');
    if (t.status === 'ended') throw new AppError(ErrorCode.CONFLICT, { key: 'problems:suspension.endedNoChange' });
    if (to === 'suspended' && t.status === 'suspended')
      throw new AppError(ErrorCode.CONFLICT, { key: 'problems:suspension.suspendedAlready' });
    if (to === 'active' && t.status !== 'suspended')
      throw new AppError(ErrorCode.CONFLICT, { key: 'problems:suspension.notSuspended' });
    await tx.updateTable('tenants').set({ status: to }).where('id', '=', t.id).execute();
    const action = to === 'suspended' ? AuditAction.TENANT_SUSPENDED : AuditAction.TENANT_RESUMED;
    await auditSystem(tx, actor, action, { tenantId: t.id, slug: t.slug, reason });
    await Db.switchTenant(tx, t.id);
    await audit(tx, t.id, actor, {
      action,
      subject: { kind: 'tenant', id: t.id },
      details: { reason, from: t.status, to },
    });
    return { id: t.id, slug: t.slug, status: to, at: new Date().toISOString() } satisfies StatusChange;
  });
  forgetSessions((a) => a.kind !== 'operator' && a.tenantId === tenantId);
  forgetTenantKeys(tenantId);
  forgetTenantLookups(tenantId);
  if (to === 'active') return { ...change, requeued: await requeueTenantSends(ctx, tenantId) };
  return change;
}

/**
 * After a resume: every distribution of the customer that is sending and still has queued
 * invitations gets its send job again (a job that ran during the suspension sent nothing and left
 * them queued). Scheduled distributions that fell due meanwhile are released by the next tick.
 */
async function requeueTenantSends(ctx: AppContext, tenantId: string): Promise<number> {
  const rows = await ctx.db.tenant(tenantId, (tx) =>
    tx
      .selectFrom('invitations as i')
      .innerJoin('distributions as d', (j) =>
        j.onRef('d.tenant_id', '=', 'i.tenant_id').onRef('d.id', '=', 'i.distribution_id'),
      )
      .select('i.distribution_id')
      .where('i.status', '=', 'queued')
      .where('d.status', '=', 'sending')
      .groupBy('i.distribution_id')
      .execute(),
  );
  for (const r of rows)
    await ctx.jobs.send<SendJob>(
      SEND_QUEUE,
      { tenantId, distributionId: r.distribution_id },
      { singletonKey: r.distribution_id },
    );
  return rows.length;
}
