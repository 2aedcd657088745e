import Holidays from 'date-holidays';
import { amsterdamDay } from './amsterdam.js';

/**
 * Dutch working days (OBLIGATIONS AGR-3, SUB-2): "deemed accepted after N working days" counts Monday
 * to Friday, except the Dutch public holidays (Nieuwjaarsdag, Pasen and Tweede paasdag, Koningsdag,
 * Hemelvaartsdag, Pinksteren and Tweede pinksterdag, Kerstmis and Tweede kerstdag), as the
 * maintained `date-holidays` data gives them (Easter-based days included, and Koningsdag moved to
 * the 26th when the 27th is a Sunday). Goede Vrijdag and Bevrijdingsdag are not general days off in
 * the Netherlands (the library types them 'school'), so they count as working days.
 *
 * Days are calendar dates in Europe/Amsterdam, written YYYY-MM-DD.
 */
const nl = new Holidays('NL');
const holidayCache = new Map<number, Set<string>>();

function publicHolidays(year: number): Set<string> {
  let set = holidayCache.get(year);
  if (!set) {
    set = new Set(
      nl
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10)),
    );
    holidayCache.set(year, set);
  }
  return set;
}

/** The calendar date of an instant in Amsterdam. */
export const dutchDate = (at: Date): string => amsterdamDay(at);

export function isDutchWorkingDay(day: string): boolean {
  const d = new Date(`${day}T12:00:00Z`);
  const weekday = d.getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  return !publicHolidays(d.getUTCFullYear()).has(day);
}

/** The date of the n-th working day after `day` (n ≥ 1; `day` itself does not count). */
export function addDutchWorkingDays(day: string, n: number): string {
  if (!Number.isInteger(n) || n < 1) throw new Error('n must be a positive integer');
  const d = new Date(`${day}T12:00:00Z`);
  let left = n;
  for (;;) {
    d.setUTCDate(d.getUTCDate() + 1);
    const s = d.toISOString().slice(0, 10);
    if (isDutchWorkingDay(s) && --left === 0) return s;
  }
}
