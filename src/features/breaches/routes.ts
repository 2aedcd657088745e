import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { isUuid } from '../../lib/db/db.js';
import { AppError } from '../../lib/errors.js';
import { Permission } from '../../lib/permissions.js';
import { actorOf, callerOf, operatorOf } from '../auth/guard.js';
import { readRegister } from '../register/service.js';
import { isAssignableCategory } from '../register/vocabulary.js';
import { apDraft } from './ap-draft.js';
import type { BreachFields } from './model.js';
import { SCOPE_TABLES, type BreachScope } from './scope.js';
import {
  breachBoard,
  closeBreach,
  createBreach,
  customerBreaches,
  listBreaches,
  notifyCustomers,
  previewScope,
  readBreach,
  recordScope,
  updateBreach,
} from './service.js';

const ID = '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d';
const TENANT = '0b7d2c8e-1f3a-4e5b-8c6d-9a0b1c2d3e4f';
const USER = '9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f';
const AT = '2026-11-20T09:00:00.000Z';

const instant = z.iso.datetime({ offset: true });
const category = z.string().refine(isAssignableCategory, {
  message: 'not a category of the register vocabulary (GET /api/v1/register/vocabulary)',
});
const text = (max: number) => z.string().trim().min(1).max(max);
const fieldShape = {
  startedAt: instant.describe('When the breach started (ISO 8601)'),
  discoveredAt: instant.describe('When Peil discovered it; deadlines are counted from here (BRE-2)'),
  description: text(5000),
  cause: text(2000),
  categories: z.array(category).max(60).describe('Register vocabulary codes of the data concerned'),
  subjectsApprox: z
    .number()
    .int()
    .min(0)
    .nullable()
    .describe(
      "The operator's overall estimate of data subjects; never sent to a customer (each gets its own computed numbers)",
    ),
  recordsApprox: z
    .number()
    .int()
    .min(0)
    .nullable()
    .describe("The operator's overall estimate of records; never sent to a customer"),
  consequences: text(3000),
  encrypted: z.boolean().describe('Whether the data concerned was encrypted (unintelligible to the unauthorised)'),
  measuresTaken: text(3000),
  measuresPlanned: z
    .array(z.object({ what: text(500), when: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date, YYYY-MM-DD') }))
    .max(50)
    .describe('The timeline of planned measures'),
  expectedRecovery: text(500),
  contactPoint: z.object({ name: text(200), email: z.email().max(254), phone: z.string().trim().max(40).nullable() }),
};
const EXAMPLE_FIELDS: BreachFields = {
  startedAt: '2026-11-19T22:10:00.000Z',
  discoveredAt: '2026-11-20T07:45:00.000Z',
  description:
    'Een supportaccount met een gelekt wachtwoord las contactgegevens. / A support account with a leaked password read contact details.',
  cause: 'Hergebruikt wachtwoord zonder tweede factor. / Reused password without a second factor.',
  categories: ['contact.email', 'contact.name'],
  subjectsApprox: 120,
  recordsApprox: 120,
  consequences: 'Phishing van respondenten. / Phishing of respondents.',
  encrypted: false,
  measuresTaken: 'Account geblokkeerd, sessies beëindigd. / Account blocked, sessions ended.',
  measuresPlanned: [
    {
      what: 'Tweede factor verplicht voor alle supportaccounts / Second factor required for every support account',
      when: '2026-11-27',
    },
  ],
  expectedRecovery: 'Hersteld / Recovered',
  contactPoint: { name: 'Olga Operator', email: 'privacy@peil.example', phone: '+31 20 123 4567' },
};
const fieldsInput = z.object(fieldShape).meta({ examples: [EXAMPLE_FIELDS] });
const fieldsPatch = z
  .object({
    ...Object.fromEntries(Object.entries(fieldShape).map(([k, v]) => [k, v.optional()])),
    note: text(3000).describe('What changed and why; kept in the history and mailed to the customers already told'),
  } as { [K in keyof typeof fieldShape]: z.ZodOptional<(typeof fieldShape)[K]> } & { note: z.ZodString })
  .meta({
    examples: [
      {
        measuresTaken: 'Account geblokkeerd, wachtwoorden gereset. / Account blocked, passwords reset.',
        note: 'Wachtwoorden gereset. / Passwords reset.',
      },
    ],
  });

const fieldsOut = z.object({
  ...fieldShape,
  startedAt: z.string(),
  discoveredAt: z.string(),
  categories: z.array(z.string()),
  contactPoint: z.object({ name: z.string(), email: z.string(), phone: z.string().nullable() }),
});
const breachOut = {
  id: z.string(),
  number: z.number().int(),
  status: z.enum(['open', 'closed']),
  fields: fieldsOut,
  createdAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().nullable(),
};
const EXAMPLE_BREACH = {
  id: ID,
  number: 3,
  status: 'open' as const,
  fields: EXAMPLE_FIELDS,
  createdAt: AT,
  updatedAt: AT,
  closedAt: null,
};

const actor = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('user'), id: z.string() }),
  z.object({ kind: z.literal('apikey'), id: z.string() }),
  z.object({ kind: z.literal('email'), email: z.email() }),
  z.object({ kind: z.literal('ip'), ip: z.string().min(2).max(64) }),
]);
const scopeInput = z
  .object({
    customers: z
      .union([z.literal('all'), z.array(z.string()).min(1).max(10_000)])
      .describe("'all' customers or a list of customer ids"),
    categories: z.array(category).max(60).optional().describe('Register vocabulary codes; with tables: data in both'),
    tables: z.array(z.enum(SCOPE_TABLES)).max(SCOPE_TABLES.length).optional(),
    window: z.object({ from: instant, to: instant }).describe('[from, to)'),
    records: z
      .enum(['existing', 'created'])
      .optional()
      .describe('Without an actor: records that existed during the window (default) or were created in it'),
    actor: actor
      .optional()
      .describe(
        "Count what this actor touched in the window according to the customer's audit log: a user (id), an API key (id), the users with an email address, or an IP address",
      ),
  })
  .meta({
    examples: [
      {
        customers: [TENANT],
        window: { from: '2026-11-19T23:00:00.000Z', to: '2026-11-20T23:00:00.000Z' },
        actor: { kind: 'user', id: USER },
      },
    ],
  });
const impactOut = z.object({
  tenantId: z.string(),
  tenantName: z.string(),
  contacts: z
    .number()
    .int()
    .describe(
      'See BRE-3 in features/breaches/scope.ts: contacts whose data the scope reached (an upper bound where the log records counts only)',
    ),
  responses: z.number().int(),
  users: z.number().int(),
  categories: z.array(z.string()),
  basis: z.record(z.string(), z.number()).describe('Log entries counted, per action (actor scopes)'),
  scope: z
    .record(z.string(), z.unknown())
    .describe('The scope as stored with the numbers (an email address as the user ids it resolved to)'),
});
const EXAMPLE_IMPACT = {
  tenantId: TENANT,
  tenantName: 'Zorggroep Noord',
  contacts: 12,
  responses: 30,
  users: 0,
  categories: ['answers.score', 'contact.email', 'contact.name'],
  basis: { 'contact.read': 2, 'responses.exported': 1 },
  scope: {
    window: { from: '2026-11-19T23:00:00.000Z', to: '2026-11-20T23:00:00.000Z' },
    records: 'existing',
    actor: { kind: 'user', id: USER },
  },
};
const partOut = impactOut.extend({
  computedAt: z.string(),
  noticeHours: z.number().int(),
  deadline: z.string().describe("Discovery + this customer's agreed breach notice hours (BRE-2)"),
  notifiedAt: z.string().nullable(),
  notifiedTo: z.enum(['privacy_contact', 'owners', 'nobody']).nullable(),
  alerts: z.object({ near: z.string().nullable(), overdue: z.string().nullable() }),
});
const EXAMPLE_PART = {
  ...EXAMPLE_IMPACT,
  computedAt: AT,
  noticeHours: 24,
  deadline: '2026-11-21T07:45:00.000Z',
  notifiedAt: null,
  notifiedTo: null,
  alerts: { near: null, overdue: null },
};
const historyOut = z.object({
  seq: z.number().int(),
  at: z.string(),
  operatorId: z.string().nullable(),
  kind: z.enum(['created', 'updated', 'scope', 'notified', 'closed']),
  note: z.string().nullable(),
  changes: z.record(z.string(), z.unknown()),
});
const boardItem = z.object({
  breachId: z.string(),
  number: z.number().int(),
  breachStatus: z.enum(['open', 'closed']),
  tenantId: z.string(),
  tenantName: z.string(),
  noticeHours: z.number().int(),
  deadline: z.string(),
  hoursLeft: z.number(),
  state: z.enum(['overdue', 'near', 'pending']),
  alerts: z.object({ near: z.string().nullable(), overdue: z.string().nullable() }),
});
const EXAMPLE_BOARD_ITEM = {
  breachId: ID,
  number: 3,
  breachStatus: 'open' as const,
  tenantId: TENANT,
  tenantName: 'Zorggroep Noord',
  noticeHours: 24,
  deadline: '2026-11-21T07:45:00.000Z',
  hoursLeft: 4.5,
  state: 'near' as const,
  alerts: { near: AT, overdue: null },
};

const told = fieldsOut.omit({ subjectsApprox: true, recordsApprox: true });
const content = z.object({
  kind: z.enum(['notice', 'update', 'closing']),
  number: z.number().int(),
  status: z.enum(['open', 'closed']),
  fields: told,
  own: z
    .object({
      contacts: z.number().int(),
      responses: z.number().int(),
      users: z.number().int(),
      categories: z.array(z.string()),
      noticeHours: z.number().int(),
      deadline: z.string(),
    })
    .describe("This customer's own numbers, never another customer's"),
  note: z.string().nullable(),
  changed: z.array(z.string()),
  sentAt: z.string(),
});
const { subjectsApprox: _s, recordsApprox: _r, ...EXAMPLE_TOLD } = EXAMPLE_FIELDS;
const EXAMPLE_CONTENT = {
  kind: 'notice' as const,
  number: 3,
  status: 'open' as const,
  fields: EXAMPLE_TOLD,
  own: {
    contacts: 12,
    responses: 30,
    users: 0,
    categories: ['contact.email'],
    noticeHours: 24,
    deadline: '2026-11-21T07:45:00.000Z',
  },
  note: null,
  changed: [],
  sentAt: AT,
};
const customerBreach = z.object({
  id: z.string(),
  number: z.number().int(),
  status: z.enum(['open', 'closed']),
  notifiedAt: z.string(),
  notifiedTo: z.enum(['privacy_contact', 'owners', 'nobody']).nullable(),
  current: content,
  messages: z.array(
    z.object({
      seq: z.number().int(),
      kind: z.enum(['notice', 'update', 'closing']),
      sentAt: z.string(),
      sentTo: z.string(),
      content,
    }),
  ),
  apDraft: z
    .string()
    .describe('Markdown, Dutch then English: the pre-filled draft of the report to the Autoriteit Persoonsgegevens'),
  categoryLabels: z
    .record(z.string(), z.object({ nl: z.string(), en: z.string() }))
    .describe('The names of the data categories named in the messages'),
});

const idParams = z.object({ id: z.string() });
const noted = z
  .object({ note: text(3000) })
  .meta({ examples: [{ note: 'Alle maatregelen uitgevoerd. / All measures carried out.' }] });

/** OBLIGATIONS BRE-1..BRE-4: the operator's breach register, and the customer's breach log. */
export function breachRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/operator/breaches',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary:
            'The breach register: every breach with how many customers it affects and how many were told (BRE-1)',
          response: {
            200: z
              .object({
                breaches: z.array(z.object({ ...breachOut, customers: z.number().int(), notified: z.number().int() })),
              })
              .meta({ examples: [{ breaches: [{ ...EXAMPLE_BREACH, customers: 2, notified: 1 }] }] }),
          },
        },
      },
      async () => {
        return { breaches: await listBreaches(ctx) };
      },
    );

    app.post(
      '/api/v1/operator/breaches',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary: 'Record a breach (BRE-1)',
          body: fieldsInput,
          response: { 201: z.object(breachOut).meta({ examples: [EXAMPLE_BREACH] }) },
        },
      },
      async (request, reply) => {
        const op = operatorOf(request);
        return reply.code(201).send(await createBreach(ctx, request.body, actorOf(request, op)));
      },
    );

    app.get(
      '/api/v1/operator/breaches/board',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary:
            "Notifications not sent yet: overdue, near due (at most a quarter of the customer's window or 6 h left, whichever comes first) and pending (BRE-2)",
          querystring: z.object({
            at: instant.optional().describe('The moment to look at (default: now), e.g. to look ahead'),
          }),
          response: {
            200: z
              .object({
                at: z.string(),
                overdue: z.array(boardItem),
                near: z.array(boardItem),
                pending: z.array(boardItem),
              })
              .meta({ examples: [{ at: AT, overdue: [], near: [EXAMPLE_BOARD_ITEM], pending: [] }] }),
          },
        },
      },
      async (request) => {
        return breachBoard(ctx, request.query.at ? new Date(request.query.at) : new Date());
      },
    );

    app.get(
      '/api/v1/operator/breaches/:id',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary:
            'One breach: its fields, its dated history of changes, and every affected customer’s part (BRE-1..BRE-4)',
          params: idParams,
          response: {
            200: z.object({ ...breachOut, history: z.array(historyOut), customers: z.array(partOut) }).meta({
              examples: [
                {
                  ...EXAMPLE_BREACH,
                  history: [{ seq: 1, at: AT, operatorId: USER, kind: 'created', note: null, changes: {} }],
                  customers: [EXAMPLE_PART],
                },
              ],
            }),
          },
        },
      },
      async (request) => {
        return readBreach(ctx, request.params.id);
      },
    );

    app.patch(
      '/api/v1/operator/breaches/:id',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary:
            'Update an open breach: the changed fields are kept as a dated history entry with the note, and mailed to the customers already told (BRE-1, BRE-4)',
          params: idParams,
          body: fieldsPatch,
          response: {
            200: z
              .object({ changed: z.array(z.string()), mailed: z.number().int() })
              .meta({ examples: [{ changed: ['measuresTaken'], mailed: 2 }] }),
          },
        },
      },
      async (request) => {
        const op = operatorOf(request);
        const { note, ...patch } = request.body;
        return updateBreach(ctx, request.params.id, patch as Partial<BreachFields>, note, actorOf(request, op));
      },
    );

    app.post(
      '/api/v1/operator/breaches/:id/scope',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary:
            'Compute who is affected (per customer: contacts, responses, users, categories) from a scope; with ?preview=true nothing is recorded, otherwise each customer’s part and deadline are recorded (BRE-3, BRE-2)',
          params: idParams,
          querystring: z.object({ preview: z.enum(['true', 'false']).optional() }),
          body: scopeInput,
          response: {
            200: z
              .object({ recorded: z.boolean(), customers: z.array(impactOut) })
              .meta({ examples: [{ recorded: false, customers: [EXAMPLE_IMPACT] }] }),
          },
        },
      },
      async (request) => {
        const op = operatorOf(request);
        const scope = request.body as BreachScope;
        if (request.query.preview === 'true')
          return { recorded: false, customers: await previewScope(ctx, request.params.id, scope) };
        return { recorded: true, customers: await recordScope(ctx, request.params.id, scope, actorOf(request, op)) };
      },
    );

    app.post(
      '/api/v1/operator/breaches/:id/notify',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary:
            'Mail every affected customer not told yet: its privacy contact (or its owners), every field and its own numbers, Dutch and English (BRE-4)',
          params: idParams,
          response: { 200: z.object({ notified: z.number().int() }).meta({ examples: [{ notified: 2 }] }) },
        },
      },
      async (request) => {
        const op = operatorOf(request);
        return { notified: await notifyCustomers(ctx, request.params.id, actorOf(request, op)) };
      },
    );

    app.post(
      '/api/v1/operator/breaches/:id/close',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary: 'Close a breach; the customers already told get the closing by mail (BRE-1, BRE-4)',
          params: idParams,
          body: noted,
          response: { 200: z.object({ mailed: z.number().int() }).meta({ examples: [{ mailed: 2 }] }) },
        },
      },
      async (request) => {
        const op = operatorOf(request);
        return closeBreach(ctx, request.params.id, request.body.note, actorOf(request, op));
      },
    );

    // ------------------------------------------------------------------ the customer's breach log

    const logOf = async (tenantId: string) => {
      const list = await customerBreaches(ctx, tenantId);
      if (!list.length) return [];
      const { organisation, dataSubjects } = await ctx.db.tenant(tenantId, async (tx) => {
        const t = await tx.selectFrom('tenants').select('name').where('id', '=', tenantId).executeTakeFirstOrThrow();
        return {
          organisation: t.name,
          dataSubjects: (await readRegister(tx, tenantId)).dataSubjects.map((s) => s.label),
        };
      });
      return list.map((b) => ({ ...b, apDraft: apDraft({ organisation, breach: b, dataSubjects }) }));
    };

    app.get(
      '/api/v1/breaches',
      {
        config: { access: { permission: Permission.BREACHES_READ } },
        schema: {
          tags: ['privacy'],
          summary:
            "This customer's breach log: every breach Peil told it of, each mail as sent, its own numbers only, and a pre-filled draft of its report to the Autoriteit Persoonsgegevens (BRE-4; owners and admins)",
          response: {
            200: z.object({ breaches: z.array(customerBreach) }).meta({
              examples: [
                {
                  breaches: [
                    {
                      id: ID,
                      number: 3,
                      status: 'open',
                      notifiedAt: AT,
                      notifiedTo: 'privacy_contact',
                      current: EXAMPLE_CONTENT,
                      messages: [
                        { seq: 1, kind: 'notice', sentAt: AT, sentTo: 'privacy_contact', content: EXAMPLE_CONTENT },
                      ],
                      apDraft: '# Datalek nr. 3 — concept voor de AP / draft for the AP\n…',
                      categoryLabels: { 'contact.email': { nl: 'E-mailadres', en: 'Email address' } },
                    },
                  ],
                },
              ],
            }),
          },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        return { breaches: await logOf(auth.tenantId) };
      },
    );

    app.get(
      '/api/v1/breaches/:id/ap-draft',
      {
        config: { access: { permission: Permission.BREACHES_READ } },
        schema: {
          tags: ['privacy'],
          summary: 'The draft report to the Autoriteit Persoonsgegevens for one breach, as a Markdown file (BRE-4)',
          params: idParams,
          produces: ['text/markdown'],
          response: { 200: z.string() },
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        const id = request.params.id;
        if (!isUuid(id)) throw AppError.notFound('breach');
        const b = (await logOf(auth.tenantId)).find((x) => x.id === id);
        if (!b) throw AppError.notFound('breach');
        return reply
          .header('content-type', 'text/markdown; charset=utf-8')
          .header('content-disposition', `attachment; filename="datalek-${b.number}-concept-AP.md"`)
          .send(b.apDraft);
      },
    );
  };
}
