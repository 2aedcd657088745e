import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  eventually,
  importCsv,
  multipartFile,
  operatorCookie,
  setUp,
  signIn,
  startTestApp,
  type TestApp,
} from '../test/harness.js';
import { sql } from 'kysely';
import { followUpSweep } from './features/followups/index.js';
import { sweepBenchmark } from './features/benchmark/service.js';

/**
 * OBLIGATIONS ACC-6: for every route that takes an id, tenant B using tenant A's id gets 404 and
 * nothing of A. The list names a real id of A for each such route; a route with an id that is not
 * on the list fails the first test, so a new route cannot be left out.
 */
/** A breach as the operator records it (BRE-1), for the fixture. */
const BREACH_FIELDS = {
  startedAt: '2026-03-01T20:00:00Z',
  discoveredAt: '2026-03-02T08:00:00Z',
  description: 'Lek',
  cause: 'Oorzaak',
  categories: ['contact.email'],
  subjectsApprox: null,
  recordsApprox: null,
  consequences: 'Gevolgen',
  encrypted: false,
  measuresTaken: 'Maatregelen',
  measuresPlanned: [],
  expectedRecovery: 'Herstel',
  contactPoint: { name: 'Olga', email: 'security@peil.test', phone: null },
};

describe('ACC-6 tenant isolation on every route that takes an id', () => {
  let t: TestApp;
  let ownerA: string;
  let ownerB: string;
  const ids: Record<string, string> = {};

  before(async () => {
    t = await startTestApp({
      PEIL_WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_SWEEP_MS: '100',
      WEBHOOK_RETRY_BASE_MS: '3600000',
    });
    const a = await setUp(t, { name: 'Alfa Zorg', slug: 'alfa' });
    ownerA = a.ownerCookie;
    const op = await operatorCookie(t);
    const b = await t.app.inject({
      method: 'POST',
      url: '/api/v1/operator/tenants',
      headers: { cookie: op },
      payload: {
        name: 'Bravo Wonen',
        slug: 'bravo',
        owner: { email: 'owner@bravo.test', name: 'Bea', password: 'Grachtenpand-Blauw-3' },
      },
    });
    assert.equal(b.statusCode, 201);
    ids.tenantA = a.tenantId;
    ids.tenantB = b.json().tenantId;
    ownerB = await signIn(t, 'owner@bravo.test', 'Grachtenpand-Blauw-3');

    await importCsv(t, ownerA, 'email;voornaam\ngeheim@alfa.example;Geheim\n');
    ids.contact = (
      await t.app.inject({ method: 'GET', url: '/api/v1/contacts', headers: { cookie: ownerA } })
    ).json().contacts[0].id;
    ids.survey = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/surveys',
        headers: { cookie: ownerA },
        payload: { name: 'Alleen van A' },
      })
    ).json().id;
    // Issue 12: an alert rule before the response (score 8 ≤ 8), so that the response gets a follow-up.
    const rule = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/surveys/${ids.survey}/alert-rule`,
      headers: { cookie: ownerA },
      payload: { trigger: 'threshold', threshold: 8, assigneeId: null, notifyEmail: false },
    });
    assert.equal(rule.statusCode, 200, rule.body);
    // Before the response, so that the response becomes a webhook delivery (SVC-5).
    ids.webhook = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/webhooks',
        headers: { cookie: ownerA },
        payload: { url: 'http://127.0.0.1:9/alfa' },
      })
    ).json().id;
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie: ownerA },
      payload: { email: 'collega@alfa.test', name: 'Collega', role: 'analyst' },
    });
    ids.user = (await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: { cookie: ownerA } }))
      .json()
      .users.find((u: { email: string }) => u.email === 'collega@alfa.test').id;
    ids.grant = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/support-access',
        headers: { cookie: ownerA },
        payload: { scope: 'results', reason: 'x', hours: 1 },
      })
    ).json().id;
    const body = multipartFile('email\nnog@alfa.example\n');
    ids.import = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/contact-imports',
        headers: { cookie: ownerA, ...body.headers },
        payload: body.payload,
      })
    ).json().id;
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/surveys/${ids.survey}/distributions`,
      headers: { cookie: ownerA },
      payload: { all: true },
    });
    const mail = await eventually(async () =>
      (await t.app.inject({ method: 'GET', url: '/api/v1/outbox', headers: { cookie: ownerA } }))
        .json()
        .messages.find((m: { kind: string }) => m.kind === 'invitation'),
    );
    ids.mail = mail.id;
    const path = new URL(/https?:\/\/\S+\/s\/[A-Za-z0-9_-]{86}/.exec(mail.text)![0]).pathname;
    await t.app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'score=8&why=Geheim+antwoord&lang=nl',
    });
    ids.response = (
      await t.app.inject({ method: 'GET', url: `/api/v1/surveys/${ids.survey}/results`, headers: { cookie: ownerA } })
    ).json().comments[0].id;
    await followUpSweep(t.ctx);
    ids.followUp = (
      await t.app.inject({ method: 'GET', url: '/api/v1/follow-ups', headers: { cookie: ownerA } })
    ).json().followUps[0].id;
    const state = (await t.app.inject({ method: 'GET', url: '/api/v1/labelling', headers: { cookie: ownerA } })).json();
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/labelling/activate',
      headers: { cookie: ownerA },
      payload: { termsVersion: state.terms.version, acceptTerms: true },
    });
    const label = await t.app.inject({
      method: 'POST',
      url: '/api/v1/labels',
      headers: { cookie: ownerA },
      payload: { id: 'alleen_alfa', name: { nl: 'Alleen Alfa', en: 'Alfa only' } },
    });
    assert.equal(label.statusCode, 201, label.body);
    ids.label = 'alleen_alfa';
    ids.template = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/email-templates',
        headers: { cookie: ownerA },
        payload: {
          kind: 'invitation',
          name: 'Alfa-sjabloon',
          subject: { nl: 'Alfa', en: 'Alfa' },
          body: { nl: 'Alfa {link}', en: 'Alfa {link}' },
        },
      })
    ).json().id;
    ids.suppression = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/suppressions',
        headers: { cookie: ownerA },
        payload: { email: 'weg@alfa.example' },
      })
    ).json().id;
    ids.distribution = (
      await t.app.inject({
        method: 'POST',
        url: `/api/v1/surveys/${ids.survey}/distributions`,
        headers: { cookie: ownerA },
        payload: { contactIds: [ids.contact], sendAt: new Date(Date.now() + 86_400_000).toISOString() },
      })
    ).json().id;
    ids.apiKey = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/api-keys',
        headers: { cookie: ownerA },
        payload: { name: 'Alfa CRM', scopes: ['surveys:read'] },
      })
    ).json().id;
    ids.delivery = await eventually(
      async () =>
        (
          await t.app.inject({
            method: 'GET',
            url: `/api/v1/webhooks/${ids.webhook}/deliveries`,
            headers: { cookie: ownerA },
          })
        ).json().deliveries[0]?.id,
      20_000,
      'a delivery',
    );
    const field = await t.app.inject({
      method: 'POST',
      url: '/api/v1/profile-fields',
      headers: { cookie: ownerA },
      payload: { key: 'alleen_alfa', type: 'text', label: { nl: 'Alleen Alfa' } },
    });
    assert.equal(field.statusCode, 201, field.body);
    // OBLIGATIONS SUB-3: a sub-processor outside the EEA that applies to A only; B cannot consent to it.
    const sub = await t.app.inject({
      method: 'POST',
      url: '/api/v1/operator/subprocessors',
      headers: { cookie: op },
      payload: {
        name: 'Rekenwerk Inc',
        service: 'Labelling',
        location: 'Seattle',
        country: 'US',
        safeguards: ['scc'],
        safeguardsNote: null,
        kind: 'other',
        appliesTo: [a.tenantId],
      },
    });
    assert.equal(sub.statusCode, 201, sub.body);
    ids.subprocessor = sub.json().id;
    // OBLIGATIONS AGR-3: A's acceptance of its agreement, and a version proposed to A.
    const shown = await t.app.inject({
      method: 'GET',
      url: '/api/v1/agreement/document?lang=nl&format=md',
      headers: { cookie: ownerA },
    });
    const accepted = await t.app.inject({
      method: 'POST',
      url: '/api/v1/agreement/accept',
      headers: { cookie: ownerA },
      payload: {
        version: shown.headers['x-peil-agreement-version'],
        lang: 'nl',
        sha256: shown.headers['x-peil-document-sha256'],
      },
    });
    assert.equal(accepted.statusCode, 201, accepted.body);
    ids.acceptance = accepted.json().acceptances[0].id;
    const proposed = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/operator/tenants/${a.tenantId}/agreement`,
      headers: { cookie: op },
      payload: { breachNoticeHours: 36 },
    });
    assert.equal(proposed.statusCode, 202, proposed.body);
    ids.proposal = proposed.json().proposal;
    // OBLIGATIONS BRE-4: a breach told to A only.
    const breach = await t.app.inject({
      method: 'POST',
      url: '/api/v1/operator/breaches',
      headers: { cookie: op },
      payload: BREACH_FIELDS,
    });
    assert.equal(breach.statusCode, 201, breach.body);
    ids.breach = breach.json().id;
    const scoped = await t.app.inject({
      method: 'POST',
      url: `/api/v1/operator/breaches/${ids.breach}/scope`,
      headers: { cookie: op },
      payload: {
        customers: [a.tenantId],
        categories: ['contact.email'],
        window: { from: '2020-01-01T00:00:00Z', to: new Date(Date.now() + 86_400_000).toISOString() },
      },
    });
    assert.equal(scoped.json().customers.length, 1, scoped.body);
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/operator/breaches/${ids.breach}/notify`,
          headers: { cookie: op },
        })
      ).json().notified,
      1,
    );
    // OBLIGATIONS DSR-1: a respondent's request to A, filed from A's invitation and confirmed from the mail.
    const invitationMail = (await t.app.inject({ method: 'GET', url: '/api/v1/outbox', headers: { cookie: ownerA } }))
      .json()
      .messages.find((m: { kind: string }) => m.kind === 'invitation');
    const requestPath = new URL(/https?:\/\/\S+\/r\/[A-Za-z0-9_-]{64}/.exec(invitationMail.text)![0]).pathname;
    const filed = await t.app.inject({
      method: 'POST',
      url: requestPath,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'kind=access&lang=nl',
    });
    assert.equal(filed.statusCode, 200, filed.body);
    const confirmMail = await eventually(async () =>
      (await t.app.inject({ method: 'GET', url: '/api/v1/outbox', headers: { cookie: ownerA } }))
        .json()
        .messages.find((m: { kind: string }) => m.kind === 'request-confirmation'),
    );
    const confirmed = await t.app.inject({
      method: 'POST',
      url: new URL(/https?:\/\/\S+\/r\/c\/[A-Za-z0-9_-]{64}/.exec(confirmMail.text)![0]).pathname,
    });
    assert.equal(confirmed.statusCode, 200, confirmed.body);
    ids.request = (
      await t.app.inject({ method: 'GET', url: '/api/v1/requests', headers: { cookie: ownerA } })
    ).json().requests[0].id;
    // OBLIGATIONS BEN-2: a publication of A's survey (approved from its preview).
    const pv = await t.app.inject({
      method: 'POST',
      url: `/api/v1/surveys/${ids.survey}/publications/preview`,
      headers: { cookie: ownerA },
      payload: {},
    });
    const pub = await t.app.inject({
      method: 'POST',
      url: `/api/v1/surveys/${ids.survey}/publications`,
      headers: { cookie: ownerA },
      payload: { sha256: pv.json().sha256 },
    });
    assert.equal(pub.statusCode, 201, pub.body);
    ids.publication = pub.json().id;
    ids.audit = String(
      (await t.app.inject({ method: 'GET', url: '/api/v1/audit', headers: { cookie: ownerA } })).json().entries[0].id,
    );
  });
  after(() => t.close());

  const calls = () => [
    { method: 'GET', url: `/api/v1/surveys/${ids.survey}` },
    { method: 'GET', url: `/api/v1/surveys/${ids.survey}/results` },
    { method: 'GET', url: `/api/v1/outbox/${ids.mail}/html` },
    { method: 'GET', url: `/api/v1/surveys/${ids.survey}/responses.csv` },
    { method: 'GET', url: `/api/v1/surveys/${ids.survey}/responses.xlsx` },
    { method: 'GET', url: `/api/v1/surveys/${ids.survey}/responses.jsonl` },
    { method: 'GET', url: `/api/v1/surveys/${ids.survey}/responses.sav` },
    { method: 'GET', url: `/api/v1/surveys/${ids.survey}/distributions` },
    { method: 'POST', url: `/api/v1/surveys/${ids.survey}/distributions`, payload: { all: true } },
    { method: 'GET', url: `/api/v1/surveys/${ids.survey}/invitations` },
    { method: 'PUT', url: `/api/v1/surveys/${ids.survey}`, payload: { name: 'Overgenomen' } },
    { method: 'POST', url: `/api/v1/surveys/${ids.survey}/close` },
    { method: 'POST', url: `/api/v1/surveys/${ids.survey}/open` },
    { method: 'PUT', url: `/api/v1/surveys/${ids.survey}/open-link`, payload: { enabled: true } },
    { method: 'POST', url: `/api/v1/surveys/${ids.survey}/archive` },
    { method: 'POST', url: `/api/v1/surveys/${ids.survey}/unarchive` },
    { method: 'POST', url: `/api/v1/surveys/${ids.survey}/duplicate`, payload: {} },
    { method: 'DELETE', url: `/api/v1/surveys/${ids.survey}` },
    { method: 'GET', url: `/s/preview/${ids.survey}` },
    { method: 'GET', url: `/api/v1/contacts/${ids.contact}` },
    { method: 'PATCH', url: `/api/v1/contacts/${ids.contact}`, payload: { firstName: 'Overgenomen' } },
    { method: 'DELETE', url: `/api/v1/contacts/${ids.contact}` },
    { method: 'POST', url: `/api/v1/audit/${ids.audit}/restore` },
    { method: 'PATCH', url: `/api/v1/users/${ids.user}`, payload: { role: 'viewer' } },
    { method: 'POST', url: `/api/v1/users/${ids.user}/unlock` },
    { method: 'POST', url: `/api/v1/users/${ids.user}/deactivate` },
    { method: 'POST', url: `/api/v1/users/${ids.user}/reactivate` },
    { method: 'POST', url: `/api/v1/users/${ids.user}/second-factor/reset` },
    { method: 'DELETE', url: `/api/v1/support-access/${ids.grant}` },
    { method: 'GET', url: `/api/v1/contact-imports/${ids.import}` },
    { method: 'POST', url: `/api/v1/contact-imports/${ids.import}/commit`, payload: { mapping: { email: 'email' } } },
    {
      method: 'PUT',
      url: `/api/v1/responses/${ids.response}/labels`,
      payload: { labels: ['service'], sentiment: 'positive' },
    },
    { method: 'PATCH', url: `/api/v1/labels/${ids.label}`, payload: { retired: true } },
    { method: 'GET', url: `/api/v1/surveys/${ids.survey}/label-set` },
    { method: 'GET', url: `/api/v1/surveys/${ids.survey}/breakdown?by=language` },
    { method: 'GET', url: `/api/v1/surveys/${ids.survey}/groupings` },
    { method: 'PUT', url: `/api/v1/surveys/${ids.survey}/label-set`, payload: { set: 'employee' } },
    { method: 'POST', url: `/api/v1/surveys/${ids.survey}/distributions/preview`, payload: { all: true } },
    { method: 'POST', url: `/api/v1/surveys/${ids.survey}/invitations`, payload: { contactId: ids.contact } },
    { method: 'POST', url: `/api/v1/distributions/${ids.distribution}/cancel` },
    {
      method: 'PUT',
      url: `/api/v1/email-templates/${ids.template}`,
      payload: { kind: 'invitation', name: 'Overgenomen', subject: { nl: 'x', en: 'x' }, body: { nl: 'x', en: 'x' } },
    },
    { method: 'DELETE', url: `/api/v1/email-templates/${ids.template}` },
    { method: 'POST', url: `/api/v1/suppressions/${ids.suppression}/lift`, payload: { reason: 'overgenomen' } },
    { method: 'GET', url: `/api/v1/surveys/${ids.survey}/responses` },
    { method: 'DELETE', url: `/api/v1/api-keys/${ids.apiKey}` },
    { method: 'PATCH', url: `/api/v1/webhooks/${ids.webhook}`, payload: { active: false } },
    { method: 'GET', url: `/api/v1/webhooks/${ids.webhook}/deliveries` },
    { method: 'POST', url: `/api/v1/webhook-deliveries/${ids.delivery}/redeliver` },
    // Issue 15: B can neither rotate A's secret, ping A's receiver nor delete A's webhook.
    { method: 'POST', url: `/api/v1/webhooks/${ids.webhook}/rotate-secret`, payload: { overlapHours: 0 } },
    { method: 'POST', url: `/api/v1/webhooks/${ids.webhook}/ping` },
    { method: 'DELETE', url: `/api/v1/webhooks/${ids.webhook}` },
    { method: 'PATCH', url: '/api/v1/profile-fields/alleen_alfa', payload: { label: { nl: 'Overgenomen' } } },
    { method: 'DELETE', url: '/api/v1/profile-fields/alleen_alfa' },
    { method: 'POST', url: `/api/v1/subprocessors/${ids.subprocessor}/consent` },
    { method: 'DELETE', url: `/api/v1/subprocessors/${ids.subprocessor}/consent` },
    { method: 'GET', url: `/api/v1/agreement/acceptances/${ids.acceptance}/text` },
    { method: 'POST', url: `/api/v1/agreement/versions/${ids.proposal}/objection`, payload: { reason: 'overgenomen' } },
    { method: 'POST', url: `/api/v1/subprocessors/${ids.subprocessor}/objection`, payload: { reason: 'overgenomen' } },
    { method: 'GET', url: `/api/v1/breaches/${ids.breach}/ap-draft` },
    { method: 'POST', url: `/api/v1/requests/${ids.request}/extension`, payload: { reason: 'overgenomen' } },
    { method: 'GET', url: `/api/v1/surveys/${ids.survey}/alert-rule` },
    {
      method: 'PUT',
      url: `/api/v1/surveys/${ids.survey}/alert-rule`,
      payload: { trigger: 'unhappy', assigneeId: null, notifyEmail: false },
    },
    { method: 'GET', url: `/api/v1/surveys/${ids.survey}/follow-ups/summary` },
    { method: 'GET', url: `/api/v1/follow-ups/${ids.followUp}` },
    { method: 'PATCH', url: `/api/v1/follow-ups/${ids.followUp}`, payload: { status: 'done', note: 'overgenomen' } },
    { method: 'POST', url: `/api/v1/requests/${ids.request}/decision`, payload: { decision: 'done' } },
    { method: 'GET', url: `/api/v1/contacts/${ids.contact}/export` },
    { method: 'GET', url: `/api/v1/contacts/${ids.contact}/erasure` },
    { method: 'POST', url: `/api/v1/contacts/${ids.contact}/erasure` },
    { method: 'POST', url: `/api/v1/surveys/${ids.survey}/publications/preview`, payload: {} },
    { method: 'GET', url: `/api/v1/surveys/${ids.survey}/publications` },
    { method: 'POST', url: `/api/v1/surveys/${ids.survey}/publications`, payload: { sha256: '0'.repeat(64) } },
    { method: 'POST', url: `/api/v1/publications/${ids.publication}/refresh`, payload: { sha256: '0'.repeat(64) } },
    { method: 'POST', url: `/api/v1/publications/${ids.publication}/withdraw` },
  ];

  test("BEN-1 the benchmark: B's position shows nothing of A's own numbers, and B's transaction sees none of A's contributions", async () => {
    const op = await operatorCookie(t);
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/operator/benchmark/sectors',
          headers: { cookie: op },
          payload: { code: 'iso', name: { nl: 'Iso', en: 'Iso' } },
        })
      ).statusCode,
      201,
    );
    assert.equal(
      (
        await t.app.inject({
          method: 'PUT',
          url: `/api/v1/operator/tenants/${ids.tenantA}/sector`,
          headers: { cookie: op },
          payload: { sector: 'iso' },
        })
      ).statusCode,
      200,
    );
    // A's answers counted from before they were given (its cursor moved back), by a sweep after the lag.
    await sql`UPDATE benchmark_cursors SET processed_to = NULL WHERE tenant_id = ${ids.tenantA}::uuid`.execute(
      t.ctx.db.handle.kysely,
    );
    await sweepBenchmark(t.ctx, { now: new Date(Date.now() + 15 * 60_000) });
    const ownOfA = (
      await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM benchmark_own WHERE tenant_id = ${ids.tenantA}::uuid`.execute(
        t.ctx.db.handle.kysely,
      )
    ).rows[0]!.n;
    assert.ok(ownOfA > 0, 'A has a contribution');
    const b = (await t.app.inject({ method: 'GET', url: '/api/v1/benchmark', headers: { cookie: ownerB } })).json();
    assert.deepEqual([b.sector, b.positions], [null, []]);
    const seen = await t.ctx.db.tenant(ids.tenantB!, async (tx) => ({
      own: (await sql<{ n: number }>`SELECT count(*)::int AS n FROM benchmark_own`.execute(tx)).rows[0]!.n,
      pct: (await sql<{ n: number }>`SELECT count(*)::int AS n FROM peil_benchmark_percentiles()`.execute(tx)).rows[0]!
        .n,
    }));
    assert.deepEqual(seen, { own: 0, pct: 0 });
  });

  test("ACC-6 issue 14: PATCH /auth/me changes the caller's own language only; no id of another person can be named", async () => {
    const me = async (cookie: string) =>
      (await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).json();
    const before = await me(ownerA);
    assert.equal(before.locale, 'nl');
    const named = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/auth/me',
      headers: { cookie: ownerB },
      payload: { locale: 'en', id: before.id, tenantId: ids.tenantA },
    });
    assert.equal(named.statusCode, 422, named.body);
    const own = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/auth/me',
      headers: { cookie: ownerB },
      payload: { locale: 'en' },
    });
    assert.equal(own.statusCode, 200, own.body);
    assert.equal((await me(ownerB)).locale, 'en');
    assert.equal((await me(ownerA)).locale, 'nl', "B's choice did not reach A");
    const colleague = await t.ctx.db.tenant(ids.tenantA!, (tx) =>
      tx.selectFrom('users').select('locale').where('id', '=', ids.user!).executeTakeFirstOrThrow(),
    );
    assert.equal(colleague.locale, null, 'the colleague has chosen nothing, and nobody chose for them');
    // Without the CSRF token a session cookie changes nothing (ACC-5).
    const forged = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/auth/me',
      headers: { cookie: ownerA, 'x-csrf-token': 'x' },
      payload: { locale: 'en' },
    });
    assert.equal(forged.statusCode, 403, forged.body);
    assert.equal((await me(ownerA)).locale, 'nl');
  });

  test('ACC-6 the list covers every route of the API that takes an id', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const withId = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      // Operator routes name a customer on purpose; who may call them is the matrix's business (ACC-2).
      .filter((r) => /\{id\}/.test(r) && !r.includes('/operator/'));
    const covered = calls().map(
      (c) =>
        `${c.method} ${c.url.split('?')[0]!.replace(/\/[0-9a-f-]{36}|\/alleen_alfa|\/\d+(?=\/restore)|\/[A-Za-z0-9_-]{43}(?=\/lift)/g, '/{id}')}`,
    );
    assert.deepEqual(
      withId.filter((r) => !covered.includes(r)),
      [],
    );
  });

  test("ACC-6 tenant B gets 404 and nothing of A for each of A's ids, and A's data is unchanged", async () => {
    for (const c of calls()) {
      const res = await t.app.inject({ ...(c as { method: 'GET'; url: string }), headers: { cookie: ownerB } });
      assert.equal(res.statusCode, 404, `${c.method} ${c.url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      assert.ok(!/Alleen van A|geheim|Geheim|Alfa/.test(res.body), `${c.url} leaks something of A`);
    }
    assert.equal(
      (await t.app.inject({ method: 'GET', url: `/api/v1/contacts/${ids.contact}`, headers: { cookie: ownerA } }))
        .statusCode,
      200,
    );
    const users = (await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: { cookie: ownerA } })).json()
      .users;
    assert.equal(users.find((u: { id: string }) => u.id === ids.user).role, 'analyst');
    const grants = (
      await t.app.inject({ method: 'GET', url: '/api/v1/support-access', headers: { cookie: ownerA } })
    ).json().grants;
    assert.equal(grants.find((g: { id: string }) => g.id === ids.grant).active, true);
    const fields = (
      await t.app.inject({ method: 'GET', url: '/api/v1/profile-fields', headers: { cookie: ownerA } })
    ).json().fields;
    assert.equal(fields.find((f: { key: string }) => f.key === 'alleen_alfa').label.nl, 'Alleen Alfa');
    const subs = (
      await t.app.inject({ method: 'GET', url: '/api/v1/subprocessors', headers: { cookie: ownerA } })
    ).json().subprocessors;
    assert.equal(
      subs.find((x: { id: string }) => x.id === ids.subprocessor).change.status,
      'pending',
      "B's objection did not reach A's change",
    );
    // Issue 12: B's PATCH did not close A's follow-up, and B's list does not show it.
    assert.equal(
      (
        await t.app.inject({ method: 'GET', url: `/api/v1/follow-ups/${ids.followUp}`, headers: { cookie: ownerA } })
      ).json().status,
      'open',
    );
    assert.deepEqual(
      (await t.app.inject({ method: 'GET', url: '/api/v1/follow-ups', headers: { cookie: ownerB } })).json().followUps,
      [],
    );
    // Issue 15 (SVC-5): A's webhook is still there, active, with its first secret; B's list does not show it.
    const hooks = (await t.app.inject({ method: 'GET', url: '/api/v1/webhooks', headers: { cookie: ownerA } })).json()
      .webhooks;
    const hook = hooks.find((w: { id: string }) => w.id === ids.webhook);
    assert.ok(hook, "B's DELETE did not reach A's webhook");
    assert.deepEqual([hook.active, hook.rotatedAt, hook.events], [true, null, ['response.completed']]);
    assert.ok(
      !hook.lastAttempts.some((x: { eventType: string }) => x.eventType === 'webhook.ping'),
      "B's ping sent nothing to A's receiver",
    );
    assert.deepEqual(
      (await t.app.inject({ method: 'GET', url: '/api/v1/webhooks', headers: { cookie: ownerB } })).json().webhooks,
      [],
    );
    // Issue 14: B's archive and duplicate did not reach A's survey; B has no copy of it.
    assert.equal(
      (await t.app.inject({ method: 'GET', url: `/api/v1/surveys/${ids.survey}`, headers: { cookie: ownerA } })).json()
        .archivedAt,
      null,
    );
    assert.deepEqual(
      (await t.app.inject({ method: 'GET', url: '/api/v1/surveys?archived=all', headers: { cookie: ownerB } })).json()
        .surveys,
      [],
    );
    // BEN-2: B's withdrawal did not reach A's publication.
    const pubs = (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/surveys/${ids.survey}/publications`,
        headers: { cookie: ownerA },
      })
    ).json().publications;
    assert.equal(pubs.find((p: { id: string }) => p.id === ids.publication).status, 'published');
    // Issue 13 (SVC-6): GET /api/v1/usage takes no id: B's usage is B's own counters, none of A's.
    const usage = async (cookie: string) =>
      Object.fromEntries(
        (await t.app.inject({ method: 'GET', url: '/api/v1/usage', headers: { cookie } }))
          .json()
          .lines.map((l: { metric: string; used: number }) => [l.metric, l.used]),
      );
    assert.deepEqual(await usage(ownerB), { contacts: 0, responses: 0, surveys: 0, users: 1, labelled: 0 });
    const a = await usage(ownerA);
    assert.ok(a.contacts >= 1 && a.surveys === 1 && a.responses === 1 && a.users === 2, JSON.stringify(a));
  });
});
