/**
 * Response submission over HTTP with concurrent clients on loopback, beside the bare batched-insert
 * rate of the same database in the same run. Every acknowledged (303) submission must be stored:
 * the benchmark counts the rows afterwards and reports any difference.
 */
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

export async function benchResponses(opts: { label: string; handle: DatabaseHandle; count: number; concurrency: number }): Promise<Figure[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'peil-bench-'));
  const env = parseEnv({ PEIL_ENV: 'test', PEIL_DATA_DIR: dataDir, LOG_LEVEL: 'silent', RESPONSE_BATCH_WINDOW_MS: '2' });
  const rt = await openRuntime(env, { handle: opts.handle, master: new MasterKey(randomBytes(32)) });
  const figures: Figure[] = [];
  const bench = `responses-${opts.label}`;
  try {
    const { tenantId } = await createTenant(rt.ctx, { name: 'Bench BV', slug: `bench-${randomBytes(3).toString('hex')}`, owner: { email: 'bench@example.nl', name: 'B', password: 'Meetlat-Wachtwoord-1' } }, systemActor);
    const keys = await rt.ctx.keyring.forTenant(tenantId);
    const surveyId = randomUUID();
    const distributionId = randomUUID();
    const invitationIds: string[] = [];
    await rt.ctx.db.tenant(tenantId, async (tx) => {
      await tx.insertInto('surveys').values({ tenant_id: tenantId, id: surveyId, name: 'Bench', kind: 'nps', default_language: 'nl', definition: JSON.stringify(npsDefinition('Bench BV')), created_by: null }).execute();
      await tx.insertInto('distributions').values({ tenant_id: tenantId, id: distributionId, survey_id: surveyId, created_by: null, total: opts.count }).execute();
      for (let off = 0; off < opts.count; off += 5000) {
        const n = Math.min(5000, opts.count - off);
        const contactIds = Array.from({ length: n }, () => randomUUID());
        const invIds = Array.from({ length: n }, () => randomUUID());
        invitationIds.push(...invIds);
        await sql`INSERT INTO contacts (tenant_id, id, email_hmac, email_enc) SELECT ${tenantId}::uuid, * FROM unnest(${contactIds}::uuid[], ${contactIds.map((_, i) => keys.emailIndex(`r${off + i}@example.nl`))}::bytea[], ${contactIds.map((_, i) => keys.seal(`r${off + i}@example.nl`))}::bytea[])`.execute(tx);
        await sql`INSERT INTO invitations (tenant_id, id, survey_id, distribution_id, contact_id, language, status) SELECT ${tenantId}::uuid, u.id, ${surveyId}::uuid, ${distributionId}::uuid, u.contact_id, 'nl', 'sent' FROM unnest(${invIds}::uuid[], ${contactIds}::uuid[]) AS u(id, contact_id)`.execute(tx);
      }
    });
    const tokens = invitationIds.map((id) => signedRowToken(tenantId, id, (b) => keys.tokenMac(b)));

    const app = await buildApp(rt.ctx, { startWorkers: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as { port: number }).port;
    const jobFile = join(dataDir, 'job.json');
    // A short warm-up on a slice of the tokens (JIT, connection pool), then the measured run on the rest.
    const warm = Math.min(1000, Math.floor(opts.count / 10));
    writeFileSync(jobFile, JSON.stringify({ url: `http://127.0.0.1:${port}`, tokens: tokens.slice(0, warm), concurrency: opts.concurrency }));
    const warmRun = JSON.parse((await run(process.execPath, [join(import.meta.dirname, 'load-client.mjs'), jobFile])).stdout) as { statuses: Record<string, number> };
    writeFileSync(jobFile, JSON.stringify({ url: `http://127.0.0.1:${port}`, tokens: tokens.slice(warm), concurrency: opts.concurrency }));
    const { stdout } = await run(process.execPath, [join(import.meta.dirname, 'load-client.mjs'), jobFile], { maxBuffer: 10 * 1024 * 1024 });
    const r = JSON.parse(stdout) as { requests: number; elapsedMs: number; statuses: Record<string, number>; p50: number; p95: number; p99: number };
    await app.close();

    const acknowledged = (r.statuses['303'] ?? 0) + (warmRun.statuses['303'] ?? 0);
    const stored = await rt.ctx.db.tenant(tenantId, (tx) => tx.selectFrom('responses').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow());
    figures.push(
      { bench, metric: 'throughput', value: Math.round((r.requests / r.elapsedMs) * 1000), unit: 'responses/s' },
      { bench, metric: 'p50', value: round(r.p50), unit: 'ms' },
      { bench, metric: 'p95', value: round(r.p95), unit: 'ms' },
      { bench, metric: 'p99', value: round(r.p99), unit: 'ms' },
      { bench, metric: 'concurrency', value: opts.concurrency, unit: 'clients' },
      { bench, metric: 'non-303 answers', value: r.requests - (r.statuses['303'] ?? 0), unit: 'requests' },
      { bench, metric: 'acknowledged but not stored', value: acknowledged - Number(stored.n), unit: 'responses' },
    );

    // The same database's bare batched-insert rate, for comparison: 1,000-row unnest inserts.
    const rows = 50_000;
    const t0 = performance.now();
    await sql`CREATE TEMP TABLE IF NOT EXISTS bench_insert (tenant_id uuid, id uuid, survey_id uuid, score smallint, answers bytea, submitted_at timestamptz DEFAULT now())`.execute(rt.ctx.db.handle.kysely);
    for (let off = 0; off < rows; off += 1000) {
      const ids = Array.from({ length: 1000 }, () => randomUUID());
      await sql`INSERT INTO bench_insert (tenant_id, id, survey_id, score, answers) SELECT ${tenantId}::uuid, u.id, ${surveyId}::uuid, u.s, u.a FROM unnest(${ids}::uuid[], ${ids.map((_, i) => i % 11)}::smallint[], ${ids.map(() => keys.sealJson({ score: 7, why: 'prima' }))}::bytea[]) AS u(id, s, a)`.execute(rt.ctx.db.handle.kysely);
    }
    figures.push({ bench: `batched-insert-${opts.label}`, metric: 'throughput', value: Math.round(rows / ((performance.now() - t0) / 1000)), unit: 'rows/s' });
    return figures;
  } finally {
    await rt.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const round = (x: number) => Math.round(x * 10) / 10;
