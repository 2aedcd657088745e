/**
 * `npm run bench`: Peil's benchmarks, printed as a table (or `--json`: one JSON object per line).
 * Parts: responses (HTTP submission on PGlite and PostgreSQL, beside the bare batched-insert rate)
 * and labeller (quality and speed on the SemEval data in ../shared/data, when present), contact-import
 * (BENCH_IMPORT_ROWS CSV rows, default 1M, through upload → analysis → commit), invitations (send job into
 * a local SMTP sink; PGlite and PostgreSQL, BENCH_DB=pglite|postgresql for one), tenant-delete (END-3: one
 * customer with BENCH_DELETE_RESPONSES responses, default 1M, generated in the database, then deleted:
 * key erasure and row removal timed), exports (BENCH_EXPORT_RESPONSES sealed responses, default 100k,
 * downloaded in each format with the peak RSS), outage (SEC-2, PostgreSQL: answers while the database
 * connections are terminated, cut and refused; BENCH_OUTAGE_SECONDS, default 30), xlsx-bomb (SEC-3: a
 * workbook bomb like issue 16's, BENCH_BOMB_MB inflated, and an honest BENCH_XLSX_ROWS-row workbook,
 * uploaded while /healthz is probed), benchmark (BEN-1: BENCH_BENCHMARK_CUSTOMERS customers, default
 * 1,000, with BENCH_BENCHMARK_RESPONSES responses, default 10M, generated in the database; the benchmark
 * job's full and incremental recompute; PostgreSQL, PGlite only with BENCH_DB=pglite), dashboard (issue 17:
 * the results views on BENCH_DASHBOARD_RESPONSES responses of one survey, default 1M, p50/p95 beside a
 * bare count).
 * Choose parts with `--only responses,labeller`. PostgreSQL: BENCH_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/test (a scratch database is created there and dropped).
 */
import { cpus, totalmem } from 'node:os';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase } from '../src/lib/db/connect.js';
import { benchResponses, type Figure } from './responses.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const onlyArg = args.find((a) => a.startsWith('--only'));
// `npm run bench -- tenant-delete` names parts too (bare words), as `--only tenant-delete` does.
const bare = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--only');
const only = onlyArg
  ? (onlyArg.includes('=') ? onlyArg.split('=')[1]! : args[args.indexOf(onlyArg) + 1]!).split(',')
  : bare.length
    ? bare.flatMap((a) => a.split(','))
    : undefined;
const want = (part: string) => !only || only.includes(part);
const count = Number(process.env.BENCH_RESPONSES ?? 200_000);
const durationSeconds = Number(process.env.BENCH_SECONDS ?? 10);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 256);
const pgUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const figures: Figure[] = [];
const note = (msg: string) => (json ? console.error(msg) : console.log(msg));
const emit = (fs: Figure[]) => {
  figures.push(...fs);
  if (json) for (const f of fs) console.log(JSON.stringify(f));
};

/**
 * Runs one part on a scratch PostgreSQL database (created on BENCH_DATABASE_URL's server, dropped
 * afterwards), unless BENCH_DB=pglite; a server that cannot be reached skips the part with a note.
 */
async function onScratchPostgres(
  part: string,
  poolSize: number,
  fn: (handle: Awaited<ReturnType<typeof openDatabase>>) => Promise<Figure[]>,
): Promise<void> {
  if (process.env.BENCH_DB === 'pglite') return;
  const name = `peil_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(pgUrl);
    url.pathname = `/${name}`;
    try {
      emit(await fn(await openDatabase({ url: url.toString(), poolSize })));
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  } catch (err) {
    note(`${part} on PostgreSQL skipped: ${(err as Error).message} (set BENCH_DATABASE_URL)`);
  } finally {
    await admin.end().catch(() => {});
  }
}

note(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`,
);

if (want('responses')) {
  note(
    `responses: ${concurrency} concurrent clients on loopback for ${durationSeconds} s (${count} invitations prepared)…`,
  );
  if (process.env.BENCH_DB !== 'postgresql') {
    const lite = await openDatabase({});
    emit(await benchResponses({ label: 'pglite', handle: lite, count, concurrency, durationSeconds }));
  }

  await onScratchPostgres('responses', 20, (handle) =>
    benchResponses({ label: 'postgresql', handle, count, concurrency, durationSeconds }),
  );
}

if (want('outage')) {
  // OBLIGATIONS SEC-2: PostgreSQL only (PGlite runs inside the process: there is no connection to lose).
  const seconds = Number(process.env.BENCH_OUTAGE_SECONDS ?? 30);
  note(
    `outage: respondents answering for ${seconds} s while the database connections are terminated, cut and refused…`,
  );
  if (process.env.BENCH_DB === 'pglite') note('outage: PostgreSQL only');
  else {
    const { benchOutage } = await import('./outage.js');
    try {
      emit(await benchOutage({ pgUrl, seconds, concurrency: Number(process.env.BENCH_OUTAGE_CONCURRENCY ?? 32) }));
    } catch (err) {
      note(`outage on PostgreSQL skipped: ${(err as Error).message} (set BENCH_DATABASE_URL)`);
    }
  }
}

if (want('labeller')) {
  const shared = join(import.meta.dirname, '..', '..', 'shared');
  const mod = existsSync(join(import.meta.dirname, 'labeller.ts')) ? await import('./labeller.js') : undefined;
  if (!mod) note('labeller: not built yet');
  else emit(await mod.benchLabeller({ sharedDir: shared }));
}

if (want('invitations')) {
  const mod = await import('./invitations.js');
  const n = Number(process.env.BENCH_INVITATIONS ?? 20_000);
  const poolSize = Number(process.env.BENCH_SMTP_POOL ?? 10);
  note(
    `invitations: ${n} contacts, sent through the send job and a pool of ${poolSize} SMTP connections into a local SMTP server…`,
  );
  if (process.env.BENCH_DB !== 'postgresql')
    emit(await mod.benchInvitations({ label: 'pglite', handle: await openDatabase({}), count: n, poolSize }));
  // OBLIGATIONS SEC-2 (issue 16): the send into the built-in outbox, the default on PGlite, with the latency of other work.
  if (process.env.BENCH_DB !== 'postgresql')
    emit(
      await mod.benchInvitations({ label: 'pglite', handle: await openDatabase({}), count: n, poolSize, outbox: true }),
    );
  // On PostgreSQL the database work leaves Peil's process (the server runs beside it on the same cores).
  await onScratchPostgres('invitations', 10, (handle) =>
    mod.benchInvitations({ label: 'postgresql', handle, count: n, poolSize }),
  );
}

if (want('contact-import')) {
  const { benchContactImport } = await import('./contact-import.js');
  const rows = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
  note(`contact-import: ${rows} CSV rows uploaded, analysed and committed (validOnly) over HTTP…`);
  if (process.env.BENCH_DB !== 'postgresql')
    emit(await benchContactImport({ label: 'pglite', handle: await openDatabase({}), rows, note }));
  await onScratchPostgres('contact-import', 10, (handle) =>
    benchContactImport({ label: 'postgresql', handle, rows, note }),
  );
}

if (want('xlsx-bomb')) {
  const { benchXlsxBomb } = await import('./xlsx-bomb.js');
  note('xlsx-bomb: a workbook bomb (SEC-3) and an honest workbook uploaded over HTTP while /healthz is probed…');
  emit(await benchXlsxBomb({ label: 'pglite', handle: await openDatabase({}), note }));
}

if (want('tenant-delete')) {
  const { benchTenantDelete } = await import('./tenant-delete.js');
  const responses = Number(process.env.BENCH_DELETE_RESPONSES ?? 1_000_000);
  note(`tenant-delete: one customer with ${responses} responses generated in the database, then ended and deleted…`);
  if (process.env.BENCH_DB !== 'postgresql')
    emit(await benchTenantDelete({ label: 'pglite', handle: await openDatabase({}), responses, note }));
  await onScratchPostgres('tenant-delete', 10, (handle) =>
    benchTenantDelete({ label: 'postgresql', handle, responses, note }),
  );
}

if (want('exports')) {
  const { benchExports } = await import('./exports.js');
  const responses = Number(process.env.BENCH_EXPORT_RESPONSES ?? 100_000);
  note(`exports: ${responses} responses, downloaded as CSV, XLSX, JSON lines and SPSS over HTTP with the peak RSS…`);
  if (process.env.BENCH_DB !== 'postgresql')
    emit(await benchExports({ label: 'pglite', handle: await openDatabase({}), responses, note }));
  await onScratchPostgres('exports', 10, (handle) => benchExports({ label: 'postgresql', handle, responses, note }));
}

if (want('benchmark')) {
  const { benchBenchmark } = await import('./benchmark.js');
  const customers = Number(process.env.BENCH_BENCHMARK_CUSTOMERS ?? 1_000);
  const responses = Number(process.env.BENCH_BENCHMARK_RESPONSES ?? 10_000_000);
  note(
    `benchmark: ${customers} customers with ${responses} responses generated in the database, then the benchmark job (full, incremental, idle)…`,
  );
  // PGlite only when asked for (BENCH_DB=pglite): 10M rows in its in-memory database is not its use.
  if (process.env.BENCH_DB === 'pglite')
    emit(await benchBenchmark({ label: 'pglite', handle: await openDatabase({}), customers, responses, note }));
  await onScratchPostgres('benchmark', 10, (handle) =>
    benchBenchmark({ label: 'postgresql', handle, customers, responses, note }),
  );
}

if (want('dashboard')) {
  const { benchDashboard } = await import('./dashboard.js');
  const responses = Number(process.env.BENCH_DASHBOARD_RESPONSES ?? 1_000_000);
  const reads = Number(process.env.BENCH_DASHBOARD_READS ?? 20);
  note(
    `dashboard: ${responses} responses of one survey generated in the database, then its results read ${reads} times per view…`,
  );
  if (process.env.BENCH_DB !== 'postgresql')
    emit(await benchDashboard({ label: 'pglite', handle: await openDatabase({}), responses, reads, note }));
  await onScratchPostgres('dashboard', 10, (handle) =>
    benchDashboard({ label: 'postgresql', handle, responses, reads, note }),
  );
}

if (!json) {
  const w = Math.max(...figures.map((f) => f.bench.length), 5);
  const m = Math.max(...figures.map((f) => f.metric.length), 6);
  console.log(`\n${'bench'.padEnd(w)}  ${'metric'.padEnd(m)}  ${'value'.padStart(10)}  unit`);
  for (const f of figures)
    console.log(`${f.bench.padEnd(w)}  ${f.metric.padEnd(m)}  ${String(f.value).padStart(10)}  ${f.unit}`);
}
process.exit(0);
