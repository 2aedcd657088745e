import type { FastifyReply, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../../context.js';
import { audit, AuditAction, type Actor } from '../../lib/audit.js';
import type { Role } from '../../lib/db/schema.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { Permission, rolePermissions } from '../../lib/permissions.js';
import {
  CSRF_COOKIE,
  CSRF_HEADER,
  csrfTokenFor,
  resolveSession,
  SESSION_COOKIE,
  type Auth,
  type SupportScope,
} from './sessions.js';
import { bearerOf, keyAuthOf, type KeyAuth } from './api-keys.js';
import { endedError } from '../suspension/suspension.js';

/** Someone acting inside one customer: a user, or operator staff under a support grant. */
export interface TenantAuth {
  /** 'apikey' (OBLIGATIONS SVC-5): userId is the key's id, permissions are its scopes, role is 'viewer'. */
  kind: 'user' | 'support' | 'apikey';
  sessionHash: Buffer;
  tenantId: string;
  /** The user's id; for support, the operator's id (for audit rows). */
  userId: string;
  role: Role;
  email: string;
  name: string;
  permissions: ReadonlySet<Permission>;
  grantId?: string;
}
export type OperatorAuth = Extract<Auth, { kind: 'operator' }>;

/**
 * OBLIGATIONS ACC-3: what a support grant lets operator staff see. Reading only; contact details
 * only when the customer chose that scope.
 */
export const supportPermissions: Record<SupportScope, ReadonlySet<Permission>> = {
  results: new Set([Permission.SURVEYS_READ, Permission.RESULTS_READ]),
  contacts: new Set([Permission.SURVEYS_READ, Permission.RESULTS_READ, Permission.CONTACTS_READ]),
};

const resolved = new WeakMap<FastifyRequest, Promise<Auth | null>>();

/** Who is signed in on this request (resolved once, lazily: respondent pages never pay for it). */
export function authOf(ctx: AppContext, request: FastifyRequest): Promise<Auth | null> {
  let p = resolved.get(request);
  if (!p) {
    const token = request.cookies[SESSION_COOKIE];
    p = token
      ? resolveSession(
          ctx.db,
          { idleMinutes: ctx.env.SESSION_IDLE_MINUTES, absoluteMinutes: ctx.env.SESSION_ABSOLUTE_MINUTES },
          token,
        )
      : Promise.resolve(null);
    resolved.set(request, p);
  }
  return p;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** OBLIGATIONS ACC-5: a state-changing request made with the session cookie must carry the CSRF token. */
export function checkCsrf(request: FastifyRequest, auth: Pick<Auth, 'sessionHash'>): void {
  if (SAFE.has(request.method)) return;
  const sent = request.headers[CSRF_HEADER];
  const expected = Buffer.from(csrfTokenFor(auth.sessionHash));
  const given = Buffer.from(typeof sent === 'string' ? sent : '');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new AppError(
      ErrorCode.FORBIDDEN,
      `Missing or wrong CSRF token: send the value of the ${CSRF_COOKIE} cookie in the ${CSRF_HEADER} header.`,
      { extra: { csrf: true } },
    );
  }
}

const supportLogged = new WeakSet<FastifyRequest>();

/**
 * OBLIGATIONS SVC-5: a request with `Authorization: Bearer <key>` acts as that API key, with the
 * key's scopes as its permissions. No CSRF check: no cookie is involved. A request that carries a
 * session cookie as well is refused (see installAccessControl), so it is never both.
 */
async function requireKey(
  ctx: AppContext,
  request: FastifyRequest,
  key: string,
  permission?: Permission,
): Promise<TenantAuth> {
  const k = await keyAuthOf(ctx, request, key);
  const tenantAuth: TenantAuth = {
    kind: 'apikey',
    sessionHash: k.keyHash,
    tenantId: k.tenantId,
    userId: k.keyId,
    role: 'viewer',
    email: '',
    name: k.name,
    permissions: k.scopes,
  };
  if (permission && !k.scopes.has(permission)) {
    await ctx.db.tenant(k.tenantId, (tx) =>
      audit(tx, k.tenantId, actorOf(request, k), {
        action: AuditAction.ACCESS_DENIED,
        subject: { kind: 'api_key', id: k.keyId },
        details: {
          permission,
          method: request.method,
          route: request.routeOptions.url ?? '',
          path: request.url.split('?')[0],
        },
      }),
    );
    throw new AppError(ErrorCode.FORBIDDEN, `The API key "${k.name}" does not have the scope ${permission}.`);
  }
  return tenantAuth;
}

/**
 * `ending` (OBLIGATIONS END-2): the route is one of the end's own (the choice, the full export), which
 * an owner of an ended customer still reaches until the data is deleted; every other route refuses
 * that session with the end's message.
 */
export async function requireUser(
  ctx: AppContext,
  request: FastifyRequest,
  permission?: Permission,
  opts: { allowEnrolment?: boolean; ending?: boolean } = {},
): Promise<TenantAuth> {
  const bearer = bearerOf(request);
  if (bearer !== undefined) return requireKey(ctx, request, bearer, permission);
  const auth = await authOf(ctx, request);
  if (!auth || auth.kind === 'operator')
    throw new AppError(ErrorCode.UNAUTHENTICATED, 'Sign in first; your session may have expired.');
  checkCsrf(request, auth);
  const tenantAuth: TenantAuth =
    auth.kind === 'user'
      ? {
          kind: 'user',
          sessionHash: auth.sessionHash,
          tenantId: auth.tenantId,
          userId: auth.userId,
          role: auth.role,
          email: auth.email,
          name: auth.name,
          permissions: rolePermissions[auth.role],
        }
      : {
          kind: 'support',
          sessionHash: auth.sessionHash,
          tenantId: auth.tenantId,
          userId: auth.operatorId,
          role: 'viewer',
          email: auth.email,
          name: auth.name,
          permissions: supportPermissions[auth.scope],
          grantId: auth.grantId,
        };

  if (auth.kind === 'user' && auth.ending && !opts.ending) throw endedError();
  if (auth.kind === 'user' && auth.enrolmentOnly && !opts.allowEnrolment) {
    throw new AppError(
      ErrorCode.FORBIDDEN,
      'Your organisation requires a second factor: set up an authenticator app first.',
      { extra: { secondFactorEnrolmentRequired: true } },
    );
  }
  if (permission && !tenantAuth.permissions.has(permission)) {
    // OBLIGATIONS ACC-4: an authorisation overrun is recorded in the customer's log.
    await ctx.db.tenant(tenantAuth.tenantId, (tx) =>
      audit(tx, tenantAuth.tenantId, actorOf(request, auth), {
        action: AuditAction.ACCESS_DENIED,
        ...(auth.kind === 'support' ? { subject: { kind: 'support_grant', id: auth.grantId } } : {}),
        details: {
          permission,
          method: request.method,
          route: request.routeOptions.url ?? '',
          path: request.url.split('?')[0],
        },
      }),
    );
    throw new AppError(
      ErrorCode.FORBIDDEN,
      auth.kind === 'support'
        ? `The support grant (scope ${auth.scope}) does not allow this.`
        : `Your role (${tenantAuth.role}) does not allow this (${permission}).`,
    );
  }
  if (auth.kind === 'support' && !supportLogged.has(request)) {
    supportLogged.add(request);
    // OBLIGATIONS ACC-3: every use of support access is recorded (once per request) and shown to the customer.
    await ctx.db.tenant(auth.tenantId, (tx) =>
      audit(tx, auth.tenantId, actorOf(request, auth), {
        action: AuditAction.SUPPORT_ACCESS,
        subject: { kind: 'support_grant', id: auth.grantId },
        details: { method: request.method, route: request.routeOptions.url ?? '', path: request.url.split('?')[0] },
      }),
    );
  }
  return tenantAuth;
}

export async function requireOperator(ctx: AppContext, request: FastifyRequest): Promise<OperatorAuth> {
  const auth = await authOf(ctx, request);
  if (!auth || auth.kind !== 'operator') throw new AppError(ErrorCode.UNAUTHENTICATED, 'Sign in as operator first.');
  checkCsrf(request, auth);
  return auth;
}

export function actorOf(request: FastifyRequest, auth: Auth | TenantAuth | KeyAuth | null): Actor {
  const base = { ip: request.ip, requestId: request.id };
  if (!auth) return { kind: 'anonymous', id: null, ...base };
  if (auth.kind === 'apikey') return { kind: 'apikey', id: 'keyId' in auth ? auth.keyId : auth.userId, ...base };
  if (auth.kind === 'operator') return { kind: 'operator', id: auth.operatorId, ...base };
  if (auth.kind === 'support')
    return { kind: 'operator', id: 'operatorId' in auth ? auth.operatorId : auth.userId, ...base };
  return { kind: 'user', id: auth.userId, ...base };
}

export function setSessionCookie(ctx: AppContext, reply: FastifyReply, token: string, sessionHash: Buffer): void {
  const secure = ctx.env.PEIL_ENV === 'production' || ctx.env.baseUrl.startsWith('https:');
  const maxAge = ctx.env.SESSION_ABSOLUTE_MINUTES * 60;
  reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge });
  // Readable by the admin app's script, so it can echo it in the CSRF header.
  reply.setCookie(CSRF_COOKIE, csrfTokenFor(sessionHash), {
    httpOnly: false,
    sameSite: 'strict',
    secure,
    path: '/',
    maxAge,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  reply.clearCookie(CSRF_COOKIE, { path: '/' });
}
