import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import {
  colleague,
  importCsv,
  newCustomer,
  operatorCookie,
  outbox,
  OWNER,
  setUp,
  startTestApp,
  type TestApp,
} from '../../../test/harness.js';
import { signedRowToken } from '../../lib/tokens.js';
import { assertBothLanguages } from '../../../test/mail-catalogue.js';
import { dayOf, metricName, monthOf } from './limits.js';
import { plansTick } from './service.js';

const csv = (emails: string[]) => `email;voornaam\n${emails.map((e, i) => `${e};Persoon${i}`).join('\n')}\n`;
const addDays = (d: string, n: number) =>
  new Date(Date.parse(`${d}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

describe('SVC-6 plans and usage', () => {
  let t: TestApp;
  let owner: string;
  let tenantId: string;
  let op: string;
  let planId: string;

  const api = async (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH',
    url: string,
    payload?: unknown,
    cookie = owner,
  ) => {
    const res = await t.app.inject({
      method,
      url,
      headers: { cookie },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return {
      status: res.statusCode,
      json: res.body && String(res.headers['content-type']).includes('json') ? res.json() : null,
      body: res.body,
      type: String(res.headers['content-type']),
    };
  };
  const contactCount = async (tenant = tenantId) =>
    Number(
      (
        await t.ctx.db.tenant(tenant, (tx) =>
          tx
            .selectFrom('contacts')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow(),
        )
      ).n,
    );
  const line = async (metric: string, cookie = owner) =>
    (await api('GET', '/api/v1/usage', undefined, cookie)).json.lines.find(
      (l: { metric: string }) => l.metric === metric,
    );
  const setPlan = async (limits: Record<string, number | null>, features = { ai: true, api: true }) => {
    const r = await api(
      'PUT',
      `/api/v1/operator/plans/${planId}`,
      {
        name: 'Klein',
        limits: { contacts: null, responses: null, surveys: null, users: null, labelled: null, ...limits },
        features,
      },
      op,
    );
    assert.equal(r.status, 200, r.body);
  };

  before(async () => {
    t = await startTestApp({ PLANS_TICK_SECONDS: '0' });
    ({ tenantId, ownerCookie: owner } = await setUp(t));
    op = await operatorCookie(t);
  });
  after(() => t.close());

  test('SVC-6 a customer without a plan keeps working without limits; the operator defines a plan and assigns it, in both logs', async () => {
    assert.equal((await importCsv(t, owner, csv(['a1@klant.nl', 'a2@klant.nl', 'a3@klant.nl']))).statusCode, 200);
    const none = await api('GET', '/api/v1/usage');
    assert.equal(none.status, 200, none.body);
    assert.equal(none.json.plan, null);
    assert.deepEqual(
      none.json.lines.find((l: { metric: string }) => l.metric === 'contacts'),
      { metric: 'contacts', period: 'total', used: 3, limit: null, planLimit: null, extensions: 0, percent: null },
    );

    // Only the operator defines plans.
    const input = {
      name: 'Klein',
      limits: { contacts: 5, responses: 2, surveys: null, users: null, labelled: null },
      features: { ai: true, api: true },
    };
    assert.equal((await api('POST', '/api/v1/operator/plans', input)).status, 401);
    const created = await api('POST', '/api/v1/operator/plans', input, op);
    assert.equal(created.status, 201, created.body);
    planId = created.json.id;
    assert.equal((await api('POST', '/api/v1/operator/plans', input, op)).status, 409, 'the same name twice');
    const bad = await api(
      'POST',
      '/api/v1/operator/plans',
      { ...input, name: 'X', limits: { ...input.limits, contacts: -1 } },
      op,
    );
    assert.equal(bad.status, 422);

    assert.equal(
      (await api('PUT', `/api/v1/operator/tenants/${tenantId}/plan`, { planId }, owner)).status,
      401,
      'a customer cannot assign itself a plan',
    );
    const assigned = await api('PUT', `/api/v1/operator/tenants/${tenantId}/plan`, { planId }, op);
    assert.equal(assigned.status, 200, assigned.body);
    assert.equal(assigned.json.plan.name, 'Klein');
    assert.equal(
      (await api('DELETE', `/api/v1/operator/plans/${planId}`, undefined, op)).status,
      409,
      'a plan customers are on stays',
    );
    const mine = await line('contacts');
    assert.deepEqual(mine, {
      metric: 'contacts',
      period: 'total',
      used: 3,
      limit: 5,
      planLimit: 5,
      extensions: 0,
      percent: 60,
    });
    const log = await api('GET', '/api/v1/audit?limit=20');
    assert.ok(
      log.json.entries.some((e: { action: string }) => e.action === 'plan.assigned'),
      "the customer's own log shows the assignment",
    );
    const sys = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM system_audit_events WHERE action IN ('plan.created', 'plan.assigned')`.execute(
      t.ctx.db.handle.kysely,
    );
    assert.equal(sys.rows[0]!.n, 2);
    // The application role may read its plan but not raise it (grants.sql), even inside its own tenant.
    await assert.rejects(
      t.ctx.db.tenant(tenantId, (tx) => sql`UPDATE plans SET contacts = 1000000`.execute(tx)),
      /permission denied/,
    );
    await assert.rejects(
      t.ctx.db.tenant(tenantId, (tx) => sql`DELETE FROM plan_assignments`.execute(tx)),
      /permission denied/,
    );
    await assert.rejects(
      t.ctx.db.tenant(tenantId, (tx) =>
        sql`INSERT INTO plan_extensions (tenant_id, id, metric, extra, valid_from, valid_until, reason) VALUES (${tenantId}::uuid, gen_random_uuid(), 'contacts', 1000, '2020-01-01', '2999-01-01', 'zelf')`.execute(
          tx,
        ),
      ),
      /permission denied/,
    );
  });

  test('SVC-6 a plan limit refusing an import with a clear problem while responses keep being stored', async () => {
    // 3 of 5 contacts. A file with one known address and three new ones would make 6: refused as a whole.
    const refused = await importCsv(t, owner, csv(['a1@klant.nl', 'n1@klant.nl', 'n2@klant.nl', 'n3@klant.nl']));
    assert.equal(refused.statusCode, 409, refused.body);
    assert.match(String(refused.headers['content-type']), /application\/problem\+json/);
    const p = refused.json();
    assert.equal(p.code, 'limit_reached');
    assert.deepEqual(p.limit, {
      metric: 'contacts',
      period: 'total',
      limit: 5,
      planLimit: 5,
      extensions: 0,
      plan: 'Klein',
      used: 3,
      adding: 3,
    });
    assert.match(
      p.detail,
      /limiet van 5 contactpersonen van het abonnement "Klein": in gebruik 3, dit zou er 3 bij doen/,
    );
    assert.doesNotMatch(
      p.detail,
      /limit of/,
      'Dutch by default (issue 14); English: src/lib/http/problem-language.test.ts',
    );
    assert.equal(await contactCount(), 3, 'no half import');
    assert.equal((await line('contacts')).used, 3, 'nor a half count');
    // Two new ones fit exactly (5 of 5); the API then refuses a sixth, also when it comes with an invitation.
    assert.equal((await importCsv(t, owner, csv(['a1@klant.nl', 'n1@klant.nl', 'n2@klant.nl']))).statusCode, 200);
    assert.equal(await contactCount(), 5);
    const sixth = await api('POST', '/api/v1/contacts', { email: 'zes@klant.nl' });
    assert.equal(sixth.status, 409, sixth.body);
    assert.equal(sixth.json.limit.used, 5);
    const update = await api('POST', '/api/v1/contacts', { email: 'a1@klant.nl', firstName: 'Anne' });
    assert.equal(update.status, 200, 'updating a known contact adds nothing');
    const batch = await api('POST', '/api/v1/contacts/batch', {
      contacts: [{ email: 'a2@klant.nl' }, { email: 'zes@klant.nl' }],
    });
    assert.equal(batch.status, 409, 'a batch is refused as a whole');
    assert.equal(await contactCount(), 5);

    // A survey, every contact invited (0 of 2 responses this month).
    const s = await api('POST', '/api/v1/surveys', { name: 'Tevredenheid' });
    assert.equal(s.status, 201, s.body);
    const surveyId = s.json.id;
    assert.equal((await api('POST', `/api/v1/surveys/${surveyId}/distributions`, { all: true })).status, 202);
    const viaApi = await api('POST', `/api/v1/surveys/${surveyId}/invitations`, { email: 'zes@klant.nl' });
    assert.equal(viaApi.status, 409, 'an invitation that would create a sixth contact is refused');
    const invitations = await t.ctx.db.tenant(tenantId, (tx) =>
      tx.selectFrom('invitations').select('id').where('survey_id', '=', surveyId).orderBy('id').execute(),
    );
    assert.equal(invitations.length, 5);
    // All five answer, 2 allowed per month: every answer gets its normal success and is stored.
    const keys = await t.ctx.keyring.forTenant(tenantId);
    const answers = await Promise.all(
      invitations.map((inv, i) => {
        const token = signedRowToken(tenantId, inv.id, (b) => keys.tokenMac(b));
        return t.app.inject({
          method: 'POST',
          url: `/s/${token}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: `score=${5 + i}&why=&lang=nl`,
        });
      }),
    );
    assert.deepEqual(
      answers.map((a) => a.statusCode),
      [303, 303, 303, 303, 303],
    );
    const results = await api('GET', `/api/v1/surveys/${surveyId}/results`);
    assert.equal(results.json.responses, 5, 'every answer is in the results');
    assert.deepEqual(await line('responses'), {
      metric: 'responses',
      period: monthOf(),
      used: 5,
      limit: 2,
      planLimit: 2,
      extensions: 0,
      percent: 250,
    });
    // Above the month's limit: no new invitations (a clear problem), the answers still come in.
    const more = await api('POST', `/api/v1/surveys/${surveyId}/distributions`, { all: true });
    assert.equal(more.status, 409, more.body);
    assert.equal(more.json.code, 'limit_reached');
    assert.equal(more.json.limit.metric, 'responses');
    assert.match(more.json.detail, /Nieuwe uitnodigingen overschrijdt de limiet van 2 antwoorden per maand/);
  });

  test('SVC-6 owners are mailed at 80 % and 100 % of a limit, once per metric and period (Dutch with English)', async () => {
    await setPlan({ contacts: 6, responses: 2 });
    const before = (await outbox(t, owner)).length;
    const first = await plansTick(t.ctx);
    assert.equal(first.mails, 2, 'contacts at 5 of 6 (83 %), responses at 5 of 2');
    const mails = (await outbox(t, owner)).slice(0, (await outbox(t, owner)).length - before);
    const contacts = mails.find((m) => m.subject.includes('80%'));
    const responses = mails.find((m) => m.subject.includes('limiet bereikt'));
    assert.ok(contacts && responses, JSON.stringify(mails.map((m) => m.subject)));
    assert.equal(contacts.to, OWNER.email);
    assert.match(contacts.text, /U gebruikt 5 van de 6 contactpersonen van uw abonnement "Klein"/);
    assert.match(contacts.text, /You use 5 of the 6 contacts of your plan "Klein"/);
    assert.match(responses.text, /Antwoorden van respondenten worden altijd opgeslagen/);
    assert.match(responses.text, /answers are always stored/);
    // Issue 14: the words are mails:usage.* and mails:staff.*, Dutch first, English beside it.
    const name = (m: 'contacts' | 'responses') => (l: 'nl' | 'en') => metricName(m)[l];
    assertBothLanguages(contacts.subject, 'mails:usage.nearSubject', (l) => ({ metric: name('contacts')(l) }));
    assertBothLanguages(responses.subject, 'mails:usage.reachedSubject', (l) => ({ metric: name('responses')(l) }));
    assertBothLanguages(contacts.text, 'mails:staff.dearOwner', { org: 'Zorggroep Test' });
    assertBothLanguages(contacts.text, 'mails:usage.near', (l) => ({
      used: 5,
      limit: 6,
      metric: name('contacts')(l),
      period: 'none',
      plan: 'Klein',
      percent: 83,
    }));
    assertBothLanguages(contacts.text, 'mails:usage.additionsRefused');
    assertBothLanguages(responses.text, 'mails:usage.reached', (l) => ({
      used: 5,
      limit: 2,
      metric: name('responses')(l),
      period: monthOf(),
      plan: 'Klein',
    }));
    for (const key of ['mails:usage.answersStored', 'mails:usage.invitationsRefused'])
      assertBothLanguages(responses.text, key);
    assertBothLanguages(responses.text, 'mails:usage.link', { link: 'http://peil.test/app/usage' });
    assert.equal((await plansTick(t.ctx)).mails, 0, 'once per metric and period');
    // 6 of 6: the 100 % mail follows the 80 % one.
    assert.equal((await api('POST', '/api/v1/contacts', { email: 'zes@klant.nl' })).status, 201);
    assert.equal((await plansTick(t.ctx)).mails, 1);
    assert.equal((await plansTick(t.ctx)).mails, 0);
  });

  test('SVC-6 an attacker: parallel imports racing past the limit, deleting and re-adding, a response batch over the limit, an expired extension', async () => {
    await setPlan({ contacts: 8, responses: 2 });
    // 6 of 8: three parallel imports of two new contacts each; only one fits.
    const racers = await Promise.all(
      [0, 1, 2].map((i) => importCsv(t, owner, csv([`race${i}a@klant.nl`, `race${i}b@klant.nl`]))),
    );
    assert.deepEqual(racers.map((r) => r.statusCode).sort(), [200, 409, 409], racers.map((r) => r.body).join('\n'));
    assert.equal(await contactCount(), 8);
    // Parallel single upserts at the limit: all refused, none slips through.
    const singles = await Promise.all(
      [0, 1, 2, 3].map((i) => api('POST', '/api/v1/contacts', { email: `los${i}@klant.nl` })),
    );
    assert.deepEqual(
      singles.map((r) => r.status),
      [409, 409, 409, 409],
    );
    // Deleting one frees one place, not two; undoing a deletion counts again.
    const list = await api('GET', '/api/v1/contacts?limit=100');
    const victim = list.json.contacts.find((c: { email: string }) => c.email === 'n1@klant.nl');
    assert.equal((await api('DELETE', `/api/v1/contacts/${victim.id}`)).status, 204);
    assert.equal((await line('contacts')).used, 7);
    assert.equal((await importCsv(t, owner, csv(['terug1@klant.nl', 'terug2@klant.nl']))).statusCode, 409);
    assert.equal((await importCsv(t, owner, csv(['terug1@klant.nl']))).statusCode, 200);
    assert.equal((await line('contacts')).used, 8);
    const deletion = (await api('GET', '/api/v1/audit?limit=50')).json.entries.find(
      (e: { action: string; subject?: { id: string } }) => e.action === 'contact.deleted',
    );
    assert.ok(deletion, 'the deletion is in the log');
    const undo = await api('POST', `/api/v1/audit/${deletion.id}/restore`);
    assert.equal(undo.status, 409, `undoing a deletion at the limit: ${undo.body}`);
    assert.equal(undo.json.code, 'limit_reached');
    assert.equal(await contactCount(), 8);
    // The counter matches the table, and the recount finds nothing to correct.
    const recount = await plansTick(t.ctx);
    assert.equal(recount.recounted, 0);

    // A response batch over the limit, written by the writer in one transaction: all stored, all counted.
    const s = await api('POST', '/api/v1/surveys', { name: 'Tweede' });
    await setPlan({ contacts: 8, responses: null });
    assert.equal((await api('POST', `/api/v1/surveys/${s.json.id}/distributions`, { all: true })).status, 202);
    await setPlan({ contacts: 8, responses: 2 });
    const invitations = await t.ctx.db.tenant(tenantId, (tx) =>
      tx.selectFrom('invitations').select('id').where('survey_id', '=', s.json.id).execute(),
    );
    const keys = await t.ctx.keyring.forTenant(tenantId);
    const burst = await Promise.all(
      invitations.map((inv) =>
        t.app.inject({
          method: 'POST',
          url: `/s/${signedRowToken(tenantId, inv.id, (b) => keys.tokenMac(b))}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'score=9&why=&lang=nl',
        }),
      ),
    );
    assert.ok(
      burst.every((r) => r.statusCode === 303),
      burst.map((r) => r.statusCode).join(','),
    );
    assert.equal((await line('responses')).used, 5 + invitations.length);
    const stored = await t.ctx.db.tenant(tenantId, (tx) =>
      tx
        .selectFrom('responses')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow(),
    );
    assert.equal(Number(stored.n), 5 + invitations.length);

    // An extension that expired yesterday adds nothing; one valid today does (both in the usage).
    const today = dayOf();
    const expired = await api(
      'POST',
      `/api/v1/operator/tenants/${tenantId}/plan/extensions`,
      {
        metric: 'contacts',
        extra: 100,
        validFrom: addDays(today, -30),
        validUntil: addDays(today, -1),
        reason: 'Actie oktober',
      },
      op,
    );
    assert.equal(expired.status, 201, expired.body);
    assert.equal(
      (await importCsv(t, owner, csv(['verlopen@klant.nl']))).statusCode,
      409,
      'an expired extension gives no room',
    );
    const future = await api(
      'POST',
      `/api/v1/operator/tenants/${tenantId}/plan/extensions`,
      {
        metric: 'contacts',
        extra: 100,
        validFrom: addDays(today, 1),
        validUntil: addDays(today, 30),
        reason: 'Volgende maand',
      },
      op,
    );
    assert.equal(future.status, 201);
    assert.equal((await importCsv(t, owner, csv(['straks@klant.nl']))).statusCode, 409, 'nor one that starts tomorrow');
    const valid = await api(
      'POST',
      `/api/v1/operator/tenants/${tenantId}/plan/extensions`,
      { metric: 'contacts', extra: 2, validFrom: today, validUntil: today, reason: 'Campagne' },
      op,
    );
    assert.equal(valid.status, 201);
    assert.equal((await importCsv(t, owner, csv(['extra1@klant.nl', 'extra2@klant.nl']))).statusCode, 200);
    const usage = await api('GET', '/api/v1/usage');
    assert.deepEqual(
      usage.json.lines.find((l: { metric: string }) => l.metric === 'contacts'),
      { metric: 'contacts', period: 'total', used: 10, limit: 10, planLimit: 8, extensions: 2, percent: 100 },
    );
    assert.deepEqual(
      usage.json.extensions.map((e: { reason: string; active: boolean }) => [e.reason, e.active]),
      [
        ['Campagne', true],
        ['Volgende maand', false],
        ['Actie oktober', false],
      ],
    );
    assert.equal(
      (
        await api(
          'POST',
          `/api/v1/operator/tenants/${tenantId}/plan/extensions`,
          { metric: 'contacts', extra: 1, validFrom: today, validUntil: addDays(today, -1), reason: 'x' },
          op,
        )
      ).status,
      422,
    );
  });

  test('SVC-6 surveys, users, API access and the AI module follow the plan', async () => {
    const surveys = (await line('surveys')).used;
    const users = (await line('users')).used;
    await setPlan({ surveys, users }, { ai: false, api: false });
    const s = await api('POST', '/api/v1/surveys', { name: 'Eén te veel' });
    assert.equal(s.status, 409, s.body);
    assert.equal(s.json.limit.metric, 'surveys');
    const u = await api('POST', '/api/v1/users', { email: 'nieuw@zorggroep.test', name: 'Nieuw', role: 'viewer' });
    assert.equal(u.status, 409, u.body);
    assert.match(u.json.detail, /gebruikers/);
    const key = await api('POST', '/api/v1/api-keys', { name: 'CRM', scopes: ['contacts:read'] });
    assert.equal(key.status, 409, key.body);
    assert.match(key.json.detail, /API-toegang/);
    const state = (await api('GET', '/api/v1/labelling')).json;
    const ai = await api('POST', '/api/v1/labelling/activate', {
      termsVersion: state.terms.version,
      acceptTerms: true,
    });
    assert.equal(ai.status, 409, ai.body);
    assert.match(ai.json.detail, /AI-module/);

    // A key made while the plan had API access stops working when the plan drops it.
    await setPlan({ surveys: surveys + 1, users: users + 1 }, { ai: true, api: true });
    const made = await api('POST', '/api/v1/api-keys', { name: 'CRM', scopes: ['contacts:read'] });
    assert.equal(made.status, 201, made.body);
    const bearer = { authorization: `Bearer ${made.json.key}` };
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/contacts', headers: bearer })).statusCode, 200);
    assert.equal((await api('POST', '/api/v1/surveys', { name: 'Past nog' })).status, 201);
    await setPlan({ surveys: surveys + 1, users: users + 1 }, { ai: true, api: false });
    const { forgetTenantKeys } = await import('../auth/api-keys.js');
    forgetTenantKeys(tenantId); // the key cache (5 s) of this process
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/contacts', headers: bearer });
    assert.equal(after.statusCode, 409, after.body);
    assert.equal(after.json().code, 'limit_reached');
    // The plan's labelled answers per month cap the AI module's monthly quota (AI-4).
    await setPlan({ surveys: surveys + 1, users: users + 1, labelled: 1 }, { ai: true, api: false });
    assert.equal((await api('GET', '/api/v1/labelling')).json.quota.monthly, 1);
  });

  test('SVC-6 usage is for owners and admins of their own customer; the operator sees each customer', async () => {
    await setPlan({ users: null });
    const admin = await colleague(t, owner, 'admin');
    const analyst = await colleague(t, owner, 'analyst');
    assert.equal((await api('GET', '/api/v1/usage', undefined, admin)).status, 200);
    assert.equal((await api('GET', '/api/v1/usage', undefined, analyst)).status, 403);
    const b = await newCustomer(t, op);
    const theirs = await api('GET', '/api/v1/usage', undefined, b.cookie);
    assert.equal(theirs.json.plan, null, "B does not see A's plan");
    assert.equal(theirs.json.lines.find((l: { metric: string }) => l.metric === 'contacts').used, 0, "nor A's usage");
    const opView = await api('GET', `/api/v1/operator/tenants/${tenantId}/usage`, undefined, op);
    assert.equal(opView.status, 200);
    assert.equal(opView.json.plan.name, 'Klein');
    assert.equal((await api('GET', `/api/v1/operator/tenants/${tenantId}/usage`, undefined, owner)).status, 401);
    const plans = await api('GET', '/api/v1/operator/plans', undefined, op);
    assert.deepEqual(
      plans.json.plans.map((p: { name: string; customers: number }) => [p.name, p.customers]),
      [['Klein', 1]],
    );
    // Taking the plan away: no limits again.
    const none = await api('PUT', `/api/v1/operator/tenants/${tenantId}/plan`, { planId: null }, op);
    assert.equal(none.json.plan, null);
    assert.equal((await api('DELETE', `/api/v1/operator/plans/${planId}`, undefined, op)).status, 204);
  });
});
