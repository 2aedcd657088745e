import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import fastifyStatic from '@fastify/static';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppContext } from './context.js';
import { installProblemHandler } from './lib/http/problem.js';
import { authRoutes } from './features/auth/routes.js';
import { setupRoutes } from './features/setup/routes.js';
import { userRoutes } from './features/users/routes.js';
import { contactRoutes } from './features/contacts/routes.js';
import { auditRoutes } from './features/audit/routes.js';
import { securityRoutes } from './features/security/routes.js';
import { surveyRoutes } from './features/surveys/routes.js';
import { distributionRoutes } from './features/distribution/routes.js';
import { registerSendWorker } from './features/distribution/send.js';
import { respondRoutes } from './features/respond/routes.js';
import { ResponseWriter } from './features/respond/writer.js';
import { resultRoutes } from './features/results/routes.js';

/** Removes secrets from URLs before they reach a log line: respondent tokens are in the path. */
export function redactUrl(url: string): string {
  return url.replace(/\/s\/[^/?#]+/, '/s/[token]').replace(/([?&](token|key)=)[^&]*/gi, '$1[redacted]');
}

function webRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, 'dist', 'web');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    const inside = join(dir, 'web');
    if (existsSync(join(inside, 'index.html')) && dir.endsWith('dist')) return inside;
    dir = dirname(dir);
  }
  return undefined;
}

export async function buildApp(ctx: AppContext, opts: { logger?: boolean; startWorkers?: boolean } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger
      ? {
          level: ctx.env.LOG_LEVEL,
          serializers: {
            req: (req) => ({ method: req.method, url: redactUrl(req.url), remoteAddress: req.ip }),
          },
        }
      : false,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    trustProxy: false,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installProblemHandler(app, { htmlErrors: (req) => req.url.startsWith('/s/') });

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    // Respondent pages carry their CSS inline and no script; the admin app is all same-origin files.
    reply.header(
      'content-security-policy',
      request.url.startsWith('/s/')
        ? "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
        : "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
  });

  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  await app.register(multipart, { limits: { fileSize: Math.floor(ctx.env.UPLOAD_LIMIT_MB * 1024 * 1024), files: 1, fields: 10 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Peil API', version: '0.1.0', description: 'Feedback platform whose processing agreement is executable. Errors are RFC 9457 problem+json.' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'peil_session' } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/healthz', { schema: { hide: true } }, async () => ({ ok: true, database: ctx.db.kind, mail: ctx.mailer.kind }));

  const responses = new ResponseWriter(ctx, { windowMs: ctx.env.RESPONSE_BATCH_WINDOW_MS });
  app.addHook('onClose', async () => responses.close());

  await app.register(setupRoutes(ctx));
  await app.register(authRoutes(ctx));
  await app.register(userRoutes(ctx));
  await app.register(contactRoutes(ctx));
  await app.register(auditRoutes(ctx, { workers: opts.startWorkers !== false }));
  await app.register(securityRoutes(ctx));
  await app.register(surveyRoutes(ctx));
  await app.register(distributionRoutes(ctx));
  await app.register(respondRoutes(ctx, responses));
  await app.register(resultRoutes(ctx));

  if (opts.startWorkers !== false) await registerSendWorker(ctx);

  const root = webRoot();
  if (root) {
    await app.register(fastifyStatic, { root, prefix: '/app/', wildcard: false, index: ['index.html'] });
    // The admin app routes in the browser: every /app/... path that is not a file gets index.html.
    app.get('/app/*', { schema: { hide: true } }, (_req, reply) => reply.sendFile('index.html'));
    app.get('/app', { schema: { hide: true } }, (_req, reply) => reply.redirect('/app/'));
  }
  app.get('/', { schema: { hide: true } }, (_req, reply) => reply.redirect('/app/'));

  return app;
}
