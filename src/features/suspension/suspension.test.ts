import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { importCsv, OWNER, operatorCookie, setUp, signIn, startTestApp, type TestApp } from '../../../test/harness.js';
import { startReceiver, type Receiver } from '../../../test/receiver.js';
import { startSmtp, type TestSmtp } from '../../../test/smtp.js';
import { invitationLink, runDistributionTick, runSendJob } from '../distribution/send.js';
import { unsubscribeLink } from '../distribution/mail.js';
import { dispatchOnce } from '../integrations/webhooks.js';

const form = { 'content-type': 'application/x-www-form-urlencoded' };
const OTHER = { email: 'eigenaar@ander.test', name: 'Anna Ander', password: 'Molenwiek-Dijk-93' };

describe('AGR-6 suspension of a customer', () => {
  let t: TestApp;
  let smtp: TestSmtp;
  let tenantId: string;
  let ownerCookie: string;
  let op: string;
  let otherId: string;
  let otherCookie: string;

  before(async () => {
    smtp = await startSmtp();
    t = await startTestApp({ SMTP_URL: smtp.url });
    ({ tenantId, ownerCookie } = await setUp(t));
    op = await operatorCookie(t);
    const b = await t.app.inject({
      method: 'POST',
      url: '/api/v1/operator/tenants',
      headers: { cookie: op },
      payload: { name: 'Andere Klant', slug: 'andere-klant', owner: OTHER },
    });
    assert.equal(b.statusCode, 201, b.body);
    otherId = b.json().tenantId;
    otherCookie = await signIn(t, OTHER.email, OTHER.password);
  });
  after(async () => {
    await t.close();
    await smtp.close();
  });

  const owner = () => t.ctx.db.handle.kysely;
  const call = (method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: object) =>
    t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const contactId = async (cookie: string, email: string): Promise<string> =>
    (await call('GET', `/api/v1/contacts?email=${encodeURIComponent(email)}`, { cookie })).json().contacts[0].id;
  const linksOf = async (tid: string, distributionId: string) => {
    const inv = await owner()
      .selectFrom('invitations')
      .select(['id', 'survey_id'])
      .where('tenant_id', '=', tid)
      .where('distribution_id', '=', distributionId)
      .executeTakeFirstOrThrow();
    const keys = await t.ctx.keyring.forTenant(tid);
    return {
      answer: new URL(invitationLink(t.env.baseUrl, tid, inv.id, (b) => keys.tokenMac(b), inv.survey_id)).pathname,
      unsubscribe: new URL(unsubscribeLink(t.env.baseUrl, tid, inv.id, keys)).pathname,
    };
  };
  const responsesOf = async (tid: string) =>
    Number(
      (
        await owner()
          .selectFrom('responses')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('tenant_id', '=', tid)
          .executeTakeFirstOrThrow()
      ).n,
    );

  test('AGR-6 a suspended customer: sign-in, session and API key refused with a clear message, links show 503, answers not stored, sends paused; after the resume everything works and the paused mails go out; another customer is unaffected', async () => {
    // ---- customer A: contacts, a survey, an API key, a scheduled and a (to be) queued distribution
    assert.equal(
      (
        await importCsv(
          t,
          ownerCookie,
          'email;voornaam;taal\ngepland@klant-a.example;Gea;nl\nwachtrij@klant-a.example;Wim;nl\n',
        )
      ).statusCode,
      200,
    );
    const surveyId = (await call('POST', '/api/v1/surveys', { cookie: ownerCookie }, { name: 'Tevredenheid A' })).json()
      .id as string;
    const key = (
      await call('POST', '/api/v1/api-keys', { cookie: ownerCookie }, { name: 'CRM', scopes: ['surveys:read'] })
    ).json().key as string;
    const bearer = { authorization: `Bearer ${key}` };
    assert.equal((await call('GET', '/api/v1/surveys', bearer)).statusCode, 200);
    const sendAt = new Date(Date.now() + 86_400_000).toISOString();
    const scheduled = await call(
      'POST',
      `/api/v1/surveys/${surveyId}/distributions`,
      { cookie: ownerCookie },
      { contactIds: [await contactId(ownerCookie, 'gepland@klant-a.example')], sendAt },
    );
    const queued = await call(
      'POST',
      `/api/v1/surveys/${surveyId}/distributions`,
      { cookie: ownerCookie },
      { contactIds: [await contactId(ownerCookie, 'wachtrij@klant-a.example')], sendAt },
    );
    assert.equal(scheduled.statusCode, 202, scheduled.body);
    assert.equal(queued.statusCode, 202, queued.body);
    const links = await linksOf(tenantId, scheduled.json().id);
    assert.equal((await call('GET', links.answer, {})).statusCode, 200, 'the link works before the suspension');

    // ---- customer B: a survey and a distribution that falls due while A is suspended
    assert.equal((await importCsv(t, otherCookie, 'email\nklant@klant-b.example\n')).statusCode, 200);
    const otherSurvey = (
      await call('POST', '/api/v1/surveys', { cookie: otherCookie }, { name: 'Tevredenheid B' })
    ).json().id as string;
    const otherDist = await call(
      'POST',
      `/api/v1/surveys/${otherSurvey}/distributions`,
      { cookie: otherCookie },
      { all: true, sendAt },
    );
    assert.equal(otherDist.statusCode, 202, otherDist.body);
    const otherLinks = await linksOf(otherId, otherDist.json().id);
    const contactsBefore = (await call('GET', '/api/v1/contacts', { cookie: ownerCookie })).json().contacts
      .length as number;
    const leaving = await signIn(t, OWNER.email, OWNER.password);

    // ---- suspend A
    const sus = await call(
      'POST',
      `/api/v1/operator/tenants/${tenantId}/suspend`,
      { cookie: op },
      { reason: 'Factuur onbetaald' },
    );
    assert.equal(sus.statusCode, 200, sus.body);
    assert.equal(sus.json().status, 'suspended');
    assert.equal(
      (await call('POST', `/api/v1/operator/tenants/${tenantId}/suspend`, { cookie: op }, { reason: 'nog eens' }))
        .statusCode,
      409,
    );
    const list = (await call('GET', '/api/v1/operator/tenants', { cookie: op })).json().tenants as {
      id: string;
      status: string;
    }[];
    assert.deepEqual(
      list.map((x) => [x.id, x.status]).sort(),
      [
        [tenantId, 'suspended'],
        [otherId, 'active'],
      ].sort(),
    );

    // Sign-in: the right password learns of the suspension (Dutch by default, both languages apart in
    // detailNl and detailEn); a wrong one does not.
    const refused = await call('POST', '/api/v1/auth/sign-in', {}, { email: OWNER.email, password: OWNER.password });
    assert.equal(refused.statusCode, 403);
    assert.match(String(refused.headers['content-type']), /application\/problem\+json/);
    const problem = refused.json();
    assert.equal(problem.suspended, true);
    assert.match(problem.detail, /tijdelijk opgeschort/);
    assert.doesNotMatch(problem.detail, /suspended/);
    assert.match(problem.detailNl, /Er is niets verwijderd/);
    assert.match(problem.detailEn, /Nothing has been deleted/);
    assert.equal(
      (await call('POST', '/api/v1/auth/sign-in', {}, { email: OWNER.email, password: 'Verkeerd-Wachtwoord-1' }))
        .statusCode,
      401,
    );

    // The session signed in before, and the API key: refused on their next request, with the same message
    // (in English when the client asks for it).
    const session = await call('GET', '/api/v1/surveys', { cookie: ownerCookie });
    assert.equal(session.statusCode, 403);
    assert.equal(session.json().suspended, true);
    const byKey = await call('GET', '/api/v1/surveys', bearer);
    assert.equal(byKey.statusCode, 403);
    assert.equal(byKey.json().detail, problem.detail);
    const byKeyEn = await call('GET', '/api/v1/surveys', { ...bearer, 'accept-language': 'en' });
    assert.equal(byKeyEn.statusCode, 403);
    assert.equal(byKeyEn.json().code, problem.code);
    assert.equal(byKeyEn.json().suspended, true);
    assert.equal(byKeyEn.json().detail, problem.detailEn, 'in English when asked');
    // A user of the suspended customer can still sign out: without the CSRF token refused, with it the session ends.
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/sign-out',
          headers: { cookie: leaving, 'x-csrf-token': 'forged' },
        })
      ).statusCode,
      403,
    );
    const out = await call('POST', '/api/v1/auth/sign-out', { cookie: leaving });
    assert.equal(out.statusCode, 204, out.body);
    assert.match(String(out.headers['set-cookie']), /peil_session=;/);

    // Respondent link and unsubscribe page: a neutral 503 page, Dutch first; a posted answer is not stored, and the page says so.
    const page = await call('GET', links.answer, {});
    assert.equal(page.statusCode, 503);
    assert.ok(Number(page.headers['retry-after']) > 0);
    assert.match(page.body, /<html lang="nl">/);
    assert.ok(
      page.body.indexOf('Tijdelijk niet beschikbaar') >= 0 &&
        page.body.indexOf('Tijdelijk niet beschikbaar') < page.body.indexOf('Temporarily unavailable'),
    );
    assert.doesNotMatch(page.body, /opgeschort|suspend/i, 'respondents are not told why');
    const post = await t.app.inject({
      method: 'POST',
      url: links.answer,
      headers: form,
      payload: 'score=9&why=Prima&lang=nl',
    });
    assert.equal(post.statusCode, 503);
    assert.match(post.body, /Je antwoord is niet opgeslagen/);
    assert.match(post.body, /Your answer has not been saved/);
    assert.equal(await responsesOf(tenantId), 0);
    const unsub = await call('GET', links.unsubscribe, {});
    assert.equal(unsub.statusCode, 503);
    assert.match(unsub.body, /Tijdelijk niet beschikbaar/);

    // Sends: the scheduled distribution falls due, and the other was released just before the
    // suspension (its invitations queued, its job running now): neither sends anything.
    await sql`UPDATE distributions SET send_at = now() - interval '1 minute' WHERE id IN (${scheduled.json().id}::uuid, ${otherDist.json().id}::uuid)`.execute(
      owner(),
    );
    await sql`UPDATE distributions SET status = 'sending' WHERE id = ${queued.json().id}::uuid`.execute(owner());
    assert.deepEqual(await runSendJob(t.ctx, { tenantId, distributionId: queued.json().id }), {
      sent: 0,
      failed: 0,
      suppressed: 0,
    });
    const mailsBefore = smtp.mails.length;
    assert.equal((await runDistributionTick(t.ctx)).released, 1, "only the other customer's distribution is released");
    await smtp.waitFor(mailsBefore + 1);
    assert.deepEqual(
      smtp.mails.slice(mailsBefore).map((m) => m.to[0]),
      ['klant@klant-b.example'],
    );
    const states = await owner()
      .selectFrom('distributions')
      .select(['id', 'status'])
      .where('tenant_id', '=', tenantId)
      .execute();
    assert.deepEqual(Object.fromEntries(states.map((d) => [d.id, d.status])), {
      [scheduled.json().id]: 'scheduled',
      [queued.json().id]: 'sending',
    });
    const queuedInvitations = await owner()
      .selectFrom('invitations')
      .select('status')
      .where('tenant_id', '=', tenantId)
      .execute();
    assert.deepEqual(
      queuedInvitations.map((i) => i.status),
      ['queued', 'queued'],
      'nothing sent, nothing lost',
    );

    // The other customer is unaffected throughout.
    assert.equal((await call('GET', '/api/v1/surveys', { cookie: otherCookie })).statusCode, 200);
    assert.ok(await signIn(t, OTHER.email, OTHER.password));
    assert.equal((await call('GET', otherLinks.answer, {})).statusCode, 200);

    // Evidence: the system log and the customer's own chain.
    const sys = await owner()
      .selectFrom('system_audit_events')
      .select(['action', 'details'])
      .where('action', '=', 'tenant.suspended')
      .execute();
    assert.equal(sys.length, 1);
    assert.equal((sys[0]!.details as { reason: string }).reason, 'Factuur onbetaald');
    const chain = await owner()
      .selectFrom('audit_events')
      .select(['action', 'actor_kind'])
      .where('tenant_id', '=', tenantId)
      .where('action', 'in', ['tenant.suspended', 'auth.sign_in_failed'])
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      chain.map((e) => e.action),
      ['tenant.suspended', 'auth.sign_in_failed', 'auth.sign_in_failed'],
    );

    // ---- resume A
    const res = await call(
      'POST',
      `/api/v1/operator/tenants/${tenantId}/resume`,
      { cookie: op },
      { reason: 'Betaald' },
    );
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().status, 'active');
    assert.equal(res.json().requeued, 1, 'the queued distribution is handed to the send job again');
    assert.equal(
      (await call('GET', '/api/v1/surveys', { cookie: ownerCookie })).statusCode,
      200,
      'the old session works again',
    );
    assert.equal(
      (await call('GET', '/api/v1/surveys', { cookie: leaving })).statusCode,
      401,
      'the session signed out while suspended stays ended',
    );
    assert.equal((await call('GET', '/api/v1/surveys', bearer)).statusCode, 200, 'the key works again');
    assert.ok(await signIn(t, OWNER.email, OWNER.password));
    assert.equal(
      (await runDistributionTick(t.ctx)).released,
      1,
      'the scheduled distribution that fell due is released',
    );
    const mails = await smtp.waitFor(mailsBefore + 3);
    assert.deepEqual(
      mails
        .slice(mailsBefore + 1)
        .map((m) => m.to[0])
        .sort(),
      ['gepland@klant-a.example', 'wachtrij@klant-a.example'],
    );
    assert.equal((await call('GET', links.answer, {})).statusCode, 200);
    assert.equal(
      (await t.app.inject({ method: 'POST', url: links.answer, headers: form, payload: 'score=9&why=Prima&lang=nl' }))
        .statusCode,
      303,
    );
    assert.equal(await responsesOf(tenantId), 1);
    assert.equal(
      (await call('GET', '/api/v1/contacts', { cookie: ownerCookie })).json().contacts.length,
      contactsBefore,
      'nothing deleted',
    );
    assert.equal(
      (await call('POST', `/api/v1/operator/tenants/${tenantId}/resume`, { cookie: op }, { reason: 'nog eens' }))
        .statusCode,
      409,
    );
  });

  test('AGR-6 only the operator suspends; an unknown customer is 404; a reason is required', async () => {
    assert.equal(
      (await call('POST', `/api/v1/operator/tenants/${tenantId}/suspend`, { cookie: ownerCookie }, { reason: 'x' }))
        .statusCode,
      401,
    );
    assert.equal(
      (
        await call(
          'POST',
          '/api/v1/operator/tenants/00000000-0000-4000-8000-0000000000aa/suspend',
          { cookie: op },
          { reason: 'x' },
        )
      ).statusCode,
      404,
    );
    assert.equal(
      (await call('POST', `/api/v1/operator/tenants/${tenantId}/suspend`, { cookie: op }, {})).statusCode,
      422,
      'a reason is required',
    );
  });
});

describe('AGR-6 webhooks of a suspended customer', () => {
  let t: TestApp;
  let tenantId: string;
  let cookie: string;
  let receiver: Receiver;
  let got: string[] = [];
  let url = '';

  before(async () => {
    receiver = await startReceiver();
    got = receiver.bodies;
    url = receiver.url;
    // No background sweep: the test runs the dispatcher itself.
    t = await startTestApp({ PEIL_WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_SWEEP_MS: '0' });
    ({ tenantId, ownerCookie: cookie } = await setUp(t));
  });
  after(async () => {
    await t.close();
    await receiver.close();
  });

  test('AGR-6 an answer given before the suspension is not delivered to the webhook while suspended, and is delivered after the resume', async () => {
    const op = await operatorCookie(t);
    assert.equal((await importCsv(t, cookie, 'email\nhaak@klant.example\n')).statusCode, 200);
    const surveyId = (
      await t.app.inject({ method: 'POST', url: '/api/v1/surveys', headers: { cookie }, payload: { name: 'Haak' } })
    ).json().id as string;
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/webhooks',
          headers: { cookie },
          payload: { url, events: ['response.completed'] },
        })
      ).statusCode,
      201,
    );
    const d = await t.app.inject({
      method: 'POST',
      url: `/api/v1/surveys/${surveyId}/distributions`,
      headers: { cookie },
      payload: { all: true },
    });
    assert.equal(d.statusCode, 202, d.body);
    const inv = await t.ctx.db.handle.kysely
      .selectFrom('invitations')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .executeTakeFirstOrThrow();
    const keys = await t.ctx.keyring.forTenant(tenantId);
    const link = new URL(invitationLink(t.env.baseUrl, tenantId, inv.id, (b) => keys.tokenMac(b), surveyId)).pathname;
    assert.equal(
      (await t.app.inject({ method: 'POST', url: link, headers: form, payload: 'score=8&lang=nl' })).statusCode,
      303,
    );

    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/operator/tenants/${tenantId}/suspend`,
          headers: { cookie: op },
          payload: { reason: 'test' },
        })
      ).statusCode,
      200,
    );
    await dispatchOnce(t.ctx);
    assert.equal(got.length, 0, 'nothing delivered while suspended');

    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/operator/tenants/${tenantId}/resume`,
          headers: { cookie: op },
          payload: { reason: 'test' },
        })
      ).statusCode,
      200,
    );
    await dispatchOnce(t.ctx);
    assert.equal(got.length, 1, 'delivered after the resume');
    assert.equal(JSON.parse(got[0]!).type, 'response.completed');
  });
});
