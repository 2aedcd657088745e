import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { translate, type Message } from '../../../lib/i18n.js';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import {
  FileError,
  columnLetter,
  detectShape,
  normalizeHeader,
  readContacts,
  suggestMapping,
  validateMapping,
  type ColumnMapping,
  type FileShape,
  type OpenStream,
  type ParsedContact,
  type RowError,
} from './contact-file.js';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const cp1252 = (s: string): Buffer => iconv.encode(s, 'windows-1252');
const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');

/** Streams the bytes in small chunks so quotes, CRLF and multi-byte characters get split across chunks. */
function opener(bytes: Buffer, chunk = 7): OpenStream {
  return () => {
    const parts: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += chunk) parts.push(bytes.subarray(i, i + chunk));
    return Readable.from(parts);
  };
}

type Result = { row: number; contact: ParsedContact | null; errors: RowError[] };

async function readAll(bytes: Buffer, mapping?: ColumnMapping): Promise<{ shape: FileShape; rows: Result[] }> {
  const open = opener(bytes);
  const shape = await detectShape(open);
  const rows: Result[] = [];
  for await (const r of readContacts(open, shape, mapping ?? suggestMapping(shape.headers))) rows.push(r);
  return { shape, rows };
}

/** The errors of a file as `row:letter:code` strings, the way a user would look them up in Excel. */
async function errorsOf(bytes: Buffer, mapping?: ColumnMapping): Promise<string[]> {
  const { rows } = await readAll(bytes, mapping);
  return rows.flatMap((r) => r.errors.map((e) => `${e.row}:${e.columnLetter}:${e.code}`));
}

describe('detectShape and readContacts', () => {
  test('a `;` file from Dutch Excel in Windows-1252 with é, ë and the 0x80–0x9F characters', async () => {
    const text =
      'E-mailadres;Voornaam;Tussenvoegsel;Achternaam;Geslacht;Telefoon;Taal;Functie;Vestiging\r\n' +
      'rene@voorbeeld.nl;René;;Boë;M;06-12345678;NL;Eigenaar;Café ’t Hoekje – € 5\r\n' +
      'NOEL@Voorbeeld.NL ; Noël ;van der;Straëlen;vrouw;+31 20 123 4567;Engels;;\r\n';
    const bytes = cp1252(text);
    assert.equal(bytes.includes(0xe9), true, 'é must be the single byte 0xE9');
    const { shape, rows } = await readAll(bytes);
    assert.deepEqual(shape, {
      encoding: 'windows-1252',
      bom: false,
      delimiter: ';',
      headers: [
        'E-mailadres',
        'Voornaam',
        'Tussenvoegsel',
        'Achternaam',
        'Geslacht',
        'Telefoon',
        'Taal',
        'Functie',
        'Vestiging',
      ],
    });
    assert.deepEqual(rows, [
      {
        row: 2,
        errors: [],
        contact: {
          email: 'rene@voorbeeld.nl',
          first_name: 'René',
          last_name: 'Boë',
          gender: 'male',
          phone: '+31612345678',
          language: 'nl',
          function: 'Eigenaar',
          profile: { vestiging: 'Café ’t Hoekje – € 5' },
        },
      },
      {
        row: 3,
        errors: [],
        contact: {
          email: 'noel@voorbeeld.nl',
          first_name: 'Noël',
          infix: 'van der',
          last_name: 'Straëlen',
          gender: 'female',
          phone: '+31201234567',
          language: 'en',
          profile: {},
        },
      },
    ]);
  });

  test('a UTF-8 file with BOM and `,` (Excel "CSV UTF-8") with English headers', async () => {
    // Quoting the first header makes a BOM left in front of it visible (trim alone would hide it).
    const text =
      '"Email",First Name,Last_Name,Gender,Phone Number,Language,Job Title,Cost centre\r\nanna@example.com,Zoë,Ørsted,female,+44 20 7946 0958,english,"Head, Sales",Ĳssel-42\r\n';
    const { shape, rows } = await readAll(Buffer.concat([BOM, utf8(text)]));
    assert.equal(shape.encoding, 'utf-8');
    assert.equal(shape.bom, true);
    assert.equal(shape.delimiter, ',');
    assert.equal(shape.headers[0], 'Email', 'the BOM must not stick to the first header');
    assert.deepEqual(suggestMapping(shape.headers), {
      Email: 'email',
      'First Name': 'first_name',
      Last_Name: 'last_name',
      Gender: 'gender',
      'Phone Number': 'phone',
      Language: 'language',
      'Job Title': 'function',
      'Cost centre': 'custom:cost_centre',
    });
    assert.deepEqual(rows[0]?.contact, {
      email: 'anna@example.com',
      first_name: 'Zoë',
      last_name: 'Ørsted',
      gender: 'female',
      phone: '+442079460958',
      language: 'en',
      function: 'Head, Sales',
      profile: { cost_centre: 'Ĳssel-42' },
    });
  });

  test('UTF-8 without BOM is detected as UTF-8, and tab-separated files work', async () => {
    const { shape, rows } = await readAll(utf8('E-mail\tAfdeling\nzoe@example.nl\tFinanciën\n'));
    assert.deepEqual(shape, { encoding: 'utf-8', bom: false, delimiter: '\t', headers: ['E-mail', 'Afdeling'] });
    assert.deepEqual(rows[0]?.contact, { email: 'zoe@example.nl', profile: { afdeling: 'Financiën' } });
  });

  test('quoted fields with the delimiter, doubled quotes and line breaks (CRLF and LF) keep the row numbers', async () => {
    const text =
      'E-mail;Opmerking;Team\r\n' +
      'a@example.nl;"een; twee";"Team ""Noord"""\r\n' +
      'b@example.nl;"regel 1\r\nregel 2\r\nregel 3";x\r\n' +
      'c@example.nl;"lf\nalleen";y\r\n' +
      'not-an-email;z;z\r\n';
    const { rows } = await readAll(cp1252(text));
    assert.deepEqual(
      rows.map((r) => [r.row, r.contact?.profile]),
      [
        [2, { opmerking: 'een; twee', team: 'Team "Noord"' }],
        [3, { opmerking: 'regel 1\nregel 2\nregel 3', team: 'x' }],
        [4, { opmerking: 'lf\nalleen', team: 'y' }],
        [5, undefined],
      ],
    );
    // A cell spanning three lines is still one spreadsheet row, so the error is on row 5, not 7.
    assert.deepEqual(
      rows[3]?.errors.map((e) => `${e.row}:${e.columnLetter}`),
      ['5:A'],
    );
  });

  test('the delimiter is detected from the header line, ignoring delimiters inside quotes', async () => {
    const a = await detectShape(opener(utf8('"Naam, voornaam";"Plaats, land";E-mail\r\nx;y;z@example.nl\r\n')));
    assert.equal(a.delimiter, ';');
    assert.deepEqual(a.headers, ['Naam, voornaam', 'Plaats, land', 'E-mail']);
    const b = await detectShape(opener(utf8('"Team; afdeling",E-mail,Naam\r\n')));
    assert.equal(b.delimiter, ',');
    assert.deepEqual(b.headers, ['Team; afdeling', 'E-mail', 'Naam']);
  });

  test("Excel's sep=; line is honoured and not counted as a row", async () => {
    const text = 'sep=;\r\nE-mail,adres;Naam\r\n;x\r\n';
    const { shape, rows } = await readAll(cp1252(text), { 'E-mail,adres': 'email', Naam: 'custom:naam' });
    assert.equal(shape.delimiter, ';');
    assert.equal(shape.sepLine, true);
    assert.deepEqual(shape.headers, ['E-mail,adres', 'Naam']);
    assert.deepEqual(
      rows[0]?.errors.map((e) => `${e.row}:${e.columnLetter}:${e.code}`),
      ['2:A:email_missing'],
    );
  });

  test('each validation error names the spreadsheet row and column letter', async () => {
    const long = 'x'.repeat(501);
    const text =
      'Voornaam;Taal;E-mailadres;Geslacht;Mobiel;Afdeling\r\n' +
      'Ok;nl;ok@example.nl;v;0612345678;HR\r\n' + // 2
      'Geen;nl;;v;;HR\r\n' + // 3: email missing
      'Fout;nl;piet@example;v;;HR\r\n' + // 4: email invalid
      'Spatie;nl;pi et@example.nl;v;;HR\r\n' + // 5: email invalid
      'Taal;fr;t@example.nl;;;\r\n' + // 6: language
      'Gender;;g@example.nl;robot;;\r\n' + // 7: gender
      'Tel;;p@example.nl;;12345;\r\n' + // 8: phone
      `Lang;;l@example.nl;;;${long}\r\n` + // 9: too long (custom column)
      `${long};xx;;;;\r\n` + // 10: several at once
      'Grens;;b@example.nl;;;' +
      'y'.repeat(500) +
      '\r\n'; // 11: exactly 500 is fine
    const { rows } = await readAll(cp1252(text));
    assert.deepEqual(
      rows.flatMap((r) => r.errors.map((e) => `${e.row}:${e.columnLetter}:${e.column}:${e.code}`)),
      [
        '3:C:E-mailadres:email_missing',
        '4:C:E-mailadres:email_invalid',
        '5:C:E-mailadres:email_invalid',
        '6:B:Taal:language_invalid',
        '7:D:Geslacht:gender_invalid',
        '8:E:Mobiel:phone_invalid',
        '9:F:Afdeling:too_long',
        '10:C:E-mailadres:email_missing',
        '10:A:Voornaam:too_long',
        '10:B:Taal:language_invalid',
      ],
    );
    assert.deepEqual(
      rows.map((r) => r.contact === null),
      [false, true, true, true, true, true, true, true, true, false],
    );
    assert.equal(rows[2]?.errors[0]?.value, 'piet@example');
    assert.match(String(rows[2]?.errors[0]?.reason), /email/);
    assert.equal(
      rows[7]?.errors[0]?.value?.toString().length,
      101,
      'values are cut to 100 characters plus an ellipsis',
    );
  });

  test('errors in columns past Z use two-letter column names', async () => {
    const headers = Array.from({ length: 27 }, (_, i) => `Veld ${i + 1}`).concat('E-mail');
    const cells = Array.from({ length: 27 }, () => '').concat('kapot');
    const errors = await errorsOf(cp1252(`${headers.join(';')}\r\n${cells.join(';')}\r\n`));
    assert.deepEqual(errors, ['2:AB:email_invalid']);
  });

  test('empty lines and rows of only separators are skipped but still counted', async () => {
    const text = 'E-mail;Naam\r\n\r\na@example.nl;A\r\n;;\r\n ; \r\n\r\nkapot;B\r\n\n';
    const { rows } = await readAll(cp1252(text));
    assert.deepEqual(
      rows.map((r) => r.row),
      [3, 7],
    );
    assert.deepEqual(
      rows[1]?.errors.map((e) => `${e.row}:${e.columnLetter}`),
      ['7:A'],
    );
  });

  test('a row with more cells than headers is an error at the first extra column; empty extras are not', async () => {
    const text =
      'E-mail;Naam;Team\r\na@example.nl;A;T;;\r\nb@example.nl;B;T;extra\r\nc@example.nl;C;T;;laat\r\nd@example.nl\r\n';
    const { rows } = await readAll(cp1252(text));
    assert.deepEqual(
      rows.map((r) => [r.row, r.errors.map((e) => `${e.columnLetter}:${e.code}`)]),
      [
        [2, []],
        [3, ['D:too_many_columns']],
        [4, ['D:too_many_columns']],
        [5, []],
      ],
    );
    assert.match(String(rows[2]?.errors[0]?.reason), /column E/);
  });

  test('an unclosed quote is a FileError at the row where it opens', async () => {
    const text = 'E-mail;Naam\r\na@example.nl;A\r\nb@example.nl;B\r\nc@example.nl;"C\r\nd@example.nl;D\r\n';
    const open = opener(cp1252(text));
    const shape = await detectShape(open);
    const seen: number[] = [];
    await assert.rejects(
      async () => {
        for await (const r of readContacts(open, shape, suggestMapping(shape.headers))) seen.push(r.row);
      },
      (err: unknown) => {
        assert.ok(err instanceof FileError);
        assert.equal(err.row, 4);
        assert.equal(err.kind, 'unclosed_quote');
        assert.match(err.reason, /quote/);
        assert.equal(err.errors?.[0]?.row, 4);
        return true;
      },
    );
    assert.ok(seen.every((row) => row < 4));
  });

  test('an unclosed quote early in a large file fails fast instead of buffering the rest', async () => {
    const rest = 'x@example.nl;X\r\n'.repeat(200_000); // 3 MB after the quote
    const open = opener(cp1252(`E-mail;Naam\r\na@example.nl;"A\r\n${rest}`), 64 * 1024);
    const shape = await detectShape(open);
    await assert.rejects(
      async () => {
        for await (const _ of readContacts(open, shape, suggestMapping(shape.headers))) void _;
      },
      (err: unknown) => err instanceof FileError && err.row === 2 && err.kind === 'row_too_long',
    );
  });

  test('an unclosed quote in the header is reported on row 1', async () => {
    await assert.rejects(
      detectShape(opener(utf8('E-mail;"Naam\r\na@b.nl;x\r\n'))),
      (err: unknown) => err instanceof FileError && err.row === 1,
    );
  });

  test('a file with only a header yields no rows', async () => {
    for (const text of ['E-mailadres;Naam\r\n', 'E-mailadres;Naam', 'E-mailadres;Naam\r\n\r\n;;\r\n']) {
      const { shape, rows } = await readAll(cp1252(text));
      assert.deepEqual(shape.headers, ['E-mailadres', 'Naam']);
      assert.deepEqual(rows, [], JSON.stringify(text));
    }
  });

  test('files that are not CSV contact files are rejected with a reason, naming no row (a problem of the whole file)', async () => {
    const reject = (bytes: Buffer, kind: string) =>
      assert.rejects(
        detectShape(opener(bytes)),
        (err: unknown) => err instanceof FileError && err.kind === kind && err.row === undefined && !err.errors,
      );
    await reject(Buffer.alloc(0), 'empty_file');
    await reject(Buffer.from('PK\x03\x04rest-of-zip', 'latin1'), 'not_csv');
    await reject(
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('E-mail\r\n', 'utf16le')]),
      'unsupported_encoding',
    );
    await reject(utf8('\r\nE-mail\r\n'), 'no_header');
    await reject(utf8('x'.repeat(70 * 1024)), 'header_too_long');
    await reject(
      Buffer.from('E\u0000-\u0000m\u0000a\u0000i\u0000l\u0000\r\u0000\n\u0000', 'latin1'),
      'unsupported_encoding',
    );
    await reject(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), 'not_csv');
    await reject(Buffer.from('%PDF-1.7\n%\xe2\xe3\n', 'latin1'), 'not_csv');
    await reject(Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0x41, 0x42]), 'not_csv');
  });

  test('detectShape reads only the start of the file', async () => {
    let pulled = 0;
    function* endless(): Generator<Buffer> {
      yield utf8('E-mail;Naam\r\n');
      for (;;) {
        const chunk = utf8('a@example.nl;Naam\r\n'.repeat(100));
        pulled += chunk.length;
        yield chunk;
      }
    }
    const shape = await detectShape(() => Readable.from(endless()));
    assert.deepEqual(shape.headers, ['E-mail', 'Naam']);
    assert.ok(pulled < 200 * 1024, `read ${pulled} bytes`);
  });

  test('bytes that are not UTF-8 after the 64 KiB sample are flagged per cell', async () => {
    const ascii = 'E-mail;Naam\r\n' + 'a@example.nl;Jan\r\n'.repeat(4000); // > 64 KiB, all ASCII
    const bytes = Buffer.concat([utf8(ascii), cp1252('b@example.nl;René\r\n')]);
    const { shape, rows } = await readAll(bytes);
    assert.equal(shape.encoding, 'utf-8');
    const last = rows.at(-1);
    assert.equal(last?.row, 4002);
    assert.deepEqual(
      last?.errors.map((e) => `${e.columnLetter}:${e.code}`),
      ['B:bad_encoding'],
    );
  });

  test('empty and repeated headers get unique names; trailing empty headers are dropped', async () => {
    const shape = await detectShape(opener(cp1252('E-mail;;Opmerking;Opmerking;;\r\n')));
    assert.deepEqual(shape.headers, ['E-mail', '(kolom B)', 'Opmerking', 'Opmerking (kolom D)']);
    assert.deepEqual(suggestMapping(shape.headers), {
      'E-mail': 'email',
      '(kolom B)': 'ignore',
      Opmerking: 'custom:opmerking',
      'Opmerking (kolom D)': 'custom:opmerking_kolom_d',
    });
  });

  test('a mapping that validateMapping rejects, or a changed header row, stops readContacts', async () => {
    const open = opener(cp1252('E-mail;Naam\r\na@example.nl;A\r\n'));
    const shape = await detectShape(open);
    await assert.rejects(
      readContacts(open, shape, { Naam: 'last_name' }).next(),
      (err: unknown) => err instanceof FileError && err.kind === 'invalid_mapping',
    );
    const other = opener(cp1252('E-mail;Achternaam\r\na@example.nl;A\r\n'));
    await assert.rejects(
      readContacts(other, shape, suggestMapping(shape.headers)).next(),
      (err: unknown) => err instanceof FileError && err.kind === 'header_changed',
    );
  });

  test('columns mapped to ignore, or left out of the mapping, are not read', async () => {
    const text = 'E-mail;Notitie;Geheim\r\na@example.nl;' + 'n'.repeat(600) + ';s\r\n';
    const { rows } = await readAll(cp1252(text), { 'E-mail': 'email', Notitie: 'ignore' });
    assert.deepEqual(rows[0], { row: 2, errors: [], contact: { email: 'a@example.nl', profile: {} } });
  });

  test('stopping early releases the file', async () => {
    const source = Readable.from([cp1252('E-mail\r\na@example.nl\r\nb@example.nl\r\nc@example.nl\r\n')]);
    const shape = await detectShape(opener(cp1252('E-mail\r\n')));
    for await (const r of readContacts(() => source, shape, { 'E-mail': 'email' })) {
      assert.equal(r.row, 2);
      break;
    }
    assert.equal(source.destroyed, true);
  });

  test('200,000 generated rows stream from a temp file with the right count and row numbers', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'peil-csv-test-'));
    try {
      const file = join(dir, 'contacts.csv');
      const out = createWriteStream(file);
      out.write(cp1252('E-mailadres;Voornaam;Achternaam;Telefoon;Taal;Afdeling\r\n'));
      const n = 200_000;
      let batch = '';
      for (let i = 0; i < n; i++) {
        // Every 1000th row has a bad email, so the row numbers of errors can be checked.
        const email = i % 1000 === 999 ? `kapot${i}` : `p${i}@voorbeeld.nl`;
        batch += `${email};José;Müller-${i};06-${String(10000000 + i)};${i % 2 ? 'nl' : 'en'};"Team ""${i % 7}""; Zuid"\r\n`;
        if (batch.length > 1 << 20) {
          if (!out.write(cp1252(batch))) await once(out, 'drain');
          batch = '';
        }
      }
      out.end(cp1252(batch));
      await once(out, 'finish');

      const open = () => createReadStream(file);
      const shape = await detectShape(open);
      assert.equal(shape.encoding, 'windows-1252');
      let ok = 0;
      let lastRow = 0;
      const errorRows: number[] = [];
      let gaps = 0;
      for await (const r of readContacts(open, shape, suggestMapping(shape.headers))) {
        if (r.row !== (lastRow === 0 ? 2 : lastRow + 1)) gaps++;
        lastRow = r.row;
        if (r.contact) {
          ok++;
          if (r.row === 2) assert.deepEqual(r.contact.profile, { afdeling: 'Team "0"; Zuid' });
        } else errorRows.push(r.row);
      }
      assert.equal(gaps, 0);
      assert.equal(lastRow, n + 1);
      assert.equal(ok, n - n / 1000);
      assert.equal(errorRows.length, n / 1000);
      assert.equal(errorRows[0], 1001, 'row i = 999 is spreadsheet row 1001');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('headers and mapping', () => {
  test('normalizeHeader ignores case, spaces, underscores, dashes and diacritics', () => {
    assert.equal(normalizeHeader(' E-mail_Adres '), 'emailadres');
    assert.equal(normalizeHeader('First name'), 'firstname');
    assert.equal(normalizeHeader('Géslacht'), 'geslacht');
    assert.equal(normalizeHeader('TELEFOON-NUMMER'), 'telefoonnummer');
  });

  test('columnLetter', () => {
    const cases: Array<[number, string]> = [
      [0, 'A'],
      [1, 'B'],
      [25, 'Z'],
      [26, 'AA'],
      [27, 'AB'],
      [51, 'AZ'],
      [52, 'BA'],
      [701, 'ZZ'],
      [702, 'AAA'],
    ];
    for (const [i, letter] of cases) assert.equal(columnLetter(i), letter, String(i));
    assert.throws(() => columnLetter(-1), RangeError);
  });

  test('Dutch and English headers map to the standard fields', () => {
    const cases: Array<[string, string]> = [
      ['E-mailadres', 'email'],
      ['e-mail', 'email'],
      ['EMAIL', 'email'],
      ['Emailadres', 'email'],
      ['Mail', 'email'],
      ['Voornaam', 'first_name'],
      ['First name', 'first_name'],
      ['firstname', 'first_name'],
      ['Given_Name', 'first_name'],
      ['Tussenvoegsel', 'infix'],
      ['tussenvoegsels', 'infix'],
      ['Infix', 'infix'],
      ['Prefix', 'infix'],
      ['Achternaam', 'last_name'],
      ['Last name', 'last_name'],
      ['Surname', 'last_name'],
      ['Family-Name', 'last_name'],
      ['Geslacht', 'gender'],
      ['Gender', 'gender'],
      ['Sekse', 'gender'],
      ['Telefoon', 'phone'],
      ['Telefoonnummer', 'phone'],
      ['Mobiel', 'phone'],
      ['Mobile', 'phone'],
      ['Phone', 'phone'],
      ['Phone number', 'phone'],
      ['Tel', 'phone'],
      ['Tel.', 'phone'],
      ['Taal', 'language'],
      ['Language', 'language'],
      ['lang', 'language'],
      ['Functie', 'function'],
      ['Function', 'function'],
      ['Job title', 'function'],
      ['Role', 'function'],
    ];
    for (const [header, field] of cases) assert.equal(suggestMapping([header])[header], field, header);
  });

  test('other headers become custom fields with an ascii slug, unique per file', () => {
    assert.deepEqual(suggestMapping(['Afdeling', 'Locatie (stad)', 'Café/Bar', 'Datum in dienst', 'AFDELING', '€€']), {
      Afdeling: 'custom:afdeling',
      'Locatie (stad)': 'custom:locatie_stad',
      'Café/Bar': 'custom:cafe_bar',
      'Datum in dienst': 'custom:datum_in_dienst',
      AFDELING: 'custom:afdeling_2',
      '€€': 'custom:kolom_f',
    });
  });

  test('a second column for the same field becomes custom, so the suggestion is always valid', () => {
    const headers = ['E-mail', 'Telefoon', 'Mobiel', 'Mail'];
    const mapping = suggestMapping(headers);
    assert.deepEqual(mapping, { 'E-mail': 'email', Telefoon: 'phone', Mobiel: 'custom:mobiel', Mail: 'custom:mail' });
    assert.deepEqual(validateMapping(headers, mapping), []);
  });

  test('"Naam" is a surname only next to a first-name column without a surname column', () => {
    assert.equal(suggestMapping(['Voornaam', 'Naam'])['Naam'], 'last_name');
    assert.equal(suggestMapping(['First name', 'Name'])['Name'], 'last_name');
    assert.equal(suggestMapping(['Naam', 'E-mail'])['Naam'], 'custom:naam');
    assert.equal(suggestMapping(['Voornaam', 'Achternaam', 'Naam'])['Naam'], 'custom:naam');
  });

  test('validateMapping reports a missing email column, doubled fields and unknown headers', () => {
    const headers = ['E-mail', 'Mail', 'Voornaam', 'Roepnaam', 'Team'];
    assert.deepEqual(en(validateMapping(headers, { 'E-mail': 'email', Voornaam: 'first_name' })), []);

    const noEmail = en(validateMapping(headers, { Voornaam: 'first_name' }));
    assert.equal(noEmail.length, 1);
    assert.match(noEmail[0] ?? '', /No column is mapped to email/);

    const twice = en(
      validateMapping(headers, {
        'E-mail': 'email',
        Mail: 'email',
        Voornaam: 'first_name',
        Roepnaam: 'first_name',
      }),
    );
    assert.deepEqual(twice, [
      'The columns “E-mail” (A), “Mail” (B) are both mapped to email; map only one of them.',
      'The columns “Voornaam” (C), “Roepnaam” (D) are both mapped to first_name; map only one of them.',
    ]);

    const unknown = en(validateMapping(headers, { 'E-mail': 'email', Telefoon: 'phone' }));
    assert.deepEqual(unknown, ['The mapping names a column “Telefoon”, but the file has no column with that header.']);

    const custom = en(
      validateMapping(headers, {
        'E-mail': 'email',
        Team: 'custom:Team X',
        Mail: 'custom:team',
        Roepnaam: 'custom:team',
      }),
    );
    assert.equal(custom.length, 2);
    assert.match(custom[0] ?? '', /“Team” \(E\) is mapped to “custom:Team X”/);
    assert.match(custom[1] ?? '', /are both mapped to custom:team/);

    const bogus = en(validateMapping(headers, { 'E-mail': 'email', Team: 'afdeling' as never }));
    assert.match(bogus[0] ?? '', /not a contact field/);
  });
});

const en = (messages: Message[]): string[] => messages.map((m) => translate('en', m));
