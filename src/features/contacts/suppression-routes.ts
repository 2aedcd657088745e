import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { audit, AuditAction } from '../../lib/audit.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { normalizeEmail } from './file/values.js';
import { Permission } from '../../lib/permissions.js';
import { actorOf, callerOf } from '../auth/guard.js';
import { suppressEmail } from './suppression.js';

/**
 * DSR-3: the suppression list of an organisation. An entry's id is the base64url of the address's
 * blind index: it names the entry without naming the address. Addresses are shown only to those who
 * may read contact details (and that read is logged); 'erased' entries keep no address at all.
 */
const entry = z.object({
  id: z.string().describe('base64url of the blind index of the address'),
  email: z.string().nullable().optional().describe('only for contacts:read; null for erased contacts'),
  reason: z.enum(['unsubscribed', 'erased', 'bounced', 'manual']),
  source: z.string(),
  createdAt: z.string(),
});

const idToHmac = (id: string): Buffer | null => (/^[A-Za-z0-9_-]{43}$/.test(id) ? Buffer.from(id, 'base64url') : null);

export function suppressionRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/suppressions',
      {
        config: { access: { permission: Permission.INVITATIONS_SEND } },
        schema: {
          tags: ['distribution'],
          summary: 'The suppression list: addresses that get no invitations or reminders (newest first)',
          querystring: z.object({
            limit: z.coerce.number().int().min(1).max(1000).default(200),
            reason: z.enum(['unsubscribed', 'erased', 'bounced', 'manual']).optional(),
          }),
          response: { 200: z.object({ total: z.number(), suppressions: z.array(entry) }) },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const withEmail = auth.permissions.has(Permission.CONTACTS_READ);
        const keys = withEmail ? await ctx.keyring.forTenant(auth.tenantId) : undefined;
        return ctx.db.tenant(auth.tenantId, async (tx) => {
          let q = tx.selectFrom('suppressions').select(['email_hmac', 'email_enc', 'reason', 'source', 'created_at']);
          if (request.query.reason) q = q.where('reason', '=', request.query.reason);
          const rows = await q.orderBy('created_at', 'desc').limit(request.query.limit).execute();
          const total = Number(
            (
              await tx
                .selectFrom('suppressions')
                .select((eb) => eb.fn.countAll<number>().as('n'))
                .executeTakeFirstOrThrow()
            ).n,
          );
          if (keys && rows.length)
            await audit(tx, auth.tenantId, actorOf(request, auth), {
              action: AuditAction.SUPPRESSIONS_LISTED,
              details: { count: rows.length },
            });
          return {
            total,
            suppressions: rows.map((r) => ({
              id: r.email_hmac.toString('base64url'),
              ...(keys ? { email: keys.open(r.email_enc) } : {}),
              reason: r.reason,
              source: r.source,
              createdAt: new Date(r.created_at).toISOString(),
            })),
          };
        });
      },
    );

    app.post(
      '/api/v1/suppressions',
      {
        config: { access: { permission: Permission.INVITATIONS_SEND } },
        schema: {
          tags: ['distribution'],
          summary: 'Put an address on the suppression list by hand (e.g. someone asked by phone not to be mailed)',
          body: z
            .object({ email: z.string().trim().max(254), note: z.string().trim().max(500).optional() })
            .meta({ examples: [{ email: 'geen-mail@example.nl', note: 'telefonisch verzoek' }] }),
          response: { 201: entry, 200: entry },
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        const email = normalizeEmail(request.body.email);
        if (!email)
          throw new AppError(
            ErrorCode.VALIDATION,
            { key: 'problems:contacts.notAnEmail' },
            {
              errors: [{ pointer: '/email', reason: 'not a valid email address' }],
            },
          );
        const keys = await ctx.keyring.forTenant(auth.tenantId);
        const { added, body } = await ctx.db.tenant(auth.tenantId, async (tx) => {
          const added = await suppressEmail(
            tx,
            auth.tenantId,
            keys,
            email,
            'manual',
            'admin',
            request.body.note ? { note: request.body.note } : {},
          );
          const row = await tx
            .selectFrom('suppressions')
            .select(['email_hmac', 'reason', 'source', 'created_at'])
            .where('email_hmac', '=', keys.emailIndex(email))
            .executeTakeFirstOrThrow();
          const id = row.email_hmac.toString('base64url');
          if (added)
            await audit(tx, auth.tenantId, actorOf(request, auth), {
              action: AuditAction.SUPPRESSION_ADDED,
              subject: { kind: 'suppression', id },
              details: { reason: 'manual', source: 'admin' },
            });
          return {
            added,
            body: {
              id,
              email,
              reason: row.reason,
              source: row.source,
              createdAt: new Date(row.created_at).toISOString(),
            },
          };
        });
        // Answered after the commit: a caller that invites right after this answer must find the address
        // suppressed (sending from inside the transaction let a fast next request on PostgreSQL miss it).
        return reply.code(added ? 201 : 200).send(body);
      },
    );

    app.post(
      '/api/v1/suppressions/:id/lift',
      {
        config: { access: { permission: Permission.CONTACTS_WRITE } },
        schema: {
          tags: ['distribution'],
          summary: 'Lift a suppression (the address may be mailed again); a reason is required and logged',
          params: z.object({ id: z.string() }),
          body: z
            .object({ reason: z.string().trim().min(3).max(500) })
            .meta({ examples: [{ reason: 'Klant heeft zich per mail opnieuw aangemeld' }] }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        const hmac = idToHmac(request.params.id);
        if (!hmac) throw AppError.notFound('suppression');
        await ctx.db.tenant(auth.tenantId, async (tx) => {
          const row = await tx
            .deleteFrom('suppressions')
            .where('email_hmac', '=', hmac)
            .returning(['reason', 'source'])
            .executeTakeFirst();
          if (!row) throw AppError.notFound('suppression');
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.SUPPRESSION_LIFTED,
            subject: { kind: 'suppression', id: request.params.id },
            details: { was: row.reason, source: row.source, reason: request.body.reason },
          });
        });
        return reply.code(204).send(null);
      },
    );
  };
}
