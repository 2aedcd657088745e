import type { AppContext } from '../../context.js';
import { audit, auditSystem, AuditAction, type Actor } from '../../lib/audit.js';
import { Db } from '../../lib/db/db.js';
import { AppError, ErrorCode } from '../../lib/errors.js';

/**
 * OBLIGATIONS SEC-1, END-3: crypto-shredding. The customer's wrapped data key is destroyed, and with
 * it every key derived from it: its contacts, answers, outbox, the sealed before/after images in its
 * log, and every respondent link become unreadable, in this database and in every data backup
 * (backups never hold keys; see key-export.ts). Rows are not removed here: removal is END-3's
 * separate step, and may take time; the key is gone at once.
 *
 * The log keeps the fact (tenant.key_erased), in the customer's chain and in the system log.
 */
export async function eraseTenantKey(ctx: AppContext, slug: string, actor: Actor): Promise<{ tenantId: string; erasedAt: string; masterKeyId: string }> {
  // The owner connection: peil_app has no privilege on tenant_keys (grants.sql, SEC-1).
  const result = await ctx.db.owner('key-erase', async (tx) => {
    const tenant = await tx.selectFrom('tenants').select(['id', 'slug']).where('slug', '=', slug).executeTakeFirst();
    if (!tenant) throw AppError.notFound(`customer "${slug}"`);
    const key = await tx.selectFrom('tenant_keys').selectAll().where('tenant_id', '=', tenant.id).forUpdate().executeTakeFirst();
    if (!key) throw AppError.notFound('customer key');
    if (!key.wrapped_key) throw new AppError(ErrorCode.GONE, `The key of ${slug} was destroyed already (${new Date(key.destroyed_at!).toISOString()}).`);
    const erasedAt = new Date();
    await tx.updateTable('tenant_keys').set({ wrapped_key: null, destroyed_at: erasedAt }).where('tenant_id', '=', tenant.id).execute();
    await auditSystem(tx, actor, AuditAction.TENANT_KEY_ERASED, { tenantId: tenant.id, slug, masterKeyId: key.master_key_id });
    await Db.switchTenant(tx, tenant.id);
    await audit(tx, tenant.id, actor, { action: AuditAction.TENANT_KEY_ERASED, subject: { kind: 'tenant', id: tenant.id }, details: { keyCreatedAt: new Date(key.created_at).toISOString() } });
    return { tenantId: tenant.id, erasedAt: erasedAt.toISOString(), masterKeyId: key.master_key_id };
  });
  ctx.keyring.evict(result.tenantId);
  return result;
}
