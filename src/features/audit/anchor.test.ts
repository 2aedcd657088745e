import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import {
  colleague,
  dbKind,
  newCustomer,
  operatorCookie,
  outbox,
  setUp,
  startTestApp,
  type TestApp,
} from '../../../test/harness.js';
import { runAuditMaintenance } from './maintenance.js';
import { parseHeadFile, verifyWithHeads } from './anchor.js';
import { assertBothLanguages } from '../../../test/mail-catalogue.js';
import { formatInstant } from '../../lib/i18n.js';
import { signerOf } from '../../lib/crypto/signing.js';
import { GENESIS_HASH } from '../../lib/audit-chain.js';

/**
 * Issue 16 point 4 (OBLIGATIONS LOG-3): the customer holds signed heads of its log outside Peil.
 * It downloads one, is mailed one on a schedule (privacy contact), sees on the Privacy page which
 * went out, and checks its log against them: the attack (entries removed together with their
 * checkpoints, the head moved back, by someone with the database) is found through the API too.
 */
describe(`signed audit heads held by the customer (${dbKind})`, () => {
  let t: TestApp;
  let op: string;
  let a: { id: string; cookie: string; slug: string };
  let b: { id: string; cookie: string; slug: string };
  const owner = () => t.ctx.db.handle.kysely;
  const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });
  const verify = (cookie: string, heads?: string[]) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/audit/verification',
      headers: { cookie },
      payload: heads ? { heads } : {},
    });

  before(async () => {
    t = await startTestApp({ AUDIT_MAINTENANCE_MINUTES: '0' });
    await setUp(t);
    op = await operatorCookie(t);
    a = await newCustomer(t, op, 'Alfa Zorg');
    b = await newCustomer(t, op, 'Bravo Wonen');
    const patch = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/agreement/contacts',
      headers: { cookie: a.cookie },
      payload: { privacyEmail: 'privacy@alfa.test' },
    });
    assert.equal(patch.statusCode, 200, patch.body);
  });
  after(() => t.close());

  test('LOG-3 the owner downloads a signed head as a file; it is recorded as anchored, in the log too, and verifies against the log', async () => {
    const res = await get('/api/v1/audit/head', a.cookie);
    assert.equal(res.statusCode, 200, res.body);
    assert.match(
      String(res.headers['content-disposition']),
      new RegExp(`attachment; filename="peil-logboek-${a.slug}-\\d+\\.json"`),
    );
    const file = res.json();
    assert.equal(file.head.tenant, a.id);
    const anchors = (await get('/api/v1/audit/anchors', a.cookie)).json();
    assert.equal(anchors.anchors[0].channel, 'download');
    assert.equal(anchors.anchors[0].seq, file.head.seq);
    assert.equal(anchors.signingKey.keyId, file.head.keyId);
    assert.ok(anchors.current.seq > file.head.seq, 'the download itself is in the log, after the head it signed');
    const log = (await get('/api/v1/audit?action=audit.head_anchored', a.cookie)).json().entries;
    assert.equal(log[0].details.seq, file.head.seq);
    assert.equal(log[0].details.channel, 'download');
    const v = await verify(a.cookie, [res.body]);
    assert.equal(v.statusCode, 200, v.body);
    assert.equal(v.json().ok, true, v.body);
    assert.equal(v.json().heads[0].outcome, 'matches');
  });

  test('LOG-3 every AUDIT_ANCHOR_DAYS the head is mailed to the privacy contact (not again before it is due), and the Privacy page data shows where it went', async () => {
    await runAuditMaintenance(t.ctx);
    const mails = (await outbox(t, a.cookie)).filter((m) => m.subject.includes('ondertekende stand'));
    assert.equal(mails.length, 1);
    assert.equal(mails[0]!.to, 'privacy@alfa.test');
    assert.match(mails[0]!.text, /^Ondertekende stand van het auditlogboek van Alfa Zorg/);
    assert.match(mails[0]!.text, /Signed head of the audit log/);
    assert.match(mails[0]!.text, /-----BEGIN PEIL AUDIT HEAD-----/);
    // Issue 14: the words are mails:auditHead.*, Dutch first, English beside it; the time in Amsterdam.
    const { head } = parseHeadFile(mails[0]!.text);
    assertBothLanguages(mails[0]!.subject, 'mails:auditHead.subject');
    assertBothLanguages(mails[0]!.text, 'mails:auditHead.title', { org: 'Alfa Zorg' });
    assertBothLanguages(mails[0]!.text, 'mails:auditHead.intro', (l) => ({
      seq: String(head.seq),
      at: formatInstant(l, head.at),
    }));
    for (const key of ['mails:auditHead.keep', 'mails:auditHead.cli']) assertBothLanguages(mails[0]!.text, key);
    assertBothLanguages(mails[0]!.text, 'mails:auditHead.page', { link: 'http://peil.test/app/privacy/evidence' });
    // B has no privacy contact: its owners get it.
    const bMails = (await outbox(t, b.cookie)).filter((m) => m.subject.includes('ondertekende stand'));
    assert.equal(bMails.length, 1);
    assert.match(bMails[0]!.to, /^eigenaar\d+@/);
    const anchors = (await get('/api/v1/audit/anchors', a.cookie)).json();
    assert.equal(anchors.anchorDays, 7);
    assert.deepEqual(
      {
        channel: anchors.lastMailed.channel,
        sentTo: anchors.lastMailed.sentTo,
        recipients: anchors.lastMailed.recipients,
      },
      { channel: 'mail', sentTo: 'privacy_contact', recipients: 1 },
    );
    // Not due again within the week; due after it.
    await runAuditMaintenance(t.ctx);
    assert.equal((await outbox(t, a.cookie)).filter((m) => m.subject.includes('ondertekende stand')).length, 1);
    await runAuditMaintenance(t.ctx, { asOf: new Date(Date.now() + 8 * 86_400_000) });
    assert.equal((await outbox(t, a.cookie)).filter((m) => m.subject.includes('ondertekende stand')).length, 2);
    // The mail as received is a head the API checks (the whole mail text, not only the block).
    const v = await verify(a.cookie, [mails[0]!.text]);
    assert.equal(v.json().ok, true, v.body);
  });

  test('LOG-3 entries removed with their checkpoints and the head moved back: the plain check passes, the check with the held head fails and names the entries', async () => {
    const held = (await get('/api/v1/audit/head', a.cookie)).body;
    const seq = JSON.parse(held).head.seq as number;
    const keep = seq - 3;
    await sql`DELETE FROM audit_events WHERE tenant_id = ${a.id} AND seq > ${keep}`.execute(owner());
    await sql`DELETE FROM audit_checkpoints WHERE tenant_id = ${a.id} AND seq > ${keep}`.execute(owner());
    const last = (
      await sql<{ hash: Buffer }>`SELECT hash FROM audit_events WHERE tenant_id = ${a.id} AND seq = ${keep}`.execute(
        owner(),
      )
    ).rows[0]!;
    await sql`UPDATE audit_heads SET seq = ${keep}, hash = ${last.hash ?? GENESIS_HASH} WHERE tenant_id = ${a.id}`.execute(
      owner(),
    );
    const plain = await verify(a.cookie);
    assert.equal(plain.json().ok, true, 'without a held head the removal is invisible');
    const v = (await verify(a.cookie, [held])).json();
    assert.equal(v.ok, false);
    assert.equal(v.problem.kind, 'removed');
    assert.match(
      v.problem.message,
      new RegExp(
        `the log ends at seq ${keep}, but a head signed .* is at seq ${seq}: entries ${keep + 1}\\.\\.${seq} were removed`,
      ),
    );
    assert.equal(v.heads[0].outcome, 'failed');
    // The security measures show the failed verification.
    const m = (await get('/api/v1/security-measures', a.cookie)).json();
    assert.equal(m.auditLog.lastVerification.ok, false);
  });

  test("ACC-6 another customer cannot pass off A's head as its own, sees none of A's anchors, and a text that is no head is a 422 pointing at it; a viewer gets no head", async () => {
    const held = (await get('/api/v1/audit/anchors', b.cookie)).json();
    assert.ok(
      held.anchors.every((x: { channel: string }) => x.channel === 'mail'),
      'B sees its own mailed head only',
    );
    const aHead = (await outbox(t, a.cookie)).find((m) => m.subject.includes('ondertekende stand'))!.text;
    const v = (await verify(b.cookie, [aHead])).json();
    assert.equal(v.ok, false);
    assert.equal(v.problem.kind, 'forged-head');
    assert.match(v.problem.message, /not of this customer/);
    const junk = await verify(b.cookie, ['{"format":"iets anders"}']);
    assert.equal(junk.statusCode, 422);
    assert.equal(junk.json().errors[0].pointer, '/body/heads/0');
    const viewer = await colleague(t, b.cookie, 'viewer');
    assert.equal((await get('/api/v1/audit/head', viewer)).statusCode, 403);
    assert.equal((await get('/api/v1/audit/anchors', viewer)).statusCode, 403);
  });

  test('LOG-4 LOG-3 a head whose entries retention removed passes once they are older than the agreed retention; the same removal earlier is reported', async () => {
    const held = parseHeadFile((await get('/api/v1/audit/head', b.cookie)).body);
    const later = new Date(Date.now() + 7 * 31 * 86_400_000);
    const r = await runAuditMaintenance(t.ctx, { asOf: later });
    assert.ok(r.pruned.find((p) => p.tenantId === b.id)!.removed > 0);
    const signer = signerOf(t.ctx.keyring.master);
    const check = (now: Date) =>
      t.ctx.db.tenant(b.id, (tx) => verifyWithHeads(tx, b.id, signer, [held], now), { isolation: 'repeatable read' });
    const then = await check(later);
    assert.equal(then.problem, null, JSON.stringify(then.problem));
    assert.equal(then.heads[0]!.outcome, 'pruned');
    assert.match(then.heads[0]!.message, /older than the agreed retention of 6 months and was removed by retention/);
    // Today the same entries are within the retention: retention cannot have removed them.
    const now = await check(new Date());
    assert.equal(now.problem?.kind, 'removed');
    assert.match(
      now.problem!.message,
      new RegExp(
        `entry seq ${held.head.seq} of the head signed .* is missing; it dates from .*, within the agreed retention of 6 months`,
      ),
    );
  });

  test('LOG-3 the record of anchored heads is append-only for the application role', async () => {
    for (const statement of [sql`UPDATE audit_anchors SET seq = 0`, sql`DELETE FROM audit_anchors`]) {
      await assert.rejects(
        t.ctx.db.tenant(a.id, (tx) => statement.execute(tx)),
        /permission denied/,
      );
    }
  });
});
