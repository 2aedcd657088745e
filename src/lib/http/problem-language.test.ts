/**
 * Issue 14: API problems carry their title and detail in Dutch or English by Accept-Language, with a
 * stable `code`; Dutch when the client names neither. The catalogue messages come from /locales, the
 * same files the admin app uses.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, startTestApp, type TestApp } from '../../../test/harness.js';
import { negotiateLanguage } from '../i18n.js';

describe('problem+json in the client’s language', () => {
  let t: TestApp;
  let owner: string;
  before(async () => {
    t = await startTestApp();
    ({ ownerCookie: owner } = await setUp(t));
  });
  after(() => t.close());

  const get = (url: string, lang?: string) =>
    t.app.inject({ method: 'GET', url, headers: { cookie: owner, ...(lang ? { 'accept-language': lang } : {}) } });

  test('a survey that does not exist: Dutch by default, English when asked, the same code and status', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const nl = await get(`/api/v1/surveys/${id}`);
    const en = await get(`/api/v1/surveys/${id}`, 'en-GB,en;q=0.9');
    for (const r of [nl, en]) {
      assert.equal(r.statusCode, 404);
      assert.equal(r.json().code, 'not_found');
      assert.match(String(r.headers.vary), /Accept-Language/i);
    }
    assert.equal(nl.headers['content-language'], 'nl');
    assert.equal(nl.json().title, 'Niet gevonden');
    assert.equal(nl.json().detail, 'Onderzoek niet gevonden.');
    assert.equal(en.headers['content-language'], 'en');
    assert.equal(en.json().title, 'Not found');
    assert.equal(en.json().detail, 'No such survey.');
  });

  test('a validation problem: the sentence follows the language, the pointers do not', async () => {
    const send = (lang: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/surveys',
        headers: { cookie: owner, 'accept-language': lang },
        payload: { name: '' },
      });
    const [nl, en] = [await send('nl-NL'), await send('en')];
    assert.equal(nl.statusCode, 422);
    assert.equal(nl.json().code, en.json().code);
    assert.deepEqual(nl.json().errors, en.json().errors);
    assert.match(nl.json().detail, /^Het verzoek is niet geldig: \/body\/name/);
    assert.match(en.json().detail, /^The request is not valid: \/body\/name/);
    assert.equal(nl.json().title, 'Controle mislukt');
  });

  test('an unknown route and a missing sign-in answer in the asked language', async () => {
    const route = await t.app.inject({
      method: 'GET',
      url: '/api/v1/nope',
      headers: { 'accept-language': 'fr-FR, en;q=0.5' },
    });
    assert.equal(route.statusCode, 404);
    assert.equal(route.json().detail, 'No route for GET /api/v1/nope.');
    const anon = await t.app.inject({ method: 'GET', url: '/api/v1/surveys', headers: { 'accept-language': 'nl' } });
    assert.equal(anon.statusCode, 401);
    assert.equal(anon.json().title, 'Inloggen vereist');
  });

  test('Accept-Language negotiation: weights, regions, wildcards and nonsense', () => {
    assert.equal(negotiateLanguage(undefined), 'nl');
    assert.equal(negotiateLanguage(''), 'nl');
    assert.equal(negotiateLanguage('en-US'), 'en');
    assert.equal(negotiateLanguage('de-DE, en;q=0.8, nl;q=0.9'), 'nl');
    assert.equal(negotiateLanguage('de-DE, en;q=0.8'), 'en');
    assert.equal(negotiateLanguage('en;q=0, nl;q=0.1'), 'nl');
    assert.equal(negotiateLanguage('*'), 'nl');
    assert.equal(negotiateLanguage('fr'), 'nl');
    assert.equal(negotiateLanguage(';;;,q=abc,en;q=x'), 'nl');
  });
});
