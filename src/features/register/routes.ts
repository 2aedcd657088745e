import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { isUuid } from '../../lib/db/db.js';
import { AppError } from '../../lib/errors.js';
import { Permission } from '../../lib/permissions.js';
import { actorOf, callerOf } from '../auth/guard.js';
import { changeRegister, changeRetention, patchRegister, readRegister, scanFreeText } from './service.js';
import { CATEGORIES, OPERATIONS, PURPOSES, SUBJECTS } from './vocabulary.js';

const bilingual = z.object({ nl: z.string(), en: z.string() });
const source = z.object({
  kind: z.enum(['built_in', 'profile_field', 'question']),
  id: z.string().describe('built_in: the category; profile_field: its key; question: the question id'),
  surveyId: z.string().optional(),
  surveyName: z.string().optional(),
  label: bilingual,
});
const item = z.object({ code: z.string(), label: bilingual, note: z.string().nullable() });

const registerOut = z
  .object({
    tenantId: z.string(),
    categories: z.array(
      z.object({
        code: z.string(),
        label: bilingual,
        special: z.boolean().describe('a special category (GDPR art. 9/10) or the BSN'),
        inRegister: z.boolean().describe('false: stored but not in the register (drift)'),
        derivedFrom: z.array(source).describe('where Peil stores data of this category now'),
        note: z.string().nullable(),
      }),
    ),
    dataSubjects: z.array(item),
    purposes: z.array(item),
    operations: z.array(item),
    retention: z.object({
      contacts: z.object({
        inactiveMonths: z
          .number()
          .nullable()
          .describe('contacts not created, changed, invited or answering for this many months are erased (null: kept)'),
      }),
      surveys: z.array(
        z.object({
          surveyId: z.string(),
          name: z.string(),
          status: z.string(),
          closedAt: z.string().nullable(),
          monthsAfterClose: z.number().nullable(),
          dueAt: z
            .string()
            .nullable()
            .describe('when the job erases the personal data (closed surveys with a retention)'),
          erasedAt: z.string().nullable(),
        }),
      ),
      logMonths: z.number().describe('the log retention of the agreement (LOG-4)'),
    }),
    special: z.object({
      allowed: z.boolean().describe("the agreement's specialCategoriesAllowed"),
      categories: z.array(z.string()),
      freeText: z
        .array(
          z.object({
            surveyId: z.string(),
            name: z.string(),
            texts: z.number(),
            bsn: z.number(),
            iban: z.number(),
            health: z.number(),
          }),
        )
        .describe(
          'counts of free-text answers that look like a BSN (11-proef), an IBAN or health data; never the texts',
        ),
      scanComplete: z.boolean().describe('false: more responses wait to be scanned (read again)'),
    }),
    drift: z
      .array(z.object({ category: z.string(), label: bilingual, special: z.boolean(), source }))
      .describe('fields and questions whose category the register lacks'),
    updatedAt: z.string(),
  })
  .meta({ description: 'OBLIGATIONS REG-1..REG-4: the register of processing (Annex 1 of the agreement)' });

const code = z
  .string()
  .regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/)
  .max(80);
const label = z.object({ nl: z.string().trim().min(1).max(200), en: z.string().trim().min(1).max(200) });
const itemIn = z
  .object({
    code,
    label: label.optional().describe('required for own codes; standard codes take the vocabulary labels'),
    note: z.string().trim().max(1000).nullable().optional(),
  })
  .strict();
const kind = z.enum(['category', 'subject', 'purpose', 'operation']);

const putBody = z
  .object({
    categories: z.array(itemIn).max(500).optional(),
    dataSubjects: z.array(itemIn).max(100).optional(),
    purposes: z.array(itemIn).max(100).optional(),
    operations: z.array(itemIn).max(100).optional(),
  })
  .strict()
  .meta({
    examples: [
      {
        dataSubjects: [{ code: 'patients' }, { code: 'users' }],
        purposes: [{ code: 'feedback' }, { code: 'analysis' }],
      },
    ],
  });

const patchBody = z
  .object({
    add: z.array(itemIn.extend({ kind })).max(500).optional(),
    remove: z.array(z.object({ kind, code }).strict()).max(500).optional(),
  })
  .strict()
  .meta({ examples: [{ add: [{ kind: 'category', code: 'work.department' }] }] });

const retentionBody = z
  .object({
    contacts: z.object({ inactiveMonths: z.number().int().min(1).max(120).nullable() }).optional(),
    surveys: z
      .array(z.object({ surveyId: z.uuid(), monthsAfterClose: z.number().int().min(1).max(120).nullable() }).strict())
      .max(1000)
      .optional(),
  })
  .strict()
  .meta({
    examples: [
      {
        contacts: { inactiveMonths: 24 },
        surveys: [{ surveyId: 'ef336289-1817-4109-a948-c780be8dd4c6', monthsAfterClose: 6 }],
      },
    ],
  });

const vocabularyOut = z.object({
  categories: z.array(z.object({ code: z.string(), label: bilingual, special: z.boolean() })),
  dataSubjects: z.array(z.object({ code: z.string(), label: bilingual })),
  purposes: z.array(z.object({ code: z.string(), label: bilingual })),
  operations: z.array(z.object({ code: z.string(), label: bilingual })),
});

const pairs = (o: Readonly<Record<string, { nl: string; en: string }>>) =>
  Object.entries(o).map(([c, l]) => ({ code: c, label: l }));

/** OBLIGATIONS REG-1..REG-4: the register for the customer (owner edits, admins read) and the operator (read). */
export function registerRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const settle = ctx.env.RESULTS_SETTLE_SECONDS;
  const read = async (tenantId: string) => {
    const keys = await ctx.keyring.forTenant(tenantId);
    return ctx.db.tenant(tenantId, async (tx) => {
      const scanComplete = await scanFreeText(tx, tenantId, keys, settle);
      const r = await readRegister(tx, tenantId);
      return { ...r, special: { ...r.special, scanComplete } };
    });
  };
  return async (app) => {
    app.get(
      '/api/v1/register',
      {
        config: { access: { permission: Permission.REGISTER_READ } },
        schema: {
          tags: ['register'],
          summary:
            'The register of processing: categories (with drift), data subjects, purposes, operations, retention, special categories',
          response: { 200: registerOut },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        return read(auth.tenantId);
      },
    );

    app.get(
      '/api/v1/register/vocabulary',
      {
        config: { access: { permission: Permission.REGISTER_READ } },
        schema: {
          tags: ['register'],
          summary: 'The standard categories, data subjects, purposes and operations, with Dutch and English labels',
          response: { 200: vocabularyOut },
        },
      },
      async () => {
        return {
          categories: CATEGORIES.map((c) => ({ code: c.code, label: c.label, special: c.special === true })),
          dataSubjects: pairs(SUBJECTS),
          purposes: pairs(PURPOSES),
          operations: pairs(OPERATIONS),
        };
      },
    );

    app.put(
      '/api/v1/register',
      {
        config: { access: { permission: Permission.REGISTER_MANAGE } },
        schema: {
          tags: ['register'],
          summary: 'Set the register (owner): each list given replaces that kind; lists not given stay',
          description: 'Special categories only when the agreement allows them (422).',
          body: putBody,
          response: { 200: registerOut },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        await ctx.db.tenant(auth.tenantId, (tx) =>
          changeRegister(tx, auth.tenantId, request.body, actorOf(request, auth)),
        );
        return read(auth.tenantId);
      },
    );

    app.patch(
      '/api/v1/register',
      {
        config: { access: { permission: Permission.REGISTER_MANAGE } },
        schema: {
          tags: ['register'],
          summary: 'Add or remove single records of the register (owner), e.g. cover a drifted category',
          body: patchBody,
          response: { 200: registerOut },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        await ctx.db.tenant(auth.tenantId, (tx) =>
          patchRegister(tx, auth.tenantId, request.body, actorOf(request, auth)),
        );
        return read(auth.tenantId);
      },
    );

    app.put(
      '/api/v1/register/retention',
      {
        config: { access: { permission: Permission.REGISTER_MANAGE } },
        schema: {
          tags: ['register'],
          summary:
            'Set retention (owner): per survey, months after it closes; for contacts, months without being created, changed, invited or answering (null: kept)',
          body: retentionBody,
          response: { 200: registerOut },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        await ctx.db.tenant(auth.tenantId, (tx) =>
          changeRetention(tx, auth.tenantId, request.body, actorOf(request, auth)),
        );
        return read(auth.tenantId);
      },
    );

    app.get(
      '/api/v1/operator/tenants/:id/register',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator', 'register'],
          summary: "A customer's register of processing (read)",
          params: z.object({ id: z.string() }),
          response: { 200: registerOut },
        },
      },
      async (request) => {
        const { id } = request.params;
        if (!isUuid(id)) throw AppError.notFound('customer');
        const exists = await ctx.db.tenant(id, (tx) =>
          tx.selectFrom('tenants').select('id').where('id', '=', id).executeTakeFirst(),
        );
        if (!exists) throw AppError.notFound('customer');
        return read(id);
      },
    );
  };
}
