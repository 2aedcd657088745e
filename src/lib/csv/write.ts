/**
 * CSV output. Cells that a spreadsheet would run as a formula (= + - @, and tab or carriage return
 * in front) get a leading apostrophe (OWASP "CSV injection"; OBLIGATIONS SEC-3). A number stays a
 * number: a cell typed as a number, or text that is exactly a decimal number (`-3`, `-7,5`, `+2.25`),
 * cannot run anything, so `-3` is written as `-3` and a spreadsheet reads it as minus three.
 */
const DECIMAL = /^[+-]?\d+([.,]\d+)?$/;

export function neutralizeFormula(value: string): string {
  if (DECIMAL.test(value)) return value;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * A number as text: with `decimalComma`, as Dutch Excel reads it with `;` as delimiter (7,5; no
 * thousands separator); otherwise with a decimal point. Never an exponent.
 */
export function numberText(n: number, decimalComma: boolean): string {
  if (!Number.isFinite(n)) return '';
  const s =
    Math.abs(n) >= 1e21 || (n !== 0 && Math.abs(n) < 1e-6)
      ? n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 })
      : String(n);
  return decimalComma ? s.replace('.', ',') : s;
}

export function csvCell(value: unknown, delimiter: string): string {
  if (value === null || value === undefined) return '';
  // With `;` a spreadsheet in a Dutch locale reads a decimal comma; with `,` a decimal point.
  const s =
    typeof value === 'number'
      ? numberText(value, delimiter === ';')
      : neutralizeFormula(typeof value === 'string' ? value : String(value));
  return s.includes(delimiter) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(values: unknown[], delimiter: string): string {
  return values.map((v) => csvCell(v, delimiter)).join(delimiter) + '\r\n';
}
