import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from './context.js';
import { AppError, ErrorCode } from './lib/errors.js';
import { httpDuration, httpRequests, registry, statusClass, watchPool } from './lib/metrics.js';

/**
 * Issue 15: what an operator's monitoring asks a running Peil.
 *
 * - GET /livez (and its old name /healthz): the process is up and its event loop answers. It reads
 *   nothing, so a load balancer does not restart Peil while the database is away (SEC-2).
 * - GET /readyz: the database answers, the background jobs run and mail can be handed over, each
 *   within READY_CHECK_TIMEOUT_MS; otherwise 503 problem+json naming the checks that failed (by
 *   name and "failed"/"timeout" only: no error text, host name or secret).
 * - GET /metrics: Prometheus metrics (src/lib/metrics.ts), for METRICS_TOKEN as a bearer token; without
 *   a token only from this machine, never through a proxy, and in production not at all.
 */
export const OPS_PATHS = ['/livez', '/readyz', '/metrics'] as const;

type CheckResult = 'ok' | 'failed' | 'timeout';
const checkNames = ['database', 'jobs', 'mail'] as const;

async function within(ms: number, work: () => Promise<unknown>): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([
      work().then(
        (): CheckResult => 'ok',
        (): CheckResult => 'failed',
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const digest = (s: string) => createHash('sha256').update(s).digest();

/** Who may read /metrics (see above). Throws the refusal. */
function guardMetrics(ctx: AppContext, request: FastifyRequest, reply: FastifyReply): void {
  const token = ctx.env.METRICS_TOKEN;
  if (token) {
    const m = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '');
    if (m && timingSafeEqual(digest(m[1]!.trim()), digest(token))) return;
    reply.header('www-authenticate', 'Bearer realm="peil-metrics"');
    throw new AppError(ErrorCode.UNAUTHENTICATED, 'The metrics need the bearer token of METRICS_TOKEN.');
  }
  if (ctx.env.PEIL_ENV === 'production')
    throw new AppError(ErrorCode.NOT_FOUND, {
      key: 'problems:noRoute',
      params: { method: request.method, path: '/metrics' },
    });
  // The peer of the socket itself (not X-Forwarded-For): a proxy on this machine forwards the world.
  const forwarded =
    request.headers['x-forwarded-for'] !== undefined ||
    request.headers.forwarded !== undefined ||
    request.headers['x-real-ip'] !== undefined;
  if (!LOOPBACK.has(request.socket.remoteAddress ?? '') || forwarded) {
    throw new AppError(
      ErrorCode.FORBIDDEN,
      'Metrics are served to this machine only; set METRICS_TOKEN to read them from elsewhere.',
    );
  }
}

export function installOps(app: FastifyInstance, ctx: AppContext): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const unwatch = watchPool(ctx.db.handle.pool);
  app.addHook('onClose', async () => unwatch());

  // Requests by route pattern (`/s/:token`, never the URL itself) and status class.
  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: statusClass(reply.statusCode),
    };
    httpRequests.inc(labels);
    httpDuration.observe(labels, reply.elapsedTime / 1000);
  });

  const live = z.object({
    ok: z.literal(true),
    database: z.enum(['pglite', 'postgres']),
    mail: z.enum(['smtp', 'outbox']),
  });
  const livez = async () => ({ ok: true as const, database: ctx.db.kind, mail: ctx.mailer.kind });
  typed.get(
    '/livez',
    {
      config: { access: 'public' },
      schema: {
        tags: ['operations'],
        summary: 'Liveness: the process is up (reads nothing; also at /healthz)',
        security: [],
        response: { 200: live },
      },
    },
    livez,
  );
  typed.get('/healthz', { config: { access: 'public' }, schema: { hide: true } }, livez);

  typed.get(
    '/readyz',
    {
      config: { access: 'public' },
      schema: {
        tags: ['operations'],
        summary:
          'Readiness: the database answers, background jobs run, mail can be handed over (503 problem+json naming the failed checks)',
        description: `Each check has READY_CHECK_TIMEOUT_MS (default 2 s). With SMTP, the mail check connects to the server at most every 30 s. A 503 has \`checks\` with "ok", "failed" or "timeout" per check.`,
        security: [],
        response: {
          200: z.object({
            ok: z.literal(true),
            checks: z.object({ database: z.literal('ok'), jobs: z.literal('ok'), mail: z.literal('ok') }),
            workers: z.array(z.string()).describe('the background workers running in this process (src/workers.ts)'),
          }),
        },
      },
    },
    async () => {
      const ms = ctx.env.READY_CHECK_TIMEOUT_MS;
      const results = await Promise.all([
        within(ms, () => sql`SELECT 1`.execute(ctx.db.handle.kysely)),
        within(ms, () => ctx.jobs.check()),
        within(ms, () => ctx.mailer.check()),
      ]);
      const checks = Object.fromEntries(checkNames.map((n, i) => [n, results[i]!])) as Record<
        (typeof checkNames)[number],
        CheckResult
      >;
      const failed = checkNames.filter((n) => checks[n] !== 'ok');
      if (failed.length)
        throw new AppError(ErrorCode.UNAVAILABLE, `Not ready: ${failed.map((n) => `${n} ${checks[n]}`).join(', ')}.`, {
          extra: { checks },
        });
      return {
        ok: true as const,
        checks: { database: 'ok' as const, jobs: 'ok' as const, mail: 'ok' as const },
        workers: [...app.workers],
      };
    },
  );

  typed.get(
    '/metrics',
    {
      config: { access: 'public' },
      schema: {
        tags: ['operations'],
        summary:
          'Prometheus metrics (text format): requests, latencies, response batches, jobs, mails, webhooks, database pool, process',
        description:
          'With METRICS_TOKEN set: `Authorization: Bearer <METRICS_TOKEN>` (401 without). Without it: only requests from this machine that no proxy forwarded (403 otherwise); in production /metrics is then off (404).',
        security: [{ metricsToken: [] }],
        produces: ['text/plain'],
        response: { 200: z.string() },
      },
    },
    async (request, reply) => {
      guardMetrics(ctx, request, reply);
      const text = await registry.metrics();
      return reply.type(registry.contentType).send(text);
    },
  );
}
