/**
 * Issue 14 item 6: what an uploader reads when a contact file cannot be imported, over HTTP, in Dutch
 * (the default) and in English (Accept-Language). (a) no sentence is said twice in one problem;
 * (b) a problem of the whole file names no row, a problem at a row names that row (once); (c) an image,
 * PDF or archive renamed to .csv is named for what it is, found by its first bytes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { strToU8, zipSync } from 'fflate';
import { multipartFile, setUp, startTestApp, type TestApp } from '../../../test/harness.js';

type Lang = 'nl' | 'en';
interface Item {
  row?: number;
  column?: string;
  columnLetter?: string;
  pointer?: string;
  reason: string;
  code?: string;
}
interface ProblemBody {
  code: string;
  title: string;
  detail: string;
  fileError?: string;
  fileType?: string;
  errors?: Item[];
}

const LANGS: Array<[Lang, string]> = [
  ['nl', 'nl-NL,nl;q=0.9'],
  ['en', 'en-GB,en;q=0.9'],
];

/** The sentences of a problem as the app shows it: the detail and every item's reason. */
function sentences(p: ProblemBody): string[] {
  return [p.detail, ...(p.errors ?? []).map((e) => e.reason)]
    .flatMap((text) => text.split(/(?<=[.!?])\s+/))
    .map((s) => s.trim())
    .filter(Boolean);
}

/** No sentence twice, also not inside another one ("Row 1: X." beside "X."). */
function assertNoRepeat(p: ProblemBody, label: string): void {
  const all = sentences(p);
  all.forEach((a, i) =>
    all.forEach((b, j) => {
      if (i !== j) assert.ok(!b.includes(a), `${label}: “${a}” is said twice in ${JSON.stringify(p)}`);
    }),
  );
}

const ROW_WORD = /\b(row|rij)\s*\d/i;

describe('issue 14 item 6: import problems in the uploader’s language', () => {
  let t: TestApp;
  let owner: string;
  before(async () => {
    t = await startTestApp();
    ({ ownerCookie: owner } = await setUp(t));
  });
  after(() => t.close());

  const upload = (content: Buffer | string, lang: string, name = 'contacten.csv') => {
    const body = multipartFile(content, name);
    return t.app.inject({
      method: 'POST',
      url: '/api/v1/contact-imports',
      headers: { cookie: owner, 'accept-language': lang, ...body.headers },
      payload: body.payload,
    });
  };
  async function problem(content: Buffer | string, lang: string, name?: string): Promise<ProblemBody> {
    const res = await upload(content, lang, name);
    assert.equal(res.statusCode, 422, res.body);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    const p = res.json<ProblemBody>();
    assert.equal(p.code, 'invalid_file');
    return p;
  }

  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0]);
  const FILES: Array<{ type: string; bytes: Buffer; nl: string; en: string }> = [
    {
      type: 'png',
      bytes: png,
      nl: 'Dit is een PNG-afbeelding, geen CSV- of Excel-bestand.',
      en: 'This is a PNG image, not a CSV or Excel file.',
    },
    {
      type: 'pdf',
      bytes: Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n', 'latin1'),
      nl: 'Dit is een PDF-document, geen CSV- of Excel-bestand.',
      en: 'This is a PDF document, not a CSV or Excel file.',
    },
    {
      type: 'jpeg',
      bytes: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0]),
      nl: 'Dit is een JPEG-afbeelding, geen CSV- of Excel-bestand.',
      en: 'This is a JPEG image, not a CSV or Excel file.',
    },
    {
      type: 'gif',
      bytes: Buffer.from('GIF89a\x01\x00\x01\x00\x80\x00\x00', 'latin1'),
      nl: 'Dit is een GIF-afbeelding, geen CSV- of Excel-bestand.',
      en: 'This is a GIF image, not a CSV or Excel file.',
    },
    {
      type: 'zip',
      bytes: Buffer.from(zipSync({ 'notities.txt': strToU8('e-mailadres\na@voorbeeld.nl\n') })),
      nl: 'Dit is een ZIP-archief, geen CSV- of Excel-bestand.',
      en: 'This is a ZIP archive, not a CSV or Excel file.',
    },
  ];

  for (const [lang, header] of LANGS) {
    test(`(c) ${lang}: a PNG, PDF, JPEG, GIF or ZIP renamed to .csv is named for what it is, not "UTF-16"`, async () => {
      for (const f of FILES) {
        const p = await problem(f.bytes, header);
        assert.equal(p.detail, f[lang], `${f.type}: ${JSON.stringify(p)}`);
        assert.equal(p.fileError, 'not_csv');
        assert.equal(p.fileType, f.type);
        assert.doesNotMatch(p.detail, /UTF-16|Unicode/);
        assert.equal(p.errors, undefined, `${f.type}: a file's type has no row`);
        assert.equal(
          p.title,
          lang === 'nl' ? 'Het bestand kan niet worden geïmporteerd' : 'The file cannot be imported',
        );
      }
      // The name does not decide: a PNG called .xlsx is still a PNG.
      const named = await problem(png, header, 'contacten.xlsx');
      assert.equal(named.detail, FILES[0]![lang]);
    });

    test(`(b) ${lang}: a problem of the whole file (encoding, not text, empty, no header) names no row`, async () => {
      const cases: Array<[string, Buffer | string, string, RegExp]> = [
        [
          'utf-16',
          Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('E-mailadres\r\na@voorbeeld.nl\r\n', 'utf16le')]),
          'unsupported_encoding',
          lang === 'nl' ? /^Het bestand is opgeslagen als UTF-16/ : /^The file is saved as UTF-16/,
        ],
        [
          'utf-16 without a byte order mark',
          Buffer.from('E-mailadres\r\na@voorbeeld.nl\r\n', 'utf16le'),
          'unsupported_encoding',
          /UTF-16/,
        ],
        [
          'binary',
          Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0x41, 0x42, 0, 0x43]),
          'not_csv',
          lang === 'nl' ? /^Dit is geen tekstbestand/ : /^This is not a text file/,
        ],
        ['empty', '', 'empty_file', lang === 'nl' ? /^Het bestand is leeg\.$/ : /^The file is empty\.$/],
        [
          'no header',
          '\r\na@voorbeeld.nl\r\n',
          'no_header',
          lang === 'nl' ? /^De eerste rij is leeg; daarin horen de kolomnamen/ : /^The first row is empty/,
        ],
      ];
      for (const [label, bytes, kind, detail] of cases) {
        const p = await problem(bytes, header);
        assert.equal(p.fileError, kind, label);
        assert.match(p.detail, detail, `${label}: ${p.detail}`);
        assert.doesNotMatch(p.detail, ROW_WORD, `${label}: no "Row 1:" for a problem of the whole file`);
        assert.ok(!(p.errors ?? []).some((e) => e.row !== undefined), `${label}: no item with a row`);
        assertNoRepeat(p, label);
      }
    });

    test(`(b) ${lang}: a problem at a row names that row once, with the reason in the item`, async () => {
      const csv =
        'E-mailadres;Naam\r\na@voorbeeld.nl;A\r\nb@voorbeeld.nl;B\r\nc@voorbeeld.nl;"C\r\nd@voorbeeld.nl;D\r\n';
      const p = await problem(csv, header);
      assert.equal(p.fileError, 'unclosed_quote');
      assert.equal(p.errors?.length, 1);
      assert.equal(p.errors?.[0]?.row, 4);
      assert.match(
        p.errors?.[0]?.reason ?? '',
        lang === 'nl' ? /^Een aanhalingsteken \(".*nooit gesloten/ : /^A quote \(".*never closed/,
      );
      assert.match(p.detail, lang === 'nl' ? /vanaf rij 4 niet/ : /from row 4 on/);
      assertNoRepeat(p, 'unclosed quote');
    });

    test(`(a) ${lang}: no sentence twice in one problem: bad rows, a bad mapping, a file problem`, async () => {
      const png1 = await problem(png, header);
      assertNoRepeat(png1, 'png');
      // Rows with problems: a summary in the detail, each reason in its row (in the asked language).
      const up = await upload(
        'E-mailadres;Voornaam;Taal\r\ngeen-adres;Jan;nl\r\nb@voorbeeld.nl;Piet;klingon\r\nc@voorbeeld.nl;Kees;en\r\n',
        header,
      );
      assert.equal(up.statusCode, 201, up.body);
      const shape = up.json<{ id: string; mapping: Record<string, string>; targets: string[]; errors: Item[] }>();
      assert.deepEqual(shape.targets.slice(0, 2), ['email', 'first_name']);
      assert.deepEqual(
        shape.errors.map((e) => [e.row, e.columnLetter, e.code]),
        [
          [2, 'A', 'email_invalid'],
          [3, 'C', 'language_invalid'],
        ],
      );
      assert.match(
        shape.errors[0]!.reason,
        lang === 'nl' ? /^Dit is geen geldig e-mailadres\.$/ : /^This is not a valid email address\.$/,
      );
      const commit = (mapping: Record<string, string>) =>
        t.app.inject({
          method: 'POST',
          url: `/api/v1/contact-imports/${shape.id}/commit`,
          headers: { cookie: owner, 'accept-language': header },
          payload: { mapping, validOnly: false },
        });
      const rows = await commit(shape.mapping);
      assert.equal(rows.statusCode, 422, rows.body);
      const rp = rows.json<ProblemBody>();
      assert.match(
        rp.detail,
        lang === 'nl'
          ? /^2 problemen in 2 rijen; er is niets geïmporteerd\./
          : /^2 problems in 2 rows; nothing was imported\./,
      );
      assert.deepEqual(
        rp.errors?.map((e) => e.code),
        ['email_invalid', 'language_invalid'],
      );
      assertNoRepeat(rp, 'bad rows');
      // A mapping with two problems: each is said once, in its item; the detail says only that it is not valid.
      const bad = await commit({ 'E-mailadres': 'first_name', Voornaam: 'first_name' });
      assert.equal(bad.statusCode, 422, bad.body);
      const mp = bad.json<ProblemBody>();
      assert.equal(mp.code, 'validation_failed');
      assert.equal(mp.detail, lang === 'nl' ? 'De kolomindeling is niet geldig.' : 'The column mapping is not valid.');
      assert.equal(mp.errors?.length, 2);
      assert.ok(mp.errors?.every((e) => e.pointer === '/body/mapping'));
      assert.match(
        mp.errors?.map((e) => e.reason).join(' ') ?? '',
        lang === 'nl' ? /Geen kolom is ingedeeld als e-mailadres/ : /No column is mapped to email/,
      );
      assertNoRepeat(mp, 'mapping');
    });
  }

  test('the sentence check itself catches a repeat (the old "Row 1: …" detail beside the same item)', () => {
    const old: ProblemBody = {
      code: 'invalid_file',
      title: 'The file cannot be imported',
      detail: 'Row 1: The file is in UTF-16 ("Unicode text") or is not a text file. Save it as "CSV UTF-8" instead.',
      errors: [
        {
          row: 1,
          reason: 'The file is in UTF-16 ("Unicode text") or is not a text file. Save it as "CSV UTF-8" instead.',
        },
      ],
    };
    assert.throws(() => assertNoRepeat(old, 'old'), /said twice/);
  });
});
