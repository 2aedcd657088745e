/**
 * CSV output. Cells that a spreadsheet would run as a formula (= + - @, and tab or carriage return
 * in front) get a leading apostrophe (OWASP "CSV injection"; OBLIGATIONS SEC-3).
 */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function csvCell(value: unknown, delimiter: string): string {
  if (value === null || value === undefined) return '';
  const s = neutralizeFormula(typeof value === 'string' ? value : String(value));
  return s.includes(delimiter) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(values: unknown[], delimiter: string): string {
  return values.map((v) => csvCell(v, delimiter)).join(delimiter) + '\r\n';
}
