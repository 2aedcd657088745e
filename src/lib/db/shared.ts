import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { sql } from 'kysely';
import type { Db } from './db.js';

/**
 * Issue 17: what several Peil processes on one PostgreSQL share, kept in the database (0035): request
 * counters for rate limits and the leases of the periodic ticks. On PGlite there is one process, and
 * callers keep these in memory instead (no query on the single connection).
 */

/** This process's name as a lease holder: host, pid and a random part (a pid is reused after a restart). */
export const PROCESS_ID = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

/**
 * Counts one hit on `key` in a fixed window of `windowMs`, in every process at once: the count so far
 * in this window and the milliseconds until it resets. The key is hashed; the window is the database's
 * clock, so processes on machines whose clocks differ still count one window.
 */
export async function hitCounter(db: Db, key: string, windowMs: number): Promise<{ count: number; ttlMs: number }> {
  const hash = createHash('sha256').update(key).digest();
  const row = await db.global(async (tx) => {
    // Now and then a hit also removes windows that ran out long ago (no job needed).
    if (Math.random() < 0.001)
      await tx
        .deleteFrom('rate_limit_counters')
        .where('reset_at', '<', sql<Date>`now() - interval '1 hour'`)
        .execute();
    const { rows } = await sql<{ count: number; ttl_ms: number }>`
      INSERT INTO rate_limit_counters AS r (key, count, reset_at)
      VALUES (${hash}, 1, now() + ${windowMs} * interval '1 millisecond')
      ON CONFLICT (key) DO UPDATE SET
        count = CASE WHEN r.reset_at <= now() THEN 1 ELSE r.count + 1 END,
        reset_at = CASE WHEN r.reset_at <= now() THEN EXCLUDED.reset_at ELSE r.reset_at END
      RETURNING count, ceil(extract(epoch FROM (reset_at - now())) * 1000)::int AS ttl_ms`.execute(tx);
    return rows[0]!;
  });
  return { count: row.count, ttlMs: Math.max(0, row.ttl_ms) };
}

/** How long a tick's lease lasts without renewal: a crashed holder blocks the tick for at most this long. */
export const LEASE_SECONDS = 120;

/** Takes the lease of tick `name` when no other process holds it (or its holder's lease ran out). */
export async function claimTick(db: Db, name: string, holder = PROCESS_ID): Promise<boolean> {
  const { rows } = await db.owner('ticks', (tx) =>
    sql`INSERT INTO tick_leases AS l (name, holder, until)
        VALUES (${name}, ${holder}, now() + ${LEASE_SECONDS} * interval '1 second')
        ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, until = EXCLUDED.until
        WHERE l.until <= now() OR l.holder = EXCLUDED.holder
        RETURNING 1 AS ok`.execute(tx),
  );
  return rows.length === 1;
}

/** Renews the lease while the tick runs; false when another process took it meanwhile. */
export async function renewTick(db: Db, name: string, holder = PROCESS_ID): Promise<boolean> {
  const r = await db.owner('ticks', (tx) =>
    tx
      .updateTable('tick_leases')
      .set({ until: sql<Date>`now() + ${LEASE_SECONDS} * interval '1 second'` })
      .where('name', '=', name)
      .where('holder', '=', holder)
      .executeTakeFirst(),
  );
  return Number(r.numUpdatedRows) === 1;
}

/** Lets the lease go after a run, so that the next tick of any process may run. */
export async function releaseTick(db: Db, name: string, holder = PROCESS_ID): Promise<void> {
  await db.owner('ticks', (tx) =>
    tx
      .updateTable('tick_leases')
      .set({ until: sql<Date>`now()` })
      .where('name', '=', name)
      .where('holder', '=', holder)
      .execute(),
  );
}
