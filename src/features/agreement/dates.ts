/**
 * OBLIGATIONS AGR-5: the agreement's terms in calendar dates (pure; no clock, no time zone but the
 * one named). Dates are ISO strings 'YYYY-MM-DD'. A term runs from its first day up to (not
 * including) its end date, which is also the first day of the next term.
 */

export type IsoDate = string;

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(d: IsoDate): [number, number, number] {
  const m = ISO.exec(d);
  if (!m) throw new Error(`not an ISO date: ${d}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * `months` calendar months after (or, negative, before) `d`, kept in the month it lands in:
 * 31 January + 1 month is 28 February (29 in a leap year), not 3 March.
 */
export function addMonths(d: IsoDate, months: number): IsoDate {
  const [y, m, day] = parts(d);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return `${pad(year, 4)}-${pad(month)}-${pad(Math.min(day, daysInMonth(year, month)))}`;
}

/** The calendar date of an instant in a time zone (Dutch agreements: Europe/Amsterdam). */
export function dateIn(at: Date, timeZone = 'Europe/Amsterdam'): IsoDate {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

export interface TermRules {
  startDate: IsoDate;
  termMonths: number;
  /** null: no automatic renewal. */
  renewalMonths: number | null;
  noticeMonths: number;
}

export interface Term {
  /** 0: the first term, 1: the first renewal, ... */
  index: number;
  start: IsoDate;
  end: IsoDate;
}

/**
 * The n-th term. Every boundary is counted from the start date, so a start on 31 January keeps its
 * month ends (28 February, 31 March, ...) instead of drifting to the 28th.
 */
export function termAt(rules: TermRules, index: number): Term {
  const renewal = rules.renewalMonths ?? 0;
  const start = index === 0 ? rules.startDate : addMonths(rules.startDate, rules.termMonths + (index - 1) * renewal);
  const end = addMonths(rules.startDate, rules.termMonths + index * renewal);
  return { index, start, end };
}

/**
 * The term that `today` falls in, renewals applied up to today. Before the start: the first term.
 * Without renewal, after the first term: still the first term (the agreement has ended).
 */
export function currentTerm(rules: TermRules, today: IsoDate): Term {
  if (rules.renewalMonths === null) return termAt(rules, 0);
  let t = termAt(rules, 0);
  while (today >= t.end) t = termAt(rules, t.index + 1);
  return t;
}

/** The last day on which notice can be given for a term to end at its end: its end minus the notice period. */
export function noticeDeadline(rules: TermRules, term: Term): IsoDate {
  return addMonths(term.end, -rules.noticeMonths);
}

export interface NoticeOutcome {
  /** Given after the deadline of the term it was given in. */
  late: boolean;
  /** The day the agreement ends (exclusive): the end of the current term, or of the renewed one when late. */
  endsOn: IsoDate;
  deadline: IsoDate;
}

/**
 * OBLIGATIONS AGR-5 (F 9, F 10): notice given on `today` (on the deadline day itself is in time).
 * In time: the agreement ends with the current term. Late: it is renewed once more and ends with
 * that term. Without automatic renewal nothing is renewed, so notice is never late.
 */
export function giveNotice(rules: TermRules, today: IsoDate): NoticeOutcome {
  const term = currentTerm(rules, today);
  const deadline = noticeDeadline(rules, term);
  if (rules.renewalMonths === null) return { late: false, endsOn: term.end, deadline };
  if (today <= deadline) return { late: false, endsOn: term.end, deadline };
  return { late: true, endsOn: termAt(rules, term.index + 1).end, deadline };
}
