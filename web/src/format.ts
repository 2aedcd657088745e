const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Amsterdam' });
const dateOnly = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'Europe/Amsterdam' });

const dateTimeSeconds = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'Europe/Amsterdam' });
/** With seconds: for logs, where several entries fall in one minute. */
export const formatLogTime = (iso: string): string => dateTimeSeconds.format(new Date(iso));
export const formatDateTime = (iso: string | null | undefined): string => (iso ? dateTime.format(new Date(iso)) : '—');
const timeOnly = new Intl.DateTimeFormat('en-GB', { timeStyle: 'short', timeZone: 'Europe/Amsterdam' });
const dayKey = new Intl.DateTimeFormat('en-CA', { dateStyle: 'short', timeZone: 'Europe/Amsterdam' });

/** "14:32" for a moment later today (Amsterdam time), else the date and time. */
export function formatSoon(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return dayKey.format(d) === dayKey.format(new Date()) ? timeOnly.format(d) : dateTime.format(d);
}
export const formatDay = (day: string): string => dateOnly.format(new Date(`${day}T12:00:00Z`));

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}

export const LANGUAGE_NAMES: Record<string, string> = { nl: 'Dutch', en: 'English', unknown: 'No language' };

export function fullName(c: { firstName: string | null; infix: string | null; lastName: string | null }): string {
  return [c.firstName, c.infix, c.lastName].filter(Boolean).join(' ');
}

/** Custom field key for a header, the way the server makes one: lower-case a–z, 0–9 and _. */
export function slugify(header: string): string {
  return header
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64)
    .replace(/_+$/, '');
}
