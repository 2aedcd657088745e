import { i18n, intlLocale } from './i18n';

// Dates, times and numbers in the user's language (nl-NL or en-GB), always in Amsterdam time. The
// formatters are made per language once and reused (Intl constructors are not cheap).
const TZ = 'Europe/Amsterdam';
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function dateFormat(key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const id = `${intlLocale()}|${key}`;
  let f = formatters.get(id) as Intl.DateTimeFormat | undefined;
  if (!f) formatters.set(id, (f = new Intl.DateTimeFormat(intlLocale(), { ...options, timeZone: TZ })));
  return f;
}

/** With seconds: for logs, where several entries fall in one minute. */
export const formatLogTime = (iso: string): string =>
  dateFormat('dts', { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(iso));
export const formatDateTime = (iso: string | null | undefined): string =>
  iso ? dateFormat('dt', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)) : '—';
const dayKey = new Intl.DateTimeFormat('en-CA', { dateStyle: 'short', timeZone: TZ });

/** "14:32" for a moment later today (Amsterdam time), else the date and time. */
export function formatSoon(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return dayKey.format(d) === dayKey.format(new Date())
    ? dateFormat('t', { timeStyle: 'short' }).format(d)
    : formatDateTime(iso);
}
export const formatDay = (day: string): string =>
  dateFormat('d', { dateStyle: 'medium' }).format(new Date(`${day}T12:00:00Z`));

/** A calendar month ("2026-12") as words: "december 2026" in Dutch, "December 2026" in English. */
export const formatMonth = (month: string): string =>
  /^\d{4}-\d{2}$/.test(month)
    ? dateFormat('m', { month: 'long', year: 'numeric' }).format(new Date(`${month}-15T12:00:00Z`))
    : month;

/** A number in the user's language: 1.234,5 in Dutch, 1,234.5 in English. */
export function formatNumber(n: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(intlLocale(), options).format(n);
}

/** A share (0..1) as a percentage: "12,5%" in Dutch. */
export function formatPercent(share: number, fractionDigits = 0): string {
  return new Intl.NumberFormat(intlLocale(), {
    style: 'percent',
    maximumFractionDigits: fractionDigits,
    minimumFractionDigits: fractionDigits,
  }).format(share);
}

/** A language's name in the user's language ("Nederlands"/"Dutch"); the code itself when unknown. */
export function languageName(code: string | null | undefined): string {
  const key = code ?? 'unknown';
  return i18n.exists(`common:languageNames.${key}`) ? i18n.t(`common:languageNames.${key}` as 'languageNames.nl') : key;
}

export function fullName(c: { firstName: string | null; infix: string | null; lastName: string | null }): string {
  return [c.firstName, c.infix, c.lastName].filter(Boolean).join(' ');
}

/** Custom field key for a header or a label: the server's own rule (src/lib/slug.ts), not a copy. */
export { slugify } from '../../src/lib/slug';
