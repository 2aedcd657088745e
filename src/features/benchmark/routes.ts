import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { auditSystem } from '../../lib/audit.js';
import { Permission } from '../../lib/permissions.js';
import { actorOf, callerOf, operatorOf } from '../auth/guard.js';
import { assignSector, createSector, operatorOverview, renameSector, setRules } from './operator.js';
import { positionOf } from './position.js';
import { sweepBenchmark } from './service.js';

const localized = z.object({ nl: z.string(), en: z.string() });
const kind = z.enum(['nps', 'enps', 'csat', 'ces']);
const period = z.string().describe('a quarter in Europe/Amsterdam, e.g. 2026-Q3');
const rules = z
  .object({
    minCustomers: z
      .number()
      .int()
      .min(3)
      .max(1000)
      .describe('K: a cell is published only with at least this many customers (default 5)'),
    minRespondents: z
      .number()
      .int()
      .min(10)
      .max(1_000_000)
      .describe('M: … and at least this many respondents (default 100)'),
    dominanceOnePercent: z
      .number()
      .int()
      .min(10)
      .max(100)
      .describe("no customer above this share of a cell's respondents (default 50)"),
    dominanceTwoPercent: z
      .number()
      .int()
      .min(20)
      .max(100)
      .describe('the two largest customers together not above this share (default 75)'),
    quartileMinCustomers: z
      .number()
      .int()
      .min(5)
      .max(1000)
      .describe("quartiles of the customers' scores only from this many customers on (default 10; at least K)"),
  })
  .meta({
    examples: [
      {
        minCustomers: 5,
        minRespondents: 100,
        dominanceOnePercent: 50,
        dominanceTwoPercent: 75,
        quartileMinCustomers: 10,
      },
    ],
  });
const sectorName = z.object({ nl: z.string().trim().min(1).max(200), en: z.string().trim().min(1).max(200) });
const sector = z.object({
  code: z.string(),
  name: localized,
  customers: z.number().int().describe('customers (not ended) in this sector'),
});
const sectorCode = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and -, at most 40');
const interval = z.object({ low: z.number(), high: z.number() });
const quartiles = z
  .object({ q1: z.number(), median: z.number(), q3: z.number() })
  .describe(
    "quartiles of the customers' scores (linear interpolation, rounded: NPS and CSAT whole points, CES one decimal); only from quartileMinCustomers customers on",
  );

const position = z.object({
  sector: z.object({ code: z.string(), name: localized }),
  kind,
  name: localized,
  unit: z
    .enum(['nps', 'percent', 'mean'])
    .describe('nps: −100..100; percent: CSAT % satisfied (4–5); mean: CES mean effort 1–7, lower is better'),
  lowerIsBetter: z.boolean(),
  period,
  own: z
    .object({ value: z.number().nullable(), margin: z.number().nullable(), n: z.number().int() })
    .nullable()
    .describe('your own score in this cell with its 95% margin (null: no answers of yours, or hidden)'),
  ownHidden: z
    .enum(['shielded'])
    .nullable()
    .describe(
      'shielded: your contribution holds answers of confidential or anonymous surveys; a quarter would be a second cut through answers that results release only in steps, so your own number is not shown here',
    ),
  benchmark: z.union([
    z.object({
      published: z.literal(true),
      customers: z.number().int(),
      respondents: z.number().int(),
      value: z.number().nullable().describe("the sector's score over all its respondents"),
      margin: z.number().nullable().describe('95% margin of error (± points)'),
      interval: interval.nullable(),
      quartiles: quartiles.nullable(),
      percentile: z
        .number()
        .int()
        .nullable()
        .describe(
          'your percentile rank: the share of customers in the cell that score worse, plus half of those that score the same (you included); null without a contribution of yours',
        ),
    }),
    z.object({
      published: z.literal(false),
      reason: localized.describe('in general terms only: which rule held it back is not said'),
    }),
  ]),
});

const benchmarkView = z.object({
  sector: z.object({ code: z.string(), name: localized }).nullable().describe('your sector (assigned by the operator)'),
  rules,
  positions: z.array(position).describe('per closed quarter and key type; the running quarter is never shown'),
});

const operatorCell = z.object({
  sector: z.string(),
  kind,
  period,
  customers: z.number().int(),
  respondents: z.number().int(),
  published: z.boolean(),
  reason: z
    .enum(['customers', 'respondents', 'dominance'])
    .nullable()
    .describe(
      'why a cell is suppressed: fewer than K customers, fewer than M respondents, or one/two customers above their share',
    ),
  value: z.number().nullable(),
  margin: z.number().nullable(),
  quartiles: quartiles.nullable(),
});

const sweepResult = z.object({
  customers: z.number().int(),
  answers: z.number().int(),
  failed: z.number().int(),
  cellsComputed: z.number().int(),
  countSeconds: z.number(),
  cellSeconds: z.number(),
});

/** OBLIGATIONS BEN-1, END-5: the sector benchmark: the customer's position, the operator's sectors, rules and job. */
export function benchmarkRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/benchmark',
      {
        config: { access: { permission: Permission.RESULTS_READ } },
        schema: {
          tags: ['benchmark'],
          summary:
            'BEN-1: where you stand in your sector, per key type (NPS, eNPS, CSAT, CES) and closed quarter: your score, the sector score with its 95% margin, quartiles, your percentile; suppressed cells say only that they are not published',
          response: { 200: benchmarkView },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        return ctx.db.tenant(auth.tenantId, (tx) => positionOf(tx, auth.tenantId));
      },
    );

    app.get(
      '/api/v1/operator/benchmark',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary:
            'BEN-1: sectors, the disclosure rules, customers with their sector, and every computed cell with why it is suppressed (no customer or contributor id in a cell)',
          response: {
            200: z.object({
              rules,
              sectors: z.array(sector),
              customers: z.array(
                z.object({
                  id: z.string(),
                  name: z.string(),
                  slug: z.string(),
                  status: z.string(),
                  sector: z.string().nullable(),
                }),
              ),
              cells: z.array(operatorCell),
            }),
          },
        },
      },
      async () => {
        return operatorOverview(ctx);
      },
    );

    app.post(
      '/api/v1/operator/benchmark/sectors',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary: 'BEN-1: add a sector (code, Dutch and English name)',
          body: z
            .object({ code: sectorCode, name: sectorName })
            .meta({ examples: [{ code: 'zorg', name: { nl: 'Zorg', en: 'Healthcare' } }] }),
          response: { 201: sector },
        },
      },
      async (request, reply) => {
        const op = operatorOf(request);
        reply
          .code(201)
          .header('location', `/api/v1/operator/benchmark/sectors/${encodeURIComponent(request.body.code)}`);
        return createSector(ctx, request.body, actorOf(request, op));
      },
    );

    app.patch(
      '/api/v1/operator/benchmark/sectors/:code',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary: 'BEN-1: rename a sector (its code stays: cells and contributions refer to it)',
          params: z.object({ code: sectorCode }),
          body: z.object({ name: sectorName }),
          response: { 200: sector },
        },
      },
      async (request) => {
        const op = operatorOf(request);
        return renameSector(ctx, request.params.code, request.body.name, actorOf(request, op));
      },
    );

    app.put(
      '/api/v1/operator/benchmark/settings',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary:
            'BEN-1: the disclosure rules (K customers, M respondents, dominance of one and of two customers, quartiles); what is published changes at once',
          body: rules,
          response: { 200: z.object({ rules, published: z.number().int(), suppressed: z.number().int() }) },
        },
      },
      async (request) => {
        const op = operatorOf(request);
        return setRules(ctx, request.body, actorOf(request, op));
      },
    );

    app.put(
      '/api/v1/operator/tenants/:id/sector',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary:
            'BEN-1: put a customer in a sector (or null: none). Its answers count from now on; published quarters never change',
          params: z.object({ id: z.uuid() }),
          body: z.object({ sector: sectorCode.nullable() }),
          response: {
            200: z.object({ id: z.string(), sector: z.string().nullable(), countsFrom: z.string().nullable() }),
          },
        },
      },
      async (request) => {
        const op = operatorOf(request);
        return assignSector(ctx, request.params.id, request.body.sector, actorOf(request, op));
      },
    );

    app.post(
      '/api/v1/operator/benchmark/recompute',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary:
            'BEN-1: run the benchmark job now: count new answers (older than 10 minutes) and compute the cells of quarters that closed',
          response: { 200: sweepResult },
        },
      },
      async (request) => {
        const op = operatorOf(request);
        const r = await sweepBenchmark(ctx);
        await ctx.db.global((tx) =>
          auditSystem(tx, actorOf(request, op), 'benchmark.recomputed', {
            customers: r.customers,
            answers: r.answers,
            cells: r.cellsComputed,
            failed: r.failed,
          }),
        );
        return r;
      },
    );
  };
}
