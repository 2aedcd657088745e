import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { EnvError, parseEnv, type Env } from '../lib/env.js';
import { LockedError } from '../lib/db/lock.js';
import { AppError } from '../lib/errors.js';
import { openRuntime, startServer } from '../server.js';
import { firstRun, createTenant } from '../features/setup/service.js';
import { systemActor } from '../lib/audit.js';

const usage = `peil — feedback platform with an executable processing agreement

Usage:
  peil start                       run the server (PGlite in PEIL_DATA_DIR, or DATABASE_URL)
  peil migrate                     apply database migrations and exit
  peil setup [options]             first run: operator account + first customer with its owner
      --operator-email E --operator-name N [--operator-password P]
      --tenant-name N --tenant-slug S
      --owner-email E --owner-name N [--owner-password P]
    (a password left out is generated and printed once)
  peil tenant create --tenant-name N --tenant-slug S --owner-email E --owner-name N [--owner-password P]
  peil keys generate               print a new random master key (base64)
  peil label                       JSON lines {"id","text","lang"} on stdin → labels on stdout
  peil redact                      lines on stdin → the same lines with personal data replaced

Configuration comes from environment variables; see README.md.`;

const genPassword = () => randomBytes(12).toString('base64url');

async function withRuntime<T>(env: Env, fn: (rt: Awaited<ReturnType<typeof openRuntime>>) => Promise<T>): Promise<T> {
  const rt = await openRuntime(env, { log: (m) => console.error(`[peil] ${m}`) });
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    strict: false,
    options: {
      'operator-email': { type: 'string' }, 'operator-name': { type: 'string' }, 'operator-password': { type: 'string' },
      'tenant-name': { type: 'string' }, 'tenant-slug': { type: 'string' },
      'owner-email': { type: 'string' }, 'owner-name': { type: 'string' }, 'owner-password': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const v = values as Record<string, string | undefined>;
  const need = (name: string): string => {
    const x = v[name];
    if (!x) throw new UsageError(`--${name} is required`);
    return x;
  };

  switch (command) {
    case 'start': {
      const env = parseEnv();
      const { app, runtime, url } = await startServer(env);
      console.log(`Peil is running at ${url}/app/ (database: ${runtime.ctx.db.kind}${runtime.ctx.db.kind === 'pglite' ? ` in ${env.dataDir}` : ''}, mail: ${runtime.ctx.mailer.kind})`);
      const stop = async () => {
        console.log('Stopping Peil…');
        await app.close();
        await runtime.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
      return -1;
    }
    case 'migrate': {
      const env = parseEnv();
      await withRuntime(env, async () => {});
      console.log('Database is up to date.');
      return 0;
    }
    case 'setup': {
      const env = parseEnv();
      const operatorPassword = v['operator-password'] ?? genPassword();
      const ownerPassword = v['owner-password'] ?? genPassword();
      const r = await withRuntime(env, (rt) =>
        firstRun(rt.ctx, {
          operator: { email: need('operator-email'), name: v['operator-name'] ?? 'Operator', password: operatorPassword },
          tenant: { name: need('tenant-name'), slug: need('tenant-slug'), owner: { email: need('owner-email'), name: v['owner-name'] ?? 'Owner', password: ownerPassword } },
        }, { ...systemActor, ip: 'cli' }),
      );
      console.log(JSON.stringify({ ...r, ...(v['operator-password'] ? {} : { operatorPassword }), ...(v['owner-password'] ? {} : { ownerPassword }) }, null, 2));
      return 0;
    }
    case 'tenant': {
      if (rest[0] !== 'create') throw new UsageError('peil tenant create …');
      const env = parseEnv();
      const ownerPassword = v['owner-password'] ?? genPassword();
      const r = await withRuntime(env, (rt) =>
        createTenant(rt.ctx, { name: need('tenant-name'), slug: need('tenant-slug'), owner: { email: need('owner-email'), name: v['owner-name'] ?? 'Owner', password: ownerPassword } }, { ...systemActor, ip: 'cli' }),
      );
      console.log(JSON.stringify({ ...r, ...(v['owner-password'] ? {} : { ownerPassword }) }, null, 2));
      return 0;
    }
    case 'keys': {
      if (rest[0] !== 'generate') throw new UsageError('peil keys generate');
      console.log(randomBytes(32).toString('base64'));
      return 0;
    }
    case 'label':
    case 'redact': {
      const { runLineCommand } = await import('../features/labelling/cli.js');
      await runLineCommand(command, process.stdin, process.stdout);
      return 0;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(usage);
      return 0;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

class UsageError extends Error {}

export async function run(argv: string[]): Promise<void> {
  try {
    const code = await main(argv);
    if (code >= 0) process.exit(code);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`peil: ${err.message}\n\n${usage}`);
      process.exit(64);
    }
    if (err instanceof EnvError || err instanceof LockedError) {
      console.error(`peil: ${err.message}`);
      process.exit(78);
    }
    if (err instanceof AppError) {
      console.error(`peil: ${err.message}${err.errors ? '\n' + err.errors.map((e) => `  - ${e.pointer ?? ''} ${e.reason}`).join('\n') : ''}`);
      process.exit(65);
    }
    console.error(err);
    process.exit(1);
  }
}
