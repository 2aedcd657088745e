import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, startTestApp, type TestApp } from '../../../test/harness.js';

/** Issue 14 (point 12): the 403 of the security measures names a scope; a key can be given that scope. */
describe('issue 14: an API key with security-measures:read', () => {
  let t: TestApp;
  let owner: string;
  before(async () => {
    t = await startTestApp();
    ({ ownerCookie: owner } = await setUp(t));
  });
  after(() => t.close());

  const key = async (scopes: string[]) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: { cookie: owner },
      payload: { name: scopes.join(' ') || 'geen', scopes },
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json().key as string;
  };

  test('SEC-4 the scope is offered, a key without it gets the 403 that names it, a key with it reads the measures and nothing else', async () => {
    const offered = (await t.app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: { cookie: owner } })).json()
      .scopes as string[];
    assert.ok(offered.includes('security-measures:read'));
    const without = await t.app.inject({
      method: 'GET',
      url: '/api/v1/security-measures',
      headers: { authorization: `Bearer ${await key(['surveys:read'])}` },
    });
    assert.equal(without.statusCode, 403);
    assert.match(without.body, /security-measures:read/);
    const withScope = await key(['security-measures:read']);
    const ok = await t.app.inject({
      method: 'GET',
      url: '/api/v1/security-measures',
      headers: { authorization: `Bearer ${withScope}` },
    });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/api/v1/surveys', headers: { authorization: `Bearer ${withScope}` } }))
        .statusCode,
      403,
    );
  });
});
