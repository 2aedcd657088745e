import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cookieOf, OWNER, setUp, signIn, startTestApp, type TestApp } from '../../../test/harness.js';

/**
 * Issue 14 (ACC-2): a colleague who leaves is deactivated and loses access at once, tried the way the
 * colleague (or a colleague with fewer rights) would try to keep it.
 */
describe('ACC-2 deactivating a colleague who left', () => {
  let t: TestApp;
  let owner: string;
  let tenantId: string;

  before(async () => {
    t = await startTestApp({ SIGN_IN_RATE_PER_MINUTE: '1000' });
    ({ ownerCookie: owner, tenantId } = await setUp(t));
  });
  after(() => t.close());

  const tokenFor = async (email: string) => {
    // Newest first: the latest invitation to this address.
    const out = (
      await t.app.inject({ method: 'GET', url: '/api/v1/outbox?limit=200', headers: { cookie: owner } })
    ).json();
    return /#token=([A-Za-z0-9_-]+)/.exec(out.messages.find((m: { to: string }) => m.to === email).text)![1]!;
  };
  const invite = async (email: string, role: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie: owner },
      payload: { email, name: email.split('@')[0], role },
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json().id as string;
  };
  const accept = async (email: string, password: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/accept-invite',
      payload: { token: await tokenFor(email), password },
    });
    return res;
  };
  const me = (cookie: string) => t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
  const act = (cookie: string, id: string, what: 'deactivate' | 'reactivate') =>
    t.app.inject({ method: 'POST', url: `/api/v1/users/${id}/${what}`, headers: { cookie } });

  test('ACC-2 a deactivated colleague is signed out at once, cannot sign in again, and comes back with the same password when let back in', async () => {
    const id = await invite('vertrekker@zorg.test', 'analyst');
    const accepted = await accept('vertrekker@zorg.test', 'Zeilboot-Haven-Anker-17');
    assert.equal(accepted.statusCode, 200, accepted.body);
    const session = await signIn(t, 'vertrekker@zorg.test', 'Zeilboot-Haven-Anker-17');
    assert.equal((await me(session)).statusCode, 200);

    const off = await act(owner, id, 'deactivate');
    assert.equal(off.statusCode, 200, off.body);
    assert.equal(off.json().status, 'disabled');
    // The session that was open is dead on its very next request, and a new sign-in is refused.
    assert.equal((await me(session)).statusCode, 401);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: 'vertrekker@zorg.test', password: 'Zeilboot-Haven-Anker-17' },
    });
    assert.equal(again.statusCode, 401);
    const listed = (await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: { cookie: owner } }))
      .json()
      .users.find((u: { id: string }) => u.id === id);
    assert.equal(listed.status, 'disabled', 'the team page shows it');
    const log = (await t.app.inject({ method: 'GET', url: `/api/v1/audit?subject=${id}`, headers: { cookie: owner } }))
      .json()
      .entries.map((e: { action: string }) => e.action);
    assert.ok(log.includes('user.deactivated'), log.join());

    const on = await act(owner, id, 'reactivate');
    assert.equal(on.statusCode, 200, on.body);
    assert.equal(on.json().status, 'active');
    assert.equal((await me(await signIn(t, 'vertrekker@zorg.test', 'Zeilboot-Haven-Anker-17'))).statusCode, 200);
  });

  test('ACC-2 an invitation not yet accepted dies with the deactivation: the link cannot bring the colleague back', async () => {
    const id = await invite('nooit@zorg.test', 'viewer');
    assert.equal((await act(owner, id, 'deactivate')).statusCode, 200);
    const oldToken = await tokenFor('nooit@zorg.test');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/accept-invite',
      payload: { token: oldToken, password: 'Regenjas-Paraplu-Laars-5' },
    });
    assert.equal(res.statusCode, 404, res.body);
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/sign-in',
          payload: { email: 'nooit@zorg.test', password: 'Regenjas-Paraplu-Laars-5' },
        })
      ).statusCode,
      401,
    );
    // Let back in: a new invitation mail; the old link stays dead, the new one works.
    const back = await act(owner, id, 'reactivate');
    assert.equal(back.json().status, 'invited');
    const newToken = await tokenFor('nooit@zorg.test');
    assert.notEqual(newToken, oldToken);
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/accept-invite',
          payload: { token: oldToken, password: 'Regenjas-Paraplu-Laars-5' },
        })
      ).statusCode,
      404,
    );
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/accept-invite',
          payload: { token: newToken, password: 'Regenjas-Paraplu-Laars-5' },
        })
      ).statusCode,
      200,
    );
  });

  test('ACC-2 nobody deactivates themselves or someone above them; a viewer deactivates nobody', async () => {
    const ownerId = (await me(owner)).json().id as string;
    const self = await act(owner, ownerId, 'deactivate');
    assert.equal(self.statusCode, 409);
    assert.match(self.json().detail, /jezelf/);
    await invite('beheerder@zorg.test', 'admin');
    assert.equal((await accept('beheerder@zorg.test', 'Vuurtoren-Duin-Meeuw-8')).statusCode, 200);
    const admin = await signIn(t, 'beheerder@zorg.test', 'Vuurtoren-Duin-Meeuw-8');
    assert.equal((await act(admin, ownerId, 'deactivate')).statusCode, 403, 'an admin cannot lock the owner out');
    const viewerId = await invite('kijker@zorg.test', 'viewer');
    assert.equal((await accept('kijker@zorg.test', 'Tulpenbol-Windmolen-Klomp-3')).statusCode, 200);
    const viewer = await signIn(t, 'kijker@zorg.test', 'Tulpenbol-Windmolen-Klomp-3');
    assert.equal((await act(viewer, viewerId, 'deactivate')).statusCode, 403);
    assert.equal((await me(owner)).statusCode, 200, 'the owner still signed in');
    assert.equal((await signIn(t, OWNER.email, OWNER.password)).length > 0, true);
    void tenantId;
    void cookieOf;
  });
});
