import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { mkdirSync } from 'node:fs';
import type { DB } from './schema.js';
import { acquireLock, type Lock } from './lock.js';

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
}

export async function openDatabase(opts: OpenOptions): Promise<DatabaseHandle> {
  if (opts.url) return openPostgres(opts.url, opts.poolSize ?? 20);
  return openPglite(opts.dataDir, opts.loadDataDir);
}

async function openPostgres(url: string, poolSize: number): Promise<DatabaseHandle> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it. Without a listener node would crash.
  });
  const kysely = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  await pool.query('select 1');
  return {
    kind: 'postgres',
    pool,
    kysely,
    async close() {
      await kysely.destroy();
    },
  };
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
