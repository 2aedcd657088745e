import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { audit, AuditAction } from '../../lib/audit.js';
import { Permission } from '../../lib/permissions.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { actorOf, callerOf } from '../auth/guard.js';
import { forgetSessions } from '../auth/sessions.js';

const settings = z.object({ requireSecondFactor: z.boolean() });

/** Settings of the customer environment itself, kept by its owner. */
export function settingsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/tenant/settings',
      {
        config: { access: { permission: Permission.USERS_READ } },
        schema: { tags: ['settings'], summary: 'Settings of this customer environment', response: { 200: settings } },
      },
      async (request) => {
        const auth = callerOf(request);
        const t = await ctx.db.tenant(auth.tenantId, (tx) =>
          tx
            .selectFrom('tenants')
            .select('require_second_factor')
            .where('id', '=', auth.tenantId)
            .executeTakeFirstOrThrow(),
        );
        return { requireSecondFactor: t.require_second_factor };
      },
    );

    app.patch(
      '/api/v1/tenant/settings',
      {
        config: { access: { permission: Permission.TENANT_MANAGE } },
        schema: {
          tags: ['settings'],
          summary: 'Change settings (owner). requireSecondFactor: every user must use an authenticator app (ACC-4).',
          body: settings.partial(),
          response: { 200: settings },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const result = await ctx.db.tenant(auth.tenantId, async (tx) => {
          const before = await tx
            .selectFrom('tenants')
            .select('require_second_factor')
            .where('id', '=', auth.tenantId)
            .executeTakeFirstOrThrow();
          const after = request.body.requireSecondFactor ?? before.require_second_factor;
          if (after && !before.require_second_factor && auth.kind === 'user') {
            const me = await tx
              .selectFrom('users')
              .select('totp_enabled_at')
              .where('id', '=', auth.userId)
              .executeTakeFirstOrThrow();
            if (!me.totp_enabled_at)
              throw new AppError(ErrorCode.CONFLICT, { key: 'problems:settings.ownSecondFactorFirst' });
          }
          // OBLIGATIONS ACC-6: peil_app may not update tenants; this function changes this one column of
          // this transaction's own tenant (migration 0010).
          await sql`select peil_set_require_second_factor(${auth.tenantId}::uuid, ${after})`.execute(tx);
          if (after && !before.require_second_factor) {
            // Users without a second factor keep their session, but can only set one up until they do.
            // ACC-6 (0028): peil_app changes no session it does not name; this function sets the
            // restriction, and nothing else, on this transaction's own tenant's sessions.
            await sql`select peil_restrict_sessions_to_enrolment(${auth.tenantId}::uuid)`.execute(tx);
          }
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.TENANT_SETTINGS_CHANGED,
            details: {
              before: { requireSecondFactor: before.require_second_factor },
              after: { requireSecondFactor: after },
            },
          });
          return { requireSecondFactor: after };
        });
        forgetSessions((a) => a.kind === 'user' && a.tenantId === auth.tenantId);
        return result;
      },
    );
  };
}
