/**
 * Hostile workbooks for OBLIGATIONS SEC-3 (tests and bench/xlsx-bomb.ts): a valid .xlsx whose sheet
 * XML inflates far beyond what it weighs, written as a zip by hand so the sizes in its headers can lie.
 */
import { createDeflateRaw, crc32, deflateRawSync } from 'node:zlib';

interface Entry {
  name: string;
  /** The deflated bytes and what they inflate to. */
  data: Buffer;
  crc: number;
  size: number;
  /** The uncompressed size written in the headers (default: the real one). */
  declared?: number;
}

function small(name: string, text: string): Entry {
  const raw = Buffer.from(text, 'utf8');
  return { name, data: deflateRawSync(raw), crc: crc32(raw), size: raw.length };
}

/** Deflates `count` repetitions of what `piece(i)` returns (streamed: nothing large is held). */
async function big(
  name: string,
  head: string,
  piece: (i: number) => string,
  count: number,
  tail: string,
  level = 9,
): Promise<Entry> {
  const deflate = createDeflateRaw({ level });
  const out: Buffer[] = [];
  deflate.on('data', (c: Buffer) => out.push(c));
  let crc = 0;
  let size = 0;
  const write = async (s: string) => {
    const b = Buffer.from(s, 'utf8');
    crc = crc32(b, crc);
    size += b.length;
    if (!deflate.write(b)) await new Promise((r) => deflate.once('drain', r));
  };
  await write(head);
  let batch = '';
  for (let i = 0; i < count; i++) {
    batch += piece(i);
    if (batch.length > 1 << 20) {
      await write(batch);
      batch = '';
    }
  }
  await write(batch + tail);
  const ended = new Promise((r) => deflate.once('end', r));
  deflate.end();
  await ended;
  return { name, data: Buffer.concat(out), crc: crc >>> 0, size };
}

function zip(entries: Entry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const declared = e.declared ?? e.size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(e.crc >>> 0, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(declared >>> 0, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(e.crc >>> 0, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(declared >>> 0, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    centrals.push(central, name);
    offset += 30 + name.length + e.data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`;
const RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const WORKBOOK = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Contacten" sheetId="1" r:id="rId1"/></sheets></workbook>`;
const WORKBOOK_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`;
const SHEET_HEAD = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>E-mailadres</t></is></c><c r="B1" t="inlineStr"><is><t>Voornaam</t></is></c></row>`;
const SHEET_TAIL = '</sheetData></worksheet>';

const cell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;

/**
 * A workbook whose sheet holds `rows` contact rows. `kind`:
 * - 'ratio': every row the same, so it compresses ~1,000×: the classic bomb;
 * - 'varied': rows differ (like the issue's 13 MB → 354 MB bomb, ~25×): only the total stops it;
 * - 'lying': its headers declare 4 GB inflated;
 * - 'hiding': rows as 'varied', but its headers declare 1 byte (only counting what inflates finds it).
 */
export async function xlsxBomb(
  kind: 'ratio' | 'varied' | 'lying' | 'hiding',
  rows: number,
  level = 9,
): Promise<{ file: Buffer; inflated: number }> {
  const row =
    kind === 'ratio'
      ? () => `<row r="2">${cell('A2', 'jan@voorbeeld.nl')}${cell('B2', 'Jan')}</row>`
      : (i: number) =>
          `<row r="${i + 2}">${cell(`A${i + 2}`, `jan.${(i * 7919) % 1000003}.${i}@voorbeeld.nl`)}${cell(`B${i + 2}`, `Jan ${i.toString(36)}`)}</row>`;
  const sheet = await big('xl/worksheets/sheet1.xml', SHEET_HEAD, row, rows, SHEET_TAIL, level);
  if (kind === 'lying') sheet.declared = 0xfffffff0;
  if (kind === 'hiding') sheet.declared = 1;
  const entries = [
    small('[Content_Types].xml', CONTENT_TYPES),
    small('_rels/.rels', RELS),
    small('xl/workbook.xml', WORKBOOK),
    small('xl/_rels/workbook.xml.rels', WORKBOOK_RELS),
    sheet,
  ];
  return { file: zip(entries), inflated: entries.reduce((n, e) => n + e.size, 0) };
}

/** A plain workbook with these rows (cell text is written as is: `_x0000_` is Excel's escape for NUL). */
export function xlsxOf(rows: string[][]): Buffer {
  const letters = (i: number) => String.fromCharCode(65 + i);
  const body = rows
    .map((r, i) => `<row r="${i + 1}">${r.map((v, j) => cell(`${letters(j)}${i + 1}`, v)).join('')}</row>`)
    .join('');
  const sheet = small(
    'xl/worksheets/sheet1.xml',
    `${SHEET_HEAD.slice(0, SHEET_HEAD.indexOf('<row'))}${body}${SHEET_TAIL}`,
  );
  return zip([
    small('[Content_Types].xml', CONTENT_TYPES),
    small('_rels/.rels', RELS),
    small('xl/workbook.xml', WORKBOOK),
    small('xl/_rels/workbook.xml.rels', WORKBOOK_RELS),
    sheet,
  ]);
}
