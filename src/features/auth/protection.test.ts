import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cookieOf, OWNER, setUp, signIn, startTestApp, type TestApp } from '../../../test/harness.js';
import { currentTotp } from './second-factor.js';

describe('sign-in protection: lockout, rate limits, second factor, password rules', () => {
  let t: TestApp;
  let owner: string;
  let tenantId: string;

  before(async () => {
    t = await startTestApp({
      LOCKOUT_AFTER_FAILURES: '3',
      LOCKOUT_MINUTES: '15',
      SIGN_IN_RATE_PER_ACCOUNT: '12',
      SIGN_IN_RATE_PER_MINUTE: '500',
    });
    ({ ownerCookie: owner, tenantId } = await setUp(t));
  });
  after(() => t.close());

  const invite = async (email: string, role: string, password: string) => {
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie: owner },
      payload: { email, name: email.split('@')[0], role },
    });
    const out = (await t.app.inject({ method: 'GET', url: '/api/v1/outbox', headers: { cookie: owner } })).json();
    const token = /#token=([A-Za-z0-9_-]+)/.exec(out.messages.find((m: { to: string }) => m.to === email).text)![1]!;
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/accept-invite', payload: { token, password } });
    assert.equal(res.statusCode, 200, res.body);
    return cookieOf(res);
  };
  const tryIn = (email: string, password: string, extra: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email, password, ...extra } });

  test('ACC-1 short, common and breached passwords are refused, checked offline', async () => {
    // Dutch words, compounds and names (issue 14: "Zomervakantie1" and "Gezondheidszorg1" were accepted).
    for (const password of [
      'kort',
      'password123456',
      'qwertyuiop123',
      'Wachtwoord2024',
      'Feyenoord1908',
      'Zomervakantie1',
      'Gezondheidszorg1',
      'Welkom2024!!',
      'Rotterdam2026!',
    ]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: { cookie: owner },
        payload: { email: `w${password.length}@zorg.test`, name: 'W', role: 'viewer' },
      });
      assert.ok([201, 409].includes(res.statusCode));
      const out = (await t.app.inject({ method: 'GET', url: '/api/v1/outbox', headers: { cookie: owner } })).json();
      const mail = out.messages.find((m: { to: string }) => m.to === `w${password.length}@zorg.test`);
      const token = /#token=([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
      const accept = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/accept-invite',
        payload: { token, password },
      });
      assert.equal(accept.statusCode, 422, `${password} must be refused`);
      assert.equal(accept.json().errors[0].pointer, '/body/password');
      assert.match(accept.json().detail, /^Het wachtwoord is te zwak: [^/]+\.$/, 'Dutch by default (issue 14)');
    }
  });

  test('ACC-1 a first set-up with two weak passwords names both at once, each at its own pointer', async () => {
    const fresh = await startTestApp();
    try {
      const res = await fresh.app.inject({
        method: 'POST',
        url: '/api/v1/setup',
        payload: {
          operator: { email: 'op@peil.test', name: 'Op', password: 'Zomervakantie1' },
          tenant: { name: 'Zorg', slug: 'zorg', owner: { email: 'eigenaar@zorg.test', name: 'E', password: 'kort' } },
        },
      });
      assert.equal(res.statusCode, 422, res.body);
      const pointers = res.json().errors.map((e: { pointer: string }) => e.pointer);
      assert.deepEqual([...new Set(pointers)].sort(), ['/body/operator/password', '/body/tenant/owner/password']);
      assert.equal(
        (await fresh.app.inject({ method: 'GET', url: '/api/v1/setup' })).json().needed,
        true,
        'nothing was created',
      );
    } finally {
      await fresh.close();
    }
  });

  test('ACC-4 repeated failures lock the account; the right password does not open it; an admin unlocks it', async () => {
    await invite('lock@zorg.test', 'viewer', 'Dakgoot-Regenpijp-51');
    for (let i = 0; i < 3; i++) assert.equal((await tryIn('lock@zorg.test', 'wrong-password-x')).statusCode, 401);
    const locked = await tryIn('lock@zorg.test', 'Dakgoot-Regenpijp-51');
    assert.equal(locked.statusCode, 401, 'locked: even the right password is refused');
    const users = (await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: { cookie: owner } })).json()
      .users;
    const u = users.find((x: { email: string }) => x.email === 'lock@zorg.test');
    assert.ok(u.lockedUntil, 'the team page shows the lock');
    const actions = await t.ctx.db.tenant(tenantId, (tx) =>
      tx.selectFrom('audit_events').select('action').where('subject_id', '=', u.id).execute(),
    );
    assert.ok(actions.some((a) => a.action === 'auth.account_locked'));
    assert.equal(
      (await t.app.inject({ method: 'POST', url: `/api/v1/users/${u.id}/unlock`, headers: { cookie: owner } }))
        .statusCode,
      204,
    );
    assert.equal((await tryIn('lock@zorg.test', 'Dakgoot-Regenpijp-51')).statusCode, 200);
  });

  test('ACC-4 a lock also ends by itself when its time is over', async () => {
    await invite('tijd@zorg.test', 'viewer', 'Fietsbel-Zonnedak-62');
    for (let i = 0; i < 3; i++) await tryIn('tijd@zorg.test', 'wrong-password-y');
    assert.equal((await tryIn('tijd@zorg.test', 'Fietsbel-Zonnedak-62')).statusCode, 401);
    await t.ctx.db.tenant(tenantId, (tx) =>
      tx
        .updateTable('users')
        .set({ locked_until: new Date(Date.now() - 1000) })
        .where('email', '=', 'tijd@zorg.test')
        .execute(),
    );
    assert.equal((await tryIn('tijd@zorg.test', 'Fietsbel-Zonnedak-62')).statusCode, 200);
  });

  test('ACC-4 sign-ins are rate-limited per account, with problem+json 429', async () => {
    let last;
    for (let i = 0; i < 14; i++) last = await tryIn('nobody-here@zorg.test', 'whatever-pass-1');
    assert.equal(last!.statusCode, 429);
    assert.equal(last!.json().code, 'rate_limited');
  });

  test('ACC-4 the session id is new at every sign-in, and the old one stops working', async () => {
    const first = await signIn(t, OWNER.email, OWNER.password);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      headers: { cookie: first },
      payload: { email: OWNER.email, password: OWNER.password },
    });
    const second = cookieOf(res);
    assert.notEqual(/peil_session=([^;]+)/.exec(first)![1], /peil_session=([^;]+)/.exec(second)![1]);
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: first } })).statusCode,
      401,
    );
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: second } })).statusCode,
      200,
    );
  });

  test('ACC-4 TOTP: enrolment with a QR code, sign-in needs the code, recovery codes work once', async () => {
    const cookie = await invite('totp@zorg.test', 'analyst', 'Schaakbord-Paard-73');
    const setup = await t.app.inject({ method: 'POST', url: '/api/v1/auth/second-factor/setup', headers: { cookie } });
    assert.equal(setup.statusCode, 200);
    const { secret, uri, qrSvg } = setup.json();
    assert.match(uri, /^otpauth:\/\/totp\/Peil:totp%40zorg\.test\?/);
    assert.match(qrSvg, /^<svg/);
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/second-factor/enable',
          headers: { cookie },
          payload: { code: '000000' },
        })
      ).statusCode,
      422,
    );
    const enable = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/second-factor/enable',
      headers: { cookie },
      payload: { code: currentTotp(secret) },
    });
    assert.equal(enable.statusCode, 200, enable.body);
    const { recoveryCodes } = enable.json();
    assert.equal(recoveryCodes.length, 10);

    const noCode = await tryIn('totp@zorg.test', 'Schaakbord-Paard-73');
    assert.equal(noCode.statusCode, 401);
    assert.equal(noCode.json().secondFactorRequired, true);
    assert.equal((await tryIn('totp@zorg.test', 'Schaakbord-Paard-73', { code: '123456' })).statusCode, 401);
    assert.equal((await tryIn('totp@zorg.test', 'Schaakbord-Paard-73', { code: currentTotp(secret) })).statusCode, 200);
    assert.equal((await tryIn('totp@zorg.test', 'Schaakbord-Paard-73', { code: recoveryCodes[0] })).statusCode, 200);
    assert.equal(
      (await tryIn('totp@zorg.test', 'Schaakbord-Paard-73', { code: recoveryCodes[0] })).statusCode,
      401,
      'a recovery code works once',
    );
    const fresh = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/second-factor/recovery-codes',
      headers: { cookie },
      payload: { password: 'Schaakbord-Paard-73' },
    });
    assert.equal(fresh.statusCode, 200);
    assert.equal(
      (await tryIn('totp@zorg.test', 'Schaakbord-Paard-73', { code: recoveryCodes[1] })).statusCode,
      401,
      'old codes stop working',
    );
    assert.equal(
      (await tryIn('totp@zorg.test', 'Schaakbord-Paard-73', { code: fresh.json().recoveryCodes[0] })).statusCode,
      200,
    );
    // The secret is stored encrypted.
    const raw = await t.ctx.db.tenant(tenantId, (tx) =>
      tx.selectFrom('users').select('totp_secret_enc').where('email', '=', 'totp@zorg.test').executeTakeFirstOrThrow(),
    );
    assert.ok(!raw.totp_secret_enc!.toString('latin1').includes(secret));
    // A lost phone: an admin removes the authenticator; the password alone works again.
    const users = (await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: { cookie: owner } })).json()
      .users;
    const id = users.find((u: { email: string }) => u.email === 'totp@zorg.test').id;
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/users/${id}/second-factor/reset`,
          headers: { cookie: owner },
        })
      ).statusCode,
      204,
    );
    assert.equal((await tryIn('totp@zorg.test', 'Schaakbord-Paard-73')).statusCode, 200);
  });

  test('ACC-4 a customer can require a second factor: users without one can only set it up', async () => {
    const cookie = await invite('zonder@zorg.test', 'analyst', 'Kapstok-Jassen-84');
    const first = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/tenant/settings',
      headers: { cookie: owner },
      payload: { requireSecondFactor: true },
    });
    assert.equal(first.statusCode, 409, 'the owner sets up an authenticator first, so as not to lock out themselves');
    const own = (
      await t.app.inject({ method: 'POST', url: '/api/v1/auth/second-factor/setup', headers: { cookie: owner } })
    ).json();
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/second-factor/enable',
          headers: { cookie: owner },
          payload: { code: currentTotp(own.secret) },
        })
      ).statusCode,
      200,
    );
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/tenant/settings',
      headers: { cookie: owner },
      payload: { requireSecondFactor: true },
    });
    assert.equal(res.statusCode, 200);
    const blocked = await t.app.inject({ method: 'GET', url: '/api/v1/surveys', headers: { cookie } });
    assert.equal(blocked.statusCode, 403);
    assert.equal(blocked.json().secondFactorEnrolmentRequired, true);
    const fresh = await tryIn('zonder@zorg.test', 'Kapstok-Jassen-84');
    assert.equal(fresh.json().secondFactorEnrolmentRequired, true);
    const c2 = cookieOf(fresh);
    const setup = (
      await t.app.inject({ method: 'POST', url: '/api/v1/auth/second-factor/setup', headers: { cookie: c2 } })
    ).json();
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/second-factor/enable',
          headers: { cookie: c2 },
          payload: { code: currentTotp(setup.secret) },
        })
      ).statusCode,
      200,
    );
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/api/v1/surveys', headers: { cookie: c2 } })).statusCode,
      200,
    );
    // Only the owner changes this setting.
    const admin = await invite('beheer@zorg.test', 'admin', 'Bureaulamp-Groen-95');
    const adminSetup = (
      await t.app.inject({ method: 'POST', url: '/api/v1/auth/second-factor/setup', headers: { cookie: admin } })
    ).json();
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/second-factor/enable',
      headers: { cookie: admin },
      payload: { code: currentTotp(adminSetup.secret) },
    });
    assert.equal(
      (
        await t.app.inject({
          method: 'PATCH',
          url: '/api/v1/tenant/settings',
          headers: { cookie: admin },
          payload: { requireSecondFactor: false },
        })
      ).statusCode,
      403,
    );
    await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/tenant/settings',
      headers: { cookie: owner },
      payload: { requireSecondFactor: false },
    });
  });

  test('ACC-4 authorisation overruns are recorded in the customer log', async () => {
    const viewer = await invite('kijker@zorg.test', 'viewer', 'Tuinslang-Gieter-16');
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/api/v1/contacts', headers: { cookie: viewer } })).statusCode,
      403,
    );
    const rows = await t.ctx.db.tenant(tenantId, (tx) =>
      tx.selectFrom('audit_events').select(['action', 'details']).where('action', '=', 'auth.access_denied').execute(),
    );
    assert.ok(rows.some((r) => r.details.permission === 'contacts:read' && r.details.route === '/api/v1/contacts'));
  });

  test('ACC-5 a change without the CSRF token, or from another site, is refused', async () => {
    const noToken = await t.app.inject({
      method: 'POST',
      url: '/api/v1/surveys',
      headers: { cookie: owner, 'x-csrf-token': '' },
      payload: { name: 'x' },
    });
    assert.equal(noToken.statusCode, 403);
    assert.equal(noToken.json().csrf, true);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/surveys',
      headers: { cookie: owner, 'x-csrf-token': 'forged' },
      payload: { name: 'x' },
    });
    assert.equal(wrong.statusCode, 403);
    const crossSite = await t.app.inject({
      method: 'POST',
      url: '/api/v1/surveys',
      headers: { cookie: owner, origin: 'https://evil.example' },
      payload: { name: 'x' },
    });
    assert.equal(crossSite.statusCode, 403);
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/surveys',
          headers: { cookie: owner },
          payload: { name: 'ok' },
        })
      ).statusCode,
      201,
    );
  });
});

describe('ACC-4 sign-in rate limit per address', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ SIGN_IN_RATE_PER_MINUTE: '5' });
  });
  after(() => t.close());

  test('ACC-4 more sign-in attempts per minute from one address than allowed get 429 problem+json', async () => {
    const codes = [];
    for (let i = 0; i < 7; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        payload: { email: `u${i}@zorg.test`, password: 'whatever-pass-1' },
        remoteAddress: '192.0.2.44',
      });
      codes.push(res.statusCode);
      if (res.statusCode === 429) {
        assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
        assert.ok(Number(res.headers['retry-after']) > 0);
      }
    }
    assert.deepEqual(codes, [401, 401, 401, 401, 401, 429, 429]);
    // Another address is not affected.
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: 'x@zorg.test', password: 'whatever-pass-1' },
      remoteAddress: '192.0.2.45',
    });
    assert.equal(other.statusCode, 401);
  });
});

describe('ACC-5 transport in production mode', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({
      PEIL_ENV: 'production',
      PEIL_BASE_URL: 'https://peil.example.nl',
      PEIL_TRUSTED_PROXIES: '127.0.0.1',
    });
  });
  after(() => t.close());

  test('ACC-5 plain HTTP is redirected (reads) or refused (writes); HTTPS gets HSTS and secure cookies', async () => {
    const get = await t.app.inject({ method: 'GET', url: '/api/v1/setup' });
    assert.equal(get.statusCode, 301);
    assert.equal(get.headers.location, 'https://peil.example.nl/api/v1/setup');
    const post = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: 'a@b.nl', password: 'x' },
    });
    assert.equal(post.statusCode, 403);
    const https = { 'x-forwarded-proto': 'https' };
    const ok = await t.app.inject({ method: 'GET', url: '/api/v1/setup', headers: https });
    assert.equal(ok.statusCode, 200);
    assert.match(ok.headers['strict-transport-security'] as string, /max-age=31536000/);
    await setUpHttps(t);
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      headers: https,
      payload: { email: OWNER.email, password: OWNER.password },
    });
    assert.equal(signIn.statusCode, 200, signIn.body);
    for (const c of signIn.headers['set-cookie'] as string[]) assert.match(c, /; Secure/);
  });

  test('ACC-5 X-Forwarded-Proto from an untrusted address is not believed', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/setup',
      headers: { 'x-forwarded-proto': 'https' },
      remoteAddress: '198.51.100.9',
    });
    assert.equal(res.statusCode, 301);
  });
});

async function setUpHttps(t: TestApp) {
  const { OPERATOR } = await import('../../../test/harness.js');
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/setup',
    headers: { 'x-forwarded-proto': 'https' },
    payload: { operator: OPERATOR, tenant: { name: 'Prod', slug: 'prod', owner: OWNER } },
  });
  assert.equal(res.statusCode, 201, res.body);
}
