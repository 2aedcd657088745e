import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { dbKind, freshDatabase, pgUrl } from '../../test/harness.js';
import { runPeil } from '../../test/bin.js';
import { translator } from '../lib/i18n.js';
import { openDatabase, type DatabaseHandle } from '../lib/db/connect.js';
import { Db } from '../lib/db/db.js';
import { audit, AuditAction } from '../lib/audit.js';
import { chainHash, entryOfRow, GENESIS_HASH } from '../lib/audit-chain.js';

/**
 * The operator commands of LOG-3, LOG-4, SEC-1 and SEC-2 as an operator runs them: `peil` as a child
 * process, on a PGlite data folder (PGlite pass) or on PostgreSQL (PostgreSQL pass).
 */

const run = runPeil;

describe(`peil audit, keys, backup and restore on the command line (${dbKind})`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'peil-evidence-cli-'));
  const dataDir = join(dir, 'data');
  const dbs: Array<{ drop: () => Promise<void> }> = [];
  let env: Record<string, string>;
  let url: string | undefined;
  const newKey = join(dir, 'new.key');

  // English messages (PEIL_LANG=en) unless a test asks for Dutch with extra.PEIL_LANG (issue 14).
  const peil = (args: string[], extra: Record<string, string> = {}) => run(args, { ...env, ...extra }, 'en');
  /** The database, opened in this process between commands (PGlite allows one process at a time). */
  async function withDb<T>(fn: (h: DatabaseHandle) => Promise<T>, where = { url, dataDir }): Promise<T> {
    const h = await openDatabase(where.url ? { url: where.url, poolSize: 2 } : { dataDir: where.dataDir });
    try {
      return await fn(h);
    } finally {
      await h.close();
    }
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

  test('LOG-3 peil audit verify passes on an untouched log, and names the entry edited with SQL (exit code 2)', async () => {
    const cp = await peil(['audit', 'checkpoint']);
    assert.equal(cp.code, 0, cp.stderr);
    assert.match(cp.stdout, /ok\s+de-bal: signed seq \d+/);
    const ok = await peil(['audit', 'verify']);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /^ok\s+de-bal: \d+ entr(?:y|ies) \(seq 1\.\.\d+, from genesis\); 1 signed checkpoint/m);
    // Issue 14: the same verification in Dutch, from the catalogue; the ok/FAIL prefix and exit code stay.
    const nl = translator('nl');
    const nagekeken = await peil(['audit', 'verify'], { PEIL_LANG: 'nl' });
    assert.equal(nagekeken.code, 0, nagekeken.stdout + nagekeken.stderr);
    assert.match(
      nagekeken.stdout,
      /^ok\s+de-bal: \d+ regels? \(volgnummer 1\.\.\d+, vanaf genesis\); 1 ondertekend checkpoint/m,
    );
    assert.ok(nagekeken.stdout.includes(`${nl('cli:audit.signingKey', { keyId: '' })}`), nagekeken.stdout);
    assert.doesNotMatch(nagekeken.stdout, /entries|signed checkpoint|signing key/);

    const original = await withDb(async (h) => {
      const row = (
        await sql<{
          id: number;
          details: string;
        }>`SELECT id, details::text AS details FROM audit_events WHERE seq = 1`.execute(h.kysely)
      ).rows[0]!;
      await sql`UPDATE audit_events SET details = '{"slug": "someone-else"}' WHERE id = ${row.id}`.execute(h.kysely);
      return row;
    });
    const bad = await peil(['audit', 'verify', '--tenant', 'de-bal']);
    assert.equal(bad.code, 2, bad.stdout + bad.stderr);
    assert.match(
      bad.stdout,
      new RegExp(
        `FAIL\\s+de-bal: altered at seq 1 \\(id ${original.id}\\): entry seq 1 \\(id ${original.id}, tenant\\.created\\) was altered`,
      ),
    );
    // Put it back as it was (the prune below checks the chain before it removes anything).
    await withDb((h) =>
      sql`UPDATE audit_events SET details = ${original.details}::jsonb WHERE id = ${original.id}`.execute(h.kysely),
    );
  });

  test('LOG-4 peil audit retention and peil audit prune: old entries go, the log verifies from the prune checkpoint', async () => {
    assert.equal((await peil(['audit', 'retention', '--tenant', 'de-bal', '--months', '3'])).code, 0);
    const asOf = new Date(Date.now() + 100 * 86_400_000).toISOString();
    const prune = await peil(['audit', 'prune', '--as-of', asOf]);
    assert.equal(prune.code, 0, prune.stdout + prune.stderr);
    assert.match(prune.stdout, /removed \d+ entries \(up to seq \d+, .*retention 3 months\)/);
    const v = await peil(['audit', 'verify']);
    assert.equal(v.code, 0, v.stdout);
    assert.match(v.stdout, /from prune-checkpoint/);
  });

  test('SEC-2 peil backup and peil restore: an encrypted file, refused over data without --force, restored with the key export, and the log verifies', async () => {
    const backup = join(dir, 'peil.backup');
    const keys = join(dir, 'peil.keys');
    const k = await peil(['keys', 'export', '--out', keys]);
    assert.equal(k.code, 0, k.stderr);
    assert.deepEqual(JSON.parse(k.stdout).customers, ['de-bal']);
    const b = await peil(['backup', '--out', backup]);
    assert.equal(b.code, 0, b.stderr);
    assert.match(JSON.parse(b.stdout).sha256, /^[0-9a-f]{64}$/);
    assert.ok(!readFileSync(backup).includes('de-bal'));

    // Issue 14: the final line of a backup in the operator's language (Dutch here, English above).
    assert.ok(b.stderr.includes(`peil: ${translator('en')('cli:backup.keysApart')}`), b.stderr);
    const nlBackup = await peil(['backup', '--out', join(dir, 'peil-nl.backup')], { PEIL_LANG: 'nl' });
    assert.equal(nlBackup.code, 0, nlBackup.stderr);
    assert.ok(nlBackup.stderr.includes(`peil: ${translator('nl')('cli:backup.keysApart')}`), nlBackup.stderr);
    assert.doesNotMatch(nlBackup.stderr, /data keys/);

    const refused = await peil(['restore', '--in', backup, '--keys', keys]);
    assert.equal(refused.code, 65);
    assert.match(refused.stderr, /holds data \(1 customer, 1 operator\).*--force/s);
    const geweigerd = await peil(['restore', '--in', backup, '--keys', keys], { PEIL_LANG: 'nl' });
    assert.equal(geweigerd.code, 65);
    assert.match(geweigerd.stderr, /^peil: De doeldatabase bevat gegevens \(1 klant, 1 operator\).*--force/s);
    const forced = await peil(['restore', '--in', backup, '--keys', keys, '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.deepEqual(
      JSON.parse(forced.stdout).tenants.map((x: { readable: boolean }) => x.readable),
      [true],
    );
    const v = await peil(['audit', 'verify']);
    assert.equal(v.code, 0, v.stdout);
  });

  test('SEC-1 peil keys rotate re-wraps the keys; the old key then fails at start with a clear message; erase-key needs --confirm and leaves a backup made before unreadable', async () => {
    const oldKeyFile = join(dataDir, 'master.key');
    const before = join(dir, 'before.backup');
    assert.equal((await peil(['backup', '--out', before])).code, 0);

    writeFileSync(newKey, randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
    const rot = await peil(['keys', 'rotate', '--new-key-file', newKey]);
    assert.equal(rot.code, 0, rot.stderr);
    const r = JSON.parse(rot.stdout);
    assert.equal(r.tenantKeys, 1);
    assert.ok(r.checkpoints >= 1);
    const wrong = await peil(['migrate']);
    assert.equal(wrong.code, 78);
    assert.match(
      wrong.stderr,
      new RegExp(
        `configured master key \\(id ${r.fromKeyId}\\) is not the key.*wrapped by master key ${r.toKeyId}`,
        's',
      ),
    );
    const withNew = { PEIL_MASTER_KEY_FILE: newKey };

    const noConfirm = await peil(['tenant', 'erase-key', '--tenant', 'de-bal'], withNew);
    assert.equal(noConfirm.code, 64);
    assert.match(noConfirm.stderr, /--confirm/);
    const erased = await peil(['tenant', 'erase-key', '--tenant', 'de-bal', '--confirm'], withNew);
    assert.equal(erased.code, 0, erased.stderr);
    const after = join(dir, 'after.keys');
    const k = await peil(['keys', 'export', '--out', after], withNew);
    assert.deepEqual(JSON.parse(k.stdout).customers, []);

    // The backup made before the erasure (and before the rotation: it names the old key), restored into
    // a fresh database with the current key: the customer comes back without a key.
    let target: Record<string, string>;
    if (pgUrl) {
      const db = await freshDatabase();
      await db.handle.close();
      dbs.push(db);
      target = { DATABASE_URL: db.url!, PEIL_DATA_DIR: join(dir, 'fresh') };
    } else {
      target = { PEIL_DATA_DIR: join(dir, 'fresh') };
    }
    const restored = await run(['restore', '--in', before, '--keys', after, '--backup-key-file', oldKeyFile], {
      ...target,
      ...withNew,
    });
    assert.equal(restored.code, 0, restored.stderr);
    const tenants = JSON.parse(restored.stdout).tenants;
    assert.equal(tenants.length, 1);
    assert.equal(tenants[0].readable, false);
    assert.match(tenants[0].reason, /no key/);
    const keyRow = await withDb(
      async (h) =>
        (await sql<{ wrapped: Buffer | null }>`SELECT wrapped_key AS wrapped FROM tenant_keys`.execute(h.kysely))
          .rows[0]!,
      { url: target.DATABASE_URL, dataDir: target.PEIL_DATA_DIR! },
    );
    assert.equal(keyRow.wrapped, null);
  });

  test('LOG-3 peil audit verify names a deleted, an inserted and a rewritten entry, each in its own customer', async () => {
    const withNew = { PEIL_MASTER_KEY_FILE: newKey };
    const ids = await withDb(async (h) => {
      const db = new Db(h);
      const out: string[] = [];
      for (const slug of ['verwijderd', 'ingevoegd', 'herschreven']) {
        const id = randomUUID();
        await sql`INSERT INTO tenants (id, slug, name) VALUES (${id}, ${slug}, ${slug})`.execute(h.kysely);
        for (let i = 0; i < 5; i++)
          await db.tenant(id, (tx) =>
            audit(
              tx,
              id,
              { kind: 'user', id: null, ip: '192.0.2.1' },
              { action: AuditAction.CONTACTS_LISTED, details: { count: i } },
            ),
          );
        out.push(id);
      }
      return out;
    });
    const cp = await peil(['audit', 'checkpoint'], withNew);
    assert.equal(cp.code, 0, cp.stdout + cp.stderr);
    const [removed, inserted, rewritten] = ids as [string, string, string];
    const forgedId = await withDb(async (h) => {
      await sql`DELETE FROM audit_events WHERE tenant_id = ${removed} AND seq = 3`.execute(h.kysely);
      const rows = (
        await h.kysely
          .selectFrom('audit_events')
          .selectAll()
          .where('tenant_id', 'in', [inserted, rewritten])
          .orderBy('seq')
          .execute()
      ).map((r) => ({ ...r, seq: Number(r.seq) }));
      const last = rows.filter((r) => r.tenant_id === inserted).at(-1)!;
      const forged = { ...last, seq: last.seq + 1, action: 'contact.deleted' };
      const ins = await sql<{
        id: number;
      }>`INSERT INTO audit_events (tenant_id, seq, at, actor_kind, action, ip, details, prev_hash, hash)
        VALUES (${inserted}, ${forged.seq}, ${last.at}, ${last.actor_kind}, 'contact.deleted', ${last.ip}, ${JSON.stringify(last.details)}::jsonb, ${last.hash}, ${chainHash(last.hash!, entryOfRow(forged))}) RETURNING id`.execute(
        h.kysely,
      );
      let prev = GENESIS_HASH;
      for (const r of rows.filter((x) => x.tenant_id === rewritten)) {
        const changed = r.seq === 2 ? { ...r, ip: '198.51.100.7' } : r;
        const hash = chainHash(prev, entryOfRow(changed));
        await sql`UPDATE audit_events SET ip = ${changed.ip}, prev_hash = ${prev}, hash = ${hash} WHERE tenant_id = ${rewritten} AND id = ${r.id}`.execute(
          h.kysely,
        );
        prev = hash;
      }
      await sql`UPDATE audit_heads SET hash = ${prev} WHERE tenant_id = ${rewritten}`.execute(h.kysely);
      return Number(ins.rows[0]!.id);
    });
    const v = await peil(['audit', 'verify'], withNew);
    assert.equal(v.code, 2, v.stdout + v.stderr);
    assert.match(v.stdout, /^FAIL\s+verwijderd: removed at seq 3 \(id \d+\): entry 3 missing/m);
    assert.match(
      v.stdout,
      new RegExp(`^FAIL\\s+ingevoegd: inserted at seq 6 \\(id ${forgedId}\\): .*past the chain head`, 'm'),
    );
    assert.match(v.stdout, /^FAIL\s+herschreven: rewritten at seq 5 \(id \d+\): .*checkpoint signed at/m);
  });
});
