import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { sql } from 'kysely';
import {
  addColleague,
  appOnDatabase,
  emptyDatabase,
  eventually,
  freshDatabase,
  importCsv,
  newCustomer,
  operatorCookie,
  OWNER,
  setUp,
  signIn,
  type TestApp,
} from '../../../test/harness.js';
import { EncryptStream } from '../../lib/crypto/file-stream.js';
import { MasterKey } from '../../lib/crypto/keyring.js';
import type { DatabaseHandle } from '../../lib/db/connect.js';
import { signedRowToken } from '../../lib/tokens.js';
import { backupDatabase } from '../backup/backup.js';
import { keySourceOfExport, restoreDatabase } from '../backup/restore.js';
import { readKeyExport, writeKeyExport, type KeyExport } from '../keys/key-export.js';
import { imageKeysFor } from '../contacts/history.js';
import { invitationRequestPath } from './links.js';

/**
 * DSR-2 from the outside: one person (Zoë) with a profile value, answers in an identified, a
 * confidential and an anonymous survey, a label correction, a webhook delivery, an idempotent API
 * answer, outbox mail, a request and a corrected contact (a sealed image in the log); another person
 * (Olaf) beside her. Then: export, erasure, a scan of every table in the catalog, the chain, a
 * re-import, and an older backup restored over the result.
 */
describe('DSR-2 export and erasure of one person', () => {
  let t: TestApp;
  let handle: DatabaseHandle;
  let drop: () => Promise<void>;
  const master = new MasterKey(randomBytes(32));
  const overrides = {
    PEIL_WEBHOOK_ALLOW_PRIVATE: 'true',
    WEBHOOK_SWEEP_MS: '100',
    WEBHOOK_RETRY_BASE_MS: '3600000',
    REQUEST_SWEEP_SECONDS: '0',
  };
  const dir = mkdtempSync(join(tmpdir(), 'peil-dsr2-'));
  const backupFile = join(dir, 'voor-het-wissen.peilbackup');
  let owner: string;
  let tenantId: string;
  const tag = randomBytes(4).toString('hex');
  const ZOE = {
    email: `zoe.${tag}@dsr2.example`,
    first: `Zoewieke${tag}`,
    last: `Uniekenaam${tag}`,
    phone: '+31687654321',
    dept: `AfdelingZ${tag}`,
  };
  const OLAF = { email: `olaf.${tag}@dsr2.example`, first: `Olafje${tag}` };
  const MARK = `MARKERZOE${tag}`;
  const CONF = `VERTROUWELIJKZOE${tag}`;
  const ANON = `ANONIEMZOE${tag}`;
  const OLAF_MARK = `MARKEROLAF${tag}`;
  let zoeId = '';
  let zoeHmac = '';
  const surveys: Record<string, string> = {};

  const api = async (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    payload?: unknown,
    cookie = owner,
    headers: Record<string, string> = {},
  ) => {
    const res = await t.app.inject({
      method,
      url,
      headers: { cookie, ...headers },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return {
      status: res.statusCode,
      body: res.body && String(res.headers['content-type']).includes('json') ? res.json() : res.body,
      raw: res.rawPayload,
    };
  };
  const answer = async (surveyId: string, email: string, why: string, score = 8) => {
    const keys = await t.ctx.keyring.forTenant(tenantId);
    const inv = await t.ctx.db.tenant(tenantId, (tx) =>
      tx
        .selectFrom('invitations as i')
        .innerJoin('contacts as c', (j) =>
          j.onRef('c.tenant_id', '=', 'i.tenant_id').onRef('c.id', '=', 'i.contact_id'),
        )
        .select(['i.id', 'c.email_hmac'])
        .where('i.survey_id', '=', surveyId)
        .where('c.email_hmac', '=', keys.emailIndex(email))
        .executeTakeFirstOrThrow(),
    );
    const res = await t.app.inject({
      method: 'POST',
      url: `/s/${signedRowToken(tenantId, inv.id, (b) => keys.tokenMac(b), surveyId)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ score: String(score), why, lang: 'nl' }).toString(),
    });
    assert.equal(res.statusCode, 303, res.body);
    return inv.id;
  };
  const survey = async (name: string, anonymity: 'identified' | 'confidential' | 'anonymous') => {
    const s = await api('POST', '/api/v1/surveys', {
      name,
      anonymity,
      ...(anonymity === 'identified' ? {} : { minGroupSize: 3 }),
    });
    assert.equal(s.status, 201, JSON.stringify(s.body));
    assert.equal((await api('POST', `/api/v1/surveys/${s.body.id}/distributions`, { all: true })).status, 202);
    return s.body.id as string;
  };

  before(async () => {
    ({ handle, drop } = await freshDatabase());
    t = await appOnDatabase(handle, master, overrides, { closeHandle: false });
    ({ ownerCookie: owner, tenantId } = await setUp(t));
    await api('POST', '/api/v1/profile-fields', { key: 'afdeling', type: 'text', label: { nl: 'Afdeling' } });
    assert.equal(
      (
        await importCsv(
          t,
          owner,
          `email;voornaam;achternaam;taal;custom:afdeling\n${ZOE.email};${ZOE.first};${ZOE.last};nl;${ZOE.dept}\n${OLAF.email};${OLAF.first};Ander;nl;Inkoop\n`,
        )
      ).statusCode,
      200,
    );
    zoeId = (await api('GET', `/api/v1/contacts?email=${encodeURIComponent(ZOE.email)}`)).body.contacts[0].id;
    zoeHmac = (await t.ctx.keyring.forTenant(tenantId)).emailIndex(ZOE.email).toString('hex');
    assert.equal((await api('POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:9/crm' })).status, 201);

    surveys.identified = await survey('Identificeerbaar', 'identified');
    surveys.confidential = await survey('Vertrouwelijk', 'confidential');
    surveys.anonymous = await survey('Anoniem', 'anonymous');
    // Every invitation mail is in the outbox before anything else happens: a send job still in flight
    // when the erasure runs would write its mail afterwards (with SMTP it would have left already; the
    // README names this limit of the built-in outbox).
    await eventually(
      async () =>
        (
          await t.ctx.db.tenant(tenantId, (tx) =>
            tx.selectFrom('invitations').select('id').where('status', '=', 'queued').execute(),
          )
        ).length === 0,
      30_000,
      'the invitations sent',
    );
    const zoeInvitation = await answer(surveys.identified, ZOE.email, MARK, 9);
    await answer(surveys.identified, OLAF.email, OLAF_MARK, 4);
    await answer(surveys.confidential, ZOE.email, CONF);
    await answer(surveys.anonymous, ZOE.email, ANON);
    // A label correction keeps Zoë's text as a training example.
    const state = (await api('GET', '/api/v1/labelling')).body;
    assert.equal(
      (await api('POST', '/api/v1/labelling/activate', { termsVersion: state.terms.version, acceptTerms: true }))
        .status,
      200,
    );
    const zoeResponse = await t.ctx.db.tenant(tenantId, (tx) =>
      tx
        .selectFrom('responses')
        .select('id')
        .where('contact_id', '=', zoeId)
        .where('survey_id', '=', surveys.identified!)
        .executeTakeFirstOrThrow(),
    );
    assert.equal(
      (await api('PUT', `/api/v1/responses/${zoeResponse.id}/labels`, { labels: ['service'], sentiment: 'positive' }))
        .status,
      200,
    );
    // A correction (a sealed before/after image in the log), and an idempotent API call that stored its answer.
    assert.equal((await api('PATCH', `/api/v1/contacts/${zoeId}`, { phone: ZOE.phone })).status, 200);
    assert.equal(
      (
        await api('POST', '/api/v1/contacts', { email: ZOE.email, lastName: ZOE.last }, owner, {
          'idempotency-key': `zoe-${tag}`,
        })
      ).status,
      200,
    );
    // Zoë asks for access from her invitation and confirms (outbox mail, sealed).
    const keys = await t.ctx.keyring.forTenant(tenantId);
    const filed = await t.app.inject({
      method: 'POST',
      url: invitationRequestPath(keys, tenantId, zoeInvitation),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'kind=access&lang=nl&message=Wat+weten+jullie+van+mij',
    });
    assert.equal(filed.statusCode, 200, filed.body);
    const confirm = await eventually(async () =>
      (await api('GET', '/api/v1/outbox?limit=200')).body.messages.find(
        (m: { to: string; kind: string }) => m.to === ZOE.email && m.kind === 'request-confirmation',
      ),
    );
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: new URL(/http:\/\/peil\.test\/r\/c\/\S+/.exec(confirm.text)![0]).pathname,
        })
      ).statusCode,
      200,
    );
    // The webhook dispatcher has turned both identified answers into deliveries.
    await eventually(
      async () =>
        Number(
          (await sql<{ n: number }>`SELECT count(*)::int AS n FROM webhook_deliveries`.execute(handle.kysely)).rows[0]!
            .n,
        ) >= 2,
      20_000,
      'webhook deliveries',
    );
  });
  after(async () => {
    await t.close();
    await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Every table of the catalog (information_schema: public, pg-boss, anything), every row as JSON text:
   * a finding for each clear trace of Zoë, and for each sealed value (bytea, base64 text, contact
   * images) that still opens with the customer's key and holds her. The contact id is allowed where it
   * is the pseudonym (log subject, tombstone, the request's record), her blind index only as the
   * suppression fingerprint (suppressions, tombstone, request).
   */
  async function traces(): Promise<string[]> {
    const tables = (
      await sql<{
        s: string;
        n: string;
      }>`SELECT table_schema AS s, table_name AS n FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`.execute(
        handle.kysely,
      )
    ).rows;
    assert.ok(tables.length > 40, `${tables.length} tables`);
    const keys = await t.ctx.keyring.forTenant(tenantId);
    const clear = [ZOE.email, ZOE.first, ZOE.last, ZOE.phone, ZOE.dept, MARK, CONF, 'Wat weten jullie van mij'].map(
      (x) => x.toLowerCase(),
    );
    const idOk = new Set(['public.audit_events', 'public.erasure_tombstones', 'public.data_subject_requests']);
    const hmacOk = new Set(['public.suppressions', 'public.erasure_tombstones', 'public.data_subject_requests']);
    const found: string[] = [];
    const images: Array<{ table: string; value: string }> = [];
    const opened = (table: string, text: string) => {
      const lower = text.toLowerCase();
      for (const c of clear)
        if (lower.includes(c)) found.push(`${table}: a sealed value that still opens holds "${c}"`);
      if (lower.includes(zoeId)) found.push(`${table}: a sealed value that still opens names the contact id`);
    };
    const walk = (table: string, v: unknown) => {
      if (typeof v === 'string') {
        let blob: Buffer | null = null;
        if (/^\\x[0-9a-f]{40,}$/.test(v)) blob = Buffer.from(v.slice(2), 'hex');
        else if (v.startsWith('ck1.')) images.push({ table, value: v });
        else if (/^[A-Za-z0-9+/]{40,}={0,2}$/.test(v)) blob = Buffer.from(v, 'base64');
        if (blob) {
          try {
            opened(table, keys.open(blob));
          } catch {
            // not sealed with this customer's key (a hash, another key, another customer)
          }
        }
      } else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(table, x);
    };
    for (const { s, n } of tables) {
      const table = `${s}.${n}`;
      const rows = (
        await sql<{ j: string }>`SELECT row_to_json(x)::text AS j FROM ${sql.table(table)} x`.execute(handle.kysely)
      ).rows;
      for (const { j } of rows) {
        const lower = j.toLowerCase();
        for (const c of clear) if (lower.includes(c)) found.push(`${table}: "${c}" in clear`);
        if (lower.includes(zoeId) && !idOk.has(table)) found.push(`${table}: the contact id`);
        if (lower.includes(zoeHmac) && !hmacOk.has(table)) found.push(`${table}: the blind index`);
        walk(table, JSON.parse(j));
      }
    }
    await t.ctx.db.tenant(tenantId, async (tx) => {
      const ik = await imageKeysFor(
        tx,
        tenantId,
        keys,
        images.map((i) => i.value),
      );
      for (const i of images) {
        const image = ik.open(i.value);
        if (image)
          opened(
            i.table,
            JSON.stringify(image) +
              JSON.stringify(
                Object.values(image.contact).map((v) =>
                  v && typeof v === 'object' && 'b64' in v
                    ? (() => {
                        try {
                          return keys.open(Buffer.from(String((v as { b64: string }).b64), 'base64'));
                        } catch {
                          return '';
                        }
                      })()
                    : v,
                ),
              ),
          );
      }
    });
    return [...new Set(found)];
  }

  test('DSR-2 the export holds all of the person and nothing of another contact, as JSON and as a ZIP of CSV files, and says what anonymous and confidential surveys hide and why', async () => {
    const res = await api('GET', `/api/v1/contacts/${zoeId}/export?format=json`);
    assert.equal(res.status, 200);
    const e = typeof res.body === 'string' ? JSON.parse(res.body) : res.body;
    const text = JSON.stringify(e);
    assert.equal(e.contact.email, ZOE.email);
    assert.equal(e.contact.phone, ZOE.phone);
    assert.deepEqual(
      e.profile.map((p: { value: unknown }) => p.value),
      [ZOE.dept],
    );
    assert.equal(e.invitations.length, 3);
    assert.ok(text.includes(MARK), 'the identified answer with its text');
    assert.equal(e.responses.length, 1);
    assert.deepEqual(e.labels[0].labels.length > 0, true);
    assert.deepEqual(
      e.confidential.map((c: { survey: string; answers: number }) => [c.survey, c.answers]),
      [['Vertrouwelijk', 1]],
    );
    assert.ok(!text.includes(CONF), 'a confidential answer is counted, not shown to staff');
    assert.ok(!text.includes(ANON), 'an anonymous answer is linked to nobody: not found');
    const anonInvitation = e.invitations.find((i: { anonymity: string }) => i.anonymity === 'anonymous');
    assert.equal(anonInvitation.answered, true);
    assert.equal(anonInvitation.answeredAt, null, 'no time of an anonymous answer');
    assert.equal(e.requests.length, 1);
    assert.ok(e.audit.some((a: { action: string }) => a.action === 'contact.updated'));
    assert.ok(!text.includes('"sealed"'), 'no sealed images');
    assert.match(e.notes.anonymous.nl, /niets koppelt het aan de persoon/);
    assert.match(e.notes.confidential.en, /minimum group size/);
    for (const other of [OLAF.email, OLAF.first, OLAF_MARK])
      assert.ok(!text.includes(other), `nothing of Olaf: ${other}`);

    const zip = await api('GET', `/api/v1/contacts/${zoeId}/export?format=csv`);
    assert.equal(zip.status, 200);
    const files = unzipSync(new Uint8Array(zip.raw));
    assert.deepEqual(Object.keys(files).sort(), [
      'README.txt',
      'answers.csv',
      'audit.csv',
      'confidential.csv',
      'contact.csv',
      'follow-ups.csv',
      'invitations.csv',
      'labels.csv',
      'profile.csv',
      'requests.csv',
      'suppressions.csv',
    ]);
    assert.ok(strFromU8(files['contact.csv']!).includes(ZOE.email));
    assert.ok(strFromU8(files['answers.csv']!).includes(MARK));
    assert.ok(strFromU8(files['README.txt']!).includes('cannot be found, exported or erased individually'));
    assert.ok(!Object.values(files).some((f) => strFromU8(f).includes(OLAF.email) || strFromU8(f).includes(OLAF_MARK)));
    const log = (await api('GET', '/api/v1/audit?action=contact.exported')).body.entries;
    assert.equal(log.length, 2);
  });

  test('DSR-2 viewers, admins and another customer cannot export or erase; the preview names what will be removed', async () => {
    const viewer = await addColleague(t, owner, `viewer.${tag}@dsr2.test`, 'viewer');
    const admin = await addColleague(t, owner, `admin.${tag}@dsr2.test`, 'admin');
    const b = await newCustomer(t, await operatorCookie(t));
    for (const cookie of [viewer, admin]) {
      assert.equal((await api('POST', `/api/v1/contacts/${zoeId}/erasure`, undefined, cookie)).status, 403);
      assert.equal((await api('GET', `/api/v1/contacts/${zoeId}/export`, undefined, cookie)).status, 403);
    }
    assert.equal((await api('POST', `/api/v1/contacts/${zoeId}/erasure`, undefined, b.cookie)).status, 404);
    assert.equal((await api('GET', `/api/v1/contacts/${zoeId}/export`, undefined, b.cookie)).status, 404);
    const preview = await api('GET', `/api/v1/contacts/${zoeId}/erasure`);
    assert.deepEqual(preview.body, {
      contact: true,
      invitations: 3,
      responses: 2,
      requests: 1,
      logImagesUnreadable: 2,
    });
    assert.equal(
      (await api('GET', `/api/v1/contacts?email=${encodeURIComponent(ZOE.email)}`)).body.contacts.length,
      1,
      'still there',
    );
  });

  test('DSR-2 after erasure no table holds a trace of the person but the suppression fingerprint; the chain verifies; a re-import is suppressed; an older backup restored afterwards does not bring the person back', async () => {
    // The request is answered (access: the export above), then the owner erases the person.
    const reqId = (await api('GET', '/api/v1/requests')).body.requests[0].id;
    assert.equal((await api('POST', `/api/v1/requests/${reqId}/decision`, { decision: 'done' })).status, 204);
    await backupDatabase(handle, master, backupFile);
    assert.ok((await traces()).length > 10, 'the scan finds her before the erasure');

    const erased = await api('POST', `/api/v1/contacts/${zoeId}/erasure`);
    assert.equal(erased.status, 200, JSON.stringify(erased.body));
    assert.equal(erased.body.responses, 2);
    assert.ok(erased.body.outbox >= 3, `outbox ${erased.body.outbox}`);
    assert.equal(erased.body.idempotencyRecords, 1);
    assert.equal(erased.body.webhookDeliveries, 1);
    assert.deepEqual(await traces(), []);
    // What stays, and why: Olaf untouched; the anonymous answer, linked to nobody; the address suppressed.
    assert.equal(
      (await api('GET', `/api/v1/contacts?email=${encodeURIComponent(OLAF.email)}`)).body.contacts.length,
      1,
    );
    const anon = await t.ctx.db.tenant(tenantId, (tx) =>
      tx
        .selectFrom('responses')
        .select(['contact_id', 'invitation_id'])
        .where('survey_id', '=', surveys.anonymous!)
        .execute(),
    );
    assert.deepEqual(anon, [{ contact_id: null, invitation_id: null }]);
    const supp = (await api('GET', '/api/v1/suppressions')).body.suppressions as Array<{
      email: string | null;
      reason: string;
    }>;
    assert.ok(supp.some((s) => s.reason === 'erased' && s.email === null));
    assert.equal((await api('GET', `/api/v1/contacts/${zoeId}/export`)).status, 404, 'nothing left to export');
    // The log: a pseudonym, images that no longer open, no undo, and the chain verifies.
    const entries = (await api('GET', `/api/v1/audit?subject=contact:${zoeId}&limit=100`)).body.entries as Array<{
      action: string;
      before?: unknown;
      restorable: boolean;
      sealedUnreadable?: boolean;
    }>;
    assert.ok(entries.some((e) => e.action === 'contact.erased'));
    const updated = entries.find((e) => e.action === 'contact.updated')!;
    assert.equal(updated.before, undefined);
    assert.equal(updated.sealedUnreadable, true);
    const verified = await api('POST', '/api/v1/audit/verification', {});
    assert.equal(verified.body.ok, true, JSON.stringify(verified.body));

    // A re-import brings a new contact with the address, which gets no mail (suppressed by blind index).
    assert.equal((await importCsv(t, owner, `email;voornaam\n${ZOE.email};Opnieuw\n`)).statusCode, 200);
    const s = await api('POST', '/api/v1/surveys', { name: 'Na het wissen' });
    const d = await api('POST', `/api/v1/surveys/${s.body.id}/distributions`, { all: true });
    assert.equal(d.body.skippedBy.suppressed, 1, JSON.stringify(d.body));
    const again = (await api('GET', `/api/v1/contacts?email=${encodeURIComponent(ZOE.email)}`)).body.contacts[0].id;
    assert.equal((await api('POST', `/api/v1/contacts/${again}/erasure`)).status, 200);

    // The attack: the older backup, taken before the erasure, restored over the database.
    await t.close();
    const r = await restoreDatabase(handle, master, backupFile, { force: true });
    assert.equal(r.erasuresReapplied, 2);
    t = await appOnDatabase(handle, master, overrides, { closeHandle: false });
    owner = await signIn(t, OWNER.email, OWNER.password);
    assert.equal(
      (await api('GET', `/api/v1/contacts?email=${encodeURIComponent(ZOE.email)}`)).body.contacts.length,
      0,
      'not back',
    );
    assert.deepEqual(await traces(), []);
    assert.equal((await api('POST', '/api/v1/audit/verification', {})).body.ok, true);
  });
});

/**
 * DSR-2 without the database restored over: the erasure tombstones travel in the key export, so an
 * older backup restored onto an EMPTY database (the server is gone) does not bring the person back.
 */
describe('DSR-2 an erasure survives a restore onto an empty database', () => {
  let t: TestApp;
  let handle: DatabaseHandle;
  let drop: () => Promise<void>;
  const master = new MasterKey(randomBytes(32));
  const dir = mkdtempSync(join(tmpdir(), 'peil-dsr2-empty-'));
  const tag = randomBytes(4).toString('hex');
  const ZOE = { email: `zoe.${tag}@leeg.example`, first: `Zoewieke${tag}` };
  const OLAF = { email: `olaf.${tag}@leeg.example`, first: `Olafje${tag}` };
  const MARK = `MARKERZOE${tag}`;
  const OLAF_MARK = `MARKEROLAF${tag}`;
  let owner: string;
  let tenantId: string;

  before(async () => {
    ({ handle, drop } = await freshDatabase());
    t = await appOnDatabase(handle, master, {}, { closeHandle: false });
    ({ ownerCookie: owner, tenantId } = await setUp(t));
  });
  after(async () => {
    await t.close();
    await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The person's traces in contacts, responses and the outbox of a database, every sealed value opened. */
  async function traces(app: TestApp): Promise<{ zoe: string[]; olaf: string[] }> {
    const keys = await app.ctx.keyring.forTenant(tenantId);
    const open = (b: Buffer | null) => (b ? keys.open(b) : '');
    const texts = await app.ctx.db.tenant(tenantId, async (tx) => {
      const out: Array<[string, string]> = [];
      for (const c of await tx.selectFrom('contacts').select(['id', 'email_enc', 'first_name_enc']).execute())
        out.push(['contacts', `${c.id} ${open(c.email_enc)} ${open(c.first_name_enc)}`]);
      for (const r of await tx.selectFrom('responses').select(['contact_id', 'answers_enc']).execute())
        out.push(['responses', `${r.contact_id} ${open(r.answers_enc)}`]);
      for (const m of await tx.selectFrom('outbox').select(['message_enc']).execute())
        out.push(['outbox', JSON.stringify(keys.openJson<unknown>(m.message_enc))]);
      return out;
    });
    const find = (needles: string[]) =>
      texts
        .filter(([, text]) => needles.some((n) => text.toLowerCase().includes(n.toLowerCase())))
        .map(([table]) => table);
    return { zoe: find([ZOE.email, ZOE.first, MARK]), olaf: find([OLAF.email, OLAF.first, OLAF_MARK]) };
  }

  async function restoreOnto(backupFile: string, doc: KeyExport, name: string) {
    const target = await emptyDatabase();
    const r = await restoreDatabase(target.handle, master, backupFile, { keys: keySourceOfExport(doc, name) });
    const app = await appOnDatabase(target.handle, master);
    return {
      r,
      app,
      async done() {
        await app.close();
        await target.drop();
      },
    };
  }

  test('DSR-2 a person erased after a backup stays erased when that backup is restored onto an empty database with the key export made after the erasure; an export of version 1 (no erasures) is still read, and without the tombstones she would be back', async () => {
    const api = async (method: 'GET' | 'POST', url: string, payload?: object, cookie = owner) => {
      const res = await t.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
      return { status: res.statusCode, body: res.json() };
    };
    assert.equal(
      (await importCsv(t, owner, `email;voornaam;taal\n${ZOE.email};${ZOE.first};nl\n${OLAF.email};${OLAF.first};nl\n`))
        .statusCode,
      200,
    );
    const zoeId = (await api('GET', `/api/v1/contacts?email=${encodeURIComponent(ZOE.email)}`)).body.contacts[0]
      .id as string;
    const s = await api('POST', '/api/v1/surveys', { name: 'Voor het wissen' });
    assert.equal((await api('POST', `/api/v1/surveys/${s.body.id}/distributions`, { all: true })).status, 202);
    const keys = await t.ctx.keyring.forTenant(tenantId);
    for (const [email, why] of [
      [ZOE.email, MARK],
      [OLAF.email, OLAF_MARK],
    ] as const) {
      const inv = await eventually(() =>
        t.ctx.db.tenant(tenantId, (tx) =>
          tx
            .selectFrom('invitations as i')
            .innerJoin('contacts as c', (j) =>
              j.onRef('c.tenant_id', '=', 'i.tenant_id').onRef('c.id', '=', 'i.contact_id'),
            )
            .select('i.id')
            .where('c.email_hmac', '=', keys.emailIndex(email))
            .executeTakeFirst(),
        ),
      );
      const res = await t.app.inject({
        method: 'POST',
        url: `/s/${signedRowToken(tenantId, inv.id, (b) => keys.tokenMac(b), s.body.id)}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ score: '8', why, lang: 'nl' }).toString(),
      });
      assert.equal(res.statusCode, 303, res.body);
    }
    await eventually(async () => (await traces(t)).zoe.includes('outbox'), 20_000, 'the invitation mail to Zoë');
    const before = await traces(t);
    assert.deepEqual(
      [...new Set(before.zoe)].sort(),
      ['contacts', 'outbox', 'responses'],
      'the scan finds her before the erasure',
    );

    const oldBackup = join(dir, 'voor-het-wissen.peilbackup');
    await backupDatabase(handle, master, oldBackup);
    assert.equal((await api('POST', `/api/v1/contacts/${zoeId}/erasure`)).status, 200);
    assert.deepEqual((await traces(t)).zoe, []);

    // The key export made after the erasure holds her tombstone, by pseudonym and blind index only.
    const keysFile = join(dir, 'na-het-wissen.peilkeys');
    await writeKeyExport(t.ctx.db, master, keysFile);
    const doc = await readKeyExport(keysFile, [master]);
    assert.equal(doc.version, 2);
    assert.deepEqual(
      doc.erasures.map((e) => [e.tenantId, e.contactId, e.emailHmac]),
      [[tenantId, zoeId, keys.emailIndex(ZOE.email).toString('base64')]],
    );
    const plain = JSON.stringify(doc).toLowerCase();
    for (const clear of [ZOE.email, ZOE.first, MARK])
      assert.ok(!plain.includes(clear.toLowerCase()), `nothing of her in clear in the key export: ${clear}`);

    // The attack: the old backup onto an empty database (nothing restored over, no tombstones there).
    const restored = await restoreOnto(oldBackup, doc, 'na-het-wissen.peilkeys');
    try {
      assert.equal(restored.r.wiped, true);
      assert.equal(restored.r.erasuresReapplied, 1);
      const found = await traces(restored.app);
      assert.deepEqual(found.zoe, [], `she is not back: ${found.zoe.join(', ')}`);
      assert.ok(found.olaf.includes('contacts') && found.olaf.includes('responses'), 'Olaf is restored');
      const cookie = await signIn(restored.app, OWNER.email, OWNER.password);
      const get = (url: string) => restored.app.app.inject({ method: 'GET', url, headers: { cookie } });
      assert.equal((await get(`/api/v1/contacts?email=${encodeURIComponent(ZOE.email)}`)).json().contacts.length, 0);
      assert.equal((await get(`/api/v1/contacts/${zoeId}`)).statusCode, 404);
      const entries = (await get(`/api/v1/audit?subject=contact:${zoeId}&limit=100`)).json().entries as Array<{
        action: string;
      }>;
      assert.ok(
        entries.some((e) => e.action === 'contact.erased'),
        'the erasure applied again is in the log',
      );
      const verified = await restored.app.app.inject({
        method: 'POST',
        url: '/api/v1/audit/verification',
        headers: { cookie },
        payload: {},
      });
      assert.equal(verified.json().ok, true, verified.body);
    } finally {
      await restored.done();
    }

    // A key export of version 1 (made before DSR-2) is still read, as holding no erasures: with it
    // the same restore brings her back, which is what the tombstones in version 2 prevent.
    const v1File = join(dir, 'versie-1.peilkeys');
    const { erasures: _ignored, ...rest } = doc;
    await pipeline(
      Readable.from([Buffer.from(JSON.stringify({ ...rest, version: 1 }))]),
      new EncryptStream(master, 'keys'),
      createWriteStream(v1File),
    );
    const v1 = await readKeyExport(v1File, [master]);
    assert.equal(v1.version, 1);
    assert.deepEqual(v1.erasures, []);
    const without = await restoreOnto(oldBackup, v1, 'versie-1.peilkeys');
    try {
      assert.equal(without.r.erasuresReapplied, 0);
      assert.ok(
        (await traces(without.app)).zoe.includes('contacts'),
        'without the tombstones the old backup brings her back',
      );
    } finally {
      await without.done();
    }
  });
});
