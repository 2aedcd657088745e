import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { colleague, importCsv, setUp, startTestApp, type TestApp } from '../../../test/harness.js';
import { cellsToShow, meanInterval, npsMargin, wilson } from './crosstab.js';

/**
 * OBLIGATIONS SVC-4, ACC-2, LOG-1: breakdowns and cross-tabs by contact fields, profile fields and
 * answers, with margins; attacked the way a colleague with an account would: subtract the shown groups
 * from the total, the shown cells from the column and the public per-question distribution, ask a
 * second grouping of a confidential survey.
 */

const L = (nl: string, en: string) => ({ nl, en });
const definition = {
  questions: [
    { id: 'score', type: 'nps', required: true, text: L('Zou je ons aanbevelen?', 'Would you recommend us?') },
    {
      id: 'dept',
      type: 'single',
      required: false,
      text: L('Waar werk je?', 'Where do you work?'),
      options: [
        { value: 'binnen', label: L('Binnendienst', 'Office') },
        { value: 'buiten', label: L('Buitendienst', 'Field') },
      ],
    },
    {
      id: 'kanaal',
      type: 'multiple',
      required: false,
      text: L('Hoe had je contact?', 'How did you contact us?'),
      options: [
        { value: 'tel', label: L('Telefoon', 'Phone') },
        { value: 'mail', label: L('E-mail', 'Email') },
      ],
    },
    { id: 'uren', type: 'number', required: false, text: L('Uren per week', 'Hours per week') },
    { id: 'why', type: 'text', required: false, text: L('Waarom?', 'Why?') },
  ],
  invitation: { subject: L('Je mening', 'Your opinion'), body: L('Beste {naam}', 'Dear {name}') },
  thanks: L('Bedankt!', 'Thank you!'),
};

/**
 * Sixteen people. 0–9 women (Dutch), 10–15 men (10–13 English, 14–15 Dutch); 0–7 nurses, 8–15
 * doctors; afdeling zorg 0–7, ict 8–13, staf 14–15. Scores: women 10 10 10 10 9 8 7 6 5 0, men 9 9 9 9
 * 3 3. dept: binnen 0–5 and 8–10, else buiten. kanaal: 0–3 phone and mail, 4–9 phone, 10–15 mail.
 * Hours: women 32, men 40.
 */
const SCORES = [10, 10, 10, 10, 9, 8, 7, 6, 5, 0, 9, 9, 9, 9, 3, 3];
const person = (i: number) => ({
  gender: i < 10 ? 'vrouw' : 'man',
  taal: i < 10 || i >= 14 ? 'nl' : 'en',
  functie: i < 8 ? 'Verpleegkundige' : 'Arts',
  afdeling: i < 8 ? 'zorg' : i < 14 ? 'ict' : 'staf',
  dept: i <= 5 || (i >= 8 && i <= 10) ? 'binnen' : 'buiten',
  kanaal: i < 4 ? ['tel', 'mail'] : i < 10 ? ['tel'] : ['mail'],
  uren: i < 10 ? 32 : 40,
});

interface Group {
  value: string | null;
  label: { nl: string; en: string };
  n: number;
  answered: number;
  mean: number | null;
  meanInterval: { low: number; high: number } | null;
  nps?: number | null;
  npsMargin?: number | null;
  shares: Array<{ category: string; count: number; percent: number }>;
  smallBase: boolean;
}
interface Breakdown {
  grouping: { id: string; kind: string; overlapping: boolean };
  minGroupSize: number | null;
  groups: Group[];
  hiddenGroups: number;
  released: number | null;
}
interface CrossTab {
  columns: Array<{
    value: string | null;
    label: { nl: string; en: string };
    n: number;
    mean?: number | null;
    meanInterval?: { low: number; high: number } | null;
  }>;
  rows: Array<{
    value: string;
    label: { nl: string; en: string };
    cells: Array<{ count: number | null; percent: number | null }>;
  }>;
  hiddenCells: number;
  hiddenGroups: number;
  minGroupSize: number | null;
}

describe('SVC-4 breakdowns and cross-tabs: the arithmetic', () => {
  test('SVC-4 margins against values computed by hand', () => {
    // p = 0.5, d = 0.3, n = 10: 1.96·100·√((0.8 − 0.04)/10) = 54.03
    assert.equal(Math.round(npsMargin(5, 3, 10)! * 100) / 100, 54.03);
    // Student t with 9 degrees of freedom (2.262): 7.5 ± 2.262·√(10.2778/10) = 7.5 ± 2.2932
    const ci = meanInterval(10, 75, 655)!;
    assert.equal(Math.round(ci.low * 1000) / 1000, 5.207);
    assert.equal(Math.round(ci.high * 1000) / 1000, 9.793);
    // Wilson 8/10: centre (0.8 + 0.19208)/1.38416 = 0.71674, half 1.41603·√(0.016 + 0.009604) = 0.22657
    const w = wilson(8, 10)!;
    assert.equal(Math.round(w.low * 1000) / 1000, 0.49);
    assert.equal(Math.round(w.high * 1000) / 1000, 0.943);
  });

  test('SVC-4 cell suppression: a column total minus the shown cells never leaves a hidden cell below N', () => {
    // One shown column of 8 (6 + 2) and the hidden groups (3, 5); N = 5. Showing the 6 would leave
    // 8 − 6 = 2: the 6 goes too.
    const show = cellsToShow(
      [
        [6, 3],
        [2, 5],
      ],
      [true, false],
      5,
    );
    assert.deepEqual(show, [
      [false, false],
      [false, false],
    ]);
    // Two big cells in one column: both shown.
    assert.deepEqual(
      cellsToShow(
        [
          [6, 0],
          [7, 0],
        ],
        [true, false],
        5,
      ),
      [
        [true, false],
        [true, false],
      ],
    );
  });
});

describe('SVC-4 breakdowns and cross-tabs over HTTP', () => {
  let t: TestApp;
  let owner: string;
  let analyst: string;
  let viewer: string;
  let tenantId: string;
  const contacts: string[] = [];

  before(async () => {
    t = await startTestApp({ SIGN_IN_RATE_PER_MINUTE: '1000' });
    ({ ownerCookie: owner, tenantId } = await setUp(t));
    const rows = Array.from({ length: 16 }, (_, i) => {
      const p = person(i);
      return `p${i}@example.nl;P${i};${p.gender};${p.taal};${p.functie};${p.afdeling};19${70 + i}-01-01`;
    });
    const res = await importCsv(
      t,
      owner,
      `email;voornaam;geslacht;taal;functie;afdeling;geboortedatum\n${rows.join('\n')}\n`,
    );
    assert.equal(res.statusCode, 200, res.body);
    const patch = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/profile-fields/afdeling',
      headers: { cookie: owner },
      payload: { grouping: true },
    });
    assert.equal(patch.statusCode, 200, patch.body);
    analyst = await colleague(t, owner, 'analyst');
    viewer = await colleague(t, owner, 'viewer');
    const keys = await t.ctx.keyring.forTenant(tenantId);
    const list = await t.ctx.db.tenant(tenantId, (tx) =>
      tx.selectFrom('contacts').select(['id', 'email_enc']).execute(),
    );
    const byEmail = new Map(list.map((c) => [keys.open(c.email_enc).toString(), c.id]));
    for (let i = 0; i < 16; i++) contacts.push(byEmail.get(`p${i}@example.nl`)!);
    assert.equal(contacts.filter(Boolean).length, 16);
  });
  after(() => t.close());

  async function survey(anonymity: 'identified' | 'confidential' | 'anonymous', minGroupSize: number): Promise<string> {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/surveys',
      headers: { cookie: owner },
      payload: { name: `Uitsplitsen ${anonymity}`, kind: 'custom', anonymity, minGroupSize, definition },
    });
    assert.equal(r.statusCode, 201, r.body);
    const id = r.json().id as string;
    // The sixteen answers, as the writer stores them (closed answers in clear, the rest sealed),
    // an hour ago and a second apart.
    const keys = await t.ctx.keyring.forTenant(tenantId);
    await t.ctx.db.tenant(tenantId, async (tx) => {
      for (let i = 0; i < 16; i++) {
        const p = person(i);
        const answers = { score: SCORES[i]!, dept: p.dept, kanaal: p.kanaal, uren: p.uren };
        await tx
          .insertInto('responses')
          .values({
            tenant_id: tenantId,
            id: randomUUID(),
            survey_id: id,
            invitation_id: null,
            contact_id: anonymity === 'anonymous' ? null : contacts[i]!,
            language: p.taal as 'nl' | 'en',
            score: SCORES[i]!,
            submitted_at: new Date(Date.now() - 3_600_000 + i * 1000),
            answers: JSON.stringify({ score: SCORES[i]!, dept: p.dept, kanaal: p.kanaal }),
            answers_enc: keys.sealJson({ score: SCORES[i]!, why: null, answers }),
          })
          .execute();
      }
    });
    return id;
  }

  const get = (id: string, query: string, cookie = owner) =>
    t.app.inject({ method: 'GET', url: `/api/v1/surveys/${id}/breakdown?${query}`, headers: { cookie } });
  async function ok<T>(id: string, query: string, cookie = owner): Promise<T> {
    const r = await get(id, query, cookie);
    assert.equal(r.statusCode, 200, r.body);
    return r.json() as T;
  }
  const close = async (id: string) =>
    assert.equal(
      (await t.app.inject({ method: 'POST', url: `/api/v1/surveys/${id}/close`, headers: { cookie: owner } }))
        .statusCode,
      200,
    );

  test('SVC-4 identified: by gender, language, function, a profile field, with margins computed by hand', async () => {
    const id = await survey('identified', 5);
    const g = await ok<Breakdown>(id, 'by=gender');
    assert.deepEqual(
      g.groups.map((x) => [x.value, x.label.nl, x.label.en, x.n]),
      [
        ['female', 'Vrouw', 'Female', 10],
        ['male', 'Man', 'Male', 6],
      ],
    );
    const [f, m] = g.groups;
    // Women: p 5, d 3 of 10 → NPS 20 ± 54.0; mean 7.5, t interval 5.2–9.8 (see the arithmetic above).
    assert.deepEqual([f!.nps, f!.npsMargin, f!.mean, f!.meanInterval], [20, 54, 7.5, { low: 5.2, high: 9.8 }]);
    assert.deepEqual(
      f!.shares.map((s) => [s.category, s.count, s.percent]),
      [
        ['promoter', 5, 50],
        ['passive', 2, 20],
        ['detractor', 3, 30],
      ],
    );
    // Men: p 4, d 2 of 6 → NPS 33 ± 1.96·100·√((1 − 1/9)/6) = 75.4; mean 7, s² = (342 − 294)/5 = 9.6 → 7 ± t(5) 2.571·√(9.6/6) = 7 ± 3.25.
    assert.deepEqual([m!.nps, m!.npsMargin, m!.mean, m!.meanInterval], [33, 75.4, 7, { low: 3.7, high: 10.3 }]);
    assert.ok(f!.smallBase && m!.smallBase, 'fewer than 30 answers: small base');
    const lang = await ok<Breakdown>(id, 'by=language');
    // English: four 9s → NPS 100 ± 0. Dutch: the women and 3 3 → p 5, d 5 of 12 → 0 ± 1.95996·100·√((10/12)/12) = 51.649 → 51.6.
    assert.deepEqual(
      lang.groups.map((x) => [x.value, x.label.en, x.n, x.nps, x.npsMargin]),
      [
        ['en', 'English', 4, 100, 0],
        ['nl', 'Dutch', 12, 0, 51.6],
      ],
    );
    const fn = await ok<Breakdown>(id, 'by=function');
    assert.deepEqual(
      fn.groups.map((x) => [x.value, x.n, x.nps]),
      [
        ['Arts', 8, 0],
        ['Verpleegkundige', 8, 50],
      ],
    );
    const prof = await ok<Breakdown>(id, 'by=profile.afdeling');
    assert.deepEqual(
      prof.groups.map((x) => [x.value, x.n]),
      [
        ['ict', 6],
        ['staf', 2],
        ['zorg', 8],
      ],
    );
    assert.equal(prof.minGroupSize, null, 'the owner may read contact details: every group');
  });

  test('SVC-4 identified: by the answer to a single choice, a multiple choice (overlapping) and a scale (promoters/passives/detractors)', async () => {
    const id = await survey('identified', 5);
    // An answer grouping needs only results:read: the viewer asks.
    const d = await ok<Breakdown>(id, 'by=answer.dept', viewer);
    // binnen: 10 10 10 10 9 8 5 0 9 → p 6, d 2 of 9 → 44 ± 54.3; buiten: 7 6 9 9 9 3 3 → p 3, d 3 of 7 → 0 ± 68.6.
    assert.deepEqual(
      d.groups.map((x) => [x.value, x.label.nl, x.n, x.nps, x.npsMargin]),
      [
        ['binnen', 'Binnendienst', 9, 44, 54.3],
        ['buiten', 'Buitendienst', 7, 0, 68.6],
      ],
    );
    assert.equal(d.minGroupSize, null);
    const k = await ok<Breakdown>(id, 'by=answer.kanaal', viewer);
    assert.equal(k.grouping.overlapping, true);
    assert.deepEqual(
      k.groups.map((x) => [x.value, x.label.en, x.n, x.nps]),
      [
        ['tel', 'Phone', 10, 20],
        ['mail', 'Email', 10, 60],
      ],
    );
    const s = await ok<Breakdown>(id, 'by=answer.score', viewer);
    assert.deepEqual(
      s.groups.map((x) => [x.value, x.label.nl, x.n]),
      [
        ['promoter', 'Promotor', 9],
        ['passive', 'Passief', 2],
        ['detractor', 'Criticus', 5],
      ],
    );
  });

  test('SVC-4 identified: a cross-tab with counts, column percentages and column n; a number question by its mean', async () => {
    const id = await survey('identified', 5);
    const x = await ok<CrossTab>(id, 'by=gender&question=dept');
    assert.deepEqual(
      x.columns.map((c) => [c.value, c.n]),
      [
        ['female', 10],
        ['male', 6],
      ],
    );
    assert.deepEqual(
      x.rows.map((r) => [r.label.nl, ...r.cells.map((c) => [c.count, c.percent])]),
      [
        ['Binnendienst', [8, 80], [1, 16.7]],
        ['Buitendienst', [2, 20], [5, 83.3]],
      ],
    );
    const multi = await ok<CrossTab>(id, 'by=gender&question=kanaal');
    assert.deepEqual(
      multi.rows.map((r) => [r.value, ...r.cells.map((c) => c.count)]),
      [
        ['tel', 10, 0],
        ['mail', 4, 6],
      ],
    );
    const hours = await ok<CrossTab>(id, 'by=answer.dept&question=uren', viewer);
    // binnen: 0–5, 8, 9 (32) and 10 (40): 296/9 = 32.9; buiten: 6, 7 (32) and 11–15 (40): 264/7 = 37.7.
    assert.deepEqual(
      hours.columns.map((c) => [c.value, c.n, c.mean]),
      [
        ['binnen', 9, 32.9],
        ['buiten', 7, 37.7],
      ],
    );
  });

  test('ACC-2 an analyst with a grouping field: groups below N hidden, and total minus the shown groups reveals no hidden group', async () => {
    const id = await survey('identified', 5);
    const a = await ok<Breakdown>(id, 'by=profile.afdeling', analyst);
    // staf (2) is below 5; total minus zorg minus ict would be staf: ict goes too.
    assert.deepEqual(
      a.groups.map((g) => g.value),
      ['zorg'],
    );
    assert.equal(a.hiddenGroups, 2);
    const rest = 16 - a.groups.reduce((s, g) => s + g.n, 0);
    assert.ok(rest === 0 || rest >= 5, `total minus the shown groups leaves ${rest}`);
    // Language is a grouping field for everyone (the responses export has it); en (4) is below 5,
    // and nl alone would give en as total minus nl: neither is shown.
    const l = await ok<Breakdown>(id, 'by=language', analyst);
    assert.deepEqual(l.groups, []);
    assert.equal(l.hiddenGroups, 2);
  });

  test("ACC-2 an analyst's cross-tab: no hidden cell follows from the column n and the public per-question distribution", async () => {
    const id = await survey('identified', 5);
    const x = await ok<CrossTab>(id, 'by=profile.afdeling&question=dept', analyst);
    const results = (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/surveys/${id}/results?comments=0`,
        headers: { cookie: analyst },
      })
    ).json();
    const dist = results.questions.find((q: { id: string }) => q.id === 'dept').distribution as Array<{
      value: string;
      count: number;
    }>;
    // The attack: per column, n minus the shown cells; per row, the public count minus the shown cells.
    x.columns.forEach((c, j) => {
      const left = c.n - x.rows.reduce((s, r) => s + (r.cells[j]!.count ?? 0), 0);
      assert.ok(left === 0 || left >= 5, `column ${c.value}: n minus the shown cells leaves ${left}`);
    });
    for (const r of x.rows) {
      const left = dist.find((d) => d.value === r.value)!.count - r.cells.reduce((s, c) => s + (c.count ?? 0), 0);
      assert.ok(left === 0 || left >= 5, `row ${r.value}: the public count minus the shown cells leaves ${left}`);
    }
    // zorg: binnen 6, buiten 2. The 2 is hidden, and the 6 with it (8 − 6 = 2).
    assert.deepEqual(
      x.columns.map((c) => [c.value, c.n]),
      [['zorg', 8]],
    );
    assert.deepEqual(
      x.rows.map((r) => r.cells.map((c) => c.count)),
      [[null], [null]],
    );
    assert.equal(x.hiddenCells, 2);
  });

  test('ACC-2 a viewer asking for a contact field that is not a grouping field gets 403', async () => {
    const id = await survey('identified', 5);
    for (const by of ['gender', 'function', 'profile.geboortedatum']) {
      const r = await get(id, `by=${by}`, viewer);
      assert.equal(r.statusCode, 403, `${by}: ${r.body}`);
      assert.equal(r.json().errors[0].pointer, '/query/by');
    }
    assert.equal((await get(id, 'by=gender&question=dept', analyst)).statusCode, 403);
  });

  test('LOG-1 every breakdown and cross-tab by a contact field is in the log, with the field', async () => {
    const id = await survey('identified', 5);
    const log = async () =>
      (
        await t.app.inject({
          method: 'GET',
          url: '/api/v1/audit?action=results.breakdown_read',
          headers: { cookie: owner },
        })
      ).json().entries as Array<{ subject: { id: string }; details: { field: string; question?: string } }>;
    const before = (await log()).length;
    await ok(id, 'by=gender');
    await ok(id, 'by=profile.afdeling&question=dept', analyst);
    await ok(id, 'by=answer.dept');
    const entries = await log();
    assert.equal(entries.length, before + 2, 'contact and profile fields are logged; an answer is not contact data');
    assert.deepEqual(
      [entries[0]!.details.field, entries[0]!.details.question, entries[0]!.subject.id],
      ['profile.afdeling', 'dept', id],
    );
    assert.equal(entries[1]!.details.field, 'gender');
  });

  test('SVC-4 confidential: refused before closing; after closing one grouping, and a second (an answer after a profile field) is refused', async () => {
    const id = await survey('confidential', 3);
    const open = await get(id, 'by=profile.afdeling');
    assert.equal(open.statusCode, 409, open.body);
    await close(id);
    const first = await ok<Breakdown>(id, 'by=profile.afdeling');
    // Released: 15 of 16 (steps of 3). The table is the stored one from now on.
    assert.equal(first.released, 15);
    const again = await ok<Breakdown>(id, 'by=profile.afdeling');
    assert.deepEqual(again, first);
    const total = first.released! - first.groups.reduce((s, g) => s + g.n, 0);
    assert.ok(total === 0 || total >= 3, `release minus the shown groups leaves ${total}`);
    // The attack: the same answers split by an answer too; subtracting the two tables.
    const second = await get(id, 'by=answer.dept');
    assert.equal(second.statusCode, 409, second.body);
    assert.match(second.json().detail, /afdeling/);
    // The route of the results page shows the same table.
    const legacy = (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/surveys/${id}/results?comments=0&breakdown=afdeling`,
        headers: { cookie: owner },
      })
    ).json();
    assert.deepEqual(
      legacy.breakdown.groups.map((g: { value: string; responses: number }) => [g.value, g.responses]),
      first.groups.map((g) => [g.value, g.n]),
    );
  });

  test('SVC-4 confidential: grouping by an answer follows the same rule (once, then a profile field is refused); cross-tabs are refused', async () => {
    const id = await survey('confidential', 3);
    await close(id);
    // A cross-tab: with every release step's answer counts public, a cell could follow from the
    // totals; refused rather than shown.
    const x = await get(id, 'by=answer.dept&question=kanaal');
    assert.equal(x.statusCode, 409, x.body);
    assert.equal(x.json().errors[0].pointer, '/query/question');
    const d = await ok<Breakdown>(id, 'by=answer.dept', viewer);
    assert.equal(d.minGroupSize, 3);
    const rest = d.released! - d.groups.reduce((s, g) => s + g.n, 0);
    assert.ok(rest === 0 || rest >= 3, `release minus the shown groups leaves ${rest}`);
    assert.equal((await get(id, 'by=profile.afdeling')).statusCode, 409);
    assert.equal(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/v1/surveys/${id}/results?comments=0&breakdown=afdeling`,
          headers: { cookie: owner },
        })
      ).statusCode,
      409,
    );
  });

  test('SVC-4 anonymous: contact and profile fields refused; an answer once closed, never a multiple choice', async () => {
    const id = await survey('anonymous', 3);
    for (const by of ['gender', 'language', 'profile.afdeling'])
      assert.equal((await get(id, `by=${by}`)).statusCode, 409, by);
    assert.equal((await get(id, 'by=answer.dept')).statusCode, 409, 'not before closing');
    await close(id);
    assert.equal((await get(id, 'by=answer.kanaal')).statusCode, 409, 'overlapping groups');
    const d = await ok<Breakdown>(id, 'by=answer.dept');
    assert.equal(d.released, 15);
    const groupings = (
      await t.app.inject({ method: 'GET', url: `/api/v1/surveys/${id}/groupings`, headers: { cookie: owner } })
    ).json();
    assert.deepEqual(
      [groupings.contact, groupings.profile, groupings.crossTabs, groupings.released],
      [[], [], false, 'answer.dept'],
    );
  });
});
