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
 * A connection to Peil's database: PGlite (embedded, one connection) or PostgreSQL (a pool). Both sit
 * behind the same `pg.Pool` interface and one Kysely `PostgresDialect`, so every query runs unchanged
 * on both. This handle connects as the database owner: use it for migrations and the job queue only;
 * application code goes through `Db` (db.ts), which drops to the `peil_app` role.
 */
export interface DatabaseHandle {
  readonly kind: DatabaseKind;
  readonly pool: pg.Pool;
  readonly kysely: Kysely<DB>;
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

async function openPostgres(url: string, opts: OpenOptions): Promise<DatabaseHandle> {
  const log = opts.log ?? ((line: string) => logger.warn(line));
  const where = describeUrl(url);
  let lastLogged = 0;
  const report = (err: unknown, what: string) => {
    const now = Date.now();
    if (now - lastLogged < LOG_EVERY_MS) return;
    lastLogged = now;
    log(`[peil] database connection ${what} (${errorCode(err)}); requests get 503 until it is back, the pool reconnects by itself`);
  };
  // keepAlive: a connection whose peer vanished without a word (a failover, a dropped route) is found
  // dead by TCP keepalive instead of waiting for the kernel's retransmission timeout.
  const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 20, connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000, keepAlive: true, keepAliveInitialDelayMillis: 10_000 });
  // OBLIGATIONS SEC-2: a connection can die while idle in the pool (reported here) or while a query or
  // transaction holds it (reported on the client, which the pool does not listen to then). Either
  // without a listener is an unhandled 'error' event, and node exits. The query in flight fails by
  // itself, the broken client is discarded when it is released, and the pool connects anew.
  pool.on('error', (err) => report(err, 'lost while idle'));
  pool.on('connect', (client) => {
    client.on('error', (err) => report(err, 'lost'));
  });
  const kysely = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  try {
    await waitForDatabase(pool, where, opts.waitSeconds ?? 0, log);
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
  return {
    kind: 'postgres',
    pool,
    kysely,
    async close() {
      await kysely.destroy();
    },
  };
}

/**
 * OBLIGATIONS SEC-2: at start, a database that refuses connections (still starting, failing over) is
 * waited for with back-off (0.5 s doubling to 5 s) up to `waitSeconds`, with a line per attempt that
 * says what is wrong; other errors (a wrong password, a missing database) fail at once.
 */
async function waitForDatabase(pool: pg.Pool, where: string, waitSeconds: number, log: (line: string) => void): Promise<void> {
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
      log(`[peil] waiting for the database at ${where} (${errorCode(err)}); attempt ${attempt}, next in ${(wait / 1000).toFixed(1)} s, giving up after ${waitSeconds} s (DATABASE_WAIT_SECONDS)`);
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
