import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { sql } from 'kysely';
import { appOnDatabase, dbKind, injectLikeTheAdminApp, emptyDatabase, freshDatabase, importCsv, operatorCookie, setUp, signIn, OWNER, type TestApp } from '../../../test/harness.js';
import { buildApp } from '../../app.js';
import type { DatabaseHandle } from '../../lib/db/connect.js';
import { DecryptStream } from '../../lib/crypto/file-stream.js';
import { open as openSealed } from '../../lib/crypto/envelope.js';
import { checkMasterKey, Keyring, MasterKey, TenantKeys } from '../../lib/crypto/keyring.js';
import { signerOf } from '../../lib/crypto/signing.js';
import { tenantIds, verifyTenant } from '../audit/chain.js';
import { checkpointAll } from '../audit/maintenance.js';
import { backupDatabase } from '../backup/backup.js';
import { keySourceOfExport, restoreDatabase } from '../backup/restore.js';
import { eraseTenantKey } from './erase.js';
import { readKeyExport, writeKeyExport } from './key-export.js';
import { rotateMasterKey } from './rotate.js';

const TWEE = { email: 'twee@example.nl', password: 'Tulpenveld-Zomer-7' };

describe(`customer keys (${dbKind})`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'peil-keys-'));
  let master = new MasterKey(randomBytes(32));
  let t: TestApp;
  let db: { handle: DatabaseHandle; drop: () => Promise<void> };
  let tweeId: string;

  before(async () => {
    db = await freshDatabase();
    t = await appOnDatabase(db.handle, master, {}, { closeHandle: false });
    const { ownerCookie } = await setUp(t);
    const op = await operatorCookie(t);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/operator/tenants', headers: { cookie: op }, payload: { name: 'Twee', slug: 'twee', owner: { ...TWEE, name: 'Twee' } } });
    tweeId = res.json().tenantId;
    assert.equal((await importCsv(t, ownerCookie, 'email;voornaam\nanne@example.nl;Anne\n')).statusCode, 200);
    const twee = await signIn(t, TWEE.email, TWEE.password);
    assert.equal((await importCsv(t, twee, 'email;voornaam;achternaam\nzoe@twee.nl;Zoë;Geheim\nyara@twee.nl;Yara;Verborgen\n')).statusCode, 200);
    await checkpointAll(t.ctx);
  });
  after(async () => {
    await t.close().catch(() => {});
    await db.handle.close();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('SEC-1 rotating the master key re-wraps every customer key in one step; the old key no longer starts Peil, the new one reads everything', async () => {
    const next = new MasterKey(randomBytes(32));
    const before = await t.ctx.db.handle.kysely.selectFrom('tenant_keys').selectAll().orderBy('tenant_id').execute();
    const r = await rotateMasterKey(t.ctx.db, master, next, { kind: 'operator', id: null, ip: 'cli' });
    assert.deepEqual({ tenantKeys: r.tenantKeys, from: r.fromKeyId, to: r.toKeyId }, { tenantKeys: 2, from: master.id, to: next.id });
    assert.ok(r.checkpoints >= 2);
    const afterRows = await t.ctx.db.handle.kysely.selectFrom('tenant_keys').selectAll().orderBy('tenant_id').execute();
    for (const [i, k] of afterRows.entries()) {
      assert.equal(k.master_key_id, next.id);
      assert.equal(k.previous_master_key_id, master.id, 'the old key id is kept for reference');
      assert.ok(!k.wrapped_key!.equals(before[i]!.wrapped_key!));
    }
    assert.equal((await t.ctx.db.handle.kysely.selectFrom('master_key_rotations').selectAll().execute()).length, 1);

    // A start with the old key stops with a message that names both keys.
    await assert.rejects(checkMasterKey(t.ctx.db, master), (err: Error) => err.message.includes(master.id) && err.message.includes(next.id) && /PEIL_MASTER_KEY/.test(err.message));
    await checkMasterKey(t.ctx.db, next);

    // Peil on the new key reads the same personal data, and the log (re-signed) verifies.
    const app = await buildApp({ ...t.ctx, keyring: new Keyring(next, t.ctx.db) }, { startWorkers: false });
    injectLikeTheAdminApp(app);
    try {
      const cookie = await signIn({ ...t, app }, OWNER.email, OWNER.password);
      const list = await app.inject({ method: 'GET', url: '/api/v1/contacts', headers: { cookie } });
      assert.equal(list.statusCode, 200, list.body);
      assert.equal(list.json().contacts[0].email, 'anne@example.nl');
    } finally {
      await app.close();
    }
    for (const tenant of await tenantIds(t.ctx.db)) {
      const v = await verifyTenant(t.ctx.db, tenant.id, signerOf(next));
      assert.equal(v.ok, true, JSON.stringify(v.problem));
      assert.ok((await t.ctx.db.tenant(tenant.id, (tx) => tx.selectFrom('audit_events').select('id').where('action', '=', 'tenant.key_rewrapped').execute())).length === 1);
    }
    // From here on the tests run on the new key.
    await t.close();
    master = next;
    t = await appOnDatabase(db.handle, master, {}, { closeHandle: false });
  });

  test('SEC-1 erasing a customer key makes its personal data unreadable through the API and in a backup made before', async () => {
    const backupFile = join(dir, 'before.backup');
    await backupDatabase(t.ctx.db.handle, master, backupFile);
    await writeKeyExport(t.ctx.db, master, join(dir, 'before.keys'));
    const tweeKey = (await t.ctx.db.handle.kysely.selectFrom('tenant_keys').select('wrapped_key').where('tenant_id', '=', tweeId).executeTakeFirstOrThrow()).wrapped_key!;

    const twee = await signIn(t, TWEE.email, TWEE.password);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/contacts', headers: { cookie: twee } })).statusCode, 200);
    const erased = await eraseTenantKey(t.ctx, 'twee', { kind: 'operator', id: null, ip: 'cli' });
    assert.equal(erased.tenantId, tweeId);
    await assert.rejects(eraseTenantKey(t.ctx, 'twee', { kind: 'operator', id: null }), /destroyed already/);

    // Through the API: 410 problem for every read of personal data; the log still reads, its images do not.
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/contacts', headers: { cookie: twee } });
    assert.equal(list.statusCode, 410);
    assert.equal(list.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(list.json().code, 'gone');
    const log = await t.app.inject({ method: 'GET', url: '/api/v1/audit', headers: { cookie: twee } });
    assert.equal(log.statusCode, 200, log.body);
    assert.equal(log.json().entries[0].action, 'tenant.key_erased');
    // The other customer is untouched.
    const one = await signIn(t, OWNER.email, OWNER.password);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/contacts', headers: { cookie: one } })).json().contacts[0].email, 'anne@example.nl');

    // The backup made before holds no customer key: not the erased one, not any.
    const plain: Buffer[] = [];
    const stream = createReadStream(backupFile).pipe(new DecryptStream([master], 'backup')).pipe(createGunzip());
    for await (const c of stream) plain.push(c as Buffer);
    const text = Buffer.concat(plain).toString('utf8');
    assert.ok(text.includes('"wrapped_key":null'));
    assert.ok(!text.includes(tweeKey.toString('hex')), 'the erased key is not in the backup');

    // Restore that backup into a fresh database with the current master key and the key export made
    // after the erasure (as the README tells the operator): the other customer's data is back, the
    // erased customer's rows are back too, and decrypt nowhere.
    const afterKeys = await writeKeyExport(t.ctx.db, master, join(dir, 'after.keys'));
    assert.deepEqual(afterKeys.keys.map((k) => k.slug), ['zorggroep']);
    const target = await emptyDatabase();
    const r = await restoreDatabase(target.handle, master, backupFile, { keys: keySourceOfExport(await readKeyExport(join(dir, 'after.keys'), [master]), 'after.keys') });
    assert.deepEqual(r.tenants.find((x) => x.id === tweeId)?.readable, false);
    const restored = await appOnDatabase(target.handle, master);
    try {
      const cookie = await signIn(restored, OWNER.email, OWNER.password);
      assert.equal((await restored.app.inject({ method: 'GET', url: '/api/v1/contacts', headers: { cookie } })).json().contacts[0].email, 'anne@example.nl');
      // The erased customer's people cannot even sign in there: their sign-in needs the key too.
      const gone = await restored.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: TWEE });
      assert.equal(gone.statusCode, 410, gone.body);
      assert.equal(gone.json().code, 'gone');
      // Decrypt nowhere: try every key there is (each customer key, the master key) on every row of the erased customer.
      const rows = await sql<{ email_enc: Buffer; first_name_enc: Buffer }>`SELECT email_enc, first_name_enc FROM contacts WHERE tenant_id = ${tweeId}`.execute(restored.ctx.db.handle.kysely);
      assert.equal(rows.rows.length, 2, 'the rows are there');
      const keys: TenantKeys[] = [];
      for (const k of await restored.ctx.db.handle.kysely.selectFrom('tenant_keys').selectAll().execute()) {
        assert.equal(k.tenant_id === tweeId, k.wrapped_key === null);
        if (k.wrapped_key) keys.push(new TenantKeys(tweeId, master.unwrap(k.wrapped_key, k.tenant_id)));
      }
      for (const row of rows.rows) {
        for (const blob of [row.email_enc, row.first_name_enc]) {
          for (const k of keys) assert.throws(() => k.open(blob));
          assert.throws(() => openSealed(master.key, blob, Buffer.from(tweeId)));
        }
      }
      const text2 = (await sql<{ r: string }>`SELECT string_agg(row_to_json(c)::text, ' ') AS r FROM contacts c`.execute(restored.ctx.db.handle.kysely)).rows[0]!.r;
      for (const clear of ['zoe', 'Geheim', 'Verborgen', 'twee.nl']) assert.ok(!text2.includes(clear));
    } finally {
      await restored.close();
      await target.drop();
    }
  });
});
