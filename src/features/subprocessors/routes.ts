import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { isUuid } from '../../lib/db/db.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { Permission } from '../../lib/permissions.js';
import { actorOf, callerOf, operatorOf } from '../auth/guard.js';
import { KINDS, SAFEGUARDS } from './eea.js';
import { objectToChange, operatorChanges, resolveChange } from './changes.js';
import {
  applicableSubprocessors,
  assign,
  consent,
  createEntry,
  operatorRegister,
  processingLocation,
  removeEntry,
  updateEntry,
  withdrawConsent,
} from './service.js';

const ID = '5f0c8a4e-2b1d-4c3e-9f6a-7b8c9d0e1f2a';
const TENANT = '0b7d2c8e-1f3a-4e5b-8c6d-9a0b1c2d3e4f';
const USER = '9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f';
const AT = '2026-11-20T09:00:00.000Z';
const CHANGE = '3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a6b';

const country = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 country code, e.g. NL')
  .describe('ISO 3166-1 alpha-2; whether it lies inside the EEA is derived from it');
const base = {
  name: z.string().trim().min(1).max(200),
  service: z.string().trim().min(1).max(500).describe('What it does for Peil'),
  location: z.string().trim().min(1).max(200).describe('City or region of the processing'),
  country,
  safeguards: z
    .array(z.enum(SAFEGUARDS))
    .max(SAFEGUARDS.length)
    .describe(
      'dpa: processing agreement; scc: standard contractual clauses; bcr; adequacy; dpf: EU-US Data Privacy Framework; certifications',
    ),
  safeguardsNote: z.string().trim().max(1000).nullable().optional(),
  kind: z.enum(KINDS).describe('hosting, smtp (the mail relay), ai (the external labelling provider) or other'),
  appliesTo: z
    .union([z.literal('all'), z.array(z.string()).max(10_000)])
    .describe("'all' customers, or the ids of the customers it applies to"),
};

const EXAMPLE_INPUT = {
  name: 'Mistral AI',
  service: 'Labelling of redacted free-text answers',
  location: 'Paris',
  country: 'FR',
  safeguards: ['dpa', 'iso27001'],
  safeguardsNote: null,
  kind: 'ai',
  appliesTo: 'all',
};
const entryInput = z.object(base).meta({ examples: [EXAMPLE_INPUT] });
const entryPatch = z
  .object({
    ...base,
    safeguards: base.safeguards.optional(),
    name: base.name.optional(),
    service: base.service.optional(),
    location: base.location.optional(),
    country: country.optional(),
    kind: base.kind.optional(),
    appliesTo: base.appliesTo.optional(),
  })
  .meta({ examples: [{ country: 'US', safeguards: ['dpa', 'scc', 'dpf'] }] });

const registerEntry = {
  id: z.string(),
  name: z.string(),
  service: z.string(),
  location: z.string(),
  country: z.string(),
  insideEea: z.boolean(),
  safeguards: z.array(z.enum(SAFEGUARDS)),
  safeguardsNote: z.string().nullable(),
  kind: z.enum(KINDS),
};
const EXAMPLE_ENTRY = {
  id: ID,
  name: 'Mistral AI',
  service: 'Labelling of redacted free-text answers',
  location: 'Paris',
  country: 'FR',
  insideEea: true,
  safeguards: ['dpa', 'iso27001'],
  safeguardsNote: null,
  kind: 'ai',
};
const operatorEntry = z.object({
  ...registerEntry,
  appliesTo: z.union([z.literal('all'), z.array(z.string())]),
  consents: z.array(z.object({ tenantId: z.string(), country: z.string(), at: z.string() })),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const operatorList = z
  .object({
    subprocessors: z.array(operatorEntry),
    implied: z
      .array(z.object({ kind: z.enum(KINDS), name: z.string(), source: z.string(), registered: z.boolean() }))
      .describe(
        'Services the configuration uses; registered false: configured but missing from the register (flagged)',
      ),
  })
  .meta({
    examples: [
      {
        subprocessors: [{ ...EXAMPLE_ENTRY, appliesTo: 'all', consents: [], createdAt: AT, updatedAt: AT }],
        implied: [
          { kind: 'ai', name: 'Mistral AI', source: 'AI_PROVIDER_URL', registered: true },
          { kind: 'smtp', name: 'smtp.example.nl', source: 'SMTP_URL', registered: false },
        ],
      },
    ],
  });

const snapshot = z.object({
  name: z.string(),
  service: z.string(),
  location: z.string(),
  country: z.string(),
  insideEea: z.boolean(),
  safeguards: z.array(z.enum(SAFEGUARDS)),
  kind: z.enum(KINDS),
});
const customerEntry = z.object({
  ...registerEntry,
  status: z
    .enum(['applied', 'awaiting_consent', 'objection_window', 'objected'])
    .describe(
      'Only applied is used for this customer. objection_window: a change was announced and its objection window runs (SUB-2); objected: the customer objected and the operator has not resolved it (SUB-2); awaiting_consent: outside the EEA and not used until an owner consents (SUB-3)',
    ),
  statusText: z.object({ nl: z.string(), en: z.string() }),
  consent: z.object({ by: z.string(), at: z.string(), country: z.string() }).nullable(),
  change: z
    .object({
      id: z.string(),
      change: z.enum(['added', 'changed']),
      status: z.enum(['pending', 'objected']),
      windowEndsOn: z
        .string()
        .nullable()
        .describe('The last day (inclusive, Europe/Amsterdam) to object; null until the notice has gone out'),
      previous: snapshot.nullable().describe("The entry as it was, for a change ('changed')"),
      objection: z.object({ by: z.string(), at: z.string() }).nullable(),
    })
    .nullable()
    .describe('The open change of this entry for this customer (SUB-2), or null'),
});
const EXAMPLE_US = {
  ...EXAMPLE_ENTRY,
  id: '6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  name: 'Example Mail Inc.',
  service: 'SMTP relay',
  location: 'Virginia',
  country: 'US',
  insideEea: false,
  safeguards: ['dpa', 'scc', 'dpf'],
  kind: 'smtp',
};
const customerList = z
  .object({
    processingLocation: z
      .object({ location: z.string(), country: z.string(), insideEea: z.boolean() })
      .describe('Where Peil stores and processes the data (SUB-4)'),
    subprocessors: z.array(customerEntry),
  })
  .meta({
    examples: [
      {
        processingLocation: { location: 'EU', country: 'NL', insideEea: true },
        subprocessors: [
          {
            ...EXAMPLE_ENTRY,
            status: 'applied',
            statusText: { nl: 'Toegepast', en: 'Applied' },
            consent: null,
            change: null,
          },
          {
            ...EXAMPLE_US,
            status: 'objection_window',
            statusText: {
              nl: 'In bezwaartermijn tot en met 20 december 2026',
              en: 'In objection window until 20 December 2026',
            },
            consent: null,
            change: {
              id: CHANGE,
              change: 'added',
              status: 'pending',
              windowEndsOn: '2026-12-20',
              previous: null,
              objection: null,
            },
          },
        ],
      },
    ],
  });

export function subprocessorRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/operator/subprocessors',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary:
            'The register of sub-processors, with the customers each applies to, their consents, and configured services missing from it (SUB-1)',
          response: { 200: operatorList },
        },
      },
      async () => {
        return operatorRegister(ctx);
      },
    );

    app.post(
      '/api/v1/operator/subprocessors',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary: 'Add a sub-processor to the register (SUB-1)',
          body: entryInput,
          response: { 201: z.object({ id: z.string() }).meta({ examples: [{ id: ID }] }) },
        },
      },
      async (request, reply) => {
        const op = operatorOf(request);
        const id = await createEntry(ctx, request.body, actorOf(request, op));
        return reply.code(201).send({ id });
      },
    );

    app.patch(
      '/api/v1/operator/subprocessors/:id',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary: 'Change a sub-processor of the register (SUB-1)',
          params: z.object({ id: z.string() }),
          body: entryPatch,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const op = operatorOf(request);
        await updateEntry(ctx, request.params.id, request.body, actorOf(request, op));
        return reply.code(204).send(null);
      },
    );

    app.delete(
      '/api/v1/operator/subprocessors/:id',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary: 'Remove a sub-processor from the register (SUB-1)',
          params: z.object({ id: z.string() }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const op = operatorOf(request);
        await removeEntry(ctx, request.params.id, actorOf(request, op));
        return reply.code(204).send(null);
      },
    );

    const assignment = async (request: FastifyRequest, id: string, tenantId: string, on: boolean) => {
      const op = operatorOf(request);
      if (!isUuid(id)) throw AppError.notFound('sub-processor');
      if (!isUuid(tenantId)) throw AppError.notFound('customer');
      const entry = (await operatorRegister(ctx)).subprocessors.find((e) => e.id === id);
      if (!entry) throw AppError.notFound('sub-processor');
      if (entry.appliesTo === 'all')
        throw new AppError(ErrorCode.CONFLICT, { key: 'problems:subprocessors.appliesToAll' });
      const tenant = await ctx.db.global((tx) =>
        tx.selectFrom('tenants').select('id').where('id', '=', tenantId).executeTakeFirst(),
      );
      if (!tenant) throw AppError.notFound('customer');
      const changed = await assign(ctx, tenantId, entry, actorOf(request, op), on);
      return { subprocessorId: id, tenantId, applies: on, changed };
    };
    const assignmentSchema = (on: boolean) => ({
      tags: ['operator'],
      summary: on
        ? 'Apply a listed sub-processor to one customer (audited in its log)'
        : 'Stop applying a listed sub-processor to one customer (audited in its log)',
      params: z.object({ id: z.string(), tenantId: z.string() }),
      response: {
        200: z
          .object({ subprocessorId: z.string(), tenantId: z.string(), applies: z.boolean(), changed: z.boolean() })
          .meta({ examples: [{ subprocessorId: ID, tenantId: TENANT, applies: on, changed: true }] }),
      },
    });
    app.put(
      '/api/v1/operator/subprocessors/:id/customers/:tenantId',
      { config: { access: 'operator' }, schema: assignmentSchema(true) },
      (request) => assignment(request, request.params.id, request.params.tenantId, true),
    );
    app.delete(
      '/api/v1/operator/subprocessors/:id/customers/:tenantId',
      { config: { access: 'operator' }, schema: assignmentSchema(false) },
      (request) => assignment(request, request.params.id, request.params.tenantId, false),
    );

    app.get(
      '/api/v1/subprocessors',
      {
        config: { access: { permission: Permission.SUBPROCESSORS_READ } },
        schema: {
          tags: ['privacy'],
          summary:
            'The sub-processors that apply to this customer, and where its data is stored and processed (SUB-1, SUB-3, SUB-4; owners and admins)',
          response: { 200: customerList },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const subprocessors = await ctx.db.tenant(auth.tenantId, (tx) => applicableSubprocessors(tx));
        return { processingLocation: processingLocation(ctx.env), subprocessors };
      },
    );

    app.post(
      '/api/v1/subprocessors/:id/consent',
      {
        config: { access: { permission: Permission.TENANT_MANAGE } },
        schema: {
          tags: ['privacy'],
          summary:
            "An owner's explicit prior consent to a sub-processor outside the EEA; until then it is not used for this customer (SUB-3)",
          params: z.object({ id: z.string() }),
          response: {
            200: customerEntry.meta({
              examples: [
                {
                  ...EXAMPLE_US,
                  status: 'applied',
                  statusText: { nl: 'Toegepast', en: 'Applied' },
                  consent: { by: USER, at: AT, country: 'US' },
                  change: null,
                },
              ],
            }),
          },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        return consent(ctx, auth.tenantId, request.params.id, auth.userId, actorOf(request, auth));
      },
    );

    app.delete(
      '/api/v1/subprocessors/:id/consent',
      {
        config: { access: { permission: Permission.TENANT_MANAGE } },
        schema: {
          tags: ['privacy'],
          summary:
            'Withdraw the consent to a sub-processor outside the EEA (owner): it is not used for this customer again until a new consent (SUB-3)',
          params: z.object({ id: z.string() }),
          response: {
            200: customerEntry.meta({
              examples: [
                {
                  ...EXAMPLE_US,
                  status: 'awaiting_consent',
                  statusText: {
                    nl: 'Wacht op uw toestemming (buiten de EER)',
                    en: 'Awaiting your consent (outside the EEA)',
                  },
                  consent: null,
                  change: null,
                },
              ],
            }),
          },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        return withdrawConsent(ctx, auth.tenantId, request.params.id, actorOf(request, auth));
      },
    );

    app.post(
      '/api/v1/subprocessors/:id/objection',
      {
        config: { access: { permission: Permission.TENANT_MANAGE } },
        schema: {
          tags: ['privacy'],
          summary:
            "An owner's objection to the announced change of a sub-processor, within the objection window; the change is not applied to this customer until the operator resolves it (SUB-2)",
          params: z.object({ id: z.string() }),
          body: z
            .object({
              reason: z
                .string()
                .trim()
                .min(1)
                .max(2000)
                .describe('Why the customer objects (kept sealed with the customer key)'),
            })
            .meta({
              examples: [
                {
                  reason:
                    'Wij willen geen verwerking buiten Nederland. / We want no processing outside the Netherlands.',
                },
              ],
            }),
          response: {
            200: customerEntry.meta({
              examples: [
                {
                  ...EXAMPLE_US,
                  status: 'objected',
                  statusText: { nl: 'Bezwaar ingediend', en: 'Objected' },
                  consent: null,
                  change: {
                    id: CHANGE,
                    change: 'added',
                    status: 'objected',
                    windowEndsOn: '2026-12-20',
                    previous: null,
                    objection: { by: USER, at: AT },
                  },
                },
              ],
            }),
          },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        await objectToChange(
          ctx,
          auth.tenantId,
          request.params.id,
          auth.userId,
          request.body.reason,
          actorOf(request, auth),
        );
        const entry = (await ctx.db.tenant(auth.tenantId, (tx) => applicableSubprocessors(tx))).find(
          (e) => e.id === request.params.id,
        );
        if (!entry) throw AppError.notFound('sub-processor');
        return entry;
      },
    );

    const operatorChange = z.object({
      tenantId: z.string(),
      tenantName: z.string(),
      id: z.string(),
      subprocessorId: z.string(),
      change: z.enum(['added', 'changed']),
      status: z.enum(['pending', 'objected', 'applied', 'withdrawn', 'overridden', 'superseded']),
      entry: snapshot,
      previous: snapshot.nullable(),
      objectionDays: z.number().int(),
      createdAt: z.string(),
      notifiedAt: z.string().nullable(),
      notifiedTo: z.enum(['privacy_contact', 'owners', 'nobody']).nullable(),
      windowEndsOn: z.string().nullable(),
      objection: z.object({ by: z.string(), at: z.string(), reason: z.string() }).nullable(),
      resolution: z.object({ by: z.string().nullable(), at: z.string(), note: z.string().nullable() }).nullable(),
      appliedAt: z.string().nullable(),
    });
    app.get(
      '/api/v1/operator/subprocessors/changes',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary:
            'Announced changes of the register per customer: objection windows, objections (with their reasons) and resolutions (SUB-2)',
          querystring: z.object({
            state: z.enum(['open', 'all']).default('open').describe('open: pending or objected'),
          }),
          response: {
            200: z.object({ changes: z.array(operatorChange) }).meta({
              examples: [
                {
                  changes: [
                    {
                      tenantId: TENANT,
                      tenantName: 'Zorggroep Noord',
                      id: CHANGE,
                      subprocessorId: ID,
                      change: 'added',
                      status: 'objected',
                      entry: {
                        name: 'Mistral AI',
                        service: 'Labelling of redacted free-text answers',
                        location: 'Paris',
                        country: 'FR',
                        insideEea: true,
                        safeguards: ['dpa'],
                        kind: 'ai',
                      },
                      previous: null,
                      objectionDays: 30,
                      createdAt: AT,
                      notifiedAt: AT,
                      notifiedTo: 'privacy_contact',
                      windowEndsOn: '2026-12-20',
                      objection: { by: USER, at: AT, reason: 'Geen AI. / No AI.' },
                      resolution: null,
                      appliedAt: null,
                    },
                  ],
                },
              ],
            }),
          },
        },
      },
      async (request) => {
        return { changes: await operatorChanges(ctx, { open: request.query.state === 'open' }) };
      },
    );

    app.post(
      '/api/v1/operator/subprocessors/changes/:tenantId/:changeId/resolve',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary:
            "Resolve a customer's change: withdraw it for that customer (a listed entry is unassigned, an entry for all excluded) or, after agreement with the customer, override an objection (SUB-2)",
          params: z.object({ tenantId: z.string(), changeId: z.string() }),
          body: z
            .object({
              resolution: z.enum(['withdraw', 'override']),
              note: z
                .string()
                .trim()
                .min(1)
                .max(2000)
                .describe('What was agreed with the customer, or why it is withdrawn'),
            })
            .meta({
              examples: [
                {
                  resolution: 'override',
                  note: 'Op 3 december telefonisch akkoord met de privacycontactpersoon. / Agreed by phone with the privacy contact on 3 December.',
                },
              ],
            }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const op = operatorOf(request);
        await resolveChange(
          ctx,
          request.params.tenantId,
          request.params.changeId,
          request.body.resolution,
          request.body.note,
          actorOf(request, op),
        );
        return reply.code(204).send(null);
      },
    );
  };
}
