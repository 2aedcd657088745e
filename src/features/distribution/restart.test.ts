import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../app.js';
import { MasterKey } from '../../lib/crypto/keyring.js';
import { openDatabase } from '../../lib/db/connect.js';
import { parseEnv } from '../../lib/env.js';
import { openRuntime } from '../../server.js';
import { freshDatabase, importCsv, injectLikeTheAdminApp, setUp, type TestApp } from '../../../test/harness.js';
import { startSmtp } from '../../../test/smtp.js';
import { requeuePendingSends } from './send.js';

test('SVC-3 sending survives a restart: invitations queued before a stop are sent after the next start', async () => {
  const smtp = await startSmtp();
  const dataDir = mkdtempSync(join(tmpdir(), 'peil-restart-'));
  const env = parseEnv({
    PEIL_ENV: 'test',
    PEIL_DATA_DIR: dataDir,
    PEIL_BASE_URL: 'http://peil.test',
    SMTP_URL: smtp.url,
    LOG_LEVEL: 'silent',
  });
  const master = new MasterKey(randomBytes(32));
  // PGlite must live in a folder to survive the restart; PostgreSQL gets its own fresh database.
  const pg = process.env.PEIL_TEST_DATABASE_URL ? await freshDatabase() : undefined;
  const open = () => (pg ? openDatabase({ url: pg.url, poolSize: 5 }) : openDatabase({ dataDir: join(dataDir, 'db') }));
  if (pg) await pg.handle.close();
  try {
    // First life: the send is requested, but the server stops before any worker picks it up.
    const first = await openRuntime(env, { handle: await open(), master, jobPollSeconds: 0.5 });
    await first.ctx.jobs.start();
    const app1 = await buildApp(first.ctx, { startWorkers: false });
    injectLikeTheAdminApp(app1);
    const t1 = { app: app1, ctx: first.ctx, env, dataDir } as unknown as TestApp;
    const { ownerCookie } = await setUp(t1);
    await importCsv(t1, ownerCookie, 'email\na@example.nl\nb@example.nl\n');
    const s = await app1.inject({
      method: 'POST',
      url: '/api/v1/surveys',
      headers: { cookie: ownerCookie },
      payload: { name: 'Herstart' },
    });
    const d = await app1.inject({
      method: 'POST',
      url: `/api/v1/surveys/${s.json().id}/distributions`,
      headers: { cookie: ownerCookie },
      payload: { all: true },
    });
    assert.equal(d.statusCode, 202);
    await app1.close();
    await first.close();
    assert.equal(smtp.mails.length, 0, 'nothing was sent before the stop');

    // Second life: the worker starts and the queued job (and anything not enqueued) goes out.
    const second = await openRuntime(env, { handle: await open(), master, jobPollSeconds: 0.5 });
    await second.ctx.jobs.start();
    const app2 = await buildApp(second.ctx);
    await requeuePendingSends(second.ctx);
    try {
      const mails = await smtp.waitFor(2, 60_000);
      assert.deepEqual(mails.map((m) => m.to[0]).sort(), ['a@example.nl', 'b@example.nl']);
      // The job and the start-up sweep must not both send: wait a little and count again.
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(smtp.mails.length, 2);
    } finally {
      await app2.close();
      await second.close();
    }
  } finally {
    await smtp.close();
    await pg?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
