import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { signedRowToken } from '../../lib/tokens.js';
import { cookieOf, importCsv, setUp, startTestApp, type TestApp } from '../../../test/harness.js';
import { groupsToShow, minimumCut } from './disclosure.js';
import { releaseSchedule } from './release.js';

/**
 * OBLIGATIONS SVC-4, ACC-2, LOG-1: the results of confidential and anonymous surveys, attacked the way
 * an owner with an account would: subtract a group from the total, an early release from a group, one
 * view from the next; sort the comments; move a contact to another group and ask again.
 */

const form = { 'content-type': 'application/x-www-form-urlencoded' };

interface Results {
  responses: number;
  released: number | null;
  nextRelease: number | null;
  hidden: boolean;
  nps: number | null;
  scores: number[];
  trend: Array<{ day: string; from?: string; responses: number; nps: number | null }>;
  comments: Array<{
    id: string;
    score: number | null;
    category: string | null;
    comment: string;
    submittedAt: string | null;
  }>;
  questions: Array<{
    id: string;
    answered: number | null;
    distribution: Array<{ value: string | number; count: number }>;
    suppressed?: boolean;
  }>;
  breakdown: {
    field: string;
    groups: Array<{ value: string | null; responses: number; mean: number | null }>;
    hiddenGroups: number;
    released?: number | null;
  } | null;
}

describe('SVC-4 disclosure control: the arithmetic', () => {
  test('SVC-4 the release schedule: steps of at least N, nested, growing by 5% once large', () => {
    assert.deepEqual(releaseSchedule(12, 5), [5, 10]);
    assert.deepEqual(releaseSchedule(4, 5), []);
    const big = releaseSchedule(10_000_000, 5);
    assert.ok(big.length < 300, `${big.length} steps for ten million`);
    for (let i = 1; i < big.length; i++) assert.ok(big[i]! - big[i - 1]! >= 5);
    // A prefix of the schedule for more responses is the schedule for fewer: releases never re-cut.
    assert.deepEqual(
      releaseSchedule(5_000, 5),
      big.filter((p) => p <= 5_000),
    );
    // N raised from 5 to 8 after answers came in: the points stay points of the first schedule, so any
    // release shown before and any shown after differ by at least 5 (never, say, 207 against 210).
    const before = releaseSchedule(100_000, 5);
    const after = releaseSchedule(100_000, 8, 5);
    for (const p of after) assert.ok(before.includes(p), `${p} is a point of the first schedule`);
    for (let i = 1; i < after.length; i++) assert.ok(after[i]! - after[i - 1]! >= 8);
  });

  test('SVC-4 minimum cut: the smallest set a combination of released histograms can isolate', () => {
    // Steps s1 = {z1, z2, i1}, s2 = {z3, i2, i3}; groups zorg and ict of 3 each. Step 1 minus zorg
    // leaves i1 − z3: two single answers. The cut {s1, zorg} | {s2, ict} weighs 2.
    const w = [
      [0, 0, 2, 1],
      [0, 0, 1, 2],
      [2, 1, 0, 0],
      [1, 2, 0, 0],
    ];
    assert.equal(minimumCut(w), 2);
    // So with N = 3 neither group may be shown, although each has 3 answers.
    assert.deepEqual(
      [
        ...groupsToShow(
          [
            [2, 1],
            [1, 2],
          ],
          2,
          3,
          () => true,
        ),
      ],
      [],
    );
    // Steps that each fall in one group: every combination is a union of whole groups.
    assert.deepEqual(
      [
        ...groupsToShow(
          [
            [3, 0],
            [0, 3],
          ],
          2,
          3,
          () => true,
        ),
      ].sort(),
      [0, 1],
    );
    // Total minus the one shown group is the hidden one: a second group is suppressed with it.
    assert.deepEqual(
      [
        ...groupsToShow(
          [
            [4, 1],
            [1, 4],
          ],
          3,
          5,
          () => true,
        ),
      ],
      [],
    );
  });
});

describe('SVC-4 confidential and anonymous results under attack', () => {
  let t: TestApp;
  let owner: string;
  let tenantId: string;
  const cookies: Record<string, string> = {};

  before(async () => {
    t = await startTestApp({ SIGN_IN_RATE_PER_MINUTE: '1000' });
    ({ ownerCookie: owner, tenantId } = await setUp(t));
    const rows = Array.from(
      { length: 24 },
      (_, i) =>
        `m${i + 1}@example.nl;M${i + 1};${i < 12 ? 'zorg' : i < 18 ? 'ict' : 'staf'};${i % 3 === 0 ? 'en' : 'nl'};19${70 + i}-01-0${1 + (i % 9)}`,
    );
    const res = await importCsv(t, owner, `email;voornaam;afdeling;taal;geboortedatum\n${rows.join('\n')}\n`);
    assert.equal(res.statusCode, 200, res.body);
    for (const role of ['analyst', 'viewer']) {
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: { cookie: owner },
        payload: { email: `${role}@zorg.test`, name: role, role },
      });
    }
    const out = (await t.app.inject({ method: 'GET', url: '/api/v1/outbox', headers: { cookie: owner } })).json();
    for (const role of ['analyst', 'viewer']) {
      const token = /#token=([A-Za-z0-9_-]+)/.exec(
        out.messages.find((m: { to: string }) => m.to === `${role}@zorg.test`).text,
      )![1]!;
      cookies[role] = cookieOf(
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/accept-invite',
          payload: { token, password: 'Lantaarnpaal-Fietspad-2026' },
        }),
      );
    }
  });
  after(() => t.close());

  async function survey(payload: Record<string, unknown>): Promise<string> {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/surveys',
      headers: { cookie: owner },
      payload: { kind: 'enps', ...payload },
    });
    assert.equal(r.statusCode, 201, r.body);
    return r.json().id;
  }

  /** Invites every contact; the links by department, in a stable order. */
  async function invite(surveyId: string): Promise<Record<string, Array<{ path: string; contactId: string }>>> {
    const d = await t.app.inject({
      method: 'POST',
      url: `/api/v1/surveys/${surveyId}/distributions`,
      headers: { cookie: owner },
      payload: { all: true },
    });
    assert.equal(d.statusCode, 202, d.body);
    const keys = await t.ctx.keyring.forTenant(tenantId);
    const rows = await t.ctx.db.tenant(tenantId, (tx) =>
      tx
        .selectFrom('invitations as i')
        .innerJoin('contacts as c', (j) =>
          j.onRef('c.tenant_id', '=', 'i.tenant_id').onRef('c.id', '=', 'i.contact_id'),
        )
        .select(['i.id', 'i.contact_id', 'c.profile', 'c.created_at'])
        .where('i.survey_id', '=', surveyId)
        .orderBy('c.created_at')
        .orderBy('i.id')
        .execute(),
    );
    const out: Record<string, Array<{ path: string; contactId: string }>> = {};
    for (const r of rows) {
      const dept = (r.profile as Record<string, string>).afdeling!;
      (out[dept] ??= []).push({
        path: `/s/${signedRowToken(tenantId, r.id, (b) => keys.tokenMac(b))}`,
        contactId: r.contact_id,
      });
    }
    return out;
  }

  async function answer(l: { path: string }, score: number, why = ''): Promise<void> {
    const r = await t.app.inject({
      method: 'POST',
      url: l.path,
      headers: form,
      payload: new URLSearchParams({ score: String(score), why, lang: 'nl' }).toString(),
    });
    assert.equal(r.statusCode, 303, r.body);
  }

  async function results(
    id: string,
    query = '',
    cookie = owner,
  ): Promise<Results & { statusCode: number; raw: string }> {
    const r = await t.app.inject({ method: 'GET', url: `/api/v1/surveys/${id}/results${query}`, headers: { cookie } });
    return { ...(r.json() as Results), statusCode: r.statusCode, raw: r.body };
  }

  async function close(id: string): Promise<void> {
    const r = await t.app.inject({ method: 'POST', url: `/api/v1/surveys/${id}/close`, headers: { cookie: owner } });
    assert.equal(r.statusCode, 200, r.body);
  }

  /** What an attacker derives: the released responses not in any shown group. */
  function remainder(r: Results): number {
    return (r.released ?? r.responses) - (r.breakdown?.groups ?? []).reduce((s, g) => s + g.responses, 0);
  }

  test('SVC-4 confidential: total minus a group does not reveal the one answer of a small group', async () => {
    // The attack of the issue: minGroupSize 5, five answers in zorg and one in ict; the total minus
    // zorg would be the ict colleague's score.
    const id = await survey({ name: 'Aftrekken', anonymity: 'confidential', minGroupSize: 5 });
    const links = await invite(id);
    await answer(links.zorg![0]!, 9);
    await answer(links.zorg![1]!, 8);
    await answer(links.ict![0]!, 0);
    await answer(links.zorg![2]!, 9);
    await answer(links.zorg![3]!, 10);
    await answer(links.zorg![4]!, 7);
    await close(id);
    const r = await results(id, '?breakdown=afdeling');
    assert.equal(r.statusCode, 200, r.raw);
    assert.equal(r.responses, 6);
    assert.equal(r.released, 5, 'the sixth answer waits for the next step of 5');
    // Whatever is shown, the total and the groups never differ by fewer than N answers.
    const rest = remainder(r);
    assert.ok(rest === 0 || rest >= 5, `total minus the shown groups leaves ${rest} answer(s)`);
    assert.deepEqual(r.breakdown!.groups, [], 'zorg (4 released) hides, so the complement cannot be shown either');
    // The score histogram holds exactly the released answers: nothing of a pending one.
    assert.equal(
      r.scores.reduce((s, n) => s + n, 0),
      5,
    );
  });

  test('SVC-4 confidential: an early release minus a group is refused as well (complementary suppression over time)', async () => {
    // N = 3. Steps {z1, z2, i1} and {z3, i2, i3}; groups of three each. Step one (the trend) minus
    // zorg gives i1 − z3: two single answers. Both groups must stay hidden.
    const id = await survey({ name: 'Stap min groep', anonymity: 'confidential', minGroupSize: 3 });
    const links = await invite(id);
    await answer(links.zorg![0]!, 9);
    await answer(links.zorg![1]!, 9);
    await answer(links.ict![0]!, 2);
    await answer(links.zorg![2]!, 4);
    await answer(links.ict![1]!, 8);
    await answer(links.ict![2]!, 8);
    await close(id);
    const r = await results(id, '?breakdown=afdeling');
    assert.equal(r.statusCode, 200, r.raw);
    assert.deepEqual(
      r.trend.map((p) => p.responses),
      [3, 3],
    );
    assert.deepEqual(r.breakdown!.groups, []);
    assert.equal(r.breakdown!.hiddenGroups, 2);
  });

  test('SVC-4 confidential: a breakdown that holds is shown once closed, and then never changes (moving a contact, asking another field)', async () => {
    const id = await survey({ name: 'Bevroren', anonymity: 'confidential', minGroupSize: 3 });
    const links = await invite(id);
    for (const l of links.zorg!.slice(0, 3)) await answer(l, 9);
    for (const l of links.ict!.slice(0, 3)) await answer(l, 3);
    // While open: no breakdown (it would change with each new answer and could be subtracted).
    const open = await t.app.inject({
      method: 'GET',
      url: `/api/v1/surveys/${id}/results?breakdown=afdeling`,
      headers: { cookie: owner },
    });
    assert.equal(open.statusCode, 409, open.body);
    assert.equal(open.json().errors[0].pointer, '/query/breakdown');
    await close(id);
    const first = await results(id, '?breakdown=afdeling');
    assert.deepEqual(
      first.breakdown!.groups.map((g) => [g.value, g.responses, g.mean]),
      [
        ['ict', 3, 3],
        ['zorg', 3, 9],
      ],
    );
    // The attack: move a zorg respondent to ict and ask again; the difference would be her score.
    const moved = links.zorg![0]!.contactId;
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/contacts/${moved}`,
      headers: { cookie: owner },
      payload: { profile: { afdeling: 'ict' } },
    });
    assert.equal(patch.statusCode, 200, patch.body);
    const again = await results(id, '?breakdown=afdeling');
    assert.deepEqual(again.breakdown, first.breakdown, 'the released table is read back, not recomputed');
    // A second field would be a second table over the same answers.
    const other = await t.app.inject({
      method: 'GET',
      url: `/api/v1/surveys/${id}/results?breakdown=geboortedatum`,
      headers: { cookie: owner },
    });
    assert.equal(other.statusCode, 409, other.body);
  });

  test('SVC-4 confidential: reading the results before and after one more answer shows the same numbers (no differencing over time)', async () => {
    const id = await survey({ name: 'Over de tijd', anonymity: 'confidential', minGroupSize: 5 });
    const links = await invite(id);
    const people = [...links.zorg!, ...links.ict!];
    for (const [i, l] of people.slice(0, 5).entries()) await answer(l, 5 + i, `Opmerking ${i}`);
    const before5 = await results(id);
    assert.equal(before5.released, 5);
    // The attacker watches one colleague answer, then reads again.
    await answer(people[5]!, 0, 'Slecht');
    const after6 = await results(id);
    assert.equal(after6.responses, 6, 'the count moves');
    for (const k of ['released', 'nps', 'scores', 'trend', 'questions', 'hidden'] as const)
      assert.deepEqual(after6[k], before5[k], `${k} unchanged`);
    assert.deepEqual(after6.comments.map((c) => c.id).sort(), before5.comments.map((c) => c.id).sort());
    // Four more: the next step of five is released at once, never less.
    for (const l of people.slice(6, 10)) await answer(l, 10);
    const after10 = await results(id);
    assert.equal(after10.released, 10);
    assert.equal(after10.scores.reduce((s, n) => s + n, 0) - before5.scores.reduce((s, n) => s + n, 0), 5);
    // The trend's points are the steps: none rests on fewer than N answers.
    assert.deepEqual(
      after10.trend.map((p) => p.responses),
      [5, 5],
    );
  });

  test('SVC-4 confidential: raising the minimum group size after answers keeps the release points already used (no step of 2 between an old and a new view)', async () => {
    const id = await survey({ name: 'Verhoogd', anonymity: 'confidential', minGroupSize: 3 });
    const links = await invite(id);
    const people = [...links.zorg!, ...links.ict!];
    for (const l of people.slice(0, 7)) await answer(l, 6);
    const at3 = await results(id);
    assert.equal(at3.released, 6);
    const raise = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/surveys/${id}`,
      headers: { cookie: owner },
      payload: { minGroupSize: 5 },
    });
    assert.equal(raise.statusCode, 200, raise.body);
    // With a fresh schedule of 5 the release would now be 5: one answer less than before, which is
    // exactly that one answer by subtraction. The schedule of 3 keeps its points, 5 or more apart.
    const at5 = await results(id);
    assert.equal(at5.released, 6);
    for (const l of people.slice(7, 12)) await answer(l, 6);
    const later = await results(id);
    assert.equal(later.released, 12);
    assert.ok(later.trend.every((p) => p.responses >= 5));
  });

  test('SVC-4 confidential: comments carry no score and no time, in an order that is not the order of answering', async () => {
    const id = await survey({ name: 'Opmerkingen', anonymity: 'confidential', minGroupSize: 5 });
    const links = await invite(id);
    const people = [...links.zorg!];
    for (const [i, l] of people.slice(0, 10).entries())
      await answer(l, i, `Antwoord nummer ${i}, bel me op 06-12345678`);
    const r = await results(id);
    assert.equal(r.comments.length, 10);
    for (const c of r.comments) {
      assert.equal(c.score, null);
      assert.equal(c.category, null);
      assert.equal(c.submittedAt, null);
      assert.ok(!c.comment.includes('06-12345678'), 'redacted');
    }
    const ids = r.comments.map((c) => c.id);
    assert.deepEqual(ids, [...ids].sort(), 'ordered by random id');
  });

  test('SVC-4 confidential: no per-response rows anywhere (CSV, responses API)', async () => {
    const id = await survey({ name: 'Geen rijen', anonymity: 'confidential', minGroupSize: 3 });
    const links = await invite(id);
    for (const l of links.zorg!.slice(0, 6)) await answer(l, 8);
    const csv = await t.app.inject({
      method: 'GET',
      url: `/api/v1/surveys/${id}/responses.csv`,
      headers: { cookie: owner },
    });
    assert.equal(csv.statusCode, 403, csv.body);
    const api = await t.app.inject({
      method: 'GET',
      url: `/api/v1/surveys/${id}/responses`,
      headers: { cookie: owner },
    });
    assert.equal(api.statusCode, 403, api.body);
  });

  test('SVC-4 anonymous: the export holds only released answers, without time or language, in an order that carries nothing', async () => {
    const id = await survey({ name: 'Anonieme export', anonymity: 'anonymous', minGroupSize: 5 });
    const links = await invite(id);
    const people = [...links.staf!, ...links.ict!];
    for (const [i, l] of people.slice(0, 7).entries()) await answer(l, i, `Tekst ${i}`);
    const csv = await t.app.inject({
      method: 'GET',
      url: `/api/v1/surveys/${id}/responses.csv?delimiter=comma`,
      headers: { cookie: owner },
    });
    assert.equal(csv.statusCode, 200, csv.body);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
    assert.deepEqual(lines[0]!.slice(0, 4), ['response_id', 'score', 'score_category', 'why']);
    assert.ok(!lines[0]!.includes('submitted_at') && !lines[0]!.includes('language'));
    assert.equal(lines.length - 1, 5, 'the release: 5 of 7');
    const ids = lines.slice(1).map((l) => l[0]!);
    assert.deepEqual(ids, [...ids].sort());
    // The two answers of the next step are in no number yet: not in the export, not in the results.
    const r = await results(id);
    assert.equal(r.released, 5);
    assert.equal(
      r.scores.reduce((s, n) => s + n, 0),
      5,
    );
    assert.ok(r.trend.every((p) => p.responses >= 5));
  });

  test('SVC-4 shielded: an optional question answered by fewer than N of the released respondents shows only its count', async () => {
    const def = {
      questions: [
        { id: 'score', type: 'enps', required: true, text: { nl: 'Aanbevelen?', en: 'Recommend?' } },
        { id: 'why', type: 'text', required: false, text: { nl: 'Waarom?', en: 'Why?' } },
        { id: 'csat', type: 'csat', required: false, text: { nl: 'Tevreden?', en: 'Satisfied?' } },
      ],
      invitation: { subject: { nl: 'Je mening', en: 'Your opinion' }, body: { nl: 'Beste {naam}', en: 'Dear {name}' } },
      thanks: { nl: 'Bedankt!', en: 'Thank you!' },
    };
    const id = await survey({ name: 'Optioneel', anonymity: 'confidential', minGroupSize: 3, definition: def });
    const links = await invite(id);
    const post = (l: { path: string }, body: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: l.path,
        headers: form,
        payload: new URLSearchParams({ lang: 'nl', ...body }).toString(),
      });
    for (const [i, l] of links.zorg!.slice(0, 3).entries())
      assert.equal((await post(l, { score: String(i + 5), ...(i === 0 ? { csat: '1' } : {}) })).statusCode, 303);
    const r = await results(id);
    const csat = r.questions.find((q) => q.id === 'csat')!;
    assert.equal(csat.answered, 1);
    assert.equal(csat.suppressed, true);
    assert.deepEqual(csat.distribution, []);
  });

  test('ACC-2 a viewer cannot break results down by a contact field that is not a grouping field (a birth date would give groups of one)', async () => {
    const id = await survey({ name: 'Geïdentificeerd', kind: 'nps' });
    const links = await invite(id);
    for (const [i, l] of [...links.zorg!.slice(0, 6), ...links.ict!.slice(0, 5), ...links.staf!.slice(0, 2)].entries())
      await answer(l, i % 11);
    for (const role of ['viewer', 'analyst']) {
      const r = await t.app.inject({
        method: 'GET',
        url: `/api/v1/surveys/${id}/results?breakdown=geboortedatum`,
        headers: { cookie: cookies[role]! },
      });
      assert.equal(r.statusCode, 403, `${role}: ${r.body}`);
      assert.equal(r.json().errors[0].pointer, '/query/breakdown');
    }
    // The owner marks afdeling as a grouping field: a viewer may then use it, with the minimum group size.
    const mark = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/profile-fields/afdeling',
      headers: { cookie: owner },
      payload: { grouping: true },
    });
    assert.equal(mark.statusCode, 200, mark.body);
    assert.equal(mark.json().grouping, true);
    const v = await results(id, '?breakdown=afdeling', cookies.viewer!);
    assert.equal(v.statusCode, 200, v.raw);
    // staf (2) is below the minimum group size of 5; total minus zorg minus ict would be staf's two
    // answers, so ict (the smallest shown) goes too.
    assert.deepEqual(
      v.breakdown!.groups.map((g) => g.value),
      ['zorg'],
    );
    assert.equal(v.breakdown!.hiddenGroups, 2);
    // The owner (who may read contact details) sees every group.
    const o = await results(id, '?breakdown=afdeling');
    assert.deepEqual(
      o.breakdown!.groups.map((g) => g.value),
      ['ict', 'staf', 'zorg'],
    );
  });

  test('LOG-1 every breakdown by a contact field is in the log: who, which survey, which field', async () => {
    const id = await survey({ name: 'Gelogd', kind: 'nps' });
    const links = await invite(id);
    await answer(links.zorg![0]!, 9);
    const before = (
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/audit?action=results.breakdown_read',
        headers: { cookie: owner },
      })
    ).json().entries.length;
    assert.equal((await results(id, '?breakdown=afdeling')).statusCode, 200);
    const entries = (
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/audit?action=results.breakdown_read',
        headers: { cookie: owner },
      })
    ).json().entries;
    assert.equal(entries.length, before + 1);
    assert.equal(entries[0].subject.id, id);
    assert.equal(entries[0].details.field, 'afdeling');
  });
});
