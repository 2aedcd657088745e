import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { audit, AuditAction } from '../../lib/audit.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import type { OutboxMail } from '../../lib/mail/mailer.js';
import { can, Permission } from '../../lib/permissions.js';
import { actorOf, requireUser } from '../auth/guard.js';
import { loadSurvey } from '../surveys/routes.js';
import { SEND_QUEUE, type SendJob } from './send.js';

const counts = z.object({ total: z.number(), queued: z.number(), sent: z.number(), failed: z.number(), opened: z.number(), responded: z.number() });
const distribution = z.object({ id: z.string(), surveyId: z.string(), createdAt: z.string(), counts });

export function distributionRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/api/v1/surveys/:id/distributions', {
      config: { access: { permission: Permission.INVITATIONS_SEND } },
      schema: {
        tags: ['distribution'],
        summary: 'Send personal invitations to all contacts or a selection; sending runs in the background',
        params: z.object({ id: z.string() }),
        body: z.union([
          z.object({ all: z.literal(true) }),
          z.object({ contactIds: z.array(z.uuid()).min(1).max(100_000) }),
        ]),
        response: { 202: z.object({ id: z.string(), invited: z.number(), skipped: z.number() }) },
      },
    }, async (request, reply) => {
      const auth = await requireUser(ctx, request, Permission.INVITATIONS_SEND);
      const body = request.body;
      const result = await ctx.db.tenant(auth.tenantId, async (tx) => {
        const survey = await loadSurvey(tx, request.params.id);
        if (survey.status !== 'open') throw new AppError(ErrorCode.CONFLICT, 'The survey is not open.');
        const id = randomUUID();
        await tx.insertInto('distributions').values({ tenant_id: auth.tenantId, id, survey_id: survey.id, created_by: auth.userId, total: 0 }).execute();
        const selection = 'all' in body ? sql`TRUE` : sql`c.id = ANY(${body.contactIds}::uuid[])`;
        // A contact gets one invitation per survey: contacts already invited are skipped.
        const inserted = await sql<{ n: number }>`
          WITH ins AS (
            INSERT INTO invitations (tenant_id, id, survey_id, distribution_id, contact_id, language)
            SELECT ${auth.tenantId}::uuid, gen_random_uuid(), ${survey.id}::uuid, ${id}::uuid, c.id, coalesce(c.language, ${survey.default_language})
              FROM contacts c WHERE ${selection}
            ON CONFLICT (tenant_id, survey_id, contact_id) DO NOTHING
            RETURNING 1)
          SELECT count(*)::int AS n FROM ins`.execute(tx);
        const invited = inserted.rows[0]?.n ?? 0;
        const requested = 'all' in body
          ? Number((await tx.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
          : new Set(body.contactIds).size;
        await tx.updateTable('distributions').set({ total: invited }).where('id', '=', id).execute();
        await audit(tx, auth.tenantId, actorOf(request, auth), { action: AuditAction.DISTRIBUTION_CREATED, subject: { kind: 'distribution', id }, details: { surveyId: survey.id, invited } });
        return { id, invited, skipped: Math.max(0, requested - invited) };
      });
      // Enqueued after the commit (PGlite has one connection); requeuePendingSends covers a crash in between.
      if (result.invited > 0) await ctx.jobs.send<SendJob>(SEND_QUEUE, { tenantId: auth.tenantId, distributionId: result.id });
      return reply.code(202).send(result);
    });

    app.get('/api/v1/surveys/:id/distributions', {
      config: { access: { permission: Permission.SURVEYS_READ } },
      schema: {
        tags: ['distribution'],
        summary: 'Distributions of a survey with their progress',
        params: z.object({ id: z.string() }),
        response: { 200: z.object({ distributions: z.array(distribution) }) },
      },
    }, async (request) => {
      const auth = await requireUser(ctx, request, Permission.SURVEYS_READ);
      return ctx.db.tenant(auth.tenantId, async (tx) => {
        const survey = await loadSurvey(tx, request.params.id);
        const rows = await tx
          .selectFrom('distributions as d')
          .leftJoin('invitations as i', (j) => j.onRef('i.tenant_id', '=', 'd.tenant_id').onRef('i.distribution_id', '=', 'd.id'))
          .select((eb) => [
            'd.id',
            'd.created_at',
            eb.fn.count<number>('i.id').as('total'),
            eb.fn.count<number>('i.id').filterWhere('i.status', '=', 'queued').as('queued'),
            eb.fn.count<number>('i.id').filterWhere('i.status', '=', 'sent').as('sent'),
            eb.fn.count<number>('i.id').filterWhere('i.status', '=', 'failed').as('failed'),
            eb.fn.count<number>('i.opened_at').as('opened'),
            eb.fn.count<number>('i.responded_at').as('responded'),
          ])
          .where('d.survey_id', '=', survey.id)
          .groupBy(['d.id', 'd.created_at'])
          .orderBy('d.created_at', 'desc')
          .execute();
        return {
          distributions: rows.map((r) => ({
            id: r.id,
            surveyId: survey.id,
            createdAt: new Date(r.created_at).toISOString(),
            counts: { total: Number(r.total), queued: Number(r.queued), sent: Number(r.sent), failed: Number(r.failed), opened: Number(r.opened), responded: Number(r.responded) },
          })),
        };
      });
    });

    app.get('/api/v1/surveys/:id/invitations', {
      config: { access: { permission: Permission.INVITATIONS_SEND } },
      schema: {
        tags: ['distribution'],
        summary: 'The result of each send (status, attempts, last error); no contact details',
        params: z.object({ id: z.string() }),
        querystring: z.object({ status: z.enum(['queued', 'sent', 'failed']).optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) }),
        response: { 200: z.object({ invitations: z.array(z.object({ id: z.string(), contactId: z.string(), email: z.string().optional(), status: z.string(), attempts: z.number(), lastError: z.string().nullable(), sentAt: z.string().nullable(), respondedAt: z.string().nullable() })) }) },
      },
    }, async (request) => {
      const auth = await requireUser(ctx, request, Permission.INVITATIONS_SEND);
      // The address is shown to those who may read contact details, and that read is logged.
      const withEmail = can(auth.role, Permission.CONTACTS_READ);
      const keys = withEmail ? await ctx.keyring.forTenant(auth.tenantId) : undefined;
      return ctx.db.tenant(auth.tenantId, async (tx) => {
        const survey = await loadSurvey(tx, request.params.id);
        let q = tx
          .selectFrom('invitations as i')
          .innerJoin('contacts as c', (j) => j.onRef('c.tenant_id', '=', 'i.tenant_id').onRef('c.id', '=', 'i.contact_id'))
          .select(['i.id', 'i.contact_id', 'i.status', 'i.attempts', 'i.last_error', 'i.sent_at', 'i.responded_at', 'c.email_enc'])
          .where('i.survey_id', '=', survey.id);
        if (request.query.status) q = q.where('i.status', '=', request.query.status);
        const rows = await q.orderBy('i.created_at').limit(request.query.limit).execute();
        if (keys && rows.length) await audit(tx, auth.tenantId, actorOf(request, auth), { action: AuditAction.CONTACTS_LISTED, subject: { kind: 'survey', id: survey.id }, details: { count: rows.length, via: 'invitations' } });
        const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
        return {
          invitations: rows.map((r) => ({
            id: r.id,
            contactId: r.contact_id,
            ...(keys ? { email: keys.open(r.email_enc) } : {}),
            status: r.status,
            attempts: r.attempts,
            lastError: r.last_error,
            sentAt: iso(r.sent_at),
            respondedAt: iso(r.responded_at),
          })),
        };
      });
    });

    app.get('/api/v1/outbox', {
      config: { access: { permission: Permission.OUTBOX_READ } },
      schema: {
        tags: ['distribution'],
        summary: 'The built-in outbox: mail kept here when no SMTP server is configured (newest first)',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: {
          200: z.object({
            mode: z.enum(['smtp', 'outbox']),
            messages: z.array(z.object({ id: z.string(), createdAt: z.string(), kind: z.string(), from: z.string(), to: z.string(), subject: z.string(), text: z.string(), html: z.string().optional() })),
          }),
        },
      },
    }, async (request) => {
      const auth = await requireUser(ctx, request, Permission.OUTBOX_READ);
      const keys = await ctx.keyring.forTenant(auth.tenantId);
      return ctx.db.tenant(auth.tenantId, async (tx) => {
        const rows = await tx.selectFrom('outbox').selectAll().orderBy('created_at', 'desc').limit(request.query.limit).execute();
        await audit(tx, auth.tenantId, actorOf(request, auth), { action: AuditAction.OUTBOX_READ, details: { count: rows.length } });
        return {
          mode: ctx.mailer.kind,
          messages: rows.map((r) => {
            const m = keys.openJson<OutboxMail>(r.message_enc);
            return { id: r.id, createdAt: new Date(r.created_at).toISOString(), kind: r.kind, from: m.from, to: m.to, subject: m.subject, text: m.text, ...(m.html ? { html: m.html } : {}) };
          }),
        };
      });
    });
  };
}
