import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, importCsv, setUp, startTestApp, type TestApp } from '../../../test/harness.js';

/**
 * Issue 14 and "never a respondent's answer refused because of a limit": the longest answers a survey
 * allows are stored, whatever the server's other limits; a post beyond any survey's reach gets a page
 * in Dutch with English that says what happened and what to do.
 */
describe('SVC-2 a respondent is never refused because of a size limit', () => {
  let t: TestApp;
  let owner: string;
  let path: string;
  let surveyId: string;

  before(async () => {
    t = await startTestApp();
    ({ ownerCookie: owner } = await setUp(t));
    await importCsv(t, owner, 'email;voornaam\nlang@zorg.example;Lotte\n');
    const q = (i: number) => ({
      id: `q${i}`,
      type: 'text',
      required: false,
      maxLength: 5000,
      text: { nl: `Vraag ${i}`, en: `Question ${i}` },
    });
    const templates = (
      await t.app.inject({ method: 'GET', url: '/api/v1/surveys/templates', headers: { cookie: owner } })
    ).json().templates;
    const custom = templates.find((x: { kind: string }) => x.kind === 'custom').definition;
    const s = await t.app.inject({
      method: 'POST',
      url: '/api/v1/surveys',
      headers: { cookie: owner },
      payload: {
        name: 'Lange antwoorden',
        kind: 'custom',
        definition: { ...custom, questions: [q(1), q(2), q(3), q(4)] },
      },
    });
    assert.equal(s.statusCode, 201, s.body);
    surveyId = s.json().id;
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
    const mail = await eventually(async () =>
      (await t.app.inject({ method: 'GET', url: '/api/v1/outbox', headers: { cookie: owner } }))
        .json()
        .messages.find((m: { kind: string }) => m.kind === 'invitation'),
    );
    path = new URL(/https?:\/\/\S+\/s\/[A-Za-z0-9_-]{86}/.exec(mail.text)![0]).pathname;
  });
  after(() => t.close());

  test('SVC-2 four open answers of the full 5,000 characters each (Dutch accents: about 120 KB as a form, twice the old limit) are stored', async () => {
    const long = (c: string) => c.repeat(5000);
    const body = new URLSearchParams({
      q1: long('é'),
      q2: long('ë'),
      q3: long('ï'),
      q4: long('ü'),
      lang: 'nl',
      page: '0',
      nav: 'submit',
    }).toString();
    assert.ok(body.length > 100_000, `${body.length} bytes`);
    const res = await t.app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: body,
    });
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    const results = (
      await t.app.inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}/results`, headers: { cookie: owner } })
    ).json();
    assert.equal(results.responses, 1);
  });

  test('SVC-2 a post larger than any survey can produce gets a page in Dutch with English (413), not a bare "Payload too large"', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `q1=${'a'.repeat(12 * 1024 * 1024)}`,
    });
    assert.equal(res.statusCode, 413);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.match(res.body, /Je antwoorden zijn te lang/);
    assert.match(res.body, /Your answers are too long/);
    assert.match(res.body, /\d+ MB/, 'the limit is shown');
    assert.match(res.body, /Ga terug/);
    // The API keeps problem+json.
    const api = await t.app.inject({
      method: 'POST',
      url: '/api/v1/contacts',
      headers: { cookie: owner, 'content-type': 'application/json' },
      payload: `{"email":"${'a'.repeat(2 * 1024 * 1024)}"}`,
    });
    assert.equal(api.statusCode, 413);
    assert.match(String(api.headers['content-type']), /problem\+json/);
  });
});
