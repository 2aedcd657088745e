import { createHash, randomBytes } from 'node:crypto';
import type { Db, Tx } from '../../lib/db/db.js';
import type { Role } from '../../lib/db/schema.js';

export const SESSION_COOKIE = 'peil_session';

export type Auth =
  | { kind: 'user'; sessionHash: Buffer; tenantId: string; userId: string; role: Role; email: string; name: string }
  | { kind: 'operator'; sessionHash: Buffer; operatorId: string; email: string; name: string };

export const hashToken = (token: string): Buffer => createHash('sha256').update(token).digest();

export interface SessionTimes {
  idleMinutes: number;
  absoluteMinutes: number;
}

/** A new random session id; only its hash is stored, so a database leak gives no usable cookie. */
export async function createSession(
  tx: Tx,
  times: SessionTimes,
  who: { kind: 'user'; tenantId: string; userId: string } | { kind: 'operator'; operatorId: string },
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const now = Date.now();
  await tx
      .insertInto('sessions')
      .values({
        id_hash: hashToken(token),
        kind: who.kind,
        tenant_id: who.kind === 'user' ? who.tenantId : null,
        user_id: who.kind === 'user' ? who.userId : null,
        operator_id: who.kind === 'operator' ? who.operatorId : null,
        last_seen_at: new Date(now),
        expires_at: new Date(now + times.absoluteMinutes * 60_000),
      })
      .execute();
  return token;
}

/**
 * Resolved sessions are remembered for a few seconds. Besides saving a query per request, this keeps
 * the app answering while a long transaction (a contact import) holds PGlite's single connection:
 * the import's progress can still be polled. Sign-out forgets the entry at once.
 */
const CACHE_MS = 5_000;
const cache = new Map<string, { auth: Auth; until: number }>();

/** Resolves a cookie to who is signed in, enforcing the idle and absolute time-outs. */
export async function resolveSession(db: Db, times: SessionTimes, token: string): Promise<Auth | null> {
  const idHash = hashToken(token);
  const key = idHash.toString('base64');
  const hit = cache.get(key);
  if (hit && hit.until > Date.now()) return hit.auth;
  const auth = await loadSession(db, times, idHash);
  if (cache.size > 10_000) cache.clear();
  if (auth) cache.set(key, { auth, until: Date.now() + CACHE_MS });
  else cache.delete(key);
  return auth;
}

async function loadSession(db: Db, times: SessionTimes, idHash: Buffer): Promise<Auth | null> {
  const session = await db.global(async (tx) => {
    const s = await tx.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
    if (!s) return null;
    const now = Date.now();
    const idleLimit = new Date(s.last_seen_at).getTime() + times.idleMinutes * 60_000;
    if (new Date(s.expires_at).getTime() <= now || idleLimit <= now) {
      await tx.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
      return null;
    }
    // Touch at most once a minute: a page load should not be a write each time.
    if (now - new Date(s.last_seen_at).getTime() > 60_000) {
      await tx.updateTable('sessions').set({ last_seen_at: new Date(now) }).where('id_hash', '=', idHash).execute();
    }
    if (s.kind === 'operator') {
      const op = await tx.selectFrom('operators').select(['id', 'email', 'name']).where('id', '=', s.operator_id!).executeTakeFirst();
      return op ? ({ kind: 'operator', sessionHash: idHash, operatorId: op.id, email: op.email, name: op.name } as const) : null;
    }
    return { kind: 'user-pending', tenantId: s.tenant_id!, userId: s.user_id! } as const;
  });
  if (!session || session.kind === 'operator') return session;
  const user = await db.tenant(session.tenantId, async (tx) => {
    const tenant = await tx.selectFrom('tenants').select('status').where('id', '=', session.tenantId).executeTakeFirst();
    if (!tenant || tenant.status !== 'active') return null;
    return tx
      .selectFrom('users')
      .select(['id', 'role', 'email', 'name', 'status'])
      .where('tenant_id', '=', session.tenantId)
      .where('id', '=', session.userId)
      .executeTakeFirst();
  });
  if (!user || user.status !== 'active') return null;
  return { kind: 'user', sessionHash: idHash, tenantId: session.tenantId, userId: user.id, role: user.role, email: user.email, name: user.name };
}

export async function destroySession(tx: Tx, idHash: Buffer): Promise<void> {
  cache.delete(idHash.toString('base64'));
  await tx.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}
