import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import writeExcelFile from 'write-excel-file/node';
import { importCsv, multipartFile, setUp, startTestApp, type TestApp } from '../../../test/harness.js';

type Cell = string | number | boolean | null | { value: Date; format: string };

async function xlsx(rows: Cell[][]): Promise<Buffer> {
  return writeExcelFile(rows as never).toBuffer();
}

describe('contacts: XLSX import, typed profile fields, upsert by API', () => {
  let t: TestApp;
  let owner: string;
  let tenantId: string;

  before(async () => {
    t = await startTestApp();
    ({ ownerCookie: owner, tenantId } = await setUp(t));
  });
  after(() => t.close());

  const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: { cookie: owner },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const upload = (content: Buffer, filename: string) => {
    const body = multipartFile(content, filename);
    return t.app.inject({
      method: 'POST',
      url: '/api/v1/contact-imports',
      headers: { cookie: owner, ...body.headers },
      payload: body.payload,
    });
  };
  const commit = (id: string, mapping: Record<string, string>, validOnly = false) =>
    api('POST', `/api/v1/contact-imports/${id}/commit`, { mapping, validOnly });
  const byEmail = async (email: string) => {
    const res = await api('GET', `/api/v1/contacts?email=${encodeURIComponent(email)}`);
    return res.json().contacts[0];
  };
  const total = async () => (await api('GET', '/api/v1/contacts?limit=1')).json().total as number;
  const auditActions = async () =>
    await t.ctx.db.tenant(tenantId, (tx) =>
      tx.selectFrom('audit_events').select(['action', 'subject_id', 'details']).orderBy('seq').execute(),
    );

  test('SVC-1 typed profile fields: create, list, change, and refuse bad definitions', async () => {
    let res = await api('POST', '/api/v1/profile-fields', {
      key: 'afdeling',
      type: 'choice',
      label: { nl: 'Afdeling', en: 'Department' },
      options: ['Zorg', 'Facilitair', 'Staf'],
    });
    assert.equal(res.statusCode, 201, res.body);
    res = await api('POST', '/api/v1/profile-fields', { key: 'uren', type: 'number', label: { nl: 'Uren per week' } });
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual(res.json().label, { nl: 'Uren per week', en: 'Uren per week' });
    res = await api('POST', '/api/v1/profile-fields', {
      key: 'in_dienst',
      type: 'date',
      label: { nl: 'In dienst sinds', en: 'Employed since' },
    });
    assert.equal(res.statusCode, 201, res.body);

    assert.equal(
      (await api('POST', '/api/v1/profile-fields', { key: 'uren', type: 'text', label: { nl: 'x' } })).statusCode,
      409,
    );
    const noOptions = await api('POST', '/api/v1/profile-fields', {
      key: 'locatie',
      type: 'choice',
      label: { nl: 'Locatie' },
    });
    assert.equal(noOptions.statusCode, 422);
    assert.equal(noOptions.json().errors[0].pointer, '/body/options');
    assert.equal(
      (await api('POST', '/api/v1/profile-fields', { key: 'Bad-Key', type: 'text', label: { nl: 'x' } })).statusCode,
      422,
    );
    assert.equal(
      (
        await api('POST', '/api/v1/profile-fields', {
          key: 'dubbel',
          type: 'choice',
          label: { nl: 'x' },
          options: ['Ja', 'ja'],
        })
      ).statusCode,
      422,
    );

    const list = (await api('GET', '/api/v1/profile-fields')).json().fields;
    assert.deepEqual(
      list.map((f: { key: string }) => f.key),
      ['afdeling', 'in_dienst', 'uren'],
    );
    assert.deepEqual(list[0], {
      key: 'afdeling',
      type: 'choice',
      label: { nl: 'Afdeling', en: 'Department' },
      options: ['Zorg', 'Facilitair', 'Staf'],
      grouping: false,
      category: 'profile.afdeling',
    });

    res = await api('PATCH', '/api/v1/profile-fields/afdeling', {
      label: { en: 'Unit' },
      options: ['Zorg', 'Facilitair', 'Staf', 'ICT'],
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().label, { nl: 'Afdeling', en: 'Unit' });
    assert.equal((await api('PATCH', '/api/v1/profile-fields/bestaat_niet', { label: { nl: 'x' } })).statusCode, 404);

    const actions = (await auditActions()).map((a) => a.action);
    assert.ok(actions.includes('profile_field.created'));
    assert.ok(actions.includes('profile_field.updated'));
  });

  test('SVC-1 an XLSX file imports like a CSV: number cells keep phone numbers and postcodes, date cells become dates, typed fields are checked', async () => {
    const file = await xlsx([
      ['E-mailadres', 'Voornaam', 'Telefoon', 'Postcode', 'Unit', 'Uren', 'In dienst', 'Locatie'],
      [
        'Anna@Example.nl',
        'Anna',
        612345678,
        '1234 AB',
        'zorg',
        32.5,
        { value: new Date(Date.UTC(2019, 3, 1)), format: 'dd-mm-yyyy' },
        'Noord',
      ],
      ['bram@example.nl', 'Bram', '06-87654321', 1234, 'FACILITAIR', '1.234,5', '17-5-1990', 'Zuid'],
      ['chris@example.nl', 'Chris', 31201234567, null, 'Staf', 12, '2001-02-03', null],
    ]);
    const up = await upload(file, 'medewerkers.xlsx');
    assert.equal(up.statusCode, 201, up.body);
    const shape = up.json();
    assert.equal(shape.format, 'xlsx');
    assert.equal(shape.rows, 3);
    assert.equal(shape.mapping['Uren'], 'custom:uren');
    assert.equal(shape.errorCount, 0, JSON.stringify(shape.errors));
    assert.equal(shape.mapping['In dienst'], 'custom:in_dienst');
    assert.equal(
      shape.mapping['Unit'],
      'custom:afdeling',
      "a column named like a field's English label is suggested as that field",
    );
    const res = await commit(shape.id, shape.mapping);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().created, 3);
    // Postcode and Locatie had no field: created as text fields, named after the column.
    assert.equal(res.json().fieldsCreated, 2);

    const anna = await byEmail('anna@example.nl');
    assert.equal(anna.email, 'anna@example.nl');
    assert.equal(anna.phone, '+31612345678');
    assert.deepEqual(anna.profile, {
      postcode: '1234 AB',
      afdeling: 'Zorg',
      uren: 32.5,
      in_dienst: '2019-04-01',
      locatie: 'Noord',
    });
    const bram = await byEmail('bram@example.nl');
    assert.deepEqual(bram.profile, {
      postcode: '1234',
      afdeling: 'Facilitair',
      uren: 1234.5,
      in_dienst: '1990-05-17',
      locatie: 'Zuid',
    });
    const chris = await byEmail('chris@example.nl');
    assert.equal(chris.phone, '+31201234567');
    assert.deepEqual(chris.profile, { afdeling: 'Staf', uren: 12, in_dienst: '2001-02-03' });

    const fields = (await api('GET', '/api/v1/profile-fields')).json().fields;
    assert.deepEqual(
      fields.find((f: { key: string }) => f.key === 'postcode'),
      {
        key: 'postcode',
        type: 'text',
        label: { nl: 'Postcode', en: 'Postcode' },
        grouping: false,
        category: 'profile.postcode',
      },
    );

    // Stored as the contract with selections says: a number as a JSON number, a date as a string.
    const row = await t.ctx.db.tenant(tenantId, (tx) =>
      tx.selectFrom('contacts').select('profile').where('id', '=', anna.id).executeTakeFirstOrThrow(),
    );
    assert.equal(typeof row.profile.uren, 'number');
    assert.equal(row.profile.in_dienst, '2019-04-01');
    const audit = (await auditActions()).filter((a) => a.action === 'contacts.imported').at(-1)!;
    assert.equal((audit.details as { format: string }).format, 'xlsx');
  });

  test('SVC-1 bad XLSX cells are reported with row number and Excel column letter, and nothing is imported unless asked', async () => {
    const before = await total();
    const file = await xlsx([
      ['email', 'naam', 'afdeling', 'uren', 'in dienst', 'taal'],
      ['goed@example.nl', 'Goed', 'Zorg', 20, '01-01-2020', 'nl'],
      ['geen-adres', 'Fout', 'Zorg', 20, null, 'nl'],
      ['derde@example.nl', 'Derde', 'Kantine', 'veel', '31-02-2020', 'nl'],
      [null, null, null, null, null, null],
      ['vijfde@example.nl', 'Vijfde', 'Staf', null, null, 'Klingon'],
    ]);
    const up = await upload(file, 'fouten.xlsx');
    assert.equal(up.statusCode, 201, up.body);
    const shape = up.json();
    const mapping = { ...shape.mapping, 'in dienst': 'custom:in_dienst' };
    const res = await commit(shape.id, mapping);
    assert.equal(res.statusCode, 422);
    const p = res.json();
    assert.equal(p.code, 'invalid_file');
    const where = p.errors.map((e: { row: number; columnLetter: string }) => `${e.row}${e.columnLetter}`);
    assert.deepEqual(where, ['3A', '4C', '4D', '4E', '6F']);
    const choice = p.errors.find((e: { columnLetter: string }) => e.columnLetter === 'C');
    assert.equal(choice.column, 'afdeling');
    assert.match(choice.reason, /Zorg, Facilitair, Staf, ICT/);
    assert.equal(choice.value, 'Kantine');
    assert.equal(await total(), before, 'nothing imported');

    const valid = await commit(shape.id, mapping, true);
    assert.equal(valid.statusCode, 200, valid.body);
    assert.deepEqual({ created: valid.json().created, skipped: valid.json().skippedRows }, { created: 1, skipped: 3 });
    assert.equal(await total(), before + 1);
  });

  test('SVC-1 a file that is not a workbook but named .xlsx, and an old .xls, are refused with a reason', async () => {
    const fake = await upload(Buffer.from('email\na@example.nl\n'), 'contacts.xlsx');
    assert.equal(fake.statusCode, 422);
    assert.match(fake.json().detail, /geen Excel-werkmap/, 'Dutch when the client names no language');
    const xls = await upload(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), 'oud.xls');
    assert.equal(xls.statusCode, 422);
    assert.match(xls.json().detail, /\.xls/);
    const broken = await upload(Buffer.from('PK\x03\x04 not really a zip', 'latin1'), 'kapot.xlsx');
    assert.equal(broken.statusCode, 422);
    assert.equal(broken.json().code, 'invalid_file');
  });

  test('SVC-1 a CSV re-import with typed fields validates Dutch numbers and dates and updates the same contacts', async () => {
    const csv =
      'email;afdeling;uren;in dienst\nanna@example.nl;staf;24;1-9-2021\nBRAM@example.nl;ICT;"36,0";2022-01-31\n';
    const up = await upload(Buffer.from(csv), 'contacts.csv');
    assert.equal(up.statusCode, 201, up.body);
    const shape = up.json();
    assert.equal(shape.format, 'csv');
    const res = await commit(shape.id, { ...shape.mapping, 'in dienst': 'custom:in_dienst' });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(
      { created: res.json().created, updated: res.json().updated, fieldsCreated: res.json().fieldsCreated },
      { created: 0, updated: 2, fieldsCreated: 0 },
    );
    const anna = await byEmail('anna@example.nl');
    assert.deepEqual(anna.profile, {
      postcode: '1234 AB',
      afdeling: 'Staf',
      uren: 24,
      in_dienst: '2021-09-01',
      locatie: 'Noord',
    });
    assert.equal((await byEmail('bram@example.nl')).profile.uren, 36);

    const bad = await importCsv(t, owner, 'email;uren\nx@example.nl;twaalf\n');
    assert.equal(bad.statusCode, 422);
    assert.deepEqual(
      bad.json().errors.map((e: { row: number; columnLetter: string }) => `${e.row}${e.columnLetter}`),
      ['2B'],
    );
  });

  test('SVC-1 PATCH checks profile values against their fields', async () => {
    const anna = await byEmail('anna@example.nl');
    let res = await api('PATCH', `/api/v1/contacts/${anna.id}`, {
      profile: { uren: '12,5', in_dienst: '05-06-2020', afdeling: 'ict' },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().profile.uren, 12.5);
    assert.equal(res.json().profile.in_dienst, '2020-06-05');
    assert.equal(res.json().profile.afdeling, 'ICT');
    res = await api('PATCH', `/api/v1/contacts/${anna.id}`, {
      profile: { uren: 'veel', in_dienst: '2020-13-01', afdeling: 'Kantine', nieuw_veld: 'x' },
    });
    assert.equal(res.statusCode, 422);
    assert.deepEqual(
      res
        .json()
        .errors.map((e: { pointer: string }) => e.pointer)
        .sort(),
      ['/body/profile/afdeling', '/body/profile/in_dienst', '/body/profile/uren'],
    );
    assert.equal((await byEmail('anna@example.nl')).profile.uren, 12.5, 'nothing changed');
    const fieldKeys = async () =>
      (await api('GET', '/api/v1/profile-fields')).json().fields.map((f: { key: string }) => f.key);
    assert.ok(!(await fieldKeys()).includes('nieuw_veld'), 'a refused correction creates no field');
    // A key without a field is text, as in an import, and its field is created.
    res = await api('PATCH', `/api/v1/contacts/${anna.id}`, { profile: { nieuw_veld: 'Vrije tekst' } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().profile.nieuw_veld, 'Vrije tekst');
    assert.ok((await fieldKeys()).includes('nieuw_veld'));
    res = await api('PATCH', `/api/v1/contacts/${anna.id}`, { profile: { uren: null } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().profile.uren, undefined);
  });

  test('SVC-1 upsert one contact by API: 201 created, 200 updated (same address in another case), checked like the import, audited', async () => {
    let res = await api('POST', '/api/v1/contacts', {
      email: 'Dirk@Example.NL',
      firstName: 'Dirk',
      phone: '06 11122233',
      language: 'Nederlands',
      profile: { uren: 40, afdeling: 'zorg' },
    });
    assert.equal(res.statusCode, 201, res.body);
    const id = res.json().id;
    assert.deepEqual(res.json(), { id, email: 'dirk@example.nl', status: 'created' });
    res = await api('POST', '/api/v1/contacts', {
      email: 'dirk@example.nl',
      lastName: 'Jansen',
      profile: { in_dienst: '1-2-2003' },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { id, email: 'dirk@example.nl', status: 'updated' });
    const dirk = await byEmail('DIRK@example.nl');
    assert.equal(dirk.firstName, 'Dirk', 'left-out fields keep their value');
    assert.equal(dirk.lastName, 'Jansen');
    assert.equal(dirk.phone, '+31611122233');
    assert.equal(dirk.language, 'nl');
    assert.deepEqual(dirk.profile, { uren: 40, afdeling: 'Zorg', in_dienst: '2003-02-01' });

    res = await api('POST', '/api/v1/contacts', { email: 'geen adres', phone: '12', profile: { uren: 'x' } });
    assert.equal(res.statusCode, 422);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.deepEqual(
      res.json().errors.map((e: { pointer: string }) => e.pointer),
      ['/body/email', '/body/phone', '/body/profile/uren'],
    );

    const audits = (await auditActions()).filter((a) => a.action === 'contacts.upserted' && a.subject_id === id);
    assert.equal(audits.length, 2);
    assert.deepEqual(
      audits.map((a) => (a.details as { created: number }).created),
      [1, 0],
    );
  });

  test('SVC-1 batch upsert is all or nothing: one bad contact → 422 with its pointer and nothing stored', async () => {
    const before = await total();
    const contacts = [
      { email: 'eva@example.nl', firstName: 'Eva' },
      { email: 'fleur@example.nl' },
      { email: 'gijs@example.nl', gender: 'v' },
      { email: 'hans@@example.nl' },
      { email: 'ilse@example.nl', profile: { afdeling: 'Kantine' } },
    ];
    const res = await api('POST', '/api/v1/contacts/batch', { contacts });
    assert.equal(res.statusCode, 422);
    assert.deepEqual(
      res.json().errors.map((e: { pointer: string }) => e.pointer),
      ['/body/contacts/3/email', '/body/contacts/4/profile/afdeling'],
    );
    assert.equal(await total(), before, 'nothing stored');
    assert.equal((await api('POST', '/api/v1/contacts/batch', { contacts: [] })).statusCode, 422);
    const tooMany = Array.from({ length: 1001 }, (_, i) => ({ email: `n${i}@example.nl` }));
    assert.equal((await api('POST', '/api/v1/contacts/batch', { contacts: tooMany })).statusCode, 422);
  });

  test('SVC-1 batch upsert de-duplicates case-insensitively, against stored contacts and within the batch, and writes one audit row', async () => {
    const before = await total();
    const res = await api('POST', '/api/v1/contacts/batch', {
      contacts: [
        { email: 'eva@example.nl', firstName: 'Eva' },
        { email: 'DIRK@EXAMPLE.NL', function: 'Teamleider' },
        { email: 'Eva@Example.nl', lastName: 'Bos', profile: { uren: '16' } },
        { email: 'fleur@example.nl', language: 'en' },
      ],
    });
    assert.equal(res.statusCode, 200, res.body);
    const out = res.json();
    assert.deepEqual(
      { created: out.created, updated: out.updated, duplicates: out.duplicates },
      { created: 2, updated: 1, duplicates: 1 },
    );
    assert.deepEqual(
      out.contacts.map((c: { status: string }) => c.status),
      ['created', 'updated', 'updated', 'created'],
    );
    assert.equal(out.contacts[0].id, out.contacts[2].id);
    assert.equal(await total(), before + 2);
    const eva = await byEmail('eva@example.nl');
    assert.deepEqual(
      { first: eva.firstName, last: eva.lastName, uren: eva.profile.uren },
      { first: 'Eva', last: 'Bos', uren: 16 },
    );
    assert.equal((await byEmail('dirk@example.nl')).function, 'Teamleider');
    const audit = (await auditActions()).filter((a) => a.action === 'contacts.upserted').at(-1)!;
    assert.deepEqual(audit.details, { received: 4, created: 2, updated: 1, duplicates: 1 });
  });

  test('SVC-1 a full batch of 1,000 contacts (more than 1 MiB of JSON) is accepted', async () => {
    const contacts = Array.from({ length: 1000 }, (_, i) => ({
      email: `vol${i}@example.nl`,
      firstName: `Vol ${i}`,
      profile: { postcode: `${1000 + i} AB`, locatie: 'x'.repeat(1000) },
    }));
    const res = await api('POST', '/api/v1/contacts/batch', { contacts });
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    assert.equal(res.json().created, 1000);
  });

  test("SVC-1 a field's type is fixed while contacts hold values; deleting a field removes its values", async () => {
    const res = await api('PATCH', '/api/v1/profile-fields/uren', { type: 'text' });
    assert.equal(res.statusCode, 409);
    const inUse = await api('PATCH', '/api/v1/profile-fields/afdeling', { options: ['Zorg', 'Facilitair', 'ICT'] });
    assert.equal(inUse.statusCode, 409, 'Staf is still held by a contact');
    assert.equal((await api('DELETE', '/api/v1/profile-fields/uren')).statusCode, 204);
    assert.equal((await byEmail('eva@example.nl')).profile.uren, undefined);
    assert.equal((await api('DELETE', '/api/v1/profile-fields/uren')).statusCode, 404);
    const audit = (await auditActions()).filter((a) => a.action === 'profile_field.deleted').at(-1)!;
    assert.ok((audit.details as { contactsCleared: number }).contactsCleared >= 3);
    // Without values the type may change.
    assert.equal(
      (await api('POST', '/api/v1/profile-fields', { key: 'leeg', type: 'text', label: { nl: 'Leeg' } })).statusCode,
      201,
    );
    const changed = await api('PATCH', '/api/v1/profile-fields/leeg', { type: 'choice', options: ['A', 'B'] });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.equal(changed.json().type, 'choice');
  });
});
