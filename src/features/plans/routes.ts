import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { isUuid } from '../../lib/db/db.js';
import { AppError, ErrorCode } from '../../lib/errors.js';
import { Permission } from '../../lib/permissions.js';
import { actorOf, callerOf, operatorOf } from '../auth/guard.js';
import { METRICS } from './limits.js';
import {
  addExtension,
  assignPlan,
  createPlan,
  customerUsage,
  deletePlan,
  listPlans,
  updatePlan,
  usageOf,
} from './service.js';

const metric = z.enum(METRICS as unknown as ['contacts', 'responses', 'surveys', 'users', 'labelled']);
const limitValue = z.number().int().min(0).max(1_000_000_000).nullable();
const planInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    limits: z
      .object({
        contacts: limitValue.describe('contacts in total (null: unlimited)'),
        responses: limitValue.describe(
          'responses per calendar month, Europe/Amsterdam (null: unlimited); answers above it are still stored',
        ),
        surveys: limitValue.describe('surveys in total'),
        users: z
          .number()
          .int()
          .min(1)
          .max(1_000_000)
          .nullable()
          .describe('users (colleagues, invited included) in total'),
        labelled: limitValue.describe('answers labelled by the AI module per calendar month'),
      })
      .strict(),
    features: z
      .object({
        ai: z.boolean().describe('the AI module (labelling)'),
        api: z.boolean().describe('API access (API keys)'),
      })
      .strict(),
  })
  .strict()
  .meta({
    examples: [
      {
        name: 'Basis',
        limits: { contacts: 5000, responses: 2000, surveys: 10, users: 5, labelled: 1000 },
        features: { ai: true, api: false },
      },
    ],
  });
const plan = z.object({
  id: z.string(),
  name: z.string(),
  limits: z.object({
    contacts: z.number().nullable(),
    responses: z.number().nullable(),
    surveys: z.number().nullable(),
    users: z.number().nullable(),
    labelled: z.number().nullable(),
  }),
  features: z.object({ ai: z.boolean(), api: z.boolean() }),
  customers: z.number().int().describe('customers on this plan'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const usage = z
  .object({
    plan: z
      .object({
        id: z.string(),
        name: z.string(),
        since: z.string(),
        features: z.object({ ai: z.boolean(), api: z.boolean() }),
      })
      .nullable()
      .describe('null: no plan, no limits'),
    lines: z.array(
      z.object({
        metric,
        period: z.string().describe("'total', or the month YYYY-MM (Europe/Amsterdam)"),
        used: z.number(),
        limit: z
          .number()
          .nullable()
          .describe("the limit today: the plan's plus the extensions valid today; null: unlimited"),
        planLimit: z.number().nullable(),
        extensions: z.number(),
        percent: z
          .number()
          .nullable()
          .describe('whole percent of the limit; above 100 possible for answers (never refused)'),
      }),
    ),
    extensions: z.array(
      z.object({
        id: z.string(),
        metric,
        extra: z.number(),
        validFrom: z.string(),
        validUntil: z.string(),
        reason: z.string(),
        active: z.boolean(),
        createdAt: z.string(),
      }),
    ),
  })
  .meta({
    examples: [
      {
        plan: {
          id: '5f0c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d',
          name: 'Basis',
          since: '2026-11-01T09:00:00.000Z',
          features: { ai: true, api: false },
        },
        lines: [
          { metric: 'contacts', period: 'total', used: 4100, limit: 5000, planLimit: 5000, extensions: 0, percent: 82 },
        ],
        extensions: [],
      },
    ],
  });
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const params = z.object({ id: z.string() });

/** OBLIGATIONS SVC-6: plans and usage (API for owners and admins; the operator's console). */
export function planRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/usage',
      {
        config: { access: { permission: Permission.USAGE_READ } },
        schema: {
          tags: ['settings'],
          summary: 'SVC-6: the plan, its limits (with extensions valid today) and the usage, per limit',
          response: { 200: usage },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        return ctx.db.tenant(auth.tenantId, (tx) => usageOf(tx, auth.tenantId));
      },
    );

    app.get(
      '/api/v1/operator/plans',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary: 'SVC-6: the plans, with the number of customers on each',
          response: { 200: z.object({ plans: z.array(plan) }) },
        },
      },
      async () => {
        return { plans: await listPlans(ctx) };
      },
    );

    app.post(
      '/api/v1/operator/plans',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary: 'SVC-6: define a plan (limits null: unlimited)',
          body: planInput,
          response: { 201: plan },
        },
      },
      async (request, reply) => {
        const op = operatorOf(request);
        return reply.code(201).send(await createPlan(ctx, request.body, actorOf(request, op)));
      },
    );

    app.put(
      '/api/v1/operator/plans/:id',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary: 'SVC-6: change a plan (applies to its customers at once)',
          params,
          body: planInput,
          response: { 200: plan },
        },
      },
      async (request) => {
        const op = operatorOf(request);
        if (!isUuid(request.params.id)) throw AppError.notFound('plan');
        return updatePlan(ctx, request.params.id, request.body, actorOf(request, op));
      },
    );

    app.delete(
      '/api/v1/operator/plans/:id',
      {
        config: { access: 'operator' },
        schema: { tags: ['operator'], summary: 'SVC-6: remove a plan no customer is on', params },
      },
      async (request, reply) => {
        const op = operatorOf(request);
        if (!isUuid(request.params.id)) throw AppError.notFound('plan');
        await deletePlan(ctx, request.params.id, actorOf(request, op));
        return reply.code(204).send(null);
      },
    );

    app.put(
      '/api/v1/operator/tenants/:id/plan',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary:
            "SVC-6: assign a plan to a customer (null: no plan, no limits); in the system log and the customer's log",
          params,
          body: z.object({ planId: z.string().nullable() }).strict(),
          response: { 200: usage },
        },
      },
      async (request) => {
        const op = operatorOf(request);
        if (!isUuid(request.params.id)) throw AppError.notFound('customer');
        const planId = request.body.planId;
        if (planId !== null && !isUuid(planId))
          throw new AppError(
            ErrorCode.VALIDATION,
            { key: 'problems:notFound.plan' },
            {
              errors: [
                {
                  pointer: '/body/planId',
                  code: 'unknown',
                  reason: 'unknown',
                  message: { key: 'problems:reasons.unknown' },
                },
              ],
            },
          );
        return assignPlan(ctx, request.params.id, planId, actorOf(request, op));
      },
    );

    app.post(
      '/api/v1/operator/tenants/:id/plan/extensions',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary:
            'SVC-6: extend one limit of a customer during the term: extra, from a day to a day (inclusive, Europe/Amsterdam), with a reason',
          params,
          body: z
            .object({
              metric,
              extra: z.number().int().min(1).max(1_000_000_000),
              validFrom: date,
              validUntil: date,
              reason: z.string().trim().min(1).max(1000),
            })
            .strict()
            .meta({
              examples: [
                {
                  metric: 'contacts',
                  extra: 1000,
                  validFrom: '2026-12-01',
                  validUntil: '2027-03-31',
                  reason: 'Extra campagne Q1 / extra campaign Q1',
                },
              ],
            }),
          response: { 201: usage },
        },
      },
      async (request, reply) => {
        const op = operatorOf(request);
        if (!isUuid(request.params.id)) throw AppError.notFound('customer');
        return reply
          .code(201)
          .header('location', `/api/v1/operator/tenants/${request.params.id}/usage`)
          .send(await addExtension(ctx, request.params.id, request.body, actorOf(request, op)));
      },
    );

    app.get(
      '/api/v1/operator/tenants/:id/usage',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary: "SVC-6: a customer's plan, limits and usage",
          params,
          response: { 200: usage.extend({ tenant: z.object({ id: z.string(), name: z.string() }) }) },
        },
      },
      async (request) => {
        if (!isUuid(request.params.id)) throw AppError.notFound('customer');
        return customerUsage(ctx, request.params.id);
      },
    );
  };
}
