// Issue 17: the trend's periods are computed in Node (trend.ts periodOf) instead of by PostgreSQL's
// date_trunc and to_char. This compares the two for every day of 2019–2032 and every interval,
// including the ISO weeks that cross a year (2020-W53, 2021-W01 starting in 2021, …).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { freshDatabase } from '../../../test/harness.js';
import { INTERVALS, periodOf } from './trend.js';

const FORMAT = { day: 'YYYY-MM-DD', week: 'IYYY-"W"IW', month: 'YYYY-MM', quarter: 'YYYY-"Q"Q' } as const;

test('issue 17: periodOf names every day of 2019–2032 as PostgreSQL date_trunc/to_char do, per day, week, month and quarter', async () => {
  const { handle, drop } = await freshDatabase();
  try {
    for (const interval of INTERVALS) {
      const step = interval === 'quarter' ? '3 months' : `1 ${interval}`;
      const { rows } = await sql<{ day: string; first: string; last: string; label: string }>`
        SELECT to_char(d, 'YYYY-MM-DD') AS day,
               to_char(date_trunc(${interval}, d), 'YYYY-MM-DD') AS first,
               to_char(date_trunc(${interval}, d) + ${step}::interval - interval '1 day', 'YYYY-MM-DD') AS last,
               to_char(date_trunc(${interval}, d), ${FORMAT[interval]}) AS label
          FROM generate_series('2019-01-01'::timestamp, '2032-12-31'::timestamp, interval '1 day') AS d`.execute(
        handle.kysely,
      );
      assert.equal(rows.length, 5114);
      const wrong = rows
        .filter(
          (r) =>
            JSON.stringify(periodOf(r.day, interval)) !==
            JSON.stringify({ first: r.first, last: r.last, label: r.label }),
        )
        .slice(0, 5);
      assert.deepEqual(wrong, [], `${interval}: ${JSON.stringify(wrong.map((r) => [r, periodOf(r.day, interval)]))}`);
    }
  } finally {
    await drop();
  }
});
