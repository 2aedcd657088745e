import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import type { Actor } from '../../lib/audit.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { can, type Permission } from '../../lib/permissions.js';
import { resolveSession, SESSION_COOKIE, type Auth } from './sessions.js';

export type UserAuth = Extract<Auth, { kind: 'user' }>;
export type OperatorAuth = Extract<Auth, { kind: 'operator' }>;

const resolved = new WeakMap<FastifyRequest, Promise<Auth | null>>();

/** Who is signed in on this request (resolved once, lazily: respondent pages never pay for it). */
export function authOf(ctx: AppContext, request: FastifyRequest): Promise<Auth | null> {
  let p = resolved.get(request);
  if (!p) {
    const token = request.cookies[SESSION_COOKIE];
    p = token
      ? resolveSession(ctx.db, { idleMinutes: ctx.env.SESSION_IDLE_MINUTES, absoluteMinutes: ctx.env.SESSION_ABSOLUTE_MINUTES }, token)
      : Promise.resolve(null);
    resolved.set(request, p);
  }
  return p;
}

export async function requireUser(ctx: AppContext, request: FastifyRequest, permission?: Permission): Promise<UserAuth> {
  const auth = await authOf(ctx, request);
  if (!auth || auth.kind !== 'user') throw new AppError(ErrorCode.UNAUTHENTICATED, 'Sign in first; your session may have expired.');
  if (permission && !can(auth.role, permission)) {
    throw new AppError(ErrorCode.FORBIDDEN, `Your role (${auth.role}) does not allow this (${permission}).`);
  }
  return auth;
}

export async function requireOperator(ctx: AppContext, request: FastifyRequest): Promise<OperatorAuth> {
  const auth = await authOf(ctx, request);
  if (!auth || auth.kind !== 'operator') throw new AppError(ErrorCode.UNAUTHENTICATED, 'Sign in as operator first.');
  return auth;
}

export function actorOf(request: FastifyRequest, auth: Auth | null): Actor {
  if (!auth) return { kind: 'anonymous', id: null, ip: request.ip, requestId: request.id };
  return { kind: auth.kind, id: auth.kind === 'user' ? auth.userId : auth.operatorId, ip: request.ip, requestId: request.id };
}

export function setSessionCookie(ctx: AppContext, reply: FastifyReply, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.env.PEIL_ENV === 'production' || ctx.env.baseUrl.startsWith('https:'),
    path: '/',
    maxAge: ctx.env.SESSION_ABSOLUTE_MINUTES * 60,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}
