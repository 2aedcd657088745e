import type { Db } from './db/db.js';
import { claimTick, LEASE_SECONDS, releaseTick, renewTick } from './db/shared.js';
import { log } from './log.js';
import { workerRuns } from './metrics.js';

/**
 * A periodic piece of work in this process: run every `seconds` (0: never; fractions allowed), and
 * once at start unless `atStart` is false; never twice at once. A failure is logged by its error code
 * only (a database message can quote values) and the work runs again at the next tick. Returns the
 * stop function, which waits for a running one: nothing started here outlives the pool it uses.
 *
 * Issue 17: with `db` on PostgreSQL, where several Peil processes may run, a tick's work runs in one
 * process at a time: the one that holds the tick's lease (tick_leases, 0035); the others skip that
 * turn. On PGlite there is one process and no lease.
 */
export function startTick(
  label: string,
  seconds: number,
  work: () => Promise<unknown>,
  opts: { atStart?: boolean; db?: Db } = {},
): () => Promise<void> {
  if (!seconds) return async () => {};
  // The metrics' and the log's name of this work: the label without its brackets ("[plans] tick" → "plans tick").
  const worker = label.replace(/[[\]]/g, '').trim();
  const db = opts.db?.kind === 'postgres' ? opts.db : undefined;
  const run = db ? () => leased(db, worker, work) : work;
  let running: Promise<unknown> | null = null;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = run()
      .then(() => workerRuns.inc({ worker, outcome: 'ok' }))
      .catch((err: unknown) => {
        workerRuns.inc({ worker, outcome: 'failed' });
        const code = String((err as { code?: unknown }).code ?? (err as Error).name);
        log.error({ worker, code }, `${label} failed (${code}); it runs again in ${seconds} s`);
      })
      .finally(() => {
        running = null;
      });
  };
  if (opts.atStart !== false) tick();
  const timer = setInterval(tick, seconds * 1000);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}

/**
 * Issue 17: runs `work` only when this process gets the lease of tick `name` (PostgreSQL), renewing it
 * while the work runs; on PGlite at once. For periodic work with a timer of its own.
 */
export function runLeased(db: Db, name: string, work: () => Promise<unknown>): Promise<unknown> {
  return db.kind === 'postgres' ? leased(db, name, work) : work();
}

async function leased(db: Db, name: string, work: () => Promise<unknown>): Promise<unknown> {
  if (!(await claimTick(db, name))) return undefined;
  const renew = setInterval(() => void renewTick(db, name).catch(() => {}), (LEASE_SECONDS * 1000) / 4);
  renew.unref();
  try {
    return await work();
  } finally {
    clearInterval(renew);
    await releaseTick(db, name).catch(() => {});
  }
}

/**
 * OBLIGATIONS SEC-2 (issue 16): lets the event loop take its I/O turn. PGlite runs inside this process
 * and answers through promises alone, so a long job (a send into the outbox, a labelling run) that only
 * awaits queries never gives the HTTP server a turn: /healthz waited for a whole send (42 s for 12,000
 * mails; bench/invitations.ts). Such loops await this between rounds.
 */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
