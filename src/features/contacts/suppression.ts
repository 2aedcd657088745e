import { sql } from 'kysely';
import type { TenantKeys } from '../../lib/crypto/keyring.js';
import type { Tx } from '../../lib/db/db.js';

/**
 * DSR-3: the suppression list, a contact's "do not mail" by address (blind index). It belongs to
 * contacts: deleting a contact writes it, undoing the deletion lifts it, distribution reads it when
 * it invites (invite.ts) and writes it on unsubscribe and bounce.
 */

export type SuppressionReason = 'unsubscribed' | 'erased' | 'bounced' | 'manual';

/** Adds an address to the suppression list; true when it was not on it yet. 'erased' keeps no address. */
export async function suppressEmail(
  tx: Tx,
  tenantId: string,
  keys: TenantKeys,
  email: string,
  reason: SuppressionReason,
  source: string,
  details: Record<string, unknown> = {},
): Promise<boolean> {
  const res = await tx
    .insertInto('suppressions')
    .values({
      tenant_id: tenantId,
      email_hmac: keys.emailIndex(email),
      email_enc: reason === 'erased' ? null : keys.seal(email.trim().toLowerCase()),
      reason,
      source,
      details: JSON.stringify(details),
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'email_hmac']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/**
 * Contract 2: deleting a contact puts its address on the list with reason 'erased' (only the blind
 * index is kept), so a later import of the same address is not mailed. Call before the delete.
 * An existing suppression becomes 'erased' and drops its sealed address.
 */
export async function suppressErasedContact(tx: Tx, tenantId: string, contactId: string): Promise<void> {
  await sql`
    INSERT INTO suppressions (tenant_id, email_hmac, email_enc, reason, source)
    SELECT c.tenant_id, c.email_hmac, NULL, 'erased', 'contact-deleted' FROM contacts c
     WHERE c.tenant_id = ${tenantId}::uuid AND c.id = ${contactId}::uuid
    ON CONFLICT (tenant_id, email_hmac) DO UPDATE SET email_enc = NULL`.execute(tx);
  // An address suppressed earlier (unsubscribed, bounced, by hand) keeps that reason: it says more,
  // and undoing the deletion must not lift it. Only the address itself goes.
}

/**
 * Undoing a contact's deletion (LOG-2) undoes its erasure suppression too, and only that one: a
 * suppression for another reason stays. Returns whether one was lifted.
 */
export async function liftErasure(tx: Tx, tenantId: string, contactId: string): Promise<boolean> {
  const res = await sql`
    DELETE FROM suppressions s USING contacts c
     WHERE c.tenant_id = ${tenantId}::uuid AND c.id = ${contactId}::uuid
       AND s.tenant_id = c.tenant_id AND s.email_hmac = c.email_hmac AND s.reason = 'erased'`.execute(tx);
  return Number(res.numAffectedRows ?? 0) > 0;
}
