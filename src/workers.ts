import type { AppContext } from './context.js';
import { log } from './lib/log.js';
import { workersRunning } from './lib/metrics.js';
import { startTick } from './lib/tick.js';
import { startAgreementTick } from './features/agreement/versions.js';
import { AUDIT_MAINTENANCE_QUEUE, registerAuditMaintenance } from './features/audit/maintenance.js';
import { registerBackupSchedule } from './features/backup/schedule.js';
import { sweepBenchmark } from './features/benchmark/service.js';
import { startBreachTicker } from './features/breaches/service.js';
import { registerSendWorker, requeuePendingSends, startDistributionTicker } from './features/distribution/send.js';
import { startEndingTick } from './features/ending/service.js';
import { startFollowUpSweep } from './features/followups/service.js';
import { startDispatcher } from './features/integrations/webhooks.js';
import { registerNoticeWorker } from './features/labelling/notices.js';
import { registerRunWorker, startSweep as startLabellingSweep } from './features/labelling/run.js';
import { startPlansTick } from './features/plans/service.js';
import { startRetentionTicker } from './features/register/retention.js';
import { startRequestTicker } from './features/requests/service.js';
import { startRollups } from './features/results/rollup.js';
import { startAnonymitySweep } from './features/respond/anonymity-sweep.js';
import { sweepExpiredUploads } from './features/contacts/imports.js';
import { startSubprocessorTicker } from './features/subprocessors/changes.js';

/** What a worker's start returns: its stop, which waits for a run in progress. */
type Stop = () => void | Promise<void>;
const nothingToStop: Stop = () => {};

/**
 * Issue 15: every piece of background work of a Peil process, in one list: periodic ticks and
 * sweeps (lib/tick.ts), pg-boss workers (lib/jobs.ts) and work done once at start. Each has a name,
 * which is also its name in the log (`worker`), in /metrics (`peil_workers_running`,
 * `peil_worker_runs_total` for ticks, `peil_jobs_*` by queue) and in /readyz.
 *
 * - `app`: started by buildApp (unless `startWorkers: false`), so tests run them as `peil start`
 *   does; stopped when the app closes.
 * - `server`: only in `peil start` (startServer): schedules whose runs tests call directly with
 *   their own clock (retention, notices, alerts, backups), and recovery at start.
 */
export interface WorkerEntry {
  name: string;
  kind: 'tick' | 'queue' | 'at start';
  scope: 'app' | 'server';
  start(ctx: AppContext): Stop | Promise<Stop>;
}

export const WORKERS: readonly WorkerEntry[] = [
  // OBLIGATIONS AGR-3: unannounced agreement versions mailed, passed objection windows accepted.
  {
    name: 'agreement version tick',
    kind: 'tick',
    scope: 'app',
    start: (ctx) => startAgreementTick(ctx, ctx.env.AGREEMENT_SWEEP_SECONDS),
  },
  // OBLIGATIONS LOG-3, LOG-4: checkpoints, signed heads and retention of the audit log (queue audit-maintenance).
  { name: AUDIT_MAINTENANCE_QUEUE, kind: 'queue', scope: 'app', start: (ctx) => registerAuditMaintenance(ctx) },
  // OBLIGATIONS END-2, END-3: reminders before the end, deletion when due.
  {
    name: 'ending tick',
    kind: 'tick',
    scope: 'app',
    start: (ctx) => startEndingTick(ctx, ctx.env.ENDING_SWEEP_SECONDS),
  },
  // Scheduled distributions and reminders become sends.
  { name: 'distribution tick', kind: 'tick', scope: 'app', start: (ctx) => startDistributionTicker(ctx) },
  // Sending invitations (queue invitations-send).
  {
    name: 'invitations-send',
    kind: 'queue',
    scope: 'app',
    start: async (ctx) => (await registerSendWorker(ctx), nothingToStop),
  },
  // OBLIGATIONS SVC-4: anonymous invitations whose answer mark was not written again.
  {
    name: 'respond anonymity sweep',
    kind: 'tick',
    scope: 'app',
    start: (ctx) => startAnonymitySweep(ctx, ctx.env.ANONYMITY_SWEEP_SECONDS),
  },
  // Issue 17: contact files not committed within the hour are deleted (they hold personal data).
  {
    name: 'contact uploads sweep',
    kind: 'tick',
    scope: 'app',
    start: (ctx) =>
      startTick('[contacts] uploads sweep', ctx.env.UPLOAD_SWEEP_SECONDS, () => sweepExpiredUploads(ctx), {
        atStart: false,
        db: ctx.db,
      }),
  },
  // OBLIGATIONS AI-*: labelling runs and their notices (queues labelling-run, labelling-notice), and the sweep that queues them.
  {
    name: 'labelling-run',
    kind: 'queue',
    scope: 'app',
    start: async (ctx) => (await registerRunWorker(ctx), nothingToStop),
  },
  {
    name: 'labelling-notice',
    kind: 'queue',
    scope: 'app',
    start: async (ctx) => (await registerNoticeWorker(ctx), nothingToStop),
  },
  { name: 'labelling sweep', kind: 'tick', scope: 'app', start: (ctx) => startLabellingSweep(ctx) },
  // Webhook deliveries with retries; idempotency keys and the delivery log pruned.
  { name: 'webhooks sweep', kind: 'tick', scope: 'app', start: (ctx) => startDispatcher(ctx) },
  // Follow-ups of unhappy answers (alerts, due times).
  { name: 'followups sweep', kind: 'tick', scope: 'app', start: (ctx) => startFollowUpSweep(ctx) },
  // OBLIGATIONS SVC-6: plan limits and extensions.
  { name: 'plans tick', kind: 'tick', scope: 'app', start: (ctx) => startPlansTick(ctx) },
  // Issue 17: the results rollups take in the settled responses.
  { name: 'results rollups', kind: 'tick', scope: 'app', start: (ctx) => startRollups(ctx) },
  // OBLIGATIONS BEN-1: the sector benchmark.
  {
    name: 'benchmark sweep',
    kind: 'tick',
    scope: 'app',
    start: (ctx) =>
      startTick('benchmark sweep', ctx.env.BENCHMARK_SWEEP_SECONDS, () => sweepBenchmark(ctx), {
        atStart: false,
        db: ctx.db,
      }),
  },

  // Sends that were running when the process stopped go on.
  {
    name: 'invitations requeue',
    kind: 'at start',
    scope: 'server',
    start: async (ctx) => (await requeuePendingSends(ctx), nothingToStop),
  },
  // Sign what was logged since the last run (a stop leaves the newest entries without a checkpoint).
  {
    name: 'audit maintenance at start',
    kind: 'at start',
    scope: 'server',
    start: async (ctx) => {
      if (ctx.env.AUDIT_MAINTENANCE_MINUTES > 0) await ctx.jobs.send(AUDIT_MAINTENANCE_QUEUE, {});
      return nothingToStop;
    },
  },
  // OBLIGATIONS SEC-2: scheduled encrypted backups (queue backup), with PEIL_BACKUP_DIR.
  { name: 'backup', kind: 'queue', scope: 'server', start: (ctx) => registerBackupSchedule(ctx) },
  // OBLIGATIONS REG-4: retention, hourly (and a minute after the start); tests call applyRetention with their own clock.
  { name: 'retention tick', kind: 'tick', scope: 'server', start: (ctx) => startRetentionTicker(ctx) },
  // OBLIGATIONS SUB-2: notices not sent yet, and objection windows that passed (silence is consent).
  { name: 'subprocessors tick', kind: 'tick', scope: 'server', start: (ctx) => startSubprocessorTicker(ctx) },
  // OBLIGATIONS BRE-2: alerts to the operators before a breach notification is due, and when it is overdue.
  { name: 'breaches alert tick', kind: 'tick', scope: 'server', start: (ctx) => startBreachTicker(ctx) },
  // OBLIGATIONS DSR-1: reminders before a request is due, unconfirmed requests expired (REQUEST_SWEEP_SECONDS).
  { name: 'requests sweep', kind: 'tick', scope: 'server', start: (ctx) => startRequestTicker(ctx) },
];

export interface RunningWorkers {
  /** The names of the workers started (and not stopped yet), in the order of the list. */
  readonly names: readonly string[];
  /** Stops them, last started first; each stop waits for a run in progress. */
  stop(): Promise<void>;
}

/** Starts the workers of the given scopes, in the order of the list. */
export async function startWorkers(
  ctx: AppContext,
  scopes: ReadonlyArray<WorkerEntry['scope']>,
  list: readonly WorkerEntry[] = WORKERS,
): Promise<RunningWorkers> {
  const started: Array<{ name: string; stop: Stop }> = [];
  const names: string[] = [];
  try {
    for (const w of list) {
      if (!scopes.includes(w.scope)) continue;
      started.push({ name: w.name, stop: await w.start(ctx) });
      names.push(w.name);
      if (w.kind !== 'at start') workersRunning.set({ worker: w.name }, 1);
    }
  } catch (err) {
    await stopAll(started);
    throw err;
  }
  return {
    names,
    async stop() {
      await stopAll(started);
      names.length = 0;
    },
  };
}

async function stopAll(started: Array<{ name: string; stop: Stop }>): Promise<void> {
  for (const w of started.splice(0).reverse()) {
    try {
      await w.stop();
    } catch (err) {
      log.error({ worker: w.name, code: (err as { code?: unknown }).code }, `stopping ${w.name} failed`);
    }
    workersRunning.remove({ worker: w.name });
  }
}
