/**
 * OBLIGATIONS BEN-1: the time to compute the sector benchmark. BENCH_BENCHMARK_CUSTOMERS customers
 * (default 1,000) in 20 sectors, each with an NPS survey and a second one (CSAT, CES or eNPS), and
 * BENCH_BENCHMARK_RESPONSES responses (default 10,000,000) spread over the last two years, all
 * generated in the database (SQL generate_series; no HTTP, no encryption work: the job reads only
 * the clear score). Then:
 * - full: every customer counted from the beginning (cursor NULL), then every closed quarter's cells;
 * - incremental: 10,000 new answers (spread over all customers), then the sweep again (as it runs 15
 *   minutes later, past the lag);
 * - idle: a sweep with nothing new;
 * - read: one customer's position (GET /api/v1/benchmark's query) once the cells exist.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { positionOf } from '../src/features/benchmark/position.js';
import { sweepBenchmark } from '../src/features/benchmark/service.js';
import { templateDefinition } from '../src/features/surveys/definition.js';
import { MasterKey } from '../src/lib/crypto/keyring.js';
import type { DatabaseHandle } from '../src/lib/db/connect.js';
import { parseEnv } from '../src/lib/env.js';
import { openRuntime } from '../src/server.js';
import type { Figure } from './responses.js';

export async function benchBenchmark(opts: {
  label: string;
  handle: DatabaseHandle;
  customers: number;
  responses: number;
  note: (s: string) => void;
}): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'peil-bench-benchmark-'));
  const env = parseEnv({ PEIL_ENV: 'test', PEIL_DATA_DIR: dir, LOG_LEVEL: 'silent', BENCHMARK_SWEEP_SECONDS: '0' });
  const rt = await openRuntime(env, { handle: opts.handle, master: new MasterKey(randomBytes(32)) });
  const db = opts.handle.kysely;
  const { customers: n, responses } = opts;
  const perSurvey = Math.ceil(responses / (2 * n));
  try {
    const g0 = performance.now();
    await sql`INSERT INTO benchmark_sectors (code, name_nl, name_en) SELECT 'sector-' || s, 'Sector ' || s, 'Sector ' || s FROM generate_series(0, 19) AS s`.execute(
      db,
    );
    await sql`INSERT INTO tenants (id, slug, name, sector) SELECT md5('t' || t)::uuid, 'bench-' || t, 'Bench ' || t, 'sector-' || (t % 20) FROM generate_series(0, ${n - 1}::int) AS t`.execute(
      db,
    );
    // In the sector from the beginning: the full computation counts everything.
    await sql`INSERT INTO benchmark_cursors (tenant_id, processed_to) SELECT md5('t' || t)::uuid, NULL FROM generate_series(0, ${n - 1}::int) AS t`.execute(
      db,
    );
    // Survey 2t: NPS; survey 2t+1: CSAT, CES or eNPS by t % 3.
    const defs = {
      nps: templateDefinition('nps', 'Bench'),
      csat: templateDefinition('csat', 'Bench'),
      ces: templateDefinition('ces', 'Bench'),
      enps: templateDefinition('enps', 'Bench'),
    };
    await sql`INSERT INTO surveys (tenant_id, id, name, kind, default_language, definition)
      SELECT md5('t' || (k / 2))::uuid, md5('s' || k)::uuid, 'Bench ' || k,
             CASE WHEN k % 2 = 0 THEN 'nps' WHEN (k / 2) % 3 = 0 THEN 'csat' WHEN (k / 2) % 3 = 1 THEN 'ces' ELSE 'enps' END, 'nl',
             CASE WHEN k % 2 = 0 THEN ${JSON.stringify(defs.nps)}::jsonb WHEN (k / 2) % 3 = 0 THEN ${JSON.stringify(defs.csat)}::jsonb
                  WHEN (k / 2) % 3 = 1 THEN ${JSON.stringify(defs.ces)}::jsonb ELSE ${JSON.stringify(defs.enps)}::jsonb END
        FROM generate_series(0, ${2 * n - 1}::int) AS k`.execute(db);
    // Response i belongs to survey i % (2n); its time is spread over two years before now (minus an hour).
    const surveys = 2 * n;
    const slice = 500_000;
    for (let from = 0; from < responses; from += slice) {
      const to = Math.min(responses, from + slice) - 1;
      await sql`INSERT INTO responses (tenant_id, id, survey_id, language, score, answers_enc, submitted_at)
        SELECT md5('t' || ((i % ${surveys}) / 2))::uuid, md5('r' || i)::uuid, md5('s' || (i % ${surveys}))::uuid, 'nl',
               CASE WHEN (i % ${surveys}) % 2 = 0 OR ((i % ${surveys}) / 2) % 3 = 2 THEN (i * 7 + (i % ${surveys})) % 11
                    WHEN ((i % ${surveys}) / 2) % 3 = 0 THEN 1 + (i * 7 + (i % ${surveys})) % 5
                    ELSE 1 + (i * 7 + (i % ${surveys})) % 7 END,
               '\\x00'::bytea, now() - interval '1 hour' - ((i::bigint * 7919) % (730 * 24 * 60)) * interval '1 minute'
          FROM generate_series(${from}::int, ${to}::int) AS i`.execute(db);
    }
    await sql`ANALYZE responses`.execute(db);
    opts.note(
      `benchmark (${opts.label}): ${n} customers, ${2 * n} surveys (~${perSurvey} answers each), ${responses} responses generated in ${((performance.now() - g0) / 1000).toFixed(1)} s`,
    );

    const full = await sweepBenchmark(rt.ctx);
    if (full.failed || full.answers !== responses)
      throw new Error(`full sweep counted ${full.answers} of ${responses} (${full.failed} failed)`);
    const cells = Number(
      (await sql<{ n: string }>`SELECT count(*) AS n FROM benchmark_cell_stats`.execute(db)).rows[0]!.n,
    );
    const published = Number(
      (await sql<{ n: string }>`SELECT count(*) AS n FROM benchmark_cells WHERE published`.execute(db)).rows[0]!.n,
    );
    const contributions = Number(
      (await sql<{ n: string }>`SELECT count(*) AS n FROM benchmark_contributions`.execute(db)).rows[0]!.n,
    );
    opts.note(
      `benchmark (${opts.label}): full: ${full.countSeconds.toFixed(1)} s counting, ${full.cellSeconds.toFixed(2)} s cells; ${contributions} contributions, ${cells} cells (${published} published)`,
    );

    // 10,000 new answers, spread over every survey; the sweep runs as it would a quarter of an hour
    // later (the answers are then past the 10-minute lag).
    await sql`INSERT INTO responses (tenant_id, id, survey_id, language, score, answers_enc, submitted_at)
      SELECT md5('t' || ((i % ${surveys}) / 2))::uuid, gen_random_uuid(), md5('s' || (i % ${surveys}))::uuid, 'nl',
             CASE WHEN (i % ${surveys}) % 2 = 0 OR ((i % ${surveys}) / 2) % 3 = 2 THEN i % 11 ELSE 1 + i % 5 END, '\\x00'::bytea, now()
        FROM generate_series(0, 9999) AS i`.execute(db);
    const later = new Date(Date.now() + 15 * 60_000);
    const incremental = await sweepBenchmark(rt.ctx, { now: later });
    if (incremental.answers !== 10_000) throw new Error(`incremental sweep counted ${incremental.answers} of 10000`);
    const idle = await sweepBenchmark(rt.ctx, { now: later });

    const tenant = (await sql<{ id: string }>`SELECT md5('t0')::uuid AS id`.execute(db)).rows[0]!.id;
    const r0 = performance.now();
    const reads = 20;
    let positions = 0;
    for (let i = 0; i < reads; i++)
      positions = (await rt.ctx.db.tenant(tenant, (tx) => positionOf(tx, tenant))).positions.length;
    const readMs = (performance.now() - r0) / reads;

    const f = (metric: string, value: number, unit = 's'): Figure => ({
      bench: 'benchmark',
      metric: `${opts.label} ${metric}`,
      value: Number(value.toFixed(unit === 's' ? 2 : 1)),
      unit,
    });
    return [
      f(`full recompute, ${n} customers, ${responses} responses: counting`, full.countSeconds),
      f('full recompute: cells of every closed quarter', full.cellSeconds),
      f('full recompute: total', full.countSeconds + full.cellSeconds),
      f(`incremental (10,000 new answers, ${n} customers): total`, incremental.countSeconds + incremental.cellSeconds),
      f('idle sweep (nothing new)', idle.countSeconds + idle.cellSeconds),
      f(`one customer's position (${positions} cells)`, readMs, 'ms'),
      {
        bench: 'benchmark',
        metric: `${opts.label} cells computed (published)`,
        value: cells,
        unit: `cells (${published} published)`,
      },
    ];
  } finally {
    await rt.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
