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
import { chainLegacyEntries } from './features/audit/backfill.js';
import { errorCode, isConnectionError } from './lib/db/unavailable.js';
import { configureLog, log } from './lib/log.js';

export interface Runtime {
  ctx: AppContext;
  handle: DatabaseHandle;
  close(): Promise<void>;
}

/** Opens the database, migrates it and wires the services. Used by `peil start`, the CLI and tests. */
export async function openRuntime(
  env: Env,
  opts: {
    handle?: DatabaseHandle;
    master?: MasterKey;
    log?: (m: string) => void;
    databaseLog?: (m: string) => void;
    jobPollSeconds?: number;
  } = {},
): Promise<Runtime> {
  const say = opts.log ?? (() => {});
  const handle =
    opts.handle ??
    (await openDatabase({
      url: env.DATABASE_URL,
      appUrl: env.DATABASE_APP_URL,
      dataDir: env.dataDir,
      poolSize: env.DATABASE_POOL_SIZE,
      waitSeconds: env.DATABASE_WAIT_SECONDS,
      connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
      ...(opts.databaseLog ? { log: opts.databaseLog } : {}),
    }));
  try {
    await migrate(handle.pool, say);
    // OBLIGATIONS ACC-6: requests run on a connection that signs in as peil_app; checked here.
    await prepareAppRole(handle, opts.handle ? undefined : env.DATABASE_APP_URL, say);
    const db = new Db(handle);
    const master = opts.master ?? loadMasterKey(env).key;
    // OBLIGATIONS SEC-1: the wrong master key stops the start here, with a message that says so.
    await checkMasterKey(db, master);
    // OBLIGATIONS LOG-3: entries from before the audit chain get their hashes before anything is added.
    await chainLegacyEntries(db, say);
    const keyring = new Keyring(master, db);
    const mailer: Mailer = env.SMTP_URL
      ? new SmtpMailer(env.SMTP_URL, env.MAIL_FROM, env.SMTP_POOL_SIZE)
      : new OutboxMailer(db, keyring, env.MAIL_FROM);
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
      log.error(
        { code: errorCode(reason) },
        `[peil] background work lost its database connection (${errorCode(reason)}); it runs again later`,
      );
      return;
    }
    log.error(
      { err: reason instanceof Error ? reason : new Error(String(reason)) },
      '[peil] unhandled rejection; stopping',
    );
    process.exit(1);
  });
}

export async function startServer(env: Env): Promise<{ app: FastifyInstance; runtime: Runtime; url: string }> {
  // OBLIGATIONS SEC-5: before anything is opened or generated, production refuses development defaults.
  assertProductionReady(env);
  // Issue 15: every line of a running server is pino's JSON on standard output, from the first one.
  configureLog({ level: env.LOG_LEVEL, stream: process.stdout });
  survivesLostConnections();
  const keySource = loadMasterKey(env);
  const runtime = await openRuntime(env, { master: keySource.key, log: (m) => log.info(`[peil] ${m}`) });
  if (keySource.origin === 'generated') {
    log.warn(
      `[peil] generated a development master key in ${env.dataDir}/master.key; production needs PEIL_MASTER_KEY or PEIL_MASTER_KEY_FILE`,
    );
  }
  await runtime.ctx.jobs.start();
  // The background work of src/workers.ts: the app's and the server's own.
  const app = await buildApp(runtime.ctx, { logger: true, serverWorkers: true });
  await app.listen({ host: env.HOST, port: env.PORT });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  const url = `http://${localHost(env.HOST)}:${port}`;
  // PORT=0 (any free port): links in mail use the port that was given, unless PEIL_BASE_URL says otherwise.
  if (!env.PEIL_BASE_URL && env.PORT === 0) env.baseUrl = url;
  return { app, runtime, url };
}
