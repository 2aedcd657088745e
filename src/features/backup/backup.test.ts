import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { sql } from 'kysely';
import {
  appOnDatabase,
  dbKind,
  emptyDatabase,
  eventually,
  freshDatabase,
  importCsv,
  operatorCookie,
  setUp,
  signIn,
  OWNER,
  type TestApp,
} from '../../../test/harness.js';
import type { DatabaseHandle } from '../../lib/db/connect.js';
import { DecryptStream, EncryptStream } from '../../lib/crypto/file-stream.js';
import { MasterKey } from '../../lib/crypto/keyring.js';
import { signerOf } from '../../lib/crypto/signing.js';
import { tenantIds, verifyTenant } from '../audit/chain.js';
import { checkpointAll } from '../audit/maintenance.js';
import { readKeyExport, writeKeyExport } from '../keys/key-export.js';
import { backupDatabase } from './backup.js';
import { keySourceOfExport, restoreDatabase, wipeDatabase } from './restore.js';

interface Snapshot {
  contacts: unknown;
  surveys: unknown;
  users: unknown;
  invitations: unknown;
  audit: Array<{ tenant_id: string; seq: number; hash: string }>;
}

describe(`backup and restore (${dbKind})`, () => {
  const master = new MasterKey(randomBytes(32));
  const dir = mkdtempSync(join(tmpdir(), 'peil-backup-'));
  const file = join(dir, 'peil.backup');
  const keysFile = join(dir, 'peil.keys');
  let t: TestApp;
  let first: { handle: DatabaseHandle; drop: () => Promise<void>; url?: string };
  let snapshot: Snapshot;
  let surveyId: string;

  async function snap(app: TestApp, cookie: string): Promise<Snapshot> {
    const get = async (url: string) => {
      const r = await app.app.inject({ method: 'GET', url, headers: { cookie } });
      assert.equal(r.statusCode, 200, `${url}: ${r.body}`);
      return r.json();
    };
    const audit = await sql<{
      tenant_id: string;
      seq: number;
      hash: string;
    }>`SELECT tenant_id, seq::int AS seq, encode(hash, 'hex') AS hash FROM audit_events ORDER BY tenant_id, seq`.execute(
      app.ctx.db.handle.kysely,
    );
    return {
      contacts: (await get('/api/v1/contacts?limit=500')).contacts,
      surveys: await get('/api/v1/surveys'),
      users: await get('/api/v1/users'),
      invitations: await get(`/api/v1/surveys/${surveyId}/invitations`),
      audit: audit.rows,
    };
  }

  before(async () => {
    first = await freshDatabase();
    t = await appOnDatabase(first.handle, master);
    const { ownerCookie } = await setUp(t);
    const op = await operatorCookie(t);
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/v1/operator/tenants',
      headers: { cookie: op },
      payload: {
        name: 'Tweede',
        slug: 'tweede',
        owner: { email: 'twee@example.nl', name: 'Twee', password: 'Tulpenveld-Zomer-7' },
      },
    });
    assert.equal(other.statusCode, 201, other.body);
    const csv =
      'email;voornaam;achternaam;telefoon;taal;afdeling\nanne@example.nl;Anne;de Vries;06-12345678;nl;Zorg\nbas@example.nl;Bas;Bakker;;en;"Keuken; west"\nchloë@example.nl;Chloë;Müller;;nl;\n';
    assert.equal((await importCsv(t, ownerCookie, csv)).statusCode, 200);
    const survey = await t.app.inject({
      method: 'POST',
      url: '/api/v1/surveys',
      headers: { cookie: ownerCookie },
      payload: { name: 'NPS najaar' },
    });
    surveyId = survey.json().id;
    const dist = await t.app.inject({
      method: 'POST',
      url: `/api/v1/surveys/${surveyId}/distributions`,
      headers: { cookie: ownerCookie },
      payload: { all: true },
    });
    assert.equal(dist.statusCode, 202, dist.body);
    // The send job runs in the background: the snapshot and the backup must see the same invitations.
    await eventually(
      async () =>
        (await t.ctx.db.handle.kysely.selectFrom('invitations').select('id').where('status', '=', 'queued').execute())
          .length === 0,
      20_000,
      'invitations sent',
    );
    await checkpointAll(t.ctx);
    snapshot = await snap(t, ownerCookie);
  });
  after(async () => {
    await t.close().catch(() => {});
    await first.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('SEC-2 backup, wipe, restore: the same data through the API, and every audit chain verifies', async () => {
    const b = await backupDatabase(t.ctx.db.handle, master, file);
    assert.ok(b.rows > 10);
    const recorded = await t.ctx.db.handle.kysely.selectFrom('backups').selectAll().execute();
    assert.equal(recorded.length, 1, 'the successful backup is recorded');
    assert.equal(recorded[0]!.sha256, b.sha256);
    await writeKeyExport(t.ctx.db, master, keysFile);

    // The file is encrypted: no clear text of the data, not even the table names.
    const bytes = readFileSync(file);
    for (const clear of ['contacts', 'example.nl', 'Zorggroep', 'NPS najaar', 'Keuken'])
      assert.ok(!bytes.includes(clear), `"${clear}" in the backup file`);

    // Wipe: the database is gone (PostgreSQL: every object dropped; PGlite: an in-memory database closed).
    await t.close();
    let target: { handle: DatabaseHandle; drop: () => Promise<void> };
    if (first.url) {
      const { openDatabase } = await import('../../lib/db/connect.js');
      const handle = await openDatabase({ url: first.url, poolSize: 4 });
      await wipeDatabase(handle.pool);
      const left = await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`.execute(handle.kysely);
      assert.equal(left.rows[0]!.n, 0, 'nothing left');
      target = { handle, drop: async () => {} };
    } else {
      target = await emptyDatabase();
    }

    const keys = keySourceOfExport(await readKeyExport(keysFile, [master]), keysFile);
    const r = await restoreDatabase(target.handle, master, file, { keys });
    assert.equal(r.rows, b.rows);
    assert.ok(r.tenants.length === 2 && r.tenants.every((x) => x.readable));

    t = await appOnDatabase(target.handle, master);
    const cookie = await signIn(t, OWNER.email, OWNER.password);
    const restored = await snap(t, cookie);
    assert.deepEqual(restored.contacts, snapshot.contacts);
    assert.deepEqual(restored.surveys, snapshot.surveys);
    assert.deepEqual(restored.users, snapshot.users);
    assert.deepEqual(restored.invitations, snapshot.invitations);
    // The log is the same, entry for entry (sign-in above added one after), and verifies.
    assert.deepEqual(
      restored.audit.filter((a) => snapshot.audit.some((s) => s.tenant_id === a.tenant_id && s.seq === a.seq)),
      snapshot.audit,
    );
    for (const tenant of await tenantIds(t.ctx.db)) {
      const v = await verifyTenant(t.ctx.db, tenant.id, signerOf(master));
      assert.equal(v.ok, true, `${tenant.slug}: ${JSON.stringify(v.problem)}`);
      assert.ok(v.checkpoints >= 1);
    }
    // New rows get new ids after the restored ones (identity sequences moved on).
    const more = await importCsv(t, cookie, 'email\nnieuw@example.nl\n');
    assert.equal(more.statusCode, 200, more.body);
  });

  test("SEC-2 a restore refuses a database that holds data, unless forced; a damaged or foreign file is refused, and so is a customer's sealed block altered by someone with the master key", async () => {
    const handle = t.ctx.db.handle;
    const keys = keySourceOfExport(await readKeyExport(keysFile, [master]), keysFile);
    await assert.rejects(restoreDatabase(handle, master, file, { keys }), /holds data.*--force/s);
    // Another master key cannot read the file, and says which key it needs.
    await assert.rejects(
      restoreDatabase(handle, new MasterKey(randomBytes(32)), file, { keys, force: true }),
      new RegExp(`master key ${master.id}`),
    );
    // A flipped byte in the middle, or a file cut short, is refused before anything is written.
    const bytes = readFileSync(file);
    const flipped = Buffer.from(bytes);
    flipped[Math.floor(bytes.length / 2)]! ^= 0x01;
    writeFileSync(join(dir, 'flipped'), flipped);
    await assert.rejects(
      restoreDatabase(handle, master, join(dir, 'flipped'), { keys, force: true }),
      /authenticate|altered|corrupt/,
    );
    writeFileSync(join(dir, 'short'), bytes.subarray(0, bytes.length - 40));
    await assert.rejects(
      restoreDatabase(handle, master, join(dir, 'short'), { keys, force: true }),
      /incomplete|authenticate/,
    );
    // OBLIGATIONS SEC-1: a customer's rows are sealed with its own key. Someone with the master key
    // can rewrite the file's outer layer, but not one of those rows: one flipped bit in a sealed block
    // (the file otherwise re-encrypted correctly) is refused before anything is dropped.
    const plain: Buffer[] = [];
    for await (const c of createReadStream(file)
      .pipe(new DecryptStream([master], 'backup'))
      .pipe(createGunzip()))
      plain.push(c as Buffer);
    const lines = Buffer.concat(plain).toString('utf8').split('\n');
    const at = lines.findIndex((l) => l.startsWith('{"sealed":') && l.length > 200);
    assert.ok(at > 0, 'a sealed block');
    const block = JSON.parse(lines[at]!) as { sealed: string; final?: true };
    const body = Buffer.from(block.sealed, 'base64');
    body[10]! ^= 0x01;
    lines[at] = JSON.stringify({ ...block, sealed: body.toString('base64') });
    await pipeline(
      Readable.from([Buffer.from(lines.join('\n'))]),
      createGzip(),
      new EncryptStream(master, 'backup'),
      createWriteStream(join(dir, 'forged')),
    );
    await assert.rejects(
      restoreDatabase(handle, master, join(dir, 'forged'), { keys, force: true }),
      /does not authenticate/,
    );
    // None of the refusals touched the database.
    const cookie = await signIn(t, OWNER.email, OWNER.password);
    const contacts = await t.app.inject({ method: 'GET', url: '/api/v1/contacts', headers: { cookie } });
    assert.equal(contacts.json().total, 4);
  });
});
