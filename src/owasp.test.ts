import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { eventually, importCsv, setUp, startTestApp, type TestApp } from '../test/harness.js';

/** OBLIGATIONS SEC-3: the OWASP Top 10 risks, through the HTTP interface. */
describe('SEC-3 OWASP: injection and cross-site scripting', () => {
  let t: TestApp;
  let owner: string;
  let surveyId: string;

  const payloads = [
    `' OR '1'='1`,
    `1; DROP TABLE contacts; --`,
    `") OR 1=1 --`,
    `%27%20OR%201%3D1`,
    `$1`,
    `\\'; SELECT pg_sleep(5); --`,
    `00000000-0000-0000-0000-000000000000' OR 'a'='a`,
    `{"$gt": ""}`,
    `<script>alert(1)</script>`,
  ];

  before(async () => {
    t = await startTestApp();
    ({ ownerCookie: owner } = await setUp(t, { name: 'Zorg <script>alert("org")</script>', slug: 'zorg-xss' }));
    await importCsv(
      t,
      owner,
      'email;voornaam\na@example.nl;<img src=x onerror=alert(1)>\nb@example.nl;"=HYPERLINK(""http://evil"")"\n',
    );
    const s = await t.app.inject({
      method: 'POST',
      url: '/api/v1/surveys',
      headers: { cookie: owner },
      payload: {
        name: '<b>NPS</b>',
        texts: {
          score: {
            nl: '<script>alert("q")</script> Hoe waarschijnlijk?',
            en: '<img src=x onerror=alert(2)> How likely?',
          },
        },
      },
    });
    surveyId = s.json().id;
  });
  after(() => t.close());

  test('SEC-3 injection through every filter, sort and search parameter is answered with 4xx or an empty result, never a 500 or a leak', async () => {
    const urls = (p: string) => [
      `/api/v1/contacts?email=${encodeURIComponent(p)}`,
      `/api/v1/contacts?after=${encodeURIComponent(p)}`,
      `/api/v1/contacts?limit=${encodeURIComponent(p)}`,
      `/api/v1/surveys/${encodeURIComponent(p)}`,
      `/api/v1/surveys/${surveyId}/invitations?status=${encodeURIComponent(p)}`,
      `/api/v1/surveys/${surveyId}/invitations?limit=${encodeURIComponent(p)}`,
      `/api/v1/surveys/${surveyId}/results?comments=${encodeURIComponent(p)}`,
      `/api/v1/surveys/${surveyId}/responses.csv?delimiter=${encodeURIComponent(p)}`,
      `/api/v1/surveys/${surveyId}/responses.csv?contacts=${encodeURIComponent(p)}`,
      `/api/v1/outbox?limit=${encodeURIComponent(p)}`,
      `/api/v1/contact-imports/${encodeURIComponent(p)}`,
      `/s/${encodeURIComponent(p)}`,
    ];
    for (const p of payloads) {
      for (const url of urls(p)) {
        const res = await t.app.inject({ method: 'GET', url, headers: { cookie: owner } });
        assert.ok(res.statusCode < 500, `${url} → ${res.statusCode} ${res.body.slice(0, 200)}`);
        if (url.includes('email=') && res.statusCode === 200)
          assert.equal(res.json().contacts.length, 0, `${url} must find nobody`);
      }
      const del = await t.app.inject({
        method: 'DELETE',
        url: `/api/v1/contacts/${encodeURIComponent(p)}`,
        headers: { cookie: owner },
      });
      assert.ok(del.statusCode === 404 || del.statusCode === 422, `DELETE ${p} → ${del.statusCode}`);
    }
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM contacts`.execute(t.ctx.db.handle.kysely);
    assert.equal(rows[0]!.n, 2, 'the contacts are all still there');
  });

  test('SEC-3 stored markup in names, questions and answers is escaped on the respondent page', async () => {
    const d = await t.app.inject({
      method: 'POST',
      url: `/api/v1/surveys/${surveyId}/distributions`,
      headers: { cookie: owner },
      payload: { all: true },
    });
    assert.equal(d.statusCode, 202);
    const mail = await eventually(async () => {
      const out = (await t.app.inject({ method: 'GET', url: '/api/v1/outbox', headers: { cookie: owner } })).json();
      return out.messages.find((m: { kind: string; to: string }) => m.kind === 'invitation' && m.to === 'a@example.nl');
    });
    // The mail greets the contact by a first name that is markup: escaped in the HTML part.
    assert.ok(!mail.html.includes('<img src=x'), 'markup in a name is escaped in the mail');
    const path = new URL(/https?:\/\/\S+\/s\/[A-Za-z0-9_-]{86}/.exec(mail.text)![0]).pathname;
    const page = await t.app.inject({ method: 'GET', url: path });
    assert.equal(page.statusCode, 200);
    assert.ok(!page.body.includes('<script>alert'), 'no script from data');
    assert.ok(!page.body.includes('<img src=x'), 'no tag from data');
    assert.match(page.body, /&lt;script&gt;alert\(&quot;q&quot;\)&lt;\/script&gt; Hoe waarschijnlijk\?/);
    assert.match(page.body, /Zorg &lt;script&gt;/);
    // And an answer with markup is returned as data, to be shown as text by the admin app.
    const post = await t.app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `score=4&why=${encodeURIComponent('<script>steal()</script>')}&lang=nl`,
    });
    assert.equal(post.statusCode, 303);
    const results = (
      await t.app.inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}/results`, headers: { cookie: owner } })
    ).json();
    assert.equal(results.comments[0].comment, '<script>steal()</script>');
    assert.equal(
      (await t.app.inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}/results`, headers: { cookie: owner } }))
        .headers['content-type'],
      'application/json; charset=utf-8',
    );
  });

  test('SEC-3 security headers are on every answer', async () => {
    for (const url of ['/api/v1/setup', '/s/nothing', '/api/openapi.json']) {
      const res = await t.app.inject({ method: 'GET', url });
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
      assert.equal(res.headers['x-frame-options'], 'DENY', url);
      assert.ok(res.headers['content-security-policy'], url);
      assert.equal(res.headers['referrer-policy'], 'same-origin', url);
    }
  });
});
