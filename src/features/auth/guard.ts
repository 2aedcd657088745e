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
  /** For support: the grant's scope (what it lets operator staff see). */
  scope?: SupportScope;
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
      { key: 'problems:access.csrf', params: { cookie: CSRF_COOKIE, header: CSRF_HEADER } },
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
  if (permission && !k.scopes.has(permission)) await refuse(ctx, request, tenantAuth, permission);
  return tenantAuth;
}

/**
 * OBLIGATIONS ACC-4: an authorisation overrun is recorded in the customer's log, then refused. The
 * actor and subject are the caller's: the API key, the support grant (its `scope` names what it
 * allows), or the user.
 */
async function refuse(
  ctx: AppContext,
  request: FastifyRequest,
  auth: TenantAuth,
  permission: Permission,
): Promise<never> {
  await ctx.db.tenant(auth.tenantId, (tx) =>
    audit(tx, auth.tenantId, actorOf(request, auth), {
      action: AuditAction.ACCESS_DENIED,
      ...(auth.kind === 'apikey'
        ? { subject: { kind: 'api_key', id: auth.userId } }
        : auth.kind === 'support'
          ? { subject: { kind: 'support_grant', id: auth.grantId! } }
          : {}),
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
    auth.kind === 'apikey'
      ? { key: 'problems:access.keyNoScope', params: { name: auth.name, permission } }
      : auth.kind === 'support'
        ? { key: 'problems:access.supportNotAllowed', params: { scope: auth.scope ?? '' } }
        : { key: 'problems:access.roleNotAllowed', params: { role: auth.role, permission } },
  );
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
    throw new AppError(ErrorCode.UNAUTHENTICATED, { key: 'problems:access.signInFirst' });
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
          scope: auth.scope,
        };

  if (auth.kind === 'user' && auth.ending && !opts.ending) throw endedError();
  if (auth.kind === 'user' && auth.enrolmentOnly && !opts.allowEnrolment) {
    throw new AppError(
      ErrorCode.FORBIDDEN,
      { key: 'problems:access.secondFactorFirst' },
      { extra: { secondFactorEnrolmentRequired: true } },
    );
  }
  if (permission && !tenantAuth.permissions.has(permission)) await refuse(ctx, request, tenantAuth, permission);
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
  if (!auth || auth.kind !== 'operator')
    throw new AppError(ErrorCode.UNAUTHENTICATED, { key: 'problems:access.operatorSignInFirst' });
  checkCsrf(request, auth);
  return auth;
}

/**
 * The caller of a request, resolved once by the access hook (installAccessControl, features/auth/
 * access.ts) from the route's `config.access`, and read by the handler: the permission is stated once,
 * in the route's declaration, and the handler cannot check a different one by mistake.
 */
type Caller =
  { kind: 'tenant'; auth: TenantAuth } | { kind: 'operator'; auth: OperatorAuth } | { kind: 'session'; auth: Auth };

const callers = new WeakMap<FastifyRequest, { ctx: AppContext; caller: Caller }>();

/** For the access hook only: what it resolved for this request. */
export function holdCaller(ctx: AppContext, request: FastifyRequest, caller: Caller): void {
  callers.set(request, { ctx, caller });
}

function held<K extends Caller['kind']>(
  request: FastifyRequest,
  kind: K,
): { ctx: AppContext; caller: Extract<Caller, { kind: K }> } {
  const entry = callers.get(request);
  if (entry?.caller.kind !== kind) {
    // A programming error: the route's access declaration does not give the handler this kind of caller.
    const access = JSON.stringify(request.routeOptions.config?.access ?? null);
    request.log.error({ route: request.routeOptions.url, access, wanted: kind }, 'caller of the wrong kind');
    throw new AppError(ErrorCode.INTERNAL, `The route's access (${access}) does not resolve a ${kind} caller.`);
  }
  return entry as { ctx: AppContext; caller: Extract<Caller, { kind: K }> };
}

/**
 * Who acts inside a customer on this request (a user, a support session or an API key), for a route
 * whose access is `{ permission }`, 'user' or 'enrolment'. The hook has checked the permission already.
 */
export function callerOf(request: FastifyRequest): TenantAuth {
  return held(request, 'tenant').caller.auth;
}

/** The operator staff member of a route whose access is 'operator'. */
export function operatorOf(request: FastifyRequest): OperatorAuth {
  return held(request, 'operator').caller.auth;
}

/** The signed-in session (of any kind) of a route whose access is 'session'. */
export function sessionOf(request: FastifyRequest): Auth {
  return held(request, 'session').caller.auth;
}

/**
 * A permission beyond the route's own, checked on the resolved caller: where a handler needs more for
 * one part of a request (e.g. creating a contact while inviting it). An overrun is audited (ACC-4).
 */
export async function requirePermission(request: FastifyRequest, permission: Permission): Promise<TenantAuth> {
  const { ctx, caller } = held(request, 'tenant');
  if (!caller.auth.permissions.has(permission)) await refuse(ctx, request, caller.auth, permission);
  return caller.auth;
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
