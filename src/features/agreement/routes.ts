import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { isUuid } from '../../lib/db/db.js';
import { AppError } from '../../lib/errors.js';
import { Permission } from '../../lib/permissions.js';
import { actorOf, callerOf, operatorOf } from '../auth/guard.js';
import { changeContacts, readAgreement, recordNotice } from './service.js';
import { changeOrPropose, notifyPending } from './versions.js';
import { changeInput, contactsInput } from './schemas.js';
import { PRESET_NAMES, termsSchema } from './terms.js';

const contactOut = z.object({ name: z.string().nullable(), email: z.string().nullable() });

const agreementOut = z.object({
  tenantId: z.string(),
  parties: z.object({ processor: z.object({ name: z.string() }), controller: z.object({ name: z.string() }) }),
  version: z.string(),
  preset: z.string().nullable(),
  startDate: z.string(),
  termMonths: z.number(),
  renewalMonths: z.number().nullable().describe('null: no automatic renewal'),
  noticeMonths: z.number(),
  contacts: z.object({ processor: contactOut, customer: contactOut, privacyEmail: z.string().nullable() }),
  terms: termsSchema,
  currentTermStart: z.string().describe('AGR-5: the first day of the term running today (renewals applied)'),
  currentTermEnd: z.string().describe('the day the current term ends (exclusive): the first day of the next'),
  noticeDeadline: z.string().describe('the last day on which notice ends the agreement with the current term'),
  notice: z
    .object({ givenAt: z.string(), givenBy: z.string().nullable(), late: z.boolean(), endsOn: z.string() })
    .nullable(),
  endsOn: z
    .string()
    .nullable()
    .describe('the day the agreement ends (exclusive), once notice is given or without renewal'),
  status: z.enum(['running', 'ended']),
});

/** OBLIGATIONS AGR-1, AGR-2, AGR-5: the agreement for operators (set) and for the customer (read; owner: contacts and notice). */
export function agreementRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const processor = ctx.env.PEIL_OPERATOR_ORGANISATION;
  return async (app) => {
    app.get(
      '/api/v1/operator/tenants/:id/agreement',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator', 'agreement'],
          summary: "A customer's processing agreement",
          params: z.object({ id: z.string() }),
          response: { 200: agreementOut },
        },
      },
      async (request) => {
        const { id } = request.params;
        if (!isUuid(id)) throw AppError.notFound('customer');
        return ctx.db.tenant(id, (tx) => readAgreement(tx, id, processor));
      },
    );

    app.get(
      '/api/v1/operator/agreements',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator', 'agreement'],
          summary:
            'Every customer’s agreement: terms, current term, notice deadline and status (AGR-1, AGR-5), for the operator console',
          response: {
            200: z.object({
              agreements: z.array(
                agreementOut.extend({ customer: z.object({ slug: z.string(), status: z.string() }) }),
              ),
            }),
          },
        },
      },
      async () => {
        const tenants = await ctx.db.global((tx) =>
          tx.selectFrom('tenants').select(['id', 'slug', 'status']).orderBy('created_at').execute(),
        );
        const now = new Date();
        const agreements = [];
        // One transaction per customer: each agreement sits behind its customer's row-level security.
        for (const t of tenants)
          agreements.push({
            ...(await ctx.db.tenant(t.id, (tx) => readAgreement(tx, t.id, processor, now))),
            customer: { slug: t.slug, status: t.status },
          });
        return { agreements };
      },
    );

    app.put(
      '/api/v1/operator/tenants/:id/agreement',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator', 'agreement'],
          summary:
            "Set a customer's agreement: terms within their bounds, dates, contacts, or a preset (?preset= or the body)",
          params: z.object({ id: z.string() }),
          querystring: z.object({ preset: z.enum(PRESET_NAMES).optional() }),
          body: changeInput,
          response: {
            200: agreementOut.describe(
              'applied at once (before the customer first accepted the agreement, or only contacts changed)',
            ),
            202: z
              .object({
                proposal: z
                  .string()
                  .describe('the proposed version (GET /api/v1/operator/tenants/{id}/agreement/versions)'),
                agreement: agreementOut.describe('the agreement still in force'),
              })
              .describe(
                'AGR-3: the customer has accepted the agreement, so the change of terms, dates or version is announced as a new version and applied after its objection window',
              ),
          },
        },
      },
      async (request, reply) => {
        const op = operatorOf(request);
        const { id } = request.params;
        if (!isUuid(id)) throw AppError.notFound('customer');
        const preset = request.body.preset ?? request.query.preset;
        const out = await ctx.db.tenant(id, async (tx) => {
          const tenant = await tx.selectFrom('tenants').select('id').where('id', '=', id).executeTakeFirst();
          if (!tenant) throw AppError.notFound('customer');
          const { proposal } = await changeOrPropose(tx, id, { ...request.body, preset }, actorOf(request, op));
          return { proposal, agreement: await readAgreement(tx, id, processor) };
        });
        if (!out.proposal) return reply.code(200).send(out.agreement);
        await notifyPending(ctx, id);
        return reply.code(202).send({ proposal: out.proposal, agreement: out.agreement });
      },
    );

    app.get(
      '/api/v1/agreement',
      {
        config: { access: { permission: Permission.AGREEMENT_READ } },
        schema: {
          tags: ['agreement'],
          summary: 'The processing agreement of this organisation, with the current term and the notice deadline',
          response: { 200: agreementOut },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        return ctx.db.tenant(auth.tenantId, (tx) => readAgreement(tx, auth.tenantId, processor));
      },
    );

    app.patch(
      '/api/v1/agreement/contacts',
      {
        config: { access: { permission: Permission.AGREEMENT_MANAGE } },
        schema: {
          tags: ['agreement'],
          summary: 'Change the contact persons and the privacy contact email (owner); nothing else of the agreement',
          body: contactsInput,
          response: { 200: agreementOut },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        return ctx.db.tenant(auth.tenantId, async (tx) => {
          await changeContacts(tx, auth.tenantId, request.body, actorOf(request, auth));
          return readAgreement(tx, auth.tenantId, processor);
        });
      },
    );

    app.post(
      '/api/v1/agreement/notice',
      {
        config: { access: { permission: Permission.AGREEMENT_MANAGE } },
        schema: {
          tags: ['agreement'],
          summary:
            'Give notice of termination (owner). After the notice deadline it is recorded as late and the agreement runs to the end of the renewed term.',
          response: { 201: agreementOut },
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        const now = new Date();
        const result = await ctx.db.tenant(auth.tenantId, async (tx) => {
          await recordNotice(tx, auth.tenantId, auth.kind === 'user' ? auth.userId : null, actorOf(request, auth), now);
          return readAgreement(tx, auth.tenantId, processor, now);
        });
        return reply.code(201).header('location', '/api/v1/agreement').send(result);
      },
    );
  };
}
