import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { audit, AuditAction } from '../../lib/audit.js';
import { isUuid } from '../../lib/db/db.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { Permission } from '../../lib/permissions.js';
import { actorOf, callerOf, operatorOf, setSessionCookie } from '../auth/guard.js';
import { createSession, forgetSessions, hashToken } from '../auth/sessions.js';

/**
 * OBLIGATIONS ACC-3: support access ("meekijken"). Operator staff see no personal data of a customer
 * unless its owner grants access: a scope (results, or results and contact details), a reason and
 * an end at most seven days away. The grant can be revoked at any time and ends by itself; every
 * use is written to the customer's log, where the owner sees it.
 */
const MAX_HOURS = 7 * 24;

const grant = z.object({
  id: z.string(),
  scope: z.enum(['results', 'contacts']),
  reason: z.string(),
  grantedBy: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
  active: z.boolean(),
  uses: z.number(),
  lastUsedAt: z.string().nullable(),
});

export function supportRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const times = { idleMinutes: ctx.env.SESSION_IDLE_MINUTES, absoluteMinutes: ctx.env.SESSION_ABSOLUTE_MINUTES };

  return async (app) => {
    app.get(
      '/api/v1/support-access',
      {
        config: { access: { permission: Permission.TENANT_MANAGE } },
        schema: {
          tags: ['support access'],
          summary: 'Support access grants of this customer, with how often and when each was used',
          response: {
            200: z.object({
              grants: z.array(grant),
              uses: z.array(
                z.object({
                  at: z.string(),
                  grantId: z.string().nullable(),
                  operatorId: z.string().nullable(),
                  operatorName: z.string().nullable(),
                  operatorEmail: z.string().nullable(),
                  action: z.string(),
                  method: z.string().nullable(),
                  path: z.string().nullable(),
                  denied: z.boolean(),
                }),
              ),
            }),
          },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        return ctx.db.tenant(auth.tenantId, async (tx) => {
          const rows = await tx
            .selectFrom('support_grants')
            .selectAll()
            .orderBy('created_at', 'desc')
            .limit(100)
            .execute();
          // What support staff did and tried: uses, session starts, and refusals by operator actors.
          const uses = await tx
            .selectFrom('audit_events as a')
            .leftJoin('operators as o', 'o.id', 'a.actor_id')
            .select([
              'a.at',
              'a.subject_id',
              'a.actor_id',
              'a.action',
              'a.details',
              'o.name as operator_name',
              'o.email as operator_email',
            ])
            .where((eb) =>
              eb.or([
                eb('a.action', 'in', [AuditAction.SUPPORT_ACCESS, AuditAction.SUPPORT_SESSION_STARTED]),
                eb.and([eb('a.action', '=', AuditAction.ACCESS_DENIED), eb('a.actor_kind', '=', 'operator')]),
              ]),
            )
            .orderBy('a.id', 'desc')
            .limit(200)
            .execute();
          const now = Date.now();
          return {
            grants: rows.map((g) => {
              const mine = uses.filter((u) => u.subject_id === g.id && u.action === AuditAction.SUPPORT_ACCESS);
              return {
                id: g.id,
                scope: g.scope,
                reason: g.reason,
                grantedBy: g.granted_by,
                createdAt: new Date(g.created_at).toISOString(),
                expiresAt: new Date(g.expires_at).toISOString(),
                revokedAt: g.revoked_at ? new Date(g.revoked_at).toISOString() : null,
                active: !g.revoked_at && new Date(g.expires_at).getTime() > now,
                uses: mine.length,
                lastUsedAt: mine[0] ? new Date(mine[0].at).toISOString() : null,
              };
            }),
            uses: uses.map((u) => ({
              at: new Date(u.at).toISOString(),
              grantId: u.subject_id,
              operatorId: u.actor_id,
              operatorName: u.operator_name,
              operatorEmail: u.operator_email,
              action: u.action,
              method: typeof u.details.method === 'string' ? u.details.method : null,
              path:
                typeof u.details.path === 'string'
                  ? u.details.path
                  : typeof u.details.route === 'string'
                    ? u.details.route
                    : null,
              denied: u.action === AuditAction.ACCESS_DENIED,
            })),
          };
        });
      },
    );

    app.post(
      '/api/v1/support-access',
      {
        config: { access: { permission: Permission.TENANT_MANAGE } },
        schema: {
          tags: ['support access'],
          summary: "Grant the operator's support staff time-limited access (owner)",
          body: z.object({
            scope: z.enum(['results', 'contacts']),
            reason: z.string().trim().min(1).max(500),
            hours: z.number().int().min(1).max(MAX_HOURS),
          }),
          response: { 201: z.object({ id: z.string(), expiresAt: z.string() }) },
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        const id = randomUUID();
        const expiresAt = new Date(Date.now() + request.body.hours * 3600_000);
        await ctx.db.tenant(auth.tenantId, async (tx) => {
          await tx
            .insertInto('support_grants')
            .values({
              tenant_id: auth.tenantId,
              id,
              granted_by: auth.userId,
              scope: request.body.scope,
              reason: request.body.reason,
              expires_at: expiresAt,
            })
            .execute();
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.SUPPORT_GRANTED,
            subject: { kind: 'support_grant', id },
            details: { scope: request.body.scope, hours: request.body.hours },
          });
        });
        return reply.code(201).send({ id, expiresAt: expiresAt.toISOString() });
      },
    );

    app.delete(
      '/api/v1/support-access/:id',
      {
        config: { access: { permission: Permission.TENANT_MANAGE } },
        schema: {
          tags: ['support access'],
          summary: 'Revoke a grant; support sessions under it end at once',
          params: z.object({ id: z.string() }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        const { id } = request.params;
        if (!isUuid(id)) throw AppError.notFound('grant');
        await ctx.db.tenant(auth.tenantId, async (tx) => {
          const res = await tx
            .updateTable('support_grants')
            .set({ revoked_at: new Date(), revoked_by: auth.userId })
            .where('id', '=', id)
            .where('revoked_at', 'is', null)
            .executeTakeFirst();
          if (Number(res.numUpdatedRows) !== 1) throw AppError.notFound('active grant');
          await tx.deleteFrom('sessions').where('support_grant_id', '=', id).execute();
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.SUPPORT_REVOKED,
            subject: { kind: 'support_grant', id },
          });
        });
        forgetSessions((a) => a.kind === 'support' && a.grantId === id);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/v1/operator/tenants/:id/support-grants',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary: 'Active support grants of a customer (no personal data)',
          params: z.object({ id: z.string() }),
          response: {
            200: z.object({
              grants: z.array(
                z.object({ id: z.string(), scope: z.string(), reason: z.string(), expiresAt: z.string() }),
              ),
            }),
          },
        },
      },
      async (request) => {
        if (!isUuid(request.params.id)) throw AppError.notFound('tenant');
        const rows = await ctx.db.tenant(request.params.id, (tx) =>
          tx
            .selectFrom('support_grants')
            .select(['id', 'scope', 'reason', 'expires_at'])
            .where('revoked_at', 'is', null)
            .where('expires_at', '>', new Date())
            .execute(),
        );
        return {
          grants: rows.map((g) => ({
            id: g.id,
            scope: g.scope,
            reason: g.reason,
            expiresAt: new Date(g.expires_at).toISOString(),
          })),
        };
      },
    );

    app.post(
      '/api/v1/operator/tenants/:id/support-session',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary:
            "Enter a customer's environment under an active grant; the browser's session becomes a support session",
          params: z.object({ id: z.string() }),
          body: z.object({ grantId: z.uuid() }),
          response: { 200: z.object({ ok: z.literal(true), expiresAt: z.string() }) },
        },
      },
      async (request, reply) => {
        const op = operatorOf(request);
        const tenantId = request.params.id;
        if (!isUuid(tenantId)) throw AppError.notFound('tenant');
        const { token, expiresAt } = await ctx.db.tenant(tenantId, async (tx) => {
          const g = await tx
            .selectFrom('support_grants')
            .selectAll()
            .where('id', '=', request.body.grantId)
            .executeTakeFirst();
          if (!g || g.revoked_at || new Date(g.expires_at).getTime() <= Date.now()) {
            throw new AppError(ErrorCode.FORBIDDEN, { key: 'problems:support.noActiveGrant' });
          }
          const t = await createSession(tx, times, {
            kind: 'support',
            tenantId,
            operatorId: op.operatorId,
            grantId: g.id,
            expiresAt: new Date(g.expires_at),
          });
          await audit(tx, tenantId, actorOf(request, op), {
            action: AuditAction.SUPPORT_SESSION_STARTED,
            subject: { kind: 'support_grant', id: g.id },
            details: { scope: g.scope },
          });
          return { token: t, expiresAt: new Date(g.expires_at) };
        });
        setSessionCookie(ctx, reply, token, hashToken(token));
        return { ok: true as const, expiresAt: expiresAt.toISOString() };
      },
    );
  };
}
