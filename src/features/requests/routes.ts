import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { audit, AuditAction } from '../../lib/audit.js';
import { openRowToken, type TenantKeys } from '../../lib/crypto/keyring.js';
import { isUuid } from '../../lib/db/db.js';
import type { Lang, RequestKind } from '../../lib/db/schema.js';
import { normalizeEmail } from '../contacts/file/values.js';
import { AppError } from '../../lib/errors.js';
import { Permission } from '../../lib/permissions.js';
import { actorOf, callerOf } from '../auth/guard.js';
import { sendUnavailable, unavailability } from '../suspension/suspension.js';
import { erasePerson, erasurePreview } from './erase.js';
import { exportPerson, exportZip } from './export.js';
import { requestCustomerMac, requestInvitationMac } from './links.js';
import { confirmPage, messagePage, pageText, requestForm, type FormState } from './pages.js';
import {
  confirmRequest,
  decideRequest,
  extendRequest,
  fileRequest,
  listRequests,
  noticeErased,
  pendingConfirmation,
  REQUEST_KINDS,
} from './service.js';

const send = (reply: FastifyReply, status: number, page: string) =>
  reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(page);
const langOf = (v: unknown, fallback: Lang): Lang => (v === 'nl' || v === 'en' ? v : fallback);
const browserLang = (req: FastifyRequest): Lang =>
  /^\s*en\b/i.test(String(req.headers['accept-language'] ?? '')) ? 'en' : 'nl';
const invalid = (reply: FastifyReply, lang: Lang) =>
  send(reply, 404, messagePage(lang, pageText(lang).invalidTitle, pageText(lang).invalid));

interface Target {
  tenantId: string;
  keys: TenantKeys;
  org: string;
  status: string;
  invitationId?: string;
  lang?: Lang;
}

/** The customer (and invitation) a request link names; null for anything that is not a valid link. */
async function resolveLink(ctx: AppContext, token: string, kind: 'invitation' | 'customer'): Promise<Target | null> {
  const t = await openRowToken(ctx.keyring, token, kind === 'invitation' ? requestInvitationMac : requestCustomerMac);
  if (!t) return null;
  if (kind === 'customer' && t.rowId !== t.tenantId) return null;
  return ctx.db.tenant(t.tenantId, async (tx) => {
    const tenant = await tx
      .selectFrom('tenants')
      .select(['name', 'status'])
      .where('id', '=', t.tenantId)
      .executeTakeFirst();
    if (!tenant) return null;
    if (kind === 'customer') return { tenantId: t.tenantId, keys: t.keys, org: tenant.name, status: tenant.status };
    const inv = await tx
      .selectFrom('invitations')
      .select(['id', 'language'])
      .where('id', '=', t.rowId)
      .executeTakeFirst();
    if (!inv) return null;
    return {
      tenantId: t.tenantId,
      keys: t.keys,
      org: tenant.name,
      status: tenant.status,
      invitationId: inv.id,
      lang: inv.language,
    };
  });
}

const formBody = z
  .record(z.string(), z.union([z.string(), z.array(z.string())]))
  .describe(
    'kind (access, rectification, erasure, objection, portability), email (customer link only), message (optional), lang',
  );
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function readForm(
  values: Record<string, unknown>,
  lang: Lang,
  askEmail: boolean,
): { state: FormState; kind?: RequestKind; email?: string; message: string | null } {
  const t = pageText(lang);
  const kind = str(values.kind);
  const email = str(values.email)?.trim();
  const message = str(values.message)?.trim() ?? '';
  const state: FormState = { ...(kind ? { kind } : {}), ...(email ? { email } : {}), message, errors: {} };
  const okKind = (REQUEST_KINDS as readonly string[]).includes(kind ?? '') ? (kind as RequestKind) : undefined;
  if (!okKind) state.errors.kind = t.errors.kind;
  const okEmail = askEmail ? (email ? normalizeEmail(email) : undefined) : undefined;
  if (askEmail && !okEmail) state.errors.email = t.errors.email;
  if (message.length > 2000) state.errors.message = t.errors.message;
  return {
    state,
    ...(okKind ? { kind: okKind } : {}),
    ...(okEmail ? { email: okEmail } : {}),
    message: message || null,
  };
}

const ID = '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d';
const requestView = z.object({
  id: z.string(),
  kind: z.enum(REQUEST_KINDS),
  status: z.enum(['unconfirmed', 'received', 'extended', 'done', 'refused', 'expired']),
  lang: z.enum(['nl', 'en']),
  source: z
    .enum(['invitation', 'open'])
    .describe('invitation: filed from an invitation (tied to its contact); open: the respondent typed the address'),
  email: z.string().nullable().describe('The confirmed address; null once the person was erased'),
  message: z.string().nullable(),
  contactId: z
    .string()
    .nullable()
    .describe('The contact the request is about: from the invitation, or the contact with the confirmed address'),
  receivedAt: z.string().nullable(),
  dueOn: z
    .string()
    .nullable()
    .describe('Last day to answer (Europe/Amsterdam): one calendar month after receipt, two more after an extension'),
  originalDueOn: z.string().nullable(),
  extendedAt: z.string().nullable(),
  extensionReason: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionReason: z.string().nullable(),
  overdue: z.boolean(),
});
const EXAMPLE = {
  id: ID,
  kind: 'access',
  status: 'received',
  lang: 'nl',
  source: 'invitation',
  email: 'jan@example.nl',
  message: null,
  contactId: '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e',
  receivedAt: '2026-11-20T09:00:00.000Z',
  dueOn: '2026-12-20',
  originalDueOn: '2026-12-20',
  extendedAt: null,
  extensionReason: null,
  decidedAt: null,
  decisionReason: null,
  overdue: false,
} as const;
const counts = z.object({
  contact: z
    .boolean()
    .describe('The contact row exists (false: deleted earlier; what is left of the person is still erased)'),
  invitations: z.number().int(),
  responses: z
    .number()
    .int()
    .describe(
      'Answers linked to the person (identified and confidential surveys); anonymous answers are linked to nobody and are not touched',
    ),
  requests: z.number().int(),
  logImagesUnreadable: z
    .number()
    .int()
    .describe(
      'Images of the contact in the audit log that become unreadable (their key is destroyed; the log itself is unchanged)',
    ),
});

/** OBLIGATIONS DSR-1, DSR-2: the public request pages and the customer's requests, export and erasure. */
export function requestRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const params = z.object({ token: z.string().max(200) });
    const query = z.object({ lang: z.string().optional() });
    const postLimit = { max: ctx.env.REQUEST_RATE_PER_MINUTE, timeWindow: 60_000 };
    const getLimit = { max: ctx.env.REQUEST_RATE_PER_MINUTE * 6, timeWindow: 60_000 };
    const respondent = (req: FastifyRequest) => ({
      kind: 'respondent' as const,
      id: null,
      ip: req.ip,
      requestId: req.id,
    });

    for (const kind of ['invitation', 'customer'] as const) {
      const path = kind === 'invitation' ? '/r/:token' : '/r/o/:token';
      const askEmail = kind === 'customer';
      app.get(
        path,
        {
          config: { access: 'respondent', rateLimit: getLimit },
          schema: {
            tags: ['respondent'],
            summary:
              kind === 'invitation'
                ? "DSR-1: the request page of an invitation (HTML): access, rectification, erasure, objection, portability; tied to the invitation's contact"
                : 'DSR-1: the request page of a customer (HTML), linked from open-link and anonymous survey pages; the respondent types an address',
            params,
            querystring: query,
          },
        },
        async (request, reply) => {
          const target = await resolveLink(ctx, request.params.token, kind);
          const lang0 = langOf(request.query.lang, browserLang(request));
          const unavailable = unavailability(target?.status);
          if (unavailable) return sendUnavailable(reply, { state: unavailable });
          if (!target || target.status !== 'active') return invalid(reply, lang0);
          const lang = langOf(request.query.lang, target.lang ?? lang0);
          return send(
            reply,
            200,
            requestForm(
              lang,
              target.org,
              `${kind === 'invitation' ? '/r/' : '/r/o/'}${request.params.token}`,
              askEmail,
              { errors: {} },
            ),
          );
        },
      );

      app.post(
        path,
        {
          config: { access: 'respondent', rateLimit: postLimit },
          schema: {
            tags: ['respondent'],
            summary:
              'DSR-1: file a request (form post, rate-limited per address). Always the same "check your email" page: nothing says whether the address is a contact',
            params,
            body: formBody,
          },
        },
        async (request, reply) => {
          const values = request.body as Record<string, unknown>;
          const lang = langOf(values.lang, 'nl');
          const target = await resolveLink(ctx, request.params.token, kind);
          const unavailable = unavailability(target?.status);
          if (unavailable) return sendUnavailable(reply, { notStored: true, state: unavailable });
          if (!target || target.status !== 'active') return invalid(reply, lang);
          const form = readForm(values, lang, askEmail);
          if (Object.keys(form.state.errors).length)
            return send(
              reply,
              422,
              requestForm(
                lang,
                target.org,
                `${kind === 'invitation' ? '/r/' : '/r/o/'}${request.params.token}`,
                askEmail,
                form.state,
              ),
            );
          const ok = await fileRequest(ctx, {
            tenantId: target.tenantId,
            keys: target.keys,
            kind: form.kind!,
            lang,
            message: form.message,
            ...(target.invitationId ? { invitationId: target.invitationId } : { email: form.email! }),
          });
          if (!ok) return invalid(reply, lang);
          return send(
            reply,
            200,
            messagePage(lang, pageText(lang).sentTitle, pageText(lang).sent(ctx.env.REQUEST_CONFIRM_HOURS)),
          );
        },
      );
    }

    app.get(
      '/r/c/:token',
      {
        config: { access: 'respondent', rateLimit: getLimit },
        schema: {
          tags: ['respondent'],
          summary: 'DSR-1: the confirmation page of a request (HTML, a button: link scanners confirm nothing)',
          params,
          querystring: query,
        },
      },
      async (request, reply) => {
        const p = await pendingConfirmation(ctx, request.params.token);
        const lang0 = langOf(request.query.lang, browserLang(request));
        if (!p) return invalid(reply, lang0);
        return send(reply, 200, confirmPage(p.lang, p.org, p.kind, `/r/c/${request.params.token}`));
      },
    );

    app.post(
      '/r/c/:token',
      {
        config: { access: 'respondent', rateLimit: postLimit },
        schema: {
          tags: ['respondent'],
          summary:
            'DSR-1: confirm a request: it is forwarded to the customer (Privacy section, mail to the privacy contact); the page names the customer and the due date',
          params,
        },
      },
      async (request, reply) => {
        const c = await confirmRequest(ctx, request.params.token, respondent(request));
        if (!c) return invalid(reply, browserLang(request));
        return send(
          reply,
          200,
          messagePage(c.lang, pageText(c.lang).confirmedTitle, pageText(c.lang).confirmed(c.org, c.kind, c.dueOn)),
        );
      },
    );

    // ---------------------------------------------------------------- the customer's side

    app.get(
      '/api/v1/requests',
      {
        config: { access: { permission: Permission.REQUESTS_READ } },
        schema: {
          tags: ['privacy'],
          summary:
            'Requests of respondents forwarded to this customer (confirmed ones only), open first by due date (DSR-1; owners and admins)',
          response: { 200: z.object({ requests: z.array(requestView) }).meta({ examples: [{ requests: [EXAMPLE] }] }) },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const keys = await ctx.keyring.forTenant(auth.tenantId);
        return ctx.db.tenant(auth.tenantId, async (tx) => ({ requests: await listRequests(tx, keys) }));
      },
    );

    const idParams = z.object({ id: z.string() });
    app.post(
      '/api/v1/requests/:id/extension',
      {
        config: { access: { permission: Permission.REQUESTS_MANAGE } },
        schema: {
          tags: ['privacy'],
          summary:
            'Extend the due date by two further months, once, with a reason the respondent is told (GDPR art. 12(3); DSR-1; owner)',
          params: idParams,
          body: z.object({ reason: z.string().trim().min(1).max(2000) }).meta({
            examples: [
              {
                reason:
                  'Het verzoek vraagt gegevens uit meerdere systemen. / The request needs data from several systems.',
              },
            ],
          }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        if (!isUuid(request.params.id)) throw AppError.notFound('request');
        await extendRequest(
          ctx,
          auth.tenantId,
          request.params.id,
          request.body.reason,
          auth.userId,
          actorOf(request, auth),
        );
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/v1/requests/:id/decision',
      {
        config: { access: { permission: Permission.REQUESTS_MANAGE } },
        schema: {
          tags: ['privacy'],
          summary:
            'Record the decision on a request: done, or refused with a reason; the respondent is told (DSR-1; owner)',
          params: idParams,
          body: z
            .object({ decision: z.enum(['done', 'refused']), reason: z.string().trim().max(2000).optional() })
            .meta({
              examples: [
                { decision: 'done', reason: 'De gegevens zijn per e-mail verstuurd. / The data was sent by email.' },
              ],
            }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        if (!isUuid(request.params.id)) throw AppError.notFound('request');
        await decideRequest(
          ctx,
          auth.tenantId,
          request.params.id,
          request.body.decision,
          request.body.reason || null,
          auth.userId,
          actorOf(request, auth),
        );
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/v1/contacts/:id/export',
      {
        config: { access: { permission: Permission.REQUESTS_MANAGE } },
        schema: {
          tags: ['privacy'],
          summary:
            'Everything about one person: contact, profile, invitations, answers (identified surveys), labels, suppressions, requests, log entries; JSON, or a ZIP of CSV files; says what anonymous and confidential surveys hide and why (DSR-2; owner)',
          params: idParams,
          querystring: z.object({ format: z.enum(['json', 'csv']).default('json') }),
          produces: ['application/json', 'application/zip'],
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        if (!isUuid(request.params.id)) throw AppError.notFound('contact');
        const keys = await ctx.keyring.forTenant(auth.tenantId);
        const e = await ctx.db.tenant(auth.tenantId, async (tx) => {
          const out = await exportPerson(tx, auth.tenantId, keys, request.params.id);
          if (!out) throw AppError.notFound('contact');
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.CONTACT_EXPORTED,
            subject: { kind: 'contact', id: request.params.id },
            details: {
              format: request.query.format,
              invitations: out.invitations.length,
              responses: out.responses.length,
            },
          });
          return out;
        });
        const name = `peil-person-${request.params.id}`;
        reply.header('cache-control', 'no-store');
        if (request.query.format === 'csv') {
          return reply
            .type('application/zip')
            .header('content-disposition', `attachment; filename="${name}.zip"`)
            .send(Buffer.from(exportZip(e)));
        }
        return reply
          .type('application/json; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}.json"`)
          .send(JSON.stringify(e, null, 2));
      },
    );

    app.get(
      '/api/v1/contacts/:id/erasure',
      {
        config: { access: { permission: Permission.REQUESTS_MANAGE } },
        schema: {
          tags: ['privacy'],
          summary:
            'What erasing this person would remove (for the confirmation), without removing anything (DSR-2; owner)',
          params: idParams,
          response: {
            200: counts.meta({
              examples: [{ contact: true, invitations: 2, responses: 1, requests: 1, logImagesUnreadable: 1 }],
            }),
          },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        if (!isUuid(request.params.id)) throw AppError.notFound('contact');
        const keys = await ctx.keyring.forTenant(auth.tenantId);
        const p = await ctx.db.tenant(auth.tenantId, (tx) =>
          erasurePreview(tx, auth.tenantId, keys, request.params.id),
        );
        if (!p) throw AppError.notFound('contact');
        return p;
      },
    );

    app.post(
      '/api/v1/contacts/:id/erasure',
      {
        config: { access: { permission: Permission.REQUESTS_MANAGE } },
        schema: {
          tags: ['privacy'],
          summary:
            'Erase one person everywhere: contact, invitations, linked answers and what was derived from them, outbox mail, idempotency records, webhook deliveries; the log keeps a pseudonym and its images become unreadable; the address stays suppressed by blind index. Cannot be undone. Open requests of the person are marked done and the respondent is told (DSR-2; owner)',
          params: idParams,
          response: {
            200: counts
              .extend({
                webhookDeliveries: z.number().int(),
                outbox: z.number().int(),
                idempotencyRecords: z.number().int(),
              })
              .meta({
                examples: [
                  {
                    contact: true,
                    invitations: 2,
                    responses: 1,
                    requests: 1,
                    logImagesUnreadable: 1,
                    webhookDeliveries: 0,
                    outbox: 2,
                    idempotencyRecords: 0,
                  },
                ],
              }),
          },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        if (!isUuid(request.params.id)) throw AppError.notFound('contact');
        const keys = await ctx.keyring.forTenant(auth.tenantId);
        const r = await ctx.db.tenant(auth.tenantId, async (tx) => {
          const out = await erasePerson(tx, auth.tenantId, keys, request.params.id);
          if (!out) throw AppError.notFound('contact');
          await audit(tx, auth.tenantId, actorOf(request, auth), {
            action: AuditAction.CONTACT_ERASED,
            subject: { kind: 'contact', id: request.params.id },
            details: { ...out.counts },
          });
          return out;
        });
        await noticeErased(ctx, auth.tenantId, r.notices);
        return r.counts;
      },
    );
  };
}
