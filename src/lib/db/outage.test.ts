/**
 * OBLIGATIONS SEC-2 (issue 16, item 1): Peil survives the loss of its database connections (a
 * PostgreSQL restart, a failover, a network reset: "terminating connection due to administrator
 * command", "Connection terminated unexpectedly"), answers 503 with Retry-After meanwhile, reconnects
 * by itself and loses nothing it acknowledged. PostgreSQL only: PGlite runs inside the process.
 *
 * The shared PostgreSQL server is never stopped: the app talks to it through a TCP proxy that the test
 * cuts and refuses, and pg_terminate_backend is aimed at this test's own database only.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { appOnDatabase, eventually, freshDatabase, pgUrl, setUp, type TestApp } from '../../../test/harness.js';
import { startProxy, type TcpProxy } from '../../../test/tcp-proxy.js';
import { MasterKey } from '../crypto/keyring.js';
import { openDatabase } from './connect.js';

const form = { 'content-type': 'application/x-www-form-urlencoded' };

describe(
  'SEC-2 database connections lost under load (issue 16)',
  { skip: pgUrl ? false : 'PostgreSQL only: PGlite has no connections to lose' },
  () => {
    let t: TestApp;
    let proxy: TcpProxy;
    let dbName: string;
    let directUrl: string;
    let drop: () => Promise<void>;
    let cookie: string;
    let surveyId: string;
    let openPath: string;
    const logged: string[] = [];

    const admin = async <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => {
      const c = new pg.Client({ connectionString: directUrl });
      await c.connect();
      try {
        return await fn(c);
      } finally {
        await c.end();
      }
    };

    before(async () => {
      const fresh = await freshDatabase();
      await fresh.handle.close();
      drop = fresh.drop;
      directUrl = fresh.url!;
      const target = new URL(directUrl);
      dbName = target.pathname.slice(1);
      proxy = await startProxy({ host: target.hostname, port: Number(target.port || 5432) });
      const viaProxy = new URL(directUrl);
      viaProxy.hostname = '127.0.0.1';
      viaProxy.port = String(proxy.port);
      const handle = await openDatabase({
        url: viaProxy.toString(),
        poolSize: 6,
        connectTimeoutMs: 1_000,
        log: (l) => logged.push(l),
      });
      t = await appOnDatabase(handle, new MasterKey(randomBytes(32)), {
        OPEN_LINK_RATE_PER_MINUTE: '1000000',
        DATABASE_RETRY_AFTER_SECONDS: '3',
      });
      cookie = (await setUp(t)).ownerCookie;
      const s = await t.app.inject({
        method: 'POST',
        url: '/api/v1/surveys',
        headers: { cookie },
        payload: { name: 'Storing' },
      });
      surveyId = s.json().id;
      assert.equal(
        (await t.app.inject({ method: 'POST', url: `/api/v1/surveys/${surveyId}/open`, headers: { cookie } }))
          .statusCode,
        200,
      );
      const link = await t.app.inject({
        method: 'PUT',
        url: `/api/v1/surveys/${surveyId}/open-link`,
        headers: { cookie },
        payload: { enabled: true },
      });
      assert.equal(link.statusCode, 200, link.body);
      openPath = new URL(link.json().url, 'http://peil.test').pathname;
    });

    after(async () => {
      await t?.close();
      await proxy?.close();
      await drop?.();
    });

    /** What the database holds for the survey: response ids, and whether any id is there twice. */
    const stored = () =>
      admin(async (c) => {
        const r = await c.query<{ id: string }>('SELECT id FROM responses WHERE survey_id = $1', [surveyId]);
        return r.rows.map((x) => x.id);
      });

    test('SEC-2 all connections terminated (administrator command), cut (Connection terminated unexpectedly) and refused under load: the process lives, the API answers 503 problem+json with Retry-After and respondents a Dutch and English page, it reconnects by itself, and every acknowledged answer is stored once', async (tc) => {
      // A background job queue that must work again afterwards (pg-boss: errors logged, not fatal).
      const handled: string[] = [];
      await t.ctx.jobs.work<{ n: string }>('sec2-probe', async (d) => {
        handled.push(d.n);
      });

      // Respondents: each posts an answer with its own response id and, on a 503 (or anything but an
      // acknowledgement or a refusal), tries the same form again, as a person pressing Send again would.
      const acked = new Set<string>();
      const refused = new Set<string>();
      const statuses = new Map<number, number>();
      let running = true;
      const respondent = async () => {
        while (running) {
          const rid = randomUUID();
          for (let attempt = 0; running || attempt > 0; attempt++) {
            const res = await t.app.inject({
              method: 'POST',
              url: openPath,
              headers: form,
              payload: new URLSearchParams({ rid, score: String(attempt % 11), lang: 'nl', nav: 'submit' }).toString(),
            });
            statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
            if (res.statusCode === 303) {
              acked.add(rid);
              break;
            }
            if (res.statusCode === 409) {
              // "Already answered": a retry after a commit whose acknowledgement was lost with the connection.
              refused.add(rid);
              break;
            }
            assert.equal(
              res.statusCode,
              503,
              `a respondent gets 303, 409 or 503, not ${res.statusCode}: ${res.body.slice(0, 200)}`,
            );
            if (attempt > 50) break;
            await new Promise((r) => setTimeout(r, 50));
          }
        }
      };
      const load = Array.from({ length: 8 }, respondent);
      const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

      await pause(400);
      const before = acked.size;
      // 1. PostgreSQL ends every backend of this database (as a restart or failover does): 57P01.
      const killed = await admin((c) =>
        c.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [dbName],
        ),
      );
      assert.ok(killed.rowCount! > 0, 'connections of this database were terminated');
      await pause(400);
      // 2. The network drops every connection, and the server refuses new ones for a while.
      const outageStart = Date.now();
      await proxy.refuse();
      const api = await t.app.inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}`, headers: { cookie } });
      assert.equal(api.statusCode, 503, api.body);
      assert.match(String(api.headers['content-type']), /^application\/problem\+json/);
      assert.equal(api.headers['retry-after'], '3');
      assert.equal(api.json().code, 'database_unavailable');
      assert.equal(api.json().retryAfterSeconds, 3);
      const page = await t.app.inject({
        method: 'POST',
        url: openPath,
        headers: form,
        payload: new URLSearchParams({ rid: randomUUID(), score: '7', lang: 'nl', nav: 'submit' }).toString(),
      });
      assert.equal(page.statusCode, 503);
      assert.equal(page.headers['retry-after'], '3');
      assert.match(String(page.headers['content-type']), /^text\/html/);
      assert.match(page.body, /Even geduld/);
      assert.match(page.body, /niet opgeslagen/);
      assert.match(page.body, /lang="en"[\s\S]*has not been stored/);
      assert.equal(
        (await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode,
        200,
        'the process lives and answers',
      );
      await pause(1_000);
      // 3. The database is back: Peil reconnects without help.
      await proxy.restore();
      const restored = Date.now();
      await eventually(
        async () =>
          (await t.app.inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}`, headers: { cookie } }))
            .statusCode === 200,
        15_000,
        'the API answering again',
      );
      const recoveryMs = Date.now() - restored;
      const ackedAtRecovery = acked.size;
      await eventually(async () => acked.size > ackedAtRecovery + 20, 15_000, 'answers acknowledged again');
      running = false;
      await Promise.all(load);

      const ids = await stored();
      const set = new Set(ids);
      assert.equal(set.size, ids.length, 'no response is stored twice');
      const lost = [...acked].filter((id) => !set.has(id));
      assert.deepEqual(lost, [], 'every acknowledged answer is stored');
      for (const id of refused) assert.ok(set.has(id), 'an answer refused as "already answered" is stored');
      assert.ok(acked.size > before, 'answers were acknowledged before the outage');
      assert.ok((statuses.get(503) ?? 0) > 0, 'respondents got 503 during the outage');

      await t.ctx.jobs.send('sec2-probe', { n: 'after' });
      await eventually(async () => handled.includes('after'), 20_000, 'the job queue working again');
      assert.ok(
        logged.some((l) => /database connection lost/.test(l)),
        logged.join('\n'),
      );
      tc.diagnostic(
        `acknowledged ${acked.size}, stored ${ids.length} (${ids.length - acked.size - refused.size} stored but not acknowledged, ${refused.size} acknowledged as "already answered" on a retry), lost 0; statuses ${JSON.stringify(Object.fromEntries(statuses))}; outage ${restored - outageStart} ms; API back ${recoveryMs} ms after the database`,
      );
    });
  },
);
