import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { apiKeyScopes, type Permission } from '../../lib/permissions.js';
import { authOf, holdCaller, requireOperator, requireUser } from './guard.js';
import { SESSION_COOKIE } from './sessions.js';
import { bearerOf } from './api-keys.js';

/**
 * OBLIGATIONS ACC-2: every route declares who may call it, in its `config.access`, and one hook
 * enforces it before the body is validated or the handler runs. A route without a declaration is
 * refused (and the role × route test fails), so a new route cannot be open by omission.
 *
 * - public: anyone (sign-in, set-up, health);
 * - respondent: the link's token is the credential (checked by the handler);
 * - session: any signed-in session (who am I, sign-out);
 * - enrolment: a user, also one whose only allowed step is setting up a second factor;
 * - user: a signed-in user of a customer, any role;
 * - operator: operator staff;
 * - { permission }: a user (or support session) whose role has this permission; `ending: true`
 *   (OBLIGATIONS END-2): also an owner of an ended customer, whose session reaches only such routes.
 */
export type Access =
  'public' | 'respondent' | 'session' | 'enrolment' | 'user' | 'operator' | { permission: Permission; ending?: true };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}

/**
 * The `WWW-Authenticate` challenge of a 401 (RFC 9110 §11.6.1): `Bearer` (RFC 6750) where an API key
 * may call the route, with `error="invalid_token"` when a key was sent and refused; and the session
 * cookie as the `Cookie` scheme of draft-broyer-http-cookie-auth (where to sign in, which cookie).
 */
export function authChallenge(request: FastifyRequest): string {
  const access = request.routeOptions.config?.access;
  const sentKey = bearerOf(request) !== undefined;
  const keyRoute = typeof access === 'object' && (apiKeyScopes as readonly string[]).includes(access.permission);
  const bearer = sentKey
    ? 'Bearer realm="peil", error="invalid_token", error_description="The API key is unknown, revoked or expired"'
    : 'Bearer realm="peil"';
  const signIn = access === 'operator' ? '/api/v1/operator/sign-in' : '/api/v1/auth/sign-in';
  const cookie = `Cookie realm="peil", form-action="${signIn}", cookie-name="${SESSION_COOKIE}"`;
  if (sentKey) return keyRoute ? `${bearer}, ${cookie}` : bearer;
  return keyRoute ? `${bearer}, ${cookie}` : cookie;
}

export function installAccessControl(app: FastifyInstance, ctx: AppContext): void {
  app.addHook('preValidation', async (request) => {
    const access = request.routeOptions.config?.access;
    const route = request.routeOptions.url;
    if (!route) return; // not found: the 404 handler answers
    // Files of the admin app are registered by @fastify/static, without our config: they are public.
    if (access === undefined && !route.startsWith('/api/') && !route.startsWith('/s/')) return;
    if (access === undefined) {
      request.log.error({ route: request.routeOptions.url }, 'route without an access declaration');
      throw new AppError(ErrorCode.FORBIDDEN, { key: 'problems:access.noAccessRule' });
    }
    if (access === 'public' || access === 'respondent') return;
    // OBLIGATIONS SVC-5: an API key or a session, never both at once (which one would act?).
    if (bearerOf(request) !== undefined && request.cookies[SESSION_COOKIE]) {
      throw new AppError(ErrorCode.BAD_REQUEST, { key: 'problems:access.keyOrSession' });
    }
    // The caller is resolved here, once, and handed to the handler (callerOf, operatorOf, sessionOf in
    // guard.ts): the route's declaration is the only statement of who may call it.
    if (access === 'session') {
      const auth = await authOf(ctx, request);
      if (!auth) throw new AppError(ErrorCode.UNAUTHENTICATED, { key: 'problems:access.notSignedIn' });
      holdCaller(ctx, request, { kind: 'session', auth });
      return;
    }
    if (access === 'operator') {
      holdCaller(ctx, request, { kind: 'operator', auth: await requireOperator(ctx, request) });
      return;
    }
    if (access === 'enrolment' || access === 'user') {
      const auth = await requireUser(ctx, request, undefined, { allowEnrolment: access === 'enrolment' });
      // A user's own settings (password, second factor) are not for support sessions.
      if (auth.kind !== 'user') throw new AppError(ErrorCode.FORBIDDEN, { key: 'problems:access.selfOnly' });
      holdCaller(ctx, request, { kind: 'tenant', auth });
      return;
    }
    const auth = await requireUser(ctx, request, access.permission, { ending: access.ending === true });
    holdCaller(ctx, request, { kind: 'tenant', auth });
  });
}
