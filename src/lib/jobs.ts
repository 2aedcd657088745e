import PgBoss from 'pg-boss';
import type pg from 'pg';

/**
 * pg-boss queue policies: 'standard' ignores singletonKey (without singletonSeconds); 'stately' keeps
 * at most one queued and one active job per singletonKey, which is what "do this tenant's work once
 * more" needs.
 */
export type QueuePolicy = 'standard' | 'stately';

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

  constructor(pool: pg.Pool, private readonly opts: { pollSeconds?: number } = {}) {
    this.boss = new PgBoss({
      db: { executeSql: async (text: string, values: unknown[]) => pool.query(text, values) },
      schema: 'pgboss',
      supervise: true,
      schedule: false,
    });
    this.boss.on('error', (err) => {
      // pg-boss reports maintenance failures here; they must not crash the server.
      console.error('[jobs]', err.message);
    });
  }

  async start(): Promise<void> {
    if (this.started) return;
    await this.boss.start();
    this.started = true;
  }

  private async queue(name: string, policy: QueuePolicy = 'standard'): Promise<void> {
    if (this.queues.has(name)) return;
    await this.boss.createQueue(name, { name, policy, retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 15 * 60 });
    this.queues.add(name);
  }

  /** The policy is fixed when the queue is first created: give the same one wherever the queue is used. */
  async send<T extends object>(name: string, data: T, opts: { singletonKey?: string; policy?: QueuePolicy } = {}): Promise<string | null> {
    await this.queue(name, opts.policy);
    return this.boss.send(name, data, opts.singletonKey === undefined ? {} : { singletonKey: opts.singletonKey });
  }

  async sendMany<T extends object>(name: string, items: T[]): Promise<void> {
    if (items.length === 0) return;
    await this.queue(name);
    await this.boss.insert(items.map((data) => ({ name, data })));
  }

  async work<T extends object>(name: string, handler: JobHandler<T>, opts: { batchSize?: number; policy?: QueuePolicy } = {}): Promise<void> {
    await this.queue(name, opts.policy);
    await this.boss.work<T>(name, { batchSize: opts.batchSize ?? 1, pollingIntervalSeconds: this.opts.pollSeconds ?? 2 }, async (jobs) => {
      for (const job of jobs) await handler(job.data, { id: job.id });
    });
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  }
}
