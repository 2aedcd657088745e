import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import {
  dbKind,
  importCsv,
  OPERATOR,
  operatorCookie,
  setUp,
  signIn,
  startTestApp,
  type TestApp,
} from '../../../test/harness.js';
import { chainHash, entryOfRow, GENESIS_HASH } from '../../lib/audit-chain.js';
import { MasterKey } from '../../lib/crypto/keyring.js';
import { CheckpointSigner, signerOf } from '../../lib/crypto/signing.js';
import { checkpointPayload, verifyTenant } from './chain.js';
import { checkpointAll } from './maintenance.js';

describe(`the audit log as a hash chain (${dbKind})`, () => {
  let t: TestApp;
  let op: string;
  let n = 0;

  before(async () => {
    t = await startTestApp();
    await setUp(t);
    op = await operatorCookie(t);
    void OPERATOR;
  });
  after(() => t.close());

  const owner = () => t.ctx.db.handle.kysely;
  const signer = () => signerOf(t.ctx.keyring.master);
  const verify = (tenantId: string) => verifyTenant(t.ctx.db, tenantId, signer());

  /** A customer of its own for each test, with a dozen log entries: sign-in, import, reads. */
  async function customerWithLog(): Promise<{ tenantId: string; cookie: string }> {
    n++;
    const email = `owner${n}@chain.test`;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/operator/tenants',
      headers: { cookie: op },
      payload: {
        name: `Klant ${n}`,
        slug: `klant-${n}`,
        owner: { email, name: 'Eigenaar', password: 'Tulpenveld-Zomer-7' },
      },
    });
    assert.equal(res.statusCode, 201, res.body);
    const cookie = await signIn(t, email, 'Tulpenveld-Zomer-7');
    assert.equal((await importCsv(t, cookie, 'email;voornaam\na@example.nl;A\nb@example.nl;B\n')).statusCode, 200);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/contacts', headers: { cookie } });
    for (const c of list.json().contacts)
      await t.app.inject({ method: 'GET', url: `/api/v1/contacts/${c.id}`, headers: { cookie } });
    for (let i = 0; i < 5; i++) await t.app.inject({ method: 'GET', url: '/api/v1/contacts', headers: { cookie } });
    return { tenantId: res.json().tenantId, cookie };
  }

  const entries = async (tenantId: string) =>
    (
      await owner().selectFrom('audit_events').selectAll().where('tenant_id', '=', tenantId).orderBy('seq').execute()
    ).map((r) => ({ ...r, id: Number(r.id), seq: Number(r.seq) }));

  test('LOG-3 every entry links to the one before; concurrent writers keep seq gap-free, and the chain verifies', async () => {
    const { tenantId, cookie } = await customerWithLog();
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/contacts', headers: { cookie } });
    const id = list.json().contacts[0].id;
    const results = await Promise.all(
      Array.from({ length: 40 }, () =>
        t.app.inject({ method: 'GET', url: `/api/v1/contacts/${id}`, headers: { cookie } }),
      ),
    );
    assert.ok(results.every((r) => r.statusCode === 200));
    const rows = await entries(tenantId);
    assert.deepEqual(
      rows.map((r) => r.seq),
      rows.map((_, i) => i + 1),
      'seq is 1, 2, 3, ... without gaps',
    );
    let prev = GENESIS_HASH;
    for (const r of rows) {
      assert.ok(r.prev_hash!.equals(prev));
      assert.ok(chainHash(prev, entryOfRow(r)).equals(r.hash!));
      prev = r.hash!;
    }
    const head = await owner()
      .selectFrom('audit_heads')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .executeTakeFirstOrThrow();
    assert.equal(Number(head.seq), rows.length);
    const v = await verify(tenantId);
    assert.equal(v.ok, true, JSON.stringify(v.problem));
    assert.equal(v.entries, rows.length);
    assert.equal(v.start, 'genesis');
    // Checkpoints follow the head: each one checks the entries since the previous one, then signs.
    const slug = `klant-${n}`;
    for (let round = 0; round < 3; round++) {
      await t.app.inject({ method: 'GET', url: '/api/v1/contacts', headers: { cookie } });
      const [c] = await checkpointAll(t.ctx, { slug });
      assert.equal(c!.problem, null, JSON.stringify(c!.problem));
      assert.equal(c!.signed?.seq, rows.length + round + 1);
    }
    assert.deepEqual((await checkpointAll(t.ctx, { slug }))[0]!.signed, null, 'nothing new, nothing signed');
    const w = await verify(tenantId);
    assert.equal(w.ok, true);
    assert.equal(w.checkpoints, 3);
  });

  test('LOG-3 a row whose details were edited with SQL is found and named', async () => {
    const { tenantId } = await customerWithLog();
    const target = (await entries(tenantId)).find((r) => r.action === 'contacts.imported')!;
    await sql`UPDATE audit_events SET details = jsonb_set(details, '{created}', '0') WHERE tenant_id = ${tenantId} AND id = ${target.id}`.execute(
      owner(),
    );
    const v = await verify(tenantId);
    assert.equal(v.ok, false);
    assert.equal(v.problem!.kind, 'altered');
    assert.equal(v.problem!.seq, target.seq);
    assert.equal(v.problem!.id, target.id);
    assert.match(v.problem!.message, new RegExp(`seq ${target.seq} \\(id ${target.id}`));
  });

  test('LOG-3 a row edited and re-hashed by someone who knows the algorithm is found at the link it breaks', async () => {
    const { tenantId } = await customerWithLog();
    const rows = await entries(tenantId);
    const target = rows[3]!;
    const forged = { ...target, ip: '203.0.113.9' };
    const hash = chainHash(target.prev_hash!, entryOfRow(forged));
    await sql`UPDATE audit_events SET ip = '203.0.113.9', hash = ${hash} WHERE tenant_id = ${tenantId} AND id = ${target.id}`.execute(
      owner(),
    );
    const v = await verify(tenantId);
    assert.equal(v.problem?.kind, 'altered');
    assert.equal(v.problem?.seq, target.seq, 'the re-hashed entry is named');
  });

  test('LOG-3 a deleted row is found', async () => {
    const { tenantId } = await customerWithLog();
    const rows = await entries(tenantId);
    const gone = rows[4]!;
    await sql`DELETE FROM audit_events WHERE tenant_id = ${tenantId} AND id = ${gone.id}`.execute(owner());
    const v = await verify(tenantId);
    assert.equal(v.problem?.kind, 'removed');
    assert.equal(v.problem?.seq, gone.seq);
    assert.match(v.problem!.message, new RegExp(`${gone.seq} missing`));
    // Deleting the newest entry is found too: the head still names it.
    const { tenantId: other } = await customerWithLog();
    const last = (await entries(other)).at(-1)!;
    await sql`DELETE FROM audit_events WHERE tenant_id = ${other} AND id = ${last.id}`.execute(owner());
    const w = await verify(other);
    assert.equal(w.problem?.kind, 'removed');
    assert.equal(w.problem?.seq, last.seq);
  });

  test('LOG-3 a forged row inserted into the log is found', async () => {
    const { tenantId } = await customerWithLog();
    const rows = await entries(tenantId);
    const victim = rows[2]!;
    // A second entry with a seq that is taken (the unique constraint dropped first, as an intruder could).
    await sql`ALTER TABLE audit_events DROP CONSTRAINT audit_events_seq`.execute(owner());
    try {
      const ins = await sql<{ id: number }>`
        INSERT INTO audit_events (tenant_id, seq, at, actor_kind, actor_id, action, details, prev_hash, hash)
        VALUES (${tenantId}, ${victim.seq}, ${victim.at}, 'user', NULL, 'contact.read', '{}', ${victim.prev_hash}, ${randomBytes(32)}) RETURNING id`.execute(
        owner(),
      );
      const v = await verify(tenantId);
      assert.equal(v.problem?.kind, 'inserted');
      assert.equal(v.problem?.id, Number(ins.rows[0]!.id));
      assert.equal(v.problem?.seq, victim.seq);
      await sql`DELETE FROM audit_events WHERE id = ${ins.rows[0]!.id}`.execute(owner());
    } finally {
      await sql`ALTER TABLE audit_events ADD CONSTRAINT audit_events_seq UNIQUE (tenant_id, seq)`.execute(owner());
    }
    // An entry appended after the last one, well chained, but written outside Peil (the head did not move).
    const last = rows.at(-1)!;
    const forged = { ...last, seq: last.seq + 1, action: 'contact.deleted', details: {} };
    const ins = await sql<{ id: number }>`
      INSERT INTO audit_events (tenant_id, seq, at, actor_kind, actor_id, action, details, prev_hash, hash)
      VALUES (${tenantId}, ${forged.seq}, ${last.at}, ${last.actor_kind}, ${last.actor_id}, 'contact.deleted', '{}', ${last.hash}, ${chainHash(last.hash!, entryOfRow(forged))}) RETURNING id`.execute(
      owner(),
    );
    const v = await verify(tenantId);
    assert.equal(v.problem?.kind, 'inserted');
    assert.equal(v.problem?.id, Number(ins.rows[0]!.id));
  });

  test('LOG-3 a rewrite of the whole log with new, consistent hashes is found through the signed checkpoint', async () => {
    const { tenantId, cookie } = await customerWithLog();
    const signed = await checkpointAll(t.ctx, { slug: `klant-${n}` });
    assert.equal(signed[0]!.signed?.seq, (await entries(tenantId)).length);
    // The intruder changes an early entry and recomputes every hash after it, and the head: the
    // chain is consistent again, as if written that way.
    const rows = await entries(tenantId);
    rows[1] = { ...rows[1]!, details: { forged: true } };
    let prev = GENESIS_HASH;
    for (const r of rows) {
      const hash = chainHash(prev, entryOfRow(r));
      await sql`UPDATE audit_events SET details = ${JSON.stringify(r.details)}::jsonb, prev_hash = ${prev}, hash = ${hash} WHERE tenant_id = ${tenantId} AND id = ${r.id}`.execute(
        owner(),
      );
      prev = hash;
    }
    await sql`UPDATE audit_heads SET hash = ${prev} WHERE tenant_id = ${tenantId}`.execute(owner());
    const v = await verify(tenantId);
    assert.equal(v.problem?.kind, 'rewritten');
    assert.equal(v.problem?.seq, signed[0]!.signed!.seq);
    assert.match(v.problem!.message, /checkpoint signed at/);
    // Nor can the intruder sign a checkpoint of the rewritten chain without the master key.
    const theirs = new CheckpointSigner(new MasterKey(randomBytes(32)));
    const c = { seq: rows.length, hash: prev, at: new Date(), reason: 'periodic', key_id: signer().keyId };
    await sql`UPDATE audit_checkpoints SET hash = ${prev}, signature = ${theirs.sign(checkpointPayload(tenantId, c))} WHERE tenant_id = ${tenantId}`.execute(
      owner(),
    );
    const w = await verify(tenantId);
    assert.equal(w.problem?.kind, 'forged-checkpoint');
    // The periodic job refuses to sign a chain that does not verify (after a new entry to sign).
    await t.app.inject({ method: 'GET', url: '/api/v1/contacts', headers: { cookie } });
    const again = await checkpointAll(t.ctx, { slug: `klant-${n}` });
    assert.equal(again[0]!.signed, null);
    assert.ok(again[0]!.problem);
  });

  test('LOG-3 the customer can verify its own log over HTTP; the result is recorded', async () => {
    const { tenantId, cookie } = await customerWithLog();
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/audit/verification', headers: { cookie } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().ok, true);
    const rec = await t.ctx.db.tenant(tenantId, (tx) => tx.selectFrom('audit_verifications').selectAll().execute());
    assert.equal(rec.length, 1);
    assert.equal(rec[0]!.ok, true);
  });
});
