import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { signedRowToken } from '../../lib/tokens.js';
import { importCsv, setUp, startTestApp, type TestApp } from '../../../test/harness.js';
import { postStep } from '../../../test/respondents.js';

const L = (nl: string, en: string) => ({ nl, en });
const form = { 'content-type': 'application/x-www-form-urlencoded' };

/** A condition on "score", which is on the same page as the question that depends on it. */
const samePage = () => ({
  questions: [
    { id: 'score', type: 'nps', required: true, text: L('Zou je ons aanbevelen?', 'Would you recommend us?') },
    {
      id: 'problem',
      type: 'text',
      required: false,
      maxLength: 5000,
      showIf: { question: 'score', op: 'lte', value: 6 },
      text: L('Wat ging er mis?', 'What went wrong?'),
    },
  ],
  invitation: { subject: L('Je mening', 'Your opinion'), body: L('Beste {naam}', 'Dear {name}') },
  thanks: L('Bedankt!', 'Thank you!'),
});

describe('issue 12 editor: a condition on a question of the same page cannot be saved', () => {
  let t: TestApp;
  let owner: string;
  let tenantId: string;

  before(async () => {
    t = await startTestApp();
    ({ ownerCookie: owner, tenantId } = await setUp(t));
    const res = await importCsv(t, owner, 'email;voornaam\nanna@klant.example;Anna\nbert@klant.example;Bert\n');
    assert.equal(res.statusCode, 200, res.body);
  });
  after(() => t.close());

  const api = (method: 'POST' | 'PUT' | 'GET', url: string, payload?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: { cookie: owner },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const links = async (surveyId: string) => {
    const d = await api('POST', `/api/v1/surveys/${surveyId}/distributions`, { all: true });
    assert.equal(d.statusCode, 202, d.body);
    const keys = await t.ctx.keyring.forTenant(tenantId);
    const rows = await t.ctx.db.tenant(tenantId, (tx) =>
      tx.selectFrom('invitations').select('id').where('survey_id', '=', surveyId).execute(),
    );
    return rows.map((r) => `/s/${signedRowToken(tenantId, r.id, (b) => keys.tokenMac(b))}`);
  };

  test('SVC-2 creating or saving a same-page condition is refused with a pointer to the condition and the advice to start a new page', async () => {
    const created = await api('POST', '/api/v1/surveys', {
      name: 'Zelfde pagina',
      kind: 'custom',
      definition: samePage(),
    });
    assert.equal(created.statusCode, 422, created.body);
    const e = created
      .json()
      .errors.find((x: { pointer: string }) => x.pointer === '/body/definition/questions/1/showIf/question');
    assert.ok(e, created.body);
    // Issue 14: Dutch when no language is asked.
    assert.match(e.reason, /dezelfde pagina/);
    assert.match(e.reason, /nieuwe pagina/);
    assert.equal(e.code, 'custom');

    const ok = await api('POST', '/api/v1/surveys', { name: 'Zelfde pagina', kind: 'custom', status: 'draft' });
    assert.equal(ok.statusCode, 201, ok.body);
    const put = await api('PUT', `/api/v1/surveys/${ok.json().id}`, { definition: samePage() });
    assert.equal(put.statusCode, 422, put.body);
    assert.deepEqual(
      put.json().errors.map((x: { pointer: string }) => x.pointer),
      ['/body/definition/questions/1/showIf/question'],
    );
    assert.match(put.json().errors[0].reason, /nieuwe pagina/);
  });

  test('SVC-2 with newPage on the question it saves, and the respondent sees it on the next page exactly when the condition holds', async () => {
    const def = samePage();
    (def.questions[1] as Record<string, unknown>).newPage = true;
    const s = await api('POST', '/api/v1/surveys', { name: 'Nieuwe pagina', kind: 'custom', definition: def });
    assert.equal(s.statusCode, 201, s.body);
    const [a, b] = await links(s.json().id);
    const low = await postStep(t, {
      method: 'POST',
      url: a!,
      headers: form,
      payload: 'lang=nl&page=0&nav=next&score=3',
    });
    assert.equal(low.statusCode, 200, low.body);
    assert.match(low.body, /Wat ging er mis\?/);
    const high = await postStep(t, {
      method: 'POST',
      url: b!,
      headers: form,
      payload: 'lang=nl&page=0&nav=next&score=9',
    });
    assert.ok(!/Wat ging er mis\?/.test(high.body), 'not shown when the condition does not hold');
  });

  test('SVC-2 a survey stored with a same-page condition before this rule still loads, runs and can have its texts edited', async () => {
    const s = await api('POST', '/api/v1/surveys', { name: 'Oud', kind: 'custom' });
    assert.equal(s.statusCode, 201, s.body);
    const id = s.json().id;
    // As it was stored before the rule existed.
    await sql`UPDATE surveys SET definition = ${JSON.stringify(samePage())}::jsonb WHERE id = ${id}::uuid`.execute(
      t.ctx.db.handle.kysely,
    );
    const got = await api('GET', `/api/v1/surveys/${id}`);
    assert.equal(got.statusCode, 200, got.body);
    assert.equal(got.json().definition.questions[1].showIf.question, 'score');
    assert.equal((await api('GET', '/api/v1/surveys')).statusCode, 200);
    const [a] = await links(id);
    assert.equal((await t.app.inject({ method: 'GET', url: a! })).statusCode, 200);
    const answered = await postStep(t, {
      method: 'POST',
      url: a!,
      headers: form,
      payload: 'lang=nl&nav=submit&score=8',
    });
    assert.equal(answered.statusCode, 303, answered.body);
    // A text edit keeps the old condition (its pages can no longer change: the survey has a response).
    const def = samePage();
    def.thanks = L('Hartelijk dank!', 'Many thanks!');
    const edited = await api('PUT', `/api/v1/surveys/${id}`, { definition: def });
    assert.equal(edited.statusCode, 200, edited.body);
  });
});
