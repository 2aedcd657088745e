/**
 * Response submission over HTTP with concurrent clients on loopback, beside the bare batched-insert
 * rate of the same database in the same run. Every acknowledged (303) submission must be stored:
 * the benchmark counts the rows afterwards and reports any difference.
 */
import { startProfile } from './fixtures.js';
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { buildApp } from '../src/app.js';
import { createTenant } from '../src/features/setup/service.js';
import { npsDefinition } from '../src/features/surveys/definition.js';
import { systemActor } from '../src/lib/audit.js';
import { MasterKey } from '../src/lib/crypto/keyring.js';
import type { DatabaseHandle } from '../src/lib/db/connect.js';
import { parseEnv } from '../src/lib/env.js';
import { signedRowToken } from '../src/lib/tokens.js';
import { openRuntime } from '../src/server.js';

const run = promisify(execFile);

export interface Figure {
  bench: string;
  metric: string;
  value: number;
  unit: string;
}

interface LoadResult {
  tool: string;
  requests: number;
  acknowledged: number;
  rps: number;
  p50: number;
  p99: number;
}

export interface ResponseBenchOptions {
  label: string;
  handle: DatabaseHandle;
  /** Invitations prepared; the load stops earlier when the duration is over. */
  count: number;
  concurrency: number;
  durationSeconds: number;
}

function hasWrk(): boolean {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (err) {
    // wrk prints its version and exits 1; only a missing binary is ENOENT.
    return (err as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

/** wrk (C, from Debian's packages) leaves more of the two cores to the server than a Node client. */
async function wrkLoad(url: string, tokens: string[], opts: ResponseBenchOptions, dir: string): Promise<LoadResult> {
  const file = join(dir, 'tokens.txt');
  writeFileSync(file, tokens.join('\n') + '\n');
  const threads = 2;
  const script = join(import.meta.dirname, 'submit.lua');
  // A short warm-up (JIT, pool) on tokens that the measured run does not reuse.
  const warm = tokens.slice(tokens.length - 2000);
  const warmFile = join(dir, 'warm.txt');
  writeFileSync(warmFile, warm.join('\n') + '\n');
  await run('wrk', ['-t', '1', '-c', '16', '-d', '2s', '-s', script, url, '--', warmFile, '1']);
  const { stdout } = await run('wrk', [
    '-t',
    String(threads),
    '-c',
    String(opts.concurrency),
    '-d',
    `${opts.durationSeconds}s`,
    '--latency',
    '-s',
    script,
    url,
    '--',
    file,
    String(threads),
  ]);
  const num = (re: RegExp) => Number(re.exec(stdout)?.[1] ?? NaN);
  const ms = (label: string) => {
    const m = new RegExp(`\\s${label}%\\s+([\\d.]+)(us|ms|s)`).exec(stdout);
    if (!m) return NaN;
    return Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1);
  };
  const requests = num(/(\d+) requests in/);
  const bad = num(/Non-2xx or 3xx responses: (\d+)/) || 0;
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
  const errors = socketErrors ? socketErrors.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
  if (requests > tokens.length - warm.length)
    throw new Error(`wrk ran out of tokens (${requests} requests): raise BENCH_RESPONSES`);
  return {
    tool: 'wrk',
    requests,
    acknowledged: requests - bad - errors,
    rps: num(/Requests\/sec:\s+([\d.]+)/),
    p50: ms('50'),
    p99: ms('99'),
  };
}

/** Fallback without wrk: a Node client in its own process, submitting every token once. */
async function nodeLoad(url: string, tokens: string[], opts: ResponseBenchOptions, dir: string): Promise<LoadResult> {
  const jobFile = join(dir, 'job.json');
  const client = join(import.meta.dirname, 'load-client.mjs');
  writeFileSync(jobFile, JSON.stringify({ url, tokens: tokens.slice(0, 1000), concurrency: opts.concurrency }));
  const warm = JSON.parse((await run(process.execPath, [client, jobFile])).stdout) as {
    statuses: Record<string, number>;
  };
  writeFileSync(jobFile, JSON.stringify({ url, tokens: tokens.slice(1000), concurrency: opts.concurrency }));
  const { stdout } = await run(process.execPath, [client, jobFile], { maxBuffer: 10 * 1024 * 1024 });
  const r = JSON.parse(stdout) as {
    requests: number;
    elapsedMs: number;
    statuses: Record<string, number>;
    p50: number;
    p99: number;
  };
  return {
    tool: 'node http',
    requests: r.requests + 1000,
    acknowledged: (r.statuses['303'] ?? 0) + (warm.statuses['303'] ?? 0),
    rps: (r.requests / r.elapsedMs) * 1000,
    p50: r.p50,
    p99: r.p99,
  };
}

export async function benchResponses(opts: ResponseBenchOptions): Promise<Figure[]> {
  const logged = process.env.BENCH_LOGGER !== '0';
  const dataDir = mkdtempSync(join(tmpdir(), 'peil-bench-'));
  const env = parseEnv({
    PEIL_ENV: 'test',
    PEIL_DATA_DIR: dataDir,
    // Issue 17: measured with the production logger on (BENCH_LOGGER=0: off), its lines written to
    // /dev/null one write each, as pino writes to standard output.
    LOG_LEVEL: logged ? 'info' : 'silent',
    RESPONSE_BATCH_WINDOW_MS: '2',
  });
  const rt = await openRuntime(env, { handle: opts.handle, master: new MasterKey(randomBytes(32)) });
  const figures: Figure[] = [];
  const bench = `responses-${opts.label}`;
  try {
    const { tenantId } = await createTenant(
      rt.ctx,
      {
        name: 'Bench BV',
        slug: `bench-${randomBytes(3).toString('hex')}`,
        owner: { email: 'bench@example.nl', name: 'B', password: 'Meetlat-Wachtwoord-1' },
      },
      systemActor,
    );
    const keys = await rt.ctx.keyring.forTenant(tenantId);
    const surveyId = randomUUID();
    const distributionId = randomUUID();
    const invitationIds: string[] = [];
    await rt.ctx.db.tenant(tenantId, async (tx) => {
      await tx
        .insertInto('surveys')
        .values({
          tenant_id: tenantId,
          id: surveyId,
          name: 'Bench',
          kind: 'nps',
          default_language: 'nl',
          definition: JSON.stringify(npsDefinition('Bench BV')),
          created_by: null,
        })
        .execute();
      await tx
        .insertInto('distributions')
        .values({ tenant_id: tenantId, id: distributionId, survey_id: surveyId, created_by: null, total: opts.count })
        .execute();
      for (let off = 0; off < opts.count; off += 5000) {
        const n = Math.min(5000, opts.count - off);
        const contactIds = Array.from({ length: n }, () => randomUUID());
        const invIds = Array.from({ length: n }, () => randomUUID());
        invitationIds.push(...invIds);
        await sql`INSERT INTO contacts (tenant_id, id, email_hmac, email_enc) SELECT ${tenantId}::uuid, * FROM unnest(${contactIds}::uuid[], ${contactIds.map((_, i) => keys.emailIndex(`r${off + i}@example.nl`))}::bytea[], ${contactIds.map((_, i) => keys.seal(`r${off + i}@example.nl`))}::bytea[])`.execute(
          tx,
        );
        await sql`INSERT INTO invitations (tenant_id, id, survey_id, distribution_id, contact_id, language, status) SELECT ${tenantId}::uuid, u.id, ${surveyId}::uuid, ${distributionId}::uuid, u.contact_id, 'nl', 'sent' FROM unnest(${invIds}::uuid[], ${contactIds}::uuid[]) AS u(id, contact_id)`.execute(
          tx,
        );
      }
    });
    // As sent in invitations: the link names its survey (BENCH_OLDER_LINKS=1: the earlier form without it).
    const older = process.env.BENCH_OLDER_LINKS === '1';
    const tokens = invitationIds.map((id) =>
      signedRowToken(tenantId, id, (b) => keys.tokenMac(b), older ? undefined : surveyId),
    );

    const devNull = openSync('/dev/null', 'w');
    const app = await buildApp(rt.ctx, {
      startWorkers: false,
      logger: logged,
      logStream: { write: (line: string) => void writeSync(devNull, line) },
    });
    app.addHook('onClose', async () => closeSync(devNull));
    await app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const stopProfile = process.env.BENCH_PROFILE ? await startProfile() : undefined;
    const load = hasWrk() ? await wrkLoad(url, tokens, opts, dataDir) : await nodeLoad(url, tokens, opts, dataDir);
    if (stopProfile) await stopProfile(`${process.env.BENCH_PROFILE}-${opts.label}.cpuprofile`);
    await app.close();

    const stored = await rt.ctx.db.tenant(tenantId, (tx) =>
      tx
        .selectFrom('responses')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    );
    figures.push(
      { bench, metric: 'throughput', value: Math.round(load.rps), unit: 'responses/s' },
      { bench, metric: 'p50', value: round(load.p50), unit: 'ms' },
      { bench, metric: 'p99', value: round(load.p99), unit: 'ms' },
      { bench, metric: 'concurrency', value: opts.concurrency, unit: 'clients' },
      { bench, metric: 'request log', value: logged ? 1 : 0, unit: 'production logger on (1) or off (0)' },
      { bench, metric: 'requests', value: load.requests, unit: `requests (${load.tool})` },
      { bench, metric: 'not acknowledged', value: load.requests - load.acknowledged, unit: 'requests' },
      {
        bench,
        metric: 'acknowledged but not stored',
        value: Math.max(0, load.acknowledged - Number(stored.n)),
        unit: 'responses',
      },
    );

    // The same database's bare batched-insert rate, for comparison: 1,000-row unnest inserts.
    const rows = 50_000;
    const t0 = performance.now();
    await sql`CREATE TEMP TABLE IF NOT EXISTS bench_insert (tenant_id uuid, id uuid, survey_id uuid, score smallint, answers bytea, submitted_at timestamptz DEFAULT now())`.execute(
      rt.ctx.db.handle.kysely,
    );
    for (let off = 0; off < rows; off += 1000) {
      const ids = Array.from({ length: 1000 }, () => randomUUID());
      await sql`INSERT INTO bench_insert (tenant_id, id, survey_id, score, answers) SELECT ${tenantId}::uuid, u.id, ${surveyId}::uuid, u.s, u.a FROM unnest(${ids}::uuid[], ${ids.map((_, i) => i % 11)}::smallint[], ${ids.map(() => keys.sealJson({ score: 7, why: 'prima' }))}::bytea[]) AS u(id, s, a)`.execute(
        rt.ctx.db.handle.kysely,
      );
    }
    figures.push({
      bench: `batched-insert-${opts.label}`,
      metric: 'throughput',
      value: Math.round(rows / ((performance.now() - t0) / 1000)),
      unit: 'rows/s',
    });
    return figures;
  } finally {
    await rt.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const round = (x: number) => Math.round(x * 10) / 10;
