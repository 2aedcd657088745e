import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { actorOf, operatorOf } from '../auth/guard.js';
import { createTenant, firstRun, isSetUp } from './service.js';

const email = z.email().max(254);
const password = z.string().min(1).max(256);
const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lower-case letters, digits and dashes, 2–63 characters');

export const tenantInput = z.object({
  name: z.string().trim().min(1).max(200),
  slug,
  sector: z.string().max(100).optional(),
  owner: z.object({ email, name: z.string().trim().min(1).max(200), password }),
});

export const setupInput = z.object({
  operator: z.object({ email, name: z.string().trim().min(1).max(200), password }),
  tenant: tenantInput,
});

export function setupRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/setup',
      {
        config: { access: 'public' },
        schema: {
          tags: ['setup'],
          summary: 'Whether the first-run set-up is still needed',
          response: { 200: z.object({ needed: z.boolean() }) },
        },
      },
      async () => ({ needed: !(await isSetUp(ctx)) }),
    );

    app.post(
      '/api/v1/setup',
      {
        config: { access: 'public' },
        schema: {
          tags: ['setup'],
          summary: 'First run: create the operator account and the first customer with its owner',
          body: setupInput,
          response: { 201: z.object({ operatorId: z.string(), tenantId: z.string(), ownerId: z.string() }) },
        },
      },
      async (request, reply) => {
        const result = await firstRun(ctx, request.body, actorOf(request, null));
        return reply.code(201).header('location', `/api/v1/operator/tenants/${result.tenantId}`).send(result);
      },
    );

    app.post(
      '/api/v1/operator/tenants',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary: 'Create a customer (tenant) with its owner',
          body: tenantInput,
          response: { 201: z.object({ tenantId: z.string(), ownerId: z.string() }) },
        },
      },
      async (request, reply) => {
        const op = operatorOf(request);
        const result = await createTenant(ctx, request.body, actorOf(request, op));
        return reply.code(201).header('location', `/api/v1/operator/tenants/${result.tenantId}`).send(result);
      },
    );

    app.get(
      '/api/v1/operator/tenants',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary: 'List customers',
          response: {
            200: z.object({
              tenants: z.array(
                z.object({
                  id: z.string(),
                  slug: z.string(),
                  name: z.string(),
                  status: z.string(),
                  createdAt: z.string(),
                }),
              ),
            }),
          },
        },
      },
      async () => {
        const rows = await ctx.db.global((tx) =>
          tx
            .selectFrom('tenants')
            .select(['id', 'slug', 'name', 'status', 'created_at'])
            .orderBy('created_at')
            .execute(),
        );
        return {
          tenants: rows.map((r) => ({
            id: r.id,
            slug: r.slug,
            name: r.name,
            status: r.status,
            createdAt: new Date(r.created_at).toISOString(),
          })),
        };
      },
    );
  };
}
