import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDutchWorkingDays, dutchDate, isDutchWorkingDay } from './workdays.js';

test('AGR-3 Dutch working days skip weekends and public holidays, Easter-based ones included', () => {
  // Easter 2027 is 28 March: Tweede paasdag (Monday 29 March) is no working day; Goede Vrijdag is.
  assert.equal(isDutchWorkingDay('2027-03-29'), false);
  assert.equal(isDutchWorkingDay('2027-03-26'), true);
  assert.equal(isDutchWorkingDay('2027-03-27'), false, 'a Saturday');
  // Announced on Thursday 25 March 2027 with 5 working days: Fri 26, Tue 30, Wed 31, Thu 1, Fri 2 April.
  assert.equal(addDutchWorkingDays('2027-03-25', 5), '2027-04-02');
  // Hemelvaartsdag (Thursday 6 May 2027) and Pinksteren (Monday 17 May 2027) are skipped.
  assert.equal(addDutchWorkingDays('2027-05-05', 1), '2027-05-07');
  assert.equal(addDutchWorkingDays('2027-05-14', 1), '2027-05-18');
  // Christmas 2026 is a Friday, Tweede kerstdag a Saturday; New Year 2027 a Friday.
  assert.equal(addDutchWorkingDays('2026-12-24', 1), '2026-12-28');
  assert.equal(addDutchWorkingDays('2026-12-31', 1), '2027-01-04');
  // Koningsdag 2025 fell on a Sunday and was held on Saturday the 26th; 27 April 2026 is a Monday.
  assert.equal(isDutchWorkingDay('2026-04-27'), false);
});

test('AGR-3 a day is the calendar day in Amsterdam, not in UTC', () => {
  assert.equal(dutchDate(new Date('2026-12-31T23:30:00Z')), '2027-01-01');
  assert.equal(dutchDate(new Date('2026-07-01T21:59:00Z')), '2026-07-01');
  assert.equal(dutchDate(new Date('2026-07-01T22:01:00Z')), '2026-07-02');
});
