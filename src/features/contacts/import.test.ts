import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import iconv from 'iconv-lite';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { importCsv, multipartFile, setUp, startTestApp, type TestApp } from '../../../test/harness.js';
import { sweepExpiredUploads } from './imports.js';

describe('contact import over HTTP', () => {
  let t: TestApp;
  let owner: string;
  let tenantId: string;

  before(async () => {
    t = await startTestApp({ UPLOAD_LIMIT_MB: '0.05' });
    ({ ownerCookie: owner, tenantId } = await setUp(t));
  });
  after(() => t.close());

  const listContacts = async () =>
    (await t.app.inject({ method: 'GET', url: '/api/v1/contacts?limit=500', headers: { cookie: owner } })).json();

  const upload = (csv: Buffer | string, cookie = owner) => {
    const body = multipartFile(csv);
    return t.app.inject({
      method: 'POST',
      url: '/api/v1/contact-imports',
      headers: { cookie, ...body.headers },
      payload: body.payload,
    });
  };

  test('SVC-1 imports a file as Dutch Excel writes it: Windows-1252, semicolons, quoted fields with ; quotes and line breaks', async () => {
    const csv =
      'E-mailadres;Voornaam;Tussenvoegsel;Achternaam;Geslacht;Telefoonnummer;Taal;Functie;Afdeling;Locatie\r\n' +
      'jose@example.nl;José;;Müller;man;06-12345678;NL;Verpleegkundige;"Zorg; afdeling 3";"Gebouw ""De Linde""\r\nVleugel B"\r\n' +
      'chloe@example.nl;Chloë;van der;Berg;vrouw;+31 20 123 4567;Engels;Arts;Poli;Noord\r\n';
    const up = await upload(iconv.encode(csv, 'win1252'));
    assert.equal(up.statusCode, 201, up.body);
    const shape = up.json();
    assert.equal(shape.encoding, 'windows-1252');
    assert.equal(shape.delimiter, ';');
    assert.equal(shape.rows, 2);
    assert.equal(shape.errorCount, 0);
    assert.equal(shape.mapping['E-mailadres'], 'email');
    assert.equal(shape.mapping['Tussenvoegsel'], 'infix');
    assert.equal(shape.mapping['Afdeling'], 'custom:afdeling');
    const commit = await t.app.inject({
      method: 'POST',
      url: `/api/v1/contact-imports/${shape.id}/commit`,
      headers: { cookie: owner },
      payload: { mapping: shape.mapping },
    });
    assert.equal(commit.statusCode, 200, commit.body);
    assert.equal(commit.json().created, 2);
    const { contacts } = await listContacts();
    const jose = contacts.find((c: { email: string }) => c.email === 'jose@example.nl');
    assert.equal(jose.firstName, 'José');
    assert.equal(jose.lastName, 'Müller');
    assert.equal(jose.phone, '+31612345678');
    assert.equal(jose.language, 'nl');
    assert.equal(jose.gender, 'male');
    assert.deepEqual(jose.profile, { afdeling: 'Zorg; afdeling 3', locatie: 'Gebouw "De Linde"\nVleugel B' });
    const chloe = contacts.find((c: { email: string }) => c.email === 'chloe@example.nl');
    assert.equal(chloe.infix, 'van der');
    assert.equal(chloe.language, 'en');
  });

  test('SVC-1 a UTF-8 file with BOM and commas, English headers, imports too', async () => {
    const res = await importCsv(
      t,
      owner,
      '\uFEFFEmail,First name,Last name,Language\r\nada@example.com,Ada,Lovelace,en\r\n',
    );
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().created, 1);
  });

  test('bad rows are listed with row, column and reason, and nothing is imported', async () => {
    const before = (await listContacts()).total;
    const csv =
      'email;voornaam;taal;telefoon\ngoed@example.nl;Goed;nl;\nfout-adres;Fout;nl;\nook.goed@example.nl;Ook;xx;\nderde@example.nl;Derde;nl;12\n';
    const res = await importCsv(t, owner, csv);
    assert.equal(res.statusCode, 422);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    const p = res.json();
    assert.equal(p.code, 'invalid_file');
    const where = p.errors.map((e: { row: number; columnLetter: string }) => `${e.row}${e.columnLetter}`).sort();
    assert.deepEqual(where, ['3A', '4C', '5D']);
    assert.ok(p.errors.every((e: { reason: string; column: string }) => e.reason && e.column));
    assert.equal((await listContacts()).total, before, 'nothing imported');
  });

  test('the user can choose to import only the valid rows', async () => {
    const before = (await listContacts()).total;
    const res = await importCsv(
      t,
      owner,
      'email;voornaam\nvalid1@example.nl;A\nnot-an-email;B\nvalid2@example.nl;C\n',
      { validOnly: true },
    );
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual({ created: res.json().created, skipped: res.json().skippedRows }, { created: 2, skipped: 1 });
    assert.equal((await listContacts()).total, before + 2);
  });

  test('the same email in another case is one contact; a re-import updates it', async () => {
    const first = await importCsv(t, owner, 'email;voornaam\nDubbel@Example.nl;Eerste\ndubbel@example.NL;Tweede\n');
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(first.json().created, 1);
    const again = await importCsv(t, owner, 'email;achternaam\nDUBBEL@example.nl;Jansen\n');
    assert.deepEqual({ created: again.json().created, updated: again.json().updated }, { created: 0, updated: 1 });
    const search = await t.app.inject({
      method: 'GET',
      url: '/api/v1/contacts?email=dubbel@example.nl',
      headers: { cookie: owner },
    });
    const [c] = search.json().contacts;
    assert.equal(search.json().contacts.length, 1);
    assert.equal(c.firstName, 'Tweede');
    assert.equal(c.lastName, 'Jansen');
  });

  test('an upload nobody commits within the hour is deleted by the sweep, with its sealed file and what a stopped import staged, for a customer who never uploads again', async () => {
    const up = await upload('email;voornaam\nvergeten@example.nl;Vergeten\n');
    assert.equal(up.statusCode, 201, up.body);
    const { id } = up.json();
    const rows = async (table: 'contact_uploads' | 'contact_upload_parts' | 'contact_import_rows') =>
      Number(
        (
          await t.ctx.db.tenant(tenantId, (tx) =>
            tx
              .selectFrom(table)
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where(table === 'contact_uploads' ? 'id' : 'upload_id', '=', id)
              .executeTakeFirstOrThrow(),
          )
        ).n,
      );
    // Another upload of the same customer, within its hour: it stays. (An upload deletes the customer's
    // expired ones itself, so this one comes first; the sweep is for customers who never upload again.)
    const fresh = (await upload('email\nblijft@example.nl\n')).json().id as string;
    // A process that stopped mid-import: status importing, a staged row, and the hour long past.
    await t.ctx.db.tenant(tenantId, async (tx) => {
      await tx
        .updateTable('contact_uploads')
        .set({
          status: 'importing',
          expires_at: new Date(Date.now() - 3600_000),
          created_at: new Date(Date.now() - 2 * 86_400_000),
        })
        .where('id', '=', id)
        .execute();
      await sql`INSERT INTO contact_import_rows (tenant_id, upload_id, seq, email_hmac, email_enc)
                VALUES (${tenantId}::uuid, ${id}::uuid, 0, '\\x00'::bytea, '\\x00'::bytea)`.execute(tx);
    });
    assert.deepEqual([await rows('contact_uploads'), await rows('contact_import_rows')], [1, 1]);
    assert.ok((await rows('contact_upload_parts')) >= 1);
    assert.ok((await sweepExpiredUploads(t.ctx)) >= 1);
    assert.deepEqual(
      [await rows('contact_uploads'), await rows('contact_upload_parts'), await rows('contact_import_rows')],
      [0, 0, 0],
    );
    const gone = await t.app.inject({
      method: 'GET',
      url: `/api/v1/contact-imports/${id}`,
      headers: { cookie: owner },
    });
    assert.equal(gone.statusCode, 404);
    const kept = await t.app.inject({
      method: 'GET',
      url: `/api/v1/contact-imports/${fresh}`,
      headers: { cookie: owner },
    });
    assert.equal(kept.statusCode, 200, kept.body);
  });

  test('a broken file (unclosed quote) is refused with the row where it breaks', async () => {
    const res = await upload('email;naam\na@example.nl;"open\nb@example.nl;B\n');
    assert.equal(res.statusCode, 422);
    assert.equal(res.json().code, 'invalid_file');
    assert.ok(res.json().errors[0].row >= 2);
  });

  test('an oversized upload is refused with 413 and leaves no file behind', async () => {
    const big = 'email;naam\n' + 'x@example.nl;' + 'a'.repeat(80 * 1024) + '\n';
    const files = () => readdirSync(join(t.dataDir, 'imports')).filter((f) => f.endsWith('.upload')).length;
    const before = files();
    const res = await upload(big);
    assert.equal(res.statusCode, 413, res.body);
    assert.equal(res.json().code, 'payload_too_large');
    assert.equal(files(), before);
  });

  test('a file in an encoding Excel users do not send (UTF-16) is refused with a clear reason', async () => {
    const res = await upload(
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('email;naam\r\na@example.nl;A\r\n', 'utf16le')]),
    );
    assert.equal(res.statusCode, 422);
    assert.equal(res.json().code, 'invalid_file');
    assert.match(res.json().detail, /UTF-16/i);
  });

  test('an upload that is not multipart gets 415', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/contact-imports',
      headers: { cookie: owner, 'content-type': 'text/csv' },
      payload: 'email\na@b.nl\n',
    });
    assert.equal(res.statusCode, 415);
  });

  test('LOG-1 reading contact details and importing write audit rows', async () => {
    const { contacts } = await listContacts();
    await t.app.inject({ method: 'GET', url: `/api/v1/contacts/${contacts[0].id}`, headers: { cookie: owner } });
    const rows = await t.ctx.db.tenant(tenantId, (tx) =>
      tx.selectFrom('audit_events').select(['action', 'subject_id', 'actor_id']).execute(),
    );
    assert.ok(rows.some((r) => r.action === 'contacts.imported'));
    assert.ok(rows.some((r) => r.action === 'contacts.listed'));
    assert.ok(rows.some((r) => r.action === 'contact.read' && r.subject_id === contacts[0].id && r.actor_id));
  });
});

describe('contact import larger than one batch', () => {
  let t: TestApp;
  let owner: string;
  let tenantId: string;

  before(async () => {
    t = await startTestApp();
    ({ ownerCookie: owner, tenantId } = await setUp(t));
  });
  after(() => t.close());

  // 25,000 rows: several staged batches, merged in steps in one transaction. Row 2's address comes
  // 15,000 rows later (in another batch) in capitals with other fields, and again in the next row.
  const bigFile = (badRowAt?: number) => {
    const lines = ['E-mailadres;Voornaam;Achternaam;Telefoonnummer;Afdeling'];
    for (let i = 0; i < 25_000; i++) {
      if (i === 15_000) lines.push('EERSTE@voorbeeld.nl;;Later;;Staf');
      else if (i === 15_001) lines.push('eerste@Voorbeeld.NL;;;020 1234567;');
      else if (i === badRowAt) lines.push(`fout.${i}@voorbeeld`);
      else
        lines.push(
          `${i === 0 ? 'eerste' : `c${i}`}@voorbeeld.nl;Voor${i};Achter${i};06-${String(10_000_000 + i)};Zorg`,
        );
    }
    return `${lines.join('\r\n')}\r\n`;
  };
  const count = async () =>
    (await t.app.inject({ method: 'GET', url: '/api/v1/contacts?limit=1', headers: { cookie: owner } })).json()
      .total as number;

  // Issue 17: the rows of a commit are staged (contact_import_rows) and merged in one transaction.
  const staged = async () =>
    (
      await t.ctx.db.tenant(tenantId, (tx) =>
        tx
          .selectFrom('contact_import_rows')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow(),
      )
    ).n;

  test('SVC-1 a bad row in the last batch leaves nothing imported, though earlier batches were written', async () => {
    const res = await importCsv(t, owner, bigFile(24_000));
    assert.equal(res.statusCode, 422, res.body);
    assert.equal(res.json().errors[0].row, 24_002);
    assert.equal(await count(), 0);
    assert.equal(Number(await staged()), 0, 'the staged rows of a refused file are gone');
  });

  test('SVC-1 a file of several batches: one contact per address, the later row wins field by field', async () => {
    const res = await importCsv(t, owner, bigFile());
    assert.equal(res.statusCode, 200, res.body);
    const r = res.json();
    assert.equal(r.created, 24_998);
    assert.equal(r.created + r.updated + r.duplicatesInFile, 25_000);
    assert.equal(await count(), 24_998);
    const one = await t.app.inject({
      method: 'GET',
      url: '/api/v1/contacts?email=Eerste@voorbeeld.nl',
      headers: { cookie: owner },
    });
    const [c] = one.json().contacts;
    assert.equal(c.email, 'eerste@voorbeeld.nl');
    assert.equal(c.firstName, 'Voor0');
    assert.equal(c.lastName, 'Later');
    assert.equal(c.phone, '+31201234567');
    assert.deepEqual(c.profile, { afdeling: 'Staf' });
    const last = await t.app.inject({
      method: 'GET',
      url: '/api/v1/contacts?email=c24999@voorbeeld.nl',
      headers: { cookie: owner },
    });
    assert.equal(last.json().contacts[0].lastName, 'Achter24999');
    assert.equal(Number(await staged()), 0, 'the staged rows of an imported file are gone');
  });
});
