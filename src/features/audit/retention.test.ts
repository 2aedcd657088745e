import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import {
  dbKind,
  eventually,
  freshDatabase,
  importCsv,
  operatorCookie,
  pgUrl,
  setUp,
  signIn,
  startTestApp,
  type TestApp,
} from '../../../test/harness.js';
import { openDatabase } from '../../lib/db/connect.js';
import { Db } from '../../lib/db/db.js';
import { migrate } from '../../lib/db/migrate.js';
import { MasterKey } from '../../lib/crypto/keyring.js';
import { signerOf } from '../../lib/crypto/signing.js';
import { verifyTenant } from './chain.js';
import { AUDIT_MAINTENANCE_QUEUE } from './maintenance.js';
import { monthsBefore, pruneTenant, setRetention } from './retention.js';
import { chainLegacyEntries } from './backfill.js';

describe(`audit log retention (${dbKind})`, () => {
  let t: TestApp;
  let op: string;
  let n = 0;

  before(async () => {
    t = await startTestApp();
    await setUp(t);
    op = await operatorCookie(t);
  });
  after(() => t.close());

  const owner = () => t.ctx.db.handle.kysely;
  const verify = (tenantId: string) => verifyTenant(t.ctx.db, tenantId, signerOf(t.ctx.keyring.master));
  const dbNow = async () =>
    new Date((await sql<{ now: Date }>`SELECT clock_timestamp() AS now`.execute(owner())).rows[0]!.now);
  const seqs = async (tenantId: string) =>
    (
      await owner()
        .selectFrom('audit_events')
        .select(['seq', 'action'])
        .where('tenant_id', '=', tenantId)
        .orderBy('seq')
        .execute()
    ).map((r) => ({ seq: Number(r.seq), action: r.action }));

  async function customer(): Promise<{ tenantId: string; cookie: string; slug: string }> {
    n++;
    const email = `owner${n}@retention.test`;
    const slug = `bewaar-${n}`;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/operator/tenants',
      headers: { cookie: op },
      payload: { name: `Klant ${n}`, slug, owner: { email, name: 'Eigenaar', password: 'Tulpenveld-Zomer-7' } },
    });
    assert.equal(res.statusCode, 201, res.body);
    const cookie = await signIn(t, email, 'Tulpenveld-Zomer-7');
    assert.equal((await importCsv(t, cookie, 'email\na@example.nl\n')).statusCode, 200);
    return { tenantId: res.json().tenantId, cookie, slug };
  }

  /** Old entries, a moment, then newer ones: returns the moment between them. */
  async function oldAndNew(cookie: string): Promise<Date> {
    for (let i = 0; i < 3; i++) await t.app.inject({ method: 'GET', url: '/api/v1/contacts', headers: { cookie } });
    await new Promise((r) => setTimeout(r, 20));
    const between = await dbNow();
    await new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < 3; i++) await t.app.inject({ method: 'GET', url: '/api/v1/contacts', headers: { cookie } });
    return between;
  }

  test('LOG-4 entries older than the agreed retention (default 6 months) are removed by the background job, and the log still verifies from the signed prune checkpoint', async () => {
    const { tenantId, cookie } = await customer();
    const between = await oldAndNew(cookie);
    const before = await seqs(tenantId);
    const oldOnes = before.filter((e) => e.seq <= before.length - 3);
    // Six months and a moment after `between`, everything logged before it is past its retention.
    const asOf = new Date(between);
    asOf.setUTCMonth(asOf.getUTCMonth() + 6);
    await t.ctx.jobs.send(AUDIT_MAINTENANCE_QUEUE, { asOf: asOf.toISOString() });
    const after = await eventually(
      async () => {
        const s = await seqs(tenantId);
        return s[0]!.seq > 1 ? s : null;
      },
      30_000,
      'the retention job',
    );
    assert.equal(after[0]!.seq, oldOnes.length + 1, 'every entry before the moment is gone, none after it');
    assert.equal(after.at(-1)!.action, 'audit.pruned', 'the removal itself is in the log');
    const cp = await owner()
      .selectFrom('audit_checkpoints')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('reason', '=', 'prune')
      .execute();
    assert.equal(cp.length, 1);
    assert.equal(Number(cp[0]!.seq), oldOnes.length);
    const v = await verify(tenantId);
    assert.equal(v.ok, true, JSON.stringify(v.problem));
    assert.equal(v.start, 'prune-checkpoint');
    assert.equal(v.fromSeq, oldOnes.length + 1);
    // A second pass at the same moment removes nothing more.
    const again = await pruneTenant(t.ctx.db, tenantId, signerOf(t.ctx.keyring.master), asOf);
    assert.equal(again.removed, 0);
  });

  test('LOG-4 retention is per customer and at least 2 months', async () => {
    const { tenantId, cookie } = await customer();
    await assert.rejects(setRetention(t.ctx, tenantId, 1, { kind: 'operator', id: null }), /at least 2|from 2/);
    await setRetention(t.ctx, tenantId, 2, { kind: 'operator', id: null });
    const between = await oldAndNew(cookie);
    const asOf = new Date(between);
    asOf.setUTCMonth(asOf.getUTCMonth() + 2);
    // Two months on: this customer's old entries go; another customer (6 months) keeps everything.
    const other = await customer();
    const otherBefore = await seqs(other.tenantId);
    const r = await pruneTenant(t.ctx.db, tenantId, signerOf(t.ctx.keyring.master), asOf);
    const r2 = await pruneTenant(t.ctx.db, other.tenantId, signerOf(t.ctx.keyring.master), asOf);
    assert.equal(r.retentionMonths, 2);
    assert.ok(r.removed > 0);
    assert.equal(r2.removed, 0);
    assert.deepEqual(await seqs(other.tenantId), otherBefore);
    assert.equal((await verify(tenantId)).ok, true);
    assert.equal(monthsBefore(new Date('2025-08-31T12:00:00Z'), 6).toISOString(), '2025-03-03T12:00:00.000Z');
  });

  test('LOG-4 entries removed outside Peil, without a signed prune checkpoint, are found', async () => {
    const { tenantId } = await customer();
    await sql`DELETE FROM audit_events WHERE tenant_id = ${tenantId} AND seq <= 2`.execute(owner());
    const v = await verify(tenantId);
    assert.equal(v.problem?.kind, 'removed');
    assert.match(v.problem!.message, /no signed prune checkpoint/);
    // And retention refuses to remove anything from a chain that does not verify.
    const r = await pruneTenant(
      t.ctx.db,
      tenantId,
      signerOf(t.ctx.keyring.master),
      new Date(Date.now() + 400 * 86_400_000),
    );
    assert.equal(r.removed, 0);
    assert.ok(r.problem);
  });
});

describe(`audit entries from before the chain (${dbKind})`, () => {
  test('LOG-3 entries written before migration 0003 are numbered and chained at the first start, and verify', async () => {
    const fresh = pgUrl ? await freshDatabase() : { handle: await openDatabase({}), drop: async () => {} };
    const { handle } = fresh;
    try {
      await migrate(handle.pool, () => {}, { only: new Set([1]), grants: false });
      const tenant = randomUUID();
      await sql`INSERT INTO tenants (id, slug, name) VALUES (${tenant}, 'oud', 'Oud')`.execute(handle.kysely);
      for (const action of ['tenant.created', 'auth.sign_in', 'contacts.listed']) {
        await sql`INSERT INTO audit_events (tenant_id, actor_kind, action, details) VALUES (${tenant}, 'system', ${action}, '{"n": 1.5, "z": [1, {"b": 2, "a": 1}]}')`.execute(
          handle.kysely,
        );
      }
      await migrate(handle.pool);
      const db = new Db(handle);
      assert.equal(await chainLegacyEntries(db), 3);
      assert.equal(await chainLegacyEntries(db), 0, 'once');
      const v = await verifyTenant(db, tenant, signerOf(new MasterKey(randomBytes(32))));
      assert.equal(v.ok, true, JSON.stringify(v.problem));
      assert.equal(v.entries, 3);
    } finally {
      await handle.close();
      await fresh.drop();
    }
  });
});
