import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { SMTPServer } from 'smtp-server';
import {
  appOnDatabase,
  dbKind,
  eventually,
  injectLikeTheAdminApp,
  emptyDatabase,
  freshDatabase,
  importCsv,
  operatorCookie,
  setUp,
  signIn,
  OWNER,
  type TestApp,
} from '../../../test/harness.js';
import { buildApp } from '../../app.js';
import type { DatabaseHandle } from '../../lib/db/connect.js';
import type { Tx } from '../../lib/db/db.js';
import { DecryptStream, EncryptStream } from '../../lib/crypto/file-stream.js';
import { signedRowToken } from '../../lib/tokens.js';
import { checkMasterKey, Keyring, MasterKey, TenantKeys } from '../../lib/crypto/keyring.js';
import { signerOf } from '../../lib/crypto/signing.js';
import { tenantIds, verifyTenant } from '../audit/chain.js';
import { checkpointAll } from '../audit/maintenance.js';
import { backupDatabase, type BackupHeader } from '../backup/backup.js';
import { keySourceOfExport, restoreDatabase } from '../backup/restore.js';
import { SectionOpener } from '../backup/sections.js';
import { eraseTenantKey } from './erase.js';
import { ERASED, KEPT } from './scrub.js';
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
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/operator/tenants',
      headers: { cookie: op },
      payload: { name: 'Twee', slug: 'twee', owner: { ...TWEE, name: 'Twee' } },
    });
    tweeId = res.json().tenantId;
    assert.equal((await importCsv(t, ownerCookie, 'email;voornaam\nanne@example.nl;Anne\n')).statusCode, 200);
    const twee = await signIn(t, TWEE.email, TWEE.password);
    assert.equal(
      (await importCsv(t, twee, 'email;voornaam;achternaam\nzoe@twee.nl;Zoë;Geheim\nyara@twee.nl;Yara;Verborgen\n'))
        .statusCode,
      200,
    );
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
    assert.deepEqual(
      { tenantKeys: r.tenantKeys, from: r.fromKeyId, to: r.toKeyId },
      { tenantKeys: 2, from: master.id, to: next.id },
    );
    assert.ok(r.checkpoints >= 2);
    const afterRows = await t.ctx.db.handle.kysely.selectFrom('tenant_keys').selectAll().orderBy('tenant_id').execute();
    for (const [i, k] of afterRows.entries()) {
      assert.equal(k.master_key_id, next.id);
      assert.equal(k.previous_master_key_id, master.id, 'the old key id is kept for reference');
      assert.ok(!k.wrapped_key!.equals(before[i]!.wrapped_key!));
    }
    assert.equal((await t.ctx.db.handle.kysely.selectFrom('master_key_rotations').selectAll().execute()).length, 1);

    // A start with the old key stops with a message that names both keys.
    await assert.rejects(
      checkMasterKey(t.ctx.db, master),
      (err: Error) =>
        err.message.includes(master.id) && err.message.includes(next.id) && /PEIL_MASTER_KEY/.test(err.message),
    );
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
      assert.ok(
        (
          await t.ctx.db.tenant(tenant.id, (tx) =>
            tx.selectFrom('audit_events').select('id').where('action', '=', 'tenant.key_rewrapped').execute(),
          )
        ).length === 1,
      );
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
    const tweeKey = (
      await t.ctx.db.handle.kysely
        .selectFrom('tenant_keys')
        .select('wrapped_key')
        .where('tenant_id', '=', tweeId)
        .executeTakeFirstOrThrow()
    ).wrapped_key!;

    const twee = await signIn(t, TWEE.email, TWEE.password);
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/api/v1/contacts', headers: { cookie: twee } })).statusCode,
      200,
    );
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
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/api/v1/contacts', headers: { cookie: one } })).json().contacts[0]
        .email,
      'anne@example.nl',
    );

    // The backup made before holds no customer key: not the erased one, not any.
    const plain: Buffer[] = [];
    const stream = createReadStream(backupFile)
      .pipe(new DecryptStream([master], 'backup'))
      .pipe(createGunzip());
    for await (const c of stream) plain.push(c as Buffer);
    const text = Buffer.concat(plain).toString('utf8');
    assert.ok(text.includes('"wrapped_key":null'));
    assert.ok(!text.includes(tweeKey.toString('hex')), 'the erased key is not in the backup');

    // Restore that backup into a fresh database with the current master key and the key export made
    // after the erasure (as the README tells the operator): the other customer's data is back; of the
    // erased customer only its global rows (tenants, tenant_keys with the key destroyed).
    const afterKeys = await writeKeyExport(t.ctx.db, master, join(dir, 'after.keys'));
    assert.deepEqual(
      afterKeys.keys.map((k) => k.slug),
      ['zorggroep'],
    );
    const target = await emptyDatabase();
    const r = await restoreDatabase(target.handle, master, backupFile, {
      keys: keySourceOfExport(await readKeyExport(join(dir, 'after.keys'), [master]), 'after.keys'),
    });
    assert.deepEqual(r.tenants.find((x) => x.id === tweeId)?.readable, false);
    const restored = await appOnDatabase(target.handle, master);
    try {
      const cookie = await signIn(restored, OWNER.email, OWNER.password);
      assert.equal(
        (await restored.app.inject({ method: 'GET', url: '/api/v1/contacts', headers: { cookie } })).json().contacts[0]
          .email,
        'anne@example.nl',
      );
      // The erased customer's people cannot even sign in there: none of its rows came back.
      const gone = await restored.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: TWEE });
      assert.equal(gone.statusCode, 401, gone.body);
      const rows = await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM contacts WHERE tenant_id = ${tweeId}`.execute(restored.ctx.db.handle.kysely);
      assert.equal(rows.rows[0]!.n, 0, 'no row of the erased customer');
      const key = await restored.ctx.db.handle.kysely
        .selectFrom('tenant_keys')
        .selectAll()
        .where('tenant_id', '=', tweeId)
        .executeTakeFirstOrThrow();
      assert.equal(key.wrapped_key, null);
      const text2 = (
        await sql<{ r: string }>`SELECT string_agg(row_to_json(c)::text, ' ') AS r FROM contacts c`.execute(
          restored.ctx.db.handle.kysely,
        )
      ).rows[0]!.r;
      for (const clear of ['zoe', 'Geheim', 'Verborgen', 'twee.nl']) assert.ok(!text2.includes(clear));
    } finally {
      await restored.close();
      await target.drop();
    }
  });
});

/**
 * OBLIGATIONS SEC-1, written as the attacks of an operator who holds every key there still is after
 * `peil tenant erase-key`: the master key, the current key export, the other customers' keys, an
 * old backup, and a Peil process that had the erased key in its cache.
 */
describe(`SEC-1 erasure reaches every copy (${dbKind})`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'peil-erasure-'));
  const master = new MasterKey(randomBytes(32));
  const oldBackup = join(dir, 'old.backup');
  const BOUNCED = 'zoe@twee.nl';
  const BOUNCE_REPLY = `5.1.1 <${BOUNCED}>: Recipient address rejected: User unknown in virtual mailbox table`;
  /** What the erased customer's people told Peil, or Peil learned about them; none of it may be readable afterwards. */
  const TWEE_CLEAR = [
    'zoe@twee.nl',
    'yara@twee.nl',
    'xander@twee.nl',
    'Zoë',
    'Geheim',
    'Verborgen',
    '1971-03-14',
    '1985-11-30',
    '1990-07-04',
    'Teamleider Nachtdienst',
    'Specialist Wondzorg',
    'Recipient address rejected',
    'Slecht geslapen door de pijn',
    'belde zelf',
    'twee@example.nl',
    'Twee Eigenaar',
    'Stale Functie',
    '2002-02-02',
  ];
  /** The erased customer's answer options: in its survey's definition (its configuration, kept live), and in its answers. */
  const TWEE_OPTIONS = ['pijnbestrijding', 'nachtrust'];
  /** The other customer's values kept in clear (profile, function, a closed answer). */
  const ZORG_CLEAR = ['Verpleegkundige Dagdienst', '1980-01-31', 'wachttijd'];
  let smtp: SMTPServer;
  let db: { handle: DatabaseHandle; drop: () => Promise<void> };
  let t: TestApp;
  let zorgId: string;
  let tweeId: string;
  let tweeCookie: string;
  let tweeSurvey: string;
  let willemInvitation: string;
  let tweeKeysBefore: TenantKeys;
  let zorgSnapshot: {
    contacts: unknown;
    responses: Array<{ id: string; score: number | null; answers: unknown; sealed: unknown }>;
  };
  let stale: FastifyInstance;

  const definition = (options: string[]) => ({
    questions: [
      {
        id: 'score',
        type: 'nps',
        required: true,
        text: { nl: 'Zou je ons aanbevelen?', en: 'Would you recommend us?' },
      },
      {
        id: 'reden',
        type: 'single',
        required: false,
        text: { nl: 'Waar ging het om?', en: 'What was it about?' },
        options: options.map((o) => ({ value: o, label: { nl: o, en: o } })),
      },
      { id: 'cijfer', type: 'rating', required: false, min: 1, max: 10, text: { nl: 'Rapportcijfer', en: 'Grade' } },
      { id: 'why', type: 'text', required: false, maxLength: 500, text: { nl: 'Toelichting', en: 'Explanation' } },
    ],
    invitation: { subject: { nl: 'Je mening', en: 'Your opinion' }, body: { nl: 'Beste {naam}', en: 'Dear {name}' } },
    thanks: { nl: 'Bedankt!', en: 'Thank you!' },
  });

  /** A customer with typed profile values, gender and function, a survey with closed answers, mail sent over SMTP. */
  async function fill(
    cookie: string,
    tenantId: string,
    contacts: Array<Record<string, unknown>>,
    options: string[],
    answers: Array<{ email: string; form: Record<string, string> }>,
  ): Promise<string> {
    const api = (method: 'POST', url: string, payload: unknown) =>
      t.app.inject({ method, url, headers: { cookie }, payload: payload as Record<string, unknown> });
    assert.equal(
      (
        await api('POST', '/api/v1/profile-fields', {
          key: 'geboortedatum',
          type: 'date',
          label: { nl: 'Geboortedatum', en: 'Date of birth' },
        })
      ).statusCode,
      201,
    );
    for (const c of contacts) {
      const r = await api('POST', '/api/v1/contacts', c);
      assert.equal(r.statusCode, 201, r.body);
    }
    const s = await api('POST', '/api/v1/surveys', { name: 'Nazorg', kind: 'custom', definition: definition(options) });
    assert.equal(s.statusCode, 201, s.body);
    const surveyId: string = s.json().id;
    const d = await api('POST', `/api/v1/surveys/${surveyId}/distributions`, { all: true });
    assert.equal(d.statusCode, 202, d.body);
    await eventually(
      async () => {
        const queued = await t.ctx.db.tenant(tenantId, (tx) =>
          tx.selectFrom('invitations').select('id').where('status', '=', 'queued').execute(),
        );
        return queued.length === 0;
      },
      30_000,
      'invitations sent',
    );
    const keys = await t.ctx.keyring.forTenant(tenantId);
    for (const a of answers) {
      const inv = await t.ctx.db.tenant(tenantId, (tx) =>
        tx
          .selectFrom('invitations as i')
          .innerJoin('contacts as c', (j) =>
            j.onRef('c.tenant_id', '=', 'i.tenant_id').onRef('c.id', '=', 'i.contact_id'),
          )
          .select('i.id')
          .where('c.email_hmac', '=', keys.emailIndex(a.email))
          .executeTakeFirstOrThrow(),
      );
      const token = signedRowToken(tenantId, inv.id, (b) => keys.tokenMac(b));
      const res = await t.app.inject({
        method: 'POST',
        url: `/s/${token}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ lang: 'nl', ...a.form }).toString(),
      });
      assert.equal(res.statusCode, 303, res.body);
    }
    return surveyId;
  }

  /** Every row of every table in every schema, as text: what a database administrator can read. */
  async function everything(handle: DatabaseHandle): Promise<string> {
    const tables = await sql<{ s: string; t: string }>`
      SELECT n.nspname AS s, c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'`.execute(
      handle.kysely,
    );
    const parts: string[] = [];
    for (const x of tables.rows) {
      const r = await sql<{
        r: string | null;
      }>`SELECT string_agg(row_to_json(x)::text, E'\n') AS r FROM ${sql.table(`${x.s}.${x.t}`)} x`.execute(
        handle.kysely,
      );
      parts.push(r.rows[0]?.r ?? '');
    }
    return parts.join('\n');
  }

  /** Tables with a column naming a customer. */
  async function tenantTables(handle: DatabaseHandle): Promise<Array<{ table: string; column: string }>> {
    return (
      await sql<{ table: string; column: string }>`
      SELECT c.relname AS table, a.attname AS column FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attname IN ('tenant_id', 'tenant') AND NOT a.attisdropped ORDER BY 1`.execute(
        handle.kysely,
      )
    ).rows;
  }

  /** The plain text a master key holder reads out of a backup file (the file's framing and the global tables). */
  async function plainText(file: string): Promise<string> {
    const parts: Buffer[] = [];
    for await (const c of createReadStream(file)
      .pipe(new DecryptStream([master], 'backup'))
      .pipe(createGunzip()))
      parts.push(c as Buffer);
    return Buffer.concat(parts).toString('utf8');
  }

  before(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      disableReverseLookup: true,
      logger: false,
      onRcptTo(address, _session, cb) {
        // A real mail server's refusal quotes the address (Postfix's "User unknown").
        if (address.address.toLowerCase() === BOUNCED)
          return cb(Object.assign(new Error(BOUNCE_REPLY), { responseCode: 550 }));
        cb();
      },
      onData(stream, _session, cb) {
        stream.on('data', () => {});
        stream.on('end', () => cb());
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
    const port = (smtp.server.address() as AddressInfo).port;
    db = await freshDatabase();
    t = await appOnDatabase(
      db.handle,
      master,
      { SMTP_URL: `smtp://127.0.0.1:${port}?starttls=false` },
      { closeHandle: false },
    );
    const setup = await setUp(t);
    zorgId = setup.tenantId;
    const op = await operatorCookie(t);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/operator/tenants',
      headers: { cookie: op },
      payload: { name: 'Twee', slug: 'twee', owner: { ...TWEE, name: 'Twee Eigenaar' } },
    });
    assert.equal(res.statusCode, 201, res.body);
    tweeId = res.json().tenantId;
    tweeCookie = await signIn(t, TWEE.email, TWEE.password);

    await fill(
      setup.ownerCookie,
      zorgId,
      [
        {
          email: 'anne@example.nl',
          firstName: 'Anne',
          gender: 'vrouw',
          function: 'Verpleegkundige Dagdienst',
          profile: { geboortedatum: '1980-01-31' },
        },
      ],
      ['wachttijd', 'prijs'],
      [{ email: 'anne@example.nl', form: { score: '8', reden: 'wachttijd', cijfer: '7', why: 'Snel geholpen' } }],
    );
    tweeSurvey = await fill(
      tweeCookie,
      tweeId,
      [
        {
          email: 'zoe@twee.nl',
          firstName: 'Zoë',
          lastName: 'Geheim',
          gender: 'vrouw',
          function: 'Teamleider Nachtdienst',
          profile: { geboortedatum: '1971-03-14' },
        },
        {
          email: 'yara@twee.nl',
          firstName: 'Yara',
          lastName: 'Verborgen',
          gender: 'vrouw',
          function: 'Specialist Wondzorg',
          profile: { geboortedatum: '1985-11-30' },
        },
        {
          email: 'xander@twee.nl',
          firstName: 'Xander',
          gender: 'man',
          function: 'Teamleider Nachtdienst',
          profile: { geboortedatum: '1990-07-04' },
        },
        { email: 'willem@twee.nl', firstName: 'Willem' },
      ],
      ['pijnbestrijding', 'nachtrust'],
      [
        {
          email: 'yara@twee.nl',
          form: { score: '3', reden: 'pijnbestrijding', cijfer: '2', why: 'Slecht geslapen door de pijn' },
        },
        { email: 'xander@twee.nl', form: { score: '9', reden: 'nachtrust', cijfer: '9' } },
      ],
    );
    // A selection by birth date (it singles one person out), and a suppression with a note.
    const sel = await t.app.inject({
      method: 'POST',
      url: `/api/v1/surveys/${tweeSurvey}/distributions`,
      headers: { cookie: tweeCookie },
      payload: {
        selection: { match: 'all', filters: [{ field: 'profile.geboortedatum', op: 'eq', value: '1985-11-30' }] },
      },
    });
    assert.equal(sel.statusCode, 202, sel.body);
    const sup = await t.app.inject({
      method: 'POST',
      url: '/api/v1/suppressions',
      headers: { cookie: tweeCookie },
      payload: { email: 'yara@twee.nl', note: 'Yara Verborgen belde zelf' },
    });
    assert.equal(sup.statusCode, 201, sup.body);

    tweeKeysBefore = await t.ctx.keyring.forTenant(tweeId);
    willemInvitation = (
      await t.ctx.db.tenant(tweeId, (tx) =>
        tx
          .selectFrom('invitations as i')
          .innerJoin('contacts as c', (j) =>
            j.onRef('c.tenant_id', '=', 'i.tenant_id').onRef('c.id', '=', 'i.contact_id'),
          )
          .select('i.id')
          .where('c.email_hmac', '=', tweeKeysBefore.emailIndex('willem@twee.nl'))
          .executeTakeFirstOrThrow(),
      )
    ).id;
    // The clear values are there before the erasure (else the attacks below would prove nothing).
    const live = await everything(t.ctx.db.handle);
    for (const v of [
      '1971-03-14',
      'Teamleider Nachtdienst',
      'pijnbestrijding',
      'Recipient address rejected',
      'belde zelf',
      'twee@example.nl',
    ])
      assert.ok(live.includes(v), `${v} is stored in clear before the erasure`);

    // A second Peil process (another server, a job runner) that loaded the key before the erasure.
    const held = new Map([[tweeId, tweeKeysBefore]]);
    class StaleKeyring extends Keyring {
      override async forTenant(id: string, tx?: Tx): Promise<TenantKeys> {
        return held.get(id) ?? super.forTenant(id, tx);
      }
    }
    stale = await buildApp({ ...t.ctx, keyring: new StaleKeyring(master, t.ctx.db) }, { startWorkers: false });
    injectLikeTheAdminApp(stale);

    const zorgKeys = await t.ctx.keyring.forTenant(zorgId);
    zorgSnapshot = {
      contacts: (
        await t.app.inject({ method: 'GET', url: '/api/v1/contacts', headers: { cookie: setup.ownerCookie } })
      ).json().contacts,
      responses: (
        await t.ctx.db.tenant(zorgId, (tx) =>
          tx.selectFrom('responses').select(['id', 'score', 'answers', 'answers_enc']).orderBy('id').execute(),
        )
      ).map((r) => ({ id: r.id, score: r.score, answers: r.answers, sealed: zorgKeys.openJson(r.answers_enc) })),
    };
    await checkpointAll(t.ctx);
    await backupDatabase(t.ctx.db.handle, master, oldBackup);
    await writeKeyExport(t.ctx.db, master, join(dir, 'before.keys'));
    const erased = await eraseTenantKey(t.ctx, 'twee', { kind: 'operator', id: null, ip: 'cli' });
    assert.ok(erased.cleared.contacts! >= 3 && erased.cleared.responses === 2, JSON.stringify(erased.cleared));
    await writeKeyExport(t.ctx.db, master, join(dir, 'after.keys'));
  });
  after(async () => {
    await stale?.close();
    await t?.close();
    await db?.handle.close();
    await db?.drop();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  test('SEC-1 every clear column of a customer table is cleared by erase-key or kept for a stated reason', async () => {
    const cols = await sql<{ table: string; column: string }>`
      SELECT c.relname AS table, a.attname AS column FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
         AND (c.relrowsecurity OR EXISTS (SELECT 1 FROM pg_attribute t WHERE t.attrelid = c.oid AND t.attname = 'tenant_id'))
         AND c.relname NOT IN ('tenant_keys', 'sessions')
         AND format_type(a.atttypid, a.atttypmod) NOT IN ('uuid', 'bytea', 'boolean', 'timestamp with time zone')
       ORDER BY 1, 2`.execute(t.ctx.db.handle.kysely);
    const undecided = cols.rows
      .filter((c) => !ERASED[c.table]?.[c.column] && !KEPT[c.table]?.[c.column])
      .map((c) => `${c.table}.${c.column}`);
    assert.deepEqual(
      undecided,
      [],
      'a clear column nobody decided on: add it to ERASED (and scrubTenant) or KEPT in features/keys/scrub.ts',
    );
    const both = cols.rows
      .filter((c) => ERASED[c.table]?.[c.column] && KEPT[c.table]?.[c.column])
      .map((c) => `${c.table}.${c.column}`);
    assert.deepEqual(both, []);
  });

  test('SEC-1 an old backup restored with the master key and the current key export shows nothing of the erased customer; every key the operator holds fails on its sections; the other customer comes back intact', async () => {
    // 1. The backup file with the master key alone: the framing and the global tables, no customer row.
    const text = await plainText(oldBackup);
    for (const v of [...TWEE_CLEAR, ...TWEE_OPTIONS, ...ZORG_CLEAR])
      assert.ok(!text.includes(v), `"${v}" readable with the master key alone`);
    const lines = text.split('\n').filter(Boolean);
    const header = JSON.parse(lines[0]!) as BackupHeader;
    assert.equal(header.version, 2);
    const salt = Buffer.from(header.sectionSalt!, 'base64');
    // Every key there still is: the master key and what it derives, the other customer's data key
    // (from the current key export) and what that derives.
    const exported = await readKeyExport(join(dir, 'after.keys'), [master]);
    assert.deepEqual(
      exported.keys.map((k) => k.tenantId),
      [zorgId],
    );
    const zorgKeys = new TenantKeys(zorgId, master.unwrap(Buffer.from(exported.keys[0]!.wrappedKey, 'base64'), zorgId));
    const candidates = [
      master.key,
      master.derive('backup'),
      master.derive('file/backup', salt),
      master.derive('backup/sections', salt),
      zorgKeys.backupKey(salt),
      zorgKeys.backupKey(Buffer.alloc(0)),
    ];
    // One opener per key, used on every block in file order, so each attempt has the right nonce.
    const attempts = candidates.map((key) => new SectionOpener(tweeId, Buffer.from(key)));
    const withOldExport = new SectionOpener(tweeId, tweeKeysBefore.backupKey(salt));
    let section: { table: string; tenant: string | null } | null = null;
    let index = 0;
    let blocks = 0;
    const opened: string[] = [];
    for (const line of lines.slice(1)) {
      if (!section) {
        const s = JSON.parse(line) as { table?: string; tenant?: string | null };
        if (s.table) section = { table: s.table, tenant: s.tenant ?? null };
        index = 0;
        continue;
      }
      if (line.startsWith('{"end":')) {
        section = null;
        continue;
      }
      if (section.tenant !== tweeId) {
        // Only customers have sealed sections; the global tables hold no row of the erased customer's people.
        continue;
      }
      const block = JSON.parse(line) as { sealed: string; final?: true };
      blocks++;
      for (const a of attempts) assert.throws(() => a.open(section!.table, index, block), /does not authenticate/);
      // (An old key export still holds the destroyed key: a copy the README says not to keep. With it
      // the blocks do open, and hold what the attack looks for.)
      opened.push(...withOldExport.open(section.table, index, block));
      index++;
    }
    assert.ok(blocks > 20, 'the erased customer has sealed sections in the old backup');
    const inside = opened.join('\n');
    for (const v of [
      '1971-03-14',
      'Teamleider Nachtdienst',
      'pijnbestrijding',
      'Recipient address rejected',
      'belde zelf',
    ])
      assert.ok(inside.includes(v), `${v} is in a sealed section`);

    // 2. Restored into a fresh database with the master key and the key export of today.
    const target = await emptyDatabase();
    const r = await restoreDatabase(target.handle, master, oldBackup, {
      keys: keySourceOfExport(exported, 'after.keys'),
    });
    assert.equal(r.formatVersion, 2);
    assert.deepEqual(
      r.tenants.find((x) => x.id === tweeId),
      { id: tweeId, readable: false, reason: 'no key in after.keys (destroyed since the backup?)' },
    );
    const restored = await appOnDatabase(target.handle, master);
    try {
      // Not one row of the erased customer in a customer table; its tenants row says its key is gone.
      for (const { table, column } of await tenantTables(target.handle)) {
        if (['tenant_keys', 'sessions'].includes(table)) continue;
        const n = await sql<{
          n: number;
        }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE ${sql.ref(column)} = ${tweeId}`.execute(
          target.handle.kysely,
        );
        assert.equal(n.rows[0]!.n, 0, `${table} holds rows of the erased customer`);
      }
      const key = await target.handle.kysely
        .selectFrom('tenant_keys')
        .selectAll()
        .where('tenant_id', '=', tweeId)
        .executeTakeFirstOrThrow();
      assert.equal(key.wrapped_key, null);
      assert.ok(key.destroyed_at);
      const all = await everything(target.handle);
      for (const v of [...TWEE_CLEAR, ...TWEE_OPTIONS]) assert.ok(!all.includes(v), `"${v}" in the restored database`);
      const gone = await restored.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: TWEE });
      assert.equal(gone.statusCode, 401, gone.body);

      // 3. The other customer in the same backup: everything back, clear and sealed columns alike.
      const cookie = await signIn(restored, OWNER.email, OWNER.password);
      assert.deepEqual(
        (await restored.app.inject({ method: 'GET', url: '/api/v1/contacts', headers: { cookie } })).json().contacts,
        zorgSnapshot.contacts,
      );
      const keys = await restored.ctx.keyring.forTenant(zorgId);
      const rows = await restored.ctx.db.tenant(zorgId, (tx) =>
        tx.selectFrom('responses').select(['id', 'score', 'answers', 'answers_enc']).orderBy('id').execute(),
      );
      assert.deepEqual(
        rows.map((x) => ({ id: x.id, score: x.score, answers: x.answers, sealed: keys.openJson(x.answers_enc) })),
        zorgSnapshot.responses,
      );
      assert.deepEqual(
        zorgSnapshot.responses.map((x) => [x.score, x.answers]),
        [[8, { score: 8, reden: 'wachttijd', cijfer: 7, why: true }]],
      );
      for (const tenant of await tenantIds(restored.ctx.db)) {
        const v = await verifyTenant(restored.ctx.db, tenant.id, signerOf(master));
        assert.equal(v.ok, true, `${tenant.slug}: ${JSON.stringify(v.problem)}`);
      }
    } finally {
      await restored.close();
      await target.drop();
    }
  });

  test('SEC-1 a version 1 backup still restores; a customer without a key comes back without any of its rows', async () => {
    // A version 1 file is the same framing with every customer's rows as they are (no sealed blocks).
    const text = await plainText(oldBackup);
    const header = JSON.parse(text.slice(0, text.indexOf('\n'))) as BackupHeader;
    const salt = Buffer.from(header.sectionSalt!, 'base64');
    const zorgKeys = await t.ctx.keyring.forTenant(zorgId);
    const openers = new Map([
      [zorgId, new SectionOpener(zorgId, zorgKeys.backupKey(salt))],
      [tweeId, new SectionOpener(tweeId, tweeKeysBefore.backupKey(salt))],
    ]);
    const out: string[] = [JSON.stringify({ ...header, version: 1, sectionSalt: undefined })];
    let section: { table: string; tenant: string | null; rows: number; index: number } | null = null;
    for (const line of text.split('\n').slice(1).filter(Boolean)) {
      if (!section) {
        const s = JSON.parse(line) as { table?: string; tenant?: string | null };
        if (s.table) section = { table: s.table, tenant: s.tenant ?? null, rows: 0, index: 0 };
        out.push(line);
        continue;
      }
      if (line.startsWith('{"end":')) {
        out.push(
          JSON.stringify({
            end: section.table,
            rows: section.tenant ? section.rows : (JSON.parse(line) as { rows: number }).rows,
          }),
        );
        section = null;
        continue;
      }
      if (!section.tenant) {
        out.push(line);
        continue;
      }
      const rows = openers
        .get(section.tenant)!
        .open(section.table, section.index++, JSON.parse(line) as { sealed: string });
      section.rows += rows.length;
      out.push(...rows);
    }
    const v1 = join(dir, 'v1.backup');
    await pipeline(
      Readable.from([Buffer.from(out.join('\n') + '\n')]),
      createGzip(),
      new EncryptStream(master, 'backup'),
      createWriteStream(v1),
    );
    assert.ok(
      (await plainText(v1)).includes('Teamleider Nachtdienst'),
      'a version 1 file holds the clear columns under the master key',
    );

    const target = await emptyDatabase();
    try {
      const r = await restoreDatabase(target.handle, master, v1, {
        keys: keySourceOfExport(await readKeyExport(join(dir, 'after.keys'), [master]), 'after.keys'),
      });
      assert.equal(r.formatVersion, 1);
      assert.deepEqual(
        r.tenants.map((x) => [x.id, x.readable]).sort(),
        [
          [zorgId, true],
          [tweeId, false],
        ].sort(),
      );
      for (const { table, column } of await tenantTables(target.handle)) {
        if (['tenant_keys', 'sessions'].includes(table)) continue;
        const n = await sql<{
          n: number;
        }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE ${sql.ref(column)} = ${tweeId}`.execute(
          target.handle.kysely,
        );
        assert.equal(n.rows[0]!.n, 0, `${table} holds rows of the erased customer`);
      }
      const all = await everything(target.handle);
      for (const v of [...TWEE_CLEAR, ...TWEE_OPTIONS])
        assert.ok(!all.includes(v), `"${v}" in the database restored from a version 1 file`);
      for (const v of ZORG_CLEAR) assert.ok(all.includes(v), `"${v}" of the other customer is restored`);
    } finally {
      await target.handle.close();
      await target.drop();
    }
  });

  test('SEC-1 a Peil process that still holds the erased key cannot write clear values after the erasure', async () => {
    // Through the HTTP API of that process, with a session opened before the erasure.
    const add = await stale.inject({
      method: 'POST',
      url: '/api/v1/contacts',
      headers: { cookie: tweeCookie },
      payload: {
        email: 'nieuw@twee.nl',
        gender: 'vrouw',
        function: 'Stale Functie',
        profile: { geboortedatum: '2002-02-02' },
      },
    });
    assert.equal(add.statusCode, 410, add.body);
    assert.equal(add.json().code, 'gone');
    // A respondent's link, answered on that process: the survey was closed by the erasure.
    const token = signedRowToken(tweeId, willemInvitation, (b) => tweeKeysBefore.tokenMac(b));
    const post = await stale.inject({
      method: 'POST',
      url: `/s/${token}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ lang: 'nl', score: '10', reden: 'nachtrust', cijfer: '10' }).toString(),
    });
    assert.notEqual(post.statusCode, 303, 'no answer stored');
    const stored = await t.ctx.db.maintenance(tweeId, (tx) =>
      tx.selectFrom('responses').select(['score', 'answers']).where('tenant_id', '=', tweeId).execute(),
    );
    assert.equal(stored.length, 2);
    // And straight in the database, as a job with the key in memory would write.
    await assert.rejects(
      t.ctx.db.tenant(tweeId, (tx) =>
        sql`UPDATE contacts SET function = 'Stale Functie' WHERE tenant_id = ${tweeId}`.execute(tx),
      ),
      (err: Error & { code?: string }) => err.code === 'PE410',
    );
  });

  test('SEC-1 a backup made after erase-key has no section of the erased customer; it restores as erased', async () => {
    const file = join(dir, 'after.backup');
    await backupDatabase(t.ctx.db.handle, master, file);
    const text = await plainText(file);
    const header = JSON.parse(text.slice(0, text.indexOf('\n'))) as BackupHeader;
    assert.equal(header.tenants.find((x) => x.id === tweeId)?.keyCheck, null);
    assert.ok(!text.includes(`"tenant":"${tweeId}"`), 'no section of the erased customer');
    assert.ok(text.includes(`"tenant":"${zorgId}"`));
    for (const v of [...TWEE_CLEAR, ...TWEE_OPTIONS])
      assert.ok(!text.includes(v), `"${v}" in a backup made after the erasure`);
    const target = await emptyDatabase();
    try {
      const r = await restoreDatabase(target.handle, master, file, {
        keys: keySourceOfExport(await readKeyExport(join(dir, 'after.keys'), [master]), 'after.keys'),
      });
      assert.deepEqual(
        r.tenants.find((x) => x.id === tweeId),
        { id: tweeId, readable: false, reason: 'key destroyed before the backup' },
      );
      assert.equal(r.tenants.find((x) => x.id === zorgId)?.readable, true);
    } finally {
      await target.handle.close();
      await target.drop();
    }
  });

  test("SEC-1 after erase-key the live database holds none of the erased customer's clear values; the other customer's stay", async () => {
    const all = await everything(t.ctx.db.handle);
    for (const v of TWEE_CLEAR) assert.ok(!all.includes(v), `"${v}" still in the live database`);
    for (const v of ZORG_CLEAR) assert.ok(all.includes(v), `"${v}" of the other customer was touched`);
    const q = t.ctx.db.handle.kysely;
    const where = <T extends { where: (c: 'tenant_id', op: '=', v: string) => T }>(b: T) =>
      b.where('tenant_id', '=', tweeId);
    assert.deepEqual(
      await where(q.selectFrom('contacts').select(['gender', 'function', 'profile'])).execute(),
      Array.from({ length: 4 }, () => ({ gender: null, function: null, profile: {} })),
    );
    assert.deepEqual(await where(q.selectFrom('responses').select(['score', 'answers'])).execute(), [
      { score: null, answers: null },
      { score: null, answers: null },
    ]);
    assert.ok(
      (await where(q.selectFrom('invitations').select('last_error')).execute()).every((i) => i.last_error === null),
    );
    assert.ok(
      (await where(q.selectFrom('suppressions').select('details')).execute()).every(
        (s) => JSON.stringify(s.details) === '{}',
      ),
    );
    assert.ok(
      (await where(q.selectFrom('distributions').select(['selection', 'status'])).execute()).every(
        (d) => d.selection === null && d.status !== 'sending',
      ),
    );
    assert.ok(
      (await where(q.selectFrom('users').select(['email', 'name', 'password_hash'])).execute()).every(
        (u) => u.email.endsWith('@erased.invalid') && u.name === '' && u.password_hash === null,
      ),
    );
    // The erasure is in the customer's log, which still verifies.
    const log = await t.app.inject({ method: 'GET', url: '/api/v1/audit', headers: { cookie: tweeCookie } });
    assert.equal(log.statusCode, 200, log.body);
    assert.equal(log.json().entries[0].action, 'tenant.key_erased');
    const v = await verifyTenant(t.ctx.db, tweeId, signerOf(master));
    assert.equal(v.ok, true, JSON.stringify(v.problem));
  });
});
