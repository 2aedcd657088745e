import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { sql } from 'kysely';
import {
  appOnDatabase,
  colleague,
  dbKind,
  emptyDatabase,
  importCsv,
  newCustomer,
  operatorCookie,
  OWNER,
  outbox,
  setUp,
  signIn,
  startTestApp,
  type TestApp,
} from '../../../test/harness.js';
import { peilBinEnv } from '../../../test/bin.js';
import { assertBothLanguages } from '../../../test/mail-catalogue.js';
import { formatDay, formatInstant } from '../../lib/i18n.js';
import { pdfText } from '../../../test/pdf.js';
import { startSmtp, type TestSmtp } from '../../../test/smtp.js';
import { answeredSurvey } from '../../../test/respondents.js';
import { tenantTables } from '../../../test/tenant-tables.js';
import { addMonths, dateIn } from '../agreement/dates.js';
import { backupDatabase } from '../backup/backup.js';
import { keySourceOfExport, restoreDatabase } from '../backup/restore.js';
import { unsubscribeLink } from '../distribution/mail.js';
import { invitationRequestPath } from '../requests/links.js';
import { invitationLink, runDistributionTick, runSendJob } from '../distribution/send.js';
import { readKeyExport, writeKeyExport } from '../keys/key-export.js';
import { EXPORT_TABLES } from './export.js';
import { endingTick } from './service.js';
import { verifyStatement } from './statement.js';
import { EVIDENCE, KEEP } from './tables.js';

const DAY = 86_400_000;
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const bin = join(import.meta.dirname, '..', '..', '..', 'bin', 'peil.js');
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
/** Noon in Amsterdam (10:00 or 11:00 UTC) on a calendar date: safely inside that day. */
const noonOf = (d: string) => new Date(`${d}T10:00:00Z`);

function peil(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...process.env, ...peilBinEnv(), NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

describe(`END the end of a customer's agreement (${dbKind})`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'peil-ending-'));
  let t: TestApp;
  let op: string;
  let tenantA: string;
  let ownerA: string;
  let endsOn: string;
  let b: { id: string; cookie: string; email: string; slug: string };
  let apiKey = '';
  let links: { answer: string; unsubscribe: string; request: string };
  let scheduledId = '';
  let backupFile = '';
  let statementFile = '';
  const owner = () => t.ctx.db.handle.kysely;
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, headers: Record<string, string>, payload?: object) =>
    t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const countOf = async (table: string, column: string, tenantId: string) =>
    Number(
      (
        await sql<{
          n: string;
        }>`SELECT count(*) AS n FROM ${sql.table(table)} WHERE ${sql.ref(column)} = ${tenantId}`.execute(owner())
      ).rows[0]!.n,
    );

  before(async () => {
    t = await startTestApp({
      ENDING_SWEEP_SECONDS: '0',
      AGREEMENT_SWEEP_SECONDS: '0',
      PEIL_WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_SWEEP_MS: '0',
    });
    ({ tenantId: tenantA, ownerCookie: ownerA } = await setUp(t));
    op = await operatorCookie(t);
    // A's agreement runs 3 months from today without renewal: it ends on a date the test knows.
    const today = dateIn(new Date());
    endsOn = addMonths(today, 3);
    const set = await call(
      'PUT',
      `/api/v1/operator/tenants/${tenantA}/agreement`,
      { cookie: op },
      { startDate: today, termMonths: 3, renewalMonths: null },
    );
    assert.ok(set.statusCode < 300, set.body);
    // A's data: contacts, a survey with answers, a suppression, an API key, a webhook, a scheduled send.
    assert.equal(
      (
        await importCsv(
          t,
          ownerA,
          'email;voornaam;achternaam\nanne@klant-a.example;Anne;Geheimsma\nbert@klant-a.example;Bert;Verborgen\ngepland@klant-a.example;Gea;Later\n',
        )
      ).statusCode,
      200,
    );
    const { surveyId } = await answeredSurvey(t, ownerA, tenantA, [
      { score: 9, why: 'Uitstekend geholpen door Anne' },
      { score: 4, why: 'Te lang gewacht' },
    ]);
    assert.equal(
      (
        await call(
          'POST',
          '/api/v1/profile-fields',
          { cookie: ownerA },
          { key: 'afdeling', type: 'text', label: { nl: 'Afdeling' } },
        )
      ).statusCode,
      201,
    );
    assert.equal(
      (await call('POST', '/api/v1/suppressions', { cookie: ownerA }, { email: 'weg@klant-a.example' })).statusCode,
      201,
    );
    apiKey = (
      await call('POST', '/api/v1/api-keys', { cookie: ownerA }, { name: 'CRM', scopes: ['surveys:read'] })
    ).json().key;
    assert.equal(
      (await call('POST', '/api/v1/webhooks', { cookie: ownerA }, { url: 'http://127.0.0.1:9/a' })).statusCode,
      201,
    );
    const gea = (await call('GET', '/api/v1/contacts?email=gepland%40klant-a.example', { cookie: ownerA })).json()
      .contacts[0].id;
    const later = (await call('POST', '/api/v1/surveys', { cookie: ownerA }, { name: 'Later' })).json().id as string;
    void surveyId;
    const sched = await call(
      'POST',
      `/api/v1/surveys/${later}/distributions`,
      { cookie: ownerA },
      { contactIds: [gea], sendAt: new Date(Date.now() + 3 * DAY).toISOString() },
    );
    assert.equal(sched.statusCode, 202, sched.body);
    scheduledId = sched.json().id;
    const inv = await owner()
      .selectFrom('invitations')
      .select(['id', 'survey_id'])
      .where('tenant_id', '=', tenantA)
      .where('distribution_id', '=', scheduledId)
      .executeTakeFirstOrThrow();
    const keys = await t.ctx.keyring.forTenant(tenantA);
    links = {
      answer: new URL(invitationLink(t.env.baseUrl, tenantA, inv.id, (x) => keys.tokenMac(x), inv.survey_id)).pathname,
      unsubscribe: new URL(unsubscribeLink(t.env.baseUrl, tenantA, inv.id, keys)).pathname,
      request: invitationRequestPath(keys, tenantA, inv.id),
    };
    // Customer B, with data of its own.
    b = await newCustomer(t, op, 'Bravo Wonen');
    assert.equal((await importCsv(t, b.cookie, 'email;voornaam\nbea@bravo.example;Bea\n')).statusCode, 200);
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('END-1 reminders to export at 60, 30 and 7 days before the end, each once, to the owners', async () => {
    const reminders = async () => (await outbox(t, ownerA)).filter((m) => m.subject.includes('eindigt over'));
    await endingTick(t.ctx, noonOf(addDays(endsOn, -61)));
    assert.equal((await reminders()).length, 0, 'nothing before 60 days');
    for (const [day, days, total] of [
      [-60, 60, 1],
      [-60, 60, 1],
      [-45, 60, 1],
      [-30, 30, 2],
      [-29, 30, 2],
      [-7, 7, 3],
      [-1, 7, 3],
    ] as const) {
      // `days`: the reminder the newest mail must be.
      await endingTick(t.ctx, noonOf(addDays(endsOn, day)));
      const got = await reminders();
      assert.equal(got.length, total, `${day} days: ${total} reminder(s) in all`);
      assert.match(
        got[0]!.subject,
        new RegExp(`over ${days} dagen / your agreement ends in ${days} days`),
        'newest first',
      );
    }
    const all = await reminders();
    assert.deepEqual(
      all.map((m) => m.to),
      [OWNER.email, OWNER.email, OWNER.email],
    );
    assert.ok(all[0]!.text.indexOf('Download') < all[0]!.text.indexOf('download'), 'Dutch first');
    // Issue 14: mails:ending.* (ICU plurals for the days, the last day as each language writes it).
    assertBothLanguages(all[0]!.subject, 'mails:ending.reminderSubject', { days: 7 });
    assertBothLanguages(all[0]!.text, 'mails:staff.dearOwner', { org: 'Zorggroep Test' });
    assertBothLanguages(all[0]!.text, 'mails:ending.reminder', (l) => ({
      days: 7,
      lastDay: formatDay(l, addDays(endsOn, -1)),
    }));
    assertBothLanguages(all[0]!.text, 'mails:ending.reminderLink', { link: 'http://peil.test/app/privacy' });
    const state = (await call('GET', '/api/v1/ending', { cookie: ownerA })).json();
    assert.equal(state.endsOn, endsOn);
    assert.deepEqual(
      state.reminders.map((r: { days: number; sentAt: string | null }) => [r.days, r.sentAt !== null]),
      [
        [60, true],
        [30, true],
        [7, true],
      ],
    );
    assert.equal(state.ended, null);
    assert.equal(await countOf('ending_reminders', 'tenant_id', b.id), 0, 'B (renewing agreement) is not reminded');
  });

  test('END-1 the full export is a streamed ZIP with every table, the right counts and a manifest whose hashes and signature match', async () => {
    const res = await call('GET', '/api/v1/export', { cookie: ownerA });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'application/zip');
    assert.equal(res.headers['content-length'], undefined, 'streamed: no length known in advance');
    const files = unzipSync(new Uint8Array(res.rawPayload));
    const manifestText = strFromU8(files['manifest.json']!);
    const manifest = JSON.parse(manifestText);
    assert.ok(
      verify(
        null,
        Buffer.from(files['manifest.json']!),
        createPublicKey(strFromU8(files['public-key.pem']!)),
        Buffer.from(files['manifest.sig']!),
      ),
      'manifest signature',
    );
    for (const f of manifest.files) {
      assert.ok(files[f.name], `${f.name} in the ZIP`);
      assert.equal(createHash('sha256').update(files[f.name]!).digest('hex'), f.sha256, `${f.name} hash`);
      assert.equal(files[f.name]!.length, f.bytes);
    }
    for (const { table } of EXPORT_TABLES) {
      const column = 'tenant_id';
      const n = await countOf(table, column, tenantA);
      const entry = manifest.tables.find((x: { table: string }) => x.table === table);
      // The export's own audit row is written before the log is read.
      assert.equal(entry.rows, n, `${table}: ${entry.rows} rows exported, ${n} in the database`);
      assert.equal(JSON.parse(strFromU8(files[`json/${table}.json`]!)).length, n, `json/${table}.json`);
      assert.equal(strFromU8(files[`csv/${table}.csv`]!).trim().split('\r\n').length, n + 1, `csv/${table}.csv`);
      assert.ok(files[`xlsx/${table}.xlsx`], `xlsx/${table}.xlsx`);
      assert.ok(n > 0 || ['labels', 'response_labels'].includes(table), `${table} has rows of A in this fixture`);
    }
    // Decrypted, in open formats; no secrets.
    const contacts = JSON.parse(strFromU8(files['json/contacts.json']!));
    assert.ok(
      contacts.some(
        (c: { email: string; last_name: string }) => c.email === 'anne@klant-a.example' && c.last_name === 'Geheimsma',
      ),
    );
    assert.match(strFromU8(files['csv/responses.csv']!), /Uitstekend geholpen door Anne/);
    const users = JSON.parse(strFromU8(files['json/users.json']!));
    assert.ok(users.every((u: Record<string, unknown>) => !('password_hash' in u) && !('totp_secret' in u)));
    assert.doesNotMatch(strFromU8(files['json/users.json']!), /argon2/);
    const logged = await owner()
      .selectFrom('audit_events')
      .select('action')
      .where('tenant_id', '=', tenantA)
      .where('action', '=', 'data.exported')
      .execute();
    assert.equal(logged.length, 1, 'the export is an audit row');
  });

  test("END-1 an admin or viewer cannot export everything (owners only), and customer B's export has nothing of A", async () => {
    for (const role of ['admin', 'viewer'] as const) {
      const cookie = await colleague(t, ownerA, role);
      assert.equal((await call('GET', '/api/v1/export', { cookie })).statusCode, 403, role);
      assert.equal(
        (await call('POST', '/api/v1/ending/choice', { cookie }, { choice: 'deletion' })).statusCode,
        403,
        role,
      );
    }
    assert.equal(
      (await call('GET', '/api/v1/export', { authorization: `Bearer ${apiKey}` })).statusCode,
      403,
      'an API key cannot',
    );
    const res = await call('GET', '/api/v1/export', { cookie: b.cookie });
    assert.equal(res.statusCode, 200);
    const files = unzipSync(new Uint8Array(res.rawPayload));
    const all = Object.entries(files)
      .filter(([n]) => !n.endsWith('.xlsx'))
      .map(([, f]) => strFromU8(f))
      .join('\n');
    for (const v of [tenantA, 'klant-a.example', 'Geheimsma', 'Uitstekend', OWNER.email])
      assert.ok(!all.includes(v), `B's export holds "${v}"`);
    assert.match(all, /bea@bravo\.example/);
  });

  test('END-2 after the end: sign-in refused, API key refused, webhooks gone, invitation and unsubscribe links show the closed page, scheduled distribution not sent', async () => {
    const admin = await colleague(t, ownerA, 'admin');
    backupFile = join(dir, 'before-the-end.backup');
    await backupDatabase(t.ctx.db.handle, t.ctx.keyring.master, backupFile);
    const r = await endingTick(t.ctx, noonOf(endsOn));
    assert.deepEqual(r.ended, [tenantA], 'the tick ends A on its end date, and only A');
    const list = (await call('GET', '/api/v1/operator/tenants', { cookie: op })).json().tenants as Array<{
      id: string;
      status: string;
    }>;
    assert.equal(list.find((x) => x.id === tenantA)?.status, 'ended');
    assert.equal(list.find((x) => x.id === b.id)?.status, 'active');
    // Sign-in: refused for anyone but an owner, with the end's message (Dutch by default, English beside it).
    const refused = await call(
      'POST',
      '/api/v1/auth/sign-in',
      {},
      {
        email: (
          await owner()
            .selectFrom('users')
            .select('email')
            .where('tenant_id', '=', tenantA)
            .where('role', '=', 'admin')
            .executeTakeFirstOrThrow()
        ).email,
        password: 'Regenboog-Fiets-88',
      },
    );
    assert.equal(refused.statusCode, 403, refused.body);
    assert.equal(refused.json().ended, true);
    assert.match(refused.json().detail, /^De overeenkomst van uw organisatie met Peil is beëindigd/);
    assert.match(refused.json().detailEn, /^Your organisation's agreement with Peil has ended/);
    assert.equal((await call('GET', '/api/v1/surveys', { cookie: admin })).statusCode, 403, "an admin's session ends");
    // The owner keeps a session restricted to the end's routes.
    const ownerSession = await signIn(t, OWNER.email, OWNER.password);
    for (const url of ['/api/v1/surveys', '/api/v1/contacts', '/api/v1/audit']) {
      const denied = await call('GET', url, { cookie: ownerSession });
      assert.equal(denied.statusCode, 403, url);
      assert.equal(denied.json().ended, true);
    }
    assert.equal((await call('GET', '/api/v1/ending', { cookie: ownerSession })).statusCode, 200);
    assert.equal((await call('GET', '/api/v1/export', { cookie: ownerSession })).statusCode, 200);
    // API key and webhook rows deleted, and the removal is in the log.
    assert.equal((await call('GET', '/api/v1/surveys', { authorization: `Bearer ${apiKey}` })).statusCode, 401);
    assert.equal(await countOf('api_keys', 'tenant_id', tenantA), 0);
    assert.equal(await countOf('webhooks', 'tenant_id', tenantA), 0);
    const removed = await owner()
      .selectFrom('audit_events')
      .select('details')
      .where('tenant_id', '=', tenantA)
      .where('action', '=', 'integrations.removed')
      .executeTakeFirstOrThrow();
    assert.equal((removed.details as { apiKeys: string[] }).apiKeys.length, 1);
    // Links: the closed page, Dutch first, 410; a posted answer is not stored.
    for (const url of [links.answer, links.unsubscribe, links.request]) {
      const page = await call('GET', url, {});
      assert.equal(page.statusCode, 410, url);
      assert.ok(page.body.indexOf('Gesloten') >= 0 && page.body.indexOf('Gesloten') < page.body.indexOf('Closed'), url);
    }
    const post = await t.app.inject({ method: 'POST', url: links.answer, headers: form, payload: 'score=9&lang=nl' });
    assert.equal(post.statusCode, 410);
    assert.match(post.body, /niet opgeslagen/);
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: links.unsubscribe,
          headers: form,
          payload: 'List-Unsubscribe=One-Click',
        })
      ).statusCode,
      410,
    );
    // DSR-1's request page of the invitation is closed too; a posted request is not stored.
    const filed = await t.app.inject({
      method: 'POST',
      url: links.request,
      headers: form,
      payload: 'kind=access&lang=nl',
    });
    assert.equal(filed.statusCode, 410);
    assert.equal(await countOf('data_subject_requests', 'tenant_id', tenantA), 0);
    // The scheduled distribution is cancelled; when its time comes, nothing is sent.
    const d = await owner()
      .selectFrom('distributions')
      .select('status')
      .where('id', '=', scheduledId)
      .executeTakeFirstOrThrow();
    assert.equal(d.status, 'cancelled');
    await sql`UPDATE distributions SET send_at = now() - interval '1 minute', status = 'sending' WHERE id = ${scheduledId}::uuid`.execute(
      owner(),
    );
    assert.deepEqual(await runSendJob(t.ctx, { tenantId: tenantA, distributionId: scheduledId }), {
      sent: 0,
      failed: 0,
      suppressed: 0,
    });
    await runDistributionTick(t.ctx);
    assert.equal(
      (
        await owner()
          .selectFrom('invitations')
          .select('status')
          .where('distribution_id', '=', scheduledId)
          .executeTakeFirstOrThrow()
      ).status,
      'queued',
      'not sent',
    );
    // B goes on.
    assert.equal((await call('GET', '/api/v1/surveys', { cookie: b.cookie })).statusCode, 200);
    assert.equal(
      (await call('POST', `/api/v1/operator/tenants/${tenantA}/end`, { cookie: op }, { reason: 'nog eens' }))
        .statusCode,
      409,
    );
  });

  test('END-3 no choice: the tick deletes after choiceDeadlineDays: key destroyed, no row of A in any tenant table, B intact; a backup from before the end shows nothing of A', async () => {
    const state = (await call('GET', `/api/v1/operator/tenants/${tenantA}/ending`, { cookie: op })).json();
    const deadline = new Date(state.ended.choiceDeadline);
    assert.equal(
      deadline.getTime() - new Date(state.ended.at).getTime(),
      14 * DAY,
      'the agreed choiceDeadlineDays (default 14)',
    );
    assert.equal(
      (await endingTick(t.ctx, new Date(deadline.getTime() - 60_000))).deleted.length,
      0,
      'not before the deadline',
    );
    assert.equal(
      (await call('POST', `/api/v1/operator/tenants/${tenantA}/deletion`, { cookie: op })).statusCode,
      409,
      'the operator cannot delete before it is due',
    );
    const bRows = await countOf('contacts', 'tenant_id', b.id);
    const r = await endingTick(t.ctx, new Date(deadline.getTime() + 60_000));
    assert.deepEqual(r.deleted, [tenantA]);
    const key = await owner()
      .selectFrom('tenant_keys')
      .selectAll()
      .where('tenant_id', '=', tenantA)
      .executeTakeFirstOrThrow();
    assert.equal(key.wrapped_key, null, 'key destroyed');
    for (const { table, columns } of await tenantTables(owner())) {
      if (table in EVIDENCE || table in KEEP) continue;
      for (const column of columns)
        assert.equal(await countOf(table, column, tenantA), 0, `${table}.${column} holds rows of A`);
    }
    assert.equal(
      Object.keys(KEEP).length,
      0,
      'END-5: no tenant table is kept (the benchmark aggregates are global, without a tenant column); nothing of A is kept',
    );
    assert.equal(await countOf('contacts', 'tenant_id', b.id), bRows, "B's rows intact");
    assert.equal(
      (await call('GET', '/api/v1/contacts', { cookie: b.cookie })).json().contacts[0].email,
      'bea@bravo.example',
    );
    assert.equal(
      (await call('POST', '/api/v1/auth/sign-in', {}, { email: OWNER.email, password: OWNER.password })).statusCode,
      401,
      'nobody of A signs in',
    );
    const sys = await sql<{
      action: string;
    }>`SELECT action FROM system_audit_events WHERE details->>'tenantId' = ${tenantA} ORDER BY id`.execute(owner());
    assert.deepEqual(
      sys.rows.map((x) => x.action),
      ['tenant.ended', 'tenant.key_erased', 'tenant.deleted'],
    );

    // The backup from before the end, restored with the master key and today's key export.
    const keysFile = join(dir, 'after.keys');
    await writeKeyExport(t.ctx.db, t.ctx.keyring.master, keysFile);
    const target = await emptyDatabase();
    try {
      const restored = await restoreDatabase(target.handle, t.ctx.keyring.master, backupFile, {
        keys: keySourceOfExport(await readKeyExport(keysFile, [t.ctx.keyring.master]), 'after.keys'),
      });
      assert.equal(restored.tenants.find((x) => x.id === tenantA)?.readable, false);
      for (const { table, columns } of await tenantTables(target.handle.kysely)) {
        if (['tenant_keys'].includes(table)) continue;
        for (const column of columns) {
          const n = await sql<{
            n: string;
          }>`SELECT count(*) AS n FROM ${sql.table(table)} WHERE ${sql.ref(column)} = ${tenantA}`.execute(
            target.handle.kysely,
          );
          assert.equal(Number(n.rows[0]!.n), 0, `restored ${table} holds rows of A`);
        }
      }
      const app = await appOnDatabase(target.handle, t.ctx.keyring.master, {}, { closeHandle: false });
      try {
        assert.equal(
          (
            await app.app.inject({
              method: 'GET',
              url: '/api/v1/contacts',
              headers: { cookie: await signIn(app, b.email, 'Tulpenveld-Zomer-7') },
            })
          ).json().contacts[0].email,
          'bea@bravo.example',
          'B comes back',
        );
      } finally {
        await app.close();
      }
    } finally {
      await target.handle.close().catch(() => {});
      await target.drop();
    }
  });

  test('END-4 the statement of deletion verifies with peil statement verify, a changed byte fails, and the PDF has the counts', async () => {
    assert.equal(
      (await call('GET', `/api/v1/operator/tenants/${tenantA}/deletion-statement`, { cookie: ownerA })).statusCode,
      401,
      'operator only',
    );
    const res = await call('GET', `/api/v1/operator/tenants/${tenantA}/deletion-statement?format=json`, { cookie: op });
    assert.equal(res.statusCode, 200, res.body);
    const s = JSON.parse(res.body);
    assert.equal(s.customer.id, tenantA);
    assert.equal(s.agreement.reason, 'no choice before the deadline');
    assert.equal(s.deletion.remainingRows, 0);
    const contacts = s.deletion.tables.find((x: { table: string }) => x.table === 'contacts');
    const responses = s.deletion.tables.find((x: { table: string }) => x.table === 'responses');
    assert.deepEqual([contacts.rows, responses.rows], [3, 2]);
    assert.ok(s.key.destroyedAt && s.key.masterKeyId && /^[0-9a-f]{16}$/.test(s.key.id));
    statementFile = join(dir, 'statement.json');
    writeFileSync(statementFile, res.rawPayload);
    const ok = await peil(['statement', 'verify', statementFile]);
    assert.equal(ok.code, 0, ok.stdout);
    assert.match(ok.stdout, new RegExp(`ok .*${s.signedWith.keyId}`));
    // One changed byte: a count, a letter of the name, a digit of the signature.
    for (const change of [
      (x: string) => x.replace(`"rows": ${responses.rows}`, `"rows": ${responses.rows + 1}`),
      (x: string) => x.replace('Zorggroep', 'Zorggroeq'),
      (x: string) => x.replace(/("signature": ")(.)/, (_m, a: string, c: string) => a + (c === 'A' ? 'B' : 'A')),
    ]) {
      const altered = change(res.body);
      assert.notEqual(altered, res.body);
      const f = join(dir, 'altered.json');
      writeFileSync(f, altered);
      assert.notEqual((await peil(['statement', 'verify', f])).code, 0);
    }
    const pdf = await call('GET', `/api/v1/operator/tenants/${tenantA}/deletion-statement?format=pdf`, { cookie: op });
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    const text = pdfText(pdf.rawPayload);
    assert.match(text, /Verklaring van verwijdering \/ Statement of deletion/);
    assert.match(text, new RegExp(`contacts ${contacts.rows}`));
    assert.match(text, new RegExp(`responses ${responses.rows}`));
    assert.match(text, new RegExp(`Totaal / Total ${s.deletion.totalRows}`));
    assert.ok(text.indexOf('verklaart') < text.indexOf('declares'), 'Dutch first');
  });

  test('END-3 return: the owner chooses return; the export works within the return window, deletion follows after it', async () => {
    const c = await newCustomer(t, op, 'Charlie Zorg');
    assert.equal((await importCsv(t, c.cookie, 'email;voornaam\ncor@charlie.example;Cor\n')).statusCode, 200);
    const ended = await call('POST', `/api/v1/operator/tenants/${c.id}/end`, { cookie: op }, { reason: 'Opgezegd' });
    assert.equal(ended.statusCode, 200, ended.body);
    const choice = await call('POST', '/api/v1/ending/choice', { cookie: c.cookie }, { choice: 'return' });
    assert.equal(choice.statusCode, 200, choice.body);
    const returnUntil = new Date(choice.json().ended.returnUntil);
    assert.equal(
      Math.round((returnUntil.getTime() - Date.now()) / DAY),
      30,
      'the agreed return window (default 30 days)',
    );
    assert.equal(
      (await call('POST', '/api/v1/ending/choice', { cookie: c.cookie }, { choice: 'deletion' })).statusCode,
      409,
      'once',
    );
    assert.equal(
      (await endingTick(t.ctx, new Date(returnUntil.getTime() - 60_000))).deleted.length,
      0,
      'kept during the window',
    );
    const exp = await call('GET', '/api/v1/export', { cookie: c.cookie });
    assert.equal(exp.statusCode, 200);
    assert.match(strFromU8(unzipSync(new Uint8Array(exp.rawPayload))['csv/contacts.csv']!), /cor@charlie\.example/);
    assert.deepEqual((await endingTick(t.ctx, new Date(returnUntil.getTime() + 60_000))).deleted, [c.id]);
    assert.equal(await countOf('contacts', 'tenant_id', c.id), 0);
    assert.equal(
      (await call('GET', '/api/v1/export', { cookie: c.cookie })).statusCode,
      401,
      'after deletion nothing is left to export',
    );
    const s = JSON.parse(
      (await call('GET', `/api/v1/operator/tenants/${c.id}/deletion-statement`, { cookie: op })).body,
    );
    assert.equal(s.agreement.reason, 'return window ended');
    assert.equal(s.agreement.choice, 'return');
  });
});

describe(`END-4 the statement of deletion is mailed (${dbKind})`, () => {
  let t: TestApp;
  let smtp: TestSmtp;
  before(async () => {
    smtp = await startSmtp();
    t = await startTestApp({ SMTP_URL: smtp.url, ENDING_SWEEP_SECONDS: '0', AGREEMENT_SWEEP_SECONDS: '0' });
  });
  after(async () => {
    await t.close();
    await smtp.close();
  });

  test('END-4 at deletion the signed statement goes to the privacy contact of that agreement only, never to another customer; the mailed copy verifies', async () => {
    const { tenantId: first } = await setUp(t);
    const op = await operatorCookie(t);
    const privacyOf = async (id: string, email: string) =>
      assert.equal(
        (
          await t.app.inject({
            method: 'PUT',
            url: `/api/v1/operator/tenants/${id}/agreement`,
            headers: { cookie: op },
            payload: { contacts: { privacyEmail: email } },
          })
        ).statusCode < 300,
        true,
      );
    // The first customer's agreement row comes first in the table: a look-up that forgets the tenant
    // on the owner connection (which row-level security does not bind) would find its contact.
    await privacyOf(first, 'privacy@zorg.example');
    const second = await newCustomer(t, op, 'Tweede Zorg');
    await privacyOf(second.id, 'privacy@tweede.example');
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/operator/tenants/${second.id}/end`,
          headers: { cookie: op },
          payload: { reason: 'Opgezegd' },
        })
      ).statusCode,
      200,
    );
    const chosen = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ending/choice',
      headers: { cookie: second.cookie },
      payload: { choice: 'deletion' },
    });
    assert.equal(chosen.statusCode, 200, chosen.body);
    const before = smtp.mails.length;
    const run = await t.app.inject({
      method: 'POST',
      url: `/api/v1/operator/tenants/${second.id}/deletion`,
      headers: { cookie: op },
    });
    assert.equal(run.statusCode, 200, run.body);
    assert.equal(run.json().mailed, 1);
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    assert.deepEqual(mail!.to, ['privacy@tweede.example']);
    assert.match(mail!.subject, /verklaring van verwijdering \/ statement of deletion/);
    const json = mail!.text.slice(mail!.text.indexOf('{\n')).replace(/\r\n/g, '\n').trimEnd() + '\n';
    const stored = (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/operator/tenants/${second.id}/deletion-statement`,
        headers: { cookie: op },
      })
    ).body;
    assert.equal(json, stored, 'the mail carries the stored statement');
    assert.equal(verifyStatement(json).ok, true);
    assert.equal(JSON.parse(stored).agreement.reason, 'deletion chosen');
    assert.equal(JSON.parse(stored).customer.id, second.id);
    // Issue 14: the mail's words are mails:ending.statement*, Dutch first, English beside it.
    const { deletion } = JSON.parse(stored) as { deletion: { completedAt: string; totalRows: number } };
    assertBothLanguages(mail!.subject, 'mails:ending.statementSubject');
    assertBothLanguages(mail!.text, 'mails:ending.statement', (l) => ({
      org: 'Tweede Zorg',
      at: formatInstant(l, deletion.completedAt),
      rows: deletion.totalRows,
    }));
  });
});
