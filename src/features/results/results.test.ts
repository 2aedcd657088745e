import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { signedRowToken } from '../../lib/tokens.js';
import { importCsv, setUp, startTestApp, type TestApp } from '../../../test/harness.js';

/**
 * OBLIGATIONS SVC-4 (issue 12): the results of a survey from the outside (HTTP), with known answers:
 * each key score as itself, every question type aggregated, margins against values computed by hand
 * (stats.test.ts has the working), trends per interval with significance, the copy of older number
 * answers, and the attacks on a confidential survey's number aggregates.
 */

const form = { 'content-type': 'application/x-www-form-urlencoded' };
const L = (nl: string, en: string) => ({ nl, en });
const enc = (o: Record<string, string | string[]>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(o)) for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
  return p.toString();
};
const invitation = { subject: L('Je mening', 'Your opinion'), body: L('Beste {naam}', 'Dear {name}') };
const thanks = L('Bedankt!', 'Thank you!');

interface Point {
  day: string;
  to?: string;
  from?: string;
  period: string;
  complete: boolean;
  responses: number;
  n: number;
  value: number | null;
  margin: number | null;
  nps: number | null;
  change: { delta: number; z: number | null; significant: boolean } | null;
}
interface Body {
  keyScore: {
    questionId: string;
    kind: string;
    name: { nl: string; en: string };
    unit: string;
    value: number | null;
    margin: number | null;
    interval: { low: number; high: number } | null;
    mean: number | null;
    share: { category: string; percent: number; interval: unknown } | null;
    groups: Array<{ category: string; count: number; percent: number }>;
    n: number;
    smallBase: boolean;
  } | null;
  nps: number | null;
  promoters: unknown;
  scores: number[];
  released: number | null;
  trendInterval: string;
  trend: Point[];
  comparison: { previous: string; last: string; delta: number; z: number | null; significant: boolean } | null;
  comments: Array<{ comment: string; category: string | null }>;
  questions: Array<{
    id: string;
    type: string;
    answered: number | null;
    mean: number | null;
    suppressed?: boolean;
    smallBase?: boolean;
    distribution: Array<{
      value: string | number;
      label?: { nl: string; en: string };
      count: number;
      percent?: number;
    }>;
    scale?: { kind: string; value: number | null; margin: number | null; name: { en: string } };
    number?: {
      n: number;
      mean: number | null;
      median: number | null;
      min: number | null;
      max: number | null;
      margin: number | null;
      bins: Array<{ from: number; to: number; count: number }>;
    };
    comments?: {
      count: number;
      complete: boolean;
      items: Array<{ id: string; comment: string; submittedAt: string | null }>;
    };
  }>;
}

describe('SVC-4 results that people act on: every key score as itself, every question type, margins, trends', () => {
  let t: TestApp;
  let owner: string;
  let tenantId: string;
  const db = () => t.ctx.db.handle.kysely;

  before(async () => {
    t = await startTestApp();
    ({ ownerCookie: owner, tenantId } = await setUp(t));
    const rows = Array.from({ length: 44 }, (_, i) => `r${i + 1}@example.nl;R${i + 1};${i % 2 ? 'en' : 'nl'}`);
    const res = await importCsv(t, owner, `email;voornaam;taal\n${rows.join('\n')}\n`);
    assert.equal(res.statusCode, 200, res.body);
  });
  after(() => t.close());

  async function survey(payload: Record<string, unknown>): Promise<{ id: string; links: string[] }> {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/surveys',
      headers: { cookie: owner },
      payload: { kind: 'custom', ...payload },
    });
    assert.equal(r.statusCode, 201, r.body);
    const id = r.json().id as string;
    const d = await t.app.inject({
      method: 'POST',
      url: `/api/v1/surveys/${id}/distributions`,
      headers: { cookie: owner },
      payload: { all: true },
    });
    assert.equal(d.statusCode, 202, d.body);
    const keys = await t.ctx.keyring.forTenant(tenantId);
    const inv = await t.ctx.db.tenant(tenantId, (tx) =>
      tx.selectFrom('invitations').select('id').where('survey_id', '=', id).orderBy('id').execute(),
    );
    return { id, links: inv.map((i) => `/s/${signedRowToken(tenantId, i.id, (b) => keys.tokenMac(b))}`) };
  }
  async function answer(path: string, values: Record<string, string | string[]>): Promise<void> {
    const r = await t.app.inject({ method: 'POST', url: path, headers: form, payload: enc({ lang: 'nl', ...values }) });
    assert.equal(r.statusCode, 303, r.body);
  }
  async function results(id: string, query = ''): Promise<Body & { raw: string }> {
    const r = await t.app.inject({
      method: 'GET',
      url: `/api/v1/surveys/${id}/results${query}`,
      headers: { cookie: owner },
    });
    assert.equal(r.statusCode, 200, r.body);
    return { ...(r.json() as Body), raw: r.body };
  }

  test('SVC-4 a CSAT survey with every answer 4 is 100% satisfied, named CSAT, with no NPS anywhere', async () => {
    const s = await survey({ name: 'CSAT', kind: 'csat' });
    const def = (
      await t.app.inject({ method: 'GET', url: `/api/v1/surveys/${s.id}`, headers: { cookie: owner } })
    ).json().definition;
    const key = def.questions[0].id as string;
    const why = def.questions.find((q: { type: string }) => q.type === 'text')?.id as string;
    for (const l of s.links.slice(0, 4)) await answer(l, { [key]: '4', [why]: 'Prima geholpen' });
    const r = await results(s.id);
    assert.equal(r.keyScore!.kind, 'csat');
    assert.equal(r.keyScore!.name.nl, 'Klanttevredenheid (CSAT)');
    assert.equal(r.keyScore!.unit, 'percent');
    assert.equal(r.keyScore!.value, 100);
    assert.equal(r.keyScore!.mean, 4);
    // Wilson for 4 of 4 (stats.test.ts): [51.0, 100].
    assert.deepEqual(r.keyScore!.interval, { low: 51, high: 100 });
    assert.deepEqual(
      r.keyScore!.groups.map((g) => [g.category, g.count, g.percent]),
      [
        ['satisfied', 4, 100],
        ['neutral', 0, 0],
        ['dissatisfied', 0, 0],
      ],
    );
    assert.equal(r.keyScore!.smallBase, true);
    assert.equal(r.nps, null);
    assert.equal(r.promoters, null);
    assert.deepEqual(r.scores, []);
    for (const p of r.trend) assert.equal(p.nps, null);
    assert.equal(r.trend[0]!.value, 100);
    assert.ok(
      !/"(detractor|promoter|passive)"|Net Promoter|NPS\b/.test(
        r.raw.replace(/"(nps|promoters|passives|detractors)":null/g, ''),
      ),
      'no NPS anywhere but the deprecated fields, which are null',
    );
    assert.equal(r.comments[0]!.category, 'satisfied');
    const q = r.questions.find((x) => x.id === key)!;
    assert.equal(q.scale!.kind, 'csat');
    assert.equal(q.scale!.value, 100);
  });

  test('SVC-4 an eNPS survey is called eNPS, with its 95% margin of error computed by hand', async () => {
    const s = await survey({ name: 'eNPS', kind: 'enps' });
    // 5 promoters, 3 passives, 2 detractors: eNPS 30, margin 1.96·100·√(0.61/10) = 48.4 (stats.test.ts).
    for (const [i, v] of [10, 9, 10, 9, 10, 8, 7, 8, 3, 6].entries()) await answer(s.links[i]!, { score: String(v) });
    const r = await results(s.id);
    assert.equal(r.keyScore!.kind, 'enps');
    assert.equal(r.keyScore!.name.en, 'Employee Net Promoter Score (eNPS)');
    assert.equal(r.keyScore!.value, 30);
    assert.equal(r.keyScore!.margin, 48.4);
    assert.deepEqual(r.keyScore!.interval, { low: -18.4, high: 78.4 });
    assert.equal(r.nps, 30, 'the deprecated field stays for an eNPS key score');
    assert.equal(r.scores.length, 11);
  });

  const every = {
    questions: [
      {
        id: 'effort',
        type: 'ces',
        required: true,
        text: L('Hoeveel moeite kostte het?', 'How much effort did it take?'),
      },
      { id: 'why', type: 'text', text: L('Waarom?', 'Why?') },
      {
        id: 'site',
        type: 'single',
        text: L('Welke vestiging?', 'Which site?'),
        options: [
          { value: 'zwolle', label: L('Zwolle', 'Zwolle') },
          { value: 'flex', label: L('Flexplek', 'Flexible desk') },
        ],
      },
      {
        id: 'channels',
        type: 'multiple',
        text: L('Hoe had je contact?', 'How did you contact us?'),
        options: [
          { value: 'telefoon', label: L('Telefoon', 'Phone') },
          { value: 'mail', label: L('E-mail', 'Email') },
        ],
      },
      { id: 'grade', type: 'rating', min: 1, max: 10, text: L('Rapportcijfer', 'Grade') },
      { id: 'hours', type: 'number', min: 0, max: 40, integer: true, text: L('Uren per week', 'Hours per week') },
      { id: 'visited', type: 'date', text: L('Wanneer was je er?', 'When were you there?') },
      { id: 'tip', type: 'text', text: L('Nog een tip?', 'Any tip?') },
    ],
    invitation,
    thanks,
  };
  // CES 1, 2, 2, 3, 5, 6 (stats.test.ts: mean 3.17, margin 2.04, 66.7% easy).
  const answersOf: Array<Record<string, string | string[]>> = [
    {
      effort: '1',
      why: 'Snel geholpen',
      site: 'zwolle',
      channels: ['telefoon', 'mail'],
      grade: '9',
      hours: '8',
      visited: '2026-01-05',
      tip: 'Meer parkeerplaatsen',
    },
    {
      effort: '2',
      why: 'Goed',
      site: 'zwolle',
      channels: ['telefoon'],
      grade: '8',
      hours: '32',
      visited: '2026-01-20',
    },
    {
      effort: '2',
      site: 'flex',
      channels: ['telefoon'],
      grade: '7',
      hours: '32',
      visited: '2026-02-01',
      tip: 'Langere openingstijden',
    },
    { effort: '3', why: 'Redelijk', site: 'zwolle', grade: '6', hours: '40', visited: '2026-02-14' },
    { effort: '5', why: 'L'.repeat(700), channels: ['mail'], grade: '5' },
    { effort: '6', why: 'Te lang gewacht', site: 'flex', grade: '4', tip: 'Bel terug' },
  ];

  test('SVC-4 every question type aggregated: CES, choices by label, multiple choice per respondent, numbers, dates per month, every open question', async () => {
    const s = await survey({ name: 'Alles', definition: every });
    for (const [i, a] of answersOf.entries()) await answer(s.links[i]!, a);
    const r = await results(s.id);
    const q = (id: string) => r.questions.find((x) => x.id === id)!;
    // CES as Peil asks it: the mean, lower is better, and % easy (1–3).
    assert.equal(r.keyScore!.kind, 'ces');
    assert.equal(r.keyScore!.name.en, 'Customer effort (CES)');
    assert.equal(r.keyScore!.value, 3.17);
    assert.equal(r.keyScore!.margin, 2.04);
    assert.deepEqual(r.keyScore!.share, { category: 'easy', percent: 66.7, interval: r.keyScore!.share!.interval });
    assert.equal(r.nps, null);
    // Single choice by label, in both languages, percent of those who answered (5).
    assert.deepEqual(q('site').distribution, [
      { value: 'zwolle', label: { nl: 'Zwolle', en: 'Zwolle' }, count: 3, percent: 60 },
      { value: 'flex', label: { nl: 'Flexplek', en: 'Flexible desk' }, count: 2, percent: 40 },
    ]);
    // Multiple choice: 4 respondents answered; telefoon 3 of 4 = 75%, mail 2 of 4 = 50% (sum 125%).
    assert.equal(q('channels').answered, 4);
    assert.deepEqual(
      q('channels').distribution.map((d) => [d.value, d.label!.en, d.count, d.percent]),
      [
        ['telefoon', 'Phone', 3, 75],
        ['mail', 'Email', 2, 50],
      ],
    );
    // Rating: its own mean (9+8+7+6+5+4)/6 = 6.5.
    assert.equal(q('grade').scale!.kind, 'rating');
    assert.equal(q('grade').scale!.value, 6.5);
    // Number: 8, 32, 32, 40 → n 4, mean 28, median 32, min 8, max 40 (identified), bins of 5 over 0–40.
    const h = q('hours').number!;
    assert.deepEqual([h.n, h.mean, h.median, h.min, h.max], [4, 28, 32, 8, 40]);
    assert.equal(h.bins.length, 8);
    assert.deepEqual(
      h.bins.map((b) => b.count),
      [0, 1, 0, 0, 0, 0, 2, 1],
    );
    // Dates per month.
    assert.deepEqual(
      q('visited').distribution.map((d) => [d.value, d.count]),
      [
        ['2026-01', 2],
        ['2026-02', 2],
      ],
    );
    // Every open question with its comments (not only the first), the long one in full.
    assert.equal(q('why').comments!.count, 5);
    assert.equal(q('why').comments!.complete, true);
    assert.ok(
      q('why').comments!.items.some((c) => c.comment === 'L'.repeat(700)),
      'the full text of a long comment',
    );
    assert.deepEqual(
      q('tip')
        .comments!.items.map((c) => c.comment)
        .sort(),
      ['Bel terug', 'Langere openingstijden', 'Meer parkeerplaatsen'],
    );
    assert.equal(q('tip').answered, 3);
  });

  test('SVC-4 older responses with numbers and dates only sealed are copied into the clear answers once', async () => {
    const s = await survey({ name: 'Oud', definition: every });
    for (const [i, a] of answersOf.slice(0, 4).entries()) await answer(s.links[i]!, a);
    // As written before issue 12: numbers and dates only in answers_enc, the survey not yet copied.
    await sql`UPDATE responses SET answers = answers - 'hours' - 'visited' WHERE survey_id = ${s.id}::uuid`.execute(
      db(),
    );
    await sql`UPDATE surveys SET typed_answers_clear = false WHERE id = ${s.id}::uuid`.execute(db());
    const before = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM responses WHERE survey_id = ${s.id}::uuid AND answers ? 'hours'`.execute(db());
    assert.equal(before.rows[0]!.n, 0);
    const r = await results(s.id);
    const q = (id: string) => r.questions.find((x) => x.id === id)!;
    assert.deepEqual([q('hours').number!.n, q('hours').number!.mean], [4, 28]);
    assert.deepEqual(
      q('visited').distribution.map((d) => [d.value, d.count]),
      [
        ['2026-01', 2],
        ['2026-02', 2],
      ],
    );
    const flag = await sql<{
      typed_answers_clear: boolean;
    }>`SELECT typed_answers_clear FROM surveys WHERE id = ${s.id}::uuid`.execute(db());
    assert.equal(flag.rows[0]!.typed_answers_clear, true);
    // Idempotent: reading again changes nothing.
    const again = await results(s.id);
    assert.deepEqual(again.questions, r.questions);
  });

  test('SVC-4 issue 17: each open question’s number of comments is exact, also far beyond the comments read; older responses are marked once', async () => {
    const s = await survey({ name: 'Opmerkingen tellen', definition: every });
    for (const [i, a] of answersOf.slice(0, 4).entries()) await answer(s.links[i]!, a);
    // Written before issue 17: no mark of an open answer in clear, the survey not yet marked; and one
    // response as the oldest ones were sealed (only the score and the first open answer, as `why`).
    await sql`UPDATE responses SET answers = answers - 'why' - 'tip' WHERE survey_id = ${s.id}::uuid`.execute(db());
    const keys = await t.ctx.keyring.forTenant(tenantId);
    await sql`UPDATE responses SET answers_enc = ${keys.sealJson({ score: null, why: 'Goed' })}
               WHERE survey_id = ${s.id}::uuid AND answers->>'visited' = '2026-01-20'`.execute(db());
    await sql`UPDATE surveys SET text_answers_flagged = false WHERE id = ${s.id}::uuid`.execute(db());
    const marked = async (q: string) =>
      (
        await sql<{
          n: number;
        }>`SELECT count(*)::int AS n FROM responses WHERE survey_id = ${s.id}::uuid AND answers->${q} = 'true'::jsonb`.execute(
          db(),
        )
      ).rows[0]!.n;
    assert.deepEqual([await marked('why'), await marked('tip')], [0, 0]);
    const r = await results(s.id);
    const q = (body: Body, id: string) => body.questions.find((x) => x.id === id)!;
    assert.deepEqual(
      [q(r, 'why').comments!.count, q(r, 'tip').comments!.count, q(r, 'why').answered, q(r, 'tip').answered],
      [3, 2, 3, 2],
    );
    assert.deepEqual([await marked('why'), await marked('tip')], [3, 2], 'marked once, the old `why` too');
    assert.ok(!r.raw.includes('"true"'), 'a mark is never shown as an answer');

    // 2,100 more responses with both open answers, older than these four: the count is exact, while
    // only the newest comments are read (it used to count among the newest 2,000 read, "2,000+").
    await sql`INSERT INTO responses (tenant_id, id, survey_id, language, score, answers, answers_enc, submitted_at)
               SELECT r.tenant_id, gen_random_uuid(), r.survey_id, r.language, r.score, r.answers, r.answers_enc,
                      r.submitted_at - g * interval '1 second'
                 FROM responses r, generate_series(1, 2100) g
                WHERE r.survey_id = ${s.id}::uuid AND r.answers->>'visited' = '2026-01-05'`.execute(db());
    const many = await results(s.id, '?comments=2');
    assert.deepEqual(
      [q(many, 'why').comments!.count, q(many, 'tip').comments!.count, q(many, 'why').comments!.complete],
      [2103, 2102, true],
    );
    assert.deepEqual([q(many, 'why').comments!.items.length, q(many, 'tip').comments!.items.length], [2, 2]);
    assert.deepEqual(
      q(many, 'tip').comments!.items.map((c) => c.comment),
      ['Langere openingstijden', 'Meer parkeerplaatsen'],
      'the newest first: the third answer’s, then the first’s (its copies are older)',
    );
  });

  test('SVC-4 trends per day, ISO week, month and quarter with margins; a significant change is marked', async () => {
    const s = await survey({ name: 'Trend', kind: 'nps' });
    // Month A: 10 promoters, 6 passives, 4 detractors (NPS 30); month B: 4/6/10 (NPS −30).
    // z = −60 / √(0.61·100²/20 · 2) = −2.43: significant (stats.test.ts).
    const scores = [
      ...Array(10).fill(10),
      ...Array(6).fill(8),
      ...Array(4).fill(2),
      ...Array(4).fill(10),
      ...Array(6).fill(8),
      ...Array(10).fill(2),
    ] as number[];
    for (const [i, v] of scores.entries()) await answer(s.links[i]!, { score: String(v) });
    const now = new Date();
    const monthStart = (back: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 10, 10));
    const byScore = await sql<{
      id: string;
      score: number;
    }>`SELECT id, score FROM responses WHERE survey_id = ${s.id}::uuid`.execute(db());
    // Split each score group: the first half of the rows of A's shares to month A, the rest to month B.
    const want = { 10: 10, 8: 6, 2: 4 } as Record<number, number>;
    const toA: string[] = [];
    for (const r of byScore.rows)
      if (want[r.score]! > 0) {
        want[r.score]!--;
        toA.push(r.id);
      }
    await sql`UPDATE responses SET submitted_at = ${monthStart(3).toISOString()}::timestamptz WHERE survey_id = ${s.id}::uuid AND id = ANY(${toA}::uuid[])`.execute(
      db(),
    );
    await sql`UPDATE responses SET submitted_at = ${monthStart(2).toISOString()}::timestamptz WHERE survey_id = ${s.id}::uuid AND NOT (id = ANY(${toA}::uuid[]))`.execute(
      db(),
    );

    const month = await results(s.id, '?interval=month');
    assert.equal(month.trendInterval, 'month');
    assert.deepEqual(
      month.trend.map((p) => [p.n, p.value, p.margin, p.complete]),
      [
        [20, 30, 34.2, true],
        [20, -30, 34.2, true],
      ],
    );
    assert.match(month.trend[0]!.period, /^\d{4}-\d{2}$/);
    assert.equal(month.trend[0]!.change, null);
    assert.equal(month.trend[1]!.change!.significant, true);
    assert.equal(month.trend[1]!.change!.z, -2.43);
    assert.equal(month.comparison!.significant, true);
    assert.equal(month.comparison!.delta, -60);

    const day = await results(s.id);
    assert.equal(day.trendInterval, 'day');
    assert.deepEqual(
      day.trend.map((p) => p.day),
      [monthStart(3).toISOString().slice(0, 10), monthStart(2).toISOString().slice(0, 10)],
    );
    const week = await results(s.id, '?interval=week');
    for (const p of week.trend) {
      assert.match(p.period, /^\d{4}-W\d{2}$/);
      assert.equal(new Date(`${p.day}T00:00:00Z`).getUTCDay(), 1, 'an ISO week starts on Monday');
    }
    const quarter = await results(s.id, '?interval=quarter');
    for (const p of quarter.trend) assert.match(p.period, /^\d{4}-Q[1-4]$/);
    assert.equal(
      quarter.trend.reduce((n, p) => n + p.n, 0),
      40,
    );
    const bad = await t.app.inject({
      method: 'GET',
      url: `/api/v1/surveys/${s.id}/results?interval=year`,
      headers: { cookie: owner },
    });
    assert.equal(bad.statusCode, 422);
  });

  test('SVC-4 a change that is not significant is not marked', async () => {
    const s = await survey({ name: 'Klein', kind: 'nps' });
    const scores = [10, 10, 10, 10, 10, 8, 8, 8, 2, 2, 10, 10, 8, 8, 8, 2, 2, 2, 2, 2];
    for (const [i, v] of scores.entries()) await answer(s.links[i]!, { score: String(v) });
    const rows = (
      await sql<{
        id: string;
      }>`SELECT id FROM responses WHERE survey_id = ${s.id}::uuid ORDER BY submitted_at, id`.execute(db())
    ).rows.map((r) => r.id);
    const now = new Date();
    await sql`UPDATE responses SET submitted_at = ${new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 3, 10, 10)).toISOString()}::timestamptz WHERE id = ANY(${rows.slice(0, 10)}::uuid[])`.execute(
      db(),
    );
    await sql`UPDATE responses SET submitted_at = ${new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 2, 10, 10)).toISOString()}::timestamptz WHERE id = ANY(${rows.slice(10)}::uuid[])`.execute(
      db(),
    );
    const r = await results(s.id, '?interval=month');
    // 5/3/2 against 2/3/5 of 10 each: z = −1.718 (stats.test.ts): not significant.
    assert.deepEqual(
      r.trend.map((p) => p.value),
      [30, -30],
    );
    assert.equal(r.trend[1]!.change!.significant, false);
    assert.equal(r.comparison!.significant, false);
    assert.equal(r.comparison!.z, -1.72);
  });

  test('SVC-4 ATTACK confidential numbers: one more answer changes nothing until a whole step; no minimum, maximum or single exact value', async () => {
    const def = {
      questions: [
        { id: 'score', type: 'enps', required: true, text: L('Zou je ons aanbevelen?', 'Would you recommend us?') },
        { id: 'hours', type: 'number', min: 0, max: 40, text: L('Uren per week', 'Hours per week') },
        { id: 'age', type: 'number', text: L('Leeftijd', 'Age') },
        { id: 'rare', type: 'number', text: L('Zelden', 'Rarely') },
        { id: 'note', type: 'text', text: L('Opmerking', 'Note') },
      ],
      invitation,
      thanks,
    };
    const s = await survey({
      name: 'Vertrouwelijk getal',
      definition: def,
      anonymity: 'confidential',
      minGroupSize: 5,
    });
    const hours = [7, 13, 22, 22, 31];
    const ages = [23, 37, 41, 58, 61];
    for (const [i, v] of hours.entries())
      await answer(s.links[i]!, {
        score: '8',
        hours: String(v),
        age: String(ages[i]),
        ...(i < 2 ? { rare: String(17 + i) } : {}),
        note: `Notitie ${i}`,
      });
    const first = await results(s.id, '?interval=month');
    assert.equal(first.released, 5);
    assert.equal(first.trendInterval, 'step', 'a shielded survey keeps its release steps');
    const q = (b: Body, id: string) => b.questions.find((x) => x.id === id)!;
    const h = q(first, 'hours').number!;
    assert.equal(h.n, 5);
    assert.equal(h.mean, 19);
    assert.equal(h.min, null);
    assert.equal(h.max, null);
    for (const v of hours) assert.notEqual(h.median, v, 'the median is a position inside a bin, not an answer');
    const a = q(first, 'age').number!;
    assert.deepEqual([a.min, a.max], [null, null]);
    for (const v of ages) assert.notEqual(a.median, v);
    // Bin edges are multiples of the width (5 here), never an answer's value.
    for (const b of [...h.bins, ...a.bins]) assert.deepEqual([b.from % 5, b.to % 5], [0, 0], JSON.stringify(b));
    // A question answered by 2 of the 5 released respondents shows only its count.
    assert.equal(q(first, 'rare').suppressed, true);
    assert.equal(q(first, 'rare').number, undefined);
    assert.equal(q(first, 'rare').answered, 2);
    // Comments: released, redacted, without time.
    for (const c of q(first, 'note').comments!.items) assert.equal(c.submittedAt, null);

    // The attacker adds one answer of his own (an extreme value) and reads again: nothing moves.
    await answer(s.links[5]!, { score: '0', hours: '40', age: '99', rare: '99', note: 'Mijn eigen' });
    const second = await results(s.id, '?interval=month');
    assert.deepEqual(second.questions, first.questions, 'the number aggregates cannot be subtracted');
    assert.deepEqual(second.keyScore, first.keyScore);
    assert.deepEqual(second.trend, first.trend);
    // Four more make a whole step of 5: only then do the numbers change, over 10 answers.
    for (let i = 6; i < 10; i++) await answer(s.links[i]!, { score: '9', hours: '20', age: '30' });
    const third = await results(s.id);
    assert.equal(third.released, 10);
    assert.equal(q(third, 'hours').number!.n, 10);
    assert.equal(third.trend.length, 2);
    assert.ok(third.trend.every((p) => p.responses >= 5));
  });
});
