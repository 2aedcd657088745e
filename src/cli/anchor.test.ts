import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { dbKind, freshDatabase, pgUrl } from '../../test/harness.js';
import { runPeil } from '../../test/bin.js';
import { openDatabase, type DatabaseHandle } from '../lib/db/connect.js';
import { Db } from '../lib/db/db.js';
import { audit, AuditAction } from '../lib/audit.js';
import { chainHash, entryOfRow, GENESIS_HASH } from '../lib/audit-chain.js';
import { headPayload } from '../features/audit/anchor.js';

/**
 * Issue 16 point 4 (OBLIGATIONS LOG-3): evidence the processor cannot rewrite alone. Whoever owns the
 * database can delete entries together with the signed checkpoints after them and move audit_heads
 * back; `peil audit verify` alone then passes. A signed head the customer holds outside the database
 * (downloaded, mailed) is what such a removal cannot get past: these tests are that attack, done
 * with SQL on the owner connection as the processor's staff would, and `peil audit verify --head`.
 * Both databases (PGlite pass and PostgreSQL pass).
 */

const run = runPeil;

describe(`peil audit verify --head: removals behind a head the customer holds (${dbKind})`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'peil-anchor-cli-'));
  const dataDir = join(dir, 'data');
  const dbs: Array<{ drop: () => Promise<void> }> = [];
  let env: Record<string, string>;
  let url: string | undefined;
  // The English messages (issue 14: PEIL_LANG=en); the Dutch ones are checked in cli.test.ts and evidence.test.ts.
  const peil = (args: string[]) => run(args, env, 'en');
  const file = (name: string) => join(dir, name);

  async function withDb<T>(fn: (h: DatabaseHandle) => Promise<T>): Promise<T> {
    const h = await openDatabase(url ? { url, poolSize: 2 } : { dataDir });
    try {
      return await fn(h);
    } finally {
      await h.close();
    }
  }
  /** A customer with `n` entries, written as the application writes them. */
  async function customer(slug: string, n: number): Promise<string> {
    return withDb(async (h) => {
      const id = randomUUID();
      await sql`INSERT INTO tenants (id, slug, name) VALUES (${id}, ${slug}, ${`Klant ${slug}`})`.execute(h.kysely);
      await more(h, id, n);
      return id;
    });
  }
  async function more(h: DatabaseHandle, id: string, n: number): Promise<void> {
    const db = new Db(h);
    for (let i = 0; i < n; i++)
      await db.tenant(id, (tx) =>
        audit(
          tx,
          id,
          { kind: 'user', id: null, ip: '192.0.2.1' },
          { action: AuditAction.CONTACTS_LISTED, details: { count: i } },
        ),
      );
  }
  /** `peil audit head` as the customer's download; returns the file and its head. */
  async function head(slug: string, name: string): Promise<{ path: string; seq: number }> {
    const r = await peil(['audit', 'head', '--tenant', slug, '--out', file(name)]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    return { path: file(name), seq: JSON.parse(readFileSync(file(name), 'utf8')).head.seq };
  }
  /** What the staff does: remove entries after `keep` and every checkpoint after them, and move the head back to entry `keep`. */
  async function cutBack(id: string, keep: number): Promise<void> {
    await withDb(async (h) => {
      await sql`DELETE FROM audit_events WHERE tenant_id = ${id} AND seq > ${keep}`.execute(h.kysely);
      await sql`DELETE FROM audit_checkpoints WHERE tenant_id = ${id} AND seq > ${keep}`.execute(h.kysely);
      const last = (
        await sql<{
          hash: Buffer | null;
        }>`SELECT hash FROM audit_events WHERE tenant_id = ${id} AND seq = ${keep}`.execute(h.kysely)
      ).rows[0];
      await sql`UPDATE audit_heads SET seq = ${keep}, hash = ${last?.hash ?? GENESIS_HASH} WHERE tenant_id = ${id}`.execute(
        h.kysely,
      );
    });
  }

  before(async () => {
    if (pgUrl) {
      const db = await freshDatabase();
      await db.handle.close();
      dbs.push(db);
      url = db.url!;
    }
    env = { PEIL_DATA_DIR: dataDir, ...(url ? { DATABASE_URL: url } : {}) };
    const setup = await peil([
      'setup',
      '--operator-email',
      'op@peil.test',
      '--tenant-name',
      'Sportclub De Bal',
      '--tenant-slug',
      'de-bal',
      '--owner-email',
      'voorzitter@debal.test',
      '--owner-name',
      'Vera',
    ]);
    assert.equal(setup.code, 0, setup.stderr);
  });
  after(async () => {
    for (const db of dbs) await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('LOG-3 a signed head carries its public key: its signature checks without Peil, and peil audit verify --head passes on an untouched log', async () => {
    const h = await head('de-bal', 'de-bal-1.json');
    const f = JSON.parse(readFileSync(h.path, 'utf8'));
    assert.equal(f.format, 'peil-audit-head/1');
    assert.equal(f.customer.slug, 'de-bal');
    assert.ok(h.seq > 0);
    assert.match(f.head.hash, /^[0-9a-f]{64}$/);
    // Anyone can check it with the public key in the file (here: node:crypto, no Peil code but the payload form).
    assert.ok(verify(null, Buffer.from(headPayload(f.head)), f.publicKey, Buffer.from(f.signature, 'base64')));
    const v = await peil(['audit', 'verify', '--head', h.path]);
    assert.equal(v.code, 0, v.stdout + v.stderr);
    assert.match(
      v.stdout,
      new RegExp(`^ok\\s+de-bal: head seq ${h.seq} signed .*: matches: entry seq ${h.seq} has exactly the hash`, 'm'),
    );
    assert.match(
      v.stdout,
      /^ok\s+de-bal: 1 signed head held; nothing up to them was removed or rewritten; the chain verifies/m,
    );
  });

  test('LOG-3 deleting entries with their checkpoints and moving audit_heads back passes plain verify, and is detected against an anchored head (exit 2); an older head still matches', async () => {
    const id = await customer('bewijs', 40);
    const older = await head('bewijs', 'bewijs-older.json');
    await withDb((h) => more(h, id, 20));
    assert.equal((await peil(['audit', 'checkpoint', '--tenant', 'bewijs'])).code, 0);
    const newer = await head('bewijs', 'bewijs-newer.json');
    assert.ok(newer.seq > older.seq + 10);
    // Issue 16: entries 126–157 and the checkpoints after them; here: everything after older.seq + 5.
    await cutBack(id, older.seq + 5);
    const plain = await peil(['audit', 'verify', '--tenant', 'bewijs']);
    assert.equal(plain.code, 0, 'without a held head the removal goes unnoticed (the gap this closes)');
    const v = await peil(['audit', 'verify', '--head', newer.path]);
    assert.equal(v.code, 2, v.stdout + v.stderr);
    assert.match(
      v.stdout,
      new RegExp(
        `^FAIL\\s+bewijs: head seq ${newer.seq} .*: failed: the log ends at seq ${older.seq + 5}, but a head signed .* is at seq ${newer.seq}: entries ${older.seq + 6}\\.\\.${newer.seq} were removed`,
        'm',
      ),
    );
    assert.match(v.stdout, /^FAIL\s+bewijs: removed at seq \d+: .*regels zijn verwijderd/m);
    // The older head is not behind the removal: it still matches (the check names what it can prove).
    const o = await peil(['audit', 'verify', '--head', older.path]);
    assert.equal(o.code, 0, o.stdout);
    // Both heads given: the newer one fails, whatever order.
    const both = await peil(['audit', 'verify', '--head', newer.path, '--head', older.path]);
    assert.equal(both.code, 2);
    assert.match(both.stdout, new RegExp(`^ok\\s+bewijs: head seq ${older.seq} `, 'm'));

    // The log grows again past the removed part: the entry at the newer head's seq now has another hash.
    await withDb((h) => more(h, id, 30));
    const regrown = await peil(['audit', 'verify', '--head', newer.path]);
    assert.equal(regrown.code, 2, regrown.stdout);
    assert.match(
      regrown.stdout,
      new RegExp(
        `^FAIL\\s+bewijs: rewritten at seq ${newer.seq} \\(id \\d+\\): entry seq ${newer.seq} differs from the head signed`,
        'm',
      ),
    );
  });

  test("LOG-3 a whole customer's log, checkpoints and chain head deleted: plain verify says ok with 0 entries, the held head says all entries were removed", async () => {
    const id = await customer('leeg', 12);
    const h = await head('leeg', 'leeg.json');
    await withDb(async (db) => {
      for (const table of ['audit_events', 'audit_checkpoints', 'audit_heads'])
        await sql`DELETE FROM ${sql.table(table)} WHERE tenant_id = ${id}`.execute(db.kysely);
    });
    const plain = await peil(['audit', 'verify', '--tenant', 'leeg']);
    assert.equal(plain.code, 0);
    assert.match(plain.stdout, /^ok\s+leeg: 0 entries/m);
    const v = await peil(['audit', 'verify', '--head', h.path]);
    assert.equal(v.code, 2, v.stdout + v.stderr);
    assert.match(
      v.stdout,
      new RegExp(
        `^FAIL\\s+leeg: removed at seq 1: the log ends at seq 0, but a head signed .* is at seq ${h.seq}: all ${h.seq} entries were removed`,
        'm',
      ),
    );
    // And the customer row itself gone too: the head still names what is missing.
    await withDb(async (db) => {
      await sql`DELETE FROM audit_anchors WHERE tenant_id = ${id}`.execute(db.kysely);
      await sql`DELETE FROM audit_verifications WHERE tenant_id = ${id}`.execute(db.kysely);
      await sql`DELETE FROM tenants WHERE id = ${id}`.execute(db.kysely);
    });
    const gone = await peil(['audit', 'verify', '--head', h.path]);
    assert.equal(gone.code, 2, gone.stdout + gone.stderr);
    assert.match(
      gone.stdout,
      new RegExp(
        `^FAIL\\s+leeg: removed at seq 1: no customer ${id} in this database, but a signed head of its log is at seq ${h.seq}`,
        'm',
      ),
    );
  });

  test('LOG-3 a chain rewritten and re-hashed from the start, checkpoints removed: plain verify passes, the held head names the rewrite', async () => {
    const id = await customer('herschreven', 10);
    const h = await head('herschreven', 'herschreven.json');
    await withDb(async (db) => {
      const rows = (
        await db.kysely.selectFrom('audit_events').selectAll().where('tenant_id', '=', id).orderBy('seq').execute()
      ).map((r) => ({ ...r, seq: Number(r.seq) }));
      let prev = GENESIS_HASH;
      for (const r of rows) {
        const changed = r.seq === 3 ? { ...r, ip: '198.51.100.7' } : r;
        const hash = chainHash(prev, entryOfRow(changed));
        await sql`UPDATE audit_events SET ip = ${changed.ip}, prev_hash = ${prev}, hash = ${hash} WHERE tenant_id = ${id} AND id = ${r.id}`.execute(
          db.kysely,
        );
        prev = hash;
      }
      await sql`UPDATE audit_heads SET hash = ${prev} WHERE tenant_id = ${id}`.execute(db.kysely);
      await sql`DELETE FROM audit_checkpoints WHERE tenant_id = ${id}`.execute(db.kysely);
    });
    assert.equal((await peil(['audit', 'verify', '--tenant', 'herschreven'])).code, 0);
    const v = await peil(['audit', 'verify', '--head', h.path]);
    assert.equal(v.code, 2, v.stdout);
    assert.match(
      v.stdout,
      new RegExp(
        `^FAIL\\s+herschreven: rewritten at seq ${h.seq} \\(id \\d+\\): entry seq ${h.seq} differs from the head signed .*: the log up to seq ${h.seq} was rewritten`,
        'm',
      ),
    );
  });

  test('LOG-3 a held head that was altered (a lower seq, to excuse a removal) fails its signature; a file that is no head is refused (exit 64); the mail text that carried a head is accepted', async () => {
    const f = JSON.parse(readFileSync(file('de-bal-1.json'), 'utf8'));
    writeFileSync(file('altered.json'), JSON.stringify({ ...f, head: { ...f.head, seq: f.head.seq - 1 } }));
    const v = await peil(['audit', 'verify', '--head', file('altered.json')]);
    assert.equal(v.code, 2, v.stdout + v.stderr);
    assert.match(
      v.stdout,
      /^FAIL\s+de-bal: forged-head at seq \d+: the signature of the head at seq \d+ does not verify/m,
    );
    writeFileSync(file('junk.json'), '{"hello": "world"}');
    const junk = await peil(['audit', 'verify', '--head', file('junk.json')]);
    assert.equal(junk.code, 64, junk.stdout + junk.stderr);
    assert.match(junk.stderr, /not a signed audit head/);
    writeFileSync(
      file('mail.txt'),
      `Subject: Peil: ondertekende stand\n\nBewaar deze e-mail.\n\n-----BEGIN PEIL AUDIT HEAD-----\n${JSON.stringify(f, null, 2)}\n-----END PEIL AUDIT HEAD-----\n`,
    );
    const mail = await peil(['audit', 'verify', '--head', file('mail.txt')]);
    assert.equal(mail.code, 0, mail.stdout + mail.stderr);
  });
});
