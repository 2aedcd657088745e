import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { mkdirSync } from 'node:fs';
import type { DB } from './schema.js';
import { acquireLock, type Lock } from './lock.js';
import { log as logger } from '../log.js';
import { DatabaseUnreachableError, describeUrl, errorCode, isConnectionError } from './unavailable.js';

// Timestamps and big numbers come back as strings/Date; counts (int8) as numbers are safe at our sizes.
pg.types.setTypeParser(20, (v) => Number(v));

export type DatabaseKind = 'pglite' | 'postgres';

/**
 * A connection to Peil's database: PGlite (embedded, one connection) or PostgreSQL (pools). Both sit
 * behind the same `pg.Pool` interface and one Kysely `PostgresDialect`, so every query runs unchanged
 * on both. `pool`/`kysely` connect as the database owner: use them for migrations, the job queue and
 * the owner's maintenance only; application code goes through `Db` (db.ts), which runs on `app`.
 */
export interface DatabaseHandle {
  readonly kind: DatabaseKind;
  readonly pool: pg.Pool;
  readonly kysely: Kysely<DB>;
  /**
   * OBLIGATIONS ACC-6, SEC-3: the application's connections. On PostgreSQL a second pool that signs
   * in as the least-privilege role (DATABASE_APP_URL, by default `peil_app` on DATABASE_URL's server),
   * so a statement an attacker gets executed there cannot become the owner: RESET ROLE lands on
   * peil_app, SET ROLE to the owner and SET SESSION AUTHORIZATION are refused. On PGlite, one embedded
   * connection with one user, it is the owner's pool (README: there is no login separation there).
   */
  readonly app: {
    readonly pool: pg.Pool;
    readonly kysely: Kysely<DB>;
    readonly user?: string;
    readonly password?: boolean;
    readonly where?: string;
  };
  /** The embedded database, when kind is 'pglite' (for backups and dumps). */
  readonly pglite?: PGlite;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** PostgreSQL URL; without it PGlite is used. */
  url?: string | undefined;
  /** PGlite data folder; `memory://` or undefined for an in-memory database. */
  dataDir?: string | undefined;
  /** A PGlite data dump to start from (tests start from a migrated template). */
  loadDataDir?: Blob | File | undefined;
  poolSize?: number;
  /**
   * OBLIGATIONS ACC-6: the URL the application's pool signs in with (DATABASE_APP_URL); by default
   * `url` with the user `peil_app` and no password (trust or peer authentication, tests).
   */
  appUrl?: string | undefined;
  /**
   * OBLIGATIONS SEC-2: how long to wait for a PostgreSQL server that refuses or drops connections at
   * start (DATABASE_WAIT_SECONDS), trying again with back-off; 0 fails at once.
   */
  waitSeconds?: number;
  /** How long one attempt to connect may take before it counts as failed (DATABASE_CONNECT_TIMEOUT_MS). */
  connectTimeoutMs?: number;
  /** Where the waiting is reported (default: standard error). */
  log?: (line: string) => void;
}

export async function openDatabase(opts: OpenOptions): Promise<DatabaseHandle> {
  if (opts.url) return openPostgres(opts.url, opts);
  return openPglite(opts.dataDir, opts.loadDataDir);
}

/** Connection errors are logged by code, at most one line per this many milliseconds (an outage brings one per client). */
const LOG_EVERY_MS = 5_000;

/** The application role's name: created by 0001_init.sql, given LOGIN by grants.sql. */
export const APP_ROLE = 'peil_app';

/**
 * DATABASE_APP_URL's default: DATABASE_URL's server and database, signed in as peil_app without a
 * password, which works where PostgreSQL trusts local connections (development, tests, CI). In
 * production DATABASE_APP_URL names peil_app's password (README, "Two database roles").
 */
export function defaultAppUrl(url: string): string {
  const u = new URL(url);
  u.username = APP_ROLE;
  u.password = '';
  return u.toString();
}

/**
 * A PostgreSQL pool that survives losing its connections. OBLIGATIONS SEC-2: a connection can die
 * while idle in the pool (reported on the pool) or while a query or transaction holds it (reported on
 * the client, which the pool does not listen to then). Either without a listener is an unhandled
 * 'error' event, and node exits. The query in flight fails by itself, the broken client is discarded
 * when it is released, and the pool connects anew. keepAlive: a connection whose peer vanished without
 * a word (a failover, a dropped route) is found dead by TCP keepalive instead of waiting for the
 * kernel's retransmission timeout.
 */
function resilientPool(
  url: string,
  max: number,
  opts: OpenOptions,
  report: (err: unknown, what: string) => void,
): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    // Issue 17: no JIT. Peil's statements are short or read rollups; JIT compilation was 386 of the
    // 566 ms of a results statement on 10k responses (the planner's cost estimate over-triggers it).
    options: '-c jit=off',
  });
  pool.on('error', (err) => report(err, 'lost while idle'));
  pool.on('connect', (client) => {
    client.on('error', (err) => report(err, 'lost'));
  });
  return pool;
}

async function openPostgres(url: string, opts: OpenOptions): Promise<DatabaseHandle> {
  const log = opts.log ?? ((line: string) => logger.warn(line));
  const where = describeUrl(url);
  let lastLogged = 0;
  const report = (err: unknown, what: string) => {
    const now = Date.now();
    if (now - lastLogged < LOG_EVERY_MS) return;
    lastLogged = now;
    log(
      `[peil] database connection ${what} (${errorCode(err)}); requests get 503 until it is back, the pool reconnects by itself`,
    );
  };
  const size = opts.poolSize ?? 20;
  // The owner's pool serves migrations, the job queue and the operator's maintenance; requests use
  // the application's pool, which gets the configured size.
  const pool = resilientPool(url, Math.max(4, Math.ceil(size / 2)), opts, report);
  const kysely = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const appUrl = opts.appUrl ?? defaultAppUrl(url);
  // Connects lazily: the first connection is made after the migrations gave peil_app its LOGIN
  // (checkAppRole, app-role.ts, checks it at start).
  const appPool = resilientPool(appUrl, size, opts, report);
  const appKysely = new Kysely<DB>({ dialect: new PostgresDialect({ pool: appPool }) });
  try {
    await waitForDatabase(pool, where, opts.waitSeconds ?? 0, log);
  } catch (err) {
    await pool.end().catch(() => undefined);
    await appPool.end().catch(() => undefined);
    throw err;
  }
  const parsed = new URL(appUrl);
  return {
    kind: 'postgres',
    pool,
    kysely,
    app: {
      pool: appPool,
      kysely: appKysely,
      user: decodeURIComponent(parsed.username),
      password: parsed.password !== '',
      where: describeUrl(appUrl),
    },
    async close() {
      await appKysely.destroy();
      await kysely.destroy();
    },
  };
}

/**
 * OBLIGATIONS SEC-2: at start, a database that refuses connections (still starting, failing over) is
 * waited for with back-off (0.5 s doubling to 5 s) up to `waitSeconds`, with a line per attempt that
 * says what is wrong; other errors (a wrong password, a missing database) fail at once.
 */
async function waitForDatabase(
  pool: pg.Pool,
  where: string,
  waitSeconds: number,
  log: (line: string) => void,
): Promise<void> {
  const until = Date.now() + waitSeconds * 1000;
  let delay = 500;
  for (let attempt = 1; ; attempt++) {
    try {
      await pool.query('select 1');
      if (attempt > 1) log(`[peil] the database at ${where} answers; starting`);
      return;
    } catch (err) {
      if (!isConnectionError(err)) throw err;
      const left = until - Date.now();
      if (left <= 0) {
        throw new DatabaseUnreachableError(
          `the database at ${where} cannot be reached (${errorCode(err)})${waitSeconds > 0 ? ` after waiting ${waitSeconds} s (DATABASE_WAIT_SECONDS)` : ''}. Check that PostgreSQL is running and DATABASE_URL is right.`,
          { cause: err },
        );
      }
      const wait = Math.min(delay, left);
      log(
        `[peil] waiting for the database at ${where} (${errorCode(err)}); attempt ${attempt}, next in ${(wait / 1000).toFixed(1)} s, giving up after ${waitSeconds} s (DATABASE_WAIT_SECONDS)`,
      );
      await new Promise((r) => setTimeout(r, wait));
      delay = Math.min(delay * 2, 5_000);
    }
  }
}

async function openPglite(dataDir: string | undefined, loadDataDir: Blob | File | undefined): Promise<DatabaseHandle> {
  let lock: Lock | undefined;
  const inMemory = !dataDir || dataDir.startsWith('memory://');
  if (!inMemory) {
    mkdirSync(dataDir, { recursive: true });
    // PGlite takes no lock on its folder and two processes corrupt it (DESIGN.md): take one ourselves.
    lock = acquireLock(dataDir);
  }
  try {
    const pglite = new PGlite(inMemory ? undefined : `${dataDir}/pgdata`, loadDataDir ? { loadDataDir } : {});
    await pglite.waitReady;
    const pool = new pg.Pool(createPgConfig(pglite));
    const kysely = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return {
      kind: 'pglite',
      pool,
      kysely,
      app: { pool, kysely },
      pglite,
      async close() {
        await kysely.destroy();
        await pglite.close();
        lock?.release();
      },
    };
  } catch (err) {
    lock?.release();
    throw err;
  }
}
