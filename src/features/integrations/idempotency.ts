import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import { canonicalJson } from '../../lib/audit-chain.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { authOf } from '../auth/guard.js';
import { bearerOf, keyAuthOf } from '../auth/api-keys.js';

/**
 * OBLIGATIONS SVC-5: `Idempotency-Key` on any POST under /api/v1, for sessions and API keys alike.
 *
 * - The first request with a key claims it (per tenant and principal: a user, a support grant or an
 *   API key), runs, and its status and body are stored, sealed with the tenant key (bodies may hold
 *   personal data).
 * - A retry with the same key and the same request gets the stored answer (status, body, media type
 *   and Location), with `Idempotent-Replayed: true`; the handler does not run again.
 * - The same key with another request (method, path, body) is 422; a retry while the first still
 *   runs is 409. A 5xx answer is not kept, so the client can retry it.
 * - Keys expire after 24 hours; the integrations sweep prunes them. A claim whose request never
 *   finished (a crash) can be taken again after 10 minutes.
 *
 * It runs as a preHandler, after access control and validation: a refused or invalid request does
 * not use up the key. Requests without a tenant (sign-in, set-up, operator routes) ignore the header.
 */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotent-replayed';

interface Claim {
  tenantId: string;
  principal: string;
  key: string;
}
const claims = new WeakMap<FastifyRequest, Claim>();

function requestHash(request: FastifyRequest): Buffer {
  const body =
    request.body === undefined ? `length:${request.headers['content-length'] ?? ''}` : canonicalJson(request.body);
  return createHash('sha256')
    .update(`${request.method} ${request.url}\n${request.headers['content-type'] ?? ''}\n${body}`)
    .digest();
}

async function principalOf(
  ctx: AppContext,
  request: FastifyRequest,
): Promise<{ tenantId: string; principal: string } | null> {
  const bearer = bearerOf(request);
  if (bearer !== undefined) {
    const k = await keyAuthOf(ctx, request, bearer);
    return { tenantId: k.tenantId, principal: `apikey:${k.keyId}` };
  }
  const a = await authOf(ctx, request);
  if (!a || a.kind === 'operator') return null;
  return a.kind === 'user'
    ? { tenantId: a.tenantId, principal: `user:${a.userId}` }
    : { tenantId: a.tenantId, principal: `support:${a.grantId}` };
}

export function installIdempotency(app: FastifyInstance, ctx: AppContext): void {
  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST' || !request.url.startsWith('/api/v1/')) return;
    const raw = request.headers[IDEMPOTENCY_HEADER];
    if (raw === undefined) return;
    const access = request.routeOptions.config?.access;
    if (access === 'public' || access === 'respondent' || access === 'operator') return;
    const key = Array.isArray(raw) ? (raw[0] ?? '') : raw;
    if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
      throw new AppError(
        ErrorCode.BAD_REQUEST,
        { key: 'problems:integrations.idempotencyKeyInvalid' },
        { errors: [{ pointer: '/headers/idempotency-key', reason: 'invalid' }] },
      );
    }
    const who = await principalOf(ctx, request);
    if (!who) return;
    const hash = requestHash(request);
    const keys = await ctx.keyring.forTenant(who.tenantId);
    const outcome = await ctx.db.tenant(who.tenantId, async (tx) => {
      const claimed = await sql<{ key: string }>`
        INSERT INTO idempotency_keys (tenant_id, principal, key, request_hash) VALUES (${who.tenantId}, ${who.principal}, ${key}, ${hash})
        ON CONFLICT (tenant_id, principal, key) DO UPDATE
           SET request_hash = EXCLUDED.request_hash, state = 'running', status_code = NULL, response_enc = NULL, created_at = now(), expires_at = now() + interval '24 hours'
         WHERE idempotency_keys.expires_at < now() OR (idempotency_keys.state = 'running' AND idempotency_keys.created_at < now() - interval '10 minutes')
        RETURNING key`.execute(tx);
      if (claimed.rows.length) return { kind: 'claimed' as const };
      const row = await tx
        .selectFrom('idempotency_keys')
        .selectAll()
        .where('principal', '=', who.principal)
        .where('key', '=', key)
        .executeTakeFirstOrThrow();
      return { kind: 'existing' as const, row };
    });
    if (outcome.kind === 'claimed') {
      claims.set(request, { ...who, key });
      return;
    }
    const { row } = outcome;
    if (!Buffer.from(row.request_hash).equals(hash)) {
      throw new AppError(
        ErrorCode.VALIDATION,
        { key: 'problems:integrations.idempotencyKeyReused' },
        { errors: [{ pointer: '/headers/idempotency-key', reason: 'reused with a different request' }] },
      );
    }
    if (row.state === 'running' || !row.response_enc) {
      throw new AppError(ErrorCode.CONFLICT, { key: 'problems:integrations.idempotencyKeyBusy' });
    }
    const stored = keys.openJson<{ body: string; contentType: string | null; location?: string }>(row.response_enc);
    reply.code(row.status_code ?? 200).header(REPLAYED_HEADER, 'true');
    if (stored.contentType) reply.header('content-type', stored.contentType);
    if (stored.location) reply.header('location', stored.location);
    return reply.send(stored.body);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = claims.get(request);
    if (!claim) return payload;
    claims.delete(request);
    const storable =
      typeof payload === 'string' || Buffer.isBuffer(payload) || payload === null || payload === undefined;
    try {
      if (reply.statusCode >= 500 || !storable) {
        await ctx.db.tenant(claim.tenantId, (tx) =>
          tx
            .deleteFrom('idempotency_keys')
            .where('principal', '=', claim.principal)
            .where('key', '=', claim.key)
            .execute(),
        );
      } else {
        const keys = await ctx.keyring.forTenant(claim.tenantId);
        const ct = reply.getHeader('content-type');
        const location = reply.getHeader('location');
        const body = payload === null || payload === undefined ? '' : payload.toString();
        const sealed = keys.sealJson({
          body,
          contentType: typeof ct === 'string' ? ct : null,
          ...(typeof location === 'string' ? { location } : {}),
        });
        await ctx.db.tenant(claim.tenantId, (tx) =>
          tx
            .updateTable('idempotency_keys')
            .set({ state: 'done', status_code: reply.statusCode, response_enc: sealed })
            .where('principal', '=', claim.principal)
            .where('key', '=', claim.key)
            .execute(),
        );
      }
    } catch (err) {
      request.log.error({ err }, 'could not store the idempotent answer');
    }
    return payload;
  });
}

/** Removes expired idempotency keys of every customer (policy integrations_prune). */
export async function pruneIdempotencyKeys(ctx: AppContext): Promise<number> {
  const r = await ctx.db.crossTenant('integrations', (tx) =>
    tx.deleteFrom('idempotency_keys').where('expires_at', '<', new Date()).executeTakeFirst(),
  );
  return Number(r.numDeletedRows);
}
