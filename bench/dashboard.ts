/**
 * Issue 17: the results a customer reads, on a survey with BENCH_DASHBOARD_RESPONSES responses
 * (default 1M; `BENCH_DASHBOARD_RESPONSES=10000000` for the 10M aim) of an identified questionnaire
 * with every question type (bench/exports.ts's definition), generated in the database (SQL
 * generate_series: closed answers (and the mark of an open answer) in clear as the writer stores them, sealed blobs taken in turn from
 * 64 real ones, times spread over a year). Then each view is read BENCH_DASHBOARD_READS times
 * (default 20) through the API in-process (app.inject: the handler and the database, no socket), and
 * p50 / p95 reported, first as every view counted the responses before the rollups (3 reads of two
 * views: they are slow), then after the rollup job's first fold with 1,000 newer answers counted on
 * top: the results page (score, trend per day, every question, comments, each open answer labelled), its
 * trend per month, the breakdown by the answer to a closed question and a cross-tab of another closed
 * question by it (read once before the fold, which asks the job to keep it).
 * The aim is p95 < 100 ms at 10M on PostgreSQL. A bare `count(*)` over the survey's responses is
 * timed in the same run as the limit a scan of the responses cannot beat.
 */
import { sql } from 'kysely';
import { buildApp } from '../src/app.js';
import { splitForStorage } from '../src/features/surveys/definition.js';
import type { DatabaseHandle } from '../src/lib/db/connect.js';
import { definition } from './exports.js';
import { BENCH_OWNER, benchRuntime, benchSurvey, startProfile } from './fixtures.js';
import { foldAll } from '../src/features/results/rollup.js';
import { seedStandardLabels } from '../src/features/labelling/labels.js';
import type { Figure } from './responses.js';

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

export async function benchDashboard(opts: {
  label: string;
  handle: DatabaseHandle;
  responses: number;
  reads: number;
  note: (s: string) => void;
}): Promise<Figure[]> {
  // Settled after 30 s: the first fold takes in every generated response, not the 1,000 added after it.
  const { rt, close } = await benchRuntime(opts.handle, 'dashboard', { RESULTS_SETTLE_SECONDS: '30' });
  const figures: Figure[] = [];
  const f = (metric: string, value: number, unit = 'ms'): Figure => ({
    bench: 'dashboard',
    metric: `${opts.label} ${metric}`,
    value: Number(value.toFixed(1)),
    unit,
  });
  try {
    const { tenantId, surveyId } = await benchSurvey(rt, 'Bench dashboard', definition, { typed_answers_clear: true });
    const keys = await rt.ctx.keyring.forTenant(tenantId);
    // 64 real sealed answers, used in turn (the comments shown are decrypted; nothing else is).
    const blobs = Array.from({ length: 64 }, (_, i) =>
      keys.sealJson(
        splitForStorage(definition, {
          score: i % 11,
          why: `Opmerking ${i}: ${'prima service, maar de wachttijd was lang. '.repeat(1 + (i % 4))}`,
        }).sealed,
      ),
    );
    const g0 = performance.now();
    const slice = 250_000;
    const db = opts.handle.kysely;
    for (let from = 0; from < opts.responses; from += slice) {
      const to = Math.min(opts.responses, from + slice) - 1;
      await sql`INSERT INTO responses (tenant_id, id, survey_id, language, score, answers, answers_enc, submitted_at)
        SELECT ${tenantId}::uuid, gen_random_uuid(), ${surveyId}::uuid, CASE WHEN i % 4 = 0 THEN 'en' ELSE 'nl' END,
               (i * 7) % 11,
               jsonb_build_object('score', (i * 7) % 11,
                                  'city', (ARRAY['zwolle','utrecht','assen','breda'])[1 + i % 4],
                                  'channels', CASE WHEN i % 3 = 0 THEN '["telefoon","balie"]'::jsonb ELSE '["mail"]'::jsonb END,
                                  'csat', 1 + (i * 3) % 5,
                                  'hours', ((i % 80) / 2.0) - 3,
                                  'visited', to_char(date '2026-01-01' + (i % 300), 'YYYY-MM-DD'),
                                  'why', true),
               (${blobs}::bytea[])[1 + i % 64],
               now() - interval '2 minutes' - ((i::bigint * 7919) % (365 * 24 * 60)) * interval '1 minute'
          FROM generate_series(${from}::int, ${to}::int) AS i`.execute(db);
    }
    // Every open answer labelled, as the labelling job leaves them: a sentiment and one or two labels
    // of the customer set (the results page counts them per label and sentiment).
    await rt.ctx.db.tenant(tenantId, (tx) => seedStandardLabels(tx, tenantId, 'customer'));
    await sql`INSERT INTO response_labelling (tenant_id, response_id, survey_id, submitted_at, has_text, sentiment, source,
                                              model_version, question_id, label_set)
      SELECT tenant_id, id, survey_id, submitted_at, true,
             (ARRAY['positive','negative','neutral','mixed'])[1 + score % 4], 'model', 1, 'why', 'customer'
        FROM responses WHERE survey_id = ${surveyId}::uuid`.execute(db);
    await sql`INSERT INTO response_labels (tenant_id, response_id, label_id, survey_id, source, question_id, label_set)
      SELECT tenant_id, id, l.label_id, survey_id, 'model', 'why', 'customer'
        FROM responses r
        JOIN LATERAL (VALUES ((ARRAY['service','staff','price','waiting_time'])[1 + r.score % 4]),
                             (CASE WHEN r.score % 3 = 0 THEN 'product_quality' END)) AS l(label_id) ON l.label_id IS NOT NULL
       WHERE survey_id = ${surveyId}::uuid`.execute(db);
    await sql`ANALYZE responses`.execute(db);
    await sql`ANALYZE response_labelling`.execute(db);
    await sql`ANALYZE response_labels`.execute(db);
    opts.note(
      `dashboard (${opts.label}): ${opts.responses} responses (each labelled) generated in ${((performance.now() - g0) / 1000).toFixed(1)} s`,
    );

    const app = await buildApp(rt.ctx, { startWorkers: false });
    try {
      const signIn = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        payload: BENCH_OWNER,
      });
      if (signIn.statusCode !== 200) throw new Error(`sign-in ${signIn.statusCode}`);
      const cookie = signIn.cookies.map((c) => `${c.name}=${c.value}`).join('; ');

      // The same-run limit: one bare count of the survey's responses.
      const limit: number[] = [];
      for (let i = 0; i < Math.min(5, opts.reads); i++) {
        const t0 = performance.now();
        await rt.ctx.db.tenant(tenantId, (tx) =>
          sql`SELECT count(*) FROM responses WHERE survey_id = ${surveyId}::uuid`.execute(tx),
        );
        limit.push(performance.now() - t0);
      }
      const count = quantile(limit, 0.5);
      figures.push(f(`bare count(*) of ${opts.responses} responses (p50, the limit of a scan)`, count));
      opts.note(`dashboard (${opts.label}): a bare count(*) takes ${count.toFixed(1)} ms (p50)`);

      const views: Array<[string, string]> = [
        ['results page (score, daily trend, every question, comments)', `/api/v1/surveys/${surveyId}/results`],
        ['results, trend per month', `/api/v1/surveys/${surveyId}/results?interval=month&comments=0`],
        ['breakdown by a closed question', `/api/v1/surveys/${surveyId}/breakdown?by=answer.city`],
        [
          'cross-tab of a closed question by another',
          `/api/v1/surveys/${surveyId}/breakdown?by=answer.city&question=csat`,
        ],
      ];
      const measure = async (label: string, reads: number, which: Array<[string, string]>) => {
        for (const [index, [name, url]] of which.entries()) {
          const times: number[] = [];
          // BENCH_PROFILE=<prefix>: a CPU profile of each view's reads after the fold.
          const profiling = process.env.BENCH_PROFILE && label === 'rollup:';
          const stopProfile = profiling ? await startProfile() : undefined;
          for (let i = 0; i < reads; i++) {
            const t0 = performance.now();
            const r = await app.inject({ method: 'GET', url, headers: { cookie } });
            times.push(performance.now() - t0);
            if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body.slice(0, 300)}`);
          }
          await stopProfile?.(`${process.env.BENCH_PROFILE}-dashboard-${opts.label}-view${index + 1}.cpuprofile`);
          const p50 = quantile(times, 0.5);
          const p95 = quantile(times, 0.95);
          opts.note(
            `dashboard (${opts.label}) ${label} ${name}: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (${(p95 / count).toFixed(2)}× a bare count)`,
          );
          figures.push(f(`${label} ${name}: p50`, p50), f(`${label} ${name}: p95`, p95));
        }
      };
      // Before the rollup: every view counts the responses (as before issue 17's rollups).
      // BENCH_DASHBOARD_COUNTED=0 leaves out the views that count the responses (minutes each at 10M).
      const counted = process.env.BENCH_DASHBOARD_COUNTED !== '0';
      if (counted) await measure('counted:', Math.min(3, opts.reads), views);
      // A cross-tab's first view asks the job to keep it (it is counted this once).
      const first = await app.inject({ method: 'GET', url: views[3]![1], headers: { cookie } });
      if (first.statusCode !== 200) throw new Error(`${views[3]![1]}: ${first.statusCode}`);
      // The rollup job's first pass over the survey (it then keeps up every ROLLUP_SECONDS).
      const f0 = performance.now();
      const folded = await foldAll(rt.ctx);
      const foldSeconds = (performance.now() - f0) / 1000;
      opts.note(`dashboard (${opts.label}): the first fold took in ${folded} responses in ${foldSeconds.toFixed(1)} s`);
      figures.push(f(`first fold of ${folded} responses`, foldSeconds, 's'));
      // Answers after the fold (not yet settled): the views count them from the responses.
      await sql`INSERT INTO responses (tenant_id, id, survey_id, language, score, answers, answers_enc)
        SELECT ${tenantId}::uuid, gen_random_uuid(), ${surveyId}::uuid, 'nl', i % 11,
               jsonb_build_object('score', i % 11, 'city', 'assen', 'csat', 1 + i % 5, 'hours', i % 40, 'why', true),
               (${blobs}::bytea[])[1 + i % 64]
          FROM generate_series(1, 1000) AS i`.execute(db);
      await measure('rollup:', opts.reads, views);
    } finally {
      await app.close();
    }
    return figures;
  } finally {
    await close();
  }
}
