import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { Permission } from '../../lib/permissions.js';
import { callerOf } from '../auth/guard.js';
import { measuresMarkdown, securityMeasures } from './measures.js';

export function securityRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/security-measures',
      {
        config: { access: { permission: Permission.SECURITY_MEASURES_READ } },
        schema: {
          tags: ['privacy'],
          summary:
            'The security measures in force for this customer, computed from the live configuration (owners and admins). ?format=md, or Accept: text/markdown, gives a document to download.',
          querystring: z.object({ format: z.enum(['json', 'md']).optional() }),
        },
      },
      async (request, reply) => {
        const auth = callerOf(request);
        const m = await securityMeasures(ctx, auth.tenantId);
        const wantsMd =
          request.query.format === 'md' ||
          (request.query.format === undefined && /text\/markdown/.test(request.headers.accept ?? ''));
        if (wantsMd) {
          return reply
            .type('text/markdown; charset=utf-8')
            .header('content-disposition', `attachment; filename="peil-security-measures-${m.customer.slug}.md"`)
            .send(measuresMarkdown(m));
        }
        return m;
      },
    );
  };
}
