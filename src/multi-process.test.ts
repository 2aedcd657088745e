/**
 * Issue 17 (more than one process): two Peil processes (`peil start`, each a process of its own with
 * its own pool, caches and background work) on one PostgreSQL database, as behind a load balancer.
 * One flow alternates its requests between them: whatever one process learns, the other must know at
 * once. PostgreSQL only: the embedded PGlite is one process.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnPeil, waitForOutput } from '../test/bin.js';
import { eventually, freshDatabase, multipartFile, OPERATOR, OWNER, pgUrl } from '../test/harness.js';

const SIGN_IN_LIMIT = 6;

interface Peil {
  name: string;
  child: ChildProcess;
  url: string;
  output: () => string;
}

async function startPeil(name: string, env: Record<string, string>): Promise<Peil> {
  const p = spawnPeil(env);
  const url = (await waitForOutput(p, /listening on (http:\/\/[^;\s]+)/))[1]!;
  return { name, child: p.child, url, output: p.output };
}

/** A browser of the admin app: its cookies (session, CSRF) go to whichever process it asks. */
class Browser {
  cookies = new Map<string, string>();

  async call(
    peil: Peil,
    method: string,
    path: string,
    opts: { json?: unknown; body?: Buffer; headers?: Record<string, string> } = {},
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON answer, read field by field
  ): Promise<{ status: number; body: string; json: () => any }> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const csrf = this.cookies.get('peil_csrf');
    if (csrf) headers['x-csrf-token'] = csrf;
    let body: string | Buffer | undefined = opts.body;
    if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.json);
    }
    const res = await fetch(`${peil.url}${path}`, { method, headers, body, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, ...v] = pair!.split('=');
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(c)) this.cookies.delete(k!.trim());
      else this.cookies.set(k!.trim(), v.join('='));
    }
    const text = await res.text();
    return { status: res.status, body: text, json: () => JSON.parse(text) };
  }
}

describe(
  'issue 17: two Peil processes on one PostgreSQL database, a whole flow alternating between them',
  { skip: pgUrl ? false : 'needs PostgreSQL (PEIL_TEST_DATABASE_URL): the embedded PGlite is one process' },
  () => {
    let A: Peil;
    let B: Peil;
    let drop = async () => {};
    const dirs: string[] = [];

    before(async () => {
      const db = await freshDatabase();
      drop = db.drop;
      await db.handle.close();
      const env = {
        DATABASE_URL: db.url!,
        PEIL_MASTER_KEY: randomBytes(32).toString('base64'),
        PEIL_ENV: 'test',
        SIGN_IN_RATE_PER_MINUTE: String(SIGN_IN_LIMIT),
        RESPONSE_BATCH_WINDOW_MS: '2',
      };
      const dir = (n: string) => {
        const d = mkdtempSync(join(tmpdir(), `peil-multi-${n}-`));
        dirs.push(d);
        return d;
      };
      // One after the other: the first migrates the new database (the second would wait for its lock).
      A = await startPeil('A', { ...env, PEIL_DATA_DIR: dir('a') });
      B = await startPeil('B', { ...env, PEIL_DATA_DIR: dir('b') });
    });

    after(async () => {
      for (const p of [A, B]) {
        if (!p) continue;
        const exited = new Promise((r) => p.child.once('exit', r));
        p.child.kill('SIGTERM');
        await exited;
      }
      await drop();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    });

    test('issue 17: sign-in, import, survey, answers, close, API key, sign-out and rate limit, alternating A and B', async () => {
      const owner = new Browser();
      const setup = await owner.call(A, 'POST', '/api/v1/setup', {
        json: { operator: OPERATOR, tenant: { name: 'Zorggroep Twee', slug: 'zorggroep-twee', owner: OWNER } },
      });
      assert.equal(setup.status, 201, setup.body);

      // Signed in on A, the session works on B.
      const signIn = await owner.call(A, 'POST', '/api/v1/auth/sign-in', {
        json: { email: OWNER.email, password: OWNER.password },
      });
      assert.equal(signIn.status, 200, signIn.body);
      const me = await owner.call(B, 'GET', '/api/v1/auth/me');
      assert.equal(me.status, 200, me.body);
      assert.equal(me.json().email, OWNER.email);

      // A contact file uploaded on A is committed on B; its result is read on A.
      const file = multipartFile('email;voornaam;taal\nanna@example.nl;Anna;nl\nbram@example.nl;Bram;nl\n');
      const up = await owner.call(A, 'POST', '/api/v1/contact-imports', { body: file.payload, headers: file.headers });
      assert.equal(up.status, 201, up.body);
      const { id: importId, mapping } = up.json();
      const commit = await owner.call(B, 'POST', `/api/v1/contact-imports/${importId}/commit`, {
        json: { mapping, validOnly: false },
      });
      assert.equal(commit.status, 200, commit.body);
      assert.equal(commit.json().created, 2);
      const done = await owner.call(A, 'GET', `/api/v1/contact-imports/${importId}`);
      assert.equal(done.status, 200, done.body);
      assert.equal(done.json().status, 'done');
      assert.equal(done.json().result.created, 2);
      // And it cannot be committed a second time, on either process.
      const again = await owner.call(A, 'POST', `/api/v1/contact-imports/${importId}/commit`, {
        json: { mapping, validOnly: false },
      });
      assert.equal(again.status, 409, again.body);

      // A survey created on B is sent on A; the invitations arrive (whichever process sends them).
      const survey = await owner.call(B, 'POST', '/api/v1/surveys', { json: { name: 'Twee processen' } });
      assert.equal(survey.status, 201, survey.body);
      const surveyId = survey.json().id as string;
      const send = await owner.call(A, 'POST', `/api/v1/surveys/${surveyId}/distributions`, { json: { all: true } });
      assert.equal(send.status, 202, send.body);
      const links = await eventually(
        async () => {
          const box = await owner.call(B, 'GET', '/api/v1/outbox?limit=200');
          const found = (box.json().messages as Array<{ text: string }>)
            .map((m) => /\/s\/[A-Za-z0-9_.~-]+/.exec(m.text)?.[0])
            .filter((l): l is string => !!l);
          return found.length >= 2 ? found : undefined;
        },
        60_000,
        'two invitation mails',
      );
      const answer = (peil: Peil, link: string) =>
        fetch(`${peil.url}${link}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ score: '9', why: 'Goed', lang: 'nl' }).toString(),
          redirect: 'manual',
        });
      // The first respondent's page is shown by B (its survey now cached there) and answered on B.
      assert.equal((await fetch(`${B.url}${links[1]}`)).status, 200);
      assert.equal((await answer(B, links[0]!)).status, 303);

      // Closed on A: B refuses the other respondent at once, and stores nothing.
      const close = await owner.call(A, 'POST', `/api/v1/surveys/${surveyId}/close`);
      assert.equal(close.status, 200, close.body);
      const refused = await answer(B, links[1]!);
      assert.equal(refused.status, 410, await refused.text());

      // An API key made on A works on A and B; revoked on B, A refuses it at once.
      const created = await owner.call(A, 'POST', '/api/v1/api-keys', {
        json: { name: 'Koppeling', scopes: ['surveys:read'] },
      });
      assert.equal(created.status, 201, created.body);
      const { id: keyId, key } = created.json();
      const withKey = (peil: Peil) =>
        fetch(`${peil.url}/api/v1/surveys`, { headers: { authorization: `Bearer ${key}` } });
      assert.equal((await withKey(A)).status, 200);
      assert.equal((await withKey(B)).status, 200);
      const revoke = await owner.call(B, 'DELETE', `/api/v1/api-keys/${keyId}`);
      assert.equal(revoke.status, 204, revoke.body);
      assert.equal((await withKey(A)).status, 401);
      assert.equal((await withKey(B)).status, 401);

      // Signed out on A: B refuses the session at once.
      const stolen = new Browser();
      stolen.cookies = new Map(owner.cookies);
      const out = await owner.call(A, 'POST', '/api/v1/auth/sign-out');
      assert.ok(out.status === 204 || out.status === 200, out.body);
      const refusedSession = await stolen.call(B, 'GET', '/api/v1/auth/me');
      assert.equal(refusedSession.status, 401, refusedSession.body);

      // The sign-in limit per address is counted across both: attempts alternate between A and B,
      // each process sees only half of them, and the one over the limit is refused.
      const statuses: number[] = [];
      for (let i = 0; i < SIGN_IN_LIMIT + 1; i++) {
        const r = await new Browser().call(i % 2 ? B : A, 'POST', '/api/v1/operator/sign-in', {
          json: { email: `niemand${i}@peil.test`, password: 'Verkeerd-Wachtwoord-1' },
        });
        statuses.push(r.status);
      }
      assert.deepEqual(statuses.slice(0, SIGN_IN_LIMIT), Array(SIGN_IN_LIMIT).fill(401));
      assert.equal(statuses[SIGN_IN_LIMIT], 429);
    });
  },
);

describe('issue 17: PEIL_WORKERS', () => {
  test(
    'issue 17: PEIL_WORKERS=2 on PostgreSQL runs two processes behind one address',
    { skip: pgUrl ? false : 'needs PostgreSQL (PEIL_TEST_DATABASE_URL): the embedded PGlite is one process' },
    async () => {
      const db = await freshDatabase();
      await db.handle.close();
      const dir = mkdtempSync(join(tmpdir(), 'peil-workers-'));
      const p = await startPeil('cluster', {
        DATABASE_URL: db.url!,
        PEIL_MASTER_KEY: randomBytes(32).toString('base64'),
        PEIL_DATA_DIR: dir,
        PEIL_WORKERS: '2',
      });
      try {
        assert.match(p.output(), /\(2 processes, listening on/);
        // Two Peil processes under the one started, and the address answers.
        const workers = execFileSync('ps', ['-o', 'pid=', '--ppid', String(p.child.pid)], { encoding: 'utf8' })
          .trim()
          .split(/\s+/);
        assert.equal(workers.length, 2);
        assert.equal((await fetch(`${p.url}/healthz`)).status, 200);
      } finally {
        const exited = new Promise((r) => p.child.once('exit', r));
        p.child.kill('SIGTERM');
        assert.equal(await exited, 0);
        await db.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  test('issue 17: PEIL_WORKERS on the embedded PGlite is one process, and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peil-workers-'));
    const p = await startPeil('pglite', { PEIL_DATA_DIR: dir, PEIL_WORKERS: '3', DATABASE_URL: '' });
    try {
      assert.match(p.output(), /PEIL_WORKERS=3 is ignored: the embedded database \(PGlite\) is one process/);
      assert.match(p.output(), /database: pglite/);
    } finally {
      const exited = new Promise((r) => p.child.once('exit', r));
      p.child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
