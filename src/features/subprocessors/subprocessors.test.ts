import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import {
  dbKind,
  eventually,
  operatorCookie,
  setUp,
  signIn,
  startTestApp,
  type TestApp,
} from '../../../test/harness.js';
import { answeredSurvey } from '../../../test/respondents.js';
import { parseEnv } from '../../lib/env.js';
import { runLabelling } from '../labelling/run.js';
import { insideEea } from './eea.js';
import { impliedServices } from './service.js';
import { settleSubprocessorChanges } from './changes.js';

/** SUB-2: the objection windows of what was just announced have passed without objection (changes.test.ts tests the windows). */
const afterWindows = () => new Date(Date.now() + 100 * 86_400_000);

/** A local stand-in for an external AI provider: it counts what it receives and always answers well. */
class StandIn {
  received = 0;
  url = '';
  private server!: Server;
  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        this.received++;
        const content = JSON.stringify({ labels: [], sentiment: 'positive' });
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content } }] }));
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

describe(`sub-processors (${dbKind})`, () => {
  const standIn = new StandIn();
  let t: TestApp;
  let tenantA: string;
  let tenantB: string;
  let ownerA: string;
  let ownerB: string;
  let op: string;

  const api = async (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    cookie: string,
    payload?: unknown,
  ) => {
    const r = await t.app.inject({
      method,
      url,
      headers: { cookie },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
    return { status: r.statusCode, body: r.body ? (r.json() as Record<string, any>) : null }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const register = async (entry: Record<string, unknown>) => {
    const r = await api('POST', '/api/v1/operator/subprocessors', op, {
      safeguards: ['dpa'],
      appliesTo: 'all',
      ...entry,
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body!.id as string;
  };
  const systemLog = async (action: string) =>
    (
      await sql<{
        details: Record<string, unknown>;
      }>`SELECT details FROM system_audit_events WHERE action = ${action} ORDER BY at, id`.execute(
        t.ctx.db.handle.kysely,
      )
    ).rows.map((r) => r.details);
  const chain = async (tenantId: string, action: string) =>
    (
      await sql<{
        actor_id: string;
        subject_id: string;
        details: Record<string, unknown>;
      }>`SELECT actor_id, subject_id, details FROM audit_events WHERE tenant_id = ${tenantId}::uuid AND action = ${action} ORDER BY seq`.execute(
        t.ctx.db.handle.kysely,
      )
    ).rows;
  const customerList = async (cookie: string) => {
    const r = await api('GET', '/api/v1/subprocessors', cookie);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body as {
      processingLocation: { location: string; country: string; insideEea: boolean };
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test reads the fields it checks
      subprocessors: Array<Record<string, any>>;
    };
  };

  before(async () => {
    await standIn.start();
    t = await startTestApp({
      AI_PROVIDER_URL: standIn.url,
      AI_PROVIDER_MODEL: 'stand-in',
      AI_PROVIDER_NAME: 'Example AI',
      LABELLING_SWEEP_SECONDS: '0',
      PEIL_HOSTING_LOCATION: 'Amsterdam',
      PEIL_HOSTING_COUNTRY: 'nl',
      PEIL_HOSTING_PROVIDER: 'Voorbeeld Hosting B.V.',
    });
    ({ tenantId: tenantA, ownerCookie: ownerA } = await setUp(t));
    op = await operatorCookie(t);
    const b = await api('POST', '/api/v1/operator/tenants', op, {
      name: 'Bravo Wonen',
      slug: 'bravo',
      owner: { email: 'owner@bravo.test', name: 'Bea', password: 'Grachtenpand-Blauw-3' },
    });
    assert.equal(b.status, 201);
    tenantB = b.body!.tenantId;
    ownerB = await signIn(t, 'owner@bravo.test', 'Grachtenpand-Blauw-3');
  });
  after(async () => {
    await t.close();
    await standIn.close();
  });

  test('SUB-1 insideEea is derived from the country with a fixed list (EU, IS, LI, NO), not typed by hand', () => {
    for (const c of ['NL', 'DE', 'IE', 'GR', 'NO', 'IS', 'LI']) assert.equal(insideEea(c), true, c);
    for (const c of ['US', 'GB', 'CH', 'IN', 'XX']) assert.equal(insideEea(c), false, c);
    const flagged = impliedServices(parseEnv({ SMTP_URL: 'smtp://relay.example.nl:587' }), []);
    assert.deepEqual(flagged, [{ kind: 'smtp', name: 'relay.example.nl', source: 'SMTP_URL', registered: false }]);
    assert.equal(
      impliedServices(parseEnv({ SMTP_URL: 'smtp://relay.example.nl:587' }), [{ kind: 'smtp' }])[0]!.registered,
      true,
    );
  });

  test("SUB-1 the operator's register: add, list, change and remove, every change in the system log; configured services without an entry are flagged", async () => {
    const before = await api('GET', '/api/v1/operator/subprocessors', op);
    assert.equal(before.status, 200);
    assert.deepEqual(before.body!.implied, [
      { kind: 'hosting', name: 'Voorbeeld Hosting B.V.', source: 'PEIL_HOSTING_PROVIDER', registered: false },
      { kind: 'ai', name: 'Example AI', source: 'AI_PROVIDER_URL', registered: false },
    ]);

    const id = await register({
      name: 'Voorbeeld Hosting B.V.',
      service: 'Servers en database / servers and database',
      location: 'Amsterdam',
      country: 'nl',
      safeguards: ['dpa', 'iso27001'],
      safeguardsNote: 'ISO 27001 certificaat 2026',
      kind: 'hosting',
    });
    const bad = await api('POST', '/api/v1/operator/subprocessors', op, {
      name: 'X',
      service: 'x',
      location: 'x',
      country: 'Nederland',
      safeguards: ['gdpr-ish'],
      kind: 'hosting',
      appliesTo: 'all',
    });
    assert.equal(bad.status, 422, JSON.stringify(bad.body));
    assert.deepEqual(
      bad.body!.errors.map((e: { pointer: string }) => e.pointer),
      ['/body/country', '/body/safeguards/0'],
    );
    const unknownCustomer = await api('POST', '/api/v1/operator/subprocessors', op, {
      name: 'X',
      service: 'x',
      location: 'x',
      country: 'NL',
      safeguards: [],
      kind: 'other',
      appliesTo: ['00000000-0000-4000-8000-000000000009'],
    });
    assert.equal(unknownCustomer.status, 422, JSON.stringify(unknownCustomer.body));
    assert.equal(unknownCustomer.body!.errors[0].pointer, '/appliesTo/0');

    let list = await api('GET', '/api/v1/operator/subprocessors', op);
    const entry = list.body!.subprocessors.find((s: { id: string }) => s.id === id);
    assert.deepEqual(
      {
        name: entry.name,
        country: entry.country,
        insideEea: entry.insideEea,
        safeguards: entry.safeguards,
        note: entry.safeguardsNote,
        kind: entry.kind,
        appliesTo: entry.appliesTo,
      },
      {
        name: 'Voorbeeld Hosting B.V.',
        country: 'NL',
        insideEea: true,
        safeguards: ['dpa', 'iso27001'],
        note: 'ISO 27001 certificaat 2026',
        kind: 'hosting',
        appliesTo: 'all',
      },
    );
    assert.equal(list.body!.implied.find((x: { kind: string }) => x.kind === 'hosting').registered, true);

    const other = await register({
      name: 'Tijdelijk',
      service: 'Test',
      location: 'Berlijn',
      country: 'DE',
      kind: 'other',
    });
    assert.equal(
      (
        await api('PATCH', `/api/v1/operator/subprocessors/${other}`, op, {
          location: 'München',
          safeguards: ['dpa', 'scc'],
        })
      ).status,
      204,
    );
    list = await api('GET', '/api/v1/operator/subprocessors', op);
    assert.equal(list.body!.subprocessors.find((s: { id: string }) => s.id === other).location, 'München');
    assert.equal((await api('DELETE', `/api/v1/operator/subprocessors/${other}`, op)).status, 204);
    assert.equal((await api('DELETE', `/api/v1/operator/subprocessors/${other}`, op)).status, 404);
    assert.equal((await api('PATCH', `/api/v1/operator/subprocessors/${other}`, op, { location: 'x' })).status, 404);
    list = await api('GET', '/api/v1/operator/subprocessors', op);
    assert.ok(!list.body!.subprocessors.some((s: { id: string }) => s.id === other));

    assert.equal((await systemLog('subprocessor.created')).filter((d) => d.id === id || d.id === other).length, 2);
    const updated = await systemLog('subprocessor.updated');
    assert.deepEqual(updated.at(-1)!.changed, {
      location: { from: 'Berlijn', to: 'München' },
      safeguards: { from: ['dpa'], to: ['dpa', 'scc'] },
    });
    assert.equal((await systemLog('subprocessor.removed')).at(-1)!.id, other);

    // A customer cannot write the register: peil_app holds SELECT only (grants.sql).
    await assert.rejects(
      t.ctx.db.tenant(tenantA, (tx) => tx.updateTable('subprocessors').set({ country: 'US' }).execute()),
      /permission denied/,
    );
  });

  test("SUB-1 a customer sees the entries for all customers and its own assignments; another customer's assignment is invisible", async () => {
    const onlyB = await register({
      name: 'Bravo Sms',
      service: 'SMS-herinneringen',
      location: 'Gent',
      country: 'BE',
      kind: 'other',
      appliesTo: [tenantB],
    });
    const names = async (cookie: string) => (await customerList(cookie)).subprocessors.map((s) => s.name);
    assert.ok((await names(ownerB)).includes('Bravo Sms'));
    assert.ok(!(await names(ownerA)).includes('Bravo Sms'));
    assert.ok((await names(ownerA)).includes('Voorbeeld Hosting B.V.'), 'an entry for all applies to A');
    // Even a direct query in A's transaction does not see B's assignment (row-level security).
    assert.equal(
      (await t.ctx.db.tenant(tenantA, (tx) => tx.selectFrom('subprocessor_assignments').selectAll().execute())).length,
      0,
    );
    assert.equal(
      (await t.ctx.db.tenant(tenantB, (tx) => tx.selectFrom('subprocessor_assignments').selectAll().execute())).length,
      1,
    );

    // Assigned in B's own chain, not A's.
    assert.deepEqual(
      (await chain(tenantB, 'subprocessor.assigned')).map((r) => r.subject_id),
      [onlyB],
    );
    assert.equal((await chain(tenantA, 'subprocessor.assigned')).length, 0);

    // Per customer: apply to A too, then stop it for B.
    const put = await api('PUT', `/api/v1/operator/subprocessors/${onlyB}/customers/${tenantA}`, op);
    assert.deepEqual(put.body, { subprocessorId: onlyB, tenantId: tenantA, applies: true, changed: true });
    assert.ok((await names(ownerA)).includes('Bravo Sms'));
    assert.equal(
      (await api('DELETE', `/api/v1/operator/subprocessors/${onlyB}/customers/${tenantB}`, op)).body!.changed,
      true,
    );
    assert.ok(!(await names(ownerB)).includes('Bravo Sms'));
    assert.equal((await chain(tenantB, 'subprocessor.unassigned')).length, 1);
    assert.equal((await chain(tenantA, 'subprocessor.assigned')).length, 1);
    const list = await api('GET', '/api/v1/operator/subprocessors', op);
    assert.deepEqual(list.body!.subprocessors.find((s: { id: string }) => s.id === onlyB).appliesTo, [tenantA]);

    // Back to "all": the assignments are cleared (audited), and it applies to both.
    assert.equal((await api('PATCH', `/api/v1/operator/subprocessors/${onlyB}`, op, { appliesTo: 'all' })).status, 204);
    assert.ok((await names(ownerB)).includes('Bravo Sms'));
    assert.equal((await chain(tenantA, 'subprocessor.unassigned')).length, 1);
    assert.equal((await api('PUT', `/api/v1/operator/subprocessors/${onlyB}/customers/${tenantA}`, op)).status, 409);
    assert.equal((await api('DELETE', `/api/v1/operator/subprocessors/${onlyB}`, op)).status, 204);

    // Removing a listed entry stops it for its customers, in their chains.
    const onlyA = await register({
      name: 'Alfa Print',
      service: 'Drukwerk',
      location: 'Utrecht',
      country: 'NL',
      kind: 'other',
      appliesTo: [tenantA],
    });
    assert.ok((await names(ownerA)).includes('Alfa Print'));
    assert.equal((await api('DELETE', `/api/v1/operator/subprocessors/${onlyA}`, op)).status, 204);
    assert.ok(!(await names(ownerA)).includes('Alfa Print'));
    assert.deepEqual(
      (await chain(tenantA, 'subprocessor.unassigned')).map((r) => r.subject_id),
      [onlyB, onlyA],
    );
  });

  test('SUB-3 a sub-processor outside the EEA is not applied before the customer’s consent', async () => {
    const ai = await register({
      name: 'Example AI',
      service: 'Labelen van geredigeerde antwoorden / labelling redacted answers',
      location: 'Virginia',
      country: 'US',
      safeguards: ['dpa', 'scc', 'dpf'],
      kind: 'ai',
    });
    await settleSubprocessorChanges(t.ctx.db, afterWindows());
    const labelling = async () => (await api('GET', '/api/v1/labelling', ownerA)).body!;
    const act = await api('POST', '/api/v1/labelling/activate', ownerA, {
      termsVersion: (await labelling()).terms.version,
      acceptTerms: true,
      allowExternalProvider: true,
    });
    assert.equal(act.status, 200, JSON.stringify(act.body));
    assert.equal(act.body!.externalProvider.inUse, false, 'not in use while consent is missing');
    const mine = (await customerList(ownerA)).subprocessors.find((s) => s.id === ai)!;
    assert.deepEqual(
      [mine.status, mine.insideEea, mine.consent, mine.statusText.nl],
      ['awaiting_consent', false, null, 'Wacht op uw toestemming (buiten de EER)'],
    );

    // Try to use it: the run labels with the built-in labeller, and not one request reaches the provider.
    const first = await answeredSurvey(
      t,
      ownerA,
      tenantA,
      [{ score: 8, why: 'Prima service, snel geholpen.' }],
      'Voor toestemming',
    );
    const run = await runLabelling(t.ctx, tenantA);
    assert.equal(run.external, 0);
    const comments = async (surveyId: string) =>
      (await api('GET', `/api/v1/surveys/${surveyId}/results`, ownerA)).body!.comments as Array<{
        id: string;
        labelSource: string | null;
      }>;
    const before = await eventually(
      async () => (await comments(first.surveyId)).find((c) => c.id === first.responseIds[0] && c.labelSource),
      30_000,
      'labelled',
    );
    assert.equal(before.labelSource, 'model');
    assert.equal(standIn.received, 0);

    // Another customer's consent, or an admin's, does not count; an entry inside the EEA needs none.
    const hosting = (await customerList(ownerA)).subprocessors.find((s) => s.kind === 'hosting')!;
    assert.equal((await api('POST', `/api/v1/subprocessors/${hosting.id}/consent`, ownerA)).status, 409);
    assert.equal((await api('POST', `/api/v1/subprocessors/${ai}/consent`, ownerB)).status, 200);
    assert.equal((await customerList(ownerA)).subprocessors.find((s) => s.id === ai)!.status, 'awaiting_consent');

    const given = await api('POST', `/api/v1/subprocessors/${ai}/consent`, ownerA);
    assert.equal(given.status, 200, JSON.stringify(given.body));
    assert.equal(given.body!.status, 'applied');
    assert.equal(given.body!.consent.country, 'US');
    const me = (await api('GET', '/api/v1/auth/me', ownerA)).body!;
    const ownerId = me.user?.id ?? me.id;
    assert.equal(given.body!.consent.by, ownerId);
    const rows = await chain(tenantA, 'subprocessor.consented');
    assert.deepEqual(
      rows.map((r) => [r.actor_id, r.subject_id, r.details.country]),
      [[ownerId, ai, 'US']],
    );
    assert.equal((await labelling()).externalProvider.inUse, true);

    const second = await answeredSurvey(
      t,
      ownerA,
      tenantA,
      [{ score: 9, why: 'Heel vriendelijk personeel.' }],
      'Na toestemming',
    );
    await runLabelling(t.ctx, tenantA);
    const after = await eventually(
      async () => (await comments(second.surveyId)).find((c) => c.id === second.responseIds[0] && c.labelSource),
      30_000,
      'labelled',
    );
    assert.equal(after.labelSource, 'external');
    assert.ok(standIn.received > 0);

    // SUB-3: the owner withdraws the consent: the provider is off for this customer at once, the
    // other customer's consent stands; another customer cannot withdraw A's consent.
    assert.equal(
      (await api('DELETE', `/api/v1/subprocessors/${ai}/consent`, ownerB)).status,
      200,
      "B withdraws B's own",
    );
    assert.equal(
      (await customerList(ownerA)).subprocessors.find((s) => s.id === ai)!.status,
      'applied',
      "B's withdrawal is not A's",
    );
    const withdrawn = await api('DELETE', `/api/v1/subprocessors/${ai}/consent`, ownerA);
    assert.equal(withdrawn.status, 200, JSON.stringify(withdrawn.body));
    assert.deepEqual([withdrawn.body!.status, withdrawn.body!.consent], ['awaiting_consent', null]);
    assert.equal((await labelling()).externalProvider.inUse, false);
    assert.equal(
      (await api('DELETE', `/api/v1/subprocessors/${ai}/consent`, ownerA)).status,
      404,
      'nothing left to withdraw',
    );
    assert.deepEqual(
      (await chain(tenantA, 'subprocessor.consent_withdrawn')).map((r) => [r.actor_id, r.details.country]),
      [[ownerId, 'US']],
    );
    for (const owner of [ownerA, ownerB])
      assert.equal((await api('POST', `/api/v1/subprocessors/${ai}/consent`, owner)).status, 200, 'given again');

    // The entry moves to another country outside the EEA: the consent named the US, so it waits again.
    assert.equal(
      (await api('PATCH', `/api/v1/operator/subprocessors/${ai}`, op, { country: 'IN', location: 'Mumbai' })).status,
      204,
    );
    assert.equal(
      (await customerList(ownerA)).subprocessors.find((s) => s.id === ai)!.status,
      'objection_window',
      'SUB-2: first its objection window',
    );
    await settleSubprocessorChanges(t.ctx.db, afterWindows());
    assert.equal((await customerList(ownerA)).subprocessors.find((s) => s.id === ai)!.status, 'awaiting_consent');
    assert.equal((await labelling()).externalProvider.inUse, false);
    const list = await api('GET', '/api/v1/operator/subprocessors', op);
    assert.deepEqual(
      list
        .body!.subprocessors.find((s: { id: string }) => s.id === ai)
        .consents.map((c: { tenantId: string; country: string }) => [c.tenantId, c.country])
        .sort(),
      [
        [tenantA, 'US'],
        [tenantB, 'US'],
      ].sort(),
    );
  });

  test('SUB-4 the processing and storage location is shown, with every entry’s country and EEA status, also in the security measures', async () => {
    const l = await customerList(ownerA);
    assert.deepEqual(l.processingLocation, { location: 'Amsterdam', country: 'NL', insideEea: true });
    for (const s of l.subprocessors) assert.equal(s.insideEea, insideEea(s.country));
    const m = (await api('GET', '/api/v1/security-measures', ownerA)).body!;
    assert.equal(m.hosting.country, 'NL');
    assert.deepEqual(
      m.subProcessors.map((s: { name: string; country: string; insideEea: boolean; status: string }) => [
        s.name,
        s.country,
        s.insideEea,
        s.status,
      ]),
      l.subprocessors.map((s) => [s.name, s.country, s.insideEea, s.status]),
    );
    const md = (
      await t.app.inject({ method: 'GET', url: '/api/v1/security-measures?format=md', headers: { cookie: ownerA } })
    ).body;
    assert.match(md, /Location of storage and processing: Amsterdam \(NL\)/);
    assert.match(
      md,
      /Voorbeeld Hosting B\.V\. \(Servers en database \/ servers and database, Amsterdam, NL, inside the EEA; dpa, iso27001\)/,
    );
    assert.match(md, /Example AI \([^)]*Mumbai, IN, outside the EEA; dpa, scc, dpf; awaiting consent, not used\)/);
  });
});
