import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cookieOf, importCsv, operatorCookie, setUp, startTestApp, type TestApp } from '../../../test/harness.js';

describe('ACC-3 support access ("meekijken")', () => {
  let t: TestApp;
  let owner: string;
  let tenantId: string;
  let surveyId: string;

  before(async () => {
    t = await startTestApp();
    ({ ownerCookie: owner, tenantId } = await setUp(t));
    await importCsv(t, owner, 'email;voornaam\npersoon@example.nl;Petra\n');
    surveyId = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/surveys',
        headers: { cookie: owner },
        payload: { name: 'Meekijken' },
      })
    ).json().id;
  });
  after(() => t.close());

  const enter = async (op: string, grantId: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/operator/tenants/${tenantId}/support-session`,
      headers: { cookie: op },
      payload: { grantId },
    });

  test('ACC-3 without a grant, operator staff reach no personal data of the customer', async () => {
    const op = await operatorCookie(t);
    for (const url of ['/api/v1/contacts', `/api/v1/surveys/${surveyId}/results`, '/api/v1/outbox']) {
      const res = await t.app.inject({ method: 'GET', url, headers: { cookie: op } });
      assert.equal(res.statusCode, 401, url);
      assert.ok(!res.body.includes('persoon@example.nl'));
    }
    const grants = await t.app.inject({
      method: 'GET',
      url: `/api/v1/operator/tenants/${tenantId}/support-grants`,
      headers: { cookie: op },
    });
    assert.deepEqual(grants.json().grants, []);
    const none = await enter(op, '00000000-0000-4000-8000-000000000000');
    assert.equal(none.statusCode, 403);
  });

  test('ACC-3 a grant is limited in time (at most 7 days) and only the owner gives it', async () => {
    const tooLong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/support-access',
      headers: { cookie: owner },
      payload: { scope: 'results', reason: 'x', hours: 24 * 8 },
    });
    assert.equal(tooLong.statusCode, 422);
  });

  test('ACC-3 with a results grant: results yes, contact details no; every use is logged and shown to the customer', async () => {
    const g = await t.app.inject({
      method: 'POST',
      url: '/api/v1/support-access',
      headers: { cookie: owner },
      payload: { scope: 'results', reason: 'Ticket 4711: NPS klopt niet', hours: 4 },
    });
    assert.equal(g.statusCode, 201, g.body);
    const grantId = g.json().id;
    const op = await operatorCookie(t);
    const listed = (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/operator/tenants/${tenantId}/support-grants`,
        headers: { cookie: op },
      })
    ).json();
    assert.equal(listed.grants[0].id, grantId);
    const s = await enter(op, grantId);
    assert.equal(s.statusCode, 200, s.body);
    const support = cookieOf(s);
    const me = (await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: support } })).json();
    assert.equal(me.kind, 'support');
    assert.equal(
      (await t.app.inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}/results`, headers: { cookie: support } }))
        .statusCode,
      200,
    );
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/api/v1/contacts', headers: { cookie: support } })).statusCode,
      403,
    );
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/surveys',
          headers: { cookie: support },
          payload: { name: 'nee' },
        })
      ).statusCode,
      403,
      'support is read-only',
    );

    const shown = (
      await t.app.inject({ method: 'GET', url: '/api/v1/support-access', headers: { cookie: owner } })
    ).json();
    const mine = shown.grants.find((x: { id: string }) => x.id === grantId);
    assert.equal(mine.active, true);
    assert.ok(mine.uses >= 1);
    assert.ok(
      shown.uses.some(
        (u: { path: string; grantId: string; operatorEmail: string; method: string }) =>
          u.grantId === grantId &&
          u.path === `/api/v1/surveys/${surveyId}/results` &&
          u.operatorEmail === 'operator@peil.test' &&
          u.method === 'GET',
      ),
    );
    assert.ok(
      shown.uses.some((u: { path: string; denied: boolean }) => u.denied && u.path === '/api/v1/contacts'),
      'refused attempts are shown too',
    );
  });

  test('ACC-3 a contacts grant shows contact details; revoking it ends the support session at once', async () => {
    const g = await t.app.inject({
      method: 'POST',
      url: '/api/v1/support-access',
      headers: { cookie: owner },
      payload: { scope: 'contacts', reason: 'Import controleren', hours: 2 },
    });
    const grantId = g.json().id;
    const support = cookieOf(await enter(await operatorCookie(t), grantId));
    const contacts = await t.app.inject({ method: 'GET', url: '/api/v1/contacts', headers: { cookie: support } });
    assert.equal(contacts.statusCode, 200);
    assert.equal(contacts.json().contacts[0].email, 'persoon@example.nl');
    assert.equal(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/support-access/${grantId}`, headers: { cookie: owner } }))
        .statusCode,
      204,
    );
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/api/v1/contacts', headers: { cookie: support } })).statusCode,
      401,
    );
    assert.equal((await enter(await operatorCookie(t), grantId)).statusCode, 403);
  });

  test('ACC-3 a grant ends by itself when its time is over', async () => {
    const g = await t.app.inject({
      method: 'POST',
      url: '/api/v1/support-access',
      headers: { cookie: owner },
      payload: { scope: 'results', reason: 'Kort', hours: 1 },
    });
    const grantId = g.json().id;
    const support = cookieOf(await enter(await operatorCookie(t), grantId));
    await t.ctx.db.tenant(tenantId, (tx) =>
      tx
        .updateTable('support_grants')
        .set({ created_at: new Date(Date.now() - 7200_000), expires_at: new Date(Date.now() - 1000) })
        .where('id', '=', grantId)
        .execute(),
    );
    // Wait past the 5-second session cache, as a real expiry would.
    await new Promise((r) => setTimeout(r, 5_200));
    assert.equal(
      (await t.app.inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}/results`, headers: { cookie: support } }))
        .statusCode,
      401,
    );
  });
});
