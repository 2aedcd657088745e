import PgBoss from 'pg-boss';
import type pg from 'pg';
import { log } from './log.js';
import { jobsCompleted, jobsFailed, watchQueues } from './metrics.js';

/**
 * pg-boss queue policies: 'standard' ignores singletonKey (without singletonSeconds); 'stately' keeps
 * at most one queued and one active job per singletonKey, which is what "do this tenant's work once
 * more" needs.
 */
export type QueuePolicy = 'standard' | 'stately';

/**
 * Several processes (PEIL_WORKERS, or two servers on one database) create their queues at the same
 * time as they start. pg-boss 10's create_queue inserts the queue, creates its partition and adds
 * foreign keys to the shared job table; two of those at once can deadlock (40P01: a process exited
 * at start in CI with PEIL_WORKERS=2; src/lib/jobs.test.ts reproduces it with four). One transaction
 * -scoped advisory lock, taken before the function runs in the same statement, makes them take
 * turns; the function does nothing for a queue that exists by then.
 */
function serialiseQueueCreation(text: string): string {
  const m = /^SELECT (\w+)\.create_queue\(\$1, \$2\)$/.exec(text);
  if (!m) return text;
  return `SELECT ${m[1]}.create_queue($1, $2) FROM (SELECT pg_advisory_xact_lock(hashtext('${m[1]}.create_queue'))) AS turn`;
}

export type JobHandler<T> = (data: T, job: { id: string }) => Promise<void>;

/**
 * Background jobs on pg-boss, in Peil's own database (PGlite or PostgreSQL), so a job survives a
 * restart and needs no other server. pg-boss talks through the owner pool: its tables are not tenant
 * data; each handler opens its own tenant transaction.
 */
export class Jobs {
  private readonly boss: PgBoss;
  private readonly queues = new Set<string>();
  private started = false;
  // Stopping: a worker whose fetch was in flight when stop() began still gets its job after pg-boss
  // thinks it is idle. Such a handler does not run (the job fails and is retried after the restart),
  // and stop() waits for every query pg-boss still has in flight, so that nothing reaches the pool
  // after it is closed ("Cannot use a pool after calling end on the pool").
  private stopping = false;
  private closed = false;
  private inFlight = 0;
  private readonly handlers = new Set<Promise<void>>();

  constructor(
    pool: pg.Pool,
    private readonly opts: { pollSeconds?: number } = {},
  ) {
    this.boss = new PgBoss({
      db: {
        executeSql: async (text: string, values: unknown[]) => {
          if (this.closed) throw new Error('background jobs are stopped');
          this.inFlight++;
          try {
            return await pool.query(serialiseQueueCreation(text), values);
          } finally {
            this.inFlight--;
          }
        },
      },
      schema: 'pgboss',
      supervise: true,
      schedule: false,
    });
    this.boss.on('error', (err) => {
      // pg-boss reports maintenance failures here; they must not crash the server.
      log.error({ worker: 'jobs', code: (err as { code?: unknown }).code }, `[jobs] ${err.message}`);
    });
  }

  private unwatch: (() => void) | undefined;

  async start(): Promise<void> {
    if (this.started) return;
    await this.boss.start();
    this.started = true;
    this.unwatch = watchQueues(() => this.depths());
  }

  /** Issue 15 (/readyz): started, not stopping, and pg-boss answers within the caller's timeout. */
  async check(): Promise<void> {
    if (!this.started || this.stopping) throw new Error('background jobs are not running');
    await this.boss.getQueues();
  }

  /** The queues this process works or sends to, with the jobs waiting in each (for /metrics). */
  async depths(): Promise<Array<{ queue: string; depth: number }>> {
    if (!this.started || this.stopping) return [];
    return Promise.all([...this.queues].map(async (queue) => ({ queue, depth: await this.boss.getQueueSize(queue) })));
  }

  private async queue(name: string, policy: QueuePolicy = 'standard'): Promise<void> {
    if (this.queues.has(name)) return;
    if (!(await this.boss.getQueue(name)))
      await this.boss.createQueue(name, {
        name,
        policy,
        retryLimit: 5,
        retryDelay: 5,
        retryBackoff: true,
        expireInSeconds: 15 * 60,
      });
    this.queues.add(name);
  }

  /** The policy is fixed when the queue is first created: give the same one wherever the queue is used. */
  async send<T extends object>(
    name: string,
    data: T,
    opts: { singletonKey?: string; policy?: QueuePolicy } = {},
  ): Promise<string | null> {
    await this.queue(name, opts.policy);
    return this.boss.send(name, data, opts.singletonKey === undefined ? {} : { singletonKey: opts.singletonKey });
  }

  async sendMany<T extends object>(name: string, items: T[]): Promise<void> {
    if (items.length === 0) return;
    await this.queue(name);
    await this.boss.insert(items.map((data) => ({ name, data })));
  }

  async work<T extends object>(
    name: string,
    handler: JobHandler<T>,
    opts: { batchSize?: number; policy?: QueuePolicy } = {},
  ): Promise<void> {
    await this.queue(name, opts.policy);
    await this.boss.work<T>(
      name,
      { batchSize: opts.batchSize ?? 1, pollingIntervalSeconds: this.opts.pollSeconds ?? 2 },
      async (jobs) => {
        if (this.stopping) throw new Error('background jobs are stopping; the job runs again after the restart');
        const run = (async () => {
          for (const job of jobs) {
            try {
              await handler(job.data, { id: job.id });
            } catch (err) {
              jobsFailed.inc({ queue: name });
              throw err;
            }
            jobsCompleted.inc({ queue: name });
          }
        })();
        this.handlers.add(run);
        try {
          await run;
        } finally {
          this.handlers.delete(run);
        }
      },
    );
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    this.stopping = true;
    this.unwatch?.();
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    // pg-boss resolves once no worker holds a job; a fetch still in flight, a handler started from
    // it, and the fail() that follows finish here, before the caller closes the pool.
    while (this.inFlight > 0 || this.handlers.size > 0) {
      if (this.handlers.size > 0) await Promise.allSettled([...this.handlers]);
      else await new Promise((r) => setTimeout(r, 10));
    }
    this.closed = true;
  }
}
