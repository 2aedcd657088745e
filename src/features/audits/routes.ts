import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { Permission } from '../../lib/permissions.js';
import { actorOf, callerOf, operatorOf } from '../auth/guard.js';
import { buildAuditPack } from './pack.js';
import { auditRules, listRequests, operatorRequests, requestAudit, setRequestStatus } from './service.js';

const ID = '4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a';
const TENANT = '0b7d2c8e-1f3a-4e5b-8c6d-9a0b1c2d3e4f';
const USER = '9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f';
const AT = '2026-11-20T09:00:00.000Z';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date, YYYY-MM-DD')
  .refine(
    (d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    'not a calendar date',
  );
const request = z.object({
  id: z.string(),
  proposedDate: z.string(),
  auditorName: z.string(),
  scope: z.string(),
  status: z
    .enum(['accepted', 'done', 'cancelled'])
    .describe('accepted: planned; a cancelled request no longer counts for its year'),
  requestedBy: z.string(),
  requestedAt: z.string(),
  statusChangedAt: z.string().nullable(),
});
const EXAMPLE = {
  id: ID,
  proposedDate: '2027-03-15',
  auditorName: 'J. Jansen RE (Voorbeeld Audit B.V.)',
  scope: 'Art. 28 en 32 AVG: toegang, logging, back-ups. / Art. 28 and 32 GDPR: access, logging, backups.',
  status: 'accepted',
  requestedBy: USER,
  requestedAt: AT,
  statusChangedAt: null,
} as const;
const rules = z.object({
  auditsPerYear: z.number().int(),
  auditNoticeDays: z.number().int(),
  earliestAllowedDate: z
    .string()
    .nullable()
    .describe('The earliest date a request could propose today; null: the agreement allows no audits'),
});

/** OBLIGATIONS AUD-1: audit requests (owners request, admins read), the audit pack, the operator's overview. */
export function auditRequestRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/audits',
      {
        config: { access: { permission: Permission.AUDITS_READ } },
        schema: {
          tags: ['privacy'],
          summary:
            "This customer's audit requests and the agreed rules: audits per calendar year, notice in days, the earliest allowed date (AUD-1; owners and admins)",
          response: {
            200: z.object({ rules, requests: z.array(request) }).meta({
              examples: [
                {
                  rules: { auditsPerYear: 1, auditNoticeDays: 14, earliestAllowedDate: '2028-01-01' },
                  requests: [EXAMPLE],
                },
              ],
            }),
          },
        },
      },
      async (req) => {
        const auth = callerOf(req);
        return ctx.db.tenant(auth.tenantId, async (tx) => ({
          rules: await auditRules(tx, auth.tenantId),
          requests: await listRequests(ctx, tx, auth.tenantId),
        }));
      },
    );

    app.post(
      '/api/v1/audits',
      {
        config: { access: { permission: Permission.AUDITS_REQUEST } },
        schema: {
          tags: ['privacy'],
          summary:
            'Request an audit (AUD-1; owner). Accepted within the agreed number per calendar year of the proposed date and with the agreed notice; otherwise 422 naming the rule and the earliest allowed date (extra fields rules, earliestAllowedDate)',
          body: z
            .object({
              proposedDate: isoDate.describe('The proposed day of the audit (Europe/Amsterdam)'),
              auditorName: z
                .string()
                .trim()
                .min(1)
                .max(200)
                .describe('Who performs the audit (sealed with the customer key)'),
              scope: z.string().trim().max(4000).default('').describe('Scope and notes (sealed with the customer key)'),
            })
            .meta({
              examples: [
                { proposedDate: EXAMPLE.proposedDate, auditorName: EXAMPLE.auditorName, scope: EXAMPLE.scope },
              ],
            }),
          response: { 201: request.meta({ examples: [EXAMPLE] }) },
        },
      },
      async (req, reply) => {
        const auth = callerOf(req);
        return reply.code(201).send(await requestAudit(ctx, auth.tenantId, auth.userId, req.body, actorOf(req, auth)));
      },
    );

    app.get(
      '/api/v1/audits/pack',
      {
        config: { access: { permission: Permission.AUDITS_READ } },
        schema: {
          tags: ['privacy'],
          summary:
            'The audit pack as a ZIP: agreement, sub-processors, security measures, access-log extract, the log chain verification, a manifest with SHA-256 per file signed with Ed25519, and a README on verifying it (AUD-1; owners and admins)',
          querystring: z.object({
            from: isoDate.optional().describe('First day of the access-log extract; default: one year before `to`'),
            to: isoDate.optional().describe('Last day of the access-log extract; default: today'),
          }),
          produces: ['application/zip'],
        },
      },
      async (req, reply) => {
        const auth = callerOf(req);
        if (req.query.from && req.query.to && req.query.from > req.query.to) {
          throw new AppError(
            ErrorCode.VALIDATION,
            { key: 'problems:audits.periodReversed' },
            { errors: [{ pointer: '/querystring/to', reason: 'on or after from', value: req.query.to }] },
          );
        }
        const pack = await buildAuditPack(ctx, auth.tenantId, {
          from: req.query.from,
          to: req.query.to,
          actor: actorOf(req, auth),
        });
        return reply
          .header('content-type', 'application/zip')
          .header('content-disposition', `attachment; filename="${pack.filename}"`)
          .header('cache-control', 'no-store')
          .send(Buffer.from(pack.zip));
      },
    );

    const operatorRequest = request.extend({ tenantId: z.string(), tenantName: z.string() });
    app.get(
      '/api/v1/operator/audits',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary: "Every customer's audit requests, by proposed date (AUD-1)",
          response: {
            200: z
              .object({ requests: z.array(operatorRequest) })
              .meta({ examples: [{ requests: [{ ...EXAMPLE, tenantId: TENANT, tenantName: 'Zorggroep Noord' }] }] }),
          },
        },
      },
      async () => {
        return { requests: await operatorRequests(ctx) };
      },
    );

    app.post(
      '/api/v1/operator/audits/:tenantId/:id/status',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary:
            "Mark a customer's audit request done or cancelled (AUD-1; a cancelled request no longer counts for its year)",
          params: z.object({ tenantId: z.string(), id: z.string() }),
          body: z.object({ status: z.enum(['done', 'cancelled']) }).meta({ examples: [{ status: 'done' }] }),
          response: { 204: z.null() },
        },
      },
      async (req, reply) => {
        const op = operatorOf(req);
        await setRequestStatus(ctx, req.params.tenantId, req.params.id, req.body.status, actorOf(req, op));
        return reply.code(204).send(null);
      },
    );
  };
}
