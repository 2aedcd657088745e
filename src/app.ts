import Fastify, { LogController, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import fastifyStatic from '@fastify/static';
import rateLimit from '@fastify/rate-limit';
import { jsonSchemaTransform, serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppContext } from './context.js';
import { installProblemHandler, problemServerOptions } from './lib/http/problem.js';
import { validatorCompiler } from './lib/http/zod-reasons.js';
import { installTextCheck } from './lib/http/text.js';
import { installHttpConventions } from './lib/http/conventions.js';
import { sharedRateStore } from './lib/http/rate-window.js';
import { AppError, ErrorCode } from './lib/errors.js';
import { supportRoutes } from './features/support/routes.js';
import { authChallenge, installAccessControl, type Access } from './features/auth/access.js';
import { agreementRoutes } from './features/agreement/routes.js';
import { agreementDocumentRoutes } from './features/agreement/document-routes.js';
import { settingsRoutes } from './features/settings/routes.js';
import { authRoutes } from './features/auth/routes.js';
import { setupRoutes } from './features/setup/routes.js';
import { suspensionRoutes } from './features/suspension/routes.js';
import { userRoutes } from './features/users/routes.js';
import { contactRoutes } from './features/contacts/routes.js';
import { auditRoutes } from './features/audit/routes.js';
import { subprocessorRoutes } from './features/subprocessors/routes.js';
import { registerRoutes } from './features/register/routes.js';
import { auditRequestRoutes } from './features/audits/routes.js';
import { breachRoutes } from './features/breaches/routes.js';
import { endingRoutes } from './features/ending/routes.js';
import { securityRoutes } from './features/security/routes.js';
import { surveyRoutes } from './features/surveys/routes.js';
import { distributionRoutes } from './features/distribution/routes.js';
import { respondRoutes } from './features/respond/routes.js';
import { requestRoutes } from './features/requests/routes.js';
import { ResponseWriter } from './features/respond/writer.js';
import { respondentErrorPage, unavailablePage } from './features/respond/pages.js';
import { RESPONDENT_BODY_LIMIT } from './features/respond/routes.js';
import { resultRoutes } from './features/results/routes.js';
import { exportRoutes } from './features/results/export.js';
import { breakdownRoutes } from './features/results/breakdown-routes.js';
import { labellingRoutes } from './features/labelling/routes.js';
import { integrationRoutes } from './features/integrations/routes.js';
import { webhooksDocument } from './features/integrations/event-schemas.js';
import { benchmarkRoutes } from './features/benchmark/routes.js';
import { followUpRoutes } from './features/followups/routes.js';
import { publicationRoutes } from './features/publications/routes.js';
import { planRoutes } from './features/plans/routes.js';
import { installIdempotency } from './features/integrations/idempotency.js';
import { apiKeyScopes } from './lib/permissions.js';
import { describeRoute, finishDocument, type DocResponse } from './lib/http/openapi.js';
import { bindLogger } from './lib/log.js';
import { installOps } from './ops.js';
import { startWorkers } from './workers.js';

/**
 * Query parameter names that may appear in a log line (their values never do). They are the API's
 * own names for paging, filtering and output choices; any other name, which a caller chooses (and
 * could make personal: `?jan@example.nl`), is left out and counted as "…".
 */
const LOGGED_QUERY_KEYS = new Set([
  'limit',
  'after',
  'before',
  'cursor',
  'status',
  'reason',
  'format',
  'lang',
  'delimiter',
  'contacts',
  'comments',
  'label',
  'breakdown',
  'action',
  'subject',
  'actor',
  'from',
  'to',
]);

/**
 * OBLIGATIONS LOG-1, SEC-1: the URL as a log line may show it. Respondent and unsubscribe tokens in
 * the path become [token]; of the query only the names of harmless parameters are kept, never a value
 * (`/api/v1/contacts?email=jan%40example.nl&limit=5` is logged as `/api/v1/contacts?limit&…`).
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const path = (q < 0 ? url : url.slice(0, q))
    .replace(/\/s\/(o\/)?[^/?#]+/, '/s/$1[token]')
    .replace(/\/u\/[^/?#]+/, '/u/[token]')
    .replace(/^\/r\/((?:o|c)\/)?[^/?#]+/, '/r/$1[token]')
    .replace(/^\/p\/[^/?#]+/, '/p/[token]');
  if (q < 0) return path;
  const names = url
    .slice(q + 1)
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const name = p.split('=')[0]!;
      try {
        return decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        return name;
      }
    });
  const kept = [...new Set(names.filter((n) => LOGGED_QUERY_KEYS.has(n)))];
  const dropped = names.some((n) => !LOGGED_QUERY_KEYS.has(n));
  const parts = dropped ? [...kept, '…'] : kept;
  return parts.length ? `${path}?${parts.join('&')}` : path;
}

/**
 * OBLIGATIONS SVC-4, LOG-1: the respondent's pages (/s/…: answering, /u/…: unsubscribing, /r/…: requests, DSR-1). Their
 * requests are not logged at all: a line would keep the respondent's address and the exact time of an
 * anonymous answer's post. Errors there are still logged, by the error handler, without the request.
 */
export const isRespondentPath = (url: string): boolean =>
  url.startsWith('/s/') || url.startsWith('/u/') || url.startsWith('/r/');

/**
 * OBLIGATIONS BEN-2: the public publication routes (/p/<token>: page, widget, badge). Their visitors
 * are the public, on the customer's website: treated like respondent paths (no request lines, so no
 * visitor address; the token redacted wherever a URL is logged), and the only routes other sites may
 * frame.
 */
export const isPublicationPath = (url: string): boolean => url.startsWith('/p/');

/** Fastify's own request lines, except for respondent and publication pages. */
class PeilLogController extends LogController {
  constructor() {
    super({ disableRequestLogging: (request) => isRespondentPath(request.url) || isPublicationPath(request.url) });
  }
}

/** The OpenAPI document's introduction: how to authenticate, retry safely and read errors. */
const API_DESCRIPTION = `Peil runs NPS, eNPS, CSAT and CES surveys for Dutch organisations, as their data processor. This API is what the admin app uses, and what integrations (CRM, HR and service systems) use to upsert contacts, invite them to surveys and read responses and results.

## Authentication

- **Admin app: session cookie + CSRF header.** \`POST /api/v1/auth/sign-in\` sets the \`peil_session\` cookie (HttpOnly) and the \`peil_csrf\` cookie. Every request that changes something (POST, PUT, PATCH, DELETE) with the session cookie must send the value of \`peil_csrf\` in the \`x-csrf-token\` header, or it is refused with 403.
- **Integrations: Bearer API key.** An owner or admin creates a key on the Integrations page (or \`POST /api/v1/api-keys\`) and chooses its scopes (\`contacts:read\`, \`contacts:write\`, \`surveys:read\`, \`surveys:write\`, \`invitations:send\`, \`results:read\`, \`responses:export\`). Send it as \`Authorization: Bearer peil_…\`; no cookie and no CSRF header. The operations a key may call list the \`bearer\` security scheme; a key without the scope gets 403, an unknown, revoked or expired key 401, a request with both a key and a session cookie 400. Requests per key are rate-limited (429).

## Idempotency keys

Every POST under \`/api/v1\` accepts an \`Idempotency-Key\` header (1–255 visible ASCII characters), for sessions and API keys alike. A retry with the same key and the same request gets the first answer again, with \`Idempotent-Replayed: true\`, and nothing runs twice. The same key with a different request is 422; a retry while the first request still runs is 409. Answers are kept for 24 hours; a 5xx answer is not kept, so it can be retried.

## Errors: problem+json

Every error is RFC 9457 \`application/problem+json\` (the \`Problem\` schema): \`type\`, \`title\`, \`status\`, \`detail\`, a stable \`code\` (such as \`validation_failed\`), \`instance\`, \`requestId\` (quote it when you contact support) and, when the request itself was wrong, \`errors[]\`: each with a JSON \`pointer\` into the request (\`/body/contacts/3/email\`) or, for an uploaded file, the \`row\` and \`column\`, and a \`reason\`. A batch is all or nothing: a 422 lists every problem and nothing is stored.`;

/** Tags of the OpenAPI document, in the order a reader needs them. */
const API_TAGS = [
  {
    name: 'contacts',
    description:
      "Contacts and their typed profile fields: upsert by email address (one or a batch of up to 1,000), file import (CSV, Excel), read, correct and erase. Personal data is stored encrypted with the organisation's key.",
  },
  {
    name: 'surveys',
    description:
      'Surveys (NPS, eNPS, CSAT, CES, custom): create from a template or a definition, edit, open and close, and the public open link.',
  },
  {
    name: 'distribution',
    description:
      'Inviting contacts: one contact by API (after a service event), or a distribution to all, a list or a selection by profile filters, now or scheduled, with reminders. Suppression list, throttling and email templates apply.',
  },
  {
    name: 'results',
    description:
      'NPS and per-question results, trend, comments and breakdowns (respecting the anonymity mode and minimum group size), and the individual responses with cursor pagination. The closed loop: alert rules of identified surveys and the follow-ups they create (status, owner, notes, due time), with a summary per survey.',
  },
  {
    name: 'integrations',
    description:
      'API keys (scoped, revocable) and webhooks to the Standard Webhooks specification (`response.completed`, `invitation.bounced`, `contact.unsubscribed`, `survey.closed` and `followup.created` events, chosen per webhook; secret rotation with an overlap, a ping, retries with back-off and a delivery log).',
  },
  {
    name: 'labelling',
    description: 'Labels and sentiment of open answers (an optional module), and their manual correction.',
  },
  { name: 'users', description: 'Users of the organisation, their roles, unlocking and second-factor reset.' },
  {
    name: 'auth',
    description:
      'Signing in and out with a session cookie, accepting an invitation, passwords and the second factor (TOTP).',
  },
  {
    name: 'agreement',
    description:
      'The processing agreement (verwerkersovereenkomst) as a record: parties, term and renewal, the notice deadline, contact persons and the agreed terms (breach notice, objection periods, audits, return, log retention, location).',
  },
  {
    name: 'register',
    description:
      'The register of processing (Annex 1 of the agreement): categories of personal data derived from what is stored (with drift), data subjects, purposes, operations, retention per survey and for contacts, special categories and free text that looks like a BSN, IBAN or health data (counts).',
  },
  {
    name: 'settings',
    description:
      "The organisation's settings, such as requiring a second factor of every user, and its plan and usage (limits per plan with extensions; at a limit imports and invitations are refused with `limit_reached` (409), answers are always stored).",
  },
  {
    name: 'audit',
    description: 'The tamper-evident audit log: reading, verification and restoring a changed or erased record.',
  },
  {
    name: 'privacy',
    description: 'The technical and organisational security measures, as the processing agreement states them.',
  },
  {
    name: 'support access',
    description: 'Time-limited access the organisation grants to Peil support, and its revocation.',
  },
  {
    name: 'publications',
    description:
      'Public results an owner published (BEN-2): a page, a widget for an iframe and an SVG badge, by an unguessable token. No account, no cookie, no script; any site may frame them. Withdrawn, suspended, ended and unknown alike answer a neutral 404 "not available".',
  },
  {
    name: 'benchmark',
    description:
      'The anonymous sector benchmark (BEN-1): where the organisation stands per key score and closed quarter; cells below K customers, M respondents or with a dominant customer are not published.',
  },
  {
    name: 'respondent',
    description:
      'The pages respondents answer a survey on (HTML, by personal token or open link) and one-click unsubscribe. Not for integrations.',
  },
  {
    name: 'setup',
    description: 'First start of an installation: the operator account and the first customer with its owner.',
  },
  {
    name: 'operations',
    description:
      "For the operator's monitoring, outside /api: liveness, readiness (database, background jobs, mail) and Prometheus metrics (with METRICS_TOKEN as a bearer token).",
  },
  {
    name: 'operator',
    description:
      "The operator (Peil itself): organisations, support sessions and the labelling module. Not available to customers' users or API keys.",
  },
];

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

export interface BuildOptions {
  logger?: boolean;
  /** Where log lines go (default: standard output); tests read them from here. */
  logStream?: { write(line: string): void };
  startWorkers?: boolean;
  /** Also start the workers of `peil start` alone (src/workers.ts, scope `server`). */
  serverWorkers?: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The names of the background workers this app started (src/workers.ts). */
    workers: readonly string[];
  }
}

export async function buildApp(ctx: AppContext, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger
      ? {
          level: ctx.env.LOG_LEVEL,
          ...(opts.logStream ? { stream: opts.logStream } : {}),
          serializers: {
            // OBLIGATIONS LOG-1: no query values; a respondent's address never (their requests are not logged at all).
            req: (req) => ({
              method: req.method,
              url: redactUrl(req.url),
              ...(isRespondentPath(req.url) || isPublicationPath(req.url) ? {} : { remoteAddress: req.ip }),
            }),
          },
        }
      : false,
    logController: new PeilLogController(),
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    // OBLIGATIONS SEC-3: errors before routing (bad %-encoding, long parameters, oversized headers) are problem+json too.
    ...problemServerOptions({ htmlErrors: (req) => isRespondentPath(req.url) || isPublicationPath(req.url) }),
    // X-Forwarded-For/-Proto are believed only from the proxies named in configuration (ACC-5).
    trustProxy: ctx.env.PEIL_TRUSTED_PROXIES ? ctx.env.PEIL_TRUSTED_PROXIES.split(',').map((s) => s.trim()) : false,
    ...(ctx.env.PEIL_TLS_CERT_FILE && ctx.env.PEIL_TLS_KEY_FILE
      ? { https: { cert: readFileSync(ctx.env.PEIL_TLS_CERT_FILE), key: readFileSync(ctx.env.PEIL_TLS_KEY_FILE) } }
      : {}),
  }).withTypeProvider<ZodTypeProvider>();

  // Issue 15: background work logs through this app's pino instance while it runs (src/lib/log.ts).
  if (opts.logger) {
    const unbind = bindLogger(app.log);
    app.addHook('onClose', async () => unbind());
  }
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installProblemHandler(app, {
    htmlErrors: (req) => isRespondentPath(req.url) || isPublicationPath(req.url),
    // OBLIGATIONS SEC-2: respondents get a friendly page (Dutch, English beside it) while the database is away.
    htmlPage: (err, req) =>
      err.code === ErrorCode.DATABASE_UNAVAILABLE
        ? unavailablePage(ctx.env.DATABASE_RETRY_AFTER_SECONDS)
        : isRespondentPath(req.url)
          ? respondentErrorPage(err.status, RESPONDENT_BODY_LIMIT)
          : undefined,
    retryAfterSeconds: ctx.env.DATABASE_RETRY_AFTER_SECONDS,
    challenge: authChallenge,
  });
  installTextCheck(app);
  installAccessControl(app, ctx);
  // Before the idempotency hook: a stored answer keeps the Location this adds.
  installHttpConventions(app);
  installIdempotency(app, ctx);

  const production = ctx.env.PEIL_ENV === 'production';
  const ownOrigin = new URL(ctx.env.baseUrl).origin;
  app.addHook('onRequest', async (request, reply) => {
    // OBLIGATIONS ACC-5: in production only HTTPS; plain HTTP is redirected (reads) or refused (writes).
    if (production && request.protocol !== 'https') {
      if (request.method === 'GET' || request.method === 'HEAD')
        return reply.redirect(`${ownOrigin}${request.url}`, 301);
      throw new AppError(ErrorCode.FORBIDDEN, 'Plain HTTP is not accepted; use HTTPS.');
    }
    // A state-changing API request from another site's page is refused before anything else runs
    // (CSRF). Respondent pages are left out: their link is the capability, and browsers send
    // "Origin: null" for some form posts.
    const origin = request.headers.origin;
    if (
      origin !== undefined &&
      request.url.startsWith('/api/') &&
      !['GET', 'HEAD', 'OPTIONS'].includes(request.method)
    ) {
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
    // OBLIGATIONS BEN-2: publications (page, widget, badge) are the only answers any site may frame
    // (frame-ancestors *, no X-Frame-Options) and embed (Cross-Origin-Resource-Policy: cross-origin);
    // everything else stays unframeable ('none' and DENY).
    const publication = isPublicationPath(request.url);
    reply.header(
      'content-security-policy',
      publication
        ? "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'none'; base-uri 'none'; frame-ancestors *"
        : isRespondentPath(request.url)
          ? "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
          : "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    reply.header('x-content-type-options', 'nosniff');
    // same-origin: links to other sites never carry a respondent's token in the Referer.
    reply.header('referrer-policy', 'same-origin');
    if (publication) reply.header('cross-origin-resource-policy', 'cross-origin');
    else reply.header('x-frame-options', 'DENY');
  });

  await app.register(cookie);
  // Limits are set per route (sign-in: ACC-4); over the limit is a problem+json like every error.
  await app.register(rateLimit, {
    global: false,
    // Issue 17: on PostgreSQL counted in the database, across every Peil process behind the address.
    ...(ctx.db.kind === 'postgres' ? { store: sharedRateStore(ctx.db) } : {}),
    // RateLimit-Limit, -Remaining, -Reset and Retry-After (draft-ietf-httpapi-ratelimit-headers), as the API key limit sends them.
    enableDraftSpec: true,
    errorResponseBuilder: (_req, c) =>
      new AppError(
        ErrorCode.RATE_LIMITED,
        { key: 'problems:tooManyRequests', params: { seconds: Math.ceil(c.ttl / 1000) } },
        { extra: { retryAfterSeconds: Math.ceil(c.ttl / 1000) } },
      ),
  });
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  await app.register(multipart, {
    limits: { fileSize: Math.floor(ctx.env.UPLOAD_LIMIT_MB * 1024 * 1024), files: 1, fields: 10 },
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Peil API',
        version: '0.1.0',
        description: API_DESCRIPTION,
        license: { name: 'Proprietary: for use under the agreement with Peil', url: 'https://peil.dev/terms' },
      },
      tags: API_TAGS,
      components: {
        securitySchemes: {
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'peil_session',
            description:
              'The session cookie `POST /api/v1/auth/sign-in` sets. An operation lists the permission it needs (users have it through their role).',
          },
          // OBLIGATIONS SVC-5: API keys, on the routes whose permission a key may hold (their `security`).
          bearer: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'peil_…',
            description:
              'An API key (Integrations page). Its scopes are its permissions: an operation lists the scope it needs. POST requests accept an `Idempotency-Key` header.',
          },
          // With the session cookie, every request that changes something sends the peil_csrf cookie's value in this header.
          csrf: {
            type: 'apiKey',
            in: 'header',
            name: 'x-csrf-token',
            description:
              'The value of the `peil_csrf` cookie, on every POST, PUT, PATCH and DELETE with the session cookie.',
          },
          // Issue 15: Prometheus' token for GET /metrics (METRICS_TOKEN), not an API key.
          metricsToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'The METRICS_TOKEN of the installation (GET /metrics only).',
          },
        },
      },
      security: [{ session: [] }],
    },
    // The contract's rules (src/lib/http/openapi.ts): security, operationIds, problem answers and headers for every route.
    transform: (input) => {
      const out = jsonSchemaTransform(input);
      const config = input.route.config as
        { access?: Access; rateLimit?: unknown; openapi?: { responses?: Record<string, DocResponse> } } | undefined;
      const schema = describeRoute(out.schema as Record<string, unknown>, {
        method: String(input.route.method),
        url: input.url,
        access: config?.access,
        rateLimited: config?.rateLimit !== undefined && config.rateLimit !== false,
        keyScopes: apiKeyScopes,
        ...(config?.openapi?.responses ? { docResponses: config.openapi.responses } : {}),
      });
      return { ...out, schema };
    },
    // Issue 15: the webhook events (Standard Webhooks) as the document's `webhooks` section.
    transformObject: (input) =>
      'openapiObject' in input
        ? ({
            ...finishDocument(input.openapiObject as Record<string, unknown>, { baseUrl: ctx.env.baseUrl }),
            webhooks: webhooksDocument(),
          } as typeof input.openapiObject)
        : input.swaggerObject,
  });
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
  // Issue 15: /livez (and its old name /healthz), /readyz, /metrics, and the HTTP metrics.
  installOps(app, ctx);

  const responses = new ResponseWriter(ctx, { windowMs: ctx.env.RESPONSE_BATCH_WINDOW_MS });
  app.addHook('onClose', async () => responses.close());

  await app.register(setupRoutes(ctx));
  await app.register(suspensionRoutes(ctx));
  await app.register(authRoutes(ctx));
  await app.register(userRoutes(ctx));
  await app.register(settingsRoutes(ctx));
  await app.register(agreementRoutes(ctx));
  await app.register(agreementDocumentRoutes(ctx));
  await app.register(supportRoutes(ctx));
  await app.register(contactRoutes(ctx));
  await app.register(auditRoutes(ctx));
  await app.register(securityRoutes(ctx));
  await app.register(subprocessorRoutes(ctx));
  await app.register(registerRoutes(ctx));
  await app.register(auditRequestRoutes(ctx));
  await app.register(breachRoutes(ctx));
  await app.register(endingRoutes(ctx));
  await app.register(surveyRoutes(ctx));
  await app.register(distributionRoutes(ctx));
  await app.register(respondRoutes(ctx, responses));
  await app.register(requestRoutes(ctx));
  await app.register(resultRoutes(ctx));
  await app.register(exportRoutes(ctx));
  await app.register(breakdownRoutes(ctx));
  await app.register(labellingRoutes(ctx));
  await app.register(integrationRoutes(ctx));
  await app.register(followUpRoutes(ctx));
  await app.register(publicationRoutes(ctx));
  await app.register(planRoutes(ctx));
  await app.register(benchmarkRoutes(ctx));

  const root = webRoot();
  if (root) {
    await app.register(fastifyStatic, { root, prefix: '/app/', wildcard: false, index: ['index.html'] });
    // The admin app routes in the browser: every /app/... path that is not a file gets index.html.
    app.get('/app/*', { config: { access: 'public' }, schema: { hide: true } }, (_req, reply) =>
      reply.sendFile('index.html'),
    );
    app.get('/app', { config: { access: 'public' }, schema: { hide: true } }, (_req, reply) => reply.redirect('/app/'));
  }
  app.get('/', { config: { access: 'public' }, schema: { hide: true } }, (_req, reply) => reply.redirect('/app/'));

  // Issue 15: the background work, from the one list in src/workers.ts (peil start adds the `server` ones).
  if (opts.startWorkers !== false) {
    const workers = await startWorkers(ctx, opts.serverWorkers ? ['app', 'server'] : ['app']);
    app.decorate('workers', workers.names);
    app.addHook('onClose', async () => workers.stop());
  } else {
    app.decorate('workers', [] as readonly string[]);
  }

  return app;
}
