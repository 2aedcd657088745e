import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Issue 15: Prometheus metrics of this process (prom-client), served at /metrics (src/ops.ts).
 * Features count through the metrics exported here; lib never imports a feature.
 *
 * OBLIGATIONS LOG-1: a label value is never a tenant id, a person, a token or a raw URL: routes are
 * their patterns (`/s/:token`), queues and workers their fixed names, outcomes a short fixed word.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'peil_' });

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export const httpRequests = new Counter({
  name: 'peil_http_requests_total',
  help: 'HTTP requests answered, by method, route pattern and status class',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
});

export const httpDuration = new Histogram({
  name: 'peil_http_request_duration_seconds',
  help: 'Time to answer an HTTP request, by method, route pattern and status class',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: SECONDS,
  registers: [registry],
});

export const responseBatchSize = new Histogram({
  name: 'peil_response_batch_size',
  help: 'Responses written per batch by the response writer',
  buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
  registers: [registry],
});

export const responseBatchDuration = new Histogram({
  name: 'peil_response_batch_duration_seconds',
  help: 'Time to write one batch of responses (with its retries), by outcome (ok, failed)',
  labelNames: ['outcome'] as const,
  buckets: SECONDS,
  registers: [registry],
});

export const responseBatchRetries = new Counter({
  name: 'peil_response_batch_retries_total',
  help: 'Batches of responses written again after a lost database connection',
  registers: [registry],
});

export const jobsFailed = new Counter({
  name: 'peil_jobs_failed_total',
  help: 'Background jobs (pg-boss) whose handler failed (pg-boss retries them), by queue',
  labelNames: ['queue'] as const,
  registers: [registry],
});

export const jobsCompleted = new Counter({
  name: 'peil_jobs_completed_total',
  help: 'Background jobs (pg-boss) whose handler finished, by queue',
  labelNames: ['queue'] as const,
  registers: [registry],
});

export const workerRuns = new Counter({
  name: 'peil_worker_runs_total',
  help: 'Runs of periodic background work (ticks and sweeps), by worker and outcome (ok, failed)',
  labelNames: ['worker', 'outcome'] as const,
  registers: [registry],
});

export const mailsSent = new Counter({
  name: 'peil_mails_total',
  help: 'Mails handed to the transport (smtp, outbox), by outcome (sent, failed)',
  labelNames: ['transport', 'outcome'] as const,
  registers: [registry],
});

export const webhookDeliveries = new Counter({
  name: 'peil_webhook_deliveries_total',
  help: 'Webhook delivery attempts, by outcome (delivered, retrying, failed)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

/** Sources read when /metrics is scraped: the database pools and job queues of this process. */
interface PoolLike {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}
const pools = new Set<PoolLike>();
const queueSources = new Set<() => Promise<Array<{ queue: string; depth: number }>>>();

/** Counts a pool in the pool gauges until the returned function is called (when it is closed). */
export function watchPool(pool: PoolLike): () => void {
  pools.add(pool);
  return () => void pools.delete(pool);
}

/** Reads queue depths when scraped (Jobs registers itself while it runs). */
export function watchQueues(source: () => Promise<Array<{ queue: string; depth: number }>>): () => void {
  queueSources.add(source);
  return () => void queueSources.delete(source);
}

const sum = (f: (p: PoolLike) => number) => [...pools].reduce((n, p) => n + f(p), 0);

new Gauge({
  name: 'peil_db_pool_connections',
  help: 'Database pool connections, by state (total, idle, waiting: requests waiting for one)',
  labelNames: ['state'] as const,
  registers: [registry],
  collect() {
    this.set(
      { state: 'total' },
      sum((p) => p.totalCount),
    );
    this.set(
      { state: 'idle' },
      sum((p) => p.idleCount),
    );
    this.set(
      { state: 'waiting' },
      sum((p) => p.waitingCount),
    );
  },
});

new Gauge({
  name: 'peil_job_queue_depth',
  help: 'Background jobs waiting in each pg-boss queue',
  labelNames: ['queue'] as const,
  registers: [registry],
  async collect() {
    this.reset();
    for (const source of queueSources) {
      try {
        for (const q of await source()) this.inc({ queue: q.queue }, q.depth);
      } catch {
        // The database is away: /readyz says so; the other metrics are still served.
      }
    }
  },
});

/** The status class of an HTTP status: 2xx, 3xx, 4xx, 5xx. */
export const statusClass = (status: number): string => `${Math.floor(status / 100)}xx`;

export const workersRunning = new Gauge({
  name: 'peil_workers_running',
  help: 'Background workers running in this process (1), by name (src/workers.ts)',
  labelNames: ['worker'] as const,
  registers: [registry],
});
