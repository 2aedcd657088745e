import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { newCustomer, operatorCookie, setUp, startTestApp, type TestApp } from '../../../test/harness.js';
import { npsWithMargin } from '../results/stats.js';
import { deleteTenant, endTenant } from '../ending/service.js';
import { systemActor } from '../../lib/audit.js';
import { sweepBenchmark } from './service.js';

/**
 * OBLIGATIONS BEN-1, END-5: the sector benchmark, attacked the way a customer with an account (or an
 * API key) would: subtracting itself, comparing recomputes, watching customers join and leave,
 * reading quartiles of a handful of customers, and reaching the tables behind it.
 *
 * Fixture: sector "retail" with 6 customers (A = the set-up customer, B..F), who have been in the sector
 * since 2025 (their cursors are set to 2025-12-31, as if assigned then; the assignment API starts a
 * customer at the moment it is assigned). Answers are written into `responses` with their quarter:
 * - 2026-Q1 NPS: 6 customers x 25 answers: published;
 * - 2026-Q1 CSAT: 4 customers x 40 answers: suppressed (too few customers);
 * - 2026-Q2 NPS: 6 customers, F has 200 of 250 answers (80%): suppressed (dominance);
 * - 2026-Q2 eNPS: 6 customers x 10 answers (60 < 100): suppressed (too few respondents).
 * C's NPS survey is anonymous.
 */
const Q1 = new Date('2026-02-15T12:00:00Z');
const Q2 = new Date('2026-05-15T12:00:00Z');

/** Customer i's 25 NPS answers in Q1: different mixes, so the customers' scores differ. */
const q1Scores = (i: number) => Array.from({ length: 25 }, (_, j) => (j < 5 + 3 * i ? 10 : j < 15 ? 7 : 3));
const npsOf = (scores: number[]) =>
  npsWithMargin(
    scores.filter((s) => s >= 9).length,
    scores.filter((s) => s === 7 || s === 8).length,
    scores.filter((s) => s <= 6).length,
  );

describe(`benchmark (BEN-1, END-5) (${process.env.PEIL_TEST_DATABASE_URL ? 'postgresql' : 'pglite'})`, () => {
  let t: TestApp;
  let op: string;
  const customers: Array<{ id: string; cookie: string; slug: string; nps: string; csat: string; enps: string }> = [];
  const db = () => t.ctx.db.handle.kysely;

  const api = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, cookie: string, payload?: unknown) => {
    const r = await t.app.inject({
      method,
      url,
      headers: { cookie },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
    return r;
  };
  const ok = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, cookie: string, payload?: unknown) => {
    const r = await api(method, url, cookie, payload);
    assert.ok(r.statusCode < 300, `${method} ${url}: ${r.statusCode} ${r.body}`);
    return r.json();
  };
  const answers = async (tenantId: string, surveyId: string, scores: number[], at: Date) => {
    await sql`INSERT INTO responses (tenant_id, id, survey_id, language, score, answers_enc, submitted_at)
      SELECT ${tenantId}::uuid, gen_random_uuid(), ${surveyId}::uuid, 'nl', s, '\\x00'::bytea, ${at}::timestamptz + (o * interval '1 minute')
        FROM unnest(${scores}::int[]) WITH ORDINALITY AS u(s, o)`.execute(db());
  };
  const survey = async (cookie: string, kind: string, anonymity = 'identified') =>
    (await ok('POST', '/api/v1/surveys', cookie, { name: `${kind} ${anonymity}`, kind, anonymity })).id as string;
  const recompute = () => ok('POST', '/api/v1/operator/benchmark/recompute', op);
  const position = (i: number) => ok('GET', '/api/v1/benchmark', customers[i]!.cookie);
  type Pos = {
    kind: string;
    period: string;
    own: { value: number | null; margin: number | null; n: number } | null;
    ownHidden: string | null;
    benchmark: Record<string, unknown>;
  };
  const cell = (p: { positions: Pos[] }, kind: string, period: string) =>
    p.positions.find((x) => x.kind === kind && x.period === period);

  before(async () => {
    t = await startTestApp({ BENCHMARK_SWEEP_SECONDS: '0' });
    const a = await setUp(t);
    op = await operatorCookie(t);
    await ok('POST', '/api/v1/operator/benchmark/sectors', op, {
      code: 'retail',
      name: { nl: 'Detailhandel', en: 'Retail' },
    });
    const all = [{ id: a.tenantId, cookie: a.ownerCookie, slug: 'zorggroep' }];
    for (let i = 1; i < 6; i++) all.push(await newCustomer(t, op, `Winkel ${i} B.V.`));
    for (const [i, c] of all.entries()) {
      await ok('PUT', `/api/v1/operator/tenants/${c.id}/sector`, op, { sector: 'retail' });
      customers.push({
        ...c,
        nps: await survey(c.cookie, 'nps', i === 2 ? 'anonymous' : 'identified'),
        csat: await survey(c.cookie, 'csat'),
        enps: await survey(c.cookie, 'enps'),
      });
    }
    // In the sector since 2025 (see the comment at the top).
    await sql`UPDATE benchmark_cursors SET processed_to = '2025-12-31T00:00:00Z'`.execute(db());
    for (const [i, c] of customers.entries()) {
      await answers(c.id, c.nps, q1Scores(i), Q1);
      if (i < 4)
        await answers(
          c.id,
          c.csat,
          Array.from({ length: 40 }, (_, j) => 1 + (j % 5)),
          Q1,
        );
      await answers(
        c.id,
        c.nps,
        Array.from({ length: i === 5 ? 200 : 10 }, (_, j) => (j % 2 ? 9 : 5)),
        Q2,
      );
      await answers(
        c.id,
        c.enps,
        Array.from({ length: 10 }, (_, j) => j),
        Q2,
      );
    }
    const r = await recompute();
    assert.equal(r.failed, 0);
    assert.equal(r.customers, 6);
  });
  after(() => t?.close());

  test('BEN-1 a sector of 6 customers: one cell published, one suppressed for too few customers, one for dominance, one for too few respondents; no customer id in any cell', async () => {
    const o = await ok('GET', '/api/v1/operator/benchmark', op);
    const find = (kind: string, period: string) =>
      o.cells.find((c: { kind: string; period: string }) => c.kind === kind && c.period === period);
    assert.deepEqual(
      [
        find('nps', '2026-Q1').published,
        find('nps', '2026-Q1').reason,
        find('nps', '2026-Q1').customers,
        find('nps', '2026-Q1').respondents,
      ],
      [true, null, 6, 150],
    );
    assert.deepEqual(
      [find('csat', '2026-Q1').published, find('csat', '2026-Q1').reason, find('csat', '2026-Q1').customers],
      [false, 'customers', 4],
    );
    assert.deepEqual(
      [find('nps', '2026-Q2').published, find('nps', '2026-Q2').reason, find('nps', '2026-Q2').customers],
      [false, 'dominance', 6],
    );
    assert.deepEqual([find('enps', '2026-Q2').published, find('enps', '2026-Q2').reason], [false, 'respondents']);
    assert.equal(find('csat', '2026-Q1').value, null, 'a suppressed cell shows no number, not even to the operator');
    assert.equal(o.sectors.find((s: { code: string }) => s.code === 'retail').customers, 6);
    // The cells of the console and of the API name no customer and no contribution.
    const cellsJson = JSON.stringify(o.cells) + JSON.stringify(await position(0));
    for (const c of customers) {
      assert.ok(!cellsJson.includes(c.id) && !cellsJson.includes(c.slug), 'a cell names a customer');
    }
    const { rows: contributions } = await sql<{ id: string }>`SELECT id FROM benchmark_contributions`.execute(db());
    for (const c of contributions) assert.ok(!cellsJson.includes(c.id), 'a cell names a contribution');
    // And the tables behind the cells have no column that could hold one.
    const { rows: cols } = await sql<{ table_name: string; column_name: string }>`
      SELECT table_name::text, column_name::text FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name IN ('benchmark_cells', 'benchmark_cell_stats', 'benchmark_contributions')`.execute(
      db(),
    );
    assert.deepEqual(
      cols.filter((c) => /tenant|customer_id|contributor|slug|created|updated/.test(c.column_name)),
      [],
    );
  });

  test("BEN-1 a customer's position: own score, sector score with its 95% margin, percentile; quartiles only from quartileMinCustomers customers", async () => {
    const p = await position(0);
    assert.equal(p.sector.code, 'retail');
    assert.deepEqual(p.sector.name, { nl: 'Detailhandel', en: 'Retail' });
    const q1 = cell(p, 'nps', '2026-Q1')!;
    const pooled = npsOf(customers.flatMap((_, i) => q1Scores(i)));
    const own = npsOf(q1Scores(0));
    assert.deepEqual(q1.own, { value: Math.round(own.nps!), margin: Math.round(own.margin! * 10) / 10, n: 25 });
    assert.equal(q1.benchmark.published, true);
    assert.equal(q1.benchmark.value, Math.round(pooled.nps!));
    assert.equal(q1.benchmark.margin, Math.round(pooled.margin! * 10) / 10);
    assert.equal(q1.benchmark.customers, 6);
    assert.equal(q1.benchmark.respondents, 150);
    // A has the fewest promoters: the lowest NPS of six, so its percentile rank is (0 + ½) / 6.
    assert.equal(q1.benchmark.percentile, Math.round((0.5 / 6) * 100));
    assert.equal(
      (await position(5)).positions.find(
        (x: { kind: string; period: string }) => x.kind === 'nps' && x.period === '2026-Q1',
      ).benchmark.percentile,
      Math.round((5.5 / 6) * 100),
    );
    // Six customers: quartiles would be (interpolations of) customers' own scores; not published below 10.
    assert.equal(q1.benchmark.quartiles, null);
    const defaults = p.rules;
    assert.deepEqual(defaults, {
      minCustomers: 5,
      minRespondents: 100,
      dominanceOnePercent: 50,
      dominanceTwoPercent: 75,
      quartileMinCustomers: 10,
    });
    await ok('PUT', '/api/v1/operator/benchmark/settings', op, { ...defaults, quartileMinCustomers: 6 });
    const scores = customers.map((_, i) => npsOf(q1Scores(i)).nps!).sort((a, b) => a - b);
    const q = (x: number) => {
      const h = (scores.length - 1) * x;
      const lo = Math.floor(h);
      return Math.round(scores[lo]! + (h - lo) * (scores[lo + 1]! - scores[lo]!));
    };
    assert.deepEqual(cell(await position(0), 'nps', '2026-Q1')!.benchmark.quartiles, {
      q1: q(0.25),
      median: q(0.5),
      q3: q(0.75),
    });
    await ok('PUT', '/api/v1/operator/benchmark/settings', op, defaults);
    assert.equal(cell(await position(0), 'nps', '2026-Q1')!.benchmark.quartiles, null);
  });

  test('BEN-1 suppressed cells say only that they are not published, in general terms: no count, no score, no rule to subtract from', async () => {
    const p = await position(0);
    const csat = cell(p, 'csat', '2026-Q1')!;
    const dominated = cell(p, 'nps', '2026-Q2')!;
    const few = cell(p, 'enps', '2026-Q2')!;
    assert.deepEqual(Object.keys(csat.benchmark).sort(), ['published', 'reason']);
    assert.equal(csat.benchmark.published, false);
    // The same words for every rule: the dominant customer F cannot tell that it is the reason.
    assert.deepEqual(csat.benchmark, dominated.benchmark);
    assert.deepEqual(csat.benchmark, few.benchmark);
    // Its own numbers are its own business.
    assert.equal(csat.own!.n, 40);
    // The application role reads the published cells (no numbers in suppressed ones) and never the contributions or unpublished numbers.
    const asApp = await t.ctx.db.tenant(customers[0]!.id, async (tx) => {
      const cells = (await sql<Record<string, unknown>>`SELECT * FROM benchmark_cells WHERE NOT published`.execute(tx))
        .rows;
      const denied: string[] = [];
      for (const table of ['benchmark_contributions', 'benchmark_cell_stats']) {
        try {
          await sql`SAVEPOINT s`.execute(tx);
          await sql`SELECT * FROM ${sql.table(table)}`.execute(tx);
        } catch {
          denied.push(table);
        } finally {
          await sql`ROLLBACK TO SAVEPOINT s`.execute(tx);
        }
      }
      return { cells, denied };
    });
    assert.equal(asApp.cells.length, 3);
    for (const c of asApp.cells)
      assert.deepEqual([c.customers, c.respondents, c.value, c.margin, c.q1], [null, null, null, null, null]);
    assert.deepEqual(asApp.denied, ['benchmark_contributions', 'benchmark_cell_stats']);
    // The percentile function gives the own contributions in published cells only: B's transaction
    // sees none of A's, and of its own four only the one in the published cell.
    const seen = await t.ctx.db.tenant(customers[1]!.id, async (tx) =>
      (
        await sql<{ contribution_id: string }>`SELECT contribution_id FROM peil_benchmark_percentiles()`.execute(tx)
      ).rows.map((r) => r.contribution_id),
    );
    const ofA = (
      await sql<{
        contribution_id: string;
      }>`SELECT contribution_id FROM benchmark_own WHERE tenant_id = ${customers[0]!.id}::uuid`.execute(db())
    ).rows.map((r) => r.contribution_id);
    assert.equal(seen.filter((id) => ofA.includes(id)).length, 0);
    assert.equal(seen.length, 1);
  });

  test('BEN-1 an anonymous survey: the customer does not see its own quarter score (a second cut through answers released in steps)', async () => {
    const c = cell(await position(2), 'nps', '2026-Q1')!;
    assert.equal(c.own, null);
    assert.equal(c.ownHidden, 'shielded');
    assert.equal(c.benchmark.published, true);
  });

  test('BEN-1 differencing over time: answers in the running quarter, an answer back-dated into a published quarter, a customer joining with old answers, a recompute: published cells do not change and the running quarter is never shown', async () => {
    const before = { a: await position(0), cells: (await ok('GET', '/api/v1/operator/benchmark', op)).cells };
    await answers(customers[1]!.id, customers[1]!.nps, [10, 10, 10], new Date(Date.now() - 5 * 60_000));
    await answers(customers[1]!.id, customers[1]!.nps, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], Q1);
    const g = await newCustomer(t, op, 'Nieuwkomer B.V.');
    const gSurvey = await survey(g.cookie, 'nps');
    await answers(
      g.id,
      gSurvey,
      Array.from({ length: 400 }, () => 0),
      Q1,
    );
    const joined = await ok('PUT', `/api/v1/operator/tenants/${g.id}/sector`, op, { sector: 'retail' });
    assert.ok(joined.countsFrom, 'a customer joining counts from the moment it joins');
    const r = await recompute();
    assert.equal(r.customers, 7);
    const afterwards = { a: await position(0), cells: (await ok('GET', '/api/v1/operator/benchmark', op)).cells };
    assert.deepEqual(afterwards, before);
    assert.ok(
      !afterwards.a.positions.some((x: { period: string }) => x.period === '2026-Q4'),
      'the running quarter is not shown',
    );
    const gPos = await ok('GET', '/api/v1/benchmark', g.cookie);
    const gq1 = cell(gPos, 'nps', '2026-Q1')!;
    assert.equal(gq1.own, null, "the newcomer's old answers are not in Q1");
    assert.equal(gq1.benchmark.percentile, null);
    assert.equal(gq1.benchmark.customers, 6);
    // The recent answers are counted (in the running quarter) by a sweep once they are older than the
    // lag (the job as it runs a quarter of an hour later), just never shown.
    await sweepBenchmark(t.ctx, { now: new Date(Date.now() + 15 * 60_000) });
    assert.deepEqual(await position(0), afterwards.a);
    const { rows } = await sql<{
      n: number;
    }>`SELECT coalesce(sum(x), 0)::int AS n FROM benchmark_own, unnest(counts) x WHERE tenant_id = ${customers[1]!.id}::uuid AND period = to_char(now() AT TIME ZONE 'Europe/Amsterdam', 'YYYY-"Q"Q')`.execute(
      db(),
    );
    assert.equal(rows[0]!.n, 3);
  });

  test('BEN-1 the operator rules: validated, audited in the system log, and publishing follows them at once', async () => {
    const bad = await api('PUT', '/api/v1/operator/benchmark/settings', op, {
      minCustomers: 8,
      minRespondents: 100,
      dominanceOnePercent: 50,
      dominanceTwoPercent: 75,
      quartileMinCustomers: 6,
    });
    assert.equal(bad.statusCode, 422);
    assert.equal(bad.json().errors[0].pointer, '/body/quartileMinCustomers');
    assert.equal(
      (
        await api('PUT', '/api/v1/operator/benchmark/settings', op, {
          minCustomers: 2,
          minRespondents: 100,
          dominanceOnePercent: 50,
          dominanceTwoPercent: 75,
          quartileMinCustomers: 10,
        })
      ).statusCode,
      422,
      'K below 3 is refused',
    );
    const customer = await api('PUT', '/api/v1/operator/benchmark/settings', customers[0]!.cookie, {
      minCustomers: 3,
      minRespondents: 10,
      dominanceOnePercent: 100,
      dominanceTwoPercent: 100,
      quartileMinCustomers: 5,
    });
    assert.ok([401, 403].includes(customer.statusCode), 'a customer cannot lower the thresholds');
    const raised = await ok('PUT', '/api/v1/operator/benchmark/settings', op, {
      minCustomers: 7,
      minRespondents: 100,
      dominanceOnePercent: 50,
      dominanceTwoPercent: 75,
      quartileMinCustomers: 10,
    });
    assert.equal(raised.published, 0);
    assert.equal(cell(await position(0), 'nps', '2026-Q1')!.benchmark.published, false);
    await ok('PUT', '/api/v1/operator/benchmark/settings', op, {
      minCustomers: 5,
      minRespondents: 100,
      dominanceOnePercent: 50,
      dominanceTwoPercent: 75,
      quartileMinCustomers: 10,
    });
    assert.equal(cell(await position(0), 'nps', '2026-Q1')!.benchmark.published, true);
    const { rows } = await sql<{
      action: string;
    }>`SELECT action FROM system_audit_events WHERE action LIKE 'benchmark.%'`.execute(db());
    assert.ok(rows.filter((r) => r.action === 'benchmark.rules_changed').length >= 3);
    assert.ok(
      rows.some((r) => r.action === 'benchmark.sector_assigned') &&
        rows.some((r) => r.action === 'benchmark.sector_created') &&
        rows.some((r) => r.action === 'benchmark.recomputed'),
    );
    const unknown = await api('PUT', `/api/v1/operator/tenants/${customers[0]!.id}/sector`, op, {
      sector: 'bestaat-niet',
    });
    assert.equal(unknown.statusCode, 422);
    assert.equal(unknown.json().errors[0].pointer, '/body/sector');
    // The assignment is in the customer's own chain too.
    const chain = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM audit_events WHERE tenant_id = ${customers[0]!.id}::uuid AND action = 'benchmark.sector_assigned'`.execute(
      db(),
    );
    assert.equal(chain.rows[0]!.n, 1);
  });

  test('END-5 a customer that ends and is deleted: its contributions stay in the cells, nothing links them to it', async () => {
    const e = customers[4]!;
    const before = {
      a: await position(0),
      contributions: (await sql<{ n: number }>`SELECT count(*)::int AS n FROM benchmark_contributions`.execute(db()))
        .rows[0]!.n,
    };
    const own = (
      await sql<{
        contribution_id: string;
      }>`SELECT contribution_id FROM benchmark_own WHERE tenant_id = ${e.id}::uuid`.execute(db())
    ).rows.map((r) => r.contribution_id);
    assert.equal(own.length, 3);
    await endTenant(t.ctx, e.id, 'operator', 'test', systemActor);
    await deleteTenant(t.ctx, e.id, systemActor, 'operator');
    assert.equal(
      (
        await sql<{ n: number }>`SELECT count(*)::int AS n FROM benchmark_own WHERE tenant_id = ${e.id}::uuid`.execute(
          db(),
        )
      ).rows[0]!.n,
      0,
    );
    assert.equal(
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM benchmark_contributions`.execute(db())).rows[0]!.n,
      before.contributions,
    );
    await recompute();
    assert.deepEqual(await position(0), before.a, "the cells and the others' positions are what they were");
    // No benchmark table holds anything that names E.
    for (const table of [
      'benchmark_contributions',
      'benchmark_cell_stats',
      'benchmark_cells',
      'benchmark_own',
      'benchmark_cursors',
      'benchmark_sectors',
    ]) {
      const { rows } = await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM ${sql.table(table)} x WHERE x::text LIKE ${`%${e.id}%`} OR x::text LIKE ${`%${e.slug}%`}`.execute(
        db(),
      );
      assert.equal(rows[0]!.n, 0, `${table} names the customer`);
    }
    // The system log says it was deleted; the deletion statement lists no benchmark table as kept.
    const statement = (
      await sql<{ statement: unknown }>`SELECT * FROM deletion_statements WHERE tenant_id = ${e.id}::uuid`.execute(db())
    ).rows[0] as Record<string, unknown> | undefined;
    assert.ok(statement);
    assert.ok(!JSON.stringify(statement).includes('benchmark_contributions'));
  });
});
