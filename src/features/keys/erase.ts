import type { AppContext } from '../../context.js';
import { audit, auditSystem, AuditAction, type Actor } from '../../lib/audit.js';
import { Db } from '../../lib/db/db.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { scrubTenant, type ScrubCounts } from './scrub.js';

/**
 * OBLIGATIONS SEC-1, END-3: crypto-shredding. The customer's wrapped data key is destroyed, and with
 * it every key derived from it: its contacts, answers, outbox, the sealed before/after images in its
 * log, every respondent link, and its sections of every backup become unreadable, in this database
 * and in every backup made before (backups never hold keys, see key-export.ts, and seal each
 * customer's rows with a key derived from its data key, see ../backup/sections.ts).
 *
 * In the same transaction, the columns kept in clear for aggregation (profile values, gender,
 * function, closed answers, scores, SMTP replies, ...) are cleared and what would write new ones is
 * stopped (scrub.ts); migration 0012 refuses such writes afterwards, also from a process that still
 * holds the key in its cache. Rows are not removed here, except those derived from answers (labels,
 * corrections, released breakdowns) and stored API answers: removal is END-3's separate step, and
 * may take time; the key is gone at once.
 *
 * The log keeps the fact (tenant.key_erased, with what was cleared), in the customer's chain and in
 * the system log. The chain itself is kept as it is (scrub.ts, KEPT.audit_events).
 */
/**
 * `rowsFollow` (OBLIGATIONS END-3): the caller removes every row of the customer right after
 * (features/ending deleteTenant, which continues at the next tick if interrupted); the writers are
 * stopped and the key destroyed, but the clear columns are not cleared first, since the rows go.
 */
export async function eraseTenantKey(
  ctx: AppContext,
  slug: string,
  actor: Actor,
  opts: { rowsFollow?: boolean } = {},
): Promise<{ tenantId: string; erasedAt: string; masterKeyId: string; cleared: ScrubCounts }> {
  // The owner connection: peil_app has no privilege on tenant_keys (grants.sql, SEC-1). Every
  // statement of scrub.ts names the tenant, since a superuser owner is not bound by row-level security.
  const result = await ctx.db.owner('key-erase', async (tx) => {
    const tenant = await tx.selectFrom('tenants').select(['id', 'slug']).where('slug', '=', slug).executeTakeFirst();
    if (!tenant) throw AppError.notFound('customer', slug);
    const key = await tx
      .selectFrom('tenant_keys')
      .selectAll()
      .where('tenant_id', '=', tenant.id)
      .forUpdate()
      .executeTakeFirst();
    if (!key) throw AppError.notFound('customer key');
    if (!key.wrapped_key)
      throw new AppError(ErrorCode.GONE, {
        key: 'problems:keys.destroyedAlready',
        params: { slug, at: new Date(key.destroyed_at!).toISOString() },
      });
    await Db.switchTenant(tx, tenant.id);
    // Before the key row changes: once it has, migration 0012 refuses writes of clear values.
    const cleared = await scrubTenant(tx, tenant.id, { clear: !opts.rowsFollow });
    const erasedAt = new Date();
    await tx
      .updateTable('tenant_keys')
      .set({ wrapped_key: null, destroyed_at: erasedAt })
      .where('tenant_id', '=', tenant.id)
      .execute();
    await auditSystem(tx, actor, AuditAction.TENANT_KEY_ERASED, {
      tenantId: tenant.id,
      slug,
      masterKeyId: key.master_key_id,
    });
    await audit(tx, tenant.id, actor, {
      action: AuditAction.TENANT_KEY_ERASED,
      subject: { kind: 'tenant', id: tenant.id },
      details: {
        keyCreatedAt: new Date(key.created_at).toISOString(),
        cleared,
        ...(opts.rowsFollow ? { rowsFollow: true } : {}),
      },
    });
    return { tenantId: tenant.id, erasedAt: erasedAt.toISOString(), masterKeyId: key.master_key_id, cleared };
  });
  ctx.keyring.evict(result.tenantId);
  return result;
}
