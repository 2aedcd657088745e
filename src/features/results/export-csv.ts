import { csvRow } from '../../lib/csv/write.js';
import { isStamp, stampText, type CellValue, type Column, type ExportRow } from './export-rows.js';

/**
 * The responses as CSV the way Dutch Excel opens it (OBLIGATIONS SVC-4): UTF-8 with a byte order
 * mark, CRLF, `;` between cells and a decimal comma (with `,` as delimiter: a decimal point), times as
 * local time in Europe/Amsterdam (`2026-11-20 15:02:11`), dates as `2026-11-20`; cells that a
 * spreadsheet would run as a formula are neutralised, numbers are left numbers (lib/csv/write.ts).
 * With `texts`, a second header row holds the question texts.
 */
export async function* csvExport(
  columns: Column[],
  rows: AsyncIterable<ExportRow>,
  o: { delimiter: ';' | ','; texts: boolean },
): AsyncGenerator<string> {
  let chunk =
    '\uFEFF' +
    csvRow(
      columns.map((c) => c.name),
      o.delimiter,
    );
  if (o.texts)
    chunk += csvRow(
      columns.map((c) => c.label),
      o.delimiter,
    );
  for await (const r of rows) {
    chunk += csvRow(
      columns.map((c) => cell(c.get(r))),
      o.delimiter,
    );
    if (chunk.length >= 64 * 1024) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

function cell(v: CellValue): string | number | null {
  return isStamp(v) ? stampText(v) : v;
}
