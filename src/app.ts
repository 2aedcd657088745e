import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import fastifyStatic from '@fastify/static';
import rateLimit from '@fastify/rate-limit';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppContext } from './context.js';
import { installProblemHandler } from './lib/http/problem.js';
import { AppError, ErrorCode } from './lib/errors.js';
import { supportRoutes } from './features/support/routes.js';
import { installAccessControl } from './features/auth/access.js';
import { settingsRoutes } from './features/settings/routes.js';
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
import { labellingRoutes } from './features/labelling/routes.js';
import { integrationRoutes } from './features/integrations/routes.js';
import { installIdempotency } from './features/integrations/idempotency.js';
import { apiKeyScopes } from './lib/permissions.js';

/** Removes secrets from URLs before they reach a log line: respondent tokens are in the path. */
export function redactUrl(url: string): string {
  return url.replace(/\/s\/(o\/)?[^/?#]+/, '/s/$1[token]').replace(/\/u\/[^/?#]+/, '/u/[token]').replace(/([?&](token|key)=)[^&]*/gi, '$1[redacted]');
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
    // X-Forwarded-For/-Proto are believed only from the proxies named in configuration (ACC-5).
    trustProxy: ctx.env.PEIL_TRUSTED_PROXIES ? ctx.env.PEIL_TRUSTED_PROXIES.split(',').map((s) => s.trim()) : false,
    ...(ctx.env.PEIL_TLS_CERT_FILE && ctx.env.PEIL_TLS_KEY_FILE
      ? { https: { cert: readFileSync(ctx.env.PEIL_TLS_CERT_FILE), key: readFileSync(ctx.env.PEIL_TLS_KEY_FILE) } }
      : {}),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installProblemHandler(app, { htmlErrors: (req) => req.url.startsWith('/s/') || req.url.startsWith('/u/') });
  installAccessControl(app, ctx);
  installIdempotency(app, ctx);

  const production = ctx.env.PEIL_ENV === 'production';
  const ownOrigin = new URL(ctx.env.baseUrl).origin;
  app.addHook('onRequest', async (request, reply) => {
    // OBLIGATIONS ACC-5: in production only HTTPS; plain HTTP is redirected (reads) or refused (writes).
    if (production && request.protocol !== 'https') {
      if (request.method === 'GET' || request.method === 'HEAD') return reply.redirect(`${ownOrigin}${request.url}`, 301);
      throw new AppError(ErrorCode.FORBIDDEN, 'Plain HTTP is not accepted; use HTTPS.');
    }
    // A state-changing API request from another site's page is refused before anything else runs
    // (CSRF). Respondent pages are left out: their link is the capability, and browsers send
    // "Origin: null" for some form posts.
    const origin = request.headers.origin;
    if (origin !== undefined && request.url.startsWith('/api/') && !['GET', 'HEAD', 'OPTIONS'].includes(request.method)) {
      let same = false;
      try {
        const o = new URL(origin);
        same = o.origin === ownOrigin || o.host === request.headers.host;
      } catch {
        same = false;
      }
      if (!same) throw new AppError(ErrorCode.FORBIDDEN, 'Cross-site request refused.');
    }
  });

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (production) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    // Respondent pages carry their CSS inline and no script; the admin app is all same-origin files.
    reply.header(
      'content-security-policy',
      request.url.startsWith('/s/') || request.url.startsWith('/u/')
        ? "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
        : "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    reply.header('x-content-type-options', 'nosniff');
    // same-origin: links to other sites never carry a respondent's token in the Referer.
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
  });

  await app.register(cookie);
  // Limits are set per route (sign-in: ACC-4); over the limit is a problem+json like every error.
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, c) => new AppError(ErrorCode.RATE_LIMITED, `Too many requests; try again in ${Math.ceil(c.ttl / 1000)} s.`, { extra: { retryAfterSeconds: Math.ceil(c.ttl / 1000) } }),
  });
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  await app.register(multipart, { limits: { fileSize: Math.floor(ctx.env.UPLOAD_LIMIT_MB * 1024 * 1024), files: 1, fields: 10 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Peil API', version: '0.1.0', description: 'Feedback platform whose processing agreement is executable. Errors are RFC 9457 problem+json.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'peil_session' },
          // OBLIGATIONS SVC-5: API keys, on the routes whose permission a key may hold (their `security`).
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'peil_…', description: 'An API key (Integrations page). Its scopes are its permissions. POST requests accept an `Idempotency-Key` header.' },
        },
      },
      security: [{ session: [] }],
    },
    transform: (input) => {
      const out = jsonSchemaTransform(input);
      const access = (input.route.config as { access?: unknown } | undefined)?.access;
      const permission = typeof access === 'object' && access !== null ? (access as { permission: string }).permission : undefined;
      if (permission && (apiKeyScopes as readonly string[]).includes(permission)) {
        (out.schema as Record<string, unknown>).security = [{ session: [] }, { bearer: [] }];
      }
      return out;
    },
  });
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
  app.get('/healthz', { config: { access: 'public' }, schema: { hide: true } }, async () => ({ ok: true, database: ctx.db.kind, mail: ctx.mailer.kind }));

  const responses = new ResponseWriter(ctx, { windowMs: ctx.env.RESPONSE_BATCH_WINDOW_MS });
  app.addHook('onClose', async () => responses.close());

  await app.register(setupRoutes(ctx));
  await app.register(authRoutes(ctx));
  await app.register(userRoutes(ctx));
  await app.register(settingsRoutes(ctx));
  await app.register(supportRoutes(ctx));
  await app.register(contactRoutes(ctx));
  await app.register(auditRoutes(ctx, { workers: opts.startWorkers !== false }));
  await app.register(securityRoutes(ctx));
  await app.register(surveyRoutes(ctx));
  await app.register(distributionRoutes(ctx, { workers: opts.startWorkers !== false }));
  await app.register(respondRoutes(ctx, responses));
  await app.register(resultRoutes(ctx));
  await app.register(labellingRoutes(ctx, { workers: opts.startWorkers !== false }));
  await app.register(integrationRoutes(ctx, { workers: opts.startWorkers !== false }));

  if (opts.startWorkers !== false) await registerSendWorker(ctx);

  const root = webRoot();
  if (root) {
    await app.register(fastifyStatic, { root, prefix: '/app/', wildcard: false, index: ['index.html'] });
    // The admin app routes in the browser: every /app/... path that is not a file gets index.html.
    app.get('/app/*', { config: { access: 'public' }, schema: { hide: true } }, (_req, reply) => reply.sendFile('index.html'));
    app.get('/app', { config: { access: 'public' }, schema: { hide: true } }, (_req, reply) => reply.redirect('/app/'));
  }
  app.get('/', { config: { access: 'public' }, schema: { hide: true } }, (_req, reply) => reply.redirect('/app/'));

  return app;
}
