import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { AppContext } from './context.js';
import { localHost, type Env } from './lib/env.js';
import { openDatabase, type DatabaseHandle } from './lib/db/connect.js';
import { Db } from './lib/db/db.js';
import { migrate } from './lib/db/migrate.js';
import { prepareAppRole } from './lib/db/app-role.js';
import { checkMasterKey, Keyring, loadMasterKey, type MasterKey } from './lib/crypto/keyring.js';
import { assertProductionReady } from './lib/production.js';
import { Jobs } from './lib/jobs.js';
import { OutboxMailer, SmtpMailer, type Mailer } from './lib/mail/mailer.js';
import { requeuePendingSends } from './features/distribution/send.js';
import { chainLegacyEntries } from './features/audit/backfill.js';
import { AUDIT_MAINTENANCE_QUEUE } from './features/audit/maintenance.js';
import { registerBackupSchedule } from './features/backup/schedule.js';
import { startRetentionTicker } from './features/register/retention.js';
import { startSubprocessorTicker } from './features/subprocessors/changes.js';
import { startBreachTicker } from './features/breaches/service.js';
import { startRequestTicker } from './features/requests/service.js';
import { errorCode, isConnectionError } from './lib/db/unavailable.js';

export interface Runtime {
  ctx: AppContext;
  handle: DatabaseHandle;
  close(): Promise<void>;
}

/** Opens the database, migrates it and wires the services. Used by `peil start`, the CLI and tests. */
export async function openRuntime(env: Env, opts: { handle?: DatabaseHandle; master?: MasterKey; log?: (m: string) => void; jobPollSeconds?: number } = {}): Promise<Runtime> {
  const log = opts.log ?? (() => {});
  const handle =
    opts.handle ??
    (await openDatabase({ url: env.DATABASE_URL, appUrl: env.DATABASE_APP_URL, dataDir: env.dataDir, poolSize: env.DATABASE_POOL_SIZE, waitSeconds: env.DATABASE_WAIT_SECONDS, connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS }));
  try {
    await migrate(handle.pool, log);
    // OBLIGATIONS ACC-6: requests run on a connection that signs in as peil_app; checked here.
    await prepareAppRole(handle, opts.handle ? undefined : env.DATABASE_APP_URL, log);
    const db = new Db(handle);
    const master = opts.master ?? loadMasterKey(env).key;
    // OBLIGATIONS SEC-1: the wrong master key stops the start here, with a message that says so.
    await checkMasterKey(db, master);
    // OBLIGATIONS LOG-3: entries from before the audit chain get their hashes before anything is added.
    await chainLegacyEntries(db, log);
    const keyring = new Keyring(master, db);
    const mailer: Mailer = env.SMTP_URL ? new SmtpMailer(env.SMTP_URL, env.MAIL_FROM, env.SMTP_POOL_SIZE) : new OutboxMailer(db, keyring, env.MAIL_FROM);
    const jobs = new Jobs(handle.pool, { pollSeconds: opts.jobPollSeconds ?? 2 });
    const ctx: AppContext = { env, db, keyring, mailer, jobs };
    return {
      ctx,
      handle,
      async close() {
        await jobs.stop();
        await mailer.close();
        await handle.close();
      },
    };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/**
 * OBLIGATIONS SEC-2: the last line of defence of a running server. Every piece of background work
 * catches its own errors; should one still slip through while the database is away, a lost
 * connection is logged by its code and the server keeps running. Anything else ends the process as
 * node does by default (a bug must not be hidden).
 */
let netInstalled = false;
function survivesLostConnections(): void {
  if (netInstalled) return;
  netInstalled = true;
  process.on('unhandledRejection', (reason) => {
    if (isConnectionError(reason)) {
      console.error(`[peil] background work lost its database connection (${errorCode(reason)}); it runs again later`);
      return;
    }
    console.error('[peil] unhandled rejection; stopping', reason);
    process.exit(1);
  });
}

export async function startServer(env: Env): Promise<{ app: FastifyInstance; runtime: Runtime; url: string }> {
  // OBLIGATIONS SEC-5: before anything is opened or generated, production refuses development defaults.
  assertProductionReady(env);
  survivesLostConnections();
  const keySource = loadMasterKey(env);
  const runtime = await openRuntime(env, { master: keySource.key, log: (m) => console.log(`[peil] ${m}`) });
  if (keySource.origin === 'generated') {
    console.warn(`[peil] generated a development master key in ${env.dataDir}/master.key; production needs PEIL_MASTER_KEY or PEIL_MASTER_KEY_FILE`);
  }
  await runtime.ctx.jobs.start();
  const app = await buildApp(runtime.ctx, { logger: true });
  await requeuePendingSends(runtime.ctx);
  // Sign what was logged since the last run (a stop leaves the newest entries without a checkpoint).
  if (env.AUDIT_MAINTENANCE_MINUTES > 0) await runtime.ctx.jobs.send(AUDIT_MAINTENANCE_QUEUE, {});
  const stopBackups = await registerBackupSchedule(runtime.ctx);
  app.addHook('onClose', async () => stopBackups());
  // OBLIGATIONS REG-4: retention, hourly (and a minute after the start); tests call applyRetention with their own clock.
  const stopRetention = startRetentionTicker(runtime.ctx);
  app.addHook('onClose', async () => stopRetention());
  // OBLIGATIONS SUB-2: notices not sent yet, and objection windows that passed (silence is consent).
  const stopSubprocessorTick = startSubprocessorTicker(runtime.ctx);
  app.addHook('onClose', async () => stopSubprocessorTick());
  // OBLIGATIONS BRE-2: alerts to the operators before a breach notification is due, and when it is overdue.
  const stopBreachTick = startBreachTicker(runtime.ctx);
  app.addHook('onClose', async () => stopBreachTick());
  // OBLIGATIONS DSR-1: reminders before a request is due, unconfirmed requests expired (REQUEST_SWEEP_SECONDS).
  const stopRequestTick = startRequestTicker(runtime.ctx);
  app.addHook('onClose', async () => stopRequestTick());
  await app.listen({ host: env.HOST, port: env.PORT });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  const url = `http://${localHost(env.HOST)}:${port}`;
  // PORT=0 (any free port): links in mail use the port that was given, unless PEIL_BASE_URL says otherwise.
  if (!env.PEIL_BASE_URL && env.PORT === 0) env.baseUrl = url;
  return { app, runtime, url };
}
