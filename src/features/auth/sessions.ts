import { createHash, createHmac, randomBytes } from 'node:crypto';
import { Db, type Tx } from '../../lib/db/db.js';
import type { Role } from '../../lib/db/schema.js';
import { ENDED, unavailability, unavailableError, type Unavailability } from '../suspension/suspension.js';

export const SESSION_COOKIE = 'peil_session';
export const CSRF_COOKIE = 'peil_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export type SupportScope = 'results' | 'contacts';

export type Auth =
  /**
   * `ending` (OBLIGATIONS END-2): the customer has ended and this is an owner: the session reaches only
   * the end's own routes (the choice and the full export) until the data is deleted.
   */
  | {
      kind: 'user';
      sessionHash: Buffer;
      tenantId: string;
      userId: string;
      role: Role;
      email: string;
      name: string;
      enrolmentOnly: boolean;
      ending?: boolean;
    }
  | { kind: 'operator'; sessionHash: Buffer; operatorId: string; email: string; name: string }
  | {
      kind: 'support';
      sessionHash: Buffer;
      tenantId: string;
      operatorId: string;
      grantId: string;
      scope: SupportScope;
      email: string;
      name: string;
      expiresAt: Date;
    };

export const hashToken = (token: string): Buffer => createHash('sha256').update(token).digest();

/**
 * OBLIGATIONS ACC-5: the CSRF token is bound to the session (a MAC of its id), sent as a readable
 * cookie and expected back in a header on every state-changing request. A page on another site can
 * neither read the cookie nor set the header.
 */
export const csrfTokenFor = (sessionHash: Buffer): string =>
  createHmac('sha256', sessionHash).update('peil-csrf').digest('base64url');

export interface SessionTimes {
  idleMinutes: number;
  absoluteMinutes: number;
}

export type NewSession =
  | { kind: 'user'; tenantId: string; userId: string; enrolmentOnly?: boolean }
  | { kind: 'operator'; operatorId: string }
  | { kind: 'support'; tenantId: string; operatorId: string; grantId: string; expiresAt: Date };

/**
 * A new random session id (a new one at every sign-in: ACC-4 session rotation). Only its hash is
 * stored, so a database leak gives no usable cookie. Call inside the transaction that writes the
 * sign-in's audit row.
 */
export async function createSession(tx: Tx, times: SessionTimes, who: NewSession): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const idHash = hashToken(token);
  const now = Date.now();
  const absolute = new Date(now + times.absoluteMinutes * 60_000);
  // An operator's session has no tenant: policy session_lookup admits the row this transaction names.
  await Db.nameSession(tx, idHash);
  await tx
    .insertInto('sessions')
    .values({
      id_hash: idHash,
      kind: who.kind,
      tenant_id: who.kind === 'operator' ? null : who.tenantId,
      user_id: who.kind === 'user' ? who.userId : null,
      operator_id: who.kind === 'user' ? null : who.operatorId,
      support_grant_id: who.kind === 'support' ? who.grantId : null,
      enrolment_only: who.kind === 'user' && who.enrolmentOnly === true,
      last_seen_at: new Date(now),
      // A support session never outlives its grant.
      expires_at: who.kind === 'support' && who.expiresAt < absolute ? who.expiresAt : absolute,
    })
    .execute();
  return token;
}

/**
 * Resolved sessions are remembered for a few seconds. Besides saving a query per request, this keeps
 * the app answering while a long transaction (a contact import) holds PGlite's single connection:
 * the import's progress can still be polled. Sign-out and revocations forget entries at once.
 *
 * Issue 17: on PostgreSQL there is no such cache. Several Peil processes may serve one address, and a
 * sign-out in one must end the session in all of them at once: each request reads its session (the
 * pool serves other requests meanwhile). PGlite is always one process.
 */
const CACHE_MS = 5_000;
const cache = new Map<string, { auth: Auth; until: number }>();

export function forgetSessions(predicate: (a: Auth) => boolean): void {
  for (const [k, v] of cache) if (predicate(v.auth)) cache.delete(k);
}

/** Resolves a cookie to who is signed in, enforcing the idle and absolute time-outs. */
export async function resolveSession(db: Db, times: SessionTimes, token: string): Promise<Auth | null> {
  const idHash = hashToken(token);
  if (db.kind === 'postgres') return loadSession(db, times, idHash);
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
  // OBLIGATIONS ACC-6: this transaction sees the one session it names, not the table.
  const session = await db.session(idHash, async (tx) => {
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
      await tx
        .updateTable('sessions')
        .set({ last_seen_at: new Date(now) })
        .where('id_hash', '=', idHash)
        .execute();
    }
    const op = s.operator_id
      ? await tx
          .selectFrom('operators')
          .select(['id', 'email', 'name'])
          .where('id', '=', s.operator_id)
          .executeTakeFirst()
      : undefined;
    return { s, op };
  });
  if (!session) return null;
  const { s, op } = session;
  if (s.kind === 'operator')
    return op ? { kind: 'operator', sessionHash: idHash, operatorId: op.id, email: op.email, name: op.name } : null;

  const tenantId = s.tenant_id!;
  const auth = await db.tenant(tenantId, async (tx) => {
    const tenant = await tx.selectFrom('tenants').select('status').where('id', '=', tenantId).executeTakeFirst();
    // OBLIGATIONS AGR-6: a suspended customer's session is refused with its own message (the
    // session row stays: after a resume it works again, within its time-outs). END-2: an ended
    // customer's too, except an owner's, which is restricted to the end's routes (below).
    const unavailable = unavailability(tenant?.status);
    if (!tenant || (tenant.status !== 'active' && !unavailable)) return null;
    if (unavailable && (unavailable !== ENDED || s.kind !== 'user')) return unavailable;
    if (s.kind === 'support') {
      const grant = await tx
        .selectFrom('support_grants')
        .selectAll()
        .where('id', '=', s.support_grant_id!)
        .executeTakeFirst();
      // OBLIGATIONS ACC-3: a revoked or expired grant ends the support session at once.
      if (!grant || grant.revoked_at || new Date(grant.expires_at).getTime() <= Date.now() || !op) return null;
      return {
        kind: 'support',
        sessionHash: idHash,
        tenantId,
        operatorId: op.id,
        grantId: grant.id,
        scope: grant.scope,
        email: op.email,
        name: op.name,
        expiresAt: new Date(grant.expires_at),
      } as const;
    }
    const user = await tx
      .selectFrom('users')
      .select(['id', 'role', 'email', 'name', 'status'])
      .where('id', '=', s.user_id!)
      .executeTakeFirst();
    if (!user || user.status !== 'active') return null;
    if (unavailable === ENDED && user.role !== 'owner') return ENDED;
    return {
      kind: 'user',
      sessionHash: idHash,
      tenantId,
      userId: user.id,
      role: user.role,
      email: user.email,
      name: user.name,
      enrolmentOnly: s.enrolment_only,
      ...(unavailable === ENDED ? { ending: true } : {}),
    } as const;
  });
  if (typeof auth === 'string') throw unavailableError(auth as Unavailability);
  return auth;
}

/**
 * Ends the session a cookie names without resolving it first: the sign-out of a suspended
 * customer's user (AGR-6), whose session no longer resolves but must still be endable.
 */
export async function endSessionOf(db: Db, token: string): Promise<void> {
  const idHash = hashToken(token);
  cache.delete(idHash.toString('base64'));
  await db.session(idHash, (tx) => tx.deleteFrom('sessions').where('id_hash', '=', idHash).execute());
}

export async function destroySession(tx: Tx, idHash: Buffer): Promise<void> {
  cache.delete(idHash.toString('base64'));
  await Db.nameSession(tx, idHash);
  await tx.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}
