/**
 * Test harness: a fresh database per test file, on PGlite (default) or on the PostgreSQL server named
 * by PEIL_TEST_DATABASE_URL (a new database is created there and dropped afterwards), the full app
 * built on it, and helpers to act as a signed-in user through HTTP.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/app.js';
import type { AppContext } from '../src/context.js';
import { openDatabase, type DatabaseHandle } from '../src/lib/db/connect.js';
import { loadMigrations, migrate } from '../src/lib/db/migrate.js';
import { MasterKey } from '../src/lib/crypto/keyring.js';
import { parseEnv, type Env } from '../src/lib/env.js';
import { Jobs } from '../src/lib/jobs.js';
import { openRuntime } from '../src/server.js';

export const pgUrl = process.env.PEIL_TEST_DATABASE_URL;
export const dbKind = pgUrl ? 'postgres' : 'pglite';

async function pgliteTemplate(): Promise<Blob> {
  const sum = createHash('sha256')
    .update(
      loadMigrations()
        .map((m) => m.checksum)
        .join(),
    )
    .digest('hex')
    .slice(0, 16);
  const path = join(tmpdir(), `peil-test-template-${sum}.tar`);
  if (!existsSync(path)) {
    const h = await openDatabase({});
    await migrate(h.pool);
    const jobs = new Jobs(h.pool);
    await jobs.start();
    await jobs.stop();
    const dump = await h.pglite!.dumpDataDir('none');
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    renameSync(tmp, path);
    await h.close();
  }
  return new Blob([readFileSync(path)]);
}

/** A fresh, empty database handle (migrations are applied by openRuntime). */
export async function freshDatabase(): Promise<{ handle: DatabaseHandle; drop: () => Promise<void>; url?: string }> {
  if (!pgUrl) {
    const handle = await openDatabase({ loadDataDir: await pgliteTemplate() });
    return { handle, drop: async () => {} };
  }
  const name = `peil_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString(), poolSize: 10 });
  return {
    handle,
    url: url.toString(),
    drop: async () => {
      const a = new pg.Client({ connectionString: pgUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  env: Env;
  dataDir: string;
  close(): Promise<void>;
}

export async function startTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'peil-test-'));
  const env = parseEnv({
    PEIL_ENV: 'test',
    PEIL_DATA_DIR: dataDir,
    PEIL_BASE_URL: 'http://peil.test',
    RESPONSE_BATCH_WINDOW_MS: '2',
    RESULTS_SETTLE_SECONDS: '0',
    ROLLUP_SECONDS: '0',
    LOG_LEVEL: 'silent',
    ...overrides,
  });
  const { handle, drop } = await freshDatabase();
  const runtime = await openRuntime(env, { handle, master: new MasterKey(randomBytes(32)), jobPollSeconds: 0.5 });
  await runtime.ctx.jobs.start();
  const app = await buildApp(runtime.ctx);
  await app.ready();
  injectLikeTheAdminApp(app);
  return {
    app,
    ctx: runtime.ctx,
    env,
    dataDir,
    async close() {
      await app.close();
      await runtime.close();
      await drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// ------------------------------------------------------------------ acting through HTTP

export const OPERATOR = { email: 'operator@peil.test', name: 'Olga Operator', password: 'Kaasschaaf-Molen-42' };
export const OWNER = { email: 'owner@zorg.test', name: 'Otto Owner', password: 'Tulpenveld-Zomer-7' };

/** The cookies a response sets, as a Cookie header (session and CSRF cookie). */
export function cookieOf(res: LightMyRequestResponse): string {
  const set = res.headers['set-cookie'];
  const all = Array.isArray(set) ? set : set ? [set] : [];
  if (all.length === 0) throw new Error(`no cookie in response ${res.statusCode}: ${res.body}`);
  return all.map((c) => c.split(';')[0]!).join('; ');
}

/**
 * Makes app.inject behave like the admin app: when the Cookie header has the CSRF cookie, its value
 * goes in the x-csrf-token header too, unless the test sets that header itself (to test refusal).
 */
export function injectLikeTheAdminApp(app: FastifyInstance): void {
  const inject = app.inject.bind(app) as (opts: InjectOptions) => Promise<LightMyRequestResponse>;
  (app as unknown as { inject: (opts: InjectOptions) => Promise<LightMyRequestResponse> }).inject = (
    opts: InjectOptions,
  ) => {
    const headers = { ...(opts.headers ?? {}) } as Record<string, string>;
    const csrf = /(?:^|;\s*)peil_csrf=([^;]+)/.exec(headers.cookie ?? '')?.[1];
    if (csrf && headers['x-csrf-token'] === undefined) headers['x-csrf-token'] = csrf;
    return inject({ ...opts, headers });
  };
}

/** First-run set-up through the API, then the owner signs in. */
export async function setUp(
  t: TestApp,
  tenant = { name: 'Zorggroep Test', slug: 'zorggroep' },
): Promise<{ tenantId: string; ownerCookie: string }> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/setup',
    payload: { operator: OPERATOR, tenant: { ...tenant, owner: OWNER } },
  });
  if (res.statusCode !== 201) throw new Error(`setup failed: ${res.statusCode} ${res.body}`);
  const ownerCookie = await signIn(t, OWNER.email, OWNER.password);
  return { tenantId: res.json().tenantId, ownerCookie };
}

export async function signIn(t: TestApp, email: string, password: string): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  return cookieOf(res);
}

export const COLLEAGUE_PASSWORD = 'Regenboog-Fiets-88';
export const CUSTOMER_PASSWORD = 'Tulpenveld-Zomer-7';
let customers = 0;

/** A customer made by the operator (POST /api/v1/operator/tenants), its owner signed in. */
export async function newCustomer(
  t: TestApp,
  op: string,
  name?: string,
): Promise<{ id: string; cookie: string; email: string; slug: string }> {
  customers++;
  const slug = `klant-${process.pid}-${customers}`;
  const email = `eigenaar${customers}@${slug}.test`;
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/operator/tenants',
    headers: { cookie: op },
    payload: {
      name: name ?? `Klant ${customers} B.V.`,
      slug,
      owner: { email, name: `Eigenaar ${customers}`, password: CUSTOMER_PASSWORD },
    },
  });
  if (res.statusCode !== 201) throw new Error(`customer not created: ${res.statusCode} ${res.body}`);
  return { id: res.json().tenantId, cookie: await signIn(t, email, CUSTOMER_PASSWORD), email, slug };
}

/** The built-in outbox as the owner reads it. */
export async function outbox(
  t: TestApp,
  ownerCookie: string,
): Promise<Array<{ to: string; subject: string; text: string }>> {
  const res = await t.app.inject({ method: 'GET', url: '/api/v1/outbox?limit=200', headers: { cookie: ownerCookie } });
  if (res.statusCode !== 200) throw new Error(`outbox: ${res.statusCode} ${res.body}`);
  return res.json().messages;
}

/** A colleague invited by the owner, who accepts the invitation from the outbox mail; returns their session cookie. */
export async function addColleague(
  t: TestApp,
  ownerCookie: string,
  email: string,
  role: 'owner' | 'admin' | 'analyst' | 'viewer',
): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: { cookie: ownerCookie },
    payload: { email, name: `${role} ${email.split('@')[0]}`, role },
  });
  if (res.statusCode !== 201) throw new Error(`invite failed: ${res.statusCode} ${res.body}`);
  const mail = (await outbox(t, ownerCookie)).find((m) => m.to === email);
  const token = mail && /#token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
  if (!token) throw new Error(`no invitation mail for ${email}`);
  const ok = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/accept-invite',
    payload: { token, password: COLLEAGUE_PASSWORD },
  });
  if (ok.statusCode !== 200) throw new Error(`accept-invite failed: ${ok.statusCode} ${ok.body}`);
  return cookieOf(ok);
}

let colleagues = 0;
/** A colleague with `role` at a new address of its own (see addColleague). */
export function colleague(t: TestApp, ownerCookie: string, role: 'admin' | 'analyst' | 'viewer'): Promise<string> {
  colleagues++;
  return addColleague(t, ownerCookie, `${role}${colleagues}-${process.pid}@collega.test`, role);
}

export async function operatorCookie(t: TestApp): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/operator/sign-in',
    payload: { email: OPERATOR.email, password: OPERATOR.password },
  });
  if (res.statusCode !== 200) throw new Error(`operator sign-in failed: ${res.body}`);
  return cookieOf(res);
}

/** A multipart body with one file field, as a browser would send it. */
export function multipartFile(
  content: Buffer | string,
  filename = 'contacts.csv',
  field = 'file',
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----peil${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, Buffer.isBuffer(content) ? content : Buffer.from(content), tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

export async function importCsv(
  t: TestApp,
  cookie: string,
  csv: Buffer | string,
  opts: { validOnly?: boolean } = {},
): Promise<LightMyRequestResponse> {
  const body = multipartFile(csv);
  const up = await t.app.inject({
    method: 'POST',
    url: '/api/v1/contact-imports',
    headers: { cookie, ...body.headers },
    payload: body.payload,
  });
  if (up.statusCode !== 201) return up;
  const { id, mapping } = up.json();
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/contact-imports/${id}/commit`,
    headers: { cookie },
    payload: { mapping, validOnly: opts.validOnly ?? false },
  });
}

/** Polls until fn returns a truthy value (for background jobs), failing after timeoutMs. */
export async function eventually<T>(
  fn: () => Promise<T | undefined | null | false>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The app on a database handle of the test's choosing, with a given master key (backup, restore and
 * key rotation tests start Peil again on the same or a restored database). close() closes the handle,
 * unless closeHandle is false.
 */
export async function appOnDatabase(
  handle: DatabaseHandle,
  master: MasterKey,
  overrides: Record<string, string> = {},
  opts: { closeHandle?: boolean } = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'peil-test-'));
  const env = parseEnv({
    PEIL_ENV: 'test',
    PEIL_DATA_DIR: dataDir,
    PEIL_BASE_URL: 'http://peil.test',
    RESPONSE_BATCH_WINDOW_MS: '2',
    ROLLUP_SECONDS: '0',
    RESULTS_SETTLE_SECONDS: '0',
    LOG_LEVEL: 'silent',
    ...overrides,
  });
  const runtime = await openRuntime(env, { handle, master, jobPollSeconds: 0.5 });
  await runtime.ctx.jobs.start();
  const app = await buildApp(runtime.ctx);
  await app.ready();
  injectLikeTheAdminApp(app);
  return {
    app,
    ctx: runtime.ctx,
    env,
    dataDir,
    async close() {
      await app.close();
      if (opts.closeHandle === false) {
        await runtime.ctx.jobs.stop();
        await runtime.ctx.mailer.close();
      } else {
        await runtime.close();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A second empty database: PGlite in memory (not from the template), or a new PostgreSQL database. */
export async function emptyDatabase(): Promise<{ handle: DatabaseHandle; drop: () => Promise<void>; url?: string }> {
  if (!pgUrl) return { handle: await openDatabase({}), drop: async () => {} };
  return freshDatabase();
}
