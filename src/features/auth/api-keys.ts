import type { FastifyRequest } from 'fastify';
import { createHash, randomBytes } from 'node:crypto';
import type { AppContext } from '../../context.js';
import { isUuid } from '../../lib/db/db.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { RateWindow } from '../../lib/http/rate-window.js';
import { apiKeyScopes, type Permission } from '../../lib/permissions.js';
import { bytesToUuid, uuidToBytes } from '../../lib/tokens.js';
import { unavailability, unavailableError, type Unavailability } from '../suspension/suspension.js';
import { assertFeature } from '../plans/limits.js';

/**
 * OBLIGATIONS SVC-5: API keys. A key is `peil_` + 8 visible characters + the tenant id and 24
 * random bytes (base64url), 67 characters in all. It carries its tenant, so the look-up runs inside
 * that tenant's row-level security like every other tenant read; only the SHA-256 of the whole key
 * is stored (a key has 240 random bits, so a slow hash would add nothing). The visible part
 * (`peil_` + 8) is kept in clear so people can tell their keys apart.
 */
export const KEY_PREFIX = 'peil_';
const KEY_PATTERN = /^peil_([A-Za-z0-9_-]{8})([A-Za-z0-9_-]{54})$/;

export interface NewKey {
  key: string;
  prefix: string;
  hash: Buffer;
}

export function newApiKey(tenantId: string): NewKey {
  const visible = randomBytes(6).toString('base64url');
  const body = Buffer.concat([uuidToBytes(tenantId), randomBytes(24)]).toString('base64url');
  const key = `${KEY_PREFIX}${visible}${body}`;
  return { key, prefix: `${KEY_PREFIX}${visible}`, hash: hashKey(key) };
}

export const hashKey = (key: string): Buffer => createHash('sha256').update(key).digest();

/** The tenant a key names, or null for anything that is not shaped like one of our keys. */
export function tenantOfKey(key: string): string | null {
  const m = KEY_PATTERN.exec(key);
  if (!m) return null;
  const id = bytesToUuid(Buffer.from(m[2]!, 'base64url').subarray(0, 16));
  return isUuid(id) ? id : null;
}

export interface KeyAuth {
  kind: 'apikey';
  keyId: string;
  keyHash: Buffer;
  tenantId: string;
  name: string;
  scopes: ReadonlySet<Permission>;
}

/**
 * The bearer token of a request with an `Authorization: Bearer …` header ('' when it is malformed,
 * which is then refused as an unknown key). Other schemes (Basic from a proxy in front) are ignored.
 */
export function bearerOf(request: FastifyRequest): string | undefined {
  const h = request.headers.authorization;
  if (typeof h !== 'string' || !/^Bearer(\s|$)/i.test(h)) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? m[1]! : '';
}

// Resolved keys are remembered for a few seconds (as sessions are); revoking forgets them at once.
// Issue 17: on PGlite only. On PostgreSQL, where several processes may serve one address, each request
// reads its key, so that a revocation in one process refuses the key in every process at once.
const CACHE_MS = 5_000;
const cache = new Map<string, { auth: KeyAuth; until: number }>();
const resolved = new WeakMap<FastifyRequest, Promise<KeyAuth>>();
const limits = new WeakMap<AppContext, RateWindow>();

export function forgetKey(keyId: string): void {
  for (const [k, v] of cache) if (v.auth.keyId === keyId) cache.delete(k);
}

/** OBLIGATIONS AGR-6: a suspension or resume forgets the customer's resolved keys in this process. */
export function forgetTenantKeys(tenantId: string): void {
  for (const [k, v] of cache) if (v.auth.tenantId === tenantId) cache.delete(k);
}

/**
 * Resolves the request's bearer key (once per request). Unknown, revoked and expired keys are all
 * 401 with the same text. Each key is rate-limited (API_KEY_RATE_PER_MINUTE), and its last use is
 * written at most once a minute, not on every request.
 */
export function keyAuthOf(ctx: AppContext, request: FastifyRequest, key: string): Promise<KeyAuth> {
  let p = resolved.get(request);
  if (!p) {
    p = resolveKey(ctx, request, key);
    resolved.set(request, p);
  }
  return p;
}

async function resolveKey(ctx: AppContext, request: FastifyRequest, key: string): Promise<KeyAuth> {
  const refused = () => new AppError(ErrorCode.UNAUTHENTICATED, { key: 'problems:auth.apiKeyRefused' });
  const tenantId = tenantOfKey(key);
  if (!tenantId) throw refused();
  const hash = hashKey(key);
  const cacheKey = hash.toString('base64');
  const hit = ctx.db.kind === 'postgres' ? undefined : cache.get(cacheKey);
  let auth = hit && hit.until > Date.now() ? hit.auth : undefined;
  if (!auth) {
    const found = await ctx.db.tenant(tenantId, async (tx) => {
      const tenant = await tx.selectFrom('tenants').select('status').where('id', '=', tenantId).executeTakeFirst();
      const unavailable = unavailability(tenant?.status);
      if (!tenant || (tenant.status !== 'active' && !unavailable)) return undefined;
      const row = await tx
        .selectFrom('api_keys')
        .select(['id', 'name', 'scopes', 'expires_at', 'revoked_at', 'last_used_at'])
        .where('secret_hash', '=', hash)
        .executeTakeFirst();
      if (!row || row.revoked_at || (row.expires_at && new Date(row.expires_at).getTime() <= Date.now()))
        return undefined;
      // OBLIGATIONS AGR-6: a valid key of a suspended customer is refused with the suspension's
      // message (only a valid key learns it), and its last use is not written. END-2: an ended
      // customer's keys are deleted at the end; one that is still found is refused the same way.
      if (unavailable) return unavailable;
      // OBLIGATIONS SVC-6: API access is part of the plan (a plan without it refuses every key: 409).
      await assertFeature(tx, tenantId, 'api');
      if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > 60_000) {
        await tx
          .updateTable('api_keys')
          .set({ last_used_at: new Date(), last_used_ip: request.ip })
          .where('id', '=', row.id)
          .execute();
      }
      // Only scopes a key may hold count, whatever the row says.
      const scopes = new Set<Permission>(
        row.scopes.filter((s): s is Permission => (apiKeyScopes as readonly string[]).includes(s)),
      );
      return { kind: 'apikey', keyId: row.id, keyHash: hash, tenantId, name: row.name, scopes } as KeyAuth;
    });
    if (typeof found === 'string') throw unavailableError(found as Unavailability);
    auth = found;
    if (!auth) {
      cache.delete(cacheKey);
      throw refused();
    }
    if (cache.size > 10_000) cache.clear();
    if (ctx.db.kind !== 'postgres') cache.set(cacheKey, { auth, until: Date.now() + CACHE_MS });
  }
  let window = limits.get(ctx);
  if (!window) {
    window = new RateWindow(ctx.env.API_KEY_RATE_PER_MINUTE, 60_000, { db: ctx.db, name: 'api key' });
    limits.set(ctx, window);
  }
  const tooMany = await window.check(
    auth.keyId,
    (wait) => `Too many requests with this API key; try again in ${wait} s.`,
  );
  if (tooMany) throw tooMany;
  return auth;
}
