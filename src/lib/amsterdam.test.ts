import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { amsterdamDay, amsterdamMonth, amsterdamTime, amsterdamTimeByIntl } from './amsterdam.js';

describe('Amsterdam local time (lib/amsterdam.ts)', () => {
  test('the cached offset gives what Intl gives: every 7 minutes across both DST changes of 2026 and 2027, and random instants 1990–2060', () => {
    const instants: number[] = [];
    for (const [from, to] of [
      ['2026-03-28T20:00:00Z', '2026-03-30T04:00:00Z'],
      ['2026-10-24T20:00:00Z', '2026-10-26T04:00:00Z'],
      ['2027-03-27T20:00:00Z', '2027-03-29T04:00:00Z'],
      ['2027-10-30T20:00:00Z', '2027-11-01T04:00:00Z'],
    ] as const)
      for (let t = Date.parse(from); t < Date.parse(to); t += 7 * 60_000 + 13_000) instants.push(t);
    let seed = 17;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 5000; i++)
      instants.push(Date.UTC(1990, 0, 1) + Math.floor(rnd() * (Date.UTC(2060, 0, 1) - Date.UTC(1990, 0, 1))));
    for (const t of instants)
      assert.deepEqual(amsterdamTime(new Date(t)), amsterdamTimeByIntl(new Date(t)), new Date(t).toISOString());
    // The hour after the autumn change is 02:xx twice: both readings are kept apart.
    assert.equal(amsterdamTime(new Date('2026-10-25T00:30:00Z')).hh, 2);
    assert.equal(amsterdamTime(new Date('2026-10-25T01:30:00Z')).hh, 2);
    assert.equal(amsterdamTime(new Date('2026-03-29T01:30:00Z')).hh, 3);
  });

  test('the month and the day of an instant: a usage month turns at Dutch midnight, not at UTC midnight', () => {
    assert.equal(amsterdamMonth(new Date('2026-11-30T22:59:59Z')), '2026-11');
    assert.equal(amsterdamMonth(new Date('2026-11-30T23:00:00Z')), '2026-12');
    assert.equal(amsterdamDay(new Date('2026-06-30T21:59:59Z')), '2026-06-30');
    assert.equal(amsterdamDay(new Date('2026-06-30T22:00:00Z')), '2026-07-01');
  });
});
