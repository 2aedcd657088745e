/**
 * OBLIGATIONS SEC-2 (issue 16, item 1) with Peil as a process of its own (`peil start`):
 * - kill -9 under concurrent response load: every acknowledged answer is stored, none twice (both databases);
 * - a database that refuses connections at start: Peil waits with a clear message and starts when it
 *   answers, or gives up after DATABASE_WAIT_SECONDS with a message, not a stack trace (PostgreSQL).
 * The shared PostgreSQL server is never touched: refusals come from a closed TCP proxy port.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { appOnDatabase, freshDatabase, pgUrl, setUp } from '../../../test/harness.js';
import { spawnPeil, waitForOutput } from '../../../test/bin.js';
import { startProxy } from '../../../test/tcp-proxy.js';
import { MasterKey } from '../crypto/keyring.js';
import { openDatabase } from './connect.js';

/** A customer with a survey open by its open link; returns the link's path. */
async function prepare(
  handle: Awaited<ReturnType<typeof openDatabase>>,
  master: MasterKey,
): Promise<{ path: string; surveyId: string }> {
  const t = await appOnDatabase(handle, master);
  try {
    const { ownerCookie: cookie } = await setUp(t);
    const s = await t.app.inject({
      method: 'POST',
      url: '/api/v1/surveys',
      headers: { cookie },
      payload: { name: 'Stroomstoring' },
    });
    const surveyId = s.json().id as string;
    assert.equal(
      (await t.app.inject({ method: 'POST', url: `/api/v1/surveys/${surveyId}/open`, headers: { cookie } })).statusCode,
      200,
    );
    const link = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/surveys/${surveyId}/open-link`,
      headers: { cookie },
      payload: { enabled: true },
    });
    assert.equal(link.statusCode, 200, link.body);
    return { path: new URL(link.json().url, 'http://peil.test').pathname, surveyId };
  } finally {
    await t.close();
  }
}

describe('SEC-2 kill -9 of the server under concurrent response load (issue 16)', () => {
  let dir: string;
  let drop = async () => {};
  let url: string | undefined;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'peil-kill-'));
  });
  after(async () => {
    await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('SEC-2 kill -9 while respondents submit: every acknowledged answer is stored (0 lost), none twice (0 duplicates), and Peil starts again on the same data', async (tc) => {
    const master = new MasterKey(randomBytes(32));
    let handle;
    if (pgUrl) {
      const fresh = await freshDatabase();
      handle = fresh.handle;
      drop = fresh.drop;
      url = fresh.url!;
    } else {
      handle = await openDatabase({ dataDir: join(dir, 'data') });
    }
    const { path, surveyId } = await prepare(handle, master);
    const env = {
      PEIL_MASTER_KEY: master.key.toString('base64'),
      PEIL_DATA_DIR: join(dir, 'data'),
      OPEN_LINK_RATE_PER_MINUTE: '1000000',
      ...(url ? { DATABASE_URL: url } : {}),
    };
    const peil = spawnPeil(env);
    const base = (await waitForOutput(peil, /Peil is running at (http:\/\/\S+?)\/app\//))[1]!;

    const acked = new Set<string>();
    const failed = new Set<string>();
    let killed = false;
    const respondent = async () => {
      while (!killed) {
        const rid = randomUUID();
        try {
          const res = await fetch(`${base}${path}`, {
            method: 'POST',
            redirect: 'manual',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ rid, score: '9', lang: 'nl', nav: 'submit' }),
          });
          await res.arrayBuffer();
          if (res.status === 303) acked.add(rid);
          else assert.fail(`an answer got ${res.status}`);
        } catch (err) {
          if (!killed) throw err;
          failed.add(rid); // sent when the process died: not acknowledged, maybe stored
        }
      }
    };
    const load = Array.from({ length: 8 }, respondent);
    // Kill once answers are flowing (bounded: at most a few seconds of load).
    const until = Date.now() + 5_000;
    while (acked.size < 200 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    assert.ok(acked.size > 0, `no answer was acknowledged:\n${peil.output()}`);
    killed = true;
    peil.child.kill('SIGKILL');
    await peil.exited;
    await Promise.all(load);

    // Count what the database holds, as its owner.
    let ids: string[];
    if (url) {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      ids = (await c.query<{ id: string }>('SELECT id FROM responses WHERE survey_id = $1', [surveyId])).rows.map(
        (r) => r.id,
      );
      await c.end();
    } else {
      const h = await openDatabase({ dataDir: join(dir, 'data') });
      ids = (await h.pool.query<{ id: string }>('SELECT id FROM responses WHERE survey_id = $1', [surveyId])).rows.map(
        (r) => r.id,
      );
      await h.close();
    }
    const stored = new Set(ids);
    assert.equal(stored.size, ids.length, 'no answer is stored twice');
    const lost = [...acked].filter((id) => !stored.has(id));
    assert.deepEqual(lost, [], 'every acknowledged answer is stored');
    for (const id of stored) assert.ok(acked.has(id) || failed.has(id), 'nothing is stored that was not sent');

    // And it starts again on the same data (PGlite: the lock of the killed process is stale).
    const again = spawnPeil(env);
    await waitForOutput(again, /Peil is running at/);
    again.child.kill('SIGTERM');
    await again.exited;
    tc.diagnostic(
      `${pgUrl ? 'postgresql' : 'pglite'}: acknowledged ${acked.size}, stored ${ids.length} (${ids.length - acked.size} of ${failed.size} in flight at the kill), lost ${lost.length}, duplicates ${ids.length - stored.size}`,
    );
  });
});

describe(
  'SEC-2 the database refusing connections at start (issue 16)',
  { skip: pgUrl ? false : 'PostgreSQL only: PGlite is inside the process' },
  () => {
    let dir: string;
    let url: URL;
    let drop = async () => {};
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'peil-wait-'));
      const fresh = await freshDatabase();
      await fresh.handle.close();
      drop = fresh.drop;
      url = new URL(fresh.url!);
    });
    after(async () => {
      await drop();
      rmSync(dir, { recursive: true, force: true });
    });

    test('SEC-2 peil start waits for a database that refuses connections, saying so, and starts when it answers', async () => {
      const target = { host: url.hostname, port: Number(url.port || 5432) };
      const proxy = await startProxy(target, { listening: false });
      try {
        const viaProxy = new URL(url);
        viaProxy.hostname = '127.0.0.1';
        viaProxy.port = String(proxy.port);
        const peil = spawnPeil({
          DATABASE_URL: viaProxy.toString(),
          PEIL_DATA_DIR: dir,
          PEIL_MASTER_KEY: randomBytes(32).toString('base64'),
          DATABASE_WAIT_SECONDS: '120',
        });
        const waiting = await waitForOutput(peil, /\[peil\] waiting for the database at (\S+) \((\w+)\); attempt 2/);
        assert.equal(waiting[1], `127.0.0.1:${proxy.port}${url.pathname}`);
        assert.equal(waiting[2], 'ECONNREFUSED');
        assert.doesNotMatch(peil.output(), /postgres@|password/, 'no user or password in the message');
        await proxy.restore();
        await waitForOutput(peil, /the database at \S+ answers; starting/);
        await waitForOutput(peil, /Peil is running at/);
        assert.doesNotMatch(peil.output(), /\n\s+at /, 'no stack trace');
        peil.child.kill('SIGTERM');
        assert.equal(await peil.exited, 0);
      } finally {
        await proxy.close();
      }
    });

    test('SEC-2 peil start gives up after DATABASE_WAIT_SECONDS with a message and exit code 69, not a stack trace', async () => {
      const proxy = await startProxy({ host: url.hostname, port: Number(url.port || 5432) }, { listening: false });
      const viaProxy = new URL(url);
      viaProxy.hostname = '127.0.0.1';
      viaProxy.port = String(proxy.port);
      const peil = spawnPeil({
        DATABASE_URL: viaProxy.toString(),
        PEIL_DATA_DIR: dir,
        PEIL_MASTER_KEY: randomBytes(32).toString('base64'),
        DATABASE_WAIT_SECONDS: '1',
      });
      assert.equal(await peil.exited, 69, peil.output());
      assert.match(
        peil.output(),
        /peil: the database at 127\.0\.0\.1:\d+\/peil_test_\w+ cannot be reached \(ECONNREFUSED\) after waiting 1 s \(DATABASE_WAIT_SECONDS\)\. Check that PostgreSQL is running and DATABASE_URL is right\./,
      );
      assert.doesNotMatch(peil.output(), /\n\s+at /, 'no stack trace');
      await proxy.close();
    });
  },
);
