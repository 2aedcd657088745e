import { Zip, ZipDeflate, strToU8 } from 'fflate';
import { isStamp, type CellValue, type Column, type ExportRow, type Lang, type LocalStamp } from './export-rows.js';
import { scaleOf, keyQuestion, type SurveyDefinition } from '../surveys/definition.js';
import { CATEGORY_NAMES, GROUPS, scoreKindOf } from './scores.js';

/**
 * The responses as an Excel workbook (.xlsx), streamed (OBLIGATIONS SVC-4): the sheet XML is written
 * row by row into fflate's streaming ZIP (already used for the full export), so memory stays at a
 * page of rows whatever the survey's size. write-excel-file (used for the contact file checks and the
 * full export) builds a whole sheet in memory, which is why it is not used here.
 *
 * Cells are typed: numbers are number cells, times and dates are date cells (local time in
 * Europe/Amsterdam; Excel has no time zones), everything else an inline text cell, which Excel never
 * runs as a formula, whatever it starts with. Sheets: "Antwoorden (Responses)" (continued on a next
 * sheet after Excel's 1,048,576 rows) and "Vragen (Questions)": every question with its texts, type,
 * options and labels.
 */

const MAX_ROWS = 1_048_576;
const MAX_TEXT = 32_767;

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
/** Styles: 0 plain, 1 date and time, 2 date, 3 bold (header). */
const STYLES = `${HEAD}<styleSheet xmlns="${NS}"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

/** Text as XML character data: characters XML cannot hold are dropped. */
const NOT_XML =
  // eslint-disable-next-line no-control-regex -- these are exactly the characters XML 1.0 cannot hold
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function xmlText(s: string): string {
  return s
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function colName(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Excel's serial day number of a local time (1900 date system). */
export function excelSerial(s: LocalStamp): number {
  return Date.UTC(s.y, s.m - 1, s.d, s.hh, s.mm, s.ss) / 86_400_000 + 25_569;
}

function cellXml(ref: string, v: CellValue, style = 0): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number')
    return Number.isFinite(v) ? `<c r="${ref}"${style ? ` s="${style}"` : ''}><v>${v}</v></c>` : '';
  if (isStamp(v)) return `<c r="${ref}" s="${v.time ? 1 : 2}"><v>${excelSerial(v)}</v></c>`;
  const text = v.length > MAX_TEXT ? v.slice(0, MAX_TEXT) : v;
  return `<c r="${ref}" t="inlineStr"${style ? ` s="${style}"` : ''}><is><t xml:space="preserve">${xmlText(text)}</t></is></c>`;
}

function rowXml(n: number, cells: CellValue[], refs: string[], style = 0): string {
  let s = `<row r="${n}">`;
  for (let i = 0; i < cells.length; i++) s += cellXml(`${refs[i]}${n}`, cells[i]!, style);
  return s + '</row>';
}

const sheetStart = (frozen: number) =>
  `${HEAD}<worksheet xmlns="${NS}" xmlns:r="${REL}"><sheetViews><sheetView workbookViewId="0"><pane ySplit="${frozen}" topLeftCell="A${frozen + 1}" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>`;
const SHEET_END = '</sheetData></worksheet>';

export async function* xlsxExport(
  def: SurveyDefinition,
  columns: Column[],
  rows: AsyncIterable<ExportRow>,
  o: { lang: Lang; texts: boolean; now: Date },
): AsyncGenerator<Uint8Array> {
  const out: Uint8Array[] = [];
  let failed: Error | null = null;
  const zip = new Zip((err, chunk) => {
    if (err) failed = err;
    else out.push(chunk);
  });
  const take = function* () {
    if (failed) throw failed;
    while (out.length) yield out.shift()!;
  };
  const entry = (name: string) => {
    const f = new ZipDeflate(name, { level: 6 });
    (f as unknown as { mtime: Date }).mtime = o.now;
    zip.add(f);
    return f;
  };
  const sheets: string[] = [];
  const refs = columns.map((_, i) => colName(i));
  const header = (): string =>
    rowXml(
      1,
      columns.map((c) => c.name),
      refs,
      3,
    ) +
    (o.texts
      ? rowXml(
          2,
          columns.map((c) => c.label),
          refs,
          3,
        )
      : '');
  const headerRows = o.texts ? 2 : 1;

  // Responses, continued on a next sheet when one is full.
  const title = o.lang === 'nl' ? 'Antwoorden' : 'Responses';
  let sheet = entry('xl/worksheets/sheet1.xml');
  sheets.push(`${title} (${o.lang === 'nl' ? 'Responses' : 'Antwoorden'})`);
  let buf = sheetStart(headerRows) + header();
  let n = headerRows;
  for await (const r of rows) {
    if (n >= MAX_ROWS) {
      sheet.push(strToU8(buf + SHEET_END), true);
      yield* take();
      sheets.push(`${title} ${sheets.length + 1}`);
      sheet = entry(`xl/worksheets/sheet${sheets.length}.xml`);
      buf = sheetStart(headerRows) + header();
      n = headerRows;
    }
    n++;
    buf += rowXml(
      n,
      columns.map((c) => c.get(r)),
      refs,
    );
    if (buf.length >= 64 * 1024) {
      sheet.push(strToU8(buf));
      buf = '';
      yield* take();
    }
  }
  sheet.push(strToU8(buf + SHEET_END), true);
  yield* take();

  // Questions.
  sheets.push(o.lang === 'nl' ? 'Vragen (Questions)' : 'Questions (Vragen)');
  const q = entry(`xl/worksheets/sheet${sheets.length}.xml`);
  const qrefs = ['A', 'B', 'C', 'D', 'E', 'F', 'G'];
  let qx =
    sheetStart(1) + rowXml(1, ['question_id', 'type', 'text_nl', 'text_en', 'value', 'label_nl', 'label_en'], qrefs, 3);
  let qn = 1;
  const add = (cells: CellValue[]) => (qx += rowXml(++qn, cells, qrefs));
  const key = keyQuestion(def);
  for (const question of def.questions) {
    add([question.id, question.type, question.text.nl, question.text.en, null, null, null]);
    if (question.type === 'single' || question.type === 'multiple')
      for (const opt of question.options)
        add([question.id, 'option', null, null, opt.value, opt.label.nl, opt.label.en]);
    if (question.type === 'rating') {
      if (question.minLabel)
        add([question.id, 'scale', null, null, question.min, question.minLabel.nl, question.minLabel.en]);
      if (question.maxLabel)
        add([question.id, 'scale', null, null, question.max, question.maxLabel.nl, question.maxLabel.en]);
    }
    const kind = scoreKindOf(question);
    if (question.id === key?.id && kind && scaleOf(question)) {
      for (const g of GROUPS[kind])
        add([
          `${question.id}_category`,
          'group',
          null,
          null,
          `${g.category} (${g.min}–${g.max})`,
          CATEGORY_NAMES[g.category].nl,
          CATEGORY_NAMES[g.category].en,
        ]);
    }
  }
  q.push(strToU8(qx + SHEET_END), true);
  yield* take();

  // The workbook, written last: by now the number of sheets is known.
  const meta: Array<[string, string]> = [
    [
      'xl/workbook.xml',
      `${HEAD}<workbook xmlns="${NS}" xmlns:r="${REL}"><sheets>${sheets.map((s, i) => `<sheet name="${xmlText(s)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`,
    ],
    [
      'xl/_rels/workbook.xml.rels',
      `${HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('')}<Relationship Id="rId${sheets.length + 1}" Type="${REL}/styles" Target="styles.xml"/></Relationships>`,
    ],
    ['xl/styles.xml', STYLES],
    [
      '_rels/.rels',
      `${HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ],
    [
      '[Content_Types].xml',
      `${HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${sheets.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('')}<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`,
    ],
  ];
  for (const [name, xml] of meta) entry(name).push(strToU8(xml), true);
  zip.end();
  yield* take();
}
