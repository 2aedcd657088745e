// Issue 12: a label set per survey, labels per open question (OBLIGATIONS AI-2, AI-4, SVC-4).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { signedRowToken } from '../../lib/tokens.js';
import { addColleague, operatorCookie, setUp, signIn, startTestApp, type TestApp } from '../../../test/harness.js';
import { ensureContacts } from '../../../test/respondents.js';
import { labelSummary, labelsOfResponses } from './results.js';
import { runLabelling } from './run.js';
import { CUSTOMER_LABEL_IDS, EMPLOYEE_LABEL_IDS } from './taxonomies.js';

const db = process.env.PEIL_TEST_DATABASE_URL ? 'postgresql' : 'pglite';
const text = (id: string, nl: string) => ({
  id,
  type: 'text' as const,
  required: false,
  maxLength: 2000,
  text: { nl, en: nl },
});

describe(`label sets per survey and labels per open question (${db})`, () => {
  let t: TestApp;
  let tenantId: string;
  let owner: string;
  let viewer: string;
  let analyst: string;
  let customerSurvey: string;
  let employeeSurvey: string;
  let customerResponses: string[];
  let employeeResponses: string[];

  /** A survey answered through the respondent pages: each answer is the form of one invitation. */
  async function answered(
    payload: Record<string, unknown>,
    answers: Array<Record<string, string>>,
  ): Promise<{ surveyId: string; responseIds: string[] }> {
    await ensureContacts(t, owner, tenantId, answers.length);
    const s = await t.app.inject({ method: 'POST', url: '/api/v1/surveys', headers: { cookie: owner }, payload });
    assert.equal(s.statusCode, 201, s.body);
    const surveyId: string = s.json().id;
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/surveys/${surveyId}/distributions`,
          headers: { cookie: owner },
          payload: { all: true },
        })
      ).statusCode,
      202,
    );
    const invitations = await t.ctx.db.tenant(tenantId, (tx) =>
      tx.selectFrom('invitations').select('id').where('survey_id', '=', surveyId).orderBy('id').execute(),
    );
    const keys = await t.ctx.keyring.forTenant(tenantId);
    const responseIds: string[] = [];
    for (const [i, a] of answers.entries()) {
      const invitationId = invitations[i]!.id;
      const token = signedRowToken(tenantId, invitationId, (b) => keys.tokenMac(b));
      const res = await t.app.inject({
        method: 'POST',
        url: `/s/${token}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ lang: 'nl', ...a }).toString(),
      });
      assert.equal(res.statusCode, 303, res.body);
      responseIds.push(
        (
          await t.ctx.db.tenant(tenantId, (tx) =>
            tx.selectFrom('responses').select('id').where('invitation_id', '=', invitationId).executeTakeFirstOrThrow(),
          )
        ).id,
      );
    }
    return { surveyId, responseIds };
  }
  const summary = (surveyId: string, questionId?: string) =>
    t.ctx.db.tenant(tenantId, (tx) => labelSummary(tx, tenantId, surveyId, undefined, questionId));
  const labelsOf = (ids: string[], questionId?: string) =>
    t.ctx.db.tenant(tenantId, (tx) => labelsOfResponses(tx, ids, questionId));
  const labelSet = async (surveyId: string, cookie = owner) =>
    t.app.inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}/label-set`, headers: { cookie } });
  const putSet = (surveyId: string, set: string | null, cookie = owner) =>
    t.app.inject({
      method: 'PUT',
      url: `/api/v1/surveys/${surveyId}/label-set`,
      headers: { cookie },
      payload: { set },
    });
  const used = async () =>
    (await t.app.inject({ method: 'GET', url: '/api/v1/labelling', headers: { cookie: owner } })).json().quota
      .used as number;

  before(async () => {
    t = await startTestApp({ LABELLING_SWEEP_SECONDS: '0', LABELLING_DEFAULT_MONTHLY_QUOTA: '1000' });
    ({ tenantId, ownerCookie: owner } = await setUp(t));
    viewer = await addColleague(t, owner, 'viewer@zorg.test', 'viewer');
    analyst = await addColleague(t, owner, 'analyst@zorg.test', 'analyst');
    // A customer survey with two open questions (the second on why they would come back or not).
    ({ surveyId: customerSurvey, responseIds: customerResponses } = await answered(
      {
        name: 'Klantonderzoek',
        kind: 'custom',
        definition: {
          questions: [
            { id: 'score', type: 'nps', required: true, text: { nl: 'Aanbevelen?', en: 'Recommend?' } },
            text('reden', 'Waarom?'),
            text('verbeteren', 'Wat kan beter?'),
          ],
          invitation: {
            subject: { nl: 'Vraag', en: 'Question' },
            body: { nl: 'Beste {naam}, wil je helpen?', en: 'Dear {name}, would you help?' },
          },
          thanks: { nl: 'Dank', en: 'Thanks' },
        },
      },
      [
        {
          score: '2',
          reden: 'Veel te duur voor wat je krijgt, de prijs is echt te hoog.',
          verbeteren: 'Minder lang wachten aan de telefoon.',
        },
        { score: '9', reden: 'Vriendelijk personeel, echt top!', verbeteren: 'De wachttijd bij de kassa mag korter.' },
        { score: '6', reden: 'De prijs is aan de hoge kant.', verbeteren: '' },
      ],
    ));
    ({ surveyId: employeeSurvey, responseIds: employeeResponses } = await answered(
      { name: 'Medewerkersonderzoek', kind: 'enps' },
      [
        { score: '3', why: 'De werkdruk is veel te hoog, we zijn structureel onderbezet.' },
        { score: '9', why: 'Fijne collega’s en een leidinggevende die echt luistert.' },
      ],
    ));
    const s = (await t.app.inject({ method: 'GET', url: '/api/v1/labelling', headers: { cookie: owner } })).json();
    const on = await t.app.inject({
      method: 'POST',
      url: '/api/v1/labelling/activate',
      headers: { cookie: owner },
      payload: { termsVersion: s.terms.version, acceptTerms: true },
    });
    assert.equal(on.statusCode, 200, on.body);
    await runLabelling(t.ctx, tenantId);
  });
  after(() => t.close());

  test('AI-2 each survey gets the set of its kind: an eNPS survey’s comments get employee labels, a customer survey of the same customer customer labels', async () => {
    const c = (await labelSet(customerSurvey)).json();
    assert.deepEqual(c, {
      surveyId: customerSurvey,
      set: 'customer',
      chosen: false,
      default: 'customer',
      openQuestions: ['reden', 'verbeteren'],
    });
    const e = (await labelSet(employeeSurvey)).json();
    assert.deepEqual([e.set, e.chosen, e.default, e.openQuestions], ['employee', false, 'employee', ['why']]);

    const es = await summary(employeeSurvey);
    assert.equal(es.taxonomy, 'employee');
    assert.equal(es.labelled, 2);
    assert.deepEqual(es.labels.map((l) => l.id).sort(), [...EMPLOYEE_LABEL_IDS].sort(), 'the employee set is listed');
    assert.ok(es.labels.find((l) => l.id === 'workload')!.count >= 1, 'workload is found in an employee comment');
    const eLabels = await labelsOf(employeeResponses);
    for (const id of employeeResponses)
      for (const l of eLabels.get(id)!.labels)
        assert.ok((EMPLOYEE_LABEL_IDS as readonly string[]).includes(l), `${l} is an employee label`);
    assert.ok(eLabels.get(employeeResponses[0]!)!.labels.includes('workload'));

    const cs = await summary(customerSurvey);
    assert.equal(cs.taxonomy, 'customer');
    assert.equal(cs.questionId, 'reden');
    assert.ok(cs.labels.find((l) => l.id === 'price')!.count >= 2);
    assert.ok(!cs.labels.some((l) => l.id === 'workload'), 'no employee label in a customer survey');
    const cLabels = await labelsOf(customerResponses);
    for (const id of customerResponses)
      for (const l of cLabels.get(id)!.labels)
        assert.ok((CUSTOMER_LABEL_IDS as readonly string[]).includes(l), `${l} is a customer label`);

    // Through the results route too (what the app shows).
    const r = await t.app.inject({
      method: 'GET',
      url: `/api/v1/surveys/${employeeSurvey}/results`,
      headers: { cookie: owner },
    });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().labelling.taxonomy, 'employee');
  });

  test('SVC-4 two open questions are both labelled and counted separately; each text counts once for the quota (AI-4)', async () => {
    const first = await summary(customerSurvey, 'reden');
    const second = await summary(customerSurvey, 'verbeteren');
    assert.equal(first.labelled, 3);
    assert.equal(second.labelled, 2, 'the empty answer to the second question is no text');
    assert.equal(second.questionId, 'verbeteren');
    assert.ok(
      second.labels.find((l) => l.id === 'waiting_time')!.count >= 2,
      'waiting time is what the second question is about',
    );
    assert.ok(
      first.labels.find((l) => l.id === 'price')!.count > second.labels.find((l) => l.id === 'price')!.count,
      'price is what the first question is about',
    );
    const q2 = await labelsOf(customerResponses, 'verbeteren');
    assert.ok(q2.get(customerResponses[0]!)!.labels.includes('waiting_time'));
    assert.ok(
      (await labelsOf(customerResponses)).get(customerResponses[0]!)!.labels.includes('price'),
      'the default is the first open question',
    );
    // 3 + 2 customer texts and 2 employee texts: 7 texts, from 5 responses.
    assert.equal(await used(), 7);
    await assert.rejects(summary(customerSurvey, 'score'), /Not an open question/);
  });

  test('AI-2 a correction of the second open question’s label changes that answer only, and is kept for the survey’s set', async () => {
    const id = customerResponses[1]!;
    const before1 = (await labelsOf([id], 'reden')).get(id)!;
    const denied = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/responses/${id}/labels`,
      headers: { cookie: viewer },
      payload: { questionId: 'verbeteren', labels: ['staff'], sentiment: 'negative' },
    });
    assert.equal(denied.statusCode, 403);
    const notOpen = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/responses/${id}/labels`,
      headers: { cookie: analyst },
      payload: { questionId: 'score', labels: ['staff'], sentiment: 'negative' },
    });
    assert.equal(notOpen.statusCode, 422);
    assert.equal(notOpen.json().errors[0].pointer, '/questionId');
    const wrongSet = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/responses/${id}/labels`,
      headers: { cookie: analyst },
      payload: { questionId: 'verbeteren', labels: ['workload'], sentiment: 'negative' },
    });
    assert.equal(wrongSet.statusCode, 422, 'an employee label is not a label of a customer survey');

    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/responses/${id}/labels`,
      headers: { cookie: analyst },
      payload: { questionId: 'verbeteren', labels: ['staff', 'waiting_time'], sentiment: 'negative' },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), {
      responseId: id,
      questionId: 'verbeteren',
      labelSet: 'customer',
      labels: ['staff', 'waiting_time'],
      sentiment: 'negative',
      labelSource: 'human',
    });
    const q2 = (await labelsOf([id], 'verbeteren')).get(id)!;
    assert.deepEqual([q2.labels, q2.sentiment, q2.labelSource], [['staff', 'waiting_time'], 'negative', 'human']);
    assert.deepEqual((await labelsOf([id], 'reden')).get(id), before1, 'the first question’s labels are untouched');
    assert.equal((await summary(customerSurvey, 'verbeteren')).labels.find((l) => l.id === 'staff')!.count >= 1, true);
    const kept = await t.ctx.db.tenant(tenantId, (tx) =>
      tx
        .selectFrom('label_corrections')
        .select(['response_id', 'question_id', 'label_set', 'labels'])
        .where('response_id', '=', id)
        .execute(),
    );
    assert.deepEqual(
      kept.map((k) => [k.question_id, k.label_set, k.labels]),
      [['verbeteren', 'customer', ['staff', 'waiting_time']]],
    );
    // The default question is still the first one.
    const dflt = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/responses/${id}/labels`,
      headers: { cookie: analyst },
      payload: { labels: ['staff'], sentiment: 'positive' },
    });
    assert.equal(dflt.json().questionId, 'reden');
  });

  test('AI-2 only an owner or admin changes a survey’s set; a viewer or analyst cannot, and another customer cannot even see the survey', async () => {
    for (const cookie of [viewer, analyst]) {
      const res = await putSet(customerSurvey, 'employee', cookie);
      assert.equal(res.statusCode, 403, res.body);
    }
    const op = await operatorCookie(t);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/operator/tenants',
      headers: { cookie: op },
      payload: {
        name: 'Andere Klant',
        slug: 'andere-klant-sets',
        owner: { email: 'eigenaar@andere-sets.test', name: 'Anders', password: 'Appelboom-Regen-31' },
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    const other = await signIn(t, 'eigenaar@andere-sets.test', 'Appelboom-Regen-31');
    assert.equal((await putSet(customerSurvey, 'employee', other)).statusCode, 404);
    assert.equal((await labelSet(customerSurvey, other)).statusCode, 404);
    assert.equal((await putSet('not-a-uuid', 'employee', other)).statusCode, 404);
    assert.equal((await labelSet(customerSurvey)).json().set, 'customer', 'nothing changed');
    const audit = await t.ctx.db.tenant(tenantId, (tx) =>
      tx.selectFrom('audit_events').select('action').where('action', '=', 'survey.label_set_changed').execute(),
    );
    assert.equal(audit.length, 0);
  });

  test('AI-2 the owner moves a survey to the customer’s own set: audited, its answers are labelled again in that set, and back to the default', async () => {
    const mine = await t.app.inject({
      method: 'POST',
      url: '/api/v1/labels',
      headers: { cookie: owner },
      payload: { set: 'own', name: { nl: 'Kassa', en: 'Checkout' } },
    });
    assert.equal(mine.statusCode, 201, mine.body);
    const ownList = (
      await t.app.inject({ method: 'GET', url: '/api/v1/labels?set=own', headers: { cookie: owner } })
    ).json();
    assert.deepEqual([ownList.taxonomy, ownList.labels.map((l: { id: string }) => l.id)], ['own', ['checkout']]);

    const before1 = await used();
    const res = await putSet(employeeSurvey, 'own');
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual([res.json().set, res.json().chosen], ['own', true]);
    const audit = await t.ctx.db.tenant(tenantId, (tx) =>
      tx
        .selectFrom('audit_events')
        .select(['action', 'details'])
        .where('action', '=', 'survey.label_set_changed')
        .execute(),
    );
    assert.equal(audit.length, 1);
    assert.deepEqual((audit[0]!.details as { before: unknown }).before, { set: 'employee', chosen: false });
    const gone = await summary(employeeSurvey);
    assert.deepEqual([gone.taxonomy, gone.labelled], ['own', 0], 'old labels of another set are not counted');
    await runLabelling(t.ctx, tenantId);
    const own = await summary(employeeSurvey);
    assert.deepEqual([own.taxonomy, own.labelled, own.labels.map((l) => l.id)], ['own', 2, ['checkout']]);
    assert.equal(await used(), before1 + 2, 'labelling again counts the texts again');

    const back = await putSet(employeeSurvey, null);
    assert.deepEqual([back.json().set, back.json().chosen], ['employee', false]);
    await runLabelling(t.ctx, tenantId);
    assert.equal((await summary(employeeSurvey)).taxonomy, 'employee');
    assert.equal((await summary(employeeSurvey)).labelled, 2);
  });
});
