import { sql } from 'kysely';
import type { Db } from '../../lib/db/db.js';
import { chainHash, entryOfRow, GENESIS_HASH } from '../../lib/audit-chain.js';

/**
 * Audit entries written before the chain existed (migration 0003) were numbered by the migration;
 * their hashes are computed here, once, at the first start after it. The canonical form is defined
 * in TypeScript (lib/audit-chain.ts), so SQL cannot compute it. Runs before the server takes
 * requests, on the owner connection (the application role may not update the log).
 */
export async function chainLegacyEntries(db: Db, log: (m: string) => void = () => {}): Promise<number> {
  const pending = await db.handle.kysely.selectFrom('audit_chain_backfill').select('tenant').execute();
  let total = 0;
  for (const { tenant } of pending) {
    total += await db.maintenance(tenant, async (tx) => {
      await sql`SELECT seq FROM audit_heads WHERE tenant_id = ${tenant} FOR UPDATE`.execute(tx);
      const rows = await tx
        .selectFrom('audit_events')
        .select([
          'tenant_id',
          'id',
          'seq',
          'at',
          'actor_kind',
          'actor_id',
          'action',
          'subject_kind',
          'subject_id',
          'ip',
          'request_id',
          'details',
          'hash',
        ])
        .where('tenant_id', '=', tenant)
        .orderBy('seq')
        .execute();
      let prev: Buffer = GENESIS_HASH;
      const ids: number[] = [];
      const prevs: Buffer[] = [];
      const hashes: Buffer[] = [];
      for (const r of rows) {
        const hash = chainHash(prev, entryOfRow({ ...r, seq: Number(r.seq), at: new Date(r.at) }));
        ids.push(Number(r.id));
        prevs.push(prev);
        hashes.push(hash);
        prev = hash;
      }
      if (ids.length) {
        await sql`UPDATE audit_events e SET prev_hash = u.prev, hash = u.hash
                    FROM unnest(${ids}::bigint[], ${prevs}::bytea[], ${hashes}::bytea[]) AS u(id, prev, hash)
                   WHERE e.tenant_id = ${tenant} AND e.id = u.id`.execute(tx);
      }
      await sql`UPDATE audit_heads SET seq = ${rows.length ? Number(rows[rows.length - 1]!.seq) : 0}, hash = ${prev}, updated_at = now() WHERE tenant_id = ${tenant}`.execute(
        tx,
      );
      await tx.deleteFrom('audit_chain_backfill').where('tenant', '=', tenant).execute();
      return ids.length;
    });
  }
  if (total) log(`chained ${total} audit entries written before the audit chain existed`);
  return total;
}
