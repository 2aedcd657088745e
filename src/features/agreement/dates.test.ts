import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addMonths, currentTerm, dateIn, giveNotice, noticeDeadline, termAt, type TermRules } from './dates.js';

const yearly = (startDate: string, over: Partial<TermRules> = {}): TermRules => ({
  startDate,
  termMonths: 12,
  renewalMonths: 12,
  noticeMonths: 2,
  ...over,
});

describe('agreement date arithmetic', () => {
  test('AGR-5 months are added within the month they land in: 31 January + 1 month is the end of February', () => {
    assert.equal(addMonths('2026-01-31', 1), '2026-02-28');
    assert.equal(addMonths('2028-01-31', 1), '2028-02-29', 'leap year');
    assert.equal(addMonths('2028-02-29', 12), '2029-02-28');
    assert.equal(addMonths('2026-03-31', -1), '2026-02-28');
    assert.equal(addMonths('2026-12-15', 1), '2027-01-15');
    assert.equal(addMonths('2027-01-15', -2), '2026-11-15');
    assert.equal(addMonths('2026-05-10', 0), '2026-05-10');
  });

  test('AGR-5 terms are counted from the start date, so month ends do not drift', () => {
    const r = { startDate: '2026-01-31', termMonths: 1, renewalMonths: 1, noticeMonths: 0 };
    assert.deepEqual(
      [0, 1, 2].map((i) => termAt(r, i).end),
      ['2026-02-28', '2026-03-31', '2026-04-30'],
    );
    assert.deepEqual(termAt(r, 2), { index: 2, start: '2026-03-31', end: '2026-04-30' });
  });

  test('AGR-5 the current term applies renewals up to today; the notice deadline is its end minus the notice period', () => {
    const r = yearly('2024-02-29');
    assert.deepEqual(currentTerm(r, '2024-02-29'), { index: 0, start: '2024-02-29', end: '2025-02-28' });
    assert.deepEqual(currentTerm(r, '2025-02-27'), { index: 0, start: '2024-02-29', end: '2025-02-28' });
    assert.deepEqual(currentTerm(r, '2025-02-28'), { index: 1, start: '2025-02-28', end: '2026-02-28' });
    assert.deepEqual(currentTerm(r, '2028-03-01'), { index: 4, start: '2028-02-29', end: '2029-02-28' });
    assert.equal(noticeDeadline(r, currentTerm(r, '2026-01-01')), '2025-12-28');
    assert.deepEqual(currentTerm(r, '2020-01-01').index, 0, 'before the start: the first term');
    // Without renewal the first term is the only one.
    assert.deepEqual(currentTerm(yearly('2024-01-01', { renewalMonths: null }), '2030-01-01'), {
      index: 0,
      start: '2024-01-01',
      end: '2025-01-01',
    });
  });

  test('AGR-5 notice on the deadline is in time; a day later it is late and runs to the end of the renewed term', () => {
    const r = yearly('2026-01-01');
    assert.deepEqual(giveNotice(r, '2026-11-01'), { late: false, endsOn: '2027-01-01', deadline: '2026-11-01' });
    assert.deepEqual(giveNotice(r, '2026-11-02'), { late: true, endsOn: '2028-01-01', deadline: '2026-11-01' });
    // With a 2-year term and 6-month renewals, a late notice adds one renewal.
    assert.deepEqual(giveNotice(yearly('2026-01-01', { termMonths: 24, renewalMonths: 6 }), '2027-12-01'), {
      late: true,
      endsOn: '2028-07-01',
      deadline: '2027-11-01',
    });
    // Without renewal, notice is never late: the agreement ends with its term anyway.
    assert.deepEqual(giveNotice(yearly('2026-01-01', { renewalMonths: null }), '2026-12-30'), {
      late: false,
      endsOn: '2027-01-01',
      deadline: '2026-11-01',
    });
  });

  test('AGR-5 "today" is the date in the Netherlands', () => {
    assert.equal(dateIn(new Date('2026-10-31T23:30:00Z')), '2026-11-01');
    assert.equal(dateIn(new Date('2026-07-31T21:59:00Z')), '2026-07-31');
  });
});
