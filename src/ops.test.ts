import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from './app.js';
import { setUp, startTestApp, type TestApp } from '../test/harness.js';
import { answeredSurvey } from '../test/respondents.js';
import { configureLog, log } from './lib/log.js';
import { startTick } from './lib/tick.js';
import { WORKERS } from './workers.js';

/**
 * Issue 15: what an operator's monitoring sees, asked over HTTP as a probe and Prometheus ask it:
 * /livez (and /healthz), /readyz with the check that failed, /metrics (who may read it, and that its
 * labels hold route patterns and fixed names, never a token, an id or a tenant), and the log of
 * background work as pino JSON lines.
 */
describe('operations: /livez, /readyz, /metrics', () => {
  let t: TestApp;
  let base: string;
  let owner: string;
  let tenantId: string;

  before(async () => {
    t = await startTestApp({ READY_CHECK_TIMEOUT_MS: '300' });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    ({ ownerCookie: owner, tenantId } = await setUp(t));
  });
  after(() => t.close());

  test('/livez and its old name /healthz answer 200 and name no host', async () => {
    for (const path of ['/livez', '/healthz']) {
      const r = await fetch(`${base}${path}`);
      assert.equal(r.status, 200, path);
      assert.deepEqual(await r.json(), { ok: true, database: t.ctx.db.kind, mail: 'outbox' });
    }
  });

  test('/readyz: 200 with each check ok and the background workers by their names in src/workers.ts', async () => {
    const r = await fetch(`${base}/readyz`);
    assert.equal(r.status, 200, await r.clone().text());
    const body = (await r.json()) as { checks: unknown; workers: string[] };
    assert.deepEqual(body.checks, { database: 'ok', jobs: 'ok', mail: 'ok' });
    assert.deepEqual(
      body.workers,
      WORKERS.filter((w) => w.scope === 'app').map((w) => w.name),
    );
  });

  test('/readyz: mail that fails or hangs is a 503 problem+json naming the check, without the error text, host or password; /livez stays 200', async () => {
    const check = t.ctx.mailer.check;
    try {
      t.ctx.mailer.check = async () => {
        throw new Error('connect ECONNREFUSED smtp.geheim.example:587 (user relay, password Hunter2-geheim)');
      };
      const failed = await fetch(`${base}/readyz`);
      assert.equal(failed.status, 503);
      assert.match(failed.headers.get('content-type') ?? '', /^application\/problem\+json/);
      const text = await failed.text();
      assert.doesNotMatch(text, /geheim|Hunter2|ECONNREFUSED|587/);
      const problem = JSON.parse(text);
      assert.equal(problem.status, 503);
      assert.deepEqual(problem.checks, { database: 'ok', jobs: 'ok', mail: 'failed' });
      assert.match(problem.detail, /mail failed/);

      t.ctx.mailer.check = () => new Promise(() => {});
      const hung = await fetch(`${base}/readyz`);
      assert.equal(hung.status, 503);
      assert.equal(((await hung.json()) as { checks: { mail: string } }).checks.mail, 'timeout');
      assert.equal((await fetch(`${base}/livez`)).status, 200);
    } finally {
      t.ctx.mailer.check = check;
    }
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
  });

  test('/metrics: requests by route pattern and status class, response batches, mails, jobs, pool, workers, process; no token, id or tenant in a label', async () => {
    await answeredSurvey(t, owner, tenantId, [{ score: 9 }, { score: 3, why: 'Te lang gewacht' }]);
    const token = 'eenGeheimRespondentToken-123';
    assert.equal((await fetch(`${base}/s/${token}`)).status, 404);
    const contact = (
      await t.app.inject({ method: 'GET', url: '/api/v1/contacts?limit=1', headers: { cookie: owner } })
    ).json().contacts[0].id as string;
    assert.equal((await fetch(`${base}/api/v1/contacts/${contact}`, { headers: { cookie: owner } })).status, 200);

    // The invitations are sent by the background job: wait until it has run.
    let r = await fetch(`${base}/metrics`);
    while (!/peil_jobs_completed_total\{queue="invitations-send"\} [1-9]/.test(await r.clone().text())) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      r = await fetch(`${base}/metrics`);
    }
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await r.text();
    assert.match(text, /peil_http_requests_total\{method="GET",route="\/s\/:token",status="4xx"\} [1-9]/);
    assert.match(text, /peil_http_requests_total\{method="POST",route="\/s\/:token",status="3xx"\} [1-9]/);
    assert.match(text, /peil_http_requests_total\{method="GET",route="\/api\/v1\/contacts\/:id",status="2xx"\} [1-9]/);
    assert.match(
      text,
      /peil_http_request_duration_seconds_bucket\{le="0\.1",method="GET",route="\/livez",status="2xx"\}/,
    );
    assert.match(text, /peil_response_batch_size_count [1-9]/);
    assert.match(text, /peil_response_batch_duration_seconds_count\{outcome="ok"\} [1-9]/);
    assert.match(text, /peil_mails_total\{transport="outbox",outcome="sent"\} [1-9]/);
    assert.match(text, /peil_jobs_completed_total\{queue="invitations-send"\} [1-9]/);
    assert.match(text, /peil_job_queue_depth\{queue="invitations-send"\} \d/);
    assert.match(text, /peil_db_pool_connections\{state="total"\} [1-9]/);
    assert.match(text, /peil_workers_running\{worker="webhooks sweep"\} 1/);
    assert.match(text, /# TYPE peil_webhook_deliveries_total counter/);
    assert.match(text, /# TYPE peil_response_batch_retries_total counter/);
    assert.match(text, /peil_process_cpu_user_seconds_total/);
    for (const secret of [token, contact, tenantId, 'example.nl', 'Te lang'])
      assert.ok(!text.includes(secret), `"${secret}" is not in the metrics`);
  });

  test('/metrics without METRICS_TOKEN: this machine only, never through a proxy; in production off', async () => {
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.9' })).statusCode,
      403,
    );
    assert.equal(
      (await fetch(`${base}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } })).status,
      403,
      'a proxy on this machine',
    );
    assert.equal((await fetch(`${base}/metrics`, { headers: { forwarded: 'for=203.0.113.9' } })).status, 403);
    const envBefore = t.ctx.env.PEIL_ENV;
    try {
      t.ctx.env.PEIL_ENV = 'production';
      assert.equal((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode, 404);
    } finally {
      t.ctx.env.PEIL_ENV = envBefore;
    }
  });

  test('/metrics with METRICS_TOKEN: the bearer token is required (401 with WWW-Authenticate), from anywhere, an API session is no substitute', async () => {
    t.ctx.env.METRICS_TOKEN = 'prometheus-token-van-de-operator';
    try {
      const none = await fetch(`${base}/metrics`);
      assert.equal(none.status, 401);
      assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer /);
      assert.match(none.headers.get('content-type') ?? '', /^application\/problem\+json/);
      assert.equal(
        (await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer prometheus-token-van-de-operatoR' } }))
          .status,
        401,
      );
      assert.equal((await fetch(`${base}/metrics`, { headers: { cookie: owner } })).status, 401);
      const remote = await t.app.inject({
        method: 'GET',
        url: '/metrics',
        remoteAddress: '203.0.113.9',
        headers: { authorization: 'Bearer prometheus-token-van-de-operator' },
      });
      assert.equal(remote.statusCode, 200);
      assert.match(remote.body, /peil_http_requests_total/);
    } finally {
      delete t.ctx.env.METRICS_TOKEN;
    }
  });

  test('/readyz: background jobs that are not running are a 503 naming "jobs" (last: they stay stopped)', async () => {
    await t.ctx.jobs.stop();
    const r = await fetch(`${base}/readyz`);
    assert.equal(r.status, 503);
    assert.deepEqual(((await r.json()) as { checks: unknown }).checks, { database: 'ok', jobs: 'failed', mail: 'ok' });
    assert.equal((await fetch(`${base}/livez`)).status, 200);
  });
});

describe('the log of background work is pino JSON', () => {
  test('a failing tick and a background error are JSON lines of the app logger (worker, code, level), and without an app the same shape', async () => {
    const t = await startTestApp({ LOG_LEVEL: 'info' });
    const lines: string[] = [];
    const logged = await buildApp(t.ctx, {
      logger: true,
      logStream: { write: (line) => void lines.push(line) },
      startWorkers: false,
    });
    try {
      let runs = 0;
      const stop = startTick('[proef] tick', 0.01, async () => {
        runs++;
        throw Object.assign(new Error('relation "x" does not exist: jan@example.nl'), { code: '42P01' });
      });
      while (runs === 0) await new Promise((r) => setTimeout(r, 5));
      await stop();
      log.error({ worker: 'proef' }, 'iets ging mis');
      const json = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      const tick = json.find((l) => l.worker === 'proef tick');
      assert.ok(tick, lines.join(''));
      assert.equal(tick.level, 50);
      assert.equal(tick.code, '42P01');
      assert.match(String(tick.msg), /proef\] tick failed \(42P01\)/);
      assert.ok(!lines.join('').includes('jan@example.nl'), 'the error text (which can quote values) is not logged');
      assert.ok(json.some((l) => l.worker === 'proef' && l.msg === 'iets ging mis' && typeof l.time === 'number'));
    } finally {
      await logged.close();
      await t.close();
    }
    // Without an app (a command, or before the app is built) the lines have the same shape.
    const own: string[] = [];
    configureLog({ level: 'info', stream: { write: (l: string) => own.push(l) } });
    log.warn({ worker: 'proef' }, 'zonder app');
    configureLog({ stream: process.stderr });
    const line = JSON.parse(own[0]!);
    assert.equal(line.level, 40);
    assert.equal(line.msg, 'zonder app');
    assert.equal(line.pid, process.pid);
    assert.equal(typeof line.time, 'number');
  });
});
