/**
 * Contact files as Excel workbooks (.xlsx): the first sheet, the first row holds the column names.
 * Cells are turned into the text the CSV path would have read, so both formats share one set of
 * checks (contact-file.ts checkRow); number cells are marked, so a number field takes them as they
 * are instead of reading a Dutch "1.234" into them.
 */
import { Readable } from 'node:stream';
import { readSheet } from 'read-excel-file/node';
import { ContactFileError } from './errors.js';
import type { OpenStream } from './types.js';

/** A zip archive (every .xlsx is one). */
export function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** The old binary Excel format (.xls, OLE2 compound file). */
export function isOle2(bytes: Uint8Array): boolean {
  return bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
}

export interface XlsxRecord {
  /** Spreadsheet row number (1 = the header row). */
  row: number;
  cells: string[];
  /** Which cells were number cells (by column index). */
  numeric: boolean[];
}

/** A number cell, as written in the file. */
class NumberCell {
  constructor(readonly raw: string) {}
}

type Cell = string | NumberCell | boolean | Date | null;

/**
 * The first sheet as text records. read-excel-file unzips and parses the sheet as a whole; an .xlsx
 * holds at most 1,048,576 rows and is bounded by UPLOAD_LIMIT_MB, so this stays bounded too.
 */
export async function readXlsx(open: OpenStream): Promise<XlsxRecord[]> {
  let data: Cell[][];
  try {
    // parseNumber keeps the number as written in the file: 0.1 stays "0.1", a phone number its digits.
    data = (await readSheet<NumberCell>(Readable.from(open() as Readable), { trim: false, parseNumber: (s: string) => new NumberCell(s) })) as unknown as Cell[][];
  } catch (err) {
    throw new ContactFileError('malformed', 1, 'This Excel file cannot be read (it is damaged, protected with a password, or not an .xlsx workbook). Save it again as .xlsx or as CSV.', { cause: err });
  }
  return data.map((cells, i) => {
    const numeric: boolean[] = [];
    const text = cells.map((c, col) => {
      const { text: t, numeric: n } = cellText(c);
      if (n) numeric[col] = true;
      return t;
    });
    return { row: i + 1, cells: text, numeric };
  });
}

function cellText(c: Cell): { text: string; numeric: boolean } {
  if (c === null || c === undefined) return { text: '', numeric: false };
  if (typeof c === 'string') return { text: c, numeric: false };
  if (c instanceof NumberCell) return { text: numberText(c.raw), numeric: true };
  if (typeof c === 'number') return { text: numberText(String(c)), numeric: true };
  if (typeof c === 'boolean') return { text: c ? 'true' : 'false', numeric: false };
  if (c instanceof Date) return { text: dateText(c), numeric: false };
  return { text: String(c), numeric: false };
}

/** A number written with an exponent (1.2345678901E+10) as plain digits. */
export function numberText(raw: string): string {
  if (!/e/i.test(raw)) return raw;
  const n = Number(raw);
  return Number.isFinite(n) && Math.abs(n) < 1e21 ? n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 }) : raw;
}

/** A date cell as 'YYYY-MM-DD' (with the time when it has one): Excel dates carry no time zone. */
export function dateText(d: Date): string {
  const iso = d.toISOString();
  const time = iso.slice(11, 16);
  return time === '00:00' ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${time}`;
}
