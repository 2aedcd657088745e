import { readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type pg from 'pg';

/** migrations/ at the package root, found from src/lib/db or dist/src/lib/db. */
function migrationsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      readdirSync(join(dir, 'migrations'));
      return join(dir, 'migrations');
    } catch {
      dir = dirname(dir);
    }
  }
  throw new Error('migrations/ folder not found');
}

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export function loadMigrations(): Migration[] {
  const dir = migrationsDir();
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const sql = readFileSync(join(dir, file), 'utf8');
      return {
        version: Number(file.slice(0, 4)),
        name: file.slice(5, -4),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

function grantsSql(): string {
  return readFileSync(join(migrationsDir(), 'grants.sql'), 'utf8');
}

export class MigrationError extends Error {}

/**
 * Applies the plain SQL migrations that are not applied yet, each in its own transaction, under an
 * advisory lock so that two processes starting at once do not both migrate. An applied migration
 * whose file changed afterwards stops the start: migrations are history, not editable code.
 */
export async function migrate(
  pool: pg.Pool,
  log: (msg: string) => void = () => {},
  opts: { only?: ReadonlySet<number>; grants?: boolean } = {},
): Promise<{ applied: string[] }> {
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS peil_migrations (
      version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    await client.query('SELECT pg_advisory_lock(727274)');
    try {
      const { rows } = await client.query<{ version: number; name: string; checksum: string }>(
        'SELECT version, name, checksum FROM peil_migrations ORDER BY version',
      );
      const done = new Map(rows.map((r) => [r.version, r]));
      // `only`: build the schema of an earlier version (a restore loads a backup into the schema it was
      // made from, then migrates the rest, so data migrations run over the restored rows).
      for (const m of loadMigrations().filter((x) => !opts.only || opts.only.has(x.version))) {
        const prior = done.get(m.version);
        if (prior) {
          if (prior.checksum !== m.checksum) {
            throw new MigrationError(`Migration ${m.version}_${m.name} was changed after it was applied.`);
          }
          continue;
        }
        await client.query('BEGIN');
        try {
          await client.query(m.sql);
          await client.query('INSERT INTO peil_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
            m.version,
            m.name,
            m.checksum,
          ]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw new MigrationError(`Migration ${m.version}_${m.name} failed: ${(err as Error).message}`);
        }
        applied.push(`${m.version}_${m.name}`);
        log(`applied migration ${m.version}_${m.name}`);
      }
      if (opts.grants !== false) await client.query(grantsSql());
    } finally {
      await client.query('SELECT pg_advisory_unlock(727274)');
    }
  } finally {
    client.release();
  }
  return { applied };
}
