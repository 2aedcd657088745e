import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import {
  eventually,
  importCsv,
  operatorCookie,
  setUp,
  signIn,
  startTestApp,
  type TestApp,
} from '../../../test/harness.js';
import { answeredSurvey } from '../../../test/respondents.js';
import {
  addRowFor,
  comparesToCurrentTenant,
  policiesOf,
  privilegesOf,
  tenantTables,
} from '../../../test/tenant-tables.js';
import { signedRowToken } from '../tokens.js';

/**
 * Tables that hold a tenant column but that the application role may not touch at all (grants.sql):
 * there is no row for row-level security to filter. Every other table the catalog finds must have it.
 */
const CLOSED_TO_APP: Record<string, string> = {
  tenant_keys:
    'the keyring reads its own tenant key through peil_tenant_key(); operator commands on the owner connection',
  audit_chain_backfill: 'read and emptied at start-up on the owner connection',
  deletion_statements: 'END-4: written when the customer is gone; read by the operator on the owner connection',
};

class Rollback extends Error {
  constructor(readonly rows: number) {
    super('rollback');
  }
}

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

describe(`database isolation and encryption (${process.env.PEIL_TEST_DATABASE_URL ? 'postgresql' : 'pglite'})`, () => {
  let t: TestApp;
  let tenantId: string;
  let tenantB: string;

  before(async () => {
    t = await startTestApp({
      PEIL_WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_SWEEP_MS: '100',
      WEBHOOK_RETRY_BASE_MS: '3600000',
    });
    const s = await setUp(t);
    tenantId = s.tenantId;
    const owner = s.ownerCookie;
    const res = await importCsv(
      t,
      owner,
      'email;voornaam;achternaam;telefoon\nAnne.de.Vries@Example.NL;Anne;de Vries;06-12345678\nbas@example.nl;Bas;Bakker;\n',
    );
    assert.equal(res.statusCode, 200, res.body);

    // Tenant B, with rows of its own in the tables that matter most.
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
    assert.equal(b.statusCode, 201, b.body);
    tenantB = b.json().tenantId;
    const ownerB = await signIn(t, 'owner@bravo.test', 'Grachtenpand-Blauw-3');
    await importCsv(t, ownerB, 'email;voornaam\nbert@bravo.example;Bert\n');

    // Tenant A's rows, through the API wherever there is one, so every table holds real data of A.
    const countOf = async (table: string) =>
      (
        await sql<{
          n: number;
        }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE tenant_id = ${tenantId}::uuid`.execute(
          t.ctx.db.handle.kysely,
        )
      ).rows[0]!.n;
    const api = async (method: 'POST' | 'PUT', url: string, payload: unknown, headers: Record<string, string> = {}) => {
      const r = await t.app.inject({
        method,
        url,
        headers: { cookie: owner, ...headers },
        payload: payload as Record<string, unknown>,
      });
      assert.ok(r.statusCode < 300, `${method} ${url}: ${r.statusCode} ${r.body}`);
      return r.json();
    };
    await api('POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:9/alfa' });
    const { surveyId, responseIds } = await answeredSurvey(t, owner, tenantId, [
      { score: 9, why: 'Heel goed geholpen' },
    ]);
    // Issue 12: A's alert rule and a follow-up of A's response (as the sweep writes it).
    await api('PUT', `/api/v1/surveys/${surveyId}/alert-rule`, {
      trigger: 'unhappy',
      assigneeId: null,
      notifyEmail: false,
    });
    await sql`INSERT INTO follow_ups (tenant_id, id, survey_id, response_id, answered_at, due_at) VALUES (${tenantId}::uuid, gen_random_uuid(), ${surveyId}::uuid, ${responseIds[0]}::uuid, now(), now())`.execute(
      t.ctx.db.handle.kysely,
    );
    // Issue 13 (BEN-2): a publication of A's survey, approved from its preview.
    const pv = await t.app.inject({
      method: 'POST',
      url: `/api/v1/surveys/${surveyId}/publications/preview`,
      headers: { cookie: owner },
      payload: {},
    });
    await api('POST', `/api/v1/surveys/${surveyId}/publications`, { sha256: pv.json().sha256 });
    const state = (await t.app.inject({ method: 'GET', url: '/api/v1/labelling', headers: { cookie: owner } })).json();
    await api('POST', '/api/v1/labelling/activate', { termsVersion: state.terms.version, acceptTerms: true });
    await api('POST', '/api/v1/labels', { id: 'alleen_a', name: { nl: 'Alleen A', en: 'A only' } });
    // Reading results asks for a labelling run (the job labels A's answer and counts it).
    await t.app.inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}/results`, headers: { cookie: owner } });
    await eventually(async () => (await countOf('labelling_usage')) > 0, 30_000, "the labelling run of A's answer");
    await api('PUT', `/api/v1/responses/${responseIds[0]}/labels`, { labels: ['service'], sentiment: 'positive' });
    await api('POST', '/api/v1/users', { email: 'collega@zorg.test', name: 'Collega', role: 'analyst' });
    await api('POST', '/api/v1/support-access', { scope: 'results', reason: 'x', hours: 1 });
    await api('POST', '/api/v1/profile-fields', { key: 'afdeling', type: 'text', label: { nl: 'Afdeling' } });
    await api('POST', '/api/v1/suppressions', { email: 'weg@zorg.example' });
    await api('POST', '/api/v1/email-templates', {
      kind: 'invitation',
      name: 'A',
      subject: { nl: 'A', en: 'A' },
      body: { nl: 'A {link}', en: 'A {link}' },
    });
    await api('PUT', '/api/v1/distribution-settings', { throttleDays: 30 });
    await api(
      'POST',
      '/api/v1/api-keys',
      { name: 'A CRM', scopes: ['surveys:read'] },
      { 'idempotency-key': 'fixture-a' },
    );
    await api('POST', '/api/v1/audit/verification', {});
    // OBLIGATIONS AGR-3: an acceptance of A's agreement and a version proposed to A.
    const shown = await t.app.inject({
      method: 'GET',
      url: '/api/v1/agreement/document?lang=nl&format=md',
      headers: { cookie: owner },
    });
    await api('POST', '/api/v1/agreement/accept', {
      version: shown.headers['x-peil-agreement-version'],
      lang: 'nl',
      sha256: shown.headers['x-peil-document-sha256'],
    });
    const proposed = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/operator/tenants/${tenantId}/agreement`,
      headers: { cookie: op },
      payload: { breachNoticeHours: 36 },
    });
    assert.equal(proposed.statusCode, 202, proposed.body);
    // OBLIGATIONS SUB-2, AUD-1: a change of the register announced to A (assigned to A only), and an audit request of A.
    const sub = await t.app.inject({
      method: 'POST',
      url: '/api/v1/operator/subprocessors',
      headers: { cookie: op },
      payload: {
        name: 'Alleen A',
        service: 'x',
        location: 'Gent',
        country: 'BE',
        safeguards: [],
        kind: 'other',
        appliesTo: [tenantId],
      },
    });
    assert.equal(sub.statusCode, 201, sub.body);
    await api('POST', '/api/v1/audits', {
      proposedDate: `${new Date().getUTCFullYear() + 1}-06-01`,
      auditorName: 'Auditor A',
      scope: '',
    });
    // OBLIGATIONS BRE-3, BRE-4: A's part of a breach, recorded from a scope and notified (A's outbox).
    const breach = await t.app.inject({
      method: 'POST',
      url: '/api/v1/operator/breaches',
      headers: { cookie: op },
      payload: BREACH_FIELDS,
    });
    assert.equal(breach.statusCode, 201, breach.body);
    const scoped = await t.app.inject({
      method: 'POST',
      url: `/api/v1/operator/breaches/${breach.json().id}/scope`,
      headers: { cookie: op },
      payload: {
        customers: [tenantId],
        categories: ['contact.email'],
        window: { from: '2020-01-01T00:00:00Z', to: new Date(Date.now() + 86_400_000).toISOString() },
      },
    });
    assert.equal(scoped.json().customers.length, 1, scoped.body);
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/operator/breaches/${breach.json().id}/notify`,
          headers: { cookie: op },
        })
      ).json().notified,
      1,
    );
    // OBLIGATIONS DSR-1: a respondent's request to A, filed on A's public request page.
    // (The customer's request link, made as features/requests/links.ts makes it: src/lib imports no feature.)
    const keysA = await t.ctx.keyring.forTenant(tenantId);
    const requestPath = `/r/o/${signedRowToken(tenantId, tenantId, (b) => keysA.tokenMac(Buffer.concat([Buffer.from('peil/request/customer/v1\0'), b])))}`;
    const filed = await t.app.inject({
      method: 'POST',
      url: requestPath,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'kind=access&email=verzoek%40zorg.example&lang=nl',
    });
    assert.equal(filed.statusCode, 200, filed.body);
    // OBLIGATIONS SVC-6: A's plan, an extension of it and a usage mail's record (as the plans tick writes it).
    const plan = await t.app.inject({
      method: 'POST',
      url: '/api/v1/operator/plans',
      headers: { cookie: op },
      payload: {
        name: 'Alleen A',
        limits: { contacts: 100, responses: null, surveys: null, users: null, labelled: null },
        features: { ai: true, api: true },
      },
    });
    assert.equal(plan.statusCode, 201, plan.body);
    assert.equal(
      (
        await t.app.inject({
          method: 'PUT',
          url: `/api/v1/operator/tenants/${tenantId}/plan`,
          headers: { cookie: op },
          payload: { planId: plan.json().id },
        })
      ).statusCode,
      200,
    );
    const ext = await t.app.inject({
      method: 'POST',
      url: `/api/v1/operator/tenants/${tenantId}/plan/extensions`,
      headers: { cookie: op },
      payload: { metric: 'contacts', extra: 5, validFrom: '2026-01-01', validUntil: '2030-12-31', reason: 'A' },
    });
    assert.equal(ext.statusCode, 201, ext.body);
    await sql`INSERT INTO usage_notices (tenant_id, metric, period, level, used, limit_value, recipients) VALUES (${tenantId}::uuid, 'contacts', 'total', 80, 80, 100, 1)`.execute(
      t.ctx.db.handle.kysely,
    );
    // OBLIGATIONS END-1, END-3: a reminder sent to A and an end of A (rows as the ending tick writes
    // them; A stays active for the rest of this file).
    await sql`INSERT INTO ending_reminders (tenant_id, ends_on, days, sent_at, recipients, notified) VALUES (${tenantId}::uuid, '2030-01-01', 60, now(), 1, 'owners')`.execute(
      t.ctx.db.handle.kysely,
    );
    await sql`INSERT INTO tenant_endings (tenant_id, ended_at, ended_by, choice_deadline, return_window_days) VALUES (${tenantId}::uuid, now(), 'operator', now() + interval '14 days', 30)`.execute(
      t.ctx.db.handle.kysely,
    );
    // The audit maintenance job signs a checkpoint of A's chain and mails A its signed head (issue 16).
    await t.ctx.jobs.send('audit-maintenance', {});
    const waitFor = ['webhook_attempts', 'outbox', 'audit_checkpoints', 'audit_anchors'];
    await eventually(
      async () => (await Promise.all(waitFor.map(countOf))).every((n) => n > 0),
      30_000,
      `rows of A in ${waitFor.join(', ')}`,
    );
  });
  after(() => t.close());

  test('ACC-6 a query without tenant context returns no rows', async () => {
    const rows = await t.ctx.db.global((tx) => tx.selectFrom('contacts').select('id').execute());
    assert.equal(rows.length, 0);
    const audit = await t.ctx.db.global((tx) => tx.selectFrom('audit_events').select('id').execute());
    assert.equal(audit.length, 0);
    // With the tenant set, the same query sees the rows: the policy, not an empty table, hid them.
    const mine = await t.ctx.db.tenant(tenantId, (tx) => tx.selectFrom('contacts').select('id').execute());
    assert.equal(mine.length, 2);
  });

  test('ACC-6 another tenant context sees none of these rows, even without a WHERE', async () => {
    const other = '00000000-0000-4000-8000-000000000001';
    const rows = await t.ctx.db.tenant(other, (tx) => tx.selectFrom('contacts').select('id').execute());
    assert.equal(rows.length, 0);
  });

  test('ACC-6 the application role cannot write a row into another tenant', async () => {
    const other = '00000000-0000-4000-8000-000000000002';
    await assert.rejects(
      t.ctx.db.tenant(tenantId, (tx) =>
        tx
          .insertInto('surveys')
          .values({
            tenant_id: other,
            id: '00000000-0000-4000-8000-000000000003',
            name: 'x',
            kind: 'nps',
            default_language: 'nl',
            definition: '{}',
            created_by: null,
          })
          .execute(),
      ),
      /row-level security/,
    );
  });

  test('ACC-6 the role peil_app is no superuser, cannot bypass row-level security and owns no table', async () => {
    const role = await sql<{
      rolsuper: boolean;
      rolbypassrls: boolean;
    }>`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'peil_app'`.execute(t.ctx.db.handle.kysely);
    assert.deepEqual(role.rows[0], { rolsuper: false, rolbypassrls: false });
    const owned = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM pg_tables WHERE tableowner = 'peil_app'`.execute(t.ctx.db.handle.kysely);
    assert.equal(owned.rows[0]!.n, 0);
  });

  test('ACC-6 every table with a column referring to a tenant, found in the catalog, has row-level security enabled and forced and a policy comparing that column to the current tenant', async () => {
    const owner = t.ctx.db.handle.kysely;
    const tables = await tenantTables(owner);
    const names = tables.map((x) => x.table);
    // The catalog finds tables whatever their tenant column is called (audit_chain_backfill: "tenant").
    for (const known of ['contacts', 'responses', 'sessions', 'tenant_keys', 'audit_chain_backfill'])
      assert.ok(names.includes(known), `${known} not found among ${names}`);
    const problems: string[] = [];
    for (const tt of tables) {
      const closed = CLOSED_TO_APP[tt.table];
      if (closed) {
        // Kept from the application role altogether: no privilege at all, so row-level security has nothing to guard.
        const held = await privilegesOf(owner, tt.table);
        if (held.length) problems.push(`${tt.table}: closed to peil_app (${closed}), yet it holds ${held.join(', ')}`);
        continue;
      }
      if (!tt.rls) problems.push(`${tt.table}: row-level security not enabled`);
      if (!tt.forced) problems.push(`${tt.table}: row-level security not forced`);
      const policies = await policiesOf(owner, tt.table);
      for (const column of tt.columns) {
        const ok = policies.some(
          (p) =>
            p.permissive &&
            p.cmd === '*' &&
            comparesToCurrentTenant(p.using, column) &&
            (p.check === null || comparesToCurrentTenant(p.check, column)),
        );
        if (!ok) problems.push(`${tt.table}: no policy for all commands comparing ${column} to peil_current_tenant()`);
      }
    }
    assert.deepEqual(problems, []);
  });

  test("ACC-6 in every such table, a transaction of tenant B sees, changes and removes none of tenant A's rows", async () => {
    const owner = t.ctx.db.handle.kysely;
    const leaks: string[] = [];
    for (const tt of await tenantTables(owner)) {
      if (CLOSED_TO_APP[tt.table]) {
        await assert.rejects(
          t.ctx.db.tenant(tenantB, (tx) => sql`SELECT * FROM ${sql.table(tt.table)}`.execute(tx)),
          /permission denied/,
          `${tt.table} is readable`,
        );
        continue;
      }
      for (const column of tt.columns) {
        const col = sql.ref(column);
        const table = sql.table(tt.table);
        const countA = async () =>
          (
            await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${table} WHERE ${col} = ${tenantId}::uuid`.execute(
              owner,
            )
          ).rows[0]!.n;
        if ((await countA()) === 0) await addRowFor(owner, tt.table, tt.columns, tenantId);
        const before = await countA();
        assert.ok(before > 0, `${tt.table}: no row of tenant A to look for`);
        // Read: nothing but B's own rows, with or without a WHERE.
        const seen = await t.ctx.db.tenant(tenantB, async (tx) => ({
          a: (
            await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${table} WHERE ${col} = ${tenantId}::uuid`.execute(
              tx,
            )
          ).rows[0]!.n,
          notB: (
            await sql<{
              n: number;
            }>`SELECT count(*)::int AS n FROM ${table} WHERE ${col} IS DISTINCT FROM ${tenantB}::uuid`.execute(tx)
          ).rows[0]!.n,
        }));
        if (seen.a || seen.notB)
          leaks.push(`${tt.table}.${column}: B sees ${seen.a} row(s) of A, ${seen.notB} not its own`);
        // Change and remove: no row of A is touched (or the statement is refused outright). Rolled back either way.
        for (const [what, statement] of [
          ['update', sql`UPDATE ${table} SET ${col} = ${col} WHERE ${col} = ${tenantId}::uuid`],
          ['delete', sql`DELETE FROM ${table} WHERE ${col} = ${tenantId}::uuid`],
        ] as const) {
          const touched = await t.ctx.db
            .tenant(tenantB, async (tx) => {
              const r = await statement.execute(tx);
              throw new Rollback(Number(r.numAffectedRows ?? 0));
            })
            .catch((err: unknown) => {
              if (err instanceof Rollback) return err.rows;
              if (/permission denied/.test((err as Error).message)) return 0;
              throw err;
            });
          if (touched) leaks.push(`${tt.table}.${column}: B's ${what} touched ${touched} row(s) of A`);
        }
        assert.equal(await countA(), before, `${tt.table}: rows of A changed`);
      }
    }
    assert.deepEqual(leaks, []);
  });

  test('SEC-1 the raw contacts table holds no clear-text email, name or phone', async () => {
    // Read every column as text, as someone with a copy of the database would.
    const { rows } = await sql<{
      row: string;
    }>`SELECT row_to_json(c)::text AS row FROM contacts c WHERE tenant_id = ${tenantId}::uuid`.execute(
      t.ctx.db.handle.kysely,
    );
    assert.equal(rows.length, 2);
    const dump = rows
      .map((r) => r.row)
      .join('\n')
      .toLowerCase();
    for (const secret of ['anne.de.vries', 'example.nl', 'anne', 'de vries', 'bakker', '612345678']) {
      assert.ok(!dump.includes(secret), `found "${secret}" in clear text`);
    }
    // The same rows read through the API decrypt to the original values.
    const contacts = await t.ctx.db.tenant(tenantId, (tx) => tx.selectFrom('contacts').select(['email_enc']).execute());
    const keys = await t.ctx.keyring.forTenant(tenantId);
    assert.deepEqual(contacts.map((c) => keys.open(c.email_enc)).sort(), [
      'anne.de.vries@example.nl',
      'bas@example.nl',
    ]);
  });
});
