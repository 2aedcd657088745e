import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { actorOf, operatorOf } from '../auth/guard.js';
import { setTenantStatus } from './service.js';

const params = z.object({ id: z.uuid() });
const body = z
  .object({
    reason: z.string().trim().min(1).max(1000).describe("Why; kept in the system log and in the customer's own log"),
  })
  .meta({ examples: [{ reason: 'Factuur 2026-114 onbetaald / invoice 2026-114 unpaid' }] });
const result = z.object({
  id: z.string(),
  slug: z.string(),
  status: z.enum(['active', 'suspended']),
  at: z.string(),
  requeued: z
    .number()
    .int()
    .optional()
    .describe('On resume: distributions whose queued invitations were handed to the send job again'),
});

/** OBLIGATIONS AGR-6: the operator suspends and resumes a customer. */
export function suspensionRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/v1/operator/tenants/:id/suspend',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary:
            'AGR-6: suspend a customer: no sign-in, sessions or API keys, sends and webhooks paused, respondent links show "temporarily unavailable"; nothing is deleted',
          params,
          body,
          response: { 200: result },
        },
      },
      async (request) => {
        const op = operatorOf(request);
        return setTenantStatus(ctx, request.params.id, 'suspended', request.body.reason, actorOf(request, op));
      },
    );

    app.post(
      '/api/v1/operator/tenants/:id/resume',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['operator'],
          summary: 'AGR-6: resume a suspended customer: access returns, paused sends go out',
          params,
          body,
          response: { 200: result },
        },
      },
      async (request) => {
        const op = operatorOf(request);
        return setTenantStatus(ctx, request.params.id, 'active', request.body.reason, actorOf(request, op));
      },
    );
  };
}
