/**
 * Issue 17 (more than one process): processes that start at the same time on one database create
 * the same pg-boss queues at once. pg-boss 10 can deadlock there (40P01, seen in CI with
 * PEIL_WORKERS=2: a process exited at start); Jobs tries again, so every process starts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase, pgUrl } from '../../test/harness.js';
import { openDatabase } from './db/connect.js';
import { Jobs } from './jobs.js';

test(
  'issue 17: four processes creating the same twenty queues at once all start, and each queue exists once',
  { skip: pgUrl ? false : 'needs PostgreSQL (PEIL_TEST_DATABASE_URL): the embedded PGlite is one process' },
  async () => {
    const db = await freshDatabase();
    const handles = [db.handle];
    const all: Jobs[] = [];
    try {
      for (let i = 1; i < 4; i++) handles.push(await openDatabase({ url: db.url!, poolSize: 4 }));
      all.push(...handles.map((h) => new Jobs(h.pool)));
      await Promise.all(all.map((j) => j.start()));
      const names = Array.from({ length: 20 }, (_, i) => `race-${i}`);
      await Promise.all(all.map((j) => Promise.all(names.map((n) => j.send(n, { n })))));
      const { rows } = await db.handle.pool.query(`SELECT name FROM pgboss.queue WHERE name LIKE 'race-%'`);
      assert.equal(rows.length, names.length);
      const { rows: jobs } = await db.handle.pool.query(
        `SELECT count(*)::int AS n FROM pgboss.job WHERE name LIKE 'race-%'`,
      );
      assert.equal(jobs[0].n, names.length * all.length);
    } finally {
      await Promise.all(all.map((j) => j.stop()));
      for (const h of handles) await h.close();
      await db.drop();
    }
  },
);
