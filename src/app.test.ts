import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { importCsv, operatorCookie, setUp, signIn, startTestApp, type TestApp } from '../test/harness.js';
import { redactUrl } from './app.js';

describe('the HTTP contract: problem+json errors, tenant boundaries, OpenAPI', () => {
  let t: TestApp;
  let ownerA: string;
  let ownerB: string;
  let surveyA: string;
  let contactA: string;

  before(async () => {
    t = await startTestApp();
    ({ ownerCookie: ownerA } = await setUp(t));
    const op = await operatorCookie(t);
    const b = await t.app.inject({
      method: 'POST',
      url: '/api/v1/operator/tenants',
      headers: { cookie: op },
      payload: {
        name: 'Woonstichting B',
        slug: 'woon-b',
        owner: { email: 'owner@woon.test', name: 'Bea', password: 'Grachtenpand-Blauw-3' },
      },
    });
    assert.equal(b.statusCode, 201, b.body);
    ownerB = await signIn(t, 'owner@woon.test', 'Grachtenpand-Blauw-3');
    await importCsv(t, ownerA, 'email\ngeheim@a.example\n');
    surveyA = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/surveys',
        headers: { cookie: ownerA },
        payload: { name: 'Alleen van A' },
      })
    ).json().id;
    contactA = (await t.app.inject({ method: 'GET', url: '/api/v1/contacts', headers: { cookie: ownerA } })).json()
      .contacts[0].id;
  });
  after(() => t.close());

  test('bad JSON gets 400 problem+json with a request id', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/surveys',
      headers: { cookie: ownerA, 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    const p = res.json();
    assert.equal(p.code, 'bad_request');
    assert.equal(p.status, 400);
    assert.equal(p.requestId, res.headers['x-request-id']);
    assert.equal(p.instance, '/api/v1/surveys');
  });

  test('an invalid body names each field that is wrong', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/surveys',
      headers: { cookie: ownerA },
      payload: { name: '', defaultLanguage: 'de' },
    });
    assert.equal(res.statusCode, 422);
    const pointers = res
      .json()
      .errors.map((e: { pointer: string }) => e.pointer)
      .sort();
    assert.deepEqual(pointers, ['/body/defaultLanguage', '/body/name']);
  });

  test('unknown routes and unauthenticated calls are problems too', async () => {
    const a = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    assert.equal(a.statusCode, 404);
    assert.equal(a.json().code, 'not_found');
    const b = await t.app.inject({ method: 'GET', url: '/api/v1/surveys' });
    assert.equal(b.statusCode, 401);
    assert.equal(b.json().code, 'unauthenticated');
  });

  test("ACC-6 another tenant's ids get 404 and no data", async () => {
    const calls = [
      { method: 'GET', url: `/api/v1/surveys/${surveyA}` },
      { method: 'GET', url: `/api/v1/surveys/${surveyA}/results` },
      { method: 'GET', url: `/api/v1/surveys/${surveyA}/responses.csv` },
      { method: 'GET', url: `/api/v1/surveys/${surveyA}/distributions` },
      { method: 'POST', url: `/api/v1/surveys/${surveyA}/distributions`, payload: { all: true } },
      { method: 'GET', url: `/api/v1/contacts/${contactA}` },
      { method: 'DELETE', url: `/api/v1/contacts/${contactA}` },
      { method: 'PATCH', url: `/api/v1/users/${contactA}`, payload: { role: 'viewer' } },
    ] as const;
    for (const c of calls) {
      const res = await t.app.inject({ ...c, headers: { cookie: ownerB } });
      assert.equal(res.statusCode, 404, `${c.method} ${c.url}: ${res.body}`);
      assert.ok(!res.body.includes('Alleen van A') && !res.body.includes('geheim'), 'nothing of A leaks');
    }
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/contacts', headers: { cookie: ownerB } });
    assert.equal(list.json().total, 0);
    // And A still has its contact: B's DELETE did nothing.
    assert.equal(
      (await t.app.inject({ method: 'GET', url: `/api/v1/contacts/${contactA}`, headers: { cookie: ownerA } }))
        .statusCode,
      200,
    );
  });

  test('a second set-up is refused', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/setup',
      payload: {
        operator: { email: 'x@y.nl', name: 'X', password: 'Zonnebloem-Veld-44' },
        tenant: { name: 'X', slug: 'xx', owner: { email: 'o@y.nl', name: 'O', password: 'Zonnebloem-Veld-44' } },
      },
    });
    assert.equal(res.statusCode, 409);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/setup' })).json().needed, false);
  });

  test('the OpenAPI 3.1 description lists the API', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    assert.equal(res.statusCode, 200);
    const doc = res.json();
    assert.equal(doc.openapi, '3.1.0');
    for (const path of [
      '/api/v1/setup',
      '/api/v1/auth/sign-in',
      '/api/v1/contact-imports',
      '/api/v1/surveys/{id}/results',
      '/api/v1/surveys/{id}/distributions',
    ]) {
      assert.ok(doc.paths[path], `${path} is described`);
    }
  });

  test('respondent tokens and secrets in URLs never reach a log line', () => {
    assert.equal(redactUrl('/s/abcDEF_123-xyz?lang=nl'), '/s/[token]?lang');
    assert.equal(redactUrl('/s/o/abcDEF_123-xyz'), '/s/o/[token]');
    assert.equal(redactUrl('/app/accept?token=secret&x=1'), '/app/accept?…');
  });
});
