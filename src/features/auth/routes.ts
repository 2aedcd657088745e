import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { audit, AuditAction, auditSystem } from '../../lib/audit.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { actorOf, authOf, clearSessionCookie, setSessionCookie } from './guard.js';
import { dummyVerify, verifyPassword } from './passwords.js';
import { createSession, destroySession } from './sessions.js';
import { acceptInvite } from './invites.js';
import { rolePermissions } from '../../lib/permissions.js';

const credentials = z.object({
  email: z.email().max(254),
  password: z.string().min(1).max(256),
  tenant: z.string().max(63).optional().describe('Short name of the customer, when the email belongs to several'),
});

const me = z.object({
  kind: z.enum(['user', 'operator']),
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.string().optional(),
  tenant: z.object({ id: z.string(), slug: z.string(), name: z.string() }).optional(),
  permissions: z.array(z.string()).optional(),
});

const invalid = () => new AppError(ErrorCode.UNAUTHENTICATED, 'Email or password is not correct.');

export function authRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const times = { idleMinutes: ctx.env.SESSION_IDLE_MINUTES, absoluteMinutes: ctx.env.SESSION_ABSOLUTE_MINUTES };

  return async (app) => {
    app.post('/api/v1/auth/sign-in', {
      schema: { tags: ['auth'], summary: 'Sign in as a user of a customer; sets the session cookie', body: credentials, response: { 200: z.object({ ok: z.literal(true) }) } },
    }, async (request, reply) => {
      const { email, password, tenant } = request.body;
      const actor = actorOf(request, null);
      const candidates = await ctx.db.loginLookup(email, (tx) =>
        tx
          .selectFrom('users')
          .innerJoin('tenants', 'tenants.id', 'users.tenant_id')
          .select(['users.tenant_id', 'users.id', 'users.password_hash', 'users.status', 'tenants.slug', 'tenants.name as tenant_name', 'tenants.status as tenant_status'])
          .where('users.email', '=', email.toLowerCase())
          .execute(),
      );
      const eligible = candidates.filter((c) => c.status === 'active' && c.tenant_status === 'active' && c.password_hash && (!tenant || c.slug === tenant));
      const matches = [];
      for (const c of eligible) if (await verifyPassword(c.password_hash!, password)) matches.push(c);
      if (eligible.length === 0) await dummyVerify(password);

      if (matches.length === 0) {
        // OBLIGATIONS LOG-1 / ACC-4: failed sign-ins are recorded, in the customer's log when the account exists.
        for (const c of candidates) {
          await ctx.db.tenant(c.tenant_id, (tx) => audit(tx, c.tenant_id, { ...actor, kind: 'anonymous' }, { action: AuditAction.SIGN_IN_FAILED, subject: { kind: 'user', id: c.id } }));
        }
        if (candidates.length === 0) await ctx.db.global((tx) => auditSystem(tx, actor, AuditAction.SIGN_IN_FAILED, { reason: 'unknown account' }));
        throw invalid();
      }
      if (matches.length > 1) {
        throw new AppError(ErrorCode.CONFLICT, 'This email belongs to several customers; choose one.', {
          extra: { tenants: matches.map((m) => ({ slug: m.slug, name: m.tenant_name })) },
        });
      }
      const user = matches[0]!;
      // OBLIGATIONS LOG-1: the session and its audit row are one transaction.
      const token = await ctx.db.tenant(user.tenant_id, async (tx) => {
        const t = await createSession(tx, times, { kind: 'user', tenantId: user.tenant_id, userId: user.id });
        await audit(tx, user.tenant_id, { ...actor, kind: 'user', id: user.id }, { action: AuditAction.SIGN_IN, subject: { kind: 'user', id: user.id } });
        return t;
      });
      setSessionCookie(ctx, reply, token);
      return { ok: true as const };
    });

    app.post('/api/v1/operator/sign-in', {
      schema: { tags: ['operator'], summary: 'Sign in as operator staff', body: credentials.omit({ tenant: true }), response: { 200: z.object({ ok: z.literal(true) }) } },
    }, async (request, reply) => {
      const { email, password } = request.body;
      const actor = actorOf(request, null);
      const op = await ctx.db.global((tx) => tx.selectFrom('operators').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst());
      const ok = op ? await verifyPassword(op.password_hash, password) : await dummyVerify(password);
      if (!op || !ok) {
        await ctx.db.global((tx) => auditSystem(tx, { ...actor, id: op?.id ?? null }, 'operator.sign_in_failed', { email: email.toLowerCase() }));
        throw invalid();
      }
      const token = await ctx.db.global(async (tx) => {
        const t = await createSession(tx, times, { kind: 'operator', operatorId: op.id });
        await auditSystem(tx, { ...actor, kind: 'operator', id: op.id }, 'operator.sign_in');
        return t;
      });
      setSessionCookie(ctx, reply, token);
      return { ok: true as const };
    });

    app.post('/api/v1/auth/sign-out', {
      schema: { tags: ['auth'], summary: 'End the session', response: { 204: z.null() } },
    }, async (request, reply) => {
      const auth = await authOf(ctx, request);
      if (auth?.kind === 'user') {
        await ctx.db.tenant(auth.tenantId, async (tx) => {
          await destroySession(tx, auth.sessionHash);
          await audit(tx, auth.tenantId, actorOf(request, auth), { action: AuditAction.SIGN_OUT, subject: { kind: 'user', id: auth.userId } });
        });
      } else if (auth) {
        await ctx.db.global((tx) => destroySession(tx, auth.sessionHash));
      }
      clearSessionCookie(reply);
      return reply.code(204).send(null);
    });

    app.get('/api/v1/auth/me', {
      schema: { tags: ['auth'], summary: 'Who is signed in', response: { 200: me } },
    }, async (request) => {
      const auth = await authOf(ctx, request);
      if (!auth) throw new AppError(ErrorCode.UNAUTHENTICATED, 'Not signed in.');
      if (auth.kind === 'operator') return { kind: 'operator' as const, id: auth.operatorId, email: auth.email, name: auth.name };
      const tenant = await ctx.db.tenant(auth.tenantId, (tx) => tx.selectFrom('tenants').select(['id', 'slug', 'name']).where('id', '=', auth.tenantId).executeTakeFirstOrThrow());
      return { kind: 'user' as const, id: auth.userId, email: auth.email, name: auth.name, role: auth.role, tenant, permissions: [...rolePermissions[auth.role]] };
    });

    app.post('/api/v1/auth/accept-invite', {
      schema: {
        tags: ['auth'],
        summary: 'A colleague accepts an invitation: sets a password and is signed in',
        body: z.object({ token: z.string().min(10).max(200), password: z.string().min(1).max(256), name: z.string().trim().min(1).max(200).optional() }),
        response: { 200: z.object({ ok: z.literal(true) }) },
      },
    }, async (request, reply) => {
      const token = await acceptInvite(ctx, request.body, actorOf(request, null), (tx, tenantId, userId) => createSession(tx, times, { kind: 'user', tenantId, userId }));
      setSessionCookie(ctx, reply, token);
      return { ok: true as const };
    });
  };
}
