import { sql } from 'kysely';
import { audit, auditSystem, AuditAction, type Actor } from '../../lib/audit.js';
import { DecryptError } from '../../lib/crypto/envelope.js';
import type { MasterKey } from '../../lib/crypto/keyring.js';
import { CheckpointSigner } from '../../lib/crypto/signing.js';
import { Db } from '../../lib/db/db.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { checkpointPayload } from '../audit/chain.js';

export interface RotationResult {
  fromKeyId: string;
  toKeyId: string;
  tenantKeys: number;
  destroyedKeys: number;
  checkpoints: number;
}

/**
 * OBLIGATIONS SEC-1: master key rotation. Every customer's data key is unwrapped with the old master
 * key and wrapped with the new one, and every audit checkpoint is checked with the old signing key
 * and signed again with the new one (the signing key is derived from the master key), all in one
 * transaction: either everything is under the new key, or nothing changed. The data itself is not
 * re-encrypted: the data keys stay the same, which is the point of envelope encryption.
 *
 * Each tenant_keys row keeps the id of the key it was wrapped by before (previous_master_key_id),
 * each customer's log records the re-wrap, and master_key_rotations records the rotation.
 *
 * Runs on the owner connection: checkpoints are append-only for the application role.
 */
export async function rotateMasterKey(
  db: Db,
  oldMaster: MasterKey,
  newMaster: MasterKey,
  actor: Actor,
): Promise<RotationResult> {
  if (oldMaster.id === newMaster.id) throw new AppError(ErrorCode.CONFLICT, { key: 'problems:keys.sameMaster' });
  const oldSigner = new CheckpointSigner(oldMaster);
  const newSigner = new CheckpointSigner(newMaster);
  return db.owner('key-rotate', async (tx) => {
    const keys = await tx.selectFrom('tenant_keys').selectAll().orderBy('tenant_id').forUpdate().execute();
    let rewrapped = 0;
    let destroyed = 0;
    let checkpoints = 0;
    for (const k of keys) {
      if (!k.wrapped_key) {
        destroyed++;
        continue;
      }
      if (k.master_key_id !== oldMaster.id) {
        throw new AppError(ErrorCode.CONFLICT, {
          key: 'problems:keys.rotateOtherMaster',
          params: { tenant: k.tenant_id, master: k.master_key_id, configured: oldMaster.id },
        });
      }
      let dataKey: Buffer;
      try {
        dataKey = oldMaster.unwrap(k.wrapped_key, k.tenant_id);
      } catch (err) {
        if (err instanceof DecryptError)
          throw new AppError(ErrorCode.CONFLICT, { key: 'problems:keys.doesNotOpen', params: { tenant: k.tenant_id } });
        throw err;
      }
      const wrapped = newMaster.wrap(dataKey, k.tenant_id);
      dataKey.fill(0);
      await tx
        .updateTable('tenant_keys')
        .set({
          wrapped_key: wrapped,
          master_key_id: newMaster.id,
          previous_master_key_id: oldMaster.id,
          rewrapped_at: new Date(),
        })
        .where('tenant_id', '=', k.tenant_id)
        .execute();
      rewrapped++;
    }
    const tenants = await tx.selectFrom('tenants').select('id').orderBy('id').execute();
    for (const t of tenants) {
      await Db.switchTenant(tx, t.id);
      // Explicit tenant filter: the owner may be a superuser, whom row-level security does not stop.
      const rows = await tx
        .selectFrom('audit_checkpoints')
        .selectAll()
        .where('tenant_id', '=', t.id)
        .orderBy('id')
        .execute();
      for (const c of rows) {
        const old = { seq: Number(c.seq), hash: c.hash, at: new Date(c.at), reason: c.reason, key_id: c.key_id };
        if (c.key_id !== oldSigner.keyId || !oldSigner.verify(checkpointPayload(t.id, old), c.signature)) {
          // Re-signing would launder a forged checkpoint: stop, and let `peil audit verify` name it.
          throw new AppError(ErrorCode.CONFLICT, {
            key: 'problems:keys.checkpointUnverified',
            params: { seq: String(c.seq), tenant: t.id },
          });
        }
        const renewed = { ...old, key_id: newSigner.keyId };
        await sql`UPDATE audit_checkpoints SET key_id = ${newSigner.keyId}, signature = ${newSigner.sign(checkpointPayload(t.id, renewed))}
                   WHERE tenant_id = ${t.id} AND id = ${c.id}`.execute(tx);
        checkpoints++;
      }
      const key = keys.find((k) => k.tenant_id === t.id);
      if (key?.wrapped_key) {
        await audit(tx, t.id, actor, {
          action: AuditAction.TENANT_KEY_REWRAPPED,
          subject: { kind: 'tenant', id: t.id },
          details: { fromMasterKeyId: oldMaster.id, toMasterKeyId: newMaster.id },
        });
      }
    }
    await tx
      .insertInto('master_key_rotations')
      .values({ from_key_id: oldMaster.id, to_key_id: newMaster.id, tenant_keys: rewrapped, checkpoints })
      .execute();
    await auditSystem(tx, actor, 'keys.rotated', {
      fromKeyId: oldMaster.id,
      toKeyId: newMaster.id,
      tenantKeys: rewrapped,
      checkpoints,
    });
    return {
      fromKeyId: oldMaster.id,
      toKeyId: newMaster.id,
      tenantKeys: rewrapped,
      destroyedKeys: destroyed,
      checkpoints,
    };
  });
}
