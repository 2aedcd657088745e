import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { audit, AuditAction } from '../../lib/audit.js';
import { isUuid } from '../../lib/db/db.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { translator } from '../../lib/i18n.js';
import { mayAssign, Permission } from '../../lib/permissions.js';
import { actorOf, callerOf } from '../auth/guard.js';
import { createInvite, INVITE_DAYS, reissueInvite } from '../auth/invites.js';
import { forgetSessions } from '../auth/sessions.js';
import { count, countWithin } from '../plans/limits.js';

const role = z.enum(['owner', 'admin', 'analyst', 'viewer']);
const user = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role,
  status: z.string(),
  createdAt: z.string(),
  lockedUntil: z.string().nullable(),
  secondFactor: z.boolean(),
});

/** The invitation mail, Dutch with English below it (the invitee's language is not known yet): `mails:userInvite.*`. */
function inviteMail(baseUrl: string, tenantName: string, inviter: string, token: string) {
  const link = `${baseUrl}/app/accept-invite#token=${token}`;
  const [nl, en] = [translator('nl'), translator('en')];
  const params = { org: tenantName, inviter, days: INVITE_DAYS };
  return {
    subject: `${nl('mails:userInvite.subject')} (${tenantName}) / ${en('mails:userInvite.subject')}`,
    text: `${nl('mails:userInvite.text', params)}\n${link}\n\n${en('mails:userInvite.text', params)}\n${link}\n`,
  };
}

export function userRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/users',
      {
        config: { access: { permission: Permission.USERS_READ } },
        schema: {
          tags: ['users'],
          summary: 'Colleagues in this customer environment',
          response: { 200: z.object({ users: z.array(user) }) },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const rows = await ctx.db.tenant(auth.tenantId, (tx) =>
          tx
            .selectFrom('users')
            .select(['id', 'email', 'name', 'role', 'status', 'created_at', 'locked_until', 'totp_enabled_at'])
            .where('tenant_id', '=', auth.tenantId)
            .orderBy('created_at')
            .execute(),
        );
        const now = Date.now();
        return {
          users: rows.map((r) => ({
            id: r.id,
            email: r.email,
            name: r.name,
            role: r.role,
            status: r.status,
            createdAt: new Date(r.created_at).toISOString(),
            lockedUntil:
              r.locked_until && new Date(r.locked_until).getTime() > now
                ? new Date(r.locked_until).toISOString()
                : null,
            secondFactor: r.totp_enabled_at !== null,
          })),
        };
      },
    );

    app.post(
      '/api/v1/users',
      {
        config: { access: { permission: Permission.USERS_MANAGE } },
        schema: {
          tags: ['users'],
          summary: 'Invite a colleague with a role; an invitation mail with a link to choose a password is sent',
          body: z.object({ email: z.email().max(254), name: z.string().trim().min(1).max(200), role }),
          response: { 201: z.object({ id: z.string(), status: z.literal('invited') }) },
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        if (!mayAssign(auth.role, request.body.role))
          throw new AppError(ErrorCode.FORBIDDEN, {
            key: 'problems:users.cannotGiveRole',
            params: { actor: auth.role, role: request.body.role },
          });
        const { userId, token, tenantName } = await ctx.db.tenant(auth.tenantId, async (tx) => {
          const t = await tx
            .selectFrom('tenants')
            .select('name')
            .where('id', '=', auth.tenantId)
            .executeTakeFirstOrThrow();
          const r = await createInvite(tx, auth.tenantId, request.body, actorOf(request, auth));
          return { ...r, tenantName: t.name };
        });
        const mail = inviteMail(ctx.env.baseUrl, tenantName, auth.name, token);
        await ctx.mailer.send(auth.tenantId, 'user-invite', { to: request.body.email, ...mail });
        return reply.code(201).send({ id: userId, status: 'invited' as const });
      },
    );

    app.post(
      '/api/v1/users/:id/unlock',
      {
        config: { access: { permission: Permission.USERS_MANAGE } },
        schema: {
          tags: ['users'],
          summary: 'Unlock an account locked after repeated failed sign-ins (ACC-4)',
          params: z.object({ id: z.string() }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        const { id } = request.params;
        if (!isUuid(id)) throw AppError.notFound('user');
        await ctx.db.tenant(auth.tenantId, async (tx) => {
          const res = await tx
            .updateTable('users')
            .set({ failed_sign_ins: 0, locked_until: null })
            .where('id', '=', id)
            .executeTakeFirst();
          if (Number(res.numUpdatedRows) !== 1) throw AppError.notFound('user');
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.ACCOUNT_UNLOCKED,
            subject: { kind: 'user', id },
          });
        });
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/v1/users/:id/second-factor/reset',
      {
        config: { access: { permission: Permission.USERS_MANAGE } },
        schema: {
          tags: ['users'],
          summary:
            "Remove a colleague's authenticator app (a lost phone); they set up a new one at their next sign-in if it is required",
          params: z.object({ id: z.string() }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        const { id } = request.params;
        if (!isUuid(id)) throw AppError.notFound('user');
        await ctx.db.tenant(auth.tenantId, async (tx) => {
          const target = await tx.selectFrom('users').select('role').where('id', '=', id).executeTakeFirst();
          if (!target) throw AppError.notFound('user');
          if (!mayAssign(auth.role, target.role))
            throw new AppError(ErrorCode.FORBIDDEN, {
              key: 'problems:users.cannotResetSecondFactor',
              params: { actor: auth.role, role: target.role },
            });
          await tx
            .updateTable('users')
            .set({ totp_secret_enc: null, totp_pending_enc: null, totp_enabled_at: null })
            .where('id', '=', id)
            .execute();
          await tx.deleteFrom('user_recovery_codes').where('user_id', '=', id).execute();
          await tx.deleteFrom('sessions').where('user_id', '=', id).execute();
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.SECOND_FACTOR_DISABLED,
            subject: { kind: 'user', id },
            details: { by: 'admin reset' },
          });
        });
        forgetSessions((a) => a.kind === 'user' && a.userId === id);
        return reply.code(204).send(null);
      },
    );

    app.patch(
      '/api/v1/users/:id',
      {
        config: { access: { permission: Permission.USERS_MANAGE } },
        schema: {
          tags: ['users'],
          summary: "Change a colleague's role",
          params: z.object({ id: z.string() }),
          body: z.object({ role }),
          response: { 200: z.object({ id: z.string(), role }) },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const { id } = request.params;
        if (!isUuid(id)) throw AppError.notFound('user');
        const target = request.body.role;
        return ctx.db.tenant(auth.tenantId, async (tx) => {
          const current = await tx.selectFrom('users').select(['role']).where('id', '=', id).executeTakeFirst();
          if (!current) throw AppError.notFound('user');
          if (!mayAssign(auth.role, target) || !mayAssign(auth.role, current.role))
            throw new AppError(ErrorCode.FORBIDDEN, {
              key: 'problems:users.cannotChangeRole',
              params: { actor: auth.role },
            });
          if (current.role === 'owner' && target !== 'owner') {
            const owners = await tx
              .selectFrom('users')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('role', '=', 'owner')
              .where('status', '=', 'active')
              .executeTakeFirstOrThrow();
            if (Number(owners.n) <= 1) throw new AppError(ErrorCode.CONFLICT, { key: 'problems:users.lastOwner' });
          }
          await tx.updateTable('users').set({ role: target }).where('id', '=', id).execute();
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.USER_ROLE_CHANGED,
            subject: { kind: 'user', id },
            details: { before: current.role, after: target },
          });
          return { id, role: target };
        });
      },
    );

    // Issue 14: a colleague who leaves loses access at once. Not deleted: their name stays on what they
    // did (the audit log, follow-ups, agreement acceptances), and they can be let back in.
    app.post(
      '/api/v1/users/:id/deactivate',
      {
        config: { access: { permission: Permission.USERS_MANAGE } },
        schema: {
          tags: ['users'],
          summary:
            'Deactivate a colleague who left: their sessions end at once and they can no longer sign in; what they did keeps their name',
          params: z.object({ id: z.string() }),
          response: { 200: z.object({ id: z.string(), status: z.literal('disabled') }) },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const { id } = request.params;
        if (!isUuid(id)) throw AppError.notFound('user');
        if (id === auth.userId) throw new AppError(ErrorCode.CONFLICT, { key: 'problems:users.deactivateSelf' });
        await ctx.db.tenant(auth.tenantId, async (tx) => {
          const target = await tx
            .selectFrom('users')
            .select(['role', 'status'])
            .where('id', '=', id)
            .forUpdate()
            .executeTakeFirst();
          if (!target) throw AppError.notFound('user');
          if (!mayAssign(auth.role, target.role))
            throw new AppError(ErrorCode.FORBIDDEN, {
              key: 'problems:users.cannotDeactivate',
              params: { actor: auth.role, role: target.role },
            });
          if (target.status === 'disabled') return;
          if (target.role === 'owner') {
            const owners = await tx
              .selectFrom('users')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('role', '=', 'owner')
              .where('status', '=', 'active')
              .where('id', '<>', id)
              .executeTakeFirstOrThrow();
            if (Number(owners.n) < 1) throw new AppError(ErrorCode.CONFLICT, { key: 'problems:users.lastActiveOwner' });
          }
          await tx.updateTable('users').set({ status: 'disabled' }).where('id', '=', id).execute();
          await tx.deleteFrom('user_invites').where('user_id', '=', id).execute();
          await tx.deleteFrom('sessions').where('user_id', '=', id).execute();
          await count(tx, auth.tenantId, 'users', -1);
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.USER_DEACTIVATED,
            subject: { kind: 'user', id },
            details: { role: target.role, before: target.status },
          });
        });
        forgetSessions((a) => a.kind === 'user' && a.userId === id);
        return { id, status: 'disabled' as const };
      },
    );

    app.post(
      '/api/v1/users/:id/reactivate',
      {
        config: { access: { permission: Permission.USERS_MANAGE } },
        schema: {
          tags: ['users'],
          summary:
            'Let a deactivated colleague back in with their own password; one who never chose a password gets a new invitation mail (the old link stays dead)',
          params: z.object({ id: z.string() }),
          response: { 200: z.object({ id: z.string(), status: z.enum(['active', 'invited']) }) },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const { id } = request.params;
        if (!isUuid(id)) throw AppError.notFound('user');
        const out = await ctx.db.tenant(auth.tenantId, async (tx) => {
          const target = await tx
            .selectFrom('users')
            .select(['role', 'status', 'email'])
            .where('id', '=', id)
            .forUpdate()
            .executeTakeFirst();
          if (!target) throw AppError.notFound('user');
          if (!mayAssign(auth.role, target.role))
            throw new AppError(ErrorCode.FORBIDDEN, {
              key: 'problems:users.cannotReactivate',
              params: { actor: auth.role, role: target.role },
            });
          if (target.status !== 'disabled')
            return { id, status: target.status === 'active' ? ('active' as const) : ('invited' as const), mail: null };
          // peil_app cannot read a hash (grants.sql); whether there is one, through the one narrow function.
          const hasPassword =
            (
              await sql<{
                has: boolean;
              }>`SELECT peil_password_hash(${auth.tenantId}::uuid, ${id}::uuid) IS NOT NULL AS has`.execute(tx)
            ).rows[0]?.has === true;
          const status = hasPassword ? ('active' as const) : ('invited' as const);
          await tx
            .updateTable('users')
            .set({ status, failed_sign_ins: 0, locked_until: null })
            .where('id', '=', id)
            .execute();
          // OBLIGATIONS SVC-6: a user counts again, within the plan's limit.
          await countWithin(tx, auth.tenantId, 'users', 1, { nl: 'Deze collega', en: 'This colleague' });
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.USER_REACTIVATED,
            subject: { kind: 'user', id },
            details: { role: target.role, after: status },
          });
          const token = hasPassword ? null : await reissueInvite(tx, auth.tenantId, id);
          const tenant = await tx
            .selectFrom('tenants')
            .select('name')
            .where('id', '=', auth.tenantId)
            .executeTakeFirstOrThrow();
          return {
            id,
            status,
            mail: token ? { to: target.email, ...inviteMail(ctx.env.baseUrl, tenant.name, auth.name, token) } : null,
          };
        });
        if (out.mail) await ctx.mailer.send(auth.tenantId, 'user-invite', out.mail);
        return { id: out.id, status: out.status };
      },
    );
  };
}
