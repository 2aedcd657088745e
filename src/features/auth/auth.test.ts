import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import {
  cookieOf,
  importCsv,
  operatorCookie,
  OWNER,
  setUp,
  signIn,
  startTestApp,
  type TestApp,
} from '../../../test/harness.js';
import { hashToken } from './sessions.js';

describe('sign-in, sessions, colleagues and roles', () => {
  let t: TestApp;
  let tenantId: string;
  let owner: string;

  before(async () => {
    t = await startTestApp();
    ({ tenantId, ownerCookie: owner } = await setUp(t));
    await importCsv(t, owner, 'email;voornaam\nklant@example.nl;Klaas\n');
  });
  after(() => t.close());

  const auditActions = () =>
    t.ctx.db.tenant(tenantId, (tx) =>
      tx.selectFrom('audit_events').select(['action', 'actor_id', 'ip']).orderBy('id').execute(),
    );

  test('ACC-1 passwords are stored as argon2id hashes, never in clear', async () => {
    const { rows } = await sql<{ password_hash: string }>`SELECT password_hash FROM users`.execute(
      t.ctx.db.handle.kysely,
    );
    assert.ok(rows.length >= 1);
    for (const r of rows) {
      assert.match(r.password_hash, /^\$argon2id\$v=19\$m=\d+,(t=\d+,p=\d+|p=\d+,t=\d+)\$/, r.password_hash);
      assert.ok(!r.password_hash.includes(OWNER.password));
    }
  });

  test("issue 14: a user's language is Dutch by default, changed with PATCH /auth/me and kept for the next sign-in; operators choose too", async () => {
    const me = async (cookie: string) =>
      (await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).json();
    assert.deepEqual([(await me(owner)).locale, (await me(owner)).localeChosen], ['nl', false]);
    const bad = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/auth/me',
      headers: { cookie: owner },
      payload: { locale: 'de' },
    });
    assert.equal(bad.statusCode, 422);
    assert.equal(bad.json().errors?.[0]?.pointer, '/body/locale');
    const changed = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/auth/me',
      headers: { cookie: owner },
      payload: { locale: 'en' },
    });
    assert.deepEqual([changed.statusCode, changed.json()], [200, { locale: 'en' }]);
    const again = await me(await signIn(t, OWNER.email, OWNER.password));
    assert.deepEqual([again.locale, again.localeChosen], ['en', true], 'kept for a new session');
    await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/auth/me',
      headers: { cookie: owner },
      payload: { locale: 'nl' },
    });
    assert.equal((await me(owner)).locale, 'nl');
    const op = await operatorCookie(t);
    assert.equal((await me(op)).locale, 'nl');
    assert.equal(
      (
        await t.app.inject({
          method: 'PATCH',
          url: '/api/v1/auth/me',
          headers: { cookie: op },
          payload: { locale: 'en' },
        })
      ).statusCode,
      200,
    );
    assert.equal((await me(await operatorCookie(t))).locale, 'en');
  });

  test('the session cookie is http-only and SameSite, and /me names the user, role and customer', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: OWNER.email.toUpperCase(), password: OWNER.password },
    });
    assert.equal(res.statusCode, 200);
    const setCookie = String(res.headers['set-cookie']);
    assert.match(setCookie, /HttpOnly/i);
    assert.match(setCookie, /SameSite=Lax/i);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: cookieOf(res) } });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().role, 'owner');
    assert.equal(me.json().tenant.slug, 'zorggroep');
  });

  test('LOG-1 a failed sign-in is refused with 401 problem+json and recorded in the customer log', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: OWNER.email, password: 'wrong-password-123' },
      remoteAddress: '203.0.113.7',
    });
    assert.equal(res.statusCode, 401);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.ok(res.json().requestId);
    const rows = await auditActions();
    const failed = rows.filter((r) => r.action === 'auth.sign_in_failed');
    assert.equal(failed.length, 1);
    assert.equal(failed[0]!.ip, '203.0.113.7');
    assert.ok(rows.some((r) => r.action === 'auth.sign_in'));
  });

  test('an unknown email gets the same answer as a wrong password', async () => {
    const a = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: 'nobody@example.nl', password: 'whatever-12345' },
    });
    const b = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: OWNER.email, password: 'whatever-12345' },
    });
    assert.equal(a.statusCode, 401);
    assert.equal(a.json().detail, b.json().detail);
  });

  test('sign-out ends the session: the old cookie no longer works', async () => {
    const cookie = await signIn(t, OWNER.email, OWNER.password);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).statusCode, 200);
    assert.equal(
      (await t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-out', headers: { cookie } })).statusCode,
      204,
    );
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
    assert.equal(after.statusCode, 401);
  });

  test('an expired session (idle time-out) is refused with 401', async () => {
    const cookie = await signIn(t, OWNER.email, OWNER.password);
    const token = /peil_session=([^;]+)/.exec(cookie)![1]!;
    // The owner connection: the test plays the clock, not the application.
    await t.ctx.db.handle.kysely
      .updateTable('sessions')
      .set({ last_seen_at: new Date(Date.now() - 2 * 3600_000) })
      .where('id_hash', '=', hashToken(token))
      .execute();
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/surveys', headers: { cookie } });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().code, 'unauthenticated');
  });

  test('the owner invites an analyst by mail; the analyst sets a password and signs in', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie: owner },
      payload: { email: 'ana@zorg.test', name: 'Ana Analist', role: 'analyst' },
    });
    assert.equal(res.statusCode, 201, res.body);
    const outbox = await t.app.inject({ method: 'GET', url: '/api/v1/outbox', headers: { cookie: owner } });
    const mail = outbox.json().messages.find((m: { to: string }) => m.to === 'ana@zorg.test');
    assert.ok(mail, 'invitation mail in the outbox');
    const token = /#token=([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    const weak = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/accept-invite',
      payload: { token, password: 'short' },
    });
    assert.equal(weak.statusCode, 422);
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/accept-invite',
      payload: { token, password: 'Regenboog-Fiets-88' },
    });
    assert.equal(ok.statusCode, 200, ok.body);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/accept-invite',
      payload: { token, password: 'Regenboog-Fiets-88' },
    });
    assert.equal(again.statusCode, 404, 'an invitation works once');
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { cookie: await signIn(t, 'ana@zorg.test', 'Regenboog-Fiets-88') },
    });
    assert.equal(me.json().role, 'analyst');
  });

  test('ACC-2 analysts and viewers see no contact details and cannot export them', async () => {
    const analyst = await signIn(t, 'ana@zorg.test', 'Regenboog-Fiets-88');
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie: owner },
      payload: { email: 'vera@zorg.test', name: 'Vera Viewer', role: 'viewer' },
    });
    const survey = await t.app.inject({
      method: 'POST',
      url: '/api/v1/surveys',
      headers: { cookie: analyst },
      payload: { name: 'Analist-enquête' },
    });
    assert.equal(survey.statusCode, 201, 'analysts may build surveys');
    const sid = survey.json().id;
    const contacts = await t.app.inject({ method: 'GET', url: '/api/v1/contacts', headers: { cookie: analyst } });
    assert.equal(contacts.statusCode, 403);
    assert.ok(!contacts.body.includes('klant@example.nl'));
    const summary = await t.app.inject({
      method: 'GET',
      url: '/api/v1/contacts/summary',
      headers: { cookie: analyst },
    });
    assert.equal(summary.json().total, 1);
    const exportWith = await t.app.inject({
      method: 'GET',
      url: `/api/v1/surveys/${sid}/responses.csv?contacts=true`,
      headers: { cookie: analyst },
    });
    assert.equal(exportWith.statusCode, 403);
    const exportWithout = await t.app.inject({
      method: 'GET',
      url: `/api/v1/surveys/${sid}/responses.csv`,
      headers: { cookie: analyst },
    });
    assert.equal(exportWithout.statusCode, 200);
    const send = await t.app.inject({
      method: 'POST',
      url: `/api/v1/surveys/${sid}/distributions`,
      headers: { cookie: analyst },
      payload: { all: true },
    });
    assert.equal(send.statusCode, 403);
    const invite = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie: analyst },
      payload: { email: 'x@zorg.test', name: 'X', role: 'admin' },
    });
    assert.equal(invite.statusCode, 403);
  });

  test('an admin cannot make anyone owner, and the last owner cannot be demoted', async () => {
    const users = (await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: { cookie: owner } })).json()
      .users;
    const ownerRow = users.find((u: { role: string }) => u.role === 'owner');
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${ownerRow.id}`,
      headers: { cookie: owner },
      payload: { role: 'admin' },
    });
    assert.equal(res.statusCode, 409);
  });
});
