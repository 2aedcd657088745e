import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { Permission } from '../../lib/permissions.js';
import { dateIn } from '../agreement/dates.js';
import { actorOf, callerOf, operatorOf } from '../auth/guard.js';
import { streamExport } from './export.js';
import { deleteTenantWhenDue, endTenant, makeChoice, readEnding, readStatement } from './service.js';
import { statementPdf } from './statement.js';

const iso = z.string().nullable();
const endingOut = z.object({
  status: z.enum(['active', 'suspended', 'ended']),
  endsOn: z
    .string()
    .nullable()
    .describe(
      "The agreement's end date (exclusive, Europe/Amsterdam): after notice, or at the end of a term without renewal; null while it renews",
    ),
  reminders: z
    .array(z.object({ days: z.number(), due: z.string(), sentAt: iso }))
    .describe('END-1: the reminders to export, 60, 30 and 7 days before the end'),
  ended: z
    .object({
      at: z.string(),
      by: z.enum(['operator', 'agreement']),
      choiceDeadline: z
        .string()
        .describe('END-3: the last moment to choose; without a choice the data is deleted then'),
      returnWindowDays: z.number(),
      choice: z.enum(['return', 'deletion']).nullable(),
      choiceAt: iso,
      returnUntil: iso.describe('Return: the export stays available until then; deletion follows'),
      deletionDueAt: iso,
      deletedAt: iso,
    })
    .nullable(),
});
const EXAMPLE = {
  status: 'ended' as const,
  endsOn: '2027-01-01',
  reminders: [{ days: 60, due: '2026-11-02', sentAt: '2026-11-02T08:00:00.000Z' }],
  ended: {
    at: '2027-01-01T00:10:00.000Z',
    by: 'agreement' as const,
    choiceDeadline: '2027-01-15T00:10:00.000Z',
    returnWindowDays: 30,
    choice: null,
    choiceAt: null,
    returnUntil: null,
    deletionDueAt: '2027-01-15T00:10:00.000Z',
    deletedAt: null,
  },
};
const params = z.object({ id: z.uuid() });

/** OBLIGATIONS END-1..END-4: the customer's end page, choice and full export; the operator's end, deletion and statement. */
export function endingRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/ending',
      {
        config: { access: { permission: Permission.ENDING_MANAGE, ending: true } },
        schema: {
          tags: ['privacy'],
          summary:
            'END-1..END-3: the end of the agreement: end date, reminders, and after the end the choice and its deadline (owners; also after the end, until deletion)',
          response: { 200: endingOut.meta({ examples: [EXAMPLE] }) },
        },
      },
      async (req) => {
        const auth = callerOf(req);
        return ctx.db.tenant(auth.tenantId, (tx) => readEnding(ctx, tx, auth.tenantId));
      },
    );

    app.post(
      '/api/v1/ending/choice',
      {
        config: { access: { permission: Permission.ENDING_MANAGE, ending: true } },
        schema: {
          tags: ['privacy'],
          summary:
            'END-3: choose return (the export stays available for the agreed return window, then deletion) or deletion, once, before the choice deadline (owners)',
          body: z.object({ choice: z.enum(['return', 'deletion']) }).meta({ examples: [{ choice: 'return' }] }),
          response: { 200: endingOut },
        },
      },
      async (req) => {
        const auth = callerOf(req);
        return ctx.db.tenant(auth.tenantId, async (tx) => {
          await makeChoice(tx, auth.tenantId, req.body.choice, auth.userId, actorOf(req, auth));
          return readEnding(ctx, tx, auth.tenantId);
        });
      },
    );

    app.get(
      '/api/v1/export',
      {
        config: { access: { permission: Permission.DATA_EXPORT_ALL, ending: true } },
        schema: {
          tags: ['privacy'],
          summary:
            "END-1: the full export of all the customer's data, streamed as a ZIP: per table CSV, JSON and XLSX, with a signed manifest (rows, SHA-256 per file); owners, at any time, also after the end until deletion",
          produces: ['application/zip'],
        },
      },
      async (req, reply) => {
        const auth = callerOf(req);
        const slug = await ctx.db.tenant(
          auth.tenantId,
          async (tx) =>
            (await tx.selectFrom('tenants').select('slug').where('id', '=', auth.tenantId).executeTakeFirstOrThrow())
              .slug,
        );
        const { stream, done } = streamExport(ctx, auth.tenantId, actorOf(req, auth));
        done.catch((err: unknown) =>
          req.log.error({ code: (err as { code?: string }).code ?? (err as Error).name }, 'export failed'),
        );
        return reply
          .header('content-type', 'application/zip')
          .header('content-disposition', `attachment; filename="peil-export-${slug}-${dateIn(new Date())}.zip"`)
          .header('cache-control', 'no-store')
          .send(stream);
      },
    );

    // ---------------------------------------------------------------- operator

    app.post(
      '/api/v1/operator/tenants/:id/end',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary:
            "END-2: end a customer's agreement now: sign-in stops (owners keep the export and the choice until deletion), API keys and webhooks deleted, scheduled sends cancelled, links show a closed page; the choice deadline starts",
          params,
          body: z
            .object({ reason: z.string().trim().min(1).max(1000) })
            .meta({ examples: [{ reason: 'Opgezegd per 1 januari / notice given for 1 January' }] }),
          response: {
            200: z.object({
              tenantId: z.string(),
              endedAt: z.string(),
              choiceDeadline: z.string(),
              removed: z.object({ apiKeys: z.number(), webhooks: z.number() }),
              cancelledDistributions: z.number(),
            }),
          },
        },
      },
      async (req) => {
        const op = operatorOf(req);
        return endTenant(ctx, req.params.id, 'operator', req.body.reason, actorOf(req, op));
      },
    );

    app.get(
      '/api/v1/operator/tenants/:id/ending',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary:
            "END-1..END-4: a customer's end: end date, reminders, choice and deadline, deletion, and whether a statement exists",
          params,
          response: { 200: endingOut.extend({ statement: z.boolean() }) },
        },
      },
      async (req) => {
        const state = await ctx.db.tenant(req.params.id, (tx) => readEnding(ctx, tx, req.params.id));
        const statement = await readStatement(ctx, req.params.id).then(
          () => true,
          () => false,
        );
        return { ...state, statement };
      },
    );

    app.post(
      '/api/v1/operator/tenants/:id/deletion',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary:
            'END-3: delete an ended customer whose deletion is due (deletion chosen, the return window over, or no choice by the deadline): key destroyed, every row removed, signed statement stored and mailed',
          params,
          response: {
            200: z.object({
              tenantId: z.string(),
              totalRows: z.number(),
              keyDestroyedAt: z.string(),
              mailed: z.number(),
              seconds: z.object({ key: z.number(), rows: z.number() }),
            }),
          },
        },
      },
      async (req) => {
        const op = operatorOf(req);
        const r = await deleteTenantWhenDue(ctx, req.params.id, actorOf(req, op));
        return {
          tenantId: r.tenantId,
          totalRows: r.statement.deletion.totalRows,
          keyDestroyedAt: r.statement.key.destroyedAt,
          mailed: r.mailed,
          seconds: r.seconds,
        };
      },
    );

    app.get(
      '/api/v1/operator/tenants/:id/deletion-statement',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary:
            'END-4: the signed statement of deletion, JSON (the evidence; verify with `peil statement verify FILE`) or its PDF rendering (Dutch with English)',
          params,
          querystring: z.object({ format: z.enum(['json', 'pdf']).default('json') }),
          produces: ['application/json', 'application/pdf'],
        },
      },
      async (req, reply) => {
        const file = await readStatement(ctx, req.params.id);
        const name = `verklaring-van-verwijdering-${req.params.id}`;
        reply.header('cache-control', 'no-store');
        if (req.query.format === 'pdf')
          return reply
            .type('application/pdf')
            .header('content-disposition', `attachment; filename="${name}.pdf"`)
            .send(await statementPdf(file));
        return reply
          .type('application/json; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}.json"`)
          .send(file);
      },
    );
  };
}
