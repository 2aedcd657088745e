import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { importCsv, setUp, startTestApp, type TestApp } from '../../../test/harness.js';

describe(`database isolation and encryption (${process.env.PEIL_TEST_DATABASE_URL ? 'postgresql' : 'pglite'})`, () => {
  let t: TestApp;
  let tenantId: string;

  before(async () => {
    t = await startTestApp();
    const s = await setUp(t);
    tenantId = s.tenantId;
    const res = await importCsv(t, s.ownerCookie, 'email;voornaam;achternaam;telefoon\nAnne.de.Vries@Example.NL;Anne;de Vries;06-12345678\nbas@example.nl;Bas;Bakker;\n');
    assert.equal(res.statusCode, 200, res.body);
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
        tx.insertInto('surveys').values({ tenant_id: other, id: '00000000-0000-4000-8000-000000000003', name: 'x', kind: 'nps', default_language: 'nl', definition: '{}', created_by: null }).execute(),
      ),
      /row-level security/,
    );
  });

  test('ACC-6 every table with tenant_id has row-level security enabled and forced, and peil_app cannot bypass it', async () => {
    const { rows } = await sql<{ table: string; rls: boolean; forced: boolean }>`
      SELECT c.relname AS table, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'r'
         AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
         AND c.relname NOT IN ('sessions', 'tenant_keys')`.execute(t.ctx.db.handle.kysely);
    assert.ok(rows.length >= 9, `expected the tenant tables, got ${rows.map((r) => r.table)}`);
    for (const r of rows) {
      assert.ok(r.rls, `${r.table}: row-level security not enabled`);
      assert.ok(r.forced, `${r.table}: row-level security not forced`);
    }
    const role = await sql<{ rolsuper: boolean; rolbypassrls: boolean }>`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'peil_app'`.execute(t.ctx.db.handle.kysely);
    assert.deepEqual(role.rows[0], { rolsuper: false, rolbypassrls: false });
    const owned = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_tables WHERE tableowner = 'peil_app'`.execute(t.ctx.db.handle.kysely);
    assert.equal(owned.rows[0]!.n, 0);
  });

  test('SEC-1 the raw contacts table holds no clear-text email, name or phone', async () => {
    // Read every column as text, as someone with a copy of the database would.
    const { rows } = await sql<{ row: string }>`SELECT row_to_json(c)::text AS row FROM contacts c`.execute(t.ctx.db.handle.kysely);
    assert.equal(rows.length, 2);
    const dump = rows.map((r) => r.row).join('\n').toLowerCase();
    for (const secret of ['anne.de.vries', 'example.nl', 'anne', 'de vries', 'bakker', '612345678']) {
      assert.ok(!dump.includes(secret), `found "${secret}" in clear text`);
    }
    // The same rows read through the API decrypt to the original values.
    const contacts = await t.ctx.db.tenant(tenantId, (tx) => tx.selectFrom('contacts').select(['email_enc']).execute());
    const keys = await t.ctx.keyring.forTenant(tenantId);
    assert.deepEqual(contacts.map((c) => keys.open(c.email_enc)).sort(), ['anne.de.vries@example.nl', 'bas@example.nl']);
  });
});
