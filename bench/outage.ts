/**
 * Benchmark `outage` (OBLIGATIONS SEC-2, issue 16): respondents answer through the open link for
 * BENCH_OUTAGE_SECONDS (default 30) while PostgreSQL goes away again and again: every backend of the
 * database terminated (57P01, as a restart or failover does), every connection cut by the network
 * (a TCP proxy between Peil and PostgreSQL: "Connection terminated unexpectedly"), and new connections
 * refused for 2 s. Reports what was acknowledged against what is stored (lost, duplicates), the 503s,
 * and how long after the database came back the first answer was acknowledged again. The shared
 * server is never stopped; only this benchmark's scratch database is touched.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { MasterKey } from '../src/lib/crypto/keyring.js';
import { openDatabase } from '../src/lib/db/connect.js';
import { appOnDatabase, setUp } from '../test/harness.js';
import { startProxy } from '../test/tcp-proxy.js';
import type { Figure } from './responses.js';

export async function benchOutage(opts: { pgUrl: string; seconds: number; concurrency: number }): Promise<Figure[]> {
  const bench = 'outage-postgresql';
  const name = `peil_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: opts.pgUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const direct = new URL(opts.pgUrl);
  direct.pathname = `/${name}`;
  const proxy = await startProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
  const via = new URL(direct);
  via.hostname = '127.0.0.1';
  via.port = String(proxy.port);
  const handle = await openDatabase({ url: via.toString(), poolSize: 20, connectTimeoutMs: 1_000, log: () => {} });
  const t = await appOnDatabase(handle, new MasterKey(randomBytes(32)), {
    OPEN_LINK_RATE_PER_MINUTE: '100000000',
    DATABASE_RETRY_AFTER_SECONDS: '2',
  });
  const quiet = console.error;
  console.error = () => {};
  try {
    const { ownerCookie: cookie } = await setUp(t);
    const s = await t.app.inject({
      method: 'POST',
      url: '/api/v1/surveys',
      headers: { cookie },
      payload: { name: 'Bench' },
    });
    const surveyId = s.json().id as string;
    await t.app.inject({ method: 'POST', url: `/api/v1/surveys/${surveyId}/open`, headers: { cookie } });
    const link = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/surveys/${surveyId}/open-link`,
      headers: { cookie },
      payload: { enabled: true },
    });
    const path = new URL(link.json().url, 'http://peil.test').pathname;

    const acked = new Set<string>();
    let unavailable = 0;
    let other = 0;
    let lastAck = 0;
    let running = true;
    const respondent = async () => {
      while (running) {
        const rid = randomUUID();
        for (let attempt = 0; attempt < 200; attempt++) {
          const res = await t.app.inject({
            method: 'POST',
            url: path,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            payload: `rid=${rid}&score=8&lang=nl&nav=submit`,
          });
          if (res.statusCode === 303) {
            acked.add(rid);
            lastAck = performance.now();
            break;
          }
          if (res.statusCode === 409) break;
          if (res.statusCode === 503) unavailable++;
          else other++;
          await new Promise((r) => setTimeout(r, 100));
          if (!running) break;
        }
      }
    };
    const load = Array.from({ length: opts.concurrency }, respondent);
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const recoveries: number[] = [];
    /** After the database is back: how long until an answer is acknowledged again. */
    const recovered = async (since: number) => {
      while (lastAck < since) await pause(5);
      recoveries.push(lastAck - since);
    };
    const end = performance.now() + opts.seconds * 1000;
    let events = 0;
    const t0 = performance.now();
    while (performance.now() < end) {
      await pause(1_500);
      switch (events++ % 3) {
        case 0:
          await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
          await recovered(performance.now());
          break;
        case 1:
          proxy.cut();
          await recovered(performance.now());
          break;
        default:
          await proxy.refuse();
          await pause(2_000);
          await proxy.restore();
          await recovered(performance.now());
      }
    }
    running = false;
    await Promise.all(load);
    const seconds = (performance.now() - t0) / 1000;
    const c = new pg.Client({ connectionString: direct.toString() });
    await c.connect();
    const ids = (await c.query<{ id: string }>('SELECT id FROM responses WHERE survey_id = $1', [surveyId])).rows.map(
      (r) => r.id,
    );
    await c.end();
    const stored = new Set(ids);
    const lost = [...acked].filter((id) => !stored.has(id)).length;
    recoveries.sort((a, b) => a - b);
    return [
      {
        bench,
        metric: 'outages',
        value: events,
        unit: `in ${Math.round(seconds)} s (terminate, cut, refuse 2 s; ${opts.concurrency} respondents)`,
      },
      { bench, metric: 'acknowledged', value: acked.size, unit: 'answers (303)' },
      {
        bench,
        metric: 'stored',
        value: ids.length,
        unit: `answers (${ids.length - acked.size} stored, not acknowledged)`,
      },
      { bench, metric: 'lost', value: lost, unit: 'acknowledged, not stored' },
      { bench, metric: 'duplicates', value: ids.length - stored.size, unit: 'answers' },
      { bench, metric: '503 answers', value: unavailable, unit: `(other errors: ${other})` },
      {
        bench,
        metric: 'recovery median',
        value: Math.round(recoveries[Math.floor(recoveries.length / 2)] ?? 0),
        unit: 'ms from the database back to an answer acknowledged',
      },
      { bench, metric: 'recovery max', value: Math.round(recoveries[recoveries.length - 1] ?? 0), unit: 'ms' },
    ];
  } finally {
    console.error = quiet;
    await t.close();
    await proxy.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
